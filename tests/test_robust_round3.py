"""Round 3 of "never silently wrong" (issue 23): a careless clerk and a hostile reply."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from replies import fill

from taskctl.cli import cli
from taskctl.collect import collect, write
from taskctl.errors import InputError
from taskctl.forms import build_forms, write_forms
from taskctl.period import parse_period
from taskctl.progress import read_all, read_log

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


def reply(base, unit, rows, name=None):
    target = base / "回收" / (name or f"2023-W26_{unit}.xlsx")
    fill(base / "填报" / f"2023-W26_{unit}.xlsx", rows, target, person="张三")
    return target


def run(tasklist, base, log, now=NOW, **options):
    return collect([base / "回收"], tasklist, read_all(log), now=now, base=base, **options)


ROWS = {31: ("序时推进", 50), 39: ("序时推进", 60), 57: ("滞后", 10, "征地未完成")}


def counted(log, unit="住建局"):
    return {e.id: e.progress for e in read_log(log) if e.by == unit and e.period == "2023-W26"}


def test_a_collect_killed_mid_reply_is_finished_by_the_next_run(tasklist, round_):
    """The kill left the first row and half the second: the re-run writes the rest."""
    base, log = round_
    reply(base, "住建局", ROWS)
    result = run(tasklist, base, log)
    lines = b"".join(e.to_line() for e in result.accepted[0].entries)
    with log.open("ab") as handle:
        handle.write(lines[: lines.index(b"\n") + 40])
    again = run(tasklist, base, log, now=NOW + dt.timedelta(minutes=5))
    assert [(r.outcome, len(r.entries)) for r in again.replies] == [("收录", 2)]
    assert write(again, log) == 2
    assert counted(log) == {31: 50, 39: 60, 57: 10}
    assert [r.outcome for r in run(tasklist, base, log).replies] == ["已收录过，未重复写入"]


def test_two_collects_of_one_folder_at_once_write_each_reply_once(tasklist, round_):
    """Both read the log before either writes; the second finds the rows there under the lock."""
    base, log = round_
    reply(base, "住建局", ROWS)
    first = run(tasklist, base, log)
    second = run(tasklist, base, log, now=NOW + dt.timedelta(seconds=1))
    assert write(first, log) == 3
    assert write(second, log) == 0
    assert len([e for e in read_all(log) if e.reply]) == 3


def a_list(*units: str, year: int = 2024) -> str:
    """A list with one task led by each of ``units``."""
    tasks = "".join(
        f"  - 序号: {n}\n    年度任务目标: 任务{n}\n    责任领导: [王强]\n    牵头部门: [{unit!r}]\n"
        for n, unit in enumerate(units, 1)
    )
    return f"标题: {year}年清单\n年度: {year}\nsections:\n- 编号: 一\n  标题: 重点工作\n  任务:\n{tasks}"


@pytest.fixture
def office_of(tmp_path, monkeypatch):
    """A folder with data/tasks.yaml holding ``units`` (and no ledger); the working directory."""

    def make(*units: str) -> Path:
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / "tasks.yaml").write_text(a_list(*units), encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


CLASHING = ("发改局/粮食局", "发改局:粮食局", "发改局.", "发改局")


def test_units_differing_only_in_unsafe_characters_get_a_form_each(runner, office_of):
    import openpyxl

    base = office_of(*CLASHING)
    result = runner.invoke(cli, ["forms", "--week", "2024-W26", "-o", "填报"])
    assert result.exit_code == 0, result.output
    files = sorted((base / "填报").iterdir())
    assert len(files) == 4
    owners = set()
    for path in files:
        book = openpyxl.load_workbook(path)
        owners.add(dict(book["_taskctl"].iter_rows(values_only=True, max_col=2))["单位"])
    assert owners == set(CLASHING)


def test_units_differing_only_in_unsafe_characters_get_a_notice_each(runner, office_of):
    base = office_of(*CLASHING)
    result = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办"])
    assert result.exit_code == 0, result.output
    assert len(list((base / "催办").iterdir())) == 4


def test_file_names_that_one_file_system_cannot_tell_apart_are_refused(tmp_path):
    from taskctl.filenames import check_distinct

    with pytest.raises(InputError, match="「ABC局」与「abc局」的文件名相同"):
        check_distinct([("ABC局", tmp_path / "ABC局.xlsx"), ("abc局", tmp_path / "abc局.xlsx")])


def test_a_unit_name_over_255_bytes_gets_its_form_and_notice(runner, office_of):
    long = "县" * 100 + "局"  # 303 bytes in UTF-8
    base = office_of("发改局", long)
    assert runner.invoke(cli, ["forms", "--week", "2024-W26", "-o", "填报"]).exit_code == 0
    assert runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "-o", "催办"]).exit_code == 0
    for folder in ("填报", "催办"):
        names = sorted(p.name for p in (base / folder).iterdir())
        assert len(names) == 2 and all(len(n.encode()) <= 255 for n in names), names


# A reply made to hurt: collect has import's limits -----------------------------------------


def taskctl(*args, cwd, timeout=60):
    """A whole taskctl process with 1 GiB of address space: runaway memory fails the test."""
    import os
    import subprocess
    import sys

    from conftest import LIMITED

    env = {**os.environ, "TASKCTL_PROGRESS": str(cwd / "progress.jsonl")}
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *map(str, args)],
        capture_output=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )


def _rewrite(path, member, change):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = old.read(item)
            new.writestr(item.filename, change(content) if item.filename == member else content)
    path.write_bytes(out.getvalue())


def _hostile_reply(base, how):
    target = reply(base, "住建局", {31: ("序时推进", 50)})
    if how == "far cell":
        import openpyxl

        book = openpyxl.load_workbook(target)
        book["填报"].cell(1_048_576, 16_384).font = openpyxl.styles.Font(bold=True)
        book.save(target)
    elif how == "merged":
        _rewrite(
            target,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                b"<mergeCells", b'<mergeCells><mergeCell ref="A9:XFD1048576"/></mergeCells><x', 1
            ),
        )
    elif how == "dense":  # 10 million empty cells, a few hundred KB
        _rewrite(
            target,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                b"</sheetData>", b'<row r="99">' + b"<c/>" * 10_000_000 + b"</row></sheetData>"
            ),
        )
    elif how == "bomb":
        _rewrite(target, "docProps/app.xml", lambda xml: xml + b" " * (300 << 20))
    return target


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("far cell", None),
        ("merged", "合并单元格的范围过大"),
        ("dense", "单元格过多"),
        ("bomb", "解压后过大"),
    ],
)
def test_a_reply_made_to_exhaust_memory_is_refused_quickly(round_, how, said):
    base, log = round_
    target = _hostile_reply(base, how)
    assert target.stat().st_size < 2_000_000
    result = taskctl(
        "collect", "回收", "--week", "2023-W26", "--file", ROOT / "data" / "tasks.yaml", cwd=base
    )
    stderr = result.stderr.decode()
    if said is None:  # only the cells the file holds are read: the reply goes in
        assert result.returncode == 0, stderr
        assert "已写入 1 条填报记录" in stderr
    else:
        assert result.returncode == 1, stderr
        assert f"退回：回收/2023-W26_住建局.xlsx：{said}" in stderr


def test_a_huge_sparse_csv_reply_is_refused(round_):
    base, log = round_
    (base / "回收" / "交通局.csv").write_bytes("序号,状态\n28,滞后\n".encode() + b"\n" * 15_000_000)
    result = taskctl(
        "collect", "回收", "--by", "交通局", "--week", "2023-W26",
        "--file", ROOT / "data" / "tasks.yaml", cwd=base,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr.decode()
    assert "退回：回收/交通局.csv：单元格过多" in result.stderr.decode()


def test_a_dense_workbook_of_ten_million_cells_is_refused_by_import(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "年度任务目标", "责任领导", "牵头部门"])
    book.active.append([1, "任务一", "王强", "发改局"])
    source = tmp_path / "台账.xlsx"
    book.save(source)
    _rewrite(
        source,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="9">' + b"<c/>" * 10_000_000 + b"</row></sheetData>"
        ),
    )
    result = taskctl("import", source, "-o", tmp_path / "tasks.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr.decode()
    assert "单元格过多" in result.stderr.decode()


def test_100_percent_typed_in_excel_is_read_as_100(tasklist, round_):
    """Excel stores "100%" typed in a cell as 1 with a percent format; 35.5% as 0.355."""
    import openpyxl

    base, log = round_
    target = reply(base, "住建局", {31: ("已完成", 1), 39: ("序时推进", 0.6)})
    book = openpyxl.load_workbook(target)
    sheet = book["填报"]
    for row in sheet.iter_rows():
        for item in row:
            if item.value in (1, 0.6) and item.column > 1:
                item.number_format = "0%"
    book.save(target)
    result = run(tasklist, base, log)
    assert [(e.id, e.progress) for e in result.replies[0].entries] == [(31, 100), (39, 60)]


def test_a_formula_without_a_cached_result_refuses_the_reply(tasklist, round_):
    base, log = round_
    reply(base, "住建局", {31: ("序时推进", "=20+30")})
    refused = run(tasklist, base, log, period=W26).replies[0]
    assert refused.outcome == "退回"
    assert refused.problems == [
        "回收/2023-W26_住建局.xlsx：单元格 J5 是没有计算结果的公式，读不出所填的值；"
        "请在 Excel/WPS 中打开、保存后再报送"
    ]


def test_a_revoked_entrys_line_copied_again_stays_revoked_in_cached_reads(tmp_path, monkeypatch):
    """A sync tool or a merge copies a line twice: the copy is the same entry (same id), so the
    revocation covers it, cold or from the cache."""
    from taskctl.progress import Entry, read_view, revocation

    d = dt.date
    log = tmp_path / "progress.jsonl"
    wrong = Entry(1, d(2023, 6, 20), "序时推进", 80, "误填", "发改局", NOW)
    right = Entry(1, d(2023, 6, 10), "序时推进", 30, "", "发改局", NOW - dt.timedelta(days=20))
    undo = revocation(wrong, by="督查室", recorded_at=NOW + dt.timedelta(hours=1))
    log.write_bytes(right.to_line() + wrong.to_line() + undo.to_line())
    assert [e.progress for e in read_log(log)] == [30]  # read, and cached
    with log.open("ab") as handle:
        handle.write(wrong.to_line())
    cached = [e.progress for e in read_log(log)]
    view = read_view(log).reports(d(2023, 7, 1))
    monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    assert [e.progress for e in read_log(log)] == [30]
    assert cached == [30]
    assert view[1][("发改局", 0)].progress == 30


# A careless clerk ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "progress", "said"),
    [
        ("滞后", 100, "序号 1 填报为滞后，进度却为 100%：进度 100 请填 已完成"),
        ("未启动", 20, "序号 1 填报为未启动，进度却为 20%：未启动的进度应为 0 或不填"),
    ],
)
def test_a_status_that_contradicts_its_progress_is_refused(tasklist, status, progress, said):
    from taskctl.progress import Entry, check_entries

    entry = Entry(1, dt.date(2023, 6, 30), status, progress, "", "发改局", NOW)
    problems = check_entries(tasklist, [entry], today=dt.date(2023, 7, 1))
    assert len(problems) == 1 and problems[0].startswith(said)
    fine = Entry(1, dt.date(2023, 6, 30), status, 0 if status == "未启动" else 95, "原因", "发改局")
    assert check_entries(tasklist, [fine], today=dt.date(2023, 7, 1)) == []


def test_a_text_over_2000_characters_is_refused_in_update_and_collect(runner, tasklist, round_):
    from taskctl.progress import MAX_TEXT

    base, log = round_
    assert MAX_TEXT == 2000
    result = runner.invoke(
        cli,
        ["update", "1", "--status", "序时推进", "--progress", "70", "--note", "字" * 2001,
         "--date", "2023-06-30", "--file", str(ROOT / "data" / "tasks.yaml"), "--log", str(log)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "序号 1 的 --note 有 2001 字，超过 2000 字的上限" in result.stderr
    reply(base, "住建局", {31: ("序时推进", 50, "好", "问" * 3000)})
    refused = run(tasklist, base, log).replies[0]
    assert refused.outcome == "退回"
    assert "序号 31 的 存在问题 有 3000 字，超过 2000 字的上限" in refused.problems[0]


def test_an_output_name_without_an_extension_is_refused_unless_format_says(runner, tmp_path):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "-o", "周报"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("错误：-o 周报 没有扩展名，看不出要写哪种格式")
    assert not (tmp_path / "周报").exists()
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "-o", "周报", "--format", "text"])
    assert result.exit_code == 0 and (tmp_path / "周报").is_file()


def test_a_correction_leaving_a_row_blank_keeps_the_earlier_answer_and_says_so(
    runner, round_, monkeypatch
):
    import os

    base, log = round_
    monkeypatch.chdir(base)
    options = ["--file", str(ROOT / "data" / "tasks.yaml"), "--log", str(log)]
    first = reply(base, "住建局", {31: ("序时推进", 50), 39: ("序时推进", 60)})
    os.utime(first, (1_000, 1_000))
    assert runner.invoke(cli, ["collect", "回收", *options]).exit_code == 0
    reply(base, "住建局", {31: ("序时推进", 40)}, name="住建局（更正）.xlsx")
    result = runner.invoke(cli, ["collect", "回收", *options])
    assert result.exit_code == 0, result.output
    assert (
        "沿用：回收/住建局（更正）.xlsx 未填序号 39，沿用 住建局 本期先前回复的内容\n"
        in result.stderr
    )
    assert counted(log) == {31: 40, 39: 60}


@pytest.fixture
def county(tmp_path, monkeypatch):
    """The bundled list in data/, forms of 2023-W26 in 填报/, an empty 回收/; the cwd."""
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "tasks.yaml", tmp_path / "data" / "tasks.yaml")
    from taskctl.loader import load

    write_forms(build_forms(load(tmp_path / "data" / "tasks.yaml"), [], W26), tmp_path / "填报")
    (tmp_path / "回收").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sent_back(runner):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if "退回" in line]


def test_the_offices_own_exported_ledger_in_the_reply_folder_is_skipped(runner, county):
    for name in ("台账.xlsx", "台账.csv"):
        assert runner.invoke(cli, ["export", "-o", f"回收/{name}"]).exit_code == 0
    reply(county, "住建局", {31: ("序时推进", 50)})
    result = runner.invoke(cli, ["collect", "回收", "--week", "2023-W26"])
    assert result.exit_code == 0, result.output
    assert "回收/台账.csv：是 taskctl 导出的清单台账，不是填报表，已跳过" in result.stderr
    assert "回收/台账.xlsx：是 taskctl 导出的清单台账，不是填报表，已跳过" in result.stderr
    assert "退回" not in result.stderr
    assert not (county / "data" / "progress.退回.ndjson").exists()
    assert sent_back(runner) == []


def test_a_refusal_can_be_withdrawn(runner, county):
    (county / "回收" / "误收.csv").write_text("序号,状态\n31,进行中\n", encoding="utf-8")
    args = ["collect", "回收/误收.csv", "--by", "住建局", "--week", "2023-W26"]
    assert runner.invoke(cli, args).exit_code == 1
    assert "因填写有误被退回、尚未重新报送的：住建局。" in sent_back(runner)[0]
    result = runner.invoke(cli, ["collect", "回收/误收.csv", "--withdraw", "--week", "2023-W26"])
    assert (result.exit_code, result.stderr) == (0, "已撤回 1 条退回记录\n")
    assert sent_back(runner) == []
    again = runner.invoke(cli, ["collect", "回收/误收.csv", "--withdraw", "--week", "2023-W26"])
    assert again.exit_code == 2
    assert (
        again.stderr == "错误：误收.csv 没有 2023-W26 的退回记录可以撤回；报告中所列的文件名才有\n"
    )


def test_a_list_copy_with_no_ledger_beside_it_says_so(runner, tmp_path):
    """A copy of the list in another folder: the report would be all 未启动 without a word."""
    (tmp_path / "副本").mkdir()
    shutil.copy(ROOT / "data" / "tasks.yaml", tmp_path / "副本" / "tasks.yaml")
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--file", "副本/tasks.yaml"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "提示：清单旁没有进度台账 副本/progress.jsonl，进度均按未填报计；台账在别处时请用 --ledger 指定"
    )


FLAWED = """\
标题: 2024年清单
年度: 2024
sections:
- 编号: 一
  标题: 重点工作
  任务:
  - 序号: 1
    年度任务目标: 完成老旧小区改造12个
    责任领导: [完成老旧小区改造12个]
    牵头部门: [住建局]
  - 序号: 2
    年度任务目标: 新建城区供热管网8公里
    责任领导: [李明]
    牵头部门: [各有关镇街道]
"""
ERRORS_ONCE = (
    "警告：清单有 1 处错误将照录在输出中（序号 1 的 责任领导）；请先用 taskctl validate 核对改正\n"
)


@pytest.fixture
def flawed(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(FLAWED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_remind_addresses_no_notice_to_a_group_whose_members_are_not_listed(runner, flawed):
    result = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办"])
    assert result.exit_code == 0
    assert result.stdout == "住建局\t1\t催办/催办通知-住建局.docx\n"
    assert result.stderr == (
        ERRORS_ONCE
        + "警告：序号 2 的牵头部门「各有关镇街道」是统称，清单的 groups: 没有列出所指单位，"
        "不发催办通知；请在清单中写明单位\n"
        "已写入 1 份催办通知 → 催办\n"
    )
    assert [p.name for p in (flawed / "催办").iterdir()] == ["催办通知-住建局.docx"]


@pytest.mark.parametrize(
    "args",
    [["report", "--week", "2024-W26", "-o", "周报.md"], ["export", "-o", "台账.csv"]],
)
def test_official_output_from_a_flawed_list_warns_once(runner, flawed, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.stderr.startswith(ERRORS_ONCE)
    assert result.stderr.count("警告") == 1


def test_output_of_tasks_without_errors_does_not_warn(runner, flawed):
    result = runner.invoke(cli, ["export", "--id", "2", "--format", "csv"])
    assert (result.exit_code, result.stderr) == (0, "")


# Medium -------------------------------------------------------------------------------------


def _office_with_log(base, entries):
    (base / "data").mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "tasks.yaml", base / "data" / "tasks.yaml")
    (base / "data" / "progress.jsonl").write_bytes(b"".join(e.to_line() for e in entries))


def test_a_control_character_in_a_note_does_not_stop_forms_remind_or_the_word_report(
    runner, tmp_path
):
    """A reply or a note brought BEL and ESC into the log: every later week must still work."""
    import docx

    from taskctl.progress import Entry

    note = "已开工\x07\x1b[2J"
    _office_with_log(tmp_path, [Entry(28, dt.date(2023, 6, 20), "滞后", 20, note, "交通局", NOW)])
    for args in (
        ["forms", "--week", "2023-W26", "-o", "填报"],
        ["remind", "--as-of", "2023-07-02", "-o", "催办"],
        ["report", "--week", "2023-W26", "-o", "周报.docx"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "周报.docx")).paragraphs)
    for table in docx.Document(str(tmp_path / "催办" / "催办通知-交通局.docx")).tables:
        text += "\n".join(c.text for row in table.rows for c in row.cells)
    assert "\x07" not in text and "\x1b" not in text


def test_a_unit_name_starting_with_equals_is_text_in_the_forms_title(runner, office_of):
    import openpyxl

    base = office_of("=1+1局")
    assert runner.invoke(cli, ["forms", "--week", "2024-W26", "-o", "填报"]).exit_code == 0
    (path,) = (base / "填报").iterdir()
    title = openpyxl.load_workbook(path)["填报"]["A1"]
    assert title.data_type == "s" and title.value.startswith("=1+1局")


def test_lone_surrogates_in_problem_and_next_step_do_not_crash_the_readers(runner, tmp_path):
    # 50: 交通局 alone leads it, so its report is the task's
    line = (
        '{"序号": 50, "日期": "2023-06-20", "状态": "滞后", "进度": 20, "说明": "",'
        ' "存在问题": "缺\\ud83d", "下一步措施": "\\ude00赶工", "填报人": "交通局"}\n'
    )
    _office_with_log(tmp_path, [])
    (tmp_path / "data" / "progress.jsonl").write_text(line, encoding="utf-8")
    for args in (
        ["show", "50"],
        ["history", "50"],
        ["report", "--week", "2023-W26", "--format", "json"],
        ["export", "--id", "50", "--format", "json", "--as-of", "2023-06-30"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert "\ufffd" in result.stdout or args[0] == "export", args


@pytest.mark.parametrize(
    ("n", "said"), [(100, "一百"), (105, "一百零五"), (110, "一百一十"), (123, "一百二十三")]
)
def test_headings_past_a_hundred_are_numbered_in_chinese(n, said):
    from taskctl.report_docx import _numeral

    assert _numeral(n) == said


def test_remind_for_a_unit_with_120_tasks_to_chase(runner, office_of):
    import docx

    base = office_of(*["住建局"] * 120)
    result = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办"])
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(str(base / "催办" / "催办通知-住建局.docx")).paragraphs]
    assert any(t.startswith("一百二十、序号 120") for t in text)
    assert any(t.startswith("一百零五、序号 105") for t in text)


def test_the_list_years_last_iso_week_is_collected(tmp_path):
    """2025-W01 runs from 2024-12-30: for a 2024 list its replies are dated 2024-12-31."""
    from taskctl.loader import loads

    tasklist = loads(a_list("发改局"))
    week = parse_period(week="2025-W01")
    write_forms(build_forms(tasklist, [], week), tmp_path / "填报")
    (tmp_path / "回收").mkdir()
    fill(
        tmp_path / "填报" / "2025-W01_发改局.xlsx",
        {1: ("已完成", 100)},
        tmp_path / "回收" / "r.xlsx",
    )
    now = dt.datetime(2025, 1, 3, 9, 0, tzinfo=CST)
    result = collect([tmp_path / "回收"], tasklist, [], now=now, base=tmp_path)
    (got,) = result.replies
    assert (got.outcome, got.problems) == ("收录", [])
    assert [(e.id, e.date, e.period) for e in got.entries] == [
        (1, dt.date(2024, 12, 31), "2025-W01")
    ]


def test_collect_shows_a_replys_escape_sequences_escaped(runner, county):
    """退回 lines and the --dry-run listing quote the reply's own text."""
    esc = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: write to the clipboard
    (county / "回收" / "a.csv").write_text(f"序号,状态\n31,进行中{esc}\n", encoding="utf-8")
    (county / "回收" / "b.csv").write_text(
        f"序号,状态,进展情况\n39,序时推进,好{esc}\n", encoding="utf-8"
    )
    for name in ("a.csv", "b.csv"):
        args = ["collect", f"回收/{name}", "--by", "住建局", "--week", "2023-W26", "--dry-run"]
        result = runner.invoke(cli, args)
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "\\x1b]52;c;cm0gLXJmIH4=\\x07" in result.stderr


def test_revoking_a_revocation_says_what_it_is(runner, tmp_path):
    from taskctl.progress import Entry, revocation

    _office_with_log(tmp_path, [])
    wrong = Entry(7, dt.date(2023, 6, 20), "滞后", 10, "误填", "工信局", NOW)
    undo = revocation(wrong, by="督查室", recorded_at=NOW + dt.timedelta(hours=1))
    (tmp_path / "data" / "progress.jsonl").write_bytes(wrong.to_line() + undo.to_line())
    result = runner.invoke(cli, ["update", "--revoke", undo.uid, "--by", "督查室"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：记录 {undo.uid} 是撤销记录（撤销了 {wrong.uid}），不能再撤销；"
        "被撤销的内容仍然有效的话，请用 taskctl update 重新填报\n"
    )


def test_revoking_a_whole_correction_brings_back_the_reply_it_replaced(tasklist, round_):
    """docs/formats.md: 撤销 an entry and what it replaced counts again."""
    import os

    from taskctl.progress import effective, revocation

    base, log = round_
    first = reply(base, "住建局", {31: ("序时推进", 50)})
    os.utime(first, (1_000, 1_000))
    write(run(tasklist, base, log), log)
    reply(base, "住建局", {31: ("序时推进", 70)}, name="更正.xlsx")
    write(run(tasklist, base, log, now=NOW + dt.timedelta(minutes=1)), log)
    assert counted(log) == {31: 70}
    correction = next(e for e in read_all(log) if e.progress == 70)
    undo = revocation(correction, by="督查室", recorded_at=NOW + dt.timedelta(minutes=2))
    with log.open("ab") as handle:
        handle.write(undo.to_line())
    assert counted(log) == {31: 50}
    assert [e.progress for e in effective(read_all(log)) if e.period] == [50]


def test_a_full_disk_part_way_through_collect_says_what_was_written(tasklist, round_, monkeypatch):
    import errno
    import os

    from taskctl import fsutil
    from taskctl.errors import DataFileError

    base, log = round_
    first = reply(base, "住建局", {31: ("序时推进", 50)})
    os.utime(first, (1_000, 1_000))
    reply(base, "交通局", {28: ("滞后", 20, "征地未完成")})
    result = run(tasklist, base, log)
    real, calls = fsutil.os.write, []

    def write_once(fd, data):
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(fsutil.os, "write", write_once)
    with pytest.raises(DataFileError) as caught:
        write(result, log)
    assert str(caught.value) == (
        f"{log}：写入 交通局 的回复时出错（磁盘已满，未写入任何内容；请腾出空间后重试）。"
        "已写入 1 条（住建局 的回复）；交通局 的回复未写入，问题解决后重新运行 collect 即可补上"
    )
    monkeypatch.setattr(fsutil.os, "write", real)
    assert write(run(tasklist, base, log), log) == 1  # the re-run adds 交通局's
    assert counted(log, "交通局") == {28: 20}


def test_two_collect_processes_at_once_write_each_row_once(round_):
    """Two clerks run collect on the shared folder at the same moment."""
    import os
    import subprocess
    import sys

    base, log = round_
    for unit, rows in (("住建局", ROWS), ("交通局", {28: ("滞后", 20, "征地未完成")})):
        reply(base, unit, rows)
    args = [sys.executable, "-m", "taskctl", "collect", "回收", "--week", "2023-W26"]
    args += ["--file", str(ROOT / "data" / "tasks.yaml"), "--log", str(log)]
    runs = [
        subprocess.Popen(
            args, cwd=base, env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for process in runs:
        process.communicate(timeout=120)
        assert process.returncode == 0
    rows = [(e.by, e.id) for e in read_all(log) if e.reply]
    assert sorted(rows) == [("交通局", 28), ("住建局", 31), ("住建局", 39), ("住建局", 57)]
