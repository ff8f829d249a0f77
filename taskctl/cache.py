"""A parse cache for task lists, in the manner of ``__pycache__``.

Parsing YAML is by far the slowest thing taskctl does (a 100 000-task list takes seconds), while
shell loops ask the same unchanged file again and again. After a successful parse the model is
stored as plain tuples and dicts with :mod:`marshal` (built in, no import cost, no code run on
load) in the user's cache folder; the next load of the same file rebuilds the model from it.

The cache is never needed for a correct answer:

* an entry is used only when the file's identity (device, inode), size, mtime and ctime (in
  nanoseconds) **and** a CRC-32 of the bytes just read all match. ``os.utime`` can restore an
  mtime but not the ctime, and the content check covers file systems whose times are coarse
  (FAT keeps mtime to 2 s, network shares vary) or where ctime is the creation time (Windows):
  a file rewritten with the same size within the same tick is still caught;
* the entry also records the taskctl version, the cache format and Python's marshal version;
* a missing, truncated, corrupt or foreign entry is ignored (a CRC of the payload is checked
  before unmarshalling) and rewritten; a folder that cannot be written is simply not used.

Where: ``$TASKCTL_CACHE_DIR``, else ``%LOCALAPPDATA%\\taskctl\\Cache`` on Windows, else
``$XDG_CACHE_HOME/taskctl`` or ``~/.cache/taskctl``. ``TASKCTL_NO_CACHE=1`` turns it off, and
without a home folder (a container running as a uid with no passwd entry) there is no cache.

An entry is trusted only when it is the user's own: a regular file (not a link, FIFO or
device) owned by the current user, in a folder owned by the user that nobody else can write.
Anything else is ignored, never read, and not written to.
"""

from __future__ import annotations

import datetime as _dt
import gc
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from taskctl.model import ListFacts, Section, Task, TaskList

FORMAT = 4  # 4: the list's settings (the office's rules); 3: a task's fields as they are
ENV_DIR = "TASKCTL_CACHE_DIR"
ENV_OFF = "TASKCTL_NO_CACHE"
_MAGIC = b"taskctl-cache\n"


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "") in ("", "0")


def cache_dir() -> Path | None:
    """The folder holding the cache entries (see the module docstring); ``None`` when there is
    no home folder to put it in."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
            return Path(base) / "taskctl" / "Cache"
        xdg = os.environ.get("XDG_CACHE_HOME")
        if xdg and os.path.isabs(xdg):
            return Path(xdg) / "taskctl"
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None
    if not home.is_absolute():
        return None
    return home / ".cache" / "taskctl"


def _own(st: os.stat_result) -> bool:
    if sys.platform == "win32":  # no owner ids there; the profile folder is the user's own
        return True
    else:
        return st.st_uid == os.getuid()


def _trusted_dir(folder: Path) -> bool:
    """The user's own folder, which nobody else can write (always so on Windows)."""
    import stat

    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or not _own(st):
        return False
    return sys.platform == "win32" or not st.st_mode & 0o022


def _open_entry(path: Path) -> int | None:
    """A file descriptor of an entry that can be trusted (see the module docstring), else
    ``None``; the caller closes it."""
    import stat

    if not _trusted_dir(path.parent):
        return None
    if sys.platform == "win32":
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    else:  # no link followed, and a FIFO opened without waiting for a writer
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and _own(st) and st.st_size <= 1 << 30:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes, when it can be trusted (see the module docstring), else ``None``."""
    fd = _open_entry(path)
    if fd is None:
        return None
    try:
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def entry_path(source: Path) -> Path:
    """Where the entry for ``source`` (an absolute path) lives: one file per list."""
    key = os.fsencode(str(source))
    return _folder() / f"list-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.marshal"


def _folder() -> Path:
    folder = cache_dir()
    if folder is None:
        raise OSError("no cache folder")
    return folder


def digest(raw: bytes) -> tuple[int, int]:
    """The size and CRC-32 of a list's bytes: what its entries are checked against (computed
    once, so the bytes can be let go before the list is parsed)."""
    return len(raw), zlib.crc32(raw)


def _sized(raw: bytes | tuple[int, int]) -> tuple[int, int]:
    return digest(raw) if isinstance(raw, bytes) else raw


def _key(source: Path, st: os.stat_result, raw: bytes | tuple[int, int]) -> tuple[Any, ...]:
    from taskctl import __version__

    return (
        FORMAT,
        __version__,
        marshal.version,
        sys.version_info[:2],
        str(source),
        os.environ.get("TASKCTL_FAST_YAML") == "0",  # turning the fast parser off re-parses
        st.st_dev,
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        *_sized(raw),
    )


def get(
    source: Path, st: os.stat_result, raw: bytes | tuple[int, int], shown: object
) -> TaskList | None:
    """The cached model of ``source`` whose bytes ``raw`` (or their :func:`digest`) were just
    read, or ``None``."""
    try:
        blob = _read_entry(entry_path(source))
        if blob is None or not blob.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + 4
        head_end = start + int.from_bytes(blob[len(_MAGIC) : start], "little")
        key, payload_crc = marshal.loads(blob[start:head_end])
        if key != _key(source, st, raw):
            return None
        payload = blob[head_end:]
        if zlib.crc32(payload) != payload_crc:
            return None
        collecting = gc.isenabled()
        gc.disable()  # 100 000 fresh objects and no cycles: nothing for the collector to do
        try:
            return _rebuild(marshal.loads(payload), shown)
        finally:
            if collecting:
                gc.enable()
    except Exception:  # any unreadable or odd entry just means "parse the file"
        return None


def put(
    source: Path, st: os.stat_result, raw: bytes | tuple[int, int], tasklist: TaskList
) -> bytes | None:
    """Store the model; silently does nothing when it cannot (read-only folder, odd values).
    Returns what was stored (for :func:`load_payload`), or ``None`` when it cannot be."""
    try:
        payload = marshal.dumps(_flatten(tasklist))
        header = marshal.dumps((_key(source, st, raw), zlib.crc32(payload)))
    except (ValueError, TypeError):  # e.g. a date inside an extra field: not worth caching
        return None
    size = len(header).to_bytes(4, "little")
    try:
        target = entry_path(source)
    except OSError:
        return payload
    _write(target, _MAGIC + size + header + payload)
    return payload


def load_payload(payload: bytes, shown: object) -> TaskList:
    """The model from what :func:`put` stored: the same as the next cached load gives."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _rebuild(marshal.loads(payload), shown)
    finally:
        if collecting:
            gc.enable()


def _write(target: Path, data: bytes) -> None:
    import tempfile

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _trusted_dir(target.parent):
            return
        fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _flatten(tasklist: TaskList) -> dict[str, Any]:
    # Each task's fields as they are: the loader shares equal name tuples and interns names,
    # and marshal writes an object met twice as a reference, so a name is stored once.
    sections = []
    for section in tasklist.sections:
        tasks: list[dict[str, Any]] = []
        append = tasks.append
        for task in section.tasks:
            record = dict(task.__dict__)
            deadline = record["deadline"]
            if deadline is not None:
                record["deadline"] = deadline.toordinal()
            record["extra"] = dict(task.extra)
            append(record)
        sections.append(
            (section.numeral, section.title, section.declared, tasks, section.path, section.written)
        )
    return {
        "title": tasklist.title,
        "attachment": tasklist.attachment,
        "year": tasklist.year,
        "groups": {name: tuple(members) for name, members in tasklist.groups.items()},
        "sections": sections,
        "columns": tasklist.columns,
        "rules": tasklist.rules,
        "tolerance": tasklist.tolerance,
        "settings": dict(tasklist.settings),
    }


def _rebuild(data: dict[str, Any], shown: object) -> TaskList:
    # Task is a frozen dataclass; filling __dict__ directly skips its per-field __setattr__
    # and is several times faster than calling __init__ for 100 000 tasks.
    new = object.__new__
    set_dict = object.__setattr__
    fromordinal = _dt.date.fromordinal
    sections = []
    for numeral, title, declared, records, path, written in data["sections"]:
        tasks: list[Task] = []
        append = tasks.append
        for record in records:  # the payload's CRC and format number vouch for its shape
            if record["deadline"] is not None:
                record["deadline"] = fromordinal(record["deadline"])
            task = new(Task)
            set_dict(task, "__dict__", record)
            append(task)
        sections.append(Section(numeral, title, declared, tuple(tasks), path, written))
    return TaskList(
        title=data["title"],
        sections=tuple(sections),
        groups=data["groups"],
        attachment=data["attachment"],
        year=data["year"],
        source=str(shown),
        columns=data["columns"],
        rules=data["rules"],
        tolerance=data["tolerance"],
        settings=data["settings"],
    )


# The progress log ------------------------------------------------------------------------
#
# One entry per log file holds that file's entries already merged (one per 序号 and 日期) and
# the warnings its torn lines gave. Used whole when the file is byte-for-byte the same (stat
# and two checksums of the content); when the file only grew (the append-only case: ``update``)
# and the bytes read before are unchanged and ended with a whole line, only the new lines are
# parsed. Anything else parses the file again.

# 5: records end with 分项; 4: 审核…, 佐证材料; 3: 收到日期; 2: 存在问题, 下一步措施, 期间, 来源,
# 回执, 撤销
LOG_FORMAT = 5


def _log_key(source: Path) -> tuple[Any, ...]:
    from taskctl import __version__

    return (LOG_FORMAT, __version__, marshal.version, sys.version_info[:2], str(source))


def _sums(raw: bytes, end: int) -> tuple[int, int, int]:
    view = memoryview(raw)[:end]
    return end, zlib.crc32(view), zlib.adler32(view)


def log_entry_path(source: Path) -> Path:
    key = os.fsencode(str(source))
    return _folder() / f"log-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.marshal"


def get_log(
    source: Path, st: os.stat_result, raw: bytes
) -> tuple[int, list, list[str], int] | None:
    """What was cached for the log file ``source`` whose bytes ``raw`` were just read:
    ``(length, records, warnings, lines)`` where ``length`` is how many leading bytes of
    ``raw`` the records cover (all of them, or an unchanged prefix ending with a newline),
    or ``None``."""
    try:
        blob = _read_entry(log_entry_path(source))
        if blob is None or not blob.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + 4
        head_end = start + int.from_bytes(blob[len(_MAGIC) : start], "little")
        key, identity, sums, lines, payload_crc = marshal.loads(blob[start:head_end])
        if key != _log_key(source) or tuple(identity[:2]) != (st.st_dev, st.st_ino):
            return None
        length = sums[0]
        if length > len(raw) or (length == len(raw) and tuple(identity) != _identity(st)):
            return None
        if length < len(raw) and length and raw[length - 1 : length] != b"\n":
            return None
        if tuple(sums) != _sums(raw, length):
            return None
        payload = blob[head_end:]
        if zlib.crc32(payload) != payload_crc:
            return None
        records, warnings = marshal.loads(payload)
        return length, records, warnings, lines
    except Exception:  # an unreadable or odd entry just means "parse the file"
        return None


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def put_log(
    source: Path, st: os.stat_result, raw: bytes, records: list, warnings: list[str]
) -> None:
    """Store a log file's merged records (tuples of plain values) and its warnings."""
    try:
        payload = marshal.dumps((records, warnings))
        header = marshal.dumps(
            (
                _log_key(source),
                _identity(st),
                _sums(raw, len(raw)),
                raw.count(b"\n"),
                zlib.crc32(payload),
            )
        )
    except (ValueError, TypeError):
        return
    try:
        target = log_entry_path(source)
    except OSError:
        return
    _write(target, _MAGIC + len(header).to_bytes(4, "little") + header + payload)


# What update needs of a list -------------------------------------------------------------
#
# ``update`` needs the list's 年度 and its 序号, not the list: reading a 100 000-task list's
# 27 MB and its parse cache's 18 MB would make recording one report on a city's list several
# times slower than on a county's. A small entry per list holds them (:class:`ListFacts`), with
# the stat of the file they were read from and a CRC-32 of its bytes.
#
# The entry is used without reading the list when the list's stat is the same and the list had
# not changed for a while when it was read ("racy git"): a change after that read sets the
# ctime (and the mtime) to a later time than any the file had, so the same stat proves the same
# bytes. A list written just before it was read (within :data:`SETTLED_NS`, which covers
# file systems that keep times to 2 s) is checked against the CRC instead.

FACTS_FORMAT = 4  # 4: each 分项's units too; 3: the units of the list, and each task's beside
SETTLED_NS = 3_000_000_000


def facts_entry_path(source: Path) -> Path:
    key = os.fsencode(str(source))
    return _folder() / f"facts-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.marshal"


def _facts_key(source: Path) -> tuple[Any, ...]:
    from taskctl import __version__

    return (FACTS_FORMAT, __version__, marshal.version, sys.version_info[:2], str(source))


def _units_path(source: Path, size: int, crc: int) -> Path:
    # named by the list's content: the facts entry that names it vouches for those bytes
    return facts_entry_path(source).with_suffix(f".{crc:08x}{size:x}.units")


UNITS_MAGIC = b"TKUNITS1"


def _units_file(blob: bytes) -> bytes:
    """Each task's line of ``blob`` (``\\n序号\\t…``, in 序号 order) with an index of offsets
    in front, so that one task's units are two small reads (``update`` on a city's list)."""
    import array

    lines = blob.split(b"\n")[1:-1]
    offsets = array.array("Q", [0])
    total = 0
    for line in lines:
        total += len(line)
        offsets.append(total)
    return UNITS_MAGIC + len(lines).to_bytes(8, "little") + offsets.tobytes() + b"".join(lines)


def _units_reader(path: Path, runs: tuple[tuple[int, int], ...]) -> Any:
    """``read(序号)`` → the task's line of :func:`_units_file` (``None`` when it cannot)."""
    import bisect
    import itertools

    firsts = [first for first, _ in runs]
    before = list(itertools.accumulate((last - first + 1 for first, last in runs), initial=0))

    def read(task_id: int) -> bytes | None:
        at = bisect.bisect_right(firsts, task_id) - 1
        if at < 0 or task_id > runs[at][1]:
            return None
        rank = before[at] + task_id - runs[at][0]
        fd = _open_entry(path)
        if fd is None:
            return None
        try:
            head = os.pread(fd, 16, 0)
            count = int.from_bytes(head[8:16], "little")
            if head[:8] != UNITS_MAGIC or rank >= count:
                return None
            low, high = (
                int.from_bytes(b, "little") for b in _pairs(os.pread(fd, 16, 16 + 8 * rank))
            )
            start = 16 + 8 * (count + 1)
            line = os.pread(fd, high - low, start + low)
            return line if line.startswith(b"%d\t" % task_id) else None
        except (OSError, ValueError):
            return None
        finally:
            os.close(fd)

    return read


def _pairs(raw: bytes) -> tuple[bytes, bytes]:
    if len(raw) != 16:
        raise ValueError("short read")
    return raw[:8], raw[8:]


def put_facts(
    source: Path,
    st: os.stat_result,
    raw: bytes | tuple[int, int],
    read_at: int,
    facts: ListFacts,
) -> None:
    """Keep ``facts`` of the list ``source``, whose bytes ``raw`` (stat ``st``) were read from
    ``read_at`` (``time.time_ns()`` just before the read) on. Each task's units go to a file
    of their own beside the entry (:func:`_units_file`), written first."""
    try:
        size, crc = _sized(raw)
        if facts.units:
            _write(_units_path(source, size, crc), _units_file(facts.units))
        data = marshal.dumps(
            (
                _facts_key(source),
                _identity(st),
                size,
                crc,
                read_at,
                facts.year,
                facts.runs,
                tuple(facts.names),
            )
        )
        target = facts_entry_path(source)
    except (ValueError, TypeError, OSError):
        return
    _write(target, _MAGIC + data)


def get_facts(source: Path, st: os.stat_result, read: Any) -> ListFacts | None:
    """The facts kept for the list ``source`` (current stat ``st``), or ``None``. ``read()``
    gives the list's bytes and their stat, and is called only when the stat cannot vouch for
    them (see above)."""
    try:
        blob = _read_entry(facts_entry_path(source))
        if blob is None or not blob.startswith(_MAGIC):
            return None
        key, identity, size, crc, read_at, year, runs, names = marshal.loads(blob[len(_MAGIC) :])
        if key != _facts_key(source) or tuple(identity) != _identity(st):
            return None
        runs = tuple((first, last) for first, last in runs)
        facts = ListFacts(year, runs, names=names)
        facts.reader = _units_reader(_units_path(source, size, crc), runs)
        if max(st.st_mtime_ns, st.st_ctime_ns) < read_at - SETTLED_NS:
            return facts  # settled: the same stat is the same bytes
        import time

        now = time.time_ns()
        raw, again = read()
        if _identity(again) != _identity(st) or len(raw) != size or zlib.crc32(raw) != crc:
            return None
        # The bytes are the same: keep the facts as read now, so that once the list has been
        # left alone a while, the next update need not read it.
        put_facts(source, st, (size, crc), now, facts)
        return facts
    except Exception:  # an unreadable or odd entry just means "load the list"
        return None
