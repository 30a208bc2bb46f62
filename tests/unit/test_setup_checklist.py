"""The admin's first-run checklist decided on the warehouse's facts (issue 13)."""

from __future__ import annotations

import pytest

from kooperacja.programme.setup import SetupFacts, checklist, incomplete

FRESH = SetupFacts(gminy=0, animators=0, pilot_gminy=0)
READY = SetupFacts(gminy=2477, animators=2, pilot_gminy=12, boundaries=2477)


def test_a_fresh_installation_has_every_item_open_and_each_says_where_in_polish():
    steps = checklist(FRESH)
    assert [s.title for s in steps] == [
        "Wczytaj rejestr terytorialny (TERYT TERC)",
        "Dodaj użytkowników (co najmniej jednego animatora)",
        "Dodaj gminy pilotażowe",
        "Przypisz animatorów do gmin",
        "Wczytaj granice gmin (nieobowiązkowe: mapa zamiast diagramu)",
    ]
    assert not any(s.done for s in steps) and incomplete(steps)
    assert [s.where for s in steps] == [
        "Wprowadzanie danych → Województwo z dołączonego rejestru (albo → Rejestr TERC)",
        "Użytkownicy → Dodaj użytkownika",
        "Wprowadzanie danych → Gmina w pilotażu",
        "Użytkownicy → Gminy animatora",
        "Wprowadzanie danych → Granice gmin",
    ]
    assert [s.optional for s in steps] == [False, False, False, False, True]


def test_a_set_up_installation_is_complete_and_counts_in_polish():
    steps = checklist(READY)
    assert all(s.done for s in steps) and not incomplete(steps)
    assert steps[0].todo == "W rejestrze: 2\u00a0477 gmin."
    assert steps[2].todo == "W pilotażu: 12 gmin."


def test_boundaries_are_optional():
    assert not incomplete(checklist(SetupFacts(gminy=3, animators=1, pilot_gminy=2)))


@pytest.mark.parametrize(
    ("facts", "says"),
    [
        (SetupFacts(3, 2, 2, idle_animators=("Bartosz Lis",)), "Animatorzy bez gmin: Bartosz Lis"),
        (SetupFacts(3, 1, 2, uncared=("Gromadka",)), "Gminy bez animatora: Gromadka"),
    ],
)
def test_an_animator_without_gminy_or_a_gmina_without_an_animator_keeps_the_item_open(facts, says):
    assign = checklist(facts)[3]
    assert not assign.done and assign.todo.startswith(says)
    assert incomplete(checklist(facts))
