"""Where a report came from: git commit, data checksum, package versions, build time."""
from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

#: distributions whose versions every page footer shows (and the cache key includes)
PACKAGES = ("evidence", "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "papermill", "nbconvert",
            "nbclient", "ipykernel")
FOOTER_PACKAGES = ("evidence", "pandas", "numpy", "statsmodels", "matplotlib", "papermill", "nbconvert")


def versions() -> dict[str, str]:
    """Installed versions, read from package metadata (no imports of the packages themselves)."""
    from importlib import metadata

    out: dict[str, str] = {}
    for name in PACKAGES:
        if name == "evidence":
            import evidence

            out[name] = evidence.__version__
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    out["python"] = platform.python_version()
    return out


@dataclass
class GitInfo:
    commit: str | None      # short sha, None outside a repository
    dirty: bool = False
    changed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.commit:
            return "not in a git repository"
        return self.commit + (" (dirty)" if self.dirty else "")


def git_info(where: Path) -> GitInfo:
    """Short commit of HEAD and whether tracked or untracked (not ignored) files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True,
                              check=True, timeout=30).stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
    except (OSError, subprocess.SubprocessError):
        return GitInfo(None)
    try:
        status = git("status", "--porcelain", "--untracked-files=normal")
    except (OSError, subprocess.SubprocessError):
        return GitInfo(commit, True, ["(git status failed)"])
    changed = [ln[3:] for ln in status.splitlines() if ln.strip()]
    return GitInfo(commit, bool(changed), changed)


def build_time() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass
    return datetime.now(timezone.utc).replace(microsecond=0)


def format_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")
