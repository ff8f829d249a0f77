"""Safe YAML reading and writing with the C loader when present.

The reader refuses what a task list has no use for and what a crafted file could abuse:
duplicate keys, anchors and aliases (no alias bomb can make a command hang or eat memory),
bytes that are not UTF-8, and nesting deep enough to exhaust the stack.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError


class LineDict(dict):
    """A mapping that remembers the 1-based line where it starts in its file."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: object) -> int:
        """The line of ``key`` (or of the mapping when the key is absent)."""
        return self.key_lines.get(key, self.line)


_LOADER: Any = None


def _loader_class() -> Any:
    """The strict loader, built on first use: reading a log or a cached list (which only decode
    bytes) never imports PyYAML."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    # the C parser is several times faster on a large list
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StrictLoader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects or node in self.recursive_objects:
                raise DataFileError(
                    self._taskctl_path,
                    "不支持 YAML 锚点和别名（& 与 *），请把内容直接写出",
                    node.start_mark.line + 1,
                )
            return super().construct_object(node, deep=deep)

        def construct_yaml_map(self, node: Any) -> Any:
            data = LineDict()
            data.line = node.start_mark.line + 1
            data.key_lines = {}
            yield data
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.get(key)
                except TypeError:
                    raise DataFileError(self._taskctl_path, "键必须是文字", line) from None
                if first is not None:
                    raise DataFileError(
                        self._taskctl_path, f"键「{key}」重复（第一次出现在第 {first} 行）", line
                    )
                seen[key] = line
                data.key_lines[key] = line
                data[key] = self.construct_object(value_node, deep=True)

    _StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)
    _LOADER = _StrictLoader
    return _LOADER


def decode_utf8(raw: bytes, path: object) -> str:
    """Decode UTF-8 (a leading BOM is dropped); the error names the line of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            path, f"不是 UTF-8 编码的文本{_guess_encoding(raw)}，请以 UTF-8 另存后再试", line
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def decode_utf8_lines(raw: bytes, path: object, first_line: int = 1) -> str:
    """Decode UTF-8 one line at a time, for an append-only log.

    A writer killed mid-write can cut a record inside a multi-byte character: such a line
    (valid UTF-8 up to a character cut short at its end) keeps its whole characters and gets
    U+FFFD in place of the cut one, so that it reads as the torn record it is rather than making
    the whole file unreadable. Any other bad byte is an error naming its line. A leading BOM of
    the file (``first_line`` 1) is dropped.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        lines = []
        for number, line in enumerate(raw.split(b"\n"), start=first_line):
            try:
                lines.append(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data" or exc.end != len(line):
                    raise DataFileError(
                        path,
                        f"不是 UTF-8 编码的文本{_guess_encoding(raw)}，请以 UTF-8 另存后再试",
                        number,
                    ) from None
                lines.append(line[: exc.start].decode("utf-8") + "\ufffd")
        text = "\n".join(lines)
    return text[1:] if first_line == 1 and text.startswith("\ufeff") else text


def _guess_encoding(raw: bytes) -> str:
    """A hint for the usual culprits: Notepad's "Unicode" (UTF-16) and GBK ("ANSI")."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "（看起来是 UTF-16，即记事本的“Unicode”）"
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return ""
    return "（看起来是 GBK，即 Windows 的“ANSI”编码）"


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes: a FIFO or a device is refused, never read (see
    :func:`taskctl.fsutil.read_regular`)."""
    from taskctl.fsutil import read_regular

    return read_regular(path)


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large acyclic structure.

    A list builds millions of objects and no cycles (aliases are refused): the collector would
    only rescan them again and again, making a 100 000-task parse about three times slower.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_yaml(text: str, path: object) -> Any:
    """Parse YAML safely; every failure is a :class:`DataFileError` naming file and line."""
    if "\x00" in text:
        raise DataFileError(
            path, "含有 NUL 字符，不是文本文件", text.count("\n", 0, text.index("\x00")) + 1
        )
    import yaml

    loader = _loader_class()(text)
    loader._taskctl_path = path
    try:
        with no_gc():
            return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(exc.problem or exc.context or "无法解析").split())
        raise DataFileError(path, f"YAML 格式错误：{problem}", line) from None
    except yaml.reader.ReaderError as exc:
        reader_line = text.count("\n", 0, exc.position or 0) + 1
        code = f"#x{exc.character:04X}" if isinstance(exc.character, int) else "?"
        raise DataFileError(
            path, f"含有不可用的控制字符（{code}），不是文本文件", reader_line
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"YAML 格式错误：{' '.join(str(exc).split())}") from None
    except RecursionError:
        raise DataFileError(path, "嵌套层次过深，不是任务清单") from None
    except (ValueError, OverflowError):  # e.g. 2023-02-30, which YAML reads as a date
        raise DataFileError(path, "含有无效的日期或数值（如 2023-02-30）") from None
    finally:
        loader.dispose()


# A plain scalar starting like something YAML 1.1 or 1.2 may read as other than text, at the
# start of a line (a key or an item) or after a key. Separate patterns with a literal first
# character: an alternation at every position would scan a 27 MB list several times slower.
_TOKEN = r"(?P<token>(?:-(?![ ]|$)|[+.0-9~yYnNtTfFoO<=])(?:[^\s:]|:(?![ ]|$)|[ ]+(?![ #]|$))*)"
# The indentation and "- " marks before a token, taken whole (a token never starts with a
# space or "- ", so giving any back could not match): possessive where Python has it, else the
# lookahead-and-backreference form of the same. Backtracking over every line's indentation
# made this scan of a 27 MB list take 0.4 s.
_LEAD = (
    r"[ ]*+(?:-[ ]+)*+" if sys.version_info >= (3, 11) else r"(?=(?P<lead>[ ]*(?:-[ ]+)*))(?P=lead)"
)
_TYPED_ITEM = re.compile(r"\n" + _LEAD + _TOKEN, re.MULTILINE)
# A plain decimal integer that ends its line (or is followed by a comment) reads alike in both:
# skipped in the pattern itself, since a list has one on every task (序号).
_PLAIN_INT = r"(?!-?(?:0|[1-9][0-9]{0,17})(?:[ ]*$|[ ]+#))"
_TYPED_VALUE = re.compile(r": [ ]*" + _PLAIN_INT + _TOKEN, re.MULTILINE)
# The forms both read alike: decimal integers and fractions, ISO dates (checked to exist),
# and the common spellings of true, false and null.
_AGREED = re.compile(
    r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,15})?|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)
_ASCII = re.compile(r"[\x20-\x7e]*")
# Characters PyYAML refuses or reads as a line break (tabs and carriage returns too), a BOM
# inside the text, and backslashes (escapes are left to PyYAML).
_ODD_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
# Anchors, aliases and tags; flow collections other than the empty [] and {} the writer uses.
_NODE_PROPERTY = re.compile(r"(?:^|[\s,\[{])[&*!]", re.MULTILINE)
_FLOW = re.compile(r"(?:^|[\s,\[{])(?:\[(?!\]$)|\{(?!\}$))", re.MULTILINE)
# Block scalars, and quoted scalars with no other than ASCII on their first line (yaml-rs reads
# a quoted '2023-06-30' as a date, where PyYAML keeps the text; text with a Chinese character
# in it is text for both).
_QUOTED = re.compile(
    r"(?:^[ ]*(?:-[ ]+)*|: [ ]*)(?:[|>]|['\"](?![^'\"\n\x80-\U0010ffff]*[^\x00-\x7f]))",
    re.MULTILINE,
)
# Complex keys, and "- - -" nesting (with indentation under 64, the depth stays small).
_COMPLEX_KEY = re.compile(r"^[ ]*(?:-[ ]+)*\?(?:[ ]|$)", re.MULTILINE)
_NESTED_ITEM = re.compile(r"-[ ]+-(?:[ ]|$)")


def _doubtful(text: str) -> bool:
    """Whether ``text`` uses anything beyond the plain block style both parsers read alike.
    Each pattern is only searched for when its characters occur at all."""
    lines = "\n" + text
    if (
        _ODD_CHARACTER.search(text)
        or "\n%" in lines
        or "\n---" in lines
        or "\n..." in lines
        or "\n" + " " * 64 in lines
    ):
        return True
    if ("&" in text or "*" in text or "!" in text) and _NODE_PROPERTY.search(text):
        return True
    empty = text.count(" []\n") + text.count(" {}\n")
    if text.count("[") + text.count("{") != empty and _FLOW.search(text):
        return True
    if any(mark in text for mark in "|>'\"") and _QUOTED.search(text):
        return True
    if "?" in text and _COMPLEX_KEY.search(text):
        return True
    return "- -" in text and _NESTED_ITEM.search(text) is not None


def fast_load(text: str) -> Any:
    """The data of ``text`` through yaml-rs (several times faster than PyYAML on a large list),
    or ``None`` whenever its answer could differ from :func:`load_yaml`'s in the slightest.

    Only plain block-style YAML is taken: every scalar that either YAML 1.1 (PyYAML) or 1.2
    (yaml-rs) could read as other than text must be written in a form both read alike;
    anything else (yes/no, octal, exponents, times, anchors, tags, quotes that begin with
    ASCII, impossible dates…) returns ``None`` and the caller uses PyYAML, which also names
    the line of any error. ``TASKCTL_FAST_YAML=0`` turns it off.
    """
    if os.environ.get("TASKCTL_FAST_YAML") == "0" or _doubtful(text):
        return None
    try:
        import yaml_rs
    except ImportError:
        return None
    lines = "\n" + text
    tokens = {
        m.group("token") for pattern in (_TYPED_ITEM, _TYPED_VALUE) for m in pattern.finditer(lines)
    }
    for token in tokens:  # each distinct one once: a list repeats its 完成时限 dates
        if _AGREED.fullmatch(token):
            if token[4:5] == "-" and not _real_date(token):
                return None
        elif _ASCII.fullmatch(token):
            return None
    try:
        with no_gc():
            data = yaml_rs.loads(text)
    except Exception:  # any refusal: PyYAML says what is wrong, and where
        return None
    return data


def _real_date(token: str) -> bool:
    import datetime as _dt

    try:
        _dt.date.fromisoformat(token)
    except ValueError:
        return False
    return True


def dump_yaml(data: Any) -> str:
    """YAML with readable Chinese (no escapes), keys in the given order, no line folding."""
    import yaml

    return yaml.dump(
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
