"""The progress log: statuses, parsing, reading (torn lines, folders), merging, appending."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskctl.errors import DataFileError, InputError, TaskctlError
from taskctl.progress import (
    Entry,
    append,
    merge,
    parse_date,
    parse_progress,
    parse_status,
    read_file,
    read_log,
    resolve_progress_path,
)

T0 = dt.datetime(2023, 6, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("未启动", "未启动"),
        ("not-started", "未启动"),
        ("序时推进", "序时推进"),
        ("on-track", "序时推进"),
        ("ON_TRACK", "序时推进"),
        ("滞后", "滞后"),
        ("behind", "滞后"),
        ("已完成", "已完成"),
        ("done", "已完成"),
        (" 已 完成 ", "已完成"),
    ],
)
def test_status_aliases(text, status):
    assert parse_status(text) == status


def test_unknown_status_lists_the_choices():
    with pytest.raises(InputError) as info:
        parse_status("进行中")
    assert info.value.message == (
        "未知的状态「进行中」：应为 未启动（not-started）、序时推进（on-track）、"
        "滞后（behind）、已完成（done） 之一"
    )


def test_progress_range():
    assert [parse_progress(v) for v in (0, "100", "40%", " 7 ")] == [0, 100, 40, 7]
    for bad in (-1, 101, "abc", "4.5", True):
        with pytest.raises(InputError):
            parse_progress(bad)


def test_dates():
    assert parse_date("2023-06-05") == dt.date(2023, 6, 5)
    assert parse_date("2023/6/5") == dt.date(2023, 6, 5)
    with pytest.raises(InputError, match="「2023-02-30」不存在"):
        parse_date("2023-02-30")
    with pytest.raises(InputError, match="应写成 YYYY-MM-DD"):
        parse_date("6月5日")


def test_line_is_readable_chinese_and_round_trips(tmp_path):
    entry = Entry(7, dt.date(2023, 6, 5), "序时推进", 40, "已开工", "住建局", T0)
    raw = entry.to_line()
    assert raw.decode("utf-8") == (
        '{"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工", '
        '"填报人": "住建局", "记录时间": "2023-06-05T09:00:00.000000+08:00"}\n'
    )
    path = tmp_path / "p.jsonl"
    path.write_bytes(raw)
    assert read_file(path) == [entry]


@given(
    task_id=st.integers(1, 10_000),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
    status=st.sampled_from(["未启动", "序时推进", "滞后", "已完成"]),
    progress=st.none() | st.integers(0, 100),
    note=st.text(),
    by=st.text(),
)
def test_any_entry_round_trips(tmp_path_factory, task_id, day, status, progress, note, by):
    entry = Entry(task_id, day, status, progress, note.strip(), by.strip(), T0)
    path = tmp_path_factory.mktemp("rt") / "p.jsonl"
    path.write_bytes(entry.to_line())
    assert read_file(path) == [entry]


@given(st.binary(max_size=300))
def test_any_bytes_give_entries_or_a_taskctl_error(tmp_path_factory, data):
    """Every line that holds anything is an entry or a warning, never silently dropped."""
    path = tmp_path_factory.mktemp("fuzz") / "p.jsonl"
    path.write_bytes(data)
    warnings: list[str] = []
    try:
        entries = read_file(path, warn=warnings.append)
    except TaskctlError as exc:
        assert exc.message.startswith(str(path))
        return
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    filled = [n for n, raw in enumerate(lines, 1) if raw.decode("utf-8", "replace").strip()]
    assert (
        sorted([e.line for e in entries] + [int(w.split(" 第 ")[1].split()[0]) for w in warnings])
        == filled
    )
    for entry in entries:
        assert json.loads(lines[entry.line - 1])["序号"] == entry.id


def test_torn_last_line_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "p.jsonl"
    good = line(序号=1, 日期="2023-06-05", 状态="滞后")
    path.write_text(good + '{"序号": 2, "日期": "2023-0', encoding="utf-8")
    warnings: list[str] = []
    entries = read_file(path, warnings.append)
    assert [e.id for e in entries] == [1]
    assert warnings == [f"{path} 第 2 行不完整（可能是写入时被中断），已跳过"]


def test_a_record_cut_anywhere_even_inside_a_character_is_one_torn_line(tmp_path):
    """A killed writer may stop inside a multi-byte character: still only that line is lost."""
    path = tmp_path / "p.jsonl"
    good = Entry(1, dt.date(2023, 6, 5), "滞后", None, "资金未到位", "财政局", T0)
    record = Entry(2, dt.date(2023, 6, 6), "序时推进", 40, "已完成招标", "住建局", T0).to_line()
    inside = 0
    for cut in range(1, len(record) - 1):
        inside += (record[cut] & 0xC0) == 0x80  # the cut falls inside a character
        path.write_bytes(good.to_line() + record[:cut])
        warnings: list[str] = []
        assert read_file(path, warnings.append) == [good], cut
        assert warnings == [f"{path} 第 2 行不完整（可能是写入时被中断），已跳过"], cut
    assert inside >= 20


def test_the_next_append_after_a_record_cut_inside_a_character(tmp_path):
    path = tmp_path / "p.jsonl"
    first = Entry(1, dt.date(2023, 6, 5), "滞后", None, "资金未到位", "财政局", T0)
    torn = Entry(2, dt.date(2023, 6, 6), "序时推进", 40, "已完成招标", "住建局", T0).to_line()
    torn = torn[: torn.index("招".encode()) + 2]
    path.write_bytes(first.to_line() + torn)
    later = Entry(2, dt.date(2023, 6, 7), "已完成", 100, "已竣工", "住建局", T0)
    append(path, [later])
    # the torn tail stays a line of its own: the new record is whole on the next line
    assert path.read_bytes() == first.to_line() + torn + b"\n" + later.to_line()
    warnings: list[str] = []
    assert read_file(path, warnings.append) == [first, later]
    assert warnings == [f"{path} 第 2 行不完整（可能是写入时被中断），已跳过"]


def test_a_bad_byte_inside_a_line_is_still_an_encoding_error(tmp_path):
    path = tmp_path / "p.jsonl"
    good = line(序号=1, 日期="2023-06-05", 状态="滞后")
    path.write_bytes(good.encode() + '{"序号": 2, "说明": "'.encode() + b'\xe6\x88"}\n')
    with pytest.raises(DataFileError) as info:
        read_file(path)
    assert info.value.message == f"{path} 第 2 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    path.write_bytes((good + line(序号=2, 日期="2023-06-05", 状态="滞后")).encode("gbk"))
    with pytest.raises(DataFileError, match="第 1 行：不是 UTF-8 编码的文本（看起来是 GBK"):
        read_file(path)


def test_a_record_without_a_date_says_so(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(line(序号=1, 状态="滞后"), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_file(path)
    assert info.value.message == f"{path} 第 1 行：日期「」应写成 YYYY-MM-DD，如 2023-06-05"


def test_valid_json_with_bad_fields_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        line(序号=1, 日期="2023-06-05", 状态="滞后") + line(序号=1, 日期="2023-06-05", 状态="跑步"),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        read_file(path)
    assert info.value.message.startswith(f"{path} 第 2 行：未知的状态「跑步」")


def test_folder_union_later_recorded_wins(tmp_path):
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        line(
            序号=1,
            日期="2023-06-05",
            状态="序时推进",
            进度=30,
            记录时间="2023-06-05T18:00:00+08:00",
        )
        + line(序号=2, 日期="2023-06-05", 状态="滞后", 记录时间="2023-06-05T08:00:00+08:00"),
        encoding="utf-8",
    )
    (folder / "b.jsonl").write_text(
        # 09:30 UTC is 17:30 in +08:00: earlier than a.jsonl's entry for 序号 1.
        line(序号=1, 日期="2023-06-05", 状态="滞后", 记录时间="2023-06-05T09:30:00Z")
        + line(序号=2, 日期="2023-06-05", 状态="已完成", 记录时间="2023-06-05T09:00:00+08:00")
        + line(序号=2, 日期="2023-06-06", 状态="序时推进", 记录时间="2023-06-01T09:00:00+08:00"),
        encoding="utf-8",
    )
    (folder / "notes.txt").write_text("not a log", encoding="utf-8")
    entries = read_log(folder)
    assert [(e.id, e.date.isoformat(), e.status, Path(e.source).name) for e in entries] == [
        (1, "2023-06-05", "序时推进", "a.jsonl"),
        (2, "2023-06-05", "已完成", "b.jsonl"),
        (2, "2023-06-06", "序时推进", "b.jsonl"),
    ]


def test_merge_within_one_file_keeps_the_correction():
    first = Entry(1, dt.date(2023, 6, 5), "序时推进", 30, recorded_at=T0)
    fix = Entry(1, dt.date(2023, 6, 5), "序时推进", 35, recorded_at=T0 + dt.timedelta(hours=1))
    assert merge([fix, first]) == [fix]
    assert merge([first, fix]) == [fix]


def test_missing_log_is_empty(tmp_path):
    assert read_log(tmp_path / "none.jsonl") == []


def test_append_after_torn_line_starts_a_new_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"\xe5\xba\x8f\xe5\x8f\xb7": 1, "')
    entry = Entry(3, dt.date(2023, 6, 5), "滞后", recorded_at=T0)
    append(path, [entry])
    assert path.read_bytes().endswith(b'"\n' + entry.to_line())
    assert read_file(path, warn=lambda m: None) == [entry]


def test_append_to_folder_uses_the_reporter_file(tmp_path):
    entry = Entry(3, dt.date(2023, 6, 5), "滞后", by="住建局/城建", recorded_at=T0)
    assert append(tmp_path, [entry]) == tmp_path / "住建局_城建.jsonl"
    with pytest.raises(InputError, match="请用 --by 写明填报单位"):
        append(tmp_path, [Entry(3, dt.date(2023, 6, 5), "滞后")])


def test_append_refuses_a_missing_folder(tmp_path):
    entry = Entry(3, dt.date(2023, 6, 5), "滞后", recorded_at=T0)
    with pytest.raises(DataFileError, match="文件夹不存在"):
        append(tmp_path / "nope" / "p.jsonl", [entry])
    assert not (tmp_path / "nope").exists()
    append(tmp_path / "data" / "p.jsonl", [entry], create_folder=True)
    assert (tmp_path / "data" / "p.jsonl").read_bytes() == entry.to_line()


def test_resolve_progress_path(tmp_path):
    env = {"TASKCTL_PROGRESS": "/env/p.jsonl", "TASKCTL_FILE": "/lists/tasks.yaml"}
    resolve = resolve_progress_path
    assert resolve("x.jsonl", tmp_path / "l.yaml", env) == Path("x.jsonl")
    assert resolve(None, tmp_path / "l.yaml", env) == Path("/env/p.jsonl")
    assert resolve(None, tmp_path / "l.yaml", {}) == tmp_path / "progress.jsonl"
    assert resolve(None, None, {"TASKCTL_FILE": "/lists/tasks.yaml"}) == Path(
        "/lists/progress.jsonl"
    )
    # ./data/tasks.yaml or the bundled list: ./data/progress.jsonl in the working folder.
    assert resolve(None, None, {}, cwd=tmp_path) == tmp_path / "data" / "progress.jsonl"
