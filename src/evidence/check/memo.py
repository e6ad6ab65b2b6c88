"""A memo that holds for one object in use (a model, an index's candidate list) and starts afresh for another.

``check`` memoizes readings that depend on an object swapped at run time: the claim-sentence classifier's readings
of a sentence depend on the model (the benchmark's leave-one-split-out swaps one in per fold), and the population
figures by source depend on the index's candidate list. Each memo is keyed by the object's identity (and, where the
object can grow in place, a stamp such as its length), so a swapped object never reads another's entries; a size
limit clears the memo when it is full (boilerplate repeats, a corpus does not grow without bound).
"""
from __future__ import annotations

from typing import Any, Callable


class IdentityMemo:
    """Entries memoized for the object :meth:`table` was last given (by identity, and the ``stamp`` beside it)."""

    __slots__ = ("limit", "_owner", "_stamp", "_memo")

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self._owner: Any = None
        self._stamp: Any = None
        self._memo: dict = {}

    def table(self, owner: Any, stamp: Any = None) -> dict:
        """The entries for ``owner`` (a fresh table when ``owner`` is not the object of the last call, or its
        ``stamp`` differs)."""
        if self._owner is not owner or self._stamp != stamp:
            self._owner, self._stamp, self._memo = owner, stamp, {}
        return self._memo

    def put(self, table: dict, key: Any, value: Any) -> Any:
        """Store ``value`` under ``key`` (clearing the table first when it holds :attr:`limit` entries); returns it."""
        if self.limit is not None and len(table) >= self.limit:
            table.clear()
        table[key] = value
        return value

    def get(self, owner: Any, key: Any, compute: Callable[[], Any], stamp: Any = None) -> Any:
        """The entry for ``key`` under ``owner``, computed by ``compute()`` the first time."""
        table = self.table(owner, stamp)
        hit = table.get(key, _MISSING)
        return self.put(table, key, compute()) if hit is _MISSING else hit


_MISSING = object()
