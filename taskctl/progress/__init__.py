"""The progress log (进度台账): an append-only JSON-lines file, or a folder of them, beside the list.

Each line is one report in the document's own words, Chinese kept readable::

    {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工", "填报人": "住建局", "记录时间": "2023-06-05T09:30:12.123456+08:00"}

``进度`` may be absent; ``说明`` is the 进展情况, and ``存在问题``, ``下一步措施``, ``期间``, ``来源``
and ``回执`` appear only when not empty. The list itself (``tasks.yaml``) is never rewritten by an
update. When the path is a folder every ``*.jsonl`` in it is read together; for one 序号 and 日期
the entry recorded last wins, so units can keep their own files and share them through git.

Nothing is ever deleted: a line with ``撤销`` revokes the entry whose id it names, and a later
reply (``回执``) of the same unit for the same ``期间`` supersedes the earlier one as a whole.
See docs/formats.md, 进度台账.

A small package, one concern a module, imported in this order: :mod:`.entry` (one report and
its line), :mod:`.store` (reading, merging, caching, appending), :mod:`.views` (each unit's
latest report, what the state is built from) and :mod:`.checks` (what a new report may not
say). Everything is re-exported here: ``from taskctl.progress import Entry`` keeps working.
"""

from __future__ import annotations

from taskctl.progress.checks import (  # noqa: F401
    argument_text,
    check_entries,
    make_entries,
)
from taskctl.progress.entry import (  # noqa: F401
    _BASE_KEYS,
    _DATE,
    _MOMENT,
    _NO_TEXTS,
    _OPTIONAL_KEYS,
    _PLAIN_KEYS,
    _REPLY_TEXT,
    _SURROGATE,
    _UID_EXTRAS,
    ALIASES,
    BEHIND,
    DONE,
    ENV_PROGRESS,
    EVIDENCE_KEY,
    KEYS,
    LOG_NAME,
    MAX_TEXT,
    NOT_STARTED,
    ON_TRACK,
    OPTIONAL_KEYS,
    PART_KEY,
    REVIEW_KEYS,
    REVOKE_KEY,
    REVOKED,
    STATUSES,
    SUPERSEDED,
    UID_LENGTH,
    WRITTEN_TIME,
    Entry,
    Warn,
    _entry,
    _evidence,
    _new,
    _parse_time,
    _plain_entry,
    _plain_values,
    _scan,
    _set,
    _text,
    _torn,
    evidence_records,
    now,
    parse_date,
    parse_progress,
    parse_status,
)
from taskctl.progress.store import (  # noqa: F401
    _EARLIEST,
    _EXTRA_FIELDS,
    _NO_EXTRAS,
    _PART,
    _PERIOD,
    _RECORD_FIELDS,
    _REPLY,
    _REVOKED_UID,
    _TAIL_KEPT,
    _extras,
    _flat,
    _head,
    _later,
    _lines_backwards,
    _merge_records,
    _merged_file,
    _merged_records,
    _no_gc,
    _order,
    _parse,
    _plain_records,
    _rebuild,
    _record_later,
    _record_order,
    _Records,
    _revoked_again,
    append,
    append_revocation,
    check_log_target,
    effective,
    entries_about,
    find_entry,
    log_files,
    marks,
    merge,
    named_path,
    read_all,
    read_file,
    read_log,
    resolve_progress_path,
    revocation,
    target_file,
    targets,
)
from taskctl.progress.views import (  # noqa: F401
    LogView,
    Reports,
    ReportsByTask,
    _report_records,
    _with_reviews,
    history,
    read_view,
    reports_of,
)
