"""Issue 11's size limits over the whole package: no function over 80 lines, no module over 800.

Measured with :mod:`ast`: a function's length runs from its ``def`` line to its last line
(``end_lineno - lineno + 1``, decorators not counted); a module's length is its number of lines.
The pieces that are too big today are listed in ``KNOWN_OVERSIZE`` with the helper who owns
them. The test fails when a new one appears *and* when a listed one has been brought under the
limit but is still listed (remove its entry when you fix it), as ``KNOWN_HIDDEN_CYCLES`` in
tests/test_data_layer.py does for import cycles.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src" / "evidence"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 800

#: today's offenders: "path/under/src/evidence.py" for a module, "path.py:qualified.name" for a function
KNOWN_OVERSIZE = {
}


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) for every function, nested ones and methods included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def oversize(root: Path = SRC) -> dict[str, int]:
    """Every module over MAX_MODULE_LINES and function over MAX_FUNCTION_LINES under root, with its length."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found[rel] = len(text.splitlines())
        for name, node in _functions(ast.parse(text, filename=str(path))):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found[f"{rel}:{name}"] = length
    return found


def test_no_new_oversize_function_or_module():
    new = {k: v for k, v in oversize().items() if k not in KNOWN_OVERSIZE}
    assert new == {}, f"over the limit ({MAX_FUNCTION_LINES} lines a function, {MAX_MODULE_LINES} a module): split it"


def test_every_listed_offender_is_still_too_big():
    fixed = sorted(set(KNOWN_OVERSIZE) - set(oversize()))
    assert fixed == [], "now within the limit (or renamed): remove it from KNOWN_OVERSIZE"


def test_the_measure_counts_what_it_should(tmp_path):
    # a synthetic package: one function of exactly 80 lines (allowed), one of 81, a method of 81
    # nested in a class, a nested function of 81, and a module of 801 lines
    body = "\n".join("    x = 1" for _ in range(79))
    ok = f"def ok():\n{body}\n"                       # 1 + 79 = 80 lines
    long = f"def long():\n{body}\n    return x\n"     # 81 lines
    method = "class C:\n" + "\n".join("    " + ln for ln in long.replace("long", "meth").splitlines()) + "\n"
    nested = "def outer():\n" + "\n".join("    " + ln for ln in long.replace("long", "inner").splitlines()) + "\n"
    (tmp_path / "a.py").write_text(ok + long + method + nested, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "big.py").write_text("x = 1\n" * 801, encoding="utf-8")
    (tmp_path / "sub" / "fits.py").write_text("x = 1\n" * 800, encoding="utf-8")
    assert oversize(tmp_path) == {"a.py:long": 81, "a.py:C.meth": 81, "a.py:outer": 82, "a.py:outer.inner": 81,
                                  "sub/big.py": 801}
