"""Any bytes given to import give a sound list or a TaskctlError naming the file, never\nanother exception."""

from __future__ import annotations

import json

from conftest import assert_sound
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.errors import TaskctlError
from taskctl.importers import read_source

TOKENS = [
    "序号", "任务", "责任领导", "牵头部门", "责任部门", "完成时限", "类别", "部分", "一、甲（2项）",
    "0", "1", "2", "²", "2023-02-30", "2023年6月30日", "\t", ",", "\n", "\r\n", '"', "|", "\\", "<br>",
    "---", "#", "、", " ", "\u3000", "\ufeff", "\x00", "PK\x03\x04",
    "1.", "2、", "（责任领导：", "；", "）", "牵头单位：", "责任单位：", "（一）", "6月底前",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=30).map("".join)
payloads = st.one_of(
    texts.map(lambda s: s.encode("utf-8", "surrogatepass")),
    texts.map(lambda s: s.encode("gb18030", "replace")),
    st.binary(max_size=200),
)


def _read(tmp_path_factory, suffix: str, data: bytes) -> None:
    """A sound list (see conftest.assert_sound), or a TaskctlError that names the file."""
    path = tmp_path_factory.mktemp("fuzz") / f"in{suffix}"
    path.write_bytes(data)
    try:
        result = read_source(path)
    except TaskctlError as exc:
        assert str(path) in exc.message
    else:
        assert_sound(result.tasklist)


@settings(max_examples=150, deadline=None)
@given(suffix=st.sampled_from([".txt", ".csv", ".tsv", ".md", ".json", ".yaml"]), data=payloads)
def test_text_formats_never_crash(tmp_path_factory, suffix, data):
    _read(tmp_path_factory, suffix, data)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
task_keys = [
    "id",
    "section",
    "text",
    "leaders",
    "lead_departments",
    "departments",
    "deadline",
    "extra",
]


@settings(max_examples=150, deadline=None)
@given(
    tasks=st.lists(st.dictionaries(st.sampled_from(task_keys), json_values), max_size=3),
    sections=json_values,
    groups=json_values,
)
def test_json_documents_never_crash(tmp_path_factory, tasks, sections, groups):
    document = {"title": "t", "sections": sections, "groups": groups, "tasks": tasks}
    _read(tmp_path_factory, ".json", json.dumps(document).encode())


@settings(max_examples=30, deadline=None)
@given(suffix=st.sampled_from([".xlsx", ".docx"]), data=st.binary(max_size=64))
def test_office_formats_never_crash(tmp_path_factory, suffix, data):
    _read(tmp_path_factory, suffix, b"PK\x03\x04" + data)


CELLS = [
    "序号", "序  号", "重点工作任务", "项目名称", "主要内容", "区政府分管领导", "主要责任单位",
    "配合单位", "完成时限", "时间节点", "备注", "类别", "一、稳增长（2项）", "（一）工业", "1.农业",
    "分管领导：王某", "1", "2", "2", "", "", "", "6月底前", "全年", "各县、市、区政府", "甲、乙等",
    "工业园（某镇）", "列第一位的为牵头单位", "附件1", "2023年清单", "二",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    grid=st.lists(
        st.tuples(
            st.lists(st.sampled_from(CELLS), min_size=1, max_size=7),
            st.sets(st.integers(0, 6), max_size=3),
            st.booleans(),
            st.integers(0, 2),
        ),
        max_size=14,
    ),
    first_unit_leads=st.booleans(),
)
def test_any_grid_of_cells_builds_or_is_a_taskctl_error(grid, first_unit_leads):
    """Rows as the Word, Excel and paragraph readers give them (merged cells, bold rows,
    several tables): a list, or one clear error."""
    from taskctl.importers.table import Options, Row, build_table, cell

    rows = [
        Row(tuple(cell(v) for v in values), n, frozenset(merged), bold, table)
        for n, (values, merged, bold, table) in enumerate(grid, 1)
    ]
    try:
        built = build_table(rows, "<fuzz>", Options(first_unit_leads=first_unit_leads))
    except TaskctlError as exc:
        assert exc.message
    else:
        assert built.summary is not None
        assert built.summary.tasks == len(built.tasklist.tasks)
