"""Mutation testing for taskctl's core: put one plausible one-line bug in a module at a time,
run the tests that cover it, and report the bugs no test noticed (the survivors).

Not part of CI: it is slow. Usage, from the repository root with the dev venv active::

    python scripts/mutate.py taskctl/names.py taskctl/query.py
    python scripts/mutate.py taskctl/report.py --sample 40 --seed 1 --json out.json

The bugs are the ones people really write: a comparison flipped or off by one (``<`` for
``<=``, ``==`` for ``!=``, ``in`` for ``not in``), ``and`` for ``or``, a dropped ``not``, a
number off by one, a dropped ``normalize()``/``strip()``/``sorted()``…, a dropped call
statement (``os.fsync(fd)``, ``warn(...)``), ``+`` for ``-``. Each mutant is run in a scratch
copy of the repository (the working tree is never touched), ``pytest -x`` on the module's test
files (:data:`TESTS`, or ``--tests``) with a timeout; a failing or timed-out run kills it.
mutmut and cosmic-ray were not used: both rewrite the working tree or need a session database,
and on two shared cores one mutant at a time over chosen test files is what fits.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The test files that exercise each core module (the whole suite is too slow per mutant):
# every module under taskctl/ but the command line (taskctl/cli/), which the CLI tests of
# each module's files run through. test_protected_behaviours.py holds issue 27's behaviours.
PROTECTED = "test_protected_behaviours.py"
SURVIVORS = "test_mutation_survivors.py"  # tests written for the survivors of issue 27's runs
_IMPORT = [
    "test_import_cli.py",
    "test_import_formats.py",
    "test_import_layouts.py",
    "test_import_text.py",
    "test_import_names.py",
    "test_data_roundtrip.py",
    "test_edge_behaviours.py",
    PROTECTED,
    SURVIVORS,
]
TESTS: dict[str, list[str]] = {
    "taskctl/__init__.py": ["test_smoke.py", "test_architecture.py", "test_cli.py"],
    "taskctl/__main__.py": ["test_installed.py", "test_architecture.py"],
    "taskctl/cache.py": [
        "test_cache.py",
        "test_list_facts.py",
        "test_log_cache.py",
        "test_robust_hostile.py",
        PROTECTED,
        SURVIVORS,
    ],
    "taskctl/collect.py": [
        "test_collect.py",
        "test_round.py",
        "test_rounds_cli.py",
        PROTECTED,
        SURVIVORS,
    ],
    "taskctl/completion.py": ["test_completion.py"],
    "taskctl/errors.py": ["test_cli.py", "test_loader.py", "test_robust_answers.py"],
    "taskctl/export.py": [
        "test_export.py",
        "test_export_print.py",
        "test_data_roundtrip.py",
        "test_edge_behaviours.py",
        PROTECTED,
        SURVIVORS,
    ],
    "taskctl/fastyaml.py": ["test_fast_yaml.py", "test_loader.py"],
    "taskctl/filenames.py": ["test_filenames.py"],
    "taskctl/forms.py": ["test_forms.py", "test_collect.py", "test_round.py", PROTECTED, SURVIVORS],
    "taskctl/fsutil.py": [
        "test_fsutil.py",
        "test_robust_disk.py",
        "test_robust_portability.py",
        "test_robust_crash.py",
        "test_edge_behaviours.py",
        "test_progress.py",
    ],
    "taskctl/layout.py": ["test_layout.py", "test_cli.py"],
    "taskctl/loader.py": ["test_loader.py", "test_data.py", "test_edge_behaviours.py", PROTECTED],
    "taskctl/model.py": ["test_loader.py", "test_data_roundtrip.py", "test_list_facts.py"],
    "taskctl/names.py": [
        "test_names.py",
        "test_pinyin.py",
        "test_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/output.py": ["test_output_tsv.py", "test_output_names.py", "test_cli.py"],
    "taskctl/period.py": [
        "test_forms.py",
        "test_collect.py",
        "test_report_periods.py",
        "test_rounds_cli.py",
        PROTECTED,
        SURVIVORS,
    ],
    "taskctl/pinyin.py": ["test_pinyin.py", "test_completion.py"],
    "taskctl/progress/__init__.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/progress/entry.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/progress/store.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/progress/views.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/progress/checks.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/query.py": [
        "test_cli.py",
        "test_edge_behaviours.py",
        "test_completion.py",
        "test_import_cli.py",
        PROTECTED,
        SURVIVORS,
    ],
    "taskctl/remind.py": ["test_remind.py", PROTECTED, SURVIVORS],
    "taskctl/report.py": [
        "test_report.py",
        "test_report_periods.py",
        "test_report_refusals.py",
        "test_edge_behaviours.py",
        PROTECTED,
    ],
    "taskctl/report_docx.py": ["test_report_docx.py", "test_remind.py", PROTECTED, SURVIVORS],
    "taskctl/subitems.py": ["test_subitems.py"],
    "taskctl/tracking.py": [
        "test_tracking.py",
        "test_units.py",
        "test_light_rules.py",
        "test_report.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
    ],
    "taskctl/units.py": ["test_units.py", "test_list_facts.py", "test_progress_cli.py"],
    "taskctl/workdays.py": ["test_workdays.py", "test_reply_status.py"],
    "taskctl/review.py": ["test_review.py", "test_units.py"],
    "taskctl/scoring.py": ["test_scoring.py"],
    "taskctl/validate.py": [
        "test_validate.py",
        "test_edge_behaviours.py",
        "test_data.py",
        "test_robust_answers.py",
        PROTECTED,
    ],
    "taskctl/yamlio.py": ["test_loader.py", "test_fast_yaml.py", "test_cache.py"],
    **{
        f"taskctl/importers/{name}.py": _IMPORT
        for name in (
            "__init__",
            "csv",
            "deadlines",
            "docx",
            "encoding",
            "jsondoc",
            "markdown",
            "paragraphs",
            "plan",
            "roles",
            "split",
            "table",
            "text",
            "xlsx",
        )
    },
}
FLIPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
# Calls whose removal is a plausible slip: the value passes through unchanged.
PASS_THROUGH = {"normalize", "sorted", "strip", "casefold", "lower", "set", "frozenset", "abs"}


@dataclass
class Mutant:
    module: str
    line: int
    kind: str
    before: str
    after: str
    start: int = 0
    end: int = 0
    status: str = ""
    seconds: float = 0.0


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _offsets(source: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def mutants(module: str) -> list[Mutant]:
    """Every mutant of ``module`` (a path relative to the repository root)."""
    source = (ROOT / module).read_bytes()
    tree = ast.parse(source)
    starts = _offsets(source)
    skip = _docstring_nodes(tree)
    found: list[Mutant] = []

    def span(node: ast.AST) -> tuple[int, int]:
        # ast columns are UTF-8 byte offsets: slice the bytes, not the text
        return (
            starts[node.lineno - 1] + node.col_offset,
            starts[node.end_lineno - 1] + node.end_col_offset,  # type: ignore[operator]
        )

    def add(node: ast.AST, kind: str, replacement: str) -> None:
        start, end = span(node)
        before = source[start:end].decode("utf-8")
        if replacement != before:
            found.append(Mutant(module, node.lineno, kind, before, replacement, start, end))

    def annotation_ids() -> set[int]:
        ids: set[int] = set()
        for node in ast.walk(tree):
            for attr in ("annotation", "returns"):
                sub = getattr(node, attr, None)
                if isinstance(sub, ast.AST):
                    ids.update(id(n) for n in ast.walk(sub))
        return ids

    in_annotation = annotation_ids()
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in in_annotation:
            continue
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in FLIPS:
                    changed = copy.deepcopy(node)
                    changed.ops[index] = FLIPS[type(op)]()
                    add(node, f"{type(op).__name__}→{FLIPS[type(op)].__name__}", _expr(changed))
        elif isinstance(node, ast.BoolOp):
            changed = copy.deepcopy(node)
            changed.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(node, "and↔or", _expr(changed))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(node, "drop not", _expr(node.operand))
        elif (
            isinstance(node, ast.Constant)
            and type(node.value) is int
            and not isinstance(node.value, bool)
        ):
            add(node, "number+1", str(node.value + 1))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            if not (_numeric(node.left) or _numeric(node.right)):
                continue  # text or lists joined: "a" - "b" is no plausible slip
            changed = copy.deepcopy(node)
            changed.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
            add(node, "+↔-", _expr(changed))
        elif isinstance(node, ast.Call) and len(node.args) <= 1 and not node.keywords:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if isinstance(node.func, ast.Name):
                name = node.func.id
            if name in PASS_THROUGH:
                inner = node.args[0] if node.args else getattr(node.func, "value", None)
                if inner is not None:
                    add(node, f"drop {name}()", _expr(inner))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            add(node, "drop call", "pass")
    found.sort(key=lambda m: (m.start, m.kind))
    return found


def _numeric(node: ast.AST) -> bool:
    """A number or a timedelta: where + and - are both meaningful."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    return isinstance(node, ast.Call) and "timedelta" in ast.unparse(node.func)


def _expr(node: ast.AST) -> str:
    return f"({ast.unparse(node)})"


def scratch_copy() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="taskctl-mutate-"))
    ignore = shutil.ignore_patterns(
        ".git", ".venv", ".hypothesis", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"
    )
    for name in ("taskctl", "tests", "data", "examples", "README.md", "pyproject.toml"):
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, folder / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, folder / name)
    probe = subprocess.run(
        [sys.executable, "-c", "import taskctl; print(taskctl.__file__)"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=True,
    )
    if not probe.stdout.startswith(str(folder)):  # the tests would not see the mutants
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit(f"the scratch copy is not the taskctl imported: {probe.stdout}")
    return folder


def run_tests(folder: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    args += ["-o", "addopts=", *(f"tests/{t}" for t in tests)]
    began = time.monotonic()
    try:
        result = subprocess.run(
            args, cwd=folder, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - began
    status = {0: "survived", 1: "killed"}.get(result.returncode, f"error {result.returncode}")
    return status, time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", help="e.g. taskctl/names.py")
    parser.add_argument("--tests", nargs="*", help="test files (under tests/) instead of TESTS")
    parser.add_argument("--sample", type=int, default=0, help="at most N mutants per module")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write every mutant and its fate here")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    options = parser.parse_args()

    results: list[Mutant] = []
    folder = None if options.list else scratch_copy()
    try:
        for module in options.modules:
            found = mutants(module)
            if options.sample and len(found) > options.sample:
                found = sorted(
                    random.Random(options.seed).sample(found, options.sample),
                    key=lambda m: m.start,
                )
            if options.list:
                for m in found:
                    print(f"{m.module}:{m.line}\t{m.kind}\t{m.before!r} → {m.after!r}")
                continue
            assert folder is not None
            tests = options.tests or TESTS.get(module)
            if not tests:
                print(f"{module}: no test files known; give --tests", file=sys.stderr)
                return 2
            target = folder / module
            original = target.read_bytes()
            status, baseline = run_tests(folder, tests, timeout=600)
            if status != "survived":
                print(f"{module}: the tests fail without any mutant ({status})", file=sys.stderr)
                return 2
            timeout = baseline * 3 + 10
            print(f"{module}: {len(found)} mutants, tests {baseline:.1f} s", file=sys.stderr)
            for number, m in enumerate(found, 1):
                target.write_bytes(original[: m.start] + m.after.encode() + original[m.end :])
                try:
                    m.status, m.seconds = run_tests(folder, tests, timeout)
                finally:
                    target.write_bytes(original)
                results.append(m)
                mark = "" if m.status == "killed" else "  <--"
                print(
                    f"[{number}/{len(found)}] {m.module}:{m.line} {m.kind}: {m.status}{mark}",
                    file=sys.stderr,
                )
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if options.list:
        return 0
    print(report(results))
    if options.json:
        options.json.write_text(
            json.dumps([asdict(m) for m in results], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


def report(results: list[Mutant]) -> str:
    """A Markdown table of the figures per module, then every survivor."""
    lines = ["| module | mutants | killed | survived | survival |", "|---|---:|---:|---:|---:|"]
    modules = list(dict.fromkeys(m.module for m in results))
    for module in [*modules, "total"]:
        group = [m for m in results if module in (m.module, "total")]
        alive = sum(m.status == "survived" for m in group)
        share = f"{100 * alive / len(group):.0f} %" if group else "–"
        lines.append(f"| {module} | {len(group)} | {len(group) - alive} | {alive} | {share} |")
    survivors = [m for m in results if m.status == "survived"]
    if survivors:
        lines += ["", "Survivors:", ""]
        lines += [
            f"- `{m.module}:{m.line}` {m.kind}: `{m.before}` → `{m.after}`" for m in survivors
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
