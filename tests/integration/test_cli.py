"""The command line: init, demo, import-terc, backup/restore, check, and a warehouse held by the app."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import bcrypt
import pytest

from kooperacja import cli, warehouse

COMMANDS = list(cli.COMMANDS)  # every command, so a new one without Polish help fails
TERC = (
    "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n02;;;;DOLNOŚLĄSKIE;województwo;2025-01-01\r\n"
    "02;23;;;wrocławski;powiat;2025-01-01\r\n02;23;15;2;Żórawina;gmina wiejska;2025-01-01\r\n"
)


def rows(db, sql: str) -> list[tuple]:
    conn = warehouse.connect(db, read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_init_creates_one_admin_and_prints_its_password_once(db_file, capsys):
    assert cli.main(["init", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    password = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Hasło: "))
    users = rows(db_file, "SELECT username, role, password_hash FROM app_user")
    assert [(u, r) for u, r, _ in users] == [("admin", "admin")]
    assert bcrypt.checkpw(password.encode(), users[0][2].encode())
    from kooperacja.accounts.users import password_problems

    assert password_problems(password) == []  # the rule for new passwords holds for init's too
    assert len(rows(db_file, "SELECT value FROM settings WHERE key = 'cookie_key'")[0][0]) == 64
    assert rows(db_file, "SELECT count(*) FROM problem_area")[0][0] == 15
    assert rows(db_file, "SELECT count(*) FROM template_step")[0][0] > 0


def test_init_refuses_a_warehouse_that_has_users(db_file, capsys):
    assert cli.main(["init", "--db", str(db_file)]) == 0
    capsys.readouterr()
    assert cli.main(["init", "--db", str(db_file)]) == 1
    captured = capsys.readouterr()
    assert "ma już użytkowników" in captured.err and "Hasło" not in captured.out
    assert rows(db_file, "SELECT count(*) FROM app_user")[0][0] == 1


def test_check_exit_codes(db_file, capsys):
    assert cli.main(["check", "--db", str(db_file)]) == 2  # no warehouse yet
    assert "Nie ma hurtowni" in capsys.readouterr().err
    cli.main(["init", "--db", str(db_file)])
    assert cli.main(["check", "--db", str(db_file)]) == 0


def test_locked_warehouse_gives_a_polish_message_and_exit_2(db_file, capsys):
    warehouse.connect(db_file).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(db_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert cli.main(["check", "--db", str(db_file)]) == 2
        assert cli.main(["backup", str(db_file.parent / "k.zip"), "--db", str(db_file)]) == 2
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert err.startswith("Hurtownia danych niedostępna: ")
    assert "otwarta przez inny proces" in err and "Traceback" not in err


def test_import_terc_prints_the_summary(db_file, tmp_path, capsys):
    source = tmp_path / "TERC.csv"
    source.write_bytes(TERC.encode("cp1250"))
    assert cli.main(["import-terc", str(source), "--woj", "02", "--db", str(db_file)]) == 0
    assert "Gminy: 1 (miejska 0, wiejska 1, miejsko-wiejska 0)" in capsys.readouterr().out
    assert rows(db_file, "SELECT name FROM gmina") == [("Żórawina",)]


def test_import_terc_errors_are_printed_without_traceback(db_file, tmp_path, capsys):
    source = tmp_path / "zly.csv"
    source.write_text("WOJ;POW;GMI;NAZWA;NAZWA_DOD;STAN_NA\r\n02;01\r\n", encoding="utf-8")
    assert cli.main(["import-terc", str(source), "--db", str(db_file)]) == 1
    assert cli.main(["import-terc", str(tmp_path / "brak.csv"), "--db", str(db_file)]) == 1
    err = capsys.readouterr().err
    assert "Niepoprawne dane: Plik TERC: brak kolumn RODZ" in err
    assert "Nie znaleziono: Nie ma pliku" in err


def test_demo_passes_its_options_to_build_demo(db_file, tmp_path, capsys, monkeypatch):
    import kooperacja.demo

    calls = []

    fictional_flags = []

    def fake_build_demo(path, *, scale, terc_bytes, woj, today, progress, fictional):
        calls.append((path, scale, terc_bytes, woj, today))
        fictional_flags.append(fictional)
        progress("Buduję gminy…")
        return {"gmina": 3, "case_file": 7}

    monkeypatch.setattr(kooperacja.demo, "build_demo", fake_build_demo)
    source = tmp_path / "TERC.csv"
    source.write_bytes(b"abc")
    argv = ["demo", "--scale", "national", "--terc", str(source), "--woj", "04", "--today", "2026-11-24"]
    assert cli.main([*argv, "--db", str(db_file)]) == 0
    assert calls[0][1:4] == ("national", b"abc", "04") and str(calls[0][4]) == "2026-11-24"
    assert fictional_flags == [False]
    assert cli.main(["demo", "--fictional", "--db", str(db_file)]) == 0
    assert fictional_flags == [False, True] and calls[1][1:4] == ("pilot", None, None)
    out = capsys.readouterr().out
    assert "Buduję gminy…" in out and "case_file: 7" in out


def test_demo_refuses_to_replace_a_real_warehouse_without_force(db_file, capsys, monkeypatch):
    import kooperacja.demo

    monkeypatch.setattr(kooperacja.demo, "build_demo", lambda path, **kw: {"gmina": 1})
    cli.main(["init", "--db", str(db_file)])
    assert cli.main(["demo", "--db", str(db_file)]) == 1
    assert "nie jest demonstracyjna" in capsys.readouterr().err
    assert cli.main(["demo", "--force", "--db", str(db_file)]) == 0


def test_backup_restore_and_verify_through_the_cli(db_file, tmp_path, capsys):
    cli.main(["init", "--db", str(db_file)])
    copy = tmp_path / "kopia.zip"
    assert cli.main(["backup", str(copy), "--db", str(db_file)]) == 0
    assert cli.main(["verify-backup", str(copy)]) == 0
    assert cli.main(["restore", str(copy), "--db", str(db_file)]) == 1  # refuses to overwrite
    restored = tmp_path / "odtworzona.duckdb"
    assert cli.main(["restore", str(copy), "--db", str(restored)]) == 0
    assert rows(restored, "SELECT username FROM app_user") == [("admin",)]
    copy.write_bytes(copy.read_bytes()[:100])
    assert cli.main(["verify-backup", str(copy)]) == 1
    assert "ma problemy" in capsys.readouterr().out


def test_backup_into_a_folder_names_files_by_date_and_rotates(db_file, tmp_path):
    cli.main(["init", "--db", str(db_file)])
    folder = tmp_path / "kopie"
    folder.mkdir()
    for name in ("kooperacja-2020-01-01-0200.zip", "kooperacja-2020-01-02-0200.zip", "notes.zip"):
        (folder / name).write_bytes(b"stara")  # not made by the app: never deleted
    assert cli.main(["backup", str(folder), "--daily", "--keep", "1", "--db", str(db_file)]) == 0
    assert cli.main(["backup", str(folder), "--keep", "1", "--db", str(db_file)]) == 0
    time.sleep(1.01)  # a new second: a new manual file, the first one rotated away
    assert cli.main(["backup", str(folder), "--keep", "1", "--db", str(db_file)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names[:2] == ["kooperacja-2020-01-01-0200.zip", "kooperacja-2020-01-02-0200.zip"]
    assert re.fullmatch(r"kooperacja-daily-\d{4}-\d{2}-\d{2}\.zip", names[2])
    assert re.fullmatch(r"kooperacja-manual-\d{4}-\d{2}-\d{2}-\d{6}\.zip", names[3])
    assert names[4:] == ["notes.zip"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_polish_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"użycie: python -m kooperacja {command}") and "--db PLIK" in out


def test_import_geo_loads_boundaries_for_the_map(db_file, tmp_path, capsys):
    square = [[[19.0, 50.0], [19.1, 50.0], [19.1, 50.1], [19.0, 50.0]]]
    feature = {
        "type": "Feature",
        "properties": {"terc": "0201032", "name": "Gromadka"},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    source = tmp_path / "gminy.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    assert cli.main(["import-geo", str(source), "--db", str(db_file)]) == 0
    assert "Wczytano granice gmin: 1" in capsys.readouterr().out
    assert rows(db_file, "SELECT terc6 FROM gmina_boundary") == [("020103",)]
    bad = tmp_path / "zle.geojson"
    bad.write_text("{}", encoding="utf-8")
    assert cli.main(["import-geo", str(bad), "--db", str(db_file)]) == 1
    assert rows(db_file, "SELECT count(*) FROM gmina_boundary") == [(1,)]
