"""Publication states on the portal and the review from the pages: on a copy of the small demo
with the demo's review states (every campaign published except the patient experience of the
latest one, in review), an establishment sees its own results in review before anyone else,
contests one, the national team answers and publishes, and the public pages, the API and the
exports show the campaign only then; withdrawing hides it again. Every step is audited."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from hospiscope.access import accounts, audit, sessions
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.cli.demo_review import prepare_demo_review
from hospiscope.web.cache import SESSION_COOKIE
from web.conftest import client_of

FAMILY = "experience_patient"


@pytest.fixture(scope="module")
def review_site(demo_warehouse, tmp_path_factory):
    """(client, cookies by role, establishment A, establishment B, campaign held in review)."""
    path = tmp_path_factory.mktemp("revue") / "demo.duckdb"
    shutil.copy(demo_warehouse, path)
    states = prepare_demo_review(path)
    campaign = next(c for c, f, s in states if s == "en_revue")
    client = client_of(path)
    store = client.app.state.store
    with store.cursor(private=True) as con:
        first, second = [
            row[0]
            for row in con.execute(
                """SELECT entity_id FROM results WHERE entity_kind = 'etablissement'
                AND indicator_code LIKE 'ESATIS%' AND period = ? GROUP BY 1 ORDER BY 1 LIMIT 2""",
                [str(campaign)],
            ).fetchall()
        ]
    perimeter = store.prepared("perimeter")
    region = perimeter.et_region[first]
    other_region = next(r for r in sorted(set(perimeter.et_region.values()) - {region, None}))
    roles = {
        "etab_a": ("etablissement", [first]),
        "etab_b": ("etablissement", [second]),
        "ars": ("ars", [region]),
        "ars_autre": ("ars", [other_region]),
        "national": ("national", []),
    }
    cookies = {}
    with AccessDatabase(access_path(path)) as db, db.transaction() as con:
        for name, (role, scope) in roles.items():
            account = accounts.add_account(con, f"revue.{name}", role, scope, None, utc_now())
            cookies[name] = sessions.open_session(con, account, utc_now()).cookie_value
    yield client, cookies, first, second, campaign
    client.app.state.access.close()


def _as(site, name):
    return {"Cookie": f"{SESSION_COOKIE}={site[1][name]}"}


def _periods(page: dict) -> set[str]:
    return {v["period"] for v in page["indicators"] if v["domain"] == FAMILY}


def _csrf(site, name, url) -> str:
    html = site[0].get(url, headers=_as(site, name)).text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _csv(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text[:200]
    text = answer.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))  # (format=csv: the international one)


def _events(site, action: str) -> list:
    with site[0].app.state.access.transaction() as con:
        return [e for e in audit.read(con, limit=0) if e.action == action]


def test_a_campaign_in_review_is_not_public(review_site):
    client, _, first, _, campaign = review_site
    public = client.get(f"/etablissements/{first}.json").json()
    assert str(campaign) not in _periods(public) and _periods(public)  # the earlier campaign
    assert any(f"Campagne {campaign}" in s for s in public["layout"]["unpublished"])
    html = client.get(f"/etablissements/{first}").text
    assert f"Campagne {campaign} — expérience des patients : en revue" in html
    export = _csv(client.get(f"/exports/etablissements/{first}/resultats?format=csv"))
    esatis = [row for row in export if row["indicateur"].startswith("ESATIS")]
    assert esatis and all(row["periode"] != str(campaign) for row in esatis)
    bulk = _csv(client.get(f"/exports/campagnes/{campaign}?format=csv"))
    assert bulk and not any(row["indicateur"].startswith("ESATIS") for row in bulk)
    indicator = client.get("/indicateurs/ESATIS48H_SCORE.json").json()
    assert str(campaign) not in indicator["campaigns"]


def test_the_establishment_sees_its_results_in_review_and_nobody_else(review_site):
    client, _, first, _, campaign = review_site
    own = client.get(f"/espace/etablissements/{first}.json", headers=_as(review_site, "etab_a"))
    assert own.status_code == 200
    assert str(campaign) in _periods(own.json())
    assert set(own.json()["publication"].values()) == {"campagne en revue, non publiée"}
    review = {(r["campaign"], r["family"]): r for r in own.json()["review"]}
    assert review[(campaign, FAMILY)]["can_act"] and review[(campaign, FAMILY)]["indicators"]
    national = client.get(
        f"/espace/etablissements/{first}.json", headers=_as(review_site, "national")
    )
    assert str(campaign) in _periods(national.json())
    assert not any(r["can_act"] for r in national.json()["review"])  # it answers, not accepts
    ars = client.get(f"/espace/etablissements/{first}.json", headers=_as(review_site, "ars"))
    assert ars.status_code == 200 and str(campaign) not in _periods(ars.json())
    assert ars.json()["publication"] == {}
    assert ars.json()["review"] is None  # contests and answers are the establishment's
    for name in ("etab_b", "ars_autre"):
        other = client.get(f"/espace/etablissements/{first}.json", headers=_as(review_site, name))
        assert other.status_code == 404


def test_contest_answer_publish_then_withdraw(review_site):
    client, _, first, second, campaign = review_site
    page = f"/espace/etablissements/{first}"
    form = {"campagne": campaign, "famille": FAMILY}
    contest = {**form, "indicateur": "ESATIS48H_SCORE", "motif": "Réponses <b>manquantes</b>"}
    url = f"{page}/revue/contestation"
    # refused: without the form token, by another establishment, by the national team
    assert client.post(url, data=contest, headers=_as(review_site, "etab_a")).status_code == 403
    token_b = _csrf(review_site, "etab_b", f"/espace/etablissements/{second}")
    refused = client.post(
        url, data={**contest, "csrf": token_b}, headers=_as(review_site, "etab_b")
    )
    assert refused.status_code == 404
    token_n = _csrf(review_site, "national", "/espace/national/revue")
    refused = client.post(
        url, data={**contest, "csrf": token_n}, headers=_as(review_site, "national")
    )
    assert refused.status_code == 403
    # the establishment contests; accepting is then refused until the answer
    token_a = _csrf(review_site, "etab_a", page)
    filed = client.post(url, data={**contest, "csrf": token_a}, headers=_as(review_site, "etab_a"),
                        follow_redirects=False)  # fmt: skip
    assert filed.status_code == 303 and filed.headers["location"].startswith(page)
    shown = client.get(page, headers=_as(review_site, "etab_a")).text
    assert "&lt;b&gt;manquantes&lt;/b&gt;" in shown and "<b>manquantes" not in shown
    accept = client.post(f"{page}/revue/acceptation", data={**form, "csrf": token_a},
                         headers=_as(review_site, "etab_a"))  # fmt: skip
    assert accept.status_code == 409
    assert "attend encore sa réponse" in accept.text
    # the national team: publishing is refused while the contest waits
    state = "/espace/national/revue/etat"
    publish = {**form, "etat": "publie", "csrf": token_n}
    waiting = client.post(state, data=publish, headers=_as(review_site, "national"))
    assert waiting.status_code == 409
    checks = client.get("/espace/national.json", headers=_as(review_site, "national")).json()
    by_label = {check["label"]: check for check in checks["checks"]}
    assert by_label["Contestations sans réponse"]["status"] == "attention"
    assert by_label["Résultats à jour des importations"]["status"] == "ok"
    national = client.get("/espace/national/revue.json", headers=_as(review_site, "national"))
    contest_id = next(c["id"] for c in national.json()["contests"] if c["finess"] == first)
    answer = {"decision": "rejetee", "reponse": "Vérifié : conforme.", "csrf": token_n}
    answered = client.post(
        f"/espace/national/contestations/{contest_id}/reponse",
        data=answer,
        headers=_as(review_site, "national"),
        follow_redirects=False,
    )
    assert answered.status_code == 303
    published = client.post(state, data=publish, headers=_as(review_site, "national"),
                            follow_redirects=False)  # fmt: skip
    assert published.status_code == 303
    # the public sees the campaign at once (the store reloads after a change of state)
    public = client.get(f"/etablissements/{first}.json").json()
    assert str(campaign) in _periods(public) and not public["layout"]["unpublished"]
    bulk = _csv(client.get(f"/exports/campagnes/{campaign}?format=csv"))
    assert any(row["indicateur"].startswith("ESATIS") for row in bulk)
    # withdrawing needs a reason, then hides the campaign again
    withdraw = {**form, "etat": "retire", "csrf": token_n}
    assert (
        client.post(state, data=withdraw, headers=_as(review_site, "national")).status_code == 409
    )
    done = client.post(state, data={**withdraw, "motif": "erreur de calcul"},
                       headers=_as(review_site, "national"), follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    public = client.get(f"/etablissements/{first}.json").json()
    assert str(campaign) not in _periods(public)
    assert any("retirée" in s for s in public["layout"]["unpublished"])
    # every step is in the audit trail, with who; refusals too
    assert [e.outcome for e in _events(review_site, audit.REVIEW_CONTEST)].count("ok") == 1
    assert [e.actor for e in _events(review_site, audit.REVIEW_ANSWER)] == ["revue.national"]
    publishes = _events(review_site, audit.REVIEW_PUBLISH)
    assert {e.outcome for e in publishes if e.actor == "revue.national"} == {"ok", "refused"}
    withdrawals = [e for e in _events(review_site, audit.REVIEW_WITHDRAW) if e.outcome == "ok"]
    assert withdrawals[0].details["reason"] == "erreur de calcul"


def test_the_review_page_is_for_the_national_team(review_site):
    client = review_site[0]
    # (an establishment reviews its own results: the nation is outside its perimeter, 404)
    for name, status in (("etab_a", 404), ("ars", 403), ("national", 200)):
        answer = client.get("/espace/national/revue.json", headers=_as(review_site, name))
        assert answer.status_code == status, name
    assert client.get("/espace/national/revue.json").status_code == 401
    html = client.get("/espace/national/revue", headers=_as(review_site, "national")).text
    assert "Revue et publication" in html and 'name="csrf"' in html


def test_the_private_export_follows_the_page(review_site):
    client, _, first, _, campaign = review_site
    url = f"/espace/etablissements/{first}/resultats?format=csv"
    own = _csv(client.get(url, headers=_as(review_site, "etab_a")))
    in_review = [row for row in own if row["indicateur"].startswith("ESATIS")
                 and row["periode"] == str(campaign)]  # fmt: skip
    # (in review, or withdrawn by the flow test before: unpublished either way)
    assert in_review and {row["etat_publication"] for row in in_review} <= {"en revue", "retirée"}
    assert "effectifs_masques" not in own[0]  # the establishment's own counts
    ars = _csv(client.get(url, headers=_as(review_site, "ars")))
    assert ars and not any(row["periode"] == str(campaign) and row["indicateur"].startswith(
        "ESATIS") for row in ars)  # fmt: skip
    assert "effectifs_masques" in ars[0]  # as seen beyond the establishment
    refused = client.get(url, headers=_as(review_site, "etab_b"))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert client.get(url).status_code == 401


def test_a_ght_or_ars_sees_small_counts_masked_the_establishment_does_not(review_site):
    client = review_site[0]
    with client.app.state.store.cursor() as con:
        finess, code = con.execute(
            """SELECT entity_id, indicator_code FROM results WHERE counts_hidden
            AND entity_kind = 'etablissement' ORDER BY period DESC, 1, 2 LIMIT 1"""
        ).fetchone()
    region = client.app.state.store.prepared("perimeter").et_region[finess]
    cookies = {}
    with client.app.state.access.transaction() as con:
        for login, role, scope in (("masque.ars", "ars", [region]),
                                   ("masque.etab", "etablissement", [finess])):  # fmt: skip
            account = accounts.add_account(con, login, role, scope, None, utc_now())
            cookies[role] = sessions.open_session(con, account, utc_now()).cookie_value
    shown = {}
    for role, cookie in cookies.items():
        page = client.get(f"/espace/etablissements/{finess}.json",
                          headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}).json()  # fmt: skip
        shown[role] = next(v for v in page["indicators"] if v["code"] == code)
    assert shown["ars"]["counts_hidden"] and shown["ars"]["numerator"] is None
    assert not shown["etablissement"]["counts_hidden"]
    assert shown["etablissement"]["numerator"] is not None or shown["etablissement"]["denominator"]
