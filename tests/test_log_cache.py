"""The progress log's parse cache: an unchanged log is not parsed again, a grown one only from
where it was read last, and a changed log never yields a stale answer."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskctl import cache, progress
from taskctl.errors import DataFileError, TaskctlError
from taskctl.progress import read_log


def line(task_id: int, day: int, status: str = "序时推进", note: str = "说明") -> bytes:
    record = {
        "序号": task_id,
        "日期": f"2023-06-{day:02d}",
        "状态": status,
        "说明": note,
        "记录时间": f"2023-06-{day:02d}T09:00:00+08:00",
    }
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def fresh(path, monkeypatch) -> tuple[list, list[str]]:
    """What a read without any cache gives: (entries with their lines, warnings)."""
    warnings: list[str] = []
    with monkeypatch.context() as m:
        m.setenv("TASKCTL_NO_CACHE", "1")
        entries = read_log(path, warnings.append)
    return facts(entries), warnings


def cached(path) -> tuple[list, list[str]]:
    warnings: list[str] = []
    return facts(read_log(path, warnings.append)), warnings


def facts(entries) -> list:
    return [
        (e.id, e.date, e.status, e.progress, e.note, e.by, e.recorded_at, e.line) for e in entries
    ]


def log_entries() -> list[str]:
    return sorted(p.name for p in cache.cache_dir().glob("log-*"))


def test_an_unchanged_log_is_read_from_the_cache(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5) + b'{"torn\n' + line(2, 6))
    first = cached(log)
    assert first == fresh(log, monkeypatch)
    assert first[1] == [f"{log} 第 2 行不完整（可能是写入时被中断），已跳过"]
    assert len(log_entries()) == 1
    monkeypatch.setattr(progress.store, "_parse", None)  # a parse would now fail
    assert cached(log) == first  # the warning is given again from the cache


def test_a_grown_log_is_parsed_only_from_where_it_was_read(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5) + line(2, 6))
    cached(log)
    with log.open("ab") as handle:
        handle.write(line(1, 5, "滞后") + line(3, 7))
    seen: list[int] = []
    parse = progress._parse

    def spy(text, path, warn, first_line=1):
        seen.append(first_line)
        return parse(text, path, warn, first_line)

    monkeypatch.setattr(progress.store, "_parse", spy)
    assert cached(log) == fresh(log, monkeypatch)
    assert seen[0] == 3  # the cached read began at the first new line
    assert [(f[0], f[2], f[7]) for f in cached(log)[0]] == [
        (1, "滞后", 3),
        (2, "序时推进", 2),
        (3, "序时推进", 4),
    ]


def test_same_size_same_mtime_rewrite_is_seen(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5, "未启动"))
    st = log.stat()
    assert cached(log)[0][0][2] == "未启动"
    log.write_bytes(line(1, 5, "已完成"))  # the same length
    os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert log.stat().st_size == st.st_size
    assert cached(log)[0][0][2] == "已完成"
    # even when the stat says nothing changed at all (coarse times, ctime not kept), the
    # content checksums do
    now = log.stat()
    log.write_bytes(line(1, 5, "未启动"))
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: now)
    assert cached(log)[0][0][2] == "未启动"


def test_prefix_changed_and_grown_is_parsed_again(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5, "滞后"))
    cached(log)
    log.write_bytes(line(1, 5, "已完成") + line(2, 6))
    assert cached(log) == fresh(log, monkeypatch)
    assert cached(log)[0][0][2] == "已完成"


def test_torn_line_completed_later_is_parsed_again(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    whole = line(1, 5) + line(2, 6)
    log.write_bytes(whole[:-20])  # a reader came while the second record was half written
    assert len(cached(log)[1]) == 1
    log.write_bytes(whole)
    assert cached(log) == fresh(log, monkeypatch)
    assert cached(log)[1] == []


def test_bad_bytes_appended_after_a_cached_prefix_name_the_line(tmp_path):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5) + line(2, 6))
    cached(log)
    with log.open("ab") as handle:
        handle.write(b"\xff\xfe\n")
    with pytest.raises(DataFileError, match="第 3 行"):
        cached(log)


def test_a_record_torn_inside_a_character_after_a_cached_prefix(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5) + line(2, 6))
    cached(log)
    torn = line(3, 7, note="资金未到位")
    with log.open("ab") as handle:
        handle.write(torn[: torn.index("位".encode()) + 1])
    assert cached(log) == fresh(log, monkeypatch)
    assert cached(log)[1] == [f"{log} 第 3 行不完整（可能是写入时被中断），已跳过"]
    progress.append(log, [progress.Entry(4, dt.date(2023, 6, 8), "滞后")])
    assert cached(log) == fresh(log, monkeypatch)
    assert [f[0] for f in cached(log)[0]] == [1, 2, 4]
    assert cached(log)[1] == [f"{log} 第 3 行不完整（可能是写入时被中断），已跳过"]


def test_a_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(line(1, 5) + line(2, 6))
    expected = cached(log)
    for entry in cache.cache_dir().glob("log-*"):
        data = bytearray(entry.read_bytes())
        data[-5] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert cached(log) == expected


def test_a_folder_of_logs_merges_like_one_log(tmp_path, monkeypatch):
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(line(1, 5, "滞后") + line(2, 6))
    (folder / "b.jsonl").write_bytes(line(1, 5, "已完成"))
    assert cached(folder) == fresh(folder, monkeypatch)
    with (folder / "a.jsonl").open("ab") as handle:
        handle.write(line(1, 5, "序时推进"))
    assert cached(folder) == fresh(folder, monkeypatch)


VALID = st.builds(
    line,
    st.integers(1, 4),
    st.integers(1, 3),
    st.sampled_from(["未启动", "序时推进", "滞后", "已完成"]),
    st.sampled_from(["", "说明", "长说明" * 30]),
)
STEP = st.one_of(
    st.tuples(st.just("append"), st.lists(VALID, min_size=1, max_size=3).map(b"".join)),
    st.tuples(st.just("torn"), VALID.map(lambda b: b[: len(b) // 2])),
    st.tuples(st.just("rewrite"), st.lists(VALID, max_size=3).map(b"".join)),
    st.tuples(st.just("flip"), st.integers(0, 10_000)),  # change one byte, keep size and times
    st.tuples(st.just("truncate"), st.integers(0, 10_000)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEP, min_size=1, max_size=8))
def test_cached_reads_always_equal_fresh_reads(tmp_path_factory, monkeypatch, steps):
    """After any sequence of appends, torn writes, rewrites and same-size edits with the
    times restored, a read through the cache gives exactly what a fresh parse gives."""
    log = tmp_path_factory.mktemp("log") / "progress.jsonl"
    log.write_bytes(b"")
    for kind, arg in steps:
        before = log.stat()
        data = log.read_bytes()
        if kind in ("append", "torn"):
            data += arg
        elif kind == "rewrite":
            data = arg
        elif kind == "flip" and data:
            at = arg % len(data)
            data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
        elif kind == "truncate":
            data = data[: arg % (len(data) + 1)]
        log.write_bytes(data)
        if kind == "flip":
            os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
        try:
            expected = fresh(log, monkeypatch)
        except TaskctlError as exc:
            with pytest.raises(type(exc)):
                cached(log)
            continue
        assert cached(log) == expected
        assert cached(log) == expected  # and again, from the entry just written


def test_dates_and_times_survive_the_cache(tmp_path):
    log = tmp_path / "progress.jsonl"
    entry = progress.Entry(
        7,
        dt.date(2023, 6, 5),
        "序时推进",
        40,
        "已开工",
        "住建局",
        dt.datetime(2023, 6, 5, 9, 30, 12, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    log.write_bytes(entry.to_line())
    (first,) = read_log(log)
    (second,) = read_log(log)
    assert first == second == entry
    assert second.recorded_at.utcoffset() == dt.timedelta(hours=8)
    assert (second.source, second.line) == (str(log), 1)


RECORD = st.fixed_dictionaries(
    {
        "序号": st.integers(1, 4),
        "日期": st.sampled_from(["2023-06-01", "2023-06-02", "2023-06-30", "2023-07-01"]),
        "状态": st.sampled_from(["序时推进", "滞后", "已完成"]),
        "填报人": st.sampled_from(["住建局", "交通局"]),
    },
    optional={
        "进度": st.integers(0, 100),
        "记录时间": st.sampled_from(
            ["2023-06-01T09:00:00+08:00", "2023-06-01T01:00:00+00:00", "2023-07-02T10:00:00+08:00"]
        ),
        "回执": st.sampled_from(["r1", "r2"]),
        "期间": st.just("2023-W26"),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(RECORD, max_size=10),
    st.lists(RECORD, max_size=3),
    st.sampled_from([dt.date(2023, 6, 1), dt.date(2023, 6, 30), dt.date(2023, 12, 31)]),
)
def test_the_latest_reports_from_cached_records_are_those_of_the_whole_log(
    tmp_path_factory, before, after, as_of
):
    """A LogView's reports pick from the cache's records without building every entry: the
    same report of every unit for every task as picking from read_log, cold, warm and after the
    log grew — ties of one 日期 (two units, replies, equal or missing 记录时间) included."""
    log = tmp_path_factory.mktemp("log") / "progress.jsonl"
    encode = lambda records: b"".join(  # noqa: E731
        (json.dumps(r, ensure_ascii=False) + "\n").encode() for r in records
    )

    def shown(reports):
        return {
            (task_id, *key): (entry, entry.recorded_at, getattr(mine, "earlier", {}).get(key))
            for task_id, mine in reports.items()
            for key, entry in mine.items()
        }

    log.write_bytes(encode(before))
    for _ in range(2):  # cold (writes the cache), then warm (from the records)
        assert shown(progress.read_view(log).reports(as_of)) == shown(
            progress.reports_of(read_log(log), as_of)
        )
    with open(log, "ab") as handle:
        handle.write(encode(after))
    for _ in range(2):
        assert shown(progress.read_view(log).reports(as_of)) == shown(
            progress.reports_of(read_log(log), as_of)
        )


LINE = st.one_of(
    RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.sampled_from(
        [
            '{"序号": 1, "日期": "2023-06-01", "状态": "滞后", "说明": "\\u4e2d"}',
            '{"序号": 2, "日期": "2023-06-01", "撤销": "0123456789"}',
            '{"序号": 2, "日期": "2023-6-1", "状态": "滞后"}',
            '{"序号": 3, "日期": "2023-06-01", "状态": "done", "进度": "40%"}',
            '{"序号": 3, "日期": "2023-06-01", "状态": "滞后", "记录时间": "2023-06-01T09:00:00Z"}',
            '{"序号": 3, "日期": "2023-06-01", "状态": "滞后", "记录时间": "2023-06-01T09:00:00"}',
            '{"序号": 4, "日期": "2023-06-02", "状态": "已完成", "存在问题": 5}',
            ' {"序号": 4, "日期": "2023-06-02", "状态": "已完成"}',
            '{"序号": 4, "日期": "2023-06-02"',
            "",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=8))
def test_plain_records_are_what_merging_the_parsed_entries_gives(lines):
    """The way around building entries (a log as taskctl writes it) gives exactly the records
    of the way through them, or declines (a reply, a revocation, a torn or odd line)."""
    text = "\n".join(lines) + "\n"
    plain = progress._plain_records(text)
    try:
        entries = progress.merge(progress.effective(progress._parse(text, "p", None)))
    except DataFileError:
        assert plain is None
        return
    if plain is not None:
        assert plain == [progress._flat(e, lambda value, default: value) for e in entries]
    plain_only = all(
        line.startswith("{")
        and line.endswith("}")
        and "\\u" not in line
        and "撤销" not in line
        and "回执" not in line
        and "Z" not in line
        and "2023-6-1" not in line
        and '"done"' not in line
        and '"存在问题": 5' not in line
        and not line.endswith('09:00:00"}')
        for line in lines
        if line.strip()
    )
    assert (plain is not None) == plain_only


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(RECORD, max_size=10),
    st.sampled_from([dt.date(2023, 6, 1), dt.date(2023, 6, 30), dt.date(2023, 12, 31)]),
    st.sets(st.integers(1, 4)),
)
def test_a_view_of_cached_records_answers_as_the_whole_log_does(
    tmp_path_factory, records, day, ids
):
    """What the report asks of the log (latest reports, a period's entries, a round's replies, the
    first 已完成) is the same from the cache's records as from every entry of the log."""
    log = tmp_path_factory.mktemp("log") / "progress.jsonl"
    log.write_bytes(b"".join((json.dumps(r, ensure_ascii=False) + "\n").encode() for r in records))
    progress.read_log(log)  # fills the cache
    view = progress.read_view(log)
    assert isinstance(view._held, progress._Records)  # the records, not entries
    whole = progress.LogView.of(read_log(log))
    first = dt.date(2023, 6, 1)
    assert view.reports(day) == whole.reports(day)
    assert (
        view.reports(day, ids)
        == whole.reports(day, ids)
        == {k: v for k, v in whole.reports(day).items() if k in ids}
    )
    assert view.between(first, day, ids) == whole.between(first, day, ids)
    assert [e.line for e in view.between(first, day, ids)] == [
        e.line for e in whole.between(first, day, ids)
    ]
    assert view.replies("2023-W26") == whole.replies("2023-W26")
    assert view.first_done(ids, day) == whole.first_done(ids, day)
    assert view.entries == read_log(log)


def test_a_few_appended_lines_are_read_again_rather_than_rewriting_the_entry(tmp_path, monkeypatch):
    """After an update the cache entry is not rewritten for one line (10 MB at city scale):
    the next read parses the appended lines again. Past _TAIL_KEPT bytes it is rewritten.
    Every read gives what a read without the cache gives."""
    log = tmp_path / "progress.jsonl"
    log.write_bytes(b"".join(line(i, 5) for i in range(1, 30)))
    read_log(log)
    entry = cache.log_entry_path(log.resolve())
    written = entry.read_bytes()
    with open(log, "ab") as handle:
        handle.write(line(3, 6, "滞后") + line(3, 6, "已完成"))
    assert cached(log) == fresh(log, monkeypatch)
    assert entry.read_bytes() == written  # not rewritten
    with open(log, "ab") as handle:
        handle.write(line(40, 7))
    assert cached(log) == fresh(log, monkeypatch)
    assert [e.status for e in read_log(log) if e.id == 3] == ["序时推进", "已完成"]
    with open(log, "ab") as handle:
        handle.write(b"".join(line(100 + i, 8, note="长" * 200) for i in range(200)))
    assert cached(log) == fresh(log, monkeypatch)
    assert entry.read_bytes() != written  # past _TAIL_KEPT: rewritten
