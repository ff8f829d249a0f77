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
LOG = ["--progress", str(SAMPLE)]
AS_OF = ["--as-of", "2023-07-02"]


def test_stats_by_leader_weakest_first(runner):
    result = runner.invoke(cli, ["stats", "--by", "leader", *AS_OF, *LOG, "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "高会巨\t4\t3\t1\t0\t0\t1\t3\t0\t0.0%\t0\n"
        "张辉\t11\t9\t0\t1\t1\t1\t9\t1\t9.1%\t0\n"
        "董力芳\t17\t17\t0\t0\t0\t0\t17\t0\t0.0%\t0\n"
        "梁小鹰\t6\t6\t0\t0\t0\t0\t6\t0\t0.0%\t0\n"
        "张健\t8\t8\t0\t0\t0\t0\t8\t0\t0.0%\t0\n"
        "（未填写）\t1\t1\t0\t0\t0\t0\t1\t0\t0.0%\t0\n"
        "姚斯杰\t1\t1\t0\t0\t0\t0\t1\t0\t0.0%\t0\n"
        "李聪\t14\t14\t0\t0\t0\t0\t14\t0\t0.0%\t0\n"
        "辛德\t2\t2\t0\t0\t0\t0\t2\t0\t0.0%\t0\n"
        "推广“积分制”基层治理新模式，激发基层社会治理新活力\t1\t1\t0\t0\t0\t0\t1\t0\t0.0%\t0\n"
        "姚智聪\t1\t1\t0\t0\t0\t0\t1\t0\t0.0%\t0\n"
        "于德忱\t26\t24\t2\t0\t0\t0\t25\t1\t0.0%\t0\n"
        "赵玉宇\t25\t23\t2\t0\t0\t0\t24\t1\t0.0%\t0\n"
        "合计\t102\t95\t5\t1\t1\t2\t97\t3\t1.0%\t0\n"
    )


def test_stats_by_section_csv(runner):
    result = runner.invoke(cli, ["stats", *AS_OF, *LOG, "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout == (
        "部分,任务数,未启动,序时推进,滞后,已完成,红,黄,绿,完成率,超期\n"
        "一、全县经济社会发展主要预期指标,6,3,2,1,0,1,4,1,0.0%,0\n"
        "三、聚焦工业兴县，促进提质增效，以持续的发展势能推进台安高质量发展,9,8,1,0,0,1,8,0,0.0%,0\n"
        "四、聚焦乡村振兴，做实“三农”工作，以稳固的发展基础推进台安高质量发展,12,12,0,0,0,0,12,0,0.0%,0\n"
        "六、聚焦改革开放，增强区域优势，以充分的发展活力推进台安高质量发展,14,14,0,0,0,0,14,0,0.0%,0\n"
        "七、聚焦绿色发展，改善功能品质，以优质的发展环境推进台安高质量发展,12,11,1,0,0,0,12,0,0.0%,0\n"
        "八、聚焦百姓福祉，繁荣社会事业，以共享的发展成果推进台安高质量发展,23,23,0,0,0,0,23,0,0.0%,0\n"
        "九、十件重点民生实事,10,10,0,0,0,0,10,0,0.0%,0\n"
        "五、聚焦营商环境，精准服务企业，以鲜明的发展态度推进台安高质量发展,11,10,1,0,0,0,10,1,0.0%,0\n"
        "二、聚焦项目攻坚，做强实体经济，以强劲的发展动力推进台安高质量发展,5,4,0,0,1,0,4,1,20.0%,0\n"
        "合计,102,95,5,1,1,2,97,3,1.0%,0\n"
    )


def test_stats_by_dept_json_and_terminal_bar(runner, monkeypatch):
    result = runner.invoke(cli, ["stats", "--by", "dept", *AS_OF, *LOG, "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "group": "经开区", "tasks": 3, "not_started": 2, "on_track": 1, "behind": 0, "done": 0,
        "red": 1, "yellow": 2, "green": 0, "completion_rate": 0.0, "overdue": 0,
    }  # fmt: skip
    assert rows[-1]["group"] == "合计"
    monkeypatch.setattr("taskctl.output.is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    table = runner.invoke(cli, ["stats", "--by", "leader", *AS_OF, *LOG])
    lines = table.stdout.splitlines()
    assert "红/黄/绿" in lines[0]
    assert "██▒▒▒▒▒▒▒▒" in next(line for line in lines if "高会巨" in line)
    assert next(line for line in lines if "合计" in line).rstrip().endswith(" ▒▒▒▒▒▒▒▒▒▒")
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
# 2023年《政府工作报告》工作任务分解清单 进度周报

范围：责任领导 高会巨（4 项）　统计区间：2023-06-26 至 2023-07-02　截至：2023-07-02

## 总体情况

- 已完成 0 项，完成率 0.0%；序时推进 1 项，滞后 0 项，未启动 3 项
- 红灯 1 项（其中超期 0 项），黄灯 3 项，绿灯 0 项
- 本期填报 0 条，涉及 0 项任务

## 分组情况（红/黄/绿灯任务数与完成率，最弱的在前）

| 部分 | 任务数 | 红 | 黄 | 绿 | 完成率 |
|---|---|---|---|---|---|
| 三、聚焦工业兴县，促进提质增效，以持续的发展势能推进台安高质量发展 | 4 | 1 | 3 | 0 | 0.0% |

| 责任领导 | 任务数 | 红 | 黄 | 绿 | 完成率 |
|---|---|---|---|---|---|
| 高会巨 | 4 | 1 | 3 | 0 | 0.0% |
| 梁小鹰 | 2 | 0 | 2 | 0 | 0.0% |

## 本期变化

### 新填报（0 条）

本期无新填报。

### 本期完成（0 项）

- 无

### 本期新增滞后（0 项）

- 无

## 红灯任务（1 项）

| 序号 | 任务 | 牵头部门 | 状态 | 进度 | 序时进度 | 原因 | 最新说明 |
|---|---|---|---|---|---|---|---|
| 12 | 完成经开区基础设施一期项目和污水处理厂提标改造 | 经开区 | 序时推进 | 20% | 50.1% | 进度 20% 低于序时进度 50.1% | 完成初步设计 |

## 久未填报（4 项：14 天以上未填报，按牵头部门催办）

| 牵头部门 | 序号 | 任务 | 最近填报 | 状态 |
|---|---|---|---|---|
| 经开区 | 12 | 完成经开区基础设施一期项目和污水处理厂提标改造 | 2023-05-10（53 天前） | 序时推进 |
| 经开区 | 15 | 推行“开发园区+主题园区”模式，推进“一区多园”融合发… | 从未填报 | 未启动 |
| 经开区 | 17 | 推进福瑞特年产100万吨冷弯型钢项目建设，支持厦门建发… | 从未填报 | 未启动 |
| 韭菜台镇 | 14 | 完成辽南再生资源产业园污水处理厂和66千伏线路改迁工程… | 从未填报 | 未启动 |
| 韭菜台镇 | 17 | 推进福瑞特年产100万吨冷弯型钢项目建设，支持厦门建发… | 从未填报 | 未启动 |
| 农开区 | 15 | 推行“开发园区+主题园区”模式，推进“一区多园”融合发… | 从未填报 | 未启动 |
| 农开区 | 17 | 推进福瑞特年产100万吨冷弯型钢项目建设，支持厦门建发… | 从未填报 | 未启动 |
"""


def test_report_for_one_leader_exact(runner):
    result = runner.invoke(cli, ["report", "--week", "2023-W26", "--leader", "高会", *LOG])
    assert result.exit_code == 0
    assert result.stdout == LEADER_REPORT


def test_report_text_for_a_department(runner):
    result = runner.invoke(
        cli,
        ["report", "--since", "2023-06-26", "--until", "2023-07-02", "--dept", "经开区",
         "--format", "text", *LOG],
    )  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "2023年《政府工作报告》工作任务分解清单 进度通报",  # --since/--until: not a 周报
        "=" * 40,
        "",
        "范围：部门 经开区（33 项）　统计区间：2023-06-26 至 2023-07-02　截至：2023-07-02",
        "",
        "【总体情况】",
        "",
        "  · 已完成 1 项，完成率 3.0%；序时推进 4 项，滞后 1 项，未启动 27 项",
        "  · 红灯 2 项（其中超期 0 项），黄灯 28 项，绿灯 3 项",
    ]
    assert (
        "  序号：40  日期：2023-06-26  状态：序时推进  进度：58%  说明：更正：已完成主体工程  填报人：住建局"
        in lines
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
    assert default["headline"]["lights"] == {"red": 2, "yellow": 97, "green": 3}
    assert default["newly_behind"] == []
    result = runner.invoke(cli, [*args, "--file", str(strict)])
    data = json.loads(result.stdout)
    assert list(data) == [
        "title", "kind", "scope", "since", "until", "as_of", "stale_days", "headline", "new_entries",
        "newly_completed", "newly_behind", "red", "red_by_unit", "stale", "by_section", "by_leader",
    ]  # fmt: skip
    assert data["headline"] == {
        "tasks": 102,
        "statuses": {"not_started": 95, "on_track": 5, "behind": 1, "done": 1},
        "lights": {"red": 3, "yellow": 96, "green": 3},
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
    assert [t["id"] for t in data["red"]] == [2, 3, 12]
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


def test_report_html_is_self_contained_with_two_charts(runner, tmp_path):
    out = tmp_path / "周报.html"
    result = runner.invoke(
        cli, ["report", "--week", "2023-W26", *LOG, "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", f"{LIST_ERRORS}已写入 {out}\n")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"(src|href)=|url\(|https?://(?!www\.w3\.org/2000/svg)", page)
    assert "部分企业停产检修" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["周报.html"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--week", "2023-W60"], "错误：2023 年没有第 60 周\n"),
        (["--week", "本周"], "错误：周「本周」应写成 2023-W23（ISO 周）\n"),
        (["--week", "2023-W26", "--since", "2023-06-01"], "错误：--week 与 --since/--until 只能选一种\n"),
        (["--since", "2023-07-01", "--until", "2023-06-01"], "错误：统计区间的起点 2023-07-01 晚于终点 2023-06-01\n"),
        (["--leader", "于德忱", "--dept", "住建局"], "错误：--leader 与 --dept 只能选一个\n"),
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
        assert (out / name).read_text(encoding="utf-8").startswith("# 2023年《政府工作报告》")


def test_readme_tour_shows_real_output(runner, tmp_path):
    readme = (ROOT / "docs" / "progress.md").read_text(encoding="utf-8")
    section = readme.split("## 进度填报与周报", 1)[1].split("\n## 数据质量", 1)[0]
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE, tmp_path / "data" / "progress.jsonl")
    for args in (
        ["update", "12", "--status", "滞后", "--progress", "25", "--note", "资金未到位",
         "--by", "经开区", "--date", "2023-07-01"],
        ["update", "14", "15", "--status", "on-track", "--progress", "50", "--by", "农开区",
         "--date", "2023-07-01"],
    ):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0
        assert f"$ taskctl {' '.join(args)}\n{result.stderr}" in section
    listed = runner.invoke(cli, ["list", "--light", "红", "--as-of", "2023-07-02"]).stdout
    cut = "".join(
        "\t".join([f[0], f[4], *f[6:10]]) + "\n"
        for f in (line.split("\t") for line in listed.splitlines())
    )
    assert f"| cut -f1,5,7-10\n{cut}$" in section
    report = runner.invoke(cli, ["report", "--week", "2023-W26", "--leader", "高会巨"]).stdout
    assert f"```markdown\n{report}```" in section


def test_a_city_sized_stale_list_is_counted_per_unit_not_listed(runner, monkeypatch):
    """Past LISTING_LIMIT tasks the 久未填报 part gives counts per 牵头部门 (a table of
    100 000 rows helps nobody); the JSON keeps every task."""
    import taskctl.report

    monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 5)
    args = ["report", "--week", "2023-W26", "--progress", str(SAMPLE)]
    text = runner.invoke(cli, [*args, "--format", "markdown"]).stdout
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    part = text[text.index("## 久未填报") :]
    count = len({t["id"] for group in data["stale"] for t in group["tasks"]})
    assert count > 5 and data["headline"]["stale"] == count
    for group in data["stale"]:  # the counts the rendered report shows are the JSON's tasks
        assert group["count"] == len(group["tasks"])
        assert group["never_reported"] == sum(1 for t in group["tasks"] if not t["updated"])
    assert part.startswith(f"## 久未填报（{count} 项：14 天以上未填报，按牵头部门催办）\n\n")
    assert (
        f"共 {count} 项，超过 5 项，按牵头部门计数，不逐项列出；"
        "逐项清单可用 taskctl list --stale（或本报告的 JSON 格式）。"
    ) in part
    first = data["stale"][0]
    never = sum(1 for t in first["tasks"] if not t["updated"])
    assert f"| {first['department']}" in part
    row = next(line for line in part.splitlines() if line.startswith(f"| {first['department']} "))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        first["department"],
        str(len(first["tasks"])),
        str(never),
    ]
    assert "| 序号 |" not in part and first["tasks"][0]["text"][:10] not in part


def test_a_city_sized_red_list_is_counted_per_unit_not_listed(runner, monkeypatch):
    """Past LISTING_LIMIT 红灯 tasks the rendered report counts them per 牵头部门 (with how many
    are past their 完成时限) and says how to list them; the JSON keeps every one."""
    import taskctl.report

    monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 1)
    args = ["report", "--week", "2023-W26", "--progress", str(SAMPLE), "--as-of", "2023-07-02"]
    text = runner.invoke(cli, [*args, "--format", "markdown"]).stdout
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    reds = data["headline"]["lights"]["red"]
    assert reds == len(data["red"]) > 1
    units: dict[str, list[int]] = {}
    for task in data["red"]:
        for dept in task["lead_departments"]:
            units.setdefault(dept, [0, 0])
            units[dept][0] += 1
            units[dept][1] += task["overdue"]
    assert {u["department"]: [u["count"], u["overdue"]] for u in data["red_by_unit"]} == units
    part = text[text.index("## 红灯任务") : text.index("## 久未填报")]
    assert part.startswith(f"## 红灯任务（{reds} 项）\n\n共 {reds} 项，超过 1 项，按牵头部门计数")
    assert "逐项清单可用 taskctl list --light 红（或本报告的 JSON 格式）。" in part
    first = data["red_by_unit"][0]
    row = next(line for line in part.splitlines() if line.startswith(f"| {first['department']} "))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        first["department"],
        str(first["count"]),
        str(first["overdue"]),
    ]
    assert "| 序号 |" not in part


def test_past_the_listing_limit_what_changed_is_counted_per_unit(runner, monkeypatch):
    """本期完成 and 本期新增滞后 follow the same rule as 红灯 and 久未填报: past LISTING_LIMIT
    tasks, a count per 牵头部门 (the JSON lists them)."""
    import taskctl.report

    args = ["report", "--week", "2023-W26", "--progress", str(SAMPLE), "--as-of", "2023-07-02"]
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    (done,) = data["newly_completed"]
    listed = runner.invoke(cli, args).stdout
    assert f"### 本期完成（1 项）\n\n- 序号 {done['id']} " in listed
    monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 0)
    text = runner.invoke(cli, args).stdout
    part = text[text.index("### 本期完成") : text.index("### 本期新增滞后")]
    (unit,) = done["lead_departments"]
    assert part == (
        "### 本期完成（1 项）\n\n"
        "共 1 项，超过 0 项，按牵头部门计数，不逐项列出；逐项清单见本报告的 JSON 格式。\n\n"
        f"| 牵头部门 | 项数 |\n|---|---|\n| {unit} | 1 |\n\n"
    )


def test_past_the_listing_limit_a_chart_shows_the_weakest_groups(runner, monkeypatch):
    """A city's list names thousands of leaders: the chart shows the weakest LISTING_LIMIT and
    says how many there are and where all of them are; the JSON has every group."""
    import taskctl.report

    monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 3)
    args = ["report", "--week", "2023-W26", "--progress", str(SAMPLE), "--as-of", "2023-07-02"]
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    leaders = data["by_leader"]
    assert len(leaders) > 3
    text = runner.invoke(cli, args).stdout
    part = text[text.index("按责任领导共") : text.index("## 本期变化")]
    assert part.startswith(
        f"按责任领导共 {len(leaders)} 位责任领导，只列出最弱的 3 位；"
        "全部可用 taskctl stats --by leader（或本报告的 JSON 格式）。\n"
    )
    shown = [row["group"] for row in leaders[:3]]
    assert all(f"| {name} " in part or f"{name}" in part for name in shown)
    assert leaders[3]["group"] not in part
