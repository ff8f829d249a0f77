"""Lists published as paragraphs, not tables (in Word or as plain text).

Two forms, often mixed::

    一、稳增长
    1.新建5G基站100个。（责任领导：王某某；牵头单位：工信局；责任单位：各镇街道）
    2.开工项目30个。
    牵头负责领导：李某
    牵头单位：发改局
    责任单位：各镇、街道

A numbered paragraph starts a task; a bracket at its end whose parts are ``label：names``, or
lines of that form after it, give its columns (the label read by its role, as a table heading
is); any other paragraph continues the task's text. 一、 and （一） paragraphs are parts, unless
a 责任单位/牵头单位/完成时限 follows them: then they, and 一是、二是 paragraphs so followed, are
the tasks (numbered on, their own numbering kept as 原编号). A heading naming a leader with a
title (王某某市长主抓重点工作) is a part too. The
paragraphs become rows under a heading row made of the labels found, so the table rules apply.
"""

from __future__ import annotations

import re

from taskctl.importers.roles import DEADLINE, LEAD, TEXT, UNITS, classify
from taskctl.importers.table import Row, cell, named_leaders

_TASK = re.compile(r"^\s*(?P<id>[1-9]\d{0,3})\s*[.．、]\s*(?P<text>\S.*)$", re.DOTALL)
_PART = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)])"
)
_N = "[一二三四五六七八九十百]+"
# （一）…, 一、… or 一是… : a task when 责任单位 and the like follow it (see :func:`_items`).
_ITEM = re.compile(
    rf"^\s*(?P<own>[（(]\s*{_N}\s*[）)]\s*[、.．]?|{_N}\s*[、.．]|{_N}是[，,：:]?)\s*(?P<text>\S.*)$",
    re.DOTALL,
)
WRITTEN_NUMBER = "原编号"
_LABEL_LINE = re.compile(r"^\s*(?P<label>[^：:，。；;]{2,10}?)\s*[：:]\s*(?P<value>.*?)\s*$")
_TAIL = re.compile(r"[（(](?P<body>[^（）()]*[：:][^（）()]*)[）)]\s*[。.]?\s*$")
TEXT_HEADING = "任务"


def _pairs(body: str) -> list[tuple[str, str]] | None:
    """``责任领导：X；牵头单位：Y`` as (label, value) pairs; None when a part has no known label."""
    pairs = []
    for part in re.split("[；;]", body):
        if not part.strip():
            continue
        match = _LABEL_LINE.match(part)
        if not match or classify(match["label"]) in (None, TEXT):
            return None
        pairs.append((" ".join(match["label"].split()), match["value"]))
    return pairs or None


def _column(label: str, labels: list[str]) -> str:
    """The column a label fills: the first label of its role (责任领导 and 牵头负责领导 are one
    column), except that every kind of 责任单位/配合单位 keeps its own."""
    role = classify(label)
    if role == UNITS:
        return label
    return next((known for known in labels if classify(known) == role), label)


def _gives_units(label: str) -> bool:
    """A label that only a task carries (a part may name its leader, never its units)."""
    return classify(label) in (LEAD, UNITS, DEADLINE)


def _items(texts: list[str]) -> set[int]:
    """Indexes of the paragraphs numbered （一） or 一是 (or 一、) that are tasks: each followed,
    before the next numbered paragraph, by a 责任单位/牵头单位/完成时限 line, or ending in a
    bracket that names them. Such a paragraph without them is a part heading (or more text)."""
    found: set[int] = set()
    for index, text in enumerate(texts):
        match = _ITEM.match(text)
        if not match or _TASK.match(text):
            continue
        tail = _TAIL.search(match["text"])
        pairs = _pairs(tail["body"]) if tail else None
        if pairs and any(_gives_units(label) for label, _ in pairs):
            found.add(index)
            continue
        for following in texts[index + 1 :]:
            if _TASK.match(following) or _ITEM.match(following):
                break
            label = _LABEL_LINE.match(following)
            if label and _gives_units(label["label"]):
                found.add(index)
                break
    return found


def paragraph_rows(paragraphs: list[tuple[str, int, bool]]) -> list[Row]:
    """Rows from paragraphs given as (text, line, bold): preamble, heading row, parts, tasks.

    A task numbered 1. keeps its number as 序号; one numbered （一） or 一是 is numbered on from
    the task before it, its own numbering kept in a column 原编号."""
    paragraphs = [p for p in paragraphs if p[0].strip()]
    items = _items([text for text, _, _ in paragraphs])
    preamble: list[Row] = []
    body: list[tuple[str, int, bool, str | None, list[tuple[str, str]], str]] = []
    labels: list[str] = []
    started = False
    last = 0
    for index, (text, line, bold) in enumerate(paragraphs):
        task = _TASK.match(text)
        item = _ITEM.match(text) if index in items else None
        if task or item:
            started = True
            if task:
                own, number, written = task["text"], task["id"], ""
            else:
                assert item is not None
                own, number, written = item["text"], str(last + 1), "".join(item["own"].split())
            last = max(last, int(number))
            pairs: list[tuple[str, str]] = []
            tail = _TAIL.search(own)
            if tail and (found := _pairs(tail["body"])):
                pairs = found
                own = own[: tail.start()].rstrip()
            body.append((own, line, bold, number, pairs, written))
        elif (
            started
            and body
            and body[-1][3] is not None
            and (match := _LABEL_LINE.match(text))
            and classify(match["label"]) not in (None, TEXT)
        ):
            body[-1][4].append((" ".join(match["label"].split()), match["value"]))
        elif _PART.match(text) or bold or named_leaders(text.strip()):
            started = True
            body.append((text.strip(), line, bold, None, [], ""))
        elif started and body and body[-1][3] is not None:
            own, first, was_bold, number, pairs, written = body[-1]
            more = text.strip()
            tail = _TAIL.search(more)
            if tail and (found := _pairs(tail["body"])):
                pairs.extend(found)
                more = more[: tail.start()].rstrip()
            body[-1] = (f"{own}\n{more}", first, was_bold, number, pairs, written)
        elif started:
            body.append((text.strip(), line, bold, None, [], ""))
        else:
            preamble.append(Row((cell(text.strip()),), line))
        for label, _ in body[-1][4] if body else ():
            column = _column(label, labels)
            if column not in labels:
                labels.append(column)
    if not any(entry[3] is not None for entry in body):
        return preamble
    first_line = next(entry[1] for entry in body if entry[3] is not None)
    numbered = any(entry[5] for entry in body)
    headings = ["序号", TEXT_HEADING, *labels, *([WRITTEN_NUMBER] if numbered else [])]
    rows = [*preamble, Row(tuple((h,) for h in headings), first_line)]
    for text, line, bold, number, pairs, written in body:
        if number is None:
            rows.append(Row((cell(text),), line, bold=bold))
            continue
        values = dict.fromkeys(labels, "")
        for label, value in pairs:
            column = _column(label, labels)
            values[column] = f"{values[column]}、{value}" if values[column] else value
        cells = [cell(number), cell(text), *(cell(values[k]) for k in labels)]
        if numbered:
            cells.append(cell(written))
        rows.append(Row(tuple(cells), line))
    return rows
