"""A real installation from the app alone (issue 13's "done when"): from `init` to an animator's first
week, in a real browser, with no traceback and no English or raw token on any screen it passes.

The admin loads the territory from the register shipped with the product, adds two animators and three
pilot gminy, assigns them and reassigns one; the animator records a notification (its 7-day alert
appears), the first contact (the alert ends), a step, and a correction of that step.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from streamlit_page import choose, forbidden_tokens, login, screen_text, wait_idle

from kooperacja import cli

pytestmark = pytest.mark.e2e

PASSWORD = "dlugie-haslo-animatora-1"
GMINY = ["Toruń", "Chełmża", "Lubicz"]  # kujawsko-pomorskie (04): a city, an urban-rural and a rural gmina


@pytest.fixture(scope="module")
def fresh(start_server, tmp_path_factory) -> tuple[str, str]:
    """A server on a warehouse made by `init` alone, and the admin's one-time password."""
    db = tmp_path_factory.mktemp("init") / "k.duckdb"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["init", "--db", str(db)]) == 0
    password = next(
        line.split(": ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("Hasło")
    )
    return start_server(db), password


def cells(page) -> list[str]:
    """The texts of the tables' cells (the grid draws on a canvas; its cells are kept for readers)."""
    return page.locator("[data-testid='stDataFrame'] td").all_inner_texts()


def shows(page, text: str, seconds: float = 15) -> bool:
    """Whether a table cell holds `text`, waiting for the grid to draw it (slow on a busy machine)."""
    for _ in range(int(seconds * 4)):
        if any(text in c for c in cells(page)):
            return True
        page.wait_for_timeout(250)
    return False


def todo_count(page) -> int:
    """The Alerty page's count: "**12 alertów** na liście, …"."""
    text = page.locator("[data-testid='stMain']").inner_text()
    return int(re.search(r"(\d+) alert\w* na liście", text).group(1))


class Screens:
    """Every screen the walk passes: each is searched for English and raw tokens and tracebacks."""

    def __init__(self, page) -> None:
        self.page = page
        self.seen: list[str] = []

    def check(self, where: str) -> None:
        wait_idle(self.page)
        body = screen_text(self.page)
        self.seen.append(where)
        assert not forbidden_tokens(body), f"{where}: {forbidden_tokens(body)}"

    def go(self, title: str) -> None:
        self.page.get_by_role("link", name=title, exact=True).click()
        self.check(title)

    def section(self, name: str) -> None:
        """Wprowadzanie danych: pick the form."""
        self.choose("Formularz", name)

    def choose(self, label: str, option: str, exact: bool = False) -> None:
        choose(self.page, self.main().get_by_role("combobox", name=label, exact=True), option, exact)
        self.check(f"{label}: {option}")

    def main(self):
        return self.page.locator("[data-testid='stMain']")

    def click(self, button: str) -> None:
        self.main().get_by_role("button", name=button).click()
        self.check(button)


def test_a_rops_runs_its_programme_from_init_in_the_app_alone(fresh, page):
    url, admin_password = fresh
    s = Screens(page)
    page.goto(url)
    s.check("logowanie")
    login(page, "admin", admin_password)
    s.check("pierwsze logowanie")
    assert "Pierwsze kroki nowej instalacji" in page.inner_text("body")

    # the territory, from the register shipped with the product
    s.go("Wprowadzanie danych")
    s.section("Województwo z dołączonego rejestru")
    s.choose("Województwo", "kujawsko-pomorskie (04)")
    s.click("Wczytaj województwo")
    s.main().get_by_text("wczytano 144 gminy").wait_for()

    # two animators
    s.go("Użytkownicy")
    for login_, name in (("anna", "Anna Nowak"), ("bartek", "Bartosz Lis")):
        form = s.main().locator("[data-testid='stForm']").filter(has_text="Dodaj użytkownika")
        form.get_by_label("Login", exact=True).fill(login_)
        form.get_by_label("Imię i nazwisko").fill(name)
        choose(page, form.get_by_role("combobox", name="Rola"), "animator współpracy")
        form.get_by_label("Hasło", exact=False).first.fill(PASSWORD)
        form.get_by_role("button", name="Dodaj użytkownika").click()
        s.check(f"dodano {login_}")

    # three pilot gminy, all first given to Anna
    s.go("Wprowadzanie danych")
    s.section("Gmina w pilotażu")
    for gmina in GMINY:
        s.choose("Gmina z rejestru TERC", gmina)
        s.choose("Szablon harmonogramu", "wersja 1")
        s.choose("Animator", "Anna Nowak")
        s.click("Dodaj gminę do pilotażu")

    # reassign one to Bartosz
    s.go("Użytkownicy")
    s.choose("Animator", "Bartosz Lis")
    choose(page, s.main().get_by_role("combobox", name="Gminy pilotażowe"), GMINY[2], exact=False)
    s.check("gminy animatora")
    s.main().get_by_label("Powód zmiany", exact=False).last.fill("Podział pracy między animatorów")
    s.click("Zapisz gminy animatora")
    page.get_by_role("button", name="Wyloguj").click()
    page.get_by_role("button", name="Zaloguj się").wait_for()  # the login form alone (no admin form left)
    wait_idle(page)

    # the animator's first week
    login(page, "anna", PASSWORD)
    s.check("animator: pierwsze logowanie")
    s.go("Wprowadzanie danych")
    s.section("Zgłoszenie do ROPS")
    s.choose("Gmina zgłaszająca", GMINY[0])
    s.click("Zapisz zgłoszenie")
    s.go("Alerty")
    assert shows(page, "Kontakt z gminą")
    before = todo_count(page)
    s.go("Wprowadzanie danych")
    s.section("Pierwszy kontakt ROPS")
    s.choose("Zgłoszenie", GMINY[0])
    s.click("Zapisz kontakt")
    s.go("Alerty")
    assert todo_count(page) == before - 1  # the first contact ended the notification's alert
    assert not any("Kontakt z gminą" in c for c in cells(page))

    s.go("Wprowadzanie danych")
    s.section("Zdarzenie kroku")
    s.choose("Gmina", GMINY[0])
    s.main().get_by_text("zakończenie", exact=True).click()
    s.main().get_by_label("Dokument (protokół, porozumienie)").fill("Protokół 1/2026")
    s.click("Zapisz zdarzenie")
    s.go("Gmina")
    s.click("Popraw zdarzenie")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Dokument (protokół, porozumienie)").fill("Protokół 2/2026")
    dialog.get_by_role("textbox", name="Powód poprawki").fill("Zły numer protokołu")
    dialog.get_by_role("button", name="Zapisz poprawkę").click()
    s.check("poprawka zdarzenia")
    assert shows(page, "Protokół 2/2026")
    assert len(s.seen) > 25
