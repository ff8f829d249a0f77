"""A 台账 saved as CSV (Excel's "CSV UTF-8" or plain "CSV", which is GBK on Chinese Windows)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from taskctl.importers.table import Row, cell

# The guard taskctl puts before a cell that a spreadsheet would run as a formula (see export).
GUARD = "'"
GUARDED = ("=", "+", "-", "@", "\t", "\r", GUARD)


def unguard(text: str) -> str:
    """Undo :func:`taskctl.export.guard`: ``'=1+1`` becomes ``=1+1``; other text is unchanged."""
    return text[1:] if text[:1] == GUARD and text[1:2] in GUARDED else text


def split_csv(text: str, delimiter: str = ",") -> list[Row]:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for values in reader:
        rows.append(Row(tuple(cell(unguard(value)) for value in values), start))
        start = reader.line_num + 1
    return rows


def read_csv(path: Path) -> tuple[list[Row], str]:
    """The rows of a CSV (``.tsv``: TAB-separated) and the encoding it was in."""
    from taskctl.importers.encoding import decode
    from taskctl.yamlio import read_bytes

    text, encoding = decode(read_bytes(path), path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    return split_csv(text, delimiter), encoding
