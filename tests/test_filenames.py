"""The file name decides the format, or the command refuses (core of ``-o`` for report/export)."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskctl.errors import InputError
from taskctl.filenames import EXPORT_SUFFIXES, LIST_SUFFIXES, REPORT_SUFFIXES, choose_format


@pytest.mark.parametrize(
    ("name", "fmt", "chosen"),
    [
        ("周报.docx", None, "docx"),
        ("周报.DOCX", None, "docx"),
        ("周报.html", None, "html"),
        ("周报.htm", "html", "html"),
        ("周报.txt", None, "text"),
        ("周报.md", "markdown", "markdown"),
        ("周报", "json", "json"),
        ("周报.out", "text", "text"),
        (None, None, "markdown"),
    ],
)
def test_report_format_from_the_name(name, fmt, chosen):
    output = None if name is None else Path(name)
    assert choose_format(output, fmt, REPORT_SUFFIXES, "markdown", "report") == chosen


@pytest.mark.parametrize(
    ("name", "fmt", "command", "message"),
    [
        (
            "周报.docx",
            "markdown",
            "report",
            "--format markdown 与文件名 周报.docx 不符（.docx 是 docx）；"
            "去掉 --format，或把文件名改为 markdown 的扩展名",
        ),
        (
            "周报",
            None,
            "report",
            "-o 周报 没有扩展名，看不出要写哪种格式；请写上扩展名（可写：.md .markdown .txt .json "
            ".html .htm .docx），或用 --format 指明格式",
        ),
        (
            "tasks",
            None,
            "import",
            "-o tasks 没有扩展名，看不出要写哪种格式；请写上扩展名（可写：.yaml .yml）",
        ),
        (
            "周报.doc",
            None,
            "report",
            "taskctl report 不能写 旧版 Word（.doc）文件；可写：.md .markdown .txt .json .html .htm "
            ".docx；Word 通报请用 .docx（需要 PDF 时用 Word/WPS 另存）",
        ),
        (
            "周报.pdf",
            "docx",
            "report",
            "taskctl report 不能写 PDF（.pdf）文件；可写：.md .markdown .txt .json .html .htm "
            ".docx；Word 通报请用 .docx（需要 PDF 时用 Word/WPS 另存）",
        ),
        (
            "台账.xls",
            None,
            "export",
            "taskctl export 不能写 旧版 Excel（.xls）文件；可写：.yaml .yml .csv .xlsx .md "
            ".markdown .json；Excel 台账请用 .xlsx",
        ),
        (
            "台账.wps",
            None,
            "export",
            "taskctl export 不能写 WPS 文字（.wps）文件；可写：.yaml .yml .csv .xlsx .md "
            ".markdown .json",
        ),
        (
            "周报.xlsx",
            None,
            "report",
            "taskctl report 不能写 .xlsx 文件；可写：.md .markdown .txt .json .html .htm .docx",
        ),
        (
            "台账.csv",
            "xlsx",
            "export",
            "--format xlsx 与文件名 台账.csv 不符（.csv 是 csv）；"
            "去掉 --format，或把文件名改为 xlsx 的扩展名",
        ),
    ],
)
def test_mismatch_and_unwritable_extensions_are_refused(name, fmt, command, message):
    suffixes = {"report": REPORT_SUFFIXES, "import": LIST_SUFFIXES}.get(command, EXPORT_SUFFIXES)
    default = "markdown" if command == "report" else "yaml"
    with pytest.raises(InputError) as caught:
        choose_format(Path(name), fmt, suffixes, default, command)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2
