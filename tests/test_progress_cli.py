"""update, history, show and the progress columns of list/dept, through the CLI."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.cli import cli
from tests.conftest import BUNDLED, ROOT

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
NOW = dt.datetime(2023, 6, 30, 17, 45, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: NOW)


@pytest.fixture
def workdir(tmp_path):
    """A county's folder: data/tasks.yaml (the bundled list) and data/progress.jsonl (the sample)."""
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    shutil.copy(SAMPLE, tmp_path / "data" / "progress.jsonl")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_update_appends_one_readable_line_per_task(runner, workdir):
    log = workdir / "data" / "progress.jsonl"
    before = log.read_bytes()
    result = runner.invoke(
        cli,
        ["update", "9", "10-11", "--status", "on-track", "--progress", "35", "--note", "已开工",
         "--by", "发改局", "--date", "2023-06-30"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (
        result.stderr
        == f"已填报 序号 9、10、11：序时推进（2023-06-30）→ {Path('data/progress.jsonl')}\n"
    )
    added = log.read_bytes()[len(before) :].decode("utf-8")
    assert added == "".join(
        f'{{"序号": {i}, "日期": "2023-06-30", "状态": "序时推进", "进度": 35, "说明": "已开工", '
        f'"填报人": "发改局", "记录时间": "2023-06-30T17:45:00.000000+08:00"}}\n'
        for i in (9, 10, 11)
    )
    assert (workdir / "data" / "tasks.yaml").read_bytes() == BUNDLED.read_bytes()


def test_update_date_defaults_to_today(runner, workdir):
    result = runner.invoke(cli, ["update", "5", "--status", "done"])
    assert result.exit_code == 0
    last = (workdir / "data" / "progress.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith('{"序号": 5, "日期": "2023-06-30", "状态": "已完成", "说明": ""')


REFUSED = [
    (["update", "7", "999", "--status", "done"], "错误：没有序号为 999 的任务（本清单序号为 1–102）\n"),
    (["update", "7", "--status", "进行中"], "错误：未知的状态「进行中」：应为 未启动（not-started）、序时推进（on-track）、滞后（behind）、已完成（done） 之一\n"),
    (["update", "7", "--status", "done", "--progress", "101"], "错误：进度 101 超出范围：应为 0 到 100 的整数\n"),
    (["update", "7", "--status", "done", "--progress", "-5"], "错误：进度 -5 超出范围：应为 0 到 100 的整数\n"),
    (["update", "7", "--status", "done", "--progress", "很多"], "错误：进度「很多」应为 0 到 100 的整数\n"),
    (["update", "7", "--status", "done", "--progress", "data/progress.jsonl"], "错误：update 的 --progress 是进度百分比（0–100），得到「data/progress.jsonl」；指定进度台账请用 --ledger\n"),
    (["update", "7", "--status", "done", "--date", "2023-02-29"], "错误：日期「2023-02-29」不存在（请检查月份和日期）\n"),
    (["update", "7", "--status", "done", "--date", "明天"], "错误：日期「明天」应写成 YYYY-MM-DD，如 2023-06-05\n"),
    (["update", "7", "--status", "done", "--ledger", "missing/p.jsonl"], "错误：missing：文件夹不存在，未写入任何内容；请先建立该文件夹，或用 --ledger/TASKCTL_PROGRESS 指定进度文件\n"),
    (["update", "7", "--status", "done", "--ledger", "data"], "错误：进度路径 data 是文件夹：请用 --by 写明填报单位（写入 data/填报单位.jsonl），或把进度路径指向一个 .jsonl 文件\n"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "stderr"), REFUSED)
def test_refused_update_exits_2_and_changes_no_file(runner, workdir, args, stderr):
    before = snapshot(workdir)
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == stderr
    assert snapshot(workdir) == before


def test_unwritable_folder_is_refused_without_change(runner, workdir, monkeypatch):
    import taskctl.fsutil

    real_open = os.open

    def deny(path, flags, *args):
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(taskctl.fsutil.os, "open", deny)
    before = snapshot(workdir)
    result = runner.invoke(cli, ["update", "7", "--status", "done"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：{workdir}/data/progress.jsonl.lock：没有写入权限（文件夹只读或被占用），未写入任何内容\n"
    )
    assert snapshot(workdir) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_for_real(runner, workdir):
    folder = workdir / "data"
    before = snapshot(workdir)
    folder.chmod(0o555)
    try:
        result = runner.invoke(cli, ["update", "7", "--status", "done"])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert "没有写入权限" in result.stderr
    assert snapshot(workdir) == before


def test_bundled_list_writes_to_data_in_cwd_creating_it(runner, tmp_path):
    result = runner.invoke(cli, ["update", "3", "--status", "behind", "--date", "2023-06-01"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "progress.jsonl").is_file()
    listed = runner.invoke(cli, ["list", "--id", "3", "--as-of", "2023-06-02"])
    assert listed.stdout.endswith("\t滞后\t\t2023-06-01\t红\n")


def test_folder_log_writes_the_reporters_file_and_reads_the_union(runner, workdir):
    folder = workdir / "progress"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "office.jsonl")
    args = ["update", "8", "--status", "behind", "--by", "发改局", "--date", "2023-06-29"]
    result = runner.invoke(cli, [*args, "--ledger", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "发改局.jsonl").is_file()
    result = runner.invoke(
        cli, ["list", "--id", "7-8", "--as-of", "2023-07-02", "--ledger", str(folder)]
    )
    assert [row.split("\t")[-4:] for row in result.stdout.splitlines()] == [
        ["已完成", "100%", "2023-06-30", "绿"],
        ["滞后", "", "2023-06-29", "红"],
    ]


def test_env_progress_path(runner, workdir, monkeypatch):
    other = workdir / "other.jsonl"
    other.write_text('{"序号": 4, "日期": "2023-06-01", "状态": "已完成"}\n', encoding="utf-8")
    monkeypatch.setenv("TASKCTL_PROGRESS", str(other))
    result = runner.invoke(cli, ["list", "--id", "4", "--as-of", "2023-07-02"])
    assert result.stdout.endswith("\t已完成\t\t2023-06-01\t绿\n")


def test_list_progress_columns(runner, workdir):
    result = runner.invoke(cli, ["list", "--id", "1-3,12", "--as-of", "2023-07-02"])
    assert result.exit_code == 0
    assert result.stdout == (
        "1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t序时推进\t60%\t2023-06-28\t绿\n"
        "2\t一\t规模以上工业增加值增长16%\t张辉\t工信局\t各开发园区、各镇街道\t滞后\t30%\t2023-06-12\t红\n"
        "3\t一\t固定资产投资增长15%\t于德忱\t发改局\t各开发园区、各有关部门、各镇街道\t序时推进\t50%\t2023-06-19\t黄\n"
        "12\t三\t完成经开区基础设施一期项目和污水处理厂提标改造\t高会巨\t经开区\t各有关部门\t序时推进\t20%\t2023-05-10\t红\n"
    )


def test_list_filters_by_light_and_status(runner, workdir):
    # (--status: of the tasks nobody reported, all 红 by July, the light alone would list 90)
    red = runner.invoke(
        cli,
        ["list", "--light", "red", "--status", "on-track", "--status", "behind"]
        + ["--as-of", "2023-07-02", "--format", "csv"],
    )
    assert red.stdout == (
        "序号,部分,年度任务目标,责任领导,牵头部门,责任部门,状态,进度,最近更新,灯\n"
        "2,一,规模以上工业增加值增长16%,张辉,工信局,各开发园区、各镇街道,滞后,30%,2023-06-12,红\n"
        "12,三,完成经开区基础设施一期项目和污水处理厂提标改造,高会巨,经开区,各有关部门,序时推进,20%,2023-05-10,红\n"
    )
    done = runner.invoke(
        cli, ["list", "--status", "已完成", "--status", "behind", "--as-of", "2023-07-02"]
    )
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == ["2", "7"]
    none = runner.invoke(
        cli, ["list", "--leader", "高会巨", "--light", "绿", "--as-of", "2023-07-02"]
    )
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "没有符合条件的任务\n")
    bad = runner.invoke(cli, ["list", "--light", "紫"])
    assert (bad.exit_code, bad.stderr) == (
        2,
        "错误：未知的灯「紫」：应为 红（red）、黄（yellow）、绿（green）之一\n",
    )


def test_list_json_keys(runner, workdir):
    result = runner.invoke(cli, ["list", "--id", "3", "--as-of", "2023-07-02", "--format", "json"])
    import json

    (record,) = json.loads(result.stdout)
    assert {k: record[k] for k in list(record)[6:]} == {
        "status": "序时推进",
        "progress": 50,
        "updated": "2023-06-19",
        "light": "黄",  # 0.1 points under 序时进度: within the default 序时容差
        "time_progress": 50.1,
        "deadline": "2023-12-31",
        "behind": False,
        "overdue": False,
        "stale": False,
        "note": "1—5月完成全年一半",
        "problem": "",
        "next_step": "",
    }


def test_dept_has_progress_columns_and_filters(runner, workdir):
    result = runner.invoke(
        cli,
        ["dept", "经开区", "--role", "lead", "--light", "红", "--status", "序时推进"]
        + ["--as-of", "2023-07-02"],
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "12\t牵头\t\t三\t完成经开区基础设施一期项目和污水处理厂提标改造\t高会巨\t经开区\t各有关部门\t序时推进\t20%\t2023-05-10\t红\n"
    )


def test_history_in_order(runner, workdir):
    runner.invoke(
        cli, ["update", "1", "--status", "done", "--progress", "100", "--date", "2023-06-30"]
    )
    result = runner.invoke(cli, ["history", "1", "--format", "plain"])
    assert result.exit_code == 0
    assert result.stdout == (
        "日期        状态        进度  进展情况            填报人    记录时间\n"
        "2023-06-05  序时推进     45%  1—5月增长6.8%       发改局    2023-06-05T09:12:00+08:00\n"
        "2023-06-28  序时推进     60%  上半年预计增长7.2%  发改局    2023-06-28T17:05:00+08:00\n"
        "2023-06-30  已完成      100%                                2023-06-30T17:45:00+08:00\n"
    )
    empty = runner.invoke(cli, ["history", "5"])
    assert (empty.exit_code, empty.stdout) == (0, "")
    assert empty.stderr == "没有符合条件的填报记录（序号 5 尚未填报，状态为 未启动）\n"
    unknown = runner.invoke(cli, ["history", "500"])
    assert unknown.exit_code == 2


def test_show_includes_progress_and_history(runner, workdir):
    result = runner.invoke(cli, ["show", "40", "--as-of", "2023-07-02", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[6:] == [
        "完成时限\t2023-12-31",
        "状态\t序时推进",
        "进度\t58%",
        "序时进度\t50.1%",
        "最近更新\t2023-06-26",
        "灯\t绿",
        # 住建局 is none of 40's units: its report is the office's finding for the lead
        "各单位\t自然资源局（主牵头） 序时推进 58% 绿灯 2023-06-26 更正：已完成主体工程（住建局）"
        " 其余 2 个责任单位未填报",
        "进度记录\t2023-06-26 序时推进 58% 更正：已完成主体工程（住建局）",
    ]
    import json

    data = json.loads(
        runner.invoke(cli, ["show", "40", "--as-of", "2023-07-02", "--format", "json"]).stdout
    )
    assert data["history"] == [
        {
            "id": 40,
            "date": "2023-06-26",
            "status": "序时推进",
            "progress": 58,
            "note": "更正：已完成主体工程",
            "problem": "",
            "next_step": "",
            "by": "住建局",
            "recorded_at": "2023-06-26T15:00:00+08:00",
            "entry_id": "2ececed98a",
            "period": "",
            "origin": "",
        }
    ]  # fmt: skip  (entry_id is derived from the line: the same line keeps it in every release)


def test_torn_line_warns_on_stderr_and_commands_still_work(runner, workdir):
    log = workdir / "data" / "progress.jsonl"
    with open(log, "ab") as handle:
        handle.write('{"序号": 5, "日期": "2023-0'.encode())
    result = runner.invoke(cli, ["list", "--id", "5", "--as-of", "2023-07-02"])
    assert result.exit_code == 0
    assert result.stderr == f"警告：{log} 第 13 行不完整（可能是写入时被中断），已跳过\n"
    assert result.stdout.endswith("\t未启动\t\t\t红\n")


def test_bad_as_of(runner, workdir):
    result = runner.invoke(cli, ["list", "--as-of", "2023-13-01"])
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：--as-of 日期「2023-13-01」不存在（请检查月份和日期）\n",
    )


def test_every_new_command_has_summary_and_example(runner):
    for name in ("update", "history", "stats", "report"):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "示例：" in result.stdout, name
    for name in ("list", "dept", "stats", "report"):
        assert "红：填报为滞后" in runner.invoke(cli, [name, "--help"]).stdout


@settings(max_examples=60, deadline=None)
@given(
    ids=st.text(max_size=8),
    status=st.sampled_from(["done", "滞后", "x"]) | st.text(max_size=6),
    percent=st.none() | st.text(max_size=5),
    date=st.none() | st.text(max_size=12),
)
def test_any_update_arguments_exit_0_or_2_and_refusals_write_nothing(ids, status, percent, date):
    from click.testing import CliRunner

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "p.jsonl"
        log.write_bytes(SAMPLE.read_bytes())
        args = ["update", ids, "--status", status, "--ledger", str(log), "--file", str(BUNDLED)]
        args += ["--progress", percent] if percent is not None else []
        args += ["--date", date] if date is not None else ["--date", "2023-07-01"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert log.read_bytes() == SAMPLE.read_bytes()
            assert result.stderr.startswith(("错误：", "用法:"))
        else:
            assert len(log.read_bytes()) > len(SAMPLE.read_bytes())


def test_list_stale_filters_the_tasks_to_chase(runner, workdir):
    result = runner.invoke(
        cli, ["list", "--stale", "--dept", "工信局", "--as-of", "2023-07-02", "--format", "tsv"]
    )
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[6], r[8]) for r in rows[:2]] == [
        ("2", "滞后", "2023-06-12"),
        ("4", "未启动", ""),
    ]
    assert "7" not in [r[0] for r in rows]  # 已完成 on 2023-06-30
    fresh = runner.invoke(cli, ["list", "--stale", "--id", "1", "--as-of", "2023-07-02"])
    assert (fresh.exit_code, fresh.stdout, fresh.stderr) == (0, "", "没有符合条件的任务\n")
