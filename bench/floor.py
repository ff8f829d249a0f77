"""The floor for a query: a process that imports json and loads the same data, nothing else.

python bench/floor.py tasks.json [progress.jsonl]
"""

import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    json.load(handle)
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
