"""考评 (issue 22): each unit's score and rank from the office's rules, every point traceable."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from taskctl.cli import cli
from taskctl.errors import InputError
from taskctl.scoring import DEFAULT_RULES, SHEET_HEADINGS, Score, parse_rules, rank
from tests.conftest import BUNDLED

NOW = dt.datetime(2023, 7, 10, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

# 报送周期 每月: April and May were collected (A局 on time; B局 late in April, none in May), June
# was not (no reply at all: it counts for no one). 丙局 holds no task: it is not ranked.
LIST = """\
标题: 2023年考评测试清单
年度: 2023
报送周期: 每月
sections:
- 编号: 一
  标题: 测试
  任务:
  - 序号: 1
    年度任务目标: 任务一
    牵头部门: [A局]
    责任部门: [B局]
    完成时限: 2023-05-31
  - 序号: 2
    年度任务目标: 任务二
    牵头部门: [B局]
    责任部门: [A局]
    完成时限: 2023-12-31
"""
LOG = """\
{"序号": 1, "日期": "2023-04-25", "状态": "序时推进", "进度": 50, "说明": "", "填报人": "A局", "期间": "2023-04", "回执": "r1", "收到日期": "2023-04-26"}
{"序号": 2, "日期": "2023-04-28", "状态": "序时推进", "进度": 20, "说明": "", "填报人": "B局", "期间": "2023-04", "回执": "r2", "收到日期": "2023-05-05"}
{"序号": 1, "日期": "2023-05-10", "状态": "已完成", "进度": 100, "说明": "", "填报人": "A局", "期间": "2023-05", "回执": "r3", "收到日期": "2023-05-10"}
{"序号": 2, "日期": "2023-04-28", "状态": "序时推进", "进度": 20, "说明": "", "填报人": "丙局", "期间": "2023-04", "回执": "r4", "收到日期": "2023-04-28"}
{"序号": 2, "日期": "2023-06-20", "状态": "滞后", "进度": 30, "说明": "", "填报人": "B局"}
"""


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    moments = iter(NOW + dt.timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: next(moments))


@pytest.fixture
def office(tmp_path, monkeypatch, runner):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(LIST, encoding="utf-8")
    (tmp_path / "data" / "progress.jsonl").write_text(LOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run(runner, "review", "1", "--return", "缺佐证", "--date", "2023-05-12")
    run(runner, "update", "1", "--status", "已完成", "--progress", "100", "--by", "A局",
        "--date", "2023-05-20")  # fmt: skip
    run(runner, "review", "1", "--approve", "--date", "2023-05-25")
    return tmp_path


def run(runner, *args: str, code: int = 0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result


def scores(runner, *args: str) -> list[dict]:
    return json.loads(run(runner, "score", "--quarter", "2023Q2", "--format", "json", *args).stdout)


def test_the_default_reproduces_the_published_arithmetic_on_a_constructed_quarter(runner, office):
    rows = scores(runner)
    # B局: 迟报 −0.1, 未报 −0.5 (as the published tables), its 责任 part of task 1 past the
    # 完成时限 −1, its 牵头 task 2 滞后 at the quarter's end −1: 100 − 2.6 = 97.4.
    # A局: 退回 −2, 销号 +2 (牵头), its 责任 part of task 2 红 at the end −0.5: 99.5.
    assert [(r["unit"], r["rank"], r["score"]) for r in rows] == [
        ("A局", 1, 99.5),
        ("B局", 2, 97.4),
    ]
    b = rows[1]
    assert [(i["id"], i["date"], i["points"]) for i in b["items"]] == [
        (None, "2023-05-05", -0.1),
        (None, "2023-05-31", -0.5),
        (1, "2023-05-31", -1),
        (2, "2023-06-30", -1),
    ]
    assert (b["late"], b["missing"], b["overdue"], b["behind"]) == (1, 1, 1, 1)
    assert b["items"][0]["reason"] == "2023-04 迟报（2023-04-28 前应报，2023-05-05 报送）"
    a = rows[0]
    assert [(i["id"], i["reason"], i["points"]) for i in a["items"]][:2] == [
        (1, "牵头任务退回：缺佐证", -2),
        (1, "牵头任务销号", 2),
    ]
    assert all("丙局" != r["unit"] for r in rows)  # replied, holds no task: not ranked


def test_for_every_unit_the_items_add_up_to_its_score(runner, office):
    for rules in ("", "上限: 99\n", "下限: 98\n基础分: 99\n"):
        (office / "rules.yaml").write_text(rules or "{}\n", encoding="utf-8")
        for row in scores(runner, "--rules", "rules.yaml"):
            total = round(row["base"] + sum(i["points"] for i in row["items"]), 2)
            if "capped" in row:
                bound = {"上限": min, "下限": max}[row["capped"]]
                assert row["score"] == bound(row["score"], total) != total
            else:
                assert row["score"] == total
    capped = scores(runner, "--rules", "rules.yaml")
    assert [(r["unit"], r["score"], r.get("capped")) for r in capped] == [
        ("A局", 98.5, None),
        ("B局", 98, "下限"),
    ]


def test_role_weights_differ_for_the_same_failure(runner, office):
    (office / "rules.yaml").write_text(
        "超期未完成: {牵头: -5, 责任: -3}\n滞后: {牵头: 0, 责任: 0}\n", encoding="utf-8"
    )
    rows = {r["unit"]: r for r in scores(runner, "--rules", "rules.yaml")}
    overdue = [i for i in rows["B局"]["items"] if "超过完成时限" in i["reason"]]
    assert [(i["reason"], i["points"]) for i in overdue] == [
        ("责任任务超过完成时限 2023-05-31 未完成", -3)
    ]
    assert rows["B局"]["behind"] == 0  # a rule of 0 points makes no item


def test_ties_share_a_rank_and_the_next_rank_skips():
    rules = parse_rules()
    made = [Score(name, base) for name, base in (("甲", 90), ("乙", 95), ("丙", 95), ("丁", 80))]
    ranking = rank(made, rules)
    assert [(s.unit, s.rank) for s, _ in ranking.scores] == [
        ("乙", 1),
        ("丙", 1),
        ("甲", 3),
        ("丁", 4),
    ]
    made = [Score(name, base) for name, base in (("甲", 99), ("乙", 98), ("丙", 98), ("丁", 97))]
    assert [s.rank for s, _ in rank(made, rules).scores] == [1, 2, 2, 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("迟到: -1\n", "rules.yaml：考评规则中有未知的项「迟到」"),
        ("滞后: {牵头: 多}\n", "rules.yaml：考评规则「滞后.牵头」应为数，得到「多」"),
        ("退回: {主办: -2}\n", "rules.yaml：考评规则「退回」中有未知的角色「主办」"),
        ("上限: 90\n下限: 95\n", "rules.yaml：考评规则「下限」95 高于「上限」90"),
        ("- 迟报\n", "rules.yaml：考评规则应为键值对"),
    ],
)
def test_a_rules_file_with_a_mistake_gives_one_error_naming_the_key(runner, office, text, message):
    (office / "rules.yaml").write_text(text, encoding="utf-8")
    result = run(runner, "score", "--quarter", "2023Q2", "--rules", "rules.yaml", code=2)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_the_lists_rules_are_used_and_checked(runner, office):
    tasks = office / "data" / "tasks.yaml"
    tasks.write_text(
        LIST.replace("报送周期: 每月\n", "报送周期: 每月\n考评规则: {迟报: -1}\n"), "utf-8"
    )
    b = scores(runner)[1]
    assert (b["unit"], b["items"][0]["points"]) == ("B局", -1)
    tasks.write_text(
        LIST.replace("报送周期: 每月\n", "报送周期: 每月\n考评规则: {漏报: -1}\n"), "utf-8"
    )
    result = run(runner, "score", "--quarter", "2023Q2", code=2)
    assert "考评规则中有未知的项「漏报」" in result.stderr


def test_explain_lists_one_units_items_with_their_records(runner, office):
    result = run(
        runner, "score", "--quarter", "2023Q2", "--unit", "B局", "--explain", "--format", "tsv"
    )
    assert result.stdout == (
        "B局\t\t2023-05-05\t2023-04 迟报（2023-04-28 前应报，2023-05-05 报送）\t-0.1\n"
        "B局\t\t2023-05-31\t2023-05 未报（2023-05-31 前应报）\t-0.5\n"
        "B局\t1\t2023-05-31\t责任任务超过完成时限 2023-05-31 未完成\t-1\n"
        "B局\t2\t2023-06-30\t牵头任务期末红灯：填报为滞后；进度 30% 低于序时进度 49.6%\t-1\n"
    )


def test_the_table_has_rank_score_and_counts(runner, office):
    result = run(runner, "score", "--quarter", "2023Q2", "--format", "csv")
    assert result.stdout.splitlines() == [
        "名次,单位,得分,基础分,迟报,未报,滞后,超期,退回,销号,说明",
        "1,A局,99.5,100,0,0,1,0,1,1,",
        "2,B局,97.4,100,1,1,1,1,0,0,",
    ]


def test_a_period_is_required_and_a_unit_without_tasks_is_refused(runner, office):
    assert "指明考评期间" in run(runner, "score", code=2).stderr
    result = run(runner, "score", "--quarter", "2023Q2", "--unit", "丙局", code=2)
    assert result.stderr.count("\n") == 1


def test_the_xlsx_sheet_ranks_and_traces(runner, office):
    import openpyxl

    run(runner, "score", "--quarter", "2023Q2", "-o", "考评.xlsx")
    book = openpyxl.load_workbook(office / "考评.xlsx")
    ranking = [[c.value for c in row] for row in book["考评"].iter_rows(min_row=2)]
    assert ranking[0] == SHEET_HEADINGS
    assert SHEET_HEADINGS[2:4] == ["得分", "基础分"]
    assert ranking[1:] == [
        [1, "A局", 99.5, 100, 0, 0, 1, 0, 1, 1, None],
        [2, "B局", 97.4, 100, 1, 1, 1, 1, 0, 0, None],
    ]
    detail = list(book["明细"].iter_rows(values_only=True))
    assert len(detail) == 1 + 3 + 4
    assert book["考评"].print_title_rows == "$1:$2"
    assert book["考评"]["A1"].value == "2023年第二季度考评"


def test_the_default_rules_count_no_activity():
    assert set(DEFAULT_RULES) == {
        "基础分",
        "上限",
        "下限",
        "迟报",
        "未报",
        "滞后",
        "超期未完成",
        "退回",
        "销号",
    }
    with pytest.raises(InputError, match="报送次数"):
        parse_rules({"报送次数": 1})


def test_the_bundled_list_scores_every_unit_holding_a_task(runner, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    monkeypatch.chdir(tmp_path)
    rows = scores(runner)
    assert rows and all(r["rank"] >= 1 for r in rows)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def test_a_part_waiting_for_review_is_not_the_units_delay(runner, office):
    run(runner, "update", "2", "--status", "已完成", "--progress", "100", "--by", "B局",
        "--date", "2023-06-25")  # fmt: skip
    b = scores(runner)[1]
    assert (b["unit"], b["behind"], b["closed"]) == ("B局", 0, 0)  # 待审核: neither
    run(runner, "review", "2", "--approve", "--date", "2023-06-28")
    b = next(r for r in scores(runner) if r["unit"] == "B局")
    # 100 − 0.1 − 0.5 − 1 + 2 = 100.4, kept at the 上限
    assert (b["behind"], b["closed"], b["score"], b["capped"]) == (0, 1, 100, "上限")
