"""Loading tasks.yaml: every broken file is one clear error naming file, line and what was expected."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import BUNDLED, assert_sound
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_robust_inputs import mutated

from taskctl.cli import cli
from taskctl.errors import TaskctlError
from taskctl.loader import dumps, load, loads, resolve_path
from taskctl.model import Section, Task, TaskList

GOOD = """\
标题: 测试清单
年度: 2023
groups:
  各镇街道: [甲镇, 乙镇]
sections:
- 编号: 一
  标题: 第一部分
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 任务一
    责任领导: [张  三]
    牵头部门: [住建局]
    责任部门: [各镇街道]
  - 序号: 2
    年度任务目标: 任务二
    责任领导: []
    牵头部门: [发改局]
    责任部门: []
    完成时限: 2023-06-30
"""


def write(tmp_path, text: str | bytes):
    path = tmp_path / "tasks.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def test_good_file_loads(tmp_path):
    tl = load(write(tmp_path, GOOD))
    assert [t.id for t in tl.tasks] == [1, 2]
    assert tl.task(1).leaders == ("张  三",)
    assert str(tl.task(2).deadline) == "2023-06-30"
    assert tl.groups == {"各镇街道": ("甲镇", "乙镇")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace(
                "    年度任务目标: 任务二\n", "    年度任务目标: 任务二\n    年度任务目标: 又一次\n"
            ),
            "第 17 行：键「年度任务目标」重复（第一次出现在第 16 行）",
        ),
        (
            GOOD.replace("  - 序号: 2\n", "  - 序号: 1\n"),
            "第 15 行：序号 1 重复（第一次出现在第 10 行）；每项任务的序号应唯一",
        ),
        (GOOD.replace("  - 序号: 2\n    年度", "  - 年度"), "第 15 行：任务缺少 序号"),
        (GOOD.replace("序号: 2", "序号: 二"), "第 15 行：序号应为正整数，得到「二」"),
        (
            GOOD.replace("责任领导: [张  三]", "责任领导: {a: 1}"),
            "第 12 行：序号 1 的 责任领导 应为名字列表（每行一个名字），得到映射",
        ),
        (
            GOOD.replace("责任领导: [张  三]", "责任领导: [1]"),
            "第 12 行：序号 1 的 责任领导 应为名字列表（每行一个名字），得到列表",
        ),
        (
            GOOD.replace("完成时限: 2023-06-30", "完成时限: 六月底"),
            "第 20 行：序号 2 的 完成时限 应为日期（如 2023-06-30），得到「六月底」",
        ),
        (
            GOOD.replace("groups:\n  各镇街道: [甲镇, 乙镇]\n", "x: &a [1]\ny: *a\n"),
            "第 3 行：不支持 YAML 锚点和别名（& 与 *），请把内容直接写出",
        ),
        (
            GOOD.replace("  项数: 2\n", "  项数: [\n"),
            "第 10 行：YAML 格式错误：did not find expected node content",
        ),
        ("- 1\n- 2\n", "不是任务清单：顶层应为映射（标题、sections…），得到列表"),
        ("标题: x\n", "第 1 行：缺少 sections 列表（清单的各部分）"),
        ("", "不是任务清单：顶层应为映射（标题、sections…），得到空值"),
        (
            GOOD.replace("年度: 2023", "年度: 二〇二三"),
            "第 1 行：年度 应为整数（如 2023），得到「二〇二三」",
        ),
    ],
)
def test_broken_files_give_one_clear_line(runner, tmp_path, text, message):
    path = write(tmp_path, text)
    before = path.read_bytes()
    result = runner.invoke(cli, ["list", "--file", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"错误：{path}{'' if message.startswith('第') else '：'}{message}\n".replace(
            f"{path}第", f"{path} 第"
        )
    )
    assert path.read_bytes() == before


def test_not_utf8_names_the_line(runner, tmp_path):
    path = write(tmp_path, GOOD.encode("utf-8").replace("任务二".encode(), "任务二".encode("gbk")))
    result = runner.invoke(cli, ["sections", "--file", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：{path} 第 16 行：不是 UTF-8 编码的文本，请以 UTF-8 另存后再试\n"


def test_utf8_bom_is_accepted(tmp_path):
    assert len(load(write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode())).tasks) == 2


def test_alias_bomb_is_refused_quickly(runner, tmp_path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in range(1, 12):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    path = write(tmp_path, bomb)
    result = runner.invoke(cli, ["list", "--file", str(path)])
    assert result.exit_code == 2
    assert "不支持 YAML 锚点和别名" in result.stderr


def test_deep_nesting_is_an_error_not_a_crash(runner, tmp_path):
    path = write(tmp_path, "sections: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = runner.invoke(cli, ["list", "--file", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{path}")
    assert "Traceback" not in result.output


def test_missing_file_and_folder(runner, tmp_path):
    result = runner.invoke(cli, ["list", "--file", str(tmp_path / "none.yaml")])
    assert (result.exit_code, result.stderr) == (2, f"错误：{tmp_path / 'none.yaml'}：文件不存在\n")


def test_which_file_is_used(tmp_path, monkeypatch):
    explicit = tmp_path / "x.yaml"
    assert resolve_path(explicit, environ={"TASKCTL_FILE": "env.yaml"}) == explicit
    assert str(resolve_path(None, environ={"TASKCTL_FILE": "env.yaml"})) == "env.yaml"
    assert resolve_path(None, environ={}, cwd=tmp_path).name == "tasks.yaml"
    assert resolve_path(None, environ={}, cwd=tmp_path).parent.parent != tmp_path
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(GOOD, encoding="utf-8")
    assert resolve_path(None, environ={}, cwd=tmp_path) == tmp_path / "data" / "tasks.yaml"


def test_env_var_selects_the_file(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("TASKCTL_FILE", str(write(tmp_path, GOOD)))
    result = runner.invoke(cli, ["list", "--as-of", "2023-03-01", "--format", "tsv"])
    assert (
        result.stdout
        == "1\t一\t任务一\t张三\t住建局\t各镇街道\t未启动\t\t\t红\n2\t一\t任务二\t\t发改局\t\t未启动\t\t\t红\n"
    )


# Round trips and arbitrary input -------------------------------------------------------------

awkward = st.one_of(
    st.text(min_size=1, max_size=20),
    st.sampled_from(
        [
            "- a",
            ": b",
            "#c",
            "'q'",
            '"q"',
            "yes",
            "no",
            "on",
            "null",
            "~",
            "2023-01-01",
            "1e3",
            "0x10",
            "张\u3000辉",
            " 前后空格 ",
            "多\n行",
            "08",
            "@x",
            "=1+1",
        ]
    ),
)
names = st.lists(awkward.filter(lambda s: s != ""), max_size=3).map(tuple)


@st.composite
def tasklists(draw):
    sections = []
    next_id = 1
    for index in range(draw(st.integers(1, 3))):
        tasks = []
        for _ in range(draw(st.integers(0, 3))):
            text = draw(awkward.filter(lambda s: s.strip() != ""))
            tasks.append(
                Task(next_id, text, draw(names), draw(names), draw(names), section="一二三"[index])
            )
            next_id += 1
        sections.append(
            Section(
                "一二三"[index], draw(awkward), draw(st.none() | st.integers(0, 50)), tuple(tasks)
            )
        )
    groups = draw(st.dictionaries(awkward, names, max_size=2))
    return TaskList(
        title=draw(awkward),
        sections=tuple(sections),
        groups=groups,
        year=draw(st.none() | st.integers(1990, 2100)),
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tasklists())
def test_dump_then_load_gives_back_the_same_list(tl):
    again = loads(dumps(tl))
    assert again.sections == tl.sections
    assert again.groups == tl.groups
    assert (again.title, again.year) == (tl.title, tl.year)
    assert dumps(again) == dumps(tl)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        mutated(BUNDLED.read_bytes()[:3000]).map(lambda b: b.decode("utf-8", "replace")),
    )
)
def test_any_text_is_a_sound_list_or_a_taskctl_error(text):
    try:
        tasklist = loads(text)
    except TaskctlError as exc:
        assert exc.message.startswith("<文本>")  # names where the text came from
    else:
        assert_sound(tasklist)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_on_the_command_line_exit_0_or_2(tmp_path_factory, data):
    from click.testing import CliRunner

    path = tmp_path_factory.mktemp("b") / "t.yaml"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["list", "--file", str(path)])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("错误：") and result.stderr.count("\n") == 1


def test_model_replace_gives_a_new_frozen_task_and_leaves_the_old():
    task = Task(1, "x", leaders=("张辉",), section="一")
    changed = dataclasses.replace(task, id=2)
    assert (task.id, changed.id, changed.leaders, changed.section) == (1, 2, ("张辉",), "一")
    with pytest.raises(dataclasses.FrozenInstanceError):
        changed.id = 3  # type: ignore[misc]


def test_tolerance_and_by_status_round_trip():
    from taskctl.loader import dumps, loads

    text = (
        "标题: 清单\n年度: 2024\n序时容差: 5\nsections:\n- 编号: 一\n  标题: 指标\n  任务:\n"
        "  - 序号: 1\n    年度任务目标: 地区生产总值增长6%\n    按状态判定: true\n"
        "  - 序号: 2\n    年度任务目标: 新建供热管网8公里\n"
    )
    tasklist = loads(text)
    assert tasklist.tolerance == 5
    assert [t.by_status for t in tasklist.tasks] == [True, False]
    assert [dict(t.extra) for t in tasklist.tasks] == [{}, {}]
    again = loads(dumps(tasklist))
    assert (again.tolerance, [t.by_status for t in again.tasks]) == (5, [True, False])
    assert "按状态判定" not in dumps(loads(text.replace("    按状态判定: true\n", "")))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("序时容差: 120\n", "序时容差 应为 0 到 100 之间的数（百分点，如 10），得到「120」"),
        ("序时容差: 十\n", "序时容差 应为 0 到 100 之间的数（百分点，如 10），得到「十」"),
    ],
)
def test_bad_tolerance_is_refused(line, message):
    from taskctl.errors import DataFileError
    from taskctl.loader import loads

    with pytest.raises(DataFileError) as caught:
        loads("标题: 清单\n" + line + "sections: []\n")
    assert message in str(caught.value)


def test_by_status_must_be_true_or_false():
    from taskctl.errors import DataFileError
    from taskctl.loader import loads

    text = "标题: 清单\nsections:\n- 编号: 一\n  标题: 甲\n  任务:\n  - 序号: 1\n    年度任务目标: 甲\n    按状态判定: 是的\n"
    with pytest.raises(DataFileError) as caught:
        loads(text)
    assert "序号 1 的 按状态判定 应为 true 或 false，得到「是的」" in str(caught.value)


@settings(max_examples=60, deadline=None)
@given(
    tolerance=st.one_of(
        st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False, allow_infinity=False)
    ),
    marks=st.lists(st.booleans(), min_size=1, max_size=4),
)
def test_tolerance_and_marks_survive_save_and_load(tolerance, marks):
    tasks = tuple(
        Task(id=i, text=f"任务{i}", section="一", by_status=mark) for i, mark in enumerate(marks, 1)
    )
    tasklist = TaskList(
        title="清单", sections=(Section("一", "甲", len(tasks), tasks),), tolerance=tolerance
    )
    again = loads(dumps(tasklist))
    assert again.tolerance == tolerance
    assert [t.by_status for t in again.tasks] == marks


def test_office_settings_are_kept_as_written_and_saved_back(tmp_path):
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "groups:", "亮灯规则:\n  方式: 比例\n  黄: 80\n  红: 60\n多单位汇总: 主牵头单位\ngroups:", 1
    )
    tasklist = loads(text)
    assert tasklist.settings == {
        "多单位汇总": "主牵头单位",
        "亮灯规则": {"方式": "比例", "黄": 80, "红": 60},
    }
    again = loads(dumps(tasklist))
    assert again.settings == tasklist.settings
    assert loads(BUNDLED.read_text(encoding="utf-8")).settings == {}
