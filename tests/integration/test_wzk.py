"""WZK writes with role refusals and audit, and the meeting-mode slides on the demo warehouse."""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja import wzk
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
ADMIN = Actor("admin", "admin")
REFUSED = [
    Actor("animator1", "animator", frozenset({"0201032"})),
    Actor("wzk", "wzk"),
    Actor("zarzad", "zarzad"),
]


@pytest.fixture
def demo(demo_conn):
    return demo_conn


def audit_rows(conn, table):
    return conn.execute(
        "SELECT action, before, after FROM audit_log WHERE table_name = ? ORDER BY audit_id", [table]
    ).fetchall()


def test_an_admin_records_a_meeting_with_its_attendance(demo):
    serving = wzk.list_members(demo, TODAY)
    present = [int(m) for m in serving[serving.active].member_id[:3]]
    meeting_id = wzk.record_meeting(
        demo,
        ADMIN,
        held_on=TODAY,
        agenda="Postępy w gminach",
        decisions="Przyjęto informację",
        member_ids=present,
        today=TODAY,
    )
    row = wzk.list_meetings(demo).iloc[0]
    assert (row.meeting_id, row.present) == (meeting_id, 3)
    assert sorted(wzk.attendance(demo, meeting_id).member_id) == sorted(present)


def test_attendance_only_of_members_serving_that_day(demo):
    members = wzk.list_members(demo, TODAY)
    former = members[~members.active].member_id
    assert len(former), "the demo has a member who left"
    with pytest.raises(InvalidInput, match="Obecność"):
        wzk.record_meeting(
            demo,
            ADMIN,
            held_on=TODAY,
            agenda="Posiedzenie",
            decisions=None,
            member_ids=[int(former.iloc[0])],
            today=TODAY,
        )
    with pytest.raises(InvalidInput, match="przyszłym"):
        wzk.record_meeting(
            demo,
            ADMIN,
            held_on=date(2027, 1, 5),
            agenda="Posiedzenie",
            decisions=None,
            member_ids=[1],
            today=TODAY,
        )


@pytest.mark.parametrize("actor", REFUSED, ids=lambda a: a.role)
def test_only_admins_write_to_the_wzk_registry(demo, actor):
    with pytest.raises(AccessDenied):
        wzk.add_member(demo, actor, {"full_name": "Jan Nowak", "role": "członek", "from_on": TODAY})
    with pytest.raises(AccessDenied):
        wzk.record_meeting(demo, actor, held_on=TODAY, agenda="x", decisions=None, member_ids=[], today=TODAY)
    with pytest.raises(AccessDenied):
        wzk.add_recommendation(demo, actor, {"kind": "legal", "text": "x", "owner": "ROPS"}, TODAY)
    with pytest.raises(AccessDenied):
        wzk.set_recommendation_status(demo, actor, 1, "done", TODAY, TODAY)


def test_members_join_and_leave(demo):
    member_id = wzk.add_member(
        demo, ADMIN, {"full_name": "Jan Nowak", "role": "przedstawiciel PUP", "from_on": date(2026, 10, 1)}
    )
    wzk.end_membership(demo, ADMIN, member_id, TODAY)
    row = wzk.list_members(demo, date(2026, 12, 1)).set_index("member_id").loc[member_id]
    assert not row.active
    with pytest.raises(InvalidInput):
        wzk.end_membership(demo, ADMIN, member_id, date(2026, 9, 1))


def test_a_recommendation_status_change_is_audited(demo):
    rec_id = wzk.add_recommendation(
        demo, ADMIN, {"kind": "ozps", "text": "Ująć mieszkania chronione w OZPS", "owner": "ROPS"}, TODAY
    )
    assert wzk.list_recommendations(demo, ["open"]).recommendation_id.iloc[0] == rec_id
    wzk.set_recommendation_status(demo, ADMIN, rec_id, "in_progress", TODAY, TODAY, expected_version=1)
    action, before, after = audit_rows(demo, "recommendation")[-1]
    assert action == "update" and '"open"' in before and '"in_progress"' in after
    with pytest.raises(InvalidInput):
        wzk.set_recommendation_status(demo, ADMIN, rec_id, "finished", TODAY, TODAY)
    with pytest.raises(InvalidInput, match="przyszłości"):
        wzk.set_recommendation_status(demo, ADMIN, rec_id, "done", date(2027, 1, 1), TODAY)


def test_the_meeting_has_six_slides_one_per_agenda_point(demo):
    slides = wzk.meeting_slides(demo, Actor("wzk", "wzk"), TODAY)
    assert [s.title.split(" — ")[0] for s in slides] == [
        "Postęp wdrażania",
        "Gminy opóźnione",
        "Sprawy osób i rodzin",
        "Luki w koszyku usług",
        "Współpraca instytucji: przed i po",
        "Rekomendacje otwarte",
    ]
    assert all(s.numbers for s in slides)
    cases = slides[2]
    assert any(v == "<5" for _, v in cases.numbers) or any("<5" in line for line in cases.lines)
    assert all(len(s.lines) <= 6 for s in slides)


def test_admins_see_exact_case_counts_on_the_slides(demo):
    slides = wzk.meeting_slides(demo, ADMIN, TODAY)
    assert all("<5" not in line for line in slides[2].lines + slides[3].lines)
