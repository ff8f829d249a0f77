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
