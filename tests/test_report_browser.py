"""The HTML report renders in a real headless browser (Debian's chromium) with its charts."""

from __future__ import annotations

import subprocess

import pytest

from taskctl.cli import cli
from tests.conftest import ROOT, require_tool

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RED = (0xD9, 0x37, 0x2B)


def find_browser() -> str:
    return require_tool(*BROWSERS, install="apt-get install chromium fonts-wqy-microhei")


def test_html_report_renders_in_headless_chromium(runner, tmp_path):
    pytest.importorskip("PIL", reason="Pillow comes with the test extra")
    from PIL import Image

    browser = find_browser()
    page = tmp_path / "report.html"
    result = runner.invoke(
        cli,
        ["report", "--week", "2023-W26", "--progress", str(SAMPLE), "--format", "html",
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
    # The red bars of the two SVG charts are drawn (3 red tasks by section, 3 by leader).
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
        ["report", "--week", "2023-W26", "--progress", str(SAMPLE), "-o", str(page)],
    )
    assert result.exit_code == 0, result.output
    return page


def test_html_report_on_a_phone(runner, tmp_path):
    """390 px wide: the charts shrink to the width, and the numbers beside them are a table."""
    from PIL import Image

    browser = find_browser()
    page = _report(runner, tmp_path)
    html_text = page.read_text(encoding="utf-8")
    assert 'name="viewport"' in html_text
    assert html_text.count('<figure class="group">') == 2
    shot = tmp_path / "phone.png"
    _chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=390,2400", page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (390, 2400)
    # The red of the charts is drawn inside the screen's width: nothing needs a sideways scroll.
    red = [x for x in range(390) for y in range(0, 2400, 3) if image.getpixel((x, y)) == RED]
    assert red and max(red) < 380


def test_html_report_prints_on_a4(runner, tmp_path):
    from tests.office import pages

    require_tool("pdftotext", install="apt-get install poppler-utils")
    browser = find_browser()
    page = _report(runner, tmp_path)
    pdf = tmp_path / "report.pdf"
    _chromium(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    printed = pages(pdf)
    assert 2 <= len(printed) <= 15
    for sheet in printed:  # A4 portrait in points
        assert abs(sheet.width - 595) < 2 and abs(sheet.height - 842) < 2
        # nothing printed in the 12 mm side margins (34 pt)
        assert all(30 <= w.x0 and w.x1 <= 595 - 30 for w in sheet.words)
    text = "".join(sheet.text for sheet in printed)
    for heading in ("总体情况", "分组情况", "红灯任务", "久未填报"):
        assert heading in text
    # The per-group numbers are printed, not only drawn: 张辉's row 11 1 9 1 9.1%.
    assert "张辉1110019.1%" in text.replace(" ", "")


def test_short_columns_never_wrap_one_character_a_line(runner, tmp_path):
    page = _report(runner, tmp_path)
    html_text = page.read_text(encoding="utf-8")
    assert '<td class="n">序时推进</td>' in html_text
    assert '<td class="num">58%</td>' in html_text
    assert "td.n{white-space:nowrap}" in html_text
