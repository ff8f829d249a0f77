"""Benchmarks of whole taskctl processes against baselines run side by side; writes RESULTS.md.

    python bench/run.py            # full run (a few minutes), writes bench/RESULTS.md
    python bench/run.py --quick    # fewer repeats, no 100k cold parse, writes bench/out/RESULTS-quick.md

Every figure is the median of repeated whole-process runs. Each case is measured in the same
rounds as its baseline, interleaved in a shuffled order, with the same interpreter, so the ratio
holds even on a noisy machine. Peak memory is the child's max RSS (``wait4``).

Cases are data (:data:`CASES`). A case that fails (non-zero exit) is reported as such.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
DATA = OUT / "data"
sys.path.insert(0, str(BENCH))

import gen  # noqa: E402

PY = sys.executable
LEADER = "于德忱"
DEPT = "住建局"
YQ_QUERY = f'.sections[]["任务"][] | select(.["责任领导"] | any(. == "{LEADER}")) | .["序号"]'


@dataclass
class Case:
    """One command line to time. ``argv`` may use {py} {taskctl} {bundled} {tasks} {json} {log}
    {empty_log} {workdir}; ``env`` values may use the same. ``before`` runs untimed before each
    timed run: "touch" changes the mtime of the list and the log (so neither cache entry is
    used), "empty-cache" removes the parse cache, "append-log" appends one entry to the log as
    ``update`` would, "copy-log" gives ``update`` a fresh copy of the log, "rewrite-log"
    replaces the log with a new file of the same content (a unit's file replaced, not appended
    to: the log's cache entry cannot be used, the list's can); several join with "+"."""

    name: str
    argv: list[str]
    baseline: str | None = None  # name of the case this one is compared with
    target: float | None = None  # ratio to the baseline that must not be exceeded
    size: int | None = None  # tasks in the list, for the scale table
    env: dict[str, str] = field(default_factory=dict)
    before: str | None = None
    group: str = ""
    repeats: int | None = None  # override the run's repeat count (slow cases)
    quick: bool = True  # run in --quick mode
    limit: float | None = None  # seconds the median must not exceed
    rss_limit: int | None = None  # MB the peak RSS must not exceed


def taskctl(*args: str) -> list[str]:
    return ["{taskctl}", *args]


def floor(*files: str) -> list[str]:
    """A process that does nothing but import json and load the same data."""
    return ["{py}", str(BENCH / "floor.py"), *files]


AS_OF = "2023-06-30"
WEEK = "2023-W26"


QUERIES = [
    ("list --leader", ["list", "--leader", LEADER, "--as-of", AS_OF]),
    ("dept", ["dept", DEPT, "--as-of", AS_OF]),
    ("stats --by leader", ["stats", "--by", "leader", "--as-of", AS_OF]),
    ("report", ["report", "--week", WEEK, "--as-of", AS_OF]),
]
# Ratios to the json floor at 100k (issue 14: stats ≤ 1.3×, report ≤ 1.5×, warm and after an
# update; list and dept keep the ≤ 1.5× of the first benchmarks).
SCALE_TARGETS = {"list --leader": 1.5, "dept": 1.5, "stats --by leader": 1.3, "report": 1.5}


def scale_cases(size: int) -> list[Case]:
    """The four queries on ``size`` tasks with the 100k-entry log: warm, after an ``update``
    (one line appended to the log), and after both files changed."""
    lst = f"{{tasks{size}}}"
    base = f"floor+log-{size}"
    few = 11 if size >= 100_000 else None  # 100k: fewer runs, to keep a full run short
    cases = [
        Case(f"floor-{size}", floor(f"{{json{size}}}"), group="scale", size=size, repeats=few),
        Case(base, floor(f"{{json{size}}}", "{log100000}"), group="scale", size=size, repeats=few),
    ]
    for label, args in QUERIES:
        argv = taskctl(*args, "--file", lst, "--progress", "{worklog}")
        name = f"{label} {size // 1000}k"
        target = SCALE_TARGETS[label] if size >= 100_000 else None
        cases += [
            Case(
                name,
                argv,
                baseline=base,
                target=target,
                size=size,
                group="scale",
                repeats=few,
            ),
            Case(
                f"{name}, after an update",
                argv,
                baseline=base,
                target=target if label in ("stats --by leader", "report") else None,
                size=size,
                before="append-log",
                group="scale",
                repeats=few,
            ),
            Case(
                f"{name}, first after change",
                argv,
                baseline=base,
                size=size,
                before="touch",
                group="cold",
                repeats=3 if size >= 100_000 else 5,
                quick=size < 100_000,
            ),
        ]
    return cases


def first_cases(size: int) -> list[Case]:
    """The first query after the list changed with nothing cached (a new clone, an upgrade, a
    ``git pull``): the parse cache is emptied before each run, so the list and the log are
    parsed. Side by side with the same run forced onto PyYAML alone (``TASKCTL_FAST_YAML=0``)."""
    argv = taskctl(
        "list", "--leader", LEADER, "--as-of", AS_OF, "--file", f"{{tasks{size}}}",
        "--progress", "{worklog}",
    )  # fmt: skip
    name = f"list --leader {size // 1000}k, first query, nothing cached"
    runs = 5 if size >= 100_000 else 9
    return [
        Case(
            f"{name}, PyYAML only",
            argv,
            env={"TASKCTL_FAST_YAML": "0", **COLD},
            before="empty-cache",
            group="first",
            repeats=runs,
            quick=size < 100_000,
        ),
        Case(
            name,
            argv,
            baseline=f"{name}, PyYAML only",
            env=COLD,
            before="empty-cache",
            group="first",
            repeats=runs,
            quick=size < 100_000,
            limit=1.5 if size >= 100_000 else None,
            rss_limit=400 if size >= 100_000 else None,
        ),
    ]


def growth_cases() -> list[Case]:
    """The list and the log scaled together: 10k tasks with 10k reports on them, and 100k with
    100k (each on its own copy of the log), warm."""
    cases = []
    for size, log in ((10_000, "{growth10000}"), (100_000, "{growth100000}")):
        for label, args in QUERIES:
            cases.append(
                Case(
                    f"{label}, {size // 1000}k tasks + {size // 1000}k entries",
                    taskctl(*args, "--file", f"{{tasks{size}}}", "--progress", log),
                    size=size,
                    group="growth",
                    repeats=11 if size >= 100_000 else None,
                )
            )
    return cases


# The cases that empty the cache before each run have a cache folder of their own, so that the
# warm cases measured in the same rounds keep theirs.
COLD = {"TASKCTL_CACHE_DIR": "{workdir}/cold-cache"}


def update_cases() -> list[Case]:
    """``update`` on a fresh empty log: the bundled list and the 100k list, warm (the list's
    cache entry in place) and cold (the cache emptied before each run: a new clone, a list
    just pulled)."""
    bundled = [*UPDATE, "--file", "{bundled}"]
    big = [*UPDATE, "--file", "{tasks100000}"]
    log = ["--log", "{workdir}/empty.jsonl"]
    return [
        Case("update, bundled list", taskctl(*bundled, *log), before="copy-log", group="update"),
        Case(
            "update, 100k list",
            taskctl(*big, *log),
            baseline="update, bundled list",
            target=1.1,
            before="copy-log",
            group="update",
        ),
        Case(
            "update, bundled list, cold",
            taskctl(*bundled, *log),
            before="copy-log+empty-cache",
            group="update",
            env=COLD,
        ),
        Case(
            "update, 100k list, cold",
            taskctl(*big, *log),
            baseline="update, bundled list, cold",
            target=1.1,
            before="copy-log+empty-cache",
            group="update",
            env=COLD,
            repeats=7,
            quick=False,
        ),
    ]


UPDATE = ["update", "7", "--status", "序时推进", "--progress", "40", "--note", "基准测试"]
UPDATE += ["--by", "住建局", "--date", AS_OF]

CASES: list[Case] = [
    Case("import click", ["{py}", "-c", "import click"], group="startup"),
    Case("import click, yaml", ["{py}", "-c", "import click, yaml"], group="startup"),
    Case(
        "an empty click group --help",
        ["{py}", "-c", "import click\n@click.group()\ndef g(): pass\ng(['--help'])"],
        "import click",
        group="startup",
    ),
    Case("taskctl --help", taskctl("--help"), "import click", 1.15, group="startup"),
    Case(
        f"taskctl list --leader {LEADER} | cat",
        taskctl("list", "--leader", LEADER),
        "import click, yaml",
        1.3,
        group="startup",
    ),
    Case(
        f"taskctl list --leader {LEADER} | cat, with a log",
        taskctl("list", "--leader", LEADER, "--progress", "{smalllog}"),
        "import click, yaml",
        1.1,
        group="startup",
    ),
    *scale_cases(10_000),
    *scale_cases(100_000),
    *first_cases(10_000),
    *first_cases(100_000),
    Case(
        "stats --by leader 100k, log rewritten",
        taskctl(
            "stats",
            "--by",
            "leader",
            "--as-of",
            AS_OF,
            "--file",
            "{tasks100000}",
            "--progress",
            "{workdir}/rewritten.jsonl",
        ),  # fmt: skip
        before="rewrite-log",
        group="rewritten",
        repeats=11,
        limit=1.0,
    ),
    *growth_cases(),
    # update: appending must not read the log
    Case(
        "update, empty log",
        taskctl(*UPDATE, "--file", "{bundled}", "--log", "{workdir}/empty.jsonl"),
        before="copy-log",
        group="update",
    ),
    Case(
        "update, 100k-entry log",
        taskctl(*UPDATE, "--file", "{bundled}", "--log", "{workdir}/full.jsonl"),
        baseline="update, empty log",
        target=1.1,
        before="copy-log",
        group="update",
    ),
    *update_cases(),
    # what a user would otherwise reach for
    Case(
        f"taskctl list --leader {LEADER} (bundled)",
        taskctl("list", "--leader", LEADER, "--format", "tsv"),
        group="yq",
    ),
    Case(
        "yq, bundled",
        ["yq", "-r", YQ_QUERY, "{bundled}"],
        f"taskctl list --leader {LEADER} (bundled)",
        group="yq",
    ),
    Case(
        f"taskctl list --leader {LEADER} 10k",
        taskctl("list", "--leader", LEADER, "--file", "{tasks10000}"),
        group="yq",
    ),
    Case(
        "yq, 10k",
        ["yq", "-r", YQ_QUERY, "{tasks10000}"],
        f"taskctl list --leader {LEADER} 10k",
        group="yq",
        repeats=3,
    ),
    Case(
        f"taskctl list --leader {LEADER} 100k",
        taskctl("list", "--leader", LEADER, "--file", "{tasks100000}"),
        group="yq",
        quick=False,
    ),
    Case(
        "yq, 100k",
        ["yq", "-r", YQ_QUERY, "{tasks100000}"],
        f"taskctl list --leader {LEADER} 100k",
        group="yq",
        repeats=1,
        quick=False,
    ),
]


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TASKCTL_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["TASKCTL_CACHE_DIR"] = str(OUT / "cache")
    env.update(extra)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """(seconds, exit status, peak RSS in KiB, end of stderr) of one whole process; stdout
    goes to a file (not a terminal, as in a pipe)."""
    with tempfile.TemporaryFile() as sink, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=sink, stderr=errors, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        tail = errors.read().decode("utf-8", "replace")[-300:]
    return elapsed, proc.returncode, usage.ru_maxrss, tail


def prepare(quick: bool) -> dict[str, str]:
    sizes = [10_000, 100_000]
    # in a child, like the JSON below: a child's peak RSS counts the memory of the process it
    # was forked from, and generating 100k tasks here inflated every case's peak to ~650 MB
    subprocess.run(
        [PY, str(BENCH / "gen.py"), "--out", str(DATA), "--tasks", "1000", *map(str, sizes)]
        + ["--log", "10000", "100000", "--log-tasks", "100000"]
        + ["--scaled", "10000", "10000", "--scaled", "300", "102"],
        check=True,
    )
    places = {"py": PY, "bundled": str(ROOT / "data" / "tasks.yaml")}
    exe = shutil.which("taskctl", path=str(Path(PY).parent)) or shutil.which("taskctl")
    if not exe:
        sys.exit("taskctl is not installed in this interpreter's environment (pip install -e .)")
    places["taskctl"] = exe
    for size in sizes:
        yaml_path = gen.tasks_path(DATA, size)
        json_path = DATA / f"tasks-{size}.json"
        if not json_path.exists() or json_path.stat().st_mtime < yaml_path.stat().st_mtime:
            # in a child: this process must stay small, since a child's peak RSS counts the
            # memory of the process it was forked from
            subprocess.run([PY, str(BENCH / "gen.py"), "--json", str(yaml_path)], check=True)
        places[f"tasks{size}"] = str(yaml_path)
        places[f"json{size}"] = str(json_path)
    for entries in (10_000, 100_000):
        places[f"log{entries}"] = str(gen.log_path(DATA, entries))
    # As an installed package would be: byte-compiled (pip compiles on install; an editable
    # checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise compile on every run).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "taskctl")], check=True)
    work = OUT / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    places["workdir"] = str(work)
    # the queries read a copy of the log, since "after an update" appends to it
    places["worklog"] = str(work / "progress-100000.jsonl")
    shutil.copyfile(places["log100000"], places["worklog"])
    # the growth cases: logs on as many tasks as the list has, a copy each
    for size, source in ((10_000, gen.scaled_log_path(DATA, 10_000, 10_000)),
                         (100_000, gen.log_path(DATA, 100_000))):  # fmt: skip
        places[f"growth{size}"] = str(work / f"growth-{size}.jsonl")
        shutil.copyfile(source, places[f"growth{size}"])
    # the bundled list with a log: 300 reports on its 102 tasks
    places["smalllog"] = str(work / "small.jsonl")
    shutil.copyfile(gen.scaled_log_path(DATA, 300, 102), places["smalllog"])
    shutil.copyfile(places["log100000"], work / "rewritten.jsonl")
    shutil.rmtree(OUT / "cache", ignore_errors=True)
    return places


def fill(text: str, places: dict[str, str]) -> str:
    return text.format(**places)


APPENDED = (
    '{"序号": 7, "日期": "2023-06-30", "状态": "序时推进", "进度": 40, "说明": "基准测试", '
    '"填报人": "住建局", "记录时间": "2023-06-30T17:00:00.000000+08:00"}\n'
).encode()


def before_run(case: Case, places: dict[str, str], argv: list[str], env: dict[str, str]) -> None:
    for action in (case.before or "").split("+"):
        prepare_run(action, places, argv, Path(env["TASKCTL_CACHE_DIR"]))


def prepare_run(action: str, places: dict[str, str], argv: list[str], cache: Path) -> None:
    work = Path(places["workdir"])
    if action == "touch":  # the list and the log changed: both are parsed again
        now = time.time_ns()
        for option in ("--file", "--progress"):
            if option in argv:
                os.utime(argv[argv.index(option) + 1], ns=(now, now))
    elif action == "empty-cache":  # nothing cached: a new clone, an upgrade
        shutil.rmtree(cache, ignore_errors=True)
    elif action == "append-log":  # what one `taskctl update` does to the log
        with open(places["worklog"], "ab") as log:
            log.write(APPENDED)
    elif action == "copy-log":
        (work / "empty.jsonl").write_bytes(b"")
        shutil.copyfile(places["log100000"], work / "full.jsonl")
    elif action == "rewrite-log":  # a new file in its place, as a unit's replaced file is
        shutil.copyfile(places["log100000"], work / "rewritten.jsonl.new")
        os.replace(work / "rewritten.jsonl.new", work / "rewritten.jsonl")


def measure(cases: list[Case], repeats: int, places: dict[str, str]) -> dict[str, dict]:
    """Run every case ``repeats`` times in shuffled interleaved rounds; per-case stats."""
    times: dict[str, list[float]] = {c.name: [] for c in cases}
    rss: dict[str, list[int]] = {c.name: [] for c in cases}
    failures: dict[str, str] = {}
    prepared = {
        c.name: (
            [fill(a, places) for a in c.argv],
            child_env({k: fill(v, places) for k, v in c.env.items()}),
        )
        for c in cases
    }
    for case in cases:  # warm-up: page cache, parse cache, .pyc files
        argv, env = prepared[case.name]
        if not {"touch", "empty-cache"} & set((case.before or "").split("+")):
            before_run(case, places, argv, env)
            run_once(argv, env)
    rounds = max(case.repeats or repeats for case in cases)
    rng = random.Random(5)
    for round_number in range(rounds):
        order = [c for c in cases if round_number < (c.repeats or repeats)]
        rng.shuffle(order)
        for case in order:
            argv, env = prepared[case.name]
            before_run(case, places, argv, env)
            elapsed, code, peak, tail = run_once(argv, env)
            if code != 0:
                failures[case.name] = f"exit {code}: {' '.join(tail.split())[-160:]}"
            times[case.name].append(elapsed)
            rss[case.name].append(peak)
        print(f"  round {round_number + 1}/{rounds}", file=sys.stderr)
    return {
        name: {
            "median": statistics.median(values),
            "runs": len(values),
            "rss": max(rss[name]) / 1024,
            "failed": failures.get(name),
        }
        for name, values in times.items()
        if values
    }


def cell(text: str) -> str:
    """Text for a Markdown table cell (a shell pipe in a case name must not end the cell)."""
    return text.replace("|", "\\|")


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, skip slow cases")
    parser.add_argument("--repeats", type=int, help="runs per case (default 21, quick 5)")
    parser.add_argument("--output", type=Path, help="where to write the results")
    parser.add_argument("--only", action="append", help="run only this group (startup, scale…)")
    args = parser.parse_args()
    repeats = args.repeats or (5 if args.quick else 21)
    output = args.output or (OUT / "RESULTS-quick.md" if args.quick else BENCH / "RESULTS.md")
    places = prepare(args.quick)

    yq = shutil.which("yq")
    chosen, skipped = [], []
    for case in CASES:
        if case.argv[0] == "yq" and not yq:
            skipped.append(case)
        elif args.only and case.group not in args.only:
            skipped.append(case)
        elif args.quick and not case.quick:
            skipped.append(case)
        else:
            chosen.append(case)
    results: dict[str, dict] = {}
    groups = list(dict.fromkeys(c.group for c in chosen))
    for group in groups:
        members = [c for c in chosen if c.group == group]
        names = {c.name for c in members}
        for c in members:  # a baseline from another group runs alongside
            if c.baseline and c.baseline not in names:
                members.append(next(b for b in CASES if b.name == c.baseline))
                names.add(c.baseline)
        print(f"{group}: {len(members)} cases", file=sys.stderr)
        results.update(measure(members, repeats, places))
    write_report(output, results, chosen, skipped, repeats, args.quick, yq)
    print(f"wrote {output}", file=sys.stderr)


def write_report(
    output: Path,
    results: dict[str, dict],
    chosen: list[Case],
    skipped: list[Case],
    repeats: int,
    quick: bool,
    yq: str | None,
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python bench/run.py{' --quick' if quick else ''}` on "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}. Each figure is the "
        f"median of {repeats} whole-process runs (slow cases: as noted), interleaved with its "
        "baseline in shuffled order. Peak RSS is the largest over the runs. "
        "The scale queries read the 100k-entry progress log. Warm figures are repeated queries "
        "of unchanged files (parse cache in use); “after an update” runs follow the append of "
        "one entry to the log, as `taskctl update` does (only the new line is parsed); “first "
        "after change” runs follow an `os.utime` of the list and the log, so each one parses "
        "the YAML and the whole log and rewrites both cache entries.",
        "",
        "| case | median | runs | baseline | baseline median | ratio | target | met | peak RSS |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for case in CASES:
        result = results.get(case.name)
        if result is None:
            continue
        base = results.get(case.baseline) if case.baseline else None
        ratio = result["median"] / base["median"] if base else None
        targets, verdicts = [], []
        if case.target is not None and ratio is not None:
            targets.append(f"≤ {case.target}×")
            verdicts.append(ratio <= case.target)
        if case.limit is not None:
            targets.append(f"≤ {fmt_ms(case.limit)}")
            verdicts.append(result["median"] <= case.limit)
        if case.rss_limit is not None:
            targets.append(f"≤ {case.rss_limit} MB")
            verdicts.append(result["rss"] <= case.rss_limit)
        met = "" if not verdicts else ("yes" if all(verdicts) else "**no**")
        if result["failed"] is not None:
            met = f"**{result['failed']}**"
        lines.append(
            f"| {cell(case.name)} | {fmt_ms(result['median'])} | {result['runs']} | {cell(case.baseline or '')} | "
            f"{fmt_ms(base['median']) if base else ''} | {f'{ratio:.2f}×' if ratio else ''} | "
            f"{', '.join(targets)} | {met} | {result['rss']:.0f} MB |"
        )
    lines += [
        "",
        "## Growth: the list and the log scaled together (10k tasks + 10k entries → 100k + 100k)",
        "",
        "Ten times the data; target ≤ 11× the time (no worse than linear) for every command.",
        "",
        "| command | 10k + 10k | 100k + 100k | growth | met | peak RSS 10k / 100k |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for label, _ in QUERIES:
        little = results.get(f"{label}, 10k tasks + 10k entries")
        big = results.get(f"{label}, 100k tasks + 100k entries")
        if big and little:
            growth = big["median"] / little["median"]
            lines.append(
                f"| {cell(label)} | {fmt_ms(little['median'])} | {fmt_ms(big['median'])} | "
                f"{growth:.1f}× | {'yes' if growth <= 11 else '**no**'} | "
                f"{little['rss']:.0f} / {big['rss']:.0f} MB |"
            )
    if skipped:
        lines += ["", "## Not run", ""]
        for case in skipped:
            why = "no yq on this machine" if case.argv[0] == "yq" else "slow; full run only"
            lines.append(f"- {case.name}: {why}")
    if yq:
        version = subprocess.run([yq, "--version"], capture_output=True, text=True).stdout.strip()
        lines += [
            "",
            f"yq used: `{yq}` ({version or 'unknown version'}; Debian's `yq` package, the Python "
            "jq wrapper over PyYAML — the Go yq is not packaged for this machine). The taskctl "
            "rows beside yq are warm (the parse cache in use) and yq has no cache; taskctl with "
            "nothing cached is in the “first query, nothing cached” rows.",
        ]
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
