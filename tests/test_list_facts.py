"""What ``update`` needs of a list (its 年度 and 序号), kept beside the parse cache so that
recording one report on a city's 100 000-task list does not load the list, and never stale."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskctl import cache
from taskctl.errors import UnknownTaskError
from taskctl.loader import dumps, load, load_facts, loads
from taskctl.model import ListFacts
from taskctl.units import list_facts

LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 指标
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值同比增长7%
    责任领导: [于德忱]
    牵头部门: [发改局]
  - 序号: 2
    年度任务目标: 修建城东道路
    牵头部门: [交通局]
  - 序号: 5
    年度任务目标: 新建学校一所
    牵头部门: [教育局]
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    return path


def message(call) -> str:
    with pytest.raises(UnknownTaskError) as caught:
        call()
    return str(caught.value)


@given(st.lists(st.integers(1, 40), max_size=12), st.integers(-2, 45))
def test_facts_know_the_ids_a_list_has_and_say_what_the_list_says(ids, wanted):
    tasks = "".join(f"  - 序号: {i}\n    年度任务目标: 任务{i}\n" for i in dict.fromkeys(ids))
    tasklist = loads(
        "标题: 清单\n年度: 2023\nsections:\n- 编号: 一\n  标题: 部分\n"
        + (f"  任务:\n{tasks}" if tasks else "  任务: []\n")
    )
    facts = list_facts(tasklist)
    assert facts.year == 2023
    if wanted in ids:
        facts.require(wanted)
        tasklist.require(wanted)
    else:
        assert message(lambda: facts.require(wanted)) == message(lambda: tasklist.require(wanted))


def test_runs_are_sorted_and_joined():
    assert ListFacts.of(2023, [5, 1, 2, 3, 9, 8]).runs == ((1, 3), (5, 5), (8, 9))


def test_a_settled_unchanged_list_is_not_read(small, monkeypatch):
    load(small)  # parses, keeps the model and the facts
    entry = cache.facts_entry_path(small.resolve())
    assert entry.exists()
    past = time.time_ns() - 60 * 10**9  # as if the list had been unchanged for a minute
    os.utime(small, ns=(past, past))
    load(small)
    # ctime moved with utime, so keep the facts as read now, then check they are used unread
    raw = small.read_bytes()
    st_now = os.stat(small)
    expected = list_facts(load(small))
    cache.put_facts(
        small.resolve(), st_now, raw, st_now.st_ctime_ns + cache.SETTLED_NS + 1, expected
    )
    monkeypatch.setattr("taskctl.loader._read", lambda file: pytest.fail("the list was read"))
    monkeypatch.setattr("taskctl.loader._load", lambda *a, **k: pytest.fail("the list was loaded"))
    kept = load_facts(small)
    assert kept == expected
    assert kept.runs == ((1, 2), (5, 5))
    # each task's units are read from the file beside the entry, one task at a time
    assert kept.reader is not None and not kept.units
    for task_id in (1, 2, 5):
        assert kept.units_of(task_id) == expected.units_of(task_id)


def test_a_list_written_just_before_it_was_read_is_checked_by_content(small, monkeypatch):
    """Same stat, different bytes (a coarse clock, a rewrite within the same tick): when the
    list had changed within SETTLED_NS of being read, the stat cannot vouch for it, and the
    CRC of the bytes catches the change."""
    assert load_facts(small).runs == ((1, 2), (5, 5))  # loads, keeps the facts (just written)
    st_before = os.stat(small)
    text = small.read_text(encoding="utf-8").replace("序号: 5", "序号: 6")
    small.write_text(text, encoding="utf-8")  # same size
    os.utime(small, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    real_stat = os.stat

    def same_stat(path, *args, **kwargs):  # pretend the ctime did not move either
        return st_before if str(path) == str(small) else real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", same_stat)
    monkeypatch.setattr(os, "fstat", lambda fd: st_before)
    assert load_facts(small).runs == ((1, 2), (6, 6))


def test_update_sees_a_changed_list_at_once(small, runner):
    from taskctl.cli import cli

    log = small.parent / "progress.jsonl"
    args = ["update", "--status", "序时推进", "--date", "2023-06-30", "--file", str(small)]
    assert runner.invoke(cli, [*args[:1], "5", *args[1:]]).exit_code == 0
    small.write_text(LIST.replace("序号: 5", "序号: 7"), encoding="utf-8")
    refused = runner.invoke(cli, [*args[:1], "5", *args[1:]])
    assert refused.exit_code == 2
    assert refused.stderr == "错误：没有序号为 5 的任务（本清单序号为 1–7）\n"
    assert runner.invoke(cli, [*args[:1], "7", *args[1:]]).exit_code == 0
    assert [line.split(",")[0] for line in log.read_text(encoding="utf-8").splitlines()] == [
        '{"序号": 5',
        '{"序号": 7',
    ]


def test_update_on_a_broken_list_still_says_what_is_wrong(small, runner):
    from taskctl.cli import cli

    load_facts(small)
    small.write_text(LIST.replace("  - 序号: 2\n", "  - 序号: 1\n"), encoding="utf-8")
    result = runner.invoke(cli, ["update", "1", "--status", "序时推进", "--file", str(small)])
    assert result.exit_code == 2
    assert "序号 1 重复" in result.stderr


def test_the_bundled_list_facts():
    tasklist = load()
    facts = list_facts(tasklist)
    assert (facts.year, facts.runs) == (2023, ((1, 102),))
    assert facts.units_of(31) == (
        ("农业农村局", "生态环境局", "住建局", "水利局", "动监局"),
        (),
        True,  # 各有关部门
    )
    leads, supports, open_group = facts.units_of(2)  # 各镇街道 and 各开发园区 spelled out
    assert (leads, supports[:3], len(supports), open_group) == (
        ("工信局",),
        ("经开区", "农开区", "八角台街道"),
        14,
        False,
    )
    assert dumps(tasklist)


def _read_at(path) -> int:
    import marshal

    data = cache.facts_entry_path(path.resolve()).read_bytes()
    return marshal.loads(data[len(cache._MAGIC) :])[4]


def test_facts_checked_by_content_are_kept_as_read_then(small, monkeypatch):
    """A list read within SETTLED_NS of a change is checked by content; the facts are then kept
    with the time of that read, so once the list has been left alone the stat suffices again
    (else every update of a recently pulled list would read it whole)."""
    load_facts(small)  # parsed just after it was written: not settled
    first = _read_at(small)
    time.sleep(0.01)
    assert load_facts(small).runs == ((1, 2), (5, 5))  # checked by content
    second = _read_at(small)
    assert second > first
    st = os.stat(small)
    changed = max(st.st_mtime_ns, st.st_ctime_ns)
    # settled for the second read time, not for the first
    monkeypatch.setattr(cache, "SETTLED_NS", second - changed - 1)
    assert first - cache.SETTLED_NS <= changed < second - cache.SETTLED_NS
    monkeypatch.setattr("taskctl.loader._read", lambda file: pytest.fail("the list was read"))
    assert load_facts(small).runs == ((1, 2), (5, 5))
