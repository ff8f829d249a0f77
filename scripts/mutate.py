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
    "test_mutants_importers_docs.py",
    "test_mutants_importers_roles.py",
    "test_mutants_importers_split.py",
    "test_mutants_importers_table.py",
    "test_mutants_importers_text.py",
    "test_mutants_importers_xlsx.py",
]
TESTS: dict[str, list[str]] = {
    "taskctl/__init__.py": [
        "test_smoke.py",
        "test_architecture.py",
        "test_cli.py",
        "test_mutants_core.py",
    ],
    "taskctl/__main__.py": ["test_installed.py", "test_architecture.py"],
    "taskctl/cache.py": [
        "test_cache.py",
        "test_list_facts.py",
        "test_log_cache.py",
        "test_robust_hostile.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_core.py",
    ],
    "taskctl/collect.py": [
        "test_collect.py",
        "test_round.py",
        "test_rounds_cli.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_round.py",
    ],
    "taskctl/completion.py": ["test_completion.py", "test_mutants_core.py"],
    "taskctl/errors.py": [
        "test_cli.py",
        "test_loader.py",
        "test_robust_answers.py",
        "test_mutants_core.py",
    ],
    "taskctl/export.py": [
        "test_export.py",
        "test_export_print.py",
        "test_data_roundtrip.py",
        "test_edge_behaviours.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_export.py",
    ],
    "taskctl/fastyaml.py": ["test_fast_yaml.py", "test_loader.py", "test_mutants_core.py"],
    "taskctl/filenames.py": ["test_filenames.py", "test_mutants_core.py"],
    "taskctl/forms.py": [
        "test_forms.py",
        "test_collect.py",
        "test_round.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_round.py",
        "test_mutants_forms.py",
    ],
    "taskctl/fsutil.py": [
        "test_fsutil.py",
        "test_robust_disk.py",
        "test_robust_portability.py",
        "test_robust_crash.py",
        "test_edge_behaviours.py",
        "test_progress.py",
        "test_mutants_core.py",
    ],
    "taskctl/layout.py": ["test_layout.py", "test_cli.py", "test_mutants_core.py"],
    "taskctl/loader.py": [
        "test_loader.py",
        "test_data.py",
        "test_edge_behaviours.py",
        PROTECTED,
        "test_mutants_loader.py",
    ],
    "taskctl/model.py": [
        "test_loader.py",
        "test_data_roundtrip.py",
        "test_list_facts.py",
        "test_mutants_core.py",
    ],
    "taskctl/names.py": [
        "test_names.py",
        "test_pinyin.py",
        "test_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_core.py",
    ],
    "taskctl/output.py": [
        "test_output_tsv.py",
        "test_output_names.py",
        "test_cli.py",
        "test_mutants_output.py",
    ],
    "taskctl/period.py": [
        "test_forms.py",
        "test_collect.py",
        "test_report_periods.py",
        "test_rounds_cli.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_period.py",
    ],
    "taskctl/pinyin.py": ["test_pinyin.py", "test_completion.py", "test_mutants_core.py"],
    "taskctl/progress/__init__.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_progress.py",
    ],
    "taskctl/progress/entry.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_progress.py",
    ],
    "taskctl/progress/store.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_progress.py",
    ],
    "taskctl/progress/views.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_progress.py",
    ],
    "taskctl/progress/checks.py": [
        "test_progress.py",
        "test_log_cache.py",
        "test_log_records.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_progress.py",
    ],
    "taskctl/query.py": [
        "test_cli.py",
        "test_edge_behaviours.py",
        "test_completion.py",
        "test_import_cli.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_query.py",
    ],
    "taskctl/remind.py": ["test_remind.py", PROTECTED, SURVIVORS, "test_mutants_round.py"],
    "taskctl/report.py": [
        "test_report.py",
        "test_report_periods.py",
        "test_report_refusals.py",
        "test_edge_behaviours.py",
        PROTECTED,
        "test_mutants_report.py",
    ],
    "taskctl/report_docx.py": [
        "test_report_docx.py",
        "test_remind.py",
        PROTECTED,
        SURVIVORS,
        "test_mutants_report_docx.py",
    ],
    "taskctl/subitems.py": ["test_subitems.py", "test_mutants_subitems.py"],
    "taskctl/tracking.py": [
        "test_tracking.py",
        "test_units.py",
        "test_light_rules.py",
        "test_report.py",
        "test_progress_cli.py",
        "test_edge_behaviours.py",
        "test_mutants_tracking.py",
    ],
    "taskctl/units.py": [
        "test_units.py",
        "test_list_facts.py",
        "test_progress_cli.py",
        "test_mutants_units.py",
    ],
    "taskctl/workdays.py": ["test_workdays.py", "test_reply_status.py", "test_mutants_workdays.py"],
    "taskctl/review.py": ["test_review.py", "test_units.py", "test_mutants_review.py"],
    "taskctl/scoring.py": ["test_scoring.py", "test_mutants_scoring.py"],
    "taskctl/validate.py": [
        "test_validate.py",
        "test_edge_behaviours.py",
        "test_data.py",
        "test_robust_answers.py",
        PROTECTED,
        "test_mutants_validate.py",
    ],
    "taskctl/yamlio.py": [
        "test_loader.py",
        "test_fast_yaml.py",
        "test_cache.py",
        "test_mutants_core.py",
    ],
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
    end_line: int = 0
    tests: int = 0  # how many tests ran it; -1: the module's files; 0: no test runs its lines


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
            found.append(
                Mutant(
                    module,
                    node.lineno,
                    kind,
                    before,
                    replacement,
                    start,
                    end,
                    end_line=node.end_lineno or node.lineno,
                )
            )

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
    """The repository without its history, venv and caches, in a folder of its own: every test
    file finds what it reads (bench/, scripts/, docs/), and the working tree is never touched."""
    folder = Path(tempfile.mkdtemp(prefix="taskctl-mutate-"))
    ignore = shutil.ignore_patterns(
        ".git", ".venv", ".hypothesis", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"
    )
    for path in ROOT.iterdir():
        if path.name in (".git", ".venv") or path.name.startswith(".coverage"):
            continue
        if path.is_dir():
            shutil.copytree(path, folder / path.name, ignore=ignore)
        else:
            shutil.copy2(path, folder / path.name)
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
    # Compiled once, never checked against the source (a mutant of the same length written in
    # the same second would pass an mtime check): the mutated module's own bytecode is removed
    # before each run, and the runs write none (PYTHONDONTWRITEBYTECODE), so it is compiled
    # from the file each time. Compiling everything at each run tripled a short run's time.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j0", "--invalidation-mode", "unchecked-hash"]
        + ["taskctl", "tests"],
        cwd=folder,
        capture_output=True,
        check=True,
    )
    # pytest's own rewritten test modules, written once by collecting everything with bytecode
    # on (a short run spent half its time rewriting the test files it imports)
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"],
        cwd=folder,
        env={**warm, "PYTHONPATH": str(folder)},
        capture_output=True,
        check=False,
    )
    return folder


def _drop_bytecode(source: Path) -> None:
    for compiled in (source.parent / "__pycache__").glob(f"{source.stem}.*.pyc"):
        compiled.unlink()


def run_tests(folder: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    """``pytest -x`` on ``tests`` (files under tests/, or node ids) in ``folder``."""
    env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    args += ["-o", "addopts=", *(t if "::" in t else f"tests/{t}" for t in tests)]
    began = time.monotonic()
    try:
        result = subprocess.run(
            args, cwd=folder, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - began
    status = {0: "survived", 1: "killed"}.get(result.returncode, f"error {result.returncode}")
    if result.returncode in (2, 3, 4) and b"ERROR collecting" in result.stdout:
        status = "killed"  # the mutant broke a test module's import (pytest then says 2 or 4)
    return status, time.monotonic() - began


# --- Which tests run each line: one run of the whole suite under coverage ------------------
#
# A mutant is run against the tests that execute its lines, fastest first, not against a list
# of files: far fewer tests, and every test that could notice it, whatever file it is in.
# Subprocesses a test starts are measured too, under the test's name (see _mutate_context.py).
# A line run only outside any test (at import, while pytest collects) falls back to the
# module's files in TESTS. A line no test runs at all is a survivor without a run: no test can
# notice a change in code that never runs. The map is pessimistic where a result is cached
# across tests (only the first test runs the line), never optimistic.

COVERAGE_RC = """\
[run]
source = taskctl
patch = subprocess
parallel = true
context = ${MUTATE_TEST-}
"""


def build_map(path: Path) -> None:
    """Run the whole suite once under coverage, with each test as its context, and write which
    tests run each line of each module, and how long each test took, to ``path`` (JSON)."""
    import xml.etree.ElementTree as ElementTree

    from coverage import CoverageData  # pip install pytest-cov (not a test dependency)

    folder = scratch_copy()
    try:
        (folder / ".covrc").write_text(COVERAGE_RC, encoding="utf-8")
        junit = folder / "junit.xml"
        env = {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{folder / 'scripts'}"}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("MUTATE_TEST", None)
        args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]
        args += ["-p", "_mutate_context"]  # subprocesses name their test: see the plugin
        args += ["--cov=taskctl", "--cov-config=.covrc", "--cov-context=test", "--cov-report="]
        args += [f"--junitxml={junit}"]
        print("running the whole suite under coverage…", file=sys.stderr)
        subprocess.run(args, cwd=folder, env=env, check=False)
        durations = _durations(ElementTree.parse(junit).getroot())
        data = CoverageData(basename=str(folder / ".coverage"))
        data.read()
        lines: dict[str, dict[str, list[str]]] = {}
        for filename in data.measured_files():
            module = Path(filename).resolve().relative_to(folder.resolve()).as_posix()
            by_line = data.contexts_by_lineno(filename)
            lines[module] = {
                str(n): sorted({c.split("|")[0] for c in contexts})
                for n, contexts in by_line.items()
            }
        path.write_text(
            json.dumps({"lines": lines, "durations": durations}, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _durations(root) -> dict[str, float]:
    """Seconds per test node id, from pytest's JUnit XML (classname is the dotted module path,
    then any test class)."""
    found: dict[str, float] = {}
    for case in root.iter("testcase"):
        parts = case.get("classname", "").split(".")
        for cut in range(len(parts), 0, -1):
            if (ROOT / Path(*parts[:cut])).with_suffix(".py").exists():
                node = "/".join(parts[:cut]) + ".py"
                node = "::".join([node, *parts[cut:], case.get("name", "")])
                found[node] = float(case.get("time", 0))
                break
    return found


def covering_tests(coverage: dict, m: Mutant) -> list[str] | None:
    """The node ids of the tests that run the mutant's lines, fastest first; ``None`` when its
    lines run only outside any test (at import): then the module's test files."""
    by_line = coverage["lines"].get(m.module, {})
    contexts: set[str] = set()
    for line in range(m.line, m.end_line + 1):
        contexts.update(by_line.get(str(line), []))
    if contexts == {""}:
        return None
    contexts.discard("")
    durations = coverage["durations"]
    # A parametrized test by its function: pytest escapes the ids of its cases, and an id with
    # "::", "/" or a newline in it is not found when given back on the command line.
    took: dict[str, float] = {}
    for node in contexts:
        function = node.split("[", 1)[0]
        took[function] = took.get(function, 0.0) + durations.get(node, 5.0)
    return sorted(took, key=lambda node: (took[node], node))


def only_within(tests: list[str], files: list[str]) -> list[str]:
    """The node ids of ``tests`` in the test files ``files`` (names under tests/)."""
    wanted = {f"tests/{name}" for name in files}
    return [test for test in tests if test.split("::", 1)[0] in wanted]


def _took(coverage: dict, test: str) -> float:
    """Seconds a test (every case of a parametrized one) took in the map's run."""
    if "functions" not in coverage:
        functions: dict[str, float] = {}
        for node, seconds in coverage["durations"].items():
            function = node.split("[", 1)[0]
            functions[function] = functions.get(function, 0.0) + seconds
        coverage["functions"] = functions
    return coverage["functions"].get(test, 5.0)


# --- Running -------------------------------------------------------------------------------


def _key(m: Mutant) -> str:
    return f"{m.module}:{m.start}:{m.end}:{m.after}"


def _work(folder: Path, jobs: list[tuple[Mutant, list[str], float]], out, lock) -> None:
    """Run each job's mutant in ``folder`` (a scratch copy of this worker's own)."""
    for m, tests, timeout in jobs:
        target = folder / m.module
        _drop_bytecode(target)
        original = target.read_bytes()
        target.write_bytes(original[: m.start] + m.after.encode() + original[m.end :])
        try:
            m.status, m.seconds = run_tests(folder, tests, timeout)
        finally:
            target.write_bytes(original)
        with lock:
            out(m)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="e.g. taskctl/names.py (default: every one)")
    parser.add_argument("--tests", nargs="*", help="test files (under tests/) instead of TESTS")
    parser.add_argument("--sample", type=int, default=0, help="at most N mutants per module")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write every mutant and its fate here")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument(
        "--build-map", type=Path, metavar="MAP", help="run the suite under coverage, write MAP"
    )
    parser.add_argument("--map", type=Path, help="run each mutant on the tests that run its lines")
    parser.add_argument(
        "--results",
        type=Path,
        help="append each mutant's fate here (JSON lines) as it is known; mutants already in "
        "it are not run again",
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants run side by side")
    parser.add_argument(
        "--cheapest-first",
        action="store_true",
        help="run the mutants whose tests took least time first, whatever their module "
        "(with little time, the most mutants get measured)",
    )
    parser.add_argument(
        "--rerun-survivors",
        action="store_true",
        help="run again the mutants --results holds as survivors (the newest record counts)",
    )
    parser.add_argument(
        "--rerun-timeouts",
        action="store_true",
        help="run again the mutants --results holds as timed out (a busy machine can time out "
        "a run that would pass: a timeout counts as killed)",
    )
    parser.add_argument(
        "--also",
        nargs="*",
        default=[],
        help="test files (under tests/) run with every mutant besides those the map gives: "
        "new tests, which the map does not know yet",
    )
    parser.add_argument(
        "--within",
        nargs="*",
        default=[],
        help="with --rerun-survivors and --map: run a survivor only on the tests of these files "
        "(under tests/) that run its lines; one they do not run keeps its record. For survivors "
        "of every older test, tried on the tests written since",
    )
    options = parser.parse_args()

    if options.build_map:
        build_map(options.build_map)
        return 0
    modules = options.modules or list(TESTS)
    found_all: list[Mutant] = []
    for module in modules:
        found = mutants(module)
        if options.sample and len(found) > options.sample:
            found = sorted(
                random.Random(options.seed).sample(found, options.sample), key=lambda m: m.start
            )
        found_all += found
    if options.list:
        for m in found_all:
            print(f"{m.module}:{m.line}\t{m.kind}\t{m.before!r} → {m.after!r}")
        return 0

    coverage = json.loads(options.map.read_text(encoding="utf-8")) if options.map else None
    done: dict[str, Mutant] = {}
    if options.results and options.results.exists():
        for line in options.results.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = Mutant(**json.loads(line))
                done[_key(record)] = record
    results: list[Mutant] = []
    jobs: list[tuple[Mutant, list[str], float]] = []
    for m in found_all:
        rerun = (SURVIVED if options.rerun_survivors else ()) + (
            ("timeout",) if options.rerun_timeouts else ()
        )
        if _key(m) in done and done[_key(m)].status not in rerun:
            results.append(done[_key(m)])
            continue
        files = options.tests or TESTS.get(m.module)
        if not files:
            print(f"{m.module}: no test files known; give --tests", file=sys.stderr)
            return 2
        tests: list[str] | None = None
        if coverage is not None and not options.tests:
            tests = covering_tests(coverage, m)
            if options.within and _key(m) in done:
                if tests is None:  # run at import only: the module's files among them
                    files = [name for name in files if name in options.within]
                else:
                    tests = only_within(tests, options.within)
                if not (files if tests is None else tests):
                    results.append(done[_key(m)])
                    continue
            if tests is not None:
                tests = [*options.also, *tests]
            if tests == []:
                m.status, m.tests = "not run by any test", 0
                results.append(m)
                continue
        if tests is None:
            m.tests = -1
            timeout = 900.0
            tests = list(dict.fromkeys([*options.also, *files]))
        else:
            m.tests = len(tests)
            timeout = 3 * sum(_took(coverage, t) for t in tests) + 30
        jobs.append((m, tests, timeout))
    if options.cheapest_first:
        jobs.sort(key=lambda job: job[2])  # the timeout grows with the tests' time
    print(f"{len(found_all)} mutants: {len(results)} known, {len(jobs)} to run", file=sys.stderr)

    import threading

    lock = threading.Lock()
    counter = [0]
    log = options.results.open("a", encoding="utf-8") if options.results else None
    if log is not None:  # the fates known without a run: lines no test runs
        for m in results:
            if m.status == "not run by any test" and _key(m) not in done:
                log.write(json.dumps(asdict(m), ensure_ascii=False) + "\n")
        log.flush()

    def out(m: Mutant) -> None:
        counter[0] += 1
        results.append(m)
        if log is not None:
            log.write(json.dumps(asdict(m), ensure_ascii=False) + "\n")
            log.flush()
        mark = "" if m.status in ("killed", "timeout") else "  <--"
        print(
            f"[{counter[0]}/{len(jobs)}] {m.module}:{m.line} {m.kind} ({m.seconds:.1f} s, "
            f"{m.tests if m.tests >= 0 else 'files'}): {m.status}{mark}",
            file=sys.stderr,
        )

    folders = [scratch_copy() for _ in range(max(1, min(options.jobs, len(jobs))))] if jobs else []
    try:
        if folders:
            status, _ = run_tests(folders[0], ["test_smoke.py"], timeout=600)
            if status != "survived":
                print(f"the tests fail without any mutant ({status})", file=sys.stderr)
                return 2
        threads = [
            threading.Thread(target=_work, args=(folder, jobs[index :: len(folders)], out, lock))
            for index, folder in enumerate(folders)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        if log is not None:
            log.close()
    results.sort(key=lambda m: (modules.index(m.module), m.start, m.after))
    print(report(results))
    if options.json:
        options.json.write_text(
            json.dumps([asdict(m) for m in results], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


SURVIVED = ("survived", "not run by any test")


def report(results: list[Mutant]) -> str:
    """A Markdown table of the figures per module, then every survivor. A mutant no test runs
    is a survivor; a run that ended in pytest's own error with no test module failing to import
    (interrupted, internal, usage, nothing collected) is listed apart, to be looked into, and
    counted as neither."""
    lines = [
        "| module | mutants | killed | survived | not run by any test | survival |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    modules = list(dict.fromkeys(m.module for m in results))
    odd = [m for m in results if m.status.startswith("error")]
    for module in [*modules, "total"]:
        group = [m for m in results if module in (m.module, "total") and m not in odd]
        alive = sum(m.status in SURVIVED for m in group)
        unrun = sum(m.status == SURVIVED[1] for m in group)
        share = f"{100 * alive / len(group):.0f} %" if group else "–"
        lines.append(
            f"| {module} | {len(group)} | {len(group) - alive} | {alive - unrun} | {unrun} "
            f"| {share} |"
        )
    survivors = [m for m in results if m.status in SURVIVED]
    if survivors:
        lines += ["", "Survivors:", ""]
        lines += [
            f"- `{m.module}:{m.line}` {m.kind}: `{m.before}` → `{m.after}`"
            + (" (no test runs it)" if m.status == SURVIVED[1] else "")
            for m in survivors
        ]
    if odd:
        lines += ["", "Runs that ended in pytest's own error (look into them):", ""]
        lines += [f"- `{m.module}:{m.line}` {m.kind}: {m.status}" for m in odd]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
