"""One report of the progress ledger (进度台账) and its line: the entry format.

What a line holds and how it is read: :class:`Entry`, the keys in the document's words, the
statuses, and the checks of one line as written. See docs/formats.md, 进度台账.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from taskctl.errors import DataFileError, InputError

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
        # YYYY-MM-DD only: fromisoformat also reads a week date (2023-W23-1), parse_date not
        if isinstance(raw_date, str) and len(raw_date) == 10 and raw_date[4] + raw_date[7] == "--":
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
    # STATUSES, a tuple: a 状态 written as a list is then simply not one (a set would raise)
    if type(task_id) is not int or task_id < 1 or status not in STATUSES:
        return None
    if progress is not None and not (type(progress) is int and 0 <= progress <= 100):
        return None
    if type(raw_date) is not str or len(raw_date) != 10 or raw_date[4] + raw_date[7] != "--":
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
