"""What fsutil promises beyond "the bytes arrive": data flushed before fsync, the folder
fsynced, sane permissions, no descriptor left open, the umask left alone (found by mutation
testing, see docs/testing.md)."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from taskctl import fsutil

posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and descriptors")


def test_atomic_write_fsyncs_the_whole_data_then_the_folder(tmp_path, monkeypatch):
    target = tmp_path / "tasks.yaml"
    data = "序号: 1\n".encode() * 100  # less than a buffer: it stays there until flushed
    synced: list[tuple[bool, int]] = []
    real = os.fsync

    def fsync(fd):
        st = os.fstat(fd)
        synced.append((stat.S_ISDIR(st.st_mode), st.st_size))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    fsutil.atomic_write(target, data)
    files = [size for is_dir, size in synced if not is_dir]
    assert files == [len(data)]  # everything written when it is made durable
    if sys.platform != "win32":
        assert [is_dir for is_dir, _ in synced] == [False, True]  # and the rename with it


@posix
def test_new_files_get_the_umask_and_the_umask_is_left_alone(tmp_path):
    previous = os.umask(0o022)
    try:
        fsutil.atomic_write(tmp_path / "tasks.yaml", b"a")
        fsutil.append_record(tmp_path / "progress.jsonl", b"{}\n")
        assert os.umask(0o022) == 0o022  # still the umask set above
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == {
        "tasks.yaml": 0o644,
        "tasks.yaml.lock": 0o644,
        "progress.jsonl": 0o644,
        "progress.jsonl.lock": 0o644,
    }


@posix
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_no_descriptor_is_left_open(tmp_path):
    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    fsutil.append_record(tmp_path / "progress.jsonl", b"{}\n")  # imports done first
    before = open_fds()
    for n in range(50):
        fsutil.append_record(tmp_path / "progress.jsonl", b"{}\n")
        fsutil.atomic_write(tmp_path / "tasks.yaml", str(n).encode())
    assert open_fds() == before
