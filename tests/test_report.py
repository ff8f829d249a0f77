"""stats and report: exact output for the sample log at a fixed as-of date; the weekly script."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taskctl.cli import cli
from taskctl.errors import InputError
from taskctl.report import parse_week, window
from tests.conftest import FIXTURES, LIST_ERRORS, ROOT

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
LOG = ["--ledger", str(SAMPLE)]
AS_OF = ["--as-of", "2023-07-02"]


def test_stats_by_leader_weakest_first(runner):
    result = runner.invoke(cli, ["stats", "--group-by", "leader", *AS_OF, *LOG, "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "董力芳\t17\t17\t0\t0\t0\t17\t0\t0\t0.0%\t0\n"
        "高会巨\t4\t3\t1\t0\t0\t4\t0\t0\t0.0%\t0\n"
        "梁小鹰\t6\t6\t0\t0\t0\t6\t0\t0\t0.0%\t0\n"
        "张健\t8\t8\t0\t0\t0\t8\t0\t0\t0.0%\t0\n"
        "（未填写）\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "姚斯杰\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "李聪\t14\t14\t0\t0\t0\t14\t0\t0\t0.0%\t0\n"
        "辛德\t2\t2\t0\t0\t0\t2\t0\t0\t0.0%\t0\n"
        "推广“积分制”基层治理新模式，激发基层社会治理新活力\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "姚智聪\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "于德忱\t26\t24\t2\t0\t0\t24\t1\t1\t0.0%\t0\n"
        "赵玉宇\t25\t23\t2\t0\t0\t23\t1\t1\t0.0%\t0\n"
        "张辉\t11\t9\t0\t1\t1\t10\t0\t1\t9.1%\t0\n"
        "合计\t102\t95\t5\t1\t1\t97\t2\t3\t1.0%\t0\n"
    )


def test_stats_by_section_csv(runner):
    result = runner.invoke(cli, ["stats", *AS_OF, *LOG, "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout == (
        "部分,任务数,未启动,序时推进,滞后,已完成,红,黄,绿,完成率,超期\n"
        "三、聚焦工业兴县，促进提质增效，以持续的发展势能推进台安高质量发展,9,8,1,0,0,9,0,0,0.0%,0\n"
        "四、聚焦乡村振兴，做实“三农”工作，以稳固的发展基础推进台安高质量发展,12,12,0,0,0,12,0,0,0.0%,0\n"
        "六、聚焦改革开放，增强区域优势，以充分的发展活力推进台安高质量发展,14,14,0,0,0,14,0,0,0.0%,0\n"
        "八、聚焦百姓福祉，繁荣社会事业，以共享的发展成果推进台安高质量发展,23,23,0,0,0,23,0,0,0.0%,0\n"
        "九、十件重点民生实事,10,10,0,0,0,10,0,0,0.0%,0\n"
        "七、聚焦绿色发展，改善功能品质，以优质的发展环境推进台安高质量发展,12,11,1,0,0,11,1,0,0.0%,0\n"
        "五、聚焦营商环境，精准服务企业，以鲜明的发展态度推进台安高质量发展,11,10,1,0,0,10,0,1,0.0%,0\n"
        "二、聚焦项目攻坚，做强实体经济，以强劲的发展动力推进台安高质量发展,5,4,0,0,1,4,0,1,20.0%,0\n"
        "一、全县经济社会发展主要预期指标,6,3,2,1,0,4,1,1,0.0%,0\n"
        "合计,102,95,5,1,1,97,2,3,1.0%,0\n"
    )


def test_stats_by_dept_json_and_terminal_bar(runner, monkeypatch):
    result = runner.invoke(cli, ["stats", "--group-by", "dept", *AS_OF, *LOG, "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "group": "财政局", "tasks": 5, "not_started": 5, "on_track": 0, "behind": 0, "done": 0,
        "red": 5, "yellow": 0, "green": 0, "completion_rate": 0.0, "overdue": 0,
    }  # fmt: skip
    assert rows[-1]["group"] == "合计"
    monkeypatch.setattr("taskctl.output.is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    table = runner.invoke(cli, ["stats", "--group-by", "leader", *AS_OF, *LOG])
    lines = table.stdout.splitlines()
    assert "红/黄/绿" in lines[0]
    assert "██████████" in next(line for line in lines if "高会巨" in line)
    assert next(line for line in lines if "合计" in line).rstrip().endswith(" ██████████")
    piped = runner.invoke(cli, ["stats", *AS_OF, *LOG, "--format", "plain"])
    assert "█" not in piped.stdout and "▒" not in piped.stdout


def test_light_bar():
    from taskctl.cli.progress import light_bar

    assert light_bar({"tasks": 4, "red": 1, "yellow": 3}) == "██▒▒▒▒▒▒▒▒"
    assert light_bar({"tasks": 3, "red": 0, "yellow": 1}) == "▒▒▒░░░░░░░"
    assert light_bar({"tasks": 0, "red": 0, "yellow": 0}) == "░" * 10


def test_report_markdown_whole_list_matches_the_golden_file(runner):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", *LOG])
    assert result.exit_code == 0
    assert result.stderr == LIST_ERRORS
    assert result.stdout == (FIXTURES / "report-2023-W26.md").read_text(encoding="utf-8")


LEADER_REPORT = """\
**督查通报**

第26期　督查室　2023年7月3日

---

# 关于2023年《政府工作报告》工作任务推进情况的通报

各责任单位：

现将有关情况通报如下：

## 一、总体情况

截至2023年7月2日，高会巨分管的任务共4项，已完成0项，完成率0.0%；序时推进1项，滞后0项，未启动3项。按亮灯情况，红灯4项，黄灯0项，绿灯0项。

本期（2023年6月26日至7月2日）收到填报0条，涉及0项任务。本期新完成0项，新增滞后0项。

## 二、进展较好

本期无新完成的任务。

## 三、存在问题

### （一）滞后任务

红灯任务4项，主要是（全部4项见附件1）：

1．韭菜台镇：完成辽南再生资源产业园污水处理…，从未填报（按进度 0% 计）低于序时进度 50.1%。

2．经开区等2个单位：推行“开发园区+主题园区”模式…，从未填报（按进度 0% 计）低于序时进度 50.1%。

3．经开区等3个单位：推进福瑞特年产100万吨冷弯型…，从未填报（按进度 0% 计）低于序时进度 50.1%。

### （二）报送情况

4项任务14天以上未填报，涉及经开区、韭菜台镇、农开区。

## 四、下步要求

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单

　　　2．久未填报情况

督查室

2023年7月3日

---

附件1

## 滞后任务清单

| 序号 | 任务 | 牵头单位 | 进度 | 滞后原因 | 存在问题 |
|---|---|---|---|---|---|
| 12 | 完成经开区基础设施一期项目和污水处理厂提标改造 | 经开区 | 20% | 进度 20% 低于序时进度 50.1% | 完成初步设计 |
| 14 | 完成辽南再生资源产业园污水处理厂和66千伏线路改迁工程，推进国头线道路拓宽工程 | 韭菜台镇 | — | 从未填报（按进度 0% 计）低于序时进度 50.1% | — |
| 15 | 推行“开发园区+主题园区”模式，推进“一区多园”融合发展，谋划建设新型选矿药剂产业园，纸制品产业园，氢能产业园，预制菜、休闲食品和宠物食品产业园，危废处理一体化产业园。 | 经开区、农开区 | — | 从未填报（按进度 0% 计）低于序时进度 50.1% | — |
| 17 | 推进福瑞特年产100万吨冷弯型钢项目建设，支持厦门建发与辽宁雨森完成混改，加快辽宁安井三期项目建设，发挥丰收农药、中懿新材料、富鹏油泥等重点项目带动作用，推动产业链重塑重组，推进新兴产业集群发展 | 经开区、农开区、韭菜台镇 | — | 从未填报（按进度 0% 计）低于序时进度 50.1% | — |

---

附件2

## 久未填报情况

4项任务14天以上未填报，按牵头单位计数如下：

| 序号 | 牵头单位 | 久未填报项数 | 其中从未填报 |
|---|---|---|---|
| 1 | 经开区 | 3 | 2 |
| 2 | 韭菜台镇 | 2 | 2 |
| 3 | 农开区 | 2 | 2 |
"""


def test_report_for_one_leader_exact(runner):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--leader", "高会", *LOG])
    assert result.exit_code == 0
    assert result.stdout == LEADER_REPORT


def test_report_text_for_a_department(runner):
    result = runner.invoke(
        cli,
        ["report", "--since", "2023-06-26", "--until", "2023-07-02", "--dept", "经开区",
         "--format", "plain", *LOG],
    )  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:12] == [
        "督查通报",
        "第26期",  # --since/--until: numbered as the week of its last day (2023-W26 → 第26期)
        "督查室　2023年7月3日",
        "=" * 40,
        "",
        "关于2023年《政府工作报告》工作任务推进情况的通报",
        "=" * 40,
        "",
        "各责任单位：",
        "",
        "现将有关情况通报如下：",
        "",
    ]
    assert (
        "截至2023年7月2日，经开区承担的任务共33项，已完成1项，完成率3.0%；序时推进4项，滞后1项，"
        "未启动27项。按亮灯情况，红灯29项，黄灯1项，绿灯3项。"
    ) in lines
    # the silent tasks (0% against 50.1%) come before it in the body; 附件1 lists it whole
    assert (
        "序号：12  任务：完成经开区基础设施一期项目和污水处理厂提标改造  牵头单位：经开区  进度：20%"
        in result.stdout
    )


def test_report_json_uses_english_keys(runner, tmp_path):
    # 序时容差 0: a task a tenth of a point under 序时进度 is 红 (the default 10 makes it 黄)
    text = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    strict = tmp_path / "tasks.yaml"
    strict.write_text(
        text.replace("\n年度: 2023\n", "\n年度: 2023\n序时容差: 0\n"), encoding="utf-8"
    )
    args = ["report", "--week", "2023-W26", *LOG, "--format", "json"]
    default = json.loads(runner.invoke(cli, args).stdout)
    assert default["headline"]["lights"] == {"red": 97, "yellow": 2, "green": 3}
    assert default["newly_behind"] == []
    result = runner.invoke(cli, [*args, "--file", str(strict)])
    data = json.loads(result.stdout)
    assert list(data) == [
        "title", "heading", "masthead", "issue_number", "office", "recipients", "date", "kind",
        "scope", "since", "until", "as_of", "stale_days", "headline", "new_entries",
        "newly_completed", "newly_behind", "red", "red_by_unit", "disputed", "good_units", "stale",
        "by_section", "by_leader",
    ]  # fmt: skip
    assert {k: data[k] for k in ("heading", "masthead", "issue_number", "office", "date")} == {
        "heading": "关于2023年《政府工作报告》工作任务推进情况的通报",
        "masthead": "督查通报",
        "issue_number": 26,
        "office": "督查室",
        "date": "2023-07-03",
    }
    assert data["recipients"] == ["各责任单位"]
    assert data["red"][0]["units"] == ["工信局"]
    assert data["headline"] == {
        "tasks": 102,
        "statuses": {"not_started": 95, "on_track": 5, "behind": 1, "done": 1},
        "lights": {"red": 98, "yellow": 1, "green": 3},
        "completion_rate": 1.0,
        "overdue": 0,
        "entries_in_window": 4,
        "tasks_reported_in_window": 4,
        "stale": 97,
    }
    # The 14:20 report and its 15:00 correction of the same day count once; 序号 8's report
    # dated after the window is left out.
    assert [e["id"] for e in data["new_entries"]] == [40, 94, 1, 7]
    assert data["new_entries"][0]["progress"] == 58
    assert [t["id"] for t in data["newly_completed"]] == [7]
    assert [(t["id"], t["reason"]) for t in data["newly_behind"]] == [
        (3, "进度 50% 低于序时进度 50.1%")
    ]
    assert [t["id"] for t in data["red"] if t["status"] != "未启动"] == [2, 3, 12]
    assert data["red"][0]["note"] == "部分企业停产检修"


def test_report_overdue_with_a_deadline_in_the_list(runner, tmp_path):
    text = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    text = text.replace("  - 序号: 94\n", "  - 序号: 94\n    完成时限: 2023-06-30\n")
    (tmp_path / "tasks.yaml").write_text(text, encoding="utf-8")
    args = ["--file", str(tmp_path / "tasks.yaml"), *LOG, "--format", "json"]
    data = json.loads(runner.invoke(cli, ["report", "--week", "2023-W26", *args]).stdout)
    assert data["headline"]["overdue"] == 1
    red = {t["id"]: t["reason"] for t in data["red"]}
    assert red[94] == "已超过完成时限 2023-06-30"
    listed = runner.invoke(cli, ["list", "--id", "94", "--as-of", "2023-07-02", *args])
    assert json.loads(listed.stdout)[0]["overdue"] is True


def test_report_html_is_self_contained(runner, tmp_path):
    out = tmp_path / "周报.html"
    result = runner.invoke(
        cli, ["report", "--week", "2023-W26", *LOG, "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", f"{LIST_ERRORS}已写入 {out}\n")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<p class="name">督查通报</p><p>第26期</p>' in page
    assert page.count('<section class="annex">') == 2
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"(src|href)=|url\(|https?://", page)
    assert "部分企业停产检修" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["周报.html"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--week", "2023-W60"], "错误：2023 年没有第 60 周\n"),
        (["--week", "本周"], "错误：周「本周」应写成 2023-W23（ISO 周）\n"),
        (["--week", "2023-W26", "--since", "2023-06-01"], "错误：--week 与 --since/--until 只能选一种\n"),
        (["--since", "2023-07-01", "--until", "2023-06-01"], "错误：统计区间的起点 2023-07-01 晚于终点 2023-06-01\n"),
        (["--leader", "王五", "--as-of", "2023-07-02"], None),
    ],
)  # fmt: skip
def test_report_refuses_bad_options(runner, args, stderr):
    result = runner.invoke(cli, ["report", *args, *LOG])
    assert result.exit_code == 2
    assert result.stdout == ""
    if stderr:
        assert result.stderr == stderr


def test_window_defaults():
    d = dt.date
    assert parse_week("2023-W23") == (d(2023, 6, 5), d(2023, 6, 11))
    assert window(d(2023, 7, 5)) == (d(2023, 6, 29), d(2023, 7, 5), d(2023, 7, 5))
    assert window(None, "2023-W26") == (d(2023, 6, 26), d(2023, 7, 2), d(2023, 7, 2))
    assert window(None, since=d(2023, 6, 1), today=d(2023, 6, 30)) == (
        d(2023, 6, 1), d(2023, 6, 30), d(2023, 6, 30)
    )  # fmt: skip
    with pytest.raises(InputError):
        window(None, "2023-W26", until=d(2023, 7, 1))


def test_weekly_summary_script(tmp_path):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "TASKCTL_PROGRESS": str(SAMPLE),
    }
    env.pop("TASKCTL_FILE", None)
    out = tmp_path / "周报"
    result = subprocess.run(
        [bash, str(ROOT / "examples" / "weekly-summary.sh"), str(out), "--week", "2023-W26"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.endswith(f"已写入 13 份周报 → {out}\n")
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 13
    assert {"全部.md", "于德忱.md", "高会巨.md", "赵玉宇.md"} <= set(names)
    assert (out / "全部.md").read_text(encoding="utf-8") == (
        FIXTURES / "report-2023-W26.md"
    ).read_text(encoding="utf-8")
    assert (out / "高会巨.md").read_text(encoding="utf-8") == LEADER_REPORT
    for name in names:
        assert (out / name).read_text(encoding="utf-8").startswith("**督查通报**\n\n第26期")


def test_readme_tour_shows_real_output(runner, tmp_path):
    readme = (ROOT / "docs" / "progress.md").read_text(encoding="utf-8")
    section = readme.split("## 进度填报与周报", 1)[1].split("\n## 数据质量", 1)[0]
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE, tmp_path / "data" / "progress.jsonl")
    for args in (
        ["update", "12", "--status", "滞后", "--progress", "25", "--note", "资金未到位",
         "--by", "经开区", "--date", "2023-07-01"],
        ["update", "15", "--status", "on-track", "--progress", "50", "--by", "农开区",
         "--date", "2023-07-01"],
    ):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0
        assert f"$ taskctl {' '.join(args)}\n{result.stderr}" in section
    listed = runner.invoke(
        cli, ["list", "--light", "红", "--status", "滞后", "--as-of", "2023-07-02"]
    ).stdout
    cut = "".join(
        "\t".join([f[0], f[4], *f[6:10]]) + "\n"
        for f in (line.split("\t") for line in listed.splitlines())
    )
    assert f"| cut -f1,5,7-10\n{cut}$" in section
    report = runner.invoke(cli, ["report", "--week", "2023-W26", "--leader", "高会巨"]).stdout
    assert f"```markdown\n{report}```" in section


def test_stale_tasks_are_counted_per_unit(runner):
    """久未填报 in 附件 is a count per 牵头部门 (each task is in the 催办 notices); the
    counts are the JSON's tasks."""
    args = ["report", "--week", "2023-W26", "--ledger", str(SAMPLE)]
    text = runner.invoke(cli, [*args, "--format", "markdown"]).stdout
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    part = text[text.index("## 久未填报情况") :]
    count = len({t["id"] for group in data["stale"] for t in group["tasks"]})
    assert count > 5 and data["headline"]["stale"] == count
    assert part.startswith(f"## 久未填报情况\n\n{count}项任务14天以上未填报，按牵头单位计数如下：")
    for n, group in enumerate(data["stale"], 1):
        never = sum(1 for t in group["tasks"] if not t["updated"])
        assert group["count"] == len(group["tasks"]) and group["never_reported"] == never
        assert f"| {n} | {group['department']} | {group['count']} | {never} |" in part
    assert first_units(data["stale"]) in text  # named in the body, 报送情况


def first_units(groups) -> str:
    return "、".join(g["department"] for g in groups[:6])


def test_a_city_sized_red_list_is_counted_per_unit_not_listed(runner, monkeypatch):
    """Past LISTING_LIMIT 红灯 tasks 附件1 counts them per unit behind (with how many are past
    their 完成时限), the body says where; the JSON keeps every one."""
    import taskctl.report

    monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 1)
    args = ["report", "--week", "2023-W26", "--ledger", str(SAMPLE), "--as-of", "2023-07-02"]
    text = runner.invoke(cli, [*args, "--format", "markdown"]).stdout
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    reds = data["headline"]["lights"]["red"]
    assert reds == len(data["red"]) > 1
    units: dict[str, list[int]] = {}
    for task in data["red"]:
        for dept in task["units"]:
            units.setdefault(dept, [0, 0])
            units[dept][0] += 1
            units[dept][1] += task["overdue"]
    assert {u["department"]: [u["count"], u["overdue"]] for u in data["red_by_unit"]} == units
    part = text[text.index("## 滞后任务清单") : text.index("附件2")]
    assert part.startswith(f"## 滞后任务清单\n\n共{reds}项，超过1项，按牵头单位计数，不逐项列出。")
    first = data["red_by_unit"][0]
    row = next(line for line in part.splitlines() if line.startswith(f"| {first['department']} "))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        first["department"],
        str(first["count"]),
        str(first["overdue"]),
    ]
    assert "| 序号 |" not in part
