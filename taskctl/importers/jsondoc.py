"""The JSON document that ``taskctl export --format json`` writes (see the README's keys)."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError
from taskctl.model import TaskList

TASK_KEYS = {
    "id": "序号",
    "text": "年度任务目标",
    "leaders": "责任领导",
    "lead_departments": "牵头部门",
    "departments": "责任部门",
    "deadline": "完成时限",
}


def _date(value: Any, path: object) -> Any:
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise DataFileError(path, f"deadline 应为 YYYY-MM-DD，得到「{value}」") from None
    return value


def from_json(data: Any, path: object) -> TaskList:
    """Map the English keys onto the ``tasks.yaml`` keys and check them with the loader."""
    from taskctl.loader import from_data

    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        raise DataFileError(path, "不是 taskctl 导出的 JSON：顶层应有 tasks 列表")
    sections: dict[str, dict[str, Any]] = {}
    if not isinstance(data.get("sections") or [], list):
        raise DataFileError(path, "sections 应为列表（numeral、title、declared）")
    for raw in data.get("sections") or []:
        if not isinstance(raw, dict):
            raise DataFileError(path, "sections 的每一项应为对象（numeral、title、declared）")
        sections[str(raw.get("numeral"))] = {
            "编号": raw.get("numeral"),
            "标题": raw.get("title"),
            "项数": raw.get("declared"),
            **({"上级": raw["path"]} if raw.get("path") else {}),
            **({"原文": raw["written"]} if raw.get("written") else {}),
            "任务": [],
        }
    for raw in data["tasks"]:
        if not isinstance(raw, dict):
            raise DataFileError(path, "tasks 的每一项应为对象（id、text…）")
        task = {yaml_key: raw[key] for key, yaml_key in TASK_KEYS.items() if key in raw}
        if task.get("完成时限") is not None:
            task["完成时限"] = _date(task["完成时限"], path)
        extra = raw.get("extra") or {}
        if not isinstance(extra, dict):
            raise DataFileError(path, "extra 应为对象")
        task.update(extra)
        numeral = str(raw.get("section", ""))
        section = sections.setdefault(
            numeral, {"编号": numeral, "标题": "", "项数": None, "任务": []}
        )
        section["任务"].append(task)
    document = {
        "附件": data.get("attachment") or "",
        "标题": data.get("title") or "",
        "年度": data.get("year"),
        "groups": data.get("groups") or {},
        "sections": [s for s in sections.values() if s["任务"]],
    }
    columns = data.get("columns")
    if columns:
        if not isinstance(columns, list) or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in columns
        ):
            raise DataFileError(path, "columns 应为 [原表列标题, 键] 的列表")
        document["原表列"] = {str(heading): key for heading, key in columns}
    if data.get("rules"):
        document["规则"] = data["rules"]
    return from_data(document, path)


def read_json(path: Path) -> tuple[TaskList, str]:
    from taskctl.importers.encoding import decode
    from taskctl.yamlio import read_bytes

    text, encoding = decode(read_bytes(path), path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"JSON 格式错误：{exc.msg}", exc.lineno) from None
    except RecursionError:
        raise DataFileError(path, "嵌套层次过深，不是任务清单") from None
    return from_json(data, path), encoding
