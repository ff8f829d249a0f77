"""Replacing ``tasks.yaml`` by an import without losing what the clerk added by hand.

Everything is decided before anything is written: the imported list must pass every check the
loader runs (a list taskctl then refuses to load is never written), and when an existing list is
replaced (``import --force``) its ``groups:`` and its hand-added 完成时限 are carried over and the
old file is kept beside the new one as ``<name>.bak``. YAML comments cannot be carried into a
regenerated file; they stay in the backup, and the notes say how many there were.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from taskctl.errors import DataFileError, TaskctlError
from taskctl.model import Task, TaskList
from taskctl.names import normalize


@dataclass
class ImportPlan:
    """The list to write, where, the backup of what it replaces, and notes for the user."""

    tasklist: TaskList
    output: Path
    text: str
    backup: Path | None = None
    old: bytes | None = None
    notes: list[str] = field(default_factory=list)

    def write(self) -> None:
        """Write the list atomically and keep what it replaced as the backup.

        The backup is a second name for the old file (a hard link: no space needed, so a full
        disk fails on the list itself and leaves everything as it was), made under a temporary
        name and given its own only once the new list is in place; where links are not
        possible, a copy is written first.
        """
        import os

        from taskctl.fsutil import atomic_write

        if self.backup is None or self.old is None:
            atomic_write(self.output, self.text.encode("utf-8"))
            return
        held = self.backup.with_name(f".taskctl-backup-{os.getpid()}-{self.output.name}")
        for stale in held.parent.glob(f".taskctl-backup-*-{self.output.name}"):
            try:  # left by an import that was killed before it could name its backup
                stale.unlink()
            except OSError:
                pass
        try:
            os.link(self.output, held)
        except OSError:
            atomic_write(self.backup, self.old, lock=False)
            atomic_write(self.output, self.text.encode("utf-8"))
            return
        try:
            atomic_write(self.output, self.text.encode("utf-8"))
            os.replace(held, self.backup)
        except BaseException:
            try:
                os.unlink(held)
            except OSError:
                pass
            raise


def backup_path(output: Path) -> Path:
    return output.with_name(output.name + ".bak")


def _check_loadable(tasklist: TaskList, source: object, output: Path) -> str:
    """The YAML text of the list, after every check :func:`taskctl.loader.load` would run."""
    from taskctl.loader import dumps, from_data, to_data
    from taskctl.validate import check_ids

    repeated = [f for f in check_ids(tasklist) if f.code == "duplicate-id"]
    if repeated:
        ids = "、".join(str(f.ids[0]) for f in repeated)
        raise DataFileError(source, f"序号 {ids} 重复；请在原件中改正后再导入")
    try:
        from_data(to_data(tasklist), "")
    except DataFileError as exc:
        problem = exc.message.lstrip("：")
        raise DataFileError(
            source, f"{problem}；导入结果无法作为清单使用，未写入 {output}，请在原件中改正后再导入"
        ) from None
    return dumps(tasklist)


def _comment_lines(text: str) -> int:
    """Comment lines a person wrote (those of taskctl's own header do not count)."""
    from taskctl.loader import HEADER

    ours = {line.strip() for line in HEADER.splitlines() if "{" not in line}
    count = 0
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if "#" not in stripped or stripped in ours or (number == 0 and stripped.startswith("# ")):
            continue
        if stripped.startswith("#") or " #" in stripped:
            count += 1
    return count


def _carry_deadlines(new: TaskList, old: TaskList) -> tuple[TaskList, int]:
    """A 完成时限 the old list has for the same task (same 序号, same 年度任务目标) and the
    import has none for."""
    from taskctl.importers.table import DEADLINE_NOTE

    held = {t.id: t for t in old.tasks if t.deadline is not None}
    carried = 0

    def carry(task: Task) -> Task:
        nonlocal carried
        before = held.get(task.id)
        if (
            task.deadline is None
            and DEADLINE_NOTE not in task.extra
            and before is not None
            and normalize(before.text) == normalize(task.text)
        ):
            carried += 1
            return dataclasses.replace(task, deadline=before.deadline)
        return task

    sections = tuple(
        dataclasses.replace(s, tasks=tuple(carry(t) for t in s.tasks)) for s in new.sections
    )
    return dataclasses.replace(new, sections=sections), carried


def prepare_import(
    tasklist: TaskList, source: object, output: Path, groups_from: Path | None = None
) -> ImportPlan:
    """Decide what ``import`` writes: nothing is written here, and every error comes first."""
    from taskctl.loader import from_data, load
    from taskctl.yamlio import decode_utf8, load_yaml

    notes: list[str] = []
    if groups_from is not None:
        tasklist = dataclasses.replace(tasklist, groups=load(groups_from).groups)
    old_bytes: bytes | None = None
    backup: Path | None = None
    if output.exists():
        from taskctl.fsutil import read_regular

        old_bytes = read_regular(output)
        backup = backup_path(output)
        try:
            text = decode_utf8(old_bytes, output)
            old = from_data(load_yaml(text, output), output, check_ids=False)
        except TaskctlError as exc:
            if old_bytes.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
                raise DataFileError(
                    output, "这是进度台账（JSON 记录），不能用清单覆盖（加 --force 也不行）"
                ) from None
            notes.append(f"原清单无法读取（{exc.message}），未能沿用其 groups 和 完成时限")
        else:
            if groups_from is None and old.groups and not tasklist.groups:
                tasklist = dataclasses.replace(tasklist, groups=old.groups)
                notes.append(f"沿用原清单的 groups（{len(old.groups)} 个统称）")
            tasklist, carried = _carry_deadlines(tasklist, old)
            if carried:
                notes.append(f"沿用原清单中手工添加的 完成时限（{carried} 项）")
            comments = _comment_lines(text)
            if comments:
                notes.append(f"原清单中的 {comments} 行注释无法带入新文件，保留在备份 {backup} 中")
        notes.append(f"原清单已备份为 {backup}")
    text = _check_loadable(tasklist, source, output)
    return ImportPlan(tasklist, output, text, backup, old_bytes, notes)
