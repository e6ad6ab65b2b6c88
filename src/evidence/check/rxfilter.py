"""A necessary condition for a regular expression to match, read from the expression itself: literal prefilters.

``check`` runs hundreds of named regular expressions over every sentence (the classifier's lexicons, the slot
vocabularies, the not-a-claim masks), and most of them match nothing in a given sentence. Each expression here
gets a set of literal strings of which at least one must occur in any text it matches (:func:`required`), read
from the parsed expression, not written by hand, so it stays right when someone edits the expression:
``\\b(?:safe\\w*|side[- ]effects?)`` needs "safe" or "side"; ``\\b(?:19|20)\\d{2}\\b`` needs "19" or "20".
:func:`may_match` checks those literals with ``in`` (fast) before the expression is run, which changes how long
``check`` takes, never what it finds: if no literal occurs, the expression cannot match anywhere in the text (nor in
any window of it: what a match consumes is a substring of the text, and lookarounds give no literal).

Case: for an expression with ``re.IGNORECASE`` the literals are lower-cased and looked for in the text lower-cased
(:func:`folded`). Python's case-insensitive matching also pairs four non-ASCII characters with ASCII letters
(:data:`ASCII_FOLDS`; the Kelvin sign with "k", the dotless ı with "i" …): a text holding one of them is never
prefiltered. A group matched case-sensitively inside a case-insensitive expression ("(?-i:\\bGAD\\b)") gives its
ASCII literals lower-cased (the text lower-cased holds them so; speed13). A cased non-ASCII literal, a "(?i:…)" group in
a case-sensitive expression, a locale flag: no literal is read (the expression is always run).
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

try:   # Python 3.11+
    from re import _parser as _sre_parse   # type: ignore[attr-defined]
    from re import _constants as _c         # type: ignore[attr-defined]
except ImportError:   # pragma: no cover - Python < 3.11
    import sre_constants as _c   # type: ignore[no-redef]
    import sre_parse as _sre_parse   # type: ignore[no-redef]

#: the non-ASCII characters that ``re.IGNORECASE`` matches with an ASCII letter (İ ı ſ and the Kelvin sign K);
#: ``tests/test_check_rxfilter.py`` recomputes the set over every code point
ASCII_FOLDS = frozenset("\u0130\u0131\u017f\u212a")
#: alternatives kept when literal runs are multiplied out ("(?:a|b)(?:c|d)" -> ac, ad, bc, bd)
MAX_ALTERNATIVES = 64

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())


def folded(text: str) -> str | None:
    """``text`` lower-cased for the literals of a case-insensitive expression, or None when it holds one of
    :data:`ASCII_FOLDS` (then no case-insensitive expression is prefiltered on it)."""
    if not text.isascii() and _FOLDS_RX.search(text):
        return None
    return text.lower()


_FOLDS_RX = re.compile("[" + "".join(sorted(ASCII_FOLDS)) + "]")   # (no flags: each of the four as it is)


@lru_cache(maxsize=None)
def required(rx: re.Pattern) -> tuple[tuple[str, ...] | None, bool]:
    """(literals one of which every match contains, or None when none could be read; whether they are lower-cased
    for a case-insensitive expression)."""
    if rx.flags & re.LOCALE or not isinstance(rx.pattern, str):
        return None, False
    try:
        parsed = _sre_parse.parse(rx.pattern, rx.flags)
    except Exception:   # noqa: BLE001 - an expression the private parser reads otherwise: never prefiltered
        return None, False
    ic = bool(rx.flags & re.IGNORECASE)
    exact, req = _seq(list(parsed), ic)
    lits = exact if exact is not None else req
    if not lits or "" in lits:
        return None, ic
    return tuple(sorted(lits, key=lambda s: (-len(s), s))), ic


def may_match(rx: re.Pattern, text: str, low: str | None = "") -> bool:
    """False only when ``rx`` cannot match anywhere in ``text``. ``low``: :func:`folded` of the text when the
    caller has it (it is the same for every expression), '' to compute it here."""
    e = _BY_ID.get(id(rx))
    if e is None or e[0] is not rx:      # (looked up by identity: hashing a compiled pattern hashes its code)
        if len(_BY_ID) >= 4096:
            _BY_ID.clear()
        e = _BY_ID[id(rx)] = (rx, *required(rx))
    lits = e[1]
    if lits is None:
        return True
    if e[2]:
        if low == "":
            low = folded(text)
        if low is None:
            return True
        text = low
    for x in lits:
        if x in text:
            return True
    return False


#: id of a pattern -> (the pattern, its literals, whether they are lower-cased), for :func:`may_match`
_BY_ID: dict[int, tuple] = {}


# ------------------------------------------------------------------ reading the parsed expression

def _char(code: int, ic: bool) -> str | None:
    ch = chr(code)
    if not ic or ch.isascii():
        return ch.lower() if ic else ch
    return ch if ch.lower() == ch and ch.upper() == ch else None   # a cased non-ASCII letter: not read


def _lowered(lits: set[str] | None) -> set[str] | None:
    """Exact-case literals as looked for in a lower-cased text, or None when one is not ASCII."""
    if lits is None or not all(x.isascii() for x in lits):
        return None
    return {x.lower() for x in lits}


def _best(cands: list[set[str]]) -> set[str] | None:
    """The most selective of several sets that are each required (the longest shortest literal)."""
    cands = [c for c in cands if c and "" not in c]
    if not cands:
        return None
    return max(cands, key=lambda c: (min(len(x) for x in c), -len(c)))


def _seq(nodes: list, ic: bool) -> tuple[set[str] | None, set[str] | None]:
    """(the exact strings the sequence matches, or None; a set one of which every match contains, or None)."""
    run: set[str] | None = {""}
    cands: list[set[str]] = []
    whole = True
    for op, av in nodes:
        ex, rq = _node(op, av, ic)
        if ex is not None and run is not None and len(run) * len(ex) <= MAX_ALTERNATIVES:
            run = {a + b for a, b in product(run, ex)}
            continue
        whole = False
        if run is not None:
            cands.append(run)
        if ex is not None and len(ex) <= MAX_ALTERNATIVES:
            run = set(ex)          # a new run starts with this node
        else:
            run = {""}
            if rq is not None:
                cands.append(rq)
    if whole:
        return run, run
    if run is not None:
        cands.append(run)
    return None, _best(cands)


def _node(op, av, ic: bool) -> tuple[set[str] | None, set[str] | None]:
    if op is _c.LITERAL:
        ch = _char(av, ic)
        return ({ch}, {ch}) if ch is not None else (None, None)
    if op in _ZERO_WIDTH:
        return {""}, None
    if op is _c.IN:
        chars = set()
        for sop, sav in av:
            if sop is not _c.LITERAL:
                return None, None
            ch = _char(sav, ic)
            if ch is None:
                return None, None
            chars.add(ch)
        return (chars, chars) if 0 < len(chars) <= 16 else (None, None)
    if op is _c.SUBPATTERN:
        _group, add, dele, sub = av
        if (add | dele) & (re.LOCALE | re.ASCII) or add & re.IGNORECASE and not ic:
            return None, None
        if dele & re.IGNORECASE and ic:
            # "(?-i:\bGAD\b)" in a case-insensitive expression: its literals are matched as written, so the text
            # lower-cased holds them lower-cased (ASCII literals only: lower() maps each ASCII letter to one letter)
            ex, rq = _seq(list(sub), False)
            return _lowered(ex), _lowered(rq)
        return _seq(list(sub), ic)
    if op is _c.BRANCH:
        exacts, reqs = [], []
        for alt in av[1]:
            ex, rq = _seq(list(alt), ic)
            exacts.append(ex)
            reqs.append(ex if ex is not None else rq)
        ex = set().union(*exacts) if all(e is not None for e in exacts) else None
        rq = set().union(*reqs) if all(r for r in reqs) and not any("" in r for r in reqs) else None
        return ex, rq
    if op in _REPEATS:
        lo, hi, sub = av
        ex, rq = _seq(list(sub), ic)
        if lo == hi == 1:
            return ex, rq
        if lo >= 1:
            return None, (ex if ex is not None else rq)
        return None, None
    if hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
        return _seq(list(av), ic)
    return None, None


# ------------------------------------------------------------------ prefiltered patterns

#: the last text folded for a proxy, and its fold: the detectors run dozens of expressions on one sentence in a row
_LAST_FOLD: tuple = ("", "")


def _folded_once(text: str) -> str | None:
    global _LAST_FOLD
    last = _LAST_FOLD                     # (one tuple, read and replaced whole: safe between threads)
    if last[0] is text:
        return last[1]
    low = folded(text)
    _LAST_FOLD = (text, low)
    return low


class Prefiltered:
    """A compiled pattern whose scanning methods (``search``, ``finditer``, ``findall``, ``sub``, ``subn``) first ask
    :func:`may_match` (the whole string: a window's match is inside it); anchored ones (``match``, ``fullmatch``)
    and every attribute (``pattern``, ``flags``, ``groupindex`` …) are the pattern's own. The answers are the
    pattern's answers: when no literal occurs, the pattern has none to give."""

    __slots__ = ("rx", "_lits", "_ic")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        self._lits, self._ic = required(rx)

    def _may(self, s) -> bool:
        lits = self._lits
        if lits is None or not isinstance(s, str):
            return True
        if self._ic:
            s = _folded_once(s)
            if s is None:
                return True
        for x in lits:
            if x in s:
                return True
        return False

    # with a window (pos, endpos) the pattern is run as it is: a caller stepping through a long text with ``pos``
    # would otherwise pay a scan of the whole text per call
    def search(self, string, *args, **kw):
        return self.rx.search(string, *args, **kw) if args or kw or self._may(string) else None

    def finditer(self, string, *args, **kw):
        return self.rx.finditer(string, *args, **kw) if args or kw or self._may(string) else iter(())

    def findall(self, string, *args, **kw):
        return self.rx.findall(string, *args, **kw) if args or kw or self._may(string) else []

    def sub(self, repl, string, count=0):
        return self.rx.sub(repl, string, count) if self._may(string) else string

    def subn(self, repl, string, count=0):
        return self.rx.subn(repl, string, count) if self._may(string) else (string, 0)

    def match(self, *args, **kw):
        return self.rx.match(*args, **kw)

    def fullmatch(self, *args, **kw):
        return self.rx.fullmatch(*args, **kw)

    def split(self, *args, **kw):
        return self.rx.split(*args, **kw)

    def __getattr__(self, name):
        if name in ("rx", "_lits", "_ic") or name.startswith("__"):
            raise AttributeError(name)     # (an instance being unpickled or copied has no pattern yet)
        return getattr(self.rx, name)

    def __reduce__(self):
        return Prefiltered, (self.rx,)

    def __repr__(self) -> str:
        return f"Prefiltered({self.rx!r})"


def prefilter_modules(names: list[str]) -> int:
    """Replace every module-level compiled pattern of the named (imported) modules with a :class:`Prefiltered`
    proxy, one proxy per pattern wherever it is bound (a pattern imported into another module is the same proxy
    there). Patterns with no literal to check, and patterns inside containers, are left as they are. Returns how many
    patterns were wrapped; a second call wraps nothing more."""
    import sys

    proxies: dict[int, Prefiltered] = {}
    for name in names:
        mod = sys.modules.get(name)
        for attr, v in list(vars(mod).items()) if mod is not None else ():
            if isinstance(v, re.Pattern) and isinstance(v.pattern, str) and required(v)[0] is not None:
                p = proxies.get(id(v))
                if p is None:
                    p = proxies[id(v)] = Prefiltered(v)
                setattr(mod, attr, p)
    return len(proxies)
