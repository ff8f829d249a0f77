"""Reading, merging, caching and appending the ledger (a file or a folder of files).

Each unit's report of a day is kept (one per 序号, 日期, 填报人 and 分项, the one recorded last);
revocations and corrections are entries too. The parse cache keeps a file's merged records.
"""

from __future__ import annotations

import datetime as _dt
import gc
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, InputError
from taskctl.progress import entry as _format
from taskctl.progress.entry import (
    _REPLY_TEXT,
    ENV_PROGRESS,
    LOG_NAME,
    OPTIONAL_KEYS,
    REVIEW_KEYS,
    REVOKE_KEY,
    REVOKED,
    SUPERSEDED,
    UID_LENGTH,
    WRITTEN_TIME,
    Entry,
    Warn,
    _entry,
    _plain_entry,
    _plain_values,
    _scan,
    _torn,
)


def resolve_progress_path(
    explicit: str | os.PathLike[str] | None = None,
    list_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """Which progress log to use.

    ``--progress``, else ``$TASKCTL_PROGRESS``, else ``progress.jsonl`` beside the list in use
    (``--file``, ``$TASKCTL_FILE`` or ``./data/tasks.yaml``); when the list in use is the copy
    bundled inside the package, ``./data/progress.jsonl``.
    """
    from taskctl.loader import ENV_FILE

    environ = os.environ if environ is None else environ
    base = cwd or Path.cwd()
    if explicit:
        return named_path(explicit)
    if environ.get(ENV_PROGRESS):
        return named_path(environ[ENV_PROGRESS])
    if list_file:
        return Path(list_file).parent / LOG_NAME
    if environ.get(ENV_FILE):
        return Path(environ[ENV_FILE]).parent / LOG_NAME
    return base / "data" / LOG_NAME


def log_files(path: Path) -> list[Path]:
    """The files that make up the log: the file itself, or every ``*.jsonl`` in the folder."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.jsonl") if p.is_file())
    return [path] if path.exists() else []


def _plain_records(text: str) -> list[tuple[Any, ...]] | None:
    """The merged records (see :func:`_flat`) of a log all of whose lines are records written the
    way taskctl writes them, none a reply (``回执``) or a revocation: what
    ``[_flat(e) for e in merge(effective(_parse(text)))]`` gives, without building an entry
    for each line. ``None`` as soon as a line is anything else (a torn line, a reply…): the
    caller then takes the way through entries, which says what is wrong or merges replies."""
    scan, values_of, later = _scan, _plain_values, _record_later
    latest: dict[tuple[int, int, str], tuple[Any, ...]] = {}
    get = latest.get
    for index, raw in enumerate(text.split("\n")):
        if not raw or raw.isspace():
            continue
        if raw[0] != "{" or raw[-1] != "}":
            return None
        try:
            data, end = scan(raw, 0)
        except (StopIteration, ValueError, RecursionError):
            return None
        values = values_of(data, raw) if end == len(raw) else None
        if values is None or values[_REPLY_TEXT]:  # 回执
            return None
        task_id, date, status, progress, note, by, _, recorded, *texts = values
        record = (
            task_id,
            date.toordinal(),
            status,
            progress,
            note,
            by,
            recorded,
            index + 1,
            *texts,
            *_NO_EXTRAS[len(texts) :],
            0,  # 分项: a line naming one is not plain
        )
        key = (task_id, record[1], by)
        held = get(key)
        if held is None or later(record, held):  # the one recorded last, as merge
            latest[key] = record
    return sorted(latest.values(), key=lambda record: (record[0], record[1]))


def _parse(text: str, path: Path, warn: Warn | None, first_line: int = 1) -> list[Entry]:
    entries: list[Entry] = []
    append = entries.append
    source = str(path)
    loads, scan = json.loads, _scan
    lines = text.split("\n")
    last = len(lines) - 1  # the text after the last newline: a write still under way
    skipped = False
    for index, raw in enumerate(lines):
        if not raw or raw.isspace():
            continue
        number = index + first_line
        if raw[0] == "{" and raw[-1] == "}":  # what json.loads does, with no whitespace to skip
            try:
                data, end = scan(raw, 0)
                if end == len(raw):
                    append(_plain_entry(data, raw, source, number) or _entry(data, source, number))
                    continue
            except (StopIteration, ValueError, RecursionError):
                pass  # json.loads below says what is wrong
        try:
            data = loads(raw)
        except (ValueError, RecursionError):
            if index != last and not _torn(raw):
                raise DataFileError(
                    path,
                    "这一行不是有效的进度记录（文件中间的行已损坏或被改动）；"
                    "请按其他各行的格式改正或删去这一行",
                    number,
                ) from None
            skipped = True
            if warn:
                warn(f"{path} 第 {number} 行不完整（可能是写入时被中断），已跳过")
            continue
        append(_entry(data, source, number))
    if skipped and not entries and first_line == 1:
        raise DataFileError(
            path, "没有一行有效的进度记录，不像进度台账；请检查 --ledger 所指的文件"
        )
    return entries


def read_file(path: Path, warn: Warn | None = None) -> list[Entry]:
    """Entries of one log file in file order.

    A line that is not JSON at all is what a writer killed mid-write leaves: it is skipped with
    a warning naming the file and line. A line that is JSON but not a valid entry is an error.
    """
    from taskctl.yamlio import decode_utf8_lines, read_bytes

    with _no_gc():
        return _parse(decode_utf8_lines(read_bytes(path), path), path, warn)


@contextmanager
def _no_gc() -> Iterator[None]:
    # Tens of thousands of fresh objects and no cycles: nothing for the collector to find.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _merged_file(path: Path, warn: Warn | None) -> list[Entry]:
    """One file's entries merged, through the parse cache (see :mod:`taskctl.cache`): an
    unchanged file is not parsed again, a grown one only from where it was read last."""
    held = _merged_records(path, warn)
    return held if isinstance(held, list) else _rebuild(held.records, str(path))


@dataclass
class _Records:
    """A file's merged entries as the parse cache holds them (see :func:`_flat`), sorted by
    序号 and 日期."""

    records: list[tuple[Any, ...]]


def _merged_records(path: Path, warn: Warn | None) -> list[Entry] | _Records:
    """:func:`_merged_file`, left as the cache's records when they came from the cache."""
    from taskctl import cache
    from taskctl.yamlio import decode_utf8_lines, read_bytes

    entries: list[Entry] | _Records
    warnings: list[str]
    if not cache.enabled():
        return merge(effective(read_file(path, warn)))
    try:
        st = os.stat(path)
    except OSError:
        st = None
    raw = read_bytes(path)
    with _no_gc():
        held = cache.get_log(path.resolve(), st, raw) if st is not None else None
        messages: list[str] = []
        if held is None:
            text = decode_utf8_lines(raw, path)
            plain = _plain_records(text)
            if plain is not None:  # what taskctl itself writes: no entry built per line
                warnings, entries = [], _Records(plain)
                if st is not None:
                    cache.put_log(path.resolve(), st, raw, plain, warnings)
            else:
                parsed = merge(effective(_parse(text, path, messages.append)))
                warnings, entries = messages, parsed
                if st is not None:
                    shared: dict[Any, Any] = {}  # one copy of each repeated text: smaller
                    records = [_flat(e, shared.setdefault) for e in parsed]
                    cache.put_log(path.resolve(), st, raw, records, warnings)
        else:
            length, records, warnings, lines = held
            if length < len(raw):  # grown: parse the new lines only (no BOM to drop there)
                text = decode_utf8_lines(raw[length:], path, lines + 1)
                fresh = _parse(text, path, messages.append, lines + 1)
                if any(e.revokes or e.reply for e in fresh) or _revoked_again(raw[:length], fresh):
                    # may undo what was merged, or repeat a line revoked before
                    fresh = effective(_parse(decode_utf8_lines(raw, path), path, messages.append))
                    warnings, records = messages, []
                else:
                    warnings = [*warnings, *messages]
                records = _merge_records(records, fresh)
                # A few appended lines are parsed again next time rather than rewriting the
                # whole entry (10 MB at 100 000 records) after every update.
                if st is not None and (not length or len(raw) - length > _TAIL_KEPT):
                    cache.put_log(path.resolve(), st, raw, records, warnings)
            entries = _Records(records)
    if warn:
        for message in warnings:
            warn(message)
    return entries


_TAIL_KEPT = 1 << 16  # bytes appended to a cached log before its cache entry is rewritten
# what a revocation line holds: "撤销": "<uid>" (or with no space, as other tools write JSON)
_REVOKED_UID = re.compile(b'"%s": ?"(.{%d})' % (REVOKE_KEY.encode(), UID_LENGTH), re.DOTALL)


def _revoked_again(head: bytes, fresh: list[Entry]) -> bool:
    """Whether an entry read after the cached part of a log is one revoked in it: a sync tool
    or a merge that copies a line twice gives the same entry (the same uid) again."""
    revoked = {uid.decode("ascii", "replace") for uid in _REVOKED_UID.findall(head)}
    return any(e.uid in revoked for e in fresh)


def _merge_records(records: list[tuple[Any, ...]], fresh: list[Entry]) -> list[tuple[Any, ...]]:
    """:func:`merge` of cached records (already merged, sorted) and entries read after them:
    one already held is found by bisection; new ones go after those of their 序号 and 日期
    already there (one stable sort, as merging the whole file in order would)."""
    import bisect

    records = list(records)
    day = operator.itemgetter(0, 1)
    added: list[tuple[Any, ...]] = []
    new_at: dict[tuple[Any, ...], int] = {}
    for entry in fresh:
        record = _flat(entry, lambda value, default: value)
        if entry.is_event:  # never merged: each review stands
            added.append(record)
            continue
        key = (record[0], record[1], record[5], record[_PART])
        where = new_at.get(key)
        if where is not None:
            if _record_later(record, added[where]):
                added[where] = record
            continue
        same_day = key[:2]  # (序号, 日期)
        low = bisect.bisect_left(records, same_day, key=day)
        high = bisect.bisect_right(records, same_day, key=day, lo=low)
        for index in range(low, high):
            held = records[index]
            if held[5] == key[2] and held[_PART] == key[3]:
                if _record_later(record, held):
                    records[index] = record
                break
        else:
            new_at[key] = len(added)
            added.append(record)
    if added:
        records.extend(added)
        records.sort(key=day)
    return records


def _flat(entry: Entry, share: Callable[[Any, Any], Any]) -> tuple[Any, ...]:
    fields = entry.__dict__
    recorded = fields.get(WRITTEN_TIME)
    if recorded is None and entry.recorded_at is not None:
        recorded = entry.recorded_at.isoformat()
    status, note, by = entry.status, entry.note, entry.by
    extras = _extras(entry)
    if extras != _NO_EXTRAS:
        extras = tuple(value and share(value, value) for value in extras)
    head = (
        entry.id,
        entry.date.toordinal(),
        share(status, status),
        entry.progress,
        share(note, note),
        share(by, by),
        recorded,
        entry.line,
    )
    return (*head, *extras, entry.part)


_EXTRA_FIELDS = (*OPTIONAL_KEYS, "revokes", *REVIEW_KEYS, "evidence")
_extras = operator.attrgetter(*_EXTRA_FIELDS)
_NO_EXTRAS = ("",) * (len(_EXTRA_FIELDS) - 1) + ((),)
# The fields of a record (see _flat) in order, and where it holds those the views read.
_RECORD_FIELDS = (
    "id", "date", "status", "progress", "note", "by", "recorded_at", "line", *_EXTRA_FIELDS, "part"
)  # fmt: skip
_REPLY = _RECORD_FIELDS.index("reply")
_PERIOD = _RECORD_FIELDS.index("period")
_PART = _RECORD_FIELDS.index("part")
_REVIEW = _RECORD_FIELDS.index("review")  # with _EXTEND: whether it is an event (is_event)
_EXTEND = _RECORD_FIELDS.index("extend")


def _rebuild(records: list[tuple[Any, ...]], source: str) -> list[Entry]:
    # Entry is a frozen dataclass: filling __dict__ directly skips its per-field __setattr__,
    # and dict(zip()) builds the fields in C; only the date, the time and the source are set.
    new, set_dict = object.__new__, object.__setattr__
    days: dict[int, _dt.date] = {}
    day, moment, keys = _dt.date.fromordinal, _dt.datetime.fromisoformat, _RECORD_FIELDS
    out: list[Entry] = []
    append = out.append
    for record in records:
        fields = dict(zip(keys, record, strict=True))
        ordinal = record[1]
        date = days.get(ordinal)
        if date is None:
            date = days[ordinal] = day(ordinal)
        fields["date"] = date
        recorded = record[6]
        if recorded is not None:
            fields["recorded_at"] = moment(recorded)
        fields["source"] = source
        entry = new(Entry)
        set_dict(entry, "__dict__", fields)
        append(entry)
    return out


_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _order(entry: Entry) -> _dt.datetime:
    return entry.recorded_at or _EARLIEST


def _later(entry: Entry, held: Entry) -> bool:
    """Whether ``entry`` replaces ``held``, a report of the same task, 日期 and unit: the one
    recorded later (its own 记录时间, not its place in a file); at the same time, or with none
    (lines written by hand), the later in the file."""
    return _order(entry) >= _order(held)


def merge(entries: Iterable[Entry]) -> list[Entry]:
    """One entry per 序号, 分项, 日期 and 填报人 (unit), the one recorded last (see
    :func:`_later`); sorted by 序号, 日期. Each unit answers for its own part: two units'
    reports of one day are both kept; a unit's second report of a day on the same 分项 (or on
    the whole item) corrects its first. Review events (:attr:`Entry.is_event`) are all kept."""
    latest: dict[tuple[Any, ...], Entry] = {}
    for entry in entries:
        key: tuple[Any, ...] = (entry.id, entry.date, entry.by, entry.part)
        if entry.is_event:  # a review or a 延期 request is never merged with anything
            key += (entry.uid,)
        held = latest.get(key)
        if held is None or _later(entry, held):
            latest[key] = entry
    return sorted(latest.values(), key=lambda e: (e.id, e.date))


def read_log(path: Path, warn: Warn | None = None) -> list[Entry]:
    """Every entry of the log (a file or a folder of ``*.jsonl``), merged; none if it is absent."""
    files = log_files(path)
    if len(files) == 1:
        return _merged_file(files[0], warn)
    return merge(entry for file in files for entry in _merged_file(file, warn))


def _record_order(record: tuple[Any, ...]) -> _dt.datetime:
    return _EARLIEST if record[6] is None else _dt.datetime.fromisoformat(record[6])


def _record_later(record: tuple[Any, ...], held: tuple[Any, ...]) -> bool:
    """:func:`_later` for cached records (see :func:`_flat`)."""
    return _record_order(record) >= _record_order(held)


def marks(entries: Iterable[Entry]) -> dict[str, str]:
    """Entry uid → 已撤销 or 已被更正, for the entries that no longer count.

    Revoked: a revocation names it. Superseded: it came in a reply (``回执``) and a later reply
    of the same unit for the same 期间 came after it; the whole earlier reply gives way.
    """
    entries = list(entries)
    revoked = {e.revokes for e in entries if e.revokes}
    latest: dict[tuple[str, str], tuple[_dt.datetime, str]] = {}
    for entry in entries:
        # a revoked row does not make its reply the latest: revoking a whole correction brings
        # back the reply it replaced
        if entry.reply and entry.period and not entry.revokes and entry.uid not in revoked:
            key = (entry.by, entry.period)
            # the one recorded last; of two recorded at one time, the later in the log
            if key not in latest or _order(entry) >= latest[key][0]:
                latest[key] = (_order(entry), entry.reply)
    result: dict[str, str] = {}
    for entry in entries:
        if entry.revokes:
            continue
        if entry.uid in revoked:
            result[entry.uid] = REVOKED
        elif (
            entry.reply
            and entry.period
            and latest.get((entry.by, entry.period), (None, entry.reply))[1] != entry.reply
        ):
            result[entry.uid] = SUPERSEDED
    return result


def effective(entries: Iterable[Entry]) -> list[Entry]:
    """The entries that count, in their order: no revocations, nothing revoked or superseded."""
    entries = list(entries)
    if not any(e.revokes or e.reply for e in entries):
        return entries
    gone = marks(entries)
    return [e for e in entries if not e.revokes and (not gone or e.uid not in gone)]


def read_all(path: Path, warn: Warn | None = None) -> list[Entry]:
    """Every record of the log in file order, revocations and what they revoke included."""
    return [entry for file in log_files(path) for entry in read_file(file, warn)]


def find_entry(entries: Sequence[Entry], wanted: str) -> Entry:
    """The entry (not a revocation) whose id is ``wanted`` or starts with it (4 characters or more)."""
    key = wanted.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{4,40}", key):
        raise InputError(f"记录编号「{wanted}」应为至少 4 位的编号，如 history --all 所列")
    found = [e for e in entries if not e.revokes and e.uid.startswith(key)]
    undo = next((e for e in entries if e.revokes and e.uid.startswith(key)), None)
    if not found and undo is not None:  # history --all lists revocations with their ids too
        raise InputError(
            f"记录 {undo.uid} 是撤销记录（撤销了 {undo.revokes}），不能再撤销；"
            f"被撤销的内容仍然有效的话，请用 taskctl update 重新填报"
        )
    if not found:
        raise InputError(
            f"没有编号为「{wanted}」的填报记录；用 taskctl history 序号 --all 查看编号"
        )
    if len({e.uid for e in found}) > 1:
        listed = "、".join(e.uid for e in found[:5])
        raise InputError(f"编号「{wanted}」对应多条记录（{listed}）；请多写几位")
    return found[0]


def revocation(
    target: Entry, *, by: str = "", note: str = "", recorded_at: _dt.datetime | None = None
) -> Entry:
    """A record revoking ``target`` (which stays in the log, marked 已撤销)."""
    if target.revokes:
        raise InputError(f"记录 {target.uid} 本身是撤销记录，不能撤销")
    return Entry(
        target.id,
        target.date,
        "",
        note=note.strip(),
        by=by.strip(),
        recorded_at=recorded_at or _format.now(),
        revokes=target.uid,
    )


def append_revocation(path: Path, target: Entry, record: Entry) -> Path:
    """Append a revocation to the file that holds its target (so each file reads on its own)."""
    from taskctl.fsutil import append_record

    file = Path(target.source) if target.source else target_file(path, record.by)
    append_record(file, record.to_line())
    return file


def entries_about(
    path: Path, ids: Iterable[int | tuple[int, int]], chunk: int = 1 << 16, by: str | None = None
) -> list[Entry]:
    """Each task's last entry in the log (file order: the one appended last) that is not
    revoked, with the revocations met on the way; found by reading the files backwards in
    chunks and parsing only lines naming one of ``ids`` as taskctl writes them. ``by``: the
    last entry of that 填报人 (each unit's 进度 is checked against its own). A (序号, 分项)
    pair in ``ids``: the last entry on that 分项.

    What ``update`` needs to check a 进度 against the last one without reading a long log
    (it must stay as fast as with an empty one). A guard, not the full rule: supersession of
    replies is not looked at.
    """
    from taskctl.names import normalize

    wanted = list(dict.fromkeys(targets(ids)))
    wanted_by = None if by is None else normalize(by)
    needles = {task_id: f'"序号": {task_id},'.encode() for task_id, _ in wanted}
    found: list[Entry] = []
    for file in log_files(path):
        missing = set(wanted)
        revoked: set[str] = set()
        for line in _lines_backwards(file, chunk):
            if not any(needles[i] in line for i, _ in missing):
                continue
            try:
                entry = _entry(json.loads(line.decode("utf-8")), str(file), 0)
            except (ValueError, UnicodeDecodeError, RecursionError, DataFileError):
                continue  # a torn or bad line: read_log tells about it
            if entry.revokes:
                found.append(entry)
                revoked.add(entry.revokes)
                continue
            hit = (entry.id, entry.part)
            if hit not in missing or (by is not None and normalize(entry.by) != wanted_by):
                continue
            found.append(entry)
            if entry.uid not in revoked:
                missing.discard(hit)
                if not missing:
                    break
    return found


def _lines_backwards(file: Path, chunk: int) -> Iterator[bytes]:
    """The lines of ``file`` from the last to the first, reading ``chunk`` bytes at a time."""
    try:
        handle = open(file, "rb")  # closed in finally: the caller may stop early
    except OSError:
        return
    try:
        end = handle.seek(0, os.SEEK_END)
        rest = b""
        while end > 0:
            start = max(0, end - chunk)
            handle.seek(start)
            block = handle.read(end - start) + rest
            end = start
            lines = block.split(b"\n")
            rest = lines[0]  # the end of a line begun before the block, unless it starts the file
            for line in reversed(lines[1:] if start else lines):
                if line.strip():
                    yield line
    finally:
        handle.close()


def target_file(path: Path, by: str) -> Path:
    """The file an update appends to: ``path`` itself, or ``<folder>/<填报人>.jsonl``."""
    if path.is_dir():
        name = re.sub(r'[\s\\/:*?"<>|]+', "_", by).strip("._")
        if not name:
            raise InputError(
                f"进度路径 {path} 是文件夹：请用 --by 写明填报单位（写入 {path}/填报单位.jsonl），"
                "或把进度路径指向一个 .jsonl 文件"
            )
        return path / f"{name}.jsonl"
    return path


def targets(ids: Iterable[int | tuple[int, int]]) -> list[tuple[int, int]]:
    """序号 and (序号, 分项) pairs as pairs: (5, 0) for the whole item 5, (5, 2) for 5.2."""
    return [(i, 0) if isinstance(i, int) else i for i in ids]


def check_log_target(target: Path) -> bool:
    """Refuse to append to a file that is not a progress log: it must be a regular file that
    is empty or holds JSON lines (``update --ledger data/tasks.yaml`` is an easy slip). Reads
    only the file's beginning. Returns whether the file exists already."""
    import stat

    try:
        st = os.stat(target)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise DataFileError(target, f"无法读取（{exc.strerror}），未写入任何内容") from None
    if stat.S_ISDIR(st.st_mode):
        raise DataFileError(target, "这是一个文件夹，不是进度台账文件，未写入任何内容")
    if not stat.S_ISREG(st.st_mode):
        raise DataFileError(
            target, "不是普通文件（管道、设备等），不能作为进度台账，未写入任何内容"
        )
    if not st.st_size:
        return True
    text = _head(target).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    first, newline, _ = text.partition("\n")
    looks = text == "" or text.startswith("{")
    if looks and newline and not _torn(first):
        try:
            looks = isinstance(json.loads(first), dict)
        except (ValueError, RecursionError):
            looks = False
    if not looks:
        raise DataFileError(
            target,
            "不是进度台账（应为空文件或每行一条 JSON 记录），未写入任何内容；"
            "是否把清单文件写成了 --ledger？清单用 --file 指定",
        )
    return True


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(1 << 16)


def named_path(text: str | os.PathLike[str]) -> Path:
    """A log path as the user wrote it: ``进度/`` (ending in a separator) means a folder, and
    a folder that does not exist is an error rather than a file named 进度."""
    spelled = os.fspath(text)
    if spelled.endswith(("/", os.sep)) and not os.path.isdir(spelled):
        raise DataFileError(
            spelled, "文件夹不存在；请先建立该文件夹（mkdir），或写一个 .jsonl 文件名"
        )
    return Path(spelled)


def ready_folder(target: Path, *, create: bool = False) -> None:
    """The folder a ledger file goes in exists (made when ``create`` and it is missing), or a
    :class:`DataFileError` naming it: nothing is written."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if create and not folder.exists():
            try:
                folder.mkdir()
            except OSError as exc:
                raise DataFileError(
                    folder, f"无法新建文件夹（{exc.strerror}），未写入任何内容"
                ) from None
        else:
            raise DataFileError(
                folder,
                "文件夹不存在，未写入任何内容；请先建立该文件夹，或用 --ledger/TASKCTL_PROGRESS 指定进度文件",
            )


def append(
    path: Path, entries: Sequence[Entry], *, create_folder: bool = False, held: bool = False
) -> Path:
    """Append entries to the log in one write under ``<log>.lock``, fsynced: a batch goes in
    whole or not at all (a full disk leaves the log as it was).

    Reads nothing of the log but its beginning (to check it is a log) and its last byte, so the
    cost does not grow with its size. ``held``: the caller holds the target's lock already.
    """
    from taskctl.fsutil import append_record

    if not entries:
        return path
    target = target_file(path, entries[0].by)
    ready_folder(target, create=create_folder)
    check_log_target(target)
    append_record(target, b"".join(entry.to_line() for entry in entries), held=held)
    return target
