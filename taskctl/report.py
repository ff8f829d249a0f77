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
from taskctl.progress import DONE, Entry
from taskctl.tracking import LIGHTS, STALE_DAYS, group_stats, task_states

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
    entries: Sequence[Entry],
    *,
    since: _dt.date,
    until: _dt.date,
    as_of: _dt.date,
    tasks: Sequence[Task] | None = None,
    scope: str = "全部任务",
    stale_days: int = STALE_DAYS,
) -> dict[str, Any]:
    """The content of the weekly summary as JSON-ready data (stable English keys)."""
    tasks = list(tasklist.tasks if tasks is None else tasks)
    ids = {task.id for task in tasks}
    now = task_states(tasklist, entries, as_of, stale_days=stale_days, tasks=tasks)
    before = {
        s.task.id: s
        for s in task_states(
            tasklist, entries, since - _dt.timedelta(days=1), stale_days=stale_days, tasks=tasks
        )
    }
    by_section, total = group_stats(now, "section", tasklist)
    in_window = [e for e in entries if e.id in ids and since <= e.date <= min(until, as_of)]
    in_window.sort(key=lambda e: (e.date, e.id))
    texts = {task.id: task.text for task in tasks}

    stale_groups: dict[str, list[dict[str, Any]]] = {}
    for state in now:
        if not state.stale:
            continue
        item = {
            **_task_brief(state.task),
            "status": state.status,
            "updated": state.updated.isoformat() if state.updated else None,
            "days_since_report": state.days_since_report,
        }
        for dept in [normalize(n) for n in state.task.lead_departments] or ["（未填写）"]:
            stale_groups.setdefault(dept, []).append(item)

    return {
        "title": f"{tasklist.title or '任务清单'} 进度周报",
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
            for s in now
            if s.light == LIGHTS[0]
        ],
        "stale": [
            {"department": dept, "tasks": items}
            for dept, items in sorted(stale_groups.items(), key=lambda kv: -len(kv[1]))
        ],
        "by_section": [row.to_record() for row in by_section],
        "by_leader": [row.to_record() for row in group_stats(now, "leader", tasklist)[0]],
    }


# A renderer-neutral outline: (kind, payload) blocks.
Block = tuple[str, Any]


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
        ("h2", "分组情况（红/黄/绿灯任务数与完成率，最弱的在前）"),
        ("chart", ("按部分", report["by_section"])),
        ("chart", ("按责任领导", report["by_leader"])),
        ("h2", "本期变化"),
        ("h3", f"新填报（{len(report['new_entries'])} 条）"),
    ]
    if report["new_entries"]:
        blocks.append(
            (
                "table",
                (
                    ["序号", "日期", "状态", "进度", "说明", "填报人"],
                    [
                        [
                            str(e["id"]),
                            e["date"],
                            e["status"],
                            _percent(e["progress"]),
                            e["note"],
                            e["by"],
                        ]
                        for e in report["new_entries"]
                    ],
                ),
            )
        )
    else:
        blocks.append(("p", "本期无新填报。"))
    blocks.append(("h3", f"本期完成（{len(report['newly_completed'])} 项）"))
    blocks.append(
        (
            "ul",
            [
                f"序号 {t['id']} {_short(t['text'])}（{'、'.join(t['lead_departments'])}）"
                for t in report["newly_completed"]
            ]
            or ["无"],
        )
    )
    blocks.append(("h3", f"本期新增滞后（{len(report['newly_behind'])} 项）"))
    blocks.append(
        (
            "ul",
            [
                f"序号 {t['id']} {_short(t['text'])}（{'、'.join(t['lead_departments'])}）：{t['reason']}"
                for t in report["newly_behind"]
            ]
            or ["无"],
        )
    )
    blocks.append(("h2", f"红灯任务（{len(report['red'])} 项）"))
    if report["red"]:
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
    count = len({t["id"] for group in report["stale"] for t in group["tasks"]})
    blocks.append(
        ("h2", f"久未填报（{count} 项：{report['stale_days']} 天以上未填报，按牵头部门催办）")
    )
    if not report["stale"]:
        blocks.append(("p", "无。"))
    for group in report["stale"]:
        blocks.append(("h3", f"{group['department']}（{len(group['tasks'])} 项）"))
        items = [
            f"序号 {t['id']} {_short(t['text'])}：最近填报 {t['updated']}"
            f"（{t['days_since_report']} 天前，{t['status']}）"
            for t in group["tasks"]
            if t["updated"]
        ]
        never = [str(t["id"]) for t in group["tasks"] if not t["updated"]]
        if never:
            items.append(f"从未填报（{len(never)} 项）：序号 {'、'.join(never)}")
        blocks.append(("ul", items))
    return blocks


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
    out: list[str] = []
    for kind, payload in outline(report):
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + _md_text(payload))
        elif kind == "p":
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
    out: list[str] = []
    for kind, payload in outline(report):
        if kind == "h1":
            out.append(f"{payload}\n{'=' * 40}")
        elif kind == "h2":
            out.append(f"【{payload}】")
        elif kind == "h3":
            out.append(payload)
        elif kind == "p":
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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" '
        f'height="{height}" role="img" aria-label="{html.escape(title)}">',
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
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3e9e9}
.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
"""


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
            head = "".join(f"<th>{html.escape(h)}</th>" for h in headings)
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
        elif kind == "chart":
            title, rows = payload
            if "<svg" not in body[-1]:
                legend = "".join(
                    f'<span style="background:{COLOURS[k]}"></span>{name}灯'
                    for k, name in zip(("red", "yellow", "green"), LIGHTS, strict=True)
                )
                body.append(f'<p class="legend">{legend}</p>')
            body.append(f"<figure>{svg_chart(title, rows)}</figure>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
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
