"""Shell completion: ``taskctl completion bash|zsh|fish`` (the callbacks behind name options
live in :mod:`taskctl.cli.options`)."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_TASKCTL_COMPLETE"


_ZSH_ANCHOR = '    if [ -n "$completions_with_descriptions" ]; then'
_ZSH_MENU = """\
    # Pinyin (zh) may stand for names sharing no prefix with it: zsh would erase the word, so
    # cycle through the names instead.
    local -a all=("${completions[@]}" "${completions_with_descriptions[@]%%%%:*}")
    if (( ${#all} > 1 )) && [[ -n "$PREFIX" ]] && (( ${#${(M)all:#${PREFIX}*}} < ${#all} )); then
        compstate[insert]=automenu
    fi

"""


def zsh_completion_class() -> type:
    """Click's zsh script, but ambiguous pinyin starts menu completion instead of erasing."""
    from click.shell_completion import ZshComplete

    class PinyinZshComplete(ZshComplete):
        source_template = ZshComplete.source_template.replace(
            _ZSH_ANCHOR, _ZSH_MENU + _ZSH_ANCHOR, 1
        )

    return PinyinZshComplete


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion_command(shell: str) -> None:
    """打印 bash、zsh 或 fish 的命令补全脚本。

    补全命令、选项、格式，以及所用清单中的责任领导、部门、统称和部分。

    名字可先打汉字开头，也可打拼音全拼或首字母（ydc → 于德忱）。安装方法见 README。

    \b
    示例：
      eval "$(taskctl completion bash)"
      taskctl completion zsh > ~/.zfunc/_taskctl
      taskctl completion fish > ~/.config/fish/completions/taskctl.fish
    """
    from click.shell_completion import get_completion_class

    root = click.get_current_context().find_root().command
    cls = zsh_completion_class() if shell == "zsh" else get_completion_class(shell)
    script = cls(root, {}, "taskctl", COMPLETE_VAR)  # type: ignore[misc]
    click.echo(script.source())
