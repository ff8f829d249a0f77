"""The installed command and ``python -m taskctl`` in real processes: pipes, exit codes, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_NOTE, taskctl_env

BIN = Path(sys.executable).parent
TASKCTL = shutil.which("taskctl", path=str(BIN)) or shutil.which("taskctl")


def run(args, **kwargs):
    env = taskctl_env(**kwargs.pop("env", {}))
    return subprocess.run(
        args, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, **kwargs
    )


@pytest.mark.skipif(TASKCTL is None, reason="taskctl is not installed in this environment")
def test_installed_command_from_any_folder(tmp_path):
    result = run([TASKCTL, "list", "--leader", "于德忱", "--as-of", "2023-03-01"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == BUNDLED_NOTE  # the bundled list, and no log: said once
    lines = result.stdout.splitlines()
    assert len(lines) == 26
    assert (
        lines[0]
        == "1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t未启动\t\t\t红"
    )


def test_python_dash_m(tmp_path):
    result = run([sys.executable, "-m", "taskctl", "show", "91", "--format", "tsv"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "序号\t91"


def test_errors_in_a_real_process_are_one_line(tmp_path):
    result = run([sys.executable, "-m", "taskctl", "list", "--leader", "张"], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "错误：「张」对应多个责任领导：张健、张辉；请写得更完整些\n"
    result = run([sys.executable, "-m", "taskctl", "list", "--format", "xml"], cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["tsv", "table", "json"])
def test_closed_pipe_is_quiet_success(tmp_path, fmt):
    # The reader exits before taskctl writes: every write meets a closed pipe.
    script = (
        f'"{sys.executable}" -m taskctl list --format {fmt} | true; echo "rc=${{PIPESTATUS[0]}}"'
    )
    result = run(["bash", "-c", script], cwd=tmp_path)
    assert result.stdout == "rc=0\n"
    assert result.stderr == BUNDLED_NOTE  # the note, and no broken-pipe error


def test_data_folder_of_the_cwd_is_used(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(
        "标题: 本地\nsections:\n- 编号: 一\n  标题: 甲\n  项数: 1\n  任务:\n  - 序号: 1\n    年度任务目标: 本地任务\n"
        "    责任领导: [甲]\n    牵头部门: [乙]\n    责任部门: []\n",
        encoding="utf-8",
    )
    result = run([sys.executable, "-m", "taskctl", "list", "--as-of", "2023-03-01"], cwd=tmp_path)
    assert result.stdout == "1\t一\t本地任务\t甲\t乙\t\t未启动\t\t\t红\n"
