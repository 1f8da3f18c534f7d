"""Campaign review: states and their transitions, acceptances and contests within the window,
national answers, publication held back by unanswered contests."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from hospiscope.access import contests as ct
from hospiscope.access import review as rv
from hospiscope.access.review import ReviewRefused

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CAMPAIGN, FAMILY, ET, OTHER = 2025, "esatis", "750000011", "750000037"


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(rv.SCHEMA)
    return connection


def move(con, to_state, *, at=T0, **options):
    return rv.transition(con, CAMPAIGN, FAMILY, to_state, actor="nat", now=at, **options)


def in_review(con):
    move(con, "en_revue")


def test_a_campaign_without_row_is_computed_and_not_public(con):
    assert rv.state_of(con, CAMPAIGN, FAMILY) == "calcule"
    assert rv.public_campaigns(con) == set()


def test_the_whole_path_is_recorded_with_who_and_when(con):
    move(con, "en_revue")
    change = move(con, "publie", at=T0 + timedelta(days=20))
    assert change.action == "review.transition"
    assert change.details == {"from": "en_revue", "to": "publie", "reason": None, "forced": False}
    assert rv.public_campaigns(con) == {(CAMPAIGN, FAMILY)}
    move(con, "retire", at=T0 + timedelta(days=30), reason="Erreur de données source")
    assert rv.public_campaigns(con) == set()
    move(con, "en_revue", at=T0 + timedelta(days=31))
    steps = [
        (step["from_state"], step["to_state"], step["actor"])
        for step in rv.history(con, CAMPAIGN, FAMILY)
    ]
    assert steps == [
        ("calcule", "en_revue", "nat"),
        ("en_revue", "publie", "nat"),
        ("publie", "retire", "nat"),
        ("retire", "en_revue", "nat"),
    ]
    assert rv.history(con, CAMPAIGN, FAMILY)[2]["reason"] == "Erreur de données source"
    assert rv.history(con, CAMPAIGN, FAMILY)[0]["at"] == "2026-03-02T09:00:00+00:00"


@pytest.mark.parametrize(
    ("path", "to_state", "message"),
    [
        ([], "publie", "Passage impossible de l'état « calculée » à l'état « publiée »."),
        (["en_revue"], "retire", "Passage impossible de l'état « en revue » à l'état « retirée »."),
        (
            ["en_revue"],
            "calcule",
            "Passage impossible de l'état « en revue » à l'état « calculée ».",
        ),
        ([], "brouillon", "État inconnu : brouillon."),
    ],
)
def test_invalid_transitions_are_refused_in_french(con, path, to_state, message):
    for state in path:
        move(con, state)
    with pytest.raises(ReviewRefused) as refused:
        move(con, to_state)
    assert str(refused.value) == message


def test_withdrawal_needs_a_reason(con):
    move(con, "en_revue")
    move(con, "publie")
    with pytest.raises(ReviewRefused, match="exige un motif"):
        move(con, "retire", reason="   ")
    assert rv.state_of(con, CAMPAIGN, FAMILY) == "publie"


def test_accept_and_contest_only_in_review_and_within_the_window(con):
    with pytest.raises(ReviewRefused, match="n'est pas en revue"):
        ct.accept(con, CAMPAIGN, FAMILY, ET, actor="a", now=T0)
    in_review(con)
    assert rv.window_closes(con, CAMPAIGN, FAMILY) == T0 + timedelta(days=15)
    late = T0 + timedelta(days=15)
    with pytest.raises(ReviewRefused, match="délai de contestation est clos depuis le 17/03/2026"):
        ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Effectif faux", actor="a", now=late)
    change = ct.accept(con, CAMPAIGN, FAMILY, ET, actor="a", now=late - timedelta(seconds=1))
    assert change.action == "review.accept" and change.details == {"finess_et": ET, "round": 1}
    longer = ct.contest(
        con, CAMPAIGN, FAMILY, OTHER, "ESATIS48H", "Effectif faux", actor="b", now=late,
        window=timedelta(days=30),
    )  # fmt: skip
    assert longer.action == "review.contest"


def test_a_contest_needs_an_indicator_and_a_reason(con):
    in_review(con)
    with pytest.raises(ReviewRefused, match="motif écrit"):
        ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", " ", actor="a", now=T0)
    with pytest.raises(ReviewRefused, match="indicateur contesté"):
        ct.contest(con, CAMPAIGN, FAMILY, ET, "", "Effectif faux", actor="a", now=T0)


def test_accepting_and_contesting_exclude_each_other_within_a_round(con):
    in_review(con)
    ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Effectif faux", actor="a", now=T0)
    with pytest.raises(ReviewRefused, match="déjà contesté"):
        ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Encore", actor="a", now=T0)
    ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATISCA", "Autre", actor="a", now=T0)  # another one
    with pytest.raises(ReviewRefused, match="attend encore sa réponse"):
        ct.accept(con, CAMPAIGN, FAMILY, ET, actor="a", now=T0)
    ct.accept(con, CAMPAIGN, FAMILY, OTHER, actor="b", now=T0)
    with pytest.raises(ReviewRefused, match="déjà accepté"):
        ct.accept(con, CAMPAIGN, FAMILY, OTHER, actor="b", now=T0)
    with pytest.raises(ReviewRefused, match="ne pouvez plus les contester"):
        ct.contest(con, CAMPAIGN, FAMILY, OTHER, "ESATIS48H", "Finalement", actor="b", now=T0)


def test_national_answers_once_with_a_text(con):
    in_review(con)
    filed = ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Effectif faux", actor="a", now=T0)
    contest_id = filed.details["contest"]
    with pytest.raises(ReviewRefused, match="exige un texte"):
        ct.answer(con, contest_id, accepted=True, text="", actor="nat", now=T0)
    change = ct.answer(
        con, contest_id, accepted=False, text="Effectif vérifié", actor="nat", now=T0
    )
    assert change.details == {"contest": contest_id, "finess_et": ET, "answer": "rejetee"}
    with pytest.raises(ReviewRefused, match="déjà reçu une réponse"):
        ct.answer(con, contest_id, accepted=True, text="Changement d'avis", actor="nat", now=T0)
    with pytest.raises(ReviewRefused, match="introuvable"):
        ct.answer(con, 999, accepted=True, text="?", actor="nat", now=T0)
    (stored,) = ct.contests(con, CAMPAIGN, FAMILY, finess_et=ET)
    assert (stored.answer, stored.answered_by, stored.filed_by) == ("rejetee", "nat", "a")
    assert ct.contests(con, CAMPAIGN, FAMILY, open_only=True) == []


def test_publication_waits_for_answers_unless_forced_with_a_reason(con):
    in_review(con)
    ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Effectif faux", actor="a", now=T0)
    with pytest.raises(ReviewRefused, match="1 contestation sans réponse"):
        move(con, "publie")
    with pytest.raises(ReviewRefused, match="forcée exige un motif"):
        move(con, "publie", force=True)
    change = move(con, "publie", force=True, reason="Calendrier légal de diffusion")
    assert change.warnings == ("Publication forcée malgré 1 contestation sans réponse.",)
    assert change.details["forced"] is True
    assert rv.history(con, CAMPAIGN, FAMILY)[-1]["forced"] == 1


def test_publication_after_every_answer(con):
    in_review(con)
    filed = ct.contest(con, CAMPAIGN, FAMILY, ET, "ESATIS48H", "Effectif faux", actor="a", now=T0)
    ct.answer(con, filed.details["contest"], accepted=True, text="Corrigé", actor="nat", now=T0)
    assert move(con, "publie").warnings == ()


def test_reopening_starts_a_new_round_and_a_new_window(con):
    in_review(con)
    ct.accept(con, CAMPAIGN, FAMILY, ET, actor="a", now=T0)
    move(con, "publie")
    move(con, "retire", reason="Erreur")
    reopened = T0 + timedelta(days=40)
    move(con, "en_revue", at=reopened)
    assert rv.window_closes(con, CAMPAIGN, FAMILY) == reopened + timedelta(days=15)
    change = ct.accept(con, CAMPAIGN, FAMILY, ET, actor="a", now=reopened)
    assert change.details["round"] == 2


def test_states_are_kept_per_campaign_and_family(con):
    move(con, "en_revue")
    move(con, "publie")
    rv.transition(con, CAMPAIGN, "iqss", "en_revue", actor="nat", now=T0)
    assert rv.public_campaigns(con) == {(CAMPAIGN, FAMILY)}
    assert rv.state_of(con, CAMPAIGN, "iqss") == "en_revue"
    assert rv.state_of(con, 2024, FAMILY) == "calcule"
