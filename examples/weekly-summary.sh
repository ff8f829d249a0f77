#!/usr/bin/env bash
# 每周一次：为每位责任领导各写一份 Markdown 周报，另写一份全清单的（全部.md）。只用 taskctl。
#
# 用法：examples/weekly-summary.sh 输出文件夹 [taskctl report 的选项…]
#   examples/weekly-summary.sh 周报/2023-W26 --week 2023-W26
#   TASKCTL_PROGRESS=data/progress examples/weekly-summary.sh 周报 --as-of 2023-07-02
# 清单与进度台账按 taskctl 的默认规则查找，也可用 TASKCTL_FILE、TASKCTL_PROGRESS 指定。
# 适合放进 cron：  0 8 * * 1  cd /srv/督查室 && examples/weekly-summary.sh "周报/$(date +%G-W%V)"
set -euo pipefail

out=${1:?"用法：$0 输出文件夹 [taskctl report 的选项…]"}
shift
mkdir -p -- "$out"

taskctl report "$@" --format markdown --output "$out/全部.md"
written=1
while IFS=$'\t' read -r leader _count; do
    [ -n "$leader" ] || continue
    taskctl report "$@" --leader "$leader" --format markdown --output "$out/${leader//\//_}.md"
    written=$((written + 1))
done < <(taskctl leaders --format tsv)

echo "已写入 $written 份周报 → $out" >&2
