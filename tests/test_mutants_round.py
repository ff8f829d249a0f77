"""Tests prompted by the mutants of the weekly round's modules (催办 remind, 填报表 forms, 回收
collect) that survived issue 27's full run of scripts/mutate.py. Each was checked by putting
its mutant back and seeing it fail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from replies import fill, plain_table

from taskctl.collect import collect
from taskctl.errors import InputError
from taskctl.forms import build_forms, write_forms
from taskctl.loader import loads
from taskctl.period import parse_period

LIST = """\
标题: 2023年政府工作报告重点任务清单
年度: 2023
groups:
  各镇街道: [八角台街道, 台东街道]
sections:
- 编号: 一
  标题: 城市建设
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [住建局]
    责任部门: [各镇街道]
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [财政局]
"""
W25 = parse_period(week="2023-W25")
W26 = parse_period(week="2023-W26")
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2023, 6, 30, 17, 0, tzinfo=CST)


@pytest.fixture
def office(tmp_path):
    """The list, forms for 2023-W25 and W26 in 填报/, an empty 回收/."""
    tasklist = loads(LIST)
    for period in (W25, W26):
        write_forms(build_forms(tasklist, [], period), tmp_path / "填报")
    (tmp_path / "回收").mkdir()
    return tasklist, tmp_path


def returned(base, name, rows, out=None):
    """The form ``name`` (2023-W26_住建局.xlsx) filled with ``rows`` into 回收/."""
    return fill(base / "填报" / name, rows, base / "回收" / (out or name))


# collect -------------------------------------------------------------------------------------


def test_a_form_collected_as_another_units_is_refused(office):
    tasklist, base = office
    path = returned(base, "2023-W26_住建局.xlsx", {1: ("序时推进", 40)})
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.problems == [f"{path}：这是 住建局 的填报表，与 --by 财政局 不符"]
    (reply,) = collect([path], tasklist, [], now=NOW, by="住建局").replies
    assert (reply.outcome, reply.unit) == ("收录", "住建局")


def test_replies_of_two_weeks_need_the_week_named(office):
    tasklist, base = office
    import os

    late = returned(base, "2023-W25_住建局.xlsx", {1: ("序时推进", 30)}, "2023-W26_住建局.xlsx")
    returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    os.utime(late, (late.stat().st_mtime + 60,) * 2)  # read last: the weeks named in order
    with pytest.raises(InputError) as caught:
        collect([base / "回收"], tasklist, [], now=NOW)
    assert caught.value.message == (
        "回复文件分属不同期间（2023-W25、2023-W26）；请用 --week/--month 指明本次回收的期间"
    )
    got = collect([base / "回收"], tasklist, [], now=NOW, period=W26, base=base)
    assert [r.outcome for r in got.replies] == ["收录", "退回"]
    assert (
        got.replies[1].problems[0].startswith("回收/2023-W26_住建局.xlsx：这是 2023-W25 的填报表")
    )


def test_no_period_anywhere_names_the_first_problem_of_each_file(office):
    tasklist, base = office
    plain_table(base / "回收" / "财政局.xlsx", ["序号", "状态"], [[3, "序时推进"]])
    (base / "回收" / "财政局（二）.csv").write_text("序号,状态\n3,序时推进\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect([base / "回收"], tasklist, [], now=NOW, by="财政局", base=base)
    why = "不是 taskctl 生成的填报表：请用 --week/--month/--since 写明填报期间"
    assert caught.value.message == (
        f"无法确定填报期间：回收/财政局.xlsx：{why}；回收/财政局（二）.csv：{why}"
    )


def test_a_table_without_its_headings_and_an_unknown_id(office):
    tasklist, base = office
    path = plain_table(base / "回收" / "财政局.xlsx", ["编号", "情况"], [[3, "序时推进"]])
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.problems == [
        f"{path}：找不到表头：表中须有「序号」和「状态」（或「本期状态」）两列"
    ]
    plain_table(path, ["序号", "状态", "进度"], [[3, "序时推进", 50], [9, "序时推进", 60]])
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.problems == [f"{path} 第 4 行：序号 9 不在本清单中"]


def test_a_form_whose_period_was_retyped_is_refused(office):
    tasklist, base = office
    path = returned(base, "2023-W26_住建局.xlsx", {1: ("序时推进", 40)})
    book = openpyxl.load_workbook(path)
    meta = book["_taskctl"]
    (cell,) = [row[1] for row in meta.iter_rows() if row[0].value == "期间"]
    cell.value = "2023年第26周"
    book.save(path)
    (reply,) = collect([path], tasklist, [], now=NOW, period=W26).replies
    assert reply.problems == [
        f"{path}：填报表的期间无法识别（无法识别的填报期间「2023年第26周」："
        "应为 2023-W26、2023-06 或 2023-06-01~2023-06-15）"
    ]


def test_a_csv_that_csv_cannot_read_is_refused_whole(office):
    tasklist, base = office
    path = base / "回收" / "财政局.csv"
    path.write_text("序号,状态,进展情况\n3,序时推进," + "长" * 140_000 + "\n", encoding="utf-8")
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.problems == [
        f"{path}：不是可读的 CSV 表格（field larger than field limit (131072)）；请另存为 .xlsx"
    ]


def test_the_summary_counts_no_refused_row_in_a_file_refused_whole(office, runner):
    from taskctl.cli import cli

    tasklist, base = office
    (base / "tasks.yaml").write_text(LIST, encoding="utf-8")
    (base / "回收" / "财政局.xlsx").write_bytes(b"PK\x03\x04 not really")
    returned(base, "2023-W26_住建局.xlsx", {1: ("进行中", 40), 2: ("序时推进", 140)})
    args = ["collect", "回收", "--week", "2023-W26", "--format", "json", "--dry-run"]
    result = runner.invoke(cli, [*args, "--file", "tasks.yaml"])
    assert result.exit_code == 1
    got = json.loads(result.stdout)
    assert [(r["file"], r["tasks"], r["refused_rows"], r["outcome"]) for r in got["replies"]] == [
        ("财政局.xlsx", 0, 0, "退回"),
        ("2023-W26_住建局.xlsx", 2, 2, "退回"),
    ]


def test_a_reply_whose_name_holds_a_colon_is_refused_in_plain_words(office):
    """A unit names its file 住建局：更正.xlsx: the refusal names the file once and says why,
    not part of the name again (the reason was cut at the name's own ：)."""
    tasklist, base = office
    (base / "回收" / "住建局：更正.xlsx").write_bytes(b"PK\x03\x04 not really")
    with open(base / "回收" / "财政局：第26周.xlsx", "wb") as big:
        big.truncate((16 << 20) + 1)  # one byte over the limit of a reply
    got = collect([base / "回收"], tasklist, [], now=NOW, period=W26, base=base)
    assert sorted(p for r in got.replies for p in r.problems) == [
        "回收/住建局：更正.xlsx：无法作为 .xlsx 打开（BadZipFile）；请用 Excel/WPS 另存为 .xlsx",
        "回收/财政局：第26周.xlsx：文件过大（16 MB，上限 16 MB）",
    ]


def test_a_folder_read_in_name_order_upper_case_suffixes_taken(office):
    tasklist, base = office
    folder = base / "回收"
    (folder / "财政局.CSV").write_text("序号,状态,进度\n3,序时推进,45\n", encoding="utf-8")
    for name in ("说明.docx", "附件.pdf", "照片.jpg", "备注.txt", "~$财政局.xlsx", ".DS_Store"):
        (folder / name).write_bytes(b"")
    (folder / "旧表").mkdir()
    got = collect([folder], tasklist, [], now=NOW, by="财政局", period=W26, base=base)
    assert [(r.path.name, r.outcome, [e.progress for e in r.entries]) for r in got.replies] == [
        ("财政局.CSV", "收录", [45])
    ]
    assert got.skipped == [
        f"{folder / name}：不是 .xlsx 或 .csv 表格，已跳过"
        for name in ("备注.txt", "照片.jpg", "说明.docx", "附件.pdf")
    ]


def test_a_date_typed_in_a_cell_is_read_as_the_date(office):
    """Excel turns 2023-06-28 typed in a cell into a date: the note says the date, not a time."""
    tasklist, base = office
    path = plain_table(
        base / "回收" / "财政局.xlsx",
        ["序号", "状态", "进展情况"],
        [[3, "序时推进", dt.datetime(2023, 6, 28)]],
    )
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert [(e.id, e.note) for e in reply.entries] == [(3, "2023-06-28")]


def test_a_plain_table_of_a_unit_the_list_does_not_know(office):
    tasklist, base = office
    path = plain_table(base / "回收" / "x.xlsx", ["序号", "状态"], [[3, "序时推进"]])
    (reply,) = collect([path], tasklist, [], now=NOW, by="审计局", period=W26).replies
    assert reply.problems == [f"{path}：没有名为「审计局」的部门；用 taskctl depts 查看全部部门"]


@pytest.mark.parametrize(
    ("formulas", "shown"),
    [
        (10, "C3、C4、C5、C6、C7、C8、C9、C10、C11、C12"),
        (11, "C3、C4、C5、C6、C7、C8、C9、C10、C11、C12…"),
    ],
)
def test_formulas_without_a_result_at_most_ten_named(office, formulas, shown):
    tasklist, base = office
    rows = [[1 if n % 2 else 2, "序时推进", "=20+30"] for n in range(formulas)]
    path = plain_table(base / "回收" / "住建局.xlsx", ["序号", "状态", "进度"], rows)
    (reply,) = collect([path], tasklist, [], now=NOW, by="住建局", period=W26).replies
    assert reply.problems == [
        f"{path}：单元格 {shown} 是没有计算结果的公式，读不出所填的值；"
        "请在 Excel/WPS 中打开、保存后再报送"
    ]


@pytest.mark.parametrize(("blank_lines", "refused"), [(199_996, False), (199_997, True)])
def test_a_csv_reply_of_more_than_200000_cells_is_refused(office, blank_lines, refused):
    tasklist, base = office
    path = base / "回收" / "财政局.csv"
    path.write_text("序号,状态\n3,序时推进\n" + "\n" * blank_lines, encoding="utf-8")
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    if refused:
        assert reply.problems == [f"{path}：单元格过多，不像一份填报表；请检查文件"]
    else:
        assert (reply.problems, reply.outcome) == ([], "收录")


@pytest.mark.parametrize(("column", "read"), [(64, True), (65, False)])
def test_the_first_64_columns_of_a_reply_are_read(office, column, read):
    tasklist, base = office
    headings = ["序号"] + [f"备注{n}" for n in range(2, column)] + ["状态"]
    row = [3] + [""] * (column - 2) + ["序时推进"]
    for suffix in (".xlsx", ".csv"):
        path = base / "回收" / f"财政局{suffix}"
        if suffix == ".csv":
            path.write_text(",".join(headings) + "\n" + ",".join(map(str, row)) + "\n", "utf-8")
        else:
            plain_table(path, headings, [row])
        (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
        if read:
            assert (reply.outcome, len(reply.entries)) == ("收录", 1)
        else:
            assert reply.problems == [
                f"{path}：找不到表头：表中须有「序号」和「状态」（或「本期状态」）两列"
            ]
        path.unlink()


# forms ---------------------------------------------------------------------------------------


def test_each_unit_gets_the_subitems_it_holds_in_the_role_asked_with_its_own_last_report():
    from tests.test_subitems import LIST as SUBITEMS
    from tests.test_subitems import report

    tasklist = loads(SUBITEMS)
    log = [
        report("发改局", "序时推进", 70, part=1, day=19),
        report("发改局", "序时推进", 60, part=2, day=20),
        report("工信局", "滞后", 30, part=2, day=21),
    ]

    def rows(role):
        return {
            form.unit: [(row.target, row.role_label, row.deadline.isoformat()) for row in form.rows]
            for form in build_forms(tasklist, log, W26, role=role)
        }

    lead = {
        "住建局": [("4", "牵头", "2023-12-31")],
        "发改局": [("5.1", "牵头", "2023-09-30"), ("5.2", "牵头", "2023-06-30")],
        "工信局": [("5.2", "牵头", "2023-06-30")],
    }
    support = {"工业园": [("5.1", "配合", "2023-09-30")], "商务局": [("5.2", "配合", "2023-06-30")]}
    assert rows("lead") == lead
    assert rows("support") == support
    assert rows("all") == {**lead, **support}
    last = {
        (form.unit, row.target): (row.last.status, row.last.progress)
        for form in build_forms(tasklist, log, W26)
        for row in form.rows
        if row.last is not None
    }
    assert last == {
        ("发改局", "5.1"): ("序时推进", 70),
        ("发改局", "5.2"): ("序时推进", 60),
        ("工信局", "5.2"): ("滞后", 30),
    }


def test_forms_already_there_are_named_three_at_most(office):
    tasklist, base = office
    forms = build_forms(tasklist, [], W26, role="all")
    assert [form.unit for form in forms] == ["住建局", "财政局", "八角台街道", "台东街道"]
    folder = base / "本周"
    folder.mkdir()
    for form in forms[:3]:
        (folder / form.file_name).write_bytes(b"")
    with pytest.raises(InputError) as three:
        write_forms(forms, folder)
    (folder / forms[3].file_name).write_bytes(b"")
    with pytest.raises(InputError) as four:
        write_forms(forms, folder)
    shown = "2023-W26_住建局.xlsx、2023-W26_财政局.xlsx、2023-W26_八角台街道.xlsx"
    assert three.value.message == f"{folder} 中已有 {shown}（共 3 个）；覆盖请加 --force"
    assert four.value.message == f"{folder} 中已有 {shown}等（共 4 个）；覆盖请加 --force"


def test_a_form_of_another_list_names_both_lists_and_years(office):
    tasklist, base = office
    for other, year in (("2023年乡村振兴任务清单", "2023"), ("乡村振兴任务清单", "")):
        text = LIST.replace("标题: 2023年政府工作报告重点任务清单", f"标题: {other}")
        text = text.replace("年度: 2023", f"年度: {year}" if year else "")
        forms = build_forms(loads(text), [], W26, only=["财政局"])
        folder = base / other
        write_forms(forms, folder)
        path = fill(folder / "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
        (reply,) = collect([path], tasklist, [], now=NOW, period=W26).replies
        assert reply.problems == [
            f"{path}：这是「{other}」（{year or '未写年度'}）的填报表，不是本清单"
            "「2023年政府工作报告重点任务清单」（2023）的；请核对是否发错了文件"
        ]


def test_only_evidence_files_lying_beside_the_reply_are_taken(office):
    """A reply names its 佐证材料; a file of that name beside it is taken, never a path that
    reaches elsewhere (../台账.pdf, 材料/照片.jpg), which stays a name."""
    tasklist, base = office
    folder = base / "回收"
    (folder / "材料").mkdir()
    for path in (folder / "验收报告.pdf", base / "台账.pdf", folder / "材料" / "照片.jpg"):
        path.write_bytes(b"%PDF")
    named = "验收报告.pdf、../台账.pdf、材料/照片.jpg"
    path = plain_table(
        folder / "财政局.xlsx", ["序号", "状态", "进度", "佐证材料"], [[3, "序时推进", 50, named]]
    )
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.files == {"验收报告.pdf": folder / "验收报告.pdf"}
    assert [name for name, _, _ in reply.entries[0].evidence] == [
        "验收报告.pdf",
        "../台账.pdf",
        "材料/照片.jpg",
    ]


def test_a_row_filled_in_without_its_id_is_refused(office):
    tasklist, base = office
    rows = [[3, "序时推进", 50], [None, "滞后", 20]]
    path = plain_table(base / "回收" / "财政局.xlsx", ["序号", "状态", "进度"], rows)
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert reply.problems == [f"{path} 第 4 行：填写了内容但没有序号；请补上该任务的序号"]


def test_a_withdrawal_takes_back_only_the_named_files_refusals(office):
    from taskctl.collect import refusals, withdraw, write

    tasklist, base = office
    log = base / "progress.jsonl"
    for week, period in (("W25", W25), ("W26", W26)):
        folder = base / week
        folder.mkdir()
        for name in ("误收.csv", "财政局.csv"):
            (folder / name).write_text("序号,状态\n3,进行中\n", encoding="utf-8")
        write(collect([folder], tasklist, [], now=NOW, by="财政局", period=period), log, NOW)

    def left():
        return {
            week: sorted(r["文件"] for r in refusals(log, week))
            for week in ("2023-W25", "2023-W26")
        }

    assert left() == {
        "2023-W25": ["误收.csv", "财政局.csv"],
        "2023-W26": ["误收.csv", "财政局.csv"],
    }
    assert withdraw(log, ["误收.csv"], "2023-W26", NOW) == 1
    assert left() == {"2023-W25": ["误收.csv", "财政局.csv"], "2023-W26": ["财政局.csv"]}
    assert withdraw(log, ["误收.csv"], None, NOW) == 1  # what is left of it: 2023-W25's
    assert left() == {"2023-W25": ["财政局.csv"], "2023-W26": ["财政局.csv"]}
    with pytest.raises(InputError) as none_left:
        withdraw(log, ["误收.csv"], None, NOW)
    assert none_left.value.message == "误收.csv 没有退回记录可以撤回；报告中所列的文件名才有"


def test_a_reply_logged_before_the_received_day_was_kept_counts_from_when_it_was_recorded():
    from taskctl.collect import reply_statuses
    from taskctl.progress import Entry

    def logged(unit, recorded, received=""):
        at = dt.datetime(*recorded, 9, tzinfo=CST)
        return Entry(3 if unit == "财政局" else 1, dt.date(2023, 6, 30), "序时推进", 50, "", unit,
                     at, period="2023-W26", reply="ab12cd34ef", received=received)  # fmt: skip

    log = [logged("财政局", (2023, 7, 3)), logged("住建局", (2023, 7, 5), "2023-06-30")]
    got = reply_statuses(loads(LIST), log, W26, as_of=dt.date(2023, 7, 7))
    assert [s.to_record() for s in got] == [
        {"unit": "住建局", "status": "按时", "due": "2023-06-30", "received": "2023-06-30"},
        {"unit": "财政局", "status": "迟报", "due": "2023-06-30", "received": "2023-07-03"},
    ]


def test_a_full_disk_in_a_folder_whose_name_holds_a_colon_says_what_was_written(
    office, monkeypatch
):
    import errno
    import os

    from taskctl import fsutil
    from taskctl.collect import write
    from taskctl.errors import DataFileError

    tasklist, base = office
    returned(base, "2023-W26_住建局.xlsx", {1: ("序时推进", 40)})
    os.utime(base / "回收" / "2023-W26_住建局.xlsx", (1_000, 1_000))
    returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 50)})
    result = collect([base / "回收"], tasklist, [], now=NOW)
    log = base / "督查室：台账" / "progress.jsonl"
    log.parent.mkdir()
    real, calls = fsutil.os.write, []

    def write_once(fd, data):
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(fsutil.os, "write", write_once)
    with pytest.raises(DataFileError) as caught:
        write(result, log)
    assert str(caught.value) == (
        f"{log}：写入 财政局 的回复时出错（磁盘已满，未写入任何内容；请腾出空间后重试）。"
        "已写入 1 条（住建局 的回复）；财政局 的回复未写入，问题解决后重新运行 collect 即可补上"
    )


def test_a_form_whose_hidden_sheet_was_lost_is_known_by_its_document_properties(office):
    tasklist, base = office
    path = returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    book = openpyxl.load_workbook(path)
    del book["_taskctl"]
    book.save(path)
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    assert (reply.unit, reply.period.label, reply.outcome) == ("财政局", "2023-W26", "收录")


def test_a_units_own_workbook_is_read_from_its_first_visible_sheet(office):
    tasklist, base = office
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "说明"
    hidden.append(["序号", "状态"])
    hidden.append([3, "已完成"])
    hidden.sheet_state = "hidden"
    table = book.create_sheet("本周")
    table.append(["序号", "状态", "进度"])
    table.append([3, "序时推进", 60])
    book.create_sheet("备注").append(["无"])
    path = base / "回收" / "财政局.xlsx"
    book.save(path)
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert [(e.id, e.status, e.progress) for e in reply.entries] == [(3, "序时推进", 60)]


def test_a_note_quoting_a_replys_id_is_not_that_reply_already_written(office):
    """write() looks in the ledger for the reply's rows by its 回执 id: a record whose note
    merely quotes the id (the office noting what it checked) is not one of them."""
    from taskctl.collect import write
    from taskctl.progress import Entry, read_log

    tasklist, base = office
    returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 50)})
    got = collect([base / "回收"], tasklist, [], now=NOW)
    (reply,) = got.accepted
    log = base / "progress.jsonl"
    noted = Entry(3, dt.date(2023, 6, 29), "序时推进", 45, f"已核对回执 {reply.reply_id}",
                  "督查室", NOW - dt.timedelta(days=1))  # fmt: skip
    log.write_bytes(noted.to_line())
    assert write(got, log) == 1
    assert [(e.by, e.progress, e.reply) for e in read_log(log)] == [
        ("督查室", 45, ""),
        ("财政局", 50, reply.reply_id),
    ]


def test_a_reply_naming_a_subitem_the_task_does_not_have_is_refused(tmp_path):
    from tests.test_subitems import LIST as SUBITEMS

    tasklist = loads(SUBITEMS)
    write_forms(build_forms(tasklist, [], W26, only=["发改局"]), tmp_path)
    path = tmp_path / "2023-W26_发改局.xlsx"
    book = openpyxl.load_workbook(path)
    book["填报"]["A5"], book["填报"]["A6"] = "5.3", "5.2"
    book.save(path)
    fill(path, {"5.3": ("序时推进", 50), "5.2": ("序时推进", 40)})
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    assert reply.problems == [f"{path} 第 5 行：序号 5 没有分项 3（有 1–2）"]


def test_a_list_without_a_year_its_form_known_by_its_properties_alone(office):
    """A form's document properties write an empty value (年度 of a list without one) as -:
    read back, it is empty again, and the form is this list's. A form of another list says
    this one has no year, rather than None."""
    _, base = office
    tasklist = loads(LIST.replace("年度: 2023\n", ""))
    write_forms(build_forms(tasklist, [], W26, only=["财政局"]), base / "无年度")
    path = fill(base / "无年度" / "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    book = openpyxl.load_workbook(path)
    del book["_taskctl"]
    book.save(path)
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    assert (reply.unit, reply.period.label, reply.outcome) == ("财政局", "2023-W26", "收录")
    other = returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    (reply,) = collect([other], tasklist, [], now=NOW, period=W26).replies
    assert reply.problems == [
        f"{other}：这是「2023年政府工作报告重点任务清单」（2023）的填报表，不是本清单"
        "「2023年政府工作报告重点任务清单」（未写年度）的；请核对是否发错了文件"
    ]


def test_a_form_shows_last_periods_report_grey_and_the_columns_to_fill_yellow():
    import io

    from taskctl.forms import FILL_COLOUR, REFERENCE_COLOUR, form_xlsx
    from taskctl.progress import Entry

    reported = dt.datetime(2023, 6, 20, 9, tzinfo=CST)
    log = [Entry(1, dt.date(2023, 6, 20), "序时推进", 40, "基站选址完成", "住建局", reported)]
    (form,) = build_forms(loads(LIST), log, W26, only=["住建局"])
    book = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))
    sheet = book["填报"]
    assert [row[:8] for row in sheet.iter_rows(min_row=5, values_only=True)] == [
        (1, "新建5G基站200个", "张辉", "牵头", "2023-12-31", "序时推进", 40, "基站选址完成"),
        (2, "推进棚户区改造", "李明", "牵头", "2023-12-31", None, None, None),
    ]
    grey, yellow = REFERENCE_COLOUR, FILL_COLOUR
    for row in (5, 6):
        colours = [c.fill.fgColor.rgb[-6:] if c.fill.fill_type else None for c in sheet[row]]
        assert colours == [None] * 5 + [grey] * 3 + [yellow] * 6
    # the headings stay in sight while scrolling; every page says whose form it is
    assert sheet.freeze_panes == "A5"
    assert sheet.oddFooter.center.text == "住建局　2023-W26　第 &P 页，共 &N 页"
    assert sheet.oddFooter.right.text == f"表单编号 {form.form_id}"
    assert book["_taskctl"].protection.sheet


def test_refused_rows_are_counted_by_row_whatever_the_file_is_called(office):
    """Three problems on two rows are two refused rows, also in a file whose name holds a ：
    (the count was of the text before the first ：)."""
    tasklist, base = office
    rows = {1: ("进行中", 140), 2: ("序时推进", 150)}
    for name in ("2023-W26_住建局.xlsx", "住建局：更正.xlsx"):
        path = returned(base, "2023-W26_住建局.xlsx", rows, name)
        (reply,) = collect([path], tasklist, [], now=NOW).replies
        assert (len(reply.problems), reply.bad_rows) == (3, 2)
        path.unlink()


def test_the_same_reply_with_its_rows_in_another_order_is_not_written_twice(office):
    from taskctl.collect import write
    from taskctl.progress import read_all

    tasklist, base = office
    log = base / "progress.jsonl"
    rows = [[1, "序时推进", 40, "基站选址完成"], [2, "滞后", 20, "拆迁未完成"]]
    heads = ["序号", "状态", "进度", "进展情况"]
    first = plain_table(base / "回收" / "住建局.xlsx", heads, rows)
    got = collect([first], tasklist, [], now=NOW, by="住建局", period=W26)
    assert write(got, log) == 2
    again = plain_table(base / "回收" / "住建局（排序后）.xlsx", heads, rows[::-1])
    got = collect([again], tasklist, read_all(log), now=NOW, by="住建局", period=W26)
    assert [r.outcome for r in got.replies] == ["已收录过，未重复写入"]


def test_evidence_names_are_read_without_the_spaces_around_them(office):
    tasklist, base = office
    folder = base / "回收"
    (folder / "验收报告.pdf").write_bytes(b"%PDF")
    named = " 验收报告.pdf 、照片.jpg ； 、\n会议纪要.docx "
    path = plain_table(
        folder / "财政局.xlsx", ["序号", "状态", "进度", "佐证材料"], [[3, "序时推进", 50, named]]
    )
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert [name for name, _, _ in reply.entries[0].evidence] == [
        "验收报告.pdf",
        "照片.jpg",
        "会议纪要.docx",
    ]
    assert reply.files == {"验收报告.pdf": folder / "验收报告.pdf"}


def test_of_two_replies_of_a_unit_in_one_run_the_later_file_counts(office):
    import os

    from taskctl.collect import write
    from taskctl.progress import effective, read_all

    tasklist, base = office
    log = base / "progress.jsonl"
    heads = ["序号", "状态", "进度", "进展情况"]
    for name, progress, mtime in (("财政局（更正）.xlsx", 55, 2_000), ("财政局.xlsx", 50, 1_000)):
        path = plain_table(base / "回收" / name, heads, [[3, "序时推进", progress, "预算已批复"]])
        os.utime(path, (mtime, mtime))
    got = collect([base / "回收"], tasklist, [], now=NOW, by="财政局", period=W26)
    assert [r.path.name for r in got.replies] == ["财政局.xlsx", "财政局（更正）.xlsx"]
    write(got, log)
    assert [(e.id, e.progress) for e in effective(read_all(log))] == [(3, 55)]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (0, ""),
        (100, ""),
        (-1, "本期进度 -1 超出范围：应为 0 到 100 的整数"),
        (101, "本期进度 101 超出范围：应为 0 到 100 的整数"),
        ("50.5", "本期进度「50.5」应为 0 到 100 的整数"),
    ],
)
def test_a_percentage_from_0_to_100_is_taken(office, typed, problem):
    tasklist, base = office
    status = "已完成" if typed == 100 else "未启动" if typed == 0 else "序时推进"
    path = returned(base, "2023-W26_财政局.xlsx", {3: (status, typed)})
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    if problem:
        assert reply.problems == [f"{path} 第 5 行：{problem}"]
    else:
        assert [(e.status, e.progress) for e in reply.entries] == [(status, typed)]


def test_the_tasks_a_unit_holds_are_named_twelve_at_most():
    tasks = "".join(
        f"  - 序号: {n}\n    年度任务目标: 改造老旧小区{n}个\n    责任领导: [李明]\n"
        f"    牵头部门: [{'住建局' if n <= 13 else '财政局' if n >= 59 else '发改局'}]\n"
        for n in range(1, 71)
    )
    tasklist = loads(
        f"标题: 测试清单\n年度: 2023\nsections:\n- 编号: 一\n  标题: 城建\n  任务:\n{tasks}"
    )
    said = {}
    for unit, other in (("住建局", 70), ("财政局", 1)):
        path = Path(f"{unit}.csv")
        path.write_text(f"序号,状态\n{other},序时推进\n", encoding="utf-8")
        (reply,) = collect([path], tasklist, [], now=NOW, by=unit, period=W26).replies
        said[unit] = reply.problems
    assert said == {
        "住建局": ["住建局.csv 第 2 行：序号 70 不是 住建局 的任务（住建局 的任务为 1、2、3、4、5、6、7、8、9、10、11、12…）"],
        "财政局": ["财政局.csv 第 2 行：序号 1 不是 财政局 的任务（财政局 的任务为 59、60、61、62、63、64、65、66、67、68、69、70）"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("week", "today", "dated"),
    [("2025-W01", "2025-01-03", "2024-12-31"), ("2024-W52", "2024-12-27", "2024-12-27")],
)
def test_a_reply_for_the_week_that_ends_in_the_next_year_is_dated_in_the_lists(
    tmp_path, week, today, dated
):
    """A 2024 list's last week, 2025-W01, runs 30 December to 5 January: its replies are dated
    31 December, in the list's year, not the day they came in."""
    tasklist = loads(LIST.replace("2023", "2024"))
    period = parse_period(week=week)
    write_forms(build_forms(tasklist, [], period, only=["财政局"]), tmp_path)
    path = fill(tmp_path / f"{week}_财政局.xlsx", {3: ("序时推进", 90)})
    now = dt.datetime.fromisoformat(f"{today}T17:00:00+08:00")
    (reply,) = collect([path], tasklist, [], now=now).replies
    assert [e.date.isoformat() for e in reply.entries] == [dated]


@pytest.mark.parametrize(("notes", "found"), [(29, True), (30, False)])
def test_a_tables_heading_row_is_looked_for_in_its_first_30_rows(office, notes, found):
    tasklist, base = office
    path = base / "回收" / "财政局.csv"
    lines = [f"说明第{n}条" for n in range(1, notes + 1)] + ["序号,状态", "3,序时推进"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    if found:
        assert (reply.outcome, reply.problems) == ("收录", [])
    else:
        assert reply.problems == [
            f"{path}：找不到表头：表中须有「序号」和「状态」（或「本期状态」）两列"
        ]


def test_forms_go_into_a_folder_that_is_one_or_can_be_made(office):
    from taskctl.errors import DataFileError

    tasklist, base = office
    forms = build_forms(tasklist, [], W26)
    with pytest.raises(InputError) as none:
        write_forms([], base / "空")
    assert none.value.message == "没有需要填报的单位（清单中无对应任务）"
    (base / "填报.xlsx").write_bytes(b"")
    with pytest.raises(DataFileError) as a_file:
        write_forms(forms, base / "填报.xlsx")
    assert a_file.value.message == (
        f"{base / '填报.xlsx'}：不是文件夹；填报表写入文件夹，请写 --dir 文件夹/"
    )
    with pytest.raises(DataFileError) as under_a_file:
        write_forms(forms, base / "填报.xlsx" / "本周")
    assert under_a_file.value.message == (
        f"{base / '填报.xlsx' / '本周'}：无法新建文件夹（Not a directory）"
    )
    assert write_forms(forms, base / "新" / "本周", dry_run=True) == [
        base / "新" / "本周" / "2023-W26_住建局.xlsx",
        base / "新" / "本周" / "2023-W26_财政局.xlsx",
    ]
    assert not (base / "新").exists()


def test_a_reply_saved_with_excels_extensions_is_read_without_a_word_about_them(office):
    """Excel adds extensions openpyxl does not read (conditional formats of its own): reading
    the reply says nothing of them, neither a warning on the screen nor a refusal."""
    import zipfile

    tasklist, base = office
    path = returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    ext = (
        '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        "<x14:conditionalFormattings/></ext></extLst></worksheet>"
    )
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</worksheet>", ext).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    assert (reply.outcome, [e.progress for e in reply.entries]) == ("收录", [40])


def test_a_form_is_read_from_its_own_sheets_whatever_a_unit_added_or_a_program_dropped(office):
    """A unit put a sheet of notes in front of 填报; a program dropped the document properties:
    the form is still known by its hidden sheet and read from 填报."""
    from openpyxl.packaging.custom import CustomPropertyList

    tasklist, base = office
    path = returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    book = openpyxl.load_workbook(path)
    book.create_sheet("填报说明", 0).append(["序号", "状态"])
    book.custom_doc_props = CustomPropertyList()
    book.save(path)
    (reply,) = collect([path], tasklist, [], now=NOW).replies
    assert (reply.unit, reply.outcome, [e.progress for e in reply.entries]) == (
        "财政局",
        "收录",
        [40],
    )


def test_replies_received_today_may_be_said_so(office):
    tasklist, base = office
    path = returned(base, "2023-W26_财政局.xlsx", {3: ("序时推进", 40)})
    (reply,) = collect([path], tasklist, [], now=NOW, received=NOW.date()).replies
    assert [e.received for e in reply.entries] == ["2023-06-30"]
    with pytest.raises(InputError) as tomorrow:
        collect([path], tasklist, [], now=NOW, received=dt.date(2023, 7, 1))
    assert tomorrow.value.message == "--received 2023-07-01 晚于今天；收到日期不能是将来"


def test_a_form_gives_the_deadline_an_approved_extension_set(runner, tmp_path):
    from taskctl.cli import cli
    from taskctl.progress import read_all

    (tmp_path / "data").mkdir()
    listed = LIST.replace(
        "    牵头部门: [财政局]\n", "    牵头部门: [财政局]\n    完成时限: 2023-06-30\n"
    )
    (tmp_path / "data" / "tasks.yaml").write_text(listed, encoding="utf-8")
    for args in (
        ["update", "3", "--extend", "2023-09-30", "--note", "预算调整", "--by", "财政局",
         "--date", "2023-06-20"],
        ["review", "3", "--approve", "--date", "2023-06-21"],
    ):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    tasklist = loads(listed)
    log = read_all(tmp_path / "data" / "progress.jsonl")
    (form,) = build_forms(tasklist, log, W26, only=["财政局"])
    (before,) = build_forms(tasklist, log, W25, only=["财政局"])
    assert [r.deadline.isoformat() for r in (*form.rows, *before.rows)] == [
        "2023-09-30",  # approved on 21 June, before the week
        "2023-06-30",  # not yet on the Monday of W25 (19 June)
    ]


def test_units_that_replied_without_owing_a_reply_come_after_in_name_order():
    from taskctl.collect import reply_statuses, submissions
    from taskctl.progress import Entry

    helpers = ["交通局", "水利局", "农业农村局", "商务局", "八角台街道"]
    tasklist = loads(
        LIST.replace("    责任部门: [财政局]\n", f"    责任部门: [{', '.join(helpers)}]\n")
    )
    at = dt.datetime(2023, 6, 30, 9, tzinfo=CST)
    log = [
        Entry(
            1,
            dt.date(2023, 6, 30),
            "序时推进",
            50,
            "",
            unit,
            at,
            period="2023-W26",
            reply=f"{n:010x}",
            received="2023-06-30",
        )  # fmt: skip
        for n, unit in enumerate(["住建局", *helpers])
    ]
    reported, owed = submissions(tasklist, log, W26)
    assert (reported, owed) == (["住建局", *sorted(helpers)], ["财政局"])
    statuses = reply_statuses(tasklist, log, W26, as_of=dt.date(2023, 7, 3))
    assert [(s.unit, s.status) for s in statuses] == [
        ("住建局", "按时"),
        ("财政局", "未报"),
        *[(unit, "按时") for unit in sorted(helpers)],
    ]


def test_a_reply_whose_only_sheet_is_hidden_is_read_from_it(office):
    """No program saves a workbook without a visible sheet, but a file can say so: its first
    sheet is read, rather than the collection failing."""
    import zipfile

    tasklist, base = office
    path = plain_table(
        base / "回收" / "财政局.xlsx", ["序号", "状态", "进度"], [[3, "序时推进", 30]]
    )
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    parts["xl/workbook.xml"] = workbook.replace(
        'state="visible" r:id', 'state="hidden" r:id'
    ).encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert openpyxl.load_workbook(path).active.sheet_state == "hidden"
    (reply,) = collect([path], tasklist, [], now=NOW, by="财政局", period=W26).replies
    assert [(e.id, e.progress) for e in reply.entries] == [(3, 30)]


@pytest.mark.parametrize(("notes", "ours"), [(29, True), (30, False)])
def test_an_exported_ledger_is_known_by_its_heading_row_in_the_first_30_rows(office, notes, ours):
    """The office's own 台账 (as export writes it) left among the replies is skipped, known by a
    heading row within its first 30 rows, as a reply's header row is looked for."""
    tasklist, base = office
    path = base / "回收" / "台账.csv"
    lines = [f"说明第{n}条" for n in range(1, notes + 1)]
    lines += ["序号,部分,年度任务目标,责任领导,牵头部门,责任部门,完成时限"]
    lines += ["3,一、城市建设,加强预算管理,李明,财政局,,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = collect([path], tasklist, [], now=NOW, by="财政局", period=W26, base=base)
    if ours:
        assert got.replies == []
        assert got.skipped == ["回收/台账.csv：是 taskctl 导出的清单台账，不是填报表，已跳过"]
    else:
        assert got.skipped == []
        assert [r.problems for r in got.replies] == [
            ["回收/台账.csv：找不到表头：表中须有「序号」和「状态」（或「本期状态」）两列"]
        ]


def test_a_reply_keeps_its_receipt_id_from_one_version_to_the_next(office):
    """A reply's 回执 id is how the same reply collected again is known: a ledger written by
    an earlier taskctl holds it, and collecting the same file again writes nothing."""
    from taskctl.progress import read_log

    tasklist, base = office
    path = base / "回收" / "财政局.csv"
    path.write_text("序号,状态,进度,进展情况\n3,序时推进,60,完成预算编制\n", encoding="utf-8")
    log = base / "progress.jsonl"
    log.write_text(
        '{"序号": 3, "日期": "2023-06-30", "状态": "序时推进", "进度": 60, "说明": "完成预算编制", '
        '"期间": "2023-W26", "来源": "财政局.csv 第 2 行", "回执": "a016e21d42", '
        '"收到日期": "2023-06-30", "填报人": "财政局", '
        '"记录时间": "2023-06-30T17:00:00.000000+08:00"}\n',
        encoding="utf-8",
    )
    later = NOW + dt.timedelta(days=1)
    got = collect([path], tasklist, read_log(log), now=later, by="财政局", period=W26)
    (reply,) = got.replies
    assert (reply.reply_id, reply.outcome) == ("a016e21d42", "已收录过，未重复写入")
    assert got.accepted == []


def test_a_correction_carries_a_row_once_when_the_ledger_folder_holds_a_copy(office):
    """A clerk copied a unit's ledger file in the ledger folder (住建局 - 副本.jsonl), so its
    first reply is read twice; its correction, leaving 序号 2 blank, still carries that row
    once."""
    import shutil

    from taskctl.collect import write
    from taskctl.progress import read_all

    tasklist, base = office
    path = base / "回收" / "住建局.csv"
    path.write_text(
        "序号,状态,进度,进展情况\n1,序时推进,60,基站建设\n2,序时推进,30,棚改\n", "utf-8"
    )
    ledger = base / "台账"
    ledger.mkdir()
    write(collect([path], tasklist, [], now=NOW, by="住建局", period=W26), ledger)
    shutil.copy(ledger / "住建局.jsonl", ledger / "住建局 - 副本.jsonl")
    path.write_text("序号,状态,进度,进展情况\n1,序时推进,70,基站建设过半\n", encoding="utf-8")
    later = NOW + dt.timedelta(hours=1)
    got = collect([path], tasklist, read_all(ledger), now=later, by="住建局", period=W26)
    (reply,) = got.accepted
    assert reply.carried == ["2"]
    assert [(e.id, e.progress, e.origin) for e in reply.entries] == [
        (1, 70, "住建局.csv 第 2 行"),
        (2, 30, "沿用 住建局.csv 第 3 行"),
    ]
    assert write(got, ledger) == 2
