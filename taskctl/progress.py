"""The progress log (进度台账): an append-only JSON-lines file, or a folder of them, beside the list.

Each line is one report in the document's own words, Chinese kept readable::

    {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工", "填报人": "住建局", "记录时间": "2023-06-05T09:30:12.123456+08:00"}

``进度`` may be absent; ``说明`` is the 进展情况, and ``存在问题``, ``下一步措施``, ``期间``, ``来源``
and ``回执`` appear only when not empty. The list itself (``tasks.yaml``) is never rewritten by an
update. When the path is a folder every ``*.jsonl`` in it is read together; for one 序号 and 日期
the entry recorded last wins, so units can keep their own files and share them through git.

Nothing is ever deleted: a line with ``撤销`` revokes the entry whose id it names, and a later
reply (``回执``) of the same unit for the same ``期间`` supersedes the earlier one as a whole.
See docs/formats.md, 进度台账.
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
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, InputError
from taskctl.model import ListFacts, TaskList

STATUSES = ("未启动", "序时推进", "滞后", "已完成")
NOT_STARTED, ON_TRACK, BEHIND, DONE = STATUSES
ALIASES = {"not-started": NOT_STARTED, "on-track": ON_TRACK, "behind": BEHIND, "done": DONE}
ENV_PROGRESS = "TASKCTL_PROGRESS"
LOG_NAME = "progress.jsonl"
KEYS = ("序号", "日期", "状态", "进度", "说明", "填报人", "记录时间")
# Written only when not empty, in this order, after 说明 (see docs/formats.md, 进度台账).
OPTIONAL_KEYS = {
    "problem": "存在问题",
    "next_step": "下一步措施",
    "period": "期间",
    "origin": "来源",
    "reply": "回执",
    "received": "收到日期",
}
# The longest 说明, 存在问题 or 下一步措施 a record may hold: a page of the 通报, not 167.
MAX_TEXT = 2000
REVOKE_KEY = "撤销"
# A report on one 分项 of an item published over several rows: its number (5.2 → 2), written
# right after 序号; absent (0) for a report on the whole item (see docs/progress.md, 分项).
PART_KEY = "分项"
# The office's review (see taskctl.review): written only when not empty, after 回执. A record
# with 审核 or 延期 and no 状态 is an event, not a report: it never stands for a unit's part.
REVIEW_KEYS = {"review": "审核", "unit": "审核单位", "answers": "针对", "extend": "延期"}
EVIDENCE_KEY = "佐证材料"
REVOKED, SUPERSEDED = "已撤销", "已被更正"

Warn = Callable[[str], None]
UID_LENGTH = 10
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Entry:
    """One progress report: what a unit said about one task on one date."""

    id: int
    date: _dt.date
    status: str
    progress: int | None = None
    note: str = ""
    by: str = ""
    recorded_at: _dt.datetime | None = None
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    problem: str = ""
    next_step: str = ""
    period: str = ""  # the round it answers: 2023-W26, 2023-06, 2023-06-01~2023-06-15
    origin: str = ""  # where it was written: a reply file and row
    reply: str = ""  # the id of the reply it came in (collect): supersession and idempotence
    received: str = ""  # the day the 督查室 received that reply (ISO date): 按时 or 迟报
    revokes: str = ""  # a revocation: the uid of the entry it revokes (status is then "")
    review: str = ""  # 审核: 销号, 退回, 回访, 准予延期, 不予延期 (status is then "")
    unit: str = ""  # 审核单位: whose part a review is about
    answers: str = ""  # 针对: the uid of the request (已完成 report, 延期 request) reviewed
    extend: str = ""  # 延期: the new 完成时限 asked for (YYYY-MM-DD; status is then "")
    evidence: tuple[tuple[str, int, str], ...] = ()  # 佐证材料: (file, size, sha256)
    part: int = 0  # the 分项 it reports on (5.2 → 2); 0: the whole item

    @property
    def target(self) -> str:
        """What it reports on as the office writes it: 5, or 5.2 for a 分项."""
        return f"{self.id}.{self.part}" if self.part else str(self.id)

    @cached_property
    def uid(self) -> str:
        """The entry's stable id: derived from its content, so the same line always has it."""
        recorded = self.recorded_at.isoformat(timespec="microseconds") if self.recorded_at else ""
        content = [self.id, self.date.isoformat(), self.status, self.progress, self.note, self.by]
        content.append(recorded)
        content += [getattr(self, name) for name in _UID_EXTRAS]
        if self.received:  # added later: an entry without it keeps the uid it always had
            content.append(self.received)
        if self.part:  # absent from older entries, whose ids stay what they were
            content.append(self.part)
        if self.is_event or self.evidence:  # older records keep the uid they always had
            content += [getattr(self, name) for name in REVIEW_KEYS]
            content.append([list(item) for item in self.evidence])
        import hashlib  # here: loading OpenSSL would cost every query a few milliseconds

        digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()[:UID_LENGTH]

    @property
    def is_revocation(self) -> bool:
        return bool(self.revokes)

    @property
    def is_event(self) -> bool:
        """A review or a 延期 request: a record about a report, not a report itself."""
        return bool(self.review or self.extend)

    def to_line(self) -> bytes:
        """The entry as one log line (UTF-8, Chinese unescaped, newline-terminated)."""
        data: dict[str, Any] = {"序号": self.id}
        if self.part:
            data[PART_KEY] = self.part
        data["日期"] = self.date.isoformat()
        if self.revokes:
            data[REVOKE_KEY] = self.revokes
        elif self.status or not self.is_event:
            data["状态"] = self.status
        if self.progress is not None:
            data["进度"] = self.progress
        data["说明"] = self.note
        for name, key in OPTIONAL_KEYS.items():
            if getattr(self, name):
                data[key] = getattr(self, name)
        for name, key in REVIEW_KEYS.items():
            if getattr(self, name):
                data[key] = getattr(self, name)
        if self.evidence:
            data[EVIDENCE_KEY] = [
                {"文件": file, "大小": size, "sha256": digest} if digest else {"文件": file}
                for file, size, digest in self.evidence
            ]  # a name only: a reply named a file that did not come with it
        data["填报人"] = self.by
        if self.recorded_at is not None:
            data["记录时间"] = self.recorded_at.isoformat(timespec="microseconds")
        return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")

    def to_record(self) -> dict[str, Any]:
        """The entry with the stable English keys of ``--format json`` (``evidence`` when it
        has 佐证材料; ``review``, ``unit``, ``answers``, ``extend`` for a review event)."""
        record: dict[str, Any] = {
            "id": self.id,
            "date": self.date.isoformat(),
            "status": self.status,
            "progress": self.progress,
            "note": self.note,
            "problem": self.problem,
            "next_step": self.next_step,
            "by": self.by,
            "recorded_at": (
                self.recorded_at.isoformat(timespec="seconds") if self.recorded_at else None
            ),
            "entry_id": self.uid,
            "period": self.period,
            "origin": self.origin,
            **({"part": self.target} if self.part else {}),  # a report on a 分项: "5.2"
        }
        if self.evidence:
            record["evidence"] = evidence_records(self.evidence)
        if self.is_event:
            record.update((name, getattr(self, name)) for name in REVIEW_KEYS)
        return record


def evidence_records(evidence: Iterable[tuple[str, int, str]]) -> list[dict[str, Any]]:
    """佐证材料 with the stable English keys: ``[{"file", "sha256", "size"}]`` (``null`` for a
    file a reply named but did not send)."""
    return [
        {"file": f, "sha256": digest or None, "size": size if size >= 0 else None}
        for f, size, digest in evidence
    ]


def parse_status(text: str) -> str:
    """未启动/序时推进/滞后/已完成, or an English alias, to the Chinese status."""
    cleaned = re.sub(r"\s+", "", text or "")
    if cleaned in STATUSES:
        return cleaned
    alias = ALIASES.get(cleaned.lower().replace("_", "-"))
    if alias:
        return alias
    choices = "、".join(f"{zh}（{en}）" for en, zh in ALIASES.items())
    raise InputError(f"未知的状态「{text}」：应为 {choices} 之一")


def parse_progress(value: Any) -> int:
    """A 进度 percentage: an integer from 0 to 100."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip().rstrip("%％"))
    except (TypeError, ValueError):
        raise InputError(f"进度「{value}」应为 0 到 100 的整数") from None
    if not 0 <= number <= 100:
        raise InputError(f"进度 {number} 超出范围：应为 0 到 100 的整数")
    return number


def parse_date(text: str, what: str = "日期") -> _dt.date:
    """A date written YYYY-MM-DD (also 2023/6/5 or 2023.6.5); impossible dates are refused."""
    match = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", str(text))
    if not match:
        raise InputError(f"{what}「{text}」应写成 YYYY-MM-DD，如 2023-06-05")
    try:
        return _dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InputError(f"{what}「{text}」不存在（请检查月份和日期）") from None


def _parse_time(text: str) -> _dt.datetime:
    moment = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


def now() -> _dt.datetime:
    """The recording time: local time with its UTC offset (tests replace this)."""
    return _dt.datetime.now(_dt.timezone.utc).astimezone()


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


def _entry(data: Any, source: str, line: int) -> Entry:
    def bad(message: str) -> DataFileError:
        return DataFileError(source, message, line)

    if not isinstance(data, dict):
        raise bad("每行应为一个 JSON 对象（序号、日期、状态…）")
    task_id = data.get("序号")
    if isinstance(task_id, bool) or not isinstance(task_id, int) or task_id < 1:
        raise bad(f"序号应为正整数，得到「{task_id}」")
    raw_date, status, progress = data.get("日期"), data.get("状态"), data.get("进度")
    part = data.get(PART_KEY)
    if part is not None and (isinstance(part, bool) or not isinstance(part, int) or part < 1):
        raise bad(f"{PART_KEY}应为正整数（5.2 的 2），得到「{part}」")
    revokes = data.get(REVOKE_KEY)
    events = {name: _text(data.get(key)).strip() for name, key in REVIEW_KEYS.items()}
    if (events["review"] or events["extend"]) and status in (None, ""):
        status = ""
    if events["extend"]:
        try:
            events["extend"] = parse_date(events["extend"], "延期").isoformat()
        except InputError as exc:
            raise bad(exc.message) from None
    evidence = _evidence(data.get(EVIDENCE_KEY), bad)
    if revokes is not None:
        if not isinstance(revokes, str) or not re.fullmatch(r"[0-9a-f]{4,40}", revokes):
            raise bad(f"撤销应为记录编号（十六进制），得到「{revokes}」")
        status = ""
    try:
        # Fast paths for what taskctl itself writes; anything else goes through the parsers.
        if isinstance(raw_date, str) and len(raw_date) == 10 and raw_date[4] == "-":
            try:
                date = _dt.date.fromisoformat(raw_date)
            except ValueError:
                date = parse_date(raw_date, "日期")
        else:
            date = parse_date(str(raw_date or ""), "日期")
        if status not in STATUSES and not revokes and status != "":
            status = parse_status(str(status or ""))
        elif status == "" and not (revokes or events["review"] or events["extend"]):
            status = parse_status("")
        if progress is not None and not (type(progress) is int and 0 <= progress <= 100):
            progress = parse_progress(progress)
    except InputError as exc:
        raise bad(exc.message) from None
    recorded = data.get("记录时间")
    recorded_at = None
    if recorded is not None:
        try:
            recorded_at = _parse_time(str(recorded))
        except (ValueError, OverflowError):  # OverflowError: 9999-12-31 west of UTC
            raise bad(
                f"记录时间「{recorded}」应为 ISO 时间，如 2023-06-05T09:30:00+08:00"
            ) from None
    note, by = str(data.get("说明") or ""), str(data.get("填报人") or "")
    if _SURROGATE.search(note) or _SURROGATE.search(by):  # half an emoji from another tool
        note, by = _SURROGATE.sub("\ufffd", note), _SURROGATE.sub("\ufffd", by)
    return Entry(
        id=task_id,
        date=date,
        status=str(status),
        progress=progress,
        note=note,
        by=by,
        recorded_at=recorded_at,
        source=source,
        line=line,
        **{name: _text(data.get(key)) for name, key in OPTIONAL_KEYS.items()},
        revokes=revokes or "",
        part=part or 0,
        **events,
        evidence=evidence,
    )


_REPLY_TEXT = 8 + tuple(OPTIONAL_KEYS).index("reply")  # where _plain_values gives the 回执
_UID_EXTRAS = ("problem", "next_step", "period", "origin", "reply", "revokes")


def _evidence(value: Any, bad: Callable[[str], DataFileError]) -> tuple[tuple[str, int, str], ...]:
    """佐证材料 as written: a list of {文件, 大小, sha256}; a file named with no copy kept (a
    reply's) has 大小 and sha256 empty."""
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise bad("佐证材料应为列表：[{文件, 大小, sha256}…]")
    items = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("文件"), str):
            raise bad("佐证材料的每一项应有「文件」（文件名）")
        size = item.get("大小")
        if size is None:
            size = -1
        if isinstance(size, bool) or not isinstance(size, int):
            raise bad(f"佐证材料「{item['文件']}」的大小应为整数（字节）")
        items.append((item["文件"], size, str(item.get("sha256") or "")))
    return tuple(items)


_PLAIN_KEYS = frozenset((*KEYS, *OPTIONAL_KEYS.values()))
_STATUS_SET = frozenset(STATUSES)
_OPTIONAL_KEYS = tuple(OPTIONAL_KEYS.values())
_BASE_KEYS = frozenset(KEYS)
_NO_TEXTS = ("",) * len(OPTIONAL_KEYS)
# Where an entry read by :func:`_plain_entry` keeps its 记录时间 as written (an ISO time that
# ``datetime.fromisoformat`` reads back to the same moment), so the parse cache can store it
# without formatting 100 000 times again. Not a field: equality and the uid ignore it.
WRITTEN_TIME = "_recorded_text"


def _plain_values(data: Any, raw: str) -> tuple[Any, ...] | None:
    """The values of a record written the way taskctl writes it, checked without the detours of
    :func:`_entry`: (序号, 日期, 状态, 进度, 说明, 填报人, 记录时间, 记录时间 as written, and the
    optional texts in :data:`OPTIONAL_KEYS` order); ``None`` whenever anything needs
    :func:`_entry` (which then gives the same entry, or the error)."""
    if type(data) is not dict:
        return None
    keys = data.keys()
    if not keys <= _PLAIN_KEYS or "\\u" in raw:
        return None  # \u: an escape may hide half a surrogate pair, which _entry replaces
    get = data.get
    task_id, raw_date, status, progress = get("序号"), get("日期"), get("状态"), get("进度")
    if type(task_id) is not int or task_id < 1 or status not in _STATUS_SET:
        return None
    if progress is not None and not (type(progress) is int and 0 <= progress <= 100):
        return None
    if type(raw_date) is not str or len(raw_date) != 10 or raw_date[4] != "-":
        return None
    note, by, recorded = get("说明"), get("填报人"), get("记录时间")
    if (note is not None and type(note) is not str) or (by is not None and type(by) is not str):
        return None
    try:
        date = _DATE(raw_date)
        moment = None if recorded is None else _MOMENT(recorded)
    except (TypeError, ValueError):
        return None
    if moment is not None and (moment.tzinfo is None or "Z" in str(recorded)):  # _parse_time's
        return None
    if keys <= _BASE_KEYS:  # nearly always: none of the optional texts
        return (task_id, date, status, progress, note or "", by or "", moment, recorded, *_NO_TEXTS)
    texts = []
    for key in _OPTIONAL_KEYS:
        value = get(key)
        if value is None:
            texts.append("")
        elif type(value) is str:
            texts.append(value)
        else:
            return None
    return (task_id, date, status, progress, note or "", by or "", moment, recorded, *texts)


def _plain_entry(data: Any, raw: str, source: str, line: int) -> Entry | None:
    """:func:`_entry` for a record written the way taskctl writes it (see :func:`_plain_values`),
    or ``None``."""
    values = _plain_values(data, raw)
    if values is None:
        return None
    task_id, date, status, progress, note, by, moment, recorded, *texts = values
    fields = {
        "id": task_id,
        "date": date,
        "status": status,
        "progress": progress,
        "note": note,
        "by": by,
        "recorded_at": moment,
        "source": source,
        "line": line,
        **dict(zip(OPTIONAL_KEYS, texts, strict=True)),
        "revokes": "",
        "part": 0,
    }
    if moment is not None:
        fields[WRITTEN_TIME] = recorded
    entry = _new(Entry)
    _set(entry, "__dict__", fields)
    return entry


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


_DATE, _MOMENT = _dt.date.fromisoformat, _dt.datetime.fromisoformat
_new, _set = object.__new__, object.__setattr__
# json.loads without its wrapper, for one object per line
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _torn(raw: str) -> bool:
    """The beginning of a record cut off, as a writer killed mid-write leaves it: ``{"`` and
    no closing ``}``. The next append starts on a fresh line, so such a line may end up
    anywhere in the file."""
    line = raw.strip()
    return line.startswith('{"') and not line.endswith("}")


def _parse(text: str, path: Path, warn: Warn | None, first_line: int = 1) -> list[Entry]:
    entries: list[Entry] = []
    append = entries.append
    source = str(path)
    loads, scan = json.loads, _scan
    lines = text.split("\n")
    last = len(lines) - 1  # the text after the last newline: a write still under way
    skipped = 0
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
            skipped += 1
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
_REVOKE_MARKS = tuple(f'"{REVOKE_KEY}":{gap}"'.encode() for gap in (" ", ""))


def _revoked_again(head: bytes, fresh: list[Entry]) -> bool:
    """Whether an entry read after the cached part of a log is one revoked in it: a sync tool
    or a merge that copies a line twice gives the same entry (the same uid) again."""
    revoked: set[str] = set()
    for mark in _REVOKE_MARKS:
        start = head.find(mark)
        while start >= 0:
            start += len(mark)
            revoked.add(head[start : start + UID_LENGTH].decode("ascii", "replace"))
            start = head.find(mark, start)
    return bool(revoked) and any(e.uid in revoked for e in fresh)


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
        low = bisect.bisect_left(records, key[:2], key=day)
        high = bisect.bisect_right(records, key[:2], key=day, lo=low)
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
_REPLY = 8 + _EXTRA_FIELDS.index("reply")  # where a record (see _flat) holds the reply id
_PERIOD = 8 + _EXTRA_FIELDS.index("period")
_PART = 8 + len(_EXTRA_FIELDS)
_REVOKES = 8 + _EXTRA_FIELDS.index("revokes")


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


# The fields of a record (see _flat) in order.
_RECORD_FIELDS = (
    "id", "date", "status", "progress", "note", "by", "recorded_at", "line", *_EXTRA_FIELDS, "part"
)  # fmt: skip


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


def latest_of(entries: Iterable[Entry], as_of: _dt.date) -> dict[int, Entry]:
    """Each task's latest entry dated on or before ``as_of``: the latest 日期, and of entries
    of one 日期 (two units answering for one task) the one recorded last, the later one in
    order when equal. What the light rule reads (:func:`taskctl.tracking.task_states`)."""
    latest: dict[int, Entry] = {}
    get = latest.get
    for entry in entries:
        date = entry.date
        if date > as_of or entry.is_event:
            continue
        held = get(entry.id)
        if (
            held is None
            or date > held.date
            or (date == held.date and _order(entry) >= _order(held))
        ):
            latest[entry.id] = entry
    return latest


ReportsByTask = dict[int, dict[tuple[str, int], Entry]]


def reports_of(entries: Iterable[Entry], as_of: _dt.date) -> ReportsByTask:
    """Each task's latest report of each 填报人 (unit, or the office) on each 分项 (0: the whole
    item), dated on or before ``as_of``: 序号 → {(填报人, 分项): entry}. What the per-unit
    state is built from (:func:`taskctl.tracking.task_states`); the answer does not depend on
    the entries' order."""
    entries = entries if isinstance(entries, Sequence) else list(entries)
    reports: ReportsByTask = {}
    for entry in entries:
        if entry.date > as_of or entry.revokes or entry.is_event:
            continue
        key = (entry.by, entry.part)
        mine = reports.get(entry.id)
        if mine is None:
            reports[entry.id] = {key: entry}
            continue
        held = mine.get(key)
        if (
            held is None
            or entry.date > held.date
            or (entry.date == held.date and _later(entry, held))
        ):
            mine[key] = entry
    return _with_reviews(reports, entries, as_of)


class Reports(dict[tuple[str, int], Entry]):
    """One task's latest report of each (填报人, 分项), with what the review rule also reads
    (:mod:`taskctl.review`): the task's review events up to the day, and each (填报人, 分项)'s
    latest report that is not 已完成 (what a part not yet 销号 shows)."""

    events: tuple[Entry, ...] = ()
    earlier: dict[tuple[str, int], Entry]


def _with_reviews(
    reports: ReportsByTask, entries: Iterable[Entry], as_of: _dt.date
) -> ReportsByTask:
    """``reports`` with the tasks that have a unit's 已完成 or a review event made
    :class:`Reports` (``entries``: the log's, or only those that may matter)."""
    # each unit's 已完成 (on each 分项) and its day; what the part shows while the office reviews
    # it is the unit's report of an earlier day on that 分项, each day's being the one recorded
    # last (as the log keeps them: a report of a day corrected later that day is gone)
    needed = {
        (i, key): e.date
        for i, mine in reports.items()
        for key, e in mine.items()
        if e.status == DONE
    }
    events: dict[int, list[Entry]] = {}
    days: dict[tuple[int, tuple[str, int], _dt.date], Entry] = {}
    for entry in entries:
        if entry.date > as_of or entry.revokes:
            continue
        if entry.is_event:
            events.setdefault(entry.id, []).append(entry)
        elif entry.date < needed.get((entry.id, (entry.by, entry.part)), entry.date):
            key = (entry.id, (entry.by, entry.part), entry.date)
            held = days.get(key)
            if held is None or _later(entry, held):
                days[key] = entry
    earlier: dict[tuple[int, tuple[str, int]], Entry] = {}
    for (task_id, by, day), entry in days.items():
        if entry.status == DONE:
            continue
        kept = earlier.get((task_id, by))
        if kept is None or day > kept.date:
            earlier[(task_id, by)] = entry
    if not needed and not events:
        return reports
    for task_id in {i for i, _ in needed} | events.keys():
        wrapped = Reports(reports.get(task_id, {}))
        wrapped.events = tuple(sorted(events.get(task_id, ()), key=lambda e: (e.date, _order(e))))
        wrapped.earlier = {by: e for (i, by), e in earlier.items() if i == task_id}
        reports[task_id] = wrapped
    return reports


class LogView:
    """The merged log as the reports ask it: each task's latest entry as of a day, the entries
    of a period, the replies to a round. When the records come from the parse cache only the
    entries asked for are built (a city's log has 100 000); else it wraps the entries."""

    def __init__(self, held: list[Entry] | _Records, source: str = "") -> None:
        self._held, self._source = held, source

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> LogView:
        return cls(list(entries))

    @property
    def entries(self) -> list[Entry]:
        """Every entry (built once, when first asked for)."""
        if isinstance(self._held, _Records):
            self._held = _rebuild(self._held.records, self._source)
        return self._held

    def _pick(self, keep: Callable[[tuple[Any, ...]], bool]) -> list[Entry]:
        assert isinstance(self._held, _Records)
        return _rebuild([r for r in self._held.records if keep(r)], self._source)

    def latest(self, as_of: _dt.date, ids: Iterable[int] | None = None) -> dict[int, Entry]:
        """:func:`latest_of`, for the tasks ``ids`` only when given."""
        wanted = None if ids is None else set(ids)
        if not isinstance(self._held, _Records):
            entries = self._held if wanted is None else [e for e in self._held if e.id in wanted]
            return latest_of(entries, as_of)
        records = self._held.records
        if wanted is not None:
            records = [r for r in records if r[0] in wanted]
        return _latest_records(records, as_of, self._source)

    def reports(self, as_of: _dt.date, ids: Iterable[int] | None = None) -> ReportsByTask:
        """:func:`reports_of`, for the tasks ``ids`` only when given."""
        wanted = None if ids is None else set(ids)
        if not isinstance(self._held, _Records):
            entries = self._held if wanted is None else [e for e in self._held if e.id in wanted]
            return reports_of(entries, as_of)
        records = self._held.records
        if wanted is not None:
            records = [r for r in records if r[0] in wanted]
        return _report_records(records, as_of, self._source)

    def between(self, first: _dt.date, last: _dt.date, ids: Iterable[int]) -> list[Entry]:
        """The entries of the tasks ``ids`` dated from ``first`` to ``last``, in log order."""
        wanted = set(ids)
        if not isinstance(self._held, _Records):
            return [
                e
                for e in self._held
                if e.id in wanted and first <= e.date <= last and not e.is_event
            ]
        low, high = first.toordinal(), last.toordinal()
        return self._pick(lambda r: low <= r[1] <= high and r[0] in wanted and r[2] != "")

    def replies(self, period: str) -> list[Entry]:
        """The entries that came in replies (``回执``) for the round ``period``."""
        if not isinstance(self._held, _Records):
            return [e for e in self._held if e.reply and e.period == period]
        return self._pick(lambda r: bool(r[_REPLY]) and r[_PERIOD] == period)

    def first_done(self, ids: Iterable[int], as_of: _dt.date) -> dict[int, _dt.date]:
        """序号 → the first day each of ``ids`` was reported 已完成 (up to ``as_of``)."""
        wanted = set(ids)
        first: dict[int, _dt.date] = {}
        if not isinstance(self._held, _Records):
            done = [(e.id, e.date) for e in self._held if e.status == DONE]
        else:
            day = _dt.date.fromordinal
            done = [(r[0], day(r[1])) for r in self._held.records if r[2] == DONE]
        for task_id, date in done:
            if (
                task_id in wanted
                and date <= as_of
                and (task_id not in first or date < first[task_id])
            ):
                first[task_id] = date
        return first


def read_view(path: Path, warn: Warn | None = None) -> LogView:
    """The log at ``path`` (a file or a folder) as a :class:`LogView`: what :func:`read_log`
    reads, with the records of a single cached file left unbuilt until asked for."""
    files = log_files(path)
    if len(files) != 1:
        return LogView(read_log(path, warn))
    return LogView(_merged_records(files[0], warn), str(files[0]))


def _latest_records(
    records: Iterable[tuple[Any, ...]], as_of: _dt.date, source: str
) -> dict[int, Entry]:
    """:func:`latest_of` the entries of cached ``records``, building only the chosen ones."""
    limit = as_of.toordinal()
    chosen: dict[int, tuple[Any, ...]] = {}
    get = chosen.get
    for record in records:  # (序号, 日期, …, 记录时间 at 6): see _flat
        day = record[1]
        if day > limit or record[2] == "":  # "": a review event
            continue
        kept = get(record[0])
        if (
            kept is None
            or day > kept[1]
            or (day == kept[1] and _record_order(record) >= _record_order(kept))
        ):
            chosen[record[0]] = record
    return {entry.id: entry for entry in _rebuild(list(chosen.values()), source)}


def _report_records(
    records: Iterable[tuple[Any, ...]], as_of: _dt.date, source: str
) -> ReportsByTask:
    """:func:`reports_of` the entries of cached ``records``, building only the chosen ones."""
    limit = as_of.toordinal()
    chosen: dict[tuple[int, str, int], tuple[Any, ...]] = {}
    get = chosen.get
    records = records if isinstance(records, list) else list(records)
    for record in records:  # (序号, 日期, 状态, 进度, 说明, 填报人, 记录时间 …): see _flat
        day = record[1]
        if day > limit or record[2] == "":  # "": a review event
            continue
        key = (record[0], record[5], record[_PART])
        kept = get(key)
        if kept is None or day > kept[1] or (day == kept[1] and _record_later(record, kept)):
            chosen[key] = record
    reports: ReportsByTask = {}
    for entry in _rebuild(list(chosen.values()), source):
        mine = reports.get(entry.id)
        if mine is None:
            reports[entry.id] = {(entry.by, entry.part): entry}
        else:
            mine[(entry.by, entry.part)] = entry
    needed = {(i, by) for i, mine in reports.items() for by, e in mine.items() if e.status == DONE}
    ids = {i for i, _ in needed}
    if not needed and not any(r[2] == "" and r[_REVOKES] == "" for r in records):
        return reports
    wanted = [
        r for r in records if (r[2] == "" and r[_REVOKES] == "") or (r[0] in ids and r[2] != DONE)
    ]
    return _with_reviews(reports, _rebuild(wanted, source), as_of)


def _record_order(record: tuple[Any, ...]) -> _dt.datetime:
    return _EARLIEST if record[6] is None else _dt.datetime.fromisoformat(record[6])


def _record_later(record: tuple[Any, ...], held: tuple[Any, ...]) -> bool:
    """:func:`_later` for cached records (see :func:`_flat`)."""
    return record[6] == held[6] or _record_order(record) >= _record_order(held)


def marks(entries: Iterable[Entry]) -> dict[str, str]:
    """Entry uid → 已撤销 or 已被更正, for the entries that no longer count.

    Revoked: a revocation names it. Superseded: it came in a reply (``回执``) and a later reply
    of the same unit for the same 期间 came after it; the whole earlier reply gives way.
    """
    entries = list(entries)
    revoked = {e.revokes for e in entries if e.revokes}
    latest: dict[tuple[str, str], tuple[_dt.datetime, int, str]] = {}
    for index, entry in enumerate(entries):
        # a revoked row does not make its reply the latest: revoking a whole correction brings
        # back the reply it replaced
        if entry.reply and entry.period and not entry.revokes and entry.uid not in revoked:
            key = (entry.by, entry.period)
            candidate = (_order(entry), index, entry.reply)
            if key not in latest or candidate[:2] >= latest[key][:2]:
                latest[key] = candidate
    result: dict[str, str] = {}
    for entry in entries:
        if entry.revokes:
            continue
        if entry.uid in revoked:
            result[entry.uid] = REVOKED
        elif (
            entry.reply
            and entry.period
            and latest.get((entry.by, entry.period), (None, None, entry.reply))[2] != entry.reply
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
        recorded_at=recorded_at or now(),
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
            rest = lines[0] if start > 0 else b""
            for line in reversed(lines if start == 0 else lines[1:]):
                if line.strip():
                    yield line
    finally:
        handle.close()


def check_entries(
    tasklist: TaskList | ListFacts,
    entries: Sequence[Entry],
    previous: Sequence[Entry] = (),
    *,
    today: _dt.date | None = None,
    allow_date: bool = False,
    note_option: str = "--note",
    date_hint: str = "确需如此请加 --allow-date",
) -> list[str]:
    """What cannot be true in ``entries`` (empty when all is well), one Chinese line each.

    A date after today or outside the list's year (unless ``allow_date``), 已完成 with a 进度
    below 100, 滞后 with 100, 未启动 with more than 0, a text over :data:`MAX_TEXT`
    characters, a 进度 lower than the same 填报人's last one for the task (in ``previous``: each
    unit answers for its own part) without a 进展情况.
    """
    today = today or now().date()
    from taskctl.names import normalize

    last: dict[tuple[int, int, str], Entry] = {}  # each unit's own last report of each task
    for entry in effective(previous):
        key = (entry.id, entry.part, normalize(entry.by))
        held = last.get(key)
        if held is None or (entry.date, _order(entry)) >= (held.date, _order(held)):
            last[key] = entry
    problems = []
    for entry in entries:
        if not allow_date:
            if entry.date > today:
                problems.append(
                    f"日期 {entry.date.isoformat()} 晚于今天（{today.isoformat()}）；"
                    f"请核对日期，{date_hint}"
                )
            elif tasklist.year and entry.date.year != tasklist.year:
                problems.append(
                    f"日期 {entry.date.isoformat()} 不在清单年度 {tasklist.year} 年内；"
                    f"请核对日期，{date_hint}"
                )
        if entry.status == DONE and entry.progress is not None and entry.progress < 100:
            problems.append(
                f"序号 {entry.target} 填报为已完成，进度却为 {entry.progress}%：已完成的进度应为 100，"
                "未完成请填 序时推进 或 滞后"
            )
        if entry.status == BEHIND and entry.progress == 100:
            problems.append(
                f"序号 {entry.target} 填报为滞后，进度却为 100%：进度 100 请填 已完成（逾期完成的也是"
                "已完成），仍有未完成的工作请如实填写进度"
            )
        if entry.status == NOT_STARTED and entry.progress:
            problems.append(
                f"序号 {entry.target} 填报为未启动，进度却为 {entry.progress}%：未启动的进度应为 0 或"
                "不填，已开展工作请填 序时推进 或 滞后"
            )
        for label, text in (
            (note_option, entry.note),
            ("存在问题", entry.problem),
            ("下一步措施", entry.next_step),
        ):
            if len(text) > MAX_TEXT:
                problems.append(
                    f"序号 {entry.target} 的 {label} 有 {len(text)} 字，超过 {MAX_TEXT} 字的上限；"
                    "请精简，详细材料请作为佐证材料报送"
                )
        held = last.get((entry.id, entry.part, normalize(entry.by)))
        if (
            held is not None
            and held.progress is not None
            and entry.progress is not None
            and entry.progress < held.progress
            and held.date <= entry.date
            and not entry.note
        ):
            problems.append(
                f"序号 {entry.target} 的进度由 {held.progress}%（{held.date.isoformat()}）降为 "
                f"{entry.progress}%：进度下降须用 {note_option} 写明原因"
            )
    return list(dict.fromkeys(problems))


def history(entries: Sequence[Entry], task_id: int) -> list[Entry]:
    """One task's entries, oldest first."""
    return [entry for entry in entries if entry.id == task_id]


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


def argument_text(text: str, what: str) -> str:
    """Command-line text as typed. Bytes that were not UTF-8 reach Python as lone surrogates
    (``surrogateescape``); from a Chinese console they are GBK, so they are read as GB18030."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeError:
        raise InputError(
            f"{what} 含有无法识别的字节（既不是 UTF-8 也不是 GBK）；请检查终端的编码"
        ) from None


def targets(ids: Iterable[int | tuple[int, int]]) -> list[tuple[int, int]]:
    """序号 and (序号, 分项) pairs as pairs: (5, 0) for the whole item 5, (5, 2) for 5.2."""
    return [(i, 0) if isinstance(i, int) else i for i in ids]


def make_entries(
    tasklist: TaskList | ListFacts,
    ids: Iterable[int | tuple[int, int]],
    status: str,
    *,
    progress: Any = None,
    note: str = "",
    by: str = "",
    date: _dt.date | str | None = None,
    recorded_at: _dt.datetime | None = None,
    problem: str = "",
    next_step: str = "",
    previous: Sequence[Entry] = (),
    allow_date: bool = False,
) -> list[Entry]:
    """Validated entries for an update (every 序号 must be in the list, every 分项 — a
    (序号, 分项) pair in ``ids`` — in its item); nothing is written.

    What cannot be true is refused (see :func:`check_entries`; ``previous`` is the log so far).
    """
    status = parse_status(status)
    note, by = argument_text(note, "--note 说明"), argument_text(by, "--by 填报人")
    percent = None if progress is None else parse_progress(progress)
    if isinstance(date, str):
        date = parse_date(date)
    moment = recorded_at or now()
    if date is None:
        date = moment.date()
    wanted = list(dict.fromkeys(targets(ids)))
    if not wanted:
        raise InputError("请至少写一个序号")
    from taskctl.subitems import require_part
    from taskctl.units import resolve_reporter

    for task_id, part in wanted:
        tasklist.require(task_id)
        require_part(tasklist, task_id, part)
    by = resolve_reporter(by, wanted, tasklist)
    entries = [
        Entry(
            task_id,
            date,
            status,
            percent,
            note.strip(),
            by.strip(),
            moment,
            problem=problem.strip(),
            next_step=next_step.strip(),
            part=part,
        )
        for task_id, part in wanted
    ]
    problems = check_entries(
        tasklist, entries, previous, today=moment.date(), allow_date=allow_date
    )
    if problems:
        raise InputError("；".join(problems[:3]) + ("……" if len(problems) > 3 else ""))
    return entries


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
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if create_folder and not folder.exists():
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
    check_log_target(target)
    append_record(target, b"".join(entry.to_line() for entry in entries), held=held)
    return target
