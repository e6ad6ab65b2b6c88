"""requirements.lock, environment.yml and pyproject.toml list the same packages and pins."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"unpinned line in requirements.lock: {line}"
            pins[_norm(name)] = version
    return pins


def test_environment_yml_matches_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    env_pins = {_norm(p.split("==")[0]): p.split("==")[1] for p in pip}
    assert env_pins == lock_pins()


def test_pyproject_dependencies_are_pinned_in_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = lock_pins()
    missing = [d for d in wanted if _norm(re.split(r"[<>=!~\[ ]", d)[0]) not in pins]
    assert not missing, f"pyproject dependencies missing from requirements.lock: {missing}"


def test_required_stack_present():
    pins = lock_pins()
    for name in ("pandas", "matplotlib", "statsmodels", "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel"):
        assert name in pins
    assert pins["statsmodels"].startswith("0.15")


def test_only_the_parts_of_jupyter_the_pipeline_uses():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_norm(re.split(r"[<>=!~\[ ]", d)[0]) for d in project["dependencies"]}
    assert "jupyter" not in runtime and "pyyaml" not in runtime      # pyyaml is a test dependency only
    pins = lock_pins()
    for meta in ("jupyter", "jupyterlab", "notebook", "jupyter-server", "jupyter-console", "ipywidgets"):
        assert meta not in pins, f"{meta} is pinned but nothing uses it"
