"""The spread of the establishments' values on an indicator page: round bin edges, the
histogram and its statistics (against numpy on the warehouse's own values), the legal-status
table (quartiles computed by the portal, the engine's value only where it stored one), the
list filtered by legal status, and the twin carrying all of it."""

import itertools

import numpy as np
import pytest

from hospiscope.results.answer import answer
from hospiscope.warehouse import Warehouse
from hospiscope.web.indicator_spread import LEGAL_STATUSES, nice_edges, quartiles

RATE = "VACCIN_GRIPPE"  # a rate with values from 0 to 100 %, pooled by the engine per status
SCORE = "ESATISCA_SCORE"  # a score out of 100, values between about 74 and 91
UNPOOLED = "CERT_IMP_DOULEUR"  # no status level in the engine; every value is 100 %


@pytest.mark.parametrize(
    ("low", "high", "options", "expected"),
    [
        (0, 100, {}, [5.0 * i for i in range(21)]),  # 20 bins of 5 points, 100 on the last edge
        (74.25, 90.73, {}, [float(e) for e in range(74, 92)]),
        (0.31, 0.69, {}, [round(0.3 + 0.02 * i, 2) for i in range(21)]),
        (0, 7, {"whole": True}, [float(e) for e in range(8)]),  # never a width under 1
        (0, 1000, {"whole": True}, [50.0 * i for i in range(21)]),
        (75.3, 95.5, {"most": 5}, [75.0, 80.0, 85.0, 90.0, 95.0, 100.0]),
        (5, 5, {}, [5]),
    ],
)
def test_round_bin_edges(low, high, options, expected):
    edges = nice_edges(low, high, **options)
    assert edges == pytest.approx(expected)
    assert edges[0] <= low and edges[-1] >= high


def test_quartiles_are_numpys_and_need_four_values():
    values = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0])
    assert quartiles(values) == pytest.approx((1.5, 3.0, 4.5))  # numpy's linear interpolation
    assert quartiles(values[:3]) == (None, 3.0, None)
    assert quartiles(np.array([])) == (None, None, None)


@pytest.fixture(scope="module")
def pages(portal):
    def fetch(code):
        twin = portal.get(f"/indicateurs/{code}.json")
        assert twin.status_code == 200
        return twin.json(), portal.get(f"/indicateurs/{code}").text

    return {code: fetch(code) for code in (RATE, SCORE, UNPOOLED, "CERT_DECISION")}


def warehouse_rows(path, code, period):
    """The campaign's establishments as the results layer gives them, with their legal
    status (unknown: missing from the registry)."""
    with Warehouse(path, read_only=True) as wh:
        frame = answer(wh.con, indicator=code, period=period).frame
        statuses = wh.con.execute("SELECT finess_et, legal_status FROM establishments").df()
    rows = frame[frame["entity_kind"] == "etablissement"]
    rows = rows.merge(statuses, left_on="entity_id", right_on="finess_et", how="left")
    rows["legal_status"] = rows["legal_status"].fillna("inconnu")
    return rows, frame[frame["entity_kind"] == "statut"]


@pytest.mark.parametrize("code", [RATE, SCORE])
def test_histogram_and_statistics_of_the_values(pages, portal_warehouse, code):
    twin, html = pages[code]
    spread = twin["spread"]
    rows, _ = warehouse_rows(portal_warehouse, code, twin["campaign"])
    values = rows["value"].dropna().to_numpy(dtype=float)
    assert spread["count"] == len(values) == twin["distribution"]["with_value"]
    assert [spread["q1"], spread["median"], spread["q3"]] == pytest.approx(
        np.quantile(values, [0.25, 0.5, 0.75]).tolist()
    )
    assert (spread["minimum"], spread["maximum"]) == (values.min(), values.max())
    bins = spread["bins"]
    assert 10 <= len(bins) <= 20
    assert sum(b["count"] for b in bins) == len(values)
    assert all(a["upper"] == b["lower"] for a, b in itertools.pairwise(bins))
    assert {round(b["upper"] - b["lower"], 9) for b in bins} == {spread["step"]}
    assert bins[0]["lower"] <= values.min() and values.max() <= bins[-1]["upper"]
    assert [b["closed"] for b in bins] == [False] * (len(bins) - 1) + [True]
    for b in bins:  # each count is the values in its bin, the last one closed
        inside = (values >= b["lower"]) & (
            (values <= b["upper"]) if b["closed"] else (values < b["upper"])
        )
        assert b["count"] == int(inside.sum())
    national = twin["current"]["value"]
    assert spread["national"] == pytest.approx(national)
    assert spread["below_national"] == int((values < national).sum())
    assert 'class="graphe histogramme" aria-hidden="true"' in html
    assert 'class="repere"' in html and "Valeur nationale :" in html
    assert " style=" not in html and "<style" not in html


def test_bins_are_written_in_the_unit(pages):
    rate, score = pages[RATE][0]["spread"], pages[SCORE][0]["spread"]
    assert rate["step"] == 5 and rate["step_label"] == "5\u00a0points"
    assert rate["bins"][0]["label"] == "de 0\u202f% à moins de 5\u202f%"
    assert rate["bins"][-1]["label"] == "de 95\u202f% à 100\u202f%"  # 100 % is in the last bin
    assert score["bins"][0]["label"].startswith("de 74/100 à moins de 75/100")
    html = pages[RATE][1]
    assert '<th scope="row">De 0\u202f% à moins de 5\u202f%</th>' in html
    assert "Premier quartile" in html and "Troisième quartile" in html


def test_one_value_for_every_establishment_needs_no_chart(pages):
    twin, html = pages[UNPOOLED]
    spread = twin["spread"]
    assert spread["step"] is None and spread["minimum"] == spread["maximum"] == 100
    assert spread["bins"] == [
        {
            "lower": 100.0,
            "upper": 100.0,
            "closed": True,
            "count": spread["count"],
            "label": "toutes égales à 100\u202f%",
        }
    ]
    assert "graphe histogramme" not in html and "Toutes égales à 100\u202f%" in html


def test_values_that_are_codes_have_no_spread(pages):
    twin, html = pages["CERT_DECISION"]
    assert twin["spread"] is None and twin["statuses"] is None
    assert 'id="valeurs"' not in html and 'id="statuts"' not in html


@pytest.mark.parametrize("code", [RATE, UNPOOLED])
def test_legal_statuses_quartiles_of_the_portal_value_of_the_engine(pages, portal_warehouse, code):
    twin, html = pages[code]
    table = twin["statuses"]
    rows, pooled = warehouse_rows(portal_warehouse, code, twin["campaign"])
    codes = [r["code"] for r in table["rows"]]
    assert codes == [c for c in LEGAL_STATUSES if c in codes]  # the codebook's order
    assert set(rows["legal_status"]) <= set(codes)
    assert sum(r["establishments"] for r in table["rows"]) == twin["distribution"]["with_value"]
    engine = pooled.set_index("entity_id")
    for row in table["rows"]:
        values = rows.loc[rows["legal_status"] == row["code"], "value"].dropna().to_numpy()
        assert row["establishments"] == len(values)
        if len(values) >= 4:
            assert [row["q1"], row["median"], row["q3"]] == pytest.approx(
                np.quantile(values, [0.25, 0.5, 0.75]).tolist()
            )
        if row["code"] in engine.index:  # the engine's value, never one the portal made up
            assert row["value"] == pytest.approx(engine.loc[row["code"], "value"])
        else:
            assert row["value"] is row["ci_low"] is None
    assert table["pooled"] is (not pooled.empty)
    assert ("Valeur de l'ensemble (moteur)" in html) is table["pooled"]
    assert "quartiles calculés par le portail" in html
    assert 'href="/indicateurs/' + code + "/etablissements?campagne=" in html


def test_the_rate_has_an_engine_value_per_status(pages):
    table = pages[RATE][0]["statuses"]
    assert table["pooled"] is True
    assert {r["code"] for r in table["rows"]} >= {"public", "prive_lucratif"}
    for row in table["rows"]:
        assert row["ci_low"] <= row["value"] <= row["ci_high"]


def test_the_list_filtered_by_legal_status(portal, pages, portal_warehouse):
    twin, _ = pages[RATE]
    rows, _ = warehouse_rows(portal_warehouse, RATE, twin["campaign"])
    totals = 0
    for row in twin["statuses"]["rows"]:
        answered = portal.get(row["url"].replace("/etablissements?", "/etablissements.json?"))
        assert answered.status_code == 200
        listed = answered.json()["establishments"]
        assert listed["selected"]["statut"] == row["code"]
        assert listed["total"] == int((rows["legal_status"] == row["code"]).sum())
        assert listed["statuses"][0]["label"] == "Public"
        totals += listed["total"]
    assert totals == len(rows) == twin["establishments"]["everything"]
    page = portal.get(twin["statuses"]["rows"][0]["url"]).text
    assert '<select id="f-statut" name="statut">' in page
    assert '<option value="public" selected>Public</option>' in page


@pytest.mark.parametrize("asked", ["prive", "PUBLIC", "%3Cscript%3E"])
def test_an_unknown_legal_status_is_refused(portal, asked):
    answered = portal.get(f"/indicateurs/{RATE}/etablissements.json?statut={asked}")
    assert answered.status_code == 400
    assert answered.json()["error"]["code"] == "invalid_parameter"
