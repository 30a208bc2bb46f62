"""Every hostile input is refused with a Polish message naming its field or row; nothing is written."""

from __future__ import annotations

import shutil

import pytest

from kooperacja import warehouse
from kooperacja.model.errors import KooperacjaError
from tests.hostile.corpus import FORM_CASES
from tests.hostile.files import FILE_CASES
from tests.reliability_figures import record_figure

CASES = FORM_CASES + FILE_CASES


def fingerprint(conn) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every table's full contents."""
    out = {}
    for table in warehouse.TABLES:
        out[table] = conn.execute(
            "SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) "
            f"FROM {table} t"
        ).fetchall()[0]
    return out


@pytest.fixture(scope="module")
def wh(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copy(demo_db, path)
    conn = warehouse.connect(path)
    yield conn, fingerprint(conn)
    conn.close()


def test_the_corpus_has_at_least_100_distinct_inputs():
    ids = [case_id for case_id, _, _ in CASES]
    assert len(ids) >= 100
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("action", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_hostile_input_is_refused_in_polish_and_nothing_is_written(wh, action, fragment):
    conn, before = wh
    with pytest.raises(KooperacjaError) as refused:
        action(conn)
    message = refused.value.message
    assert fragment in message, message
    assert "Traceback" not in message and "Error:" not in message
    assert fingerprint(conn) == before
    record_figure("złe dane wejściowe odrzucone bez zmiany w hurtowni")
