"""Shell completion: ``taskctl completion bash|zsh|fish`` and the callbacks behind name options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from taskctl.cli import cli

if TYPE_CHECKING:
    from pathlib import Path

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_TASKCTL_COMPLETE"


def _file_given(ctx: click.Context) -> Path | None:
    """The --file given earlier on the command line, in this command or its parents."""
    while ctx is not None:
        file = (ctx.params or {}).get("file")
        if file:
            from pathlib import Path

            return Path(file)
        ctx = ctx.parent  # type: ignore[assignment]
    return None


def _items(found: Sequence[Any]) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(c.value, help=c.note.replace("\n", " ") or None) for c in found]


def complete_kind(ctx: click.Context, kind: str, incomplete: str) -> list[Any]:
    """Names of ``kind`` in the list in use; any error gives no completions, never a traceback."""
    from taskctl.completion import candidates, complete
    from taskctl.loader import load

    try:
        return _items(complete(candidates(load(_file_given(ctx)), kind), incomplete))
    except Exception:
        return []


def complete_fixed(words: Sequence[str], incomplete: str) -> list[Any]:
    """A fixed list of words (such as statuses), by prefix, part or pinyin."""
    from taskctl.completion import Candidate, complete

    try:
        return _items(complete([Candidate(w, (w,)) for w in words], incomplete))
    except Exception:
        return []


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


@cli.command("completion")
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

    cls = zsh_completion_class() if shell == "zsh" else get_completion_class(shell)
    script = cls(cli, {}, "taskctl", COMPLETE_VAR)  # type: ignore[misc]
    click.echo(script.source())
