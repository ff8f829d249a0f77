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


def _tsv(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """TSV: one line per record, cells made safe. Nearly always no cell holds a tab, a line
    break or a CR, and the whole text is checked at once instead of every cell."""
    rows = ["\t".join([column.text(record) for column in columns]) for record in records]
    body = "\n".join(rows)
    tabs = len(rows) * (len(columns) - 1)
    if "\r" not in body and body.count("\t") == tabs and body.count("\n") == len(rows) - 1:
        return printable(body) + "\n" if rows else ""
    cells = [[printable(column.text(record)) for column in columns] for record in records]
    return "".join("\t".join(_tsv_cell(cell) for cell in row) + "\n" for row in cells)


def render_text(records: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str) -> str:
    """Render to a string in any format except ``table`` (which needs a console) and ``plain``
    (fitted to a width: see :func:`plain_table`)."""
    if fmt == "json":
        import json

        return _json_safe(json.dumps(list(records), ensure_ascii=False, indent=2)) + "\n"
    if fmt == "tsv":
        return _tsv(records, columns)
    rows = [[printable(column.text(record)) for column in columns] for record in records]
    headings = [column.heading for column in columns]
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
    if fmt == "markdown":
        align = ["right" if column.numeric else "left" for column in columns]
        rows = [[cell.replace("|", "\\|").replace("\n", "<br>") for cell in row] for row in rows]
        return (
            _tabulate.tabulate(
                rows, headings, tablefmt="pipe", colalign=align, disable_numparse=True
            )
            + "\n"
        )
    raise ValueError(f"unknown format {fmt!r}")


def plain_table(
    rows: Sequence[Sequence[str]], columns: Sequence[Column], width: int | None
) -> tuple[str, list[str]]:
    """Aligned text, fitted to ``width`` cells when given; and the headings left out."""
    import tabulate as _tabulate

    from taskctl.layout import wrap

    _tabulate.WIDE_CHARS_MODE = True
    texts = [[row[i].replace("\n", " ") for row in rows] for i in range(len(columns))]
    kept, widths, dropped = list(range(len(columns))), None, list[str]()
    if width is not None:
        kept, widths, dropped = _fit(columns, texts, width, plain=True)
    cells = [
        ["\n".join(wrap(texts[i][r], widths[i])) if widths else texts[i][r] for i in kept]
        for r in range(len(rows))
    ]
    text = _tabulate.tabulate(
        cells,
        [columns[i].heading for i in kept],
        tablefmt="plain",
        colalign=["right" if columns[i].numeric else "left" for i in kept],
        disable_numparse=True,
    )
    return "\n".join(line.rstrip() for line in text.split("\n")) + "\n", dropped


def _fit(
    columns: Sequence[Column], texts: Sequence[Sequence[str]], width: int, *, plain: bool
) -> tuple[list[int], dict[int, int], list[str]]:
    """The columns that fit ``width`` (see :func:`taskctl.layout.fit`), their widths, and the
    headings of the columns with content that were left out. ``plain``: tabulate's layout,
    two spaces between columns and each heading two cells wider than its text; else rich's,
    one space."""
    from taskctl.layout import fit

    keys, headings = [c.key for c in columns], [c.heading for c in columns]
    gap = 2 if plain else 1
    kept, widths = fit(keys, headings, texts, width, gap, heading_pad=2 if plain else 0)
    dropped = [
        c.heading for i, c in enumerate(columns) if i not in kept and any(t for t in texts[i])
    ]
    return kept, widths, dropped


def _say_dropped(dropped: Sequence[str], width: int) -> None:
    if dropped:
        print(
            f"（宽 {width} 列，未显示：{'、'.join(dropped)}；加宽终端或用 --format json 可看全部）",
            file=sys.stderr,
        )


def terminal_width(stream: TextIO) -> int | None:
    """The width to fit: $COLUMNS when set, else the terminal's; ``None`` for a pipe."""
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    if is_terminal(stream):
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _console(stream: TextIO) -> Any:
    from rich.console import Console

    plain = no_color()  # NO_COLOR: no escape sequences at all, bold included
    console = Console(
        file=stream,
        force_terminal=is_terminal(stream),
        color_system=None if plain else "auto",  # None: no style is rendered at all
        highlight=False,
        soft_wrap=False,
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # rich would exit 1; a closed pipe is the caller's choice
    return console


def _broken_pipe() -> None:
    raise BrokenPipeError


def rich_table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None,
    width: int,
) -> tuple[Any, list[str]]:
    """A rich renderable for the records (lists shown one item per line), fitted to ``width``
    cells, and the headings of the columns with content that did not fit."""
    from rich import box
    from rich.table import Table

    from taskctl.layout import wrap

    texts = [[printable(column.text(record, "\n")) for record in records] for column in columns]
    kept, widths, dropped = _fit(columns, texts, width, plain=False)

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
    for i in kept:
        column = columns[i]
        table.add_column(
            column.heading,
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=column.numeric or column.key in NO_WRAP_KEYS,
            width=widths[i],
        )
    for row in range(len(records)):
        table.add_row(*(_cell(columns[i], "\n".join(wrap(texts[i][row], widths[i]))) for i in kept))
    return table, dropped


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
        console = _console(stream)
        table, dropped = rich_table(records, columns, title, console.width)
        _print(console, table, stream)
        _say_dropped(dropped, console.width)
        return
    if chosen == "plain":
        width = terminal_width(stream)
        text, dropped = plain_table(
            [[printable(column.text(record)) for column in columns] for record in records],
            columns,
            width,
        )
        stream.write(text)
        stream.flush()
        _say_dropped(dropped, width or 0)
        return
    stream.write(render_text(records, columns, chosen))
    stream.flush()


def _print(console: Any, renderable: Any, stream: TextIO) -> None:
    """Print; into a pipe or a file, without the spaces that pad each line to the width."""
    if is_terminal(stream):
        console.print(renderable)
    else:
        with console.capture() as captured:
            console.print(renderable)
        stream.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
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
        stream.flush()
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

        from taskctl.layout import cells, wrap

        console = _console(stream)
        label = max(cells(pair["field"]) for pair in pairs)
        room = max(console.width - label - 7, 10)  # 3 borders and 2 × 2 padding
        table = Table(title=_title(title), show_header=False, title_justify="left", show_lines=True)
        table.add_column("字段", style="bold", no_wrap=True)
        table.add_column("内容", overflow="fold")
        for pair in pairs:  # never markup
            table.add_row(
                Text(pair["field"]), _cell(pair_columns[1], "\n".join(wrap(pair["value"], room)))
            )
        _print(console, table, stream)
        return
    if chosen == "plain":
        stream.write(
            plain_table(
                [[p["field"], p["value"]] for p in pairs], pair_columns, terminal_width(stream)
            )[0]
        )
        stream.flush()
        return
    stream.write(render_text(pairs, pair_columns, chosen))
    stream.flush()
