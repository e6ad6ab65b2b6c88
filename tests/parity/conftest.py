"""Runs the parity calls through R's metafor once per session (one Rscript process, a few seconds)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from .calls import all_calls, r_data

HERE = Path(__file__).resolve().parent


def _r_missing() -> str | None:
    rscript = shutil.which("Rscript")
    if not rscript:
        return "Rscript is not installed (Debian: apt-get install r-cran-metafor)"
    probe = subprocess.run([rscript, "-e", "quit(status = !requireNamespace('metafor', quietly = TRUE))"],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode:
        return "R's metafor package is not installed (Debian: apt-get install r-cran-metafor)"
    return None


@pytest.fixture(scope="session")
def metafor(tmp_path_factory):
    """``{call id: {field: value}}`` from metafor for every call of :func:`calls.all_calls`."""
    why = _r_missing()
    if why:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"parity suite: {why}; CI must run it (.ci/run installs it)")
        pytest.skip(f"parity suite skipped outside CI: {why}")
    work = tmp_path_factory.mktemp("parity")
    r_data().to_csv(work / "data.csv", index=False)
    pd.DataFrame(all_calls()).to_csv(work / "calls.csv", index=False)
    proc = subprocess.run(["Rscript", str(HERE / "metafor_calls.R"), str(work)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, f"metafor_calls.R failed:\n{proc.stderr[-3000:]}"
    res = pd.read_csv(work / "results.csv")
    out: dict[str, dict[str, float]] = {}
    for row in res.itertuples(index=False):
        out.setdefault(row.call, {})[row.field] = row.value
    return out
