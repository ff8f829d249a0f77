"""The parse cache: used for an unchanged file, never for a changed one, never needed."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import BUNDLED

from taskctl import cache
from taskctl.cli import cli
from taskctl.loader import dumps, load, loads

SMALL = """\
标题: 测试清单
年度: 2023
groups:
  各镇街道: [富家镇, 达牛镇]
sections:
- 编号: 一
  标题: 第一部分
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值同比增长7%
    责任领导: [于德忱]
    牵头部门: [发改局]
    责任部门: [各镇街道]
  - 序号: 2
    年度任务目标: 粮食产量稳定
    责任领导: [张  辉]
    牵头部门: [农业农村局]
    责任部门: []
    完成时限: 2023-06-30
    备注: 自定义字段
"""


def entries() -> list[str]:
    folder = cache.cache_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_cached_load_equals_parsed_load(small, monkeypatch):
    first = load(small)  # parses and stores (the model, and the facts update needs)
    # the facts update needs (and each task's units in a file beside them), the model
    assert [name.split("-")[0] for name in entries()] == ["facts", "facts", "list"]
    monkeypatch.setattr("taskctl.loader.from_data", None)  # a second parse would now fail
    second = load(small)
    assert second == first
    assert second.tasks[1].deadline == first.tasks[1].deadline
    assert second.tasks[1].extra == {"备注": "自定义字段"}
    assert second.source == str(small)
    assert dumps(second) == dumps(first)


def test_cache_hit_skips_yaml_parser(small, monkeypatch):
    load(small)
    calls = []
    monkeypatch.setattr("taskctl.yamlio.load_yaml", lambda *a: calls.append(a))
    load(small)
    assert calls == []


def _rewrite_same_size_same_mtime(path, old: str, new: str) -> None:
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old.encode()) == len(new.encode()) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert path.stat().st_mtime_ns == st.st_mtime_ns


def test_changed_file_same_size_same_mtime_is_never_stale(small, runner):
    assert runner.invoke(cli, ["list", "--leader", "于德忱", "--file", str(small)]).exit_code == 0
    _rewrite_same_size_same_mtime(small, "于德忱", "赵玉宇")
    result = runner.invoke(
        cli, ["list", "--leader", "赵玉宇", "--file", str(small), "--as-of", "2023-03-01"]
    )
    assert result.exit_code == 0
    assert (
        result.stdout == "1\t一\t地区生产总值同比增长7%\t赵玉宇\t发改局\t各镇街道\t未启动\t\t\t红\n"
    )


def test_content_check_alone_catches_a_change(small, monkeypatch):
    """Even where size, mtime, ctime and inode all match (coarse clocks, Windows), a change
    of content is caught by the CRC of the bytes read."""
    load(small)
    st = small.stat()
    _rewrite_same_size_same_mtime(small, "7%", "8%")
    monkeypatch.setattr(os, "fstat", lambda fd: st)  # pretend the metadata did not move
    assert load(small).tasks[0].text == "地区生产总值同比增长8%"


def test_touched_but_unchanged_file_is_parsed_again(small, monkeypatch):
    load(small)
    os.utime(small, ns=(1_000_000_000, 1_000_000_000))
    parsed = []
    real = cache.put
    monkeypatch.setattr(cache, "put", lambda *a: parsed.append(a) or real(*a))
    load(small)
    assert len(parsed) == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]),
        lambda b: b"not a cache at all",
        lambda b: b[:14] + b"\xff\xff\xff\xff" + b[18:],
        lambda b: b[:30] + b"\x00" * 40 + b[70:],
    ],
    ids=["empty", "truncated", "flipped-last-byte", "foreign", "bad-header-size", "zeroed"],
)
def test_corrupt_entry_is_ignored_and_rebuilt(small, damage):
    expected = load(small)
    entry = cache.entry_path(small.resolve())
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert load(small) == expected
    assert entry.read_bytes() == good  # rewritten


def test_entry_for_other_version_is_ignored(small, monkeypatch):
    load(small)
    monkeypatch.setattr("taskctl.__version__", "9.9.9")
    calls = []
    real = cache.put
    monkeypatch.setattr(cache, "put", lambda *a: calls.append(a) or real(*a))
    load(small)
    assert len(calls) == 1


def test_unwritable_cache_dir_still_answers(small, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(blocker / "cache"))
    assert [t.id for t in load(small).tasks] == [1, 2]
    assert [t.id for t in load(small).tasks] == [1, 2]


def test_cache_write_failure_leaves_no_temp_file(small, monkeypatch):
    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", broken_replace)
    load(small)
    assert entries() == []


def test_no_cache_env_disables(small, monkeypatch):
    monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    load(small)
    assert entries() == []


def test_unmarshallable_extra_is_not_cached_but_loads(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(SMALL.replace("备注: 自定义字段", "备注: 2023-01-01"), encoding="utf-8")
    first = load(path)
    second = load(path)
    assert second.tasks[1].extra == first.tasks[1].extra


def test_bundled_list_round_trips_through_cache():
    first = load(BUNDLED)
    second = load(BUNDLED)
    assert second == first
    assert [t.extra for t in second.tasks] == [t.extra for t in first.tasks]
    assert loads(dumps(second), BUNDLED) == first


def test_cache_dir_choice(monkeypatch, tmp_path):
    monkeypatch.delenv("TASKCTL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform == "win32":  # pragma: no cover
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
        assert cache.cache_dir() == tmp_path / "local" / "taskctl" / "Cache"
    else:
        assert cache.cache_dir() == tmp_path / "xdg" / "taskctl"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        assert cache.cache_dir() == cache.Path.home() / ".cache" / "taskctl"
    monkeypatch.setattr(cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache.cache_dir() == tmp_path / "local" / "taskctl" / "Cache"


def test_cache_keeps_what_imports_and_the_light_rule_add(tmp_path, monkeypatch):
    """原表列, 规则, nested parts, 按状态判定 and 序时容差 survive a load from the cache."""
    path = tmp_path / "tasks.yaml"
    path.write_text(
        "标题: 2019年分解表\n年度: 2019\n序时容差: 5\n规则:\n- 列第一位的为牵头单位\n"
        "原表列:\n  序  号: 序号\n  重点工作任务: 年度任务目标\n  责任单位: 责任部门\n"
        "sections:\n- 编号: 一（一）\n  标题: 工业\n  原文: （一）工业\n  上级:\n  - 一、稳增长\n"
        "  项数: null\n  任务:\n  - 序号: 1\n    年度任务目标: 技改\n    牵头部门: [工信局]\n"
        "    按状态判定: true\n    完成时限说明: 年底前\n",
        encoding="utf-8",
    )
    first = load(path)
    monkeypatch.setattr("taskctl.loader.from_data", None)  # a second parse would now fail
    second = load(path)
    assert (second.sections, second.columns, second.rules, second.tolerance) == (
        first.sections,
        first.columns,
        first.rules,
        first.tolerance,
    )
    assert (second.tasks[0].by_status, second.tolerance) == (True, 5)
    assert dumps(second) == dumps(first)
