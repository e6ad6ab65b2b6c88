"""evidence check, step 1: decoding, format detection, markup stripping, sentence splitting."""
from __future__ import annotations

import pytest

from evidence.check.textprep import (InputError, decode, html_to_text, markdown_to_text, sniff_format,
                                     split_sentences, to_plain_text)


def sents(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


# ------------------------------------------------------------------ decoding

def test_decode_utf8_and_bom():
    assert decode("Ketamine – 50%".encode())[0] == "Ketamine – 50%"
    assert decode(b"\xef\xbb\xbfHello")[0] == "Hello"
    assert decode("Hi ünï".encode("utf-16"))[0] == "Hi ünï"


def test_decode_non_utf8_replaced_with_warning():
    text, warnings = decode(b"caf\xe9 50% of adults")
    assert "\ufffd" in text and "50% of adults" in text
    assert warnings and "UTF-8" in warnings[0]


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "\u00a0".encode()])
def test_decode_empty_is_an_error(data):
    with pytest.raises(InputError, match="empty"):
        decode(data)


def test_decode_binary_is_an_error():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_decode_size_limit():
    with pytest.raises(InputError, match="limit"):
        decode(b"a" * 101, max_bytes=100)


# ------------------------------------------------------------------ sniffing

@pytest.mark.parametrize("text,name,fmt", [
    ("<p>Hello</p><p>World</p>", None, "html"),
    ("<!DOCTYPE html><title>x</title>", None, "html"),
    ("p < 0.05 and q > 3 in 18 adults", None, "text"),
    ("# Title\n\nSome **bold** text", None, "markdown"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", None, "markdown"),
    ("plain words", "post.md", "markdown"),
    ("plain words", "page.HTML", "html"),
    ("Just a sentence. Another one.", "a.txt", "text"),
])
def test_sniff_format(text, name, fmt):
    assert sniff_format(text, name) == fmt


# ------------------------------------------------------------------ HTML

def test_html_drops_script_style_and_unescapes_entities():
    html = ("<html><head><title>T</title><style>p{color:red}</style><script>var x='40% of adults';</script></head>"
            "<body><p>Ketamine &amp; anxiety: 2.7&nbsp;% &lt;script&gt;</p><!-- 99% hidden -->"
            "<noscript>nope</noscript><p>Second&#8212;para</p></body></html>")
    text = html_to_text(html)
    assert "40% of adults" not in text and "color:red" not in text and "99% hidden" not in text
    assert "nope" not in text
    assert "Ketamine & anxiety" in text and "<script>" in text  # entity text stays text
    assert "Second\u2014para" in text
    # block elements become line breaks, so paragraphs never run together
    assert sents(to_plain_text(html, "html")[0])[-1] == "Second\u2014para"


def test_html_table_cells_are_separated():
    text, _ = to_plain_text("<table><tr><td>Time to effect</td><td>Hours</td></tr></table>", "html")
    assert text == "Time to effect; Hours;"


# ------------------------------------------------------------------ Markdown

def test_markdown_markup_is_stripped():
    md = ("# Heading one\n\nSome **bold** and *italic* and __under__ text with a [link](https://x.org) "
          "and ![alt text](img.png) and `code`.\n\n"
          "| Measure | Value |\n|---|:---:|\n| GAD | 2.7% |\n\n> quoted line\n\n[ref]: https://example.org\n")
    text = markdown_to_text(md)
    assert "Heading one" in text and "#" not in text
    assert "Some bold and italic and under text with a link and alt text and code." in text
    assert "GAD; 2.7%" in text and "|" not in text and "---" not in text
    assert "quoted line" in text and ">" not in text
    assert "https://example.org" not in text and "https://x.org" not in text


def test_markdown_keeps_tildes_and_stars_in_numbers():
    assert "odds ratio ~28.9" in markdown_to_text("odds ratio ~28.9 and 5 * 3")


# ------------------------------------------------------------------ sentences

def test_sentences_abbreviations_and_decimals():
    text = ("Dr. Smith et al. reported a dose of 0.5 mg/kg, e.g. over 40 min. in the U.S. adults were "
            "studied (odds ratio ~28.9). The next sentence starts here! Does it? Yes.")
    assert sents(text) == [
        "Dr. Smith et al. reported a dose of 0.5 mg/kg, e.g. over 40 min. in the U.S. adults were studied "
        "(odds ratio ~28.9).",
        "The next sentence starts here!", "Does it?", "Yes."]


def test_sentences_line_breaks_and_bullets_are_boundaries():
    text = "Breaking this down:\n- GAD affects 2.7% of adults\n  • SAD affects 7.1%\n  1. First step\nNo period here"
    assert sents(text) == ["Breaking this down:", "GAD affects 2.7% of adults", "SAD affects 7.1%", "First step",
                           "No period here"]


def test_sentence_spans_point_into_the_text():
    text = "One sentence.  Two sentence!\n\n- Three: 50% of them"
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_run_on_text_is_cut():
    text = ("word " * 2000).strip()
    out = split_sentences(text)
    assert len(out) > 1 and all(len(s.text) <= 1200 for s in out)
    assert all(text[s.start:s.end] == s.text for s in out)


def test_txt_extension_wins_over_tags_in_the_content():
    from evidence.check.textprep import sniff_format

    body = "<p>About 30% of patients</p><script>x()</script>"
    assert sniff_format(body, "draft.txt") == "text"
    assert sniff_format("| a | b |\n|---|---|\n| 1 | 2 |\n", "table.txt") == "markdown"  # still sniffed as Markdown
    assert sniff_format(body, "draft.html") == "html"
    assert sniff_format(body) == "html"  # no extension: sniffed
