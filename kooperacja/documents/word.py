"""A Word document from its template (the ROPS's own or the built-in) and the record's context."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import duckdb
import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from kooperacja.documents import contexts, custom
from kooperacja.documents.catalog import KINDS
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput


def _pictures(tpl: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    return {
        k: InlineImage(tpl, io.BytesIO(v.png), width=Mm(v.width_mm)) if isinstance(v, contexts.Picture) else v
        for k, v in context.items()
    }


def fill(template: bytes, context: dict[str, Any]) -> bytes:
    """The template rendered with `context` (text escaped for Word's XML), as .docx bytes."""
    tpl = DocxTemplate(io.BytesIO(template))
    try:
        tpl.render(_pictures(tpl, context), autoescape=True)
    except jinja2.TemplateError as exc:
        why = exc.message or type(exc).__name__
        raise InvalidInput([f"Szablon dokumentu: nie da się go wypełnić ({why})"]) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render(
    conn: duckdb.DuckDBPyConnection, actor: Actor, kind: str, key: object, today: date, **prepared: Any
) -> bytes:
    """The document `kind` of the record `key` as `actor` may read it, dated `today`.

    `prepared` passes what the caller has read already (the gmina card's `alerts`).
    """
    context = contexts.build(conn, actor, kind, str(key), today, **prepared)
    return fill(custom.template_for(conn, kind), context)


__all__ = ["KINDS", "fill", "render"]
