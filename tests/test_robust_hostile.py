"""Files made to hurt: a few KB of office file that claim a sheet of 17 billion cells or a span of
three million columns, FIFOs and devices where a file belongs, damaged packages, formulas in
titles, terminal escapes in notes, raw HTML in a report, and a parse cache that is not the
user's own. Each ends quickly in an answer or one line on stderr with exit code 2."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import docx
import openpyxl
import pytest
from conftest import BUNDLED, LIMITED

from taskctl import cache
from taskctl.cli import cli
from taskctl.loader import load

AS_OF = "2023-06-30"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
HEADINGS = ["序号", "年度任务目标", "责任领导", "牵头部门", "责任部门"]
ROWS = [
    [1, "地区生产总值同比增长7%", "于德忱", "发改局", "各有关部门"],
    [2, "规模以上工业增加值增长16%", "于德忱", "工信局", "各有关部门"],
]


def taskctl(*args, timeout=60, cwd=None):
    """A whole taskctl process with 1 GiB of address space and a minute: a hang or runaway
    memory fails the test instead of the machine."""
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *map(str, args)],
        capture_output=True,
        timeout=timeout,
        env=os.environ,
        cwd=cwd,
    )


def one_line_error(result, *parts):
    stderr = result.stderr.decode("utf-8") if isinstance(result.stderr, bytes) else result.stderr
    code = getattr(result, "returncode", getattr(result, "exit_code", None))
    assert code == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "内部错误" not in lines[0], lines
    for part in parts:
        assert part in lines[0]


def _workbook() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    return book


def _patched(data: bytes, member: str, change) -> bytes:
    """The package with one member's XML changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename == member:
                content = change(content)
            new.writestr(item, content)
    return out.getvalue()


def _xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Office files that claim more than they hold ------------------------------------------------


def test_a_far_cell_costs_nothing(tmp_path):
    """A styled empty cell at XFD1048576: openpyxl's grid would be 17 billion cells."""
    book = _workbook()
    book.active.cell(1_048_576, 16_384).font = openpyxl.styles.Font(bold=True)
    source = tmp_path / "台账.xlsx"
    source.write_bytes(_xlsx_bytes(book))
    assert source.stat().st_size < 10_000
    result = taskctl("import", source, "-o", tmp_path / "tasks.yaml", timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert [t.id for t in load(tmp_path / "tasks.yaml").tasks] == [1, 2]


def test_a_diagonal_of_cells_is_bounded_by_what_it_holds(tmp_path):
    """6 000 cells on a diagonal: a grid of 36 million if every row is padded to every column."""
    book = _workbook()
    sheet = book.active
    for n in range(10, 6_010):
        sheet.cell(n, n, "x")
    source = tmp_path / "台账.xlsx"
    source.write_bytes(_xlsx_bytes(book))
    result = taskctl("import", source, "-o", tmp_path / "tasks.yaml")
    one_line_error(result, str(source), "工作表「Sheet」过大")


def test_a_merged_range_over_the_whole_sheet_is_refused(tmp_path):
    def merge_all(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A4:XFD1048576"/></mergeCells>',
        )

    source = tmp_path / "台账.xlsx"
    source.write_bytes(_patched(_xlsx_bytes(_workbook()), "xl/worksheets/sheet1.xml", merge_all))
    result = taskctl("import", source, "-o", tmp_path / "tasks.yaml")
    one_line_error(result, str(source), "合并单元格的范围过大")


def test_a_three_million_column_span_is_capped(tmp_path):
    """Each of 60 rows claims its last cell spans three million columns: 24 MB of empty cells
    a row if believed, over a gigabyte for the table; the table's own grid caps it."""
    document = docx.Document()
    rows = [[n, f"任务{n}", "于德忱", "发改局", "各有关部门"] for n in range(1, 61)]
    table = document.add_table(rows=len(rows) + 1, cols=5)
    for r, values in enumerate([HEADINGS, *rows]):
        for c, value in enumerate(values):
            table.cell(r, c).text = str(value)
    for row in table.rows[1:]:
        row._tr.tc_lst[4].grid_span = 3_000_000
    source = tmp_path / "清单.docx"
    document.save(str(source))
    result = taskctl("import", source, "-o", tmp_path / "tasks.yaml")
    assert result.returncode == 0, result.stderr.decode()
    assert [t.id for t in load(tmp_path / "tasks.yaml").tasks] == list(range(1, 61))


# Special files ------------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-to-dev-zero"])
@pytest.mark.parametrize("role", ["list", "log", "import"])
def test_special_files_are_refused_not_read(tmp_path, kind, role):
    name = {"list": "tasks.yaml", "log": "progress.jsonl", "import": "清单.txt"}[role]
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path = "/dev/zero"
    args = {
        "list": ["list", "--file", path],
        "log": ["stats", "--file", BUNDLED, "--ledger", path],
        "import": ["import", path, "-o", tmp_path / "out.yaml"],
    }[role]
    if role == "import" and kind == "dev-zero":
        args = ["import", "/dev/zero", "-o", tmp_path / "out.yaml"]
    result = taskctl(*args, timeout=30)
    stderr = result.stderr.decode()
    if role == "import" and kind == "dev-zero":  # no extension: read as text, refused the same
        one_line_error(result, "/dev/zero")
    else:
        one_line_error(result, str(path), "不是普通文件（管道、设备等），不能读取")
    assert "Traceback" not in stderr


@POSIX
def test_update_never_appends_to_a_fifo(tmp_path):
    fifo = tmp_path / "progress.jsonl"
    os.mkfifo(fifo)
    result = taskctl(
        "update", "7", "--status", "done", "--date", AS_OF, "--file", BUNDLED, "--ledger", fifo,
        timeout=30,
    )  # fmt: skip
    one_line_error(result, "不是普通文件")


# Damaged packages and odd 序号 -----------------------------------------------------------------


def _damaged_xlsx() -> dict[str, bytes]:
    good = _xlsx_bytes(_workbook())
    sheet = "xl/worksheets/sheet1.xml"
    strings = _xlsx_bytes(_workbook())
    return {
        "truncated-xml": _patched(good, sheet, lambda xml: xml[: len(xml) // 2]),
        "bad-attribute": _patched(good, sheet, lambda xml: xml.replace(b'r="A2"', b'r="A2" s="x"')),
        "bad-row-number": _patched(good, sheet, lambda xml: xml.replace(b'<row r="2"', b'<row r="x"')),
        "bad-shared-string": _patched(
            strings, sheet,
            lambda xml: xml.replace(b'<c r="A1" t="inlineStr">', b'<c r="A1" t="s"><v>999</v></c><c r="Z1" t="inlineStr">'),
        ),
        "not-a-zip": good[: len(good) // 3],
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(_damaged_xlsx()))
def test_a_damaged_workbook_is_an_input_error(runner, tmp_path, name):
    source = tmp_path / "台账.xlsx"
    source.write_bytes(_damaged_xlsx()[name])
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    one_line_error(result, str(source))
    assert not (tmp_path / "tasks.yaml").exists()


def test_a_damaged_word_file_is_an_input_error(runner, tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=5)
    for r, values in enumerate([HEADINGS, ROWS[0]]):
        for c, value in enumerate(values):
            table.cell(r, c).text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    data = _patched(
        buffer.getvalue(),
        "word/document.xml",
        lambda xml: xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="x"/>', 1),
    )
    source = tmp_path / "清单.docx"
    source.write_bytes(data)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    one_line_error(result, str(source), "不是有效的 .docx 文件")


@pytest.mark.parametrize("number", ["①", "²", "1²", "⑽"])
def test_a_number_written_as_a_symbol_is_an_input_error(runner, tmp_path, number):
    source = tmp_path / "清单.csv"
    source.write_text(
        ",".join(HEADINGS) + f"\n{number},地区生产总值同比增长7%,于德忱,发改局,\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    one_line_error(result, str(source), f"序号应为数字，得到「{number}」")


# What taskctl writes: formulas kept as text, terminals and reports kept inert ------------------


def test_every_text_cell_of_an_export_is_guarded(runner, tmp_path):
    hostile = (
        BUNDLED.read_text(encoding="utf-8")
        .replace("附件: 附件1", "附件: '=HYPERLINK(\"http://x\",\"附件1\")'")
        .replace("标题: 2023年", "标题: +2023年")
        .replace("    年度任务目标: 地区生产总值同比增长7%\n",
                 "    年度任务目标: 地区生产总值同比增长7%\n    '@SUM(1)': '-1'\n")
    )  # fmt: skip
    path = tmp_path / "tasks.yaml"
    path.write_text(hostile, encoding="utf-8")
    result = runner.invoke(cli, ["export", "--file", str(path), "-o", str(tmp_path / "台账.xlsx")])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "台账.xlsx").active
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {
        '=HYPERLINK("http://x","附件1")',
        "+2023年《政府工作报告》工作任务分解清单",
        "@SUM(1)",
        "-1",
    }
    assert all(c.quotePrefix and c.data_type == "s" for c in risky), [c.coordinate for c in risky if not c.quotePrefix]  # fmt: skip
    csv = runner.invoke(cli, ["export", "--file", str(path), "--format", "csv"])
    header = csv.stdout_bytes.decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",'@SUM(1)")


NOTE = "已开工\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\r伪造的一行\x9b31m [/bold]"


@pytest.fixture
def hostile_log(tmp_path):
    log = tmp_path / "progress.jsonl"
    entry = {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": NOTE,
             "填报人": "住建局\x1b[8m"}  # fmt: skip
    log.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    return log


@pytest.mark.parametrize(
    "command",
    [
        ["history", "7", "--format", "tsv"],
        ["history", "7", "--format", "plain"],
        ["history", "7", "--format", "table"],
        ["show", "7", "--format", "table", "--as-of", AS_OF],
        ["show", "7", "--format", "markdown", "--as-of", AS_OF],
        ["report", "--week", "2023-W23", "--as-of", "2023-08-01", "--format", "plain"],  # 7 is 红
        ["report", "--week", "2023-W23", "--format", "json"],
    ],
)
def test_no_control_character_reaches_the_terminal(runner, hostile_log, command):
    result = runner.invoke(cli, [*command, "--file", str(BUNDLED), "--ledger", str(hostile_log)])
    assert result.exit_code == 0, result.output
    text = result.stdout + result.stderr
    assert not [ch for ch in text if ch not in "\n\t" and (ord(ch) < 32 or 127 <= ord(ch) < 160)]
    if "json" in command:
        json.loads(result.stdout)  # still JSON: the controls are \\u escapes in it
        assert "\\u001b]52;c;" in result.stdout
    else:
        assert "\\x1b]52;c;" in result.stdout
        assert "[/bold]" in result.stdout or "report" in command  # text, never rich markup


@pytest.mark.parametrize("fmt", ["csv", "markdown", "json"])
def test_an_export_shown_on_a_terminal_is_escaped(runner, tmp_path, monkeypatch, fmt):
    from taskctl import output

    path = tmp_path / "tasks.yaml"
    path.write_text(
        BUNDLED.read_text(encoding="utf-8").replace(
            "地区生产总值同比增长7%", '"地区生产总值\\e[2J\\x9b31m同比增长7%"'
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    result = runner.invoke(cli, ["export", "--file", str(path), "--format", fmt, "--id", "1"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert ("\\u001b" if fmt == "json" else "\\x1b") in result.stdout


def test_an_error_quoting_the_users_words_is_escaped_too(runner):
    result = runner.invoke(cli, ["list", "--file", str(BUNDLED), "--leader", "\x1b[2J于"])
    one_line_error(result, "\\x1b[2J")


def test_the_markdown_report_escapes_raw_html_and_cr(runner, tmp_path):
    log = tmp_path / "progress.jsonl"
    entry = {"序号": 7, "日期": "2023-06-05", "状态": "滞后", "进度": 10,
             "说明": "<script>alert(1)</script>\r# 假标题 <img src=x onerror=alert(2)>",
             "填报人": "<b>住建局</b>"}  # fmt: skip
    log.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["report", "--week", "2023-W23", "--file", str(BUNDLED), "--ledger", str(log)]
    )
    assert result.exit_code == 0
    assert "<script" not in result.stdout and "<img" not in result.stdout
    assert "<b>" not in result.stdout and "\r" not in result.stdout
    assert (
        "&lt;script>alert(1)&lt;/script> # 假标题 &lt;img src=x onerror=alert(2)>" in result.stdout
    )
    assert not any(line.startswith("# 假标题") for line in result.stdout.splitlines())


# The parse cache -----------------------------------------------------------------------------


@pytest.fixture
def two_lists(tmp_path):
    """The list at ``path`` and a cache entry claiming it holds a different list."""
    path = tmp_path / "tasks.yaml"
    path.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    truth = load(path)
    forged = load(BUNDLED)
    forged = type(forged)(title="伪造的清单", sections=forged.sections[:1], year=2023)
    raw = path.read_bytes()
    cache.put(path.resolve(), os.stat(path), raw, forged)
    entry = cache.entry_path(path.resolve())
    assert load(path).title == "伪造的清单"  # the entry is one the loader would use
    return path, truth, entry


@POSIX
def test_an_entry_owned_by_another_user_is_ignored(two_lists):
    if os.geteuid() != 0:
        pytest.skip("needs root to give the entry to another user")
    path, truth, entry = two_lists
    os.chown(entry, 4242, 4242)
    assert load(path) == truth


@POSIX
def test_a_cache_folder_others_can_write_is_ignored(two_lists):
    path, truth, entry = two_lists
    entry.parent.chmod(0o777)
    try:
        assert load(path) == truth
    finally:
        entry.parent.chmod(0o700)


@POSIX
@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero"])
def test_a_special_file_at_an_entry_is_not_read(tmp_path, monkeypatch, kind):
    path = tmp_path / "tasks.yaml"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(folder))
    entry = cache.entry_path(path.resolve())
    if kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    result = taskctl("list", "--id", "1", "--file", path, "--format", "tsv", timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().startswith("1\t一\t地区生产总值同比增长7%")
