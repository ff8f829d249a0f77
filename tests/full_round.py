"""A full weekly round of the bundled list, as the office lives it: forms out to the 34 units
that lead tasks, every unit fills in every row of its form on time (a few tasks lagging, with the
unit's own reason), the replies are collected. Used by the 通报 tests (page count, structure)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from replies import fill

from taskctl.cli import cli
from tests.conftest import BUNDLED

WEEK = "2023-W26"
NOTES = (
    "已完成年度目标的{p}%，项目按计划推进，本周召开专题调度会议，协调解决用地、资金等问题",
    "完成前期手续办理，施工单位已进场，主体工程正在施工，预计按期完成",
    "已制定实施方案并印发，各责任单位按分工推进，本周组织督导检查一次",
)
PROBLEMS = (
    "上级资金尚未下达，配套资金缺口较大，影响工程进度",
    "征地拆迁协议未全部签订，个别户诉求较高，施工无法全面展开",
    "项目审批手续办理周期较长，环评尚未批复",
)


def row(task_id: int) -> tuple:
    """The reply a unit gives for one task: mostly 序时推进, some done, some lagging."""
    if task_id % 9 == 4:
        problem = PROBLEMS[task_id // 9 % len(PROBLEMS)]
        return ("滞后", 20, f"进度滞后，{problem[:8]}", problem, "加强调度，争取本月内解决")
    if task_id % 6 == 1:
        return ("已完成", 100, "已全部完成，通过验收")
    progress = 50 + task_id % 10
    return ("序时推进", progress, NOTES[task_id % len(NOTES)].format(p=progress), "", "")


def full_round(folder: Path, *, long_note: int = 0) -> Path:
    """Set up ``folder`` (data/tasks.yaml, an empty ledger) and run one round there: forms,
    every unit's reply, collect. ``long_note``: one unit writes a 进展情况 this long."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    # the office takes the units' 已完成 as reported (no 办结审核 step in this round): the 通报's
    # structure and pages are what these tests measure; tests/test_review.py has the review
    text = BUNDLED.read_text(encoding="utf-8").replace("groups:", "办结审核: false\ngroups:", 1)
    (data / "tasks.yaml").write_text(text, encoding="utf-8")
    (data / "progress.jsonl").write_bytes(b"")
    runner = CliRunner()
    forms, inbox = folder / "填报", folder / "回收"
    inbox.mkdir(exist_ok=True)
    common = ["--file", str(data / "tasks.yaml")]
    result = runner.invoke(cli, ["forms", "--week", WEEK, "--dir", str(forms), *common])
    assert result.exit_code == 0, result.output
    import openpyxl

    for index, form in enumerate(sorted(forms.glob("*.xlsx"))):
        book = openpyxl.load_workbook(form, read_only=True)
        ids = [r[0] for r in book["填报"].iter_rows(values_only=True) if isinstance(r[0], int)]
        book.close()
        rows = {i: row(i) for i in ids}
        if long_note and index == 0:
            first = ids[0]
            rows[first] = ("滞后", 10, "资金未到位" * (long_note // 5))
        fill(form, rows, inbox / form.name, person="王明", phone="0412-4821234")
    result = runner.invoke(
        cli, ["collect", str(inbox), "--received", "2023-06-30", "--format", "tsv", *common]
    )
    assert result.exit_code == 0, result.output
    return folder
