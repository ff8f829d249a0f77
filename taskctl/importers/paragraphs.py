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
is); any other paragraph continues the task's text. 一、 and （一） paragraphs are parts. The
paragraphs become rows under a heading row made of the labels found, so the table rules apply.
"""

from __future__ import annotations

import re

from taskctl.importers.roles import TEXT, UNITS, classify
from taskctl.importers.table import Row, cell

_TASK = re.compile(r"^\s*(?P<id>\d{1,4})\s*[.．、]\s*(?P<text>\S.*)$", re.DOTALL)
_PART = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)])"
)
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


def paragraph_rows(paragraphs: list[tuple[str, int, bool]]) -> list[Row]:
    """Rows from paragraphs given as (text, line, bold): preamble, heading row, parts, tasks."""
    preamble: list[Row] = []
    body: list[tuple[str, int, bool, str | None, list[tuple[str, str]]]] = []
    labels: list[str] = []
    started = False
    for text, line, bold in paragraphs:
        if not text.strip():
            continue
        task = _TASK.match(text)
        if task:
            started = True
            own = task["text"]
            pairs: list[tuple[str, str]] = []
            tail = _TAIL.search(own)
            if tail and (found := _pairs(tail["body"])):
                pairs = found
                own = own[: tail.start()].rstrip()
            body.append((own, line, bold, task["id"], pairs))
        elif (
            started
            and body
            and body[-1][3] is not None
            and (match := _LABEL_LINE.match(text))
            and classify(match["label"]) not in (None, TEXT)
        ):
            body[-1][4].append((" ".join(match["label"].split()), match["value"]))
        elif _PART.match(text) or (bold and not _TASK.match(text)):
            started = True
            body.append((text.strip(), line, bold, None, []))
        elif started and body and body[-1][3] is not None:
            own, first, was_bold, number, pairs = body[-1]
            more = text.strip()
            tail = _TAIL.search(more)
            if tail and (found := _pairs(tail["body"])):
                pairs.extend(found)
                more = more[: tail.start()].rstrip()
            body[-1] = (f"{own}\n{more}", first, was_bold, number, pairs)
        elif started:
            body.append((text.strip(), line, bold, None, []))
        else:
            preamble.append(Row((cell(text.strip()),), line))
        for label, _ in body[-1][4] if body else ():
            column = _column(label, labels)
            if column not in labels:
                labels.append(column)
    if not any(number is not None for *_, number, _ in body):
        return preamble
    first_line = next(line for _, line, _, number, _ in body if number is not None)
    headings = ["序号", TEXT_HEADING, *labels]
    rows = [*preamble, Row(tuple((h,) for h in headings), first_line)]
    for text, line, bold, number, pairs in body:
        if number is None:
            rows.append(Row((cell(text),), line, bold=bold))
            continue
        values = dict.fromkeys(labels, "")
        for label, value in pairs:
            column = _column(label, labels)
            values[column] = f"{values[column]}、{value}" if values[column] else value
        rows.append(Row((cell(number), cell(text), *(cell(values[k]) for k in labels)), line))
    return rows
