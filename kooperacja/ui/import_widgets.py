"""Registry export and import on the page: download, upload, report, explicit write with progress."""

from __future__ import annotations

import hashlib

import duckdb
import streamlit as st

from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.mapping import REGISTRIES, errors_count
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput, KooperacjaError
from kooperacja.model.formatting import fmt_number, plural
from kooperacja.ui import errors, session, widgets
from kooperacja.ui.text import plain

UPLOADS = "f_imp_uploads"  # bumped after a write: the next run starts with an empty uploader
PARSED_KEPT = 4  # parsed uploads kept (by content): a file sitting in the uploader is read once


def parsed_upload(data: bytes, filename: str, table: str | None) -> exchange.ParsedImport:
    """The file parsed once per content (sha256), not on every rerun while it sits in the uploader;
    a refusal is remembered too. Raises InvalidInput as parse_file does."""
    outcome = _parse_once(hashlib.sha256(data).hexdigest(), filename, table, data)
    if isinstance(outcome, list):
        raise InvalidInput(outcome)
    return outcome


# cache_resource, not cache_data: cache_data unpickles its copy on every read, 2.5 s for 50 000 parsed
# rows (parsing them is 3.3 s). The shared object is only read: check_import and apply_import return
# new objects and leave the parsed file as it was.
@st.cache_resource(max_entries=PARSED_KEPT, ttl="1h", show_spinner="Wczytywanie pliku…")
def _parse_once(
    digest: str, filename: str, table: str | None, _data: bytes
) -> exchange.ParsedImport | list[str]:
    # `_data` is left out of the cache key (Streamlit skips arguments named with "_"): `digest` is it.
    try:
        return exchange.parse_file(_data, filename, table)
    except InvalidInput as exc:
        return exc.problems


EXPORTED = "exp_all_xlsx"  # the prepared export, kept for its download button


def export_section(conn: duckdb.DuckDBPyConnection) -> None:
    st.subheader("Eksport rejestrów")
    st.caption(
        "Jeden arkusz na rejestr, polskie nagłówki i nazwy, daty jako daty, listy rozwijane. Zmieniony "
        "plik można wczytać z powrotem: import pokaże każdą zmienioną komórkę i zapisze ją po potwierdzeniu."
    )
    if st.button("Przygotuj XLSX wszystkich rejestrów", key="f_exp_make", icon=":material/table_view:"):
        bar = st.progress(0.0, text="Eksport rejestrów…")

        def shown(done: int, total: int, sheet: str) -> None:
            bar.progress(done / max(total, 1), text=f"Eksport rejestrów: {sheet}")

        st.session_state[EXPORTED] = exchange.export_registries(conn, progress=shown)
        bar.empty()
    if EXPORTED not in st.session_state:
        return
    st.download_button(
        "Pobierz XLSX wszystkich rejestrów",
        data=st.session_state[EXPORTED],
        file_name="rejestry.xlsx",
        mime=widgets.XLSX_MIME,
        key="f_exp_all",
        on_click="ignore",
        icon=":material/download:",
    )


def import_section(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Import z Excela, LibreOffice albo CSV")
    upload = st.file_uploader(
        "Plik XLSX, XLSM, XLS, ODS albo CSV (nagłówki jak w eksporcie; może być spakowany w .zip)",
        type=["xlsx", "xlsm", "xls", "ods", "csv", "zip"],
        key=f"f_imp_file_{st.session_state.get(UPLOADS, 0)}",
    )
    tables = {"": "według nazw arkuszy / nagłówków", **{t: r.sheet for t, r in REGISTRIES.items()}}
    table = st.selectbox(
        "Rejestr", list(tables), format_func=tables.__getitem__, key="f_imp_table", **widgets.SELECT
    )
    if upload is None:
        return
    try:
        parsed = exchange.check_import(
            conn, actor, parsed_upload(upload.getvalue(), upload.name, table or None), today=session.today()
        )
    except KooperacjaError as exc:
        errors.show(exc)
        return
    st.markdown("  \n".join(plain(line) for line in parsed.summary()))
    widgets.table(parsed.report(), "f_imp_report", "raport_importu")
    changes = parsed.changes()
    if not changes.empty:
        st.markdown(
            f"**Zmienione komórki** ({plural(len(changes), 'zmiana', 'zmiany', 'zmian')}: przed → po)"
        )
        widgets.table(changes, "f_imp_changes", "zmiany_importu")
    if not parsed.errors and not parsed.to_write:
        st.info("Plik nie zmienia niczego w hurtowni: wszystkie wiersze są takie jak zapisane.")
    if st.button(
        "Zapisz", key="f_imp_all", disabled=bool(parsed.errors) or not parsed.to_write, type="primary"
    ):
        _apply(conn, actor, parsed, "all_or_nothing")
    if parsed.errors:
        st.warning(f"Plik ma {errors_count(len(parsed.errors))}: „Zapisz” jest wyłączone.")
        sure = st.checkbox(
            "Rozumiem: zapisz tylko poprawne wiersze, wiersze z błędami pominę", key="f_imp_sure"
        )
        if st.button("Zapisz tylko poprawne wiersze", key="f_imp_valid", disabled=not sure):
            _apply(conn, actor, parsed, "valid_only")


def _apply(conn: duckdb.DuckDBPyConnection, actor: Actor, parsed: exchange.ParsedImport, mode: str) -> None:
    bar = st.progress(0.0, text="Zapisywanie…")

    def progress(done: int, total: int) -> None:
        bar.progress(
            done / max(total, 1),
            text=f"Zapisano {fmt_number(done)} z {plural(total, 'wiersza', 'wierszy', 'wierszy')}",
        )

    try:
        result = exchange.apply_import(conn, actor, parsed, mode, progress, today=session.today())
    except KooperacjaError as exc:
        errors.show(exc)
        return
    if result.total_written:
        st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
        st.success("  \n".join(plain(line) for line in result.lines()), icon=":material/check_circle:")
    else:
        st.error("  \n".join(plain(line) for line in result.lines()), icon=":material/error:")
