"""report and export through the command line: the -o name decides the format or the command
refuses (exit 2, nothing written); the cadence options name the report."""

from __future__ import annotations

import json

import docx
import pytest

from taskctl.cli import cli
from tests.conftest import LIST_ERRORS, ROOT

LOG = ["--ledger", str(ROOT / "examples" / "sample-progress.jsonl")]


def test_report_docx_by_the_name(runner, tmp_path):
    out = tmp_path / "周报.docx"
    result = runner.invoke(cli, ["report", "--week", "2023-W26", *LOG, "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        f"{LIST_ERRORS}已写入 {out}\n",
    )
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "督查通报"
    title = "关于2023年《政府工作报告》工作任务推进情况的通报"
    assert title in [p.text for p in document.paragraphs[:6]]
    assert document.core_properties.title == title


def test_report_html_and_text_by_the_name(runner, tmp_path):
    html, text = tmp_path / "周报.html", tmp_path / "周报.txt"
    for out in (html, text):
        result = runner.invoke(cli, ["report", "--week", "2023-W26", *LOG, "-o", str(out)])
        assert result.exit_code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert text.read_text(encoding="utf-8").startswith(
        "督查通报\n第26期\n督查室　2023年7月3日\n" + "=" * 40 + "\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "-o", "周报.doc"],
            "错误：taskctl report 不能写 旧版 Word（.doc）文件；可写：.md .markdown .txt .json "
            ".html .htm .docx；Word 通报请用 .docx（需要 PDF 时用 Word/WPS 另存）\n",
        ),
        (
            ["report", "-o", "周报.pdf"],
            "错误：taskctl report 不能写 PDF（.pdf）文件；可写：.md .markdown .txt .json .html "
            ".htm .docx；Word 通报请用 .docx（需要 PDF 时用 Word/WPS 另存）\n",
        ),
        (
            ["report", "-o", "周报.html", "--format", "markdown"],
            "错误：--format markdown 与文件名 周报.html 不符（.html 是 html）；"
            "去掉 --format，或把文件名改为 markdown 的扩展名\n",
        ),
        (
            ["export", "-o", "台账.xls"],
            "错误：taskctl export 不能写 旧版 Excel（.xls）文件；可写：.yaml .yml .csv .xlsx .md "
            ".markdown .json；Excel 台账请用 .xlsx\n",
        ),
        (
            ["export", "-o", "台账.wps"],
            "错误：taskctl export 不能写 WPS 文字（.wps）文件；可写：.yaml .yml .csv .xlsx .md "
            ".markdown .json\n",
        ),
        (
            ["export", "-o", "台账.csv", "--format", "xlsx"],
            "错误：--format xlsx 与文件名 台账.csv 不符（.csv 是 csv）；"
            "去掉 --format，或把文件名改为 xlsx 的扩展名\n",
        ),
    ],
)
def test_wrong_names_are_refused_and_nothing_written(runner, tmp_path, args, message):
    result = runner.invoke(cli, [*args, *LOG] if args[0] == "report" else args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_docx_is_not_sent_to_a_terminal(runner, monkeypatch):
    monkeypatch.setattr("taskctl.output.is_terminal", lambda stream: True)
    result = runner.invoke(cli, ["report", "--format", "docx", *LOG])
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：docx 是二进制文件，不能显示在终端；请用 -o 指定文件，如 -o 周报.docx\n",
    )


@pytest.mark.parametrize(
    ("option", "title", "span"),
    [
        (["--month", "2023-06"], "2023年6月进度月报", ("2023-06-01", "2023-06-30")),
        (["--quarter", "2023Q2"], "2023年第二季度通报", ("2023-04-01", "2023-06-30")),
        (["--year", "2023"], "2023年度总结", ("2023-01-01", "2023-12-31")),
        (
            ["--since", "2023-06-01", "--until", "2023-06-20"],
            "进度通报",
            ("2023-06-01", "2023-06-20"),
        ),
    ],
)
def test_cadence_options_name_the_report(runner, option, title, span):
    result = runner.invoke(cli, ["report", *option, *LOG, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["title"] == f"2023年《政府工作报告》工作任务分解清单 {title}"
    assert (data["since"], data["until"]) == span
    assert ("ranking" in data) is (option[0] == "--year")


def test_two_cadences_are_refused(runner):
    result = runner.invoke(cli, ["report", "--month", "2023-06", "--week", "2023-W26", *LOG])
    assert (result.exit_code, result.stderr) == (2, "错误：--week 与 --month 只能选一种\n")


def test_import_writes_only_yaml_names(runner, tmp_path):
    source = ROOT / "tests" / "fixtures" / "2023-task-list.txt"
    result = runner.invoke(cli, ["import", str(source), "-o", "清单.xlsx"])
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：taskctl import 不能写 .xlsx 文件；可写：.yaml .yml\n",
    )
    assert list(tmp_path.iterdir()) == []
