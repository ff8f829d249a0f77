"""The terminal table fits the width it is given: the task text keeps at least half of the line,
the columns that matter least give way (empty ones first, and stderr says which), a number stays
with its unit, and piped lines carry no trailing spaces."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskctl.cli import cli
from taskctl.layout import CLOSING, OPENING, atoms, cells, fit, wrap
from tests.conftest import BUNDLED_NOTE

TABLES = {
    60: (
        "序号 年度任务目标                   责任领导 牵头部门     灯\n"
        "────────────────────────────────────────────────────────────\n"
        "   9 全年开复工5000万元以上项目     于德忱   发改局       红\n"
        "     81个，推进投资7.28亿元的年产\n"
        "     14万吨速冻食品等一批项目开复\n"
        "     工，确保投资3.2亿元的年产6万吨\n"
        "     锂电池填充液等一批项目竣工投产\n"
        "  29 推进5处镇级污水处理厂建设，提           各有关镇街道 红\n"
        "     升镇村污水处理能力\n"
        "  31 健全完善农村人居环境管护长效机 赵玉宇   农业农村局   红\n"
        "     制，加强村容村貌建设，实施厕所 董力芳   生态环境局\n"
        "     运行维护、生活污水处理、生活垃          住建局\n"
        "     圾分类、农村饮水提质增效、畜禽          水利局\n"
        "     粪污治理等攻坚行动，提升农村人          动监局\n"
        "     居环境治理水平\n",
        "（宽 60 列，未显示：部分、责任部门、状态；加宽终端或用 --format json 可看全部）\n",
    ),
    80: (
        "序号 年度任务目标                                责任领导 牵头部门     状态   灯\n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "   9 全年开复工5000万元以上项目81个，推进投资    于德忱   发改局       未启动 红\n"
        "     7.28亿元的年产14万吨速冻食品等一批项目开复\n"
        "     工，确保投资3.2亿元的年产6万吨锂电池填充液\n"
        "     等一批项目竣工投产\n"
        "  29 推进5处镇级污水处理厂建设，提升镇村污水处理          各有关镇街道 未启动 红\n"
        "     能力\n"
        "  31 健全完善农村人居环境管护长效机制，加强村容  赵玉宇   农业农村局   未启动 红\n"
        "     村貌建设，实施厕所运行维护、生活污水处理、  董力芳   生态环境局\n"
        "     生活垃圾分类、农村饮水提质增效、畜禽粪污治           住建局\n"
        "     理等攻坚行动，提升农村人居环境治理水平               水利局\n"
        "                                                          动监局\n",
        "（宽 80 列，未显示：部分、责任部门；加宽终端或用 --format json 可看全部）\n",
    ),
    120: (
        "序号 部分 年度任务目标                                                      责任领导 牵头部门     责任部门     状态   灯\n"
        "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────\n"
        "   9 二   全年开复工5000万元以上项目81个，推进投资7.28亿元的年产14万吨速冻  于德忱   发改局       各开发园区   未启动 红\n"
        "          食品等一批项目开复工，确保投资3.2亿元的年产6万吨锂电池填充液等一                        各有关部门\n"
        "          批项目竣工投产                                                                          各镇街道\n"
        "  29 四   推进5处镇级污水处理厂建设，提升镇村污水处理能力                            各有关镇街道              未启动 红\n"
        "  31 四   健全完善农村人居环境管护长效机制，加强村容村貌建设，实施厕所运行  赵玉宇   农业农村局   各有关部门   未启动 红\n"
        "          维护、生活污水处理、生活垃圾分类、农村饮水提质增效、畜禽粪污治理  董力芳   生态环境局   各有关镇街道\n"
        "          等攻坚行动，提升农村人居环境治理水平                                       住建局\n"
        "                                                                                     水利局\n"
        "                                                                                     动监局\n",
        "",
    ),
    200: (
        "序号 部分 年度任务目标                                                                                                                                      责任领导 牵头部门     责任部门     状态   灯\n"
        "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────\n"
        "   9 二   全年开复工5000万元以上项目81个，推进投资7.28亿元的年产14万吨速冻食品等一批项目开复工，确保投资3.2亿元的年产6万吨锂电池填充液等一批项目竣工投产    于德忱   发改局       各开发园区   未启动 红\n"
        "                                                                                                                                                                                  各有关部门\n"
        "                                                                                                                                                                                  各镇街道\n"
        "  29 四   推进5处镇级污水处理厂建设，提升镇村污水处理能力                                                                                                            各有关镇街道              未启动 红\n"
        "  31 四   健全完善农村人居环境管护长效机制，加强村容村貌建设，实施厕所运行维护、生活污水处理、生活垃圾分类、农村饮水提质增效、畜禽粪污治理等攻坚行动，提升  赵玉宇   农业农村局   各有关部门   未启动 红\n"
        "          农村人居环境治理水平                                                                                                                              董力芳   生态环境局   各有关镇街道\n"
        "                                                                                                                                                                     住建局\n"
        "                                                                                                                                                                     水利局\n"
        "                                                                                                                                                                     动监局\n",
        "",
    ),
}


@pytest.mark.parametrize("width", sorted(TABLES))
def test_list_table_at_each_width(runner, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(
        cli, ["list", "--id", "9,29,31", "--as-of", "2023-06-30", "--format", "table"]
    )
    assert result.exit_code == 0
    assert result.stdout == TABLES[width][0]
    assert result.stderr == BUNDLED_NOTE + TABLES[width][1]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("fmt", ["table", "plain"])
@pytest.mark.parametrize("command", [["list"], ["dept", "住建局"], ["stats"], ["history", "1"]])
def test_every_line_fits_and_carries_no_trailing_space(
    runner, monkeypatch, width, fmt, command, tmp_path
):
    log = tmp_path / "progress.jsonl"
    log.write_text(
        '{"序号": 1, "日期": "2023-06-05", "状态": "序时推进", "进度": 45, '
        '"说明": "1—5月地区生产总值增长6.8%，预计上半年增长7.2%，好于全市平均水平", '
        '"填报人": "发改局", "记录时间": "2023-06-05T09:12:00.000000+08:00"}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COLUMNS", str(width))
    args = [*command, "--format", fmt, "--ledger", str(log)]
    if command[0] != "history":
        args += ["--as-of", "2023-06-30"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 2
    for line in lines:
        assert cells(line) <= width, line
        assert line == line.rstrip(), repr(line)


def test_list_text_keeps_half_the_line_at_80(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(cli, ["list", "--format", "table", "--as-of", "2023-06-30"])
    heading = result.stdout.splitlines()[0]
    start = cells(heading[: heading.index("年度任务目标")])
    end = cells(heading[: heading.index("责任领导")])
    assert end - start - 1 >= 40


def test_no_number_is_split_from_its_unit_in_the_whole_list(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    result = runner.invoke(cli, ["list", "--format", "plain", "--as-of", "2023-06-30"])
    lines = result.stdout.splitlines()
    for upper, lower in zip(lines, lines[1:], strict=False):
        # a line that ends in a digit is never followed by one that goes on with the number
        if re.search(r"[0-9.]$", upper.rstrip()):
            assert not re.match(r"\s*[0-9.%]", lower[cells(upper) - len(upper) :]), (upper, lower)
    assert "增长15%" in result.stdout


def test_plain_without_a_width_keeps_every_column(runner, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    result = runner.invoke(cli, ["list", "--id", "9", "--format", "plain"])
    assert "责任部门" in result.stdout and "部分" in result.stdout
    assert result.stderr == BUNDLED_NOTE


# The wrapping rules themselves ---------------------------------------------------------------

TEXT = st.text(
    alphabet=st.sampled_from(list("全年开复工项目推进投资亿万元个，。、；（）“”%.0123456789ab \n")),
    max_size=80,
)


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_wrap_loses_nothing_and_fits(text, width):
    lines = wrap(text, width)
    assert "".join(lines) == text.replace("\n", "")
    assert len(lines) >= text.count("\n") + 1
    for line in lines:
        assert cells(line) <= width


@given(
    st.text(alphabet="推进投资项目", min_size=1, max_size=30),
    st.sampled_from(["15%", "7.28亿元", "81个", "5000万元", "14万吨"]),
    st.text(alphabet="推进投资项目", max_size=30),
    st.integers(min_value=8, max_value=30),
)
def test_a_number_and_its_unit_stay_on_one_line(before, number, after, width):
    lines = wrap(before + number + after, width)
    assert any(number in line for line in lines)


@given(TEXT, st.integers(min_value=6, max_value=40))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text, width):
    for paragraph in text.split("\n"):
        if any(cells(atom) > width for atom in atoms(paragraph)):
            continue  # an atom wider than the line must be cut somewhere
        lines = wrap(paragraph, width)
        for line in lines[1:]:
            assert not line or line[0] not in CLOSING, lines
        for line in lines[:-1]:
            assert not line or line[-1] not in OPENING, lines


def test_atoms_keep_numbers_with_units_and_punctuation_with_neighbours():
    assert atoms("增长15%，确保投资3.2亿元") == [
        "增",
        "长",
        "15%，",
        "确",
        "保",
        "投",
        "资",
        "3.2亿元",
    ]
    assert atoms("（一）推进") == ["（一）", "推", "进"]


def test_fit_drops_empty_columns_first_then_the_least_important():
    keys = ["id", "section", "text", "leaders", "progress", "light"]
    headings = ["序号", "部分", "年度任务目标", "责任领导", "进度", "灯"]
    texts = [["1"], ["一"], ["很长的任务" * 10], ["于德忱"], [""], ["红"]]
    kept, widths = fit(keys, headings, texts, 60)
    assert [keys[i] for i in kept] == ["id", "section", "text", "leaders", "light"]
    assert widths[2] >= 30
    kept, widths = fit(keys, headings, texts, 40)
    assert [keys[i] for i in kept] == ["id", "text", "leaders", "light"]
    assert widths[2] >= 20
