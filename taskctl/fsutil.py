"""Safe file writing: atomic replacement, appends of one record per write, and a lock file.

Works on POSIX and on Windows (where clerks mostly are): ``fcntl.flock`` or ``msvcrt.locking``
for the lock, and ``os.replace`` retried while another program briefly holds the target open.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from taskctl.errors import DataFileError, TaskctlError

LOCK_TIMEOUT = 30.0


class LockTimeout(TaskctlError):
    """Another taskctl kept the lock longer than :data:`LOCK_TIMEOUT`."""


def _os_message(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "磁盘已满，未写入任何内容；请腾出空间后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限（文件夹只读或被占用），未写入任何内容"
    return f"写入失败（{exc.strerror or exc}），未写入任何内容"


def _lock_file(handle: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_file(handle: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def locked(target: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``<target>.lock`` (beside the target) for the duration of the block."""
    lock_path = target.with_name(target.name + ".lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DataFileError(lock_path, _os_message(exc)) from None
    try:
        deadline = time.monotonic() + timeout
        pause = 0.001
        while True:
            try:
                _lock_file(handle)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{target}：另一个 taskctl 正在写入，等待 {timeout:.0f} 秒后仍未释放；"
                        f"若确无其他程序在运行，可删除 {lock_path}"
                    ) from None
                time.sleep(pause)  # short at first: writers hold the lock for one append
                pause = min(pause * 2, 0.02)
        try:
            yield
        finally:
            _unlock_file(handle)
    finally:
        os.close(handle)


REPLACE_RETRY_SECONDS = 5.0


def _replace(source: str, target: Path) -> None:
    """``os.replace``, retried on Windows while a reader or a virus scanner holds either file
    open (sharing violation, reported as PermissionError) — for a few seconds at most."""
    deadline = time.monotonic() + REPLACE_RETRY_SECONDS
    delay = 0.005
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _remove_stale_temps(folder: Path, target: Path) -> None:
    """Remove temp files left by writers that died mid-write (killed, power cut).

    Called only under the target's lock: every live writer holds it while its temp file
    exists, so any temp file of this target found then belongs to a dead writer.
    """
    prefix = f".{target.name}."
    with contextlib.suppress(OSError), os.scandir(folder) as entries:  # closed even when
        for entry in entries:  # the listing fails part-way (else a ResourceWarning later)
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(target: Path, data: bytes, *, lock: bool = True) -> None:
    """Replace ``target`` with ``data``: temp file in the same folder, fsync, ``os.replace``.

    Readers see the old content or the new, never a mix; on any failure the old file is left
    as it was and the temp file is removed.
    """
    folder = target.parent if str(target.parent) else Path(".")
    context = locked(target) if lock else contextlib.nullcontext()
    with context:
        if lock:
            _remove_stale_temps(folder, target)
        import tempfile  # here: only writers need it

        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise DataFileError(target, _os_message(exc)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if sys.platform != "win32":  # there chmod only sets read-only: a temp file that
                _copy_mode(tmp, target)  # could then be neither replaced nor removed
            _replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise DataFileError(target, _os_message(exc)) from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(folder)


def append_record(target: Path, line: bytes, *, held: bool = False) -> None:
    """Append one record in a single ``write`` under the lock, then fsync.

    If the file ends in a torn line (a writer was killed mid-write), a newline is written first
    so the new record starts on a line of its own. ``held``: the caller holds the lock already
    (it read the file under it to decide what to write).
    """
    with contextlib.nullcontext() if held else locked(target):
        try:
            fd = os.open(
                target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666
            )
        except OSError as exc:
            raise DataFileError(target, _os_message(exc)) from None
        size: int | None = None
        try:
            size = os.fstat(fd).st_size
            if size:
                with open(target, "rb") as reader:
                    reader.seek(size - 1)
                    if reader.read(1) != b"\n":
                        line = b"\n" + line
            written = os.write(fd, line)
            if written != len(line):  # taken back below, as a failed write is
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        except OSError as exc:
            if size is not None:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
            raise DataFileError(target, _os_message(exc)) from None
        finally:
            os.close(fd)


def _copy_mode(tmp: str, target: Path) -> None:
    """Give the new file the old one's permissions (mkstemp makes it 0600), or the umask's."""
    with contextlib.suppress(OSError):
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Reading, and what may be written over ------------------------------------------------------

MAX_READ_BYTES = 1 << 30  # what a file read whole may hold (a 100 000-task list is ~40 MB)


def read_regular(path: Path, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`read_regular_stat`)."""
    return read_regular_stat(path, limit)[0]


def read_regular_stat(path: Path, limit: int = MAX_READ_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes and the stat (of the very handle read) of the regular file ``path``: a FIFO, a device (``/dev/zero``), a socket or
    a file over ``limit`` bytes is refused with a :class:`DataFileError` instead of hanging
    or reading until memory runs out. Opened without blocking, so a FIFO cannot stall."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except IsADirectoryError:
        raise DataFileError(path, "这是一个文件夹，不是文件") from None
    except OSError as exc:
        raise DataFileError(path, f"无法读取（{exc.strerror}）") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataFileError(path, "这是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise DataFileError(path, "不是普通文件（管道、设备等），不能读取")
        if st.st_size > limit:
            raise DataFileError(
                path, f"文件过大（{st.st_size // (1 << 20)} MB，上限 {limit // (1 << 20)} MB）"
            )
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 24, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise DataFileError(path, f"文件过大（上限 {limit // (1 << 20)} MB）")
        return b"".join(chunks), st
    except OSError as exc:
        raise DataFileError(path, f"无法读取（{exc.strerror}）") from None
    finally:
        os.close(fd)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, ``..`` or a different spelling)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output(target: Path, force: bool, in_use: Iterable[Path] = ()) -> None:
    """Refuse to write ``target`` when it is a file the command reads (``in_use``: the list,
    the progress log and its files), even with ``force``; refuse an existing file without
    ``force``; refuse a missing folder. Nothing is written here."""
    from taskctl.errors import InputError

    for used in in_use:
        if same_file(target, used):
            raise InputError(
                f"{target} 是本命令正在读取的清单或进度台账，不能写入（加 --force 也不行）；"
                "请换一个输出文件名"
            )
    if os.path.isdir(target):
        raise InputError(f"{target} 是一个文件夹；请写出文件名，如 {Path(target) / '台账.xlsx'}")
    if os.path.lexists(target) and not force:
        raise InputError(f"{target} 已存在；要覆盖请加 --force")
    folder = Path(target).parent
    if str(folder) and not folder.is_dir():
        raise InputError(f"{folder} 文件夹不存在")
