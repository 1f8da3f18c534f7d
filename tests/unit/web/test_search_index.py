"""The in-memory establishment search (web/search_index.py) on a tiny inline registry: what
matches, in which order, near a position, with filters, paged."""

import math

import pytest

from hospiscope.web.search_index import Filters, SearchIndex, normalised


def _row(finess, name, city, postcode, department, *, lon=None, lat=None, **extra):
    row = {
        "finess_et": finess,
        "finess_ej": extra.pop("ej", "010000000"),
        "name": name,
        "city": city,
        "postcode": postcode,
        "commune_code": extra.pop("commune", None),
        "department_code": department,
        "region_code": extra.pop("region", "84"),
        "category_group_code": extra.pop("type", "1100"),
        "legal_status": extra.pop("status", "public"),
        "activities": extra.pop("activities", ["MCO"]),
        "decision": extra.pop("decision", None),
        "longitude": lon,
        "latitude": lat,
    }
    row["search_text"] = normalised(f"{name} {city} {postcode} {finess} {row['finess_ej']}")
    row["city_key"] = normalised(city)
    row["name_key"] = normalised(name)
    return row


ROWS = [
    _row("690000001", "Hôpital Édouard Herriot", "Lyon", "69003", "69", lon=4.88, lat=45.74),
    _row("690000002", "Clinique du Parc", "Lyon", "69006", "69", lon=4.85, lat=45.77,
         status="prive_lucratif", activities=["MCO", "CA"]),
    _row("010000003", "Centre hospitalier de Lyonnais", "Bourg-en-Bresse", "01000", "01",
         lon=5.22, lat=46.20, commune="01053"),
    _row("380000004", "Clinique Belledonne", "Saint-Martin-d'Hères", "38400", "38",
         lon=5.76, lat=45.17, decision="2"),
    _row("750000005", "Hôpital sans position", "Paris", "75013", "75", region="11"),
]


@pytest.fixture(scope="module", params=[True, False], ids=["trigrammes", "parcours"])
def index(request):
    """With the trigram index and without it (every text scanned): the same answers."""
    return SearchIndex(ROWS, trigrams=request.param)


def _numbers(found):
    return [row["finess_et"] for row in found[1]]


def test_every_term_must_appear_accents_and_case_aside(index):
    assert _numbers(index.search("hopital EDOUARD", Filters())) == ["690000001"]
    assert _numbers(index.search("clinique lyon", Filters())) == ["690000002"]
    assert index.search("maternité", Filters()) == (0, [])
    assert _numbers(index.search("ouard", Filters())) == ["690000001"]  # inside a word
    assert _numbers(index.search("ly", Filters())) == ["690000002", "690000001", "010000003"]


def test_communes_of_that_name_first_then_names_starting_with_it_then_by_name(index):
    # "lyon": the two establishments of Lyon (by name), then the name containing it.
    assert _numbers(index.search("lyon", Filters())) == ["690000002", "690000001", "010000003"]
    assert _numbers(index.search("clinique", Filters())) == ["380000004", "690000002"]


def test_postcode_insee_code_and_finess_match_exactly(index):
    assert _numbers(index.search("69003", Filters())) == ["690000001"]
    assert _numbers(index.search("01053", Filters())) == ["010000003"]
    assert _numbers(index.search("380000004", Filters())) == ["380000004"]
    assert _numbers(index.search("6900", Filters())) == ["690000002", "690000001"]  # a substring


def test_a_department_code_or_name_lists_its_establishments(index):
    assert _numbers(index.search("Ain", Filters())) == ["010000003"]
    assert _numbers(index.search("69", Filters())) == ["690000002", "690000001"]


def test_filters(index):
    assert _numbers(index.search("", Filters(legal_status="prive_lucratif"))) == ["690000002"]
    assert _numbers(index.search("", Filters(activity="CA"))) == ["690000002"]
    assert _numbers(index.search("", Filters(decision="2"))) == ["380000004"]
    assert _numbers(index.search("", Filters(region="11"))) == ["750000005"]
    assert index.search("lyon", Filters(department="01"))[0] == 1


def test_near_a_position_by_distance_within_the_radius(index):
    total, rows = index.search("", Filters(), near=(4.83, 45.76), radius_km=50)
    assert [r["finess_et"] for r in rows] == ["690000002", "690000001"]
    assert total == 2
    expected = 2 * 6371 * math.asin(math.sqrt(
        math.sin(math.radians(45.77 - 45.76) / 2) ** 2
        + math.cos(math.radians(45.76)) * math.cos(math.radians(45.77))
        * math.sin(math.radians(4.85 - 4.83) / 2) ** 2))
    assert rows[0]["distance_km"] == pytest.approx(expected)
    # Without a radius, an establishment without a position comes last.
    _, rows = index.search("", Filters(), near=(4.83, 45.76))
    assert rows[-1]["finess_et"] == "750000005" and rows[-1]["distance_km"] is None


def test_pages_count_and_the_keys_are_not_shown(index):
    total, first = index.search("", Filters(), limit=2)
    _, second = index.search("", Filters(), limit=2, offset=2)
    assert total == 5 and len(first) == 2 and len(second) == 2
    assert not {r["finess_et"] for r in first} & {r["finess_et"] for r in second}
    assert index.search("lyon", Filters(), count=False)[0] is None
    assert "search_text" not in first[0] and first[0]["distance_km"] is None


def test_by_finess(index):
    assert index.establishment("380000004")["city"] == "Saint-Martin-d'Hères"
    assert index.establishment("999999999") is None
    assert [r["finess_et"] for r in index.establishments(["750000005", "x", "690000001"])] == [
        "750000005",
        "690000001",
    ]
