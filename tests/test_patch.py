"""build_patch: the PATCH body holds exactly what changed (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.patch import apply_patch, build_patch, describe_patch
from sendkit_tui.domain.rules import TEXT_FIELDS

text_value = st.one_of(st.none(), st.just(""), st.text(max_size=12))
tag_lists = st.lists(st.text(min_size=1, max_size=8), max_size=5, unique=True)
custom_maps = st.dictionaries(st.text(min_size=1, max_size=6), st.text(max_size=8), max_size=6)


@st.composite
def leads(draw) -> dict:
    lead: dict = {"email": draw(st.emails())}
    for field in TEXT_FIELDS:
        if draw(st.booleans()):  # some copies do not carry every field
            lead[field] = draw(text_value)
    if draw(st.booleans()):
        lead["tags"] = draw(tag_lists)
    if draw(st.booleans()):
        lead["customFields"] = draw(custom_maps)
    return lead


@st.composite
def edits_of(draw, original: dict) -> dict:
    """An edited copy: some fields kept, some changed, some cleared."""
    edited = dict(original)
    for field in TEXT_FIELDS:
        choice = draw(st.sampled_from(["keep", "keep", "change", "clear", "drop"]))
        if choice == "change":
            edited[field] = draw(text_value)
        elif choice == "clear":
            edited[field] = draw(st.sampled_from([None, ""]))
        elif choice == "drop":
            edited.pop(field, None)
    if draw(st.booleans()):
        edited["tags"] = draw(tag_lists)
    if draw(st.booleans()):
        cf = dict(original.get("customFields") or {})
        for key in list(cf):
            action = draw(st.sampled_from(["keep", "change", "remove"]))
            if action == "change":
                cf[key] = draw(st.text(max_size=8))
            elif action == "remove":
                del cf[key]
        cf.update(draw(custom_maps))
        edited["customFields"] = cf
    if draw(st.booleans()):
        edited["email"] = draw(st.emails())  # the screen never lets this change; still never sent
    return edited


def normalised(lead: dict) -> dict:
    """The value the server would hold, with "no value" spelled one way."""
    out = {}
    for field in TEXT_FIELDS:
        value = lead.get(field)
        out[field] = None if value == "" else value
    out["tags"] = list(lead.get("tags") or [])
    out["customFields"] = dict(lead.get("customFields") or {})
    return out


@st.composite
def pairs(draw) -> tuple[dict, dict]:
    original = draw(leads())
    return original, draw(edits_of(original))


@given(pairs())
def test_applying_the_patch_gives_the_edited_lead(pair):
    original, edited = pair
    patch = build_patch(original, edited)
    assert normalised(apply_patch(original, patch)) == normalised(edited)


@given(pairs())
def test_no_unchanged_key_is_ever_sent(pair):
    original, edited = pair
    patch = build_patch(original, edited)
    before, after = normalised(original), normalised(edited)
    assert "email" not in patch
    for key, value in patch.items():
        if key == "customFields":
            for field, field_value in value.items():
                assert before["customFields"].get(field) != field_value
                if field_value is None:
                    assert field in before["customFields"]
                    assert field not in after["customFields"]
        else:
            assert before[key] != after[key]


@given(leads())
def test_identical_inputs_give_an_empty_patch(lead):
    assert build_patch(lead, dict(lead)) == {}


def test_one_custom_value_changed():
    original = {"email": "a@b.co", "customFields": {"plan": "free", "seats": "3"}}
    edited = {"email": "a@b.co", "customFields": {"plan": "pro", "seats": "3"}}
    assert build_patch(original, edited) == {"customFields": {"plan": "pro"}}


def test_removed_key_is_sent_as_null_and_rename_is_delete_plus_add():
    original = {"customFields": {"old": "v", "keep": "k"}}
    edited = {"customFields": {"new": "v", "keep": "k"}}
    assert build_patch(original, edited) == {"customFields": {"new": "v", "old": None}}


def test_cleared_standard_field_is_null_and_blank_equals_missing():
    original = {"jobTitle": "CTO", "city": None}
    edited = {"jobTitle": "", "city": ""}
    assert build_patch(original, edited) == {"jobTitle": None}


def test_unknown_field_left_empty_is_not_sent():
    # A list row carries no phone; the empty phone box must not clear it on the server.
    assert build_patch({"firstName": "Ann"}, {"firstName": "Ann", "phone": ""}) == {}
    assert build_patch({"firstName": "Ann"}, {"firstName": "Ann", "phone": "+1 555"}) == {
        "phone": "+1 555"
    }


def test_tags_are_sent_whole_only_when_changed():
    assert build_patch({"tags": ["a", "b"]}, {"tags": ["a", "b"]}) == {}
    assert build_patch({"tags": ["a"]}, {"tags": ["a", "c"]}) == {"tags": ["a", "c"]}
    assert build_patch({"tags": ["a"]}, {"tags": []}) == {"tags": []}
    assert build_patch({}, {"tags": []}) == {}


def test_email_is_never_sent():
    assert build_patch({"email": "a@b.co"}, {"email": "other@b.co"}) == {}


def test_describe_patch_marks_each_change():
    patch = {"jobTitle": "VP", "city": None, "customFields": {"a": "1", "b": None}}
    assert describe_patch(patch) == [
        ("~", "jobTitle"),
        ("-", "city"),
        ("~", "customFields.a"),
        ("-", "customFields.b"),
    ]


def test_describe_patch_with_the_baseline_marks_additions_as_the_grid_does():
    baseline = {"tags": ["alpha", "beta"], "customFields": {"b": "2"}}
    patch = {"tags": ["alpha", "vip"], "customFields": {"a": "1", "b": None}}
    assert describe_patch(patch, baseline) == [
        ("+", "tags: vip"),
        ("-", "tags: beta"),
        ("+", "customFields.a"),
        ("-", "customFields.b"),
    ]


@given(pairs())
def test_a_patch_is_applied_to_its_result_and_not_before(pair):
    from sendkit_tui.domain.patch import is_applied

    original, edited = pair
    patch = build_patch(original, edited)
    assert is_applied(apply_patch(original, patch), patch)
    if patch:
        assert not is_applied(original, patch)
