"""Tests prompted by issue 27's surviving mutants of the document importers (area c2):
deadlines, plan, paragraphs, docx, xlsx, markdown, jsondoc and the reader dispatch.

Each was checked against its mutant (scripts/mutate.py --rerun-survivors --also this file)."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.cli import cli
from taskctl.importers.deadlines import parse_phrase
from taskctl.model import Section, Task

D = dt.date

# deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "month"),
    [
        ("一月底前", 1),
        ("二月底前", 2),
        ("三月底前", 3),
        ("四月底前", 4),
        ("五月底前", 5),
        ("六月底前", 6),
        ("七月底前", 7),
        ("八月底前", 8),
        ("九月底前", 9),
        ("十月底前", 10),
        ("十一月底前", 11),
        ("十二月底前", 12),
    ],
)
def test_a_month_written_in_chinese_numerals_ends_that_month(phrase, month):
    end = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    assert parse_phrase(phrase, 2024) == D(2024, month, end)


@pytest.mark.parametrize(
    ("phrase", "date"),
    [
        ("6月15日前", D(2024, 6, 15)),
        ("6月上旬", D(2024, 6, 10)),
        ("6月初", D(2024, 6, 10)),
        ("6月中旬", D(2024, 6, 20)),
        ("6月中", D(2024, 6, 20)),
        ("6月下旬", D(2024, 6, 30)),
        ("二季度", D(2024, 6, 30)),
        ("第四季度", D(2024, 12, 31)),
        ("上半年底前完成", D(2024, 6, 30)),
        # a month on a line of its own, then a date or a quarter on the next: both count
        ("12月\n6月30日", D(2024, 12, 31)),
        ("3月\n四季度", D(2024, 12, 31)),
    ],
)
def test_deadline_phrases_of_part_of_a_month_quarters_and_stages(phrase, date):
    assert parse_phrase(phrase, 2024) == date


@pytest.mark.parametrize(
    "phrase", ["6月30日前", "6月上旬", "一季度", "上半年", "年底前", "持续推进"]
)
def test_without_the_lists_year_a_phrase_naming_none_gives_no_date(phrase):
    assert parse_phrase(phrase, None) is None


# jsondoc -----------------------------------------------------------------------------------

JSON_TASK = {
    "id": 1,
    "text": "新建5G基站100个",
    "leaders": ["王某某"],
    "lead_departments": ["县工信局"],
    "departments": ["各镇街道"],
    "section": "一",
    "deadline": "2024-06-30",
}


def _json(tmp_path, document):
    import json

    path = tmp_path / "清单.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_json_list_with_only_its_tasks_imports_with_untitled_parts(tmp_path):
    from taskctl.importers import read_source

    tl = read_source(_json(tmp_path, {"year": 2024, "tasks": [JSON_TASK]})).tasklist
    assert (tl.attachment, tl.title, tl.year, dict(tl.groups), tl.columns, tl.rules) == (
        "", "", 2024, {}, (), ()
    )  # fmt: skip
    assert tl.sections == (
        Section("一", "", None, (
            Task(1, "新建5G基站100个", ("王某某",), ("县工信局",), ("各镇街道",), "一", D(2024, 6, 30)),
        )),
    )  # fmt: skip


def test_a_json_list_keeps_its_heading_parts_extras_columns_and_rules(tmp_path):
    from taskctl.importers import read_source

    document = {
        "attachment": "附件1",
        "title": "某县2024年政府工作报告任务分解",
        "year": 2024,
        "groups": {"各镇街道": ["城关镇", "东城街道"]},
        "columns": [["序号", "序号"], ["工作任务", "年度任务目标"], ["备注", "备注"]],
        "rules": ["列第一位的为牵头单位"],
        "sections": [
            {"numeral": "一", "title": "稳增长", "declared": 1},
            {"numeral": "二", "title": "惠民生", "declared": None, "path": ["民生实事"],
             "written": "（二）惠民生"},
        ],
        "tasks": [
            {**JSON_TASK, "extra": {"备注": "与住建局会商"}},
            {"id": 2, "text": "城镇新增就业3000人", "leaders": [], "lead_departments": ["县人社局"],
             "departments": [], "section": "二", "deadline": None},
        ],
    }  # fmt: skip
    tl = read_source(_json(tmp_path, document)).tasklist
    assert (tl.attachment, tl.title, tl.year, dict(tl.groups)) == (
        "附件1", "某县2024年政府工作报告任务分解", 2024, {"各镇街道": ("城关镇", "东城街道")}
    )  # fmt: skip
    assert tl.columns == (("序号", "序号"), ("工作任务", "年度任务目标"), ("备注", "备注"))
    assert tl.rules == ("列第一位的为牵头单位",)
    assert tl.sections == (
        Section("一", "稳增长", 1, (
            Task(1, "新建5G基站100个", ("王某某",), ("县工信局",), ("各镇街道",), "一", D(2024, 6, 30),
                 {"备注": "与住建局会商"}),
        )),
        Section("二", "惠民生", None, (
            Task(2, "城镇新增就业3000人", (), ("县人社局",), (), "二"),
        ), ("民生实事",), "（二）惠民生"),
    )  # fmt: skip
    assert [dict(task.extra) for task in tl.tasks] == [{"备注": "与住建局会商"}, {}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": "6月底前"}, "deadline 应为 YYYY-MM-DD，得到「6月底前」"),
        ({"extra": ["备注"]}, "extra 应为对象"),
    ],
)
def test_a_json_task_with_a_wrong_value_is_refused_naming_it(runner, tmp_path, change, message):
    source = _json(tmp_path, {"year": 2024, "tasks": [{**JSON_TASK, **change}]})
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


@pytest.mark.parametrize(
    "columns",
    ["序号", [["序号", "序号", "序号"]], ["序号"], ["甲乙"], [["序号", "序号"], "工作任务"]],
)
def test_json_columns_other_than_heading_key_pairs_are_refused(runner, tmp_path, columns):
    source = _json(tmp_path, {"year": 2024, "columns": columns, "tasks": [JSON_TASK]})
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    message = "columns 应为 [原表列标题, 键] 的列表"
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


# plan: import --force over an existing list -------------------------------------------------


def _first_import(runner, tmp_path, rows="1,建设 5G基站,工信局\n2,规划评估,发改局\n"):
    source = tmp_path / "台账.csv"
    source.write_text("序号,重点工作,牵头单位\n" + rows, encoding="utf-8")
    out = tmp_path / "tasks.yaml"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    return source, out


def _files(folder):
    """The folder's files but the lock file every writer of tasks.yaml keeps beside it."""
    return sorted(p.name for p in folder.iterdir() if p.name != "tasks.yaml.lock")


def test_a_hand_added_deadline_is_carried_when_the_imported_text_has_spaces(runner, tmp_path):
    from taskctl.loader import load

    source, out = _first_import(runner, tmp_path)
    text = out.read_text(encoding="utf-8")
    text = text.replace(
        "年度任务目标: 建设 5G基站", "年度任务目标: 建设 5G基站\n    完成时限: 2024-06-30"
    )
    out.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert "沿用原清单中手工添加的 完成时限（1 项）" in result.stderr.splitlines()
    assert [t.deadline for t in load(out).tasks] == [D(2024, 6, 30), None]


def test_taskctls_own_header_with_trailing_spaces_is_not_counted_as_a_comment(runner, tmp_path):
    source, out = _first_import(runner, tmp_path)
    lines = out.read_text(encoding="utf-8").split("\n")
    out.write_text("\n".join(line + "  " if line.startswith("#") else line for line in lines))
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert not [note for note in result.stderr.splitlines() if "注释" in note]


def test_import_force_where_links_cannot_be_made_still_keeps_the_backup(
    runner, tmp_path, monkeypatch
):
    import errno
    import os

    source, out = _first_import(runner, tmp_path)
    old = out.read_bytes()
    source.write_text("序号,重点工作,牵头单位\n1,建设5G基站200个,工信局\n", encoding="utf-8")

    def no_links(*args, **kwargs):  # a FAT-formatted USB drive, a network share
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "tasks.yaml.bak").read_bytes() == old
    assert "年度任务目标: 建设5G基站200个" in out.read_text(encoding="utf-8")
    assert _files(tmp_path) == ["tasks.yaml", "tasks.yaml.bak", "台账.csv"]


def test_an_import_force_that_fails_on_a_full_disk_leaves_the_folder_as_it_was(
    runner, tmp_path, monkeypatch
):
    import errno
    import os

    from taskctl import fsutil

    source, out = _first_import(runner, tmp_path)
    old = out.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsutil.os, "fsync", full)
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{out}：磁盘已满，未写入任何内容；请腾出空间后重试\n"
    )  # fmt: skip
    assert out.read_bytes() == old
    assert _files(tmp_path) == ["tasks.yaml", "台账.csv"]
