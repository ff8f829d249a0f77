"""Tests prompted by the mutants of taskctl/review.py (办结审核) that survived issue 27's full run
of scripts/mutate.py. Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from taskctl.cli import cli

# Item 3 is published over two rows (分项 3.1 and 3.2), both 住建局's; item 4 has no 完成时限.
LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  项数: 4
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [财政局]
    完成时限: 2023-09-30
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [住建局, 财政局]
    完成时限: 2023-12-31
  - 序号: 3
    年度任务目标: |-
      建成区级企业服务中心
      开展“万人助万企”活动
    责任领导: [王强]
    牵头部门: [住建局]
    完成时限: 2023-09-30
    分项:
    - 年度任务目标: 建成区级企业服务中心
      完成时限: 9月底前
    - 年度任务目标: 开展“万人助万企”活动
      完成时限: 6月底前
  - 序号: 4
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [住建局]
"""

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2023, 12, 1, 9, 0, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    moments = iter(NOW + dt.timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: next(moments))


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "tasks.yaml").write_text(LIST, encoding="utf-8")
    return tmp_path


@pytest.fixture
def tc(runner, workdir):
    """taskctl on the test's list and ledger: ``tc(*args, code=0)`` gives the result."""

    def run(*args: str, code: int = 0):
        files = ["--file", str(workdir / "tasks.yaml"), "--ledger", str(workdir / "progress.jsonl")]
        result = runner.invoke(cli, [*args, *files])
        assert result.exit_code == code, result.output
        return result

    return run


def done(tc, target: str, date: str, unit: str = "住建局"):
    tc("update", target, "--status", "已完成", "--progress", "100", "--by", unit, "--date", date)


def review_line(tc, task: str = "3") -> str:
    shown = tc("show", task, "--as-of", "2023-06-10").stdout
    return next(x for x in shown.splitlines() if x.startswith("办结审核"))


LEDGER = Path("progress.jsonl")


# which of a unit's flags on several 分项 it is shown by ---------------------------------------


def test_a_parts_request_can_be_reviewed_while_another_part_is_reopened(tc, workdir):
    done(tc, "3.1", "2023-06-01")
    tc("review", "3", "--approve", "--date", "2023-06-02")
    tc("review", "3", "--reopen", "回访发现问题", "--date", "2023-06-03")
    done(tc, "3.2", "2023-06-05")  # 3.1 is under 回访: 3.2's request still waits for review
    returned = tc("review", "3", "--return", "缺验收报告", "--date", "2023-06-06")
    assert returned.stderr.startswith(
        "已退回 序号 3 住建局 的办结（2023-06-05 申请）：缺验收报告 → "
    )
    # 退回 is more pressing than 回访, though its request is the later
    assert review_line(tc) == (
        "办结审核\t住建局 退回（2023-06-05 申请办结，2023-06-06 督查室退回）：缺验收报告"
    )
    done(tc, "3.2", "2023-06-07")
    approved = tc("review", "3", "--approve", "--date", "2023-06-08")
    assert approved.stderr.startswith("已销号 序号 3 住建局 的办结（2023-06-07 申请） → ")
    assert review_line(tc) == (
        "办结审核\t住建局 回访（2023-06-01 申请办结，2023-06-03 督查室回访）：回访发现问题"
    )


def test_a_reopened_part_is_shown_before_an_older_pending_one(tc):
    done(tc, "3.1", "2023-06-03")
    tc("review", "3", "--approve", "--date", "2023-06-04")
    tc("review", "3", "--reopen", "回访发现问题", "--date", "2023-06-05")
    done(tc, "3.2", "2023-06-01")  # written later, dated earlier
    assert review_line(tc) == (
        "办结审核\t住建局 回访（2023-06-03 申请办结，2023-06-05 督查室回访）：回访发现问题"
    )


def test_a_pending_part_is_shown_before_an_older_closed_one(tc):
    done(tc, "3.1", "2023-06-01")
    done(tc, "3.2", "2023-06-05")
    approved = tc("review", "3", "--approve", "--date", "2023-06-06")
    assert approved.stderr.startswith("已销号 序号 3 住建局 的办结（2023-06-01 申请） → ")
    assert review_line(tc) == "办结审核\t住建局 待审核（2023-06-05 申请办结）"


def test_of_two_requests_of_one_day_the_one_recorded_first_is_reviewed_first(tc):
    for target, date in (("3.1", "2023-05-01"), ("3.2", "2023-05-02")):
        tc("update", target, "--status", "序时推进", "--progress", "50", "--by", "住建局",
           "--date", date)  # fmt: skip
    done(tc, "3.2", "2023-06-01")
    done(tc, "3.1", "2023-06-01")
    tc("review", "3", "--approve", "--date", "2023-06-02")
    shown = tc("show", "3", "--as-of", "2023-06-10").stdout.splitlines()
    assert shown[7] == (
        "分项\t3.1 建成区级企业服务中心（完成时限：9月底前）：序时推进 50% 黄灯、"
        "3.2 开展“万人助万企”活动（完成时限：6月底前）：已完成 100% 绿灯"
    )


# 延期, events for 考评, the flag's line ------------------------------------------------------


def test_a_request_on_the_deadline_is_not_late_and_one_after_a_denial_is(tc, workdir):
    import json

    tc("update", "1", "--extend", "2023-10-31", "--note", "土地报批未完成", "--by", "住建局",
       "--date", "2023-09-30")  # fmt: skip
    tc("review", "1", "--return", "理由不足", "--date", "2023-09-30")
    tc("update", "1", "--extend", "2023-11-30", "--note", "仍未完成", "--by", "住建局",
       "--date", "2023-10-01")  # fmt: skip
    shown = json.loads(tc("show", "1", "--as-of", "2023-10-10", "--format", "json").stdout)
    assert shown["deadline"] == "2023-09-30"
    assert shown["extensions"] == [
        {"unit": "住建局", "requested": "2023-09-30", "deadline": "2023-10-31",
         "reason": "土地报批未完成", "late": False, "review": "不予延期",
         "reviewed": "2023-09-30"},
        {"unit": "住建局", "requested": "2023-10-01", "deadline": "2023-11-30",
         "reason": "仍未完成", "late": True, "review": "待审核", "reviewed": None},
    ]  # fmt: skip
    # the office approves the second: the deadline moves, and the request stays late
    tc("review", "1", "--approve", "--date", "2023-10-02")
    shown = json.loads(tc("show", "1", "--as-of", "2023-10-10", "--format", "json").stdout)
    assert shown["deadline"] == "2023-11-30"
    assert [(x["late"], x["review"]) for x in shown["extensions"]] == [
        (False, "不予延期"),
        (True, "准予延期"),
    ]


def test_each_units_review_events_in_date_order_with_late_requests(tc, workdir):
    from taskctl.loader import load
    from taskctl.progress import read_log
    from taskctl.review import review_events

    tc("update", "1", "--extend", "2023-10-31", "--note", "土地报批未完成", "--by", "住建局",
       "--date", "2023-09-30")  # fmt: skip
    tc("review", "1", "--return", "理由不足", "--date", "2023-09-30")
    tc("update", "1", "--extend", "2023-11-30", "--note", "仍未完成", "--by", "住建局",
       "--date", "2023-10-01")  # fmt: skip
    done(tc, "2", "2023-08-01", unit="财政局")
    tc("review", "2", "--return", "缺材料", "--unit", "财政局", "--date", "2023-08-02")
    done(tc, "2", "2023-08-03")
    tc("review", "2", "--approve", "--date", "2023-08-04", "--by", "张三")
    tc("update", "3.1", "--status", "序时推进", "--by", "住建局", "--date", "2023-08-05")
    events = review_events(read_log(workdir / "progress.jsonl"), load(workdir / "tasks.yaml"))
    assert {
        unit: [(e.task_id, e.unit, e.kind, e.date.isoformat(), e.by, e.note) for e in found]
        for unit, found in events.items()
    } == {
        "住建局": [
            (2, "住建局", "销号", "2023-08-04", "张三", ""),
            (1, "住建局", "不予延期", "2023-09-30", "督查室", "理由不足"),
            (1, "住建局", "逾期申请", "2023-10-01", "住建局", "仍未完成"),
        ],
        "财政局": [(2, "财政局", "退回", "2023-08-02", "督查室", "缺材料")],
    }


def test_a_review_by_nobody_named_is_the_offices(tc):
    done(tc, "3.1", "2023-06-01")
    tc("review", "3", "--approve", "--date", "2023-06-02", "--by", " ")
    assert review_line(tc) == (
        "办结审核\t住建局 已销号（2023-06-01 申请办结，2023-06-02 督查室已销号）"
    )


def test_a_done_written_by_hand_with_spaces_in_the_unit_is_its_request(tc, workdir):
    (workdir / "progress.jsonl").write_text(
        '{"序号": 1, "日期": "2023-06-01", "状态": "已完成", "进度": 100, "说明": "已建成", '
        '"填报人": "住 建 局"}\n',
        encoding="utf-8",
    )
    assert review_line(tc, "1") == "办结审核\t住建局 待审核（2023-06-01 申请办结）"
    approved = tc("review", "1", "--approve", "--date", "2023-06-02")
    assert approved.stderr.startswith("已销号 序号 1 住建局 的办结（2023-06-01 申请） → ")
    assert review_line(tc, "1") == (
        "办结审核\t住建局 已销号（2023-06-01 申请办结，2023-06-02 督查室已销号）"
    )
    reopened = tc("review", "1", "--reopen", "回访发现问题", "--date", "2023-06-03")
    assert reopened.stderr.startswith(
        "已回访 序号 1 住建局 的办结（2023-06-01 申请）：回访发现问题 → "
    )


def test_an_extension_written_by_hand_with_spaces_in_the_unit_is_the_units(tc, workdir):
    (workdir / "progress.jsonl").write_text(
        '{"序号": 1, "日期": "2023-09-01", "说明": "征地未完成", "延期": "2023-12-31", '
        '"填报人": "住 建 局"}\n',
        encoding="utf-8",
    )
    granted = tc("review", "1", "--approve", "--unit", "住建局", "--date", "2023-09-02")
    assert granted.stderr.startswith("已准予延期 序号 1 住建局 的延期申请（2023-09-01 申请） → ")
    shown = tc("show", "1", "--as-of", "2023-09-10").stdout.splitlines()
    assert "完成时限\t2023-12-31（已准予延期，原完成时限 2023-09-30）" in shown
    from taskctl.loader import load
    from taskctl.progress import read_log
    from taskctl.review import review_events

    events = review_events(read_log(workdir / "progress.jsonl"), load(workdir / "tasks.yaml"))
    assert [(u, e.unit, e.kind, e.task_id) for u, found in events.items() for e in found] == [
        ("住建局", "住建局", "准予延期", 1)
    ]


def test_the_unit_to_review_is_named_as_typed_and_only_a_closed_part_is_reopened(tc):
    done(tc, "2", "2023-06-01")
    tc("update", "2", "--status", "序时推进", "--progress", "50", "--by", "财政局",
       "--date", "2023-06-01")  # fmt: skip
    approved = tc("review", "2", "--approve", "--unit", " 住 建 局", "--date", "2023-06-02")
    assert approved.stderr.startswith("已销号 序号 2 住建局 的办结（2023-06-01 申请） → ")
    nothing = tc("review", "2", "--approve", "--unit", "财政局", "--date", "2023-06-02", code=2)
    assert nothing.stderr == ("错误：序号 2 中 财政局 没有待审核的申请（待审核的申请的单位：无）\n")
    # 财政局's part is not 已完成: 住建局's is the only one to reopen, no --unit needed
    reopened = tc("review", "2", "--reopen", "回访发现问题", "--date", "2023-06-03")
    assert reopened.stderr.startswith(
        "已回访 序号 2 住建局 的办结（2023-06-01 申请）：回访发现问题 → "
    )


def test_a_return_needs_a_reason_and_keeps_it_without_spaces(tc):
    done(tc, "3.1", "2023-06-01")
    blank = tc("review", "3", "--return", "  ", "--date", "2023-06-02", code=2)
    assert blank.stderr == "错误：退回须写明原因\n"
    early = tc("review", "3", "--return", "缺材料", "--date", "2023-05-31", code=2)
    assert early.stderr == "错误：序号 3 没有待审核的申请\n"  # as of that day there was none
    tc("review", "3", "--return", " 缺验收报告 ", "--date", "2023-06-01")  # the same day will do
    assert review_line(tc) == (
        "办结审核\t住建局 退回（2023-06-01 申请办结，2023-06-01 督查室退回）：缺验收报告"
    )


def test_a_list_without_a_year_takes_the_year_end_as_the_deadline_of_a_task_without_one():
    import datetime as dt

    from taskctl.loader import loads
    from taskctl.progress import Entry
    from taskctl.review import review_events

    yearless = loads(LIST.replace("年度: 2023\n", ""))
    asked = Entry(4, dt.date(2023, 11, 1), "", note="跨年实施", by="住建局", extend="2024-03-31")
    assert yearless.year is None and review_events([asked], yearless) == {}


def test_an_extension_asked_by_the_office_is_named_as_its_name_without_spaces(tc):
    tc("update", "1", "--extend", "2023-12-31", "--note", "统筹调整", "--by", "县 督查室",
       "--date", "2023-09-01")  # fmt: skip
    granted = tc("review", "1", "--approve", "--unit", "县督查室", "--date", "2023-09-02")
    assert granted.stderr.startswith("已准予延期 序号 1 县督查室 的延期申请（2023-09-01 申请） → ")


def test_two_units_waiting_need_unit(tc):
    done(tc, "2", "2023-06-01")
    done(tc, "2", "2023-06-02", unit="财政局")
    refused = tc("review", "2", "--approve", "--date", "2023-06-03", code=2)
    assert refused.stderr == (
        "错误：序号 2 有 2 个单位待审核的申请（住建局、财政局）：请用 --unit 指明\n"
    )
