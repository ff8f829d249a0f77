"""The file name decides the format, or the command refuses.

``-o 周报.docx`` writes Word; ``--format`` that contradicts the extension, or an extension the
command cannot write (``.xls``, ``.doc``, ``.pdf``, ``.wps`` …), is an error naming what it can
write. Never content of one format under another format's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from taskctl.errors import InputError
from taskctl.export import SUFFIXES as EXPORT_SUFFIXES

REPORT_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}
LIST_SUFFIXES = {".yaml": "yaml", ".yml": "yaml"}  # what import writes: a tasks.yaml
# Office and print formats people try and taskctl writes none of (a 台账 is .xlsx, a 通报 .docx).
NEVER = {
    ".xls": "旧版 Excel",
    ".xlsm": "带宏的 Excel",
    ".et": "WPS 表格",
    ".ods": "OpenDocument 表格",
    ".doc": "旧版 Word",
    ".docm": "带宏的 Word",
    ".wps": "WPS 文字",
    ".odt": "OpenDocument 文字",
    ".rtf": "RTF",
    ".pdf": "PDF",
    ".ofd": "OFD",
}
KNOWN = {*REPORT_SUFFIXES, *EXPORT_SUFFIXES, ".tsv", *NEVER}


def _can_write(suffixes: Mapping[str, str]) -> str:
    return " ".join(suffixes)


def choose_format(
    output: PurePath | None,
    fmt: str | None,
    suffixes: Mapping[str, str],
    default: str,
    command: str,
) -> str:
    """The format to write: the one ``output``'s extension names, else ``fmt``, else ``default``.

    Raises :class:`InputError` for an extension the command cannot write and for a ``fmt`` that
    contradicts the extension, and for a name with no extension and no ``fmt`` (``-o 周报``). An
    extension nobody knows (``.out``) leaves the choice to ``fmt``/``default``.
    """
    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and not suffix and fmt is None:
        # 周报 with no extension would be Markdown that nothing opens as a document
        with_format = "，或用 --format 指明格式" if command != "import" else ""
        raise InputError(
            f"-o {output.name} 没有扩展名，看不出要写哪种格式；请写上扩展名"
            f"（可写：{_can_write(suffixes)}）{with_format}"
        )
    if suffix in suffixes:
        named = suffixes[suffix]
        if fmt is not None and fmt != named:
            raise InputError(
                f"--format {fmt} 与文件名 {output.name} 不符（{suffix} 是 {named}）；"  # type: ignore[union-attr]
                f"去掉 --format，或把文件名改为 {fmt} 的扩展名"
            )
        return named
    if suffix in KNOWN:
        what = f"{NEVER[suffix]}（{suffix}）" if suffix in NEVER else f"{suffix} "
        hint = ""
        if suffix in (".xls", ".et", ".ods", ".xlsm") and ".xlsx" in suffixes:
            hint = "；Excel 台账请用 .xlsx"
        elif suffix in (".doc", ".wps", ".odt", ".rtf", ".docm", ".pdf") and ".docx" in suffixes:
            hint = "；Word 通报请用 .docx（需要 PDF 时用 Word/WPS 另存）"
        raise InputError(f"taskctl {command} 不能写 {what}文件；可写：{_can_write(suffixes)}{hint}")
    return fmt or default


_UNSAFE_RUN = re.compile(r'[\s\x00-\x1f\x7f\\/:*?"<>|]+')
_UNSAFE_CHAR = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')
# A file name is at most 255 bytes on every common file system; the period and the suffix
# around a unit's part take well under the rest.
UNIT_PART_BYTES = 150


def unit_part(unit: str, fill: str = "_") -> str:
    """``unit`` as the part of a file name that names it, on any file system.

    Characters a file system refuses (``/ \\ : * ? " < > |``, control characters) become
    ``fill`` (``_``: runs of them and of spaces become one), the ends lose dots and spaces, and
    the part is cut to :data:`UNIT_PART_BYTES`. When anything was changed, eight characters
    of a hash of the full name follow: 发改局/粮食局 and 发改局:粮食局 get two files.
    """
    if fill == "_":
        safe = _UNSAFE_RUN.sub("_", unit).strip("._ ")
    else:
        safe = _UNSAFE_CHAR.sub(fill, unit).strip(". ")
    cut = safe.encode("utf-8")[:UNIT_PART_BYTES].decode("utf-8", "ignore")
    if cut == unit:
        return unit
    import hashlib

    digest = hashlib.sha1(unit.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cut or '单位'}-{digest}"


def check_distinct(targets: Sequence[tuple[str, PurePath]]) -> None:
    """Refuse a batch in which two units would get one file (names that differ only in case
    or Unicode form, on a file system that does not tell them apart)."""
    import unicodedata

    seen: dict[str, str] = {}
    for unit, path in targets:
        key = unicodedata.normalize("NFC", path.name).casefold()
        if key in seen and seen[key] != unit:
            raise InputError(
                f"单位「{seen[key]}」与「{unit}」的文件名相同（{path.name}）；"
                "请在清单中把其中一个单位名改得可以区分"
            )
        seen[key] = unit
