"""taskctl: follow the yearly task list of the government work report from the terminal.

Python callers use the core without the CLI::

    import taskctl
    tasks = taskctl.load()                       # the list in use (see taskctl.loader)
    taskctl.filter_tasks(tasks, leaders=["于德忱"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562) so that ``taskctl --help`` and a cached
# ``taskctl list`` do not pay for modules they never touch.
_EXPORTS = {
    "Section": "taskctl.model",
    "Task": "taskctl.model",
    "TaskList": "taskctl.model",
    "TaskctlError": "taskctl.errors",
    "department_tasks": "taskctl.query",
    "filter_tasks": "taskctl.query",
    "load": "taskctl.loader",
    "loads": "taskctl.loader",
}

if TYPE_CHECKING:  # pragma: no cover
    from taskctl.errors import TaskctlError
    from taskctl.loader import load, loads
    from taskctl.model import Section, Task, TaskList
    from taskctl.query import department_tasks, filter_tasks


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'taskctl' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list({*globals(), *_EXPORTS})  # dir() sorts them


__all__ = [
    "Section",
    "Task",
    "TaskList",
    "TaskctlError",
    "__version__",
    "department_tasks",
    "filter_tasks",
    "load",
    "loads",
]
