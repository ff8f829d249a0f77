"""taskctl import on other counties' layouts, and what show, list, sections and export then print."""

from __future__ import annotations

import layouts

from taskctl.cli import cli
from taskctl.loader import load


def _import(runner, tmp_path, build, name, *args):
    source = tmp_path / name
    build(source)
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), *args])
    return source, out, result


def test_import_prints_the_summary(runner, tmp_path):
    _, out, result = _import(runner, tmp_path, layouts.city_xlsx, "民生实事.xlsx")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "读取 3 行：3 项任务，2 个部分\n"
        "列：\n"
        "  类别 → 部分（标题为“类别”）\n"
        "  序 号 → 序号（标题为“序号”）\n"
        "  项目名称 → 任务名称（标题含“名称”）\n"
        "  主要内容 → 年度任务目标（标题含“内容”）\n"
        "  牵头市领导 → 责任领导（标题含“领导”）\n"
        "  牵头责任单位 → 牵头部门（标题为“牵头责任单位”）\n"
        "  协同配合单位 → 责任部门（标题含“单位”）\n"
        "  完成时间 → 完成时限（标题含“时间”）\n"
        "  责任人 → 原样保留（标题为“责任人”）\n"
        "  备 注 → 原样保留（标题不对应已知的角色）\n"
        f"已导入 3 项任务（2 个部分）→ {out}\n"
        f"检查发现 0 个错误，1 个警告；用 taskctl validate --file {out} 查看\n"
    )
    text = out.read_text(encoding="utf-8")
    assert "原表列:\n  类别: 部分\n  序  号: 序号\n  项目名称: 任务名称\n" in text
    assert "    备注: 续建1所\n" in text


def test_show_prints_path_name_kept_columns_and_phrase(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.city_xlsx, "民生实事.xlsx")
    result = runner.invoke(
        cli, ["show", "1", "--file", str(out), "--format", "plain", "--as-of", "2024-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:11] == [
        "字段          内容",
        "序号          1",
        "部分          一、教育",
        "任务名称      新建幼儿园",
        "年度任务目标  新建公办幼儿园3所，新增学位900个",
        "责任领导      刘洋",
        "牵头部门      市教育局",
        "责任部门      市发改委、市自然资源局",
        "完成时限      2024-08-31（2024年8月底前）",
        "责任人        王晓明",
        "备注          续建1所",
    ]


def test_show_numbers_the_rows_of_an_item(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.district_docx, "区.docx")
    result = runner.invoke(cli, ["show", "4", "--file", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    record = json.loads(result.stdout)
    assert record["rows"] == [
        {"id": "4.1", "年度任务目标": "建成区级企业服务中心", "牵头部门": "区发改局", "责任部门": "工业园（东山镇）", "完成时限": "9月投入使用"},
        {"id": "4.2", "年度任务目标": "开展“万人助万企”活动", "牵头部门": "区工信局", "责任部门": "区商务局", "完成时限": "一季度"},
    ]  # fmt: skip
    assert record["deadline_phrase"] == "9月投入使用\n一季度"
    assert record["section_heading"] == (
        "一、推动经济高质量发展（4项） > （二）优化营商环境（牵头领导：王  强、李  梅）"
    )


def test_sections_and_section_filter_by_any_level(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.district_docx, "区.docx")
    result = runner.invoke(cli, ["sections", "--file", str(out), "--format", "csv"])
    assert result.stdout.replace("\r\n", "\n") == (
        "上级,编号,标题,标题项数,实际项数\n"
        "一、推动经济高质量发展（4项）,一（一）,壮大实体经济,,2\n"
        "一、推动经济高质量发展（4项）,一（二）,优化营商环境（牵头领导：王  强、李  梅）,,2\n"
        ",二,保障和改善民生,1,1\n"
    )
    for query, ids in (("一", "1 2 3 4"), ("(二)", "3 4"), ("营商", "3 4"), ("二", "5")):
        result = runner.invoke(
            cli, ["list", "--file", str(out), "--section", query, "--format", "json"]
        )
        import json

        assert " ".join(str(r["id"]) for r in json.loads(result.stdout)) == ids, query
    found = runner.invoke(
        cli, ["list", "--file", str(out), "--dept", "工业园(东山镇)", "--format", "json"]
    )
    assert [r["id"] for r in json.loads(found.stdout)] == [4]


def test_export_writes_under_the_source_headings(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.district_docx, "区.docx")
    result = runner.invoke(cli, ["export", "--file", str(out), "--format", "csv"])
    lines = result.stdout_bytes.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "序  号,部分,重点工作任务,区政府分管领导,主要责任单位,配合单位,完成时限"
    assert lines[1] == (
        "1,一、推动经济高质量发展（4项） > （一）壮大实体经济,新建5G基站200个，实现城区全覆盖,"
        "张  伟,区工信局,区发改局，区住建局；各街道,2019年6月底前"
    )
    back = tmp_path / "back.csv"
    back.write_bytes(result.stdout_bytes)
    again = tmp_path / "again.yaml"
    assert runner.invoke(cli, ["import", str(back), "-o", str(again)]).exit_code == 0
    first, second = load(out), load(again)
    assert [(s.numeral, s.path, s.written) for s in second.sections] == [
        (s.numeral, s.path, s.written) for s in first.sections
    ]
    assert [(t.id, t.text, t.leaders, t.lead_departments, t.departments) for t in second.tasks] == [
        (t.id, t.text, t.leaders, t.lead_departments, t.departments) for t in first.tasks
    ]


def test_first_unit_leads_export_writes_one_column(runner, tmp_path):
    _, out, result = _import(
        runner, tmp_path, layouts.first_lead_docx, "镇.docx", "--first-unit-leads"
    )
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["export", "--file", str(out), "--format", "csv"])
    lines = exported.stdout_bytes.decode("utf-8-sig").split("\r\n")
    assert lines[:3] == [
        "序号,部分,主要任务,责任单位,完成时限",
        "1,乡村振兴,新建高标准农田1万亩,农业农村办、财政所、自然资源所,10月底前",
        "2,乡村振兴,培育家庭农场20家,农业农村办,下半年",
    ]
    checked = runner.invoke(cli, ["validate", "--file", str(out), "--format", "csv"])
    assert checked.stdout.replace("\r\n", "\n") == (
        "级别,位置,字段,问题\n警告,清单,责任领导,清单没有责任领导列\n"
    )


def test_list_tables_and_table_option(runner, tmp_path):
    source = tmp_path / "附件.docx"
    layouts.annexes_docx(source, same_layout=False)
    result = runner.invoke(cli, ["import", str(source), "--list-tables"])
    assert result.exit_code == 0
    assert result.stdout == (
        "1\t2023年县政府重点工作任务分解\t序号/重点工作/责任领导/牵头部门/责任部门\t4\n"
        "2\t2023年民生实事\t序号/民生实事/责任单位\t2\n"
    )
    out = tmp_path / "t.yaml"
    refused = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert "请用 --table N 选一张导入" in refused.stderr
    assert not out.exists()
    picked = runner.invoke(cli, ["import", str(source), "-o", str(out), "--table", "1"])
    assert picked.exit_code == 0, picked.output
    assert [t.id for t in load(out).tasks] == [1, 2]


def test_columns_option_and_its_errors(runner, tmp_path):
    source = tmp_path / "手工.csv"
    source.write_text("编号,要办的事,谁来办\n1,修路,交通局\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    ok = runner.invoke(
        cli, ["import", str(source), "-o", str(out), "--columns", "任务=要办的事,牵头部门=谁来办"]
    )
    assert ok.exit_code == 0, ok.output
    assert load(out).tasks[0].lead_departments == ("交通局",)
    bad = runner.invoke(
        cli, ["import", str(source), "-o", str(tmp_path / "x.yaml"), "--columns", "任务"]
    )
    assert (bad.exit_code, bad.stdout) == (2, "")
    assert (
        bad.stderr == "错误：无法理解的列对应「任务」：应写成 角色=原表列标题，如 任务=重点工作\n"
    )


def test_list_shows_the_deadline_as_written(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.county_csv, "县.csv")
    result = runner.invoke(
        cli, ["list", "--file", str(out), "--format", "csv", "--as-of", "2021-03-01"]
    )
    import csv
    import io

    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[
        0
    ] == "序号,部分,年度任务目标,责任领导,牵头部门,责任部门,完成时限,状态,进度,最近更新,灯".split(
        ","
    )
    assert [row[6] for row in rows[1:]] == [
        "全年",
        "12月31日前",
        "三季度",
        "2021年11月",
    ]


def test_an_item_over_two_rows_exports_as_two_rows_and_reads_back(runner, tmp_path):
    _, out, _ = _import(runner, tmp_path, layouts.district_docx, "区.docx")
    for suffix in (".csv", ".xlsx", ".md"):
        exported = tmp_path / f"台账{suffix}"
        result = runner.invoke(cli, ["export", "--file", str(out), "-o", str(exported)])
        assert result.exit_code == 0, result.output
        again = tmp_path / f"again{suffix}.yaml"
        assert runner.invoke(cli, ["import", str(exported), "-o", str(again)]).exit_code == 0
        item = load(again).task(4)
        assert item.rows() == load(out).task(4).rows(), suffix
        assert (item.text, item.lead_departments, item.departments) == (
            "建成区级企业服务中心\n开展“万人助万企”活动",
            ("区发改局", "区工信局"),
            ("工业园（东山镇）", "区商务局"),
        )
    csv_text = (tmp_path / "台账.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert csv_text[4:6] == [
        "4,一、推动经济高质量发展（4项） > （二）优化营商环境（牵头领导：王  强、李  梅）,"
        "建成区级企业服务中心,,区发改局,工业园（东山镇）,9月投入使用",
        ",一、推动经济高质量发展（4项） > （二）优化营商环境（牵头领导：王  强、李  梅）,"
        "开展“万人助万企”活动,,区工信局,区商务局,一季度",
    ]
