"""`hospiscope review …` end to end on a small demo warehouse: the state of every computed
(campaign, family), opening, publishing, answering contests, forced publication and withdrawal
with a reason, French refusals with a non-zero exit code, and every change (refused ones too)
in the audit trail with the system user as actor."""

import json
import shutil

import pytest

from hospiscope.access import contests
from hospiscope.access.database import AccessDatabase, access_path

from support import hospiscope

CAMPAIGN, FAMILY = 2024, "processus"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The smallest demo warehouse, with its results computed (built once: ~15 s)."""
    path = tmp_path_factory.mktemp("demo") / "w.duckdb"
    hospiscope("demo", "--scale", "0.002", "-w", path)
    return path


@pytest.fixture
def warehouse(demo, tmp_path):
    """A copy of the demo warehouse, without an access database: each test starts computed."""
    path = tmp_path / "w.duckdb"
    shutil.copy(demo, path)
    return path


def review(warehouse, *args, code=0):
    return hospiscope("review", *args, "-w", warehouse, check_code=code)


def status(warehouse, *args):
    done = review(warehouse, "status", "--json", *args)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {(row["campaign"], row["family"]): row for row in rows}


def audit_events(warehouse):
    done = hospiscope("audit", "--json", "--limit", "0", "-w", warehouse)
    return [json.loads(line) for line in reversed(done.stdout.splitlines())]


def file_contest(warehouse, indicator="ICSHA3"):
    """An establishment contests a result (the web side: through the access layer)."""
    with AccessDatabase(access_path(warehouse)) as db, db.transaction() as con:
        change = contests.contest(
            con, CAMPAIGN, FAMILY, "010000065", indicator, "Dénominateur incomplet", actor="et"
        )
    return change.details["contest"]


def test_status_lists_every_computed_campaign_and_family(warehouse):
    rows = status(warehouse)
    assert (CAMPAIGN, FAMILY) in rows and len({campaign for campaign, _ in rows}) > 1
    assert {row["state"] for row in rows.values()} == {"calcule"}
    assert set(status(warehouse, "--campaign", str(CAMPAIGN))) == {
        key for key in rows if key[0] == CAMPAIGN
    }
    table = review(warehouse, "status").stdout
    assert "calculée" in table and "contestations ouvertes/répondues" in table


def test_unknown_campaign_is_refused_with_what_to_run(warehouse):
    for args in (("status", "--campaign", "1999"), ("open", "--campaign", "1999")):
        done = review(warehouse, *args, code=1)
        assert "aucun résultat calculé par hospiscope pour la campagne 1999" in done.stderr
        assert "hospiscope compute" in done.stderr
    done = review(warehouse, "open", "--campaign", str(CAMPAIGN), "--family", "inconnue", code=1)
    assert "aucun résultat calculé de la famille inconnue" in done.stderr
    refused = [e for e in audit_events(warehouse) if e["outcome"] == "refused"]
    assert [e["action"] for e in refused] == ["review.open", "review.open"]


def test_open_then_publish_is_recorded_with_who_and_when(warehouse):
    done = review(warehouse, "open", "--campaign", str(CAMPAIGN))
    opened = [key for key in status(warehouse) if key[0] == CAMPAIGN]
    assert done.stdout.count("revue ouverte") == len(opened) > 1
    row = status(warehouse)[(CAMPAIGN, FAMILY)]
    assert row["state"] == "en_revue" and row["changed_by"].startswith("cli:")
    assert row["window_closes"] and row["changed_at"]
    review(warehouse, "publish", "--campaign", str(CAMPAIGN), "--family", FAMILY)
    assert status(warehouse)[(CAMPAIGN, FAMILY)]["state"] == "publie"
    events = audit_events(warehouse)
    assert [e["action"] for e in events] == ["review.open"] * len(opened) + ["review.publish"]
    published = events[-1]
    assert published["outcome"] == "ok" and published["actor"].startswith("cli:")
    assert published["entity_kind"] == "campagne"
    assert published["entity_id"] == f"{CAMPAIGN}/{FAMILY}"
    assert published["details"]["from"] == "en_revue"


def test_an_open_contest_blocks_publication_until_answered(warehouse):
    review(warehouse, "open", "--campaign", str(CAMPAIGN), "--family", FAMILY)
    contest_id = file_contest(warehouse)
    assert status(warehouse)[(CAMPAIGN, FAMILY)]["open_contests"] == 1
    done = review(warehouse, "publish", "--campaign", str(CAMPAIGN), "--family", FAMILY, code=1)
    assert "1 contestation sans réponse" in done.stderr
    listed = review(warehouse, "contests", "--open").stdout
    assert "ICSHA3" in listed and "en attente" in listed
    done = review(warehouse, "answer", str(contest_id), "--reject", "--text", "Données vérifiées")
    assert "rejetée" in done.stdout
    row = status(warehouse)[(CAMPAIGN, FAMILY)]
    assert (row["open_contests"], row["answered_contests"]) == (0, 1)
    assert "Aucune contestation sans réponse" in review(warehouse, "contests", "--open").stdout
    review(warehouse, "publish", "--campaign", str(CAMPAIGN), "--family", FAMILY)
    actions = [(e["action"], e["outcome"]) for e in audit_events(warehouse)]
    assert actions == [
        ("review.open", "ok"),
        ("review.publish", "refused"),
        ("review.answer", "ok"),
        ("review.publish", "ok"),
    ]


def test_forced_publication_needs_a_reason(warehouse):
    review(warehouse, "open", "--campaign", str(CAMPAIGN), "--family", FAMILY)
    file_contest(warehouse)
    publish = ("publish", "--campaign", str(CAMPAIGN), "--family", FAMILY, "--force")
    done = review(warehouse, *publish, code=1)
    assert "Une publication forcée exige un motif écrit." in done.stderr
    done = review(warehouse, *publish, "--reason", "Calendrier national")
    assert "Publication forcée malgré 1 contestation sans réponse" in done.stdout
    last = audit_events(warehouse)[-1]
    assert last["action"] == "review.publish" and last["details"]["forced"] is True
    assert last["details"]["reason"] == "Calendrier national"


def test_withdrawal_needs_a_reason_and_a_new_review_may_follow(warehouse):
    target = ("--campaign", str(CAMPAIGN), "--family", FAMILY)
    review(warehouse, "open", *target)
    review(warehouse, "publish", *target)
    done = review(warehouse, "withdraw", *target, code=1)
    assert "Le retrait d'une campagne publiée exige un motif écrit." in done.stderr
    review(warehouse, "withdraw", *target, "--reason", "Erreur de calcul")
    assert status(warehouse)[(CAMPAIGN, FAMILY)]["state"] == "retire"
    review(warehouse, "open", *target)
    assert status(warehouse)[(CAMPAIGN, FAMILY)]["state"] == "en_revue"
    withdrawn = [e for e in audit_events(warehouse) if e["action"] == "review.withdraw"]
    assert [e["outcome"] for e in withdrawn] == ["refused", "ok"]
    assert withdrawn[1]["details"]["reason"] == "Erreur de calcul"


def test_refusals_are_in_french_and_change_nothing(warehouse):
    done = review(warehouse, "publish", "--campaign", str(CAMPAIGN), "--family", FAMILY, code=1)
    assert "Passage impossible de l'état « calculée » à l'état « publiée »." in done.stderr
    # Several families: all or nothing (one already in review refuses the whole opening).
    review(warehouse, "open", "--campaign", str(CAMPAIGN), "--family", FAMILY)
    done = review(warehouse, "open", "--campaign", str(CAMPAIGN), code=1)
    assert f"{CAMPAIGN}/{FAMILY}" in done.stderr and "Aucun changement enregistré" in done.stderr
    states = {k: r["state"] for k, r in status(warehouse).items() if k[0] == CAMPAIGN}
    assert sorted(states.values()) == ["calcule"] * (len(states) - 1) + ["en_revue"]
    assert (
        "introuvable" in review(warehouse, "answer", "99", "--accept", "--text", "x", code=1).stderr
    )
    assert "--accept ou --reject" in review(warehouse, "answer", "99", "--text", "x", code=1).stderr
    contest_id = str(file_contest(warehouse))
    done = review(warehouse, "answer", contest_id, "--accept", code=1)
    assert "exige un texte" in done.stderr
    review(warehouse, "answer", contest_id, "--accept", "--text", "Corrigé")
    done = review(warehouse, "answer", contest_id, "--accept", "--text", "encore", code=1)
    assert "a déjà reçu une réponse" in done.stderr
    answers = [e for e in audit_events(warehouse) if e["action"] == "review.answer"]
    assert [e["outcome"] for e in answers] == ["refused"] * 3 + ["ok", "refused"]
    assert answers[3]["entity_kind"] == "contestation"
    assert answers[3]["entity_id"] == contest_id
