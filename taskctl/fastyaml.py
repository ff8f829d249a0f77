"""The fast reader of task lists: yaml-rs, where it reads exactly as PyYAML.

PyYAML (:func:`taskctl.yamlio.load_yaml`) is the reference reader, the one that names the line
of an error, and the writer. yaml-rs reads a 100 000-task list several times faster, but YAML
1.2 differs from 1.1 and yaml-rs has its own ways (see bench/NOTES.md): :func:`fast_load` gives
its answer only for plain block-style YAML (what taskctl writes) in which every scalar that
either could read as other than text is written in a form both read alike; anything else is
left to PyYAML. Its own module, so that reading a log or a cached list never compiles the
guard's patterns.
"""

from __future__ import annotations

import os
import re
from typing import Any

from taskctl.yamlio import no_gc

# A plain scalar starting like something YAML 1.1 or 1.2 may read as other than text, at the
# start of a line (a key or an item) or after a key (yaml-rs reads _1 and _.5 as numbers,
# PyYAML as text). Separate patterns with a literal first character: an alternation at every
# position would scan a 27 MB list several times slower.
_TOKEN = r"(?P<token>(?:-(?![ ]|$)|[+.0-9~yYnNtTfFoO<=_])(?:[^\s:]|:(?![ ]|$)|[ ]+(?![ #]|$))*)"
# The indentation and "- " marks before a token, taken whole (a token never starts with a
# space or "- ", so giving any back could not match) by a lookahead and a backreference: the
# possessive `[ ]*+` is the same in 3.11, but Python 3.11.0 to 3.11.4 (Debian 12's 3.11.2) get
# it wrong and miss tokens. Backtracking over every line's indentation made this scan of a
# 27 MB list take 0.4 s.
_LEAD = r"(?=(?P<lead>[ ]*(?:-[ ]+)*))(?P=lead)"
_TYPED_ITEM = re.compile(r"\n" + _LEAD + _TOKEN, re.MULTILINE)
# A plain decimal integer that ends its line (or is followed by a comment) reads alike in both:
# skipped in the pattern itself, since a list has one on every task (序号).
_PLAIN_INT = r"(?!-?(?:0|[1-9][0-9]{0,17})(?:[ ]*$|[ ]+#))"
_TYPED_VALUE = re.compile(r": [ ]*" + _PLAIN_INT + _TOKEN, re.MULTILINE)
# The forms both read alike: decimal integers and fractions, ISO dates (checked to exist),
# and the common spellings of true, false and null.
_AGREED = re.compile(
    r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,15})?|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)
_ASCII = re.compile(r"[\x20-\x7e]*")
# Characters PyYAML refuses or reads as a line break (tabs and carriage returns too), a BOM
# inside the text, and backslashes (escapes are left to PyYAML).
_ODD_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
# Anchors, aliases and tags; flow collections other than the empty [] and {} the writer uses.
_NODE_PROPERTY = re.compile(r"(?:^|[\s,\[{])[&*!]", re.MULTILINE)
_FLOW = re.compile(r"(?:^|[\s,\[{])(?:\[(?!\]$)|\{(?!\}$))", re.MULTILINE)
# Block scalars, and quoted scalars with no other than ASCII on their first line (yaml-rs reads
# a quoted '2023-06-30' as a date, where PyYAML keeps the text; text with a Chinese character
# in it is text for both).
_QUOTED = re.compile(
    r"(?:^[ ]*(?:-[ ]+)*|: [ ]*)(?:[|>]|['\"](?![^'\"\n\x80-\U0010ffff]*[^\x00-\x7f]))",
    re.MULTILINE,
)
# Complex keys, and "- - -" nesting (with indentation under 64, the depth stays small).
_COMPLEX_KEY = re.compile(r"^[ ]*(?:-[ ]+)*\?(?:[ ]|$)", re.MULTILINE)
_NESTED_ITEM = re.compile(r"-[ ]+-(?:[ ]|$)")


def _doubtful(text: str) -> bool:
    """Whether ``text`` uses anything beyond the plain block style both parsers read alike.
    Each pattern is only searched for when its characters occur at all."""
    lines = "\n" + text
    if (
        _ODD_CHARACTER.search(text)
        or "\n%" in lines
        or "\n---" in lines
        or "\n..." in lines
        or "\n" + " " * 64 in lines
    ):
        return True
    if ("&" in text or "*" in text or "!" in text) and _NODE_PROPERTY.search(text):
        return True
    empty = text.count(" []\n") + text.count(" {}\n")
    if text.count("[") + text.count("{") != empty and _FLOW.search(text):
        return True
    if any(mark in text for mark in "|>'\"") and _QUOTED.search(text):
        return True
    if "?" in text and _COMPLEX_KEY.search(text):
        return True
    return "- -" in text and _NESTED_ITEM.search(text) is not None


def fast_load(text: str) -> Any:
    """The data of ``text`` through yaml-rs (several times faster than PyYAML on a large list),
    or ``None`` whenever its answer could differ from :func:`load_yaml`'s in the slightest.

    Only plain block-style YAML is taken: every scalar that either YAML 1.1 (PyYAML) or 1.2
    (yaml-rs) could read as other than text must be written in a form both read alike;
    anything else (yes/no, octal, exponents, times, anchors, tags, quotes that begin with
    ASCII, impossible dates…) returns ``None`` and the caller uses PyYAML, which also names
    the line of any error. ``TASKCTL_FAST_YAML=0`` turns it off.
    """
    if os.environ.get("TASKCTL_FAST_YAML") == "0" or _doubtful(text):
        return None
    try:
        import yaml_rs
    except ImportError:
        return None
    lines = "\n" + text
    tokens = {
        m.group("token") for pattern in (_TYPED_ITEM, _TYPED_VALUE) for m in pattern.finditer(lines)
    }
    for token in tokens:  # each distinct one once: a list repeats its 完成时限 dates
        if _AGREED.fullmatch(token):
            if token[4:5] == "-" and not _real_date(token):
                return None
        elif _ASCII.fullmatch(token):
            return None
    try:
        with no_gc():
            data = yaml_rs.loads(text)
    except Exception:  # any refusal: PyYAML says what is wrong, and where
        return None
    return data


def _real_date(token: str) -> bool:
    import datetime as _dt

    try:
        _dt.date.fromisoformat(token)
    except ValueError:
        return False
    return True
