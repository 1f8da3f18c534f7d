"""The portal on the small demo warehouse: search, identity card with results, twins that
carry the same data as the pages, the source rule of the command line."""

from hospiscope.access.publication import PRIVATE_FAMILIES
from hospiscope.catalogue import catalogue_meta
from hospiscope.results.answer import answer
from hospiscope.warehouse import Warehouse
from hospiscope.web.values import SOURCE_OPTION
from web.conftest import client_of


def a_hospital_with_results(path):
    with Warehouse(path, read_only=True) as wh:
        return wh.con.execute(
            """SELECT entity_id FROM results WHERE entity_kind = 'etablissement'
            AND value IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
        ).fetchall()[0][0]


def test_search_by_name_commune_postcode_and_department(portal):
    by_commune = portal.get("/recherche.json?q=bourg en bresse").json()
    assert by_commune["total"] >= 1
    assert by_commune["results"][0]["city"].upper().startswith("BOURG EN BRESSE")
    by_postcode = portal.get("/recherche.json?q=01000").json()
    assert by_postcode["total"] >= 1 and all(
        r["postcode"] == "01000" for r in by_postcode["results"]
    )
    accents = portal.get("/recherche.json?q=hôpital").json()["total"]
    assert accents == portal.get("/recherche.json?q=HOPITAL").json()["total"] > 0
    in_ain = portal.get("/recherche.json?departement=01").json()
    assert in_ain["total"] > 10 and {r["department"] for r in in_ain["results"]} == {"01"}
    for name in ("ain", "01", "Ain"):
        assert portal.get(f"/recherche.json?q={name}").json()["total"] == in_ain["total"]
    corsica = portal.get("/recherche.json?q=haute-corse").json()
    assert corsica["total"] > 0 and {r["department"] for r in corsica["results"]} == {"2B"}
    by_number = portal.get("/recherche.json?q=010000065").json()["results"]
    assert [r["finess"] for r in by_number] == ["010000065"]


def test_filters_narrow_the_search(portal):
    everything = portal.get("/recherche.json").json()["total"]
    certified = portal.get("/recherche.json?certification=certifie").json()
    assert 0 < certified["total"] < everything
    assert {r["certification"] for r in certified["results"]} == {"Certifié"}
    psy = portal.get("/recherche.json?activite=PSY").json()
    assert psy["total"] > 0 and all("PSY" in r["activities"] for r in psy["results"])


def test_suggestions_as_you_type(portal):
    html = portal.get("/recherche/suggestions?q=bourg").text
    assert 'role="option"' in html and "/etablissements/" in html
    assert portal.get("/recherche/suggestions.json?q=b").json()["results"] == []


def test_establishment_page_and_its_twin_agree(portal, portal_warehouse):
    finess = a_hospital_with_results(portal_warehouse)
    twin = portal.get(f"/etablissements/{finess}.json").json()
    html = portal.get(f"/etablissements/{finess}").text
    assert twin["establishment"]["finess"] == finess and twin["indicators"]
    for value in twin["indicators"]:
        assert f"/indicateurs/{value['code']}" in html
        assert value["method_version"] and value["period"] and value["origin"]
        if value["value"] is not None and value["ci_low"] is not None:
            assert value["ci_low"] <= value["value"] <= value["ci_high"]
    assert any(r["label"] == "France entière" for v in twin["indicators"] for r in v["references"])


def test_the_portal_follows_the_source_rule_of_the_command_line(portal, portal_warehouse):
    finess = a_hospital_with_results(portal_warehouse)
    with Warehouse(portal_warehouse, read_only=True) as wh:
        expected = answer(wh.con, entity_kind="etablissement", entity_id=finess)
    twin = portal.get(f"/etablissements/{finess}.json").json()
    assert twin["notices"]["source"] == expected.source.sentence(SOURCE_OPTION)
    # (the families private by nature — efficiency — are never on the public portal)
    metas = catalogue_meta()
    public = expected.frame[
        [metas[code].domain not in PRIVATE_FAMILIES for code in expected.frame["indicator_code"]]
    ]
    latest = public.sort_values("period").groupby("indicator_code").tail(1)
    assert {v["code"]: v["period"] for v in twin["indicators"]} == dict(
        zip(latest["indicator_code"], latest["period"], strict=True)
    )


def test_uncached_mode_answers_the_same(portal, portal_warehouse):
    finess = a_hospital_with_results(portal_warehouse)
    direct = client_of(portal_warehouse, copy=False)
    for url in (f"/etablissements/{finess}.json", "/recherche.json?q=centre&departement=01"):
        cached, uncached = portal.get(url).json(), direct.get(url).json()
        cached.pop("layout"), uncached.pop("layout")
        assert cached == uncached


def test_indicator_pages(portal):
    catalogue = portal.get("/indicateurs.json").json()["indicators"]
    assert len(catalogue) >= 60
    page = portal.get("/indicateurs/ESATIS48H_SCORE.json").json()
    assert page["definition"]["code"] == "ESATIS48H_SCORE" and page["national"]
    assert "Numérateur" in portal.get("/indicateurs/ESATIS48H_SCORE").text


def test_map_by_region_and_department(portal):
    regions = portal.get("/carte.json").json()
    assert len(regions["areas"]) == 18 and regions["legend"]
    coloured = [a for a in regions["areas"] if a["band"] is not None]
    assert coloured and all(a["value"] is not None for a in coloured)
    assert regions["svg"].count("<path") >= 18 and "<script" not in regions["svg"]
    departments = portal.get("/carte.json?niveau=departement").json()
    assert len(departments["areas"]) == 101
    html = portal.get("/carte?niveau=departement").text
    assert "/recherche?departement=2A" in html and "<caption>" in html
    wrong = portal.get("/carte.json?campagne=1999")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_parameter"
    assert portal.get("/recherche.json?region=94").json()["results"][0]["region"] == "94"


def test_compare_up_to_four_in_the_order_chosen(portal, portal_warehouse):
    with Warehouse(portal_warehouse, read_only=True) as wh:
        numbers = [
            row[0]
            for row in wh.con.execute(
                """SELECT entity_id FROM results WHERE entity_kind = 'etablissement'
                GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3"""
            ).fetchall()
        ][::-1]
    query = "&".join(f"finess={n}" for n in numbers)
    twin = portal.get(f"/comparer.json?{query}").json()
    assert [e["finess"] for e in twin["establishments"]] == numbers
    assert twin["rows"] and all(len(r["values"]) == 3 for r in twin["rows"])
    html = portal.get(f"/comparer?{query}").text
    assert all(f"/etablissements/{n}" in html for n in numbers)
    five = "&".join(f"finess={n}" for n in [*numbers, "010000065", "010000081"])
    assert portal.get(f"/comparer.json?{five}").json()["error"]["code"] == "invalid_parameter"
    search = portal.get("/recherche?q=centre hospitalier").text
    assert 'action="/comparer"' in search and 'name="finess"' in search


def test_near_a_commune_sorted_by_distance(portal):
    near = portal.get("/recherche.json?pres_de=bourg-en-bresse&rayon=20").json()
    assert near["near"]["label"].startswith("Bourg-en-Bresse") and near["total"] > 0
    distances = [r["distance_km"] for r in near["results"]]
    assert distances == sorted(distances) and distances[-1] <= 20
    by_position = portal.get("/recherche.json?lat=46.2052&lon=5.2255&rayon=20").json()
    assert by_position["total"] == near["total"] or abs(by_position["total"] - near["total"]) < 5
    unknown = portal.get("/recherche.json?pres_de=qqqzzz")
    assert (
        unknown.status_code == 400 and "commune introuvable" in unknown.json()["error"]["message"]
    )


def test_exports_of_a_list_and_of_a_campaign(portal):
    import io

    import pyarrow.parquet as pq

    excel = portal.get("/exports/etablissements?departement=01&format=csv-excel")
    assert excel.status_code == 200 and excel.content.startswith(b"\xef\xbb\xbf")
    assert excel.text.splitlines()[0].lstrip("\ufeff").startswith("finess_et;nom;")
    total = portal.get("/recherche.json?departement=01").json()["total"]
    assert len(excel.text.strip().splitlines()) == total + 1
    assert "attachment" in excel.headers["content-disposition"]
    xlsx = portal.get("/exports/etablissements?departement=01&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    campaign = portal.get("/api.json").json()["campaigns"][0]["year"]
    bulk = portal.get(f"/exports/campagnes/{campaign}?format=parquet")
    table = pq.read_table(io.BytesIO(bulk.content))
    assert table.num_rows > 0 and {"indicateur", "valeur", "ic_bas"} <= set(table.column_names)
    assert portal.get("/exports/campagnes/2001?format=csv").json()["error"]["code"] == "no_results"
