"""Where a clear line is due, not a traceback: no home folder, half an emoji in a log, GBK bytes
on the command line, a GBK console, standard output closed or on a full disk, dates at the ends
of the calendar. Each ends with exit 0 or one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED, LIST_ERRORS

from taskctl.cli import cli

AS_OF = "2023-06-30"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors and argv bytes")


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, **kwargs.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "taskctl", *args], capture_output=True, timeout=60, env=env, **kwargs
    )


def test_no_home_and_no_passwd_entry(runner, monkeypatch):
    """A container running as a uid with no passwd entry: no HOME, and Path.home() fails.
    The cache is optional, so every command still runs, without one."""
    for name in ("HOME", "TASKCTL_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_home(cls=None):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    for args in (["list", "--id", "1", "--format", "tsv"], ["stats", "--format", "tsv"]):
        result = runner.invoke(cli, [*args, "--file", str(BUNDLED)])
        assert result.exit_code == 0, result.output
        assert "内部错误" not in result.stderr


def test_half_an_emoji_in_a_log_line(tmp_path):
    """What a tool in another language writes when it cuts an emoji in half: a lone surrogate,
    valid JSON, not encodable as UTF-8. Shown as U+FFFD."""
    log = tmp_path / "progress.jsonl"
    log.write_text(
        '{"序号": 7, "日期": "2023-06-05", "状态": "滞后", "进度": 10, '
        '"说明": "资金未到位\\ud83d", "填报人": "住建局\\udc4d"}\n',
        encoding="utf-8",
    )
    common = ["--file", BUNDLED, "--ledger", log]
    for args in (
        ["report", "--week", "2023-W23"],
        ["report", "--week", "2023-W23", "--format", "plain"],
        ["report", "--week", "2023-W23", "--format", "html"],
        ["history", "7"],
        ["show", "7", "--as-of", AS_OF],
        ["export", "--format", "csv", "--as-of", AS_OF],
    ):
        result = run(*args, *common)
        assert result.returncode == 0, (args, result.stderr.decode())
        own = LIST_ERRORS if args[0] in ("report", "export") else ""  # the bundled list's
        assert result.stderr.decode() == own
    shown = run("history", "7", *common).stdout.decode("utf-8")
    assert "资金未到位\ufffd" in shown and "住建局\ufffd" in shown


@POSIX
def test_gbk_bytes_in_a_note_are_read_as_gbk(tmp_path):
    """A Chinese Windows console (or a GBK terminal) sends 工程 as GBK bytes."""
    log = tmp_path / "progress.jsonl"
    common = ["--file", str(BUNDLED), "--ledger", str(log)]
    result = subprocess.run(
        [sys.executable, "-m", "taskctl", "update", "7", "--status", "滞后", "--date", AS_OF,
         "--note", "工程未开工".encode("gbk"), "--by", "住建局".encode("gbk"), *common],
        capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    entry = json.loads(log.read_text(encoding="utf-8"))
    assert (entry["说明"], entry["填报人"]) == ("工程未开工", "住建局")
    report = run("report", "--week", "2023-W26", "--file", BUNDLED, "--ledger", log)
    assert report.returncode == 0 and "工程未开工" in report.stdout.decode()


@POSIX
def test_bytes_that_are_no_known_encoding_are_refused_in_one_line(tmp_path):
    log = tmp_path / "progress.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "taskctl", "update", "7", "--status", "滞后", "--date", AS_OF,
         "--note", b"\xff\xff\xff", "--file", str(BUNDLED), "--ledger", str(log)],
        capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "错误：--note 说明 含有无法识别的字节（既不是 UTF-8 也不是 GBK）；请检查终端的编码\n"
    )
    assert not log.exists()


def test_a_gbk_console_gets_a_bar_it_can_show():
    result = run(
        # early in the year, when tasks nobody reported on are 黄, not yet 红
        "stats", "--format", "table", "--as-of", "2023-01-10", "--file", BUNDLED,
        env={"PYTHONIOENCODING": "gbk"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    text = result.stdout.decode("gbk")
    assert "合计" in text and "++++++++++" in text and "▒" not in text


@POSIX
def test_standard_output_closed():
    """``taskctl list >&-``: one line on stderr, exit 2; a command that prints nothing on
    standard output (update) still works."""
    result = subprocess.run(
        [sys.executable, "-m", "taskctl", "list", "--id", "1", "--file", str(BUNDLED)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60, env=os.environ,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode() == "错误：无法写入标准输出（标准输出已关闭），结果未能输出\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list"], ["stats", "--format", "json"], ["report"]])
def test_standard_output_on_a_full_disk(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "taskctl", *args, "--file", str(BUNDLED), "--as-of", AS_OF],
            stdout=full, stderr=subprocess.PIPE, timeout=60, env=os.environ,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().endswith(
        "错误：无法写入标准输出（No space left on device），结果未能输出\n"
    )
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--week", "9999-W52"],
        ["report", "--week", "0001-W01"],
        ["report", "--as-of", "0001-01-01"],
        ["report", "--since", "0001-01-01", "--until", "0001-01-03"],
    ],
)
def test_dates_at_the_ends_of_the_calendar(runner, args):
    result = runner.invoke(cli, [*args, "--file", str(BUNDLED)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "错误：日期超出可计算的范围（年份应在 1 到 9999 之间，且离两端至少一年）\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--as-of", "0001-01-01"],
        ["stats", "--as-of", "9999-12-31"],
        ["show", "7", "--as-of", "9999-12-31"],
        ["report", "--as-of", "9999-12-31"],
    ],
)
def test_far_dates_that_can_be_computed_are_answered(runner, args):
    result = runner.invoke(cli, [*args, "--file", str(BUNDLED), "--format", "json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
