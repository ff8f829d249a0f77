"""Synthetic task lists and progress logs shaped like the real 2023 list, for the benchmarks.

A city office merging the lists of its counties gets many copies of the same kind of rows:
each block of 102 tasks here is one "county", built from the real list's rows (same 年度任务目标
texts, so the same text lengths and Chinese text; the same departments and group words). County
0 keeps the real leaders (so ``--leader 于德忱`` matches); the others get their own leaders.

    python bench/gen.py --tasks 1000 10000 100000 --log 10000 100000 --out bench/out/data

The progress log format (one JSON object per line) lives in :func:`progress_entry` only, so it
can follow issue 3 if that changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from taskctl.loader import dumps, load  # noqa: E402
from taskctl.model import Section, Task, TaskList  # noqa: E402

GENERATOR_VERSION = 1
LOG_VERSION = 2  # 2: 记录时间 with offset and microseconds, as taskctl writes it
CST = dt.timezone(dt.timedelta(hours=8))
STATUSES = ("未启动", "序时推进", "滞后", "已完成")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "德忱玉宇力芳聪辉健小鹰会巨斯杰智国华建明军平志伟文海强永春雪梅丽红秀英林峰涛斌超波宏亮俊杰鹏飞晓东丹阳静怡欣然子涵浩宇思远博文"
NOTES = (
    "已完成阶段性目标，正按计划推进",
    "本周召开专题会议，研究部署下一步工作",
    "受天气影响，部分工程进度滞后，已制定赶工计划",
    "已完成项目前期手续办理，正在组织招标",
    "资金已拨付到位，施工单位进场施工",
    "已形成初步方案，报县政府审定",
    "会同相关部门开展联合检查，发现问题已督促整改",
)


def real_list() -> TaskList:
    return load(ROOT / "data" / "tasks.yaml")


def _leader_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name in taken or "于德忱" in name:
            continue
        taken.add(name)
        names.append(name)
    return names


def make_list(count: int, seed: int = 2023) -> TaskList:
    """A list of ``count`` tasks in the real list's nine sections, 序号 1..count."""
    rng = random.Random(seed)
    base = real_list()
    templates = base.tasks
    real_leaders = list(dict.fromkeys(n for t in templates for n in t.leaders))
    taken = {n.replace(" ", "") for n in real_leaders}
    by_section: dict[str, list[Task]] = {s.numeral: [] for s in base.sections}
    mapping: dict[str, str] = {}
    for index in range(count):
        county, offset = divmod(index, len(templates))
        template = templates[offset]
        if offset == 0:
            own = _leader_names(rng, len(real_leaders), taken) if county else real_leaders
            mapping = dict(zip(real_leaders, own, strict=True))
        by_section[template.section].append(
            Task(
                id=index + 1,
                text=template.text,
                leaders=tuple(mapping[n] for n in template.leaders),
                lead_departments=template.lead_departments,
                departments=template.departments,
                section=template.section,
            )
        )
    sections = tuple(
        Section(s.numeral, s.title, len(by_section[s.numeral]), tuple(by_section[s.numeral]))
        for s in base.sections
    )
    return TaskList(
        title=f"{base.title}（合并 {count} 项）",
        sections=sections,
        groups=base.groups,
        attachment=base.attachment,
        year=base.year,
    )


def progress_entry(rng: random.Random, task_id: int, when: dt.datetime) -> dict[str, object]:
    """One line of data/progress.jsonl in the format of issue 3 (keep the format here only)."""
    status = rng.choice(STATUSES)
    entry: dict[str, object] = {"序号": task_id, "日期": when.date().isoformat(), "状态": status}
    if rng.random() < 0.7:
        entry["进度"] = 100 if status == "已完成" else rng.randrange(0, 100)
    entry["说明"] = rng.choice(NOTES)
    entry["填报人"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    # as taskctl writes it: local time with its offset, to the microsecond
    entry["记录时间"] = when.replace(tzinfo=CST).isoformat(timespec="microseconds")
    return entry


def make_log(entries: int, tasks: int, seed: int = 2023) -> str:
    """``entries`` progress records over ``tasks`` tasks, dated through 2023 in order."""
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 9, 9, 0, 0)
    step = dt.timedelta(days=350) / max(entries, 1)
    lines = []
    for number in range(entries):
        when = start + step * number
        record = progress_entry(rng, rng.randrange(1, tasks + 1), when.replace(microsecond=0))
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def tasks_path(out: Path, count: int) -> Path:
    return out / f"tasks-{count}.yaml"


def log_path(out: Path, entries: int) -> Path:
    return out / f"progress-{entries}.jsonl"


def scaled_log_path(out: Path, entries: int, tasks: int) -> Path:
    """A log whose reports concern 序号 1..``tasks`` only (the list and the log scaled together)."""
    return out / f"progress-{entries}-over-{tasks}.jsonl"


def ensure(
    out: Path,
    tasks: list[int],
    logs: list[int],
    log_tasks: int,
    scaled: tuple[tuple[int, int], ...] = (),
) -> None:
    """Write the files that are missing or were made by another generator version."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = out / "VERSION"
    if not stamp.exists() or stamp.read_text().strip() != str(GENERATOR_VERSION):
        for old in out.glob("*"):
            old.unlink()
        stamp.write_text(f"{GENERATOR_VERSION}\n")
    for count in tasks:
        path = tasks_path(out, count)
        if not path.exists():
            print(f"生成 {path}", file=sys.stderr)
            path.write_text(dumps(make_list(count)), encoding="utf-8")
    log_stamp = out / "LOG_VERSION"
    if not log_stamp.exists() or log_stamp.read_text().strip() != str(LOG_VERSION):
        for old in out.glob("progress-*.jsonl"):
            old.unlink()
        log_stamp.write_text(f"{LOG_VERSION}\n")
    for entries in logs:
        path = log_path(out, entries)
        if not path.exists():
            print(f"生成 {path}", file=sys.stderr)
            path.write_text(make_log(entries, log_tasks), encoding="utf-8")
    for entries, over in scaled:
        path = scaled_log_path(out, entries, over)
        if not path.exists():
            print(f"生成 {path}", file=sys.stderr)
            path.write_text(make_log(entries, over), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--log", type=int, nargs="*", default=[10000, 100000])
    parser.add_argument("--log-tasks", type=int, default=100000, help="序号 range of the logs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "data")
    parser.add_argument("--json", type=Path, metavar="YAML", help="write YAML's list as .json")
    parser.add_argument(
        "--scaled",
        nargs=2,
        type=int,
        action="append",
        default=[],
        metavar=("ENTRIES", "TASKS"),
        help="also a log of ENTRIES reports over 序号 1..TASKS",
    )
    args = parser.parse_args()
    if args.json:
        from taskctl.loader import to_data

        data = to_data(load(args.json))
        text = json.dumps(data, ensure_ascii=False, default=str)
        args.json.with_suffix(".json").write_text(text, encoding="utf-8")
        return
    ensure(args.out, args.tasks, args.log, args.log_tasks, tuple(map(tuple, args.scaled)))


if __name__ == "__main__":
    main()
