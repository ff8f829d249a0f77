"""Tests prompted by the mutants of taskctl/output.py that survived issue 27's full run: what
reaches the screen or the pipe in each format, and how it is made safe."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from taskctl.cli import cli
from tests.conftest import taskctl_env

LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: []
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [住建局]
"""


def workdir(tmp_path, log: str = ""):
    data = tmp_path / "data"
    data.mkdir()
    (data / "tasks.yaml").write_text(LIST, encoding="utf-8")
    if log:
        (data / "progress.jsonl").write_text(log, encoding="utf-8")
    return tmp_path


def test_a_lone_surrogate_at_either_end_of_the_range_is_shown_as_a_replacement():
    # The log reader already replaces them; a library caller's text reaches printable as is.
    from taskctl.output import printable, safe_text

    assert printable("完成\ud800选址\udfff\x1b") == "完成\ufffd选址\ufffd\\x1b"
    assert safe_text("完成\ud800选址\udfff", "tsv") == "完成\ufffd选址\ufffd"


LOG = (
    '{"序号": 1, "日期": "2023-06-20", "状态": "序时推进", "进度": 50, "说明": "完成选址", '
    '"填报人": "住建局"}\n'
)


def test_json_is_indented_by_two_spaces(runner, tmp_path):
    workdir(tmp_path, LOG)
    result = runner.invoke(cli, ["list", "--id", "1", "--format", "json", "--as-of", "2023-07-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        '[\n  {\n    "id": 1,\n    "section": "一",\n    "text": "新建5G基站200个",\n'
        '    "leaders": [\n      "张辉"\n    ],\n'
    )
    assert result.stdout.endswith('    "next_step": ""\n  }\n]\n')


HEAD = "  序号  年度任务目标     责任领导    牵头部门    责任部门    状态        进度"


def test_a_plain_table_uses_the_whole_width_with_two_cells_between_columns(runner, tmp_path):
    workdir(tmp_path, LOG)
    args = ["list", "--format", "plain", "--as-of", "2023-07-01"]
    narrow = runner.invoke(cli, args, env={"COLUMNS": "94"})
    assert narrow.stdout == (
        f"{HEAD}  灯\n"
        "     1  新建5G基站200个  张辉        住建局                  序时推进     50%  绿\n"
        "     2  推进棚户区改造   李明        财政局      住建局      未启动            红\n"
    )
    assert (
        narrow.stderr
        == "（宽 94 列，未显示：部分、最近更新；加宽终端或用 --format json 可看全部）\n"
    )
    wide = runner.invoke(cli, args, env={"COLUMNS": "95"})
    assert wide.stdout == (
        f"{HEAD}  最近更新    灯\n"
        "     1  新建5G基站200个  张辉        住建局                  序时推进     50%  2023-06-20  绿\n"
        "     2  推进棚户区改造   李明        财政局      住建局      未启动                        红\n"
    )
    assert wide.stderr == "（宽 95 列，未显示：部分；加宽终端或用 --format json 可看全部）\n"


def test_columns_of_zero_means_no_width_and_of_one_a_width_of_one(runner, tmp_path):
    workdir(tmp_path, LOG)
    args = ["list", "--id", "1", "--format", "plain", "--as-of", "2023-07-01"]
    whole = runner.invoke(cli, args, env={"COLUMNS": "0"})
    assert whole.stdout.splitlines()[0] == f"  序号  部分    {HEAD[6:]}  最近更新    灯"
    assert whole.stderr == ""
    one = runner.invoke(cli, args, env={"COLUMNS": "1"})
    assert one.stdout.splitlines()[0] == "  序号  年度任务目标    灯"
    assert one.stderr == (
        "（宽 1 列，未显示：部分、责任领导、牵头部门、状态、进度、最近更新；"
        "加宽终端或用 --format json 可看全部）\n"
    )


def test_the_light_bar_alone_is_coloured_glyph_by_glyph(runner, monkeypatch):
    from taskctl import output

    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "120")
    result = runner.invoke(cli, ["stats", "--section", "九", "--as-of", "2023-06-30"])
    assert result.exit_code == 0, result.output
    red = "\x1b[31m█\x1b[0m"
    assert result.stdout.splitlines()[2:] == [
        "九、十件重点民生实事     10     10        0    0      0 10  0  0   0.0%    0 " + red * 10,
        "合计                     10     10        0    0      0 10  0  0   0.0%    0 " + red * 10,
    ]


SHOWN = """\
┌──────────────┬───────────────────────┐
│ 序号         │ 1                     │
├──────────────┼───────────────────────┤
│ 部分         │ 一、城市建设（2项）   │
├──────────────┼───────────────────────┤
│ 年度任务目标 │ 新建5G基站200个       │
├──────────────┼───────────────────────┤
│ 责任领导     │ 张辉                  │
├──────────────┼───────────────────────┤
│ 牵头部门     │ 住建局                │
├──────────────┼───────────────────────┤
│ 责任部门     │                       │
├──────────────┼───────────────────────┤
│ 完成时限     │ 2023-12-31            │
├──────────────┼───────────────────────┤
│ 状态         │ 序时推进              │
├──────────────┼───────────────────────┤
│ 进度         │ 50%                   │
├──────────────┼───────────────────────┤
│ 序时进度     │ 49.9%                 │
├──────────────┼───────────────────────┤
│ 最近更新     │ 2023-06-20            │
├──────────────┼───────────────────────┤
│ 灯           │ 绿                    │
├──────────────┼───────────────────────┤
│ 各单位       │ 住建局（主牵头） 序时 │
│              │ 推进 50% 绿灯 2023-06 │
│              │ -20 完成选址          │
├──────────────┼───────────────────────┤
│ 进度记录     │ 2023-06-20 序时推进   │
│              │ 50% 完成选址（住建    │
│              │ 局）                  │
└──────────────┴───────────────────────┘
"""


def test_show_on_a_terminal_fills_its_width_fields_left_values_wrapped(
    runner, monkeypatch, tmp_path
):
    from taskctl import output

    workdir(tmp_path, LOG)
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "40")
    result = runner.invoke(cli, ["show", "1", "--as-of", "2023-07-01"])
    assert (result.exit_code, result.stdout) == (0, SHOWN)


def test_show_as_json_is_indented_by_two_spaces(runner, tmp_path):
    workdir(tmp_path, LOG)
    result = runner.invoke(cli, ["show", "1", "--format", "json", "--as-of", "2023-07-01"])
    assert result.stdout.startswith('{\n  "id": 1,\n  "section": "一",\n  "text": "新建5G')
    assert result.stdout.endswith("\n}\n")


def test_show_on_a_colour_terminal_has_its_field_names_in_bold(runner, monkeypatch, tmp_path):
    from taskctl import output

    workdir(tmp_path, LOG)
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "40")
    result = runner.invoke(cli, ["show", "1", "--as-of", "2023-07-01"])
    assert result.stdout.splitlines()[1] == (
        "│\x1b[1m \x1b[0m\x1b[1m序号        \x1b[0m\x1b[1m \x1b[0m│ 1                     │"
    )


def test_show_on_a_narrow_terminal_folds_values_and_cuts_nothing(runner, monkeypatch, tmp_path):
    from taskctl import output

    workdir(tmp_path, LOG)
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "26")
    result = runner.invoke(cli, ["show", "1", "--as-of", "2023-07-01"])
    assert "…" not in result.stdout
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "进度记录" in line)
    value = "".join(line.split("│")[2].strip() for line in lines[start:-1])
    assert value == "2023-06-20序时推进50%完成选址（住建局）"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["list", "--id", "1"],  # tsv
        ["list", "--id", "1", "--format", "plain"],
        ["list", "--id", "1", "--format", "table"],
        ["show", "1", "--format", "plain"],
        ["show", "1", "--format", "csv"],
        ["show", "1", "--format", "json"],
    ],
)
def test_a_short_output_onto_a_full_disk_is_one_error(tmp_path, args):
    """Output smaller than Python's buffer fails only when flushed: inside the command, where
    the error is reported, not at the interpreter's exit (status 120 and a Python message).
    Only where Python buffers standard output, as it does unless PYTHONUNBUFFERED is set."""
    workdir(tmp_path, LOG)
    env = taskctl_env()
    env.pop("PYTHONUNBUFFERED", None)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "taskctl", *args, "--as-of", "2023-07-01"],
            cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, env=env, timeout=60,
        )  # fmt: skip
    assert (done.returncode, done.stderr.decode("utf-8")) == (
        2,
        "错误：无法写入标准输出（No space left on device），结果未能输出\n",
    )
