"""A writer killed (SIGKILL) at a random point leaves every data file loadable and holding
either the old or the new content; its leftover temp file goes with the next write."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUNDLED, SOURCE
from stopped_writer import run_until_stopped

from taskctl.fsutil import append_record, atomic_write
from taskctl.importers import read_list
from taskctl.loader import load

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
TRIALS = 25

WRITER = """
import sys
from pathlib import Path
from taskctl.fsutil import atomic_write
target = Path(sys.argv[1])
contents = [Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()]
atomic_write(target, contents[1])
atomic_write(target, contents[0])
print("ready", flush=True)
i = 1
while True:
    atomic_write(target, contents[i % 2])
    i += 1
"""

APPENDER = """
import json, sys
from pathlib import Path
from taskctl.fsutil import append_record
target = Path(sys.argv[1])
i = 0
while True:
    record = {"序号": i, "说明": "进度说明" * (i % 40)}
    append_record(target, (json.dumps(record, ensure_ascii=False) + "\\n").encode())
    if i == 0:  # one whole record per trial at least, however slow the machine
        print("ready", flush=True)
    i += 1
"""


def start(code: str, *args: object) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, env=os.environ
    )
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    return proc


def kill(proc: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def two_lists(tmp_path):
    old = BUNDLED.read_bytes()
    new = old.replace("于德忱".encode(), "赵玉宇".encode())
    (tmp_path / "a").write_bytes(old)
    (tmp_path / "b").write_bytes(new)
    return old, new


def test_atomic_write_killed_at_random_points(tmp_path, two_lists):
    old, new = two_lists
    target = tmp_path / "data" / "tasks.yaml"
    target.parent.mkdir()
    target.write_bytes(old)
    rng = random.Random(20230101)
    for _ in range(TRIALS):
        proc = start(WRITER, target, tmp_path / "a", tmp_path / "b")
        kill(proc, rng.uniform(0, 0.05))
        assert target.read_bytes() in (old, new)
        assert len(load(target).tasks) == 102
    atomic_write(target, old)
    assert temp_files(target.parent) == []


def test_import_force_killed_inside_its_write(tmp_path):
    """`import --force` killed once a random number of bytes of the new list has been written
    (see stopped_writer): the list is still the old one, whole; the next write removes the
    half-written temp file."""
    target = tmp_path / "tasks.yaml"
    old = BUNDLED.read_bytes().replace(b"2023\xe5\xb9\xb4", b"2022\xe5\xb9\xb4")  # 2023年
    # What import --force writes over ``old``: the source, with the old list's groups kept.
    scratch = tmp_path / "scratch" / "tasks.yaml"
    scratch.parent.mkdir()
    scratch.write_bytes(old)
    subprocess.run(
        [sys.executable, "-m", "taskctl", "import", str(SOURCE), "-o", str(scratch), "--force"],
        check=True, capture_output=True,
    )  # fmt: skip
    new = scratch.read_bytes()
    assert old != new and load(scratch).tasks == read_list(SOURCE).tasks
    target.write_bytes(old)
    rng = random.Random(7)
    command = ["import", str(SOURCE), "-o", str(target), "--force"]
    for _ in range(TRIALS // 5):
        assert run_until_stopped(rng.randrange(0, len(new)), *command)  # killed mid-write
        assert target.read_bytes() == old
        assert len(temp_files(tmp_path)) == 1  # the write was under way, beside the list
        load(target)
    assert not run_until_stopped(len(new), *command)  # let through: it ends by itself
    assert target.read_bytes() == new
    assert temp_files(tmp_path) == []


def test_append_killed_at_random_points_keeps_every_record_whole(tmp_path):
    target = tmp_path / "progress.jsonl"
    rng = random.Random(3)
    for _ in range(TRIALS):
        kill(start(APPENDER, target), rng.uniform(0, 0.03))
    append_record(target, b'{"last": true}\n')
    lines = target.read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = []
    for line in lines[:-1]:
        try:
            records.append(json.loads(line))
        except ValueError:  # only a torn tail of a killed write, cut short, never mixed
            assert line.startswith(b'{"') and not line.endswith(b"}")
    assert records[-1] == {"last": True}
    assert len(records) > TRIALS
