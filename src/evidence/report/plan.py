"""Plan a build: for each page of the manifest, its cache key (what it depends on apart from the
data, and what it read of the data the last time it ran), whether it executes, comes from the cache
or is left out by --only, and why (``--explain``)."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence.report import cache as cachemod


@dataclass
class Planned:
    page: Any
    key: str | None            # None until the page has run once with this static key
    params: dict[str, Any]
    section_title: str
    notebook_rel: str
    status: str = ""           # "cached" | "execute" | "skipped"
    static: str = ""           # key of everything but what the page reads from data/
    parts: dict = field(default_factory=dict)
    reason: str = ""           # why it executes (or why it is cached), for --explain
    key_params: dict[str, Any] = field(default_factory=dict)   # the parameters as the key and rows see them
    now: dict[str, str] = field(default_factory=dict)          # digests of what it read last time, as of now
    rec_digests: dict[str, str] = field(default_factory=dict)  # ... and as they were then
    rec: dict | None = None                                     # the page's reads record (cache.read_deps)


@dataclass
class Inputs:
    """What every page's key shares: where things are and the checksums of the code and the data."""
    data_dir: Path
    root: Path                  # the project (the manifest's directory's parent)
    package_sum: str
    versions: dict[str, str]
    data_sum: str
    recorded: bool              # keyed on what each page read (the data validated), else on all of data/


def _parameters(page, inp: Inputs) -> dict[str, Any]:
    params = dict(page.parameters)
    if "data_dir" in page.declared and "data_dir" not in params:
        params["data_dir"] = os.path.relpath(inp.data_dir, page.notebook.parent)
    return params


def _plan_page(page, manifest, inp: Inputs, cache: cachemod.Cache, slices: cachemod.DataSlices) -> Planned:
    """A page's keys (static and, when it ran before, full), not yet its status."""
    nb_dir = page.notebook.parent
    params = _parameters(page, inp)
    try:
        nb_rel = page.notebook.relative_to(inp.root).as_posix()
    except ValueError:
        nb_rel = page.notebook.name
    section_title = manifest.section_title(page.section)
    parts = cachemod.static_parts(
        name=page.name, title=page.title, notebook_bytes=page.notebook_bytes, notebook_rel=nb_rel,
        parameters=params, kernel=page.kernel, package_sum=inp.package_sum,
        versions={**inp.versions, "section": section_title, "index": manifest.title},
        data="recorded" if inp.recorded else inp.data_sum, rows=page.rows, columns=page.columns)
    static = cachemod.digest(parts)
    key_params = dict(params)
    if "results_path" in page.declared:
        params["results_path"] = os.path.relpath(cache.run_dir(page.name) / "results.json", nb_dir)
    if "downloads_dir" in page.declared:
        params["downloads_dir"] = os.path.relpath(cache.run_dir(page.name) / "downloads", nb_dir)
    rec = cache.read_deps(static)
    now = slices.digests(rec["digests"]) if rec is not None else {}
    key = cachemod.full_key(static, now) if rec is not None else None
    return Planned(page, key, params, section_title, nb_rel, static=static, parts=parts, key_params=key_params,
                    now=now, rec_digests=rec["digests"] if rec is not None else {}, rec=rec)


def plan_pages(manifest, chosen: set[str], overrides: dict[str, Any], force: bool, inp: Inputs,
               cache: cachemod.Cache, slices: cachemod.DataSlices) -> list[Planned]:
    """Every page of the manifest with its status ("execute", "cached", "skipped") and the reason."""
    plan = []
    for page in manifest.pages:
        pl = _plan_page(page, manifest, inp, cache, slices)
        hit = pl.key is not None and cache.lookup(pl.key) is not None
        # a page built with other values of a -p parameter than the pages --only selects would disagree
        # with them (review item 2: the index and the claim explorer counting different holds)
        follows = sorted(n for n in overrides if page.declares(n)) if page.name not in chosen and not hit else []
        if (page.name in chosen and (force or not hit)) or follows:
            pl.status = "execute"
        elif hit:
            pl.status = "cached"
        else:
            pl.status = "skipped"
        pl.reason = _reason(pl, hit, force, pl.rec, pl.now, cache.read_last(page.name), slices)
        if follows:
            pl.reason = (f"-p {', '.join(follows)}: it uses {'it' if len(follows) == 1 else 'them'} too, and built "
                         f"with other values it would disagree with the pages --only selects ({pl.reason})")
        plan.append(pl)
    return plan


def remember_reads(plan: list[Planned], cache: cachemod.Cache, slices: cachemod.DataSlices) -> None:
    """What a cached page read, as of this build: --explain then says what changed since."""
    for p in plan:
        if p.status == "cached" and p.now and p.now != p.rec_digests:
            cache.write_deps(p.static, p.now, slices.details(p.now))


_PART_WORDS = {
    "notebook": "its notebook changed",
    "notebook_path": "its notebook moved",
    "parameters": "its parameters changed",
    "package": "the evidence package changed (code, templates or styles under src/evidence)",
    "versions": "a library version, its section or the report title changed",
    "title": "its title changed",
    "kernel": "its kernel changed",
    "rows": "the rows it reads (manifest 'rows') changed",
    "name": "its name changed",
    "v": "the cache format changed",
}


def _reason(pl: Planned, hit: bool, force: bool, rec: dict | None, now: dict[str, str], last: dict | None,
            slices: cachemod.DataSlices) -> str:
    """Why a page executes, or why it does not (for --explain)."""
    label = slices.label
    if hit and not force:
        reads = ", ".join(label(d) for d in now) or "nothing from data/"
        if pl.parts.get("data") != "recorded":
            return "cached: nothing changed in data/, the notebook, its parameters or the code"
        return f"cached: nothing it read changed ({reads})"
    if force and hit:
        return "--force"
    if rec is not None:
        old = rec["digests"]
        details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
        changed = [label(d) + (f" ({w})" if (w := slices.what_changed(d, details.get(d))) else "")
                   for d in old if now.get(d) != old[d]]
        if changed:
            more = f" and {len(changed) - 6} more" if len(changed) > 6 else ""
            return f"changed: {', '.join(changed[:6])}{more}"
        return "not in the cache (pruned or removed)"
    if last is not None and isinstance(last.get("parts"), dict):
        old_parts = last["parts"]
        diff = [k for k in pl.parts if k != "data" and old_parts.get(k) != pl.parts[k]]
        if old_parts.get("data") != pl.parts.get("data"):
            if pl.parts.get("data") == "recorded":
                diff.append("data-recorded")
            else:
                diff.append("data-whole")
        if diff:
            words = [_PART_WORDS.get(k, {"data-recorded": "the data validated again: keyed on what it reads",
                                          "data-whole": "data/ changed and is not validated (--no-validate): "
                                                        "keyed on all of data/"}.get(k, k)) for k in diff]
            return "; ".join(dict.fromkeys(words))
    return "not built before with this cache"


def explain(plan: list[Planned], to_stdout: bool) -> None:
    width = max((len(p.page.name) for p in plan), default=0)
    lines = []
    for p in plan:
        status = {"execute": "execute", "cached": "cached", "skipped": "not built"}[p.status]
        reason = p.reason if p.status != "skipped" else "not selected by --only and not current"
        if p.status == "cached" and reason.startswith("cached: "):
            reason = reason[len("cached: "):]
        lines.append(f"  {p.page.name:<{width}}  {status:<9}  {reason}")
    text = "\n".join(lines)
    if to_stdout:
        print(text, flush=True)
    else:
        print(text, file=sys.stderr, flush=True)
