"""A pytest plugin for ``scripts/mutate.py --build-map``: each test's node id in the environment
while it runs, so that coverage in the subprocesses it starts names the test too (the
coverage settings take their static context from ``MUTATE_TEST``)."""

from __future__ import annotations

import os


def pytest_runtest_setup(item) -> None:
    os.environ["MUTATE_TEST"] = item.nodeid


def pytest_runtest_teardown(item) -> None:
    os.environ["MUTATE_TEST"] = item.nodeid
