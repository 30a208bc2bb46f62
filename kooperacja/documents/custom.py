"""The ROPS's own templates: checked before saving, stored per kind, restored to the built-in one.

The audit trail records each upload and restore with the file's size and SHA-256 (not its bytes).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pandas as pd

from kooperacja.documents.catalog import KINDS, PLACEHOLDERS
from kooperacja.model import access
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput, NotFound
from kooperacja.model.formatting import fmt_datetime
from kooperacja.model.records import correction_reason
from kooperacja.warehouse import audit, transaction
from kooperacja.warehouse.store import stale

BUILT_IN = Path(__file__).resolve().parent.parent / "data" / "templates"
MAX_BYTES = 10 * 1024 * 1024
TABLE = "document_template"
NOT_DOCX = "Szablon: to nie jest plik Word .docx (zapisz szablon jako „Dokument programu Word”)"


def built_in(kind: str) -> bytes:
    return (BUILT_IN / f"{_known(kind)}.docx").read_bytes()


def _known(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(f"Nie ma dokumentu „{kind}”; dostępne: {', '.join(KINDS)}.")
    return kind


def template_fields(content: bytes) -> set[str]:
    """The placeholders a .docx template names (its Jinja variables), or InvalidInput in Polish."""
    if len(content) > MAX_BYTES:
        raise InvalidInput([f"Szablon: plik większy niż {MAX_BYTES // (1024 * 1024)} MB"])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if "word/document.xml" not in z.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise InvalidInput([NOT_DOCX]) from None
    from docxtpl import DocxTemplate  # loaded when a template is checked, not with the admin page

    try:
        return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables())
    except jinja2.TemplateSyntaxError as exc:
        where = f"wiersz {exc.lineno} kodu szablonu"
        raise InvalidInput([f"Szablon: błąd w polu lub pętli ({where}): {exc.message}"]) from None
    except Exception as exc:  # a damaged package python-docx cannot open
        raise InvalidInput([f"Szablon: nie można odczytać pliku .docx ({type(exc).__name__})"]) from None


def check_template(kind: str, content: bytes) -> set[str]:
    """Refuse a template naming a placeholder the document does not offer; returns the names used."""
    offered = PLACEHOLDERS[_known(kind)]
    used = template_fields(content)
    unknown = sorted(used - set(offered))
    if unknown:
        names = ", ".join(f"„{{{{ {u} }}}}”" for u in unknown)
        field = "nieznanego pola" if len(unknown) == 1 else "nieznanych pól"
        raise InvalidInput([f"Szablon używa {field} {names} — dostępne pola: {', '.join(offered)}"])
    return used


def _summary(kind: str, content: bytes, by: str, at: datetime) -> dict[str, Any]:
    digest = hashlib.sha256(content).hexdigest()
    return {"kind": kind, "bytes": len(content), "sha256": digest, "uploaded_by": by, "uploaded_at": at}


SELECT = "SELECT kind, content, uploaded_by, uploaded_at, row_version FROM document_template WHERE kind = ?"


def _stored(cur: duckdb.DuckDBPyConnection, kind: str) -> tuple[Any, ...] | None:
    rows = cur.execute(SELECT, [kind]).fetchall()
    return rows[0] if rows else None


def upload(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    kind: str,
    content: bytes,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Save the ROPS's template for `kind` (admin only): the next download of that document uses it."""
    access.require_admin(actor)
    check_template(kind, content)
    with transaction(conn) as cur:
        before = _stored(cur, kind)
        if before is not None and expected_version is not None and before[4] != expected_version:
            raise stale(cur, TABLE, kind)
        after = _summary(kind, content, actor.username, now)
        if before is None:
            cur.execute(
                "INSERT INTO document_template (kind, content, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?)",
                [kind, content, actor.username, now],
            )
            audit(cur, actor.username, "insert", TABLE, kind, None, after)
        else:
            cur.execute(
                "UPDATE document_template SET content = ?, uploaded_by = ?, uploaded_at = ?, "
                "row_version = row_version + 1 WHERE kind = ?",
                [content, actor.username, now, kind],
            )
            audit(cur, actor.username, "update", TABLE, kind, _summary(kind, *before[1:4]), after)


def restore(
    conn: duckdb.DuckDBPyConnection, actor: Actor, kind: str, reason: str, expected_version: int | None = None
) -> None:
    """Go back to the built-in template of `kind` (admin only, with a reason kept in the history)."""
    access.require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        before = _stored(cur, _known(kind))
        if before is None:
            raise NotFound(f"{KINDS[kind].title}: używany jest już szablon wbudowany.")
        if expected_version is not None and before[4] != expected_version:
            raise stale(cur, TABLE, kind)
        cur.execute("DELETE FROM document_template WHERE kind = ?", [kind])
        audit(cur, actor.username, "delete", TABLE, kind, _summary(kind, *before[1:4]), None, reason=reason)


def template_for(conn: duckdb.DuckDBPyConnection, kind: str) -> bytes:
    """The template the next download of `kind` uses: the uploaded one, else the built-in."""
    try:
        stored = _stored(conn.cursor(), _known(kind))
    except duckdb.CatalogException:  # a warehouse opened read-only before migration 0012
        stored = None
    return bytes(stored[1]) if stored is not None else built_in(kind)


LIST = "SELECT kind, uploaded_by, uploaded_at, row_version FROM document_template"


def list_templates(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every document kind with the template it uses: „wbudowany” or who uploaded the ROPS's own, when."""
    stored = {r[0]: r[1:] for r in conn.cursor().execute(LIST).fetchall()}
    rows = []
    for kind, info in KINDS.items():
        by, at, version = stored.get(kind, (None, None, None))
        rows.append(
            {
                "kind": kind,
                "title": info.title,
                "template": "wbudowany" if by is None else f"własny ROPS ({by}, {fmt_datetime(at)})",
                "custom": by is not None,
                "row_version": version,
            }
        )
    return pd.DataFrame(rows)
