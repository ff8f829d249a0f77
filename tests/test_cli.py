"""The commands as a clerk and a script see them: exact output in every format, exit codes, errors."""

from __future__ import annotations

import json

import click
import pytest
from conftest import BUNDLED_NOTE

from taskctl import output
from taskctl.cli import cli

SECTION_ONE_TSV = """\
1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t未启动\t\t\t红
2\t一\t规模以上工业增加值增长16%\t张辉\t工信局\t各开发园区、各镇街道\t未启动\t\t\t红
3\t一\t固定资产投资增长15%\t于德忱\t发改局\t各开发园区、各有关部门、各镇街道\t未启动\t\t\t红
4\t一\t社会消费品零售总额增长10%\t张辉\t工信局\t各开发园区、各镇街道\t未启动\t\t\t红
5\t一\t一般公共预算收入增长10%\t于德忱\t财政局\t各开发园区、各镇街道\t未启动\t\t\t红
6\t一\t农村居民人均可支配收入增长与经济增长基本同步\t董力芳\t农业农村局\t各镇街道\t未启动\t\t\t红
"""

SECTION_ONE = {
    "plain": """\
  序号  部分    年度任务目标                                  责任领导    牵头部门    责任部门                          状态      进度  最近更新    灯
     1  一      地区生产总值同比增长7%                        于德忱      发改局      各开发园区、各有关部门            未启动                      红
     2  一      规模以上工业增加值增长16%                     张辉        工信局      各开发园区、各镇街道              未启动                      红
     3  一      固定资产投资增长15%                           于德忱      发改局      各开发园区、各有关部门、各镇街道  未启动                      红
     4  一      社会消费品零售总额增长10%                     张辉        工信局      各开发园区、各镇街道              未启动                      红
     5  一      一般公共预算收入增长10%                       于德忱      财政局      各开发园区、各镇街道              未启动                      红
     6  一      农村居民人均可支配收入增长与经济增长基本同步  董力芳      农业农村局  各镇街道                          未启动                      红
""",
    "markdown": """\
|   序号 | 部分   | 年度任务目标                                 | 责任领导   | 牵头部门   | 责任部门                         | 状态   |   进度 | 最近更新   | 灯   |
|-------:|:-------|:---------------------------------------------|:-----------|:-----------|:---------------------------------|:-------|-------:|:-----------|:-----|
|      1 | 一     | 地区生产总值同比增长7%                       | 于德忱     | 发改局     | 各开发园区、各有关部门           | 未启动 |        |            | 红   |
|      2 | 一     | 规模以上工业增加值增长16%                    | 张辉       | 工信局     | 各开发园区、各镇街道             | 未启动 |        |            | 红   |
|      3 | 一     | 固定资产投资增长15%                          | 于德忱     | 发改局     | 各开发园区、各有关部门、各镇街道 | 未启动 |        |            | 红   |
|      4 | 一     | 社会消费品零售总额增长10%                    | 张辉       | 工信局     | 各开发园区、各镇街道             | 未启动 |        |            | 红   |
|      5 | 一     | 一般公共预算收入增长10%                      | 于德忱     | 财政局     | 各开发园区、各镇街道             | 未启动 |        |            | 红   |
|      6 | 一     | 农村居民人均可支配收入增长与经济增长基本同步 | 董力芳     | 农业农村局 | 各镇街道                         | 未启动 |        |            | 红   |
""",
    "csv": """\
序号,部分,年度任务目标,责任领导,牵头部门,责任部门,状态,进度,最近更新,灯
1,一,地区生产总值同比增长7%,于德忱,发改局,各开发园区、各有关部门,未启动,,,红
2,一,规模以上工业增加值增长16%,张辉,工信局,各开发园区、各镇街道,未启动,,,红
3,一,固定资产投资增长15%,于德忱,发改局,各开发园区、各有关部门、各镇街道,未启动,,,红
4,一,社会消费品零售总额增长10%,张辉,工信局,各开发园区、各镇街道,未启动,,,红
5,一,一般公共预算收入增长10%,于德忱,财政局,各开发园区、各镇街道,未启动,,,红
6,一,农村居民人均可支配收入增长与经济增长基本同步,董力芳,农业农村局,各镇街道,未启动,,,红
""",
    "tsv": SECTION_ONE_TSV,
    "auto": SECTION_ONE_TSV,
}


@pytest.mark.parametrize("fmt", sorted(SECTION_ONE))
def test_list_in_each_text_format(runner, fmt, monkeypatch):
    monkeypatch.delenv("COLUMNS")  # piped with no width given: plain lines stay whole
    result = runner.invoke(
        cli, ["list", "--section", "一", "--as-of", "2023-03-01", "--format", fmt]
    )
    assert result.exit_code == 0
    assert result.stdout == SECTION_ONE[fmt]
    assert result.stderr == BUNDLED_NOTE  # the list used by default, and no log beside it


def test_list_json(runner):
    result = runner.invoke(
        cli, ["list", "--id", "15,29", "--as-of", "2023-03-01", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": 15,
            "section": "三",
            "text": "推行“开发园区+主题园区”模式，推进“一区多园”融合发展，谋划建设新型选矿药剂产业园，纸制品产业园，"
            "氢能产业园，预制菜、休闲食品和宠物食品产业园，危废处理一体化产业园。",
            "leaders": ["梁小鹰", "高会巨"],
            "lead_departments": ["经开区", "农开区"],
            "departments": [],
            "status": "未启动",
            "progress": None,
            "updated": None,
            "light": "红",
            "time_progress": 16.4,
            "deadline": "2023-12-31",
            "behind": True,
            "overdue": False,
            "stale": True,
            "note": "",
            "problem": "",
            "next_step": "",
        },
        {
            "id": 29,
            "section": "四",
            "text": "推进5处镇级污水处理厂建设，提升镇村污水处理能力",
            "leaders": [],
            "lead_departments": ["各有关镇街道"],
            "departments": [],
            "status": "未启动",
            "progress": None,
            "updated": None,
            "light": "红",
            "time_progress": 16.4,
            "deadline": "2023-12-31",
            "behind": True,
            "overdue": False,
            "stale": True,
            "note": "",
            "problem": "",
            "next_step": "",
        },
    ]
    assert '"张' not in result.stdout and "\\u" not in result.stdout


def test_table_on_a_terminal(runner, monkeypatch):
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(cli, ["list", "--id", "29", "--as-of", "2023-03-01"])
    assert result.exit_code == 0
    assert result.stdout == (
        "序号 部分 年度任务目标                                    牵头部门     状态   灯\n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "  29 四   推进5处镇级污水处理厂建设，提升镇村污水处理能力 各有关镇街道 未启动 红\n"
    )


def test_lights_are_coloured_on_a_colour_terminal(runner, monkeypatch):
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    result = runner.invoke(cli, ["list", "--id", "1", "--as-of", "2024-01-05"])
    assert "\x1b[1;31m红\x1b[0m" in result.stdout


def test_no_ansi_escapes_when_piped_or_no_color(runner, monkeypatch):
    result = runner.invoke(cli, ["list", "--id", "1", "--format", "table"])
    assert "\x1b[" not in result.stdout
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(cli, ["list", "--id", "1"], color=True)
    assert result.stdout.startswith("序号 部分 年度任务目标")
    assert "\x1b[" not in result.stdout


def test_filters_combine_with_and_and_repeat_with_or(runner):
    result = runner.invoke(
        cli,
        [
            "list",
            "--leader",
            "张辉",
            "--leader",
            "张  健",
            "--section",
            "9",
            "--as-of",
            "2023-03-01",
            "--format",
            "tsv",
        ],
    )
    assert (
        result.stdout
        == "100\t九\t实施三道沟辽河大桥工程，保障百姓出行安全，打通区域产业发展经济新通道\t张健\t交通局\t各有关部门、富家镇\t未启动\t\t\t红\n"
    )
    result = runner.invoke(
        cli, ["list", "--dept", "住建", "--grep", "老旧", "--grep", "排水", "--format", "tsv"]
    )
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["65", "94", "95"]
    result = runner.invoke(cli, ["list", "--id", "7,9-11", "--id", "102", "--format", "tsv"])
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "7",
        "9",
        "10",
        "11",
        "102",
    ]
    result = runner.invoke(cli, ["list", "--section", "乡村振兴", "--format", "tsv"])
    assert len(result.stdout.splitlines()) == 12


def test_names_ignore_whitespace_and_accept_a_unique_part(runner):
    expected = runner.invoke(cli, ["list", "--leader", "张辉"]).stdout
    assert len(expected.splitlines()) == 11
    for name in ("张 辉", "张  辉", "张\u3000辉", " 张辉 "):
        assert runner.invoke(cli, ["list", "--leader", name]).stdout == expected
    assert (
        runner.invoke(cli, ["list", "--leader", "于德"]).stdout
        == runner.invoke(cli, ["list", "--leader", "于德忱"]).stdout
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["list", "--leader", "张"], "错误：「张」对应多个责任领导：张健、张辉；请写得更完整些\n"),
        (
            ["list", "--leader", "于德成"],
            "错误：没有名为「于德成」的责任领导；相近的有：于德忱、辛德；用 taskctl leaders 查看全部责任领导\n",
        ),
        (
            ["list", "--leader", "王五"],
            "错误：没有名为「王五」的责任领导；用 taskctl leaders 查看全部责任领导\n",
        ),
        (
            ["list", "--dept", "住房局"],
            "错误：没有名为「住房局」的部门；相近的有：住建局；用 taskctl depts 查看全部部门\n",
        ),
        (
            ["dept", "生态"],
            "错误：「生态」对应多个部门：生态环境分局、生态环境局；请写得更完整些\n",
        ),
        (
            ["list", "--section", "十"],
            "错误：没有「十」这一部分；本清单的部分为 一、二、三、四、五、六、七、八、九（也可写 1–9）\n",
        ),
        (
            ["list", "--section", "聚焦"],
            "错误：「聚焦」对应多个部分：二（聚焦项目攻坚，做强实体经…）、三（聚焦工业兴县，促进提质增…）、四（聚焦乡村振兴，做实“三农…）、五（聚焦营商环境，精准服务企…）、六（聚焦改革开放，增强区域优…）、七（聚焦绿色发展，改善功能品…）、八（聚焦百姓福祉，繁荣社会事…）；请写编号\n",
        ),
        (["list", "--id", "5-3"], "错误：序号范围「5-3」的起点大于终点\n"),
        (["list", "--id", "a"], "错误：无法理解的序号「a」：应写成 7 或 9-11，多个用逗号分隔\n"),
        (["list", "--id", ","], "错误：序号不能为空：应写成 7 或 9-11，多个用逗号分隔\n"),
        (["show", "103"], "错误：没有序号为 103 的任务（本清单序号为 1–102）\n"),
        (["list", "--leader", ""], "错误：责任领导名称不能为空\n"),
    ],
)
def test_bad_input_exits_2_with_one_line(runner, args, stderr):
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == stderr


def test_click_usage_errors_exit_2(runner):
    result = runner.invoke(cli, ["list", "--format", "xml"])
    assert result.exit_code == 2
    assert "--format" in result.stderr
    assert runner.invoke(cli, ["nosuch"]).exit_code == 2


def test_nothing_matches_is_quiet_success(runner):
    result = runner.invoke(
        cli, ["list", "--leader", "于德忱", "--section", "九", "--grep", "幼儿园"]
    )
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == BUNDLED_NOTE + "没有符合条件的任务\n"
    result = runner.invoke(cli, ["list", "--dept", "桑林镇", "--format", "json"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == BUNDLED_NOTE + "没有符合条件的任务\n"


def test_dept_includes_tasks_through_groups(runner):
    result = runner.invoke(cli, ["dept", "富家镇", "--format", "json"])
    rows = json.loads(result.stdout)
    assert len(rows) == 41
    assert {(r["role"], r["via"]) for r in rows} == {("support", "各镇街道"), ("support", None)}
    assert [r["id"] for r in rows if r["via"] is None] == [100]
    result = runner.invoke(
        cli, ["dept", "富家镇", "--direct", "--as-of", "2023-03-01", "--format", "tsv"]
    )
    assert (
        result.stdout
        == "100\t责任\t\t九\t实施三道沟辽河大桥工程，保障百姓出行安全，打通区域产业发展经济新通道\t张健\t交通局\t各有关部门、富家镇\t未启动\t\t\t红\n"
    )


def test_dept_roles(runner):
    lead = runner.invoke(cli, ["dept", "农开区", "--role", "lead", "--format", "tsv"]).stdout
    assert [line.split("\t")[:3] for line in lead.splitlines()] == [
        [i, "牵头", ""] for i in ("13", "15", "17", "18", "43", "51")
    ]
    support = runner.invoke(cli, ["dept", "农开区", "--role", "support", "--format", "json"]).stdout
    rows = json.loads(support)
    assert len(rows) == 31
    assert [r["id"] for r in rows if r["via"] is None] == [27]
    every = json.loads(runner.invoke(cli, ["dept", "农开区", "--format", "json"]).stdout)
    lead_ids = {int(line.split("\t")[0]) for line in lead.splitlines()}
    assert [r["id"] for r in every] == sorted(lead_ids | {r["id"] for r in rows})
    assert all(r["role"] == "lead" for r in every if r["id"] in lead_ids)


def test_show_every_field(runner):
    result = runner.invoke(cli, ["show", "91", "--as-of", "2023-03-01", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout == (
        "序号\t91\n"
        "部分\t八、聚焦百姓福祉，繁荣社会事业，以共享的发展成果推进台安高质量发展（23项）\n"
        "年度任务目标\t推广“积分制”基层治理新模式，激发基层社会治理新活力\n"
        "责任领导\t推广“积分制”基层治理新模式，激发基层社会治理新活力\n"
        "牵头部门\t党群中心\n"
        "责任部门\t各有关部门、各镇街道\n"
        "完成时限\t2023-12-31\n"
        "状态\t未启动\n"
        "进度\t\n"
        "序时进度\t16.4%\n"
        "最近更新\t\n"
        "灯\t红\n"
        "各单位\t党群中心（主牵头） 未启动 红灯 从未填报 其余 12 个责任单位未填报\n"
        "进度记录\t（无）\n"
    )
    record = json.loads(runner.invoke(cli, ["show", "29", "--format", "json"]).stdout)
    assert record["leaders"] == [] and record["deadline"] == "2023-12-31"


def test_leaders_directory(runner):
    result = runner.invoke(cli, ["leaders", "--format", "tsv"])
    assert result.stdout == (
        "于德忱\t26\n赵玉宇\t25\n董力芳\t17\n李聪\t14\n张辉\t11\n张健\t8\n梁小鹰\t6\n高会巨\t4\n辛德\t2\n"
        "姚斯杰\t1\n推广“积分制”基层治理新模式，激发基层社会治理新活力\t1\n姚智聪\t1\n"
    )


def test_depts_directory(runner):
    rows = json.loads(runner.invoke(cli, ["depts", "--format", "json"]).stdout)
    by_name = {r["name"]: r for r in rows}
    assert by_name["住建局"] == {"name": "住建局", "lead": 14, "support": 0, "via_group": 0}
    assert by_name["富家镇"] == {"name": "富家镇", "lead": 0, "support": 1, "via_group": 40}
    assert by_name["桑林镇"] == {"name": "桑林镇", "lead": 0, "support": 0, "via_group": 40}
    assert by_name["农开区"] == {"name": "农开区", "lead": 6, "support": 1, "via_group": 30}
    assert by_name["各有关部门"]["support"] == 67


def test_sections(runner):
    result = runner.invoke(cli, ["sections", "--format", "csv"])
    assert result.stdout.splitlines()[0] == "编号,标题,标题项数,实际项数"
    assert (
        result.stdout.splitlines()[4]
        == "四,聚焦乡村振兴，做实“三农”工作，以稳固的发展基础推进台安高质量发展,13,12"
    )
    assert len(result.stdout.splitlines()) == 10


def _commands(group: click.Group):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        yield name, group.get_command(ctx, name)


@pytest.mark.parametrize("name", [name for name, _ in _commands(cli)])
def test_every_command_has_a_summary_and_an_example(runner, name):
    for flag in ("--help", "-h"):
        result = runner.invoke(cli, [name, flag])
        assert result.exit_code == 0
        assert "示例：" in result.stdout
        assert "taskctl " + name in result.stdout.split("示例：", 1)[1]
    assert cli.get_command(click.Context(cli), name).get_short_help_str(80).strip()


def test_bare_taskctl_prints_help(runner):
    result = runner.invoke(cli, [])
    assert result.exit_code == 0
    assert "示例：" in result.stdout


def test_unexpected_errors_exit_1_without_traceback(runner, monkeypatch):
    import taskctl.query

    def boom(*args, **kwargs):
        raise RuntimeError("坏了")

    monkeypatch.setattr(taskctl.query, "filter_tasks", boom)
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "内部错误：RuntimeError: 坏了（加 --debug 或设置 TASKCTL_DEBUG=1 可看详细信息）\n"
    )
    result = runner.invoke(cli, ["--debug", "list"])
    assert isinstance(result.exception, RuntimeError)
