"""Fitting a table of Chinese text to a terminal's width.

Two rules a reader of Chinese expects, and a terminal table by itself breaks:

* a line never breaks inside a number with its unit (``增长15%``, ``7.28亿元``, ``50个``), and
  never starts with closing punctuation (``，。、；）”``) nor ends with opening punctuation;
* at a narrow width the task text keeps at least half of the line: the columns that matter
  least give way first (empty ones, then those named in :data:`DROP_ORDER`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wcwidth import wcswidth

UNITS = (
    "万平方米|平方公里|平方米|千瓦时|万千瓦|万吨|万亩|万元|亿元|万人|万户|万株|公里|千米|"
    "小时|个|亿|万|元|吨|亩|户|人|家|所|座|条|项|台|套|辆|米|次|倍|年|月|日|天|名|张|只|处|栋|间|"
    "公顷|千克|斤|件|批|期|场|%|％|‰"
)
# A number (ASCII or full-width digits, with decimals, thousands or ratios) and its unit; a run
# of Latin letters; or any one character.
_TOKEN = re.compile(
    rf"[0-9０-９]+(?:[.,:．][0-9０-９]+)*(?:{UNITS})?|[A-Za-z][A-Za-z0-9_.\-]*|.", re.S
)
CLOSING = set("，。、；：！？）》」』】〕”’…·,.;:!?)]}%％‰")
OPENING = set("（《「『【〔“‘([{")


def cells(text: str) -> int:
    """Terminal cells ``text`` takes (CJK characters take two)."""
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def atoms(text: str) -> list[str]:
    """``text`` cut where a line may break: numbers keep their unit, punctuation its neighbour."""
    result: list[str] = []
    glue_next = False
    for token in _TOKEN.findall(text):
        if result and (glue_next or token[0] in CLOSING):
            result[-1] += token
        else:
            result.append(token)
        glue_next = token[-1] in OPENING
    return result


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells (an atom wider than that is cut where it must be)."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for atom in atoms(paragraph):
            size = cells(atom)
            if used + size <= width:
                line, used = line + atom, used + size
                continue
            if line:
                lines.append(line)
            while size > width:  # longer than a whole line: cut by character
                head, head_size = "", 0
                for char in atom:
                    if head_size + cells(char) > width and head:
                        break
                    head, head_size = head + char, head_size + cells(char)
                lines.append(head)
                atom = atom[len(head) :]
                size = cells(atom)
            line, used = atom, size
        lines.append(line)
    return lines


def natural_width(texts: Sequence[str]) -> int:
    return max((cells(line) for text in texts for line in text.split("\n")), default=0)


# Which columns give way first when the line is too narrow for the task text to keep half of it.
DROP_ORDER = (
    "bar",
    "section",
    "updated",
    "recorded_at",
    "via",
    "departments",
    "by",
    "progress",
    "role",
    "status",
    "lead_departments",
    "leaders",
    "green",
    "yellow",
    "not_started",
    "on_track",
    "overdue",
)
STAND_IN_WIDTH = 16
FLEX_KEYS = ("text", "title", "note", "value", "message")
NUMERIC_KEYS = ("id", "tasks", "lead", "support", "via_group", "declared", "actual", "bar")
NAME_KEYS = ("leaders", "lead_departments", "departments")
NAME_CAP = 12  # cells: a longer unit name wraps inside its column


def fit(
    keys: Sequence[str],
    headings: Sequence[str],
    columns_text: Sequence[Sequence[str]],
    width: int,
    gap: int = 1,
    heading_pad: int = 0,
) -> tuple[list[int], dict[int, int]]:
    """Choose the columns to show and their widths for a line of ``width`` cells.

    ``columns_text[i]`` holds the cell texts of column ``i``. Returns the indexes kept (in
    order) and the width of each (a heading takes ``heading_pad`` cells more than its text, as
    tabulate pads it). A table without free text (no key in :data:`FLEX_KEYS`)
    loses only its empty columns."""
    kept = [i for i, texts in enumerate(columns_text) if any(t.strip() for t in texts)]
    if not kept:
        kept = list(range(len(keys)))
    flex = [i for i in kept if keys[i] in FLEX_KEYS]
    natural = {
        i: max(
            cells(headings[i]) + heading_pad if i not in flex else 4, natural_width(columns_text[i])
        )
        for i in kept
    }
    target = width // 2
    if not flex:  # the widest column of words stands in for the free text, wanting less
        words = [i for i in kept if keys[i] not in NUMERIC_KEYS]
        if not words:
            return kept, natural
        flex = [max(words, key=lambda i: natural[i])]
        target = min(natural[flex[0]], STAND_IN_WIDTH)
    main = flex[0]
    widths = dict(natural)
    for i in kept:
        if keys[i] in NAME_KEYS:
            widths[i] = min(natural[i], max(NAME_CAP, cells(headings[i]) + heading_pad))

    def room() -> int:
        fixed = sum(widths[i] for i in kept if i not in flex)
        return width - fixed - gap * (len(kept) - 1)

    target = min(target, sum(natural[i] for i in flex))  # text that fits needs no more
    for key in DROP_ORDER:
        if room() >= target + 4 * (len(flex) - 1):
            break
        for i in kept:
            if keys[i] == key and i not in flex:
                kept.remove(i)
                break
    spare = max(room(), 4 * len(flex))
    others = [i for i in flex if i != main]
    for i in others:  # a second free-text column gets a share, never more than it needs
        widths[i] = max(4, min(natural[i], spare // (len(flex) + 1)))
    widths[main] = max(4, min(natural[main], spare - sum(widths[i] for i in others)))
    return kept, {i: widths[i] for i in kept}
