"""One CLI (issue 11 item 6; issue 13 item 2): the data directory found one way by every command, one
clear line and a documented exit code for each anticipated failure, never a traceback.

Each case runs ``python -m evidence`` in a subprocess, as a user would.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPO
from synthetic import read_rows, write_csv

from evidence.cli import EXIT_CODES, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from evidence.tables import find_data_dir


def evidence(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300):
    e = {k: v for k, v in os.environ.items() if k != "EVIDENCE_DATA"}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "evidence", *args], cwd=cwd or REPO, env=e, capture_output=True,
                          text=True, timeout=timeout)


def one_line(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --------------------------------------------------------------------------- the exit codes

def test_exit_codes_are_documented_in_help():
    proc = evidence("--help")
    assert proc.returncode == 0
    flat = " ".join(proc.stdout.split())
    assert "exit codes:" in flat
    for code, what in EXIT_CODES:
        assert f" {code} {what}" in flat, (code, what)
    for sub in ("validate", "claims"):
        assert "exit codes:" in evidence(sub, "--help").stdout


# --------------------------------------------------------------------------- the data directory

@pytest.mark.parametrize("how", ["--data", "EVIDENCE_DATA"])
@pytest.mark.parametrize("command", [["validate"], ["claims", "--format", "csv"], ["report", "--dry-run"],
                                     ["check", "--no-verdicts", "README.md"]])
def test_a_data_directory_that_does_not_exist(tmp_path, how, command):
    # issue 13: every command says "no such directory" in the same words, with exit 1
    missing = tmp_path / "nonexistent"
    args, env = (["--data", str(missing)], None) if how == "--data" else ([], {"EVIDENCE_DATA": str(missing)})
    proc = evidence(*command, *args, env=env)
    assert proc.returncode == EXIT_FAILED
    assert one_line(proc) == f"evidence {command[0]}: data directory {missing}: no such directory"


def test_a_file_given_as_the_data_directory(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("x\n")
    proc = evidence("validate", "--data", str(f))
    assert proc.returncode == EXIT_FAILED and "not a directory" in one_line(proc)


def test_every_command_finds_the_same_data_outside_the_repository(tmp_path):
    # run from a directory with no data/: the repository's data/ is used, by each command alike
    assert find_data_dir() == DATA
    proc = evidence("validate", cwd=tmp_path)
    assert proc.returncode == EXIT_OK and proc.stdout.startswith(f"{DATA}: OK"), proc.stdout + proc.stderr


def test_the_data_of_the_project_you_are_in_come_first(synthetic_data):
    project = synthetic_data.parent
    proc = evidence("validate", cwd=project / "data")          # from inside the project, even a subdirectory
    assert proc.returncode == EXIT_OK and proc.stdout.startswith(f"{synthetic_data}: OK"), proc.stdout
    env_wins = evidence("validate", cwd=project, env={"EVIDENCE_DATA": str(DATA)})
    assert env_wins.stdout.startswith(f"{DATA}: OK")
    flag_wins = evidence("validate", "--data", str(synthetic_data), env={"EVIDENCE_DATA": str(DATA)})
    assert flag_wins.stdout.startswith(f"{synthetic_data}: OK")


# --------------------------------------------------------------------------- -o

def test_claims_output_in_a_missing_directory(tmp_path):
    target = tmp_path / "missing-dir" / "x.csv"
    proc = evidence("claims", "-o", str(target), "--data", str(DATA))
    assert proc.returncode == EXIT_USAGE
    assert one_line(proc) == f"evidence claims: -o {target}: no such directory {target.parent}"
    assert not target.parent.exists()


def test_claims_output_under_a_file_is_not_a_missing_directory(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("x\n")
    proc = evidence("claims", "--format", "csv", "-o", str(f / "x.csv"))
    assert proc.returncode == 2 and one_line(proc) == f"evidence claims: -o {f / 'x.csv'}: {f} is not a directory"


def test_claims_output_that_is_a_directory():
    proc = evidence("claims", "-o", "notebooks")
    assert proc.returncode == EXIT_USAGE
    assert one_line(proc) == "evidence claims: -o notebooks: is a directory; give a file name"


def test_claims_output_is_written_whole_and_only_after_the_work(tmp_path, synthetic_data):
    out = tmp_path / "claims.csv"
    out.write_text("previous export\n")
    fields, rows = read_rows(synthetic_data / "outcomes.csv")
    rows[0]["events_treat"] = "99"                        # invalid data: the export must not be touched
    write_csv(synthetic_data / "outcomes.csv", fields, rows)
    proc = evidence("claims", "--format", "csv", "-o", str(out), "--data", str(synthetic_data))
    assert proc.returncode == EXIT_FAILED and "Traceback" not in proc.stderr
    assert out.read_text() == "previous export\n"
    rows[0]["events_treat"] = "6"
    write_csv(synthetic_data / "outcomes.csv", fields, rows)
    proc = evidence("claims", "--format", "csv", "-o", str(out), "--data", str(synthetic_data))
    assert proc.returncode == EXIT_OK, proc.stderr
    assert out.read_text().startswith("article,claim_id,")


# --------------------------------------------------------------------------- check on invalid data

@pytest.fixture
def invalid_data(synthetic_data) -> Path:
    fields, rows = read_rows(synthetic_data / "sources.csv")
    rows[1]["source_id"] = "trial_b "                     # a trailing space: the data do not validate
    write_csv(synthetic_data / "sources.csv", fields, rows)
    return synthetic_data


def test_check_refuses_invalid_data_as_claims_does(tmp_path, invalid_data):
    text = tmp_path / "post.txt"
    text.write_text("About 19.1% of adults have an anxiety disorder each year.\n")
    proc = evidence("check", str(text), "--data", str(invalid_data))
    assert proc.returncode == EXIT_FAILED
    line = one_line(proc)
    assert "do not validate" in line and "sources.csv:3: column 'source_id'" in line and "--lenient" in line
    claims = evidence("claims", "--data", str(invalid_data))
    assert claims.returncode == EXIT_FAILED and "sources.csv:3: column 'source_id' [identifier]" in claims.stderr


def test_check_lenient_says_it_uses_what_it_could_read(tmp_path, invalid_data):
    text = tmp_path / "post.txt"
    text.write_text("About 19.1% of adults have an anxiety disorder each year.\n")
    proc = evidence("check", str(text), "--data", str(invalid_data), "--lenient", "--format", "json")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "--lenient: the data in" in proc.stderr and "checking against what could be read" in proc.stderr
    assert proc.stdout.lstrip().startswith("[")
