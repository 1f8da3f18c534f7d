"""The indicator pages on the small demo warehouse: definition and SQL, campaigns, the
distribution by class, the funnel plot, regions and types, the list of establishments (filters,
pages, never sorted by result by default), twins; and escaping on a hostile warehouse with a
result."""

import re
import shutil
import unicodedata

import pytest
from markupsafe import escape

from hospiscope.results.answer import answer
from hospiscope.warehouse import Warehouse
from hospiscope.web import method_sql
from web.conftest import HOSTILE_FINESS, HOSTILE_NAME, client_of

RATE = "VACCIN_GRIPPE"  # a rate with a class grid, results for every establishment type


@pytest.fixture(scope="module")
def rate_page(portal):
    twin = portal.get(f"/indicateurs/{RATE}.json")
    assert twin.status_code == 200
    return twin.json(), portal.get(f"/indicateurs/{RATE}").text


def name_order(name: str) -> str:
    """Alphabetical as a reader expects it: accents, case and punctuation ignored."""
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return re.sub("[^0-9a-z]+", " ", plain).strip()


def establishments_of(path, period):
    with Warehouse(path, read_only=True) as wh:
        frame = answer(wh.con, indicator=RATE, period=period).frame
    return frame[frame["entity_kind"] == "etablissement"]


def test_definition_reading_guide_and_the_sql_that_ran(rate_page):
    twin, html = rate_page
    definition = twin["definition"]
    assert definition["code"] == RATE and definition["class_grids"]
    grid = definition["class_grids"][0]
    assert grid["source"] and grid["assumption"] is True
    assert "hypothèse hospiscope" in html and grid["source"][:40] in html
    status = definition["review"]["status"]  # "non relu par un second relecteur" or a name
    assert status[0].upper() + status[1:] in html
    facts = dict(definition["facts"])
    assert facts["Source"] in html and facts["Version de la méthode"] in html
    assert any("intervalle de confiance" in p for p in twin["reading"])
    assert any("Plus la valeur est haute" in p for p in twin["reading"])
    method = twin["method"]
    assert method["missing"] is None and method["matches_results"] is True
    sql = method["blocks"][0]["sql"]
    assert "SELECT" in sql and "<details" in html and "<pre><code>" in html
    assert escape(sql) in html  # shown escaped, as it is
    assert (method_sql.TABLE, method_sql.DERIVED_PREFIX) == ("method_cache", "derived:")


def test_the_latest_campaign_by_default_and_another_on_request(portal, rate_page):
    twin, _ = rate_page
    campaigns = twin["campaigns"]
    assert len(campaigns) >= 2 and twin["campaign"] == campaigns[0] == max(campaigns)
    older = portal.get(f"/indicateurs/{RATE}.json?campagne={campaigns[-1]}").json()
    assert older["campaign"] == campaigns[-1] != twin["campaign"]
    national = {n["period"]: n["value"] for n in older["national"]}
    assert older["current"]["value"] == national[campaigns[-1]]
    assert older["current"]["ci_low"] <= older["current"]["value"] <= older["current"]["ci_high"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        (f"/indicateurs/{RATE}.json?campagne=1999", 404, "unknown_campaign"),
        (f"/indicateurs/{RATE}/etablissements.json?campagne=1999", 404, "unknown_campaign"),
        (f"/indicateurs/{RATE}.json?campagne=%3Cscript%3E", 400, "invalid_parameter"),
        (f"/indicateurs/{RATE}/etablissements.json?tri=resultat", 400, "invalid_parameter"),
    ],
)
def test_wrong_campaigns_and_parameters_have_the_error_shape(portal, url, status, code):
    answered = portal.get(url)
    assert answered.status_code == status
    error = answered.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]


def test_distribution_counts_the_establishments_with_a_class(rate_page, portal_warehouse):
    twin, html = rate_page
    distribution = twin["distribution"]
    rows = establishments_of(portal_warehouse, twin["campaign"])
    classed = int(rows["class"].notna().sum())
    assert sum(c["count"] for c in distribution["classes"]) == distribution["classed"] == classed
    assert sum(c["count"] for c in distribution["statuses"]) == int(rows["status"].notna().sum())
    assert distribution["total"] == len(rows)
    assert sum(c["share"] for c in distribution["classes"]) == pytest.approx(1)
    # Best first, coloured by the direction (higher is better: "exemplaire" is rang-0).
    assert distribution["classes"][0]["code"] == "exemplaire"
    assert [c["css"] for c in distribution["classes"]][0::4] == ["rang-0", "rang-4"]
    assert 'class="graphe barres" aria-hidden="true"' in html and "<caption>Nombre et part" in html


def test_funnel_plot_of_a_rate(rate_page):
    twin, html = rate_page
    funnel = twin["funnel"]
    assert funnel["kind"] == "proportion" and funnel["adjusted"] in (True, False)
    assert funnel["target"] == pytest.approx(twin["current"]["value"])
    # (establishments whose counts are hidden as small are not drawn, and counted)
    assert len(funnel["points"]) + funnel["hidden_counts"] == twin["distribution"]["with_value"]
    assert sum(p["count"] for p in funnel["positions"]) == len(funnel["points"])
    limits = funnel["limits"]
    assert all(len(v) == len(funnel["precision"]) for v in limits.values())
    for low, high in zip(limits["lower_95"], limits["upper_95"], strict=True):
        assert low <= funnel["target"] <= high
    assert 'class="graphe entonnoir" aria-hidden="true"' in html
    assert "sans valeur officielle" in html
    assert " style=" not in html and "<style" not in html and "<script>" not in html


def test_results_by_region_and_type(rate_page):
    twin, html = rate_page
    tables = {t["kind"]: t for t in twin["groups"]}
    assert {"region", "strate:type", "strate:taille"} <= set(tables)
    regions = tables["region"]["rows"]
    assert [r["code"] for r in regions] == sorted(r["code"] for r in regions)  # not by value
    assert sum(r["establishments"] for r in regions) == twin["distribution"]["with_value"]
    assert any(r["label"] == "Auvergne-Rhône-Alpes" for r in regions)
    for row in regions + tables["strate:type"]["rows"]:
        if row["ci_low"] is not None:
            assert row["ci_low"] <= row["value"] <= row["ci_high"]
    assert "Centre hospitalier" in {r["label"] for r in tables["strate:type"]["rows"]}
    assert "Par type d&#39;établissement, campagne" in html


def test_establishment_list_filters_pages_and_order(portal, rate_page):
    twin, html = rate_page
    first = twin["establishments"]
    names = [r["name"] for r in first["rows"]]
    assert names == sorted(names, key=name_order)  # by name: never a league table by default
    assert all(f'href="/etablissements/{r["finess"]}"' in html for r in first["rows"])
    base = f"/indicateurs/{RATE}/etablissements.json?campagne={twin['campaign']}"
    region = portal.get(f"{base}&region=84").json()["establishments"]
    assert 0 < region["total"] < first["everything"]
    assert {r["region"] for r in region["rows"]} == {"84"}
    second = portal.get(f"{base}&region=84&page=2").json()["establishments"]
    assert second["page"] == 2 and second["pages"] == region["pages"] > 1
    assert not {r["finess"] for r in second["rows"]} & {r["finess"] for r in region["rows"]}
    both = portal.get(f"{base}&region=84&classe=insuffisant&type=CH").json()["establishments"]
    assert both["total"] > 0 and {r["cls"] for r in both["rows"]} == {"insuffisant"}
    assert {r["type"] for r in both["rows"]} == {"Centre hospitalier"}
    asked = portal.get(f"{base}&region=84&tri=valeur_croissante").json()["establishments"]
    values = [r["value"] for r in asked["rows"] if r["value"] is not None]
    assert values == sorted(values) and asked["total"] == region["total"]


def test_the_page_shows_what_its_twin_carries(rate_page):
    twin, html = rate_page
    assert f"{twin['distribution']['classed']:,}".replace(",", "\u202f") in html
    for category in twin["distribution"]["classes"]:
        assert escape(category["label"]) in html
    for row in twin["groups"][0]["rows"]:
        assert escape(row["label"]) in html
    assert escape(twin["reading"][0]) in html
    assert "charts" not in twin  # drawings are the page's own; the twin carries their data


def test_uncached_mode_answers_the_same(portal, portal_warehouse):
    direct = client_of(portal_warehouse, copy=False)
    url = f"/indicateurs/{RATE}/etablissements.json?region=84"
    cached, uncached = portal.get(url).json(), direct.get(url).json()
    cached.pop("layout"), uncached.pop("layout")
    assert cached == uncached


@pytest.fixture(scope="module")
def hostile_results_portal(hostile_warehouse, tmp_path_factory):
    """The hostile registry with published results: the `<script>` establishment and ten
    others (enough for a funnel)."""
    path = tmp_path_factory.mktemp("hostile-results") / "entrepot.duckdb"
    shutil.copy(hostile_warehouse, path)
    with Warehouse(path) as wh:
        others = [
            row[0]
            for row in wh.con.execute(
                "SELECT finess_et FROM establishments WHERE finess_et <> ? ORDER BY 1 LIMIT 10",
                [HOSTILE_FINESS],
            ).fetchall()
        ]
        rows = [("etablissement", f, 20.0 + i, 50.0 + 5 * i) for i, f in enumerate(others)]
        rows += [("etablissement", HOSTILE_FINESS, 30.0, 60.0), ("national", "FR", 500.0, 1000.0)]
        for kind, entity, numerator, denominator in rows:
            wh.con.execute(
                """INSERT INTO results (indicator_code, method_version, definition_hash, period,
                entity_kind, entity_id, numerator, denominator, value, ci_low, ci_high,
                import_runs, computed_at, origin)
                VALUES ('VACCIN_GRIPPE', '1.0', 'publie', '2023-2024', ?, ?, ?, ?, ?, ?, ?,
                [], now(), 'publie')""",
                [kind, entity, numerator, denominator, 100 * numerator / denominator, 1.0, 99.0],
            )
    return client_of(path)


def test_establishment_names_are_escaped_in_the_lists(hostile_results_portal):
    for url in (f"/indicateurs/{RATE}", f"/indicateurs/{RATE}/etablissements"):
        page = hostile_results_portal.get(url)
        assert page.status_code == 200
        assert HOSTILE_NAME not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    twin = hostile_results_portal.get(f"/indicateurs/{RATE}.json").json()
    assert HOSTILE_NAME in {r["name"] for r in twin["establishments"]["rows"]}
    assert twin["method"]["missing"]  # published results only: no compiled SQL to show
    assert twin["funnel"]["kind"] == "proportion"
