"""One home per rule: each rule is written once and its readers ask it (architecture issue, item 3).

The scans read the source tree (kooperacja/ and pages/) as syntax trees, so a docstring or a
comment may still talk about "<5" or "7 dni"; a string or a comparison the user sees may not.
"""

from __future__ import annotations

import ast
import doctest
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from kooperacja.model import disclosure
from kooperacja.model.access import Actor

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "kooperacja", ROOT / "pages", ROOT / "app.py"]


def _files() -> Iterator[Path]:
    for place in SOURCES:
        yield from ([place] if place.is_file() else sorted(place.rglob("*.py")))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """String constants that are not docstrings; the parts of an f-string count one by one."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


def _parsed() -> Iterator[tuple[str, ast.AST]]:
    for path in _files():
        yield _rel(path), ast.parse(path.read_text(encoding="utf-8"))


# --- 1. the small-count disclosure rule -------------------------------------------------------


def test_the_disclosure_threshold_is_written_only_in_disclosure_py():
    found = []
    for name, tree in _parsed():
        if name == "kooperacja/model/disclosure.py":
            continue
        for node in _strings(tree):
            if "<5" in node.value or "niż 5" in node.value or "od 1 do 4" in node.value:
                found.append(f"{name}:{node.lineno} {node.value!r}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(
                isinstance(v, ast.Constant) and v.value == disclosure.THRESHOLD
                for v in [node.left, *node.comparators]
            ):
                if name.startswith("kooperacja/demo/"):
                    continue  # the demo's own arithmetic (slot == 5), not a count shown to anybody
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_no_copy_of_the_disclosure_helpers_is_left():
    copies = ("suppress_small", "SMALL_COUNT", "SMALL_LIMIT", "SMALL_LABEL", "_small")
    found = [
        f"{name}:{node.lineno} {getattr(node, 'name', None) or getattr(node, 'id', '')}"
        for name, tree in _parsed()
        for node in ast.walk(tree)
        if (isinstance(node, ast.FunctionDef) and node.name in copies)
        or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in (*copies, "SMALL"))
    ]
    assert found == []


def test_one_suppression_for_a_count_a_sentence_and_a_frame():
    assert [disclosure.suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert disclosure.suppress(3, hidden=False) == 3
    assert disclosure.suppress_text(3) == "<5" and disclosure.suppress_text(3, hidden=False) == "3"
    frame = disclosure.suppress_frame(pd.DataFrame({"n": [0, 3, 7], "x": [1, 2, 3]}), ["n"])
    assert frame.n.tolist() == [0, "<5", 7] and frame.x.tolist() == [1, 2, 3]
    blanked = disclosure.blank_where_small(pd.DataFrame({"n": [3, 9], "median": [4.0, 6.0]}), ["median"], "n")
    assert blanked["median"].tolist() == [None, 6.0]
    assert f"<{disclosure.THRESHOLD}" == disclosure.LABEL


def test_who_sees_small_counts_is_access_and_how_is_disclosure():
    assert [disclosure.hides(Actor("u", role)) for role in ("admin", "animator", "wzk", "zarzad")] == [
        False,
        False,
        True,
        True,
    ]


def test_the_disclosure_doctests_hold():
    assert doctest.testmod(disclosure).failed == 0
