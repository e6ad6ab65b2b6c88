"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright.

One place that finds the browser and decides what a missing one means: outside CI the browser
tests are skipped with the reason; in CI (``CI`` set) a missing browser fails them.
"""
from __future__ import annotations

import os
import shutil

import pytest

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium() -> str | None:
    """The path of Debian's chromium, or None."""
    for c in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if c and os.access(c, os.X_OK):
            return c
    return None


def require_browser():
    """(chromium path, playwright's sync_playwright); skips (or fails in CI) when either is missing."""
    exe = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if exe is None or sync_playwright is None:
        msg = "Debian's chromium (/usr/bin/chromium) and playwright are needed for the browser tests"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return exe, sync_playwright
