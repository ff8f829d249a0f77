"""The shape of the code: imports run one way, the core knows nothing of the terminal, and each
command pays only for what it uses."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest

from taskctl.cli import COMMANDS, cli

PACKAGE = Path(__file__).resolve().parent.parent / "taskctl"
TERMINAL_LIBRARIES = {"click", "rich"}
# The terminal side: the command line and the one output module (rich lives there, lazily).
PRESENTATION = ("taskctl.cli", "taskctl.output", "taskctl.__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Every module ``name`` imports, at the top or inside a function (lazy imports count: they
    run too), as full dotted names; ``from package import module`` names the module."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                base = ".".join(parent[: len(parent) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


def internal_graph() -> dict[str, set[str]]:
    # A module's own package runs before it: that edge is Python's, not a design choice.
    return {
        name: {m for m in imports_of(name) if m in MODULES and not name.startswith(m + ".")}
        for name in MODULES
    }


def test_the_import_graph_has_no_cycles():
    graph = internal_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_core_imports_neither_the_command_line_nor_terminal_libraries():
    assert len(MODULES) > 30  # the walk found the package
    for name in MODULES:
        if any(name == p or name.startswith(p + ".") for p in PRESENTATION):
            continue
        imported = imports_of(name)
        terminal = {m for m in imported if m.split(".")[0] in TERMINAL_LIBRARIES}
        cli = {m for m in imported if m == "taskctl.cli" or m.startswith("taskctl.cli.")}
        assert not terminal, f"{name} imports {sorted(terminal)}"
        assert not cli, f"{name} imports {sorted(cli)}"


def test_command_modules_import_only_the_options_and_the_core():
    command_modules = {f"taskctl.cli.{module}" for module, _, _ in COMMANDS.values()}
    assert command_modules <= set(MODULES)
    for name in command_modules:
        cli_imports = {m for m in imports_of(name) if m.startswith("taskctl.cli")}
        assert cli_imports <= {"taskctl.cli.options"}, f"{name} imports {sorted(cli_imports)}"
    options = {m for m in imports_of("taskctl.cli.options") if m.startswith("taskctl.cli")}
    assert options == {"taskctl.cli.state"}  # the one flag main() sets


def test_options_spell_the_output_formats_as_the_output_module_does():
    from taskctl import output
    from taskctl.cli import options

    assert options.FORMATS == output.FORMATS  # spelled twice so --help need not import output


def test_the_command_table_finds_every_command_and_its_own_summary():
    ctx = click.Context(cli)
    for name, (_, _, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        first_line = (command.help or "").strip().splitlines()[0]
        assert summary == first_line, name
    assert cli.get_command(ctx, "no-such-command") is None


def _modules_after(*args: str, cwd: Path | None = None) -> set[str]:
    """The taskctl and library modules a fresh ``taskctl ARGS`` process has imported."""
    code = (
        "import sys\n"
        "from taskctl.cli import cli\n"
        f"try:\n    cli.main({list(args)!r}, prog_name='taskctl')\n"
        "except SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=cwd,
    ).stdout
    return set(out.rpartition("MODULES ")[2].split())


def test_help_imports_no_command_and_no_core():
    loaded = _modules_after("--help")
    taskctl_modules = {m for m in loaded if m.startswith("taskctl")}
    assert taskctl_modules == {"taskctl", "taskctl.cli", "taskctl.cli.state", "taskctl.cli.text"}
    assert not {"yaml", "rich", "tabulate", "openpyxl", "pathlib"} & loaded


def test_list_imports_neither_the_report_nor_office_files():
    loaded = _modules_after("list", "--leader", "于德忱", "--format", "tsv")
    assert "taskctl.cli.queries" in loaded
    for absent in (
        "taskctl.cli.progress",
        "taskctl.cli.data",
        "taskctl.report",
        "taskctl.export",
        "openpyxl",
        "docx",
        "rich",
    ):
        assert absent not in loaded, absent


def test_a_mistyped_command_gets_a_suggestion(runner):
    result = runner.invoke(cli, ["lst"])
    assert result.exit_code == 2
    assert "错误：没有命令「lst」；是不是想写 taskctl list？" in result.stderr
    result = runner.invoke(cli, ["xyz"])
    assert result.exit_code == 2
    assert "错误：没有命令「xyz」；用 taskctl --help 查看全部命令。" in result.stderr


def test_a_warm_list_with_a_log_never_imports_yaml(tmp_path):
    """Decoding the log's bytes must not cost the YAML library (bench: list --leader)."""
    import shutil

    from tests.conftest import BUNDLED, ROOT

    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    shutil.copy(ROOT / "examples" / "sample-progress.jsonl", tmp_path / "data" / "progress.jsonl")
    args = ("list", "--leader", "于德忱", "--format", "tsv")
    first = _modules_after(*args, cwd=tmp_path)
    assert "yaml_rs" in first  # the first run parses the list (the fast parser takes it)
    assert "yaml" not in first  # PyYAML only when the fast parser is in doubt
    again = _modules_after(*args, cwd=tmp_path)
    assert "yaml" not in again and "yaml_rs" not in again  # then the cache serves it


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["remind", "--as-of", "2023-07-02"], "催办.docx"),
        (["forms", "--week", "2023-W26"], "填报.xlsx"),
    ],
)
def test_a_folder_option_refuses_a_file_name(runner, command, name, tmp_path):
    result = runner.invoke(cli, [*command, "--dir", name])
    assert result.exit_code == 2
    stem = name.split(".")[0]
    assert (
        f"「{name}」像是文件名；这里要写一个文件夹（没有则新建），如 --dir {stem}/" in result.stderr
    )
    assert list(tmp_path.iterdir()) == []  # no folder named like a document
