"""Escaping data text for Markdown and HTML cells: the one module both :mod:`.base` and :mod:`.html` import.

It imports nothing of :mod:`evidence.plotting`, so the two can share it without an import cycle."""
from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~<>])")


def esc(text) -> str:
    """Text from the data, made inert for Markdown *and* HTML (for f-strings in Markdown cells)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if text is None else str(text), quote=False))


def md(text: str):
    """``IPython.display.Markdown`` of a string whose data parts were passed through :func:`esc`."""
    from IPython.display import Markdown

    return Markdown(text)
