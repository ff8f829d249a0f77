"""Tests prompted by the mutants of the progress ledger that survived issue 27's full run of
scripts/mutate.py (taskctl/progress/: checks, views, entry, store). Each was checked by putting
its mutant back and seeing it fail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from taskctl.cli import cli
from taskctl.loader import loads
from taskctl.progress import Entry, check_entries

LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [住建局, 财政局]
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [住建局]
"""

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2023, 7, 10, 9, 0, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    moments = iter(NOW + dt.timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: next(moments))


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "tasks.yaml").write_text(LIST, encoding="utf-8")
    return tmp_path


def line(**fields) -> str:
    """A ledger line as taskctl writes it (keys in the document's words)."""
    return json.dumps(fields, ensure_ascii=False)


def write_log(path: Path, *lines: str) -> None:
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")


def run(runner, workdir: Path, *args: str, code: int = 0):
    result = runner.invoke(
        cli,
        [*args, "--file", str(workdir / "tasks.yaml"), "--ledger", str(workdir / "progress.jsonl")],
    )
    assert result.exit_code == code, result.output
    return result


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# checks: what a new report may not say ------------------------------------------------------


def test_a_lower_progress_is_checked_against_the_units_report_written_with_spaces(runner, workdir):
    write_log(
        workdir / "progress.jsonl",
        line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=60, 说明="", 填报人="住 建 局"),
    )
    result = run(
        runner, workdir, "update", "1", "--status", "序时推进", "--progress", "40",
        "--by", "住建局", "--date", "2023-06-05", code=2,
    )  # fmt: skip
    assert result.stderr == (
        "错误：序号 1 的进度由 60%（2023-06-01）降为 40%：进度下降须用 --note 写明原因\n"
    )


def test_of_two_reports_of_one_day_without_a_time_the_later_line_is_the_units_last():
    tasklist = loads(LIST)
    previous = [
        Entry(1, day("2023-06-01"), "序时推进", 60, by="住建局"),
        Entry(1, day("2023-06-01"), "序时推进", 30, by="住建局"),  # the same day, corrected
    ]
    new = Entry(1, day("2023-06-05"), "序时推进", 40, by="住建局")
    assert check_entries(tasklist, [new], previous, today=day("2023-07-10")) == []
    lower = Entry(1, day("2023-06-05"), "序时推进", 20, by="住建局")
    assert check_entries(tasklist, [lower], previous, today=day("2023-07-10")) == [
        "序号 1 的进度由 30%（2023-06-01）降为 20%：进度下降须用 --note 写明原因"
    ]


def test_the_office_typed_with_a_space_is_checked_against_its_own_last_progress(runner, workdir):
    run(
        runner, workdir, "update", "1", "--status", "序时推进", "--progress", "60",
        "--by", "县政府督查室", "--date", "2023-06-01",
    )  # fmt: skip
    result = run(
        runner, workdir, "update", "1", "--status", "序时推进", "--progress", "40",
        "--by", "县政府 督查室", "--date", "2023-06-05", code=2,
    )  # fmt: skip
    assert result.stderr == (
        "错误：序号 1 的进度由 60%（2023-06-01）降为 40%：进度下降须用 --note 写明原因\n"
    )


def test_update_keeps_its_texts_without_the_spaces_around_them(runner, workdir):
    run(
        runner, workdir, "update", "1", "--status", "序时推进", "--progress", "60",
        "--by", "住建局", "--date", "2023-06-01", "--note", "  已开工 ",
        "--problem", " 资金未到位 ", "--next", " 争取专项债  ",
    )  # fmt: skip
    assert (workdir / "progress.jsonl").read_text(encoding="utf-8") == line(
        序号=1, 日期="2023-06-01", 状态="序时推进", 进度=60, 说明="已开工",
        存在问题="资金未到位", 下一步措施="争取专项债", 填报人="住建局",
        记录时间="2023-07-10T09:00:00.000000+08:00",
    ) + "\n"  # fmt: skip


def test_make_entries_refuses_a_part_the_item_does_not_have():
    from taskctl.errors import InputError
    from taskctl.progress import make_entries

    with pytest.raises(InputError) as refused:
        make_entries(loads(LIST), [(1, 2)], "序时推进", by="住建局", date="2023-06-01")
    assert refused.value.message == "序号 1 没有分项（它在清单中只有一行）；请写 1"


def test_three_problems_are_all_said_and_a_fourth_is_left_to_an_ellipsis(runner, workdir):
    three = run(
        runner, workdir, "update", "1,2", "--status", "已完成", "--progress", "50",
        "--by", "住建局", "--date", "2023-08-01", code=2,
    )  # fmt: skip
    done = "填报为已完成，进度却为 50%：已完成的进度应为 100，未完成请填 序时推进 或 滞后"
    late = "日期 2023-08-01 晚于今天（2023-07-10）；请核对日期，确需如此请加 --allow-date"
    assert three.stderr == f"错误：{late}；序号 1 {done}；序号 2 {done}\n"
    four = run(
        runner, workdir, "update", "1-3", "--status", "已完成", "--progress", "50",
        "--by", "住建局", "--date", "2023-08-01", code=2,
    )  # fmt: skip
    assert four.stderr == f"错误：{late}；序号 1 {done}；序号 2 {done}……\n"
    assert not (workdir / "progress.jsonl").exists()


def test_a_text_of_2000_characters_is_the_longest_accepted(runner, workdir):
    args = ["update", "1", "--status", "序时推进", "--by", "住建局", "--date", "2023-06-01"]
    result = run(runner, workdir, *args, "--problem", "字" * 2001, code=2)
    assert result.stderr == (
        "错误：序号 1 的 存在问题 有 2001 字，超过 2000 字的上限；请精简，详细材料请作为佐证材料报送\n"
    )
    run(runner, workdir, *args, "--problem", "字" * 2000)
    written = json.loads((workdir / "progress.jsonl").read_text(encoding="utf-8"))
    assert len(written["存在问题"]) == 2000


# entry: one report and its line --------------------------------------------------------------


def test_an_entrys_id_is_ten_hex_digits_of_its_content():
    entry = Entry(7, day("2023-06-05"), "序时推进", 40, "已开工", "住建局")
    assert entry.uid == "735c470155"
    assert Entry(7, day("2023-06-05"), "序时推进", 40, "已开工", "住建局").uid == entry.uid


def test_a_report_on_a_part_has_an_id_of_its_own():
    whole = Entry(5, day("2023-06-05"), "序时推进", 40, "已开工", "工信局")
    part = Entry(5, day("2023-06-05"), "序时推进", 40, "已开工", "工信局", part=2)
    assert (whole.uid, part.uid) == ("d704e06055", "8c3dd5cbc1")


def ledger_line(evidence: str = "", revokes: str = "") -> str:
    if revokes:
        return f'{{"序号": 1, "日期": "2023-06-01", "撤销": {revokes}, "说明": "", "填报人": "住建局"}}'
    return (
        '{"序号": 1, "日期": "2023-06-01", "状态": "已完成", "进度": 100, "说明": "", '
        f'"佐证材料": {evidence}, "填报人": "住建局"}}'
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (ledger_line(evidence='"验收报告.pdf"'), "佐证材料应为列表：[{文件, 大小, sha256}…]"),
        (ledger_line(evidence='[{"大小": 1}]'), "佐证材料的每一项应有「文件」（文件名）"),
        (ledger_line(evidence='["验收报告.pdf"]'), "佐证材料的每一项应有「文件」（文件名）"),
        (
            ledger_line(evidence='[{"文件": "a.pdf", "大小": "12"}]'),
            "佐证材料「a.pdf」的大小应为整数（字节）",
        ),
        (
            ledger_line(evidence='[{"文件": "a.pdf", "大小": true}]'),
            "佐证材料「a.pdf」的大小应为整数（字节）",
        ),
        (ledger_line(revokes="123"), "撤销应为记录编号（十六进制），得到「123」"),
        (ledger_line(revokes='"xyz0"'), "撤销应为记录编号（十六进制），得到「xyz0」"),
    ],
)
def test_a_ledger_line_with_bad_evidence_or_revocation_is_an_error(
    runner, workdir, written, message
):
    write_log(workdir / "progress.jsonl", written)
    result = run(runner, workdir, "history", "1", code=2)
    assert result.stderr == f"错误：{workdir / 'progress.jsonl'} 第 1 行：{message}\n"


def test_evidence_named_without_a_copy_has_no_size_and_an_empty_file_has_size_0(runner, workdir):
    evidence = '[{"文件": "a.pdf"}, {"文件": "b.pdf", "大小": 0, "sha256": "e3b0"}]'
    write_log(workdir / "progress.jsonl", ledger_line(evidence=evidence))
    (record,) = json.loads(run(runner, workdir, "history", "1", "--format", "json").stdout)
    assert record["evidence"] == [
        {"file": "a.pdf", "sha256": None, "size": None},
        {"file": "b.pdf", "sha256": "e3b0", "size": 0},
    ]
    write_log(workdir / "progress.jsonl", ledger_line(revokes='"abcd"'))
    listed = run(runner, workdir, "history", "1", "--all", "--format", "tsv").stdout
    assert listed.splitlines()[0].split("\t")[:3] == ["dada98985d", "2023-06-01", "撤销"]


# store: revoking ------------------------------------------------------------------------------

TWINS = [  # two reports whose ids begin alike: 515c5a24f3 and 515c170cef
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=50, 说明=f"第{n}次", 填报人="住建局",
         记录时间="2023-06-01T09:00:00.000000+08:00")
    for n in (105, 125)
]  # fmt: skip


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("515c", "编号「515c」对应多条记录（515c5a24f3、515c170cef）；请多写几位"),
        ("xyz", "记录编号「xyz」应为至少 4 位的编号，如 history --all 所列"),
        ("515d", "没有编号为「515d」的填报记录；用 taskctl history 序号 --all 查看编号"),
    ],
)
def test_revoke_needs_the_id_of_one_record(runner, workdir, wanted, message):
    other = line(序号=2, 日期="2023-06-02", 撤销="0123456789", 说明="", 填报人="督查室")
    write_log(workdir / "progress.jsonl", *TWINS, other)
    result = run(runner, workdir, "update", "--revoke", wanted, code=2)
    assert result.stderr == f"错误：{message}\n"


def test_revoke_takes_an_id_typed_in_capitals_with_spaces_and_refuses_a_revocation(runner, workdir):
    log = workdir / "progress.jsonl"
    write_log(log, *TWINS)
    args = ["update", "--revoke", " 515C5A24F3 ", "--note", " 误报 ", "--by", " 督查室 "]
    result = run(runner, workdir, *args)
    assert result.stderr == (f"已撤销 记录 515c5a24f3（序号 1，2023-06-01，序时推进）→ {log}\n")
    assert log.read_text(encoding="utf-8").splitlines()[2] == line(
        序号=1, 日期="2023-06-01", 撤销="515c5a24f3", 说明="误报", 填报人="督查室",
        记录时间="2023-07-10T09:00:00.000000+08:00",
    )  # fmt: skip
    undo = run(runner, workdir, "history", "1", "--all", "--format", "tsv").stdout.splitlines()
    uid = undo[-1].split("\t")[0]
    again = run(runner, workdir, "update", "--revoke", uid, code=2)
    assert again.stderr == (
        f"错误：记录 {uid} 是撤销记录（撤销了 515c5a24f3），不能再撤销；"
        "被撤销的内容仍然有效的话，请用 taskctl update 重新填报\n"
    )


# views: the ledger as the reports read it ----------------------------------------------------


@pytest.fixture(params=["cached", "uncached"])
def either_read(request, monkeypatch):
    """The test runs twice: the ledger read through the parse cache, and without it."""
    if request.param == "uncached":
        monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    return request.param


def hand_written(task: int, date: str, status: str, progress: int, note: str, by: str) -> str:
    return line(序号=task, 日期=date, 状态=status, 进度=progress, 说明=note, 填报人=by)


def test_a_reports_new_entries_are_those_of_its_days_both_ends_included(
    runner, workdir, either_read
):
    write_log(
        workdir / "progress.jsonl",
        hand_written(1, "2023-05-31", "序时推进", 20, "五月末", "住建局"),
        hand_written(1, "2023-06-01", "序时推进", 30, "六月初", "住建局"),
        line(序号=2, 日期="2023-06-15", 说明="征地未完成", 延期="2023-12-31", 填报人="住建局"),
        hand_written(3, "2023-06-10", "序时推进", 10, "已立项", "住建局"),
        hand_written(2, "2023-06-30", "已完成", 100, "六月末", "财政局"),
        hand_written(1, "2023-07-01", "序时推进", 40, "七月初", "住建局"),
    )
    args = ["report", "--since", "2023-06-01", "--until", "2023-06-30", "--id", "1,2"]
    result = run(runner, workdir, *args, "--as-of", "2023-07-05", "--format", "json")
    new = json.loads(result.stdout)["new_entries"]
    assert [(e["id"], e["date"], e["note"]) for e in new] == [
        (1, "2023-06-01", "六月初"),
        (2, "2023-06-30", "六月末"),
    ]


# store: what update reads of the log -----------------------------------------------------------

MAIN_DONE = Entry(1, day("2023-06-08"), "序时推进", 70, "主体完工", "住建局")
ABOUT = [
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=30, 说明="开工", 填报人="住 建 局"),
    line(序号=1, 日期="2023-06-02", 状态="序时推进", 进度=50, 说明="", 填报人="财政局"),
    line(序号=3, 分项=2, 日期="2023-06-03", 状态="滞后", 进度=20, 说明="", 填报人="住建局"),
    line(序号=3, 分项=1, 日期="2023-06-04", 状态="序时推进", 进度=60, 说明="", 填报人="住建局"),
    line(序号=1, 日期="2023-06-08", 状态="序时推进", 进度=70, 说明="主体完工", 填报人="住建局"),
    line(序号=1, 日期="2023-06-09", 撤销=MAIN_DONE.uid, 说明="误报", 填报人="督查室"),
    line(序号=2, 日期="2023-06-09", 状态="序时推进", 进度=5, 说明="", 填报人="住建局"),
]


@pytest.mark.parametrize("chunk", [8, 100, 1 << 16, -1])
def test_the_last_report_of_each_task_is_found_reading_the_log_backwards(workdir, chunk):
    from taskctl.progress import entries_about

    log = workdir / "progress.jsonl"
    write_log(log, *ABOUT)
    if chunk < 0:  # the first chunk read from the end leaves one byte before it
        chunk = log.stat().st_size - 1

    def found(*args, **kwargs):
        return [
            (e.id, e.part, e.date.isoformat(), e.progress, e.revokes, e.by)
            for e in entries_about(log, *args, chunk=chunk, **kwargs)
        ]

    revoked = (1, 0, "2023-06-09", None, MAIN_DONE.uid, "督查室")
    # 住建局's own: the revoked one is passed over, the line with spaces in its name is its own
    assert found([1, (3, 2)], by="住建局") == [
        revoked,
        (1, 0, "2023-06-08", 70, "", "住建局"),
        (3, 2, "2023-06-03", 20, "", "住建局"),
        (1, 0, "2023-06-01", 30, "", "住 建 局"),
    ]
    assert found([9]) == []  # never reported: the whole log is read, once
    # anyone's: the last that stands
    assert found([1]) == [
        revoked,
        (1, 0, "2023-06-08", 70, "", "住建局"),
        (1, 0, "2023-06-02", 50, "", "财政局"),
    ]


def test_update_checks_a_lower_progress_against_the_last_report_not_revoked(runner, workdir):
    write_log(workdir / "progress.jsonl", *ABOUT)
    args = ["update", "1", "--status", "序时推进", "--by", "住建局", "--date", "2023-06-10"]
    result = run(runner, workdir, *args, "--progress", "25", code=2)
    assert result.stderr == (
        "错误：序号 1 的进度由 30%（2023-06-01）降为 25%：进度下降须用 --note 写明原因\n"
    )
    run(runner, workdir, *args, "--progress", "40")


def at(hour: str) -> str:
    return f"2023-06-01T{hour}:00:00.000000+08:00"


GROWING = [
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=30, 说明="初报", 填报人="住建局",
         记录时间=at("09")),
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=40, 说明="", 填报人="财政局",
         记录时间=at("09")),
    line(序号=3, 分项=1, 日期="2023-06-02", 状态="序时推进", 进度=50, 说明="", 填报人="住建局",
         记录时间=at("09")),
    line(序号=3, 分项=2, 日期="2023-06-02", 状态="滞后", 进度=20, 说明="", 填报人="住建局",
         记录时间=at("09")),
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=35, 说明="更正", 填报人="住建局",
         记录时间=at("10")),
    line(序号=3, 分项=2, 日期="2023-06-02", 状态="滞后", 进度=25, 说明="更正", 填报人="住建局",
         记录时间=at("10")),
    line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=33, 说明="补录", 填报人="住建局",
         记录时间=at("08")),
    line(序号=1, 日期="2023-06-01", 说明="征地未完成", 延期="2023-12-31", 填报人="住建局",
         记录时间=at("11")),
    line(序号=2, 日期="2023-05-30", 状态="未启动", 说明="", 填报人="住建局", 记录时间=at("11")),
    line(序号=3, 分项=2, 日期="2023-06-02", 状态="滞后", 进度=22, 说明="补录", 填报人="住建局",
         记录时间=at("08")),
]  # fmt: skip


@pytest.mark.parametrize("cached", [2, 4, 6, 9, 10])
def test_a_log_read_from_the_cache_as_it_grows_merges_as_a_fresh_read(workdir, monkeypatch, cached):
    from taskctl.progress import read_log

    log = workdir / "progress.jsonl"
    write_log(log, *GROWING[:cached])
    read_log(log)  # into the parse cache
    with open(log, "a", encoding="utf-8") as handle:
        handle.write("".join(f"{text}\n" for text in GROWING[cached:]))
    expected = [
        (1, 0, "2023-06-01", "住建局", "序时推进", 35, "更正", ""),
        (1, 0, "2023-06-01", "财政局", "序时推进", 40, "", ""),
        (1, 0, "2023-06-01", "住建局", "", None, "征地未完成", "2023-12-31"),
        (2, 0, "2023-05-30", "住建局", "未启动", None, "", ""),
        (3, 1, "2023-06-02", "住建局", "序时推进", 50, "", ""),
        (3, 2, "2023-06-02", "住建局", "滞后", 25, "更正", ""),
    ]

    def merged():
        return [
            (e.id, e.part, e.date.isoformat(), e.by, e.status, e.progress, e.note, e.extend)
            for e in read_log(log)
        ]

    assert merged() == expected
    monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    assert merged() == expected


# entry: a ledger line as written by hand or by another tool ------------------------------------


@pytest.fixture
def beijing_time():
    """The local time zone is UTC+8 (what a naive 记录时间 is read in)."""
    import os
    import time

    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


READ = [
    (
        '{"序号": 1, "日期": "2023/6/5", "状态": "done", "进度": "100%", "说明": "", "填报人": "住建局"}',
        ("2023-06-05", "已完成", 100, "住建局", None, "", ""),
    ),
    (
        '{"序号": 1, "日期": " 2023.6.5 ", "状态": " 序时 推进 ", "进度": " 50 ", "说明": null, '
        '"填报人": null}',
        ("2023-06-05", "序时推进", 50, "", None, "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "ON_TRACK", "进度": 0, "说明": ""}',
        ("2023-06-05", "序时推进", 0, "", None, "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "滞后", "说明": 5, "填报人": 7}',
        ("2023-06-05", "滞后", None, "7", None, "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "滞后", "说明": "", '
        '"记录时间": "2023-06-05T09:00:00"}',
        ("2023-06-05", "滞后", None, "", "2023-06-05T09:00:00+08:00", "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "滞后", "说明": "", '
        '"记录时间": " 2023-06-05T09:00:00+08:00 "}',
        ("2023-06-05", "滞后", None, "", "2023-06-05T09:00:00+08:00", "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "滞后", "说明": "", '
        '"记录时间": "2023-06-05T01:00:00Z"}',
        ("2023-06-05", "滞后", None, "", "2023-06-05T01:00:00+00:00", "", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "说明": "", "延期": "2023/12/1", "填报人": "住建局"}',
        ("2023-06-05", "", None, "住建局", None, "2023-12-01", ""),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "状态": "", "说明": "", "审核": "销号", "填报人": "督查室"}',
        ("2023-06-05", "", None, "督查室", None, "", "销号"),
    ),
    (
        '{"序号": 1, "日期": "2023-06-05", "说明": "", "审核": " 销号 ", "填报人": "督查室"}',
        ("2023-06-05", "", None, "督查室", None, "", "销号"),
    ),
    (  # a 延期 request written by hand with a 状态: shown as written (it counts for nothing)
        '{"序号": 1, "日期": "2023-06-05", "状态": "滞后", "说明": "", "延期": "2023-12-31", '
        '"填报人": "住建局"}',
        ("2023-06-05", "滞后", None, "住建局", None, "2023-12-31", ""),
    ),
]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('"说明": 5, "填报人": "住建局"', ("5", "住建局")),
        ('"说明": "", "填报人": 7', ("", "7")),
    ],
)
def test_a_note_or_unit_written_as_a_number_is_read_as_its_text(runner, workdir, written, read):
    write_log(
        workdir / "progress.jsonl",
        f'{{"序号": 1, "日期": "2023-06-05", "状态": "滞后", {written}}}',
    )
    (record,) = json.loads(run(runner, workdir, "history", "1", "--format", "json").stdout)
    assert (record["note"], record["by"]) == read


@pytest.mark.parametrize(("written", "read"), READ)
def test_a_ledger_line_is_read_as_meant(runner, workdir, beijing_time, written, read):
    write_log(workdir / "progress.jsonl", written)
    (record,) = json.loads(run(runner, workdir, "history", "1", "--format", "json").stdout)
    keys = ("date", "status", "progress", "by", "recorded_at", "extend", "review")
    assert tuple(record.get(k, "") for k in keys) == read


STATES = "未启动（not-started）、序时推进（on-track）、滞后（behind）、已完成（done）"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"日期": "2023-13-01", "状态": "滞后"', "日期「2023-13-01」不存在（请检查月份和日期）"),
        ('"日期": "2023-02-30", "状态": "滞后"', "日期「2023-02-30」不存在（请检查月份和日期）"),
        ('"日期": null, "状态": "滞后"', "日期「」应写成 YYYY-MM-DD，如 2023-06-05"),
        ('"日期": "20230605", "状态": "滞后"', "日期「20230605」应写成 YYYY-MM-DD，如 2023-06-05"),
        (
            '"日期": "2023-W23-1", "状态": "滞后"',
            "日期「2023-W23-1」应写成 YYYY-MM-DD，如 2023-06-05",
        ),
        (
            '"分项": 1, "日期": "2023-W23-1", "状态": "滞后"',  # not as taskctl writes: _entry
            "日期「2023-W23-1」应写成 YYYY-MM-DD，如 2023-06-05",
        ),
        ('"日期": "2023-06-05", "状态": null', f"未知的状态「」：应为 {STATES} 之一"),
        ('"日期": "2023-06-05", "状态": ["滞后"]', f"未知的状态「['滞后']」：应为 {STATES} 之一"),
        ('"日期": "2023-06-05", "状态": "滞后", "进度": true', "进度「None」应为 0 到 100 的整数"),
        (
            '"日期": "2023-06-05", "状态": "滞后", "进度": 101',
            "进度 101 超出范围：应为 0 到 100 的整数",
        ),
        (
            '"日期": "2023-06-05", "状态": "滞后", "进度": -1',
            "进度 -1 超出范围：应为 0 到 100 的整数",
        ),
        (
            '"分项": 0, "日期": "2023-06-05", "状态": "滞后"',
            "分项应为正整数（5.2 的 2），得到「0」",
        ),
        (
            '"分项": true, "日期": "2023-06-05", "状态": "滞后"',
            "分项应为正整数（5.2 的 2），得到「True」",
        ),
        (
            '"日期": "2023-06-05", "状态": "滞后", "记录时间": "昨天"',
            "记录时间「昨天」应为 ISO 时间，如 2023-06-05T09:30:00+08:00",
        ),
        ('"日期": "2023-06-05", "延期": "明年"', "延期「明年」应写成 YYYY-MM-DD，如 2023-06-05"),
    ],
)
def test_a_ledger_line_that_cannot_be_read_names_what_is_wrong(runner, workdir, written, message):
    write_log(workdir / "progress.jsonl", f'{{"序号": 1, {written}, "说明": ""}}')
    result = run(runner, workdir, "history", "1", code=2)
    assert result.stderr == f"错误：{workdir / 'progress.jsonl'} 第 1 行：{message}\n"


@pytest.mark.parametrize("task", ["true", "0"])
def test_a_ledger_line_needs_a_positive_id(runner, workdir, task):
    write_log(
        workdir / "progress.jsonl", f'{{"序号": {task}, "日期": "2023-06-05", "状态": "滞后"}}'
    )
    result = run(runner, workdir, "history", "1", code=2)
    shown = "True" if task == "true" else task
    assert result.stderr == (
        f"错误：{workdir / 'progress.jsonl'} 第 1 行：序号应为正整数，得到「{shown}」\n"
    )


YEAR_LIST = """\
标题: 测试清单
年度: 2023
办结审核: false
sections:
- 编号: 一
  标题: 城市建设
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    完成时限: 2023-09-30
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [财政局]
    完成时限: 2023-09-30
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [交通局]
    完成时限: 2023-09-30
"""


def test_the_year_ranking_counts_a_task_on_time_by_the_first_day_it_was_done(
    runner, workdir, either_read
):
    (workdir / "tasks.yaml").write_text(YEAR_LIST, encoding="utf-8")
    write_log(
        workdir / "progress.jsonl",
        hand_written(
            1, "2023-10-05", "已完成", 100, "", "住建局"
        ),  # late, on the day of the report
        hand_written(2, "2023-10-05", "已完成", 100, "", "财政局"),
        hand_written(2, "2023-09-20", "已完成", 100, "补录", "财政局"),  # done before: on time
        hand_written(3, "2023-09-30", "已完成", 100, "", "交通局"),  # on its deadline
    )
    args = ["report", "--year", "2023", "--as-of", "2023-10-05", "--format", "json"]
    ranking = json.loads(run(runner, workdir, *args).stdout)["ranking"]["dept"]
    assert [(r["group"], r["done"], r["on_time"], r["rank"]) for r in ranking] == [
        ("财政局", 1, 1, 1),
        ("交通局", 1, 1, 1),
        ("住建局", 1, 0, 3),
    ]


def test_a_revoked_line_copied_again_after_the_cached_part_stays_revoked(workdir):
    from taskctl.progress import read_log

    wrong = line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=30, 说明="误报", 填报人="住建局",
                 记录时间="2023-06-01T09:00:00.000000+08:00")  # fmt: skip
    uid = Entry(1, day("2023-06-01"), "序时推进", 30, "误报", "住建局",
                dt.datetime(2023, 6, 1, 9, tzinfo=CST)).uid  # fmt: skip
    log = workdir / "progress.jsonl"
    write_log(
        log,
        wrong,
        line(序号=1, 日期="2023-06-02", 撤销=uid, 说明="", 填报人="督查室"),
        hand_written(2, "2023-06-01", "序时推进", 5, "已立项", "住建局"),
    )
    assert [e.note for e in read_log(log)] == ["已立项"]  # into the parse cache
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{wrong}\n")  # a sync tool copies the line again
    assert [e.note for e in read_log(log)] == ["已立项"]


def test_a_line_with_spaces_after_it_is_read(runner, workdir):
    written = hand_written(1, "2023-06-01", "序时推进", 10, "尾随空格", "住建局")
    write_log(workdir / "progress.jsonl", f"{written}   ")
    listed = run(runner, workdir, "history", "1", "--format", "tsv").stdout
    assert listed == "2023-06-01\t序时推进\t10%\t尾随空格\t住建局\t\n"


def test_history_all_of_a_ledger_folder_goes_file_by_file_in_name_order(runner, workdir):
    folder = workdir / "进度"
    folder.mkdir()
    for unit, note in (("财政局", "财"), ("住建局", "住"), ("发改局", "发")):  # not in name order
        write_log(
            folder / f"{unit}.jsonl", hand_written(2, "2023-06-01", "序时推进", 10, note, unit)
        )
    result = runner.invoke(
        cli,
        ["history", "2", "--all", "--format", "tsv", "--file", str(workdir / "tasks.yaml"),
         "--ledger", f"{folder}/"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [row.split("\t")[4] for row in result.stdout.splitlines()] == ["住", "发", "财"]


def test_a_correction_appended_to_a_cached_log_replaces_its_day_whatever_the_order(workdir):
    from taskctl.progress import read_log

    log = workdir / "progress.jsonl"
    write_log(
        log,
        hand_written(2, "2023-06-01", "序时推进", 10, "二号", "住建局"),
        hand_written(2, "2023-06-02", "序时推进", 15, "二号二日", "住建局"),
        hand_written(1, "2023-06-05", "序时推进", 40, "一号五日", "住建局"),
        hand_written(1, "2023-06-01", "滞后", 20, "一号一日", "住建局"),
        hand_written(1, "2023-06-03", "序时推进", 30, "一号三日", "财政局"),
    )
    read_log(log)  # into the parse cache
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(hand_written(1, "2023-06-01", "滞后", 25, "一号一日更正", "住建局") + "\n")
    assert [(e.id, e.date.isoformat(), e.note) for e in read_log(log)] == [
        (1, "2023-06-01", "一号一日更正"),
        (1, "2023-06-03", "一号三日"),
        (1, "2023-06-05", "一号五日"),
        (2, "2023-06-01", "二号"),
        (2, "2023-06-02", "二号二日"),
    ]


def test_a_one_line_log_with_a_stray_brace_is_refused(runner, workdir):
    written = hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局")
    write_log(workdir / "progress.jsonl", written + "}")
    result = run(runner, workdir, "history", "1", code=2)
    assert result.stderr == (
        f"错误：{workdir / 'progress.jsonl'} 第 1 行：这一行不是有效的进度记录（文件中间的行已损坏或"
        "被改动）；请按其他各行的格式改正或删去这一行\n"
    )


@pytest.mark.parametrize(
    ("tail", "said"),
    [
        ("xy", "警告：{log} 第 2 行不完整（可能是写入时被中断），已跳过\n"),  # a write under way
        ("xy\n", "错误：{log} 第 2 行：这一行不是有效的进度记录（文件中间的行已损坏或被改动）；"
                 "请按其他各行的格式改正或删去这一行\n"),  # a finished line: damaged
    ],
)  # fmt: skip
def test_text_after_the_last_newline_is_a_write_under_way(runner, workdir, tail, said):
    log = workdir / "progress.jsonl"
    good = hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局")
    log.write_text(f"{good}\n{tail}", encoding="utf-8")
    result = runner.invoke(
        cli, ["history", "1", "--format", "tsv", "--file", str(workdir / "tasks.yaml"),
              "--ledger", str(log)],
    )  # fmt: skip
    assert result.stderr == said.format(log=log)
    if said.startswith("警告"):
        assert result.stdout == "2023-06-01\t序时推进\t10%\t\t住建局\t\n"


WHEN = dt.datetime(2023, 6, 5, 9, 30, 12, 123456, tzinfo=CST)
REPORT = dict(id=7, date=day("2023-06-05"), status="序时推进", progress=40, note="已开工",
              by="住建局", recorded_at=WHEN)  # fmt: skip
KINDS = {
    "411e5ca463": Entry(**REPORT),
    "735c470155": Entry(**{**REPORT, "recorded_at": None}),
    "5468358a6c": Entry(**REPORT, problem="资金未到位", next_step="争取专项债", period="2023-W23",
                        origin="a.xlsx 第 5 行", reply="r1"),
    "3a58aa892c": Entry(**REPORT, received="2023-06-06"),
    "c834f57de3": Entry(**REPORT, part=2),
    "ac89b99048": Entry(7, day("2023-06-05"), "", by="督查室", recorded_at=WHEN,
                        revokes="0123456789"),
    "d3607f5d10": Entry(7, day("2023-06-05"), "", note="缺材料", by="督查室", recorded_at=WHEN,
                        review="退回", unit="住建局", answers="0123456789"),
    "373965dc6a": Entry(7, day("2023-06-05"), "", note="征地", by="住建局", recorded_at=WHEN,
                        extend="2023-12-31"),
    "65bec5118b": Entry(**REPORT, evidence=(("佐证材料/7-住建局-a.pdf", 5, "ab"),)),
    # a file a reply named but did not send (collect): no size, no sha256 written
    "b6bd90ba25": Entry(**REPORT, evidence=(("照片.jpg", -1, ""),)),
}  # fmt: skip


def test_each_kind_of_record_keeps_its_id_and_reads_back_as_written(workdir):
    from taskctl.progress import append, read_all

    assert {entry.uid: entry for entry in KINDS.values()} == KINDS
    log = workdir / "progress.jsonl"
    append(log, list(KINDS.values()))
    again = read_all(log)
    assert again == list(KINDS.values())
    written = [json.loads(text) for text in log.read_text(encoding="utf-8").splitlines()]
    # a revocation, a review and a 延期 request are no reports: they have no 状态
    assert ["状态" in record for record in written] == [True] * 5 + [False] * 3 + [True] * 2
    assert written[-1]["佐证材料"] == [{"文件": "照片.jpg"}]
    assert [entry.uid for entry in again] == list(KINDS)


def test_a_file_of_nothing_but_an_unfinished_line_is_no_ledger_but_a_grown_one_is(runner, workdir):
    log = workdir / "progress.jsonl"
    args = ["history", "1", "--format", "tsv", "--file", str(workdir / "tasks.yaml"),
            "--ledger", str(log)]  # fmt: skip
    log.write_text("xy", encoding="utf-8")
    refused = runner.invoke(cli, args)
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"错误：{log}：没有一行有效的进度记录，不像进度台账；请检查 --ledger 所指的文件\n",
    )
    write_log(log, hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局"))
    assert runner.invoke(cli, args).stdout == "2023-06-01\t序时推进\t10%\t\t住建局\t\n"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"序号": 1, "日')  # read again from where the parse cache left off
    grown = runner.invoke(cli, args)
    assert (grown.exit_code, grown.stdout, grown.stderr) == (
        0,
        "2023-06-01\t序时推进\t10%\t\t住建局\t\n",
        f"警告：{log} 第 2 行不完整（可能是写入时被中断），已跳过\n",
    )


@pytest.mark.parametrize("grown", [False, True])
def test_bytes_that_are_not_utf8_are_named_by_their_line_in_the_cache_or_not(
    runner, workdir, grown
):
    log = workdir / "progress.jsonl"
    args = ["history", "1", "--format", "tsv", "--file", str(workdir / "tasks.yaml"),
            "--ledger", str(log)]  # fmt: skip
    write_log(log, hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局"))
    if grown:
        assert runner.invoke(cli, args).exit_code == 0  # into the parse cache
    with open(log, "ab") as handle:
        handle.write(hand_written(1, "2023-06-02", "序时推进", 20, "~", "住建局")
                     .replace("~", "\udcff").encode("utf-8", "surrogateescape") + b"\n")  # fmt: skip
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{log} 第 2 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试\n",
    )


def test_no_cache_means_no_cache_entry_is_written(workdir, monkeypatch):
    import os

    from taskctl.progress import read_log

    monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    log = workdir / "progress.jsonl"
    write_log(log, hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局"))
    assert [e.progress for e in read_log(log)] == [10]
    folder = Path(os.environ["TASKCTL_CACHE_DIR"])
    assert not folder.exists() or not any(folder.iterdir())


def test_update_takes_a_progress_of_0_and_one_typed_with_a_percent_and_a_space(runner, workdir):
    args = ["--by", "住建局", "--date", "2023-06-01"]
    run(runner, workdir, "update", "1", "--status", "序时推进", "--progress", "60% ", *args)
    run(runner, workdir, "update", "2", "--status", "未启动", "--progress", "0", *args)
    written = (workdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(x["序号"], x["状态"], x["进度"]) for x in map(json.loads, written)] == [
        (1, "序时推进", 60),
        (2, "未启动", 0),
    ]


def test_of_two_untimed_lines_of_a_unit_and_day_the_later_stands(runner, workdir, either_read):
    write_log(
        workdir / "progress.jsonl",
        hand_written(1, "2023-06-01", "序时推进", 30, "初报", "住建局"),
        hand_written(1, "2023-06-01", "滞后", 20, "更正", "住建局"),
        line(
            序号=3,
            分项=1,
            日期="2023-06-01",
            状态="序时推进",
            进度=30,
            说明="初报",
            填报人="住建局",
        ),
        line(序号=3, 分项=1, 日期="2023-06-01", 状态="滞后", 进度=20, 说明="更正", 填报人="住建局"),
    )
    for task in ("1", "3"):
        listed = run(runner, workdir, "history", task, "--format", "tsv").stdout
        assert [row.split("\t")[-3] for row in listed.splitlines()] == ["更正"]


def test_a_revocation_appended_after_the_cached_part_takes_effect(runner, workdir):
    from taskctl.progress import read_log

    log = workdir / "progress.jsonl"
    write_log(log, *TWINS)
    assert [e.note for e in read_log(log)] == ["第125次"]  # the later line of the day stands
    run(runner, workdir, "update", "--revoke", "515c170cef")
    assert [e.note for e in read_log(log)] == ["第105次"]


@pytest.mark.parametrize("blank", ["", "\n  \n"])
def test_an_empty_or_blank_ledger_has_no_reports(runner, workdir, blank, either_read):
    (workdir / "progress.jsonl").write_text(blank, encoding="utf-8")
    result = run(runner, workdir, "history", "1", "--format", "tsv")
    assert (result.stdout, result.stderr) == (
        "",
        "没有符合条件的填报记录（序号 1 尚未填报，状态为 未启动）\n",
    )


# views: review events read from the parse cache -------------------------------------------------

REQUEST = Entry(3, day("2023-06-05"), "", note="征地未完成", by="住建局",
                recorded_at=dt.datetime(2023, 6, 5, 9, tzinfo=CST), extend="2024-03-31")  # fmt: skip


def test_an_extension_granted_on_a_task_not_yet_done_moves_its_deadline_read_cold_or_cached(
    runner, workdir
):
    granted = Entry(3, day("2023-06-06"), "", note="同意", by="督查室",
                    recorded_at=dt.datetime(2023, 6, 6, 9, tzinfo=CST), review="准予延期",
                    unit="住建局", answers=REQUEST.uid)  # fmt: skip
    write_log(
        workdir / "progress.jsonl",
        line(
            序号=3, 日期="2023-06-01", 状态="序时推进", 进度=30, 填报人="住建局", 记录时间=at("09")
        ),
        REQUEST.to_line().decode().strip(),
        granted.to_line().decode().strip(),
    )
    args = ["list", "--id", "3", "--as-of", "2023-07-10", "--format", "json"]
    for _ in ("cold", "from the parse cache"):
        (record,) = json.loads(run(runner, workdir, *args).stdout)
        assert (record["status"], record["updated"], record["deadline"]) == (
            "序时推进",
            "2023-06-01",
            "2024-03-31",
        )


def test_a_hand_written_extension_request_with_a_status_is_no_report_read_cold_or_cached(
    runner, workdir
):
    """A 延期 request never stands for a unit's progress (docs/formats.md), even written by
    hand with a 状态: the unit's last report stays its report of 06-01, from the cache too."""
    write_log(
        workdir / "progress.jsonl",
        hand_written(1, "2023-06-01", "序时推进", 30, "", "住建局"),
        line(
            序号=1, 日期="2023-06-05", 状态="已完成", 进度=100, 延期="2023-12-31", 填报人="住建局"
        ),
    )
    args = ["list", "--id", "1", "--as-of", "2023-07-10", "--format", "tsv"]
    for _ in ("cold", "from the parse cache"):
        assert run(runner, workdir, *args).stdout == (
            "1\t一\t新建5G基站200个\t张辉\t住建局\t财政局\t序时推进\t30%\t2023-06-01\t红\n"
        )
    result = run(runner, workdir, "report", "--since", "2023-06-01", "--until", "2023-06-30",
                 "--id", "1", "--as-of", "2023-07-10", "--format", "json")  # fmt: skip
    assert [(e["date"], e["note"]) for e in json.loads(result.stdout)["new_entries"]] == [
        ("2023-06-01", "")
    ]


# store: lines as other editors and tools leave them, and where update may write -----------------


def test_a_damaged_line_of_a_ledger_saved_with_windows_line_ends_is_an_error_not_a_torn_line(
    runner, workdir
):
    """Notepad keeps \\r\\n: a hand-edited line ending in ``,}\\r`` is damaged, not a record cut
    off by a killed writer (which has no closing brace), so it is not skipped."""
    damaged = hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局")[:-1] + ",}"
    good = hand_written(1, "2023-06-02", "序时推进", 20, "", "住建局")
    (workdir / "progress.jsonl").write_bytes(f"{damaged}\r\n{good}\r\n".encode())
    result = run(runner, workdir, "history", "1", code=2)
    assert result.stderr == (
        f"错误：{workdir / 'progress.jsonl'} 第 1 行：这一行不是有效的进度记录（文件中间的行已损坏或"
        "被改动）；请按其他各行的格式改正或删去这一行\n"
    )


def test_the_same_moment_written_in_two_time_zones_keeps_the_later_line(runner, workdir):
    """Two reports of a unit and day recorded at one moment (another tool wrote it in UTC): the
    later line in the file stands, as for two lines without a time."""
    write_log(
        workdir / "progress.jsonl",
        line(序号=1, 日期="2023-06-01", 状态="序时推进", 进度=30, 说明="初报", 填报人="住建局",
             记录时间="2023-06-01T09:00:00+08:00"),
        line(序号=1, 日期="2023-06-01", 状态="滞后", 进度=20, 说明="更正", 填报人="住建局",
             记录时间="2023-06-01T01:00:00+00:00"),
    )  # fmt: skip
    for _ in ("cold", "from the parse cache"):
        listed = run(runner, workdir, "history", "1", "--format", "tsv").stdout
        assert listed == "2023-06-01\t滞后\t20%\t更正\t住建局\t2023-06-01T01:00:00+00:00\n"


def test_reading_the_ledger_leaves_the_collector_running(workdir):
    import gc

    from taskctl.progress import read_all, read_log

    write_log(
        workdir / "progress.jsonl", hand_written(1, "2023-06-01", "序时推进", 10, "", "住建局")
    )
    assert [e.progress for e in read_all(workdir / "progress.jsonl")] == [10]
    assert gc.isenabled()
    assert [e.progress for e in read_log(workdir / "progress.jsonl")] == [10]
    assert gc.isenabled()


UPDATE = ["update", "1", "--status", "序时推进", "--progress", "40", "--by", "住建局",
          "--date", "2023-06-02"]  # fmt: skip


@pytest.mark.parametrize(
    "before",
    [
        "\n  \n",  # blank lines only
        '{"序号": 1, "日\n',  # a record cut off by a killed writer, then the next one
    ],
)
def test_update_appends_to_a_ledger_of_blank_lines_or_one_starting_with_a_cut_off_line(
    runner, workdir, before
):
    log = workdir / "progress.jsonl"
    good = hand_written(1, "2023-06-01", "序时推进", 30, "", "住建局")
    log.write_text(before + (good + "\n" if before.startswith("{") else ""), encoding="utf-8")
    run(runner, workdir, *UPDATE)
    written = log.read_text(encoding="utf-8").splitlines()[-1]
    assert (json.loads(written)["日期"], json.loads(written)["进度"]) == ("2023-06-02", 40)


def test_an_extension_request_is_not_appended_to_the_task_list_named_as_the_ledger(runner, workdir):
    tasks = workdir / "tasks.yaml"
    args = ["update", "1", "--extend", "2023-12-31", "--note", "征地未完成", "--by", "住建局",
            "--file", str(tasks), "--ledger", str(tasks)]  # fmt: skip
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{tasks}：不是进度台账（应为空文件或每行一条 JSON 记录），未写入任何内容；"
        "是否把清单文件写成了 --ledger？清单用 --file 指定\n",
    )
    assert tasks.read_text(encoding="utf-8") == LIST


def test_of_two_replies_of_a_unit_recorded_at_one_time_the_later_in_the_log_stands(runner, workdir):
    """Two replies (回执) of one unit for one round, written with the same 记录时间 (by another
    tool, or within one clock tick): the later line's reply stands, the earlier is 已被更正."""
    reply = dict(日期="2023-06-02", 状态="序时推进", 期间="2023-W22", 填报人="住建局",
                 记录时间="2023-06-02T09:00:00+08:00")  # fmt: skip
    write_log(
        workdir / "progress.jsonl",
        line(序号=1, 进度=30, 说明="初报", 回执="r1", **reply),
        line(序号=1, 进度=40, 说明="重报", 回执="r2", **reply),
    )
    listed = run(runner, workdir, "history", "1", "--all", "--format", "tsv").stdout
    assert [row.split("\t")[3:] for row in listed.splitlines()] == [
        ["30%", "初报", "住建局", "2023-06-02T09:00:00+08:00", "已被更正"],
        ["40%", "重报", "住建局", "2023-06-02T09:00:00+08:00", ""],
    ]


@pytest.mark.parametrize(
    ("note", "by", "shown"),
    [
        ("资金未到位\\ud83d", "住建局", ("资金未到位\ufffd", "住建局")),
        ("资金已到位", "住建局\\udc4d", ("资金已到位", "住建局\ufffd")),
    ],
)
def test_half_an_emoji_in_the_note_or_the_reporter_alone_is_shown_as_a_replacement(
    tmp_path, note, by, shown
):
    """A tool that cuts an emoji in half leaves a lone surrogate in one field only; that field
    reads U+FFFD and the other is kept as written."""
    from taskctl.progress import read_log

    log = tmp_path / "progress.jsonl"
    log.write_text(
        f'{{"序号": 7, "日期": "2023-06-05", "状态": "滞后", "进度": 10, '
        f'"说明": "{note}", "填报人": "{by}"}}\n',
        encoding="utf-8",
    )
    for _ in range(2):  # as read, then from the parse cache
        (entry,) = read_log(log)
        assert (entry.note, entry.by) == shown
