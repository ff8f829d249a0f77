"""One vocabulary across the commands: every option name means what the glossary in
docs/queries.md (选项一览) says, in every command that has it, and old spellings still work with
one notice on stderr."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import click
import pytest
from conftest import BUNDLED_NOTE, ROOT

from taskctl.cli import COMMANDS, cli
from taskctl.cli.options import FolderPath, FormatChoice, LogPathType, PathType

GLOSSARY_HEADING = "### 选项一览"


def glossary() -> dict[str, set[str]]:
    """Option name → the commands docs/queries.md says have it."""
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    table = text.split(GLOSSARY_HEADING, 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        option, _meaning, commands = (cell.strip() for cell in line.strip("|").split(" | "))
        for name in re.findall(r"--[a-z-]+", option):
            rows[name] = set(commands.split())
    return rows


def commands() -> dict[str, click.Command]:
    return {name: cli.get_command(click.Context(cli), name) for name in COMMANDS}  # type: ignore[misc]


def options(command: click.Command) -> dict[str, click.Option]:
    """The command's visible options by long name."""
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for name in param.opts
        if name.startswith("--")
    }


def _choice(*words: str):
    return lambda p: isinstance(p.type, click.Choice) and set(words) <= set(p.type.choices)


def _value(dest: str, kind: type | None = None, multiple: bool | None = None):
    """Takes a value, lands in ``dest``, of ``kind``; repeatable or not when ``multiple`` says."""

    def check(p: click.Option) -> bool:
        return (
            not p.is_flag
            and p.name == dest
            and (kind is None or isinstance(p.type, kind))
            and (multiple is None or p.multiple == multiple)
        )

    return check


def _flag(dest: str):
    return lambda p: p.is_flag and p.name == dest


# The meaning each glossary name has, as the parameter shows it: where the value lands, whether
# it takes one, its type. The same test for every command that has the option.
MEANINGS = {
    "--file": _value("file", PathType, False),
    "--ledger": _value("progress_path", LogPathType, False),
    "--progress": _value("percent", None, False),
    "--by": lambda p: _value("by", None, False)(p) and not isinstance(p.type, click.Choice),
    "--group-by": lambda p: p.name == "group_by" and _choice("section", "leader", "dept")(p),
    "--leader": _value("leaders", None, True),
    "--dept": _value("depts", None, True),
    "--section": _value("sections", None, True),
    "--id": _value("ids", None, True),
    "--grep": _value("grep", None, True),
    "--status": lambda p: p.name in ("statuses", "status") and not p.is_flag,
    "--light": _value("lights", None, True),
    "--stale": _flag("stale"),
    "--unit": _value("units", None, True),
    "--role": lambda p: p.name == "role" and _choice("lead", "support", "all")(p),
    "--format": lambda p: p.name == "fmt" and isinstance(p.type, click.Choice),
    "--output": lambda p: (
        _value("output", PathType)(p) and not isinstance(p.type, FolderPath) and "-o" in p.opts
    ),
    "--dir": _value("folder", FolderPath, False),
    "--force": lambda p: _flag("force")(p) and p.opts == ["--force"],
    "--dry-run": _flag("dry_run"),
    "--as-of": _value("as_of", None, False),
    "--stale-days": _value("stale_days", click.IntRange, False),
    "--date": _value("date", None, False),
    "--evidence": _value("evidence", click.Path, True),
    "--extend": _value("extend", None, False),
    "--week": _value("week", None, False),
    "--month": _value("month", None, False),
    "--since": _value("since", None, False),
    "--until": _value("until", None, False),
    "--quarter": _value("quarter", None, False),
    "--year": _value("year", None, False),
    "--rules": _value("rules", None, False),
}


def test_the_glossary_names_every_shared_option_and_each_has_a_meaning_here():
    table = glossary()
    assert set(table) == set(MEANINGS)
    seen: dict[str, set[str]] = {}
    for name, command in commands().items():
        for option in options(command):
            seen.setdefault(option, set()).add(name)
    shared = {option for option, where in seen.items() if len(where) > 1}
    assert shared - {"--help"} <= set(table), "an option in two commands belongs in the glossary"


@pytest.mark.parametrize("option", sorted(MEANINGS))
def test_each_option_means_what_the_glossary_says_in_every_command(option):
    table = glossary()
    having = {name for name, command in commands().items() if option in options(command)}
    assert having == table[option], f"{option}: the glossary's commands are not the ones with it"
    for name in having:
        param = options(commands()[name])[option]
        assert MEANINGS[option](param), f"taskctl {name} {option} means something else"


def test_plain_is_the_one_name_of_aligned_text():
    for name, command in commands().items():
        fmt = options(command).get("--format")
        if fmt is None:
            continue
        assert isinstance(fmt.type, FormatChoice), name
        assert "text" not in fmt.type.choices, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_new_names_and_not_the_old(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    shown = result.output
    command = commands()[name]
    for option in options(command):
        assert option in shown
    words = set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", shown))
    assert not words & {"-f", "--log"}
    assert "--progress PATH" not in shown
    if name == "stats":
        assert "--by" not in words
    if name in ("forms", "remind"):
        assert not words & {"--dept", "-o", "--output"}
    format_line = next((line for line in shown.splitlines() if "--format" in line), "")
    assert "text" not in format_line


SAMPLE = ROOT / "examples" / "sample-progress.jsonl"


@pytest.mark.parametrize(
    ("old", "new", "notice"),
    [
        (
            ["list", "-f", str(ROOT / "data" / "tasks.yaml"), "--id", "7", "--ledger", str(SAMPLE)],
            [
                "list",
                "--file",
                str(ROOT / "data" / "tasks.yaml"),
                "--id",
                "7",
                "--ledger",
                str(SAMPLE),
            ],
            "提示：-f 已改名为 --file，请改用新写法\n",
        ),
        (
            ["list", "--id", "7", "--log", str(SAMPLE), "--as-of", "2023-07-02"],
            ["list", "--id", "7", "--ledger", str(SAMPLE), "--as-of", "2023-07-02"],
            "提示：--log 已改名为 --ledger，请改用新写法\n",
        ),
        (
            ["history", "7", "--progress", str(SAMPLE)],
            ["history", "7", "--ledger", str(SAMPLE)],
            "提示：--progress 已改名为 --ledger，请改用新写法\n",
        ),
        (
            ["stats", "--by", "leader", "--ledger", str(SAMPLE), "--as-of", "2023-07-02"],
            ["stats", "--group-by", "leader", "--ledger", str(SAMPLE), "--as-of", "2023-07-02"],
            "提示：--by 已改名为 --group-by，请改用新写法\n",
        ),
        (
            ["report", "--week", "2023-W26", "--format", "text", "--ledger", str(SAMPLE)],
            ["report", "--week", "2023-W26", "--format", "plain", "--ledger", str(SAMPLE)],
            "提示：--format text 已改名为 --format plain，请改用新写法\n",
        ),
        (
            ["remind", "--as-of", "2023-07-02", "--ledger", str(SAMPLE), "--dept", "住建局"],
            ["remind", "--as-of", "2023-07-02", "--ledger", str(SAMPLE), "--unit", "住建局"],
            "提示：--dept 已改名为 --unit，请改用新写法\n",
        ),
    ],
)
def test_an_old_spelling_does_what_the_new_one_does_and_says_so_once(runner, old, new, notice):
    before = runner.invoke(cli, new)
    after = runner.invoke(cli, old)
    assert before.exit_code == after.exit_code == 0, after.stderr
    assert after.stdout == before.stdout and before.stdout
    assert after.stderr == notice + before.stderr


def test_old_folder_spellings_write_the_same_files(runner, tmp_path):
    for spelling in ("-o", "--output", "--dir"):
        out = tmp_path / spelling.strip("-")
        result = runner.invoke(
            cli,
            ["forms", "--week", "2023-W26", "--unit", "住建局", spelling, str(out)],
        )
        assert result.exit_code == 0, result.stderr
        assert [p.name for p in out.iterdir()] == ["2023-W26_住建局.xlsx"]
        notice = "" if spelling == "--dir" else f"提示：{spelling} 已改名为 --dir，请改用新写法\n"
        assert result.stderr.startswith(notice + "已生成") or result.stderr.startswith(
            notice + BUNDLED_NOTE
        ), result.stderr


def test_an_old_spelling_written_twice_says_so_once_and_the_new_spelling_wins(runner, tmp_path):
    result = runner.invoke(
        cli,
        [
            "remind",
            "--dept",
            "住建局",
            "--dept",
            "工信局",
            "--unit",
            "交通局",
            "--as-of",
            "2023-07-02",
        ],
    )
    assert result.stderr.count("提示：--dept 已改名为 --unit") == 1
    assert sorted(line.split("\t")[0] for line in result.stdout.splitlines()) == sorted(
        ["住建局", "工信局", "交通局"]
    )


# Exit codes: Ctrl-C is 130 everywhere, never 1 (which means a problem found) ----------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["collect", "回收"],
        ["report", "--week", "2023-W26"],
        ["forms", "--week", "2023-W26", "--dir", "填报"],
    ],
    ids=lambda c: c[0],
)
def test_ctrl_c_exits_130(runner, monkeypatch, tmp_path, command):
    import taskctl.loader

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    (tmp_path / "回收").mkdir()
    monkeypatch.setattr(taskctl.loader, "load", interrupted)
    result = runner.invoke(cli, command)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "\n已中止。\n")


# --dry-run: what would be written, on stdout as the real run says it; nothing written ---------


def test_import_dry_run_shows_the_yaml_it_would_write(runner, tmp_path):
    source = ROOT / "tests" / "fixtures" / "2023-task-list.txt"
    dry = runner.invoke(cli, ["import", str(source), "-o", "t.yaml", "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert not (tmp_path / "t.yaml").exists()
    assert (
        "（试运行）将导入 102 项任务（9 个部分）→ t.yaml，未写入任何内容；标准输出为将写入的内容\n"
        f"检查发现 3 个错误，9 个警告；用 taskctl validate {source} 查看\n"
    ) in dry.stderr
    real = runner.invoke(cli, ["import", str(source), "-o", "t.yaml"])
    assert real.exit_code == 0 and real.stdout == ""
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == dry.stdout
    again = runner.invoke(cli, ["import", str(source), "-o", "t.yaml", "--dry-run"])
    assert (again.exit_code, again.stdout) == (2, "")
    assert again.stderr == "错误：t.yaml 已存在；要覆盖请加 --force\n"


def test_forms_and_remind_dry_run_list_the_files_and_write_none(runner, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_bytes((ROOT / "data" / "tasks.yaml").read_bytes())
    (tmp_path / "data" / "progress.jsonl").write_bytes(SAMPLE.read_bytes())
    for command, folder, said in (
        (
            ["forms", "--week", "2023-W26", "--unit", "住建局", "--unit", "交通局"],
            "填报",
            "将生成 2023-W26 填报表 2 份（",
        ),
        (["remind", "--as-of", "2023-07-02"], "催办", "将写入 "),
    ):
        dry = runner.invoke(cli, [*command, "--dir", folder, "--dry-run"])
        assert dry.exit_code == 0, dry.stderr
        assert not (tmp_path / folder).exists()
        last = dry.stderr.splitlines()[-1]  # after the list's own warnings, if any
        assert last.startswith(f"（试运行）{said}") and last.endswith("，未写入任何内容")
        real = runner.invoke(cli, [*command, "--dir", folder])
        assert real.exit_code == 0, real.stderr
        assert real.stdout == dry.stdout and dry.stdout.count("\n") >= 2
        assert len(list((tmp_path / folder).iterdir())) == dry.stdout.count("\n")
        refused = runner.invoke(cli, [*command, "--dir", folder, "--dry-run"])
        assert (refused.exit_code, refused.stdout) == (2, ""), (
            "a dry run checks what the run checks"
        )


# The filters of list on stats and report ------------------------------------------------------


def test_stats_counts_only_the_tasks_the_filters_select(runner):
    args = ["stats", "--group-by", "leader", "--ledger", str(SAMPLE), "--as-of", "2023-07-02"]
    result = runner.invoke(cli, [*args, "--section", "一", "--format", "tsv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "张辉\t2\t1\t0\t1\t0\t2\t0\t0\t0.0%\t0\n"
        "董力芳\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "于德忱\t3\t1\t2\t0\t0\t1\t1\t1\t0.0%\t0\n"
        "合计\t6\t3\t2\t1\t0\t4\t1\t1\t0.0%\t0\n"
    )
    # the silent tasks are 红 too (measured as 0% against 序时进度 50.1%)
    red = runner.invoke(cli, [*args, "--section", "一", "--light", "红", "--format", "tsv"])
    assert red.stdout == (
        "张辉\t2\t1\t0\t1\t0\t2\t0\t0\t0.0%\t0\n"
        "于德忱\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "董力芳\t1\t1\t0\t0\t0\t1\t0\t0\t0.0%\t0\n"
        "合计\t4\t3\t0\t1\t0\t4\t0\t0\t0.0%\t0\n"
    )
    none = runner.invoke(cli, [*args, "--grep", "没有这样的任务"])
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "没有符合条件的任务\n")


def test_report_takes_the_filters_of_list_and_says_its_scope(runner):
    args = ["report", "--week", "2023-W26", "--ledger", str(SAMPLE), "--format", "plain"]
    result = runner.invoke(cli, [*args, "--leader", "于德忱", "--section", "一"])
    assert result.exit_code == 0, result.stderr
    assert "截至2023年7月2日，范围内（责任领导 于德忱，部分 一）的任务共3项" in result.stdout
    both = runner.invoke(cli, [*args, "--leader", "于德忱", "--dept", "住建局"])
    assert (both.exit_code, both.stdout, both.stderr) == (0, "", "没有符合条件的任务\n")
    red = runner.invoke(cli, [*args, "--light", "红"])
    assert "范围内（灯 红）的任务共" in red.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_in_a_real_process_exits_130(tmp_path):
    """The signal itself, not a raised KeyboardInterrupt: what a clerk's Ctrl-C does."""
    code = (
        "import sys, time, taskctl.loader\n"
        "def slow(*args, **kwargs):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(30)\n"
        "taskctl.loader.load = slow\n"
        "from taskctl.cli import main\n"
        "sys.argv = ['taskctl', 'list']\n"
        "main()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert (child.returncode, out, err) == (130, "", "\n已中止。\n")
