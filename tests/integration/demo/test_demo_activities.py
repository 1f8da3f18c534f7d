"""The demo's one activity rule: satellite sites (SMUR, imaging, dialysis, day hospitals,
psychiatry) never get hip or knee replacements, and every family goes only to eligible
establishments."""

import numpy as np
import polars as pl
import pytest

from hospiscope.demo.activities import FAMILIES, eligible
from hospiscope.demo.capacity import generate_capacity
from hospiscope.demo.families import DemoContext, iso_ortho
from hospiscope.demo.sites import site_kind

SITES = {  # names of the bundled registry, with the category the extract gives them
    "390000001": ("101", "CHU LIMOGES - ANTENNE SMUR AU CH ST YRIEIX LA PERCHE"),
    "390000002": ("101", "HJ PSY INFANTO JUVENILE CMPEA VAUVERT"),
    "390000003": ("101", 'HOPITAL DE JOUR PSYCHIATRIQUE POUR ADULTES "L\'EMBARCADERE"'),
    "390000004": ("355", "HOPITAL DE JOUR RAMBOUILLET"),
    "390000005": ("365", "CENTRE D'IMAGERIE MEDICALE ET RADIOLOGIE"),
    "390000006": ("355", "CENTRE DE DIALYSE DU CH"),
    "390000007": ("101", "CENTRE DE PSYCHIATRIE INFANTO-JUVENILE"),
    "390000008": ("292", "CENTRE HOSPITALIER SPECIALISE VALVERT MARSEILLE"),
    "390000009": ("101", "CENTRE GRATUIT D'INFORMATION ET DE DEPISTAGE SITE SAINT ELOI"),
}
HOSPITALS = {f"39100{i:04d}": ("101", f"CENTRE HOSPITALIER UNIVERSITAIRE {i}") for i in range(60)}


@pytest.fixture(scope="module")
def capacity():
    rows = {**SITES, **HOSPITALS}
    registry = pl.DataFrame(
        {
            "finess_et": list(rows),
            "name": [name for _, name in rows.values()],
            "category_code": [category for category, _ in rows.values()],
        }
    )
    return generate_capacity(np.random.default_rng(3), registry, 2023)


def test_satellites_are_told_apart_by_their_name():
    kinds = {f: site_kind(c, n) for f, (c, n) in SITES.items()}
    assert kinds["390000001"] == "urgences" and kinds["390000005"] == "imagerie"
    assert kinds["390000006"] == "dialyse" and kinds["390000004"] == "hopital_de_jour"
    assert kinds["390000003"] == "hopital_de_jour_psy"
    assert kinds["390000002"] == "ambulatoire"  # its CMPEA (child psychiatry centre) wins
    assert kinds["390000007"] == "psychiatrie"
    assert kinds["390000008"] == "hopital"  # a CHS: its psychiatric category profile
    assert site_kind("101", "CHU DE NICE HOPITAL PASTEUR") == "hopital"


def test_no_hip_or_knee_replacement_outside_surgical_hospitals(capacity, tmp_path):
    context = DemoContext(pl.DataFrame(), capacity, tmp_path, (2024,), 0.05, 1)
    [(_, path)] = iso_ortho.write_files(context)
    operated = set(
        pl.read_csv(path, separator=";", schema_overrides={"finess": pl.String})["finess"]
    )
    assert operated and operated <= set(HOSPITALS)
    assert not operated & set(SITES)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_satellites_without_the_activity_get_no_family(capacity, family):
    chosen = set(capacity.filter(eligible(capacity, family))["finess_et"])
    for finess in ("390000001", "390000005", "390000006", "390000009"):  # no beds nor places
        assert finess not in chosen, (family, finess)
    if family in ("iso_ortho", "esatis:ca", "audits:CA"):
        assert not chosen & set(SITES)
