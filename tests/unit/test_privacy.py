"""Free text with personal data is refused; ordinary case notes pass."""

from __future__ import annotations

import doctest

import pytest

from kooperacja.model import privacy
from kooperacja.model.privacy import check_free_text, find_personal_data


def pesel(first_ten: str, *, valid: bool = True) -> str:
    """A PESEL made up from ten digits, with the right check digit (or a wrong one)."""
    total = sum(w * int(d) for w, d in zip((1, 3, 7, 9, 1, 3, 7, 9, 1, 3), first_ten, strict=True))
    check = (10 - total % 10) % 10
    return first_ten + str(check if valid else (check + 1) % 10)


def id_card(series: str, last_five: str) -> str:
    """A Polish ID card number whose first digit is the check digit."""
    values = [ord(c) - 55 for c in series] + [int(d) for d in last_five]
    check = sum(w * v for w, v in zip((7, 3, 1, 7, 3, 1, 7, 3), values, strict=True)) % 10
    return f"{series}{check}{last_five}"


def passport(series: str, last_six: str) -> str:
    """A Polish passport number whose first digit is the check digit."""
    values = [ord(c) - 55 for c in series] + [int(d) for d in last_six]
    check = sum(w * v for w, v in zip((7, 3, 1, 7, 3, 1, 7, 3), values, strict=True)) % 10
    return f"{series}{check}{last_six}"


def test_check_digit_helpers_agree_with_published_examples():
    assert id_card("ABA", "00000") == "ABA300000"
    assert passport("ZS", "000177") == "ZS0000177"


def test_every_worked_example_in_the_docstrings_holds():
    failures, tried = doctest.testmod(privacy)
    assert tried >= 5
    assert failures == 0


PERSONAL = [
    # PESEL: computed, never a real person's
    (f"PESEL {pesel('8001011234')}", "PESEL"),
    (f"pesel: {pesel('0221030456')}", "PESEL"),
    (f"nr {pesel('7512319876')} w aktach", "PESEL"),
    (f"{pesel('9902284321')}", "PESEL"),
    (f"matka ({pesel('6507150011')})", "PESEL"),
    (f"PESEL {pesel('8001011234', valid=False)}", "PESEL"),
    (f"numer {pesel('0221030456', valid=False)} do sprawdzenia", "PESEL"),
    # e-mail
    ("kontakt: anna.k@wp.pl", "e-mail"),
    ("jan_nowak+ops@gmail.com", "e-mail"),
    ("pisać na rodzina.x@o2.pl w sprawie zasiłku", "e-mail"),
    ("ADRES: X.Y@ONET.PL", "e-mail"),
    # phone
    ("tel. 501 234 567", "telefonu"),
    ("tel. 501-234-567", "telefonu"),
    ("501234567", "telefonu"),
    ("+48 501 234 567", "telefonu"),
    ("+48501234567", "telefonu"),
    ("0048 501 234 567", "telefonu"),
    ("(22) 123 45 67", "telefonu"),
    ("(56) 621 12 34 wew. 5", "telefonu"),
    ("56 621 12 34", "telefonu"),
    ("+48 56 621 12 34", "telefonu"),
    ("kom. 600-700-800", "telefonu"),
    ("dzwonić na 799 123 456 po 16", "telefonu"),
    # ID card and passport
    ("dowód ABA300000", "dowodu"),
    (f"nr {id_card('XYZ', '12345')}", "dowodu"),
    (f"seria {id_card('CAB', '98765')[:3]} {id_card('CAB', '98765')[3:]}", "dowodu"),
    ("dowód osobisty nr abc123456", "dowodu"),
    ("Dowód: AXD 123456", "dowodu"),
    ("ZS0000177", "paszportu"),
    (f"nr {passport('EA', '123456')}", "paszportu"),
    ("paszport nr AB1234567", "paszportu"),
    # bank account
    ("konto 61 1090 1014 0000 0712 1981 2874", "rachunku"),
    ("PL61109010140000071219812874", "rachunku"),
    # addresses
    ("ul. Lipowa 5", "adres"),
    ("al. Jana Pawła II 12/4", "adres"),
    ("os. Słoneczne 3", "adres"),
    ("Plac Wolności 7", "adres"),
    ("ulica Długa 15a", "adres"),
    ("mieszka przy ul. 3 Maja 12 m. 4", "adres"),
    ("ul.Kościuszki 10/2", "adres"),
    ("Aleja Niepodległości 100", "adres"),
    ("ul. Armii Krajowej 5b", "adres"),
    ("ul. Żwirki i Wigury 3", "adres"),
    ("osiedle Młodych 12", "adres"),
    ("pl. Rapackiego 1", "adres"),
    ("przeprowadzka na ulicę Polną 8 / 3", "adres"),
    # names
    ("Anna Kowalska", "imię i nazwisko"),
    ("wizyta u Jana Nowaka", "imię i nazwisko"),
    ("rozmowa z Anną Kowalską", "imię i nazwisko"),
    ("Marek Zając zgłosił potrzebę", "imię i nazwisko"),
    ("Kowalska Anna, lat 40", "imię i nazwisko"),
    ("Nowak Jan", "imię i nazwisko"),
    ("ANNA KOWALSKA", "imię i nazwisko"),
    ("anna Kowalska", "imię i nazwisko"),
    ("Katarzyna Lewandowska-Nowak", "imię i nazwisko"),
    ("Oksana Kowalenko", "imię i nazwisko"),
    ("Maja Kowalska", "imię i nazwisko"),
    ("Wojtek Nowicki", "imię i nazwisko"),
    ("koleżanka Kasia Zielińska", "imię i nazwisko"),
    ("syn Tomasza Mazura", "imię i nazwisko"),
    ("córka Barbary Wójcik", "imię i nazwisko"),
    ("asystent rodziny Jacek Nowicki.", "imię i nazwisko"),
    ("Pani Anna Kowalska z MOPS", "imię i nazwisko"),
    ("p. Kowalska", "nazwisko"),
    ("Pani Wiśniewska przyszła", "nazwisko"),
    ("pan Kowalczyk odmówił", "nazwisko"),
    ("rodzina Kowalskich", "nazwisko"),
    ("Państwo Nowakowie", "nazwisko"),
]

INNOCENT = [
    "rodzina 5-osobowa",
    "2 dzieci w wieku szkolnym",
    "długotrwała choroba",
    "Plan na 2026 r.",
    "spotkanie 12.03.2026",
    "kwota 1200 zł",
    "3 osoby w gospodarstwie",
    "Anna przyszła na spotkanie",
    "Gminny Ośrodek Pomocy Społecznej",
    "PCPR w Toruniu",
    "ustawa z 12 marca 2004 r. o pomocy społecznej",
    "art. 7 pkt 3",
    "KRS 0000123456",
    "Szkoła Podstawowa nr 3",
    "Mama Ania",
    "tel. do OPS w sekretariacie",
    "kod sprawy K-0201012-0007",
    "TERC 0201012",
    "Maj 2026",
    "Marzec",
    "Wiktoria",
    "Ewa",
    "Ewa i Adam",
    "Rodzina wielodzietna",
    "Szkoła Podstawowa im. Marii Konopnickiej",
    "Uniwersytet Mikołaja Kopernika w Toruniu",
    "Uniwersytet Kazimierza Wielkiego",
    "Akademia Pedagogiki Specjalnej im. Marii Grzegorzewskiej",
    "spotkanie na ul. Jana Pawła II",
    "Fundacja Jana Pawła II",
    "Jan Paweł II",
    "Kościół pw. św. Anny",
    "Plac Wolności",
    "os. Słoneczne",
    "Konstytucji 3 Maja",
    "posiedzenie 3 maja Zespół omówił plan",
    "budżet 120 000 000 zł",
    "1 200 000 zł",
    "REGON 123456789",
    "NIP 879-123-45-67",
    "spotkanie 10:00-12:00",
    "2026-03-12",
    "Pani Dyrektor GOPS",
    "Pan Burmistrz przyjął zaproszenie",
    "Pani Kierownik",
    "Panu Wójtowi przekazano wnioski",
    "rodziny Romów",
    "Państw Członkowskich UE",
    "Rodzina Zastępcza",
    "samochód marka Opel",
    "Spotkanie prowadziła Anna. Następnie omówiono plan.",
    "Spotkanie prowadziła Anna\nSpotkanie drugie w marcu",
    "gospodarstwo 3 os. Dochód 1200 zł",
    "K7 m7–21",
    "PZK: 12 instytucji",
    "godz. 9:30, sala 105",
    "5 osób, w tym 3 dzieci",
    "dochód 850,50 zł na osobę",
    "Pracownik socjalny",
    "Asystent rodziny",
    "Święty Mikołaj w świetlicy",
    "kurator sądowy",
    "Zespół Interdyscyplinarny",
    "PUP w Grudziądzu",
    "Poradnia Psychologiczno-Pedagogiczna nr 2",
    "Niebieska Karta A nr 12/2026",
    "Uchwała nr XII/123/2026 Rady Gminy",
    "ABC 2024",
    "Program Rodzina 500+",
    "Karta Dużej Rodziny",
    "Toruń, 87-100",
    "30 godzin szkolenia",
    "tel. 112 w nagłych wypadkach",
    "sprawozdanie za 03.2026",
    "KIS, CIS, WTZ, ZAZ",
    "Ewa GOPS",
    "",
]


def test_there_are_plenty_of_examples_on_both_sides():
    assert len(PERSONAL) >= 60
    assert len(INNOCENT) >= 60


@pytest.mark.parametrize(("text", "kind"), PERSONAL, ids=[t for t, _ in PERSONAL])
def test_personal_data_is_found_with_its_kind(text, kind):
    reason = find_personal_data(text)
    assert reason is not None, text
    assert kind in reason
    assert reason.startswith("wygląda na")


@pytest.mark.parametrize("text", INNOCENT, ids=[t or "<empty>" for t in INNOCENT])
def test_ordinary_case_notes_are_not_personal_data(text):
    assert find_personal_data(text) is None


def test_an_eleven_digit_number_with_a_wrong_checksum_is_still_refused_as_a_possible_pesel():
    reason = find_personal_data(pesel("8001011234", valid=False))
    assert reason == privacy.PESEL_LIKE


def test_ten_and_twelve_digit_numbers_are_not_a_pesel():
    assert find_personal_data("KRS 0000123456") is None
    assert find_personal_data("nr 123456789012") is None


def test_id_card_pattern_with_a_wrong_check_digit_is_not_flagged_without_the_word_dowod():
    good = id_card("XYZ", "12345")
    bad = good[:3] + str((int(good[3]) + 1) % 10) + good[4:]
    assert find_personal_data(bad) is None
    assert find_personal_data(f"dowód {bad}") == privacy.ID_CARD


@pytest.mark.parametrize("text", [None, "", "Rodzina 4-osobowa, brak pracy"])
def test_check_free_text_lets_innocent_or_empty_text_through(text):
    check_free_text("Opis sytuacji", text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tel. 501 234 567", "wygląda na numer telefonu"),
        ("Anna Kowalska", "wygląda na imię i nazwisko"),
        (f"PESEL {pesel('8001011234')}", "wygląda na numer PESEL"),
    ],
)
def test_check_free_text_names_the_field_and_the_reason_in_polish(text, reason):
    with pytest.raises(ValueError) as error:
        check_free_text("Opis sytuacji", text)
    message = str(error.value)
    assert message.startswith(f"Opis sytuacji: {reason} — ")
    assert "dane osobowe" in message
    assert "pseudonimizowane" in message
