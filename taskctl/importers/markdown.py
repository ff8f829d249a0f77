"""The Markdown pipe table that ``taskctl export --format markdown`` writes.

Cells are escaped so the table reads back exactly: ``\\`` and ``|`` get a backslash, a line
break is ``<br>``, and ``<`` and ``&`` are written as ``&lt;`` and ``&amp;``.
"""

from __future__ import annotations

import re
from pathlib import Path

from taskctl.importers.table import Row, cell

_UNESCAPE = re.compile(r"\\(.)|<br>|&lt;|&amp;", re.DOTALL)
# |---|:---:| and, as GitHub Markdown allows, without the closing pipe: |---|---
_SEPARATOR_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?\s*$")


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace("\n", "<br>")
    )


def unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        return {"<br>": "\n", "&lt;": "<", "&amp;": "&"}[match.group(0)]

    return _UNESCAPE.sub(one, text)


def _split(line: str) -> list[str]:
    """Cells of ``| a | b |``: split on pipes not escaped, drop the one space of padding. The
    closing pipe may be left out (``| a | b``), as GitHub Markdown allows."""
    cells, current, index = [], "", 1
    body = line.rstrip("\r\n")
    while index < len(body):
        char = body[index]
        if char == "\\":  # with the character it escapes (none at the end of the line)
            current += body[index : index + 2]
            index += 2
            continue
        if char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
        index += 1
    if current.strip():  # the last cell, with no pipe after it
        cells.append(current.rstrip())
    return [c[1:-1] if c.startswith(" ") and c.endswith(" ") else c.strip(" ") for c in cells]


def split_markdown(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("|"):
            if not _SEPARATOR_ROW.match(line):
                rows.append(Row(tuple(cell(unescape(c)) for c in _split(line)), number))
        elif line.strip():
            rows.append(Row((cell(line.lstrip("#").strip()),), number))
    return rows


def read_markdown(path: Path) -> tuple[list[Row], str]:
    from taskctl.importers.encoding import decode
    from taskctl.yamlio import read_bytes

    text, encoding = decode(read_bytes(path), path)
    return split_markdown(text), encoding
