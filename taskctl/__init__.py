"""taskctl: follow the yearly task list of the government work report from the terminal.

Python callers use the core without the CLI::

    import taskctl
    tasks = taskctl.load()                       # the list in use (see taskctl.loader)
    taskctl.filter_tasks(tasks, leaders=["于德忱"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from taskctl.errors import TaskctlError
from taskctl.loader import load, loads
from taskctl.model import Section, Task, TaskList
from taskctl.query import department_tasks, filter_tasks

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
