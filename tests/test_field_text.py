"""The grid's bulk text: ``name: value`` lines, read back exactly, problems named by line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sendkit_tui.domain.field_text import format_fields, parse_fields

NAMES = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=":"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
VALUES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)


@settings(derandomize=True, max_examples=200)
@given(st.dictionaries(NAMES, VALUES, max_size=8))
def test_what_is_written_reads_back_the_same(fields):
    parsed, problems = parse_fields(format_fields(fields))
    assert problems == [] and parsed == fields


def test_each_wrong_line_is_named_and_nothing_is_taken_from_it():
    fields, problems = parse_fields("a: 1\n\nno colon\n: 2\na: again\nurl: https://x.io")
    assert fields == {"a": "1", "url": "https://x.io"}
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5"]
