"""The per-lead plan of a bulk edit and its undo (domain/bulk_edit.py), property-tested."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.bulk_edit import BulkOp, Change, before_of, plan, undo_patch
from sendkit_tui.domain.patch import apply_patch

TAG = st.sampled_from(["vip", "VIP", "q4", "Event", "event", "lead", "a b", "x"])
KEY = st.sampled_from(["budget", "source", "Budget", "size"])
VALUE = st.sampled_from(["", "1", "10k", "expo"])


@st.composite
def leads(draw):
    tags = draw(st.lists(TAG, max_size=6))
    folded, unique = set(), []
    for tag in tags:
        if tag.casefold() not in folded:
            folded.add(tag.casefold())
            unique.append(tag)
    fields = draw(st.dictionaries(KEY, VALUE, max_size=4))
    return {"tags": unique, "customFields": fields}


OPS = st.one_of(
    st.builds(BulkOp.add_tags, st.lists(TAG, min_size=1, max_size=3)),
    st.builds(BulkOp.remove_tags, st.lists(TAG, min_size=1, max_size=3)),
    st.builds(BulkOp.set_field, KEY, VALUE),
    st.builds(BulkOp.delete_field, KEY),
)


@given(leads(), OPS)
def test_plan_then_undo_restores_the_lead_exactly(lead, op):
    patch = plan(op, lead)
    if patch is None:
        return
    after = apply_patch(lead, patch)
    change = Change("0" * 24, before_of(op.field, lead, patch), patch)
    undo = undo_patch(change, after)
    assert undo is not None
    assert apply_patch(after, undo) == lead


@given(leads(), OPS)
def test_no_patch_exactly_when_nothing_would_change(lead, op):
    patch = plan(op, lead)
    if patch is None:
        # Nothing to send: the operation already holds for this lead.
        tags = {t.casefold() for t in lead["tags"]}
        if op.kind == "add_tags":
            assert {t.casefold() for t in op.tags} <= tags
        elif op.kind == "remove_tags":
            assert not ({t.casefold() for t in op.tags} & tags)
        elif op.kind == "set_field":
            assert lead["customFields"].get(op.key) == op.value
        else:
            assert op.key not in lead["customFields"]
    else:
        assert apply_patch(lead, patch) != lead
        assert set(patch) == {op.field}  # the minimal PATCH touches only its own field


@given(leads(), OPS)
def test_applying_twice_sends_nothing_the_second_time(lead, op):
    patch = plan(op, lead)
    after = apply_patch(lead, patch) if patch else lead
    assert plan(op, after) is None


@given(leads(), OPS, st.lists(TAG, max_size=2))
def test_undo_keeps_tags_someone_else_added_meanwhile(lead, op, theirs):
    patch = plan(op, lead)
    if patch is None or "tags" not in patch:
        return
    after = apply_patch(lead, patch)
    have = {t.casefold() for t in after["tags"]}
    extra = [t for t in dict.fromkeys(theirs) if t.casefold() not in have]
    extra = [
        t for i, t in enumerate(extra) if t.casefold() not in {e.casefold() for e in extra[:i]}
    ]
    now = {**after, "tags": after["tags"] + extra}
    change = Change("0" * 24, before_of("tags", lead, patch), patch)
    undo = undo_patch(change, now)
    result = apply_patch(now, undo) if undo else now
    folds = {t.casefold() for t in result["tags"]}
    assert {t.casefold() for t in extra} <= folds
    assert {t.casefold() for t in lead["tags"]} <= folds


def test_set_field_undo_leaves_a_value_someone_else_changed_since():
    lead = {"tags": [], "customFields": {"budget": "1"}}
    op = BulkOp.set_field("budget", "2")
    patch = plan(op, lead)
    assert patch == {"customFields": {"budget": "2"}}
    change = Change("0" * 24, before_of(op.field, lead, patch), patch)
    assert undo_patch(change, {"tags": [], "customFields": {"budget": "3"}}) is None
    assert undo_patch(change, {"tags": [], "customFields": {"budget": "2"}}) == {
        "customFields": {"budget": "1"}
    }


def test_problems_of_an_operation_are_named():
    assert BulkOp.add_tags([]).problem() == "Name at least one tag."
    assert BulkOp.set_field(" ", "x").problem() == "A custom field needs a name."
    assert BulkOp.add_tags(["ok"]).problem() is None
