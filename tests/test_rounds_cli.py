"""forms, collect and the grown-up update/history through the CLI: output, exit codes, refusals."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from replies import fill

from taskctl.cli import cli
from tests.conftest import BUNDLED, ROOT

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
NOW = dt.datetime(2023, 6, 30, 17, 45, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: NOW)


@pytest.fixture
def office(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    shutil.copy(SAMPLE, tmp_path / "data" / "progress.jsonl")
    return tmp_path


def test_forms_needs_a_period_and_refuses_to_overwrite(runner, office):
    result = runner.invoke(cli, ["forms", "--dir", "填报/"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "错误：请用 --week 2023-W26、--month 2023-06 或 --since/--until 之一指明填报期间\n"
    )
    assert not (office / "填报").exists()
    args = ["forms", "--month", "2023-06", "--unit", "zhujianju", "--role", "all", "--dir", "填报"]
    first = runner.invoke(cli, [*args, "--due", "2023-07-03"])
    assert first.exit_code == 0, first.output
    assert first.stdout == f"住建局\t{Path('填报/2023-06_住建局.xlsx')}\t14\t2023-07-03\n"
    assert first.stderr == f"已生成 2023-06 填报表 1 份（14 项任务）→ {Path('填报')}\n"
    import openpyxl

    sheet = openpyxl.load_workbook(office / "填报" / "2023-06_住建局.xlsx")["填报"]
    assert sheet["A1"].value == "住建局　2023年6月　工作任务进展填报表"
    assert "请于 2023年7月3日 前填好" in sheet["A2"].value
    again = runner.invoke(cli, args)
    assert again.exit_code == 2
    assert again.stderr == "错误：填报 中已有 2023-06_住建局.xlsx（共 1 个）；覆盖请加 --force\n"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0


def test_collect_dry_run_writes_nothing_and_json_summary(runner, office):
    runner.invoke(cli, ["forms", "--week", "2023-W26", "--unit", "住建局", "--dir", "填报"])
    (office / "回收").mkdir()
    fill(
        office / "填报" / "2023-W26_住建局.xlsx",
        {31: ("on-track", "50%")},
        office / "回收" / "a.xlsx",
    )
    log = office / "data" / "progress.jsonl"
    before = log.read_bytes()
    dry = runner.invoke(cli, ["collect", "回收", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    assert log.read_bytes() == before
    document = json.loads(dry.stdout)
    assert document["period"] == "2023-W26"
    assert document["replies"] == [
        {
            "file": "a.xlsx",
            "unit": "住建局",
            "period": "2023-W26",
            "tasks": 14,
            "filled": 1,
            "refused_rows": 0,
            "outcome": "收录",
            "problems": [],
        }
    ]
    assert document["reported"] == ["住建局"] and len(document["owed"]) == 33
    assert dry.stderr == (
        "（试运行）将写入 1 条填报记录，未写入任何内容\n  住建局 序号 31：序时推进 50%\n"
    )
    wrong = runner.invoke(cli, ["collect", "回收", "--week", "2023-W27"])
    assert wrong.exit_code == 1 and log.read_bytes() == before
    assert "这是 2023-W26 的填报表，本次回收的是 2023-W27" in wrong.stderr
    missing = runner.invoke(cli, ["collect", "没有这个文件夹"])
    assert missing.exit_code == 2
    assert missing.stderr == "错误：没有这个文件夹：不存在；请写回收文件夹或回复文件的路径\n"


def test_update_three_texts_refusals_and_revoke(runner, office):
    log = office / "data" / "progress.jsonl"
    ok = runner.invoke(
        cli,
        ["update", "60", "--status", "滞后", "--progress", "30", "--note", "设备到货",
         "--problem", "资金未到位", "--next", "争取专项债", "--by", "住建局", "--date", "2023-06-29"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    line = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert (line["说明"], line["存在问题"], line["下一步措施"]) == (
        "设备到货",
        "资金未到位",
        "争取专项债",
    )
    before = log.read_bytes()
    refusals = {
        # the same unit's 进度 falls: each unit is compared with its own last report
        (
            "update",
            "60",
            "--status",
            "滞后",
            "--progress",
            "20",
            "--by",
            "住建局",
            "--date",
            "2023-06-30",
        ): ("错误：序号 60 的进度由 30%（2023-06-29）降为 20%：进度下降须用 --note 写明原因\n"),
        ("update", "60", "--status", "done", "--progress", "90"): (
            "错误：序号 60 填报为已完成，进度却为 90%：已完成的进度应为 100，未完成请填 序时推进 或 滞后\n"
        ),
        ("update", "60", "--status", "滞后", "--date", "2023-07-01"): (
            "错误：日期 2023-07-01 晚于今天（2023-06-30）；请核对日期，确需如此请加 --allow-date\n"
        ),
        ("update", "60", "--status", "滞后", "--date", "2022-12-30"): (
            "错误：日期 2022-12-30 不在清单年度 2023 年内；请核对日期，确需如此请加 --allow-date\n"
        ),
        ("update", "60"): "错误：请用 --status 写明状态：未启动、序时推进、滞后、已完成 之一\n",
        (
            "update",
            "--status",
            "滞后",
        ): "错误：请写要填报的序号，如 taskctl update 7 --status 序时推进\n",
        ("update", "60", "--revoke", "abcd"): (
            "错误：--revoke 只与 --note（撤销原因）、--by 同用；请不要同时写序号、状态等\n"
        ),
        ("update", "--revoke", "ffffff"): (
            "错误：没有编号为「ffffff」的填报记录；用 taskctl history 序号 --all 查看编号\n"
        ),
    }
    for args, message in refusals.items():
        result = runner.invoke(cli, list(args))
        assert (result.exit_code, result.stderr) == (2, message), args
        assert log.read_bytes() == before
    shown = runner.invoke(cli, ["show", "60", "--as-of", "2023-06-30", "--format", "tsv"])
    assert (
        "2023-06-29 滞后 30% 设备到货；存在问题：资金未到位；下一步措施：争取专项债（住建局）"
        in shown.stdout
    )
    allowed = ["update", "60", "--status", "滞后", "--date", "2022-12-30", "--allow-date"]
    assert runner.invoke(cli, allowed).exit_code == 0

    table = runner.invoke(cli, ["history", "60", "--format", "csv"])
    assert (
        table.stdout.splitlines()[0]
        == "日期,状态,进度,进展情况,存在问题,下一步措施,填报人,记录时间"
    )
    rows = runner.invoke(cli, ["history", "60", "--format", "tsv"]).stdout.splitlines()
    assert "2023-06-29\t滞后\t30%\t设备到货\t资金未到位\t争取专项债\t住建局\t" in "\n".join(rows)
    ids = [
        r["entry_id"]
        for r in json.loads(
            runner.invoke(cli, ["history", "60", "--all", "--format", "json"]).stdout
        )
    ]
    result = runner.invoke(cli, ["update", "--revoke", ids[-1], "--by", "督查室"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"已撤销 记录 {ids[-1]}（序号 60，2022-12-30，滞后）→ ")
    twice = runner.invoke(cli, ["update", "--revoke", ids[-1]])
    assert (twice.exit_code, twice.stderr) == (2, f"错误：记录 {ids[-1]} 已撤销，无需撤销\n")


def test_update_with_a_note_does_not_read_the_log(runner, office, monkeypatch):
    """A lower 进度 with a note is explained: ``update`` need not look back through a long log
    (the bench's update at 100k entries stays as fast as with an empty log)."""
    import taskctl.progress

    calls = []
    real = taskctl.progress.entries_about
    monkeypatch.setattr(
        taskctl.progress, "entries_about", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    args = ["update", "60", "--status", "滞后", "--progress", "10", "--date", "2023-06-29"]
    assert runner.invoke(cli, [*args, "--note", "设计变更"]).exit_code == 0
    assert calls == []
    assert runner.invoke(cli, [*args[:-2], "--date", "2023-06-30"]).exit_code == 0
    assert len(calls) == 1  # without a note the last 进度 is looked up


def test_forms_refuses_a_period_outside_the_lists_year(runner, office):
    result = runner.invoke(cli, ["forms", "--week", "2026-W49", "--dir", "填报"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "错误：填报期间 2026-W49（2026-11-30—2026-12-06）不在清单年度 2023 年内；"
        "请核对期间或清单（--file）\n"
    )
    assert not (office / "填报").exists()
    early = runner.invoke(cli, ["forms", "--week", "2024-W01", "--unit", "住建局", "--dir", "填报"])
    assert early.exit_code == 2 and "不在清单年度 2023 年内" in early.stderr
    # a week that starts in the list's year is its last round, though it ends in the next
    last = runner.invoke(
        cli,
        ["forms", "--week", "2023-W52", "--unit", "住建局", "--dir", "填报", "--format", "json"],
    )
    assert last.exit_code == 0, last.output
    assert json.loads(last.stdout) == [
        {"unit": "住建局", "path": str(Path("填报/2023-W52_住建局.xlsx")), "tasks": 14,
         "due": "2023-12-29"}
    ]  # fmt: skip
