"""The log grows up: three texts per entry, stable ids, revocations, supersession, refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from taskctl import progress
from taskctl.errors import InputError
from taskctl.progress import (
    REVOKED,
    SUPERSEDED,
    Entry,
    append,
    append_revocation,
    check_entries,
    find_entry,
    make_entries,
    marks,
    read_all,
    read_log,
    revocation,
)

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2023, 6, 5, 9, 0, tzinfo=CST)
DAY = dt.date(2023, 6, 5)


@pytest.fixture(params=["cache", "no-cache"])
def cache_mode(request, monkeypatch, tmp_path):
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TASKCTL_NO_CACHE", "1" if request.param == "no-cache" else "0")
    return request.param


def test_old_line_with_one_note_loads_and_keeps_its_id(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工", '
        '"填报人": "住建局", "记录时间": "2023-06-05T09:30:00+08:00"}\n',
        encoding="utf-8",
    )
    (entry,) = read_log(path)
    assert (entry.note, entry.problem, entry.next_step) == ("已开工", "", "")
    first = entry.uid
    assert len(first) == 10
    # the same line read again (and through the other path) has the same id
    assert read_all(path)[0].uid == first
    # 记录时间 written without microseconds is the same moment: the same id
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_log(path)[0].uid == first


def test_three_texts_round_trip_and_appear_only_when_given(tmp_path):
    full = Entry(
        7, DAY, "滞后", 30, "主体完工", "住建局", T0, problem="资金未到位", next_step="争取专项债"
    )
    plain = Entry(8, DAY, "序时推进", 50, "", "住建局", T0)
    line = full.to_line().decode("utf-8")
    assert '"存在问题": "资金未到位", "下一步措施": "争取专项债"' in line
    assert "存在问题" not in plain.to_line().decode("utf-8")
    path = tmp_path / "p.jsonl"
    path.write_bytes(full.to_line() + plain.to_line())
    assert read_log(path) == [full, plain]
    record = read_log(path)[0].to_record()
    assert (record["problem"], record["next_step"], record["entry_id"]) == (
        "资金未到位",
        "争取专项债",
        full.uid,
    )


def test_ids_differ_between_entries():
    a = Entry(7, DAY, "滞后", 30, recorded_at=T0)
    b = Entry(7, DAY, "滞后", 31, recorded_at=T0)
    c = Entry(7, DAY, "滞后", 30, recorded_at=T0 + dt.timedelta(microseconds=1))
    assert len({a.uid, b.uid, c.uid}) == 3


def test_revocation_keeps_everything_and_brings_back_the_earlier_entry(tmp_path, cache_mode):
    path = tmp_path / "p.jsonl"
    first = Entry(7, DAY, "序时推进", 40, "已开工", "住建局", T0)
    wrong = Entry(7, DAY, "已完成", 100, "填错了", "住建局", T0 + dt.timedelta(hours=1))
    append(path, [first, wrong])
    assert [e.status for e in read_log(path)] == ["已完成"]  # (also fills the cache)
    target = find_entry(read_all(path), wrong.uid[:6])
    record = revocation(target, by="督查室", note="误报", recorded_at=T0 + dt.timedelta(hours=2))
    append_revocation(path, target, record)
    assert [e.status for e in read_log(path)] == ["序时推进"]
    everything = read_all(path)
    assert len(everything) == 3 and everything[2].revokes == wrong.uid
    assert marks(everything) == {wrong.uid: REVOKED}
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[2]) == {
        "序号": 7,
        "日期": "2023-06-05",
        "撤销": wrong.uid,
        "说明": "误报",
        "填报人": "督查室",
        "记录时间": "2023-06-05T11:00:00.000000+08:00",
    }


def test_find_entry_refuses_unknown_short_and_revocations(tmp_path):
    entry = Entry(7, DAY, "滞后", recorded_at=T0)
    with pytest.raises(InputError, match="没有编号为「ffff」"):
        find_entry([entry], "ffff")
    with pytest.raises(InputError, match="至少 4 位"):
        find_entry([entry], "ab")
    record = revocation(entry, recorded_at=T0)
    with pytest.raises(InputError, match=f"记录 {record.uid} 是撤销记录（撤销了 {entry.uid}）"):
        find_entry([record], record.uid)


def reply_entries(reply: str, rows: dict[int, int], at: dt.datetime) -> list[Entry]:
    return [
        Entry(i, DAY, "序时推进", p, "", "住建局", at, period="2023-W23", reply=reply)
        for i, p in rows.items()
    ]


def test_a_later_reply_supersedes_the_earlier_one_as_a_whole(tmp_path, cache_mode):
    path = tmp_path / "p.jsonl"
    earlier = reply_entries("aaaa1111", {1: 40, 2: 50}, T0)
    append(path, earlier)
    assert {e.id: e.progress for e in read_log(path)} == {1: 40, 2: 50}
    later = reply_entries("bbbb2222", {1: 45}, T0 + dt.timedelta(days=1))
    append(path, later)
    assert {e.id: e.progress for e in read_log(path)} == {1: 45}
    gone = marks(read_all(path))
    assert gone == {earlier[0].uid: SUPERSEDED, earlier[1].uid: SUPERSEDED}
    # another unit's reply for the same period is not touched
    other = [Entry(3, DAY, "滞后", 10, "", "交通局", T0, period="2023-W23", reply="cccc3333")]
    append(path, other)
    assert {e.id: e.progress for e in read_log(path)} == {1: 45, 3: 10}


def test_refusals(tmp_path):
    from taskctl.loader import load

    tasklist = load(None)
    now = dt.datetime(2023, 6, 30, 17, 0, tzinfo=CST)
    with pytest.raises(InputError, match="晚于今天（2023-06-30）"):
        make_entries(tasklist, [7], "序时推进", date="2023-07-01", recorded_at=now)
    with pytest.raises(InputError, match="不在清单年度 2023 年内"):
        make_entries(tasklist, [7], "序时推进", date="2022-12-31", recorded_at=now)
    assert make_entries(
        tasklist, [7], "序时推进", date="2022-12-31", recorded_at=now, allow_date=True
    )
    with pytest.raises(InputError, match="已完成的进度应为 100"):
        make_entries(tasklist, [7], "已完成", progress=80, recorded_at=now)
    assert make_entries(tasklist, [7], "已完成", progress=100, recorded_at=now)
    before = [Entry(7, dt.date(2023, 6, 1), "序时推进", 60, recorded_at=T0)]
    with pytest.raises(InputError, match=r"进度由 60%（2023-06-01）降为 40%"):
        make_entries(tasklist, [7], "序时推进", progress=40, recorded_at=now, previous=before)
    kept = make_entries(
        tasklist, [7], "序时推进", progress=40, note="核减工程量", recorded_at=now, previous=before
    )
    assert kept[0].progress == 40
    # a revoked 60% does not count as the last 进度
    gone = [*before, revocation(before[0], recorded_at=T0)]
    assert not check_entries(tasklist, kept[:1], gone, today=now.date())
    assert make_entries(tasklist, [7], "序时推进", progress=40, recorded_at=now, previous=gone)


def test_cache_sees_the_new_fields(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TASKCTL_NO_CACHE", raising=False)
    path = tmp_path / "p.jsonl"
    entry = Entry(7, DAY, "滞后", 30, "a", "b", T0, problem="p", next_step="n", origin="f 第 5 行")
    append(path, [entry])
    assert read_log(path) == [entry]
    assert read_log(path) == [entry]  # from the cache
    assert progress.read_log(path)[0].origin == "f 第 5 行"


@pytest.mark.parametrize("chunk", [7, 64, 1 << 16])
def test_entries_about_finds_each_tasks_last_entry_reading_backwards(tmp_path, chunk):
    from taskctl.progress import entries_about

    path = tmp_path / "p.jsonl"
    first = Entry(7, DAY, "序时推进", 40, recorded_at=T0)
    other = Entry(17, DAY, "序时推进", 10, recorded_at=T0)
    last = Entry(7, DAY, "序时推进", 45, recorded_at=T0 + dt.timedelta(hours=1))
    gone = revocation(last, recorded_at=T0 + dt.timedelta(hours=2))
    path.write_bytes(b"".join(e.to_line() for e in (first, other, last)) + b'{"torn": \n')
    assert entries_about(path, [7], chunk) == [last]
    assert entries_about(path, [7, 17], chunk) == [last, other]
    with path.open("ab") as handle:
        handle.write(gone.to_line())
    # the revoked 45 does not count: the search goes on to the 40 before it
    assert entries_about(path, [7], chunk) == [gone, last, first]
    assert entries_about(tmp_path / "absent.jsonl", [7], chunk) == []
