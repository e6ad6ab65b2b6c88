"""Shared test scaffold: the repository's paths, the one synthetic evidence base, one z constant.

* ``REPO``, ``DATA``, ``NOTEBOOKS``, ``FIXTURES``: paths every test file used to compute itself.
* ``Z_975``: z for a two-sided 95% interval (scipy.stats.norm.ppf(0.975)).
* fixtures ``synthetic_data`` (a fresh, valid copy of the synthetic base per test: corrupt it
  freely), ``synthetic_db`` (the base loaded strictly, shared by a module: read only) and
  ``hostile_data`` (the same base with hostile text in it).  The base itself is built by
  :func:`synthetic.make_data` (tests/synthetic.py).

The warm report daemon (evidence.report.daemon) is off for the whole suite
(``EVIDENCE_REPORT_DAEMON=0``, in this process and every build it starts): each test's build would
otherwise leave a daemon behind for ten minutes. tests/test_report_daemon.py turns it on for its own
builds.

Markers (``--strict-markers``: an unregistered one is an error): ``slow`` (executes notebooks or
builds the report), ``browser`` (drives headless Chromium), ``parity`` (compares with R).
``make test-fast`` runs the suite without the three.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ["EVIDENCE_REPORT_DAEMON"] = "0"      # see above: only the daemon's own tests use it

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:  # `import synthetic` from any test file, whatever the import mode
    sys.path.insert(0, str(TESTS))

from synthetic import REPO, Z_975, make_data  # noqa: E402

DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"
FIXTURES = TESTS / "fixtures"

__all__ = ["REPO", "DATA", "NOTEBOOKS", "FIXTURES", "TESTS", "Z_975"]


@pytest.fixture(scope="session")
def _synthetic_template(tmp_path_factory) -> Path:
    return make_data(tmp_path_factory.mktemp("synthetic-template"))


@pytest.fixture
def synthetic_data(_synthetic_template, tmp_path) -> Path:
    """A fresh copy of the synthetic ``data/`` directory for this test (valid; corrupt it freely)."""
    return Path(shutil.copytree(_synthetic_template, tmp_path / "data"))


@pytest.fixture
def hostile_data(tmp_path) -> Path:
    """The synthetic base with hostile and unusual text in the article, title, a quote and a citation."""
    return make_data(tmp_path, hostile=True)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    """The synthetic base loaded strictly (it must be valid); shared by a module, so read only."""
    from evidence.db import load_db

    return load_db(make_data(tmp_path_factory.mktemp("synthetic-db")))
