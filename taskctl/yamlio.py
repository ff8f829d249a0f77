"""Safe YAML reading and writing with the C loader when present.

The reader refuses what a task list has no use for and what a crafted file could abuse:
duplicate keys, anchors and aliases (no alias bomb can make a command hang or eat memory),
bytes that are not UTF-8, and nesting deep enough to exhaust the stack.
"""

from __future__ import annotations

import contextlib
import gc
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
        # The reader stops at the first character it refuses: the line is that of its first
        # occurrence (the C reader's position counts bytes, not characters).
        refused = chr(exc.character) if isinstance(exc.character, int) else ""
        reader_line = text.count("\n", 0, text.find(refused)) + 1
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
