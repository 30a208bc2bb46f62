"""Parsing the TERYT TERC register in its official CSV and XML forms."""

from __future__ import annotations

import pytest

from kooperacja.model.errors import InvalidInput
from kooperacja.territory.terc import parse_terc

HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"
ROWS = [
    "02;;;;DOLNOŚLĄSKIE;województwo;2025-01-01",
    "02;23;;;wrocławski;powiat;2025-01-01",
    "02;23;15;2;Żórawina;gmina wiejska;2025-01-01",
    "02;23;05;3;Kąty Wrocławskie;gmina miejsko-wiejska;2025-01-01",
    "02;23;05;4;Kąty Wrocławskie;miasto;2025-01-01",
    "02;23;05;5;Kąty Wrocławskie;obszar wiejski;2025-01-01",
    "10;;;;ŁÓDZKIE;województwo;2025-01-01",
    "10;61;;;Łódź;miasto na prawach powiatu;2025-01-01",
    "10;61;01;1;Łódź;gmina miejska;2025-01-01",
    "10;61;01;9;Łódź-Bałuty;delegatura;2025-01-01",
]


def csv_bytes(rows: list[str] = ROWS, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n\r\n").encode(encoding)


def xml_bytes(rows: list[str] = ROWS, prolog: str = "") -> bytes:
    body = []
    for row in rows:
        cells = dict(zip(HEADER.split(";"), row.split(";"), strict=True))
        body.append(
            "<row>" + "".join(f"<{k}>{v}</{k}>" if v else f"<{k} />" for k, v in cells.items()) + "</row>"
        )
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n' + prolog + '<teryt><catalog name="TERC" type="ALL" '
        'date="2025-01-01">' + "\n".join(body) + "</catalog></teryt>"
    )
    return text.encode("utf-8")


def problems_of(data: bytes, woj: str | None = None) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        parse_terc(data, woj)
    return exc.value.problems


@pytest.mark.parametrize(
    "data",
    [csv_bytes(), csv_bytes(encoding="cp1250"), csv_bytes(encoding="utf-8"), xml_bytes()],
    ids=["csv-utf8-bom", "csv-cp1250", "csv-utf8", "xml"],
)
def test_every_official_form_gives_the_same_units(data):
    register = parse_terc(data)
    assert register.wojewodztwa == {"02": "DOLNOŚLĄSKIE", "10": "ŁÓDZKIE"}
    assert register.powiaty == {"0223": ("wrocławski", False), "1061": ("Łódź", True)}
    assert [(g.terc, g.name, g.kind) for g in register.gminy] == [
        ("0223152", "Żórawina", "wiejska"),
        ("0223053", "Kąty Wrocławskie", "miejsko-wiejska"),
        ("1061011", "Łódź", "miejska"),
    ]
    assert register.skipped == 3
    assert register.gminy[0].register_date.isoformat() == "2025-01-01"


def test_woj_keeps_one_wojewodztwo():
    register = parse_terc(csv_bytes(), woj="10")
    assert list(register.wojewodztwa) == ["10"]
    assert [g.terc for g in register.gminy] == ["1061011"]


def test_absent_woj_is_reported():
    assert problems_of(csv_bytes(), woj="30") == ["W rejestrze nie ma województwa 30."]


def test_malformed_woj_code_is_refused():
    assert "dwóch cyfr" in problems_of(csv_bytes(), woj="4")[0]


def test_unknown_rodz_is_reported_with_its_line_number():
    rows = [*ROWS[:3], "02;23;16;X;Nowa;gmina;2025-01-01"]
    assert problems_of(csv_bytes(rows)) == ["Wiersz 5: kolumna RODZ — nieznana wartość 'X'"]


def test_every_bad_row_is_reported_at_once():
    rows = [
        *ROWS[:3],
        "02;23;16;7;Nowa;gmina;2025-01-01",
        "02;2x;;;zły;powiat;2025-01-01",
        "02;23;17;2;;gmina wiejska;2025-01-01",
        "02;23;18;2;Data;gmina wiejska;01.01.2025",
    ]
    problems = problems_of(csv_bytes(rows))
    assert problems[0] == "Wiersz 5: kolumna RODZ — nieznana wartość '7'"
    assert problems[1] == "Wiersz 6: kolumna POW — nieznana wartość '2x'"
    assert problems[2].startswith("Wiersz 7: kolumna NAZWA")
    assert problems[3].startswith("Wiersz 8: kolumna STAN_NA")


def test_row_with_wrong_number_of_columns_is_reported():
    rows = [*ROWS[:2], "02;23;15;2;Żórawina"]
    assert problems_of(csv_bytes(rows)) == ["Wiersz 4: 5 kolumn zamiast 7"]


def test_gmina_without_its_powiat_is_reported():
    rows = [ROWS[0], "02;24;01;2;Sierota;gmina wiejska;2025-01-01"]
    assert "brak powiatu 0224" in problems_of(csv_bytes(rows))[0]


def test_missing_columns_are_named():
    problems = problems_of(csv_bytes(header="WOJ;POW;GMI;RODZ;NAZWA;OPIS;DATA"))
    assert "brak kolumn NAZWA_DOD, STAN_NA" in problems[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"imie;nazwisko;miasto\nJan;Nowak;Lublin\n",
        bytes([0x81, 0x98, 0x83]) * 50,
        b'<?xml version="1.0"?><html><body>nie</body></html>',
    ],
    ids=["binary", "other-csv", "undecodable", "other-xml"],
)
def test_a_file_that_is_not_terc_is_refused(data):
    assert "nie jest rejestrem TERC" in problems_of(data)[0]


def test_empty_file_is_refused():
    assert problems_of(b"\r\n\r\n") == ["Plik TERC jest pusty."]


def test_another_teryt_catalog_is_named():
    data = xml_bytes().replace(b'name="TERC"', b'name="SIMC"')
    assert problems_of(data)[0].startswith("To katalog SIMC, nie TERC")


def test_xml_with_an_entity_declaration_is_refused_before_parsing():
    bomb = (
        '<!DOCTYPE teryt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
    )
    data = xml_bytes(prolog=bomb).replace("<NAZWA>Łódź</NAZWA>".encode(), b"<NAZWA>&c;</NAZWA>")
    assert "DOCTYPE/ENTITY" in problems_of(data)[0]


def test_broken_xml_is_reported():
    assert "uszkodzony" in problems_of(xml_bytes()[:-20])[0]


def test_xml_rows_are_numbered_in_errors():
    rows = [*ROWS[:2], "02;23;15;Q;Żórawina;gmina wiejska;2025-01-01"]
    assert problems_of(xml_bytes(rows)) == ["Wiersz 3 (element <row>): kolumna RODZ — nieznana wartość 'Q'"]


def test_duplicate_gmina_is_reported():
    rows = [*ROWS[:3], "02;23;15;1;Żórawina;gmina miejska;2025-01-01"]
    assert "występuje w rejestrze dwa razy" in problems_of(csv_bytes(rows))[0]
