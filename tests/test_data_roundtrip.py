"""Property tests: export then import gives back the same list, for every format."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskctl.export import FORMATS, export
from taskctl.importers import read_source
from taskctl.importers.deadlines import parse_phrase
from taskctl.importers.table import DEADLINE_NOTE, numeral
from taskctl.loader import dumps, loads
from taskctl.model import Section, Task, TaskList

# Text that YAML 1.1, CSV, spreadsheets or Markdown could misread.
AWKWARD = [
    "-", "- ", ":", ": ", "#", " #", "'", '"', "yes", "No", "on", "OFF", "true", "~", "null",
    "2023-06-30", "1e3", "0x1F", "0o17", "12:30", "\u3000", " ", "=", "+", "@", "\t", "|", "\\",
    "<br>", "&amp;", "&lt;", "*", "&", "!", "%", "{", "}", "[", "]", ",", "，", "“", "”", "?",
    "_x000D_", "张", "局", "任务", "7%",
]  # fmt: skip
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
piece = st.one_of(st.sampled_from(AWKWARD), st.text(CJK, min_size=1, max_size=4))
awkward = st.lists(piece, min_size=1, max_size=6).map("".join)
text = (
    st.lists(st.one_of(piece, st.just("\n")), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda s: s.strip())
)
# A name as a reader sees one: no 、，；… inside (they separate names), no 。 or 等 at its end,
# no 各 governing what follows (docs/import.md).
name = awkward.filter(
    lambda s: (
        s.strip()
        and not set("、，,；;") & set(s)
        and not s.rstrip().endswith(("。", "等", "．"))
        and not s.lstrip().startswith("各")
    )
)
names = st.lists(name, max_size=3).map(tuple)
plain = st.text(CJK, min_size=1, max_size=8)
deadline = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
note = st.sampled_from(["长期坚持", "6月底前", "年底前完成", "持续推进"])


@st.composite
def tasklists(draw: st.DrawFn) -> TaskList:
    year = draw(st.one_of(st.none(), st.integers(2000, 2099)))
    count = draw(st.integers(1, 4))
    ids = iter(
        draw(st.lists(st.integers(1, 500), min_size=count * 3, max_size=count * 3, unique=True))
    )
    sections = []
    for index in range(1, count + 1):
        tasks = []
        for _ in range(draw(st.integers(1, 3))):
            due = draw(deadline)
            extra = {DEADLINE_NOTE: draw(note)} if due is None and draw(st.booleans()) else {}
            if extra:  # a phrase means the end of its period in the list's year
                due = parse_phrase(extra[DEADLINE_NOTE], year)
            wording = draw(text)
            # A name cell that repeats the task's text (spaces aside) is read as a slip of the
            # document and kept whole (importers.table): not a list a reader would write.
            key = "".join(wording.split())
            cell = names.filter(lambda n, key=key: "".join("".join(n).split()) != key)
            tasks.append(
                Task(
                    id=next(ids),
                    text=wording,
                    leaders=draw(cell),
                    lead_departments=draw(cell),
                    departments=draw(cell),
                    section=numeral(index),
                    deadline=due,
                    extra=extra,
                )
            )
        declared = draw(st.one_of(st.none(), st.integers(0, 30)))
        title = draw(st.one_of(st.just(""), plain))
        sections.append(Section(numeral(index), title, declared, tuple(tasks)))
    title = f"{year}年{draw(plain)}" if year else draw(st.one_of(st.just(""), plain))
    attachment = draw(st.one_of(st.just(""), st.just("附件1"))) if title else ""
    groups = draw(st.dictionaries(plain.map(lambda s: "各" + s), st.lists(plain).map(tuple)))
    return TaskList(title, tuple(sections), groups, attachment, year)


def _same_tasks(got: TaskList, want: TaskList) -> None:
    assert got.sections == want.sections
    assert [dict(t.extra) for t in got.tasks] == [dict(t.extra) for t in want.tasks]


SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(tasklists())
def test_yaml_dumps_loads_round_trip(tasklist):
    got = loads(dumps(tasklist))
    _same_tasks(got, tasklist)
    assert (got.title, got.attachment, got.year, got.groups) == (
        tasklist.title,
        tasklist.attachment,
        tasklist.year,
        tasklist.groups,
    )


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1).filter(str.strip))
def test_yaml_round_trips_any_text(value):
    task = Task(id=1, text=value, leaders=(value,), lead_departments=(value,), section="一")
    tasklist = TaskList(value, (Section("一", value, None, (task,)),), {value: (value,)}, value)
    got = loads(dumps(tasklist))
    assert (got.title, got.sections, got.groups) == (value, tasklist.sections, {value: (value,)})


def _read_without_year(tasklist: TaskList, fmt: str) -> TaskList:
    """The list as read back from a file that does not say its year (a CSV has no title row;
    an Excel or Markdown file has the title, when there is one): import takes this year, and
    a phrase such as 6月底前 is dated in it."""
    if fmt not in ("csv", "xlsx", "markdown") or (fmt != "csv" and tasklist.year is not None):
        return tasklist
    year = dt.date.today().year

    def plain(task: Task) -> Task:
        if DEADLINE_NOTE not in task.extra:
            return task
        return dataclasses.replace(task, deadline=parse_phrase(task.extra[DEADLINE_NOTE], year))

    return dataclasses.replace(
        tasklist,
        year=tasklist.year if fmt == "csv" else year,
        sections=tuple(
            dataclasses.replace(s, tasks=tuple(plain(t) for t in s.tasks))
            for s in tasklist.sections
        ),
    )


def _round_trip(tasklist: TaskList, fmt: str, tmp_path) -> TaskList:
    suffix = {"markdown": ".md"}.get(fmt, f".{fmt}")
    path = tmp_path / f"list{suffix}"
    path.write_bytes(export(tasklist, fmt))
    return read_source(path).tasklist


@SLOW
@given(tasklist=tasklists(), fmt=st.sampled_from(FORMATS))
def test_export_import_round_trip(tasklist, fmt, tmp_path_factory):
    got = _round_trip(tasklist, fmt, tmp_path_factory.mktemp(fmt))
    tasklist = _read_without_year(tasklist, fmt)
    _same_tasks(got, tasklist)
    if fmt in ("yaml", "json", "xlsx", "markdown"):
        assert (got.title, got.attachment, got.year) == (
            tasklist.title,
            tasklist.attachment,
            tasklist.year,
        )
    if fmt in ("yaml", "json"):
        assert got.groups == tasklist.groups


def test_round_trip_bundled_list_every_format(tasklist, tmp_path):
    for fmt in FORMATS:
        got = _round_trip(tasklist, fmt, tmp_path)
        assert got.sections == tasklist.sections, fmt
        assert (
            dataclasses.replace(got, groups={}, source="")
            == dataclasses.replace(tasklist, groups={}, source="")
            or fmt == "csv"
        ), fmt


# The headings of a list imported from another county's layout (tests/layouts.py, district).
DISTRICT = (
    ("序  号", "序号"),
    ("重点工作任务", "年度任务目标"),
    ("区政府分管领导", "责任领导"),
    ("主要责任单位", "牵头部门"),
    ("配合单位", "责任部门"),
    ("完成时限", "完成时限"),
)


@SLOW
@given(
    tasklist=tasklists().map(lambda tl: dataclasses.replace(tl, columns=DISTRICT)),
    fmt=st.sampled_from(["csv", "xlsx", "markdown", "json"]),
)
def test_a_list_under_its_own_headings_reads_back(tasklist, fmt, tmp_path_factory):
    """Exported under the source's headings (plus a 部分 column), the list reads back the same."""
    got = _round_trip(tasklist, fmt, tmp_path_factory.mktemp(fmt))
    tasklist = _read_without_year(tasklist, fmt)
    _same_tasks(got, tasklist)
    assert [h for h, _ in got.columns if h != "部分"] == [h for h, _ in DISTRICT]
