"""Round 3 of "never silently wrong" (issue 23): a careless clerk and a hostile reply."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import ROOT
from replies import fill

from taskctl.collect import collect, write
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
