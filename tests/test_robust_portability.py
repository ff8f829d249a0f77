"""The Windows branches of the writing path, exercised here with a stand-in ``msvcrt``.

Only the decisions taskctl itself makes are simulated (which lock call, retrying a replace
that a reader blocks, not chmod-ing); the real calls run on Windows.
"""

from __future__ import annotations

import ast
import errno
import inspect
import os
import sys
import types

import pytest

from taskctl import cache, fsutil
from taskctl.errors import DataFileError


@pytest.fixture
def windows(monkeypatch):
    """fsutil believes it runs on Windows; msvcrt records its calls."""
    calls: list[tuple] = []
    fake = types.SimpleNamespace(LK_NBLCK=2, LK_UNLCK=0, busy=0)

    def locking(fd, mode, nbytes):
        calls.append((mode, nbytes, os.lseek(fd, 0, os.SEEK_CUR)))
        if mode == fake.LK_NBLCK and fake.busy:
            fake.busy -= 1
            raise OSError(errno.EACCES, "locked by another process")

    fake.locking = locking
    fake.calls = calls
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(fsutil.sys, "platform", "win32")
    return fake


def test_lock_uses_msvcrt_and_waits_while_held(tmp_path, windows):
    windows.busy = 3  # another process holds the lock for three tries
    with fsutil.locked(tmp_path / "tasks.yaml"):
        pass
    assert windows.calls == [(2, 1, 0)] * 4 + [(0, 1, 0)]
    assert (tmp_path / "tasks.yaml.lock").exists()


def test_lock_timeout_names_the_lock_file(tmp_path, windows):
    windows.busy = 10**9
    with pytest.raises(fsutil.LockTimeout) as caught:
        with fsutil.locked(tmp_path / "tasks.yaml", timeout=0.05):
            pass
    assert str(tmp_path / "tasks.yaml.lock") in str(caught.value)


def test_replace_is_retried_while_a_reader_holds_the_file(tmp_path, windows, monkeypatch):
    target = tmp_path / "tasks.yaml"
    target.write_bytes(b"old")
    real_replace = os.replace
    blocked = {"left": 5}

    def replace(src, dst):
        if blocked["left"]:
            blocked["left"] -= 1
            raise PermissionError(errno.EACCES, "sharing violation")
        real_replace(src, dst)

    chmods = []
    monkeypatch.setattr(fsutil.os, "replace", replace)
    monkeypatch.setattr(fsutil.os, "chmod", lambda *a: chmods.append(a))
    fsutil.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert blocked["left"] == 0
    assert chmods == []  # a read-only temp file could be neither replaced nor removed
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_replace_gives_up_after_a_while_and_cleans_up(tmp_path, windows, monkeypatch):
    target = tmp_path / "tasks.yaml"
    target.write_bytes(b"old")

    def replace(src, dst):
        raise PermissionError(errno.EACCES, "sharing violation")

    monkeypatch.setattr(fsutil.os, "replace", replace)
    monkeypatch.setattr(fsutil, "REPLACE_RETRY_SECONDS", 0.05)
    with pytest.raises(DataFileError, match="没有写入权限"):
        fsutil.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_posix_does_not_retry_a_refused_replace(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil.sys, "platform", "linux")
    attempts = []

    def replace(src, dst):
        attempts.append(src)
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(fsutil.os, "replace", replace)
    with pytest.raises(DataFileError):
        fsutil.atomic_write(tmp_path / "tasks.yaml", b"new")
    assert len(attempts) == 1


POSIX_ONLY = {"fcntl", "fchmod", "fchown", "getuid", "geteuid", "O_DIRECTORY", "O_NOFOLLOW"}


@pytest.mark.parametrize("module", [fsutil, cache])
def test_posix_only_calls_sit_behind_a_platform_check(module):
    """Every use of a POSIX-only name is inside an ``if sys.platform ...`` branch."""
    tree = ast.parse(inspect.getsource(module))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "sys.platform" in ast.unparse(node.test):
            guarded.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        name = getattr(node, "attr", None) or getattr(node, "id", None)
        if isinstance(node, ast.alias):
            name = node.name
        if name in POSIX_ONLY:
            assert id(node) in guarded, f"{module.__name__}: {name} at line {node.lineno}"


NO_WQY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>/usr/share/fonts/truetype/wqy/*</glob></rejectfont></selectfont>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.mark.parametrize("ci", ["", "true"])
def test_a_missing_cjk_font_skips_layout_tests_outside_ci_and_fails_them_under_ci(
    tmp_path, monkeypatch, ci
):
    """Debian 12 with only python3: the layout tests that measure Chinese glyphs skip and say
    which font to install; under CI=true, where .ci/run installs it, they fail."""
    import shutil

    from tests import conftest

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed: the font cannot be hidden")
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_WQY.format(cache=tmp_path / "cache"), encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="fonts-wqy-microhei"):
        conftest.require_font()
