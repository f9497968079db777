"""Loading the Dagster definitions does no work: no network, no subprocess (no `dbt parse`),
no file written, nothing read from the working folder (`data/` absent stays absent)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import json, os, sys
# Third-party libraries first: what they do on import is theirs (Dagster's vendored
# croniter runs `file -b`), not the project's.
import dagster, dagster_dbt, duckdb, httpx, pyarrow, stripe  # noqa

seen = []
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WORK = {"socket.connect", "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.mkdir",
        "os.rename", "os.remove", "os.rmdir", "shutil.rmtree", "os.truncate"}

def hook(event, args):
    if event in WORK:
        seen.append([event, repr(args)[:200]])
        if event.startswith("socket."):
            raise OSError("the network is disabled while the definitions load")
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path, mode, flags = args
        writing = bool(mode and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITING)
        here = os.path.exists(path) and os.path.abspath(path).startswith(os.getcwd())
        if writing or here:
            seen.append([event, repr(args)[:200]])

sys.addaudithook(hook)
from pipeline.defs.definitions import defs
defs.resolve_asset_graph()
defs.resolve_job_def("extract_raw")
print(json.dumps(seen))
"""


def load_definitions(cwd: Path, **env: str) -> list:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "DAGSTER_"))}
    done = subprocess.run(
        [sys.executable, "-B", "-c", PROBE], cwd=cwd, env={**base, **env},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_definitions_load_with_no_network_no_files_and_no_data_folder(tmp_path):
    assert load_definitions(tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_with_a_key_the_definitions_still_ask_nothing_of_stripe(tmp_path):
    key = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"
    assert load_definitions(tmp_path, STRIPE_API_KEY=key, STRIPE_API_BASE="http://10.9.9.9") == []
    assert list(tmp_path.iterdir()) == []
