"""When a reply was received (collect --received), 按时 / 迟报 / 未报 against the round's due
date, and the report's 报送情况 that lists them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

import pytest

from taskctl.cli import cli
from taskctl.collect import reply_statuses
from taskctl.loader import load
from taskctl.period import parse_period
from taskctl.progress import Entry, read_all
from tests.conftest import BUNDLED

TZ = dt.timezone(dt.timedelta(hours=8))
CLOCK = {"now": dt.datetime(2023, 7, 5, 10, 0, tzinfo=TZ)}


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: CLOCK["now"])


@pytest.fixture
def office(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "住建局.csv").write_text("序号,状态,进度\n39,序时推进,50\n", encoding="utf-8")
    (tmp_path / "交通局.csv").write_text("序号,状态,进度\n28,滞后,20\n", encoding="utf-8")
    return tmp_path


def collect(runner, unit, received=None):
    args = ["collect", f"{unit}.csv", "--by", unit, "--week", "2023-W26", "--format", "tsv"]
    if received:
        args += ["--received", received]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


def report(runner, as_of, fmt="json"):
    args = ["report", "--week", "2023-W26", "--as-of", as_of, "--format", fmt]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["submissions"] if fmt == "json" else result.stdout


def test_late_and_missing_replies_in_the_report(runner, office):
    collect(runner, "住建局", "2023-06-30")  # W26 is due Friday 30 June
    collect(runner, "交通局", "2023-07-03")
    line = (office / "data" / "progress.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert '"收到日期": "2023-07-03"' in line
    held = report(runner, "2023-07-05")
    assert held["due"] == "2023-06-30"
    assert held["on_time"] == [
        {"unit": "住建局", "status": "按时", "due": "2023-06-30", "received": "2023-06-30"}
    ]
    assert held["late"] == [
        {"unit": "交通局", "status": "迟报", "due": "2023-06-30", "received": "2023-07-03"}
    ]
    assert len(held["missing"]) == 32 and held["missing"][0]["unit"] == "发改局"
    assert held["missing"][0]["received"] is None
    # as of the end of the week, 交通局's reply had not come: 未报 then
    then = report(runner, "2023-07-02")
    assert [r["unit"] for r in then["late"]] == []
    assert "交通局" in [r["unit"] for r in then["missing"]]
    text = report(runner, "2023-07-05", "markdown")
    assert "报送期限为2023年6月30日，应报送34个单位，已报送2个。未报送32个单位：" in text
    assert "迟报1个单位：交通局。" in text
    assert "| 33 | 交通局 | 迟报 | 2023年7月3日收到 |\n| 34 | 住建局 | 已报送 |  |\n" in text


def test_a_correction_keeps_the_day_the_first_reply_came(runner, office):
    collect(runner, "住建局", "2023-06-30")
    (office / "住建局.csv").write_text("序号,状态,进度\n39,序时推进,55\n", encoding="utf-8")
    collect(runner, "住建局")  # today, 5 July: a correction, not a late reply
    entries = [e for e in read_all(office / "data" / "progress.jsonl") if e.by == "住建局"]
    assert [(e.progress, e.received) for e in entries] == [(50, "2023-06-30"), (55, "2023-06-30")]
    assert [r["unit"] for r in report(runner, "2023-07-05")["on_time"]] == ["住建局"]


def test_received_defaults_to_today_and_may_not_be_in_the_future(runner, office):
    collect(runner, "交通局")
    (entry,) = read_all(office / "data" / "progress.jsonl")
    assert entry.received == "2023-07-05"
    result = runner.invoke(
        cli,
        ["collect", "住建局.csv", "--by", "住建局", "--week", "2023-W26"]
        + ["--received", "2023-07-06"],
    )
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：--received 2023-07-06 晚于今天；收到日期不能是将来\n",
    )


def test_reply_status_of_an_old_log_uses_the_time_recorded():
    """Logs written before 收到日期 was kept still load; their replies count from 记录时间."""
    tasklist = load(BUNDLED)
    week = parse_period(week="2023-W26")
    old = Entry(
        28, dt.date(2023, 7, 2), "滞后", 20, by="交通局", period="2023-W26", reply="r1",
        recorded_at=dt.datetime(2023, 7, 1, 9, tzinfo=TZ),
    )  # fmt: skip
    (status,) = [s for s in reply_statuses(tasklist, [old], week, as_of=dt.date(2023, 7, 9))
                 if s.unit == "交通局"]  # fmt: skip
    assert (status.status, status.received, status.due) == (
        "迟报",
        dt.date(2023, 7, 1),
        dt.date(2023, 6, 30),
    )
    early = reply_statuses(
        tasklist, [old], week, as_of=dt.date(2023, 7, 9), due=dt.date(2023, 7, 3)
    )
    assert [s.status for s in early if s.unit == "交通局"] == ["按时"]
    assert old.to_line().decode().count("收到日期") == 0


def test_an_entry_without_a_receipt_day_keeps_the_id_it_always_had():
    import hashlib

    entry = Entry(
        28, dt.date(2023, 7, 2), "滞后", 20, "征地未完成", "交通局",
        dt.datetime(2023, 7, 1, 9, tzinfo=TZ), period="2023-W26", reply="r1",
    )  # fmt: skip
    content = [28, "2023-07-02", "滞后", 20, "征地未完成", "交通局"]
    content += ["2023-07-01T09:00:00.000000+08:00", "", "", "2023-W26", "", "r1", ""]
    digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    assert entry.uid == digest[:10]
    received = dataclasses.replace(entry, received="2023-07-03")
    assert received.uid != entry.uid
