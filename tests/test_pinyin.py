"""Pinyin matching of leader, department and section names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.cli import cli
from taskctl.errors import NameLookupError
from taskctl.names import resolve
from taskctl.pinyin import EXACT, INNER, LEADING, best_matches, clean_query, match, shown
from taskctl.query import resolve_department, resolve_leader, resolve_section


@pytest.mark.parametrize(
    "query",
    ["ydc", "YDC", "yudechen", "Yu Dechen", "yu de chen", "yu'de'chen", "yudch", "yud"],
)
def test_leader_by_full_pinyin_or_initials(tasklist, query):
    assert resolve_leader(tasklist, query) == "于德忱"


@pytest.mark.parametrize("query", ["weidechen", "xdc", "wdc"])
def test_any_reading_of_a_polyphonic_character_matches(tasklist, query):
    # 于 also reads wei and xu: an unusual reading must not make the name unreachable.
    assert resolve_leader(tasklist, query) == "于德忱"


@pytest.mark.parametrize("query", ["zjj", "ZJJ", "zhujianju", "Zhu Jian Ju", "zhuj"])
def test_department_by_pinyin(tasklist, query):
    assert resolve_department(tasklist, query) == "住建局"


@pytest.mark.parametrize("query", ["wenlvju", "wenluju", "wenlüju", "wlj"])
def test_u_umlaut_may_be_typed_v_or_u(tasklist, query):
    assert resolve_department(tasklist, query) == "文旅局"


def test_groups_and_members_match_by_pinyin(tasklist):
    assert resolve_department(tasklist, "gzjd") == "各镇街道"
    assert resolve_department(tasklist, "fujiazhen") == "富家镇"


def test_a_later_character_may_start_the_query(tasklist):
    # Like 建局 for 住建局: ``jianju`` spells the end of three departments.
    with pytest.raises(NameLookupError) as caught:
        resolve_department(tasklist, "jianju")
    assert caught.value.message == (
        "「jianju」对应多个部门：住建局（zhu jian ju）、动监局（dong jian ju）、卫健局（wei jian ju）"
        "；请写得更完整些"
    )
    assert resolve_department(tasklist, "lvji") == "交旅集团"


def test_ambiguous_pinyin_lists_candidates_with_their_pinyin(runner):
    result = runner.invoke(cli, ["list", "--leader", "zh"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "错误：「zh」对应多个责任领导：张健（zhang jian）、张辉（zhang hui）、"
        "董力芳（zhong li fang）、赵玉宇（zhao yu yu）；请写得更完整些\n"
    )


def test_ambiguous_department_by_pinyin(runner):
    result = runner.invoke(cli, ["dept", "zj"])
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：「zj」对应多个部门：住建局（zhu jian ju）、职教中心（zhi jiao zhong xin）"
        "；请写得更完整些\n"
    )


def test_unknown_pinyin(runner):
    result = runner.invoke(cli, ["list", "--leader", "qqq"])
    assert result.exit_code == 2
    assert result.stderr == "错误：没有名为「qqq」的责任领导；用 taskctl leaders 查看全部责任领导\n"


def test_cli_pinyin_filters(runner):
    result = runner.invoke(
        cli, ["list", "--leader", "ydc", "--dept", "fgj", "--id", "1-3", "--as-of", "2023-03-01"]
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t未启动\t\t\t红\n"
        "3\t一\t固定资产投资增长15%\t于德忱\t发改局\t各开发园区、各有关部门、各镇街道\t未启动\t\t\t红\n"
    )
    dept = runner.invoke(cli, ["dept", "zjj", "--format", "tsv"])
    assert dept.exit_code == 0
    assert dept.stdout == runner.invoke(cli, ["dept", "住建局", "--format", "tsv"]).stdout


def test_whole_name_in_full_pinyin_beats_a_longer_name():
    names = ["张辉", "张辉明"]
    assert resolve("zhanghui", names, "责任领导") == "张辉"
    with pytest.raises(NameLookupError, match="张辉（zhang hui）、张辉明（zhang hui ming）"):
        resolve("zhangh", names, "责任领导")


def test_spelling_from_the_first_character_beats_a_later_one():
    assert resolve("jianju", ["住建局", "建局办"], "部门") == "建局办"


def test_ascii_queries_first_match_the_names_as_written():
    # ``ab`` is part of AB组 as written; its pinyin reading (阿波 a bo) is not consulted.
    assert resolve("ab", ["AB组", "阿波"], "部门") == "AB组"
    assert resolve("5g", ["5G专班", "武高"], "部门") == "5G专班"
    assert resolve("5gzb", ["5G专班", "武高"], "部门") == "5G专班"
    assert resolve("abo", ["AB组", "阿波"], "部门") == "阿波"


def test_chinese_queries_are_not_read_as_pinyin():
    with pytest.raises(NameLookupError, match="没有名为「张」的"):
        resolve("张", ["zhang"], "部门")


def test_punctuation_inside_names_is_skipped():
    assert resolve("jfz", ["推广“积分制”基层治理", "住建局"], "责任领导") == "推广“积分制”基层治理"


@pytest.mark.parametrize(
    ("query", "numeral"), [("san", "三"), ("jiu", "九"), ("xczx", "四"), ("bxfz", "八")]
)
def test_sections_by_pinyin(tasklist, query, numeral):
    assert resolve_section(tasklist, query).numeral == numeral


def test_ambiguous_section_by_pinyin(tasklist):
    with pytest.raises(NameLookupError) as caught:
        resolve_section(tasklist, "sn")
    assert caught.value.message == (
        "「sn」对应多个部分：三（聚焦工业兴县，促进提质增…）、四（聚焦乡村振兴，做实“三农…）；请写编号"
    )


def test_match_ranks():
    assert match("zhujianju", "住建局").rank == EXACT
    assert match("zjj", "住建局").rank == LEADING
    assert match("zhuj", "住建局").rank == LEADING
    assert match("jj", "住建局").rank == INNER
    assert match("jz", "住建局") is None
    assert match("", "住建局") is None
    assert match("zhujianjuu", "住建局") is None


def test_shown_pinyin_uses_the_reading_that_matched():
    assert match("xdc", "于德忱").pinyin == "xu de chen"
    assert shown("于德忱") == "yu de chen"


def test_clean_query():
    assert clean_query(" Lü De-chen ") == "lvdechen"


def test_many_polyphonic_characters_stay_bounded():
    # 台 reads tai, yi or si: 3**40 combinations, walked in tokens × query length steps.
    name = "台" * 40
    assert match("yi" * 39 + "q", name) is None
    assert match("si" * 40, name).rank == EXACT


def test_best_matches_keeps_order_given():
    assert [m.name for m in best_matches("zh", ["职教中心", "住建局", "财政局"])] == [
        "职教中心",
        "住建局",
    ]


CHARACTERS = "于德忱张辉董力芳高会巨住建局职教中心台东街道文旅西佛镇乡村振兴"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=CHARACTERS, min_size=1, max_size=8))
def test_a_name_is_found_by_its_own_pinyin_and_initials(name):
    full = shown(name).split()
    assert match("".join(full), name).rank == EXACT
    assert match("".join(p[0] for p in full), name).rank in (EXACT, LEADING)
    assert match(" ".join(full).upper(), name).rank == EXACT


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12))
def test_any_query_resolves_or_raises_a_lookup_error(query):
    try:
        result = resolve(query, ["于德忱", "张辉", "住建局", "5G专班", "推广“积分制”"], "部门")
    except NameLookupError as exc:
        assert exc.message
    else:
        assert result in {"于德忱", "张辉", "住建局", "5G专班", "推广“积分制”"}


def test_a_character_without_pinyin_does_not_hide_the_rest_of_the_name():
    # 龦 (U+9FA6) has no reading in pypinyin: it is kept but never spelled.
    assert match("yu", "龦于").rank == INNER
    assert match("yu", "于龦").rank == LEADING
