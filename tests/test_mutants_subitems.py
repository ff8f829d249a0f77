"""Tests for the mutants of taskctl/subitems.py that survived issue 27's run."""

from __future__ import annotations

import datetime as dt

from taskctl.loader import loads
from taskctl.subitems import subitems

LIST = """\
标题: 2023年重点工作任务清单
年度: 2023
sections:
- 编号: 一
  标题: 城乡建设
  任务:
  - 序号: 5
    年度任务目标: 建成区级企业服务中心；开展“万人助万企”活动
    责任领导: [王强]
    牵头部门: [发改局, 工信局]
    责任部门: [工业园, 商务局]
    完成时限: 2023-09-30
    分项:
    - 年度任务目标: 建成区级企业服务中心
      牵头部门: 发改局
      责任部门: 工业园
      完成时限: 9月底前
    - 年度任务目标: 开展“万人助万企”活动
      责任领导: "　"
      牵头部门: "  "
      责任部门: 商务局
      完成时限: " "
"""


def test_a_blank_cell_of_a_subitem_is_the_items():
    tasklist = loads(LIST)
    first, second = subitems(tasklist.task(5), tasklist.year)
    assert (first.lead_departments, first.departments) == (("发改局",), ("工业园",))
    # cells of spaces (a merged cell read as blanks) stand for the item's
    assert second.leaders == ("王强",)
    assert second.lead_departments == ("发改局", "工信局")
    assert second.departments == ("商务局",)
    assert (first.deadline, second.deadline) == (dt.date(2023, 9, 30), dt.date(2023, 9, 30))


def test_a_trailing_comma_or_a_blank_piece_names_nothing():
    from taskctl.subitems import split_targets

    assert split_targets(["5.1， ", " ,5.2"]) == ([], [(5, 1), (5, 2)])
    assert split_targets(["5.1, 7,  "]) == ([" 7"], [(5, 1)])
