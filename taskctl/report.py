"""The 通报 (weekly, monthly … report): its content as data, and renderers for Markdown, text,
JSON and HTML.

:func:`build_report` gathers the figures; :func:`outline` lays them out as a 通报 publishes
them (masthead with 期号, 主送, 一、总体情况 二、进展较好 三、存在问题 四、下步要求, 落款, then the
附件 tables) or as the one-page 专报; :func:`render` turns that into text. The HTML page is
self-contained (inline CSS, no scripts, no external files).
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from taskctl.errors import DataFileError, InputError
from taskctl.model import Task, TaskList
from taskctl.names import normalize
from taskctl.period import parse_week
from taskctl.progress import DONE, Entry, LogView
from taskctl.tracking import (
    LIGHTS,
    STALE_DAYS,
    TaskState,
    dept_rows,
    group_states,
    group_stats,
    task_states,
)

REPORT_FORMATS = ("markdown", "text", "json", "html")
STATUS_KEYS = {"未启动": "not_started", "序时推进": "on_track", "滞后": "behind", "已完成": "done"}
LIGHT_KEYS = {"红": "red", "黄": "yellow", "绿": "green"}
SHORT = 28


def parse_month(text: str) -> tuple[_dt.date, _dt.date]:
    """A month such as ``2023-06`` (or ``2023年6月``) to its first and last day."""
    match = re.fullmatch(r"\s*(\d{4})(?:-|年|/)?(\d{1,2})月?\s*", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"月份「{text}」应写成 2023-06")
    year, month = int(match.group(1)), int(match.group(2))
    first = _dt.date(year, month, 1)
    following = _dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - _dt.timedelta(days=1)


def parse_quarter(text: str) -> tuple[_dt.date, _dt.date]:
    """A quarter such as ``2023Q2`` (or ``2023-Q2``) to its first and last day."""
    match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text)
    if not match:
        raise InputError(f"季度「{text}」应写成 2023Q2（Q1–Q4）")
    year, quarter = int(match.group(1)), int(match.group(2))
    first = _dt.date(year, 3 * quarter - 2, 1)
    return first, parse_month(f"{year}-{3 * quarter:02d}")[1]


def parse_year(text: str) -> tuple[_dt.date, _dt.date]:
    """A year such as ``2023`` to 1 January and 31 December."""
    match = re.fullmatch(r"\s*(\d{4})年?\s*", text)
    if not match:
        raise InputError(f"年份「{text}」应写成 2023")
    year = int(match.group(1))
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


# The cadences the office keeps (周调度、月通报、季推进、年考评) and an arbitrary span.
KINDS = ("week", "month", "quarter", "year", "range")
PARSERS = {"week": parse_week, "month": parse_month, "quarter": parse_quarter, "year": parse_year}
OPTIONS = {"week": "--week", "month": "--month", "quarter": "--quarter", "year": "--year"}


def period_name(kind: str, since: _dt.date, until: _dt.date) -> str:
    """What the title calls the report: 进度周报, 2023年6月进度月报, 2023年第二季度通报,
    2023年度总结, or 进度通报 for an arbitrary span."""
    if kind == "week":
        return "进度周报"
    if kind == "month":
        return f"{since.year}年{since.month}月进度月报"
    if kind == "quarter":
        return f"{since.year}年第{'一二三四'[(since.month - 1) // 3]}季度通报"
    if kind == "year":
        return f"{since.year}年度总结"
    return "进度通报"


def period(
    as_of: _dt.date | None,
    *,
    week: str | None = None,
    month: str | None = None,
    quarter: str | None = None,
    year: str | None = None,
    since: _dt.date | None = None,
    until: _dt.date | None = None,
    today: _dt.date | None = None,
) -> tuple[_dt.date, _dt.date, _dt.date, str]:
    """(since, until, as_of, kind): one of ``--week``/``--month``/``--quarter``/``--year``, or
    ``--since``/``--until`` (kind ``range``), else the 7 days ending at the as-of date (kind
    ``week``); the as-of date defaults to the period's last day, or today for a period not
    over yet."""
    given = {
        kind: text
        for kind, text in (("week", week), ("month", month), ("quarter", quarter), ("year", year))
        if text
    }
    if len(given) > 1 or (given and (since or until)):
        chosen = [OPTIONS[k] for k in given] + (["--since/--until"] if since or until else [])
        raise InputError(f"{' 与 '.join(chosen)} 只能选一种")
    if given:
        ((kind, text),) = given.items()
        first, last = PARSERS[kind](text)
        # a period not over yet is reported as it stands today, not as of its last day
        return first, last, as_of or min(last, today or _dt.date.today()), kind
    first, last, day = window(as_of, None, since, until, today)
    return first, last, day, "range" if since or until else "week"


def window(
    as_of: _dt.date | None,
    week: str | None = None,
    since: _dt.date | None = None,
    until: _dt.date | None = None,
    today: _dt.date | None = None,
) -> tuple[_dt.date, _dt.date, _dt.date]:
    """(since, until, as_of): ``--week``, or ``--since``/``--until``, else the 7 days ending at
    the as-of date; the as-of date defaults to the window's last day, else today."""
    if week and (since or until):
        raise InputError("--week 与 --since/--until 只能选一种")
    if week:
        since, until = parse_week(week)
    elif since or until:
        if until is None:
            until = as_of or today or _dt.date.today()
        if since is None:
            since = until - _dt.timedelta(days=6)
    else:
        until = as_of or today or _dt.date.today()
        since = until - _dt.timedelta(days=6)
    if since > until:
        raise InputError(f"统计区间的起点 {since} 晚于终点 {until}")
    return since, until, as_of or until


def _short(text: str, width: int = SHORT) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if isinstance(value, float) else f"{value}%"


def _task_brief(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "text": task.text,
        "leaders": [normalize(n) for n in task.leaders],
        "lead_departments": [normalize(n) for n in task.lead_departments],
    }


def build_report(
    tasklist: TaskList,
    entries: Sequence[Entry] | LogView,
    *,
    since: _dt.date,
    until: _dt.date,
    as_of: _dt.date,
    tasks: Sequence[Task] | None = None,
    scope: str = "全部任务",
    stale_days: int = STALE_DAYS,
    kind: str = "week",
    submissions: tuple[str, Sequence[str], Sequence[str]] | None = None,
    refused: Sequence[dict[str, Any]] = (),
    detail: bool = True,
    issue: int | None = None,
    today: _dt.date | None = None,
    reply_status: Sequence[Any] = (),
) -> dict[str, Any]:
    """The content of the report as JSON-ready data (stable English keys).

    ``kind`` (see :data:`KINDS`) names it in the title; the year report (``year``) adds
    ``ranking``: per 牵头部门 and per 责任领导, completion and timeliness, ranked.
    ``submissions`` is (period, units reported, units owing) of a collection round, for the
    报送情况 section (see :func:`taskctl.collect.submissions`); without it there is none.
    ``refused`` lists the replies ``collect`` sent back for that period (``file``, ``unit``,
    ``problems``), named in the same section; ``reply_status`` each unit's
    :class:`taskctl.collect.ReplyStatus` for that period (按时/迟报/未报, what 考评 counts),
    kept as ``due``, ``on_time``, ``late`` and ``missing``. ``detail=False``: past
    :data:`LISTING_LIMIT` 久未填报 tasks, the groups of ``stale`` keep their counts
    but not each task (what the rendered report shows; the JSON has them all).

    The 通报's own parts: ``issue_number`` (``issue``, else :func:`issue_number`), the
    ``masthead``, ``office`` and ``recipients`` of the list's setting 通报 (see
    :func:`notice_settings`), ``date`` (成文日期: the day after the as-of date, or ``today``
    when that is earlier) and the title ``heading``."""
    if kind not in KINDS:
        raise InputError(f"报告周期应为 {'、'.join(KINDS)} 之一，得到「{kind}」")
    log = entries if isinstance(entries, LogView) else LogView.of(entries)
    tasks = list(tasklist.tasks if tasks is None else tasks)
    ids = {task.id for task in tasks}
    now = task_states(tasklist, log, as_of, stale_days=stale_days, tasks=tasks)
    # The state the day before the period, for what changed in it: only a task now 已完成 or
    # behind can be newly so.
    candidates = [s.task for s in now if s.status == DONE or s.behind]
    day_before = since - _dt.timedelta(days=1)
    before = {
        s.task.id: s
        for s in task_states(
            tasklist,
            log,
            day_before,
            stale_days=stale_days,
            tasks=candidates,
        )
    }
    by_section, total = group_stats(now, "section", tasklist)
    in_window = log.between(since, min(until, as_of), ids)
    in_window.sort(key=lambda e: (e.date, e.id))
    texts = {task.id: task.text for task in tasks}

    red = [state for state in now if state.light == LIGHTS[0]]
    # 久未填报 per unit: a 牵头 unit whose own part is not reported (another may have been)
    stale_parts = {s.task.id: [(u, p) for u, p in _lead_parts(s) if p.stale] for s in now}
    stale = [state for state in now if stale_parts[state.task.id]]
    listed = detail or len(stale) <= LISTING_LIMIT
    stale_groups: dict[str, dict[str, Any]] = {}
    for state in stale:
        for dept, part in stale_parts[state.task.id]:
            item = listed and {
                **_task_brief(state.task),
                "status": part.status,
                "updated": part.updated.isoformat() if part.updated else None,
                "days_since_report": part.days_since_report,
            }
            group = stale_groups.get(dept)
            if group is None:
                group = stale_groups[dept] = {
                    "department": dept,
                    "count": 0,
                    "never_reported": 0,
                    "tasks": [],
                }
            group["count"] += 1
            group["never_reported"] += part.updated is None
            if item:
                group["tasks"].append(item)

    masthead, office, recipients = notice_settings(tasklist)
    if issue is not None and issue < 1:
        raise InputError(f"期号应为正整数，得到 {issue}")
    today = today or _dt.date.today()
    report: dict[str, Any] = {
        "title": f"{tasklist.title or '任务清单'} {period_name(kind, since, until)}",
        "heading": f"关于{_topic(tasklist.title, kind)}的通报",
        "masthead": masthead,
        "issue_number": issue or issue_number(kind, since, until, tasklist.year),
        "office": office,
        "recipients": recipients,
        "date": min(_day_after(as_of), max(today, as_of)).isoformat(),
        "kind": kind,
        "scope": scope,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "as_of": as_of.isoformat(),
        "stale_days": stale_days,
        "headline": {
            "tasks": total.tasks,
            "statuses": {STATUS_KEYS[k]: v for k, v in total.statuses.items()},
            "lights": {LIGHT_KEYS[k]: v for k, v in total.lights.items()},
            "completion_rate": round(total.completion_rate, 1),
            "overdue": total.overdue,
            "entries_in_window": len(in_window),
            "tasks_reported_in_window": len({e.id for e in in_window}),
            "stale": len(stale),
        },
        "new_entries": [{**e.to_record(), "text": texts[e.id]} for e in in_window],
        "newly_completed": [
            {**_task_brief(s.task), "date": s.updated.isoformat() if s.updated else None}
            for s in now
            if s.status == DONE and before[s.task.id].status != DONE
        ],
        "newly_behind": [
            {**_task_brief(s.task), "units": _units_behind(s), "reason": s.reason}
            for s in now
            if s.behind and not before[s.task.id].behind
        ],
        "red": [
            {
                **_task_brief(s.task),
                "units": _units_behind(s),
                **{k: v for k, v in s.to_record().items() if k not in ("behind", "stale")},
                "reason": s.reason,
            }
            for s in red
        ]
        if detail or len(red) <= LISTING_LIMIT
        else [],
        "red_by_unit": _per_unit(red),
        "disputed": [
            {
                **_task_brief(s.task),
                "units": [
                    {
                        "unit": p.unit,
                        "status": "已完成（待审核）" if p.review_word == "待审核" else p.status,
                        "progress": None if p.review_word == "待审核" else p.progress,
                    }
                    for p in s.lead_parts
                ],
            }
            for s in now
            if s.disputed
        ],
        "good_units": _good_units(now),
        "stale": sorted(stale_groups.values(), key=lambda group: -group["count"]),
        "by_section": [row.to_record() for row in by_section],
        "by_leader": [row.to_record() for row in group_stats(now, "leader", tasklist)[0]],
    }
    if submissions is not None:
        label, reported, owed = submissions
        report["submissions"] = {
            "period": label,
            "reported": list(reported),
            "owed": list(owed),
            "refused": [dict(r) for r in refused],
        }
        if reply_status:
            records = [status.to_record() for status in reply_status]
            report["submissions"].update(
                {
                    "due": records[0]["due"],
                    "on_time": [r for r in records if r["status"] == "按时"],
                    "late": [r for r in records if r["status"] == "迟报"],
                    "missing": [r for r in records if r["status"] == "未报"],
                }
            )
    review = review_data(now, yearly=kind == "year")
    if review is not None:
        report["review"] = review
    if kind == "year":
        done_on = log.first_done(ids, as_of)
        report["ranking"] = {
            by: _ranking(group_states(now, by, tasklist), done_on) for by in ("dept", "leader")
        }
    return report


def _day_after(day: _dt.date) -> _dt.date:
    """The next day (the last day the calendar has, itself)."""
    return day if day == _dt.date.max else day + _dt.timedelta(days=1)


def _topic(title: str, kind: str) -> str:
    """What the 通报 is about: the list's title less 分解清单 or 清单, and 推进情况 (完成情况
    for the year): 2023年《政府工作报告》工作任务推进情况."""
    subject = re.sub(r"(分解)?清单$", "", (title or "").strip()) or "重点任务"
    return subject + ("完成情况" if kind == "year" else "推进情况")


def issue_number(kind: str, since: _dt.date, until: _dt.date, year: int | None) -> int:
    """期号, counted per year and cadence from the list's year (else the period's): the week
    report for ISO week k is 第k期, the month report for month m 第m期, the quarter report
    for quarter q 第q期, the year report 第1期; a period past the list's year goes on
    counting (2024-W02 for a 2023 list is 第54期 when 2023 has 52 weeks). An arbitrary span
    is numbered as the week report of the week holding its last day."""
    year = year or until.year
    if kind == "year":
        return max(1, since.year - year + 1)
    if kind in ("month", "quarter"):
        months = (since.year - year) * 12 + since.month
        number = months if kind == "month" else (months + 2) // 3
        return (
            number if number >= 1 else (since.month if kind == "month" else (since.month + 2) // 3)
        )
    day = until if kind == "range" else since
    monday = day - _dt.timedelta(days=day.weekday())
    first = _dt.date.fromisocalendar(year, 1, 1)
    number = (monday - first).days // 7 + 1
    return number if number >= 1 else day.isocalendar()[1]


NOTICE_KEY = "通报"
NOTICE_FIELDS = ("刊头", "发文机关", "主送")


def notice_settings(tasklist: TaskList) -> tuple[str, str, list[str]]:
    """(刊头, 发文机关, 主送) from the list's setting 通报, e.g.
    ``通报: {刊头: 督查通报, 发文机关: 台安县人民政府督查室, 主送: [各镇街道, 县直各部门]}``.
    Defaults: 督查通报; 「<县名>人民政府督查室」 when the list's title begins with the name of
    a county, city or district (台安县2023年… → 台安县人民政府督查室), else 督查室; 各责任单位.
    A value of the wrong kind is a :class:`DataFileError` naming the key."""
    match = re.match(r"\s*([\u4e00-\u9fff]{1,8}?[县市区旗])", tasklist.title or "")
    office = f"{match.group(1)}人民政府督查室" if match else "督查室"
    values: dict[str, Any] = {"刊头": "督查通报", "发文机关": office, "主送": ["各责任单位"]}
    raw = tasklist.settings.get(NOTICE_KEY)
    where = tasklist.source or "清单"
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise DataFileError(
            where, f"设置「{NOTICE_KEY}」应为 {'、'.join(NOTICE_FIELDS)} 的映射，得到「{raw}」"
        )
    for key, value in raw.items():
        name = f"{NOTICE_KEY}.{key}"
        if key not in NOTICE_FIELDS:
            raise DataFileError(
                where, f"设置「{name}」不认识：「{NOTICE_KEY}」下应为 {'、'.join(NOTICE_FIELDS)}"
            )
        if key == "主送" and isinstance(value, list):
            if not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise DataFileError(where, f"设置「{name}」应为一个或几个单位名称，得到「{value}」")
            values[key] = [v.strip() for v in value]
        elif isinstance(value, str) and value.strip():
            values[key] = [value.strip()] if key == "主送" else value.strip()
        else:
            raise DataFileError(where, f"设置「{name}」应为文字，得到「{value}」")
    return values["刊头"], values["发文机关"], values["主送"]


@functools.lru_cache(maxsize=4096)
def _lead_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """Each name normalized, each once, （未填写） when there is none (a city's list repeats
    a few thousand tuples)."""
    return tuple(dict.fromkeys(normalize(n) for n in names)) or ("（未填写）",)


def review_data(states: Sequence[TaskState], yearly: bool = False) -> dict[str, Any] | None:
    """办结审核 in the report (see taskctl.review): the parts 待审核 and 退回 as of the day, each
    with its unit, dates and reason; with ``yearly`` also per unit how many parts are 已销号,
    待审核, 退回. ``None`` when there is nothing to show (none 待审核 or 退回, or in the year
    report no part that has been through the review)."""
    from taskctl.review import CLOSED, PENDING, RETURN

    items: list[tuple[TaskState, Any]] = []
    asked: list[dict[str, Any]] = []  # 延期 requests not yet reviewed
    for state in states:
        if state.review is not None and state.review.flags:
            items += [(state, f) for p in state.parts if (f := p.flag) is not None]
        if state.review is not None:
            asked += [
                {**_task_brief(state.task), **x.to_record()}
                for x in state.review.extensions
                if x.review is None
            ]
    if not items and not asked:
        return None

    def row(state: TaskState, flag: Any) -> dict[str, Any]:
        return {**_task_brief(state.task), "unit": _unit_of(state, flag), **flag.to_record()}

    data: dict[str, Any] = {
        "pending": [row(s, f) for s, f in items if f.word == PENDING],
        "returned": [row(s, f) for s, f in items if f.word == RETURN],
    }
    if asked:
        data["extensions"] = asked
    if not yearly and not data["pending"] and not data["returned"] and not asked:
        return None  # all 销号: nothing for the office to act on
    if yearly:
        counts: dict[str, dict[str, int]] = {}
        for state, flag in items:
            held = counts.setdefault(_unit_of(state, flag), {CLOSED: 0, PENDING: 0, RETURN: 0})
            if flag.word in held:
                held[flag.word] += 1
        data["by_unit"] = [
            {"unit": unit, "closed": c[CLOSED], "pending": c[PENDING], "returned": c[RETURN]}
            for unit, c in counts.items()
        ]
    return data


def _unit_of(state: TaskState, flag: Any) -> str:
    return next((p.unit for p in state.parts if p.flag is flag), normalize(flag.request.by))


def _units_behind(state: TaskState) -> list[str]:
    """The unit(s) named for a lagging task, everywhere the 通报 names them (存在问题, 附件1,
    the counts per unit): the 牵头 units whose own part is behind (each unit answers for its
    own part; the others are not blamed), else (a task no named unit can answer for) the
    牵头部门 as written, （未填写） when there is none."""
    return list(state.behind_units) or list(_lead_names(state.task.lead_departments))


def _lead_parts(state: TaskState) -> list[tuple[str, TaskState]]:
    """(unit, its own part) for each 牵头 unit of the task; a task no named unit can answer
    for under its 牵头部门 as written, with the task's state."""
    return list(dept_rows([state]))


def _per_unit(states: Sequence[TaskState]) -> list[dict[str, Any]]:
    """Per unit behind (a task with two counts for both): how many of ``states``, and how
    many of those are past their 完成时限; most first."""
    counts: dict[str, list[int]] = {}
    for state in states:
        for dept in _units_behind(state):
            row = counts.setdefault(dept, [0, 0])
            row[0] += 1
            row[1] += state.overdue
    rows = [{"department": d, "count": n, "overdue": late} for d, (n, late) in counts.items()]
    return sorted(rows, key=lambda row: -row["count"])


def _good_units(states: Sequence[TaskState]) -> list[dict[str, Any]]:
    """进展较好: the units that lead tasks, none of their own parts 红灯 or 久未填报; most
    completed first, then most tasks."""
    led: dict[str, list[int]] = {}
    bad: set[str] = set()
    for state in states:
        for unit, part in _lead_parts(state):
            row = led.setdefault(unit, [0, 0])
            row[0] += 1
            row[1] += part.status == DONE
            if part.stale or part.light == LIGHTS[0]:
                bad.add(unit)
    bad.add("（未填写）")
    rows = [{"unit": u, "tasks": n, "done": d} for u, (n, d) in led.items() if u not in bad]
    return sorted(rows, key=lambda r: (-r["done"] / r["tasks"], -r["tasks"]))


def _ranking(
    groups: dict[str, list[TaskState]], done_on: dict[int, _dt.date]
) -> list[dict[str, Any]]:
    """Per group: tasks, 已完成, 完成率, 按时完成 (by its 完成时限), 按时完成率 and 超期未完成,
    ranked by 完成率, then 按时完成率, then fewest overdue; equal figures share a rank."""
    rows = []
    for name, members in groups.items():
        done = [s for s in members if s.status == DONE]
        on_time = [s for s in done if done_on.get(s.task.id, s.deadline) <= s.deadline]
        tasks = len(members)
        rows.append(
            {
                "group": name,
                "tasks": tasks,
                "done": len(done),
                "completion_rate": round(100.0 * len(done) / tasks, 1),
                "on_time": len(on_time),
                "on_time_rate": round(100.0 * len(on_time) / tasks, 1),
                "overdue": sum(s.overdue for s in members),
            }
        )
    key = lambda r: (-r["completion_rate"], -r["on_time_rate"], r["overdue"])  # noqa: E731
    rows.sort(key=key)
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        row["rank"] = previous["rank"] if previous and key(previous) == key(row) else index + 1
    return rows


# A renderer-neutral outline: (kind, payload) blocks.
Block = tuple[str, Any]


LISTING_LIMIT = 300  # more 红灯 or 久未填报 tasks than this are counted per unit, not listed
BODY_ITEMS = 3  # lagging items named in the body of the 通报 (all of them are in 附件1)
BRIEF_ITEMS = 4  # … and in the one-page 专报
BODY_NAMES = 6  # units named in one sentence of the body before 等 N 个单位
BODY_TEXT = 16  # characters of a task's text kept in the body
BODY_WORDS = 12  # … and of a unit's own words (存在问题)
BODY_DONE = 2  # completed tasks named in 进展较好
BODY_UNITS = 1  # units named for one lagging item before 等 N 个单位
BRIEF_TEXT = 14  # characters of a task's text in the 专报
REQUIREMENTS = (  # 下步要求: standard wording, a line each
    "各单位要对照年度目标倒排工期，确保按序时推进。",
    "红灯任务牵头单位要分析原因，下期报送整改进展。",
    "对长期滞后、未按时报送的，督查室将跟踪督办。",
)
ANNEXES = ("滞后任务清单", "报送情况")


def cn_date(day: str | _dt.date) -> str:
    """2023-07-03 → 2023年7月3日, as a 公文 writes a date."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def _span(since: str, until: str) -> str:
    """The period in words: 2023年6月26日至7月2日 (the year once when it is the same)."""
    first, last = _dt.date.fromisoformat(since), _dt.date.fromisoformat(until)
    end = cn_date(last) if last.year != first.year else cn_date(last).split("年", 1)[1]
    return f"{cn_date(first)}至{end}"


def _names(names: Sequence[str], limit: int = BODY_NAMES, counted: bool = False) -> str:
    """Units named in a sentence: all of them, or the first ``limit`` and 等 N 个单位 (只 等
    when the sentence has ``counted`` them already)."""
    shown = "、".join(names[:limit])
    if len(names) <= limit:
        return shown
    return f"{shown}等" if counted else f"{shown}等{len(names)}个单位"


def _scope_words(scope: str) -> str:
    """全部任务, 高会巨分管的任务 (责任领导 高会巨), 经开区承担的任务 (部门 经开区), and for
    several filters 范围内（责任领导 于德忱，部分 一）的任务."""
    if scope == "全部任务":
        return scope
    kind, _, name = scope.partition(" ")
    if "，" not in name:
        if kind == "责任领导":
            return f"{name}分管的任务"
        if kind == "部门":
            return f"{name}承担的任务"
    return f"范围内（{scope}）的任务"


def _figures(report: dict[str, Any], brief: bool = False) -> list[str]:
    """总体情况 as sentences with the figures (``brief``: fewer words, and how many units
    reported, which the 通报 says under 报送情况)."""
    head = report["headline"]
    st, li = head["statuses"], head["lights"]
    whole = _scope_words(report["scope"])
    overdue = f"（其中超期{head['overdue']}项）" if head["overdue"] else ""
    changed = (
        f"本期新完成{len(report['newly_completed'])}项，新增滞后{len(report['newly_behind'])}项。"
    )
    held = report.get("submissions")
    if brief:
        first = (
            f"截至{cn_date(report['as_of'])}，{whole}{head['tasks']}项：已完成{st['done']}项"
            f"（完成率{head['completion_rate']:.1f}%），序时推进{st['on_track']}项，"
            f"滞后{st['behind']}项，未启动{st['not_started']}项；红灯{li['red']}项{overdue}，"
            f"黄灯{li['yellow']}项，绿灯{li['green']}项。"
        )
        units = (
            f"应报送{len(held['reported']) + len(held['owed'])}个单位，"
            f"已报送{len(held['reported'])}个；"
            if held
            else ""
        )
        return [first, units + changed]
    first = (
        f"截至{cn_date(report['as_of'])}，{whole}共{head['tasks']}项，已完成{st['done']}项，"
        f"完成率{head['completion_rate']:.1f}%；序时推进{st['on_track']}项，滞后{st['behind']}项，"
        f"未启动{st['not_started']}项。按亮灯情况，红灯{li['red']}项{overdue}，"
        f"黄灯{li['yellow']}项，绿灯{li['green']}项。"
    )
    second = (
        f"本期（{_span(report['since'], report['until'])}）收到填报{head['entries_in_window']}条，"
        f"涉及{head['tasks_reported_in_window']}项任务。{changed}"
    )
    return [first, second]


def _going_well(report: dict[str, Any]) -> list[str]:
    """进展较好: the tasks completed in the period and the units with nothing lagging."""
    done = report["newly_completed"]
    lines = []
    if done:
        named = "；".join(
            f"{_short(t['text'], BODY_WORDS)}（{'、'.join(t['lead_departments']) or '未填写'}）"
            for t in done[:BODY_DONE]
        )
        more = f"等{len(done)}项" if len(done) > BODY_DONE else ""
        lines.append(f"本期完成任务{len(done)}项：{named}{more}。")
    good = [row["unit"] for row in report.get("good_units", [])]
    if good:
        lines.append(f"{_names(good)}牵头的任务无红灯、按时填报，推进较好。")
    return lines or ["本期无新完成的任务。"]


def _lagging_line(number: int, item: dict[str, Any], brief: bool = False) -> str:
    """One lagging item in the body: its units, its text cut short, why in a few words, and
    in the unit's words what holds it up (cut short too); ``brief``: a line of units, text
    and progress."""
    units = _names(item["units"], BODY_UNITS)
    if brief:
        progress = "" if item["progress"] is None else f"，进度{item['progress']}%"
        return f"{number}．{units}：{_short(item['text'], BRIEF_TEXT)}{progress}。"
    why = ["已超期"] if item["overdue"] else []
    if item["status"] == "滞后" and item["progress"] is None:
        why.append("填报滞后")
    if item["progress"] is not None:
        why.append(f"进度{item['progress']}%（序时{item['time_progress']:.1f}%）")
    reason = "，".join(why) or item["reason"]
    words = item.get("problem") or item.get("note") or ""
    line = f"{number}．{units}：{_short(item['text'], BODY_TEXT)}，{reason}"
    return line + (f"；{_short(words, BODY_WORDS)}。" if words else "。")


def _lagging(report: dict[str, Any], limit: int, brief: bool = False) -> list[Block]:
    """The lagging (红灯) items named, worst first, up to ``limit``; all of them in 附件1 (the
    专报, ``brief``, has no 附件: the rest are counted)."""
    head = report["headline"]
    reds = head["lights"]["red"]
    if not reds:
        return [("p", "本期无红灯任务。")]
    items = sorted(
        report["red"],
        key=lambda t: (not t["overdue"], (t["progress"] or 0) - t["time_progress"], t["id"]),
    )
    overdue = f"，其中超期{head['overdue']}项" if head["overdue"] else ""
    if not items:  # past LISTING_LIMIT: counted per unit in 附件1
        return [("p", f"红灯任务{reds}项{overdue}，各牵头单位的项数见附件1。")]
    if len(items) <= limit:
        lead = "如下：" if brief else "如下（详见附件1）："
    else:
        lead = f"最突出的{limit}项：" if brief else f"主要是（全部{reds}项见附件1）："
    blocks: list[Block] = [("p", f"红灯任务{reds}项{overdue}，{lead}")]
    return blocks + [("p", _lagging_line(n, t, brief)) for n, t in enumerate(items[:limit], 1)]


def _disputed(report: dict[str, Any]) -> list[Block]:
    """待协调: tasks whose 牵头 units disagree sharply (one 已完成, another 滞后 or 未启动)."""
    items = report.get("disputed") or []
    if not items:
        return []
    named = []
    for item in items[:BODY_ITEMS]:
        parts = "，".join(
            f"{u['unit']}{u['status']}" + ("" if u["progress"] is None else f"{u['progress']}%")
            for u in item["units"]
        )
        named.append(f"序号{item['id']}（{parts}）")
    more = f"等{len(items)}项" if len(items) > BODY_ITEMS else ""
    return [
        (
            "p",
            f"待协调{len(items)}项：{'；'.join(named)}{more}。各牵头单位报送的进展不一致，"
            "请主牵头单位会同其他牵头单位核实，统一口径后报送。",
        )
    ]


def submission_rows(held: dict[str, Any]) -> list[list[str]]:
    """报送情况 per unit: the ones that owe a reply (or were sent back) first, then the late
    ones, then those that reported. ``held["late"]`` (units that replied after the due date,
    each a name) adds 迟报 rows; the 说明 column says why a file was sent back."""
    refused: dict[str, list[str]] = {}
    for r in held.get("refused", []):
        refused.setdefault(r["unit"] or "单位不明", []).append(
            f"{r['file']}：" + "；".join(p.removeprefix(f"{r['file']} ") for p in r["problems"])
        )
    late = _late(held)
    rows = [[unit, "退回" if unit in refused else "未报送", "；".join(refused.get(unit, []))]
            for unit in held["owed"]]  # fmt: skip
    rows += [
        [unit, "退回", "；".join(problems)]
        for unit, problems in refused.items()
        if unit not in held["owed"]
    ]
    rows += [[unit, "迟报", received] for unit, received in late.items()]
    rows += [[unit, "已报送", ""] for unit in held["reported"] if unit not in late]
    return rows


def _late(held: dict[str, Any]) -> dict[str, str]:
    """The units that replied after the due date (``held["late"]``: names, or the records of
    :func:`taskctl.collect.reply_statuses` with the day each was received), each with a note
    of that day."""
    late: dict[str, str] = {}
    for record in held.get("late", []):
        if isinstance(record, str):
            late[record] = ""
        else:
            day = record.get("received")
            late[record["unit"]] = f"{cn_date(day)}收到" if day else ""
    return late


def _reporting(report: dict[str, Any]) -> list[Block]:
    """Who did not report (or reported late, or was sent back): named."""
    held = report.get("submissions")
    if held:
        owed, reported = held["owed"], held["reported"]
        late = list(_late(held))
        total = len(owed) + len(reported)
        due = f"报送期限为{cn_date(held['due'])}，" if held.get("due") else ""
        if not owed and not late:
            return [("p", f"{due}应报送{total}个单位，均已按时报送。")]
        lines = [f"{due}应报送{total}个单位，已报送{len(reported)}个。"]
        if owed:
            lines.append(f"未报送{len(owed)}个单位：{_names(owed, counted=True)}。")
        if late:
            lines.append(f"迟报{len(late)}个单位：{_names(late, counted=True)}。")
        refused = list(dict.fromkeys(r["unit"] or "单位不明" for r in held.get("refused", [])))
        if refused:
            lines.append(f"因填写有误被退回、尚未重新报送的：{_names(refused)}。")
        return [("p", "".join(lines))]
    stale = report["stale"]
    if not stale:
        return [("p", "各项任务均在规定期限内填报。")]
    return [
        (
            "p",
            f"{report['headline']['stale']}项任务{report['stale_days']}天以上未填报，涉及"
            f"{_names([g['department'] for g in stale])}。",
        )
    ]


def review_blocks(report: dict[str, Any]) -> list[Block]:
    """办结审核 (附件): 待审核 and 退回 items, 延期 requests not yet reviewed, and per unit in
    the year report; none without any."""
    review = report.get("review")
    if not review:
        return []
    blocks: list[Block] = []
    for key, heading in (("pending", "待审核"), ("returned", "退回")):
        items = review[key]
        blocks.append(("p", f"{heading}（{len(items)}项）："))
        lines = [
            f"序号{t['id']} {_short(t['text'])}（{t['unit']}，{cn_date(t['requested'])}申请办结"
            + (f"，{cn_date(t['reviewed'])}退回：{t['reason']}" if key == "returned" else "")
            + "）"
            for t in items
        ]
        blocks.append(("ul", lines or ["无"]))
    if "extensions" in review:
        items = review["extensions"]
        blocks.append(("p", f"延期申请待审核（{len(items)}项）："))
        lines = [
            f"序号{t['id']} {_short(t['text'])}（{t['unit']}，{cn_date(t['requested'])}申请延期至"
            f"{cn_date(t['deadline'])}{'，逾期申请' if t['late'] else ''}）：{t['reason']}"
            for t in items
        ]
        blocks.append(("ul", lines))
    if "by_unit" in review:
        blocks.append(
            (
                "table",
                (
                    ["单位", "已销号", "待审核", "退回"],
                    [
                        [r["unit"], str(r["closed"]), str(r["pending"]), str(r["returned"])]
                        for r in review["by_unit"]
                    ],
                ),
            )
        )
    return blocks


def _review_line(report: dict[str, Any], annex: int) -> list[Block]:
    """（三）办结审核 in the body: how many are waiting for the office, where they are listed."""
    review = report.get("review")
    if not review:
        return []
    words = [f"待审核{len(review['pending'])}项", f"退回{len(review['returned'])}项"]
    if "extensions" in review:
        words.append(f"延期申请待审核{len(review['extensions'])}项")
    return [
        ("h3", "（三）办结审核"),
        ("p", f"各单位报已完成的，经督查室审核后销号。{'，'.join(words)}，详见附件{annex}。"),
    ]


def _annexes(report: dict[str, Any]) -> list[tuple[str, list[Block]]]:
    """The 附件: each a title and its tables (the full texts, not cut)."""
    reds = report["headline"]["lights"]["red"]
    if reds > LISTING_LIMIT or (reds and not report["red"]):  # a city's list: per unit
        lagging = _per_unit_blocks(reds, report["red_by_unit"], "overdue", ("红灯项数", "其中超期"))
    elif report["red"]:
        lagging = [
            (
                "table",
                (
                    ["序号", "任务", "牵头单位", "进度", "滞后原因", "存在问题"],
                    [
                        [
                            str(t["id"]),
                            t["text"],
                            "、".join(t["units"]),
                            _percent(t["progress"]),
                            t["reason"],
                            t["problem"] or t["note"] or "—",
                        ]
                        for t in report["red"]
                    ],
                ),
            )
        ]
    else:
        lagging = [("p", "无红灯任务。")]
    held = report.get("submissions")
    if held:
        rows = submission_rows(held)
        reporting: list[Block] = [
            ("table", (["序号", "单位", "报送情况", "说明"],
                       [[str(n), *row] for n, row in enumerate(rows, 1)]))
        ]  # fmt: skip
    else:
        reporting = _stale_blocks(report)
    annexes = [(ANNEXES[0], lagging), (ANNEXES[1] if held else "久未填报情况", reporting)]
    if report.get("review"):
        annexes.append(("办结审核情况", review_blocks(report)))
    if "ranking" in report:
        annexes.append(("年度考评排名", _ranking_blocks(report)))
    return annexes


def _stale_blocks(report: dict[str, Any]) -> list[Block]:
    """久未填报, counted per 牵头部门 (each task is in the 催办 notices and the JSON)."""
    count = report["headline"]["stale"]
    if not count:
        return [("p", f"无{report['stale_days']}天以上未填报的任务。")]
    return [
        ("p", f"{count}项任务{report['stale_days']}天以上未填报，按牵头单位计数如下："),
        (
            "table",
            (
                ["序号", "牵头单位", "久未填报项数", "其中从未填报"],
                [
                    [str(n), g["department"], str(g["count"]), str(g["never_reported"])]
                    for n, g in enumerate(report["stale"], 1)
                ],
            ),
        ),
    ]


def outline(report: dict[str, Any], brief: bool = False) -> list[Block]:
    """The 通报 as blocks in reading order: masthead (刊头, 期号, office, date), title, 主送,
    一、总体情况 二、进展较好 三、存在问题 四、下步要求, 附件说明, 落款 and 成文日期, then the 附件
    (each after ``annex``). ``brief``: the one-page 专报 for the leader (figures and the red
    items), no 主送 and no 附件."""
    masthead = {
        "name": "督查专报" if brief else report["masthead"],
        "issue": f"第{report['issue_number']}期",
        "office": report["office"],
        "date": cn_date(report["date"]),
    }
    heading = report["heading"]
    if brief:
        heading = heading.removesuffix("通报") + "专报"
    blocks: list[Block] = [("masthead", masthead), ("h1", heading)]
    if brief:
        blocks += [
            ("h2", "一、总体情况"),
            *(("p", line) for line in _figures(report, brief=True)),
            ("h2", "二、红灯任务"),
            *_lagging(report, BRIEF_ITEMS, brief=True),
        ]
        return blocks
    annexes = _annexes(report)
    blocks += [
        ("to", "、".join(report["recipients"]) + "："),
        (
            "p",
            "现将有关情况通报如下：",
        ),
        ("h2", "一、总体情况"),
        *(("p", line) for line in _figures(report)),
        ("h2", "二、进展较好"),
        *(("p", line) for line in _going_well(report)),
        ("h2", "三、存在问题"),
        ("h3", "（一）滞后任务"),
        *_lagging(report, BODY_ITEMS),
        *_disputed(report),
        ("h3", "（二）报送情况"),
        *_reporting(report),
        *_review_line(report, 3),
        ("h2", "四、下步要求"),
        *(("p", f"（{'一二三'[n]}）{text}") for n, text in enumerate(REQUIREMENTS)),
        ("attachments", [f"{n}．{title}" for n, (title, _) in enumerate(annexes, 1)]),
        ("sign", report["office"]),
        ("sign", cn_date(report["date"])),
    ]
    for n, (title, content) in enumerate(annexes, 1):
        blocks += [("annex", (f"附件{n}", title)), *content]
    return blocks


def _ranking_blocks(report: dict[str, Any]) -> list[Block]:
    """年度考评 (the year report): per 牵头部门 and per 责任领导, ranked."""
    blocks: list[Block] = []
    for by, heading in (("dept", "牵头部门"), ("leader", "责任领导")):
        rows = report["ranking"][by]
        blocks.append(("p", f"按{heading}（{len(rows)}个，按完成率、按时完成率排名）："))
        blocks.append(
            (
                "table",
                (
                    ["排名", heading, "任务数", "已完成", "完成率", "按时完成", "按时完成率"]
                    + ["超期未完成"],
                    [
                        [
                            str(r["rank"]),
                            r["group"],
                            str(r["tasks"]),
                            str(r["done"]),
                            _percent(r["completion_rate"]),
                            str(r["on_time"]),
                            _percent(r["on_time_rate"]),
                            str(r["overdue"]),
                        ]
                        for r in rows
                    ],
                ),
            )
        )
    return blocks


def _per_unit_blocks(
    count: int,
    units: Sequence[dict[str, Any]],
    figure: str | None,
    headings: tuple[str, ...],
) -> list[Block]:
    """Past :data:`LISTING_LIMIT` tasks: a line saying so, and a table of each 牵头部门's count
    (and one more figure: ``overdue`` 超期, ``never_reported`` 从未填报)."""
    rows = [
        [unit["department"], str(unit["count"]), *([str(unit[figure])] if figure else [])]
        for unit in units
    ]
    return [
        ("p", f"共{count}项，超过{LISTING_LIMIT}项，按牵头单位计数，不逐项列出。"),
        ("table", (["牵头单位", *headings], rows)),
    ]


def _md_text(text: str) -> str:
    """Text from the list or the log, inert in Markdown: raw HTML (``<script>``, ``<img
    onerror>``) shown as text, as the Markdown export does, and no line break of any kind
    (CR included) that could start a block of its own."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace("\r\n", " ")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|")


def render_markdown(report: dict[str, Any], brief: bool = False) -> str:
    return blocks_markdown(outline(report, brief))


def blocks_markdown(blocks: Sequence[Block]) -> str:
    """Blocks as Markdown (``to`` and ``sign``, a notice's addressee and signature, as text;
    the masthead in bold over a rule; each 附件 after a rule)."""
    out: list[str] = []
    for kind, payload in blocks:
        if kind == "masthead":
            out += [
                f"**{_md_text(payload['name'])}**",
                _md_text(f"{payload['issue']}　{payload['office']}　{payload['date']}"),
                "---",
            ]
        elif kind == "annex":
            out += ["---", f"{payload[0]}", f"## {_md_text(payload[1])}"]
        elif kind == "attachments":
            out.append(
                "\n\n".join(
                    _md_text(("附件：" if n == 0 else "　　　") + item)
                    for n, item in enumerate(payload)
                )
            )
        elif kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + _md_text(payload))
        elif kind in ("p", "to", "sign"):
            out.append(_md_text(payload))
        elif kind == "ul":
            out.append("\n".join(f"- {_md_text(item)}" for item in payload))
        elif kind == "table":
            headings, rows = payload
            lines = [
                "| " + " | ".join(_md_cell(h) for h in headings) + " |",
                "|" + "---|" * len(headings),
            ]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def render_text(report: dict[str, Any], brief: bool = False) -> str:
    return blocks_text(outline(report, brief))


def blocks_text(blocks: Sequence[Block]) -> str:
    """Blocks as plain text."""
    out: list[str] = []
    for kind, payload in blocks:
        if kind == "masthead":
            out.append(
                f"{payload['name']}\n{payload['issue']}\n"
                f"{payload['office']}　{payload['date']}\n{'=' * 40}"
            )
        elif kind == "annex":
            out.append(f"{'-' * 40}\n{payload[0]}\n{payload[1]}")
        elif kind == "attachments":
            out.append(
                "\n".join(
                    ("附件：" if n == 0 else "　　　") + item for n, item in enumerate(payload)
                )
            )
        elif kind == "h1":
            out.append(f"{payload}\n{'=' * 40}")
        elif kind == "h2":
            out.append(f"【{payload}】")
        elif kind in ("h3", "p", "to", "sign"):
            out.append(payload)
        elif kind == "ul":
            out.append("\n".join(f"  · {item}" for item in payload))
        elif kind == "table":
            headings, rows = payload
            out.append(
                "\n".join(
                    "  " + "  ".join(f"{h}：{c}" for h, c in zip(headings, row, strict=True) if c)
                    for row in rows
                )
            )
    return "\n\n".join(out) + "\n"


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",
sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
.masthead{text-align:center;border-bottom:3px solid #c00;margin-bottom:1.5em}
.masthead p{margin:.2em 0}
.masthead .name{color:#c00;font-size:2.6em;font-weight:bold;letter-spacing:.3em}
.masthead .line{display:flex;justify-content:space-between;padding:0 1em .4em}
h1{font-size:1.6em;text-align:center}
h2{font-size:1.25em;margin-top:1.4em}
h3{font-size:1.05em}
p{text-indent:2em;margin:.4em 0}
p.to,p.attachments,.annex p.n,.masthead p{text-indent:0}
p.sign{text-align:right;padding-right:4em;margin:0}
p.attachments{margin:1.5em 0 1.5em 2em}
.annex{margin-top:3em;border-top:1px dashed #999}
.annex h2{text-align:center}
.annex p.n{font-weight:bold}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3e9e9;white-space:nowrap}
td.n{white-space:nowrap}
td.num{white-space:nowrap;text-align:right}
@page{size:A4;margin:15mm 12mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
.scroll{overflow:visible}
thead{display:table-header-group}
tr{break-inside:avoid}
h1,h2,h3{break-after:avoid}
.annex{break-before:page;border:none;margin-top:0}
}
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.3em}}
"""

NARROW = 8  # a column whose cells are all this short never wraps (状态, 日期, 进度, 灯 …)


def _html_table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose short columns (dates, statuses, numbers) stay on one line."""
    narrow = [
        all(len(str(row[i])) <= NARROW for row in rows) and len(h) <= NARROW
        for i, h in enumerate(headings)
    ]
    numeric = [
        all(
            str(row[i]).rstrip("%").replace(".", "", 1).isdigit() or row[i] in ("", "—")
            for row in rows
        )
        for i in range(len(headings))
    ]

    def cls(i: int) -> str:
        return ' class="num"' if numeric[i] and rows else ' class="n"' if narrow[i] else ""

    head = "".join(f"<th>{html.escape(h)}</th>" for h in headings)
    cells = "".join(
        "<tr>"
        + "".join(f"<td{cls(i)}>{html.escape(str(c))}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></div>'


def render_html(report: dict[str, Any], brief: bool = False) -> str:
    body: list[str] = []
    for kind, payload in outline(report, brief):
        if kind == "masthead":
            name, issue, office, date = (html.escape(payload[k]) for k in payload)
            body.append(
                f'<header class="masthead"><p class="name">{name}</p><p>{issue}</p>'
                f'<p class="line"><span>{office}</span><span>{date}</span></p></header>'
            )
        elif kind == "annex":
            body.append(
                f'<section class="annex"><p class="n">{html.escape(payload[0])}</p>'
                f"<h2>{html.escape(payload[1])}</h2></section>"
            )
        elif kind == "attachments":
            items = "<br>".join(
                html.escape(("附件：" if n == 0 else "　　　") + item)
                for n, item in enumerate(payload)
            )
            body.append(f'<p class="attachments">{items}</p>')
        elif kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{html.escape(payload)}</{kind}>")
        elif kind == "to":
            body.append(f'<p class="to">{html.escape(payload)}</p>')
        elif kind == "sign":
            body.append(f'<p class="sign">{html.escape(payload)}</p>')
        elif kind == "p":
            body.append(f"<p>{html.escape(payload)}</p>")
        elif kind == "ul":
            items = "".join(f"<li>{html.escape(item)}</li>" for item in payload)
            body.append(f"<ul>{items}</ul>")
        elif kind == "table":
            headings, rows = payload
            body.append(_html_table(headings, rows))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(report['heading'])}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


RENDERERS: dict[str, Callable[..., str]] = {
    "markdown": render_markdown,
    "text": render_text,
    "json": render_json,
    "html": render_html,
}


def render(report: dict[str, Any], fmt: str, brief: bool = False) -> str:
    """The report in one of :data:`REPORT_FORMATS`; ``brief``: the one-page 专报 (the JSON is
    the same data either way)."""
    if fmt not in RENDERERS:
        raise InputError(f"报告格式应为 {'、'.join(REPORT_FORMATS)} 之一，得到「{fmt}」")
    if fmt == "json":
        return render_json(report)
    return RENDERERS[fmt](report, brief)
