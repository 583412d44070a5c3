"""Content load and validation time: what each kernel pays once, and a repeated load in one process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _report import median

CONTENT_PROBE = """
import json, time
t0 = time.perf_counter()
from backpain_edu.catalog import CONTENT_DIR, load_catalog_from
t1 = time.perf_counter()
load_catalog_from(CONTENT_DIR)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_load_s": t2 - t1}))
"""


def content_timings(repo: Path, runs: int) -> dict[str, Any]:
    """Content load and validation: in fresh processes (what each kernel pays) and repeated in this one."""
    fresh = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CONTENT_PROBE], cwd=repo, capture_output=True, check=True)
        fresh.append(json.loads(out.stdout))
    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from

    load_catalog_from(CONTENT_DIR)
    repeated = []
    for _ in range(max(5, runs * 2)):
        t0 = time.perf_counter()
        load_catalog_from(CONTENT_DIR)
        repeated.append(time.perf_counter() - t0)
    return {
        "fresh_process_import_s": median([f["import_s"] for f in fresh]),
        "fresh_process_first_load_s": median([f["first_load_s"] for f in fresh]),
        "in_process_load_s": median(repeated),
        "runs": runs,
    }
