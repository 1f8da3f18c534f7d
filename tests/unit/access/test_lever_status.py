"""The check-list's lever statuses: set by the establishment or its ARS only, every change kept
with who and when, the current status read back, refusals in French."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hospiscope.access.database import AccessDatabase
from hospiscope.access.lever_status import (
    DONE,
    IN_PROGRESS,
    NOT_RELEVANT,
    TO_EXAMINE,
    StatusRefused,
    history,
    set_status,
    status_of,
    statuses,
)

LEVERS = frozenset({"L-FACT-01", "L-STOC-01"})
T0, T1 = datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC)


@pytest.fixture
def con(tmp_path):
    with AccessDatabase(tmp_path / "x-acces.sqlite") as db:
        yield db.con


def test_a_lever_is_to_examine_until_someone_sets_it(con):
    assert status_of(con, "750000001", "L-FACT-01") == TO_EXAMINE
    change = set_status(
        con, "750000001", "L-FACT-01", IN_PROGRESS, actor="etab", role="etablissement",
        note="Chantier lancé", known_levers=LEVERS, now=T0,
    )  # fmt: skip
    assert change.details == {"levier": "L-FACT-01", "de": TO_EXAMINE, "vers": IN_PROGRESS,
                              "note": "Chantier lancé"}  # fmt: skip
    set_status(con, "750000001", "L-FACT-01", DONE, actor="ars.idf", role="ars", now=T1)
    assert status_of(con, "750000001", "L-FACT-01") == DONE
    changes = history(con, "750000001", "L-FACT-01")
    assert [(h["from_status"], h["status"], h["actor"]) for h in changes] == [
        (TO_EXAMINE, IN_PROGRESS, "etab"),
        (IN_PROGRESS, DONE, "ars.idf"),
    ]
    current = statuses(con, ["750000001", "750000002"])
    assert current == {("750000001", "L-FACT-01"): {"status": DONE, "at": T1.isoformat(),
                       "actor": "ars.idf", "role": "ars", "note": None}}  # fmt: skip


@pytest.mark.parametrize("role", ["ght", "national", "admin"])
def test_only_the_establishment_and_its_ars_set_a_status(con, role):
    with pytest.raises(StatusRefused, match="Seuls l'établissement et son ARS"):
        set_status(con, "750000001", "L-FACT-01", DONE, actor="x", role=role)


def test_unknown_status_lever_or_an_unchanged_status_are_refused(con):
    with pytest.raises(StatusRefused, match="État inconnu"):
        set_status(con, "750000001", "L-FACT-01", "peut-etre", actor="e", role="etablissement")
    with pytest.raises(StatusRefused, match="Levier inconnu"):
        set_status(con, "750000001", "L-XXX-99", DONE, actor="e", role="etablissement",
                   known_levers=LEVERS)  # fmt: skip
    set_status(con, "750000001", "L-STOC-01", NOT_RELEVANT, actor="e", role="etablissement")
    with pytest.raises(StatusRefused, match="déjà « sans objet »"):
        set_status(con, "750000001", "L-STOC-01", NOT_RELEVANT, actor="e", role="etablissement")
    # the same status with a note is a new entry (a comment on the lever)
    set_status(con, "750000001", "L-STOC-01", NOT_RELEVANT, actor="e", role="etablissement",
               note="Pas de stock propre : pharmacie du GHT")  # fmt: skip
    assert len(history(con, "750000001", "L-STOC-01")) == 2
