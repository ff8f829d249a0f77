"""The one place that decides how results look: rich table, aligned text, TSV, CSV, Markdown, JSON.

Commands hand over records (dicts with the stable English keys) and the columns to show; this
module picks the format (``auto`` means a rich table on a terminal, TSV when piped) and writes.
rich and tabulate are imported only when their format is used.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

FORMATS = ("auto", "table", "plain", "tsv", "csv", "markdown", "json")
RATIOS = {
    "text": 4,
    "title": 4,
    "note": 4,
    "value": 4,
    "leaders": 1,
    "lead_departments": 1,
    "departments": 1,
}
NO_WRAP_KEYS = frozenset({"updated", "deadline", "date", "bar", "light"})
LIGHT_STYLES = {"红": "bold red", "黄": "yellow", "绿": "green"}
BAR_STYLES = {"█": "red", "▒": "yellow", "░": "green", "#": "red", "+": "yellow", ".": "green"}
LIST_SEPARATOR = "、"


class Column:
    """A column: the record key, its heading, and how to turn the value into text."""

    # A plain class rather than a dataclass: defining one costs start-up time on every call.
    __slots__ = ("key", "heading", "render", "numeric")

    def __init__(
        self,
        key: str,
        heading: str,
        render: Callable[[Any], str] | None = None,
        numeric: bool = False,
    ) -> None:
        self.key = key
        self.heading = heading
        self.render = render
        self.numeric = numeric

    def __repr__(self) -> str:
        return f"Column({self.key!r}, {self.heading!r})"

    def text(self, record: dict[str, Any], separator: str = LIST_SEPARATOR) -> str:
        value = record.get(self.key)
        if self.render is not None:
            return self.render(value)
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return separator.join(str(v) for v in value)
        return str(value)


# C0 controls but TAB and LF, DEL, C1 controls, and lone surrogates: what a note or a name
# could carry to a terminal (screen clears, OSC 52 clipboard writes) or fail to encode.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else f"\\x{ord(char):02x}"


def printable(text: str) -> str:
    """``text`` safe to print: control characters shown as ``\\x1b`` and the like, lone
    surrogates as U+FFFD; line breaks and tabs kept."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def safe_text(text: str, fmt: str) -> str:
    """A whole document made safe to print: :func:`printable`, or for JSON the same
    characters as ``\\u`` escapes (which keeps it valid JSON)."""
    return _json_safe(text) if fmt == "json" else printable(text)


def _json_safe(text: str) -> str:
    """JSON text with DEL and C1 controls escaped as well (``json`` escapes only C0)."""
    return re.sub("[\x7f-\x9f\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal (tests patch this to force either path)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def choose_format(requested: str, stream: TextIO) -> str:
    """``auto`` becomes ``table`` on a terminal and ``tsv`` otherwise; other formats stay."""
    if requested == "auto":
        return "table" if is_terminal(stream) else "tsv"
    return requested


def no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def _tsv_cell(text: str) -> str:
    if "\t" not in text and "\n" not in text:  # nearly always: skip the copies
        return text
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")


def render_text(records: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str) -> str:
    """Render to a string in any format except ``table`` (which needs a console)."""
    if fmt == "json":
        import json

        return _json_safe(json.dumps(list(records), ensure_ascii=False, indent=2)) + "\n"
    rows = [[printable(column.text(record)) for column in columns] for record in records]
    headings = [column.heading for column in columns]
    if fmt == "tsv":
        return "".join("\t".join(_tsv_cell(cell) for cell in row) + "\n" for row in rows)
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headings)
        writer.writerows(rows)
        return buffer.getvalue()
    import tabulate as _tabulate

    _tabulate.WIDE_CHARS_MODE = True
    align = ["right" if column.numeric else "left" for column in columns]
    if fmt == "markdown":
        rows = [[cell.replace("|", "\\|").replace("\n", "<br>") for cell in row] for row in rows]
        return (
            _tabulate.tabulate(
                rows, headings, tablefmt="pipe", colalign=align, disable_numparse=True
            )
            + "\n"
        )
    if fmt == "plain":
        rows = [[cell.replace("\n", " ") for cell in row] for row in rows]
        return (
            _tabulate.tabulate(
                rows, headings, tablefmt="plain", colalign=align, disable_numparse=True
            )
            + "\n"
        )
    raise ValueError(f"unknown format {fmt!r}")


def _console(stream: TextIO) -> Any:
    from rich.console import Console

    plain = no_color()  # NO_COLOR: no escape sequences at all, bold included
    console = Console(
        file=stream,
        force_terminal=is_terminal(stream),
        color_system=None if plain else "auto",
        no_color=plain or None,
        highlight=False,
        soft_wrap=False,
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # rich would exit 1; a closed pipe is the caller's choice
    return console


def _broken_pipe() -> None:
    raise BrokenPipeError


def rich_table(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None
) -> Any:
    """A rich renderable for the records (lists shown one item per line)."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=_title(title),
        header_style="bold",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),
        collapse_padding=True,
        pad_edge=False,
    )
    for column in columns:
        # Free text takes most of the spare width, name lists some; short columns keep theirs.
        table.add_column(
            column.heading,
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=column.numeric or column.key in NO_WRAP_KEYS,
            ratio=RATIOS.get(column.key),
        )
    for record in records:
        table.add_row(*(_cell(column, printable(column.text(record, "\n"))) for column in columns))
    return table


def _title(title: str | None) -> Any:
    """A table title as plain text: names in it are never read as rich markup or escapes."""
    if title is None:
        return None
    from rich.text import Text

    return Text(printable(title))


def _cell(column: Column, text: str) -> Any:
    """Cell text as rich Text: never parsed as markup; lights and light bars in their colours."""
    from rich.text import Text

    if column.key == "light" and text in LIGHT_STYLES:
        return Text(text, style=LIGHT_STYLES[text])
    if column.key == "bar":
        bar = Text()  # glyphs and colours: see taskctl.cli.progress.light_bar
        for char in text:
            bar.append(char, style=BAR_STYLES.get(char, ""))
        return bar
    return Text(text)


def emit(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str = "auto",
    stream: TextIO | None = None,
    title: str | None = None,
) -> None:
    """Write the records to ``stream`` (stdout) in the chosen format."""
    stream = stream or sys.stdout
    chosen = choose_format(fmt, stream)
    if chosen == "table":
        _console(stream).print(rich_table(records, columns, title))
        stream.flush()
        return
    stream.write(render_text(records, columns, chosen))
    stream.flush()


def emit_record(
    record: dict[str, Any],
    fields: Sequence[Column],
    fmt: str = "auto",
    stream: TextIO | None = None,
    title: str | None = None,
) -> None:
    """Write one record as field/value pairs (``show``); JSON writes the object itself."""
    stream = stream or sys.stdout
    chosen = choose_format(fmt, stream)
    if chosen == "json":
        import json

        stream.write(_json_safe(json.dumps(record, ensure_ascii=False, indent=2)) + "\n")
        return
    pairs = [
        {
            "field": column.heading,
            "value": printable(column.text(record, "\n" if chosen == "table" else LIST_SEPARATOR)),
        }
        for column in fields
    ]
    pair_columns = [Column("field", "字段"), Column("value", "内容")]
    if chosen == "table":
        from rich.table import Table
        from rich.text import Text

        table = Table(title=_title(title), show_header=False, title_justify="left", show_lines=True)
        table.add_column("字段", style="bold", no_wrap=True)
        table.add_column("内容", overflow="fold")
        for pair in pairs:
            table.add_row(Text(pair["field"]), Text(pair["value"]))  # never markup
        _console(stream).print(table)
        stream.flush()
        return
    stream.write(render_text(pairs, pair_columns, chosen))
    stream.flush()
