"""scripts/mutate.py knows the test files of every core module, so a new module (this round
adds some) is measured with the rest (issue 27)."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import ROOT


def test_every_core_module_has_its_test_files_in_mutate():
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
    assert spec is not None and spec.loader is not None
    mutate = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutate", mutate)  # its dataclasses look their module up
    spec.loader.exec_module(mutate)
    modules = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "taskctl").rglob("*.py")
        if "cli" not in path.relative_to(ROOT / "taskctl").parts[:-1]
    )
    assert [m for m in modules if m not in mutate.TESTS] == []
    assert {
        m: t for m, ts in mutate.TESTS.items() for t in ts if not (ROOT / "tests" / t).exists()
    } == {}
    assert [m for m in mutate.TESTS if not (ROOT / m).exists()] == []


def _load():
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
    assert spec is not None and spec.loader is not None
    mutate = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutate", mutate)
    spec.loader.exec_module(mutate)
    return mutate


def _mutant(mutate, line, end_line=None, status=""):
    return mutate.Mutant(
        "taskctl/x.py",
        line,
        "Lt→LtE",
        "a < b",
        "(a <= b)",
        end_line=end_line or line,
        status=status,
    )


def test_a_mutant_runs_the_tests_that_run_its_lines_fastest_first_by_function():
    mutate = _load()
    coverage = {
        "lines": {
            "taskctl/x.py": {
                "3": ["", "tests/test_a.py::test_slow", "tests/test_a.py::test_p[\\u4e00-1]"],
                "4": ["tests/test_b.py::test_fast", "tests/test_a.py::test_p[\\u4e8c-2]"],
                "9": [""],
            }
        },
        "durations": {
            "tests/test_a.py::test_slow": 2.0,
            "tests/test_a.py::test_p[\\u4e00-1]": 0.5,
            "tests/test_a.py::test_p[\\u4e8c-2]": 0.25,
            "tests/test_b.py::test_fast": 0.1,
        },
    }
    # lines 3–4: every test that runs either, a parametrized one by its function (its cases'
    # time added up), fastest first; the import-time context "" is not a test
    assert mutate.covering_tests(coverage, _mutant(mutate, 3, 4)) == [
        "tests/test_b.py::test_fast",
        "tests/test_a.py::test_p",
        "tests/test_a.py::test_slow",
    ]
    assert mutate._took(coverage, "tests/test_a.py::test_p") == 0.75
    # run only at import: the module's own test files decide (None); never run: no test ([])
    assert mutate.covering_tests(coverage, _mutant(mutate, 9)) is None
    assert mutate.covering_tests(coverage, _mutant(mutate, 5)) == []
    # --within: a survivor of the older tests is tried on the newer files' tests alone
    assert mutate.only_within(
        mutate.covering_tests(coverage, _mutant(mutate, 3, 4)), ["test_a.py"]
    ) == ["tests/test_a.py::test_p", "tests/test_a.py::test_slow"]
    assert mutate.only_within(["tests/test_ab.py::test_x"], ["test_a.py"]) == []


def test_the_durations_of_junit_cases_are_keyed_by_node_id():
    import xml.etree.ElementTree as ElementTree

    mutate = _load()
    root = ElementTree.fromstring(
        '<testsuites><testsuite><testcase classname="tests.test_mutate_script" '
        'name="test_x[a-1]" time="0.5"/><testcase classname="tests.test_mutate_script.TestK" '
        'name="test_y" time="1.25"/></testsuite></testsuites>'
    )
    assert mutate._durations(root) == {
        "tests/test_mutate_script.py::test_x[a-1]": 0.5,
        "tests/test_mutate_script.py::TestK::test_y": 1.25,
    }


def test_the_report_counts_unrun_mutants_as_survivors_and_pytest_errors_apart():
    mutate = _load()
    results = [
        _mutant(mutate, 1, status="killed"),
        _mutant(mutate, 2, status="timeout"),
        _mutant(mutate, 3, status="survived"),
        _mutant(mutate, 4, status="not run by any test"),
        _mutant(mutate, 5, status="error 5"),
    ]
    assert mutate.report(results) == (
        "| module | mutants | killed | survived | not run by any test | survival |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| taskctl/x.py | 4 | 2 | 1 | 1 | 50 % |\n"
        "| total | 4 | 2 | 1 | 1 | 50 % |\n"
        "\n"
        "Survivors:\n"
        "\n"
        "- `taskctl/x.py:3` Lt→LtE: `a < b` → `(a <= b)`\n"
        "- `taskctl/x.py:4` Lt→LtE: `a < b` → `(a <= b)` (no test runs it)\n"
        "\n"
        "Runs that ended in pytest's own error (look into them):\n"
        "\n"
        "- `taskctl/x.py:5` Lt→LtE: error 5"
    )


def test_every_test_file_written_for_mutants_is_run_for_some_module():
    mutate = _load()
    listed = {t for ts in mutate.TESTS.values() for t in ts}
    written = sorted(p.name for p in (ROOT / "tests").glob("test_mutants_*.py"))
    assert written and [name for name in written if name not in listed] == []
