"""Nothing is lost by a slip of the keyboard: ``-o`` never replaces a file without ``--force``
and never the list or log the command reads; ``update`` appends only to a log; ``import``
writes only a list taskctl can load, keeps a backup of what it replaces and carries over the
hand-made parts; a batch update goes into the log whole or not at all."""

from __future__ import annotations

import errno
import json
import os
import shutil

import openpyxl
import pytest
from conftest import BUNDLED, SOURCE

from taskctl import fsutil
from taskctl.cli import cli
from taskctl.loader import load

AS_OF = "2023-06-30"
ENTRY = {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工"}
LOG = (json.dumps(ENTRY, ensure_ascii=False) + "\n").encode()


@pytest.fixture
def county(tmp_path):
    """A county's folder: data/tasks.yaml and data/progress.jsonl, as ``taskctl`` finds them."""
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    (tmp_path / "data" / "progress.jsonl").write_bytes(LOG)
    return tmp_path / "data"


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# export -o / report -o ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (["export"], "data/tasks.yaml 是本命令正在读取的清单或进度台账，不能写入（加 --force 也不行）；请换一个输出文件名"),
        (["report", "--week", "2023-W26"], "taskctl report 不能写 .yaml 文件；可写：.md .markdown .txt .json .html .htm .docx"),
    ],
)  # fmt: skip
def test_output_never_replaces_the_list_in_use_even_with_force(runner, county, command, refusal):
    before = files(county)
    for extra in ([], ["--force"]):
        result = runner.invoke(
            cli, [*command, "--leader", "于德忱", "-o", "data/tasks.yaml", *extra]
        )
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr == f"错误：{refusal}\n"
    assert files(county) == before
    assert len(load(county / "tasks.yaml").tasks) == 102


@pytest.mark.parametrize("command", [["export"], ["report", "--week", "2023-W26"]])
def test_output_never_replaces_the_log_in_use(runner, county, command):
    before = files(county)
    spelled = str(county / ".." / "data" / "progress.jsonl")  # another spelling of the same file
    result = runner.invoke(cli, [*command, "-o", spelled, "--force"])
    assert result.exit_code == 2
    assert "正在读取的清单或进度台账" in result.stderr
    assert files(county) == before


def test_log_file_inside_a_log_folder_is_in_use_too(runner, county, tmp_path):
    folder = tmp_path / "进度"
    folder.mkdir()
    (folder / "住建局.jsonl").write_bytes(LOG)
    result = runner.invoke(
        cli, ["export", "--ledger", str(folder), "-o", str(folder / "住建局.jsonl"), "--force"]
    )
    assert result.exit_code == 2
    assert "正在读取的清单或进度台账" in result.stderr
    assert (folder / "住建局.jsonl").read_bytes() == LOG


@pytest.mark.parametrize(
    ("command", "name"),
    [(["export"], "台账.csv"), (["report", "--week", "2023-W26"], "周报.md")],
)
def test_existing_output_needs_force(runner, county, tmp_path, command, name):
    target = tmp_path / name
    target.write_bytes(b"a clerk's own file")
    result = runner.invoke(cli, [*command, "-o", str(target)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：{target} 已存在；要覆盖请加 --force\n"
    assert target.read_bytes() == b"a clerk's own file"
    result = runner.invoke(cli, [*command, "-o", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != b"a clerk's own file"


# update --ledger ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        BUNDLED.read_bytes(),  # the list itself: --file and --ledger mixed up
        "序号,状态\n7,已完成\n".encode(),  # a CSV
        b"[1, 2, 3]\n",  # JSON, but not lines of objects
        "# 说明\n".encode(),
    ],
)
def test_update_appends_only_to_a_log(runner, county, tmp_path, content):
    target = tmp_path / "not-a-log.yaml"
    target.write_bytes(content)
    result = runner.invoke(
        cli, ["update", "7", "--status", "done", "--date", AS_OF, "--ledger", str(target)]
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{target}：不是进度台账（应为空文件或每行一条 JSON 记录），未写入任何内容；"
        "是否把清单文件写成了 --ledger？清单用 --file 指定\n"
    )
    assert target.read_bytes() == content


def test_update_into_an_empty_file_or_a_log_is_fine(runner, county, tmp_path):
    empty = tmp_path / "new.jsonl"
    empty.write_bytes(b"")
    for log in (empty, county / "progress.jsonl"):
        result = runner.invoke(
            cli, ["update", "7", "--status", "done", "--date", AS_OF, "--ledger", str(log)]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(log.read_bytes().splitlines()[-1])["状态"] == "已完成"


def test_a_full_disk_in_the_middle_of_a_batch_writes_nothing(runner, county, monkeypatch):
    """``update 1-102`` on a disk that fills after a few records: nothing is written, and the
    message says so (before, 23 records stayed while the message said none did)."""
    real_write = os.write
    budget = [len(LOG) * 3]  # room for a few records, not for 102

    def filling_write(fd, data):
        room = budget[0]
        if room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        budget[0] -= len(data)
        return real_write(fd, data[:room])

    monkeypatch.setattr(fsutil.os, "write", filling_write)
    result = runner.invoke(cli, ["update", "1-102", "--status", "on-track", "--date", AS_OF])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：{county / 'progress.jsonl'}：磁盘已满，未写入任何内容；请腾出空间后重试\n"
    )
    assert (county / "progress.jsonl").read_bytes() == LOG


# import ------------------------------------------------------------------------------------


def _xlsx(path, rows, formulas=()):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "年度任务目标", "责任领导", "牵头部门", "责任部门"])
    for row in rows:
        sheet.append(row)
    for ref, formula in formulas:
        sheet[ref] = formula  # openpyxl writes no cached value: as a program-made file has
    book.save(path)


@pytest.mark.parametrize(
    ("rows", "formulas", "problem"),
    [
        # the reader refuses a row without its text, naming the row
        ([[1, "", "于德忱", "发改局", ""]], (), " 第 2 行：序号 1 没有任务内容"),
        ([[1, None, "于德忱", "发改局", ""]], [("B2", "=CONCAT(\"新建\",\"基站\")")], " 第 2 行：序号 1 没有任务内容"),
        # 序号 0, once let through to the list's own checks before writing, now refused on its row
        ([[0, "地区生产总值同比增长7%", "于德忱", "发改局", ""]], (), " 第 2 行：序号应为正整数，得到「0」"),
    ],
)  # fmt: skip
def test_import_never_writes_a_list_taskctl_then_refuses(runner, tmp_path, rows, formulas, problem):
    source = tmp_path / "台账.xlsx"
    _xlsx(source, rows, formulas)
    target = tmp_path / "tasks.yaml"
    shutil.copy(BUNDLED, target)
    result = runner.invoke(cli, ["import", str(source), "-o", str(target), "--force"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == f"错误：{source}" + problem.format(target=target)
    assert target.read_bytes() == BUNDLED.read_bytes()
    assert not (tmp_path / "tasks.yaml.bak").exists()


def test_import_force_keeps_a_backup_and_carries_over_hand_made_parts(runner, tmp_path):
    target = tmp_path / "tasks.yaml"
    edited = (
        BUNDLED.read_text(encoding="utf-8")
        .replace("    年度任务目标: 地区生产总值同比增长7%\n",
                 "    年度任务目标: 地区生产总值同比增长7%\n    完成时限: 2023-09-30  # 县长交办\n")
        .replace("groups:\n", "# 本县的统称，按民政局 2023 年名录\ngroups:\n", 1)
    )  # fmt: skip
    target.write_text(edited, encoding="utf-8")
    before = target.read_bytes()
    assert load(target).task(1).deadline.isoformat() == "2023-09-30"
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tasks.yaml.bak").read_bytes() == before
    notes = [
        line for line in result.stderr.splitlines() if line.startswith(("编码", "沿用", "原清单"))
    ]
    assert notes == [
        "编码：UTF-8",
        "沿用原清单的 groups（2 个统称）",
        "沿用原清单中手工添加的 完成时限（1 项）",
        f"原清单中的 2 行注释无法带入新文件，保留在备份 {tmp_path / 'tasks.yaml.bak'} 中",
        f"原清单已备份为 {tmp_path / 'tasks.yaml.bak'}",
    ]
    imported = load(target)
    assert dict(imported.groups) == dict(load(BUNDLED).groups)
    assert imported.task(1).deadline.isoformat() == "2023-09-30"
    assert imported.task(2).deadline is None


def test_import_without_force_leaves_the_list_alone(runner, tmp_path):
    target = tmp_path / "tasks.yaml"
    shutil.copy(BUNDLED, target)
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：{target} 已存在；要覆盖请加 --force\n"
    assert not (tmp_path / "tasks.yaml.bak").exists()


def test_a_backup_left_half_made_by_a_killed_import_goes_with_the_next(runner, tmp_path):
    target = tmp_path / "tasks.yaml"
    shutil.copy(BUNDLED, target)
    stale = tmp_path / ".taskctl-backup-99999-tasks.yaml"
    os.link(target, stale)
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tasks.yaml",
        "tasks.yaml.bak",
        "tasks.yaml.lock",
    ]
    assert (tmp_path / "tasks.yaml.bak").read_bytes() == BUNDLED.read_bytes()


def test_import_never_replaces_a_progress_log(runner, county):
    log = county / "progress.jsonl"
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(log), "--force"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{log}：这是进度台账（JSON 记录），不能用清单覆盖（加 --force 也不行）\n"
    )
    assert log.read_bytes() == LOG
