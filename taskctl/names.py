"""Matching the names clerks type against the names in the list.

Names compare with all whitespace removed (half- and full-width), so ``张辉``, ``张 辉`` and
``张  辉`` are one leader. A query may be the whole name or a unique part of it; a query
without Chinese characters may also spell a name in pinyin, in full or by initials
(``yudechen``, ``ydc``; see :mod:`taskctl.pinyin`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from taskctl.errors import NameLookupError

_WHITESPACE = re.compile(r"\s+")
# Brackets fold to full width: 工业园(某某镇) and 工业园（某某镇） are one name.
_BRACKETS = str.maketrans("()[]", "（）【】")


_NORMALIZED: dict[str, str] = {}


def normalize(name: str) -> str:
    """The name with every kind of whitespace removed and brackets folded to full width."""
    # Lists of 100 000 tasks repeat a few hundred names; remembering them saves the regex.
    try:
        return _NORMALIZED[name]
    except KeyError:
        result = _WHITESPACE.sub("", name).translate(_BRACKETS)
        if len(_NORMALIZED) < 100_000:
            _NORMALIZED[name] = result
        return result


def resolve(query: str, names: Iterable[str], kind: str, hint: str = "") -> str:
    """The one name in ``names`` that ``query`` denotes, normalized.

    Exact (whitespace-insensitive) matches win; otherwise the query must be part of exactly one
    name. A query with no Chinese characters that is part of no name is then read as pinyin
    (:func:`taskctl.pinyin.best_matches`). Unknown and ambiguous queries raise
    :class:`NameLookupError` listing the candidates (with their pinyin for pinyin queries).
    """
    wanted = normalize(query).casefold()
    known = sorted({normalize(name) for name in names})
    if not wanted:
        raise NameLookupError(f"{kind}名称不能为空")
    exact = [name for name in known if name.casefold() == wanted]
    if exact:
        return exact[0]
    partial = [name for name in known if wanted in name.casefold()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        listed = "、".join(partial[:12]) + ("…" if len(partial) > 12 else "")
        raise NameLookupError(f"「{query}」对应多个{kind}：{listed}；请写得更完整些")
    # Imported only now: a query that matched as written pays nothing for pinyin.
    from taskctl.pinyin import best_matches, has_cjk

    if not has_cjk(wanted):
        spelled = best_matches(wanted, known)
        if len(spelled) == 1:
            return spelled[0].name
        if spelled:
            listed = "、".join(f"{m.name}（{m.pinyin}）" for m in spelled[:12])
            listed += "…" if len(spelled) > 12 else ""
            raise NameLookupError(f"「{query}」对应多个{kind}：{listed}；请写得更完整些")

    import difflib

    close = difflib.get_close_matches(normalize(query), known, n=5, cutoff=0.4)
    suggestion = f"；相近的有：{'、'.join(close)}" if close else ""
    more = f"；{hint}" if hint else ""
    raise NameLookupError(f"没有名为「{query}」的{kind}{suggestion}{more}")
