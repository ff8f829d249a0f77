"""The 通报 as a 督查室 sends it (issue 25): masthead with 期号, office and date; 主送; the four
sections in order; 附件说明, 落款 and 成文日期; then the 附件. Checked in every format, on the
page through LibreOffice for a full weekly round of the bundled list, and for what no document
may contain: an option name or the program's name."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import docx
import pytest

import taskctl.report
from taskctl.cli import cli
from taskctl.errors import DataFileError
from taskctl.loader import loads
from taskctl.report import cn_date, issue_number, notice_settings
from tests.conftest import BUNDLED, ROOT
from tests.full_round import full_round

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
SECTIONS = ["一、总体情况", "二、进展较好", "三、存在问题", "（一）滞后任务", "（二）报送情况",
            "四、下步要求"]  # fmt: skip
FORMATS = ("markdown", "text", "html", "docx")
d = dt.date


def _round(tmp_path_factory, long_note: int = 0) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TASKCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        for name in ("TASKCTL_FILE", "TASKCTL_PROGRESS"):
            patch.delenv(name, raising=False)
        return full_round(tmp_path_factory.mktemp("round"), long_note=long_note)


@pytest.fixture(scope="module")
def office_round(tmp_path_factory):
    """The bundled list after a full weekly round: 34 units reply, 11 tasks lagging."""
    return _round(tmp_path_factory)


@pytest.fixture(scope="module")
def long_round(tmp_path_factory):
    """The same, one unit explaining a lagging task in 2,000 characters (and no 存在问题)."""
    return _round(tmp_path_factory, long_note=2000)


def report(runner, folder: Path, *args: str) -> str | bytes:
    """The report of the round's week in ``folder``; docx as bytes."""
    result = runner.invoke(
        cli, ["report", "--week", "2023-W26", "--file", str(folder / "data" / "tasks.yaml"), *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes if "docx" in args else result.stdout


def words_of(fmt: str, output: str | bytes) -> str:
    """What a reader sees of a document: the text of a docx's paragraphs and cells, a page's
    text without its markup, the Markdown and text as they are."""
    if fmt == "docx":
        import io

        document = docx.Document(io.BytesIO(output))  # type: ignore[arg-type]
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "html":
        assert isinstance(output, str)
        body = re.sub(r"<style>.*?</style>|<head>.*?</head>", "", output, flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", "\n", body))
    assert isinstance(output, str)
    return output


def split_at_annex(words: str) -> tuple[str, str]:
    """(body, 附件): the document before and from the heading of 附件1."""
    at = re.search(r"附件1\s+(?:## )?滞后任务清单", words)
    assert at, "no 附件1"
    return words[: at.start()], words[at.start() :]


def in_order(text: str, parts: list[str]) -> bool:
    """Each of ``parts`` in ``text``, each after the one before."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


# 期号 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "since", "until", "number"),
    [
        ("week", d(2023, 6, 26), d(2023, 7, 2), 26),
        ("week", d(2023, 1, 2), d(2023, 1, 8), 1),
        ("week", d(2024, 1, 8), d(2024, 1, 14), 54),  # 2023 has 52 ISO weeks: the count goes on
        ("range", d(2023, 6, 20), d(2023, 6, 28), 26),  # the week of its last day
        ("month", d(2023, 6, 1), d(2023, 6, 30), 6),
        ("month", d(2024, 1, 1), d(2024, 1, 31), 13),
        ("quarter", d(2023, 4, 1), d(2023, 6, 30), 2),
        ("year", d(2023, 1, 1), d(2023, 12, 31), 1),
        ("week", d(2022, 12, 26), d(2023, 1, 1), 52),  # before the list's year: its own week
    ],
)
def test_issue_numbers_count_per_year_and_cadence(kind, since, until, number):
    assert issue_number(kind, since, until, 2023) == number


def test_the_issue_number_can_be_given(runner):
    args = ["report", "--week", "2023-W26", "--progress", str(SAMPLE)]
    assert "第26期" in runner.invoke(cli, [*args, "--format", "text"]).stdout
    given = runner.invoke(cli, [*args, "--issue", "31", "--format", "text"])
    assert given.stdout.startswith("督查通报\n第31期\n督查室　2023年7月3日\n")
    data = json.loads(runner.invoke(cli, [*args, "--issue", "31", "--format", "json"]).stdout)
    assert data["issue_number"] == 31
    zero = runner.invoke(cli, [*args, "--issue", "0"])
    assert zero.exit_code == 2 and zero.stdout == "" and "--issue" in zero.stderr


# 成文日期 and the office's settings ----------------------------------------------------------------


def test_the_date_is_written_as_a_document_writes_it():
    assert cn_date("2023-07-03") == "2023年7月3日"
    assert cn_date(d(2023, 12, 31)) == "2023年12月31日"


def test_the_date_is_the_day_after_the_as_of_date_or_today(tasklist):
    def dated(as_of, today):
        return taskctl.report.build_report(
            tasklist, [], since=as_of - dt.timedelta(days=6), until=as_of, as_of=as_of,
            today=today,
        )["date"]  # fmt: skip

    assert dated(d(2023, 7, 2), d(2026, 1, 1)) == "2023-07-03"  # written for a past week
    assert dated(d(2023, 7, 2), d(2023, 7, 2)) == "2023-07-02"  # the week not over yet


LIST = """\
标题: 台安县2024年重点工作任务清单
年度: 2024
{settings}
sections:
- 编号: 一
  标题: 经济发展
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值增长7%
    责任领导: 张三
    牵头部门: 发改局
"""


def test_office_and_recipients_come_from_the_list():
    default = loads(LIST.format(settings=""))
    assert notice_settings(default) == ("督查通报", "台安县人民政府督查室", ["各责任单位"])
    given = loads(
        LIST.format(
            settings="通报:\n  刊头: 督查专刊\n  发文机关: 台安县人民政府办公室督查室\n"
            "  主送: [各镇人民政府, 各街道办事处, 县政府各部门]"
        )
    )
    assert notice_settings(given) == (
        "督查专刊",
        "台安县人民政府办公室督查室",
        ["各镇人民政府", "各街道办事处", "县政府各部门"],
    )
    one = loads(LIST.format(settings="通报:\n  主送: 各责任单位、县直各部门"))
    assert notice_settings(one)[2] == ["各责任单位、县直各部门"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("通报: 督查室", "设置「通报」应为 刊头、发文机关、主送 的映射，得到「督查室」"),
        ("通报:\n  发文单位: 督查室", "设置「通报.发文单位」不认识：「通报」下应为 刊头、发文机关、主送"),
        ("通报:\n  发文机关: ''", "设置「通报.发文机关」应为文字，得到「」"),
        ("通报:\n  主送: []", "设置「通报.主送」应为一个或几个单位名称，得到「[]」"),
        ("通报:\n  刊头: [督查, 通报]", "设置「通报.刊头」应为文字，得到「['督查', '通报']」"),
    ],
)  # fmt: skip
def test_a_bad_setting_is_one_error_naming_the_key(runner, tmp_path, settings, message):
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST.format(settings=settings), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        notice_settings(loads(path.read_text(encoding="utf-8"), str(path)))
    assert str(caught.value) == f"{path}：{message}"
    result = runner.invoke(cli, ["report", "--week", "2024-W10", "--file", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    # (the list copy has no ledger beside it: a 提示 says so before the error)
    assert result.stderr.splitlines()[-1] == f"错误：{path}：{message}"


def test_the_settings_are_in_the_document(runner, tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(
        LIST.format(
            settings="通报:\n  发文机关: 台安县人民政府督查室\n  主送: [各镇街道, 县直各部门]"
        ),
        encoding="utf-8",
    )
    text = runner.invoke(cli, ["report", "--week", "2024-W10", "--file", str(path),
                               "--format", "text"]).stdout  # fmt: skip
    assert text.startswith("督查通报\n第10期\n台安县人民政府督查室　2024年3月11日\n")
    assert "各镇街道、县直各部门：\n" in text
    assert text.split("附件：")[1].count("台安县人民政府督查室") == 1  # the 落款


# the structure, in every format -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_the_structure_in_order(runner, office_round, fmt):
    words = words_of(fmt, report(runner, office_round, "--format", fmt))
    assert in_order(
        words,
        ["督查通报", "第26期", "督查室", "2023年7月3日",
         "关于2023年《政府工作报告》工作任务推进情况的通报", "各责任单位：",
         *SECTIONS, "附件：", "1．滞后任务清单", "2．报送情况", "督查室", "2023年7月3日",
         "附件1", "滞后任务清单", "附件2", "报送情况"],
    )  # fmt: skip
    body = split_at_annex(words)[0]
    assert "截至2023年7月2日，全部任务共102项，已完成12项，完成率11.8%；" in body
    assert "红灯任务12项，主要是（全部12项见附件1）：" in body
    assert "报送期限为2023年6月30日，应报送34个单位，均已按时报送。" in body


def test_the_docx_lays_out_masthead_signature_and_attachments(runner, office_round):
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(report(runner, office_round, "--format", "docx")))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert [p.text for p in paragraphs[:3]] == ["督查通报", "第26期", "督查室\t2023年7月3日"]
    assert "w:pBdr" in paragraphs[2]._p.xml  # the red rule
    sign = [p for p in paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.RIGHT]
    assert [p.text for p in sign] == ["督查室", "2023年7月3日"]
    annexes = [p for p in paragraphs if p.text.startswith("附件") and p.style.name == "Heading 1"]
    assert [p.text for p in annexes] == ["附件1", "附件2"]
    assert all('w:type="page"' in p._p.xml for p in annexes)  # each begins a page
    red, reported = document.tables
    assert [c.text for c in red.rows[0].cells] == ["序号", "任务", "牵头单位", "进度", "滞后原因",
                                                   "存在问题"]  # fmt: skip
    assert len(red.rows) == 1 + 12  # 11 reported 滞后; 29 (各有关镇街道) silent
    assert [c.text for c in reported.rows[0].cells] == ["序号", "单位", "报送情况", "说明"]
    assert len(reported.rows) == 1 + 34


def test_long_texts_are_cut_in_the_body_and_whole_in_the_attachment(runner, long_round):
    note = "资金未到位" * 400  # the first unit's reply (tests/full_round.py)
    for fmt in FORMATS:
        words = words_of(fmt, report(runner, long_round, "--format", fmt))
        body, annex = split_at_annex(words)
        assert "；资金未到位资金未到位资…。" in body and note[:20] not in body, fmt
        assert note in annex, fmt
        data = json.loads(report(runner, long_round, "--format", "json"))
        for task in data["red"]:  # each task's whole text in 附件1, cut in the body
            assert task["text"] in annex, (fmt, task["id"])
        assert any(t["text"] not in body for t in data["red"])


def test_the_units_behind_a_lagging_task_come_from_one_function(runner, office_round, monkeypatch):
    """The per-unit state (issue 19) swaps in the unit(s) actually behind at one place."""
    monkeypatch.setattr(taskctl.report, "_units_behind", lambda state: ["某某单位"])
    data = json.loads(report(runner, office_round, "--format", "json"))
    assert all(t["units"] == ["某某单位"] for t in data["red"])
    assert data["red_by_unit"] == [{"department": "某某单位", "count": 12, "overdue": 0}]
    text = report(runner, office_round, "--format", "markdown")
    assert isinstance(text, str)
    assert "1．某某单位：" in text and "| 某某单位 | 20% |" in text


# on the page ----------------------------------------------------------------------------------


def test_a_full_round_fits_two_pages_and_the_brief_one(runner, office_round, office_profile):
    """The body (all before 附件1) on two A4 pages, the whole on at most eight; the 专报 on one."""
    from tests.office import pages, to_pdf

    notice = office_round / "通报.docx"
    notice.write_bytes(report(runner, office_round, "--format", "docx"))
    brief = office_round / "专报.docx"
    brief.write_bytes(report(runner, office_round, "--format", "docx", "--brief"))
    rendered = pages(to_pdf(notice, office_profile))
    assert len(rendered) <= 8
    first_annex = next(n for n, page in enumerate(rendered, 1) if page.text.startswith("附件1"))
    assert first_annex == 3
    assert "2023年7月3日" in rendered[1].text  # the 落款 closes page 2
    (page,) = pages(to_pdf(brief, office_profile))
    assert in_order(page.text, ["督查专报", "第26期", "一、总体情况", "二、红灯任务", "3．"])


# what no document contains ------------------------------------------------------------------

FORBIDDEN = re.compile(r"--[a-z]|taskctl|json|请用|命令", re.I)


def _latin_of_the_list() -> set[str]:
    """Latin words the list's own texts and names contain (EOD, GDP …): the document may
    quote them; nothing else in it is English."""
    text = BUNDLED.read_text(encoding="utf-8")
    return set(re.findall(r"[A-Za-z]+", text))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("brief", [False, True], ids=["通报", "专报"])
@pytest.mark.parametrize(
    "case", ["round", "sample", "city", "year", "leader"],
)  # fmt: skip
def test_no_document_names_an_option_or_the_program(runner, office_round, monkeypatch, fmt, brief,
                                                    case):  # fmt: skip
    if case == "round":
        args = ["--week", "2023-W26", "--file", str(office_round / "data" / "tasks.yaml")]
    else:
        args = ["--progress", str(SAMPLE),
                *(["--year", "2023"] if case == "year" else ["--week", "2023-W26"])]  # fmt: skip
        if case == "city":  # past the listing limit: counts per unit, said in words
            monkeypatch.setattr(taskctl.report, "LISTING_LIMIT", 1)
        if case == "leader":
            args += ["--leader", "于德忱"]
    result = runner.invoke(cli, ["report", *args, "--format", fmt, *(["--brief"] if brief else [])])
    assert result.exit_code == 0, result.output
    output = result.stdout_bytes if fmt == "docx" else result.stdout
    words = words_of(fmt, output)
    assert not FORBIDDEN.search(words), FORBIDDEN.search(words)
    english = set(re.findall(r"[A-Za-z]+", words)) - _latin_of_the_list()
    assert english == set()
    if fmt == "docx":  # nor its properties
        import io

        props = docx.Document(io.BytesIO(output)).core_properties
        assert "taskctl" not in f"{props.author} {props.title} {props.comments}".lower()


def test_late_replies_have_their_place(tasklist):
    """迟报 (a reply after the due date, from the round's data when it records it): named in
    the body after 未报送, a row of its own in 附件2."""
    from taskctl.report import outline, submission_rows

    report = taskctl.report.build_report(
        tasklist, [], since=d(2023, 6, 26), until=d(2023, 7, 2), as_of=d(2023, 7, 2),
        submissions=("2023-W26", ["工信局", "住建局"], ["交通局"]),
    )  # fmt: skip
    report["submissions"]["late"] = ["住建局"]
    assert submission_rows(report["submissions"]) == [
        ["交通局", "未报送", ""], ["住建局", "迟报", ""], ["工信局", "已报送", ""],
    ]  # fmt: skip
    body = [text for kind, text in outline(report) if kind == "p"]
    assert "应报送3个单位，已报送2个。未报送1个单位：交通局。迟报1个单位：住建局。" in body
