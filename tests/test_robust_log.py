"""The progress log under abuse: any bytes as the log (a file or a folder of them), whole
``taskctl update`` processes killed inside their writes (often inside a character), forty of
them at once with readers."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import os
import random
import subprocess
import sys

import pytest
from conftest import BUNDLED, LIMITED, LIST_ERRORS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stopped_writer import run_until_stopped
from test_robust_inputs import check_outcome, mutated

from taskctl.cli import cli
from taskctl.progress import Entry, read_file

AS_OF = "2023-06-30"
GOOD_LOG = "".join(
    json.dumps(record, ensure_ascii=False) + "\n"
    for record in [
        {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工",
         "填报人": "住建局", "记录时间": "2023-06-05T09:30:12.123456+08:00"},
        {"序号": 9, "日期": "2023-06-20", "状态": "滞后", "说明": "资金未到位", "填报人": "财政局",
         "记录时间": "2023-06-20T10:00:00+08:00"},
        {"序号": 7, "日期": "2023-06-05", "状态": "已完成", "进度": 100},
    ]
).encode()  # fmt: skip
COMMANDS = [
    ["list", "--as-of", AS_OF],
    ["stats", "--group-by", "leader", "--as-of", AS_OF],
    ["report", "--week", "2023-W26"],
    ["history", "7"],
    ["validate"],
]
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LOG_BYTES = st.one_of(
    st.binary(max_size=300),
    mutated(GOOD_LOG),
    st.lists(
        st.sampled_from(
            [GOOD_LOG, b'{"\xe5\xba\x8f\xe5\x8f\xb7": 7', b"\n", b"[]\n", b"null\n", b"\x00",
             b"\xef\xbb\xbf", b'{"\xe5\xba\x8f\xe5\x8f\xb7": 1e999}\n', b"\r\n", b"1" * 5000]
        ),
        max_size=5,
    ).map(b"".join),
)  # fmt: skip


def outcomes(runner, log, command):
    """The command's outcome, run twice: the second read goes through the parse cache and
    must give exactly the same answer."""
    args = [*command, "--file", str(BUNDLED), "--ledger", str(log)]
    first, second = runner.invoke(cli, args), runner.invoke(cli, args)
    for result in (first, second):
        if command == ["validate"] and result.exit_code == 1:
            # validate's own answer "the data has errors" (the bundled list has some)
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert result.stdout.startswith("错误\t") and "共 " in result.stderr
            continue
        check_outcome(result)
        if result.exit_code == 0:  # warnings and notes for humans, never an error
            assert "Traceback" not in result.stderr and "错误：" not in result.stderr
    assert (second.exit_code, second.stdout, second.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    return first


@FAST
@given(data=LOG_BYTES, command=st.sampled_from(COMMANDS))
def test_any_bytes_as_the_log(tmp_path_factory, runner, data, command):
    log = tmp_path_factory.mktemp("log") / "progress.jsonl"
    log.write_bytes(data)
    outcomes(runner, log, command)


@FAST
@given(data=LOG_BYTES, command=st.sampled_from(COMMANDS))
def test_any_bytes_in_a_folder_of_logs(tmp_path_factory, runner, data, command):
    folder = tmp_path_factory.mktemp("progress")
    (folder / "住建局.jsonl").write_bytes(GOOD_LOG)
    (folder / "其他.jsonl").write_bytes(data)
    result = outcomes(runner, folder, command)
    if result.exit_code == 2:  # the error names the file at fault
        assert "其他.jsonl" in result.stderr


def test_a_torn_line_is_skipped_with_a_warning_naming_file_and_line(tmp_path, runner):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(GOOD_LOG + b'{"\xe5\xba\x8f\xe5\x8f\xb7": 9, "\xe6\x97\xa5')
    result = runner.invoke(
        cli, ["history", "7", "--file", str(BUNDLED), "--ledger", str(log), "--format", "tsv"]
    )
    assert result.exit_code == 0
    assert result.stderr == f"警告：{log} 第 4 行不完整（可能是写入时被中断），已跳过\n"
    # two reports of one day by two 填报人 (住建局, and the office with none) are both kept
    assert result.stdout == (
        "2023-06-05\t序时推进\t40%\t已开工\t住建局\t2023-06-05T09:30:12+08:00\n"
        "2023-06-05\t已完成\t100%\t\t\t\n"
    )


def test_a_record_torn_inside_a_character_then_a_later_update(tmp_path, runner):
    log = tmp_path / "progress.jsonl"
    torn = '{"序号": 9, "日期": "2023-06-21", "状态": "滞后", "说明": "资金'.encode()[:-1]
    log.write_bytes(GOOD_LOG + torn)
    common = ["--file", str(BUNDLED), "--ledger", str(log)]
    warning = f"警告：{log} 第 4 行不完整（可能是写入时被中断），已跳过\n"
    for _ in range(2):  # the second read comes from the parse cache
        result = runner.invoke(cli, ["history", "9", *common, "--format", "tsv"])
        assert (result.exit_code, result.stderr) == (0, warning)
        assert (
            result.stdout == "2023-06-20\t滞后\t\t资金未到位\t财政局\t2023-06-20T10:00:00+08:00\n"
        )
    update = ["update", "9", "--status", "done", "--date", "2023-06-28", "--note", "已拨付"]
    result = runner.invoke(cli, [*update, "--file", str(BUNDLED), "--ledger", str(log)])
    assert result.exit_code == 0, result.output
    assert log.read_bytes().startswith(GOOD_LOG + torn + b"\n")  # not glued to the torn tail
    result = runner.invoke(cli, ["history", "9", *common, "--format", "tsv"])
    assert (result.exit_code, result.stderr) == (0, warning)
    assert result.stdout.splitlines()[1].startswith("2023-06-28\t已完成\t\t已拨付\t")


# Crafted logs, each in a real process with 1 GiB of address space and 60 s.
CRAFTED = {
    "huge-line": b'{"\xe5\xba\x8f\xe5\x8f\xb7": 7, "x": "' + "长".encode() * 3_000_000 + b'"',
    "huge-note": GOOD_LOG[:-2]
    + b', "\xe8\xaf\xb4\xe6\x98\x8e": "'
    + "长".encode() * 3_000_000
    + b'"}\n',
    "nul": GOOD_LOG[:40] + b"\x00" + GOOD_LOG[40:],
    "invalid-utf8": GOOD_LOG + b"\xc3\x28\n",
    "gbk": GOOD_LOG.decode().encode("gbk"),
    "utf16": GOOD_LOG.decode().encode("utf-16"),
    "deep-array": b"[" * 100_000 + b"\n" + GOOD_LOG,
    "deep-object": b'{"a":' * 100_000 + b"\n" + GOOD_LOG,
    "long-number": b'{"\xe5\xba\x8f\xe5\x8f\xb7": ' + b"9" * 100_000 + b"}\n" + GOOD_LOG,
    "long-progress": GOOD_LOG[:-2] + b', "\xe8\xbf\x9b\xe5\xba\xa6": "' + b"1" * 100_000 + b'"}\n',
    "many-lines": b"\n" * 2_000_000 + GOOD_LOG,
    "far-dates": GOOD_LOG
    + '{"序号": 7, "日期": "9999-12-31", "状态": "滞后", "记录时间": "0001-01-01T00:00:00"}\n'.encode(),
    "far-time": GOOD_LOG
    + '{"序号": 7, "日期": "2023-06-05", "状态": "滞后", "记录时间": "9999-12-31T23:59:59"}\n'.encode(),
    "binary": bytes(range(256)) * 1000,
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_logs_end_cleanly_in_bounded_memory(tmp_path, name):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(CRAFTED[name])
    code = LIMITED
    for command in (["report", "--week", "2023-W26"], ["stats", "--as-of", AS_OF]):
        result = subprocess.run(
            [sys.executable, "-c", code, *command, "--file", str(BUNDLED), "--ledger", str(log)],
            capture_output=True,
            timeout=60,
            # west of UTC, a local time late in 9999 cannot be converted (OverflowError)
            env={**os.environ, "TZ": "America/New_York"},
        )
        stderr = result.stderr.decode("utf-8")
        assert result.returncode in (0, 2), stderr[-2000:]
        assert "Traceback" not in stderr
        lines = stderr.splitlines()
        if result.returncode == 2:
            assert len(lines) == 1 and lines[0].startswith("错误：") and str(log) in lines[0]
            assert "内部错误" not in lines[0]
        else:
            own = LIST_ERRORS.strip()  # report: the bundled list's own errors, said once
            assert all(
                line == own or (line.startswith("警告：") and str(log) in line) for line in lines
            )


def taskctl(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "taskctl", *args], env=os.environ, **kwargs)


WRITERS = 40


def test_forty_taskctl_updates_at_once_while_others_read(tmp_path):
    """Forty whole `taskctl update` processes at once, with `taskctl list` and `report`
    reading the same log (through the shared parse cache) the whole time."""
    log = tmp_path / "progress.jsonl"
    common = ["--file", str(BUNDLED)]
    writers = [
        taskctl(
            "update", f"{1 + n},{41 + n}", "--status", "on-track", "--progress", str(n),
            "--note", f"单位{n}" * 40, "--by", f"第{n}督查室", "--date", AS_OF,
            "--ledger", str(log), *common, stderr=subprocess.DEVNULL,
        )
        for n in range(WRITERS)
    ]  # fmt: skip
    reads = [
        ["list", "--as-of", AS_OF, "--format", "tsv"],
        ["report", "--week", "2023-W26", "--format", "json"],
    ]
    reader_codes: list[tuple[int, bytes]] = []
    rounds = 0
    while any(w.poll() is None for w in writers) or rounds < 2:
        readers = [
            taskctl(*args, *common, "--ledger", str(log), stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE)
            for args in reads
        ]  # fmt: skip
        for reader in readers:
            out, err = reader.communicate(timeout=120)
            reader_codes.append((reader.returncode, err))
            if reader.returncode == 0 and b"{" in out[:1]:
                json.loads(out)  # a whole report, never a half-read one
        rounds += 1
    assert [w.wait(timeout=120) for w in writers] == [0] * WRITERS
    assert [code for code, _ in reader_codes] == [0] * len(reader_codes), reader_codes
    warnings: list[str] = []
    entries = read_file(log, warnings.append)
    assert warnings == []
    assert sorted((e.by, e.id, e.progress) for e in entries) == sorted(
        (f"第{n}督查室", task_id, n) for n in range(WRITERS) for task_id in (1 + n, 41 + n)
    )
    final = subprocess.run(
        [sys.executable, "-m", "taskctl", "stats", "--as-of", AS_OF, "--format", "json",
         *common, "--ledger", str(log)],
        capture_output=True, env=os.environ, check=True,
    )  # fmt: skip
    total = json.loads(final.stdout)[-1]
    assert (total["group"], total["on_track"]) == ("合计", 2 * WRITERS)


TRIALS = 25


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_taskctl_update_killed_inside_its_writes(tmp_path):
    """Each trial kills a whole `taskctl update` of 102 entries once a random number of its
    bytes has reached the log (see stopped_writer): what it wrote is a run of whole entries in
    order (old content plus a prefix of the new), at most the last line torn, often inside a
    character; readers skip a torn line with a warning naming the file and line, and the next
    update starts on a fresh line."""
    log = tmp_path / "progress.jsonl"
    rng = random.Random(5)
    whole: list[tuple[int, str]] = []
    moment = dt.datetime(2023, 6, 30, 9, 30, tzinfo=dt.timezone.utc)  # its length is what counts
    torn_lines = inside_a_character = 0
    for trial in range(TRIALS):
        note = f"第{trial}次" + "说明" * rng.randrange(0, 990)  # a 说明 holds 2000 characters
        records = [
            Entry(i, dt.date(2023, 6, 30), "滞后", None, note, "", moment).to_line()
            for i in range(1, 103)
        ]
        raw = log.read_bytes() if log.exists() else b""
        stream = (b"\n" if raw and not raw.endswith(b"\n") else b"") + b"".join(records)
        budget = rng.randrange(1, len(stream))
        killed = run_until_stopped(
            budget, "update", "1-102", "--status", "behind", "--note", note, "--date", AS_OF,
            "--file", str(BUNDLED), "--ledger", str(log),
        )  # fmt: skip
        assert killed  # the kill landed inside the update's writes
        after = log.read_bytes()
        assert after.startswith(raw) and len(after) == len(raw) + budget
        ends = list(
            itertools.accumulate(map(len, records), initial=len(stream) - sum(map(len, records)))
        )
        done = bisect.bisect_right(ends, budget) - 1  # whole records within the budget
        torn_lines += budget != ends[done]
        inside_a_character += 0x80 <= stream[budget] < 0xC0
        warnings: list[str] = []
        entries = read_file(log, warnings.append)
        seen = [(e.id, e.note) for e in entries]
        assert seen[: len(whole)] == whole  # the old content is intact
        assert seen[len(whole) :] == [(i, note) for i in range(1, done + 1)]  # a prefix of the new
        assert len(warnings) == torn_lines
        for message in warnings:
            assert message.startswith(f"{log} 第 ") and "行不完整" in message
        whole = seen
    print(
        f"{torn_lines} of {TRIALS} updates torn mid-record, {inside_a_character} inside a character"
    )
    assert torn_lines >= TRIALS // 2 and inside_a_character >= 3
    result = subprocess.run(
        [sys.executable, "-m", "taskctl", "update", "7", "--status", "done", "--date", AS_OF,
         "--file", str(BUNDLED), "--ledger", str(log)],
        capture_output=True, env=os.environ,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = log.read_bytes().split(b"\n")[-2]
    assert json.loads(last)["序号"] == 7
    listed = subprocess.run(
        [sys.executable, "-m", "taskctl", "list", "--id", "7", "--as-of", AS_OF, "--file",
         str(BUNDLED), "--ledger", str(log)],
        capture_output=True, env=os.environ,
    )  # fmt: skip
    assert listed.returncode == 0
    assert listed.stdout.decode().endswith("\t已完成\t\t2023-06-30\t绿\n")
    assert all(line.startswith(f"警告：{log} 第 ") for line in listed.stderr.decode().splitlines())
