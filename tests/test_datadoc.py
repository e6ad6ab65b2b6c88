"""data/README.md documents every table and column, and its Variable | Source | Notes tables are current."""
import json
from pathlib import Path

from evidence.datadoc import render_readme
from evidence.db import load_db

DATA = Path(__file__).resolve().parents[1] / "data"


def test_readme_variable_tables_are_current():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme, load_db(DATA)) == readme, "run: python -m evidence.datadoc"


def test_readme_documents_every_column():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    dictionary = readme.split("## How the tables were curated")[0]
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    missing = [f"{r['name']}.{f['name']}" for r in package["resources"] for f in r["schema"]["fields"]
               if f["name"] not in dictionary]
    assert not missing, missing
