"""The README's tour is real: every ```console block is run and must print exactly what it shows.

Commands run in order in a scratch folder holding copies of data/, tests/fixtures/ and examples/,
so a block may build on the one before. Blocks fenced as ```console terminal run in a real
pseudo-terminal (80 columns wide would wrap, so 100), as a clerk would see them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def console_commands():
    commands = []
    text = README.read_text(encoding="utf-8")
    for info, block in re.findall(r"```console([^\n]*)\n(.*?)```", text, flags=re.S):
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:], [], "terminal" in info)
                commands.append(current)
            elif current is not None:
                current[1].append(line)
    return [(cmd, "\n".join(lines) + "\n" if lines else "", tty) for cmd, lines, tty in commands]


COMMANDS = console_commands()


def word_attachment(path: Path) -> None:
    """The clerk's Word file for the tour: the official rows as a Word table under a 2024 title."""
    import docx

    rows, cells = [], []
    for line in (
        (ROOT / "tests" / "fixtures" / "2023-task-list.txt").read_text(encoding="utf-8").split("\n")
    ):
        if not line:
            rows, cells = (rows + [cells], []) if cells else (rows, cells)
        elif line.startswith("\t"):
            cells.append(line[1:])
        else:
            cells[-1] += "\n" + line
    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("2024年《政府工作报告》工作任务分解清单")
    body = [row for row in rows[2:]]
    table = document.add_table(rows=len(body), cols=5)
    for r, row in enumerate(body):
        if len(row) == 1:
            table.cell(r, 0).merge(table.cell(r, 4)).text = row[0]
            continue
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    for name in ("data", "tests/fixtures", "examples"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, folder / name)
    word_attachment(folder / "2024年任务清单.docx")
    return folder


def run(command: str, folder: Path, terminal: bool) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKCTL_")}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        COLUMNS="100",
        LINES="50",
        NO_COLOR="1",
        TERM="xterm",
    )
    env["TASKCTL_CACHE_DIR"] = str(folder / ".cache")
    args = ["script", "-qec", command, "/dev/null"] if terminal else ["bash", "-c", command]
    # stdout and stderr in one stream, in the order a clerk sees them.
    result = subprocess.run(
        args,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    out = result.stdout
    return out.replace("\r\n", "\n") if terminal else out


def test_readme_has_a_tour():
    assert len(COMMANDS) >= 10


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for terminal output")
def test_every_console_block_prints_what_it_shows(sandbox):
    failures = []
    for command, expected, terminal in COMMANDS:
        got = run(command, sandbox, terminal)
        if got != expected:
            failures.append(f"$ {command}\n--- README\n{expected}--- actual\n{got}")
    assert not failures, "\n\n".join(failures)
