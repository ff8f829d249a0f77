"""催办 notices: who gets one, what each task says, the files written, and the page rendered."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from taskctl.cli import cli
from taskctl.loader import loads
from taskctl.progress import Entry
from taskctl.remind import blocks, file_name, notices, reasons, render
from taskctl.tracking import task_states
from tests.office import pages, to_pdf

d = dt.date

# As a county office keeps it: one unit behind, one stale, one near a deadline, one done.
LIST = """\
标题: 2024年《政府工作报告》重点任务分解清单
年度: 2024
sections:
- 编号: 一
  标题: 重点工作
  任务:
  - 序号: 1
    年度任务目标: 规模以上工业增加值增长8%
    责任领导: [王强]
    牵头部门: [工信局]
  - 序号: 2
    年度任务目标: 完成老旧小区改造12个
    责任领导: [李明]
    牵头部门: [住建局]
    完成时限: 2024-07-20
  - 序号: 3
    年度任务目标: 新建城区供热管网8公里
    责任领导: [李明]
    牵头部门: [住建局, 城建集团]
    完成时限: 2024-06-30
  - 序号: 4
    年度任务目标: 新增市场主体3000户
    责任领导: [赵红]
    牵头部门: [市场局]
  - 序号: 5
    年度任务目标: 引进亿元以上项目10个
    责任领导: [王强]
    牵头部门: [发改局]
"""
AS_OF = d(2024, 7, 1)
ENTRIES = [
    Entry(1, d(2024, 6, 25), "滞后", 20, "两户企业停产", "工信局"),
    Entry(2, d(2024, 6, 28), "序时推进", 90, "", "住建局"),
    Entry(3, d(2024, 6, 1), "序时推进", 95, "主管网完工", "住建局"),
    Entry(4, d(2024, 6, 20), "已完成", 100, "", "市场局"),
    Entry(5, d(2024, 6, 24), "序时推进", 50, "", "发改局"),
]


@pytest.fixture
def found():
    return notices(loads(LIST), ENTRIES, AS_OF)


def test_who_gets_a_notice(found):
    assert [(n.unit, [i.state.task.id for i in n.items]) for n in found] == [
        ("住建局", [2, 3]),
        ("工信局", [1]),
        ("城建集团", [3]),
    ]
    assert {n.reply_by for n in found} == {d(2024, 7, 4)}


def test_why_each_task_is_listed(found):
    why = {(n.unit, i.state.task.id): i.reasons for n in found for i in n.items}
    assert why == {
        ("工信局", 1): ("滞后", "低于序时进度（进度 20%，序时进度 50.0%）"),
        ("住建局", 2): ("距完成时限 19 天",),
        # each lead unit of 3 is chased for its own part: 城建集团 never reported
        ("住建局", 3): ("已超期（完成时限 2024-06-30）", "30 天未填报"),
        ("城建集团", 3): (
            "已超期（完成时限 2024-06-30）",
            "低于序时进度（未填进度，按 0% 计，序时进度 100.0%）",
            "从未填报",
        ),
    }
    states = task_states(loads(LIST), ENTRIES, AS_OF)
    assert reasons(states[3]) == ()  # 已完成
    assert reasons(states[4]) == ()  # on track, reported a week ago
    # nobody reported on it: chased as an honest 未启动 0% would be
    (silent,) = task_states(loads(LIST), [], AS_OF, tasks=[states[4].task])
    assert reasons(silent) == ("低于序时进度（未填进度，按 0% 计，序时进度 50.0%）", "从未填报")
    # with a 报送周期 of 每周五, W26 (24–30 June) was due on the 28th: 5 reported on the 24th
    import dataclasses

    weekly = dataclasses.replace(loads(LIST), settings={"报送周期": "每周五"})
    late = [dataclasses.replace(ENTRIES[4], date=d(2024, 6, 21))]
    (fine,) = task_states(weekly, ENTRIES, AS_OF, tasks=[states[4].task])
    (owed,) = task_states(weekly, late, AS_OF, tasks=[states[4].task])
    assert (reasons(fine), reasons(owed)) == ((), ("逾期未报（2024-06-28 前应报）",))


def test_notice_text(found):
    text = render(found[1], "markdown").decode("utf-8")
    assert text == (
        "# 催办通知\n\n"
        "工信局：\n\n"
        "截至 2024年7月1日，2024年《政府工作报告》重点任务分解清单中由你单位牵头的以下 1 项任务需要"
        "抓紧推进、及时填报进度。请于 2024年7月4日前将进展情况、存在问题和下一步措施报督查室。\n\n"
        "## 序号 1　规模以上工业增加值增长8%\n\n"
        "催办原因：滞后；低于序时进度（进度 20%，序时进度 50.0%）。\n\n"
        "最近填报：2024-06-25 滞后 20%，两户企业停产（工信局）。\n\n"
        "完成时限：2024-12-31。\n\n"
        "督查室\n\n"
        "2024年7月1日\n"
    )
    assert [kind for kind, _ in blocks(found[1])][:3] == ["h1", "to", "p"]


def test_file_names_are_safe():
    assert file_name("住建局", "docx") == "催办通知-住建局.docx"
    assert file_name("经开区/农开区", "text") == "催办通知-经开区＿农开区-c496aa1d.txt"


@pytest.fixture
def office(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(LIST, encoding="utf-8")
    lines = b"".join(entry.to_line() for entry in ENTRIES)
    (tmp_path / "data" / "progress.jsonl").write_bytes(lines)
    return tmp_path


def test_cli_lists_units_without_writing(runner, office):
    result = runner.invoke(cli, ["remind", "--as-of", "2024-07-01"])
    assert (result.exit_code, result.stdout) == (0, "住建局\t2\n工信局\t1\n城建集团\t1\n")
    assert result.stderr == "用 --dir 文件夹 写出各单位的催办通知\n"
    assert sorted(p.name for p in office.iterdir()) == ["data"]


def test_cli_writes_one_word_notice_per_unit(runner, office):
    result = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办"])
    assert result.exit_code == 0
    assert result.stdout == (
        "住建局\t2\t催办/催办通知-住建局.docx\n"
        "工信局\t1\t催办/催办通知-工信局.docx\n"
        "城建集团\t1\t催办/催办通知-城建集团.docx\n"
    )
    assert result.stderr == "已写入 3 份催办通知 → 催办\n"
    document = docx.Document(str(office / "催办" / "催办通知-住建局.docx"))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["催办通知", "住建局："]
    assert "一、序号 2　完成老旧小区改造12个" in texts
    assert "催办原因：已超期（完成时限 2024-06-30）；30 天未填报。" in texts
    again = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办"])
    assert (again.exit_code, again.stdout) == (2, "")
    assert again.stderr == ("错误：催办/催办通知-住建局.docx 已存在（共 3 个）；加 --force 覆盖\n")
    forced = runner.invoke(cli, ["remind", "--as-of", "2024-07-01", "--dir", "催办", "--force"])
    assert forced.exit_code == 0


def test_cli_one_unit_as_text(runner, office):
    args = [
        "remind",
        "--as-of",
        "2024-07-01",
        "--unit",
        "工信",
        "--format",
        "plain",
        "--dir",
        "催办",
    ]
    result = runner.invoke(cli, args)
    assert result.stdout == "工信局\t1\t催办/催办通知-工信局.txt\n"
    text = (office / "催办" / "催办通知-工信局.txt").read_text(encoding="utf-8")
    assert text.startswith("催办通知\n" + "=" * 40 + "\n\n工信局：\n")


def test_cli_nothing_to_chase(runner, office):
    result = runner.invoke(cli, ["remind", "--as-of", "2024-06-26", "--unit", "发改局"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "没有需要催办的任务\n")


def test_notice_renders_as_a4_with_every_glyph(found, tmp_path, office_profile):
    path = tmp_path / "催办通知.docx"
    path.write_bytes(render(found[0], "docx"))
    rendered = pages(to_pdf(path, office_profile))
    assert len(rendered) == 1
    page = rendered[0]
    assert (round(page.width / 2.835), round(page.height / 2.835)) == (210, 297)
    for words in ("催办通知", "住建局：", "完成老旧小区改造12个", "督查室", "—1—"):
        assert words in page.text


def test_a_full_page_holds_22_lines(tmp_path, office_profile, cjk_font):
    """GB/T 9704: 22 lines a page. A long notice (住建局 in the sample, 13 tasks) is body text
    from top to bottom, so its second page is full: 22 baselines 28.95 pt apart."""
    from taskctl.loader import load
    from taskctl.progress import read_log
    from tests.conftest import BUNDLED, ROOT

    found = notices(
        load(BUNDLED), read_log(ROOT / "examples" / "sample-progress.jsonl"), d(2023, 7, 2)
    )
    (long,) = [n for n in found if n.unit == "住建局"]
    path = tmp_path / "住建局.docx"
    path.write_bytes(render(long, "docx"))
    bottom = (297 - 35) * 2.835
    rendered = pages(to_pdf(path, office_profile))
    # the fullest page (which one depends on where a task's paragraph breaks)
    baselines = max(
        (sorted({round(w.y1, 1) for w in page.words if w.y1 <= bottom + 1}) for page in rendered),
        key=len,
    )
    assert len(baselines) == 22
    steps = {round(b - a) for a, b in zip(baselines, baselines[1:], strict=False)}
    assert steps == {29}
