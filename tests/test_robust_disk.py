"""Disk trouble: a full disk or a read-only folder gives a clear error, the old file stays as it
was, and no temp file is left behind.

The real cases mount a small tmpfs (root on Linux only: tests run as root, where ``chmod``
does not stop writes); the patched cases run everywhere.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED, SOURCE

from taskctl import fsutil
from taskctl.cli import cli
from taskctl.errors import DataFileError
from taskctl.fsutil import append_record, atomic_write

OLD = BUNDLED.read_bytes()


def _mount(folder: Path, options: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs holding the old list, then filled to the last byte."""
    folder = tmp_path / "disk"
    if not _mount(folder, "size=256k"):
        pytest.skip("needs root and tmpfs to mount a small disk")
    try:
        (folder / "tasks.yaml").write_bytes(OLD)
        (folder / "progress.jsonl").write_bytes(b'{"n": 1}\n')
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for size in (4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    if not _mount(folder, "size=1m"):
        pytest.skip("needs root and tmpfs to mount a read-only folder")
    try:
        (folder / "tasks.yaml").write_bytes(OLD)
        (folder / "progress.jsonl").write_bytes(b'{"n": 1}\n')
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_full_disk_atomic_write(small_disk):
    target = small_disk / "tasks.yaml"
    with pytest.raises(DataFileError) as caught:
        atomic_write(target, OLD * 3)
    assert str(caught.value) == f"{target}：磁盘已满，未写入任何内容；请腾出空间后重试"
    assert target.read_bytes() == OLD
    assert leftovers(small_disk) == []


def test_full_disk_import_from_the_command_line(small_disk, runner):
    target = small_disk / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(target), "--force"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"错误：{target}：磁盘已满，未写入任何内容；请腾出空间后重试\n"
    assert target.read_bytes() == OLD
    assert leftovers(small_disk) == []


def test_full_disk_append(small_disk):
    target = small_disk / "progress.jsonl"
    with pytest.raises(DataFileError, match="磁盘已满"):
        append_record(target, b'{"n": 2, "text": "' + b"x" * 100_000 + b'"}\n')
    assert target.read_bytes() == b'{"n": 1}\n'


def test_read_only_folder(read_only_folder, runner):
    target = read_only_folder / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(target), "--force"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：")
    assert "没有写入权限" in result.stderr and len(result.stderr.splitlines()) == 1
    with pytest.raises(DataFileError, match="没有写入权限"):
        atomic_write(target, b"new")
    with pytest.raises(DataFileError, match="没有写入权限"):
        append_record(read_only_folder / "progress.jsonl", b'{"n": 2}\n')
    assert target.read_bytes() == OLD
    assert (read_only_folder / "progress.jsonl").read_bytes() == b'{"n": 1}\n'
    # (The list still loads; its log is elsewhere, as this folder's holds a stand-in record.)
    empty_log = read_only_folder.parent / "empty.jsonl"
    empty_log.write_bytes(b"")
    listed = runner.invoke(
        cli, ["list", "--id", "1", "--file", str(target), "--ledger", str(empty_log)]
    )
    assert listed.exit_code == 0


# The same failures simulated by patching, where no small disk can be mounted.


@pytest.mark.parametrize(
    ("where", "error", "message"),
    [
        ("fsync", errno.ENOSPC, "磁盘已满，未写入任何内容；请腾出空间后重试"),
        ("replace", errno.EROFS, "没有写入权限（文件夹只读或被占用），未写入任何内容"),
        ("mkstemp", errno.EACCES, "没有写入权限（文件夹只读或被占用），未写入任何内容"),
        ("replace", errno.EIO, "写入失败（Input/output error），未写入任何内容"),
    ],
)
def test_patched_write_failures(tmp_path, monkeypatch, where, error, message):
    target = tmp_path / "tasks.yaml"
    target.write_bytes(OLD)

    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    import tempfile  # fsutil imports it where it writes

    owner = {"fsync": fsutil.os, "replace": fsutil.os, "mkstemp": tempfile}[where]
    monkeypatch.setattr(owner, where, fail)
    with pytest.raises(DataFileError) as caught:
        atomic_write(target, b"new content")
    assert str(caught.value) == f"{target}：{message}"
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_patched_short_append_is_rolled_back(tmp_path, monkeypatch):
    target = tmp_path / "progress.jsonl"
    target.write_bytes(b'{"n": 1}\n')
    real_write = os.write

    def short_write(fd, data):
        return real_write(fd, data[: len(data) // 2])

    monkeypatch.setattr(fsutil.os, "write", short_write)
    with pytest.raises(DataFileError, match="磁盘已满"):
        append_record(target, b'{"n": 2, "text": "abcdefgh"}\n')
    assert target.read_bytes() == b'{"n": 1}\n'


def test_temp_files_of_dead_writers_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "tasks.yaml"
    target.write_bytes(OLD)
    for name in (".tasks.yaml.k2j3h4.tmp", ".tasks.yaml.zz9.tmp"):
        (tmp_path / name).write_bytes(OLD[:100])
    (tmp_path / ".other.yaml.abc.tmp").write_bytes(b"not ours")
    atomic_write(target, b"new")
    assert leftovers(tmp_path) == [".other.yaml.abc.tmp"]
    assert target.read_bytes() == b"new"
