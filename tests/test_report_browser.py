"""The HTML 通报 renders in a real headless browser (Debian's chromium): its red masthead, on a
phone, and printed on A4 with each 附件 on a page of its own."""

from __future__ import annotations

import subprocess

import pytest

from taskctl.cli import cli
from tests.conftest import ROOT, require_tool

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RED = (0xCC, 0x00, 0x00)  # the masthead's 督查通报 and its rule


def find_browser() -> str:
    return require_tool(*BROWSERS, install="apt-get install chromium fonts-wqy-microhei")


def test_html_report_renders_in_headless_chromium(runner, tmp_path):
    pytest.importorskip("PIL", reason="Pillow comes with the test extra")
    from PIL import Image

    browser = find_browser()
    page = tmp_path / "report.html"
    result = runner.invoke(
        cli,
        ["report", "--week", "2023-W26", "--ledger", str(SAMPLE), "--format", "html",
         "-o", str(page)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,2000", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,
    )  # fmt: skip
    assert shot.is_file(), "chromium wrote no screenshot"
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2000)
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 20, "the page rendered as (nearly) a single colour"
    count = dict((rgb, n) for n, rgb in colours)
    # The masthead's red 督查通报 and the red rule under it are drawn.
    assert count.get(RED, 0) > 500
    # Text was drawn: plenty of dark pixels in the heading band at the top.
    heading = image.crop((0, 0, 1200, 120)).convert("L")
    assert sum(heading.histogram()[:100]) > 1000


def _chromium(browser: str, tmp_path, *args: str) -> None:
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        timeout=180,
        check=False,
    )  # fmt: skip


def _report(runner, tmp_path):
    page = tmp_path / "report.html"
    result = runner.invoke(
        cli,
        ["report", "--week", "2023-W26", "--ledger", str(SAMPLE), "-o", str(page)],
    )
    assert result.exit_code == 0, result.output
    return page


def test_html_report_on_a_phone(runner, tmp_path):
    """390 px wide: the masthead and its rule keep to the screen; wide tables scroll."""
    from PIL import Image

    browser = find_browser()
    page = _report(runner, tmp_path)
    html_text = page.read_text(encoding="utf-8")
    assert 'name="viewport"' in html_text
    assert html_text.count('<div class="scroll">') == 2
    shot = tmp_path / "phone.png"
    _chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=390,2400", page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (390, 2400)
    # The red of the masthead is drawn inside the screen's width: nothing needs a sideways scroll.
    red = [x for x in range(390) for y in range(0, 400, 2) if image.getpixel((x, y)) == RED]
    assert red and max(red) < 380


def test_html_report_prints_on_a4(runner, tmp_path):
    from tests.office import pages

    require_tool("pdftotext", install="apt-get install poppler-utils")
    browser = find_browser()
    page = _report(runner, tmp_path)
    pdf = tmp_path / "report.pdf"
    _chromium(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    printed = pages(pdf)
    # the sample: 97 of 102 tasks 红 by the silence rule, each a row of 附件1
    assert 2 <= len(printed) <= 12
    for sheet in printed:  # A4 portrait in points
        assert abs(sheet.width - 595) < 2 and abs(sheet.height - 842) < 2
        # nothing printed in the 12 mm side margins (34 pt)
        assert all(30 <= w.x0 and w.x1 <= 595 - 30 for w in sheet.words)
    text = "".join(sheet.text for sheet in printed)
    order = ["督查通报", "第26期", "一、总体情况", "二、进展较好", "三、存在问题", "四、下步要求"]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    # each 附件 begins a page
    starts = [sheet.text[:3] for sheet in printed]
    assert starts.count("附件1") == 1 and starts.count("附件2") == 1
    assert starts.index("附件1") < starts.index("附件2")


def test_short_columns_never_wrap_one_character_a_line(runner, tmp_path):
    page = _report(runner, tmp_path)
    html_text = page.read_text(encoding="utf-8")
    assert '<td class="n">工信局</td>' in html_text
    assert '<td class="num">30%</td>' in html_text
    assert "td.n{white-space:nowrap}" in html_text
