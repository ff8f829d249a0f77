"""The benchmark data generator makes lists and logs that taskctl reads like the real ones."""

from __future__ import annotations

import json
import sys

from conftest import ROOT

from taskctl.loader import dumps, loads
from taskctl.query import filter_tasks

sys.path.insert(0, str(ROOT / "bench"))
import gen  # noqa: E402


def test_generated_list_is_a_valid_list_shaped_like_the_real_one():
    made = gen.make_list(250)
    again = loads(dumps(made))
    assert sorted(t.id for t in again.tasks) == list(range(1, 251))
    real = gen.real_list()
    assert {t.text for t in again.tasks} == {t.text for t in real.tasks}
    assert len(filter_tasks(again, leaders=["于德忱"])) == 26  # only the first "county"
    assert len({n for t in again.tasks for n in t.leaders}) > len(
        {n for t in real.tasks for n in t.leaders}
    )


def test_generated_log_lines_have_the_progress_keys():
    lines = gen.make_log(50, tasks=250).splitlines()
    assert len(lines) == 50
    for line in lines:
        record = json.loads(line)
        assert {"序号", "日期", "状态", "说明", "填报人", "记录时间"} <= record.keys()
        assert 1 <= record["序号"] <= 250
        assert record["状态"] in gen.STATUSES
        assert 0 <= record.get("进度", 0) <= 100


def test_generated_log_is_what_taskctl_itself_writes(tmp_path):
    """Each generated line reads back through taskctl's reader, with no warning, and is
    byte for byte the line taskctl would write for that entry."""
    from taskctl.progress import read_file

    text = gen.make_log(200, tasks=250)
    log = tmp_path / "progress.jsonl"
    log.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    entries = read_file(log, warnings.append)
    assert warnings == []
    assert b"".join(e.to_line() for e in entries) == text.encode("utf-8")
