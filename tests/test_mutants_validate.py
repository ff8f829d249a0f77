"""Tests prompted by issue 27's surviving mutants of taskctl/validate.py: ``taskctl validate``
on small lists built here, with the exact findings it prints.

Each was checked against its mutant (scripts/mutate.py --rerun-survivors --also this file)."""

from __future__ import annotations

from taskctl.cli import cli


def _task(task_id, text="新建5G基站100个", leaders="[王某某]", lead="[县工信局]", depts="[]"):
    return (
        f"  - 序号: {task_id}\n    年度任务目标: {text}\n    责任领导: {leaders}\n"
        f"    牵头部门: {lead}\n    责任部门: {depts}\n"
    )


def _validate(runner, tmp_path, tasks, head="", declared="null", numeral="一", title="稳增长"):
    path = tmp_path / "tasks.yaml"
    path.write_text(
        f"标题: 某县2024年重点工作\n年度: 2024\n{head}groups: {{}}\nsections:\n"
        f"- 编号: {numeral}\n  标题: {title}\n  项数: {declared}\n  任务:\n{''.join(tasks)}",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    return result.exit_code, result.stdout


def test_a_finding_lists_five_ids_and_marks_more_with_an_ellipsis(runner, tmp_path):
    five = [_task(i, depts="[各镇街道]") for i in range(1, 6)]
    assert _validate(runner, tmp_path, five) == (
        0,
        "警告\t序号 1、2、3、4、5\t部门\t统称「各镇街道」（5 项）在 groups 中没有列出所指单位\n",
    )
    six = [*five, _task(6, depts="[各镇街道]")]
    assert _validate(runner, tmp_path, six) == (
        0,
        "警告\t序号 1、2、3、4、5…\t部门\t统称「各镇街道」（6 项）在 groups 中没有列出所指单位\n",
    )


COLUMNS = "原表列: {序号: 序号, 工作任务: 年度任务目标, 牵头单位: 牵头部门}\n"


def test_leaders_given_by_part_headings_need_no_leader_column(runner, tmp_path):
    tasks = [_task(1), _task(2, "开工项目30个", lead="[县发改局]")]
    assert _validate(runner, tmp_path, tasks, head=COLUMNS) == (0, "")


def test_a_list_without_a_leader_column_is_told_once_not_task_by_task(runner, tmp_path):
    tasks = [_task(1, leaders="[]"), _task(2, "开工项目30个", leaders="[]", lead="[县发改局]")]
    assert _validate(runner, tmp_path, tasks, head=COLUMNS) == (
        0,
        "警告\t清单\t责任领导\t清单没有责任领导列\n",
    )
    with_column = COLUMNS.replace("}", ", 分管领导: 责任领导}")
    assert _validate(runner, tmp_path, tasks, head=with_column) == (
        1,
        "错误\t序号 1\t责任领导\t责任领导为空\n错误\t序号 2\t责任领导\t责任领导为空\n",
    )


def test_with_a_lead_column_an_empty_lead_is_an_error_and_no_column_note(runner, tmp_path):
    tasks = [_task(1), _task(2, "开工项目30个", lead="[]")]
    assert _validate(runner, tmp_path, tasks, head=COLUMNS) == (
        1,
        "错误\t序号 2\t牵头部门\t牵头部门为空\n",
    )


def test_a_list_without_a_lead_column_is_told_once_unless_its_rule_names_the_lead(runner, tmp_path):
    columns = (
        "原表列: {序号: 序号, 工作任务: 年度任务目标, 责任领导: 责任领导, 责任单位: 责任部门}\n"
    )
    tasks = [_task(1, lead="[]", depts="[县工信局]")]
    note = (
        "清单没有单独的牵头单位列；若清单注明「列第一位的为牵头单位」，导入时加 --first-unit-leads"
    )
    assert _validate(runner, tmp_path, tasks, head=columns) == (
        0,
        f"警告\t清单\t牵头部门\t{note}\n",
    )
    ruled = columns + "规则: [列第一位的为牵头单位]\n"
    assert _validate(runner, tmp_path, tasks, head=ruled) == (
        1,
        "错误\t序号 1\t牵头部门\t牵头部门为空\n",
    )


def test_a_name_cell_holding_eight_characters_of_the_task_text_repeats_it(runner, tmp_path):
    text = "推进老旧小区改造工程建设"
    tasks = [
        _task(1, text, lead="[推进老旧小区改造]"),  # 8 characters of the text
        _task(2, text, lead="[推进老旧小区改]"),  # 7: a name that happens to be in it
    ]
    assert _validate(runner, tmp_path, tasks) == (
        1,
        "错误\t序号 1\t牵头部门\t单元格重复了年度任务目标（「推进老旧小区改造」），应为牵头部门\n",
    )


def test_a_repeated_text_is_shown_up_to_twenty_characters(runner, tmp_path):
    twenty = "推进老旧小区改造工程建设完成年度目标任务"
    assert len(twenty) == 20
    tasks = [_task(1, twenty, lead=f"[{twenty}]"), _task(2, twenty + "。", lead=f"[{twenty}。]")]
    message = "单元格重复了年度任务目标（「{}」），应为牵头部门"
    assert _validate(runner, tmp_path, tasks) == (
        1,
        f"错误\t序号 1\t牵头部门\t{message.format(twenty)}\n"
        f"错误\t序号 2\t牵头部门\t{message.format(twenty + '…')}\n",
    )


def test_a_cell_repeating_the_task_text_is_found_whatever_the_spaces_in_either(runner, tmp_path):
    # a Word cell copied with its line break (TSV shows it as a space), and a task text
    # written with a space
    tasks = [
        _task(1, "推进老旧小区改造工程", lead='["推进老旧小区\\n改造工程"]'),
        _task(2, "推进老旧小区 改造工程", lead="[推进老旧小区改造工程]"),
    ]
    message = "单元格重复了年度任务目标（「{}」），应为牵头部门"
    assert _validate(runner, tmp_path, tasks) == (
        1,
        f"错误\t序号 1\t牵头部门\t{message.format('推进老旧小区 改造工程')}\n"
        f"错误\t序号 2\t牵头部门\t{message.format('推进老旧小区改造工程')}\n",
    )


def test_a_list_of_parts_without_tasks_has_no_numbering_to_warn_of(runner, tmp_path):
    assert _validate(runner, tmp_path, [], declared="0") == (0, "")


def test_numbering_not_from_one_is_said_first_then_each_gap(runner, tmp_path):
    tasks = [_task(3), _task(4, "开工项目30个"), _task(6, "盘活闲置厂房"), _task(9, "建学校")]
    assert _validate(runner, tmp_path, tasks) == (
        0,
        "警告\t序号 3\t序号\t序号不从 1 开始（缺少 1–2）\n"
        "警告\t序号 6\t序号\t缺少序号 5（上一项为 4）\n"
        "警告\t序号 9\t序号\t缺少序号 7–8（上一项为 6）\n",
    )


def test_a_reference_dated_today_is_fine_and_tomorrow_is_an_error():
    import datetime as dt

    from taskctl.loader import loads
    from taskctl.validate import Reference, validate

    tasklist = loads(
        "标题: 某县2024年重点工作\n年度: 2024\nsections:\n- 编号: 一\n  标题: 稳增长\n  任务:\n"
        + _task(1)
    )
    today = dt.date(2024, 5, 6)
    found = validate(
        tasklist,
        [
            Reference(1, "进度台账第 1 行", today),
            Reference(1, "进度台账第 2 行", today + dt.timedelta(days=1)),
            Reference(1, "进度台账第 3 行", dt.date(2023, 12, 31)),
            Reference(1, "进度台账第 4 行"),
        ],
        today,
    )
    assert [(f.severity, f.code, f.where, f.message) for f in found] == [
        (
            "error",
            "future-date",
            "序号 1",
            "进度台账第 2 行的记录日期 2024-05-07 晚于今天，在那天之前各种统计都不会计入",
        ),
        ("warning", "date-outside-year", "序号 1", "进度台账第 3 行的记录日期 2023-12-31 不在清单年度 2024 年内"),
    ]  # fmt: skip


def _validate_groups(runner, tmp_path, tasks, groups):
    path = tmp_path / "tasks.yaml"
    path.write_text(
        f"标题: 某县2024年重点工作\n年度: 2024\ngroups: {groups}\nsections:\n"
        f"- 编号: 一\n  标题: 稳增长\n  项数: null\n  任务:\n{''.join(tasks)}",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    return result.exit_code, result.stdout


def test_variant_spellings_point_at_the_less_used_ones_and_name_groups(runner, tmp_path):
    tasks = [
        _task(1, lead="[县生态环境局]"),
        _task(2, "开工项目30个", lead="[生态环境局]"),
        _task(3, "盘活闲置厂房", lead="[生态环境局]"),
        _task(4, "建学校", lead="[生态环境分局]"),
        _task(5, "修公路", lead="[县 财政局]", depts="[各镇街道]"),
        _task(6, "建医院", lead="[财政局]"),
    ]
    groups = "{各镇街道: [城关镇, 东城街道], 各有关镇街道: [城关镇]}"
    assert _validate_groups(runner, tmp_path, tasks, groups) == (
        0,
        "警告\t序号 1、4\t部门\t疑似同一名称的不同写法："
        "「生态环境局」（2 项）、「县生态环境局」（1 项）、「生态环境分局」（1 项）；请统一\n"
        "警告\t序号 5、6\t部门\t疑似同一名称的不同写法："
        "「县 财政局」（1 项）、「财政局」（1 项）；请统一\n"
        "警告\t序号 5\t部门\t疑似同一名称的不同写法："
        "「各镇街道」（1 项）、「各有关镇街道」（groups）；请统一\n",
    )


def test_a_heading_over_several_parts_counts_the_tasks_of_all_of_them(runner, tmp_path):
    def part(numeral, title, ids):
        tasks = "".join(_task(i, f"任务{i}") for i in ids)
        return (
            f"- 编号: 一{numeral}\n  标题: {title}\n  上级: [一、稳增长（3项）]\n"
            f"  项数: null\n  任务:\n{tasks}"
        )

    path = tmp_path / "tasks.yaml"
    head = "标题: 某县2024年重点工作\n年度: 2024\ngroups: {}\nsections:\n"
    path.write_text(head + part("（一）", "工业", [1, 2]) + part("（二）", "农业", [3]))
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    assert (result.exit_code, result.stdout) == (0, "")
    path.write_text(head + part("（一）", "工业", [1, 2]) + part("（二）", "农业", [3, 4]))
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    assert (result.exit_code, result.stdout) == (
        1,
        "错误\t一、稳增长（3项）\t项数\t标题写 3 项，其下各部分共列出 4 项\n",
    )


def test_groups_written_with_spaces_still_define_their_words(runner, tmp_path):
    tasks = [_task(1, depts="[各镇街道, 城关镇]"), _task(2, "开工项目30个", depts="[东城街道]")]
    groups = "{各 镇街道: [城关 镇, 东城街道]}"
    assert _validate_groups(runner, tmp_path, tasks, groups) == (0, "")


def test_a_cell_repeating_the_task_text_is_not_taken_for_a_unit_name(runner, tmp_path):
    text = "各镇街道完成生活垃圾分类"
    tasks = [_task(1, text, depts=f"[{text}]")]
    assert _validate_groups(runner, tmp_path, tasks, "{}") == (
        1,
        f"错误\t序号 1\t责任部门\t单元格重复了年度任务目标（「{text}」），应为责任部门\n",
    )


def test_a_variant_finding_gives_its_ids_in_order(runner, tmp_path):
    import json

    tasks = [_task(1, lead="[县财政局]"), _task(2, "修公路", lead="[县财政局]")]
    tasks += [_task(40, "建医院", lead="[财政局]"), _task(48, "建学校", lead="[财政局]")]
    tasks.append(_task(80, "建公园", lead="[县财政局]"))
    path = tmp_path / "tasks.yaml"
    path.write_text(
        "标题: 某县2024年重点工作\n年度: 2024\ngroups: {}\nsections:\n"
        f"- 编号: 一\n  标题: 稳增长\n  项数: null\n  任务:\n{''.join(tasks)}",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "json"])
    (finding,) = [f for f in json.loads(result.stdout) if f["code"] == "variant"]
    assert (finding["where"], finding["ids"]) == ("序号 40、48", [1, 2, 40, 48, 80])


def test_a_variant_finding_points_at_the_odd_spellings_in_order(runner, tmp_path):
    tasks = [_task(i, f"任务{i}", lead="[县生态环境局]") for i in (1, 2, 4, 5, 6, 7)]
    tasks += [_task(3, "任务3", lead="[生态环境局]"), _task(8, "任务8", lead="[生态环境局]")]
    tasks.sort(key=lambda task: int(task.split("序号: ")[1].split("\n")[0]))
    assert _validate_groups(runner, tmp_path, tasks, "{}") == (
        0,
        "警告\t序号 3、8\t部门\t疑似同一名称的不同写法："
        "「县生态环境局」（6 项）、「生态环境局」（2 项）；请统一\n",
    )


def test_names_in_groups_are_compared_without_their_spaces(runner, tmp_path):
    tasks = [_task(1, depts="[各镇街道, 县城关镇]")]
    groups = "{各有关 镇街道: [城关 镇, 东城街道]}"
    assert _validate_groups(runner, tmp_path, tasks, groups) == (
        0,
        "警告\t序号 1\t部门\t疑似同一名称的不同写法：「各镇街道」（1 项）、「各有关镇街道」（groups）；请统一\n"
        "警告\t序号 1\t部门\t疑似同一名称的不同写法：「县城关镇」（1 项）、「城关镇」（groups）；请统一\n"
        "警告\t序号 1\t部门\t统称「各镇街道」（1 项）在 groups 中没有列出所指单位\n",
    )
