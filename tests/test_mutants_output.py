"""Tests prompted by the mutants of taskctl/output.py that survived issue 27's full run: what
reaches the screen or the pipe in each format, and how it is made safe."""

from __future__ import annotations

from taskctl.cli import cli

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


def test_a_lone_surrogate_at_either_end_of_the_range_is_shown_as_a_replacement(runner, tmp_path):
    workdir(
        tmp_path,
        '{"序号": 1, "日期": "2023-06-20", "状态": "序时推进", "进度": 50, '
        '"说明": "完成\\ud800选址\\udfff", "填报人": "住建局"}\n',
    )
    result = runner.invoke(cli, ["show", "1", "--format", "tsv", "--as-of", "2023-07-01"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1]
        == "进度记录\t2023-06-20 序时推进 50% 完成\ufffd选址\ufffd（住建局）"
    )
