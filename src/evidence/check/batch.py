"""``evidence check DIR`` / several files: one JSON line per claim, in parallel, with a progress bar.

Files are checked one at a time per worker (``--jobs`` processes, each building the evidence index once), and
each file's lines are written as soon as it is done, in the order the files were given, so memory holds one
file's results per worker and time grows linearly with the corpus. A file that cannot be checked gets one line
on standard error naming it and the reason; the others are still checked (exit code 2 at the end).
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

#: files a directory contributes (by extension)
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def expand(paths: list[str]) -> list[str]:
    """Files named, and the files under each directory named (sorted, recursively, by :data:`SUFFIXES`)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            out += sorted(str(f) for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def claim_lines(name: str, claims: list[dict], non_claims: list[dict] = ()) -> list[str]:
    """One JSON line per claim, then one per item that is not a claim (``"not_a_claim": true``), file name first."""
    from evidence.check.render import claim_object, non_claim_object

    return [json.dumps({"file": name, **o}, ensure_ascii=False)
            for o in [claim_object(c) for c in claims] + [non_claim_object(n) for n in non_claims]]


def check_file(path: str, opts: dict) -> tuple[str, list[str], list[str], str]:
    """(file, JSON lines, warnings, error) for one file; never raises for bad input."""
    from evidence.check.pipeline import InputError, check, read_input

    try:
        data, name = read_input(path)
        if len(data) > opts["max_bytes"]:
            raise InputError(f"input is {len(data):,} bytes, more than the limit of {opts['max_bytes']:,} "
                             "(see --max-bytes)")
        report = check(data, filename=name, fmt=opts["input_format"], data_dir=opts["data_dir"],
                       params=opts["params"], evaluate=opts["evaluate"], max_bytes=opts["max_bytes"],
                       max_chars=opts["max_chars"])
    except InputError as exc:
        return path, [], [], str(exc)
    return path, claim_lines(path, report.claims, report.non_claims), report.warnings, ""


def _warm(data_dir) -> None:
    """Build the evidence index once per worker process."""
    from evidence.check.link import get_index

    get_index(data_dir)


def run_batch(paths: list[str], opts: dict, out, jobs: int = 1, progress: bool | None = None) -> int:
    """Check every file, writing JSON lines to ``out``; returns the exit code (2 if any file was refused)."""
    from tqdm import tqdm

    files = expand(paths)
    if not files:
        print("evidence check: no files to check (a directory contributes "
              f"{', '.join(SUFFIXES)} files)", file=sys.stderr)
        return 2
    jobs = max(1, min(jobs or 1, len(files), os.cpu_count() or 1))
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(files), unit="file", disable=not show, file=sys.stderr, desc="evidence check")
    failed = 0
    if jobs == 1:
        _warm(opts["data_dir"])
        results = (check_file(f, opts) for f in files)
        failed = _drain(results, out, bar)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(opts["data_dir"],)) as ex:
            failed = _drain(ex.map(check_file, files, [opts] * len(files), chunksize=1), out, bar)
    bar.close()
    return 2 if failed else 0


def _drain(results, out, bar) -> int:
    failed = 0
    for path, lines, warnings, error in results:
        if error:
            failed += 1
            said = error if path in error else f"{path}: {error}"   # "no such file: X" names it already
            print(f"evidence check: {said}", file=sys.stderr)
        for w in warnings:
            print(f"evidence check: {path}: warning: {w}", file=sys.stderr)
        for line in lines:
            out.write(line + "\n")
        out.flush()
        bar.update(1)
    return failed
