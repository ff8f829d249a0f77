"""Tests prompted by the mutants of taskctl/importers/split.py that survived issue 27's run
(scripts/mutate.py). Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

from taskctl.importers import read_source
from taskctl.importers.split import split_cell

CSV = """\
序号,年度任务目标,责任领导,牵头部门,责任部门,完成时限
1,新建5G基站200个,张辉,县工信局,"县发改局， 各乡镇、 街道",2023-06-30
2,改造老旧小区12个,李明,县住建局,"各乡镇 、街道",2023-12-31
3,新增学位1200个,李明,县教育局,"县财政局、城区、乡镇",2023-08-31
4,农村公路养护,王强,县交通运输局,"各乡镇人民政府
  县公路站",2023-12-31
"""


def test_unit_cells_split_as_a_reader_does(tmp_path):
    source = tmp_path / "2023年台账.csv"
    source.write_text(CSV, encoding="utf-8")
    tasks = read_source(source).tasklist.tasks
    assert [(t.departments, dict(t.extra)) for t in tasks] == [
        # 各乡镇、街道 is one name even with spaces around its parts
        (("县发改局", "各乡镇、街道"), {"责任部门原文": "县发改局， 各乡镇、 街道"}),
        (("各乡镇、街道",), {"责任部门原文": "各乡镇 、街道"}),
        # no 各: 城区 and 乡镇 are two names
        (("县财政局", "城区", "乡镇"), {"责任部门原文": "县财政局、城区、乡镇"}),
        # one name a line, a 各 inside a name: each line exactly as written, spaces and all
        (("各乡镇人民政府", "  县公路站"), {}),
    ]


def test_every_word_ending_in_deng_is_kept_whatever_the_order():
    # 三等 is the last of the words, 平等 the first: each is looked up on its own
    assert [split_cell(w) for w in ("三等", "平等", "高等")] == [("三等",), ("平等",), ("高等",)]
    assert split_cell("县一中、县二中等") == ("县一中", "县二中")
