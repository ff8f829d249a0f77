"""Every cadence the office keeps: 周报, 月报, 季度通报, 年度总结, 进度通报 for any span; the year
report ranks units and leaders by completion and timeliness."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.errors import InputError
from taskctl.loader import loads
from taskctl.progress import Entry
from taskctl.report import (
    build_report,
    parse_month,
    parse_quarter,
    parse_year,
    period,
    period_name,
    render,
)

d = dt.date

# A small list laid out as a county's office keeps one: two units, three leaders, two deadlines.
LIST = """\
标题: 2024年《政府工作报告》重点任务分解清单
年度: 2024
sections:
- 编号: 一
  标题: 主要预期指标
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值增长6%
    责任领导: [王  强]
    牵头部门: [发改局]
    责任部门: [统计局]
  - 序号: 2
    年度任务目标: 完成老旧小区改造12个
    责任领导: [李明]
    牵头部门: [住建局]
    责任部门: [各镇街道]
    完成时限: 2024-06-30
  - 序号: 3
    年度任务目标: 新建城区供热管网8公里
    责任领导: [李明]
    牵头部门: [住建局]
    完成时限: 2024-10-31
  - 序号: 4
    年度任务目标: 引进亿元以上项目10个
    责任领导: [王  强, 赵红]
    牵头部门: [发改局]
"""


def entry(task_id: int, day: dt.date, status: str, progress: int | None = None) -> Entry:
    return Entry(task_id, day, status, progress, "", "督查室")


ENTRIES = [
    entry(1, d(2024, 6, 28), "序时推进", 55),
    entry(1, d(2024, 12, 20), "已完成", 100),
    entry(2, d(2024, 5, 20), "序时推进", 70),
    entry(2, d(2024, 7, 15), "已完成", 100),  # two weeks after its 完成时限
    entry(3, d(2024, 9, 30), "已完成", 100),
    entry(4, d(2024, 11, 30), "滞后", 60),
]


@pytest.mark.parametrize(
    ("parse", "text", "span"),
    [
        (parse_month, "2023-06", (d(2023, 6, 1), d(2023, 6, 30))),
        (parse_month, "2024年2月", (d(2024, 2, 1), d(2024, 2, 29))),
        (parse_month, "2023-12", (d(2023, 12, 1), d(2023, 12, 31))),
        (parse_quarter, "2023Q2", (d(2023, 4, 1), d(2023, 6, 30))),
        (parse_quarter, "2023-q4", (d(2023, 10, 1), d(2023, 12, 31))),
        (parse_year, "2023", (d(2023, 1, 1), d(2023, 12, 31))),
    ],
)
def test_periods_parse(parse, text, span):
    assert parse(text) == span


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_month, "2023-13", "月份「2023-13」应写成 2023-06"),
        (parse_month, "六月", "月份「六月」应写成 2023-06"),
        (parse_quarter, "2023Q5", "季度「2023Q5」应写成 2023Q2（Q1–Q4）"),
        (parse_year, "23", "年份「23」应写成 2023"),
    ],
)
def test_bad_periods_say_how_to_write_them(parse, text, message):
    with pytest.raises(InputError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_period_kinds_and_defaults():
    assert period(None, month="2023-06") == (d(2023, 6, 1), d(2023, 6, 30), d(2023, 6, 30), "month")
    assert period(d(2023, 5, 15), quarter="2023Q2")[2:] == (d(2023, 5, 15), "quarter")
    assert period(None, year="2023")[3] == "year"
    assert period(None, year="2023", today=d(2023, 7, 2))[2] == d(2023, 7, 2)
    assert period(None, month="2023-06", today=d(2024, 1, 5))[2] == d(2023, 6, 30)
    assert period(None, week="2023-W26")[3] == "week"
    assert period(d(2023, 7, 2))[3] == "week"
    assert period(None, since=d(2023, 6, 1), until=d(2023, 6, 20))[3] == "range"


def test_only_one_period_at_a_time():
    with pytest.raises(InputError) as caught:
        period(None, month="2023-06", year="2023")
    assert str(caught.value) == "--month 与 --year 只能选一种"
    with pytest.raises(InputError) as caught:
        period(None, quarter="2023Q2", since=d(2023, 4, 1))
    assert str(caught.value) == "--quarter 与 --since/--until 只能选一种"


def test_titles_name_the_cadence():
    names = {
        kind: period_name(kind, *parse_month("2023-06"))
        for kind in ("week", "month", "quarter", "year", "range")
    }
    assert names == {
        "week": "进度周报",
        "month": "2023年6月进度月报",
        "quarter": "2023年第二季度通报",
        "year": "2023年度总结",
        "range": "进度通报",
    }
    assert period_name("quarter", *parse_quarter("2023Q4")) == "2023年第四季度通报"


def _report(kind: str, since: dt.date, until: dt.date):
    tasklist = loads(LIST)
    return build_report(tasklist, ENTRIES, since=since, until=until, as_of=until, kind=kind)


def test_month_report_title_and_window():
    report = _report("month", *parse_month("2024-07"))
    assert report["title"] == "2024年《政府工作报告》重点任务分解清单 2024年7月进度月报"
    assert [e["id"] for e in report["new_entries"]] == [2]
    assert "ranking" not in report


def test_year_report_ranks_units_and_leaders():
    report = _report("year", *parse_year("2024"))
    assert report["title"] == "2024年《政府工作报告》重点任务分解清单 2024年度总结"
    ranking = report["ranking"]
    # 住建局: both done, one late; 发改局: one of two done (on time), one overdue at year end
    assert ranking["dept"] == [
        {"group": "住建局", "tasks": 2, "done": 2, "completion_rate": 100.0, "on_time": 1,
         "on_time_rate": 50.0, "overdue": 0, "rank": 1},
        {"group": "发改局", "tasks": 2, "done": 1, "completion_rate": 50.0, "on_time": 1,
         "on_time_rate": 50.0, "overdue": 0, "rank": 2},
    ]  # fmt: skip
    leaders = [
        (r["rank"], r["group"], r["completion_rate"], r["on_time"]) for r in ranking["leader"]
    ]
    assert leaders == [(1, "李明", 100.0, 1), (2, "王强", 50.0, 1), (3, "赵红", 0.0, 0)]


def test_year_report_markdown_has_the_ranking_tables():
    text = render(_report("year", *parse_year("2024")), "markdown")
    assert "附件：1．滞后任务清单\n\n　　　2．久未填报情况\n\n　　　3．年度考评排名\n" in text
    assert (
        "附件3\n\n## 年度考评排名\n\n"
        "按牵头部门（2个，按完成率、按时完成率排名）：\n\n"
        "| 排名 | 牵头部门 | 任务数 | 已完成 | 完成率 | 按时完成 | 按时完成率 | 超期未完成 |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 1 | 住建局 | 2 | 2 | 100.0% | 1 | 50.0% | 0 |\n"
        "| 2 | 发改局 | 2 | 1 | 50.0% | 1 | 50.0% | 0 |\n\n"
        "按责任领导（3个，按完成率、按时完成率排名）：\n\n"
    ) in text


def test_equal_figures_share_a_rank():
    entries = [entry(1, d(2024, 3, 1), "已完成", 100), entry(3, d(2024, 3, 1), "已完成", 100)]
    tasklist = loads(LIST)
    report = build_report(
        tasklist, entries, since=d(2024, 1, 1), until=d(2024, 12, 31), as_of=d(2024, 6, 1),
        kind="year",
    )  # fmt: skip
    assert [(r["rank"], r["group"]) for r in report["ranking"]["dept"]] == [
        (1, "发改局"),
        (1, "住建局"),
    ]
    overdue = [r["overdue"] for r in report["ranking"]["dept"]]
    assert overdue == [0, 0]


def test_newly_behind_once_the_gap_passes_the_tolerance():
    """37% was within 10 points of 序时进度 on 16 June (45.9%) and is not on 23 June (47.8%)."""
    tasklist = loads(LIST)
    entries = [entry(1, d(2024, 6, 3), "序时推进", 37)]
    week = {"since": d(2024, 6, 17), "until": d(2024, 6, 23), "as_of": d(2024, 6, 23)}
    report = build_report(tasklist, entries, **week)
    assert [(t["id"], t["reason"]) for t in report["newly_behind"]] == [
        (1, "进度 37% 低于序时进度 47.8%")
    ]
    import dataclasses

    strict = build_report(dataclasses.replace(tasklist, tolerance=0), entries, **week)
    assert strict["newly_behind"] == []  # behind before the week began
    assert [t["id"] for t in strict["red"] if t["status"] != "未启动"] == [1]
