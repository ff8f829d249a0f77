"""A reply ``collect`` sends back is named, with its reasons, in the report's 报送情况, until the
unit sends one that goes in."""

from __future__ import annotations

import json
import shutil

import pytest

from taskctl.cli import cli
from tests.conftest import BUNDLED

GOOD = "序号,状态,进度,进展情况\n31,序时推进,40,已开工\n"
BAD = "序号,状态,进度\n31,进行中,20\n39,序时推进,120\n"


@pytest.fixture
def county(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    return tmp_path


def collect(runner, county, name, text):
    (county / name).write_text(text, encoding="utf-8")
    return runner.invoke(
        cli, ["collect", name, "--by", "住建局", "--week", "2023-W26", "--format", "tsv"]
    )


def section(runner):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    return text[text.index("## 报送情况") :]


def test_a_refused_reply_is_in_the_report_with_its_reasons(runner, county):
    result = collect(runner, county, "住建局.csv", BAD)
    assert result.exit_code == 1
    assert (county / "data" / "progress.退回.ndjson").is_file()
    assert not (county / "data" / "progress.jsonl").exists()  # nothing went into the log
    text = section(runner)
    assert "| 1 | 发改局 | 未报送 |  |\n" in text
    assert (
        "| 12 | 住建局 | 退回 | 住建局.csv：第 2 行：状态「进行中」不认识：应为 未启动、序时推进、滞后、"
        "已完成 之一；第 3 行：进度 120 超出范围：应为 0 到 100 的整数 |\n"
    ) in text
    body = runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "text"]).stdout
    assert (
        "应报送34个单位，已报送0个。未报送34个单位：发改局、工信局、财政局、农业农村局、经开区、"
        "农开区等。因填写有误被退回、尚未重新报送的：住建局。\n"
    ) in body
    report = json.loads(
        runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "json"]).stdout
    )
    assert report["submissions"]["refused"] == [
        {
            "file": "住建局.csv",
            "unit": "住建局",
            "problems": [
                "住建局.csv 第 2 行：状态「进行中」不认识：应为 未启动、序时推进、滞后、已完成 之一",
                "住建局.csv 第 3 行：进度 120 超出范围：应为 0 到 100 的整数",
            ],
        }
    ]


def test_the_refusal_goes_once_the_unit_reports(runner, county):
    collect(runner, county, "住建局.csv", BAD)
    assert collect(runner, county, "住建局-改.csv", GOOD).exit_code == 0
    text = section(runner)
    # collected today, long after the week's due date: 迟报, and no longer 退回
    assert "| 34 | 住建局 | 迟报 | " in text
    assert "退回" not in text


def test_a_dry_run_records_no_refusal(runner, county):
    (county / "住建局.csv").write_text(BAD, encoding="utf-8")
    result = runner.invoke(
        cli, ["collect", "住建局.csv", "--by", "住建局", "--week", "2023-W26", "--dry-run"]
    )
    assert result.exit_code == 1
    assert not (county / "data" / "progress.退回.ndjson").exists()


def test_a_log_folder_keeps_refusals_out_of_the_log_files(runner, county):
    folder = county / "data" / "progress"
    folder.mkdir()
    (county / "住建局.csv").write_text(BAD, encoding="utf-8")
    runner.invoke(
        cli,
        ["collect", "住建局.csv", "--by", "住建局", "--week", "2023-W26", "--ledger", str(folder)],
    )
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [
        "退回记录.ndjson"
    ]
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--ledger", str(folder)])
    assert result.exit_code == 0, result.output
    assert "| 住建局 | 退回 | 住建局.csv：第 2 行" in result.stdout
