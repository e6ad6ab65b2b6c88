"""evidence check: the same output from two versions of the code (a speed change must not change WHAT is found).

For every page of the training splits (``bench_check_corpus.pages("train")``; never the unseen split) and for
the 2 MB corpus-scale texts of ``bench_check.corpus_text`` (repeated and varied) and of
``bench_check.real_text`` (the training pages repeated), this runs
``evidence.check.check`` and keeps the exact bytes of its JSON output (``render(result, "json")``, claims and
not-claims) and its warnings. It does so twice, each in a fresh process: with the sources of a base revision
(``git archive`` of ``--base``'s ``src/`` into a temporary directory) and with this checkout's ``src/``, both on this
checkout's ``data/``, and compares the two byte for byte. Exit 1 if any input differs (the first differing
line of each is printed).

    python benchmarks/bench_check_same.py --base main          # old = main, new = this checkout
    python benchmarks/bench_check_same.py --base e755f85 --keep /tmp/same   # keep both dumps (one file per input)
    python benchmarks/bench_check_same.py --old-dump /tmp/same/old          # reuse a kept dump of the old code
    python benchmarks/bench_check_same.py --no-big                          # corpus pages only (about a minute)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / "data"


def _inputs(big: bool):
    """(name, bytes or str, filename) for every input compared."""
    sys.path.insert(0, str(HERE))
    import bench_check
    import bench_check_corpus as corpus

    for page in corpus.pages("train"):
        assert page["split"] not in corpus.UNSEEN_SPLITS
        f = corpus.page_file(page["page_id"])
        yield f.name, f.read_bytes(), f.name
    if big:
        for varied in (False, True):
            yield f"corpus_2MB_{'varied' if varied else 'repeated'}.txt", bench_check.corpus_text(2.0, varied), None
        # the training pages as one text (bench_check.real_text): what a page-wide pass reads across pages
        # (sift's self-naming organisations, speed13) is compared too
        yield "corpus_2MB_real.txt", bench_check.real_text(2.0), None


def dump(out_dir: Path, big: bool) -> None:
    """Child: write each input's JSON output (and warnings) to ``out_dir/<name>.json``."""
    from evidence.check import check
    from evidence.check.render import render

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data, filename in _inputs(big):
        t0 = time.process_time()
        rep = check(data, filename=filename, data_dir=DATA, max_bytes=10 ** 9, max_chars=10 ** 9)
        text = render(rep, "json") + "".join(f"warning: {w}\n" for w in rep.warnings)
        (out_dir / f"{name}.json").write_text(text, encoding="utf-8")
        if os.environ.get("CHECK_SAME_VERBOSE"):
            print(f"{name}\t{time.process_time() - t0:.2f}", flush=True)


def _run_dump(src: Path, out_dir: Path, big: bool) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--child", str(out_dir)] + ([] if big else ["--no-big"]),
                   env=env, check=True, cwd=str(REPO))
    return time.perf_counter() - t0


def compare(old: Path, new: Path) -> list[str]:
    """Names of the inputs whose outputs differ (or exist on one side only)."""
    names = sorted({p.name for p in old.glob("*.json")} | {p.name for p in new.glob("*.json")})
    bad = []
    for n in names:
        a, b = old / n, new / n
        if not (a.exists() and b.exists()) or a.read_bytes() != b.read_bytes():
            bad.append(n)
            la = a.read_text(encoding="utf-8").splitlines() if a.exists() else ["<missing>"]
            lb = b.read_text(encoding="utf-8").splitlines() if b.exists() else ["<missing>"]
            i = next((k for k, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            print(f"DIFFERS {n} at line {i + 1}:\n  old: {la[i] if i < len(la) else '<end>'}\n"
                  f"  new: {lb[i] if i < len(lb) else '<end>'}")
    return bad


def _digest(d: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(d.glob("*.json")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="the old code's revision (default main)")
    ap.add_argument("--old-dump", type=Path, help="a kept dump of the old code (skips running it)")
    ap.add_argument("--keep", type=Path, help="keep the dumps in DIR/old and DIR/new")
    ap.add_argument("--no-big", action="store_true", help="skip the two 2 MB texts")
    args = ap.parse_args(argv)
    big = not args.no_big
    work = Path(tempfile.mkdtemp(prefix="check-same-"))
    keep = args.keep or work
    old, new = (args.old_dump or keep / "old"), keep / "new"
    tree = None
    try:
        if args.old_dump is None:
            rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.base], capture_output=True, text=True,
                                 check=True).stdout.strip()
            tree = work / "base"     # the old sources, exported (no worktree is registered in the repository)
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src"], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            print(f"old code: {args.base} ({rev[:10]})")
            old_s = _run_dump(tree / "src", old, big)
            print(f"old code: {old_s:.1f} s wall")
        new_s = _run_dump(REPO / "src", new, big)
        print(f"new code: {REPO / 'src'} {new_s:.1f} s wall")
        bad = compare(old, new)
        n = len(list(new.glob("*.json")))
        print(f"{n - len(bad)}/{n} inputs byte-identical; sha256 of all outputs old {_digest(old)[:16]} "
              f"new {_digest(new)[:16]}")
        return 1 if bad else 0
    finally:
        if tree is not None:
            shutil.rmtree(tree, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        dump(Path(sys.argv[2]), "--no-big" not in sys.argv)
    else:
        sys.exit(main())
