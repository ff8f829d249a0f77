"""Helpers for the collection round's tests: fill a form as a unit would, save it through
LibreOffice, and build a plain table as a unit's own spreadsheet would look."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or "soffice"


def fill(form: Path, rows: dict[int, tuple], out: Path | None = None, **contact: str) -> Path:
    """Fill the rows of ``form`` (序号 → 本期状态, 本期进度, 进展情况, 存在问题, 下一步措施; shorter
    tuples leave the rest blank) as a clerk typing in Excel would, and save to ``out``."""
    import openpyxl

    book = openpyxl.load_workbook(form)
    sheet = book["填报"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    headings = [c.value for c in sheet[header]]
    first = headings.index("本期状态") + 1
    for r in range(header + 1, sheet.max_row + 1):
        task_id = sheet.cell(r, 1).value
        for offset, value in enumerate(rows.get(task_id, ())):
            sheet.cell(r, first + offset, value)
    if contact.get("person"):
        sheet["C3"] = contact["person"]
    if contact.get("phone"):
        sheet["H3"] = contact["phone"]
    target = out or form
    book.save(target)
    return target


def libreoffice_save(path: Path, out_dir: Path) -> Path:
    """Open and save ``path`` again with LibreOffice (as a unit using it would)."""
    from tests.office import require_office

    require_office()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir.parent / f".lo-profile-{out_dir.name}"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out_dir / path.name
    assert saved.exists()
    return saved


def plain_table(path: Path, headings: list[str], rows: list[list]) -> Path:
    """A unit's own sheet: a title row, then a header and rows, nothing of taskctl in it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["交通局重点工作推进情况"])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
