"""办结审核: 待审核, review --approve/--return/--reopen, 延期 on approval, 佐证材料 (issue 21)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from taskctl.cli import cli
from taskctl.loader import load
from taskctl.progress import read_log
from taskctl.review import review_events
from tests.conftest import BUNDLED

NOW = dt.datetime(2023, 7, 10, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# Task 9 is led by 发改局 alone; task 32 by 农业农村局, 自然资源局 and 妇联 (see data/tasks.yaml).


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    moments = iter(NOW + dt.timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: next(moments))


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(runner, *args: str, code: int = 0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result


def show(runner, task: int, as_of: str = "2023-07-10") -> dict:
    return json.loads(run(runner, "show", str(task), "--as-of", as_of, "--format", "json").stdout)


def unit(record: dict, name: str) -> dict:
    return next(u for u in record["units"] if u["unit"] == name)


def report(runner, task: int, status: str, by: str, date: str, *more: str):
    return run(runner, "update", str(task), "--status", status, "--by", by, "--date", date, *more)


def test_a_units_done_is_pending_until_approved_and_counts_as_not_done(runner, workdir):
    report(runner, "9", "序时推进", "发改局", "2023-06-01", "--progress", "60")
    report(runner, "9", "已完成", "发改局", "2023-07-01", "--progress", "100")
    record = show(runner, 9)
    assert (record["status"], record["progress"], record["review"]) == ("序时推进", 60, "待审核")
    assert unit(record, "发改局")["review"]["review"] == "待审核"
    stats = json.loads(run(runner, "stats", "--as-of", "2023-07-10", "--format", "json").stdout)
    assert stats[-1]["done"] == 0
    result = run(runner, "review", "9", "--approve", "--date", "2023-07-05")
    assert result.stderr == (
        f"已销号 序号 9 发改局 的办结（2023-07-01 申请） → {Path('data/progress.jsonl')}\n"
    )
    record = show(runner, 9)
    assert (record["status"], record["progress"], record["review"]) == ("已完成", 100, "已销号")
    stats = json.loads(run(runner, "stats", "--as-of", "2023-07-10", "--format", "json").stdout)
    assert stats[-1]["done"] == 1


def test_return_puts_the_part_back_with_the_reason_until_the_unit_reports_again(runner, workdir):
    report(runner, "9", "滞后", "发改局", "2023-06-01", "--progress", "30")
    report(runner, "9", "已完成", "发改局", "2023-07-01", "--progress", "100")
    run(runner, "review", "9", "--return", "缺竣工验收报告", "--date", "2023-07-03")
    record = show(runner, 9)
    assert (record["status"], record["light"], record["review"]) == ("滞后", "红", "退回")
    assert unit(record, "发改局")["review"]["reason"] == "缺竣工验收报告"
    plain = run(runner, "show", "9", "--as-of", "2023-07-10").stdout
    assert (
        "办结审核\t发改局 退回（2023-07-01 申请办结，2023-07-03 督查室退回）：缺竣工验收报告"
        in plain
    )
    # nothing is pending any more: a second review is refused
    result = run(runner, "review", "9", "--approve", "--date", "2023-07-04", code=2)
    assert result.stderr == "错误：序号 9 没有待审核的申请\n"
    report(runner, "9", "已完成", "发改局", "2023-07-06", "--progress", "100")
    assert show(runner, 9)["review"] == "待审核"


def test_reopen_turns_a_closed_part_back(runner, workdir):
    report(runner, "9", "序时推进", "发改局", "2023-06-01", "--progress", "80")
    report(runner, "9", "已完成", "发改局", "2023-07-01", "--progress", "100")
    run(runner, "review", "9", "--reopen", "x", "--date", "2023-07-02", code=2)  # not closed yet
    run(runner, "review", "9", "--approve", "--date", "2023-07-02")
    run(runner, "review", "9", "--reopen", "回访发现问题反弹", "--date", "2023-07-08")
    record = show(runner, 9)
    assert (record["status"], record["progress"], record["review"]) == ("序时推进", 80, "回访")
    assert show(runner, 9, "2023-07-07")["status"] == "已完成"  # before the 回访


def test_several_pending_units_need_unit(runner, workdir):
    report(runner, "32", "已完成", "农业农村局", "2023-07-01")
    report(runner, "32", "已完成", "自然资源局", "2023-07-02")
    result = run(runner, "review", "32", "--approve", "--date", "2023-07-05", code=2)
    assert result.stderr == (
        "错误：序号 32 有 2 个单位待审核的申请（农业农村局、自然资源局）：请用 --unit 指明\n"
    )
    run(runner, "review", "32", "--approve", "--unit", "农业农村局", "--date", "2023-07-05")
    run(
        runner,
        "review",
        "32",
        "--return",
        "未见佐证",
        "--unit",
        "自然资源局",
        "--date",
        "2023-07-05",
    )
    record = show(runner, 32)
    assert unit(record, "农业农村局")["status"] == "已完成"
    assert unit(record, "自然资源局")["review"]["review"] == "退回"
    assert record["status"] != "已完成"
    result = run(runner, "review", "32", "--approve", "--unit", "农业农村局", code=2)
    assert result.stderr.startswith("错误：序号 32 中 农业农村局 没有待审核的申请")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approve", "--return", "x"], "请写 --approve、--return 原因、--reopen 原因 三者之一"),
        ([], "请写 --approve、--return 原因、--reopen 原因 三者之一"),
        (["--return", " "], "退回须写明原因"),
        (
            ["--approve", "--date", "2023-06-30"],
            "审核日期 2023-06-30 早于所审核的申请（2023-07-01）",
        ),
        (["--approve", "--date", "2023-07-11"], "审核日期 2023-07-11 晚于今天（2023-07-10）"),
    ],
)
def test_review_refusals_write_nothing(runner, workdir, args, message):
    report(runner, "9", "已完成", "发改局", "2023-07-01")
    log = workdir / "data" / "progress.jsonl"
    before = log.read_bytes()
    if args[-1:] == ["2023-06-30"]:  # the request is not there yet on that day
        message = "序号 9 没有待审核的申请"
    result = run(runner, "review", "9", *args, code=2)
    assert result.stderr == f"错误：{message}\n"
    assert log.read_bytes() == before


def test_opting_out_takes_a_units_done_as_it_comes(runner, workdir):
    tasks = workdir / "data" / "tasks.yaml"
    tasks.write_text("办结审核: false\n" + tasks.read_text(encoding="utf-8"), encoding="utf-8")
    report(runner, "9", "已完成", "发改局", "2023-07-01", "--progress", "100")
    record = show(runner, 9)
    assert (record["status"], record["review"]) == ("已完成", "")
    result = run(runner, "review", "9", "--approve", code=2)
    assert result.stderr == "错误：序号 9 没有待审核的申请\n"


def test_a_bad_setting_is_one_clear_error(runner, workdir):
    tasks = workdir / "data" / "tasks.yaml"
    tasks.write_text("办结审核: 也许\n" + tasks.read_text(encoding="utf-8"), encoding="utf-8")
    report(runner, "9", "已完成", "发改局", "2023-07-01")
    result = run(runner, "show", "9", "--as-of", "2023-07-10", code=2)
    assert (
        result.stderr
        == "错误：清单的「办结审核」应为 true（审核办结）或 false（不审核），得到「也许」\n"
    )


def test_the_offices_own_done_is_no_request(runner, workdir):
    report(runner, "9", "已完成", "督查室", "2023-07-01")
    assert show(runner, 9)["status"] == "已完成"


def test_an_approved_extension_moves_the_deadline_and_keeps_the_lists(runner, workdir):
    tasks = workdir / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(
        text.replace("  - 序号: 9\n", "  - 序号: 9\n    完成时限: 2023-06-30\n"), encoding="utf-8"
    )
    report(runner, "9", "序时推进", "发改局", "2023-07-01", "--progress", "90")
    assert show(runner, 9)["overdue"] is True
    result = run(runner, "update", "9", "--extend", "2023-09-30", "--note", "设备延期到货",
                 "--by", "发改局", "--date", "2023-07-02")  # fmt: skip
    assert "待督查室审核" in result.stderr
    record = show(runner, 9)
    assert (record["deadline"], record["overdue"]) == ("2023-06-30", True)  # not yet approved
    assert record["extensions"][0]["late"] is True  # asked after the 完成时限: 逾期申请
    run(runner, "review", "9", "--approve", "--date", "2023-07-03")
    record = show(runner, 9)
    assert (record["deadline"], record["original_deadline"]) == ("2023-09-30", "2023-06-30")
    assert (record["overdue"], record["light"]) == (False, "绿")
    assert record["extensions"][0]["review"] == "准予延期"
    events = review_events(read_log(workdir / "data" / "progress.jsonl"), load(tasks))
    assert [(e.kind, e.date.isoformat()) for e in events["发改局"]] == [
        ("逾期申请", "2023-07-02"),
        ("准予延期", "2023-07-03"),
    ]


def test_a_denied_extension_leaves_the_deadline(runner, workdir):
    run(runner, "update", "9", "--extend", "2024-03-31", "--note", "x", "--by", "发改局",
        "--date", "2023-07-02")  # fmt: skip
    run(runner, "review", "9", "--return", "理由不充分", "--date", "2023-07-03")
    record = show(runner, 9)
    assert (record["deadline"], record["extensions"][0]["review"]) == ("2023-12-31", "不予延期")
    assert record["extensions"][0]["late"] is False


def test_extend_needs_a_reason(runner, workdir):
    result = run(runner, "update", "9", "--extend", "2024-03-31", "--by", "发改局", code=2)
    assert result.stderr == "错误：申请延期须用 --note 写明理由\n"
    result = run(runner, "update", "9", "--extend", "2024-03-31", "--note", "x", "--status",
                 "滞后", "--by", "发改局", code=2)  # fmt: skip
    assert result.stderr.startswith("错误：--extend 申请延期只与 --note（理由）")
    assert not (workdir / "data" / "progress.jsonl").exists()


def test_evidence_is_copied_under_names_that_never_collide(runner, workdir):
    (workdir / "验收报告.pdf").write_bytes(b"first")
    report(runner, "9", "已完成", "发改局", "2023-07-01", "--evidence", "验收报告.pdf")
    (workdir / "验收报告.pdf").write_bytes(b"second, longer")
    report(runner, "9", "已完成", "发改局", "2023-07-02", "--evidence", "验收报告.pdf")
    folder = workdir / "data" / "佐证材料"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "9-发改局-验收报告-2.pdf",
        "9-发改局-验收报告.pdf",
    ]
    assert (folder / "9-发改局-验收报告.pdf").read_bytes() == b"first"
    record = show(runner, 9)
    assert record["evidence"] == [
        {"file": "佐证材料/9-发改局-验收报告.pdf", "sha256": hashlib.sha256(b"first").hexdigest(),
         "size": 5},
        {"file": "佐证材料/9-发改局-验收报告-2.pdf",
         "sha256": hashlib.sha256(b"second, longer").hexdigest(), "size": 14},
    ]  # fmt: skip


def test_a_missing_evidence_file_refuses_the_update(runner, workdir):
    (workdir / "ok.pdf").write_bytes(b"x")
    result = run(runner, "update", "9", "--status", "已完成", "--by", "发改局",
                 "--evidence", "ok.pdf", "--evidence", "missing.pdf", code=2)  # fmt: skip
    assert result.stderr == "错误：佐证材料 missing.pdf 不存在，未写入任何内容\n"
    assert not (workdir / "data" / "progress.jsonl").exists()
    assert not (workdir / "data" / "佐证材料").exists()


def test_history_shows_the_chain(runner, workdir):
    report(runner, "9", "已完成", "发改局", "2023-07-01")
    run(runner, "review", "9", "--return", "缺材料", "--date", "2023-07-02")
    report(runner, "9", "已完成", "发改局", "2023-07-03")
    run(runner, "review", "9", "--approve", "--date", "2023-07-04")
    lines = run(runner, "history", "9", "--format", "tsv").stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["2023-07-01", "已完成"],
        ["2023-07-02", "退回（发改局）"],
        ["2023-07-03", "已完成"],
        ["2023-07-04", "销号（发改局）"],
    ]


def test_old_logs_load_and_the_cache_agrees(workdir):
    log = workdir / "data" / "progress.jsonl"
    log.write_text(
        '{"序号": 9, "日期": "2023-07-01", "状态": "已完成", "说明": "", "填报人": "发改局"}\n'
        '{"序号": 9, "日期": "2023-07-02", "审核": "销号", "审核单位": "发改局", "针对": "abcd", '
        '"说明": "", "填报人": "督查室"}\n',
        encoding="utf-8",
    )
    first = read_log(log)
    again = read_log(log)  # through the parse cache
    assert first == again
    assert [e.review for e in first] == ["", "销号"]
    assert first[1].status == "" and first[1].is_event


def test_an_event_does_not_merge_with_a_report_of_the_same_day(workdir):
    log = workdir / "data" / "progress.jsonl"
    log.write_text(
        '{"序号": 9, "日期": "2023-07-01", "状态": "序时推进", "说明": "", "填报人": "督查室"}\n'
        '{"序号": 9, "日期": "2023-07-01", "延期": "2023-12-01", "说明": "a", "填报人": "督查室"}\n'
        '{"序号": 9, "日期": "2023-07-01", "延期": "2023-11-01", "说明": "b", "填报人": "督查室"}\n',
        encoding="utf-8",
    )
    assert len(read_log(log)) == 3


def test_unit_events_for_scoring(runner, workdir):
    report(runner, "32", "已完成", "农业农村局", "2023-07-01")
    report(runner, "32", "已完成", "自然资源局", "2023-07-01")
    run(runner, "review", "32", "--approve", "--unit", "农业农村局", "--date", "2023-07-02")
    run(
        runner, "review", "32", "--return", "缺材料", "--unit", "自然资源局", "--date", "2023-07-03"
    )
    events = review_events(read_log(Path("data/progress.jsonl")))
    assert [(e.task_id, e.kind, e.date) for e in events["农业农村局"]] == [
        (32, "销号", dt.date(2023, 7, 2))
    ]
    assert [(e.kind, e.note) for e in events["自然资源局"]] == [("退回", "缺材料")]


@pytest.fixture
def round_(runner, workdir):
    """发改局's 已完成 of task 9 approved, 农业农村局's of task 32 returned, 自然资源局's pending."""
    report(runner, "9", "已完成", "发改局", "2023-07-03", "--progress", "100")
    report(runner, "32", "滞后", "农业农村局", "2023-06-20", "--progress", "40")
    report(runner, "32", "已完成", "农业农村局", "2023-07-04", "--progress", "100")
    report(runner, "32", "已完成", "自然资源局", "2023-07-04", "--progress", "100")
    run(runner, "review", "9", "--approve", "--date", "2023-07-05")
    run(runner, "review", "32", "--return", "面积与台账不符", "--unit", "农业农村局",
        "--date", "2023-07-06")  # fmt: skip
    return workdir


def test_the_report_lists_pending_and_returned(runner, round_):
    args = ["report", "--week", "2023-W27", "--as-of", "2023-07-07"]
    data = json.loads(run(runner, *args, "--format", "json").stdout)["review"]
    assert [(t["id"], t["unit"], t["requested"]) for t in data["pending"]] == [
        (32, "自然资源局", "2023-07-04")
    ]
    assert [(t["id"], t["unit"], t["reason"]) for t in data["returned"]] == [
        (32, "农业农村局", "面积与台账不符")
    ]
    text = run(runner, *args, "--format", "markdown").stdout
    assert (
        "### （三）办结审核\n\n各单位报已完成的，经督查室审核后销号。待审核1项，退回1项，详见附件3。"
        in text
    )
    section = text.split("## 办结审核情况\n", 1)[1]
    assert "待审核（1项）：" in section and "退回（1项）：" in section
    assert "（农业农村局，2023年7月4日申请办结，2023年7月6日退回：面积与台账不符）" in section
    assert "extensions" not in data
    run(runner, "update", "9", "--extend", "2024-03-31", "--note", "设备", "--by", "发改局",
        "--date", "2023-07-06")  # fmt: skip
    text = run(runner, *args, "--format", "markdown").stdout
    assert "延期申请待审核（1项）：\n\n- 序号9 " in text
    assert "（发改局，2023年7月6日申请延期至2024年3月31日）：设备" in text
    year = json.loads(run(runner, "report", "--year", "2023", "--as-of", "2023-07-07",
                          "--format", "json").stdout)  # fmt: skip
    assert year["review"]["by_unit"] == [
        {"unit": "发改局", "closed": 1, "pending": 0, "returned": 0},
        {"unit": "农业农村局", "closed": 0, "pending": 0, "returned": 1},
        {"unit": "自然资源局", "closed": 0, "pending": 1, "returned": 0},
    ]


def test_no_review_section_when_everything_is_closed(runner, workdir):
    report(runner, "9", "已完成", "发改局", "2023-07-03")
    run(runner, "review", "9", "--approve", "--date", "2023-07-05")
    data = json.loads(run(runner, "report", "--week", "2023-W27", "--as-of", "2023-07-07",
                          "--format", "json").stdout)  # fmt: skip
    assert "review" not in data


def test_the_units_notice_and_next_form_give_the_return_and_its_reason(runner, round_):
    run(runner, "remind", "--as-of", "2023-07-07", "--unit", "农业农村局", "--format",
        "markdown", "--dir", "催办")  # fmt: skip
    notice = (round_ / "催办" / "催办通知-农业农村局.md").read_text(encoding="utf-8")
    assert "催办原因：办结申请已退回（2023-07-06）：面积与台账不符；滞后；" in notice
    assert "最近填报：2023-07-04 已完成 100%（农业农村局），办结申请退回。" in notice
    from taskctl.forms import build_forms
    from taskctl.period import period_from_label

    tasklist = load(round_ / "data" / "tasks.yaml")
    entries = read_log(round_ / "data" / "progress.jsonl")
    (form,) = build_forms(tasklist, entries, period_from_label("2023-W28"), only=["农业农村局"])
    row = next(r for r in form.rows if r.task.id == 32)
    assert (row.last.status, row.returned) == ("滞后", "【退回 2023-07-06：面积与台账不符】")


def test_the_ledger_counts_per_unit(runner, round_):
    import openpyxl

    run(runner, "export", "-o", "台账.xlsx", "--as-of", "2023-07-07")
    book = openpyxl.load_workbook(round_ / "台账.xlsx")
    rows = [tuple(c.value for c in row[:4]) for row in book["统计"].iter_rows()]
    at = rows.index(("单位", "已销号", "待审核", "退回"))
    assert rows[at + 1 : at + 4] == [
        ("发改局", 1, 0, 0),
        ("农业农村局", 0, 0, 1),
        ("自然资源局", 0, 1, 0),
    ]
    headings = [c.value for c in book["台账"][2]] + [c.value for c in book["台账"][3]]
    assert "办结审核" in headings


def test_a_reply_names_its_evidence_and_collect_copies_what_came_with_it(runner, round_):
    import openpyxl

    run(runner, "forms", "--week", "2023-W28", "--unit", "农业农村局", "--dir", "填报")
    (form,) = (round_ / "填报").glob("*.xlsx")
    book = openpyxl.load_workbook(form)
    sheet = book["填报"]
    headings = [c.value for c in sheet[4]]
    assert headings[-1] == "佐证材料"
    for row in sheet.iter_rows(min_row=5):
        if row[0].value == 32:
            row[8].value, row[9].value, row[13].value = "已完成", 100, "验收报告.pdf、照片.jpg"
    (round_ / "回收").mkdir()
    book.save(round_ / "回收" / "农业农村局.xlsx")
    (round_ / "回收" / "验收报告.pdf").write_bytes(b"report")
    run(runner, "collect", "回收", "--week", "2023-W28")
    record = show(runner, 32, "2023-07-16")
    assert record["evidence"] == [
        {"file": "佐证材料/32-农业农村局-验收报告.pdf",
         "sha256": hashlib.sha256(b"report").hexdigest(), "size": 6},
        {"file": "照片.jpg", "sha256": None, "size": None},
    ]  # fmt: skip
    assert (round_ / "data" / "佐证材料" / "32-农业农村局-验收报告.pdf").read_bytes() == b"report"
    assert unit(record, "农业农村局")["review"]["review"] == "待审核"


def test_the_parse_cache_gives_what_a_fresh_read_gives_as_the_log_grows(runner, workdir):
    from taskctl.progress import read_all, read_view, reports_of

    log = workdir / "data" / "progress.jsonl"
    day = dt.date(2023, 7, 10)

    def agree() -> None:
        fresh = reports_of(read_all(log), day)
        cached = read_view(log).reports(day)  # the records of the parse cache
        assert cached == fresh
        for task_id, held in fresh.items():
            assert getattr(cached[task_id], "events", ()) == getattr(held, "events", ())
            assert getattr(cached[task_id], "earlier", {}) == getattr(held, "earlier", {})

    report(runner, "9", "序时推进", "发改局", "2023-06-01", "--progress", "50")
    report(runner, "9", "已完成", "发改局", "2023-07-01")
    agree()
    run(runner, "review", "9", "--return", "缺材料", "--date", "2023-07-02")  # the cache grows
    agree()
    run(runner, "update", "9", "--extend", "2024-01-31", "--note", "x", "--by", "发改局",
        "--date", "2023-07-03")  # fmt: skip
    report(runner, "9", "已完成", "发改局", "2023-07-04")
    agree()
    assert show(runner, 9)["review"] == "待审核"
