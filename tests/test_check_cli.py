"""evidence check, the command: formats, exit codes, robustness, HTML safety, verdict-engine fallback."""
from __future__ import annotations

import html
import io
import json
import re
import sys
from pathlib import Path

import pytest

from evidence.check import EXIT_INPUT, EXIT_OK, check
from evidence.check import judge as verdict_mod
from evidence.check.render import to_html
from evidence.check.judge import NOT_CHECKABLE
from evidence.cli import main

FIX = Path(__file__).parent / "fixtures" / "check"


def run(argv, stdin: bytes | None = None, monkeypatch=None, capsys=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    rc = main(["check", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


# ------------------------------------------------------------------ formats

def test_table_default(capsys):
    rc, out, err = run([str(FIX / "riverside_post.md"), "--width", "100"], capsys=capsys)
    assert rc == EXIT_OK
    assert "claim(s) in" in out and "2.7% of US adults" in out
    assert max(len(line) for line in out.splitlines()) <= 140  # wrapped, not one long line per claim


def test_json_format(capsys):
    rc, out, _ = run([str(FIX / "riverside_post.md"), "--format", "json"], capsys=capsys)
    assert rc == EXIT_OK
    data = json.loads(out)
    assert isinstance(data, list) and data
    for obj in data:
        for key in ("sentence", "claim_type", "claimed", "verdict", "holds", "evidence", "sources", "suggestion",
                    "quote", "claimed_value", "claimed_low", "claimed_high", "claimed_unit", "qualifier"):
            assert key in obj
        assert obj["quote"] in obj["sentence"]


def test_html_format_is_standalone_and_escaped(tmp_path, capsys):
    out_file = tmp_path / "report.html"
    rc, _, _ = run([str(FIX / "harbor_clinic.html"), "--format", "html", "-o", str(out_file)], capsys=capsys)
    assert rc == EXIT_OK
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page.lower()
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # the <script>…</script> written as text in the input comes out as escaped text, never as markup
    assert "Myth: &lt;b&gt;ketamine&lt;/b&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "alert(1)</script>" not in page
    assert "cdn.example.com" not in page and "tracker.example.com" not in page


def test_stdin_and_input_format(monkeypatch, capsys):
    rc, out, _ = run(["-", "--format", "json", "--input-format", "html"],
                     stdin=b"<p>About 19.1% of U.S. adults had an anxiety disorder in the past year.</p>",
                     monkeypatch=monkeypatch, capsys=capsys)
    assert rc == EXIT_OK
    assert json.loads(out)[0]["claimed"] == "~19.1%"


def test_output_is_written_to_a_file(tmp_path, capsys):
    target = tmp_path / "out.json"
    rc, out, _ = run([str(FIX / "no_claims.txt"), "--format", "json", "-o", str(target)], capsys=capsys)
    assert rc == EXIT_OK and out == ""
    assert json.loads(target.read_text()) == []


# ------------------------------------------------------------------ bad input: exit 2 with a clear message

@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"  \n\n\t ", "empty"),
    (b"\x00\x01\x02binary\x00\xff" * 50, "binary"),
    (b"<html><script>var x = 1;</script><style>p{}</style></html>", "no visible text"),
])
def test_bad_input_exit_2(tmp_path, capsys, content, message):
    f = tmp_path / "in.txt"
    f.write_bytes(content)
    rc, out, err = run([str(f)], capsys=capsys)
    assert rc == EXIT_INPUT and message in err and out == ""


def test_missing_file_and_directory(tmp_path, capsys):
    rc, _, err = run([str(tmp_path / "nope.txt")], capsys=capsys)
    assert rc == EXIT_INPUT and "no such file" in err
    rc, _, err = run([str(tmp_path)], capsys=capsys)
    assert rc == EXIT_INPUT and "directory" in err


def test_ten_megabytes_is_refused_with_a_clear_message(tmp_path, capsys):
    f = tmp_path / "big.txt"
    line = b"Ketamine acts within hours and 2.7% of adults have GAD each year. " * 20 + b"\n"
    f.write_bytes(line * (10 * 1024 * 1024 // len(line) + 1))
    assert f.stat().st_size >= 10 * 1024 * 1024
    rc, out, err = run([str(f)], capsys=capsys)
    assert rc == EXIT_INPUT and "--max-chars" in err and out == ""
    rc, _, err = run([str(f), "--max-bytes", "1000"], capsys=capsys)
    assert rc == EXIT_INPUT and "--max-bytes" in err


def test_large_html_page_with_little_text_is_fine(tmp_path, capsys):
    # 10 MB of markup (an inline script and a base64 image) around two sentences of text
    f = tmp_path / "page.html"
    f.write_bytes(b"<html><head><script>var blob='" + b"A" * (6 * 1024 * 1024) + b"';</script></head><body>"
                  b"<p>GAD affects 2.7% of U.S. adults each year.</p><img src='data:image/png;base64,"
                  + b"B" * (4 * 1024 * 1024) + b"'><p>Call us today.</p></body></html>")
    rc, out, _ = run([str(f), "--format", "json", "--no-verdicts"], capsys=capsys)
    assert rc == EXIT_OK
    assert [c["claimed"] for c in json.loads(out)] == ["2.7%"]


def test_non_utf8_warns_and_continues(tmp_path, capsys):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Caf\xe9 owners say 2.7% of U.S. adults have GAD in a given year.".encode("latin-1"))
    rc, out, err = run([str(f), "--format", "json"], capsys=capsys)
    assert rc == EXIT_OK
    assert "warning" in err and "UTF-8" in err
    assert json.loads(out)[0]["claimed"] == "2.7%"


def test_no_claims_text(capsys):
    rc, out, _ = run([str(FIX / "no_claims.txt")], capsys=capsys)
    assert rc == EXIT_OK and "No checkable claims found." in out


# ------------------------------------------------------------------ verdict engine contract and fallback

def test_claims_listed_when_the_evidence_base_cannot_be_loaded(monkeypatch):
    def no_db(load_db, data_dir, warnings):
        warnings.append("the evidence base in data could not be loaded: test")
        return None

    monkeypatch.setattr(verdict_mod, "get_db", no_db)
    res = check((FIX / "riverside_post.md").read_bytes(), filename="riverside_post.md")
    assert res.claims and all(c["verdict"] == NOT_CHECKABLE for c in res.claims)
    assert all(c["holds"] is None and c["checkable"] is False for c in res.claims)
    assert any("could not be loaded" in w for w in res.warnings)
    linked = [c for c in res.claims if c["recompute"]]
    assert linked and all(c["explanation"].startswith("Compared with") for c in linked)
    assert all(c["reason"] == "the evidence base could not be loaded" for c in linked)


def test_engine_is_called_through_evaluate(monkeypatch):
    seen = []

    def fake_evaluate(claimed, spec, sources, db, params=None, **fields):
        seen.append((claimed, spec, sources, fields))
        return {"verdict": "accurate", "holds": True, "rating": 5, "recomputed": "x", "recomputed_low": None,
                "recomputed_high": None, "recomputed_text": None, "certainty": "high", "explanation": "fake",
                "correction": "", "sources": ["s"]}

    import evidence.claims

    monkeypatch.setattr(evidence.claims, "evaluate", fake_evaluate)
    res = check("NIMH: 2.7% of US adults have GAD in a given year. Our office is downtown.")
    calls = [c for c in seen if c[3]["claim_type"] == "prevalence"]
    assert calls, seen
    claimed, spec, sources, fields = calls[0]
    assert (claimed.value, claimed.unit, claimed.qualifier, claimed.raw_value) == (2.7, "%", "exact", "2.7")
    assert spec == "prevalence:id=nimh_gad_past_year" and sources == ["nimh_gad"]
    for col in set(verdict_mod.CLAIM_COLUMNS) - {"recompute", "source_ids"}:
        assert col in fields
    assert [c["verdict"] for c in res.claims if c["claim_type"] == "prevalence"] == ["accurate"]


def test_html_renderer_escapes_everything():
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
    res = check(f"About 19.1% of adults {evil} have an anxiety disorder each year.", fmt="text", evaluate=False)
    page = to_html(res, title=evil)
    assert "<script>" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert html.escape("<script>") in page


def test_missing_data_directory_is_exit_1(tmp_path, capsys):
    rc, _, err = run([str(FIX / "no_claims.txt"), "--data", str(tmp_path / "nowhere")], capsys=capsys)
    assert rc == 1 and f"data directory {tmp_path / 'nowhere'}: no such directory" in err


def test_unknown_parameter_is_exit_2(capsys):
    rc, _, err = run([str(FIX / "no_claims.txt"), "-p", "bogus=1"], capsys=capsys)
    assert rc == EXIT_INPUT and "unknown parameter" in err
