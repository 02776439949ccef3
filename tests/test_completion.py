"""The completion vocabulary (domain/completion.py): what it learns, ranks and offers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.completion import (
    CUSTOM_KEYS,
    MAX_TERMS,
    MAX_VALUES_PER_KEY,
    TAGS,
    Vocabulary,
    spelling_key,
    value_kind,
)

words = st.text(alphabet="abcABC -_xyz", min_size=1, max_size=8).filter(lambda s: s.strip())


def learnt(*leads: dict) -> Vocabulary:
    vocabulary = Vocabulary()
    vocabulary.learn_leads(leads)
    return vocabulary


@given(st.lists(words, min_size=1, max_size=30), words)
def test_a_suggestion_starts_with_what_is_typed_and_is_the_most_frequent(terms, typed):
    vocabulary = learnt(*({"companyName": t} for t in terms))
    got = vocabulary.suggest("companyName", typed)
    stripped = [t.strip() for t in terms]
    matches = {t for t in stripped if t.casefold().startswith(typed.casefold())}
    if not matches:
        assert got is None
        return
    top = max(stripped.count(m) for m in matches)
    if got is None:  # what is typed is itself the best known value
        assert stripped.count(typed) == top
    else:
        assert got in matches and got != typed and stripped.count(got) == top


@given(st.lists(words, max_size=30))
def test_the_cache_form_reads_back_to_the_same_suggestions(terms):
    vocabulary = learnt(*({"tags": [t], "city": t} for t in terms))
    again = Vocabulary.from_dict(vocabulary.to_dict())
    for term in terms:
        for end in range(1, len(term) + 1):
            assert again.suggest(TAGS, term[:end]) == vocabulary.suggest(TAGS, term[:end])
            assert again.suggest("city", term[:end]) == vocabulary.suggest("city", term[:end])


@given(words, words)
def test_known_spelling_only_for_case_or_spacing(known, typed):
    vocabulary = learnt({"tags": [known]})
    offered = vocabulary.known_tag(typed)
    same = spelling_key(known) == spelling_key(typed) != ""  # "-" and "_" name nothing
    if same and known.strip() != typed.strip():
        assert offered == known.strip()
    else:
        assert offered is None


def test_frequency_first_then_recency():
    vocabulary = learnt(
        {"jobTitle": "Sales Manager"},
        {"jobTitle": "Sales Manager"},
        {"jobTitle": "Sales Director"},
        {"jobTitle": "SDR"},
    )
    assert vocabulary.suggest("jobTitle", "s") == "Sales Manager"  # seen twice
    assert vocabulary.suggest("jobTitle", "sales d") == "Sales Director"
    vocabulary.learn_lead({"jobTitle": "Sales Director"})
    assert vocabulary.suggest("jobTitle", "Sa") == "Sales Director"  # as often, more recent


def test_nothing_is_offered_for_what_is_already_typed_or_blank():
    vocabulary = learnt({"companyName": "Globex", "tags": ["vip"]})
    assert vocabulary.suggest("companyName", "Globex") is None
    assert vocabulary.suggest("companyName", "") is None
    assert vocabulary.suggest("companyName", "   ") is None
    assert vocabulary.suggest("companyName", "Initech") is None
    assert vocabulary.suggest(TAGS, "vip") is None


def test_a_tag_typed_in_another_case_or_spacing_gets_the_known_spelling():
    vocabulary = learnt({"tags": ["decision-maker", "vip"]}, {"tags": ["vip"]})
    assert vocabulary.suggest(TAGS, "VIP") == "vip"
    assert vocabulary.suggest(TAGS, "Decision Maker") == "decision-maker"
    assert vocabulary.suggest(TAGS, "decisionmaker") == "decision-maker"
    assert vocabulary.suggest(TAGS, "Dec") == "decision-maker"  # a prefix, in any case
    assert vocabulary.known_tag("vips") is None


def test_custom_field_names_and_the_values_of_names_with_few_values():
    vocabulary = learnt(
        {"customFields": {"source": "webinar", "plan": "pro", "note": "x"}},
        {"customFields": {"source": "referral", "plan": "pro"}},
    )
    assert vocabulary.suggest(CUSTOM_KEYS, "so") == "source"
    assert vocabulary.value_for("source", "re") == "referral"
    assert vocabulary.value_for("Source", "we") == "webinar"  # the name in another case
    assert vocabulary.value_for("plan", "p") == "pro"
    assert vocabulary.value_for("unknown", "p") is None


def test_a_name_with_many_values_is_free_text_and_its_values_are_forgotten():
    vocabulary = Vocabulary()
    for n in range(MAX_VALUES_PER_KEY + 1):
        vocabulary.learn_lead({"customFields": {"email2": f"person{n}@example.com"}})
    assert vocabulary.value_for("email2", "person") is None
    assert value_kind("email2") not in vocabulary.kinds
    vocabulary.learn_lead({"customFields": {"email2": "person0@example.com"}})
    assert vocabulary.value_for("email2", "person") is None  # for good
    assert vocabulary.suggest(CUSTOM_KEYS, "em") == "email2"  # the name is still offered


def test_bounded_per_kind_keeping_the_most_frequent():
    vocabulary = Vocabulary()
    vocabulary.learn_lead({"companyName": "Zeta Often"})
    vocabulary.learn_lead({"companyName": "Zeta Often"})
    for n in range(MAX_TERMS + 50):
        vocabulary.learn_lead({"companyName": f"Company {n}"})
    assert len(vocabulary.kinds["companyName"].terms) <= MAX_TERMS
    assert vocabulary.suggest("companyName", "zeta") == "Zeta Often"


def test_odd_values_and_key_shaped_text_are_not_learnt():
    key_like = "sk_" + "0123456789abcdef" * 3
    vocabulary = learnt(
        {"companyName": 42, "tags": "vip", "customFields": ["a"], "city": None},
        {"companyName": key_like, "tags": [key_like, 7]},
    )
    assert len(vocabulary) == 0
    assert key_like not in str(vocabulary.to_dict())


@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers())))
def test_from_dict_refuses_what_it_did_not_write(data):
    try:
        Vocabulary.from_dict({"schema": 1, "seen": 0, "open_keys": [], "kinds": {"x": data}})
    except ValueError:
        return
    assert isinstance(data, list) and not data


@given(st.lists(st.integers(min_value=0, max_value=150), min_size=70, max_size=120), st.data())
def test_many_matches_still_give_the_most_frequent_then_most_recent(picks, data):
    """Over ``SCAN`` matches the lookup goes down the ranked terms instead of the range."""
    vocabulary = learnt(*({"companyName": f"Co {n}"} for n in picks))
    typed = data.draw(st.sampled_from(["c", "Co", "co "]))
    counts = {f"Co {n}": picks.count(n) for n in picks}
    last = {f"Co {n}": at for at, n in enumerate(picks)}
    wanted = max(counts, key=lambda name: (counts[name], last[name]))
    assert vocabulary.suggest("companyName", typed) == wanted
