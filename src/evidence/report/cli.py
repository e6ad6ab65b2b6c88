"""``evidence report``: execute the notebooks and build the offline HTML report.

Only argparse is imported here, so that ``evidence --help`` stays fast; the
build (and papermill/nbconvert, only when a page must run) is imported by
:func:`run`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Execute the notebooks listed in the manifest with papermill and build an offline
HTML report: one reader's page per notebook (code hidden), a researcher's page
with the code (code/), the executed notebooks (notebooks/), their results
(results/), the data as downloads (data/, data.html) and an index with a
scorecard. No page loads anything from the network.

A page is executed again only when its notebook, its parameters, the evidence
package or what it read of data/ changed; everything else comes from the cache
(.cache/report/). What a page read is recorded while it runs: the tables it
used (or, where the manifest gives a row filter such as rows = { claims =
"article_id" }, only that page's rows; where it declares columns such as
columns = { claims = "claim_id, source_ids" }, only those columns) and any
other file of data/ it opened. Editing one claim re-executes its article's page
and the pages that read the edited column of every claim, nothing else;
--explain says why each page runs (which file, rows and columns changed).
The report is built next to the output and swapped in at the end: a failing
notebook or invalid data leaves the previous report as it was."""

EPILOG = """\
examples:
  evidence report                          build report/ (only what changed)
  evidence report --force --jobs 4         execute every page again, 4 at a time
  evidence report --only 'article-*'       execute only the article pages
  evidence report --dry-run                say what would execute and why, and stop
  evidence report -p approx_rel_tol=0.05   override a parameter in every page that declares it

notebooks: the pipeline injects `results_path` (write your results JSON there),
`downloads_dir` (files written there are published in report/downloads/) and
`data_dir` (the data directory, relative to the notebook) into every notebook
whose `parameters` cell declares them.

exit status:
  0    the report was built
  1    a page failed (a cell raised, the kernel died, a cell ran past --timeout, a page
       that declares results_path wrote none), the data directory does not exist or the
       data did not validate
  2    usage error: a bad option value (--jobs 0, --timeout 0 or below 1 s), a manifest
       or notebook that cannot be used (not JSON, not a notebook, no code)
  3    the cache, the report's directory or the previous report cannot be written
       (checked before anything is executed)
  4    the new report fails the reader lint (a page shows an internal code or id, a
       raw float, a build leak, a bare address, or two pages disagree); each finding
       is printed as "page: rule: text" (--no-lint skips the lint)
  130  interrupted (143: terminated): the build stops at its next checkpoint and
       kills its kernels; the previous report is unchanged in every case but 0 (a
       signal during the final swap lets the build finish)"""


#: the shortest --timeout: a cell's limit below a second fails every page (a kernel takes longer to answer)
MIN_TIMEOUT_S = 1.0


def register(sub, name, help_):
    p = sub.add_parser(name, help=help_, description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="pages executed in parallel (default: number of CPUs)")
    p.add_argument("-f", "--force", action="store_true", help="execute every page again, ignoring the cache")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="execute only this page: a page name, a manifest entry name (all its pages) or a "
                        "glob such as 'article-*'; repeatable. Other pages are taken from the cache "
                        "when they are current, else kept as they were in the previous report and "
                        "marked 'not current' on the index")
    p.add_argument("-p", "--param", dest="params", action="append", metavar="NAME=VALUE",
                   help="set parameter NAME in every page that declares it (manifest or the notebook's "
                        "parameters cell); VALUE is parsed as JSON when it can be (3, 0.5, true, null, "
                        "\"text\", [1,2]), else taken as a string; repeatable")
    p.add_argument("--manifest", type=Path, default=None, metavar="PATH",
                   help="the report manifest (default: notebooks/manifest.toml here, else the one "
                        "beside the data directory)")
    p.add_argument("--out", type=Path, default=Path("report"), metavar="DIR",
                   help="output directory, replaced as a whole on success (default: report/)")
    p.add_argument("--data", type=Path, default=None, metavar="DIR",
                   help="data directory (default: $EVIDENCE_DATA, else ./data when it holds a "
                        "datapackage.json, else the repository's data/ as `evidence validate` finds it)")
    p.add_argument("--cache", type=Path, default=Path(".cache/report"), metavar="DIR",
                   help="cache of executed pages (default: .cache/report/)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="fail a page when one cell runs longer than this (at least 1; a fraction is rounded up "
                        "to the next whole second; default: no limit)")
    p.add_argument("--no-validate", dest="validate", action="store_false",
                   help="skip `evidence validate` of the data before building (footers then say so)")
    p.add_argument("--no-lint", dest="lint", action="store_false",
                   help="do not run the reader lint on the new report before it replaces the old one "
                        "(by default any finding fails the build with exit status 4)")
    p.add_argument("--explain", action="store_true",
                   help="before building, say for each page why it executes (what changed: its notebook, "
                        "its parameters, the code, or which data it read) or why it comes from the cache")
    p.add_argument("-n", "--dry-run", action="store_true",
                   help="only print what --explain says (on stdout); execute and write nothing")
    p.add_argument("--no-daemon", dest="daemon", action="store_false",
                   help="do not use (or leave behind) the warm kernel server that a build keeps for the next "
                        "one for 10 minutes (same pages either way; EVIDENCE_REPORT_DAEMON=0 does the same)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary; errors only")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from evidence.report.build import Options, build

    if args.jobs is not None and args.jobs < 1:
        print(f"evidence report: --jobs {args.jobs}: must be at least 1", file=sys.stderr)
        return 2
    if args.timeout is not None and not (0 < args.timeout < float("inf")):
        print(f"evidence report: --timeout {args.timeout:g}: must be a number of seconds above 0",
              file=sys.stderr)
        return 2
    if args.timeout is not None and args.timeout < MIN_TIMEOUT_S:
        print(f"evidence report: --timeout {args.timeout:g}: too short to start a kernel and run a cell; "
              f"give at least {MIN_TIMEOUT_S:g} second", file=sys.stderr)
        return 2
    opts = Options(manifest=args.manifest, out=args.out, data=args.data, cache=args.cache, jobs=args.jobs,
                   force=args.force, only=args.only or [], params=args.params or [], quiet=args.quiet,
                   validate=args.validate, timeout=args.timeout, explain=args.explain, dry_run=args.dry_run,
                   lint=args.lint, **({} if args.daemon else {"daemon": False}))
    return build(opts).exit_code
