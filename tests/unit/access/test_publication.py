"""The publication snapshot: which computed results are public, and what the public is told
about the others."""

from __future__ import annotations

from hospiscope.access.database import AccessDatabase
from hospiscope.access.publication import (
    NOTHING_PUBLISHED,
    Publication,
    pending_sentence,
    read_publication,
)
from hospiscope.access.review import IN_REVIEW, PUBLISHED, WITHDRAWN, transition

FAMILIES = {"ESATIS_A": "experience_patient", "ESATIS_B": "experience_patient", "IQSS": "processus"}


def test_only_published_pairs_are_public():
    states = {
        (2024, "experience_patient"): PUBLISHED,
        (2024, "processus"): IN_REVIEW,
        (2023, "processus"): WITHDRAWN,
    }
    publication = Publication(states)
    assert publication.public_pairs(FAMILIES) == [("ESATIS_A", 2024), ("ESATIS_B", 2024)]
    assert publication.is_public(2024, "experience_patient")
    assert not publication.is_public(2024, "processus")
    assert not publication.is_public(2022, "processus")  # no row: computed, not published
    assert publication.is_public(None, "registre")  # outside any campaign: public by nature
    assert NOTHING_PUBLISHED.public_pairs(FAMILIES) == []


def test_pending_lists_what_the_public_does_not_see_newest_first():
    publication = Publication({(2024, "processus"): IN_REVIEW, (2023, "processus"): PUBLISHED})
    computed = [(2023, "processus"), (2024, "processus"), (2024, "resultat")]
    assert publication.pending(computed) == [(2024, "processus", IN_REVIEW),
                                             (2024, "resultat", "calcule")]  # fmt: skip
    assert "en revue" in pending_sentence(2024, "qualité des prises en charge", IN_REVIEW)
    assert "retirée" in pending_sentence(2023, "résultats des soins", WITHDRAWN)


def test_the_snapshot_reads_the_review_states_and_its_stamp_follows_them(tmp_path):
    with AccessDatabase(tmp_path / "x-acces.sqlite") as db:
        before = read_publication(db.con)
        with db.transaction() as con:
            transition(con, 2024, "processus", IN_REVIEW, actor="n")
        in_review = read_publication(db.con)
        with db.transaction() as con:
            transition(con, 2024, "processus", PUBLISHED, actor="n")
        published = read_publication(db.con)
    assert before.stamp != in_review.stamp != published.stamp
    assert published.state(2024, "processus") == PUBLISHED
    assert in_review.public_pairs({"IQSS": "processus"}) == []
    assert published.public_pairs({"IQSS": "processus"}) == [("IQSS", 2024)]


def test_families_private_by_nature_are_never_public_and_have_no_review():
    # Even if a state row says "published" (written by hand, or by an older version).
    publication = Publication({(2024, "efficience"): PUBLISHED, (2024, "processus"): PUBLISHED})
    families = {"EFF_STOCK_DM": "efficience", "IQSS": "processus"}
    assert publication.public_pairs(families) == [("IQSS", 2024)]
    assert publication.state(2024, "efficience") is None  # the rule's table as written
    assert not publication.is_public(2024, "efficience")
    assert not publication.is_public(None, "imagerie")
    assert publication.pending([(2024, "efficience"), (2023, "processus")]) == [
        (2023, "processus", "calcule")
    ]
