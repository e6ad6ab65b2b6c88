"""The ``recompute`` mini-language of ``claims.csv``: ``method:key=value,key=value``.

>>> parse_recompute("pooled:analysis=whittaker2021_sad,measure=OR,method=IV")
('pooled', {'analysis': 'whittaker2021_sad', 'measure': 'OR', 'method': 'IV'})
>>> parse_recompute("none")
('none', {})
"""
from __future__ import annotations

#: method -> (required arguments, optional arguments, {argument: table it must exist in})
METHODS: dict[str, tuple[set[str], set[str], dict[str, str]]] = {
    # claimed_period: the period the article gives the figure for (past_year, lifetime, ...);
    # population: ';'-separated facts.csv ids of population counts, to recompute a head count
    # from its rate (count = rate x population) and say which population it implies
    "prevalence": ({"id"}, {"field", "claimed_period", "population"}, {"id": "prevalence"}),
    "pooled": ({"analysis"}, {"measure", "method", "correction", "hksj"}, {}),
    "effect": ({"outcome"}, {"measure", "correction"}, {"outcome": "outcomes"}),
    "nnt": (set(), {"outcome", "estimate", "analysis", "kind"}, {"outcome": "outcomes", "estimate": "estimates"}),
    "proportion": ({"outcome"}, {"arm"}, {"outcome": "outcomes"}),
    "estimate": ({"id"}, set(), {"id": "estimates"}),
    "count": ({"source"}, {"field"}, {"source": "sources"}),
    "fact": ({"id"}, set(), {"id": "facts"}),
    "attribute": ({"source", "field"}, set(), {"source": "sources"}),
    # the sources' own statements, each weighed by the curator as supporting the claim ("for"),
    # saying the opposite ("against"), supporting it only more weakly than worded ("weaker"), or
    # adding context the wording leaves out ("context"); each value is a ';'-separated list of
    # facts.csv or estimates.csv ids
    "weigh": (set(), {"for", "against", "weaker", "context"}, {}),
    "none": (set(), set(), {}),
}

#: arguments that hold ';'-separated row ids, and the tables an id may come from
LIST_ARGS: dict[str, dict[str, tuple[str, ...]]] = {
    "prevalence": {"population": ("facts",)},
    "weigh": {side: ("facts", "estimates") for side in ("for", "against", "weaker", "context")},
}


class SpecError(ValueError):
    """A ``recompute`` value that does not parse or names an unknown method/argument."""


def parse_recompute(spec: str | None) -> tuple[str, dict[str, str]]:
    """Split a recompute spec into its method and arguments; validate the names."""
    if spec is None or not str(spec).strip():
        return "none", {}
    spec = str(spec).strip()
    method, _, rest = spec.partition(":")
    method = method.strip()
    if method not in METHODS:
        raise SpecError(f"unknown method {method!r} (known: {', '.join(sorted(METHODS))})")
    args: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise SpecError(f"argument {part!r} is not key=value")
        args[key.strip()] = value.strip()
    required, optional, _ = METHODS[method]
    missing = required - args.keys()
    if missing:
        raise SpecError(f"{method} needs {', '.join(sorted(missing))}")
    unknown = args.keys() - required - optional
    if unknown:
        raise SpecError(f"{method} takes no argument {', '.join(sorted(unknown))}")
    if method == "nnt" and not ({"outcome", "estimate", "analysis"} & args.keys()):
        raise SpecError("nnt needs one of outcome, estimate or analysis")
    if method == "weigh" and not args:
        raise SpecError("weigh needs at least one of for, against, weaker or context")
    return method, args


def split_ids(value: str | None) -> list[str]:
    """``"a;b"`` -> ``["a", "b"]``."""
    return [x.strip() for x in (value or "").split(";") if x.strip()]


def references(method: str, args: dict[str, str]):
    """Every row a parsed spec names, as ``(argument, tables it may be in, id)``."""
    for arg, table in METHODS[method][2].items():
        if arg in args:
            yield arg, (table,), args[arg]
    for arg, tables in LIST_ARGS.get(method, {}).items():
        for rid in split_ids(args.get(arg)):
            yield arg, tables, rid
