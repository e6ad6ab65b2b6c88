"""Computations behind the report's pages: one module per notebook in ``notebooks/``.

Each evidence page has a module here with a ``page(db, ...)`` function that
returns a small result object: the tables, charts' frames and sentences the
notebook shows, and ``to_json()``, the page's results JSON (``summary`` and,
where the page gives verdicts, ``verdict_counts``; see notebooks/manifest.toml).
Notebooks only call these, display the result and narrate it: every number a
page states is computed, and unit-tested, here.

=====================  ==============================
module                 page
=====================  ==============================
``common``             shared: loading, parameters, source labels, JSON
``article``            notebooks/article.ipynb (one per article)
``meta_analysis``      notebooks/meta_analysis.ipynb (what a printed result implies: ``meta_implied``)
``dose_route_onset``   notebooks/dose_route_onset.ipynb
``real_world``         notebooks/real_world.ipynb
``prevalence``         notebooks/prevalence.ipynb
``evidence_map``       notebooks/evidence_map.ipynb
``methods``            notebooks/methods.ipynb
=====================  ==============================

The functions of every module are also importable from ``evidence.analyses``
itself (``from evidence import analyses as A; A.load()``).
"""
from __future__ import annotations

from evidence.analyses.common import *  # noqa: F401,F403
from evidence.analyses.common import _frame, _get, _ids, _num  # noqa: F401
from evidence.analyses.article import *  # noqa: F401,F403
from evidence.analyses.common import _claims_table  # noqa: F401
from evidence.analyses.article import _scale_key  # noqa: F401
from evidence.analyses.meta_analysis import *  # noqa: F401,F403
from evidence.analyses.dose_route_onset import *  # noqa: F401,F403
from evidence.analyses.real_world import *  # noqa: F401,F403
from evidence.analyses.prevalence import *  # noqa: F401,F403
from evidence.analyses.prevalence import _prevalence_spec_id  # noqa: F401
from evidence.analyses.evidence_map import *  # noqa: F401,F403
from evidence.analyses.methods import *  # noqa: F401,F403
