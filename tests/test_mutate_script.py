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
