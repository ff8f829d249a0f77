"""What a shell may complete a half-typed name to: Chinese prefixes, parts, or pinyin.

Kept free of click so the rules can be tested, and reused, without a shell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taskctl.model import TaskList
from taskctl.names import normalize
from taskctl.pinyin import best_matches, has_cjk

KINDS = ("leader", "department", "section")


@dataclass(frozen=True)
class Candidate:
    """A value the shell may insert, the texts it is found by, and a note shown beside it."""

    value: str
    keys: tuple[str, ...]
    note: str = ""


def candidates(tasklist: TaskList, kind: str) -> list[Candidate]:
    """Every ``kind`` (``leader``, ``department`` with groups, ``section``) of the list."""
    from taskctl.query import department_names, leader_names

    if kind == "leader":
        return [Candidate(name, (name,)) for name in leader_names(tasklist)]
    if kind == "department":
        return [Candidate(name, (name,)) for name in department_names(tasklist)]
    if kind == "section":
        return [
            Candidate(s.numeral, (s.numeral, str(index), normalize(s.title)), s.title)
            for index, s in enumerate(tasklist.sections, start=1)
        ]
    raise ValueError(f"unknown kind {kind!r}")


def complete(items: Sequence[Candidate], incomplete: str) -> list[Candidate]:
    """The candidates ``incomplete`` may stand for, best kind of match only.

    Values starting with it come first; failing those, candidates with it anywhere in a key;
    failing those, when it has no Chinese characters, candidates whose key it spells in pinyin
    (the note then gives that pinyin).
    """
    wanted = normalize(incomplete).casefold()
    if not wanted:
        return list(items)
    prefixed = [c for c in items if c.value.casefold().startswith(wanted)]
    if prefixed:
        return prefixed
    inside = [c for c in items if any(wanted in key.casefold() for key in c.keys)]
    if inside or has_cjk(wanted):
        return inside
    owner = {key: c for c in items for key in reversed(c.keys)}
    found: dict[str, Candidate] = {}
    for m in best_matches(wanted, owner):
        c = owner[m.name]
        found.setdefault(c.value, Candidate(c.value, c.keys, c.note or m.pinyin))
    return list(found.values())
