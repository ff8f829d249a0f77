"""Tests prompted by the mutants of the core's small modules that survived issue 27's full run
of scripts/mutate.py (names, fastyaml, filenames, pinyin, layout, model, yamlio, fsutil, cache,
completion, errors). Each was checked by putting its mutant back and seeing it fail; the
survivors left standing are explained in the mutation notes of area g."""

from __future__ import annotations

import pytest

from taskctl.errors import NameLookupError
from taskctl.names import resolve


def lookup_error(query: str, names: list[str], kind: str = "部门") -> str:
    with pytest.raises(NameLookupError) as info:
        resolve(query, names, kind)
    return info.value.message


# pinyin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("㐀", True),  # U+3400, the first of extension A
        ("䶿", True),  # U+4DBF, its last
        ("䷀", False),  # U+4DC0, a hexagram of the Yijing after it
        ("一", True),  # U+4E00, the first unified ideograph
        ("鿿", True),  # U+9FFF, the last
        ("ꀀ", False),  # U+A000, a Yi syllable after them
        ("\uf900", True),  # U+F900, the first compatibility ideograph
        ("\ufaff", True),  # the last of their block
        ("ﬀ", False),  # U+FB00, the ligature ff after it
        ("𠀀", True),  # U+20000, the first of extension B
        ("\U0001ffff", False),
        ("\u33ff", False),
        ("\u4dff", False),
        ("\uf8ff", False),
        ("Zhang Hui 2023", False),
    ],
)
def test_which_characters_are_chinese(text, chinese):
    from taskctl.pinyin import has_cjk

    assert has_cjk(text) is chinese


def test_two_names_spelled_alike_in_full_are_listed_each_with_its_whole_pinyin():
    assert lookup_error("liming", ["李明", "黎明", "财政局"], "责任领导") == (
        "「liming」对应多个责任领导：李明（li ming）、黎明（li ming）；请写得更完整些"
    )


def test_u_umlaut_typed_as_u_spells_a_whole_name():
    from taskctl.pinyin import EXACT, match

    found = match("luliang", "吕梁")
    assert (found.rank, found.pinyin) == (EXACT, "lu liang")
    assert resolve("lvliang", ["吕梁", "梁山"], "部门") == "吕梁"


def test_a_whole_name_spelled_in_full_beats_a_name_it_only_starts():
    assert resolve("lihui", ["李辉明", "李辉"], "责任领导") == "李辉"


# fastyaml ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\n标题: 清单\n",  # a directive
        "---\n标题: 清单\n",  # a document start
        "标题: 清单\n...\n",  # a document end
        "标题:\n" + " " * 64 + "年度: 2023\n",  # indented 64 spaces
        "标题: &t 清单\n",  # an anchor alone
        "年度: !!str 2023\n",  # a tag alone
        "责任领导: [张辉, 李明]\n",  # a flow sequence
        "完成时限: '2023-06-30'\n备注: 甲|乙>丙\"\n",  # a quoted date, beside all four marks
        "? 标题\n: 清单\n",  # a complex key
        "- - 张辉\n",  # an item in an item
        "完成时限: 2023-02-30\n",  # a date that does not exist
    ],
)
def test_what_the_fast_reader_leaves_to_pyyaml(monkeypatch, text):
    from taskctl.fastyaml import fast_load

    monkeypatch.delenv("TASKCTL_FAST_YAML", raising=False)
    assert fast_load(text) is None


def test_what_the_fast_reader_reads_itself(monkeypatch):
    import datetime as dt

    from taskctl.fastyaml import fast_load

    monkeypatch.delenv("TASKCTL_FAST_YAML", raising=False)
    assert fast_load("标题: 清单\n完成时限: 2023-06-30\n序号: 5\n") == {
        "标题": "清单",
        "完成时限": dt.date(2023, 6, 30),
        "序号": 5,
    }
    assert fast_load("- 1.5\n- 2023-12-31\n") == [1.5, dt.date(2023, 12, 31)]
    monkeypatch.setenv("TASKCTL_FAST_YAML", "0")
    assert fast_load("标题: 清单\n") is None


def test_marks_inside_a_plain_text_keep_the_fast_reader():
    """& * ! | > ? and "- -" inside a task's text are no YAML of their own: what taskctl writes
    with them is read by the fast reader (each guard looks further only when its marks occur)."""
    from taskctl.fastyaml import fast_load

    text = "备注: 住建局&财政局创建A*级景区!完成率>90%|是否完成?东- -西“口袋公园”\n"
    assert fast_load("标题: 清单\n" + text) == {
        "标题": "清单",
        "备注": "住建局&财政局创建A*级景区!完成率>90%|是否完成?东- -西“口袋公园”",
    }


# filenames ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "chosen"),
    [
        ("周报.DOCX", None, "docx"),  # the extension in capitals
        ("周报.Md", None, "markdown"),
        ("周报.out", None, "markdown"),  # an extension nobody knows: the default
        ("周报.out", "json", "json"),
    ],
)
def test_the_report_format_of_a_name(name, fmt, chosen):
    from pathlib import PurePath

    from taskctl.filenames import REPORT_SUFFIXES, choose_format

    assert choose_format(PurePath(name), fmt, REPORT_SUFFIXES, "markdown", "report") == chosen


@pytest.mark.parametrize(
    ("unit", "fill", "part"),
    [
        ("住建局", "_", "住建局"),
        ("发改局/粮食局", "_", "发改局_粮食局-2b069e96"),
        ("发改局:粮食局", "_", "发改局_粮食局-03dda52b"),
        ("发改局/粮食局", "＿", "发改局＿粮食局-2b069e96"),
        ("///", "_", "单位-c64b8480"),  # nothing left: a word stands in
        ("///", "＿", "＿＿＿-c64b8480"),
        (" .局. ", "_", "局-ecf69fdd"),
        (" .局. ", "＿", "局-ecf69fdd"),
        # 151 bytes: cut to the whole characters within 150
        ("A" + "中" * 60, "_", "A" + "中" * 49 + "-1e3a8ff5"),
    ],
)
def test_the_part_of_a_file_name_that_names_a_unit(unit, fill, part):
    from taskctl.filenames import unit_part

    assert unit_part(unit, fill) == part


def test_two_units_whose_file_names_differ_only_in_case_are_refused():
    from pathlib import PurePath

    from taskctl.errors import InputError
    from taskctl.filenames import check_distinct

    check_distinct([("住建局", PurePath("a/住建局.xlsx")), ("住建局", PurePath("b/住建局.xlsx"))])
    with pytest.raises(InputError) as caught:
        check_distinct([("5G专班", PurePath("5G专班.xlsx")), ("5g专班", PurePath("5g专班.xlsx"))])
    assert caught.value.message == (
        "单位「5G专班」与「5g专班」的文件名相同（5g专班.xlsx）；请在清单中把其中一个单位名改得可以区分"
    )


# layout ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("a b", 3, ["a b"]),  # exactly full
        ("a bcd", 3, ["a ", "bcd"]),  # a word exactly a line long goes whole to the next
        ("abcd", 2, ["ab", "cd"]),  # a word longer than a line is cut where it must be
        ("abcd", 1, ["ab", "cd"]),  # never narrower than two cells
        ("住建局abcd", 4, ["住建", "局", "abcd"]),  # a Latin word is not broken when it fits
        ("增长15%，推进", 6, ["增长", "15%，", "推进"]),  # the comma stays with the number
        ("", 10, [""]),
        ("甲\n\n乙", 10, ["甲", "", "乙"]),
    ],
)
def test_wrap_fills_each_line_up_to_the_width(text, width, lines):
    from taskctl.layout import wrap

    assert wrap(text, width) == lines


def test_a_character_of_no_width_takes_no_cell():
    from taskctl.layout import cells

    assert cells("\u0301") == 0  # a combining accent on its own
    assert cells("e\u0301") == 1
    assert cells("住建局") == 6


# model -------------------------------------------------------------------------------------


def test_what_a_task_keeps_beside_its_columns():
    from taskctl.model import Task

    task = Task(
        5,
        "推进棚户区改造",
        leaders=("张  辉",),
        lead_departments=("住建局",),
        departments=("财政局",),
        section="一",
        extra={
            "任务名称": "棚户区改造",
            "完成时限说明": "6月底前",
            "分项": [{"内容": "东片区"}, {"内容": "西片区"}],
            "责任人": "王五",
            "责任部门原文": "财政局等",
            "备注": "",
        },
    )
    assert task.to_record() == {
        "id": 5,
        "section": "一",
        "text": "推进棚户区改造",
        "leaders": ["张辉"],
        "lead_departments": ["住建局"],
        "departments": ["财政局"],
    }
    assert task.title == "棚户区改造"
    assert task.deadline_phrase == "6月底前"
    assert task.kept_columns() == {"责任人": "王五", "备注": ""}
    assert task.rows() == [("5.1", {"内容": "东片区"}), ("5.2", {"内容": "西片区"})]
    plain = Task(6, "加强预算管理", extra={"分项": "东片区、西片区"})
    assert (plain.title, plain.deadline_phrase, plain.rows(), plain.kept_columns()) == (
        "",
        "",
        [],
        {},
    )


# completion --------------------------------------------------------------------------------

COMPLETION_LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 城市 建设
  项数: 1
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [市5G专班]
    责任部门: [5G办]
- 编号: 二
  标题: 乡村振兴
  项数: 1
  任务:
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [住建局]
"""


def completed(kind: str, incomplete: str) -> list[tuple[str, str]]:
    from taskctl.completion import candidates, complete
    from taskctl.loader import loads

    found = complete(candidates(loads(COMPLETION_LIST), kind), incomplete)
    return [(c.value, c.note) for c in found]


@pytest.mark.parametrize(
    ("kind", "incomplete", "expected"),
    [
        ("department", "5g", [("5G办", "")]),  # a value starting with it, in any case
        ("department", "5G", [("5G办", "")]),
        ("department", "住 建", [("住建局", "")]),  # spaces aside
        ("department", "g", [("市5G专班", ""), ("5G办", "")]),  # found as written, not as pinyin
        ("department", "专班", [("市5G专班", "")]),
        ("department", "g专", [("市5G专班", "")]),  # Latin letters found inside, as written
        ("department", "zjj", [("住建局", "zhu jian ju")]),
        ("leader", "ZH", [("张辉", "zhang hui")]),  # pinyin: the note gives it
        ("leader", "王", []),  # Chinese is never read as pinyin
        ("section", "2", [("二", "乡村振兴")]),  # by its place
        ("section", "市建", [("一", "城市 建设")]),  # by its title, spaces aside
        ("section", "xczx", [("二", "乡村振兴")]),  # by pinyin: the note stays the title
        ("section", "", [("一", "城市 建设"), ("二", "乡村振兴")]),
    ],
)
def test_what_a_half_typed_word_completes_to(kind, incomplete, expected):
    assert completed(kind, incomplete) == expected


def test_an_unknown_kind_of_completion_is_a_programming_error():
    from taskctl.completion import candidates
    from taskctl.loader import loads

    with pytest.raises(ValueError, match="unknown kind 'unit'"):
        candidates(loads(COMPLETION_LIST), "unit")


# errors, the package -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("单元格「甲\n乙」", "单元格「甲 乙」"),
        ("单元格「甲\r乙」", "单元格「甲 乙」"),
        ("单元格「甲\r\n乙」", "单元格「甲 乙」"),
        ("单元格「甲乙」", "单元格「甲乙」"),
    ],
)
def test_an_error_is_one_line_whatever_it_quotes(message, shown):
    from taskctl.errors import DataFileError, InputError

    assert str(InputError(message)) == shown
    assert InputError(message).exit_code == 2
    assert str(DataFileError("tasks.yaml", message)) == f"tasks.yaml：{shown}"
    assert str(DataFileError("tasks.yaml", message, 3)) == f"tasks.yaml 第 3 行：{shown}"


def test_an_error_holds_its_message_as_python_errors_do():
    from taskctl.errors import InputError, UnknownTaskError

    assert InputError("单元格「甲\n乙」").args == ("单元格「甲 乙」",)  # one line there too
    assert (
        repr(UnknownTaskError("没有序号为 9 的任务")) == "UnknownTaskError('没有序号为 9 的任务')"
    )


def test_the_package_names_what_it_does_not_have():
    import taskctl

    assert hasattr(taskctl, "load") and not hasattr(taskctl, "nothing")
    with pytest.raises(AttributeError, match="module 'taskctl' has no attribute 'nothing'"):
        taskctl.nothing  # noqa: B018
    assert {"load", "loads", "TaskList", "filter_tasks"} <= set(dir(taskctl))


# yamlio ------------------------------------------------------------------------------------


def data_error(call, *args) -> str:
    from taskctl.errors import DataFileError

    with pytest.raises(DataFileError) as caught:
        call(*args)
    return str(caught.value)


def test_the_reader_remembers_the_line_of_each_mapping_and_key():
    from taskctl.yamlio import load_yaml

    data = load_yaml("标题: 清单\n任务:\n- 序号: 1\n  年度任务目标: 推进棚户区改造\n", "tasks.yaml")
    task = data["任务"][0]
    assert (data.line, data.key_lines) == (1, {"标题": 1, "任务": 2})
    assert (task.line, task.line_of("年度任务目标"), task.line_of("责任领导")) == (3, 4, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("标题: 清单\n备注: 甲\x00\n", "tasks.yaml 第 2 行：含有 NUL 字符，不是文本文件"),
        (
            "标题: 清单\n备注: 甲\x07\n",
            "tasks.yaml 第 2 行：含有不可用的控制字符（#x0007），不是文本文件",
        ),
        (
            "\n标题: 清单\n备注: 甲\x07\n",
            "tasks.yaml 第 3 行：含有不可用的控制字符（#x0007），不是文本文件",
        ),
        ("\n标题: 清单\n备注: 甲\x00\n", "tasks.yaml 第 3 行：含有 NUL 字符，不是文本文件"),
        (
            "标题: 清单\n年度: 2023\n备注: &a 一\n说明: *a\n",
            "tasks.yaml 第 3 行：不支持 YAML 锚点和别名（& 与 *），请把内容直接写出",
        ),
        (
            "标题: 清单\n年度: 2023\n标题: 又一个\n",
            "tasks.yaml 第 3 行：键「标题」重复（第一次出现在第 1 行）",
        ),
        ("标题: 清单\n? [1]\n: 2\n", "tasks.yaml 第 2 行：键必须是文字"),
        (
            "标题: 清单\n  年度: 2023\n",
            "tasks.yaml 第 2 行：YAML 格式错误：mapping values are not allowed in this context",
        ),
        ("标题: 清单\n完成时限: 2023-02-30\n", "tasks.yaml：含有无效的日期或数值（如 2023-02-30）"),
    ],
)
def test_what_the_reader_refuses_and_where(text, message):
    import gc

    from taskctl.yamlio import load_yaml

    assert data_error(load_yaml, text, "tasks.yaml") == message
    assert gc.isenabled()  # paused while parsing only, even when the parse fails


def test_the_collector_runs_again_after_a_parse():
    import gc

    from taskctl.yamlio import load_yaml

    assert load_yaml("标题: 清单\n", "tasks.yaml") == {"标题": "清单"}
    assert gc.isenabled()


def test_bytes_that_are_not_utf8_name_their_line_and_the_likely_encoding():
    from taskctl.yamlio import decode_utf8

    assert decode_utf8("\ufeff标题: 清单\n".encode(), "tasks.yaml") == "标题: 清单\n"
    assert data_error(decode_utf8, b"\nyear: 2023\n\xff\n", "tasks.yaml") == (
        "tasks.yaml 第 3 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    )
    assert data_error(decode_utf8, "标题: 清单\n备注: ".encode() + b"\xff\xff\n", "tasks.yaml") == (
        "tasks.yaml 第 2 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    )
    assert data_error(decode_utf8, "year: 2023\n\n备注: 甲".encode("gbk"), "tasks.yaml") == (
        "tasks.yaml 第 3 行：不是 UTF-8 编码的文本（看起来是 GBK，即 Windows 的“ANSI”编码），"
        "请以 UTF-8 另存后再试"
    )
    assert data_error(decode_utf8, "标题".encode("utf-16"), "tasks.yaml") == (
        "tasks.yaml 第 1 行：不是 UTF-8 编码的文本（看起来是 UTF-16，即记事本的“Unicode”），"
        "请以 UTF-8 另存后再试"
    )


def test_a_log_line_torn_inside_a_character_keeps_the_rest():
    from taskctl.yamlio import decode_utf8_lines

    torn = "记录".encode()[:-1]
    assert decode_utf8_lines(b"\xef\xbb\xbfa\n" + torn + b"\nc\n", "log", 1) == "a\n记\ufffd\nc\n"
    assert decode_utf8_lines("\ufeffa\n记录\n".encode(), "log", 1) == "a\n记录\n"
    assert decode_utf8_lines(b"\xef\xbb\xbfa\n" + torn + b"\n", "log") == "a\n记\ufffd\n"
    assert data_error(decode_utf8_lines, b"a\nb\xff\n", "log") == (
        "log 第 2 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    )
    # a later chunk of the file: its first line is not the file's, a BOM there is text
    assert decode_utf8_lines("\ufeffa\n".encode() + torn + b"\n", "log", 5) == "\ufeffa\n记\ufffd\n"
    assert data_error(decode_utf8_lines, b"a\nb\xff\nc\n", "log", 3) == (
        "log 第 4 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    )
    assert data_error(decode_utf8_lines, b"a\n\xff\xffb\n" + torn + b"\n", "log", 1) == (
        "log 第 2 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试"
    )


# fsutil ------------------------------------------------------------------------------------

posix = pytest.mark.skipif(__import__("sys").platform == "win32", reason="POSIX modes and locks")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(28, "No space left on device"), "磁盘已满，未写入任何内容；请腾出空间后重试"),
        (OSError(13, "Permission denied"), "没有写入权限（文件夹只读或被占用），未写入任何内容"),
        (
            OSError(1, "Operation not permitted"),
            "没有写入权限（文件夹只读或被占用），未写入任何内容",
        ),
        (
            OSError(30, "Read-only file system"),
            "没有写入权限（文件夹只读或被占用），未写入任何内容",
        ),
        (OSError(5, "Input/output error"), "写入失败（Input/output error），未写入任何内容"),
        (OSError("网络盘已断开"), "写入失败（网络盘已断开），未写入任何内容"),
    ],
)
def test_a_failed_replace_says_why_and_leaves_the_old_file(tmp_path, monkeypatch, error, message):
    import errno
    import os

    from taskctl import fsutil
    from taskctl.errors import DataFileError

    assert (errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS) == (28, 13, 1, 30)
    target = tmp_path / "tasks.yaml"
    target.write_bytes(b"old")

    def fail(source, destination):
        raise error

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(DataFileError) as caught:
        fsutil.atomic_write(target, b"new")
    assert str(caught.value) == f"{target}：{message}"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.yaml", "tasks.yaml.lock"]


@posix
def test_a_second_writer_waits_for_the_lock_then_gives_up(tmp_path):
    from taskctl import fsutil

    target = tmp_path / "progress.jsonl"
    with fsutil.locked(target):
        with pytest.raises(fsutil.LockTimeout) as caught:
            with fsutil.locked(target, timeout=0.05):
                pass
    assert str(caught.value) == (
        f"{target}：另一个 taskctl 正在写入，等待 0 秒后仍未释放；若确无其他程序在运行，可删除 {target}.lock"
    )
    with fsutil.locked(target, timeout=0.05):  # released: the next one gets it at once
        pass


class FakeMsvcrt:
    """msvcrt.locking as Windows does it: a byte range from the handle's position, refused
    while another handle holds it, unlocked only by the same range (closing a handle does not
    release its lock at once there)."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self) -> None:
        self.held: dict[int, tuple[int, int, int]] = {}

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        import os

        node = os.fstat(fd).st_ino
        region = (fd, os.lseek(fd, 0, os.SEEK_CUR), nbytes)
        if mode == self.LK_NBLCK:
            if node in self.held:
                raise PermissionError(13, "Permission denied")
            self.held[node] = region
        elif self.held.get(node) == region:
            del self.held[node]
        else:
            raise PermissionError(13, "Permission denied")


def on_windows(monkeypatch):
    import sys
    import types

    from taskctl import fsutil

    monkeypatch.setattr(fsutil, "sys", types.SimpleNamespace(platform="win32"))
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    return fake


def test_on_windows_a_second_writer_waits_for_the_lock_too(tmp_path, monkeypatch):
    from taskctl import fsutil

    fake = on_windows(monkeypatch)
    target = tmp_path / "progress.jsonl"
    with fsutil.locked(target):
        with pytest.raises(fsutil.LockTimeout):
            with fsutil.locked(target, timeout=0.05):
                pass
    assert fake.held == {}
    fsutil.append_record(target, b"{}\n")
    fsutil.atomic_write(tmp_path / "tasks.yaml", b"a")
    assert fake.held == {}
    assert target.read_bytes() == b"{}\n"


def test_on_windows_a_file_held_open_briefly_is_replaced_once_it_is_free(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil

    on_windows(monkeypatch)
    real = os.replace
    tries = []

    def busy(source, destination):  # a virus scanner holds the file twice, then lets go
        tries.append(destination)
        if len(tries) < 3:
            raise PermissionError(13, "Permission denied")
        real(source, destination)

    monkeypatch.setattr(os, "replace", busy)
    fsutil.atomic_write(tmp_path / "tasks.yaml", b"new", lock=False)
    assert (tmp_path / "tasks.yaml").read_bytes() == b"new"
    assert len(tries) == 3


def test_elsewhere_a_refused_replace_is_not_tried_again(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil
    from taskctl.errors import DataFileError

    tries = []

    def refused(source, destination):
        tries.append(destination)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(DataFileError):
        fsutil.atomic_write(tmp_path / "tasks.yaml", b"new", lock=False)
    assert len(tries) == 1


def test_only_this_files_leftover_temp_files_are_removed(tmp_path):
    from taskctl import fsutil

    for name in [".tasks.yaml.x1y2.tmp", "other.tmp", ".tasks.yaml.bak", ".progress.jsonl.a.tmp"]:
        (tmp_path / name).write_bytes(b"")
    fsutil.atomic_write(tmp_path / "tasks.yaml", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".progress.jsonl.a.tmp",
        ".tasks.yaml.bak",
        "other.tmp",
        "tasks.yaml",
        "tasks.yaml.lock",
    ]


@posix
def test_a_rewritten_file_keeps_its_permissions(tmp_path):
    import os
    import stat

    from taskctl import fsutil

    target = tmp_path / "tasks.yaml"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    fsutil.atomic_write(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_append_record_makes_the_record_durable(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil

    target = tmp_path / "progress.jsonl"
    target.write_bytes(b'{"a": 1}\n')
    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(os.fstat(fd).st_size)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    fsutil.append_record(target, b'{"b": 2}\n')
    assert synced == [18]


def test_a_failed_append_takes_back_what_it_wrote(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil
    from taskctl.errors import DataFileError

    target = tmp_path / "progress.jsonl"
    target.write_bytes(b'{"a": 1}\n')
    real = os.write

    def half(fd, data):  # the disk fills up part-way
        real(fd, data[:4])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(DataFileError, match="磁盘已满"):
        fsutil.append_record(target, b'{"b": 2}\n')
    assert target.read_bytes() == b'{"a": 1}\n'


def test_a_file_read_whole_may_hold_the_limit_and_no_more(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil

    path = tmp_path / "tasks.yaml"
    path.write_bytes(b"0123456789")
    assert fsutil.read_regular(path, limit=10) == b"0123456789"
    assert fsutil.read_regular(path, limit=11) == b"0123456789"
    with pytest.raises(fsutil.DataFileError) as caught:
        fsutil.read_regular(path, limit=9)
    assert str(caught.value) == f"{path}：文件过大（0 MB，上限 0 MB）"
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(3 * (1 << 20) + 1)  # sparse: no disk used
    with pytest.raises(fsutil.DataFileError) as caught:
        fsutil.read_regular(big, limit=3 << 20)
    assert str(caught.value) == f"{big}：文件过大（3 MB，上限 3 MB）"
    real = os.fstat

    def stale(fd):  # the file grows between the stat and the read
        fields = list(real(fd))
        fields[6] = 0
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", stale)
    with pytest.raises(fsutil.DataFileError) as caught:
        fsutil.read_regular(big, limit=2 << 20)
    assert str(caught.value) == f"{big}：文件过大（上限 2 MB）"


def test_an_output_that_does_not_exist_yet_is_still_known_as_the_file_read(tmp_path):
    from taskctl import fsutil
    from taskctl.errors import InputError

    log = tmp_path / "progress.jsonl"  # not written yet
    with pytest.raises(InputError, match="是本命令正在读取的清单或进度台账"):
        fsutil.check_output(log, True, [log])
    fsutil.check_output(tmp_path / "台账.xlsx", False, [log])


# cache -------------------------------------------------------------------------------------

CACHED_LIST = """\
标题: 测试清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [住建局]
    责任部门: [财政局]
    完成时限: 2023-06-30
"""


def cached_twice(tmp_path, monkeypatch):
    """Load a small list twice, the second time with the YAML reader gone: the second answer
    can only come from the parse cache. Returns both."""
    from taskctl.loader import load

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    first = load(path)
    with monkeypatch.context() as patch:
        patch.setattr("taskctl.loader.from_data", None)  # a second parse would now fail
        second = load(path)
    return first, second


def test_a_cache_folder_others_may_read_but_not_write_is_used(tmp_path, monkeypatch):
    import os

    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o755)
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(folder))
    first, second = cached_twice(tmp_path, monkeypatch)
    assert second == first


@posix
def test_a_missing_cache_folder_is_made_the_users_own(tmp_path, monkeypatch):
    import os
    import stat

    folder = tmp_path / "home" / "cache"
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(folder))
    previous = os.umask(0o022)
    try:
        first, second = cached_twice(tmp_path, monkeypatch)
    finally:
        os.umask(previous)
    assert second == first
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_on_windows_the_cache_is_used_too(tmp_path, monkeypatch):
    import sys
    import types

    from taskctl import cache

    windows = types.SimpleNamespace(platform="win32", version_info=sys.version_info)
    monkeypatch.setattr(cache, "sys", windows)
    first, second = cached_twice(tmp_path, monkeypatch)
    assert second == first
    assert second.tasks[1].deadline == first.tasks[1].deadline


@posix
@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_cache_entries_leave_no_descriptor_open(tmp_path, monkeypatch):
    import os

    from taskctl import cache
    from taskctl.loader import load

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    load(path)  # imports done, entries written
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        load(path)  # served from the cache
    entry = cache.entry_path(path.resolve())
    entry.unlink()
    os.mkfifo(entry)  # an entry that is no regular file: opened, looked at, refused
    assert load(path).title == "测试清单"
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_file_over_a_gigabyte_is_refused_before_any_byte_is_read(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil

    huge = tmp_path / "tasks.yaml"
    with open(huge, "wb") as handle:
        handle.truncate((1 << 30) + 1)  # sparse: no disk used

    def unread(fd, size):
        raise AssertionError("read a file over the limit")

    monkeypatch.setattr(os, "read", unread)
    with pytest.raises(fsutil.DataFileError) as caught:
        fsutil.read_regular(huge)
    assert str(caught.value) == f"{huge}：文件过大（1024 MB，上限 1024 MB）"


# model: ListFacts --------------------------------------------------------------------------

# Each task's line: 序号, TAB, 牵头 RS 责任 RS 统称 (US between names), then GS and each 分项's
# 牵头 RS 责任.
UNITS = (
    "\n1\t住建局\x1e财政局\x1f发改局\x1e"
    "\n2\t交通局\x1e\x1e1\x1d交通局\x1e财政局\x1d住建局\x1e"
    "\n5\t教育局\x1e\x1e\n"
).encode()


def test_list_facts_give_each_tasks_units_and_parts():
    from taskctl.model import ListFacts

    facts = ListFacts.of(2023, [5, 1, 2, 2], UNITS, ("交通局", "住建局"))
    assert facts.runs == ((1, 2), (5, 5))
    assert facts.units_of(1) == (("住建局",), ("财政局", "发改局"), False)
    assert facts.units_of(2) == (("交通局",), (), True)
    assert (facts.part_count(1), facts.part_count(2), facts.part_count(5)) == (0, 2, 0)
    assert facts.units_of(2, 1) == (("交通局",), ("财政局",), True)
    assert facts.units_of(2, 2) == (("住建局",), (), True)
    assert facts.units_of(5) == (("教育局",), (), False)
    # a 序号 the list has but the units do not know: nobody named, an open group assumed
    other = ListFacts.of(2023, [1, 9], UNITS)
    assert (other.units_of(9), other.part_count(9)) == (((), (), True), 0)


@pytest.mark.parametrize("missing", [0, 3, 4, 6, 100])
def test_list_facts_refuse_a_task_the_list_does_not_have(missing):
    from taskctl.errors import UnknownTaskError
    from taskctl.model import ListFacts

    facts = ListFacts.of(2023, [5, 1, 2], UNITS)
    with pytest.raises(UnknownTaskError) as caught:
        facts.units_of(missing)
    assert str(caught.value) == f"没有序号为 {missing} 的任务（本清单序号为 1–5）"
    for present in (1, 2, 5):
        facts.require(present)
    with pytest.raises(UnknownTaskError) as caught:
        ListFacts.of(2023, []).require(1)
    assert str(caught.value) == "没有序号为 1 的任务（清单为空）"


def test_list_facts_compare_by_year_ids_and_names():
    from taskctl.model import ListFacts

    one = ListFacts.of(2023, [1, 2, 3], names=("住建局",))
    assert one == ListFacts.of(2023, [3, 2, 1, 2], names=("住建局",))
    assert hash(one) == hash(ListFacts.of(2023, [3, 2, 1]))
    assert one != ListFacts.of(2024, [1, 2, 3], names=("住建局",))
    assert one != ListFacts.of(2023, [1, 2, 4], names=("住建局",))
    assert one != ListFacts.of(2023, [1, 2, 3], names=("财政局",))
    assert one != (2023, ((1, 3),))
    assert repr(one) == "ListFacts(year=2023, runs=((1, 3),))"


# layout: fitting a table to the width ------------------------------------------------------


def fitted(keys, headings, texts, width, **spacing):
    from taskctl.layout import fit

    kept, widths = fit(keys, headings, texts, width, **spacing)
    return [(keys[i], widths[i]) for i in kept]


def test_the_task_text_takes_the_room_the_other_columns_leave():
    keys = ["id", "section", "text", "leaders", "progress", "light"]
    headings = ["序号", "部分", "年度任务目标", "责任领导", "进度", "灯"]
    texts = [
        ["1", "2"],
        ["一", "一"],
        ["很长的任务" * 10, "短"],
        ["于德忱", "张辉、李明、王五、赵六"],
        [" ", ""],  # blank: given way like an empty column
        ["红", "绿"],
    ]
    # each other column as wide as its heading or widest cell, names at most 12 cells, one
    # cell between columns, and the text the rest of the 60
    assert fitted(keys, headings, texts, 60) == [
        ("id", 4),
        ("section", 4),
        ("text", 34),
        ("leaders", 12),
        ("light", 2),
    ]
    assert fitted(keys, headings, texts, 60, gap=3, heading_pad=2) == [
        ("id", 6),
        ("text", 44),
        ("light", 4),
    ]


def test_a_second_free_text_gets_a_third_of_the_room():
    keys, headings = ["id", "text", "note"], ["序号", "年度任务目标", "备注"]
    texts = [["1"], ["很长的任务" * 10], ["备注很长" * 10]]
    assert fitted(keys, headings, texts, 60) == [("id", 4), ("text", 36), ("note", 18)]
    # kept with its four cells while the text keeps half the line
    keys, headings = ["id", "text", "note", "status"], ["序号", "任务", "备注", "状态"]
    texts = [["1"], ["甲" * 30], ["乙" * 30], ["推进中"]]
    assert fitted(keys, headings, texts, 33) == [
        ("id", 4),
        ("text", 14),
        ("note", 6),
        ("status", 6),
    ]


@pytest.mark.parametrize(
    ("keys", "headings", "texts", "width", "expected"),
    [
        (["id", "text"], ["序号", "任务"], [["1"], ["很长" * 10]], 6, [("id", 4), ("text", 4)]),
        (["id", "text"], ["序号", "任务"], [["1"], ["甲"]], 40, [("id", 4), ("text", 4)]),
        (
            ["id", "text", "note"],
            ["序号", "任务", "备注"],
            [["1"], ["甲" * 30], ["乙" * 30]],
            12,
            [("id", 4), ("text", 4), ("note", 4)],
        ),
    ],
)
def test_a_free_text_column_never_gets_fewer_than_four_cells(
    keys, headings, texts, width, expected
):
    assert fitted(keys, headings, texts, width) == expected


def test_without_free_text_the_widest_words_stand_in_wanting_sixteen_cells():
    keys, headings = (
        ["departments", "tasks", "updated", "status"],
        ["责任部门", "任务数", "更新", "状态"],
    )
    texts = [["住建局、财政局、发改局、交通局"], ["12"], ["2023-06-30"], ["推进中"]]
    assert fitted(keys, headings, texts, 41) == [
        ("departments", 16),
        ("tasks", 6),
        ("updated", 10),
        ("status", 6),
    ]
    assert fitted(keys, headings, texts, 40) == [("departments", 26), ("tasks", 6), ("status", 6)]


def test_an_unchanged_log_ending_in_a_torn_line_is_read_from_the_cache(tmp_path, monkeypatch):
    import json

    from taskctl import progress
    from taskctl.progress import read_log

    record = {"序号": 1, "日期": "2023-06-05", "状态": "序时推进", "说明": "说明"}
    log = tmp_path / "progress.jsonl"
    log.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode() + b'{"torn')
    warnings: list[str] = []
    first = [(e.id, e.date, e.status) for e in read_log(log, warnings.append)]
    assert warnings == [f"{log} 第 2 行不完整（可能是写入时被中断），已跳过"]
    monkeypatch.setattr(progress.store, "_parse", None)  # a parse would now fail
    again: list[str] = []
    assert [(e.id, e.date, e.status) for e in read_log(log, again.append)] == first
    assert again == warnings


def test_facts_kept_beside_the_cache_give_each_tasks_units(tmp_path):
    import os
    import time

    from taskctl import cache
    from taskctl.errors import UnknownTaskError
    from taskctl.model import ListFacts

    units = UNITS[:-1] + "\n7\t农业农村局\x1e\x1e\n8\t\x1e住建局\x1f交通局\x1e1\n".encode()
    facts = ListFacts.of(2023, [8, 5, 1, 2, 7], units, ("交通局", "住建局"))
    path = tmp_path / "tasks.yaml"
    raw = "标题: 清单\n".encode()
    path.write_bytes(raw)
    st = os.stat(path)
    cache.put_facts(path, st, raw, time.time_ns(), facts)
    kept = cache.get_facts(path, st, lambda: (raw, os.stat(path)))
    assert kept == facts and kept.runs == ((1, 2), (5, 5), (7, 8))
    for task_id in (1, 2, 5, 7, 8):
        assert kept.units_of(task_id) == facts.units_of(task_id)
        assert kept.part_count(task_id) == facts.part_count(task_id)
    assert kept.units_of(8) == ((), ("住建局", "交通局"), True)
    assert kept.units_of(2, 2) == (("住建局",), (), True)
    for missing in (0, 3, 6, 9):
        with pytest.raises(UnknownTaskError):
            kept.units_of(missing)


def test_cache_entries_of_another_taskctl_version_are_not_used(tmp_path, monkeypatch):
    import json
    import os
    import time

    import taskctl
    from taskctl import cache
    from taskctl.model import ListFacts
    from taskctl.progress import read_log

    record = {"序号": 1, "日期": "2023-06-05", "状态": "序时推进", "说明": "说明"}
    log = tmp_path / "progress.jsonl"
    log.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode())
    read_log(log, print)  # its entry is written
    path = tmp_path / "tasks.yaml"
    raw = "标题: 清单\n".encode()
    path.write_bytes(raw)
    st = os.stat(path)
    cache.put_facts(path, st, raw, time.time_ns() + 10**12, ListFacts.of(2023, [1]))

    def entries():
        held = cache.get_log(log.resolve(), os.stat(log), log.read_bytes())
        return held, cache.get_facts(path, st, None)  # settled: the list is not read

    held, facts = entries()
    assert held is not None and held[0] == log.stat().st_size
    assert facts == ListFacts.of(2023, [1])
    monkeypatch.setattr(taskctl, "__version__", "99.0")
    assert entries() == (None, None)


def test_a_write_interrupted_by_ctrl_c_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    import os

    from taskctl import fsutil

    target = tmp_path / "tasks.yaml"
    target.write_bytes(b"old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.yaml", "tasks.yaml.lock"]


def test_each_kind_of_cache_entry_is_used_only_under_its_own_header(tmp_path):
    """An entry, a facts entry and a units file whose first bytes are not taskctl's header
    (another program's file, a damaged one) are not used, even when the rest would fit."""
    import os
    import time

    from taskctl import cache
    from taskctl.loader import loads
    from taskctl.model import ListFacts

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    raw, st, source = path.read_bytes(), os.stat(path), path.resolve()
    facts = ListFacts.of(2023, [1, 2, 5], UNITS, ("交通局", "住建局"))
    cache.put(source, st, raw, loads(CACHED_LIST))
    cache.put_facts(source, st, raw, time.time_ns() + 10**12, facts)  # settled: not read
    assert cache.get(source, st, raw, path).title == "测试清单"
    assert cache.get_facts(source, st, None).units_of(1) == (
        ("住建局",),
        ("财政局", "发改局"),
        False,
    )

    def damaged(entry, header):
        data = entry.read_bytes()
        assert data.startswith(header)
        entry.write_bytes(b"x" * len(header) + data[len(header) :])

    (units,) = cache.facts_entry_path(source).parent.glob("*.units")
    damaged(units, cache.UNITS_MAGIC)
    assert cache.get_facts(source, st, None).units_of(1) == ((), (), True)  # nobody known
    damaged(cache.entry_path(source), cache._MAGIC)
    damaged(cache.facts_entry_path(source), cache._MAGIC)
    assert cache.get(source, st, raw, path) is None
    assert cache.get_facts(source, st, None) is None
    # and a progress ledger's entry
    log = tmp_path / "progress.jsonl"
    log.write_text('{"序号": 1}\n', encoding="utf-8")
    log_raw, log_st = log.read_bytes(), os.stat(log)
    cache.put_log(log.resolve(), log_st, log_raw, [(1,)], [])
    assert cache.get_log(log.resolve(), log_st, log_raw) == (len(log_raw), [(1,)], [], 1)
    damaged(cache.log_entry_path(log.resolve()), cache._MAGIC)
    assert cache.get_log(log.resolve(), log_st, log_raw) is None


def test_a_python_bug_fix_release_keeps_every_cache_entry(tmp_path, monkeypatch):
    """Debian's python3 moves from 3.11.2 to 3.11.9 with a security update; marshal's format
    changes only between minor versions, so the parsed list, its facts and the ledger's entry
    are still used (another minor version re-parses)."""
    import os
    import sys
    import time

    from taskctl import cache
    from taskctl.loader import loads
    from taskctl.model import ListFacts

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    raw, st, source = path.read_bytes(), os.stat(path), path.resolve()
    log = tmp_path / "progress.jsonl"
    log.write_text('{"序号": 1}\n', encoding="utf-8")
    log_raw, log_st = log.read_bytes(), os.stat(log)
    cache.put(source, st, raw, loads(CACHED_LIST))
    cache.put_facts(source, st, raw, time.time_ns() + 10**12, ListFacts.of(2023, [1, 2, 5]))
    cache.put_log(log.resolve(), log_st, log_raw, [(1,)], [])
    major, minor, micro = sys.version_info[:3]
    monkeypatch.setattr(sys, "version_info", (major, minor, micro + 7, "final", 0))
    assert cache.get(source, st, raw, path).title == "测试清单"
    assert cache.get_facts(source, st, None) == ListFacts.of(2023, [1, 2, 5])
    assert cache.get_log(log.resolve(), log_st, log_raw) == (len(log_raw), [(1,)], [], 1)
    monkeypatch.setattr(sys, "version_info", (major, minor + 1, 0, "final", 0))
    assert cache.get(source, st, raw, path) is None
    assert cache.get_facts(source, st, None) is None
    assert cache.get_log(log.resolve(), log_st, log_raw) is None


def test_a_model_rebuilt_from_what_was_stored_leaves_the_garbage_collector_on(tmp_path):
    import gc
    import os

    from taskctl import cache
    from taskctl.loader import loads

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    tasklist = loads(CACHED_LIST)
    payload = cache.put(path.resolve(), os.stat(path), path.read_bytes(), tasklist)
    assert gc.isenabled()
    assert cache.load_payload(payload, "tasks.yaml").tasks == tasklist.tasks
    assert gc.isenabled()


@posix
@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_looking_up_a_tasks_units_leaves_no_descriptor_open(tmp_path):
    import os
    import time

    from taskctl import cache
    from taskctl.model import ListFacts

    path = tmp_path / "tasks.yaml"
    raw = "标题: 清单\n".encode()
    path.write_bytes(raw)
    st = os.stat(path)
    cache.put_facts(path, st, raw, time.time_ns() + 10**12, ListFacts.of(2023, [1, 2, 5], UNITS))
    kept = cache.get_facts(path, st, None)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        assert kept.units_of(5) == (("教育局",), (), False)
    assert len(os.listdir("/proc/self/fd")) == before


@pytest.mark.parametrize(("after", "read"), [(0, True), (1, False)])
def test_a_list_is_settled_only_once_its_last_change_is_over_settled_ns_old(tmp_path, after, read):
    """The facts of a list read exactly 3 seconds after its last change are checked against
    its bytes; one nanosecond later the stat alone vouches for them."""
    import os

    from taskctl import cache
    from taskctl.model import ListFacts

    path = tmp_path / "tasks.yaml"
    raw = "标题: 清单\n".encode()
    path.write_bytes(raw)
    st = os.stat(path)
    # 3 seconds: what docs/performance.md promises ("3 秒以上未改动")
    read_at = max(st.st_mtime_ns, st.st_ctime_ns) + 3_000_000_000 + after
    cache.put_facts(path, st, raw, read_at, ListFacts.of(2023, [1, 2]))
    reads = []

    def again():
        reads.append(path)
        return raw, os.stat(path)

    assert cache.get_facts(path, st, again) == ListFacts.of(2023, [1, 2])
    assert reads == ([path] if read else [])


@pytest.mark.parametrize(("size", "read"), [(1 << 30, True), ((1 << 30) + 1, False)])
def test_a_cache_entry_of_a_gigabyte_is_read_and_one_byte_more_is_not(
    tmp_path, monkeypatch, size, read
):
    import os

    from taskctl import cache
    from taskctl.loader import load

    path = tmp_path / "tasks.yaml"
    path.write_text(CACHED_LIST, encoding="utf-8")
    entry = cache.entry_path(path.resolve())
    entry.parent.mkdir(parents=True, exist_ok=True)
    with open(entry, "wb") as handle:
        handle.truncate(size)  # sparse: no disk used
    real = os.fdopen
    opened = []

    def guarded(fd, mode="r", *args, **kwargs):
        if "r" in mode and os.fstat(fd).st_size >= 1 << 30:
            opened.append(os.fstat(fd).st_size)
            raise OSError("not read here: a gigabyte")
        return real(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", guarded)
    assert load(path).title == "测试清单"
    assert opened == ([size] if read else [])


class FakeClock:
    """time as fsutil sees it: a monotonic clock that only a pause moves on, the pauses kept.
    A writer that tried again and again without pausing would stop it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []
        self.reads = 0

    def monotonic(self) -> float:
        self.reads += 1
        assert self.reads < 1000, "tried again without pausing"
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@posix
@pytest.mark.parametrize(
    ("timeout", "pauses"),
    [
        (0, []),  # no time to wait: given up at once, even where the clock is coarse
        (0.1, [0.001, 0.002, 0.004, 0.008, 0.016, 0.02, 0.02, 0.02, 0.02]),
    ],
)
def test_a_writer_waiting_for_the_lock_pauses_a_little_longer_each_time(
    tmp_path, monkeypatch, timeout, pauses
):
    """Writers hold the lock for one append: the one waiting tries again after 1 ms, then
    after twice as long each time up to 20 ms, until the timeout has passed."""
    from taskctl import fsutil

    target = tmp_path / "progress.jsonl"
    clock = FakeClock()
    with fsutil.locked(target):
        monkeypatch.setattr(fsutil, "time", clock)
        with pytest.raises(fsutil.LockTimeout):
            with fsutil.locked(target, timeout=timeout):
                pass
    assert clock.pauses == pytest.approx(pauses)


@pytest.mark.parametrize("seconds", [0.0, 5.0])
def test_on_windows_a_file_held_open_is_tried_again_for_five_seconds(
    tmp_path, monkeypatch, seconds
):
    """A virus scanner or a reader holding the file: the replace is tried again after 5 ms,
    then after twice as long each time up to 0.1 s, for REPLACE_RETRY_SECONDS at most."""
    import os

    from taskctl import fsutil
    from taskctl.errors import DataFileError

    on_windows(monkeypatch)
    clock = FakeClock()
    monkeypatch.setattr(fsutil, "time", clock)
    monkeypatch.setattr(fsutil, "REPLACE_RETRY_SECONDS", seconds)

    def held(source, destination):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(DataFileError):
        fsutil.atomic_write(tmp_path / "tasks.yaml", b"new", lock=False)
    if not seconds:
        assert clock.pauses == []
        return
    assert clock.pauses[:7] == pytest.approx([0.005, 0.01, 0.02, 0.04, 0.08, 0.1, 0.1])
    assert set(clock.pauses[5:]) == {0.1}
    assert sum(clock.pauses) - clock.pauses[-1] < seconds <= sum(clock.pauses)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_platform_without_nonblocking_opens_reads_files_as_before(tmp_path, monkeypatch):
    """Windows has no os.O_NONBLOCK: a list there is opened for reading only, as here."""
    import os

    from taskctl.fsutil import read_regular

    path = tmp_path / "tasks.yaml"
    path.write_text("标题: 2023年重点工作\n", encoding="utf-8")
    monkeypatch.delattr(os, "O_NONBLOCK")
    assert read_regular(path).decode("utf-8") == "标题: 2023年重点工作\n"
