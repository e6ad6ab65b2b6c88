"""``-p NAME=VALUE`` parameters, shared by ``evidence report``, ``claims`` and ``check``."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def parse_pairs(pairs: Iterable[str] | None, known: Iterable[str] | None = None,
                reserved: Iterable[str] = ()) -> dict[str, Any]:
    """Parse ``NAME=VALUE`` pairs; values parse as JSON when they can (numbers, null, lists), else stay strings.

    Raises ValueError naming the offending pair: not NAME=VALUE, NAME not an identifier,
    NAME reserved, or NAME not among ``known`` (when given).
    """
    known = None if known is None else list(known)
    reserved = set(reserved)
    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, eq, value = pair.partition("=")
        name = name.strip()
        if not eq or not name.isidentifier():
            raise ValueError(f"-p expects NAME=VALUE with NAME a Python identifier, got {pair!r}")
        if name in reserved:
            raise ValueError(f"-p {name}: set by the pipeline, cannot be overridden")
        if known is not None and name not in known:
            raise ValueError(f"unknown parameter {name!r} (known: {', '.join(known)})")
        try:
            out[name] = json.loads(value)
        except ValueError:
            out[name] = value
    return out
