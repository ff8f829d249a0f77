from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE = FIXTURES / "2023-task-list.txt"
BUNDLED = ROOT / "data" / "tasks.yaml"
# Said once on stderr by report, export and remind over the whole bundled list, whose 序号 29
# has no 责任领导 and 序号 91 the task's own sentence there (issue 23).
LIST_ERRORS = "警告：清单有 2 处错误将照录在输出中（序号 29 的 责任领导 等）；请先用 taskctl validate 核对改正\n"
# Said once on stderr by a command that reads progress with the bundled list and no log.
BUNDLED_NOTE = (
    "提示：当前文件夹没有 data/tasks.yaml，用的是随包附带的清单；"
    "进度台账 data/progress.jsonl 不存在，进度均按未填报计\n"
)


def assert_sound(tasklist) -> None:
    """What any list taskctl accepts satisfies: positive integer 序号, each task under the
    section that holds it, non-empty task text, and a YAML save that loads back the same."""
    from taskctl.loader import dumps, from_data
    from taskctl.yamlio import load_yaml

    for section in tasklist.sections:
        for task in section.tasks:
            assert type(task.id) is int and task.id >= 1
            assert task.section == section.numeral
            assert task.text.strip()
    saved = dumps(tasklist)
    again = from_data(load_yaml(saved, "<saved>"), "<saved>", check_ids=False)
    assert again.sections == tasklist.sections
    assert (again.title, again.year, dict(again.groups)) == (
        tasklist.title,
        tasklist.year,
        dict(tasklist.groups),
    )
    assert dumps(again) == saved


@pytest.fixture(autouse=True, scope="session")
def _users_cache_untouched(tmp_path_factory):
    """The user's cache folder, for this session, is an empty folder of its own: a subprocess
    that loses the test's TASKCTL_CACHE_DIR (see :func:`taskctl_env`) would write its parse
    cache there, and the session then ends in an error naming it. Fixtures of a module or
    the session, set up before any test's own folder, get a parse cache of the session's."""
    folder = tmp_path_factory.mktemp("users-cache")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "TASKCTL_CACHE_DIR")}
    os.environ["XDG_CACHE_HOME"] = str(folder)
    os.environ["TASKCTL_CACHE_DIR"] = str(tmp_path_factory.mktemp("session-cache"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    written = sorted(p.name for p in (folder / "taskctl").glob("*"))
    assert not written, f"a test's subprocess wrote into the user's cache folder: {written}"


def taskctl_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess a test runs: this process's own, without any other
    TASKCTL_* setting than the test's own parse cache folder, plus ``extra``. A child must
    never write into the user's cache folder, nor serve one test's list to another."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKCTL_")}
    env["TASKCTL_CACHE_DIR"] = os.environ["TASKCTL_CACHE_DIR"]
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path, tmp_path_factory):
    """No test reads the developer's own TASKCTL_* settings or ./data of the cwd, nor writes
    to the user's cache folder (each test gets an empty parse cache of its own)."""
    for name in (
        "TASKCTL_FILE",
        "TASKCTL_PROGRESS",
        "TASKCTL_DEBUG",
        "NO_COLOR",
        "TASKCTL_NO_CACHE",
        "TASKCTL_FAST_YAML",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)


# How many parses the fast parser answered, and how many it left to PyYAML (test_fast_yaml).
FAST_YAML_USE = {"fast": 0, "pyyaml": 0}


@pytest.fixture(autouse=True)
def _fast_yaml_agrees(monkeypatch):
    """Every list any test parses is also parsed by PyYAML alone: the fast parser must give the
    very same list, or the very same error (issue 14)."""
    from taskctl import fastyaml, loader, yamlio
    from taskctl.errors import DataFileError

    parse = loader._parse

    def pyyaml_only(text, path):
        return loader.from_data(yamlio.load_yaml(text, path), path)

    def both(text, path):
        FAST_YAML_USE["fast" if fastyaml.fast_load(text) is not None else "pyyaml"] += 1
        try:
            got = parse(text, path)
        except DataFileError as exc:
            with pytest.raises(DataFileError) as reference:
                pyyaml_only(text, path)
            assert (type(exc), str(exc)) == (type(reference.value), str(reference.value))
            raise
        reference = pyyaml_only(text, path)
        assert got == reference, f"the fast parser and PyYAML disagree on {path}"
        # in the same order too (groups, extra fields): a dict compares equal in any order
        assert repr(loader.to_data(got)) == repr(loader.to_data(reference))
        return got

    monkeypatch.setattr(loader, "_parse", both)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def tasklist():
    from taskctl.loader import load

    return load(BUNDLED)


def require_tool(*names: str, install: str) -> str:
    """The path of the first of ``names`` on PATH. Missing: a skip that says how to install it
    on a developer's machine, and a failure under CI=true, where .ci/run must have installed it."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {names[0]} is missing: .ci/run must install it ({install})")
    pytest.skip(f"{names[0]} is not installed ({install}); CI installs it")


FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


def require_font(family: str = "WenQuanYi Micro Hei", install: str = "fonts-wqy-microhei") -> None:
    """Skip a test that measures rendered Chinese glyphs when ``family`` is not installed
    (LibreOffice then draws them in another font, of other widths), except under CI=true,
    where that is a failure. fontconfig decides where it is there; else the Debian file."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        listed = subprocess.run(
            [fc_list, family, "family"], capture_output=True, text=True, check=False
        ).stdout
        found = bool(listed.strip())
    else:
        found = any(Path(path).exists() for path in FONT_FILES)
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the font {family} is missing: .ci/run must install {install}")
    pytest.skip(f"the font {family} is not installed (apt-get install {install}); CI installs it")


@pytest.fixture
def cjk_font() -> None:
    """For a test that measures rendered Chinese glyphs: skips (fails under CI=true) when
    fonts-wqy-microhei is missing."""
    require_font()


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile for this test session; skips (fails under CI=true) when
    LibreOffice or poppler is missing (see tests/office.py)."""
    from tests.office import require_office

    require_office()
    return tmp_path_factory.mktemp("libreoffice-profile")


# ``python -c LIMITED args…`` runs taskctl with 1 GiB of address space: a crafted file that
# would exhaust memory ends the run instead of the machine.
LIMITED = (
    "import sys\n"
    "try:\n"
    "    import resource\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
    "except (ImportError, AttributeError, ValueError):  # Windows\n"
    "    pass\n"
    "from taskctl.cli import main\n"
    "sys.argv = ['taskctl', *sys.argv[1:]]\n"
    "main()\n"
)
