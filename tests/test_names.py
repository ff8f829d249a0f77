"""Name lookup at its edges: case and spaces, the twelve names an ambiguous query lists, and
the five suggestions for an unknown one (found by mutation testing, see docs/testing.md)."""

from __future__ import annotations

import pytest

from taskctl.errors import NameLookupError
from taskctl.names import resolve

# 13 names sharing 住建 (zhu jian): more than the twelve an error message lists
THIRTEEN = [f"住建{c}" for c in "一二三四五六七八九十百千万"]


def lookup_error(query: str, names: list[str]) -> str:
    with pytest.raises(NameLookupError) as info:
        resolve(query, names, "部门")
    return info.value.message


def test_names_compare_without_case_and_spaces_and_come_back_normalized():
    assert resolve("5G专班", ["5G专班", "张辉"], "部门") == "5G专班"
    assert resolve("5g专班", ["5G专班", "5G专班办公室"], "部门") == "5G专班"  # whole, not part
    assert resolve("张辉", ["张 辉"], "责任领导") == "张辉"
    assert resolve("张　辉", ["张辉", "张辉明"], "责任领导") == "张辉"


@pytest.mark.parametrize("count", [12, 13])
def test_an_ambiguous_query_lists_at_most_twelve_names(count):
    names = sorted(THIRTEEN[:count])
    listed = "、".join(names[:12]) + ("…" if count > 12 else "")
    assert (
        lookup_error("住建", THIRTEEN[:count]) == f"「住建」对应多个部门：{listed}；请写得更完整些"
    )


@pytest.mark.parametrize("count", [12, 13])
def test_an_ambiguous_pinyin_query_lists_at_most_twelve_names(count):
    message = lookup_error("zj", THIRTEEN[:count])
    assert message.startswith("「zj」对应多个部门：住建一（zhu jian yi）、")
    assert message.count("（zhu jian ") == 12
    assert message.endswith("…；请写得更完整些" if count > 12 else "）；请写得更完整些")


def test_an_unknown_name_suggests_the_five_closest_even_when_typed_with_spaces():
    names = ["住建局", "住建委", "住房局", "住建办", "住建所", "住建站", "住建处"]
    message = lookup_error("住  建   厅", names)
    assert message.startswith("没有名为「住  建   厅」的部门；相近的有：")
    suggested = message.split("相近的有：")[1].split("；")[0].split("、")
    assert len(suggested) == 5 and set(suggested) <= set(names)
