"""The declared parameters: every ``-p NAME=VALUE`` that ``evidence report``, ``claims`` and ``check`` accept.

One table, :data:`PARAMS`: for each parameter its type, allowed range or
choices, default, what it changes, and which commands and report pages use it.
:func:`parse` is the one parser and validator the three commands call: an
unknown name, a value of the wrong type or out of range raises
:class:`ParamError`, whose message names the option (``-p NAME``), and the
commands turn it into one line on standard error and exit status 2.

Old names keep working with a deprecation message (:data:`ALIASES`):
``correction`` is now ``zero_cell_correction`` (``correction`` also names the
suggested wording of a claim), and the meta-analysis page's ``method`` is
``pooled_method``, the name the claims engine uses.

This module imports nothing of the package at import time (it is read by
the command-line parsers); ``tests/test_params.py`` checks the table against
the notebooks' ``parameters`` cells, the manifest, ``verdicts.DEFAULT_PARAMS``
and the methods and corrections of :mod:`evidence.stats`.
"""
from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evidence import vocab

#: the meta-analysis methods of :func:`evidence.stats.meta.meta_analysis` (IV is an alias of FE)
METHODS = ("FE", "IV", "MH", "PETO", "DL", "PM", "REML", "ML", "MH_DL")
#: the zero-cell corrections of :mod:`evidence.stats.effects`
CORRECTIONS = tuple(vocab.ZERO_CELL_CORRECTIONS)

COMMANDS = ("report", "claims", "check")
#: the verdict engine's parameters: every command accepts them
_ENGINE = COMMANDS
#: report pages (manifest entry names) that evaluate claims with the verdict engine
_CLAIM_PAGES = ("article", "claims", "methods")


class ParamError(ValueError):
    """A ``-p`` option that is not accepted; the message names it."""


@dataclass(frozen=True)
class Param:
    """One declared parameter.

    ``kind`` is ``"float"``, ``"int"``, ``"str"``, ``"choice"`` or
    ``"float_list"``; ``low``/``high`` bound numbers (and the items of a
    list), inclusive unless ``low_open``/``high_open``; ``choices`` for
    ``"choice"`` (matched case-insensitively when ``upper``); ``nullable``:
    ``null`` (JSON) is accepted and means the default behaviour.
    """

    name: str
    kind: str
    default: Any
    changes: str
    commands: tuple[str, ...]
    pages: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    upper: bool = False
    nullable: bool = False

    def allowed(self) -> str:
        """The allowed values in words (for messages and the parameter table)."""
        if self.kind == "choice":
            text = ", ".join(self.choices)
        elif self.kind in ("float", "int", "float_list"):
            lo = "" if self.low is None else f"{self.low:g} {'<' if self.low_open else '≤'} "
            hi = "" if self.high is None else f" {'<' if self.high_open else '≤'} {self.high:g}"
            what = {"float": "a number", "int": "a whole number", "float_list": "a list of numbers"}[self.kind]
            text = f"{what}" + (f" with {lo}x{hi}" if lo or hi else "")
        else:
            text = "text"
        return text + (", or null" if self.nullable else "")

    def check(self, value: Any) -> Any:
        """The value, normalised (``"reml"`` → ``"REML"``), or :class:`ParamError` naming the option."""
        opt = f"-p {self.name}"
        if value is None:
            if self.nullable:
                return None
            raise ParamError(f"{opt}: null is not allowed; expected {self.allowed()}")
        if self.kind == "choice":
            text = str(value).strip()
            for c in self.choices:
                if text == c or (self.upper and text.upper() == c.upper()):
                    return c
            raise ParamError(f"{opt}: {value!r} is not one of {', '.join(self.choices)}")
        if self.kind == "str":
            if not isinstance(value, str) or not value.strip():
                raise ParamError(f"{opt}: expected text, got {json.dumps(value)}")
            return value
        if self.kind == "float_list":
            if not isinstance(value, list) or not value:
                raise ParamError(f"{opt}: expected a JSON list of numbers such as [0.25,0.5], got {value!r}")
            return [self._number(v, opt) for v in value]
        return self._number(value, opt)

    def _number(self, value: Any, opt: str) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"{opt}: expected {self.allowed()}, got {value!r}")
        if not math.isfinite(value):
            raise ParamError(f"{opt}: expected a finite number, got {value!r}")
        if self.kind == "int":
            if value != int(value):
                raise ParamError(f"{opt}: expected a whole number, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        too_low = self.low is not None and (value <= self.low if self.low_open else value < self.low)
        too_high = self.high is not None and (value >= self.high if self.high_open else value > self.high)
        if too_low or too_high:
            raise ParamError(f"{opt}: {value:g} is out of range; expected {self.allowed()}")
        return value


def _p(*args, **kw) -> tuple[str, Param]:
    p = Param(*args, **kw)
    return p.name, p


#: every parameter ``-p`` accepts, in the order the methods page lists them
PARAMS: dict[str, Param] = dict([
    _p("approx_rel_tol", "float", 0.10,
       "'about', '~', 'nearly': relative tolerance added to the rounding interval of the claimed figure",
       _ENGINE, _CLAIM_PAGES + ("prevalence",), low=0.0, high=1.0),
    _p("half_band", "float", 2.5,
       "'half': a claim of half holds from 50% minus to 50% plus this many percentage points",
       _ENGINE, _CLAIM_PAGES, low=0.0, high=50.0),
    _p("majority_threshold", "float", 50.0,
       "'the majority': holds when the evidence is strictly above this percentage",
       _ENGINE, _CLAIM_PAGES, low=0.0, high=100.0, high_open=True),
    _p("small_n", "int", 50,
       "a study with fewer participants is small: it adds context to a verdict and lowers the certainty",
       _ENGINE, _CLAIM_PAGES + ("evidence-map",), low=1),
    _p("imprecision_ratio", "float", 10.0,
       "a ratio CI whose upper/lower limit exceeds this is imprecise (context, lower certainty)",
       _ENGINE, _CLAIM_PAGES, low=1.0, low_open=True),
    _p("pooled_method", "choice", None,
       "the meta-analysis method of every pooled recompute and of the meta-analysis page "
       "(when not set: each claim's own; the page's primary is IV, inverse-variance fixed effect)",
       _ENGINE, _CLAIM_PAGES + ("meta-analysis",), choices=METHODS, upper=True, nullable=True),
    _p("zero_cell_correction", "choice", None,
       "zero-cell handling of every pooled recompute and of the meta-analysis page "
       "(when not set: each claim's own; the page's is 0.5 added to every cell of a study with a zero)",
       _ENGINE, _CLAIM_PAGES + ("meta-analysis",), choices=CORRECTIONS, nullable=True),
    _p("measure", "choice", "OR", "the effect measure the meta-analysis page pools",
       ("report",), ("meta-analysis",), choices=("OR", "RR", "RD"), upper=True),
    _p("analysis_prefix", "str", "whittaker2021_",
       "the analyses (outcomes.analysis_ids starting with this) the meta-analysis page reproduces",
       ("report",), ("meta-analysis",)),
    _p("rhos", "float_list", [0.25, 0.5, 0.75],
       "within-patient correlations tried for crossover trials analysed as paired (meta-analysis page)",
       ("report",), ("meta-analysis",), low=-1.0, high=1.0, low_open=True, high_open=True),
    _p("ascending_dose_source", "str", "glue2017", "the ascending-dose study (source_id) of the dose-route page",
       ("report",), ("dose-route",)),
    _p("iv_source", "str", "taylor2018", "the IV 0.5 mg/kg trial (source_id) of the dose-route page",
       ("report",), ("dose-route",)),
    _p("cohort_source", "str", "oliver2022", "the uncontrolled real-world study (source_id) of the real-world page",
       ("report",), ("real-world",)),
    _p("cohort_estimate", "str", "oliver2022_gad7_pct_reduction",
       "the real-world study's printed result (estimate_id) of the real-world page", ("report",), ("real-world",)),
])

#: old name -> declared name; the old name works and prints a deprecation message
ALIASES: dict[str, str] = {"correction": "zero_cell_correction", "method": "pooled_method"}

#: names a page gets from the manifest itself, not from ``-p``
PER_PAGE: dict[str, str] = {
    "article_id": "set per article page by the manifest (foreach); choose pages with --only 'article-*'",
    "data_dir": "set by the pipeline; use --data DIR",
}


def defaults(command: str | None = None) -> dict[str, Any]:
    """``{name: default}`` of the parameters a command accepts (all when ``command`` is None)."""
    return {n: p.default for n, p in PARAMS.items() if command is None or command in p.commands}


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)


def canonical(name: str, warn: Callable[[str], None] | None = _stderr) -> str:
    """The declared name for ``name`` (an alias is mapped, with a deprecation message to ``warn``)."""
    if name in ALIASES:
        new = ALIASES[name]
        if warn is not None:
            warn(f"evidence: -p {name} is deprecated; use -p {new} (same values)")
        return new
    return name


def normalise(values: dict[str, Any], warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``values`` with deprecated names mapped to the declared ones (library callers, e.g. notebooks)."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        new = canonical(k, warn)
        if new != k and new in values:
            continue  # both given: the declared name wins
        out[new] = v
    return out


def validate(name: str, value: Any, command: str | None = None) -> Any:
    """Check one value against the table; returns it normalised or raises :class:`ParamError`."""
    if name in PER_PAGE:
        raise ParamError(f"-p {name}: {PER_PAGE[name]}")
    p = PARAMS.get(name)
    if p is None or (command is not None and command not in p.commands):
        known = [n for n, q in PARAMS.items() if command is None or command in q.commands]
        where = f" by `evidence {command}`" if command else ""
        raise ParamError(f"-p {name}: unknown parameter{where} (known: {', '.join(known)}; "
                         "see `evidence report --help` and the methods page)")
    return p.check(value)


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_pairs(pairs: Iterable[str] | None, known: Iterable[str] | None = None,
                reserved: Iterable[str] = ()) -> dict[str, Any]:
    """Parse ``NAME=VALUE`` pairs; values parse as JSON when they can (numbers, null, lists), else stay strings.

    Raises ValueError naming the offending pair: not NAME=VALUE, NAME not an identifier,
    NAME reserved, or NAME not among ``known`` (when given). No validation of the values:
    the commands use :func:`parse`.
    """
    known = None if known is None else list(known)
    reserved = set(reserved)
    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, eq, value = pair.partition("=")
        name = name.strip()
        if not eq or not name.isidentifier():
            raise ParamError(f"-p expects NAME=VALUE with NAME a Python identifier, got {pair!r}")
        if name in reserved:
            raise ParamError(f"-p {name}: set by the pipeline, cannot be overridden")
        if known is not None and name not in known:
            raise ParamError(f"unknown parameter {name!r} (known: {', '.join(known)})")
        out[name] = _value(value)
    return out


def parse(pairs: Iterable[str] | None, command: str, reserved: Iterable[str] = (),
          warn: Callable[[str], None] | None = _stderr) -> dict[str, Any]:
    """Parse and validate the ``-p NAME=VALUE`` options of ``evidence <command>``.

    Returns ``{declared name: normalised value}`` for the options given (the
    defaults are not filled in). Raises :class:`ParamError` (a ValueError)
    with one line naming the option for anything the table does not accept.
    """
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}")
    raw = parse_pairs(pairs, reserved=reserved)
    out: dict[str, Any] = {}
    for name, value in raw.items():
        new = canonical(name, warn)
        if new in out and new != name:
            raise ParamError(f"-p {name}: given together with -p {new}; use only -p {new}")
        if command == "report" and new not in PARAMS and new not in PER_PAGE:
            # The report pipeline builds any manifest: a name this table does not declare is left to
            # it, and it refuses the name unless a page's parameters cell declares it
            # (tests/test_params.py keeps this project's notebooks and the table in step).
            out[new] = value
            continue
        out[new] = validate(new, value, command)
    return out


def table_rows(command: str | None = None) -> list[dict[str, Any]]:
    """The table as rows (name, type, allowed, default, changes, commands, pages), e.g. for the methods page."""
    return [{"parameter": p.name, "type": p.kind, "allowed": p.allowed(),
             "default": "null" if p.default is None else json.dumps(p.default),
             "changes": p.changes, "commands": ", ".join(p.commands), "pages": ", ".join(p.pages)}
            for p in PARAMS.values() if command is None or command in p.commands]


def epilog(command: str) -> str:
    """One line per parameter a command accepts, for its ``--help``."""
    lines = [f"parameters (-p NAME=VALUE, VALUE as JSON when it parses, else text):"]
    for p in PARAMS.values():
        if command in p.commands:
            default = "null" if p.default is None else json.dumps(p.default)
            lines.append(f"  {p.name} = {default}: {p.allowed()}")
    olds = ", ".join(f"{o} (now {n})" for o, n in ALIASES.items())
    lines.append(f"  deprecated names still accepted: {olds}")
    return "\n".join(lines)
