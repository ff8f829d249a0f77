"""办结审核: a unit's 已完成 is a request the office reviews, and 延期 a request it approves.

Every step is a record in the progress log (see docs/progress.md, 办结审核与延期):

* A unit reports 已完成 (``update`` or a reply): its part is **待审核**. Until the office reviews
  it the part shows the unit's last report that was not 已完成 (序时推进 when there is none), so
  lights, 超期 and statistics count it as not done; the flag 待审核 says why.
* ``review --approve`` (销号) makes the part 已完成; ``review --return REASON`` (退回) leaves it
  as it was before the request, with the reason, until the unit reports again;
  ``review --reopen REASON`` (回访) turns a closed part back the same way.
* ``update --extend DATE`` asks for a new 完成时限 (延期); once approved (准予延期) it is the task's
  完成时限, the list's date kept as the original. A request dated after the 完成时限 then in force
  is flagged 逾期申请.

A list whose ``办结审核`` is ``false`` takes a unit's 已完成 as it comes (no 待审核); 回访 and
延期 still apply. The office's own 已完成 (a 填报人 who is none of the task's units) is never a
request.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, InputError
from taskctl.model import TaskList
from taskctl.names import normalize
from taskctl.progress import DONE, ON_TRACK, Entry, Reports

SETTING = "办结审核"
APPROVE, RETURN, REOPEN, GRANT, DENY = "销号", "退回", "回访", "准予延期", "不予延期"
KINDS = (APPROVE, RETURN, REOPEN, GRANT, DENY)
PENDING, CLOSED = "待审核", "已销号"
LATE = "逾期申请"
EXTEND_REQUEST = "延期申请"
EVIDENCE_FOLDER = "佐证材料"


def enabled(tasklist: TaskList) -> bool:
    """Whether the list's 办结审核 is on (the default); anything but true/false is refused."""
    settings = tasklist.settings if isinstance(tasklist.settings, Mapping) else {}
    value = settings.get(SETTING, True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise InputError(
            f"清单的「{SETTING}」应为 true（审核办结）或 false（不审核），得到「{value}」"
        )
    return value


@dataclass(frozen=True)
class Flag:
    """Where a unit's part stands in the review: 待审核, 退回, 回访 or 已销号, and why."""

    word: str
    request: Entry  # the 已完成 report it is about
    review: Entry | None = None  # the review that made it so (none: 待审核)

    @property
    def reason(self) -> str:
        return self.review.note if self.review is not None else ""

    def to_record(self) -> dict[str, Any]:
        review = self.review
        return {
            "review": self.word,
            "requested": self.request.date.isoformat(),
            "reviewed": review.date.isoformat() if review else None,
            "reviewer": review.by if review else "",
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Extension:
    """A 延期 request and what became of it."""

    request: Entry
    review: Entry | None
    late: bool  # asked after the 完成时限 then in force: 逾期申请

    @property
    def granted(self) -> bool:
        return self.review is not None and self.review.review == GRANT

    @property
    def word(self) -> str:
        return self.review.review if self.review is not None else PENDING

    def to_record(self) -> dict[str, Any]:
        return {
            "unit": self.request.by,
            "requested": self.request.date.isoformat(),
            "deadline": self.request.extend,
            "reason": self.request.note,
            "late": self.late,
            "review": self.word,
            "reviewed": self.review.date.isoformat() if self.review else None,
        }


@dataclass(frozen=True)
class TaskReview:
    """What the review rule makes of one task's reports (see the module docstring)."""

    reports: Mapping[tuple[str, int], Entry]  # each (填报人, 分项)'s report as it counts
    flags: Mapping[str, Flag] = field(default_factory=dict)  # by normalized unit
    deadline: _dt.date | None = None  # the effective 完成时限 (None: the list's)
    extensions: tuple[Extension, ...] = ()
    # every (unit, flag) of each 分项, the pressing one or not: what ``review`` can answer
    requests: tuple[tuple[str, Flag], ...] = ()


def _answers(events: Sequence[Entry], request: Entry, kinds: Iterable[str]) -> Entry | None:
    wanted = set(kinds)
    found = [e for e in events if e.answers == request.uid and e.review in wanted]
    return found[-1] if found else None  # events are in order of 日期, 记录时间


def _open(report: Entry, earlier: Entry | None) -> Entry:
    """The report standing for a part whose 已完成 does not count: the unit's last report that
    was not 已完成, dated as the request (it is no stale part)."""
    if earlier is None:
        return replace(report, status=ON_TRACK, progress=None)
    return replace(report, status=earlier.status, progress=earlier.progress)


_RANK = {RETURN: 0, REOPEN: 1, PENDING: 2, CLOSED: 3}


def _pressing(flag: Flag) -> tuple[int, _dt.date, _dt.datetime]:
    """Which of a unit's flags on several 分项 it is shown by: 退回, 回访, 待审核, then 已销号;
    of two alike, the older request."""
    request = flag.request
    return (_RANK.get(flag.word, 3), request.date, request.recorded_at or _EARLIEST)


def task_review(
    held: Mapping[tuple[str, int], Entry],
    units: Iterable[str],
    deadline: _dt.date,
    review_on: bool,
) -> TaskReview:
    """The rule for one task: ``held`` is each (填报人, 分项)'s latest report (a
    :class:`Reports` carries the task's events and earlier reports), ``units`` the task's
    units (normalized names), ``deadline`` the list's 完成时限. A unit with 已完成 on several
    分项 of an item is flagged by the most pressing (退回, 回访, 待审核 before 已销号)."""
    events = held.events if isinstance(held, Reports) else ()
    earlier = held.earlier if isinstance(held, Reports) else {}
    members = set(units)
    reports = dict(held)
    flags: dict[str, Flag] = {}
    requests: list[tuple[str, Flag]] = []
    for key, report in held.items():
        name = normalize(key[0])
        if report.status != DONE or name not in members:
            continue
        review = _answers(events, report, (APPROVE, RETURN, REOPEN))
        flag = None
        if review is None:
            if review_on:
                flag = Flag(PENDING, report)
                reports[key] = _open(report, earlier.get(key))
        elif review.review == APPROVE:
            flag = Flag(CLOSED, report, review)
        else:
            flag = Flag(review.review, report, review)
            reports[key] = _open(report, earlier.get(key))
        if flag is not None:
            requests.append((name, flag))
        if flag is not None and (name not in flags or _pressing(flag) < _pressing(flags[name])):
            flags[name] = flag
    extensions = []
    effective = deadline
    for request in (e for e in events if e.extend):
        answer = _answers(events, request, (GRANT, DENY))
        extension = Extension(request, answer, request.date > effective)
        extensions.append(extension)
        if extension.granted:
            effective = _dt.date.fromisoformat(request.extend)
    return TaskReview(
        reports,
        flags,
        effective if effective != deadline else None,
        tuple(extensions),
        tuple(requests),
    )


# --- the review command's choices -------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A request waiting for the office: a unit's 已完成 or a 延期 request."""

    unit: str
    request: Entry

    @property
    def what(self) -> str:
        return f"延期至 {self.request.extend}" if self.request.extend else "办结（已完成）"


def pending(review: TaskReview, unit_of: Mapping[str, str]) -> list[Pending]:
    """The task's requests not yet reviewed, oldest first (``unit_of``: 填报人 → unit); a
    unit's 已完成 on one 分项 waits even while another of its 分项 is 退回 or 回访."""
    found = [Pending(unit, flag.request) for unit, flag in review.requests if flag.word == PENDING]
    found += [
        Pending(unit_of.get(normalize(x.request.by), normalize(x.request.by)), x.request)
        for x in review.extensions
        if x.review is None
    ]
    return sorted(found, key=lambda p: (p.request.date, p.request.recorded_at or _EARLIEST))


def closed(
    review: TaskReview, held: Mapping[tuple[str, int], Entry], units: Iterable[str]
) -> list[Pending]:
    """The parts that count as 已完成 (销号, or reported where nothing is reviewed): what
    回访 can reopen."""
    members = set(units)
    found = []
    for key, report in review.reports.items():
        name = normalize(key[0])
        if report.status == DONE and name in members:
            found.append(Pending(name, held[key]))
    return found


_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def choose(candidates: Sequence[Pending], unit: str | None, what: str, task_id: int) -> Pending:
    """The one request to review: the unit's when ``unit`` is named, else the only one; when
    a unit has several, the oldest. Nothing to review is an error."""
    if unit is not None:
        wanted = normalize(unit)
        mine = [c for c in candidates if c.unit == wanted]
        if not mine:
            held = "、".join(dict.fromkeys(c.unit for c in candidates)) or "无"
            raise InputError(f"序号 {task_id} 中 {unit} 没有{what}（{what}的单位：{held}）")
        return mine[0]
    if not candidates:
        raise InputError(f"序号 {task_id} 没有{what}")
    units = list(dict.fromkeys(c.unit for c in candidates))
    if len(units) > 1:
        raise InputError(
            f"序号 {task_id} 有 {len(units)} 个单位{what}（{'、'.join(units)}）：请用 --unit 指明"
        )
    return candidates[0]


def review_entry(
    target: Pending,
    kind: str,
    *,
    reason: str = "",
    by: str,
    date: _dt.date,
    recorded_at: _dt.datetime,
) -> Entry:
    """The record of a review: it names the request it answers (针对) and the unit (审核单位)."""
    if kind in (RETURN, REOPEN, DENY) and not reason.strip():
        raise InputError(f"{kind}须写明原因")
    if date < target.request.date:
        raise InputError(
            f"审核日期 {date.isoformat()} 早于所审核的申请（{target.request.date.isoformat()}）"
        )
    return Entry(
        target.request.id,
        date,
        "",
        note=reason.strip(),
        by=by,
        recorded_at=recorded_at,
        review=kind,
        unit=target.unit,
        answers=target.request.uid,
    )


# --- events for 考评 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEvent:
    """One review event of a unit: 销号, 退回, 回访, 准予延期, 不予延期 or 逾期申请."""

    task_id: int
    unit: str
    kind: str
    date: _dt.date
    by: str
    note: str


def review_events(
    entries: Iterable[Entry], tasklist: TaskList | None = None
) -> dict[str, list[ReviewEvent]]:
    """Each unit's review events (normalized name → events in date order), from the log's
    entries (revocations already applied: :func:`taskctl.progress.effective`). A 延期 request
    made after the 完成时限 then in force counts as 逾期申请 on its own date (needs
    ``tasklist`` for the 完成时限)."""
    from taskctl.progress import reports_of

    entries = list(entries)
    events = [e for e in entries if e.is_event and not e.revokes]
    requests = {e.uid: e for e in events if e.extend}
    found: dict[str, list[ReviewEvent]] = {}

    def add(task_id: int, unit: str, kind: str, entry: Entry) -> None:
        found.setdefault(normalize(unit), []).append(
            ReviewEvent(task_id, normalize(unit), kind, entry.date, entry.by, entry.note)
        )

    for event in events:
        if event.review in (APPROVE, RETURN, REOPEN):
            add(event.id, event.unit, event.review, event)
        elif event.review in (GRANT, DENY):
            request = requests.get(event.answers)
            add(event.id, request.by if request else event.unit, event.review, event)
    if tasklist is not None:
        last_day = max((e.date for e in entries), default=_dt.date.min)
        for task_id, held in reports_of(entries, last_day).items():
            if not isinstance(held, Reports) or not any(e.extend for e in held.events):
                continue
            task = next((t for t in tasklist.tasks if t.id == task_id), None)
            if task is None:
                continue
            deadline = (
                task.deadline or tasklist.default_deadline() or _dt.date(last_day.year, 12, 31)
            )
            review = task_review(held, (), deadline, False)
            for extension in review.extensions:
                if extension.late:
                    add(task_id, extension.request.by, LATE, extension.request)
    for unit_events in found.values():
        unit_events.sort(key=lambda e: (e.date, e.task_id))
    return found


# --- 佐证材料 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A 佐证材料 file read and checked before anything is written."""

    source: Path
    data: bytes

    @property
    def sha256(self) -> str:
        import hashlib  # here: loading OpenSSL would cost every query a few milliseconds

        return hashlib.sha256(self.data).hexdigest()


def read_evidence(paths: Iterable[str | os.PathLike[str]]) -> list[Evidence]:
    """Each file read whole: one that is missing, not a file or unreadable refuses the lot."""
    from taskctl.fsutil import read_regular

    found = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"佐证材料 {path} 不存在，未写入任何内容")
        try:
            found.append(Evidence(path, read_regular(path)))
        except DataFileError as exc:
            raise InputError(f"佐证材料 {path} 无法读取（{exc.message}），未写入任何内容") from None
        except OSError as exc:
            raise InputError(
                f"佐证材料 {path} 无法读取（{exc.strerror}），未写入任何内容"
            ) from None
    return found


def evidence_folder(ledger: Path) -> Path:
    """Where copies are kept: ``佐证材料/`` beside the ledger file, or inside a ledger folder."""
    return (ledger if ledger.is_dir() else ledger.parent) / EVIDENCE_FOLDER


def store_evidence(
    ledger: Path, files: Sequence[Evidence], task_id: int, unit: str
) -> tuple[tuple[str, int, str], ...]:
    """Copy each file into the evidence folder under a name never used before
    (``序号-单位-名字``, ``-2``, ``-3`` … when taken; the same content already kept under that
    name is not copied twice) and give (file, size, sha256) as the entry records them, the file
    relative to the ledger's folder. Nothing existing is overwritten."""
    from taskctl.fsutil import atomic_write, locked

    if not files:
        return ()
    folder = evidence_folder(ledger)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise DataFileError(folder, f"无法新建文件夹（{exc.strerror}），未写入任何内容") from None
    safe_unit = re.sub(r'[\s\\/:*?"<>|]+', "_", unit).strip("._") or "单位"
    kept = []
    with locked(folder / ".lock"):
        for item in files:
            stem, suffix = os.path.splitext(item.source.name)
            stem = re.sub(r'[\\/:*?"<>|]+', "_", stem) or "材料"
            number = 1
            while True:
                name = f"{task_id}-{safe_unit}-{stem}{'' if number == 1 else f'-{number}'}{suffix}"
                target = folder / name
                if not target.exists():
                    atomic_write(target, item.data, lock=False)
                    break
                if target.is_file() and _digest(target) == item.sha256:
                    break
                number += 1
            kept.append((f"{EVIDENCE_FOLDER}/{name}", len(item.data), item.sha256))
    return tuple(dict.fromkeys(kept))  # a file named twice is recorded once


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe(entry: Entry) -> str:
    """An event as ``history`` lists it in the 状态 column: 申请延期至 …, 销号（住建局）…"""
    if entry.extend:
        return f"申请延期至 {entry.extend}"
    return f"{entry.review}（{entry.unit}）" if entry.unit else entry.review


def flag_text(flag: Flag) -> str:
    """A part's place in the review in one line, as ``show`` and the report give it."""
    request = flag.request
    text = f"{flag.word}（{request.date.isoformat()} 申请办结"
    review = flag.review
    if review is not None and flag.word != PENDING:
        text += f"，{review.date.isoformat()} {review.by or '督查室'}{flag.word}"
    text += "）"
    return text + (f"：{flag.reason}" if flag.reason else "")
