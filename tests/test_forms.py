"""Fill-in forms: who gets one, what is on it, how it prints, and that it survives LibreOffice."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import ROOT
from replies import libreoffice_save

from taskctl.errors import InputError
from taskctl.forms import HEADINGS, build_forms, form_xlsx, units, write_forms
from taskctl.period import parse_period, period_from_label
from taskctl.progress import read_log

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
W26 = parse_period(week="2023-W26")


def test_periods():
    assert (W26.label, W26.start, W26.end) == (
        "2023-W26",
        dt.date(2023, 6, 26),
        dt.date(2023, 7, 2),
    )
    assert W26.title == "2023年第26周（6月26日—7月2日）"
    assert W26.default_due() == dt.date(2023, 6, 30)  # the Friday
    june = parse_period(month="2023-06")
    assert (june.label, june.end, june.title) == ("2023-06", dt.date(2023, 6, 30), "2023年6月")
    assert parse_period(month="2023-12").end == dt.date(2023, 12, 31)
    span = parse_period(since=dt.date(2023, 6, 1), until=dt.date(2023, 6, 15))
    assert span.label == "2023-06-01~2023-06-15"
    for period in (W26, june, span):
        assert period_from_label(period.label) == period
    with pytest.raises(InputError, match="之一指明填报期间（现写了 --week、--month）"):
        parse_period(week="2023-W26", month="2023-06")
    with pytest.raises(InputError, match="应写成 2023-06"):
        parse_period(month="2023-13")


def test_units_lead_by_default_groups_expanded_blankets_left_out(tasklist):
    lead = units(tasklist)
    assert lead[:3] == ["发改局", "工信局", "财政局"]
    assert "住建局" in lead and "各镇街道" not in lead and "各开发园区" not in lead
    everyone = units(tasklist, "all")
    assert "八角台街道" in everyone and "八角台街道" not in lead  # 责任 only, through 各镇街道
    assert set(lead) < set(everyone)
    with pytest.raises(InputError, match="--role 应为 lead"):
        units(tasklist, "boss")


def test_form_rows_and_last_period_reference(tasklist):
    entries = read_log(SAMPLE)
    (form,) = build_forms(tasklist, entries, W26, only=["住建局"])
    assert form.file_name == "2023-W26_住建局.xlsx"
    assert [row.task.id for row in form.rows] == [
        31,
        39,
        57,
        58,
        59,
        60,
        62,
        63,
        64,
        65,
        88,
        93,
        94,
        95,
    ]
    # 序号 60 was reported on 2023-06-15: before the week, so it is the reference
    row60 = next(row for row in form.rows if row.task.id == 60)
    assert (row60.last.status, row60.last.note) == ("序时推进", "提标改造设备招标中")
    assert row60.deadline == dt.date(2023, 12, 31)
    # a report dated inside the week is not "last period"
    assert all(row.last is None or row.last.date < W26.start for row in form.rows)
    (town,) = build_forms(tasklist, entries, W26, only=["八角台街道"], role="all")
    assert town.rows[0].role_label == "配合（各镇街道）"
    with pytest.raises(InputError, match="八角台街道 没有牵头任务"):
        build_forms(tasklist, entries, W26, only=["八角台街道"])


def test_workbook_layout_validation_protection_print(tasklist, tmp_path):
    (form,) = build_forms(tasklist, read_log(SAMPLE), W26, only=["住建局"])
    path = tmp_path / form.file_name
    path.write_bytes(form_xlsx(form))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["填报", "_taskctl"]
    sheet = book["填报"]
    assert sheet["A1"].value == "住建局　2023年第26周（6月26日—7月2日）　工作任务进展填报表"
    assert "请于 2023年6月30日 前填好" in sheet["A2"].value
    assert (sheet["B3"].value, sheet["G3"].value) == ("填报人：", "联系电话：")
    assert [c.value for c in sheet[4]] == list(HEADINGS)
    assert [sheet.cell(r, 1).value for r in range(5, 19)] == [row.task.id for row in form.rows]
    assert sheet.max_row == 18
    # reference locked, fill-in open, the sheet protected without a password
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["B5"].protection.locked and sheet["H5"].protection.locked
    assert not any(sheet.cell(5, c).protection.locked for c in range(9, 14))
    assert not sheet["C3"].protection.locked and not sheet["H3"].protection.locked
    checks = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert checks["list"].formula1 == '"未启动,序时推进,滞后,已完成"'
    assert str(checks["list"].sqref) == "I5:I18"
    whole = checks["whole"]
    assert (whole.operator, whole.formula1, whole.formula2, str(whole.sqref)) == (
        "between",
        "0",
        "100",
        "J5:J18",
    )
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$4:$4"
    meta = dict(book["_taskctl"].iter_rows(values_only=True))
    assert book["_taskctl"].sheet_state == "hidden"
    assert meta["单位"] == "住建局" and meta["期间"] == "2023-W26"
    assert meta["表单编号"] == form.form_id and len(form.form_id) == 10


def test_write_forms_refuses_to_overwrite(tasklist, tmp_path):
    forms = build_forms(tasklist, [], W26)
    folder = tmp_path / "填报"
    written = write_forms(forms, folder)
    assert len(written) == len(units(tasklist)) == 34
    assert (folder / "2023-W26_住建局.xlsx").exists()
    before = (folder / "2023-W26_住建局.xlsx").read_bytes()
    with pytest.raises(
        InputError, match="已有 2023-W26_发改局.xlsx、.*（共 34 个）；覆盖请加 --force"
    ):
        write_forms(forms, folder)
    assert (folder / "2023-W26_住建局.xlsx").read_bytes() == before
    write_forms(forms, folder, force=True)


def test_identity_survives_a_libreoffice_save_and_the_form_prints_on_a4(tasklist, tmp_path):
    (form,) = build_forms(tasklist, read_log(SAMPLE), W26, only=["住建局"])
    path = tmp_path / form.file_name
    path.write_bytes(form_xlsx(form))
    saved = libreoffice_save(path, tmp_path / "saved")
    assert saved.read_bytes() != path.read_bytes()
    book = openpyxl.load_workbook(saved)
    meta = dict(book["_taskctl"].iter_rows(values_only=True))
    assert meta["表单编号"] == form.form_id and meta["单位"] == "住建局"
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["taskctl.表单编号"] == form.form_id
    sheet = book["填报"]
    assert sheet.protection.sheet and not sheet["I5"].protection.locked
    assert {dv.type for dv in sheet.data_validations.dataValidation} == {"list", "whole"}

    from tests.office import pages, to_pdf

    sheets = pages(to_pdf(path, tmp_path / "lo-pdf"))
    assert len(sheets) == 1
    page = sheets[0]
    assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
    for heading in ("序号", "年度任务目标", "本期状态", "本期进度", "下一步措施"):
        assert heading in page.text  # every column on the page
    assert max(w.x1 for w in page.words) <= page.width


def test_last_period_report_is_the_latest_before_the_period_starts():
    """The report a form shows as last period's: dated before the period (not on its first
    day), the one recorded last of one day, never a revocation."""
    import datetime as dt

    from taskctl.forms import last_reports
    from taskctl.loader import load
    from taskctl.progress import Entry

    def last_entries(entries, before):
        found = last_reports(load(), entries, before)
        return {i: s.latest for i, s in found.items() if s.latest is not None}

    cst = dt.timezone(dt.timedelta(hours=8))
    start = dt.date(2023, 6, 26)

    def entry(day, hour, note, revokes=""):
        return Entry(
            7,
            dt.date(2023, 6, day),
            "" if revokes else "序时推进",
            note=note,
            recorded_at=dt.datetime(2023, 6, day, hour, tzinfo=cst),
            revokes=revokes,
        )

    entries = [entry(20, 9, "早"), entry(25, 15, "晚"), entry(25, 9, "更早"), entry(26, 9, "本期")]
    assert last_entries(entries, start)[7].note == "晚"
    assert last_entries([*entries, entry(25, 18, "", revokes="0123456789")], start)[7].note == "晚"
    assert last_entries(entries, dt.date(2023, 6, 20)) == {}
