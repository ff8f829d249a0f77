"""Many taskctl processes at once: 40 appenders lose nothing, readers never fail."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import BUNDLED

APPENDER = """
import json, os, sys, time
from pathlib import Path
from taskctl.fsutil import append_record
target, go, me = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
for n in range(5):
    record = {"序号": me, "第几次": n, "说明": "同时填报" * (1 + me % 7), "进程": os.getpid()}
    append_record(target, (json.dumps(record, ensure_ascii=False) + "\\n").encode())
"""

LOG_READER = """
import json, sys, time
from pathlib import Path
target, done = Path(sys.argv[1]), Path(sys.argv[2])
reads = 0
while not done.exists() or reads < 3:
    if target.exists():
        data = target.read_bytes()
        complete = data[: data.rfind(b"\\n") + 1]
        for line in complete.splitlines():
            json.loads(line)  # a failure exits 1 with a traceback
        reads += 1
    time.sleep(0.002)
"""

LIST_WRITER = """
import sys
from pathlib import Path
from taskctl.fsutil import atomic_write
target = Path(sys.argv[1])
contents = [Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()]
for i in range(15):
    atomic_write(target, contents[i % 2])
"""

LIST_READER = """
import sys
from pathlib import Path
from taskctl.loader import load
target, done = Path(sys.argv[1]), Path(sys.argv[2])
reads = 0
while not done.exists() or reads < 3:
    leaders = {n for t in load(target).tasks for n in t.leaders}
    assert len(leaders & {"于德忱", "赵玉宇"}) >= 1
    reads += 1
"""


def spawn(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=os.environ)


@contextlib.contextmanager
def stopped_after(done: Path, procs: list[subprocess.Popen]) -> Iterator[None]:
    """Whatever happens in the block, no reader or writer outlives the test: readers are told
    to stop, and any still running a little later is killed (a failed test must not leave
    processes spinning on the shared cores, failing unrelated tests)."""
    try:
        yield
    finally:
        done.touch()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_forty_processes_appending_at_once_lose_nothing(tmp_path):
    target = tmp_path / "progress.jsonl"
    go, done = tmp_path / "go", tmp_path / "done"
    readers = [spawn(LOG_READER, target, done) for _ in range(3)]
    writers = [spawn(APPENDER, target, go, me) for me in range(40)]
    with stopped_after(done, [*writers, *readers]):
        time.sleep(0.2)
        go.touch()
        assert [w.wait(timeout=120) for w in writers] == [0] * 40
        done.touch()
        assert [r.wait(timeout=60) for r in readers] == [0] * 3
    lines = target.read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == 200
    assert {(r["序号"], r["第几次"]) for r in records} == {
        (m, n) for m in range(40) for n in range(5)
    }
    for me in range(40):  # each process's records in the order it wrote them
        assert [r["第几次"] for r in records if r["序号"] == me] == list(range(5))


def test_readers_never_fail_while_the_list_is_rewritten(tmp_path):
    old = BUNDLED.read_bytes()
    (tmp_path / "a").write_bytes(old)
    (tmp_path / "b").write_bytes(old.replace("于德忱".encode(), "赵玉宇".encode()))
    target = tmp_path / "tasks.yaml"
    target.write_bytes(old)
    done = tmp_path / "done"
    readers = [spawn(LIST_READER, target, done) for _ in range(4)]
    writers = [spawn(LIST_WRITER, target, tmp_path / "a", tmp_path / "b") for _ in range(4)]
    with stopped_after(done, [*writers, *readers]):
        assert [w.wait(timeout=120) for w in writers] == [0] * 4
        done.touch()
        assert [r.wait(timeout=120) for r in readers] == [0] * 4
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
