"""The TAB-cell parser: arbitrary input gives a list or a TaskctlError; exported lists parse back."""

from __future__ import annotations

import pytest
from conftest import BUNDLED, SOURCE, assert_sound
from hypothesis import given, settings
from hypothesis import strategies as st
from test_robust_inputs import mutated

from taskctl.cli import cli
from taskctl.errors import TaskctlError
from taskctl.importers.text import parse_text, split_rows

cell_line = st.text(
    st.characters(blacklist_characters="\t\n\r\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=12,
)
# 、，；… separate names inside a line, a trailing 。 or 等 ends a list, brackets hold a name
# together and a 各 may govern the names after it (docs/import.md): generated names avoid them.
_SPLITTING = set("、，,；;。．.等各（()）【[】]〔〕")
cell = st.lists(
    cell_line.filter(lambda name: not _SPLITTING & set(name) and name == name.strip()),
    min_size=1,
    max_size=3,
)


def export(title, sections):
    """Write rows the way Word's TAB-cell export does."""
    rows = [
        [["附件1"]],
        [[title]],
        [["序号"], ["年度任务目标"], ["责任领导"], ["牵头部门"], ["责任部门"]],
    ]
    number = 1
    for index, tasks in enumerate(sections):
        rows.append([[f"{'一二三四五'[index]}、部分{index}（{len(tasks)}项）"]])
        for text, leaders, leads, supports in tasks:
            rows.append([[str(number)], [text], leaders, leads, supports])
            number += 1
    return "\n".join("\n".join("\t" + "\n".join(c) for c in row) + "\n" for row in rows)


@settings(max_examples=150, deadline=None)
@given(
    st.text(st.characters(blacklist_characters="\t\n\r\x00"), min_size=1, max_size=20).filter(
        str.strip
    ),
    st.lists(
        st.lists(st.tuples(cell_line.filter(str.strip), cell, cell, cell), max_size=4),
        min_size=1,
        max_size=3,
    ),
)
def test_exported_rows_parse_back_cell_for_cell(title, sections):
    tl = parse_text(export(title, sections))
    assert [len(s.tasks) for s in tl.sections] == [len(t) for t in sections]
    flat = [t for tasks in sections for t in tasks]
    for task, (text, leaders, leads, supports) in zip(tl.tasks, flat, strict=True):
        assert task.text == text
        assert task.leaders == tuple(x for x in leaders if x.strip())
        assert task.lead_departments == tuple(x for x in leads if x.strip())
        assert task.departments == tuple(x for x in supports if x.strip())


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(
            st.sampled_from("\t\n\r 1一、（项）序号年度任务目标责任领导牵头部门x"), max_size=200
        ),
        mutated(SOURCE.read_bytes()[:3000]).map(lambda b: b.decode("utf-8", "replace")),
    )
)
def test_any_text_parses_to_a_sound_list_or_is_a_taskctl_error(text):
    try:
        tasklist = parse_text(text)
    except TaskctlError as exc:
        assert exc.message
    else:
        assert_sound(tasklist)
        for task in tasklist.tasks:  # every line of a task's text comes from the input
            # (a task written over several rows joins their lines; a list without a 序号
            # column is numbered in order, so 序号 need not appear)
            assert all(line.strip() in text for line in task.text.splitlines())


def test_crlf_export_reads_the_same():
    text = export("标题", [[("任务", ["甲"], ["乙"], [""])]])
    assert split_rows(text.replace("\n", "\r\n")) == split_rows(text)


def test_broken_exports_are_clear_errors(runner, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("没有 TAB 的行\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"错误：{path} 第 1 行：行首缺少 TAB：每个单元格应以 TAB 开始，续行只能跟在单元格之后\n"
    )
    path.write_text("\t标题\n\n\t甲\n\t乙\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert result.stderr == (
        f"错误：{path} 第 3 行：找不到可识别的表头（至少要有任务一列和另一可识别的列）。"
        "找到的列标题：「甲」、「乙」。任务列的标题含 任务/工作/事项/目标/实事/项目/内容/措施；"
        "其他列如 序号、责任领导、牵头单位、责任单位、完成时限；也可用 --columns 任务=原表列标题 指定\n"
    )
    assert not (tmp_path / "o.yaml").exists()


def test_a_new_office_imports_into_an_empty_folder(runner, tmp_path):
    """The default data/ is made for the first import; nothing is made when the import fails."""
    missing = runner.invoke(cli, ["import", "无此文件.docx"])
    assert (missing.exit_code, missing.stderr) == (2, "错误：无此文件.docx：文件不存在\n")
    bad = tmp_path / "空.txt"
    bad.write_text("没有表格的文字\n", encoding="utf-8")
    assert runner.invoke(cli, ["import", str(bad)]).exit_code == 2
    assert not (tmp_path / "data").exists()
    result = runner.invoke(cli, ["import", str(SOURCE), "--groups-from", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "tasks.yaml").read_bytes() == BUNDLED.read_bytes()
    named = runner.invoke(cli, ["import", str(SOURCE), "-o", "别处/清单.yaml"])
    assert (named.exit_code, named.stderr) == (2, "错误：别处 文件夹不存在\n")


def test_a_row_numbered_zero_is_refused_by_the_reader_naming_its_line(runner, tmp_path):
    """序号 0 (hypothesis found one in a mangled export): the reader refuses it on its line,
    instead of handing a task 0 on to be refused by the list's own check."""
    path = tmp_path / "清单.txt"
    path.write_text(
        "\t2023年工作任务分解清单\n\n\t序号\n\t年度任务目标\n\t责任领导\n\t牵头部门\n\n"
        "\t一、经济发展（2项）\n\n\t1\n\t地区生产总值增长7%\n\t于德忱\n\t发改局\n\n"
        "\t0\n\t招商引资\n\t张辉\n\t工信局\n",
        encoding="utf-8",
    )
    with pytest.raises(TaskctlError) as refused:
        parse_text(path.read_text(encoding="utf-8"), str(path))
    assert str(refused.value) == f"{path} 第 15 行：序号应为正整数，得到「0」"
    result = runner.invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{path} 第 15 行：序号应为正整数，得到「0」\n",
    )
    assert not (tmp_path / "o.yaml").exists()
