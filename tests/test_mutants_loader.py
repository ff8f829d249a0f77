"""Tests prompted by issue 27's mutants of taskctl/loader.py: the edges of each value the
list's keys accept, through ``loads`` (what ``load`` runs on a file's text).

Each was checked against its mutant (scripts/mutate.py --tests this file)."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.errors import DataFileError
from taskctl.loader import dumps, loads

TASK = "  - 序号: 1\n    年度任务目标: 新建5G基站100个\n    牵头部门: [县工信局]\n"


def _list(head="", task=TASK, part="  项数: 1\n"):
    return f"标题: 某县2024年重点工作\n{head}sections:\n- 编号: 一\n  标题: 稳增长\n{part}  任务:\n{task}"


@pytest.mark.parametrize("year", [1, 9999])
def test_the_first_and_last_years_a_list_may_have(year):
    assert loads(_list(f"年度: {year}\n")).year == year


@pytest.mark.parametrize("tolerance", [0, 100, 7.5])
def test_a_tolerance_from_0_to_100_points_is_kept(tolerance):
    tasklist = loads(_list(f"序时容差: {tolerance}\n"))
    assert tasklist.tolerance == tolerance
    assert f"序时容差: {tolerance}\n" in dumps(tasklist)


@pytest.mark.parametrize("tolerance", ["-1", "100.5", "true"])
def test_a_tolerance_outside_0_to_100_or_a_yes_is_refused(tolerance):
    with pytest.raises(DataFileError) as caught:
        loads(_list(f"序时容差: {tolerance}\n"))
    assert (
        f"序时容差 应为 0 到 100 之间的数（百分点，如 10），得到「{tolerance.replace('true', 'True')}」"
        in str(caught.value)
    )


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (TASK.replace("序号: 1", "序号: 0"), "序号应为正整数，得到「0」"),
        (TASK.replace("序号: 1", "序号: true"), "序号应为正整数，得到「True」"),
        (TASK.replace("新建5G基站100个", "'  '"), "序号 1 缺少 年度任务目标（应为文字）"),
        (TASK + "    完成时限: 2024-06-30 12:00:00\n", "序号 1 的 完成时限 应为日期（如 2023-06-30），得到「2024-06-30 12:00:00」"),
        (TASK + "    完成时限: 6月底前\n", "序号 1 的 完成时限 应为日期（如 2023-06-30），得到「6月底前」"),
        (TASK + "    按状态判定: 1\n", "序号 1 的 按状态判定 应为 true 或 false，得到「1」"),
        (TASK.replace("[县工信局]", "[县工信局, 3]"), "序号 1 的 牵头部门 应为名字列表（每行一个名字），得到列表"),
    ],
)  # fmt: skip
def test_a_task_with_a_wrong_value_is_refused_naming_it(task, message):
    with pytest.raises(DataFileError) as caught:
        loads(_list(task=task))
    assert message in str(caught.value)


def test_the_plain_task_and_the_one_read_closely_are_the_same():
    # a name given as one string, an empty name, a deadline, 按状态判定 and an extra key
    task = (
        "  - 序号: 1\n    年度任务目标: 新建5G基站100个\n    责任领导: 王某某\n    牵头部门: ''\n"
        "    责任部门: [各镇街道, 县财政局]\n    完成时限: 2024-06-30\n    按状态判定: true\n"
        "    备注: 分两批建成\n"
    )
    got = loads(_list(task=task)).tasks[0]
    assert (got.id, got.text, got.leaders, got.lead_departments, got.departments) == (
        1, "新建5G基站100个", ("王某某",), (), ("各镇街道", "县财政局")
    )  # fmt: skip
    assert (got.deadline, got.by_status, dict(got.extra)) == (
        dt.date(2024, 6, 30), True, {"备注": "分两批建成"}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("  项数: true\n", "第一部分的 项数 应为整数，得到「True」"),
        ("  项数: 1\n  原文: [一、稳增长]\n", "第一部分的 原文 应为文字"),
    ],
)
def test_a_part_with_a_wrong_value_is_refused_naming_it(part, message):
    with pytest.raises(DataFileError) as caught:
        loads(_list(part=part))
    assert message in str(caught.value)


def test_a_part_keeps_its_heading_as_written_and_its_enclosing_headings():
    part = "  项数: 1\n  上级: [一、经济发展]\n  原文: （一）稳增长\n"
    section = loads(_list(part=part)).sections[0]
    assert (section.path, section.written) == (("一、经济发展",), "（一）稳增长")


@pytest.mark.parametrize(
    "columns", ["原表列: {工作任务: 3}\n", "原表列: {3: 年度任务目标}\n", "原表列: [工作任务]\n"]
)
def test_source_columns_must_map_headings_to_keys(columns):
    with pytest.raises(DataFileError) as caught:
        loads(_list(columns))
    assert "原表列 应为映射（原表列标题: 对应的键）" in str(caught.value)


def test_a_list_without_a_title_is_saved_under_a_plain_heading():
    text = dumps(loads(_list().replace("标题: 某县2024年重点工作\n", "")))
    assert text.startswith("# 任务清单\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_list(task="  - 新建5G基站100个\n"), "第 3 行：第一部分的任务应为映射（序号、年度任务目标…），得到文字"),
        (_list(task=TASK.replace("序号: 1", "序号: 0")), "第 7 行：序号应为正整数，得到「0」"),
        (_list("年度: true\n"), "第 1 行：年度 应为整数（如 2023），得到「True」"),
        (_list().replace("编号: 一", "编号: ''"), "第 3 行：部分缺少 编号（如 一）"),
        (_list().replace("编号: 一", "编号: 1"), "第 3 行：部分缺少 编号（如 一）"),
    ],
)  # fmt: skip
def test_an_error_names_the_line_it_is_on(text, message):
    with pytest.raises(DataFileError) as caught:
        loads(text)
    assert str(caught.value) == f"<文本> {message}"


def test_a_task_read_line_by_line_keeps_its_extra_keys_only():
    # a comment after a value: read by PyYAML (with lines), not by the fast reader
    task = (
        "  - 序号: 1\n    年度任务目标: 新建5G基站100个  # 2024年新增\n    牵头部门: [县工信局]\n"
        "    完成时限: 2024-06-30\n    备注: 分两批建成\n"
    )
    got = loads(_list(task=task)).tasks[0]
    assert (got.text, got.lead_departments, got.deadline) == (
        "新建5G基站100个", ("县工信局",), dt.date(2024, 6, 30)
    )  # fmt: skip
    assert dict(got.extra) == {"备注": "分两批建成"}


def test_facts_of_a_missing_list_say_it_is_missing_with_the_cache_on(tmp_path):
    """`update` asks the list only its 年度 and 序号 (from the facts kept beside the parse
    cache); a list that is not there is named as for every other command."""
    from taskctl.loader import load_facts

    with pytest.raises(DataFileError) as caught:
        load_facts(tmp_path / "tasks.yaml")
    assert str(caught.value) == f"{tmp_path / 'tasks.yaml'}：文件不存在"


def test_facts_lost_from_the_cache_are_kept_again_when_the_list_comes_from_it(tmp_path):
    """A cache folder holding the parsed list but not its facts (a cleaned folder, an older
    version's): the next `update` keeps the facts again, so the one after reads no list."""
    from taskctl import cache
    from taskctl.loader import load, load_facts

    source = tmp_path / "tasks.yaml"
    source.write_text(_list("年度: 2024\n"), encoding="utf-8")
    load(source)
    facts = cache.facts_entry_path(source.resolve())
    facts.unlink()
    assert load_facts(source).year == 2024
    assert facts.exists()


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("*重点* 新建5G基站100个", "第 9 行：YAML 格式错误：did not find expected alphabetic or numeric character"),
        ("[新建]5G基站100个", "第 9 行：YAML 格式错误：did not find expected key"),
    ],
)  # fmt: skip
def test_a_task_text_yaml_reads_as_an_alias_or_a_list_is_refused_as_pyyaml_refuses_it(value, line):
    """A clerk typing Markdown's *重点* or a bracketed word at the start of a task in tasks.yaml
    writes YAML syntax (an alias, a flow list); the quick reader leaves such text to PyYAML,
    which names the line, rather than reading it as plain text."""
    with pytest.raises(DataFileError) as caught:
        loads(_list("年度: 2024\n", TASK.replace("新建5G基站100个", value)))
    assert str(caught.value) == f"<文本> {line}"
