"""The weekly summary (周报): its content as data, and renderers for Markdown, text, JSON and HTML.

:func:`build_report` gathers the figures; :func:`render` turns them into text. The HTML page is
self-contained (inline CSS and SVG, no scripts, no external files).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from collections.abc import Sequence
from typing import Any

from taskctl.errors import InputError
from taskctl.model import Task, TaskList
from taskctl.names import normalize
from taskctl.progress import DONE, Entry, LogView
from taskctl.tracking import (
    LIGHTS,
    STALE_DAYS,
    TaskState,
    group_states,
    group_stats,
    task_states,
)

REPORT_FORMATS = ("markdown", "text", "json", "html")
STATUS_KEYS = {"未启动": "not_started", "序时推进": "on_track", "滞后": "behind", "已完成": "done"}
LIGHT_KEYS = {"红": "red", "黄": "yellow", "绿": "green"}
SHORT = 28


def parse_week(text: str) -> tuple[_dt.date, _dt.date]:
    """An ISO week such as ``2023-W23`` to its Monday and Sunday."""
    match = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", text)
    if not match:
        raise InputError(f"周「{text}」应写成 2023-W23（ISO 周）")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = _dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError(f"{year} 年没有第 {week} 周") from None
    return monday, monday + _dt.timedelta(days=6)


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
) -> dict[str, Any]:
    """The content of the report as JSON-ready data (stable English keys).

    ``kind`` (see :data:`KINDS`) names it in the title; the year report (``year``) adds
    ``ranking``: per 牵头部门 and per 责任领导, completion and timeliness, ranked.
    ``submissions`` is (period, units reported, units owing) of a collection round, for the
    报送情况 section (see :func:`taskctl.collect.submissions`); without it there is none.
    ``refused`` lists the replies ``collect`` sent back for that period (``file``, ``unit``,
    ``problems``), named in the same section. ``detail=False``: past
    :data:`LISTING_LIMIT` 久未填报 tasks, the groups of ``stale`` keep their counts
    but not each task (what the rendered report shows; the JSON has them all)."""
    if kind not in KINDS:
        raise InputError(f"报告周期应为 {'、'.join(KINDS)} 之一，得到「{kind}」")
    log = entries if isinstance(entries, LogView) else LogView.of(entries)
    tasks = list(tasklist.tasks if tasks is None else tasks)
    ids = {task.id for task in tasks}
    now = task_states(
        tasklist, (), as_of, stale_days=stale_days, tasks=tasks, reports=log.reports(as_of)
    )
    # The state the day before the period, for what changed in it: only a task now 已完成 or
    # behind can be newly so.
    candidates = [s.task for s in now if s.status == DONE or s.behind]
    day_before = since - _dt.timedelta(days=1)
    before = {
        s.task.id: s
        for s in task_states(
            tasklist,
            (),
            day_before,
            stale_days=stale_days,
            tasks=candidates,
            reports=log.reports(day_before, (task.id for task in candidates)),
        )
    }
    by_section, total = group_stats(now, "section", tasklist)
    in_window = log.between(since, min(until, as_of), ids)
    in_window.sort(key=lambda e: (e.date, e.id))
    texts = {task.id: task.text for task in tasks}

    units = _Units()
    red = [state for state in now if state.light == LIGHTS[0]]
    stale = [state for state in now if state.stale]
    listed = detail or len(stale) <= LISTING_LIMIT
    stale_groups: dict[str, dict[str, Any]] = {}
    for state in stale:
        item = listed and {
            **_task_brief(state.task),
            "status": state.status,
            "updated": state.updated.isoformat() if state.updated else None,
            "days_since_report": state.days_since_report,
        }
        for dept in units(state.task.lead_departments):
            group = stale_groups.get(dept)
            if group is None:
                group = stale_groups[dept] = {
                    "department": dept,
                    "count": 0,
                    "never_reported": 0,
                    "tasks": [],
                }
            group["count"] += 1
            group["never_reported"] += state.updated is None
            if item:
                group["tasks"].append(item)

    report: dict[str, Any] = {
        "title": f"{tasklist.title or '任务清单'} {period_name(kind, since, until)}",
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
            {**_task_brief(s.task), "reason": s.reason}
            for s in now
            if s.behind and not before[s.task.id].behind
        ],
        "red": [
            {
                **_task_brief(s.task),
                **{k: v for k, v in s.to_record().items() if k not in ("behind", "stale")},
                "reason": s.reason,
            }
            for s in red
        ]
        if detail or len(red) <= LISTING_LIMIT
        else [],
        "red_by_unit": _per_unit(red, units),
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
    review = review_data(now, yearly=kind == "year")
    if review is not None:
        report["review"] = review
    if kind == "year":
        done_on = log.first_done(ids, as_of)
        report["ranking"] = {
            by: _ranking(group_states(now, by, tasklist), done_on) for by in ("dept", "leader")
        }
    return report


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


class _Units(dict[tuple[str, ...], list[str]]):
    """The 牵头部门 a task is counted under, once per distinct tuple of names (a city's list
    repeats a few thousand): each name normalized, each once, 未填写 when there is none."""

    def __missing__(self, names: tuple[str, ...]) -> list[str]:
        units = list(dict.fromkeys(normalize(n) for n in names)) or ["（未填写）"]
        self[names] = units
        return units

    def __call__(self, names: tuple[str, ...]) -> list[str]:
        return self[names]


def _per_unit(states: Sequence[TaskState], units: _Units) -> list[dict[str, Any]]:
    """Per 牵头部门 (a task with two counts for both): how many of ``states``, and how many of
    those are past their 完成时限; most first."""
    counts: dict[str, list[int]] = {}
    for state in states:
        for dept in units(state.task.lead_departments):
            row = counts.setdefault(dept, [0, 0])
            row[0] += 1
            row[1] += state.overdue
    rows = [{"department": d, "count": n, "overdue": late} for d, (n, late) in counts.items()]
    return sorted(rows, key=lambda row: -row["count"])


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


def outline(report: dict[str, Any]) -> list[Block]:
    """The report as headings, paragraphs, lists, tables and charts, in reading order."""
    head = report["headline"]
    st, li = head["statuses"], head["lights"]
    blocks: list[Block] = [
        ("h1", report["title"]),
        (
            "p",
            f"范围：{report['scope']}（{head['tasks']} 项）　统计区间：{report['since']} 至 "
            f"{report['until']}　截至：{report['as_of']}",
        ),
        ("h2", "总体情况"),
        (
            "ul",
            [
                f"已完成 {st['done']} 项，完成率 {head['completion_rate']:.1f}%；"
                f"序时推进 {st['on_track']} 项，滞后 {st['behind']} 项，未启动 {st['not_started']} 项",
                f"红灯 {li['red']} 项（其中超期 {head['overdue']} 项），黄灯 {li['yellow']} 项，"
                f"绿灯 {li['green']} 项",
                f"本期填报 {head['entries_in_window']} 条，涉及 {head['tasks_reported_in_window']} 项任务",
            ],
        ),
        *_submission_blocks(report),
        ("h2", "分组情况（红/黄/绿灯任务数与完成率，最弱的在前）"),
        *_chart_blocks("按部分", report["by_section"], ("个部分", "个"), "section"),
        *_chart_blocks("按责任领导", report["by_leader"], ("位责任领导", "位"), "leader"),
        ("h2", "本期变化"),
        ("h3", f"新填报（{len(report['new_entries'])} 条）"),
    ]
    if report["new_entries"]:
        texts = [
            k for k in ("problem", "next_step") if any(e.get(k) for e in report["new_entries"])
        ]
        headings = {"problem": "存在问题", "next_step": "下一步措施"}
        blocks.append(
            (
                "table",
                (
                    [
                        "序号",
                        "日期",
                        "状态",
                        "进度",
                        "说明",
                        *(headings[k] for k in texts),
                        "填报人",
                    ],
                    [
                        [
                            str(e["id"]),
                            e["date"],
                            e["status"],
                            _percent(e["progress"]),
                            e["note"],
                            *(e.get(k) or "" for k in texts),
                            e["by"],
                        ]
                        for e in report["new_entries"]
                    ],
                ),
            )
        )
    else:
        blocks.append(("p", "本期无新填报。"))
    for key, heading, with_reason in (
        ("newly_completed", "本期完成", False),
        ("newly_behind", "本期新增滞后", True),
    ):
        items = report[key]
        blocks.append(("h3", f"{heading}（{len(items)} 项）"))
        if len(items) > LISTING_LIMIT:  # a city's list: per unit
            blocks += _per_unit_blocks(len(items), None, _unit_counts(items), None, ("项数",))
            continue
        lines = [
            f"序号 {t['id']} {_short(t['text'])}（{'、'.join(t['lead_departments'])}）"
            + (f"：{t['reason']}" if with_reason else "")
            for t in items
        ]
        blocks.append(("ul", lines or ["无"]))
    reds = report["headline"]["lights"]["red"]
    blocks.append(("h2", f"红灯任务（{reds} 项）"))
    if reds > LISTING_LIMIT:  # a city's list: per unit
        blocks += _per_unit_blocks(
            reds,
            "taskctl list --light 红",
            report["red_by_unit"],
            "overdue",
            ("红灯项数", "其中超期"),
        )
    elif report["red"]:
        blocks.append(
            (
                "table",
                (
                    ["序号", "任务", "牵头部门", "状态", "进度", "序时进度", "原因", "最新说明"],
                    [
                        [
                            str(t["id"]),
                            _short(t["text"]),
                            "、".join(t["lead_departments"]),
                            t["status"],
                            _percent(t["progress"]),
                            _percent(t["time_progress"]),
                            t["reason"],
                            t["note"] or "—",
                        ]
                        for t in report["red"]
                    ],
                ),
            )
        )
    else:
        blocks.append(("p", "无红灯任务。"))
    blocks += review_blocks(report)
    if "ranking" in report:
        blocks.append(("h2", "年度考评（按完成率、按时完成率排名）"))
        for by, heading in (("dept", "牵头部门"), ("leader", "责任领导")):
            rows = report["ranking"][by]
            blocks.append(("h3", f"按{heading}（{len(rows)} 个）"))
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
    count = report["headline"]["stale"]
    blocks.append(
        ("h2", f"久未填报（{count} 项：{report['stale_days']} 天以上未填报，按牵头部门催办）")
    )
    if count > LISTING_LIMIT:  # a city's list: per unit, a 100 000-row table helps nobody
        return blocks + _per_unit_blocks(
            count,
            "taskctl list --stale",
            report["stale"],
            "never_reported",
            ("久未填报项数", "其中从未填报"),
        )
    rows = [
        [
            group["department"],
            str(t["id"]),
            _short(t["text"]),
            f"{t['updated']}（{t['days_since_report']} 天前）" if t["updated"] else "从未填报",
            t["status"],
        ]
        for group in report["stale"]
        for t in sorted(group["tasks"], key=lambda t: (t["updated"] is None, t["id"]))
    ]
    if rows:
        blocks.append(("table", (["牵头部门", "序号", "任务", "最近填报", "状态"], rows)))
    else:
        blocks.append(("p", "无。"))
    return blocks


def review_blocks(report: dict[str, Any]) -> list[Block]:
    """办结审核: 待审核 and 退回 items (and per unit, in the year report); none without any."""
    review = report.get("review")
    if not review:
        return []
    blocks: list[Block] = [("h2", "办结审核")]
    for key, heading in (("pending", "待审核"), ("returned", "退回")):
        items = review[key]
        blocks.append(("h3", f"{heading}（{len(items)} 项）"))
        lines = [
            f"序号 {t['id']} {_short(t['text'])}（{t['unit']}，{t['requested']} 申请办结"
            + (f"，{t['reviewed']} 退回：{t['reason']}" if key == "returned" else "")
            + "）"
            for t in items
        ]
        blocks.append(("ul", lines or ["无"]))
    if "extensions" in review:
        items = review["extensions"]
        blocks.append(("h3", f"延期申请待审核（{len(items)} 项）"))
        lines = [
            f"序号 {t['id']} {_short(t['text'])}（{t['unit']}，{t['requested']} 申请延期至 "
            f"{t['deadline']}{'，逾期申请' if t['late'] else ''}）：{t['reason']}"
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


def _chart_blocks(
    title: str, rows: list[dict[str, Any]], nouns: tuple[str, str], by: str
) -> list[Block]:
    """A chart of the groups, weakest first; past :data:`LISTING_LIMIT` groups (a city's list
    names thousands of leaders) the weakest only, and a line saying where the rest are.
    ``nouns``: how the groups are counted (位责任领导) and the measure word alone (位)."""
    if len(rows) <= LISTING_LIMIT:
        return [("chart", (title, rows))]
    counted, measure = nouns
    return [
        (
            "p",
            f"{title}共 {len(rows)} {counted}，只列出最弱的 {LISTING_LIMIT} {measure}；"
            f"全部可用 taskctl stats --group-by {by}（或本报告的 JSON 格式）。",
        ),
        ("chart", (title, rows[:LISTING_LIMIT])),
    ]


def _per_unit_blocks(
    count: int,
    listing: str | None,
    units: Sequence[dict[str, Any]],
    figure: str | None,
    headings: tuple[str, ...],
) -> list[Block]:
    """Past :data:`LISTING_LIMIT` tasks: a line saying so and how to list them, and a table of
    each 牵头部门's count (and one more figure: ``overdue`` 超期, ``never_reported`` 从未填报)."""
    rows = [
        [unit["department"], str(unit["count"]), *([str(unit[figure])] if figure else [])]
        for unit in units
    ]
    where = f"可用 {listing}（或本报告的 JSON 格式）" if listing else "见本报告的 JSON 格式"
    return [
        (
            "p",
            f"共 {count} 项，超过 {LISTING_LIMIT} 项，按牵头部门计数，不逐项列出；逐项清单{where}。",
        ),
        ("table", (["牵头部门", *headings], rows)),
    ]


def _unit_counts(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many of the listed tasks (``_task_brief`` records) each 牵头部门 leads; most first."""
    counts: dict[str, int] = {}
    for item in items:
        for dept in dict.fromkeys(item["lead_departments"]) or ["（未填写）"]:
            counts[dept] = counts.get(dept, 0) + 1
    rows = [{"department": dept, "count": count} for dept, count in counts.items()]
    return sorted(rows, key=lambda row: -row["count"])


def _submission_blocks(report: dict[str, Any]) -> list[Block]:
    """报送情况: which units have replied for the period, and which still owe a reply."""
    held = report.get("submissions")
    if not held:
        return []
    reported, owed = held["reported"], held["owed"]
    return [
        ("h2", f"报送情况（{held['period']}）"),
        (
            "ul",
            [
                f"已报送 {len(reported)} 个单位：{'、'.join(reported) or '无'}",
                f"未报送 {len(owed)} 个单位：{'、'.join(owed) or '无'}",
            ],
        ),
        *_refused_blocks(held.get("refused", [])),
    ]


def _refused_blocks(refused: Sequence[dict[str, Any]]) -> list[Block]:
    """Files sent back by ``collect``, each with its reasons, so the 通报 says what to redo."""
    if not refused:
        return []
    return [
        ("p", f"退回 {len(refused)} 份（请改正后重新报送）："),
        (
            "ul",
            [
                f"{r['file']}（{r['unit'] or '单位不明'}）："
                + "；".join(p.removeprefix(f"{r['file']} ") for p in r["problems"])
                for r in refused
            ],
        ),
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


def render_markdown(report: dict[str, Any]) -> str:
    return blocks_markdown(outline(report))


def blocks_markdown(blocks: Sequence[Block]) -> str:
    """Blocks as Markdown (``to`` and ``sign``, a notice's addressee and signature, as text)."""
    out: list[str] = []
    for kind, payload in blocks:
        if kind in ("h1", "h2", "h3"):
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
        elif kind == "chart":
            title, rows = payload
            lines = [
                f"| {_md_cell(title[1:])} | 任务数 | 红 | 黄 | 绿 | 完成率 |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                f"| {_md_cell(r['group'])} | {r['tasks']} | {r['red']} | {r['yellow']} | "
                f"{r['green']} | {r['completion_rate']:.1f}% |"
                for r in rows
            ]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def render_text(report: dict[str, Any]) -> str:
    return blocks_text(outline(report))


def blocks_text(blocks: Sequence[Block]) -> str:
    """Blocks as plain text."""
    out: list[str] = []
    for kind, payload in blocks:
        if kind == "h1":
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
        elif kind == "chart":
            title, rows = payload
            out.append(
                f"{title}：\n"
                + "\n".join(
                    f"  · {r['group']}：{r['tasks']} 项，红 {r['red']} 黄 {r['yellow']} "
                    f"绿 {r['green']}，完成率 {r['completion_rate']:.1f}%"
                    for r in rows
                )
            )
    return "\n\n".join(out) + "\n"


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


COLOURS = {"red": "#d9372b", "yellow": "#e8b10b", "green": "#2e9e5b"}


def svg_chart(title: str, rows: Sequence[dict[str, Any]]) -> str:
    """A stacked horizontal bar per group (red/yellow/green task counts) as inline SVG."""
    label_w, bar_w, row_h = 260, 420, 26
    most = max((r["tasks"] for r in rows), default=1) or 1
    height = row_h * len(rows) + 34
    parts = [  # a viewBox and no fixed size: the chart takes the width it is given
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 150} {height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<text x="0" y="16" font-size="15" font-weight="bold">{html.escape(title)}</text>',
    ]
    for index, row in enumerate(rows):
        y = 28 + index * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end">'
            f"{html.escape(_short(row['group'], 18))}</text>"
        )
        x = float(label_w)
        for key in ("red", "yellow", "green"):
            width = bar_w * row[key] / most
            if width:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" '
                    f'fill="{COLOURS[key]}"><title>{row[key]}</title></rect>'
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12">'
            f"{row['tasks']} 项 · 完成 {row['completion_rate']:.1f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",
sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;border-bottom:3px solid #b22;padding-bottom:.3em}
h2{font-size:1.25em;margin-top:1.6em;border-left:5px solid #b22;padding-left:.5em}
h3{font-size:1.05em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3e9e9;white-space:nowrap}
td.n{white-space:nowrap}
td.num{white-space:nowrap;text-align:right}
figure.group{margin:1em 0;display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
figure.group svg{flex:1 1 520px;width:100%;height:auto;min-width:0}
figure.group table{flex:1 1 360px;width:auto}
.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
@page{size:A4;margin:15mm 12mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
.scroll{overflow:visible}
thead{display:table-header-group}
tr,figure,svg{break-inside:avoid}
h1,h2,h3{break-after:avoid}
figure.group{display:block}
figure.group svg{width:100%}
figure.group table{width:100%;margin-top:.5em}
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


def _group_table(rows: Sequence[dict[str, Any]]) -> str:
    """The numbers behind a chart, for print and for readers who do not hover."""
    return _html_table(
        ["组", "任务数", "红", "黄", "绿", "完成率"],
        [
            [r["group"], str(r["tasks"]), str(r["red"]), str(r["yellow"]), str(r["green"]),
             f"{r['completion_rate']:.1f}%"]
            for r in rows
        ],
    )  # fmt: skip


def render_html(report: dict[str, Any]) -> str:
    body: list[str] = []
    for kind, payload in outline(report):
        if kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{html.escape(payload)}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{html.escape(payload)}</p>")
        elif kind == "ul":
            items = "".join(f"<li>{html.escape(item)}</li>" for item in payload)
            body.append(f"<ul>{items}</ul>")
        elif kind == "table":
            headings, rows = payload
            body.append(_html_table(headings, rows))
        elif kind == "chart":
            title, rows = payload
            if "<svg" not in body[-1]:
                legend = "".join(
                    f'<span style="background:{COLOURS[k]}"></span>{name}灯'
                    for k, name in zip(("red", "yellow", "green"), LIGHTS, strict=True)
                )
                body.append(f'<p class="legend">{legend}</p>')
            body.append(
                f'<figure class="group">{svg_chart(title, rows)}{_group_table(rows)}</figure>'
            )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(report['title'])}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


RENDERERS = {
    "markdown": render_markdown,
    "text": render_text,
    "json": render_json,
    "html": render_html,
}


def render(report: dict[str, Any], fmt: str) -> str:
    """The report in one of :data:`REPORT_FORMATS`."""
    if fmt not in RENDERERS:
        raise InputError(f"报告格式应为 {'、'.join(REPORT_FORMATS)} 之一，得到「{fmt}」")
    return RENDERERS[fmt](report)
