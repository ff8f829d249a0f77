"""One weekly round end to end, through the command line: forms out, replies back (one saved by
LibreOffice, one with a bad row, one sent twice, the rest never returned), collect, report."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from replies import fill, libreoffice_save

from taskctl.cli import cli
from tests.conftest import BUNDLED, ROOT

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
NOW = dt.datetime(2023, 6, 30, 17, 45, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: NOW)


@pytest.fixture
def office(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    shutil.copy(SAMPLE, tmp_path / "data" / "progress.jsonl")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_one_weekly_round(runner, office):
    log = office / "data" / "progress.jsonl"
    # 1. forms for every unit that leads tasks
    result = runner.invoke(cli, ["forms", "--week", "2023-W26", "--dir", "填报/"])
    assert result.exit_code == 0, result.output
    written = result.stdout.splitlines()
    assert len(written) == 34
    assert written[0] == f"发改局\t{Path('填报/2023-W26_发改局.xlsx')}\t8\t2023-06-30"
    assert result.stderr == f"已生成 2023-W26 填报表 34 份（125 项任务）→ {Path('填报')}\n"

    # 2. replies, filled in as the units would
    inbox = office / "回收"
    inbox.mkdir()
    forms = office / "填报"
    filled = fill(
        forms / "2023-W26_住建局.xlsx",
        {
            31: ("序时推进", 50, "完成改厕1200户", "资金缺口300万元", "争取省级补助"),
            39: ("已完成", 100, "地块征收完毕"),
        },
        office / "住建局-填好.xlsx",
        person="王明",
        phone="0412-4821234",
    )
    saved = libreoffice_save(filled, office / "lo")  # 住建局 uses LibreOffice
    shutil.copy(saved, inbox / "2023-W26_住建局.xlsx")
    fill(
        forms / "2023-W26_交通局.xlsx",
        {28: ("滞后", 20, "征地未完成"), 50: ("进行中", 30)},
        inbox / "2023-W26_交通局.xlsx",
    )
    fill(
        forms / "2023-W26_工信局.xlsx", {2: ("序时推进", 45, "检修结束复产")}, inbox / "工信局.xlsx"
    )
    twice = fill(
        forms / "2023-W26_教育局.xlsx", {78: ("序时推进", 60, "主体封顶")}, inbox / "教育局.xlsx"
    )
    shutil.copy(twice, inbox / "教育局（重发）.xlsx")  # sent twice over 政务微信

    # 3. collect: the bad file is refused with its reason, the others go in, once
    before = log.read_bytes()
    result = runner.invoke(cli, ["collect", "回收/", "--format", "tsv"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert sorted(lines[:5]) == sorted(
        [
            "住建局\t14\t2\t0\t收录\t2023-W26_住建局.xlsx",
            "交通局\t4\t0\t1\t退回\t2023-W26_交通局.xlsx",
            "工信局\t11\t1\t0\t收录\t工信局.xlsx",
            "教育局\t4\t1\t0\t收录\t教育局.xlsx",
            "教育局\t4\t1\t0\t已收录过，未重复写入\t教育局（重发）.xlsx",
        ]
    )
    assert lines[5] == "已报送（3）：工信局、住建局、教育局"
    assert (
        lines[6].startswith("未报送（31）：发改局、财政局、农业农村局、") and "交通局" in lines[6]
    )
    assert result.stderr.splitlines() == [
        f"退回：{Path('回收/2023-W26_交通局.xlsx')} 第 6 行：本期状态「进行中」不认识："
        "应为 未启动、序时推进、滞后、已完成 之一",
        f"已写入 4 条填报记录 → {Path('data/progress.jsonl')}",
    ]
    grown = log.read_bytes()
    assert grown.startswith(before) and grown.count(b"\n") == before.count(b"\n") + 4

    # the same folder again: nothing new
    again = runner.invoke(cli, ["collect", "回收/", "--format", "tsv"])
    assert again.exit_code == 1 and log.read_bytes() == grown
    assert "已写入 0 条填报记录" in again.stderr

    # 4. the report for the week: who has not reported named, each unit in 附件2; the updates
    # with their three texts in the data
    report = runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "markdown"])
    assert report.exit_code == 0, report.output
    text = report.stdout
    assert (
        "### （二）报送情况\n\n报送期限为2023年6月30日，应报送34个单位，已报送3个。"
        "未报送31个单位：发改局、财政局、" in text
    )
    assert "因填写有误被退回、尚未重新报送的：交通局。" in text
    assert (
        "| 32 | 工信局 | 已报送 |  |\n| 33 | 住建局 | 已报送 |  |\n| 34 | 教育局 | 已报送 |  |\n"
        in text
    )
    data = __import__("json").loads(
        runner.invoke(cli, ["report", "--week", "2023-W26", "--format", "json"]).stdout
    )
    texts = {e["id"]: (e["note"], e.get("problem"), e.get("next_step"), e["by"])
             for e in data["new_entries"]}  # fmt: skip
    assert texts[31] == ("完成改厕1200户", "资金缺口300万元", "争取省级补助", "住建局")
    assert texts[78][0] == "主体封顶"

    # history shows where each entry came from and its id; a revocation is kept, marked
    history = runner.invoke(cli, ["history", "31", "--all", "--format", "json"])
    (entry,) = __import__("json").loads(history.stdout)
    assert entry["origin"] == "2023-W26_住建局.xlsx 第 5 行" and entry["period"] == "2023-W26"
    revoke = runner.invoke(cli, ["update", "--revoke", entry["entry_id"][:6], "--note", "误报"])
    assert revoke.exit_code == 0, revoke.output
    marked = runner.invoke(cli, ["history", "31", "--all", "--format", "tsv"])
    assert [line.split("\t")[-1] for line in marked.stdout.splitlines()] == [
        "已撤销",
        f"撤销 {entry['entry_id']}",
    ]
    assert runner.invoke(cli, ["history", "31"]).stderr.startswith("没有符合条件的填报记录")
