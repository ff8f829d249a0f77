"""The ledger as the state is built from it: each task's latest report of each unit (and of
the office), with the review events and earlier reports the 办结审核 rule reads.

What :func:`taskctl.tracking.task_states` reads; the derived state itself is computed there.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from taskctl.progress.entry import (
    DONE,
    Entry,
    Warn,
)
from taskctl.progress.store import (
    _EXTEND,
    _PART,
    _PERIOD,
    _REPLY,
    _REVIEW,
    _later,
    _merged_records,
    _order,
    _rebuild,
    _Records,
    log_files,
    read_log,
)

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
    """The merged log as the reports ask it: each task's latest reports as of a day, the entries
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
        return self._pick(
            lambda r: low <= r[1] <= high and r[0] in wanted and not (r[_REVIEW] or r[_EXTEND])
        )

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
            if task_id in wanted and date <= as_of:
                first[task_id] = min(date, first.get(task_id, date))
        return first


def read_view(path: Path, warn: Warn | None = None) -> LogView:
    """The log at ``path`` (a file or a folder) as a :class:`LogView`: what :func:`read_log`
    reads, with the records of a single cached file left unbuilt until asked for."""
    files = log_files(path)
    if len(files) != 1:
        return LogView(read_log(path, warn))
    return LogView(_merged_records(files[0], warn), str(files[0]))


def _report_records(
    records: Iterable[tuple[Any, ...]], as_of: _dt.date, source: str
) -> ReportsByTask:
    """:func:`reports_of` the entries of cached ``records``, building only the chosen ones.

    The records are merged (one report per 序号, 日期, 填报人 and 分项) and sorted by 序号 and
    日期 (see :class:`_Records`): a (填报人, 分项)'s latest report up to the day is its last."""
    limit = as_of.toordinal()
    chosen: dict[tuple[int, str, int], tuple[Any, ...]] = {}
    records = records if isinstance(records, list) else list(records)
    for record in records:  # (序号, 日期, 状态, 进度, 说明, 填报人, 记录时间 …): see _flat
        if record[1] > limit or record[_REVIEW] or record[_EXTEND]:  # a review or 延期 request
            continue  # (the records hold no revocation: see _merged_records)
        chosen[(record[0], record[5], record[_PART])] = record
    reports: ReportsByTask = {}
    for entry in _rebuild(list(chosen.values()), source):
        mine = reports.get(entry.id)
        if mine is None:
            reports[entry.id] = {(entry.by, entry.part): entry}
        else:
            mine[(entry.by, entry.part)] = entry
    needed = {(i, by) for i, mine in reports.items() for by, e in mine.items() if e.status == DONE}
    ids = {i for i, _ in needed}
    if not needed and not any(r[_REVIEW] or r[_EXTEND] for r in records):
        return reports
    wanted = [r for r in records if r[_REVIEW] or r[_EXTEND] or (r[0] in ids and r[2] != DONE)]
    return _with_reviews(reports, _rebuild(wanted, source), as_of)


def history(entries: Sequence[Entry], task_id: int) -> list[Entry]:
    """One task's entries, oldest first."""
    return [entry for entry in entries if entry.id == task_id]
