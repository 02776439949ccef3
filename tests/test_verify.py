"""verify: every save is compared field by field with SendKit's answer; nothing that did not
take is reported as saved, and nothing that did take is reported as a problem."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sendkit_tui.domain import verify as v
from sendkit_tui.domain.adapt import adapt_patch, suggest_adaptations
from sendkit_tui.domain.patch import apply_patch, build_patch
from sendkit_tui.domain.rules import TEXT_FIELDS, normalize_tags
from sendkit_tui.domain.verify import verify_create, verify_patch
from sendkit_tui.sandbox.dialects import NAMES, patch_in_dialect

PROPERTY = settings(max_examples=150, derandomize=True, deadline=None)
# Which kinds each dialect may produce, and which it produces in an example below.
DIALECT_KINDS = {
    "null-ignored": {v.NOT_DELETED},
    "null-stored": {v.STORED_EMPTY, v.NOT_DELETED},  # NOT_DELETED: the old value was empty
    "empty-deletes": {v.NOT_DELETED, v.DROPPED},
    "phone-number-only": {v.PHONE_NOT_APPLIED},
    "tags-merge": {v.TAGS_MERGED},
    "create-200": set(),
    "x-api-key-only": set(),
    "docs-only": set(),
}

text_value = st.one_of(st.none(), st.just(""), st.text("ab ", max_size=3))
tag_lists = st.lists(st.sampled_from(["vip", "new", "Hot", "eu"]), max_size=4).map(normalize_tags)
custom_keys = st.sampled_from(["budget", "plan", "seats", "region"])
custom_maps = st.dictionaries(custom_keys, st.sampled_from(["", "1", "2", "pro"]), max_size=4)


@st.composite
def baselines(draw: Any) -> dict[str, Any]:
    """A lead as the edit screen holds it: what the server's copy carried."""
    lead: dict[str, Any] = {"email": "jane@example.com", "tags": draw(tag_lists)}
    for field in TEXT_FIELDS:
        if draw(st.booleans()):
            lead[field] = draw(text_value)
    lead["customFields"] = draw(custom_maps)
    return lead


@st.composite
def saves(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(baseline, minimal patch) for a non-empty edit."""
    baseline = draw(baselines())
    edited = dict(baseline)
    for field in draw(st.sets(st.sampled_from(TEXT_FIELDS), max_size=4)):
        edited[field] = draw(text_value)
    if draw(st.booleans()):
        edited["tags"] = draw(tag_lists)
    custom = {k: val for k, val in baseline["customFields"].items() if draw(st.booleans())}
    custom.update(draw(custom_maps))
    edited["customFields"] = custom
    patch = build_patch(baseline, edited)
    assume(patch)
    return baseline, patch


def in_dialect(name: str, baseline: dict[str, Any], wire: dict[str, Any]) -> dict[str, Any]:
    """The lead a sandbox playing ``name`` answers, in the request shape."""
    answer = patch_in_dialect(frozenset({name}), baseline, wire, apply_patch)
    custom = answer.get("customFields") or {}
    return {**answer, "customFields": {k: "" if val is None else val for k, val in custom.items()}}


def blank(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value


def mismatching(baseline: dict, patch: dict, answer: dict) -> set[str]:
    """The reference: fields whose value differs from what an exact server would hold."""
    exact = apply_patch(baseline, patch)
    found = set()
    for field in patch:
        if field == "tags":
            if {t.casefold() for t in exact["tags"]} != {t.casefold() for t in answer["tags"]}:
                found.add("tags")
        elif field == "customFields":
            want, got = exact["customFields"], answer["customFields"]
            for key in set(want) | set(got):
                if (key in want) != (key in got) or (want.get(key) or "") != (got.get(key) or ""):
                    found.add(f"customFields.{key}")
        elif blank(exact.get(field)) != blank(answer.get(field)):
            found.add(field)
    return found


# --- properties --------------------------------------------------------------------------------


@PROPERTY
@given(saves())
def test_an_exact_server_leaves_nothing_to_report(save):
    baseline, patch = save
    result = verify_patch(baseline, patch, apply_patch(baseline, patch))
    assert result.complete, result
    assert suggest_adaptations(result.discrepancies) == []


@PROPERTY
@given(save=saves(), name=st.sampled_from(NAMES))
def test_each_dialect_is_caught_on_exactly_the_fields_that_did_not_take(save, name):
    baseline, patch = save
    answer = in_dialect(name, baseline, patch)
    result = verify_patch(baseline, patch, answer)
    assert set(result.fields) == mismatching(baseline, patch, answer)
    assert len(result.fields) == len(set(result.fields))
    assert {d.kind for d in result.discrepancies} <= DIALECT_KINDS[name]
    assert result.unchecked == ()
    assert all(d.message for d in result.discrepancies)


@PROPERTY
@given(save=saves(), name=st.sampled_from(NAMES))
def test_adapting_to_what_was_learnt_never_reports_a_failed_change_as_saved(save, name):
    """Second save with the suggested adaptations: still exactly the fields that did not take."""
    baseline, patch = save
    first = verify_patch(baseline, patch, in_dialect(name, baseline, patch))
    traits = {a.trait: a.value for a in suggest_adaptations(first.discrepancies)}
    wire = adapt_patch(patch, traits, baseline)
    answer = in_dialect(name, baseline, wire)
    result = verify_patch(baseline, patch, answer, wire=wire)
    assert set(result.fields) == mismatching(baseline, patch, answer)


@PROPERTY
@given(save=saves())
def test_fields_the_answer_did_not_carry_are_unchecked_not_passed(save):
    baseline, patch = save
    answer = apply_patch(baseline, patch)
    carried = {"tags"}
    result = verify_patch(baseline, patch, answer, carried=carried)
    expected = [f for f in patch if f not in ("tags", "customFields")]
    expected += [f"customFields.{k}" for k in patch.get("customFields", {})]
    assert sorted(result.unchecked) == sorted(expected)
    assert result.complete == (not expected)


# --- examples: the messages and kinds the screens show ---------------------------------------

BASE = {
    "email": "jane@example.com",
    "jobTitle": "CTO",
    "phone": "+1 555 0100",
    "tags": ["vip", "eu"],
    "customFields": {"budget": "10k", "plan": "pro"},
}


def one(baseline: dict, patch: dict, name: str, **kw: Any) -> v.Discrepancy:
    wire = kw.pop("wire", patch)
    result = verify_patch(baseline, patch, in_dialect(name, baseline, wire), wire=wire, **kw)
    assert len(result.discrepancies) == 1, result
    return result.discrepancies[0]


def test_null_ignored_is_named_next_to_the_field():
    found = one(BASE, {"customFields": {"budget": None}}, "null-ignored")
    assert (found.field, found.kind, found.sent_as) == (
        "customFields.budget",
        "not_deleted",
        "null",
    )
    assert found.message == (
        "SendKit kept 'budget' although it was removed. "
        "This server may not delete custom fields with null."
    )
    (adaptation,) = suggest_adaptations([found])
    assert (adaptation.trait, adaptation.value) == ("custom_field_delete", "empty_string")


def test_empty_deletes_after_adapting_the_removal_is_complete():
    patch = {"customFields": {"budget": None}}
    first = verify_patch(BASE, patch, in_dialect("empty-deletes", BASE, patch))
    traits = {a.trait: a.value for a in suggest_adaptations(first.discrepancies)}
    wire = adapt_patch(patch, traits)
    assert wire == {"customFields": {"budget": ""}}
    assert verify_patch(BASE, patch, in_dialect("empty-deletes", BASE, wire), wire=wire).complete


def test_null_ignored_and_empty_kept_means_deleting_is_unsupported():
    patch = {"customFields": {"budget": None}}
    wire = {"customFields": {"budget": ""}}
    found = one(BASE, patch, "null-ignored", wire=wire)
    assert (found.kind, found.sent_as) == ("stored_empty", "empty")
    assert suggest_adaptations([found])[0].value == "unsupported"


def test_null_stored_says_the_field_was_kept_empty():
    found = one(BASE, {"customFields": {"plan": None}}, "null-stored")
    assert found.kind == "stored_empty"
    assert found.message.startswith("SendKit kept 'plan' as an empty field although it was removed")
    assert suggest_adaptations([found])[0].value == "unsupported"


def test_phone_number_only_suggests_and_then_uses_phone_number():
    patch = {"phone": "+1 555 0199"}
    found = one(BASE, patch, "phone-number-only")
    assert found.kind == "phone_not_applied"
    assert found.message == (
        "SendKit did not change the phone (still '+1 555 0100'). "
        "This server may take the phone as 'phoneNumber'."
    )
    traits = {a.trait: a.value for a in suggest_adaptations([found])}
    assert traits == {"phone_key": "phoneNumber"}
    wire = adapt_patch(patch, traits)
    assert wire == {"phoneNumber": "+1 555 0199"}
    answer = in_dialect("phone-number-only", BASE, wire)
    assert verify_patch(BASE, patch, answer, wire=wire).complete


def test_tags_merged_names_the_tags_that_stayed():
    found = one(BASE, {"tags": ["vip", "new"]}, "tags-merge")
    assert found.kind == "tags_merged"
    assert "kept 'eu', which were removed" in found.message
    assert suggest_adaptations([found])[0].trait == "tags_patch"
    assert adapt_patch({"tags": ["vip"]}, {"tags_patch": "merge"}) == {"tags": ["vip"]}


def test_a_server_that_replaces_custom_fields_loses_the_others():
    patch = {"customFields": {"budget": "20k"}}
    answer = {**BASE, "customFields": {"budget": "20k"}}  # "plan" is gone
    result = verify_patch(BASE, patch, answer)
    (found,) = result.discrepancies
    assert (found.field, found.kind) == ("customFields.plan", "lost")
    traits = {a.trait: a.value for a in suggest_adaptations([found])}
    wire = adapt_patch({"customFields": {"budget": "20k", "plan": None}}, traits, BASE)
    assert wire == {"customFields": {"budget": "20k"}}


@pytest.mark.parametrize(
    ("got", "kind"),
    [("CTO", "not_changed"), (None, "dropped"), ("", "dropped"), ("Chief", "changed_differently")],
)
def test_standard_field_kinds(got, kind):
    result = verify_patch(BASE, {"jobTitle": "VP"}, {**BASE, "jobTitle": got})
    assert [(d.field, d.kind) for d in result.discrepancies] == [("jobTitle", kind)]


def test_a_clear_that_did_not_take_says_so():
    (found,) = verify_patch(BASE, {"jobTitle": None}, BASE).discrepancies
    assert found.message == (
        "SendKit kept the job title ('CTO') although it was cleared. "
        "This server may not clear fields with null."
    )


def test_spaces_and_tag_order_are_not_discrepancies():
    answer = {**BASE, "jobTitle": "VP ", "tags": ["New", "vip"]}
    assert verify_patch(BASE, {"jobTitle": "VP", "tags": ["vip", "new"]}, answer).complete


def test_server_values_in_messages_are_sanitised():
    answer = {**BASE, "jobTitle": "\x1b]52;c;evil\x07\u202e"}
    (found,) = verify_patch(BASE, {"jobTitle": "VP"}, answer).discrepancies
    assert "\x1b" not in found.message and "\u202e" not in found.message
    assert "\\x1b" in found.message and "<U+202E>" in found.message


def test_create_checks_every_field_sent():
    body = {
        "email": "Jane@Example.com",
        "phone": "+1 555 0100",
        "firstName": "",
        "tags": ["vip"],
        "customFields": {"plan": "pro"},
    }
    answer = {"email": "jane@example.com", "phone": None, "tags": ["vip"], "customFields": {}}
    result = verify_create(body, answer)
    assert [(d.field, d.kind) for d in result.discrepancies] == [
        ("phone", "phone_not_applied"),
        ("customFields.plan", "dropped"),
    ]
    assert result.discrepancies[0].message.startswith("SendKit did not save the phone.")
    assert result.summary() == "2 changes did not take."
    exact = {"email": "jane@example.com", "phone": "+1 555 0100", "tags": ["vip"],
             "customFields": {"plan": "pro"}}  # fmt: skip
    assert verify_create(body, exact).complete


def test_create_with_another_email_and_partial_answer():
    result = verify_create(
        {"email": "a@example.com", "city": "Rome"}, {"email": "b@example.com"}, carried={"email"}
    )
    assert [d.kind for d in result.discrepancies] == ["changed_differently"]
    assert result.unchecked == ("city",)
    assert result.summary() == (
        "1 change did not take; 1 could not be checked in SendKit's answer."
    )


def test_every_dialect_has_its_kinds_listed():
    assert set(DIALECT_KINDS) == set(NAMES)
    assert set().union(*DIALECT_KINDS.values()) <= set(v.KINDS)
