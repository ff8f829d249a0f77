"""Load and save ``tasks.yaml``: the document's own keys, checked into the model.

File format (documented in the README)::

    附件: 附件1
    标题: 2023年《政府工作报告》工作任务分解清单
    年度: 2023
    groups:
      各开发园区: [经开区, 农开区]
    sections:
    - 编号: 一
      标题: 全县经济社会发展主要预期指标
      项数: 6
      任务:
      - 序号: 1
        年度任务目标: 地区生产总值同比增长7%
        责任领导: [于德忱]
        牵头部门: [发改局]
        责任部门: [各开发园区, 各有关部门]
        完成时限: 2023-06-30      # optional
        按状态判定: true          # optional: judge by 状态 alone, not by 进度 against 序时进度

A top-level ``序时容差: 10`` sets how many points below 序时进度 a task may be and stay 黄
(default 10, see :mod:`taskctl.tracking`).

Lists imported from other layouts may add (each only when there is something to say, so a list
without them is written exactly as before): ``原表列`` (the source's column headings in order,
each mapped to the key it fills, or to itself for a column kept verbatim), ``规则`` (published
rules such as 列第一位的为牵头单位), and on a nested part ``上级`` (the enclosing headings) and
``原文`` (its own heading as written). See docs/import.md.
"""

from __future__ import annotations

import datetime as _dt
import os
import stat as _stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError
from taskctl.model import SETTINGS_KEYS, ListFacts, Section, Task, TaskList
from taskctl.units import list_facts

TASK_KEYS = ("序号", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限", "按状态判定")
NAME_FIELDS = {"责任领导": "leaders", "牵头部门": "lead_departments", "责任部门": "departments"}
ENV_FILE = "TASKCTL_FILE"


def bundled_path() -> Path:
    """The list shipped inside the package (or, in a source checkout, the repository's copy)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "tasks.yaml"
    return packaged if packaged.exists() else here.parent / "data" / "tasks.yaml"


def resolve_path(
    explicit: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """Which list to use: ``--file``, else ``$TASKCTL_FILE``, else ``./data/tasks.yaml``, else
    the bundled copy."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Path(explicit)
    if environ.get(ENV_FILE):
        return Path(environ[ENV_FILE])
    local = (cwd or Path.cwd()) / "data" / "tasks.yaml"
    return local if local.is_file() else bundled_path()


def load(path: str | os.PathLike[str] | None = None) -> TaskList:
    """Load a task list from ``path`` (default: :func:`resolve_path`).

    An unchanged file is served from the parse cache (:mod:`taskctl.cache`) without importing
    the YAML parser; the cache is checked against the bytes just read, so it is never stale.
    """
    return _load(resolve_path(path), facts=False)


def _load(file: Path, facts: bool) -> TaskList:
    """:func:`load`; ``facts``: also keep the list's :class:`ListFacts` when they were not kept
    (see :func:`load_facts`). A list that had to be parsed always has them kept."""
    import time

    from taskctl import cache

    read_at = time.time_ns()
    raw, st = _read(file)
    use_cache = cache.enabled() and _stat.S_ISREG(st.st_mode)  # not for pipes
    source = Path(os.path.abspath(file))
    sized = cache.digest(raw)
    if use_cache:
        cached = cache.get(source, st, sized, file)
        if cached is not None:
            if facts:
                cache.put_facts(source, st, sized, read_at, list_facts(cached))
            return cached
    from taskctl.yamlio import no_gc

    with no_gc():  # the parse and the cache entry: millions of fresh objects, no cycles
        tasklist = _parse_bytes(raw, file)
        del raw
        if use_cache:
            payload = cache.put(source, st, sized, tasklist)
            cache.put_facts(source, st, sized, read_at, list_facts(tasklist))
            if payload is not None:
                # The model again from the entry just stored: what the next load will give,
                # in fresh objects. The parsed one holds its strings inside the parser's
                # 240 MB (at 100 000 tasks), which then could not go back to the system.
                del tasklist
                tasklist = cache.load_payload(payload, file)
    return tasklist


def load_facts(path: str | os.PathLike[str] | None = None) -> ListFacts:
    """What recording progress needs of the list: its 年度 and which 序号 it has. From the
    facts kept beside the parse cache when the list is unchanged (see :mod:`taskctl.cache`),
    without reading the list; else from loading it (with every check :func:`load` makes)."""
    from taskctl import cache

    file = resolve_path(path)
    if cache.enabled():
        try:
            st = os.stat(file)
        except OSError:
            st = None  # load says what is wrong
        if st is not None and _stat.S_ISREG(st.st_mode):
            kept = cache.get_facts(Path(os.path.abspath(file)), st, lambda: _read(file))
            if kept is not None:
                return kept
    return list_facts(_load(file, facts=True))


def _read(file: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the stat of the very handle they were read from (regular files
    only: a FIFO or ``/dev/zero`` is refused rather than read)."""
    from taskctl.fsutil import read_regular_stat

    return read_regular_stat(file)


def loads(text: str, path: object = "<文本>") -> TaskList:
    """Parse a task list from YAML text."""
    return _parse(text, path)


def _parse_bytes(raw: bytes, path: object) -> TaskList:
    """:func:`_parse` of a file's bytes, holding as little at once as it can: the text is let
    go once the fast parser has read it (a 100 000-task list's text is 50 MB beside its
    240 MB of parsed data), and decoded again only when PyYAML must read it."""
    from taskctl.fastyaml import fast_load
    from taskctl.yamlio import decode_utf8, load_yaml

    text = decode_utf8(raw, path)
    data = fast_load(text)
    if data is not None:
        del text
        try:
            return from_data(data, path)
        except DataFileError:
            del data
        text = decode_utf8(raw, path)
    return from_data(load_yaml(text, path), path)


def _parse(text: str, path: object) -> TaskList:
    """The list in ``text``: through the fast parser when it is sure to agree with PyYAML
    (:func:`taskctl.fastyaml.fast_load`), else, and for every error, through PyYAML, which names
    the line."""
    from taskctl.fastyaml import fast_load
    from taskctl.yamlio import load_yaml

    data = fast_load(text)
    if data is not None:
        try:
            return from_data(data, path)
        except DataFileError:
            pass
    return from_data(load_yaml(text, path), path)


def _line(obj: Any, key: str | None = None) -> int | None:
    if key is not None and hasattr(obj, "line_of"):
        return obj.line_of(key) or None
    return getattr(obj, "line", None) or None


def _type_name(value: Any) -> str:
    names = {
        str: "文字",
        int: "整数",
        float: "小数",
        bool: "布尔值",
        list: "列表",
        type(None): "空值",
        _dt.date: "日期",
        _dt.datetime: "日期时间",
    }
    if isinstance(value, dict):
        return "映射"
    return names.get(type(value), type(value).__name__)


def _names(value: Any, what: str, path: object, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise DataFileError(path, f"{what}应为名字列表（每行一个名字），得到{_type_name(value)}", line)


def _task(raw: Any, numeral: str, path: object, default_line: int | None) -> Task:
    line = _line(raw) or default_line
    if not isinstance(raw, dict):
        raise DataFileError(
            path,
            f"第{numeral}部分的任务应为映射（序号、年度任务目标…），得到{_type_name(raw)}",
            line,
        )
    if "序号" not in raw:
        raise DataFileError(path, "任务缺少 序号", line)
    task_id = raw["序号"]
    if isinstance(task_id, bool) or not isinstance(task_id, int) or task_id < 1:
        raise DataFileError(path, f"序号应为正整数，得到「{task_id}」", _line(raw, "序号"))
    text = raw.get("年度任务目标")
    if not isinstance(text, str) or not text.strip():
        raise DataFileError(
            path, f"序号 {task_id} 缺少 年度任务目标（应为文字）", _line(raw, "年度任务目标")
        )
    fields = {
        attr: _names(raw.get(key), f"序号 {task_id} 的 {key} ", path, _line(raw, key))
        for key, attr in NAME_FIELDS.items()
    }
    deadline = raw.get("完成时限")
    line = _line(raw, "完成时限")
    if deadline is not None and (
        not isinstance(deadline, _dt.date) or isinstance(deadline, _dt.datetime)
    ):
        raise DataFileError(
            path, f"序号 {task_id} 的 完成时限 应为日期（如 2023-06-30），得到「{deadline}」", line
        )
    by_status = raw.get("按状态判定", False)
    if not isinstance(by_status, bool):
        raise DataFileError(
            path,
            f"序号 {task_id} 的 按状态判定 应为 true 或 false，得到「{by_status}」",
            _line(raw, "按状态判定"),
        )
    extra = {key: value for key, value in raw.items() if key not in TASK_KEYS}
    return Task(
        id=task_id,
        text=text,
        section=numeral,
        deadline=deadline,
        extra=extra,
        by_status=by_status,
        **fields,
    )


_TASK_KEY_SET = frozenset(TASK_KEYS)


def _fast_task(raw: Any, numeral: str, shared: dict[Any, Any]) -> Task | None:
    """:func:`_task` for a task written the plain way (what taskctl writes), with no line
    number looked up; ``None`` whenever anything needs :func:`_task` to look closer (which
    then gives the same task, or the error naming its line). Equal name tuples are shared
    through ``shared``: a 100 000-task list names a few hundred units."""
    if not isinstance(raw, dict):
        return None
    get = raw.get
    task_id, text = get("序号"), get("年度任务目标")
    if type(task_id) is not int or task_id < 1 or type(text) is not str or not text.strip():
        return None
    names = []
    for key in NAME_FIELDS:
        value = get(key)
        if value is None or value == "":
            names.append(())
        elif type(value) is str:
            names.append(shared.setdefault((value,), (value,)))
        elif type(value) is list:
            try:
                held = shared.get(tuple(value))
            except TypeError:  # an unhashable item: not a name
                return None
            if held is None:
                if not all(type(item) is str for item in value):
                    return None
                held = shared.setdefault(tuple(value), tuple(map(_intern, value)))
            names.append(held)
        else:
            return None
    deadline, by_status = get("完成时限"), get("按状态判定", False)
    if (deadline is not None and type(deadline) is not _dt.date) or type(by_status) is not bool:
        return None
    task = _new(Task)  # as Task(...) would, without its nine frozen __setattr__ calls
    _set(
        task,
        "__dict__",
        {
            "id": task_id,
            "text": text,
            "leaders": names[0],
            "lead_departments": names[1],
            "departments": names[2],
            "section": numeral,
            "deadline": deadline,
            "extra": {} if raw.keys() <= _TASK_KEY_SET else _extra(raw),
            "by_status": by_status,
        },
    )
    return task


_new, _set, _intern = object.__new__, object.__setattr__, sys.intern


def _extra(raw: dict[Any, Any]) -> dict[Any, Any]:
    return {key: value for key, value in raw.items() if key not in _TASK_KEY_SET}


def _section(raw: Any, path: object, shared: dict[Any, Any]) -> Section:
    line = _line(raw)
    if not isinstance(raw, dict):
        raise DataFileError(
            path,
            f"sections 的每一项应为映射（编号、标题、项数、任务），得到{_type_name(raw)}",
            line,
        )
    numeral, title, declared = raw.get("编号"), raw.get("标题"), raw.get("项数")
    if not isinstance(numeral, str) or not numeral:
        raise DataFileError(path, "部分缺少 编号（如 一）", line)
    if not isinstance(title, str):
        raise DataFileError(path, f"第{numeral}部分缺少 标题", line)
    if declared is not None and (isinstance(declared, bool) or not isinstance(declared, int)):
        raise DataFileError(path, f"第{numeral}部分的 项数 应为整数，得到「{declared}」", line)
    tasks = raw.get("任务") or []
    if not isinstance(tasks, list):
        raise DataFileError(path, f"第{numeral}部分的 任务 应为列表，得到{_type_name(tasks)}", line)
    parents = _names(raw.get("上级"), f"第{numeral}部分的 上级 ", path, line)
    written = raw.get("原文") or ""
    if not isinstance(written, str):
        raise DataFileError(path, f"第{numeral}部分的 原文 应为文字", line)
    return Section(
        numeral=numeral,
        title=title,
        declared=declared,
        tasks=tuple(
            _fast_task(item, numeral, shared) or _task(item, numeral, path, line) for item in tasks
        ),
        path=parents,
        written=written,
    )


def _columns(raw: Any, path: object, line: int | None) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise DataFileError(path, "原表列 应为映射（原表列标题: 对应的键）", line)
    return tuple(raw.items())


def _check_unique(raw_sections: list[Any], sections: tuple[Section, ...], path: object) -> None:
    """Each part's 编号 and each task's 序号 once; the error names both lines. Line numbers are
    looked up only when there is a repeat to report."""
    numerals = [section.numeral for section in sections]
    if len(set(numerals)) != len(numerals):
        first_lines: dict[str, int | None] = {}
        for raw_section, section in zip(raw_sections, sections, strict=True):
            if section.numeral in first_lines:
                first = first_lines[section.numeral]
                where = f"（第一次出现在第 {first} 行）" if first else ""
                raise DataFileError(
                    path,
                    f"部分编号「{section.numeral}」重复{where}；每个部分的编号应唯一",
                    _line(raw_section, "编号"),
                )
            first_lines[section.numeral] = _line(raw_section, "编号")
    ids = [task.id for section in sections for task in section.tasks]
    if len(set(ids)) == len(ids):
        return
    seen: dict[int, int | None] = {}
    for raw_section, section in zip(raw_sections, sections, strict=True):
        for raw_task, task in zip(raw_section.get("任务") or [], section.tasks, strict=True):
            line = _line(raw_task, "序号")
            if task.id in seen:
                first = seen[task.id]
                where = f"（第一次出现在第 {first} 行）" if first else ""
                raise DataFileError(path, f"序号 {task.id} 重复{where}；每项任务的序号应唯一", line)
            seen[task.id] = line


def from_data(data: Any, path: object = "<数据>", check_ids: bool = True) -> TaskList:
    """Check parsed YAML against the format and build the model.

    ``check_ids=False`` lets a repeated 序号 through, for ``taskctl validate`` to report.
    """
    if not isinstance(data, dict):
        raise DataFileError(
            path,
            f"不是任务清单：顶层应为映射（标题、sections…），得到{_type_name(data)}",
            _line(data),
        )
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list):
        raise DataFileError(path, "缺少 sections 列表（清单的各部分）", _line(data))
    shared: dict[Any, Any] = {}
    sections = tuple(_section(item, path, shared) for item in raw_sections)
    del shared
    if check_ids:
        _check_unique(raw_sections, sections, path)
    groups_raw = data.get("groups") or {}
    if not isinstance(groups_raw, dict):
        raise DataFileError(
            path, f"groups 应为映射（分组名: [成员…]），得到{_type_name(groups_raw)}", _line(data)
        )
    groups = {
        str(name): _names(members, f"groups 中「{name}」", path, _line(groups_raw))
        for name, members in groups_raw.items()
    }
    year = data.get("年度")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise DataFileError(path, f"年度 应为整数（如 2023），得到「{year}」", _line(data))
    if year is not None and not 1 <= year <= 9999:
        raise DataFileError(
            path, f"年度 {year} 超出范围：应为 1 到 9999 之间的年份", _line(data, "年度")
        )
    tolerance = data.get("序时容差")
    if tolerance is not None and (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, (int, float))
        or not 0 <= tolerance <= 100
    ):
        raise DataFileError(
            path,
            f"序时容差 应为 0 到 100 之间的数（百分点，如 10），得到「{tolerance}」",
            _line(data),
        )
    title = data.get("标题") or ""
    return TaskList(
        title=str(title),
        sections=sections,
        groups=groups,
        attachment=str(data.get("附件") or ""),
        year=year,
        source=str(path),
        tolerance=tolerance,
        columns=_columns(data.get("原表列"), path, _line(data, "原表列")),
        rules=_names(data.get("规则"), "规则", path, _line(data, "规则")),
        settings={key: _plain(data[key]) for key in SETTINGS_KEYS if key in data},
    )


def to_data(tasklist: TaskList) -> dict[str, Any]:
    """The model as plain data in the file's key order (inverse of :func:`from_data`)."""
    data: dict[str, Any] = {}
    if tasklist.attachment:
        data["附件"] = tasklist.attachment
    data["标题"] = tasklist.title
    if tasklist.year is not None:
        data["年度"] = tasklist.year
    if tasklist.tolerance is not None:
        data["序时容差"] = tasklist.tolerance
    if tasklist.rules:
        data["规则"] = list(tasklist.rules)
    if tasklist.columns:
        data["原表列"] = dict(tasklist.columns)
    data.update({key: _plain(value) for key, value in tasklist.settings.items()})
    data["groups"] = {name: list(members) for name, members in tasklist.groups.items()}
    data["sections"] = [_section_data(section) for section in tasklist.sections]
    return data


def _section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"编号": section.numeral, "标题": section.title}
    if section.written:
        data["原文"] = section.written
    if section.path:
        data["上级"] = list(section.path)
    data["项数"] = section.declared
    data["任务"] = [_task_data(task) for task in section.tasks]
    return data


def _task_data(task: Task) -> dict[str, Any]:
    data: dict[str, Any] = {"序号": task.id, "年度任务目标": task.text}
    for key, attr in NAME_FIELDS.items():
        data[key] = list(getattr(task, attr))
    if task.deadline is not None:
        data["完成时限"] = task.deadline
    if task.by_status:
        data["按状态判定"] = True
    data.update({key: _plain(value) for key, value in task.extra.items()})
    return data


def _plain(value: Any) -> Any:
    """Mappings read from YAML (which remember their lines) as plain dicts the dumper knows."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


HEADER = """\
# {title}
# 由 taskctl 生成：各单元格原文照录（含原文的空格与瑕疵），每个名字一行。
# groups：统称所指的具体单位，可按本县实际编辑；未列出的统称（如 各有关部门）不展开。
# 可为任务加 完成时限: YYYY-MM-DD；未写的以年度末为限。
"""


def dumps(tasklist: TaskList) -> str:
    """The list as the text of a ``tasks.yaml`` file."""
    from taskctl.yamlio import dump_yaml

    title = "".join(ch for ch in " ".join(tasklist.title.split()) if ch.isprintable())
    return HEADER.format(title=title or "任务清单") + dump_yaml(to_data(tasklist))


def save(tasklist: TaskList, path: str | os.PathLike[str]) -> None:
    """Write the list atomically (temp file, fsync, rename) under the folder's lock."""
    from taskctl.fsutil import atomic_write

    atomic_write(Path(path), dumps(tasklist).encode("utf-8"))
