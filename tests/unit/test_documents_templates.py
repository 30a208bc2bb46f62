"""Word templates: the built-in ones offer only listed fields; an uploaded one is checked before saving."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pandas as pd
import pytest
from docx import Document

from kooperacja.documents import custom, pictures
from kooperacja.documents.build_templates import TEMPLATES
from kooperacja.documents.catalog import COMMON, KINDS, PLACEHOLDERS
from kooperacja.model.errors import InvalidInput

NOT_DOCX = re.escape("to nie jest plik Word .docx")


def docx_with(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_every_kind_has_its_placeholders_a_generator_and_a_committed_template():
    assert set(KINDS) == set(PLACEHOLDERS) == set(TEMPLATES)
    for kind in KINDS:
        assert (custom.BUILT_IN / f"{kind}.docx").is_file(), kind


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_built_in_template_uses_only_its_listed_fields_and_shows_the_rops_and_the_date(kind):
    used = custom.check_template(kind, custom.built_in(kind))
    assert set(COMMON) <= used
    assert len(used) >= 5


def test_the_built_in_meeting_protocol_and_gmina_card_show_every_field_they_offer():
    for kind in ("protokol_spotkania", "karta_gminy", "karta_planu_pracy", "zgloszenie"):
        assert custom.check_template(kind, custom.built_in(kind)) == set(PLACEHOLDERS[kind]), kind


def test_a_template_naming_an_unknown_field_is_refused_with_its_name_in_polish():
    content = docx_with("Gmina {{ gmina }}", "Klient: {{ nazwisko_klienta }}")
    with pytest.raises(InvalidInput) as refused:
        custom.check_template("zgloszenie", content)
    message = refused.value.message
    assert message.startswith(
        "Szablon używa nieznanego pola „{{ nazwisko_klienta }}” — dostępne pola: rops, data"
    )
    assert "gmina" in message and "„{{ gmina }}”" not in message


def test_two_unknown_fields_are_both_named():
    with pytest.raises(InvalidInput, match=re.escape("nieznanych pól „{{ a1 }}”, „{{ b2 }}”")):
        custom.check_template("karta_gminy", docx_with("{{ b2 }} {{ a1 }} {{ gmina }}"))


def test_a_loop_over_a_listed_list_passes():
    content = docx_with("{% for c in czlonkowie %}{{ c.nazwa }}{% endfor %}", "{{ stan_na }}")
    assert custom.check_template("porozumienie_pzk", content) == {"czlonkowie", "stan_na"}


@pytest.mark.parametrize(
    "content",
    [b"to nie jest dokument", b"", b"PK\x03\x04zepsuty"],
    ids=["text", "empty", "broken zip"],
)
def test_a_file_that_is_not_a_docx_is_refused(content):
    with pytest.raises(InvalidInput, match=NOT_DOCX):
        custom.check_template("zgloszenie", content)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("content.xml", "<office/>")
    with pytest.raises(InvalidInput, match=NOT_DOCX):
        custom.check_template("zgloszenie", out.getvalue())


def test_a_broken_placeholder_is_refused_before_anyone_relies_on_it():
    with pytest.raises(InvalidInput, match="Szablon: błąd w polu lub pętli"):
        custom.check_template("zgloszenie", docx_with("{{ gmina "))


def test_an_unknown_kind_is_named_with_the_known_ones():
    with pytest.raises(Exception, match="Nie ma dokumentu „faktura”; dostępne: zgloszenie"):
        custom.check_template("faktura", docx_with("x"))


def test_the_gantt_is_a_png_drawn_without_a_browser():
    plan = pd.DataFrame(
        {
            "substep": ["1.1", "8", "8"],
            "title": ["Spotkanie z władzami gminy — żółć", "Posiedzenie WZK", "Posiedzenie WZK"],
            "planned_start": [date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1)],
            "planned_due": [date(2026, 1, 31), date(2026, 3, 31), date(2026, 6, 30)],
            "status": ["done", "overdue", "not_yet_due"],
        }
    )
    png = pictures.gantt_png(plan, date(2026, 5, 1), dpi=40)
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_committed_template_names_the_fields_the_generator_writes(kind):
    out = io.BytesIO()
    TEMPLATES[kind]().save(out)  # python -m kooperacja.documents.build_templates rewrites the files
    assert custom.template_fields(out.getvalue()) == custom.template_fields(custom.built_in(kind))
