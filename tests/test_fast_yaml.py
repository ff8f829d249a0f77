"""The fast parser (yaml-rs) never changes an answer: the same list, or the same error with the
same line, as PyYAML alone (issue 14). conftest's ``_fast_yaml_agrees`` also checks every list
any other test parses."""

from __future__ import annotations

import sys

import layouts
import pytest
from conftest import BUNDLED, FAST_YAML_USE, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.errors import DataFileError
from taskctl.fastyaml import fast_load
from taskctl.importers import read_source
from taskctl.loader import dumps, from_data, load, loads, to_data
from taskctl.yamlio import load_yaml

sys.path.insert(0, str(ROOT / "bench"))
import gen  # noqa: E402

pytest.importorskip("yaml_rs")


def outcome(run, text):
    try:
        return run(text)
    except DataFileError as exc:
        return ("DataFileError", str(exc))


def pyyaml_only(text):
    return from_data(load_yaml(text, "t.yaml"), "t.yaml")


def with_fast_parser(text):
    return loads(text, "t.yaml")


LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 重点工作
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 修建城东道路
    责任领导:
    - 张三
    牵头部门:
    - 交通局
    责任部门: []
    完成时限: 2023-06-30
  - 序号: 2
    年度任务目标: 新建污水处理厂
    责任领导:
    - 李四
    牵头部门:
    - 住建局
    按状态判定: true
"""


def test_fixture_lists_take_the_fast_path_and_read_the_same(tmp_path):
    texts = {"bundled": BUNDLED.read_text(encoding="utf-8"), "small": LIST}
    texts["bench 300"] = dumps(gen.make_list(300))
    for name, build in (
        ("district.docx", layouts.district_docx),
        ("city.xlsx", layouts.city_xlsx),
        ("county.csv", layouts.county_csv),
        ("first_lead.docx", layouts.first_lead_docx),
        ("four_levels.docx", layouts.four_levels_docx),
        ("paragraphs.txt", layouts.paragraphs_txt),
    ):
        build(tmp_path / name)
        texts[name] = dumps(read_source(tmp_path / name).tasklist)
    for name, text in texts.items():
        data = fast_load(text)
        assert data is not None, f"{name} should take the fast path"
        fast, reference = from_data(data, "t.yaml"), pyyaml_only(text)
        assert fast == reference, name
        assert repr(to_data(fast)) == repr(to_data(reference)), name  # in the same order


def test_a_list_read_from_its_file_is_the_same_either_way(tmp_path, monkeypatch):
    path = tmp_path / "tasks.yaml"
    path.write_text(dumps(gen.make_list(500)), encoding="utf-8")
    monkeypatch.setenv("TASKCTL_NO_CACHE", "1")
    fast = load(path)
    monkeypatch.setenv("TASKCTL_FAST_YAML", "0")
    assert load(path) == fast
    assert len(fast.tasks) == 500


# Where YAML 1.1 (PyYAML) and yaml-rs read the same text differently, or where taskctl refuses
# what yaml-rs accepts: each must be left to PyYAML.
DIFFERING = [
    ("序号: 1", "序号: 017"),  # octal 15 for PyYAML, 17 for yaml-rs
    ("序号: 1", "序号: 0o1"),  # text for PyYAML
    ("序号: 1", "序号: 1e0"),  # text for PyYAML, 1.0 for yaml-rs
    ("按状态判定: true", "按状态判定: yes"),
    ("按状态判定: true", "按状态判定: on"),
    ("- 张三", "- no"),  # a leader named False for PyYAML
    ("完成时限: 2023-06-30", "完成时限: '2023-06-30'"),  # a date for yaml-rs, text for PyYAML
    ("完成时限: 2023-06-30", "完成时限: 2023-02-30"),  # an impossible date: refused
    ("完成时限: 2023-06-30", "完成时限: 2023-06-30 10:00:00"),
    ("完成时限: 2023-06-30", "完成时限: !!str 2023-06-30"),
    ("完成时限: 2023-06-30", "完成时限: !custom 2023-06-30"),
    ("序号: 2", "序号: 1:30"),  # sexagesimal 90 for PyYAML
    ("- 张三", "- &a 张三"),
    ("- 李四", "- *a"),
    ("项数: 2", "项数: 2\n  项数: 3"),  # a duplicate key
    ("标题: 重点工作", "<<: {标题: 重点工作}"),
    ("年度: 2023", "年度: 2_023"),
    ("年度: 2023", "%YAML 1.1\n---\n年度: 2023"),
    ("修建城东道路", "修建城东道路\u2028二期"),  # a line break for PyYAML
    ("修建城东道路", "修建\x85城东道路"),
    ("修建城东道路", "修建\\t城东道路"),
    ("修建城东道路", "修建\t城东道路"),
    ("    - 交通局", "    - - 交通局"),
    ("责任部门: []", "责任部门: [财政局]"),
    ("责任部门: []", "责任部门: |\n      2023-06-30"),
]


@pytest.mark.parametrize(("old", "new"), DIFFERING)
def test_what_the_parsers_may_read_differently_is_left_to_pyyaml(old, new):
    assert old in LIST
    text = LIST.replace(old, new, 1)
    assert fast_load(text) is None
    assert outcome(with_fast_parser, text) == outcome(pyyaml_only, text)


def test_the_guard_is_needed_yaml_rs_alone_would_answer_otherwise():
    import yaml_rs

    assert yaml_rs.loads("a: 017") != load_yaml("a: 017", "t")
    assert yaml_rs.loads("a: '2023-06-30'") != load_yaml("a: '2023-06-30'", "t")
    assert yaml_rs.loads("a: yes") != load_yaml("a: yes", "t")


AGREED = [
    ("序号: 2", "序号: 2   # 第二项"),
    ("修建城东道路", "修建城东道路 #1"),
    ("修建城东道路", "'修建''城东''道路'"),
    ("修建城东道路", '"修建城东道路"'),
    ("修建城东道路", "修建城东道路\n      二期工程"),  # a plain scalar over two lines
    ("修建城东道路", "2023年修建城东道路"),
    ("- 张三", "- 5G办"),
    ("项数: 2", "项数: null"),
    ("项数: 2", "项数: ~"),
    ("按状态判定: true", "按状态判定: False"),
    ("完成时限: 2023-06-30", "完成时限: 2024-02-29"),
    ("  项数: 2\n", "  项数: 2\n  上级: []\n  原文: 一、重点工作\n"),
    ("年度: 2023", "年度: 2023\n序时容差: 10.5"),
    ("    完成时限: 2023-06-30", "    完成时限: 2023-06-30\n    备注: 12:30 开会"),
]


@pytest.mark.parametrize(("old", "new"), AGREED)
def test_what_both_read_alike_takes_the_fast_path(old, new):
    assert old in LIST
    text = LIST.replace(old, new, 1)
    data = fast_load(text)
    assert data is not None
    assert from_data(data, "t.yaml") == pyyaml_only(text)


ERRORS = [
    ("序号: 2", "序号: 1"),  # a repeated 序号
    ("序号: 2", "序号: 0"),
    ("年度: 2023", "年度: 20230"),
    ("  - 序号: 2\n", "  - 序号: 2\n    年度任务目标:\n"),
    ("完成时限: 2023-06-30", "完成时限: 2023"),
    ("    - 李四", "    - 3"),
    ("按状态判定: true", "按状态判定: 1"),
    ("sections:", "sectionz:"),
    ("  标题: 重点工作", "  标题: 重点工作: 又一"),  # not YAML
]


@pytest.mark.parametrize(("old", "new"), ERRORS)
def test_errors_are_pyyamls_naming_the_same_line(old, new):
    assert old in LIST
    text = LIST.replace(old, new, 1)
    got = outcome(with_fast_parser, text)
    assert got[0] == "DataFileError"
    assert got == outcome(pyyaml_only, text)


SCALARS = [
    "1",
    "01",
    "017",
    "0o7",
    "0x1F",
    "0b1",
    "1_0",
    "+1",
    "-1",
    "1.5",
    "1.",
    ".5",
    "-.5",
    "1e3",
    "1.0e+3",
    ".inf",
    ".NaN",
    "1:30",
    "2023-06-30",
    "2023-6-30",
    "2023-02-29",
    "2023-06-30T10:00",
    "2023-06-30 10:00:00+08:00",
    "0000-01-01",
    "true",
    "True",
    "tRue",
    "yes",
    "Y",
    "n",
    "on",
    "OFF",
    "null",
    "~",
    "Null",
    "",
    "''",
    "'1'",
    '"2023-06-30"',
    "'yes'",
    "=",
    "<<",
    "-",
    "张三",
    "0999-01-01",
    "9999-12-31",
    "999999999999999999",
    "99999999999999999999",
    "-0",
    "-0.0",
    "1.123456789012345",
    "~中",
    "true中",
    "2023-06-30中",
    "0x中",
    "@x",
    "`x",
    "%x",
    "?x",
    ":x",
    "5G办",
    "办公室 #x",
    "5 #注",
    "5#x",
    "5 x",
    "-5  #x",
    "12 ",
    "0 #",
    "a: b",
    "a:b",
    "中'文",
    "'中'",
    '"中\\t"',
    "[]",
    "{}",
    "[1]",
    "|-\n  1",
]
POSITIONS = [  # (what is replaced, by what): values, items and keys
    ("序号: 1", "序号: {}"),
    ("年度: 2023", "年度: {}"),
    ("项数: 2", "项数: {}"),
    ("完成时限: 2023-06-30", "完成时限: {}"),
    ("按状态判定: true", "按状态判定: {}"),
    ("- 张三", "- {}"),
    ("年度任务目标: 修建城东道路", "年度任务目标: {}"),
    ("    牵头部门:\n    - 交通局", "    {}:\n    - 交通局"),
    ("  项数: 2", "  {}: 2"),
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(POSITIONS), st.sampled_from(SCALARS)), max_size=3))
def test_any_mix_of_tricky_scalars_reads_the_same_either_way(changes):
    text = LIST
    for (old, new), scalar in changes:
        text = text.replace(old, new.format(scalar), 1)
    assert outcome(with_fast_parser, text) == outcome(pyyaml_only, text)


def test_the_suite_exercises_the_fast_path():
    """conftest compares both parsers on every list the suite parses; that only proves
    something if the fast path is really taken."""
    loads(LIST)
    assert FAST_YAML_USE["fast"] > 0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "- ", "-", "5", "x", "y", "中", ":", "#", "\n", "1", "."])))
def test_the_indentation_scan_finds_what_the_plain_form_does(parts):
    """The scan takes a line's indentation whole (a lookahead and a backreference) to stay
    fast; it must find the same tokens as the plain, backtracking form on every Python."""
    import re

    from taskctl import fastyaml

    text = "\n" + "".join(parts)
    plain = re.compile(r"\n[ ]*(?:-[ ]+)*" + fastyaml._TOKEN, re.MULTILINE)  # the slow original
    found = [m.group("token") for m in fastyaml._TYPED_ITEM.finditer(text)]
    assert found == [m.group("token") for m in plain.finditer(text)]


def test_the_scan_uses_no_possessive_quantifier():
    """Python 3.11.0-3.11.4 (Debian 12 ships 3.11.2) read `[ ]*+(?:-[ ]+)*+` wrongly: on
    "\\n-- " it finds no token where 3.11.7 finds "--"; the project claims 3.10 and later."""
    from taskctl import fastyaml

    assert [m.group("token") for m in fastyaml._TYPED_ITEM.finditer("\n-- ")] == ["--"]
    for pattern in (fastyaml._TYPED_ITEM, fastyaml._TYPED_VALUE):
        assert "*+" not in pattern.pattern and "++" not in pattern.pattern


@pytest.mark.parametrize("scalar", ["_1", "__1", "_1_0", "_.5", " _1"])
def test_an_underscore_before_digits_is_left_to_pyyaml(scalar):
    """yaml-rs reads _1 as the number 1, PyYAML as the text "_1"."""
    assert fast_load(f"a: {scalar}\nb:\n- {scalar}\n") is None
    text = LIST.replace("- 张三", f"- {scalar.strip()}")
    assert with_fast_parser(text) == pyyaml_only(text)


def test_turning_the_fast_parser_off_does_not_read_its_answer_from_the_cache(tmp_path, monkeypatch):
    """TASKCTL_FAST_YAML=0 is the way out when the fast parser reads a list wrongly: the cache
    must not keep giving the fast parser's answer."""
    import os

    from taskctl import fastyaml

    real = fastyaml.fast_load

    def wrong(text):  # a fast answer that differs from PyYAML's, as a hole in the guard gives
        if os.environ.get("TASKCTL_FAST_YAML") == "0":
            return None
        data = real(text)
        return data and {**data, "标题": "快速解析器读错的标题"}

    monkeypatch.setattr(fastyaml, "fast_load", wrong)
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    assert load(path).title == "快速解析器读错的标题"
    monkeypatch.setenv("TASKCTL_FAST_YAML", "0")
    assert load(path).title == "测试清单"
