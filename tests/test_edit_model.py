"""LeadEdit: one model per form; its patch, markers, undo and drafts always agree."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from sendkit_tui.domain.edit_model import LeadEdit, plural
from sendkit_tui.domain.patch import apply_patch, build_patch
from sendkit_tui.domain.rules import STANDARD_FIELDS, TEXT_FIELDS

BASE: dict[str, Any] = {
    "email": "ann@example.com",
    "firstName": "Ann",
    "lastName": None,
    "tags": ["vip", "hot", "q4"],
    "customFields": {"a": "1", "b": "2", "c": "3"},
}

# Small pools, so sequences collide: same keys, tags in other cases, invalid input.
TEXTS = ["", "  ", "Bob", " Bob ", "Ann", "x" * 1001]
TAGS = ["vip", "VIP", "hot", "q4", "cold", " new ", "a,b", "", "x" * 65]
KEYS = ["a", "b", "c", "z", " a "]
VALUES = ["", "1", "2", "x y"]

base_tags = st.lists(st.sampled_from(["vip", "Hot", "q4", "cold"]), unique_by=str.casefold)
base_custom = st.dictionaries(st.sampled_from(["a", "b", "c", "e"]), st.sampled_from(VALUES[1:]))
some_fields = {name: st.sampled_from([None, "", "Ann", " Bob "]) for name in TEXT_FIELDS}
# A fresher copy may be partial (a list row carries no custom fields).
copies = st.fixed_dictionaries(
    {"email": st.just("ann@example.com")},
    optional={**some_fields, "tags": base_tags, "customFields": base_custom},
)
# Forms start mostly from full copies with tags and custom fields, sometimes as create forms.
starts = st.one_of(
    st.fixed_dictionaries(
        {
            "email": st.just("ann@example.com"),
            "tags": base_tags.filter(bool),
            "customFields": base_custom.filter(lambda fields: len(fields) > 1),
        },
        optional=some_fields,
    ),
    copies,
    st.none(),
)
targets = st.sampled_from([*KEYS, 0, 2])


def blank(value: Any) -> Any:
    return None if value == "" else value


def sent(model: LeadEdit) -> dict[str, Any]:
    values = model.values()
    values.pop("email")
    return values


def check_markers(model: LeadEdit) -> None:
    """Every marker says what the patch sends, and the patch holds nothing unmarked."""
    patch = model.patch()
    changed = patch.get("customFields", {})
    base = (model.baseline or {}).get("customFields") or {}
    accounted: set[str] = set()
    for marker, key, value, original in model.rows():
        assert original is None or original in base
        if marker in " -":
            assert base[key] == value  # unchanged and deleted rows show the server's value
        if marker in "+~":
            assert changed[key] == value
            accounted.add(key)
        if marker == "+":
            assert original is None
        if marker == "~" and original != key:
            assert original is not None and changed[original] is None
            accounted.add(original)
        if marker == "-":
            assert key == original and changed[key] is None
            accounted.add(key)
        if marker == " ":
            assert key not in changed
    assert set(changed) == accounted
    entries = model.tag_entries()
    assert any(m in "+-" for m, _ in entries) == ("tags" in patch)
    assert [t for m, t in entries if m != "-"] == model.tags()


def undo_everything(model: LeadEdit, baseline: dict[str, Any]) -> LeadEdit:
    twin = copy.deepcopy(model)
    while twin.can_undo:
        assert twin.undo() is not None
    assert twin.undo() is None
    for name in STANDARD_FIELDS:
        twin.set_field(name, "" if baseline.get(name) is None else baseline[name])
    return twin


def restore_everything(model: LeadEdit, baseline: dict[str, Any]) -> LeadEdit:
    twin = copy.deepcopy(model)
    for marker, tag in twin.tag_entries():
        if marker != " ":
            assert (twin.restore_tag if marker == "-" else twin.remove_tag)(tag)
    for marker, key, _, original in list(twin.rows()):
        if marker != " ":
            assert twin.restore_custom(original if original is not None else key)
    for name in STANDARD_FIELDS:
        twin.set_field(name, "" if baseline.get(name) is None else baseline[name])
    return twin


class LeadEditMachine(RuleBasedStateMachine):
    model: LeadEdit
    baseline: dict[str, Any]

    @initialize(base=starts)
    def start(self, base: dict[str, Any] | None) -> None:
        self.model = LeadEdit(base)
        self.baseline = base or {}

    @rule(name=st.sampled_from(STANDARD_FIELDS), text=st.sampled_from(TEXTS))
    def set_field(self, name: str, text: str) -> None:
        self.model.set_field(name, text)
        assert self.model.text(name) == text

    @rule(text=st.sampled_from(TAGS))
    def add_tag(self, text: str) -> None:
        before = self.model.tag_entries()
        problem = self.model.add_tag(text)
        if problem is None:
            assert text.strip().casefold() in {t.casefold() for t in self.model.tags()}
        else:
            assert self.model.tag_entries() == before

    @rule(pieces=st.lists(st.sampled_from(TAGS), max_size=4), sep=st.sampled_from([",", ";", ", "]))
    def add_tags_from_text(self, pieces: list[str], sep: str) -> None:
        self.model.add_tags_from_text(sep.join(pieces))

    @rule(tag=st.sampled_from(TAGS))
    def remove_tag(self, tag: str) -> None:
        self.model.remove_tag(tag)
        assert tag.strip().casefold() not in {t.casefold() for t in self.model.tags()}

    @rule(tag=st.sampled_from(TAGS))
    def restore_tag(self, tag: str) -> None:
        self.model.restore_tag(tag)

    @rule(index=st.integers(min_value=-1, max_value=7))
    def toggle_tag(self, index: int) -> None:
        self.model.toggle_tag(index)

    @rule(data=st.data())
    def reorder_tags(self, data: st.DataObject) -> None:
        before, tags = self.model.patch(), self.model.tags()
        self.model.set_tags(data.draw(st.permutations(tags)))
        assert self.model.patch() == before and self.model.tags() == tags

    @rule(key=st.sampled_from([*KEYS, ""]), value=st.sampled_from(VALUES))
    def add_custom(self, key: str, value: str) -> None:
        problem = self.model.add_custom(key, value)
        if problem is None:
            assert self.model.custom_fields()[key.strip()] == value

    @rule(row=targets, value=st.sampled_from(VALUES))
    def set_custom_value(self, row: int | str, value: str) -> None:
        self.model.set_custom_value(row, value)

    @rule(old=targets, new=st.sampled_from(KEYS))
    def rename_custom(self, old: int | str, new: str) -> None:
        live = self.model.custom_fields()
        value = live.get(old) if isinstance(old, str) else None
        if self.model.rename_custom(old, new) is None and value is not None:
            assert self.model.custom_fields()[new.strip()] == value
            assert old == new.strip() or old not in self.model.custom_fields()

    @rule(row=targets, key=st.sampled_from(KEYS), value=st.sampled_from(VALUES))
    def edit_custom(self, row: int | str, key: str, value: str) -> None:
        self.model.edit_custom(row, key, value)

    @rule(row=targets)
    def delete_custom(self, row: int | str) -> None:
        if self.model.delete_custom(row) and isinstance(row, str):
            assert row not in self.model.custom_fields()

    @rule(row=targets)
    def restore_custom(self, row: int | str) -> None:
        self.model.restore_custom(row)

    @precondition(lambda self: self.model.can_undo)
    @rule()
    def undo_then_redo(self) -> None:
        done = (self.model.tag_entries(), self.model.rows())
        assert self.model.undo()
        assert self.model.redo()
        assert (self.model.tag_entries(), self.model.rows()) == done
        assert self.model.undo()

    @precondition(lambda self: self.model.can_redo)
    @rule()
    def redo(self) -> None:
        assert self.model.redo()

    @rule(fresh=copies)
    def rebase(self, fresh: dict[str, Any]) -> None:
        """A fresher copy arrives: the user's changes survive, the rest follows the server."""
        model = self.model
        texts = {name: model.text(name) for name in STANDARD_FIELDS}
        touched = model.touched
        removed = {t.casefold() for m, t in model.tag_entries() if m == "-"}
        added = {t.casefold() for m, t in model.tag_entries() if m == "+"}
        changed = {k: v for m, k, v, _ in model.rows() if m in "+~"}
        deleted = {k for m, k, _, _ in model.rows() if m == "-"}
        model.rebase(fresh)
        self.baseline = fresh = {**self.baseline, **fresh}  # what the copy lacks is kept
        for name in STANDARD_FIELDS:
            expected = texts[name] if name in touched else (fresh.get(name) or "")
            assert model.text(name) == expected
        now = {t.casefold() for t in model.tags()}
        fresh_tags = {t.casefold() for t in fresh.get("tags") or []}
        assert added <= now and not (removed & fresh_tags & now)
        live = model.custom_fields()
        assert all(live[k] == v for k, v in changed.items())
        assert not (deleted & set(live))

    @invariant()
    def patch_is_build_patch(self) -> None:
        assert self.model.patch() == build_patch(self.baseline, sent(self.model))

    @invariant()
    def applying_the_patch_gives_the_values(self) -> None:
        values = sent(self.model)
        merged = apply_patch(self.baseline, self.model.patch())
        for name in TEXT_FIELDS:
            assert blank(merged.get(name)) == values[name]
        assert list(merged.get("tags") or []) == values["tags"]
        assert dict(merged.get("customFields") or {}) == values["customFields"]

    @invariant()
    def markers_agree_with_the_patch(self) -> None:
        check_markers(self.model)
        patch = self.model.patch()
        assert self.model.change_count() == len(patch) + len(patch.get("customFields", {})) - (
            1 if "customFields" in patch else 0
        )

    @invariant()
    def keys_and_tags_stay_valid(self) -> None:
        keys = list(self.model.custom_fields())
        assert all(k and k == k.strip() for k in keys)
        tags = [t.casefold() for t in self.model.tags()]
        assert len(tags) == len(set(tags))

    @invariant()
    def draft_round_trip(self) -> None:
        self.model.pending_tag, self.model.pending_key = "half typ", " k"
        saved = json.loads(json.dumps(self.model.to_draft()))
        twin = LeadEdit.from_draft(saved, self.model.baseline)
        assert twin.values() == self.model.values()
        assert twin.rows() == self.model.rows()
        assert twin.tag_entries() == self.model.tag_entries()
        assert (twin.pending_tag, twin.pending_key, twin.pending_value) == ("half typ", " k", "")
        assert twin.to_draft() == saved

    @invariant()
    def undoing_or_restoring_everything_sends_nothing(self) -> None:
        assert undo_everything(self.model, self.baseline).patch() == {}
        assert restore_everything(self.model, self.baseline).patch() == {}


LeadEditMachine.TestCase.settings = settings(
    derandomize=True, max_examples=100, stateful_step_count=40, deadline=None
)
TestLeadEditMachine = LeadEditMachine.TestCase


# -- examples ------------------------------------------------------------------------------------


def test_remove_and_restore_a_tag_sends_nothing_and_puts_it_back_in_place() -> None:
    model = LeadEdit(BASE)
    assert model.remove_tag("hot")
    assert model.patch() == {"tags": ["vip", "q4"]}
    assert model.tag_entries() == [(" ", "vip"), ("-", "hot"), (" ", "q4")]
    assert model.undo() == "restored tag 'hot'" and model.patch() == {}
    assert model.redo() == "removed tag 'hot'" and not model.can_redo
    assert model.restore_tag("hot")
    assert model.patch() == {}
    assert model.tags().index("hot") == 1


def test_removing_then_adding_a_tag_in_another_case_restores_the_original() -> None:
    model = LeadEdit(BASE)
    model.remove_tag("vip")
    assert model.add_tag("VIP") is None
    assert model.tags() == ["vip", "hot", "q4"] and model.patch() == {}
    assert model.add_tag("Vip") == "The tag 'Vip' is already there."


def test_reorder_alone_is_no_change() -> None:
    model = LeadEdit(BASE)
    model.set_tags(["q4", "vip", "hot"])
    assert model.patch() == {} and model.summary() == "No changes"
    assert not model.can_undo


def test_tags_from_text_split_on_commas_and_semicolons() -> None:
    model = LeadEdit(BASE)
    model.remove_tag("vip")
    assert model.add_tags_from_text("hot, q5;; new ,") == [
        ("hot", "The tag 'hot' is already there.")
    ]
    assert model.add_tags_from_text("a; b, c") == []
    assert model.patch() == {"tags": ["hot", "q4", "q5", "new", "a", "b", "c"]}
    assert model.undo() == "removed tags 'a', 'b', 'c'"


def test_added_tags_go_last_and_the_list_sent_keeps_baseline_order() -> None:
    model = LeadEdit(BASE)
    model.add_tag("new")
    model.remove_tag("vip")
    model.restore_tag("vip")
    assert model.tag_entries() == [(" ", "vip"), (" ", "hot"), (" ", "q4"), ("+", "new")]
    assert model.patch() == {"tags": ["vip", "hot", "q4", "new"]}


def test_rename_in_one_call_sends_the_old_key_as_null() -> None:
    model = LeadEdit(BASE)
    assert model.rename_custom("a", " z ") is None
    assert model.patch() == {"customFields": {"z": "1", "a": None}}
    assert model.rows()[0] == ("~", "z", "1", "a")
    assert model.rename_custom("z", "b") == "There is already a field named 'b'."
    assert model.undo() == "renamed 'z' back to 'a'"
    assert model.patch() == {}


def test_rename_onto_a_deleted_key_gives_that_key_the_value() -> None:
    model = LeadEdit(BASE)
    model.delete_custom("a")
    assert model.rename_custom("b", "a") is None
    assert model.rows()[:2] == [("~", "a", "2", "a"), ("-", "b", "2", "b")]
    assert model.patch() == {"customFields": {"a": "2", "b": None}}


def test_deleting_then_adding_a_key_again_is_a_value_change() -> None:
    model = LeadEdit(BASE)
    model.delete_custom("b")
    assert model.rows()[1] == ("-", "b", "2", "b")
    assert model.add_custom("b", "9") is None
    assert model.rows()[1] == ("~", "b", "9", "b") and len(model.rows()) == 3
    assert model.change_count() == 1


def test_undo_of_deleting_an_added_row_brings_it_back() -> None:
    model = LeadEdit(BASE)
    model.add_custom("plan", "pro")
    assert model.delete_custom("plan")
    assert "plan" not in model.custom_fields()
    assert model.undo() == "restored field 'plan'"
    assert model.rows()[-1] == ("+", "plan", "pro", None)
    assert model.redo() == "deleted field 'plan'"
    assert model.rows()[-1][1] == "c"


def test_keys_are_checked_like_the_grid() -> None:
    model = LeadEdit(BASE)
    assert model.add_custom("  ", "x") == "A custom field needs a name."
    assert model.add_custom(" a ", "x") == "There is already a field named 'a'."
    assert model.check_custom("a", "x", "a") is None
    assert model.set_custom_value("missing", "x") == "There is no field named 'missing'."


def test_rebase_keeps_touched_fields_and_the_users_changes() -> None:
    model = LeadEdit(BASE)
    model.set_field("lastName", "Lee")
    model.remove_tag("hot")
    model.set_custom_value("a", "10")
    fresh = {
        **BASE,
        "firstName": "Anne",
        "lastName": "Smith",
        "tags": ["q4", "hot", "vip", "new"],
        "customFields": {"a": "1", "b": "22", "d": "4"},
    }
    model.rebase(fresh)
    assert model.text("firstName") == "Anne" and model.text("lastName") == "Lee"
    assert model.patch() == {
        "lastName": "Lee",
        "tags": ["q4", "vip", "new"],
        "customFields": {"a": "10"},
    }
    assert model.undo() == "put back the value of 'a'"
    assert model.patch() == {"lastName": "Lee", "tags": ["q4", "vip", "new"]}


def test_mark_saved_keeps_what_was_typed_after_the_save_was_sent() -> None:
    model = LeadEdit(BASE)
    model.set_field("firstName", "Anna")
    sent_patch = model.patch()
    model.set_field("city", "Oslo")  # typed while the save was in flight
    model.mark_saved(apply_patch(BASE, sent_patch))
    assert model.patch() == {"city": "Oslo"} and model.touched == {"city"}
    assert not model.can_undo


def test_a_baseline_value_with_spaces_is_not_sent_back_trimmed() -> None:
    model = LeadEdit({**BASE, "companyName": " Acme "})
    assert model.patch() == {}
    model.set_field("companyName", " Acme")
    assert model.patch() == {"companyName": "Acme"}


def test_counts_and_plurals() -> None:
    model = LeadEdit(BASE)
    assert model.summary() == "No changes"
    model.set_field("firstName", "")
    assert model.summary() == "1 change" and model.field_marker("firstName") == "-"
    model.set_custom_value("a", "9")
    model.delete_custom("b")
    assert model.change_count() == 3 and model.summary() == "3 changes"
    assert [plural(n, "tag") for n in (0, 1, 2)] == ["0 tags", "1 tag", "2 tags"]


def test_draft_keeps_pending_text_and_renames() -> None:
    model = LeadEdit(BASE)
    model.rename_custom("a", "z")
    model.pending_tag, model.pending_key, model.pending_value = "ho", "plan", "pr"
    draft = model.to_draft()
    assert draft["_pendingTag"] == "ho" and draft["_pendingField"] == ["plan", "pr"]
    again = LeadEdit.from_draft(draft, BASE)
    assert again.rows() == model.rows() and again.patch() == model.patch()
    assert again.commit_pending() == {}
    assert again.custom_fields()["plan"] == "pr" and "ho" in again.tags()


def test_create_form_body_blank_and_problems() -> None:
    model = LeadEdit()
    assert model.is_blank() and not model.editing
    model.pending_tag = " "
    assert model.is_blank()
    model.pending_key = "k"
    assert not model.is_blank()
    model.set_field("email", "  Ann@Example.com ")
    model.set_field("phone", "call me")
    model.add_tag("vip")
    assert model.create_body() == {"email": "ann@example.com", "phone": "call me", "tags": ["vip"]}
    assert set(model.problems()) == {"phone"}
    assert model.tag_entries() == [("+", "vip")]


def test_edit_form_checks_only_what_it_sends() -> None:
    model = LeadEdit({**BASE, "phone": "not a phone"})
    assert model.problems() == {}
    model.set_field("linkedinUrl", "linkedin")
    assert set(model.problems()) == {"linkedinUrl"}


def test_deleting_a_renamed_row_whose_old_key_was_added_again_keeps_one_row() -> None:
    model = LeadEdit(BASE)
    model.rename_custom("a", "z")
    model.add_custom("a", "new")
    assert model.delete_custom("z")
    assert [r for r in model.rows() if r[1] == "a"] == [("~", "a", "new", "a")]
    assert model.patch() == {"customFields": {"a": "new"}}


def test_rebase_shows_a_deleted_row_with_the_fresh_value() -> None:
    model = LeadEdit(BASE)
    model.delete_custom("b")
    model.rebase({**BASE, "customFields": {"a": "1", "b": "20", "c": "3"}})
    assert model.rows()[1] == ("-", "b", "20", "b")
    assert model.patch() == {"customFields": {"b": None}}


def test_rebase_forgets_tag_changes_the_server_already_made() -> None:
    """Nothing hidden: a removal or addition the fresh copy already has is not kept."""
    model = LeadEdit(BASE)
    model.remove_tag("hot")
    model.add_tag("new")
    model.rebase({**BASE, "tags": ["vip", "q4", "new"]})
    assert model.tag_entries() == [(" ", "vip"), (" ", "q4"), (" ", "new")]
    model.rebase(BASE)
    assert model.patch() == {}


def test_rebase_onto_a_partial_copy_keeps_what_it_does_not_carry() -> None:
    model = LeadEdit(BASE)
    model.set_custom_value("a", "10")
    model.rebase({"email": BASE["email"], "firstName": "Anne", "tags": ["vip"]})
    assert model.rows()[1:] == [(" ", "b", "2", "b"), (" ", "c", "3", "c")]
    assert model.patch() == {"customFields": {"a": "10"}}
    assert model.text("firstName") == "Anne" and model.tags() == ["vip"]


def test_a_draft_with_junk_in_it_still_loads() -> None:
    junk = {"firstName": 5, "tags": "vip", "customFields": {" k ": 1, "": "x"}, "_pendingField": 3}
    model = LeadEdit.from_draft(junk, {"email": "a@b.co", "tags": "x", "customFields": [1]})
    assert model.text("firstName") == "5" and model.tags() == []
    assert model.rows() == [("+", "k", "1", None)]
