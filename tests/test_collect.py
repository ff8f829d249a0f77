"""Collecting replies: every row checked, bad files refused whole, idempotent, 未报送."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replies import fill, plain_table

from taskctl.cli import cli
from taskctl.collect import collect, submissions, write
from taskctl.errors import InputError
from taskctl.forms import build_forms, write_forms
from taskctl.period import parse_period
from taskctl.progress import SUPERSEDED, marks, read_all, read_log

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
W26 = parse_period(week="2023-W26")
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2023, 6, 30, 17, 0, tzinfo=CST)


@pytest.fixture
def round_(tasklist, tmp_path):
    """Forms for 2023-W26 in 填报/, an empty 回收/ and a log copied from the sample."""
    log = tmp_path / "progress.jsonl"
    shutil.copy(SAMPLE, log)
    write_forms(build_forms(tasklist, read_log(log), W26), tmp_path / "填报")
    (tmp_path / "回收").mkdir()
    return tmp_path, log


def form(base, unit):
    return base / "填报" / f"2023-W26_{unit}.xlsx"


def reply(base, unit, rows, name=None, mtime=None):
    target = base / "回收" / (name or f"2023-W26_{unit}.xlsx")
    fill(form(base, unit), rows, target, person="张三", phone="0413-1234567")
    if mtime is not None:
        os.utime(target, (mtime, mtime))
    return target


def run(tasklist, base, log, **options):
    return collect([base / "回收"], tasklist, read_all(log), now=NOW, base=base, **options)


def test_good_replies_go_in_with_unit_period_and_source(tasklist, round_):
    base, log = round_
    reply(
        base,
        "住建局",
        {
            31: ("序时推进", 50, "完成改厕 1200 户", "资金缺口 300 万", "争取省级补助"),
            39: ("已完成", 100),
        },
    )
    reply(base, "交通局", {28: ("滞后", 20, "征地未完成")})
    result = run(tasklist, base, log)
    assert [(r.unit, r.tasks, len(r.entries), r.outcome) for r in result.replies] == [
        ("住建局", 14, 2, "收录"),
        ("交通局", 4, 1, "收录"),
    ]
    before = log.read_bytes()
    assert write(result, log) == 3
    assert log.read_bytes().startswith(before)
    fresh = [e for e in read_log(log) if e.period == "2023-W26"]
    e31 = next(e for e in fresh if e.id == 31)
    assert (e31.status, e31.progress, e31.note, e31.problem, e31.next_step) == (
        "序时推进",
        50,
        "完成改厕 1200 户",
        "资金缺口 300 万",
        "争取省级补助",
    )
    assert (e31.by, e31.date, e31.origin) == (
        "住建局",
        dt.date(2023, 6, 30),
        "2023-W26_住建局.xlsx 第 5 行",
    )
    assert "住建局" in result.reported and "交通局" in result.reported
    assert "住建局" not in result.owed and "发改局" in result.owed
    assert len(result.owed) == 32


def test_a_bad_row_refuses_the_whole_file_with_one_line_per_problem(tasklist, round_):
    base, log = round_
    reply(
        base,
        "住建局",
        {31: ("进行中", 50), 39: ("已完成", 80), 57: ("序时推进", 150), 58: ("", 30, "只写了进度")},
    )
    reply(base, "交通局", {28: ("滞后", 20, "征地未完成")})
    result = run(tasklist, base, log)
    bad = next(r for r in result.replies if r.unit == "住建局")
    assert bad.problems == [
        "回收/2023-W26_住建局.xlsx 第 5 行：本期状态「进行中」不认识：应为 未启动、序时推进、滞后、已完成 之一",
        "回收/2023-W26_住建局.xlsx 第 6 行：序号 39 填报为已完成，进度却为 80%：已完成的进度应为 100，未完成请填 序时推进 或 滞后",
        "回收/2023-W26_住建局.xlsx 第 7 行：本期进度 150 超出范围：应为 0 到 100 的整数",
        "回收/2023-W26_住建局.xlsx 第 8 行：本期状态 未填：应为 未启动、序时推进、滞后、已完成 之一",
    ]
    assert (bad.outcome, bad.bad_rows, bad.entries) == ("退回", 4, [])
    assert [r.unit for r in result.accepted] == ["交通局"]
    assert "住建局" in result.owed  # a refused reply is not a reply
    write(result, log)
    assert {e.by for e in read_log(log) if e.period} == {"交通局"}


def test_a_task_of_another_unit_and_a_drop_without_note(tasklist, round_):
    base, log = round_
    import openpyxl

    target = reply(base, "发改局", {1: ("序时推进", 30)})  # 60% on 2023-06-28 in the sample
    book = openpyxl.load_workbook(target)
    book["填报"]["A6"].value = 31  # a row retyped with 住建局's 序号 (the sheet is only protected)
    book["填报"]["I6"].value = "序时推进"
    book.save(target)
    problems = run(tasklist, base, log).replies[0].problems
    assert problems[0] == (
        "回收/2023-W26_发改局.xlsx 第 5 行：序号 1 的进度由 60%（2023-06-28）降为 30%："
        "进度下降须用 进展情况 写明原因"
    )
    assert problems[1].startswith(
        "回收/2023-W26_发改局.xlsx 第 6 行：序号 31 不是 发改局 的任务（发改局 的任务为 1、3、8"
    )


def test_the_same_reply_twice_adds_nothing(tasklist, round_):
    base, log = round_
    first = reply(base, "住建局", {31: ("序时推进", 50)})
    write(run(tasklist, base, log), log)
    grown = log.read_bytes()
    again = run(tasklist, base, log)
    assert [r.outcome for r in again.replies] == ["已收录过，未重复写入"]
    assert write(again, log) == 0 and log.read_bytes() == grown
    # a copy under another name, in the same run, is the same reply
    shutil.copy(first, base / "回收" / "住建局（1）.xlsx")
    assert write(run(tasklist, base, log), log) == 0 and log.read_bytes() == grown


def test_a_corrected_reply_supersedes_the_first_as_a_whole(tasklist, round_):
    base, log = round_
    reply(base, "住建局", {31: ("序时推进", 50), 39: ("序时推进", 60)}, mtime=1_000)
    write(run(tasklist, base, log), log)
    # the corrected file: 31 lower (no note needed against its own first reply), 39 left blank:
    # 39 keeps what the first reply said (issue 23), rather than falling back to last week
    reply(base, "住建局", {31: ("序时推进", 40)}, name="2023-W26_住建局（更正）.xlsx", mtime=2_000)
    result = run(tasklist, base, log)
    assert [r.outcome for r in result.replies] == ["已收录过，未重复写入", "收录"]
    assert result.replies[1].carried == ["39"]  # 序号 as written (5.2: a 分项)
    write(result, log)
    counted = {e.id: e.progress for e in read_log(log) if e.by == "住建局" and e.period}
    assert counted == {31: 40, 39: 60}
    kept = next(e for e in read_log(log) if e.id == 39 and e.period)
    assert kept.origin == "沿用 2023-W26_住建局.xlsx 第 6 行"
    gone = marks(read_all(log))
    assert sorted(gone.values()) == [SUPERSEDED, SUPERSEDED]


def test_blank_rows_are_not_reported(tasklist, round_):
    base, log = round_
    reply(base, "住建局", {})
    result = run(tasklist, base, log)
    assert [(r.outcome, r.tasks) for r in result.replies] == [("未填写任何行", 14)]
    assert "住建局" in result.owed and write(result, log) == 0


def test_a_plain_table_with_by(tasklist, round_):
    base, log = round_
    path = plain_table(
        base / "回收" / "交通局报送.xlsx",
        ["序号", "任务内容", "状态", "进度（%）", "进展情况", "存在问题"],
        [[28, "……", "behind", "20%", "征地未完成", "拆迁难"], [50, "……", None, None, None, None]],
    )
    with_by = collect([path], tasklist, read_all(log), now=NOW, by="交通局", period=W26)
    (only,) = with_by.replies
    assert (only.outcome, only.unit, only.tasks) == ("收录", "交通局", 2)
    entry = only.entries[0]
    assert (entry.status, entry.progress, entry.note, entry.problem) == (
        "滞后",
        20,
        "征地未完成",
        "拆迁难",
    )
    without = collect([path], tasklist, read_all(log), now=NOW, period=W26)
    assert without.replies[0].problems == [
        f"{path}：不是 taskctl 生成的填报表：请用 --by 写明填报单位（表中须有 序号 和 状态 两列）"
    ]


def test_a_form_of_another_period_or_list(tasklist, round_):
    base, log = round_
    write_forms(build_forms(tasklist, [], parse_period(week="2023-W25")), base / "旧")
    fill(base / "旧" / "2023-W25_住建局.xlsx", {31: ("序时推进", 50)}, base / "回收" / "a.xlsx")
    result = collect([base / "回收"], tasklist, read_all(log), now=NOW, period=W26, base=base)
    assert result.replies[0].problems == [
        "回收/a.xlsx：这是 2023-W25 的填报表，本次回收的是 2023-W26；请让该单位填写本期的表，或按该期另行回收"
    ]
    from dataclasses import replace

    other = replace(tasklist, title="2023年某县重点工作清单")
    result = collect([base / "回收"], other, [], now=NOW, period=W26, base=base)
    assert "不是本清单「2023年某县重点工作清单」（2023）的" in result.replies[0].problems[0]


def test_not_a_spreadsheet_and_an_empty_folder(tasklist, tmp_path):
    (tmp_path / "r").mkdir()
    with pytest.raises(InputError, match="没有找到回复文件"):
        collect([tmp_path / "r"], tasklist, [], now=NOW)
    (tmp_path / "r" / "x.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "r" / "说明.docx").write_bytes(b"")
    result = collect([tmp_path / "r"], tasklist, [], now=NOW, period=W26, base=tmp_path)
    assert result.replies[0].problems == [
        "r/x.xlsx：无法作为 .xlsx 打开（BadZipFile）；请用 Excel/WPS 另存为 .xlsx"
    ]
    assert result.skipped == [f"{tmp_path / 'r' / '说明.docx'}：不是 .xlsx 或 .csv 表格，已跳过"]


def test_submissions_from_the_log(tasklist, round_):
    base, log = round_
    reply(base, "住建局", {31: ("序时推进", 50)})
    write(run(tasklist, base, log), log)
    reported, owed = submissions(tasklist, read_log(log), W26)
    assert reported == ["住建局"] and len(owed) == 33 and "住建局" not in owed
    _, owed_next = submissions(tasklist, read_log(log), parse_period(week="2023-W27"))
    assert len(owed_next) == 34


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.lists(
            st.none() | st.integers(-5, 200) | st.floats(allow_nan=True) | st.text(max_size=8),
            min_size=3,
            max_size=3,
        ),
        max_size=6,
    )
)
def test_any_plain_table_gives_entries_or_problems(tasklist, tmp_path_factory, cells):
    folder = tmp_path_factory.mktemp("fuzz")
    rows = [[c if not isinstance(c, str) else c.replace("\x00", "") for c in row] for row in cells]
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = [
        [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row] for row in rows
    ]
    book = openpyxl.Workbook()
    book.active.append(["序号", "状态", "进度"])
    for row in rows:
        book.active.append(row)
    book.save(folder / "t.xlsx")
    result = collect([folder], tasklist, [], now=NOW, by="交通局", period=W26)
    (only,) = result.replies
    assert only.refused or all(
        e.by == "交通局" and 0 <= (e.progress or 0) <= 100 for e in only.entries
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_any_bytes_as_a_reply_give_a_refusal_not_a_crash(tasklist, tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / f"r{suffix}").write_bytes(data)
    result = collect([folder], tasklist, [], now=NOW, by="交通局", period=W26)
    assert len(result.replies) == 1


@pytest.mark.parametrize("cache", ["0", "1"])
def test_two_units_leading_one_task_each_keep_their_answer(tasklist, round_, monkeypatch, cache):
    monkeypatch.setenv("TASKCTL_NO_CACHE", cache)
    base, log = round_
    read_log(log)  # the cache (when on) holds the log before the replies
    reply(base, "财政局", {28: ("序时推进", 30, "资金已拨付")})
    reply(base, "交通局", {28: ("滞后", 20, "征地未完成")})
    write(run(tasklist, base, log), log)
    answers = {(e.by, e.note) for e in read_log(log) if e.id == 28 and e.period}
    assert answers == {("财政局", "资金已拨付"), ("交通局", "征地未完成")}
    # a plain update the same day still replaces an earlier plain one (the old rule)
    from taskctl.progress import Entry, append

    day = dt.date(2023, 6, 30)
    append(log, [Entry(28, day, "滞后", 10, "a", "督查室", NOW)])
    append(log, [Entry(28, day, "滞后", 15, "b", "督查室", NOW + dt.timedelta(seconds=1))])
    notes = sorted(e.note for e in read_log(log) if e.id == 28 and e.date == day)
    assert notes == ["b", "征地未完成", "资金已拨付"]


def test_a_refused_reply_with_no_ledger_folder_names_the_folder(runner, tmp_path):
    """With the bundled list and no data/ folder, a refused reply cannot be recorded: the error
    names the missing folder, as for the ledger itself, and nothing is written."""
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "住建局：更正.xlsx").write_bytes(b"not a zip")
    result = runner.invoke(cli, ["collect", "replies", "--week", "2023-W26"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"错误：{tmp_path / 'data'}：文件夹不存在，未写入任何内容；"
        "请先建立该文件夹，或用 --ledger/TASKCTL_PROGRESS 指定进度文件"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["replies"]
