"""The architecture's boundaries: the domain runs without Streamlit, pages hold no SQL."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import kooperacja

ROOT = Path(__file__).resolve().parents[2]


def test_every_domain_module_imports_without_streamlit():
    domain = [
        m.name
        for m in pkgutil.walk_packages(kooperacja.__path__, "kooperacja.")
        if not m.name.startswith("kooperacja.ui") and m.name != "kooperacja.__main__"
    ]
    assert len(domain) > 20
    code = (f"import sys\nfor m in {domain!r}:\n    __import__(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
            "print(bad)\nsys.exit(1 if bad else 0)")  # fmt: skip
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_pages_hold_no_sql_and_no_database_access():
    for page in sorted((ROOT / "pages").glob("*.py")):
        text = page.read_text(encoding="utf-8")
        assert "import duckdb" not in text, page.name
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\s+\S", text), page.name
        assert ".execute(" not in text, page.name


def test_the_import_contracts_hold():
    """pyproject's [tool.importlinter]: the capability layers, Streamlit only in ui, a pure model (< 1 s)."""
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    run = subprocess.run(
        [sys.executable, "-c", code, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
