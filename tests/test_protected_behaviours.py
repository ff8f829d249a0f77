"""Behaviours no test protected before issue 27, each through the command or core function a
user reaches it by. Every test here was checked against a hand-made one-line bug in the
product code (the table is in docs/testing.md): with the bug in, the test fails."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from taskctl.cli import cli
from taskctl.loader import load
from taskctl.progress import read_log

LIST = """\
标题: 测试清单
年度: {year}
groups:
  各 镇 街道: [八角台街道, 台东街道]
sections:
- 编号: 一
  标题: 城市建设
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [住建局, 财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [财政局, 财政局]
    责任部门: [各镇街道]
    完成时限: 2023-07-31
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [住建局]
"""


def write_list(folder: Path, year: int = 2023) -> Path:
    path = folder / "tasks.yaml"
    path.write_text(LIST.format(year=year), encoding="utf-8")
    return path


@pytest.fixture
def listfile(tmp_path):
    return write_list(tmp_path)


def ok(runner, *args: str):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


# Queries -----------------------------------------------------------------------------------


def test_list_grep_in_capitals_finds_the_lower_case_text(runner, listfile):
    result = ok(runner, "list", "--grep", "5g", "--file", str(listfile), "--format", "tsv")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["1"]


def test_a_unit_that_leads_and_supports_a_task_gets_it_once_in_dept(runner, listfile):
    result = ok(runner, "dept", "住建局", "--file", str(listfile), "--format", "tsv")
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["1", "牵头"],
        ["3", "责任"],
    ]


def test_a_unit_that_leads_and_supports_a_task_gets_it_once_on_its_form(listfile):
    from taskctl.forms import build_forms
    from taskctl.period import parse_period

    (form,) = build_forms(
        load(listfile), [], parse_period(week="2023-W26"), role="all", only=["住建局"]
    )
    assert [(row.task.id, row.role) for row in form.rows] == [(1, "lead"), (3, "support")]


def test_a_groups_key_written_with_spaces_still_matches(runner, listfile):
    result = ok(runner, "dept", "台东街道", "--file", str(listfile), "--format", "tsv")
    assert [line.split("\t")[:3] for line in result.stdout.splitlines()] == [
        ["2", "责任", "各 镇 街道"]
    ]


def test_validate_right_after_a_normal_update_finds_no_future_date(runner, tmp_path):
    listfile = write_list(tmp_path, year=dt.date.today().year)
    ok(runner, "update", "1", "--status", "序时推进", "--progress", "10", "--by", "住建局",
       "--file", str(listfile))  # fmt: skip
    assert [e.date for e in read_log(tmp_path / "progress.jsonl")] == [dt.date.today()]
    result = runner.invoke(cli, ["validate", "--file", str(listfile)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "未发现问题\n")


# Import and export -------------------------------------------------------------------------

FIRST_LEADS = """\
标题: 镇清单
规则:
- 列第一位的为牵头单位
原表列:
  序号: 序号
  工作任务: 年度任务目标
  责任单位: 责任部门
sections:
- 编号: 一
  标题: 重点工作
  项数: 1
  任务:
  - 序号: 1
    年度任务目标: 建设5G基站
    责任领导: []
    牵头部门: [工信局]
    责任部门: [财政局, 住建局]
"""


def test_export_under_the_first_unit_rule_writes_the_lead_first_and_reimports_it(runner, tmp_path):
    source = tmp_path / "镇清单.yaml"
    source.write_text(FIRST_LEADS, encoding="utf-8")
    exported = tmp_path / "台账.csv"
    ok(runner, "export", "--file", str(source), "-o", str(exported))
    assert "工信局\n财政局\n住建局" in exported.read_text(encoding="utf-8-sig")
    again = tmp_path / "again.yaml"
    ok(runner, "import", str(exported), "--first-unit-leads", "-o", str(again))
    (task,) = load(again).tasks
    assert (task.lead_departments, task.departments) == (("工信局",), ("财政局", "住建局"))


def import_csv(runner, tmp_path, text: str, *options: str):
    source = tmp_path / "台账.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "imported.yaml"
    ok(runner, "import", str(source), "-o", str(out), *options)
    return load(out)


def test_a_multi_row_item_repeating_a_leader_or_unit_lists_it_once(runner, tmp_path):
    tasklist = import_csv(
        runner,
        tmp_path,
        "序号,工作任务,责任领导,牵头单位,责任单位\n"
        "1,建设5G基站一期,王某,工信局,财政局\n"
        ",建设5G基站二期,王某,工信局,财政局、住建局\n",
    )
    (task,) = tasklist.tasks
    assert (task.leaders, task.lead_departments, task.departments) == (
        ("王某",),
        ("工信局",),
        ("财政局", "住建局"),
    )


def test_a_work_requirements_column_is_not_taken_as_the_task_text(runner, tmp_path):
    tasklist = import_csv(
        runner,
        tmp_path,
        "序号,工作要求,重点工作,牵头单位\n1,按期保质完成,建设5G基站,工信局\n",
    )
    (task,) = tasklist.tasks
    assert (task.text, task.extra["工作要求"]) == ("建设5G基站", "按期保质完成")


def test_a_csv_cell_starting_with_a_quote_keeps_it(runner, tmp_path):
    tasklist = import_csv(
        runner, tmp_path, "序号,重点工作,牵头单位\n1,'十四五'规划中期评估,发改局\n"
    )
    assert [t.text for t in tasklist.tasks] == ["'十四五'规划中期评估"]


def test_import_force_keeps_a_hand_added_deadline_only_where_the_document_has_none(
    runner, tmp_path
):
    first = tmp_path / "清单.csv"
    first.write_text("序号,重点工作,牵头单位\n1,建设5G基站,工信局\n2,规划评估,发改局\n")
    out = tmp_path / "tasks.yaml"
    ok(runner, "import", str(first), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    text = text.replace("    - 工信局\n", "    - 工信局\n    完成时限: 2023-06-30\n")
    text = text.replace("    - 发改局\n", "    - 发改局\n    完成时限: 2023-08-31\n")
    out.write_text(text, encoding="utf-8")  # added by hand
    assert [t.deadline for t in load(out).tasks] == [dt.date(2023, 6, 30), dt.date(2023, 8, 31)]
    revised = tmp_path / "清单修订.csv"
    revised.write_text(
        "序号,重点工作,牵头单位,完成时限\n1,建设5G基站,工信局,2023-09-30\n2,规划评估,发改局,\n"
    )
    ok(runner, "import", str(revised), "-o", str(out), "--force")
    assert [t.deadline for t in load(out).tasks] == [dt.date(2023, 9, 30), dt.date(2023, 8, 31)]


def test_a_paragraph_list_keeps_both_the_responsible_and_the_supervising_leader(runner, tmp_path):
    source = tmp_path / "清单.txt"
    source.write_text(
        "一、稳增长\n1.新建5G基站100个。\n责任领导：王大明\n分管领导：李小红\n牵头单位：工信局\n",
        encoding="utf-8",
    )
    out = tmp_path / "tasks.yaml"
    ok(runner, "import", str(source), "-o", str(out))
    (task,) = load(out).tasks
    assert task.leaders == ("王大明", "李小红")


# Collection round --------------------------------------------------------------------------


def test_a_reply_with_two_rows_for_one_id_is_refused(runner, listfile, tmp_path):
    reply = tmp_path / "住建局.csv"
    reply.write_text("序号,状态,进度,进展情况\n1,序时推进,20,开工\n1,序时推进,30,再报\n")
    result = runner.invoke(
        cli, ["collect", str(reply), "--by", "住建局", "--week", "2023-W26",
              "--file", str(listfile)],
    )  # fmt: skip
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "第 3 行：序号 1 在第 2 行已填过；每项任务只填一行" in result.stderr
    log = tmp_path / "progress.jsonl"
    assert not log.exists() or read_log(log) == []


def test_excel_lock_files_in_the_reply_folder_are_ignored(runner, listfile, tmp_path):
    folder = tmp_path / "回收"
    folder.mkdir()
    (folder / "住建局.csv").write_text("序号,状态,进度,进展情况\n1,序时推进,20,开工\n")
    (folder / "~$住建局.xlsx").write_bytes(b"\x00owner\x00")  # Excel's lock, not a workbook
    result = runner.invoke(
        cli, ["collect", str(folder), "--by", "住建局", "--week", "2023-W26",
              "--file", str(listfile), "--format", "tsv"],
    )  # fmt: skip
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert [line.split("\t")[-1] for line in result.stdout.splitlines() if "\t" in line] == [
        "住建局.csv"
    ]


@pytest.mark.parametrize("role", ["support", "all"])
def test_towns_holding_tasks_through_a_blanket_group_get_their_forms(listfile, role):
    from taskctl.forms import build_forms, units
    from taskctl.period import parse_period

    assert {"八角台街道", "台东街道"} <= set(units(load(listfile), role))
    forms = build_forms(load(listfile), [], parse_period(week="2023-W26"), role=role)
    town = next(f for f in forms if f.unit == "台东街道")
    assert [(row.task.id, row.via) for row in town.rows] == [(2, "各 镇 街道")]


# 催办 ----------------------------------------------------------------------------------------


def steady_entries(as_of: dt.date):
    """The office's finding yesterday on every task (it stands for each 牵头 unit), on
    schedule: nothing to chase but the 完成时限."""
    from taskctl.progress import Entry

    return [Entry(i, as_of - dt.timedelta(days=1), "序时推进", 95) for i in (1, 2, 3)]


@pytest.mark.parametrize(("days", "chased"), [(30, True), (31, False)])
def test_remind_chases_a_task_exactly_thirty_days_before_its_deadline(listfile, days, chased):
    from taskctl.remind import notices

    as_of = dt.date(2023, 7, 31) - dt.timedelta(days=days)
    found = {
        (n.unit, item.state.task.id): item.reasons
        for n in notices(load(listfile), steady_entries(as_of), as_of)
        for item in n.items
    }
    assert found == ({("财政局", 2): (f"距完成时限 {days} 天",)} if chased else {})


def test_a_unit_written_twice_in_one_lead_cell_gets_the_task_once(listfile):
    from taskctl.remind import notices

    as_of = dt.date(2023, 7, 1)
    (notice,) = notices(load(listfile), steady_entries(as_of), as_of)
    assert (notice.unit, [item.state.task.id for item in notice.items]) == ("财政局", [2])


def test_the_notice_addressee_line_is_flush_left(listfile):
    import docx
    from docx.shared import Pt

    from taskctl.remind import notices, render

    as_of = dt.date(2023, 7, 1)
    (notice,) = notices(load(listfile), steady_entries(as_of), as_of)
    document = docx.Document(io.BytesIO(render(notice, "docx")))
    (to,) = [p for p in document.paragraphs if p.text == "财政局："]
    assert to.paragraph_format.first_line_indent == Pt(0)
    body = next(p for p in document.paragraphs if p.text.startswith("截至"))
    assert body.paragraph_format.first_line_indent != Pt(0)  # the body keeps its indent


# Report and period -------------------------------------------------------------------------


def test_the_year_report_ranks_units_and_leaders_in_its_own_attachment(runner, listfile, tmp_path):
    """The 年度考评 ranking is an 附件 of its own (the 通报 body keeps its four numbered
    parts), by 牵头部门 and then by 责任领导."""
    import docx

    (tmp_path / "progress.jsonl").write_text(
        '{"序号": 1, "日期": "2023-06-28", "状态": "序时推进", "进度": 40, "填报人": "住建局"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "年度.docx"
    ok(runner, "report", "--year", "2023", "--as-of", "2023-12-31", "--file", str(listfile),
       "-o", str(out))  # fmt: skip
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    at = max(i for i, t in enumerate(texts) if t == "年度考评排名")  # the 附件's title
    assert "附件3" in texts[at - 2 : at]
    ranked = [t for t in texts[at:] if t.startswith("按")]
    assert [t[:5] for t in ranked] == ["按牵头部门", "按责任领导"]


def test_a_one_day_period_is_accepted():
    from taskctl.period import parse_period, period_from_label

    day = dt.date(2023, 6, 30)
    period = parse_period(since=day, until=day)
    assert (period.label, period.start, period.end) == ("2023-06-30~2023-06-30", day, day)
    assert period_from_label(period.label) == period


# Parse cache -------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="no group permissions on Windows")
def test_a_group_writable_cache_folder_is_not_trusted(runner, listfile, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o770)
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(folder))
    for _ in range(2):
        ok(runner, "list", "--file", str(listfile), "--format", "tsv")
    assert list(folder.iterdir()) == []
    os.chmod(folder, 0o700)  # the same folder, now the user's alone, is used
    ok(runner, "list", "--file", str(listfile), "--format", "tsv")
    assert list(folder.iterdir()) != []


def test_subprocesses_of_the_suite_write_no_parse_cache_into_the_users_folder(
    tmp_path, monkeypatch
):
    """The subprocess helpers of the suite give the child the test's cache folder: with HOME
    and XDG_CACHE_HOME pointing at empty folders, those stay empty and the test's folder fills."""
    import test_installed
    import test_readme
    from conftest import BUNDLED, taskctl_env

    home, xdg = tmp_path / "home", tmp_path / "xdg"
    home.mkdir()
    xdg.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    monkeypatch.setenv("TASKCTL_NO_CACHE", "0")  # a developer's setting, left out of the child
    args = ["list", "--file", str(BUNDLED), "--id", "1", "--format", "tsv"]
    done = subprocess.run(
        [sys.executable, "-m", "taskctl", *args], capture_output=True, env=taskctl_env()
    )
    assert done.returncode == 0, done.stderr
    if test_installed.TASKCTL is not None:
        assert test_installed.run([test_installed.TASKCTL, *args], cwd=tmp_path).returncode == 0
    folder = tmp_path / "readme"
    folder.mkdir()
    test_readme.run(f"{sys.executable} -m taskctl {' '.join(args)}", folder, terminal=False)
    assert list(home.rglob("*")) == [] and list(xdg.rglob("*")) == []
    assert list(Path(os.environ["TASKCTL_CACHE_DIR"]).iterdir()) != []
