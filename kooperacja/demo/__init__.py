"""The demo warehouse: a region in the pilot with every date laid relative to today.

`build_demo(path)` makes a fresh file. The pilot scale lays the demo programme (fictional
institutions, people and cases) over the real gminy of a województwo from the shipped TERC
register, with their boundaries for the map (kujawsko-pomorskie, 04, unless `woj` says otherwise);
the national scale does it over the whole country (the benchmark). `fictional=True` keeps the
fictional województwo (and synthetic country) the tests pin their figures on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from kooperacja import warehouse
from kooperacja.demo.common import (
    DEMO_PASSWORD,
    DEMO_USERS,
    add_days,
    create_demo_users,
    month_start,
    workday,
    write_settings,
)
from kooperacja.demo.national import build_national
from kooperacja.demo.network import build_network
from kooperacja.demo.pilot import _PilotDemo
from kooperacja.territory import reference

DEMO_WOJ = "04"  # kujawsko-pomorskie: its ROPS in Toruń led the partnership that wrote the model

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "add_days",
    "build_demo",
    "build_national",
    "create_demo_users",
    "month_start",
    "workday",
    "write_settings",
]


def build_demo(
    path: str | Path,
    *,
    scale: str = "pilot",
    terc_bytes: bytes | None = None,
    woj: str | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    fictional: bool = False,
) -> dict[str, int]:
    """Replace the file at `path` with a demo warehouse; returns the row count of every table.

    Same `today`, same content: everything is drawn from `random.Random(42)`.
    """
    today = today or date.today()
    say = progress or (lambda _msg: None)
    path = Path(path)
    if scale not in ("pilot", "national"):
        raise ValueError(f"nieznana skala demo: {scale}")
    if scale == "pilot" and not fictional:
        woj = woj or DEMO_WOJ
        if terc_bytes is None:
            reference.check_woj(woj)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    conn = warehouse.connect(path)
    try:
        if terc_bytes is not None:
            from kooperacja.territory.terc import import_terc

            say("Import rejestru TERC…")
            import_terc(conn, terc_bytes, woj if scale == "pilot" else None, "demo")
        elif not fictional:
            say("Terytorium i granice gmin z dołączonego rejestru…")
            reference.load(conn, woj if scale == "pilot" else None, "demo", say)
        real = not fictional or terc_bytes is not None
        if scale == "national":
            build_national(conn, today, say, synthetic=not real)
        else:
            with warehouse.transaction(conn) as cur:
                _PilotDemo(cur, today, say, real=real, woj=woj).build()
                say("Sieć współpracy instytucji: badania, mapa problemów, karta zasobów…")
                build_network(cur, today)
            if not fictional:
                say("Czynności użytkowników: wyjście z pilotażu, przydział zgłoszenia, wyjaśniony alert…")
                _users_acts(conn, today)
        say("Gotowe.")
        return warehouse.table_counts(conn)
    finally:
        conn.close()


def _users_acts(conn: duckdb.DuckDBPyConnection, today: date) -> None:
    """What people do in the app, done through the app's own services so that no table of the default
    demo stays empty: a gmina that joined and left the pilot, a notification from outside the pilot
    given to an animator, an alert explained with its reason."""
    from kooperacja.accounts.users import load_actor
    from kooperacja.model.rules import add_months
    from kooperacja.programme import alert_services, alerts
    from kooperacja.programme import services as programme

    admin, animator = load_actor(conn, "admin"), load_actor(conn, "animator1")
    outside = conn.execute(
        "SELECT g.terc FROM gmina g SEMI JOIN pilot_powiat p ON p.terc = left(g.terc, 4) "
        "ANTI JOIN pilot_gmina q ON q.terc = g.terc ANTI JOIN zgloszenie z ON z.terc = g.terc "
        "ORDER BY g.terc LIMIT 1"
    ).fetchall()
    if outside:
        terc = outside[0][0]
        joined = add_months(today, -14)
        programme.add_pilot_gmina(
            conn, admin, terc, joined_on=joined, animator="animator2", plan_start=joined
        )
        programme.leave_pilot(
            conn,
            admin,
            terc,
            left_on=add_months(today, -3),
            reason="Rada gminy wycofała gminę z pilotażu (uchwała z zeszłego kwartału)",
            today=today,
        )
    waiting = conn.execute(
        "SELECT zgloszenie_id FROM zgloszenie ANTI JOIN pilot_gmina USING (terc) ORDER BY received_on DESC"
    ).fetchall()
    if waiting:
        alert_services.assign_zgloszenie(conn, admin, waiting[0][0], "animator1")
    todo = alerts.list_alerts(conn, today)
    mine = todo[(todo.animator == "animator1") & (todo.rule == "monitoring")]
    if len(mine):
        reason = "Spotkanie monitorujące odbyło się, protokół w drodze"
        alert_services.explain_alert(conn, animator, str(mine.alert_id.iloc[0]), reason, today)
