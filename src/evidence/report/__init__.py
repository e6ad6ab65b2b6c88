"""The report pipeline behind ``evidence report``.

* :mod:`.manifest` - the TOML manifest of pages (``notebooks/manifest.toml``)
* :mod:`.cache` - checksums, cache keys and the page cache (``.cache/report/``)
* :mod:`.execute` - papermill execution and HTML export of one page
* :mod:`.render` - navigation, index, data page, footer, offline check
* :mod:`.build` - the whole build: plan, execute in parallel, assemble, swap
* :mod:`.cli` - the ``evidence report`` subcommand

Nothing heavy is imported at package import time.
"""
