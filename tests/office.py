"""Render office documents as the people who receive them see them: LibreOffice headless to
PDF, then poppler's pdfinfo / pdftotext -bbox / pdffonts / pdftoppm to measure the pages."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4  # points per millimetre

PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-wqy-microhei"


def require_office() -> None:
    """Skip without LibreOffice and poppler, except under CI=true, where that is a failure."""
    from tests.conftest import require_tool

    require_tool("soffice", "libreoffice", install="apt-get install libreoffice-writer-nogui "
                 "libreoffice-calc-nogui")  # fmt: skip
    for tool in ("pdftotext", "pdftoppm", "pdffonts"):
        require_tool(tool, install="apt-get install poppler-utils")


def to_pdf(source: Path, profile: Path) -> Path:
    """``soffice --headless --convert-to pdf`` with a profile of its own (two conversions that
    share one profile at the same time fail without a word)."""
    out = source.parent
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / (source.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {source.name}"
    return pdf


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pages(pdf: Path) -> list[Page]:
    """Each page's size in points and its words with their boxes (pdftotext -bbox)."""
    import html

    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        Page(
            float(w),
            float(h),
            [
                Word(html.unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in WORD.findall(body)
            ],
        )
        for w, h, body in PAGE.findall(xml)
    ]


def fonts(pdf: Path) -> list[str]:
    """The font names pdffonts lists (embedded subsets keep their ``ABCDEF+`` prefix off)."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]


def page_image(pdf: Path, page: int, dpi: int = 50) -> Path:
    """One page as PNG (pdftoppm)."""
    prefix = pdf.with_name(f"{pdf.stem}-p{page}")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    return prefix.with_suffix(".png")


def ink_box(png: Path) -> tuple[int, int, int, int] | None:
    """The bounding box (left, top, right, bottom, in pixels) of everything not white."""
    from PIL import Image, ImageOps

    with Image.open(png) as image:
        grey = ImageOps.invert(image.convert("L"))
        return grey.point(lambda v: 255 if v > 40 else 0).getbbox()
