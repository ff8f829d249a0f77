"""TSV output: the whole-text fast path gives exactly what cleaning every cell gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.output import Column, _tsv_cell, printable, render_text

COLUMNS = [Column("a", "甲"), Column("b", "乙"), Column("c", "丙", numeric=True)]
CELL = st.one_of(
    st.none(),
    st.integers(-5, 200),
    st.lists(
        st.sampled_from(["中", "a", " ", "\t", "\n", "\r", "\x1b", "\x85", "\ud800", "%"])
    ).map("".join),
    st.lists(st.sampled_from(["住建局", "\t", "\n", "a\rb"]), max_size=3),
)


def cell_by_cell(records):
    rows = [[printable(c.text(r)) for c in COLUMNS] for r in records]
    return "".join("\t".join(_tsv_cell(cell) for cell in row) + "\n" for row in rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"a": CELL, "b": CELL, "c": CELL}), max_size=5))
def test_tsv_is_what_cleaning_each_cell_gives(records):
    assert render_text(records, COLUMNS, "tsv") == cell_by_cell(records)


def test_a_tab_or_line_break_inside_a_cell_becomes_a_space():
    records = [{"a": "一\t二", "b": "三\n四", "c": 5}, {"a": "\x1b[2J", "b": "五\r\n六", "c": None}]
    assert render_text(records, COLUMNS, "tsv") == "一 二\t三 四\t5\n\\x1b[2J\t五 六\t\n"


def test_a_cr_at_the_end_of_a_line_is_shown_not_lost():
    """A last cell ending in CR, then the next line: the CR and the line break must not be
    read together as one CRLF."""
    records = [{"a": "一", "b": "二", "c": "三\r"}, {"a": "四", "b": "", "c": 1}]
    assert render_text(records, COLUMNS, "tsv") == "一\t二\t三\\x0d\n四\t\t1\n"
