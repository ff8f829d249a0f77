"""Pinyin spellings of the names in the list, so clerks can type ``ydc`` for 于德忱.

A query spells a name when it can be cut into pieces, one per character from some character on,
where each piece is a whole reading of that character or the start of one (``y``, ``yu``,
``zhu``). Every reading of a polyphonic character counts (于 is yu, wei or xu), and ü may be typed
as v or u. Whitespace, apostrophes and letter case in the query do not matter.

pypinyin is imported on the first call only, so commands given Chinese names never load it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Chinese characters: the unified ideographs, extension A, compatibility ideographs, and the
# supplementary planes. Compared by code point: a regex over these ranges costs milliseconds to
# compile, paid by every command.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))

EXACT, LEADING, INNER = 0, 1, 2


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese character."""
    return any(_is_cjk(char) for char in text)


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def clean_query(query: str) -> str:
    """The query as matched: lower case, ü as v, only ASCII letters and digits kept."""
    return "".join(c for c in query.casefold().replace("ü", "v") if _ascii_alnum(c))


def tokens(name: str) -> list[str]:
    """Each Chinese character of ``name``, and each run of ASCII letters and digits; the rest
    (quotes, punctuation, whitespace) is skipped."""
    found: list[str] = []
    run = ""
    for char in name:
        if _ascii_alnum(char):
            run += char
            continue
        if run:
            found.append(run)
            run = ""
        if _is_cjk(char):
            found.append(char)
    return [*found, run] if run else found


@dataclass(frozen=True)
class Spelling:
    """A name cut into tokens, each with its readings (the usual reading first)."""

    name: str
    tokens: tuple[str, ...]
    readings: tuple[tuple[str, ...], ...]

    def shown(self, chosen: Sequence[str] = (), start: int = 0) -> str:
        """The name's pinyin, space-separated, using ``chosen`` readings from token ``start``."""
        parts = [alternatives[0] for alternatives in self.readings]
        parts[start : start + len(chosen)] = chosen
        return " ".join(parts)


@lru_cache(maxsize=4096)
def spell(name: str) -> Spelling:
    """The tokens of ``name`` and every reading of each (lower-case pinyin without tones)."""
    from pypinyin import Style, lazy_pinyin, pinyin

    parts = tuple(tokens(name))
    chars = [t for t in parts if has_cjk(t)]
    # Phrase-aware readings of the whole name put the likely reading first (when every character
    # has one; otherwise the per-character readings alone are used).
    usual = lazy_pinyin("".join(chars), style=Style.NORMAL, errors="ignore")
    if len(usual) != len(chars):
        usual = [""] * len(chars)
    usual_of = iter(usual)
    readings: list[tuple[str, ...]] = []
    for token in parts:
        if not has_cjk(token):
            readings.append((token.casefold(),))
            continue
        found = [next(usual_of)]
        for alternatives in pinyin(token, style=Style.NORMAL, heteronym=True, errors="ignore"):
            found.extend(alternatives)
        found = [r for r in found if r.isascii() and r.isalpha()]
        found += [r.replace("v", "u") for r in found if "v" in r]
        readings.append(tuple(dict.fromkeys(found)) or (token,))
    return Spelling(name, parts, tuple(readings))


def _walk(query: str, spelling: Spelling, start: int, whole: bool) -> tuple[str, ...] | None:
    """Readings of tokens from ``start`` that together spell all of ``query``, or None.

    With ``whole`` every token must be spelled in full; otherwise a piece may be the start of a
    reading and the query may stop before the name ends. Memoised on (token, position), so the
    work is bounded by tokens × query length × readings, whatever the number of combinations.
    """
    readings = spelling.readings
    failed: set[tuple[int, int]] = set()

    def walk(i: int, j: int) -> tuple[str, ...] | None:
        if j == len(query):
            return () if not whole or i == len(readings) else None
        if i == len(readings) or (i, j) in failed:
            return None
        for reading in readings[i]:
            lengths = [len(reading)] if whole else range(len(reading), 0, -1)
            for k in lengths:
                if query.startswith(reading[:k], j):
                    rest = walk(i + 1, j + k)
                    if rest is not None:
                        return (reading, *rest)
        failed.add((i, j))
        return None

    return walk(start, 0)


@dataclass(frozen=True)
class Match:
    """A name the query spells, how well (``EXACT``, ``LEADING``, ``INNER``) and its pinyin."""

    name: str
    rank: int
    pinyin: str


def match(query: str, name: str) -> Match | None:
    """How ``query`` spells ``name`` in pinyin: the whole name in full (``EXACT``), from the
    first character on (``LEADING``: ``zjj``, ``zhuj`` for 住建局) or from a later one
    (``INNER``: ``jianju``); None when it does not."""
    wanted = clean_query(query)
    if not wanted:
        return None
    spelling = spell(name)
    chosen = _walk(wanted, spelling, 0, whole=True)
    if chosen is not None:
        return Match(name, EXACT, spelling.shown(chosen))
    for start in range(len(spelling.tokens)):
        chosen = _walk(wanted, spelling, start, whole=False)
        if chosen is not None:
            return Match(name, LEADING if start == 0 else INNER, spelling.shown(chosen, start))
    return None


def best_matches(query: str, names: Iterable[str]) -> list[Match]:
    """The names ``query`` spells at the best rank found, in the order given."""
    found = [m for m in (match(query, name) for name in names) if m is not None]
    if not found:
        return []
    best = min(m.rank for m in found)
    return [m for m in found if m.rank == best]


def shown(name: str) -> str:
    """The usual pinyin of ``name``, space-separated (``于德忱`` → ``yu de chen``)."""
    return spell(name).shown()
