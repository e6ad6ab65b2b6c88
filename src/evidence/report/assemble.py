"""Assemble a report directory from the cache: pages, code pages, notebooks, results, the data and
the files pages publish as downloads, the data page and the index (the last step before the lint
and the swap, see :mod:`evidence.report.build`)."""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from evidence.report import provenance, render
from evidence.report.outdir import BuildError

DATA_FILES_EXTRA = ("datapackage.json", "README.md")

#: stands for "a page of the previous report" where a download's page is not rebuilt in this run
_PREVIOUS_BUILD = SimpleNamespace(name="previous-build", title="previous build (not current)")


@dataclass
class Build:
    """What the assembly needs to know about the build it finishes."""
    data_dir: Path
    data_sum: str
    n_data_files: int
    versions: dict[str, str]
    git: str
    validated: str
    built: str
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)     # filled in: skipped pages kept from the previous report


def _data_files(data_dir: Path) -> list[Path]:
    files = sorted(p for p in data_dir.glob("*.csv") if p.is_file())
    files += [data_dir / n for n in DATA_FILES_EXTRA if (data_dir / n).is_file()]
    return files


def _csv_rows(p: Path) -> int | None:
    from evidence.tables import count_rows

    return count_rows(p)


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _results(path: Path) -> dict | None:
    """A page's results JSON when it is an object, else None."""
    if not path.is_file():
        return None
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return results if isinstance(results, dict) else None


def _index_entry(page, results: dict | None, has_results: bool, summary: str, stale: bool) -> dict:
    name = page.name
    return {"name": name, "title": page.title, "href": f"pages/{name}.html", "code_href": f"code/{name}.html",
            "results_href": f"results/{name}.json" if has_results else "",
            "summary": summary, "description": page.description, "results": results, "stale": stale}


def _carry_over(previous: Path, tmp: Path, page) -> dict:
    """Copy one page of the previous report into the new one, unchanged; return its index entry."""
    name = page.name
    for sub, suffix in (("pages", ".html"), ("code", ".html"), ("notebooks", ".ipynb"), ("results", ".json")):
        src = previous / sub / f"{name}{suffix}"
        if src.is_file():
            shutil.copyfile(src, tmp / sub / f"{name}{suffix}")
    results = _results(tmp / "results" / f"{name}.json")
    return _index_entry(page, results, results is not None,
                        "Not current: kept from the previous build (--only); its footer names the build it came from.",
                        stale=True)


def _copy_page(entry: Path, tmp: Path, page, footer: str) -> tuple[dict, list[tuple[Path, Any]]]:
    """Copy one cached page into the report; (its index entry, the files it publishes)."""
    name = page.name
    shutil.copyfile(entry / "page.ipynb", tmp / "notebooks" / f"{name}.ipynb")
    for variant, sub in (("reader", "pages"), ("code", "code")):
        text = (entry / f"{variant}.html").read_text(encoding="utf-8")
        (tmp / sub / f"{name}.html").write_text(render.insert_footer(text, footer), encoding="utf-8")
    has_results = (entry / "results.json").is_file()
    if has_results:
        shutil.copyfile(entry / "results.json", tmp / "results" / f"{name}.json")
    results = _results(entry / "results.json")
    downloads = [(f, page) for f in sorted((entry / "downloads").iterdir()) if f.is_file()] \
        if (entry / "downloads").is_dir() else []
    summary = results.get("summary") if results and isinstance(results.get("summary"), str) else ""
    if summary.strip() == page.title.strip():
        summary = ""
    return _index_entry(page, results, has_results, summary, stale=False), downloads


def _publish(tmp: Path, data_dir: Path, page_downloads: list[tuple[Path, Any]]) -> list[dict]:
    """data/ files go to report/data/, files a page publishes to report/downloads/ (so a page's
    claims.csv of verdicts never collides with the curated data/claims.csv), each with its SHA-256."""
    files, lines, dl_lines = [], [], []
    for p, page in [(p, None) for p in _data_files(data_dir)] + page_downloads:
        sub = "data" if page is None else "downloads"
        (tmp / sub).mkdir(exist_ok=True)
        if (tmp / sub / p.name).exists():
            by = f"page {page.name!r}" if page is not None else "data/"
            raise BuildError(f"{by} publishes {p.name}, but report/{sub}/ already has a file of that name")
        shutil.copyfile(p, tmp / sub / p.name)
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        (lines if page is None else dl_lines).append(f"{digest}  {p.name}\n")
        files.append({"name": p.name, "href": f"{sub}/{p.name}", "size": _size(p.stat().st_size), "sha256": digest,
                      "rows": _csv_rows(p) if p.suffix == ".csv" else None,
                      "source": f"pages/{page.name}.html" if page not in (None, _PREVIOUS_BUILD) else "",
                      "source_title": page.title if page is not None else "data/"})
    (tmp / "data" / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    if dl_lines:
        (tmp / "downloads" / "SHA256SUMS").write_text("".join(dl_lines), encoding="utf-8")
    return files


def _build_line(b: Build) -> str:
    # no duration and no machine path in a page: two builds of the same inputs are byte-identical
    # (the duration goes to the build log in the cache)
    n_exec, n_cached = len(b.executed), len(b.cached)
    return (f"Built {b.built}: {n_exec} page{'s' if n_exec != 1 else ''} executed, {n_cached} from cache"
            + (f", {len(b.carried)} kept from the previous build (not current)" if b.carried else "")
            + (f", {len(b.skipped) - len(b.carried)} not built (--only)" if len(b.skipped) > len(b.carried) else "")
            + ".")


def _readme(readme: Path, memo: Path | None) -> str:
    """data/README.md as HTML (render.readme_html), remembered in ``memo`` by the text and the renderer's
    code: a build that executes nothing then does not import mistune (0.3 s) to render the same text."""
    from markupsafe import Markup

    if not readme.is_file():
        return ""
    text = readme.read_text(encoding="utf-8")
    if memo is None:
        return render.readme_html(text)
    try:
        from importlib.metadata import version

        renderer = f"mistune {version('mistune')}"
    except Exception:  # noqa: BLE001 - not installed: render.readme_html shows the text as it is
        renderer = "no mistune"
    key = hashlib.sha256(b"\0".join((Path(render.__file__).read_bytes(), renderer.encode("utf-8"),
                                      text.encode("utf-8")))).hexdigest()[:32]
    try:
        return Markup((memo / f"{key}.html").read_text(encoding="utf-8"))
    except OSError:
        pass
    out = render.readme_html(text)
    try:
        memo.mkdir(parents=True, exist_ok=True)
        for old in memo.glob("*.html"):
            old.unlink(missing_ok=True)
        (memo / f"{key}.html").write_text(str(out), encoding="utf-8")
    except OSError:
        pass
    return out


def _write_site_pages(tmp: Path, manifest, b: Build, files: list[dict], pages_ctx: dict, missing: dict,
                      footer: str, memo: Path | None = None) -> None:
    """The data page and the index."""
    data_html = render.render_site(
        "data.html.j2", page_title=f"Data · {manifest.title}",
        nav=render.nav(0, index_title=manifest.title, crumb="Data"),
        files=files, data_sum=b.data_sum, n_data_files=b.n_data_files,
        readme_html=_readme(b.data_dir / "README.md", memo))
    (tmp / "data.html").write_text(render.insert_footer(data_html, footer), encoding="utf-8")
    order = manifest.section_order()
    if "data" not in order:
        order.append("data")
    sections = []
    for sid in order:
        pages, miss = pages_ctx.get(sid, []), missing.get(sid, [])
        if not pages and not miss and sid != "data":
            continue
        sections.append({"id": sid, "anchor": f"section-{sid}", "title": manifest.section_title(sid),
                         "pages": pages, "missing": miss, "scorecard": render.scorecard(pages),
                         "articles": render.article_rows(pages) if sid == "articles" else None,
                         "first_column": "Article" if sid == "articles" else "Page"})
    index_html = render.render_site(
        "index.html.j2", page_title=manifest.title, nav=render.nav(0, index_title=manifest.title),
        title=manifest.title, description=manifest.description, sections=sections,
        n_pages=sum(len(s["pages"]) for s in sections), data_sum=b.data_sum, git=b.git,
        build_line=_build_line(b), data_files=files)
    (tmp / "index.html").write_text(render.insert_footer(index_html, footer), encoding="utf-8")


def assemble(tmp: Path, cache, plan: list, manifest, b: Build, previous: Path | None = None) -> str:
    """Write the report into ``tmp`` from the cache entries of the planned pages (``plan``: objects with
    ``page``, ``status`` and ``key``); pages --only left out come from ``previous`` (``b.carried``).
    Returns the footer inserted into every page."""
    for sub in ("pages", "code", "notebooks", "results", "data"):
        (tmp / sub).mkdir()
    render.write_static(tmp)   # the one stylesheet and script every page links (report/static/)
    footer = {d: render.footer(git=b.git, data_sum=b.data_sum, versions=b.versions,
                               packages=provenance.FOOTER_PACKAGES, built=b.built, validated=b.validated, depth=d)
              for d in (0, 1)}
    pages_ctx: dict[str, list[dict]] = {}
    page_downloads: list[tuple[Path, Any]] = []
    missing: dict[str, list[dict]] = {}
    for pl in plan:
        page = pl.page
        if pl.status != "skipped":
            ctx, downloads = _copy_page(cache.entry(pl.key), tmp, page, footer[1])
            pages_ctx.setdefault(page.section, []).append(ctx)
            page_downloads += downloads
        elif previous is not None and (previous / "pages" / f"{page.name}.html").is_file():
            # --only left this page out and it is not current: keep the previous report's copy as it was
            # (its own footer still names the build it came from) rather than dropping it
            pages_ctx.setdefault(page.section, []).append(_carry_over(previous, tmp, page))
            b.carried.append(page.name)
        else:
            missing.setdefault(page.section, []).append({"title": page.title, "name": page.name})
    if previous is not None and b.carried and (previous / "downloads").is_dir():
        produced = {f.name for f, _ in page_downloads}
        for f in sorted((previous / "downloads").iterdir()):
            if f.is_file() and f.name != "SHA256SUMS" and f.name not in produced:
                page_downloads.append((f, _PREVIOUS_BUILD))
    files = _publish(tmp, b.data_dir, page_downloads)
    _write_site_pages(tmp, manifest, b, files, pages_ctx, missing, footer[0], cache.root / "readme")
    return footer[1]
