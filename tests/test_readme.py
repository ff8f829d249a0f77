"""The README and the docs/ pages are real: every ```console block is run and must print exactly
what it shows.

Each page runs in a scratch folder of its own holding copies of data/, tests/fixtures/ and
examples/; its commands run in order, so a block may build on the one before. Blocks fenced as
```console terminal run in a real pseudo-terminal 100 columns wide, as a clerk would see them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_tool, taskctl_env

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]


def console_commands(page: Path = README):
    commands = []
    text = page.read_text(encoding="utf-8")
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
    table = document.add_table(rows=0, cols=5)
    for row in rows[2:]:
        # a row at a time: table.cell(r, c) walks the whole grid on each call (seconds here)
        cells = table.add_row().cells
        if len(row) == 1:
            cells[0].merge(cells[4]).text = row[0]
            continue
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
    document.save(str(path))


def sandbox(tmp_path_factory, page: Path = README):
    folder = tmp_path_factory.mktemp("readme")
    for name in ("data", "tests/fixtures", "examples"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, folder / name)
    if "2024年任务清单.docx" in page.read_text(encoding="utf-8"):
        word_attachment(folder / "2024年任务清单.docx")
    if "2019年分解表.docx" in page.read_text(encoding="utf-8"):  # docs/import.md: another layout
        from layouts import district_docx

        district_docx(folder / "2019年分解表.docx")
    if "2024年目标任务.docx" in page.read_text(encoding="utf-8"):  # docs/import.md: round 2
        from layouts import goals_docx

        goals_docx(folder / "2024年目标任务.docx")
    return folder


def run(command: str, folder: Path, terminal: bool) -> str:
    env = taskctl_env(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        COLUMNS="100",
        LINES="50",
        NO_COLOR="1",
        TERM="xterm",
    )
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
    assert len(COMMANDS) >= 6
    assert sum(len(console_commands(page)) for page in PAGES) >= 30


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_console_block_prints_what_it_shows(page, tmp_path_factory):
    commands = console_commands(page)
    if any(terminal for _, _, terminal in commands):
        require_tool("script", install="apt-get install bsdutils")
    folder = sandbox(tmp_path_factory, page)
    failures = []
    for command, expected, terminal in commands:
        got = run(command, folder, terminal)
        if got != expected:
            failures.append(f"$ {command}\n--- {page.name}\n{expected}--- actual\n{got}")
    assert not failures, "\n\n".join(failures)


def test_the_readme_stays_short_and_links_every_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 8 * 1024
    for page in PAGES[1:]:
        assert f"docs/{page.name}" in text, page.name
