"""The 通报 as Word: read back with python-docx, rendered by LibreOffice and measured on the page
against GB/T 9704-2012 (A4, margins 37/35/28/26 mm, 22 lines of 28 characters, page numbers)."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from taskctl.progress import read_log
from taskctl.report import build_report, render
from taskctl.report_docx import (
    BODY_FONT,
    FALLBACKS,
    HEADING1_FONT,
    HEADING2_FONT,
    LINE_PITCH_PT,
    TITLE_FONT,
    render_docx,
)
from tests.conftest import ROOT
from tests.office import MM, fonts, ink_box, page_image, pages, to_pdf

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
HANGING = "。，；、：）”"


@pytest.fixture(scope="module")
def report():
    from taskctl.loader import load

    tasklist = load(ROOT / "data" / "tasks.yaml")
    return build_report(
        tasklist,
        read_log(SAMPLE),
        since=dt.date(2023, 6, 26),
        until=dt.date(2023, 7, 2),
        as_of=dt.date(2023, 7, 2),
    )


@pytest.fixture(scope="module")
def docx_file(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "周报.docx"
    path.write_bytes(render_docx(report))
    return path


@pytest.fixture(scope="module")
def pdf(docx_file, office_profile):
    return to_pdf(docx_file, office_profile)


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_is_a4_with_the_gb_margins(docx_file):
    section = docx.Document(str(docx_file)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == str(round(LINE_PITCH_PT * 20))


def test_fonts_and_sizes_of_title_body_and_headings(docx_file):
    document = docx.Document(str(docx_file))
    paragraphs = [p for p in document.paragraphs if p.text]
    masthead = paragraphs[0]
    assert masthead.text == "督查通报" and masthead.style.name == "公文标题"
    assert masthead.runs[0].font.size.pt == 36 and str(masthead.runs[0].font.color.rgb) == "C00000"
    title = next(p for p in paragraphs if p.text.startswith("关于"))
    assert title.style.name == "公文标题"
    assert _east_asia(title.style) == TITLE_FONT
    assert title.style.font.size.pt == 22  # 2号
    assert _east_asia(document.styles["Normal"]) == BODY_FONT
    assert document.styles["Normal"].font.size.pt == 16  # 3号
    assert _east_asia(document.styles["Heading 1"]) == HEADING1_FONT
    assert _east_asia(document.styles["Heading 2"]) == HEADING2_FONT
    headings1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings1 == [
        "一、总体情况",
        "二、进展较好",
        "三、存在问题",
        "四、下步要求",
        "附件1",
        "附件2",
    ]
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        "（一）滞后任务",
        "（二）报送情况",
    ]


def test_font_table_names_the_fallbacks(docx_file):
    document = docx.Document(str(docx_file))
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    xml = part.blob.decode("utf-8")
    for name, alt in FALLBACKS.items():
        assert re.search(f'w:name="{name}"><w:altName w:val="{alt}"/>', xml), name


def test_page_numbers_outside_edge(docx_file):
    document = docx.Document(str(docx_file))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert paragraph.text == "—  1 —".replace("  ", " ")
        assert "PAGE" in paragraph._p.xml
    assert odd.alignment == 2 and even.alignment == 0  # right, left


def test_tables_repeat_header_and_keep_rows_whole(docx_file, report):
    document = docx.Document(str(docx_file))
    tables = document.tables
    assert len(tables) == 2  # 附件1 the red tasks, 附件2 久未填报 per unit
    for table in tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert sum(cell.width for cell in rows[0].cells) <= Mm(156.1)
    red = tables[0]
    assert [c.text for c in red.rows[0].cells][:3] == ["序号", "任务", "牵头单位"]
    assert [row.cells[0].text for row in red.rows[1:]] == [str(t["id"]) for t in report["red"]]


def test_same_sections_and_numbers_as_markdown(docx_file, report):
    document = docx.Document(str(docx_file))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    words = "\n".join(texts + cells)
    markdown = render(report, "markdown")
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("# ")
            assert any(t.endswith(heading) for t in texts), heading
        elif line.startswith("| ") and not line.startswith("| ---"):
            for cell in line.strip("| ").split(" | "):
                assert cell.replace("\\|", "|") in words, cell
        elif line and line != "---" and not line.startswith("|"):
            for piece in line.strip("* ").split("　"):  # the masthead's parts, 附件说明's lines
                assert piece in words, piece


def test_rendered_pages_keep_to_the_text_block(pdf):
    rendered = pages(pdf)
    assert 4 <= len(rendered) <= 24  # 97 红灯 tasks (silence is measured as 0%) listed
    for number, page in enumerate(rendered, 1):
        assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
        body = [w for w in page.words if w.y1 < BOTTOM + 2]
        footer = [w for w in page.words if w.y0 >= BOTTOM + 2]
        assert min(w.x0 for w in body) >= LEFT - 1
        # a line's closing 。，；） may hang one character into the margin (as Word and
        # LibreOffice both set Chinese: it cannot begin the next line); nothing else
        for word in body:
            hangs = word.text[-1] in HANGING
            assert word.x1 <= RIGHT + (1 + 16 if hangs else 1), word
        assert min(w.y0 for w in body) >= TOP - 1
        # "— N —" in the footer, on the outside edge, about 7 mm under the text block
        assert "".join(w.text for w in footer) == f"—{number}—"
        if number % 2:
            assert RIGHT - 2 * 14 <= max(w.x1 for w in footer) <= RIGHT
        else:
            assert LEFT <= min(w.x0 for w in footer) <= LEFT + 2 * 14
        assert BOTTOM + 3 * MM <= min(w.y0 for w in footer) <= BOTTOM + 10 * MM


def test_rendered_ink_stays_inside_the_margins(pdf):
    """Nothing, table borders included, prints into the side margins or above the text block."""
    for number in (1, 2, 3):
        png = page_image(pdf, number, dpi=50)
        left, top, right, _ = ink_box(png)
        px = 50 / 25.4
        assert left >= 28 * px - 2
        assert right <= (210 - 26) * px + 2 + 16 / 72 * 50  # a hanging 。 (see above)
        assert top >= 37 * px - 2


def test_rendered_lines_are_the_gb_grid(pdf, cjk_font):
    """The fixed 28.95 pt line, and 28 characters a line of body text (22 lines a page: see
    test_remind, whose notices are body text from top to bottom)."""
    page = pages(pdf)[0]
    lines = sorted({round(w.y1, 1) for w in page.words if w.y1 < BOTTOM and w.x0 < LEFT + 40})
    steps = [b - a for a, b in zip(lines, lines[1:], strict=False)]
    assert any(abs(step - LINE_PITCH_PT) < 0.3 for step in steps)
    han = [w for p in pages(pdf) for w in p.words if re.fullmatch(r"[\u4e00-\u9fff]{6,}", w.text)]
    body = [w for w in han if 18 < w.y1 - w.y0 < 24]  # 3号: not 小四 (tables), 2号 (titles)
    assert body
    for word in body:
        pitch = (word.x1 - word.x0) / len(word.text)
        assert 28 * pitch <= RIGHT - LEFT + 0.5 < 29 * pitch, (word.text, pitch)


def test_rendered_text_has_every_chinese_glyph(pdf, report, cjk_font):
    text = "".join(page.text for page in pages(pdf))
    wanted = set(re.findall(r"[\u4e00-\u9fff]", render(report, "markdown")))
    assert wanted - set(text) == set()
    assert any(re.search("CJK|Hei|Song|Fang|Kai|Ming|WenQuanYi", f) for f in fonts(pdf))


def test_table_properties_are_written_once_in_the_schemas_order(tmp_path):
    """Word refuses a table whose properties are out of the schema's order (tblLayout and
    tblCellMar before tblLook), and a second tblLayout is not allowed."""
    import docx

    from taskctl.report_docx import blocks_docx

    data = blocks_docx([("table", (["序号", "任务"], [["1", "建设"]]))], "表")
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    (table,) = docx.Document(str(path)).tables
    tags = [child.tag.split("}")[1] for child in table._tbl.tblPr]
    assert tags == ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook"]
