"""Kill a real taskctl process inside a write, every time, not at a random moment.

The child runs ``python -m taskctl`` with its writes to regular files metered: once ``budget``
bytes have reached them, the write that would pass that number writes only up to it, says
``stopped`` on stdout and waits to be killed. The test then sends SIGKILL, so the kill lands
inside the write whatever the load of the machine, and :func:`run_until_stopped` reports
whether it did (a test asserts it: a kill that never landed proves nothing).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

CHILD = r"""
import builtins, io, os, runpy, stat, sys, time

budget = int(sys.argv[1])
real_open, real_write = io.open, os.write


def regular(fd):
    return stat.S_ISREG(os.fstat(fd).st_mode)


def stop():
    real_write(1, b"stopped\n")
    while True:
        time.sleep(60)


def allowed(data):
    global budget
    if len(data) > budget:
        return budget
    budget -= len(data)
    return None


def write(fd, data):
    if regular(fd):
        part = allowed(data)
        if part is not None:
            real_write(fd, bytes(data[:part]))
            stop()
    return real_write(fd, data)


class Metered:
    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        part = allowed(data)
        if part is not None:
            self._handle.write(data[:part])
            self._handle.flush()
            stop()
        return self._handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)

    def __iter__(self):
        return iter(self._handle)

    def __getattr__(self, name):
        return getattr(self._handle, name)


def metered_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    if any(c in mode for c in "wax+") and regular(handle.fileno()):
        return Metered(handle)
    return handle


io.open = builtins.open = metered_open
os.write = write
sys.argv = ["taskctl", *sys.argv[2:]]
runpy.run_module("taskctl", run_name="__main__", alter_sys=True)
"""


def run_until_stopped(budget: int, *args: str, timeout: float = 120) -> bool:
    """Run ``taskctl *args``, letting ``budget`` bytes reach files; kill it where it stops.

    True when it was killed inside a write, False when it ended before spending the budget.
    The parse cache is off in the child: only the command's own writes are metered.
    """
    env = {**os.environ, "TASKCTL_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(budget), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    try:
        stopped = False
        for line in proc.stdout:
            if line == b"stopped\n":
                stopped = True
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout)
        proc.stdout.close()
    if stopped:
        assert proc.returncode == -signal.SIGKILL
    return stopped
