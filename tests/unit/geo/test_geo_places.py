"""Places for "near a place" searches: communes found by name or INSEE code, with their
centroid, and distances."""

import csv
from importlib import resources

import numpy as np
import pytest

from hospiscope.geo.places import all_places, distance_km, find_places


def codes(query, limit=10):
    return [place.code_insee for place in find_places(query, limit)]


def shipped_rows(filename):
    path = resources.files("hospiscope.data").joinpath("geo").joinpath(filename)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@pytest.mark.parametrize(
    "query", ["saint etienne", "Saint-Étienne", "SAINT-ETIENNE", "st etienne", "St-Étienne"]
)
def test_names_match_without_accents_case_hyphens_or_abbreviation(query):
    place = find_places(query)[0]
    assert (place.code_insee, place.name, place.department_code) == ("42218", "Saint-Étienne", "42")


def test_a_place_carries_its_centroid_and_population():
    place = find_places("saint etienne")[0]
    assert place.lon == pytest.approx(4.38, abs=0.05)
    assert place.lat == pytest.approx(45.44, abs=0.05)
    assert place.population > 150_000


def test_exact_names_then_prefixes_then_words_then_substrings():
    found = codes("lyon")
    # Lyon; Lyons-la-Forêt (a prefix, 756 inhabitants) before Sainte-Foy-lès-Lyon (a word of
    # the name, 21 000 inhabitants).
    assert found[:3] == ["69123", "27377", "69202"]
    assert "03080" in found  # Cognat-Lyonne: the query inside a word
    assert found.index("69202") < found.index("03080")


def test_a_name_is_found_without_its_article():
    assert codes("havre")[0] == "76351"  # Le Havre
    assert codes("le havre")[0] == "76351"


def test_communes_of_the_same_name_largest_first_overseas_included():
    found = find_places("Saint-Denis")
    assert {found[0].code_insee, found[1].code_insee} == {"97411", "93066"}
    assert found[0].population > found[1].population > found[2].population
    assert {place.department_code for place in found[:2]} == {"974", "93"}


def test_corsica():
    ajaccio, bastia = find_places("ajaccio")[0], find_places("Bastia")[0]
    assert (ajaccio.code_insee, ajaccio.department_code) == ("2A004", "2A")
    assert (bastia.code_insee, bastia.department_code) == ("2B033", "2B")
    assert 41.5 < ajaccio.lat < 43.1 and 8.5 < ajaccio.lon < 9.6


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("42218", ["42218"]),
        ("2a004", ["2A004"]),
        ("97411", ["97411"]),
        ("75113", ["75056"]),  # an arrondissement finds its city
        ("13205", ["13055"]),
        ("99999", []),
    ],
)
def test_an_insee_code(query, expected):
    assert codes(query) == expected


def test_paris_lyon_and_marseille_are_one_place_each():
    places = all_places()
    assert {"75056", "69123", "13055"} <= places.keys()
    assert not [code for code in places if code.startswith(("751", "132", "6938"))]
    assert places["75056"].population > 2_000_000  # the arrondissements summed


@pytest.mark.parametrize("query", ["", " ", "a", "É", "-", "'a"])
def test_an_empty_or_one_letter_query_finds_nothing(query):
    assert find_places(query) == []


def test_limit():
    assert len(find_places("saint", limit=3)) == 3
    assert find_places("saint", limit=0) == []
    assert len(set(codes("saint", limit=50))) == 50


def test_merged_communes_keep_their_2018_centroid_or_average_their_former_ones():
    centroids = {
        row["code_insee"]: (float(row["lon"]), float(row["lat"]))
        for row in shipped_rows("communes-centroides-2018.csv")
    }
    places = all_places()
    # Cherbourg-en-Cotentin (2016): its 2018 self.
    assert (places["50129"].lon, places["50129"].lat) == centroids["50129"]
    # Conques-en-Rouergue took a new code after 2018: its only delegated commune of 2018.
    assert (places["12218"].lon, places["12218"].lat) == centroids["12076"]
    # Porte des Pierres Dorées: the mean of the two 2018 communes merged into it.
    mean = np.mean([centroids["69101"], centroids["69159"]], axis=0)
    assert (places["69114"].lon, places["69114"].lat) == pytest.approx(tuple(mean), abs=1e-4)


def test_only_communes_restored_after_2018_have_no_centroid():
    current = {row["COM"] for row in shipped_rows("communes.csv") if row["TYPECOM"] == "COM"}
    assert len(current) == 34_875
    missing = current - all_places().keys()
    # Sannerville; Celles, Chalinargues, Chavagnac, Sainte-Anastasie; L'Oie, Sainte-Florence.
    assert missing == {"14666", "15031", "15035", "15047", "15171", "85165", "85212"}


def test_mayotte_has_places_without_population():
    mamoudzou = find_places("Mamoudzou")[0]
    assert (mamoudzou.code_insee, mamoudzou.population) == ("97611", None)


def test_distance_paris_lyon():
    places = all_places()
    paris, lyon = places["75056"], places["69123"]
    assert distance_km(paris.lon, paris.lat, lyon.lon, lyon.lat) == pytest.approx(392, abs=5)
    assert distance_km(paris.lon, paris.lat, paris.lon, paris.lat) == 0.0


def test_distances_to_many_points_at_once():
    distances = distance_km(2.35, 48.85, np.array([2.35, 4.84]), np.array([48.85, 45.76]))
    assert distances.shape == (2,)
    assert distances[0] == 0.0
    assert distances[1] == pytest.approx(392, abs=5)
    # A quarter of the equator.
    assert distance_km(0, 0, 90, 0) == pytest.approx(np.pi * 6371.0088 / 2)
