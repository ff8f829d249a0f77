"""完成时限 as people write it, read as the date the lights use.

A phrase gives the **end** of the period it names: 6月底前 and 9月投入使用 the last day of the
month, 一季度 31 March, 上半年 30 June, 年底前 31 December, 6月中旬 the 20th. 全年, 持续推进,
长期 (and 长期坚持, 常态化, and the recurring 每季度, 每月) run to the end of the list's year.
Where a cell names several dates (6月底前开工，12月底前竣工) the latest counts; a bare year
(2024) is that year's end. A phrase without a year takes the list's year;
without one either, it gives no date (the phrase is still kept).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MONTH_WORDS = {"十一": 11, "十二": 12, **_CN}
_YEAR = r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?"
_DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d\d)\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})")
_DAY = re.compile(_YEAR + _MONTH + r"\s*(?P<d>[0-3]?\d)\s*[日号]")
_PART = re.compile(_YEAR + _MONTH + r"\s*(?P<p>上旬|中旬|下旬|初|中|底|末)?")
_QUARTER = re.compile(_YEAR + r"(?:第\s*)?(?P<q>[一二三四1-4])\s*季度")
_HALF = re.compile(_YEAR + r"(?P<h>上|下)半年")
_YEAR_END = re.compile(_YEAR + r"(?:年底|年末|年内|年终|全年|底前)")
_WHOLE_YEAR = re.compile(
    r"全年|持续推进|长期|常态化|持续开展|每年|逐年|每季度?|每月|按季度?|按月|定期"
)
_BARE_YEAR = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年(?!\s*(?:\d|[一二三四五六七八九十]|上|下|第))")
# A cell holding a year and nothing else (2024, as Excel keeps a number): that year's end.
_ONLY_YEAR = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)\s*(?:年度?)?\s*$")


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _MONTH_WORDS[text]


def _end_of_month(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def parse_phrase(text: str, year: int | None) -> _dt.date | None:
    """The date a 完成时限 phrase means (see the module docstring), None when it names none."""
    only = _ONLY_YEAR.match(text)
    if only:
        return _dt.date(int(only["y"]), 12, 31)
    found: list[_dt.date] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return not any(a < match.end() and match.start() < b for a, b in taken)

    def year_of(match: re.Match[str]) -> int | None:
        return int(match.group("y")) if match.group("y") else year

    for match in _DATE_ISO.finditer(text):
        day = _safe(int(match["y"]), int(match["m"]), int(match["d"]))
        if day:
            found.append(day)
            taken.append(match.span())
    for match in _DAY.finditer(text):
        y = year_of(match)
        if free(match) and y:
            day = _safe(y, _month(match["m"]), int(match["d"]))
            if day:
                found.append(day)
            taken.append(match.span())  # 2月30日 is a slip, not 2月
    for match in _PART.finditer(text):
        y = year_of(match)
        if not free(match) or not y:
            continue
        month = _month(match["m"])
        part = match["p"]
        within = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(part or "")
        found.append(_dt.date(y, month, within) if within else _end_of_month(y, month))
        taken.append(match.span())
    for match in _QUARTER.finditer(text):
        y = year_of(match)
        if free(match) and y:
            q = match["q"]
            quarter = int(q) if q.isdigit() else _CN[q]
            found.append(_end_of_month(y, quarter * 3))
            taken.append(match.span())
    for match in _HALF.finditer(text):
        y = year_of(match)
        if free(match) and y:
            found.append(_dt.date(y, 6, 30) if match["h"] == "上" else _dt.date(y, 12, 31))
            taken.append(match.span())
    for match in _YEAR_END.finditer(text):
        y = year_of(match)
        if free(match) and y:
            found.append(_dt.date(y, 12, 31))
            taken.append(match.span())
    for match in _BARE_YEAR.finditer(text):
        if free(match):
            found.append(_dt.date(int(match["y"]), 12, 31))
            taken.append(match.span())
    if not found and year and _WHOLE_YEAR.search(text):
        found.append(_dt.date(year, 12, 31))
    return max(found) if found else None
