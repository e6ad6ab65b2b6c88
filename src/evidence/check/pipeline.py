"""The ``evidence check`` pipeline as a Python API: prepare the input, detect, link, judge, sift (see the package's
docstring for the steps). Its own module, so that :mod:`evidence.check.batch` and :mod:`evidence.check.recall`
use the pipeline without importing the package's command line (no import cycle)."""
from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from evidence.check.textprep import (DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, InputError, Sentence, decode,
                                     require_english, split_sentences, to_plain_text)

__all__ = ["Analysis", "CheckReport", "DataDirError", "InputError", "analyse", "check", "check_text", "read_input"]


@dataclass
class Analysis:
    """Input after text preparation and claim detection (no evidence needed)."""

    text: str
    format: str
    sentences: list[Sentence]
    detected: list  # list[Detected]
    warnings: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    """What ``evidence check`` found in one input: the prepared text, the checked claims (JSON-ready), warnings."""

    analysis: Analysis
    claims: list[dict]
    warnings: list[str] = field(default_factory=list)
    #: what was found but is not a claim (prices, the clinic's own figures, a time in a story …), each with the
    #: reason in words and no verdict (:mod:`evidence.check.sift`)
    non_claims: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.analysis.text


def analyse(data: bytes | str, *, filename: str | None = None, fmt: str = "auto",
            max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS) -> Analysis:
    """Prepare the input and detect claims. Raises :class:`InputError` for unusable input."""
    from evidence.check.detect import detect

    _prefilter()
    warnings: list[str] = []
    if isinstance(data, (bytes, bytearray)):
        raw, warnings = decode(bytes(data), max_bytes=max_bytes)
    else:
        raw = data
        if len(raw) > max_bytes:
            raise InputError(f"input is {len(raw):,} characters, more than the limit of {max_bytes:,}")
        if not raw.strip():
            raise InputError("input is empty")
    text, used = to_plain_text(raw, fmt, filename)
    if not text.strip():
        raise InputError(f"input has no visible text (read as {used})")
    if len(text) > max_chars:
        raise InputError(f"the input's text is {len(text):,} characters, more than the limit of {max_chars:,}; "
                         "split it into articles or raise --max-chars")
    require_english(text)
    sentences = split_sentences(text)
    return Analysis(text, used, sentences, detect(sentences), warnings)


def check(data: bytes | str, *, filename: str | None = None, fmt: str = "auto", data_dir: str | Path | None = None,
          params: dict | None = None, evaluate: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
          max_chars: int = DEFAULT_MAX_CHARS) -> CheckReport:
    """Full pipeline: detect, link and (if ``evaluate``) decide each claim's verdict."""
    if data_dir is not None and not Path(data_dir).is_dir():
        what = "not a directory" if Path(data_dir).exists() else "no such directory"
        raise DataDirError(f"data directory {data_dir}: {what}")    # the words of every command
    with _gc_paused():
        return _check(data, filename, fmt, data_dir, params, evaluate, max_bytes, max_chars)


@contextmanager
def _gc_paused():
    """The cyclic garbage collector paused while one input is checked: the pipeline makes no reference cycles (none
    is collected when it runs), yet a full collection walks every live object, the evidence index and the claims
    made so far. On 2 MB of text, 5 full collections took 0.8 s of 7 s. Reference counting still frees memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check(data, filename, fmt, data_dir, params, evaluate, max_bytes, max_chars) -> CheckReport:
    from evidence.check.detect import with_backup
    from evidence.check.link import get_index
    from evidence.check.judge import judge_all, listed
    from evidence.check.sift import sift
    from evidence.check.quotes import finish as finish_quotes

    _prefilter()
    an = analyse(data, filename=filename, fmt=fmt, max_bytes=max_bytes, max_chars=max_chars)
    index = get_index(data_dir)
    # the claim-sentence classifier backs the detectors up (evidence.check.detect.with_backup)
    linked = index.link_all(with_backup(an.detected, an.sentences), an.sentences)
    claims, warns = judge_all(linked, data_dir=data_dir, params=params, evaluate=evaluate,
                              labels={sid: sig.label for sid, sig in index.sigs.items()})
    if not evaluate:
        # "detect and link only" lists what a full run lists (editor s3 #54): a linked claim stands in for a checked
        # one while the list is made, then says again that it was not evaluated
        for c in claims:
            c["checkable"] = bool(c.get("recompute"))
    claims = [c for c in claims if listed(c)]
    claims, non_claims = sift(claims, an.sentences)
    # every quote on whole words, the page's date lines trimmed from it (evidence.check.quotes)
    claims, non_claims = finish_quotes(claims, non_claims, an.text)
    if not evaluate:
        for c in claims + non_claims:
            c["checkable"] = False
    for i, c in enumerate(claims, 1):
        c["id"] = i
    return CheckReport(an, claims, an.warnings + index.warnings + warns, non_claims)


#: the evidence.check modules whose patterns :func:`_prefilter` has wrapped
_PREFILTERED: set[str] = set()


def _prefilter() -> None:
    """Every module-level pattern of the loaded ``evidence.check`` modules checks its literals before it scans
    (:func:`evidence.check.rxfilter.prefilter_modules`; most of the detectors' expressions match nothing in a given
    sentence). Done once per module, when the pipeline first runs with it loaded."""
    from evidence.check.rxfilter import prefilter_modules

    names = [n for n in list(sys.modules) if n.startswith("evidence.check.") and n not in _PREFILTERED]
    if names:
        prefilter_modules(names)
        _PREFILTERED.update(names)


def check_text(text: str, **kw) -> list[dict]:
    """Convenience: the checked claims (JSON-ready dicts) of a text."""
    return check(text, **kw).claims


def read_input(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return sys.stdin.buffer.read(), None
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {path}")
    if p.is_dir():
        raise InputError(f"{path} is a directory")
    try:
        return p.read_bytes(), p.name
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None



class DataDirError(RuntimeError):
    """The evidence base cannot be read at all (e.g. the --data directory does not exist)."""
