"""The admin's backup section: a backup of the running warehouse now, the daily one, the list of files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kooperacja import warehouse
from kooperacja.model.access import Actor
from kooperacja.model.errors import KooperacjaError
from kooperacja.ui import errors
from kooperacja.ui.session import get_conn
from kooperacja.warehouse import backup_schedule


def render(actor: Actor) -> None:
    st.subheader("Kopie zapasowe")
    folder = backup_schedule.backup_dir(warehouse.db_path())
    keep = backup_schedule.keep_count()
    keep_manual = backup_schedule.manual_keep_count()
    daily = backup_schedule.running(folder)
    when = "codziennie (przy pierwszym uruchomieniu aplikacji danego dnia i co godzinę)"
    st.caption(
        f"Folder: `{folder}` · zachowywane: kopie dzienne z {keep} ostatnich dni, {keep_manual} "
        "ostatnich kopii ręcznych (kopia ręczna nie usuwa dziennych; inne pliki w folderze nie są "
        "usuwane) · kopia dzienna: "
        + (when if daily else "nie działa (wyłączona: KOOPERACJA_BACKUP_DAILY=0)")
    )
    if daily is not None and daily.failures:
        st.warning(f"Ostatnia kopia dzienna nie powiodła się: {daily.failures[-1]}")
    if st.button("Zrób kopię teraz", key="kopia_teraz", icon=":material/backup:"):
        try:
            made = backup_schedule.backup_now(get_conn(), actor, folder, keep_manual)
        except KooperacjaError as exc:
            errors.show(exc)
        else:
            st.success(f"Zapisano kopię {made.name}.")
    files = backup_schedule.list_backups(folder)
    if not files:
        st.info("Brak kopii w folderze.")
        return
    table = pd.DataFrame(
        {
            "Plik": [f.path.name for f in files],
            "Rodzaj": [f.label for f in files],
            "Utworzono": [f"{f.made_at:%d.%m.%Y %H:%M}" for f in files],
            "Rozmiar (kB)": [round(f.size / 1024) for f in files],
        }
    )
    st.dataframe(table, hide_index=True, key="lista_kopii", placeholder="")
    st.caption(
        "Odtworzenie (przy zatrzymanej aplikacji): "
        "`python -m kooperacja restore PLIK --db NOWY_PLIK`; "
        "sprawdzenie: `python -m kooperacja verify-backup PLIK`."
    )
