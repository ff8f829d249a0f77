"""Shell completion, -h/--version on every command, and pypinyin staying unloaded for Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete

from taskctl.cli import cli
from taskctl.cli.options import complete_words
from tests.conftest import require_tool

MINI = """\
附件: 附件1
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 测试部分
  项数: 1
  任务:
  - 序号: 1
    年度任务目标: 测试任务
    责任领导: [曾华]
    牵头部门: [住房局]
    责任部门: [各有关部门]
"""


def completions(args: list[str], incomplete: str, command: click.Command = cli) -> list:
    """The way Click's own tests drive completion."""
    found = ShellComplete(command, {}, "taskctl", "_TASKCTL_COMPLETE").get_completions(
        args, incomplete
    )
    return [(item.value, item.help) for item in found]


def run_shell(runner, shell: str, words: str, cword: str) -> str:
    env = {"_TASKCTL_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = runner.invoke(cli, [], env=env, prog_name="taskctl")
    assert result.exit_code == 0
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize(
    ("shell", "words", "cword", "expected"),
    [
        ("bash", "taskctl dept 住", "2", "plain,住建局\n"),
        ("bash", "taskctl list --leader ydc", "3", "plain,于德忱\n"),
        ("zsh", "taskctl dept 住", "2", "plain\n住建局\n_\n"),
        ("zsh", "taskctl list --leader ydc", "3", "plain\n于德忱\nyu de chen\n"),
        # fish passes the line up to the cursor and the token being completed.
        ("fish", "taskctl dept 住", "住", "plain,住建局\n"),
        ("fish", "taskctl list --leader ydc", "ydc", "plain,于德忱\tyu de chen\n"),
    ],
)
def test_each_shell_completes_chinese_and_pinyin(runner, shell, words, cword, expected):
    assert run_shell(runner, shell, words, cword) == expected


def test_ambiguous_pinyin_offers_every_name_with_its_pinyin():
    assert completions(["list", "--leader"], "zh") == [
        ("张辉", "zhang hui"),
        ("董力芳", "zhong li fang"),
        ("张健", "zhang jian"),
        ("赵玉宇", "zhao yu yu"),
    ]


def test_chinese_prefix_before_part_of_name():
    assert completions(["list", "--leader"], "张") == [("张辉", None), ("张健", None)]
    # No department starts with 局: those containing it are offered.
    assert completions(["list", "--dept"], "建局") == [("住建局", None)]
    assert len(completions(["list", "--dept"], "局")) == 24


def test_department_completion_includes_groups_and_members():
    assert completions(["dept"], "各镇") == [("各镇街道", None)]
    assert completions(["dept"], "富") == [("富家镇", None)]
    assert completions(["list", "--dept"], "gkf") == [("各开发园区", "ge kai fa yuan qu")]


def test_section_completion_by_numeral_position_title_or_pinyin():
    title = "聚焦乡村振兴，做实“三农”工作，以稳固的发展基础推进台安高质量发展"
    assert completions(["list", "--section"], "四") == [("四", title)]
    assert completions(["list", "--section"], "4") == [("四", title)]
    assert completions(["list", "--section"], "乡村") == [("四", title)]
    assert completions(["list", "--section"], "xczx") == [("四", title)]


def test_empty_word_offers_every_name_in_list_order():
    values = [value for value, _ in completions(["list", "--leader"], "")]
    assert values[:3] == ["于德忱", "张辉", "董力芳"]
    assert len(values) == 12


def test_commands_options_and_choices_complete():
    commands = [value for value, _ in completions([], "")]
    assert {"list", "dept", "show", "leaders", "depts", "sections", "import", "completion"} <= set(
        commands
    )
    assert completions([], "--ver") == [("--version", "显示版本号并退出。")]
    assert [v for v, _ in completions(["list"], "--lea")] == ["--leader"]
    assert [v for v, _ in completions(["list", "--format"], "")] == [
        "auto",
        "table",
        "plain",
        "tsv",
        "csv",
        "markdown",
        "json",
    ]
    assert [v for v, _ in completions(["dept", "住建局", "--role"], "")] == [
        "all",
        "lead",
        "support",
    ]
    assert [v for v, _ in completions(["completion"], "")] == ["bash", "zsh", "fish"]


def test_completion_reads_the_list_given_by_file_option(tmp_path):
    mini = tmp_path / "mini.yaml"
    mini.write_text(MINI, encoding="utf-8")
    assert completions(["list", "--file", str(mini), "--leader"], "zh") == [("曾华", "zeng hua")]
    assert completions(["dept", "--file", str(mini)], "") == [
        ("住房局", None),
        ("各有关部门", None),
    ]


def test_completion_reads_taskctl_file_and_local_data(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(MINI, encoding="utf-8")
    assert completions(["list", "--leader"], "") == [("曾华", None)]
    other = tmp_path / "other.yaml"
    other.write_text(MINI.replace("曾华", "于德忱"), encoding="utf-8")
    monkeypatch.setenv("TASKCTL_FILE", str(other))
    assert completions(["list", "--leader"], "") == [("于德忱", None)]


def test_broken_or_missing_list_gives_no_completions(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sections: [", encoding="utf-8")
    assert completions(["list", "--file", str(bad), "--leader"], "") == []
    assert completions(["list", "--file", str(tmp_path / "none.yaml"), "--leader"], "") == []
    words = f"taskctl list --file {bad} --leader y"
    assert run_shell(runner, "bash", words, "5") == "\n"


def test_status_helper_completes_fixed_words_by_chinese_or_pinyin():
    @click.command()
    @click.option("--status", shell_complete=complete_words("未启动", "序时推进", "滞后", "已完成"))
    def status_command(status: str) -> None:
        """Stand-in for issue 3's --status."""

    assert completions(["--status"], "滞", status_command) == [("滞后", None)]
    assert completions(["--status"], "zh", status_command) == [("滞后", "zhi hou")]
    assert completions(["--status"], "ywc", status_command) == [("已完成", "yi wan cheng")]
    assert len(completions(["--status"], "", status_command)) == 4


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("bash", "complete -o nosort -F _taskctl_completion taskctl"),
        ("zsh", "compstate[insert]=automenu"),
        ("fish", 'complete --no-files --command taskctl --arguments "(_taskctl_completion)"'),
    ],
)
def test_completion_prints_the_script(runner, shell, expected):
    result = runner.invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert "_TASKCTL_COMPLETE" in result.stdout
    assert expected in result.stdout
    assert result.stderr == ""


def test_zsh_script_keeps_the_double_percent_of_the_expansion(runner):
    # ``%%:*`` strips a description; Click's %-formatting would halve an unescaped one.
    script = runner.invoke(cli, ["completion", "zsh"]).stdout
    assert '"${completions_with_descriptions[@]%%:*}"' in script


def test_completion_rejects_other_shells(runner):
    result = runner.invoke(cli, ["completion", "powershell"])
    assert result.exit_code == 2
    assert "powershell" in result.stderr


def _walk(command: click.Command, path: list[str]):
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from _walk(command.get_command(ctx, name), [*path, name])


@pytest.mark.parametrize("path", list(_walk(cli, [])), ids=lambda p: " ".join(p) or "taskctl")
def test_every_command_accepts_h_and_help(runner, path):
    short = runner.invoke(cli, [*path, "-h"])
    long = runner.invoke(cli, [*path, "--help"])
    assert short.exit_code == 0
    assert long.exit_code == 0
    assert short.stdout == long.stdout
    assert "示例：" in short.stdout


def test_version(runner):
    for flag in ("--version", "-V"):
        result = runner.invoke(cli, [flag])
        assert result.exit_code == 0
        assert result.stdout == "taskctl 0.1.0\n"


PROBE = """\
import sys
from taskctl.cli import cli
cli.main(["list", "--leader", sys.argv[1], "--id", "1", "--as-of", "2023-03-01"], prog_name="taskctl", standalone_mode=False)
print("pypinyin" in sys.modules)
"""


@pytest.mark.parametrize(("query", "loaded"), [("于德忱", "False"), ("ydc", "True")])
def test_pypinyin_is_imported_only_for_non_chinese_names(tmp_path, query, loaded):
    # A subprocess, since this test process may have imported pypinyin already.
    result = subprocess.run(
        [sys.executable, "-c", PROBE, query],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
        encoding="utf-8",
    )
    assert result.stdout == (
        "1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t未启动\t\t\t红\n"
        + loaded
        + "\n"
    )


def _taskctl() -> str:
    here = Path(sys.executable).parent / "taskctl"
    return str(here) if here.exists() else require_tool("taskctl", install="pip install -e .")


def test_real_bash_completes_pinyin(tmp_path):
    require_tool("bash", install="apt-get install bash")
    script = (
        'eval "$(taskctl completion bash)"\n'
        "COMP_WORDS=(taskctl list --leader ydc); COMP_CWORD=3\n"
        '_taskctl_completion taskctl; printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMPREPLY=(); COMP_WORDS=(taskctl dept 住); COMP_CWORD=2\n"
        '_taskctl_completion taskctl; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{Path(_taskctl()).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--norc", "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert result.stdout == "于德忱\n住建局\n"


def test_real_fish_completes_pinyin(tmp_path):
    require_tool("fish", install="apt-get install fish")
    script = (
        "taskctl completion fish | source\n"
        'complete -C"taskctl list --leader ydc"\n'
        'complete -C"taskctl dept 住"\n'
    )
    env = {**os.environ, "PATH": f"{Path(_taskctl()).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["fish", "--no-config", "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert result.stdout == "于德忱\tyu de chen\n住建局\n"


ZSH_STUBS = """\
typeset -A compstate
compadd() { print -l -- "${(@P)${@[-1]}}"; }
_describe() { print -l -- "${(@P)3}"; }
compdef() { :; }
eval "$(taskctl completion zsh)"
complete_line() {
    compstate=(); words=("$@"); CURRENT=$#; PREFIX=$words[-1]
    _taskctl_completion; print "insert=${compstate[insert]-unchanged}"
}
complete_line taskctl list --leader ydc
complete_line taskctl dept 住
complete_line taskctl list --leader 张
complete_line taskctl list --leader zh
"""


def test_real_zsh_script_with_stubbed_completion_builtins(tmp_path):
    require_tool("zsh", install="apt-get install zsh")
    # compadd and _describe only work inside a completion widget: stubs print what they get.
    env = {**os.environ, "PATH": f"{Path(_taskctl()).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["zsh", "-f", "-c", ZSH_STUBS],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert result.stdout == (
        "于德忱:yu de chen\ninsert=unchanged\n"
        "住建局\ninsert=unchanged\n"
        "张辉\n张健\ninsert=unchanged\n"
        "张辉:zhang hui\n董力芳:zhong li fang\n张健:zhang jian\n赵玉宇:zhao yu yu\n"
        "insert=automenu\n"
    )


def test_status_and_light_words_match_the_core():
    from taskctl.cli.options import LIGHT_WORDS, STATUS_WORDS
    from taskctl.progress import ALIASES, STATUSES
    from taskctl.tracking import LIGHT_ALIASES, LIGHTS

    assert set(STATUS_WORDS) == set(STATUSES) | set(ALIASES)
    assert set(LIGHT_WORDS) == set(LIGHTS) | set(LIGHT_ALIASES)


@pytest.mark.parametrize(
    ("args", "incomplete", "expected"),
    [
        (["update", "7", "--status"], "zh", ["滞后"]),
        (["list", "--light"], "红", ["红"]),
        (["list", "--status"], "on", ["on-track"]),
    ],
)
def test_status_and_light_complete(args, incomplete, expected):
    from click.shell_completion import ShellComplete

    from taskctl.cli import cli

    completions = ShellComplete(cli, {}, "taskctl", "_TASKCTL_COMPLETE").get_completions(
        args, incomplete
    )
    assert [c.value for c in completions] == expected
