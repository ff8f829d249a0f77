"""Split a cell of names the way a reader does.

Names are separated by 、 ， , ； ; and line breaks; a trailing 。 is no part of a name, nor is
the 等 ("and others") that ends a name (…管委会等, …等等, …等有关单位). A name that is a
word ending in 等 (平等, 高等: :data:`ETC_WORDS`) is not "X and others" and is kept. Separators inside brackets do not split (``工业园（甲镇、乙镇）`` is one name),
and a 各 followed by one or two administrative levels governs the short items after it:
``各县、市、区政府`` and ``各乡镇、街道`` are one name each.
"""

from __future__ import annotations

import re

SEPARATORS = "、，,；;\n"
_OPEN = "（(【[〔"
_CLOSE = "）)】]〕"
# Administrative levels a blanket 各 can govern (各县、市、区政府).
_LEVELS = "省市县区乡镇街道村社区旗盟州"
_LEVEL_ONLY = re.compile(f"^[{_LEVELS}]{{1,3}}$")
_LEVEL_TAIL = re.compile(f"^[{_LEVELS}]{{1,3}}(?:人民政府|政府|党委|党工委|办事处|管委会)$")
_TRAILING = re.compile(r"[。．.]+$")
# The "and others" at the end of a name: 等, 等等, 等单位, 等有关部门, 等相关单位 …
# Two-character words ending in 等: a cell holding one is that word, never "X and others".
ETC_WORDS = frozenset(w + "等" for w in "平同对均相高中初上优特次何头劣超甲乙丙一二三")
_ETC = re.compile(r"\s*等(?:等|(?:有关|相关|其他)?(?:成员单位|单位|部门))?$")
# A cell without any of these is one name a line, taken as written.
_SPECIAL = re.compile("[、，,；;。．等各]")


def _parts(text: str) -> list[str]:
    """Split at separators outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if char in SEPARATORS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _governs(part: str) -> bool:
    """A part such as 各县 or 各乡镇: 各 and nothing but one to three administrative levels."""
    body = part.strip()
    return body.startswith("各") and bool(_LEVEL_ONLY.match(body[1:]))


def split_cell(text: str) -> tuple[str, ...]:
    """The names in ``text``, each as written (inner spaces kept), in order.

    A cell of one name a line, none ending in 。 or 等, is taken line by line exactly as
    written (as the Word lists write it); otherwise the names are trimmed of spaces.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _SPECIAL.search(text) or (
        not any(len(part) > 1 for part in (_parts(line) for line in lines))
        and not any(
            line.rstrip().endswith(("。", "．")) or _ETC.search(line.rstrip()) or _governs(line)
            for line in lines
        )
    ):
        return tuple(line for line in lines if line.strip())
    raw = _parts(text)
    names: list[str] = []
    index = 0
    while index < len(raw):
        part = raw[index]
        index += 1
        if _governs(part):
            joined = [part.strip()]
            while index < len(raw):
                following = raw[index].strip()
                if _LEVEL_ONLY.match(following):
                    joined.append(following)
                    index += 1
                    continue
                if _LEVEL_TAIL.match(_TRAILING.sub("", following)):
                    joined.append(following)
                    index += 1
                break
            if len(joined) > 1:
                part = "、".join(joined)
        names.append(part)
    cleaned = []
    for name in names:
        name = strip_etc(_TRAILING.sub("", name.strip()).rstrip())
        if name:
            cleaned.append(name)
    return tuple(cleaned)


def strip_etc(name: str) -> str:
    """``name`` without the 等 ("and others") that ends it: …管委会等 → …管委会; a word
    ending in 等 (平等, 高等) is kept whole, and so is 等 alone."""
    match = _ETC.search(name)
    if match is None or name in ETC_WORDS or not name[: match.start()].strip():
        return name
    return name[: match.start()].rstrip()


def as_written(names: tuple[str, ...], text: str) -> str | None:
    """``text`` when writing ``names`` one a line would not give it back, else None."""
    return None if "\n".join(names) == text.strip("\n") else text
