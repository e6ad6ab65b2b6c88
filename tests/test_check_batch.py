"""`evidence check DIR` / several files (issue 15 item 9): one JSON line per claim, in file order, --jobs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from evidence.cli import main

FIX = Path(__file__).resolve().parent / "fixtures" / "check"


def run(argv, capsys):
    rc = main(["check", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_directory_gives_one_json_line_per_claim(tmp_path, capsys):
    for name in ("plain_article.txt", "riverside_post.md"):
        shutil.copy(FIX / name, tmp_path / name)
    (tmp_path / "notes.csv").write_text("not an article\n")   # not a text, Markdown or HTML file: skipped
    rc, out, _ = run([str(tmp_path), "--no-progress"], capsys)
    assert rc == 0
    lines = [json.loads(x) for x in out.splitlines()]
    files = [Path(x["file"]).name for x in lines]
    assert files == sorted(files) and set(files) == {"plain_article.txt", "riverside_post.md"}
    single = run([str(tmp_path / "plain_article.txt"), "--format", "json"], capsys)[1]
    assert [x["quote"] for x in lines if x["file"].endswith("plain_article.txt")] == \
        [x["quote"] for x in json.loads(single)]
    for x in lines:
        assert {"start", "end", "quote", "verdict", "holds", "checkable", "reason", "compared_with"} <= x.keys()


def test_parallel_output_is_the_same_as_serial(tmp_path, capsys):
    for name in ("plain_article.txt", "riverside_post.md", "harbor_clinic.html"):
        shutil.copy(FIX / name, tmp_path / name)
    serial = run([str(tmp_path), "--no-progress"], capsys)[1]
    parallel = run([str(tmp_path), "--jobs", "2", "--no-progress"], capsys)[1]
    assert serial == parallel and serial.count("\n") > 20


def test_a_bad_file_is_named_and_the_others_are_still_checked(tmp_path, capsys):
    shutil.copy(FIX / "plain_article.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("   \n")
    rc, out, err = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--no-progress"], capsys)
    assert rc == 2
    assert f"evidence check: {tmp_path / 'b.txt'}: input is empty" in err
    assert out and all(json.loads(x)["file"].endswith("a.txt") for x in out.splitlines())


def test_table_format_takes_one_file(tmp_path, capsys):
    rc, _, err = run([str(FIX / "plain_article.txt"), str(FIX / "riverside_post.md"), "--format", "table"], capsys)
    assert rc == 2 and "--format table takes one file" in err
