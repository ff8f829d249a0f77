from __future__ import annotations

import json

import pytest
from conftest import BUNDLED, SOURCE

from taskctl.cli import cli
from taskctl.loader import loads
from taskctl.validate import ERROR, WARNING, Reference, failed, validate

BUNDLED_FINDINGS = (
    "错误\t第四部分\t项数\t标题写 13 项，实际列出 12 项\n"
    "错误\t序号 29\t责任领导\t责任领导为空\n"
    "错误\t序号 91\t责任领导\t单元格重复了年度任务目标"
    "（「推广“积分制”基层治理新模式，激发基层社…」），应为责任领导\n"
    "警告\t序号 84\t部门\t疑似同一名称的不同写法：「各有关部门」（67 项）、「各部门」（1 项）；请统一\n"
    "警告\t序号 23、25、26、27、29…\t部门\t"
    "疑似同一名称的不同写法：「各镇街道」（40 项）、「各有关镇街道」（16 项）；请统一\n"
    "警告\t序号 31、66、67、69\t部门\t"
    "疑似同一名称的不同写法：「生态环境局」（2 项）、「生态环境分局」（2 项）；请统一\n"
    "警告\t序号 1、3、7、9、10…\t部门\t统称「各有关部门」（67 项）在 groups 中没有列出所指单位\n"
    "警告\t序号 23、25、26、27、29…\t部门\t统称「各有关镇街道」（16 项）在 groups 中没有列出所指单位\n"
    "警告\t序号 44\t部门\t统称「各国有集团公司」（1 项）在 groups 中没有列出所指单位\n"
    "警告\t序号 84\t部门\t统称「各部门」（1 项）在 groups 中没有列出所指单位\n"
)


def _list(tasks: str, groups: str = "{}", declared: str = "null") -> str:
    return f"标题: 测试清单\ngroups: {groups}\nsections:\n- 编号: 一\n  标题: 甲\n  项数: {declared}\n  任务:\n{tasks}"


def _task(task_id: int, text: str = "修路", leader: str = "[王五]", lead: str = "[住建局]",
          depts: str = "[]") -> str:  # fmt: skip
    return (
        f"  - 序号: {task_id}\n    年度任务目标: {text}\n    责任领导: {leader}\n"
        f"    牵头部门: {lead}\n    责任部门: {depts}\n"
    )


def test_bundled_list_findings_exact(runner):
    result = runner.invoke(cli, ["validate", "--file", str(BUNDLED), "--format", "tsv"])
    assert result.exit_code == 1
    assert result.stdout == BUNDLED_FINDINGS
    assert result.stderr == "共 3 个错误，7 个警告\n"


def test_source_text_has_same_findings_as_bundled_list(runner):
    result = runner.invoke(cli, ["validate", str(SOURCE), "--format", "tsv"])
    assert result.exit_code == 1
    groups_defined = [line for line in BUNDLED_FINDINGS.splitlines(True)]
    # The text export has no groups: 各镇街道 and 各开发园区 are then undefined too.
    assert result.stdout.startswith("".join(groups_defined[:3]))
    assert "统称「各镇街道」（40 项）在 groups 中没有列出所指单位" in result.stdout
    assert "统称「各开发园区」（30 项）在 groups 中没有列出所指单位" in result.stdout


def test_bundled_list_json_keys(runner):
    result = runner.invoke(cli, ["validate", "--file", str(BUNDLED), "--format", "json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert records[0] == {
        "severity": "error",
        "code": "count-mismatch",
        "where": "第四部分",
        "ids": list(range(21, 33)),
        "field": "项数",
        "message": "标题写 13 项，实际列出 12 项",
    }
    assert [r["code"] for r in records] == [
        "count-mismatch", "empty", "repeats-text", "variant", "variant", "variant",
        "undefined-group", "undefined-group", "undefined-group", "undefined-group",
    ]  # fmt: skip
    assert records[1]["ids"] == [29] and records[2]["ids"] == [91]


def test_clean_list_passes(runner, tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(_list(_task(1) + _task(2, "建桥")), encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--file", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "未发现问题\n")


def test_warnings_only_exit_0_and_strict_exit_1(runner, tmp_path):
    path = tmp_path / "warn.yaml"
    path.write_text(_list(_task(1) + _task(3)), encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout == "警告\t序号 3\t序号\t缺少序号 2（上一项为 1）\n"
    assert result.stderr == "共 0 个错误，1 个警告\n"
    strict = runner.invoke(cli, ["validate", "--file", str(path), "--strict", "--format", "tsv"])
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


def test_repeated_and_out_of_order_ids_in_yaml(runner, tmp_path):
    path = tmp_path / "ids.yaml"
    path.write_text(_list(_task(2) + _task(5) + _task(4) + _task(2)), encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--file", str(path), "--format", "tsv"])
    assert result.exit_code == 1
    assert result.stdout == (
        "警告\t序号 2\t序号\t序号不从 1 开始（缺少 1–1）\n"
        "警告\t序号 5\t序号\t缺少序号 3–4（上一项为 2）\n"
        "警告\t序号 4\t序号\t排在序号 5 之后，顺序颠倒\n"
        "错误\t序号 2\t序号\t序号重复\n"
    )


def test_empty_cells_and_text_in_department_cell():
    text = "推进5处镇级污水处理厂建设"
    tasklist = loads(
        _list(_task(1, leader="[]", lead="[]") + _task(2, text=text, depts=f"[{text}]"), declared=3)
    )
    found = [(f.severity, f.where, f.field, f.message) for f in validate(tasklist)]
    assert found == [
        (ERROR, "第一部分", "项数", "标题写 3 项，实际列出 2 项"),
        (ERROR, "序号 1", "责任领导", "责任领导为空"),
        (ERROR, "序号 1", "牵头部门", "牵头部门为空"),
        (ERROR, "序号 2", "责任部门", "单元格重复了年度任务目标（「推进5处镇级污水处理厂建设」），应为责任部门"),
    ]  # fmt: skip


def test_whitespace_only_leader_counts_as_empty():
    tasklist = loads(_list(_task(1, leader="['　 ']")))
    assert [(f.code, f.field) for f in validate(tasklist)] == [("empty", "责任领导")]


def test_padding_in_names_is_not_a_flaw():
    tasklist = loads(_list(_task(1, leader="[张  辉]") + _task(2, leader="[张辉]")))
    assert validate(tasklist) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [("生态环境局", "生态环境分局"), ("各部门", "各有关部门"), ("财政局", "县财政局")],
)
def test_variant_names(first, second):
    groups = f"{{{first}: [甲局], {second}: [乙局]}}" if first.startswith("各") else "{}"
    tasklist = loads(_list(_task(1, lead=f"[{first}]") + _task(2, lead=f"[{second}]"), groups))
    assert [(f.severity, f.code, f.where, f.message) for f in validate(tasklist)] == [
        (
            WARNING,
            "variant",
            "序号 1、2",
            f"疑似同一名称的不同写法：「{first}」（1 项）、「{second}」（1 项）；请统一",
        )
    ]


def test_distinct_names_are_not_variants():
    tasklist = loads(
        _list(_task(1, lead="[经开区]") + _task(2, lead="[农开区, 八角台街道, 台东街道]"))
    )
    assert validate(tasklist) == []


def test_group_word_without_groups_entry():
    tasklist = loads(_list(_task(1, depts="[各镇街道, 各开发园区]"), groups="{各镇街道: [富家镇]}"))
    assert [(f.code, f.message) for f in validate(tasklist)] == [
        ("undefined-group", "统称「各开发园区」（1 项）在 groups 中没有列出所指单位")
    ]


def test_references_to_missing_ids():
    tasklist = loads(_list(_task(1)))
    refs = [Reference(1, "progress.yaml 第 3 行"), Reference(105, "progress.yaml 第 9 行")]
    findings = validate(tasklist, refs)
    assert [f.to_record() for f in findings] == [
        {
            "severity": "error",
            "code": "unknown-id",
            "where": "序号 105",
            "ids": [105],
            "field": "进度",
            "message": "progress.yaml 第 9 行的记录所指的序号不在清单中",
        }
    ]
    assert failed(findings) and not failed([]) and failed(validate(loads(_list(_task(2)))), True)


def test_validate_missing_or_broken_source_exit_2(runner, tmp_path):
    missing = tmp_path / "missing.docx"
    result = runner.invoke(cli, ["validate", str(missing)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：{missing}：文件不存在\n"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = runner.invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"错误：{broken}：不是有效的 .docx 文件（已损坏，或是改了扩展名的其他文件）\n"
    )
