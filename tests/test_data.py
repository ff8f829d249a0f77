"""data/tasks.yaml is the official list verbatim: checked against the source fixture cell by cell."""

from __future__ import annotations

import re

import pytest
from conftest import BUNDLED, SOURCE

from taskctl.cli import cli
from taskctl.importers import read_list
from taskctl.loader import dumps, load


def source_rows():
    """An independent reading of the export: rows of cells, each cell a list of lines."""
    rows, cells = [], []
    for line in SOURCE.read_text(encoding="utf-8").split("\n"):
        if not line:
            if cells:
                rows.append(cells)
            cells = []
        elif line.startswith("\t"):
            cells.append([line[1:]])
        else:
            cells[-1].append(line)
    return rows


def source_tasks():
    return [row for row in source_rows() if len(row) == 5 and row[0] != ["序号"]]


def test_source_has_102_tasks_in_9_sections(tasklist):
    headings = [
        row[0][0]
        for row in source_rows()
        if len(row) == 1 and re.match("^[一二三四五六七八九]、", row[0][0])
    ]
    assert len(source_tasks()) == 102
    assert [s.heading for s in tasklist.sections] == headings
    assert [len(s.tasks) for s in tasklist.sections] == [6, 5, 9, 12, 11, 14, 12, 23, 10]
    assert [s.declared for s in tasklist.sections] == [6, 5, 9, 13, 11, 14, 12, 23, 10]
    assert tasklist.title == "2023年《政府工作报告》工作任务分解清单"
    assert tasklist.attachment == "附件1"
    assert tasklist.year == 2023


def test_every_cell_verbatim(tasklist):
    def cell(lines):
        return tuple(line for line in lines if line)

    got = [(t.id, t.text, t.leaders, t.lead_departments, t.departments) for t in tasklist.tasks]
    want = [
        (int(r[0][0]), "\n".join(r[1]), cell(r[2]), cell(r[3]), cell(r[4])) for r in source_tasks()
    ]
    assert got == want


def test_flaws_of_the_official_list_are_preserved(tasklist):
    assert tasklist.task(2).leaders == ("张  辉",)
    assert tasklist.task(91).leaders == (tasklist.task(91).text,)
    assert tasklist.task(29).leaders == ()
    assert tasklist.task(15).departments == ()
    four = tasklist.sections[3]
    assert (four.numeral, four.declared, len(four.tasks)) == ("四", 13, 12)
    names = {n for t in tasklist.tasks for n in t.lead_departments}
    assert {"生态环境局", "生态环境分局"} <= names


def test_groups_map(tasklist):
    assert tasklist.groups == {
        "各镇街道": (
            "八角台街道",
            "台东街道",
            "桑林镇",
            "高力房镇",
            "黄沙坨镇",
            "新开河镇",
            "富家镇",
            "达牛镇",
            "韭菜台镇",
            "西佛镇",
            "新台镇",
            "桓洞镇",
        ),
        "各开发园区": ("经开区", "农开区"),
    }


def test_converter_reproduces_the_data_file_byte_for_byte(runner, tmp_path):
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(
        cli, ["import", str(SOURCE), "-o", str(out), "--groups-from", str(BUNDLED)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "编码：UTF-8\n"
        "读取 111 行：102 项任务，9 个部分\n"
        "列：\n"
        "  序号 → 序号（标题为“序号”）\n"
        "  年度任务目标 → 年度任务目标（标题含“任务”）\n"
        "  责任领导 → 责任领导（标题含“领导”）\n"
        "  牵头部门 → 牵头部门（标题含“牵头”）\n"
        "  责任部门 → 责任部门（标题含“部门”）\n"
        f"已导入 102 项任务（9 个部分）→ {out}\n"
        f"检查发现 3 个错误，7 个警告；用 taskctl validate --file {out} 查看\n"
    )
    assert out.read_bytes() == BUNDLED.read_bytes()


def test_import_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "tasks.yaml"
    out.write_text("old", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：{out} 已存在；要覆盖请加 --force\n"
    assert out.read_text(encoding="utf-8") == "old"
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert load(out).sections == read_list(SOURCE).sections


@pytest.mark.parametrize(
    ("leader", "ids"),
    [("于德忱", None), ("张辉", None), ("李  聪", None), ("姚斯杰", None), ("董力芳", None)],
)
def test_leader_tasks_match_the_source(runner, leader, ids):
    want = [
        int(r[0][0])
        for r in source_tasks()
        if leader.replace(" ", "") in [x.replace(" ", "") for x in r[2]]
    ]
    result = runner.invoke(cli, ["list", "--leader", leader, "--format", "json"])
    assert result.exit_code == 0
    import json

    assert [t["id"] for t in json.loads(result.stdout)] == want
    assert want  # the leader exists in the source


@pytest.mark.parametrize("dept", ["住建局", "发改局", "生态环境分局", "韭菜台镇", "农开区"])
def test_direct_department_tasks_match_the_source(runner, dept):
    import json

    want = [int(r[0][0]) for r in source_tasks() if dept in r[3] or dept in r[4]]
    result = runner.invoke(cli, ["list", "--dept", dept, "--format", "json"])
    assert result.exit_code == 0
    assert [t["id"] for t in json.loads(result.stdout)] == want


def test_bundled_list_is_found_from_any_folder(tmp_path):
    assert load().sections == load(BUNDLED).sections


def test_dumps_is_what_is_on_disk(tasklist):
    assert dumps(tasklist) == BUNDLED.read_text(encoding="utf-8")
