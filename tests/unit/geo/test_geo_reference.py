"""Reference geography (COG) and commune matching from postal routing names."""

import pytest

from hospiscope.geo import geography
from hospiscope.geo.reference import normalise_place_name, strip_cedex


def test_counts_of_the_official_geography():
    geo = geography()
    assert len(geo.regions) == 18
    assert len(geo.departments) == 101
    assert geo.region_of_department("2A") == "94"
    assert geo.region_of_department("976") == "06"
    assert geo.region_of_department("975") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("St-Étienne", "SAINT ETIENNE"),
        ("Vandœuvre-lès-Nancy", "VANDOEUVRE LES NANCY"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("STE FOY", "SAINTE FOY"),
    ],
)
def test_normalise_place_name(name, expected):
    assert normalise_place_name(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BOURG EN BRESSE CEDEX 02", "BOURG EN BRESSE"),
        ("ANGERS 01", "ANGERS"),
        ("VILLENEUVE ST GEORGES CEDE", "VILLENEUVE ST GEORGES"),
        ("CAYENNE CEDEX", "CAYENNE"),
    ],
)
def test_strip_cedex(name, expected):
    assert strip_cedex(name) == expected


@pytest.mark.parametrize(
    ("department", "name", "postcode", "expected"),
    [
        ("01", "VIRIAT", "01440", "01451"),
        ("75", "PARIS", "75013", "75113"),  # municipal district from the postcode
        ("69", "LYON CEDEX 03", "69003", "69383"),
        ("13", "MARSEILLE 09", "13009", "13209"),
        ("2A", "AJACCIO", "20090", "2A004"),
        ("974", "ST DENIS CEDEX", "97405", "97411"),
        ("33", "LA TESTE", "33260", "33529"),  # routing name = start of the commune's name
        ("53", "CHATEAU GONTIER SUR MAYENN", "53200", "53062"),  # cut at 26 characters
        ("58", "CHATEAU CHINON", "58120", None),  # ambiguous: Ville or Campagne
        ("01", "NULLE PART", "01000", None),
    ],
)
def test_find_commune(department, name, postcode, expected):
    assert geography().find_commune(department, name, postcode) == expected


def test_merged_commune_resolves_to_current_one():
    geo = geography()
    former = next(code for code in geo.former_codes)
    assert geo.resolve_code(former) in geo.communes
    assert geo.resolve_code("99999") is None
