"""Exceptions of the taskctl core.

Every error a user can cause is a :class:`TaskctlError` whose message says what to fix
(which file, which line, which 序号, what was expected). The CLI prints the message as one
line on stderr and exits with :attr:`TaskctlError.exit_code`.
"""

from __future__ import annotations


class TaskctlError(Exception):
    """Base class: a problem the user can fix. Exit code 2 (bad input or bad data)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        # One line on stderr whatever the message quotes (a cell of several lines, say).
        message = " ".join(message.splitlines()) if "\n" in message or "\r" in message else message
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataFileError(TaskctlError):
    """A data file is missing, unreadable, not UTF-8 or not of the expected shape."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        where = f"{path}" if line is None else f"{path} 第 {line} 行"
        super().__init__(f"{where}：{message}")
        self.path = path
        self.line = line
        self.reason = message  # what is wrong, without the file's name (which may hold a ：)


class NameLookupError(TaskctlError):
    """A leader, department or section name that is unknown or ambiguous."""


class UnknownTaskError(TaskctlError):
    """A 序号 that the list does not have."""


class InputError(TaskctlError):
    """An option value that cannot be understood (a bad 序号 range, date, status…)."""
