"""Many writers at once lose nothing; a writer killed mid-write leaves a log others can read."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal

import pytest

from taskctl.progress import Entry, read_file
from tests.conftest import BUNDLED

WRITERS = 40
EACH = 5


def _writer(n: int, log: str, barrier) -> None:
    from taskctl.cli import cli

    barrier.wait()
    ids = ",".join(str(1 + (n * EACH + k) % 102) for k in range(EACH))
    try:
        cli.main(
            ["update", ids, "--status", "on-track", "--progress", str(n),
             "--note", f"单位{n}的说明" * 50, "--by", f"第{n}督查室", "--date", "2023-06-30",
             "--file", str(BUNDLED), "--ledger", log],
            prog_name="taskctl",
        )  # fmt: skip
    except SystemExit as exc:
        os._exit(exc.code or 0)
    os._exit(0)


def test_forty_processes_updating_at_once_lose_nothing(tmp_path):
    log = tmp_path / "progress.jsonl"
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    barrier = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_writer, args=(n, str(log), barrier)) for n in range(WRITERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
    assert [proc.exitcode for proc in procs] == [0] * WRITERS
    raw = log.read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == WRITERS * EACH
    warnings: list[str] = []
    entries = read_file(log, warnings.append)
    assert warnings == []
    assert sorted((e.by, e.progress, e.id) for e in entries) == sorted(
        (f"第{n}督查室", n, 1 + (n * EACH + k) % 102) for n in range(WRITERS) for k in range(EACH)
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")
def test_writer_killed_mid_write_leaves_a_readable_log(tmp_path, runner):
    from stopped_writer import run_until_stopped

    from taskctl.cli import cli

    log = tmp_path / "progress.jsonl"
    note = "长说明" * 660  # under the 2000 characters a 说明 may hold
    moment = dt.datetime(2023, 6, 30, tzinfo=dt.timezone.utc)
    records = [
        Entry(i, dt.date(2023, 6, 30), "序时推进", 50, note, "督查室", moment).to_line()
        for i in range(1, 12)
    ]
    # ten whole records, then the eleventh cut two bytes into the first character of its 说明
    budget = sum(map(len, records[:10])) + records[10].index(note.encode()) + 2
    killed = run_until_stopped(
        budget, "update", "1-20", "--status", "on-track", "--progress", "50", "--note", note,
        "--by", "督查室", "--date", "2023-06-30", "--file", str(BUNDLED), "--ledger", str(log),
    )  # fmt: skip
    assert killed

    # The kill left ten whole records and a torn one; readers skip it with a warning.
    raw = log.read_bytes()
    assert len(raw) == budget and 0x80 <= raw[-1] < 0xC0
    complete = raw.count(b"\n")
    warnings: list[str] = []
    before = read_file(log, warnings.append)
    assert [e.id for e in before] == list(range(1, 11))
    assert warnings == [f"{log} 第 11 行不完整（可能是写入时被中断），已跳过"]

    # The lock died with the writer: the next update goes through and starts a fresh line.
    result = runner.invoke(
        cli,
        ["update", "7", "--status", "done", "--date", "2023-07-01", "--file", str(BUNDLED),
         "--ledger", str(log)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = read_file(log, lambda message: None)
    assert len(after) == complete + 1
    assert (after[-1].id, after[-1].status) == (7, "已完成")
    last = log.read_bytes().rsplit(b"\n", 2)[-2]
    assert json.loads(last)["序号"] == 7
    listed = runner.invoke(
        cli,
        [
            "list",
            "--id",
            "7",
            "--as-of",
            "2023-07-01",
            "--file",
            str(BUNDLED),
            "--ledger",
            str(log),
        ],
    )
    assert listed.exit_code == 0
    assert listed.stdout.endswith("\t已完成\t\t2023-07-01\t绿\n")
