"""Every shipped definition loads and is coherent; the metadata schema rejects incoherent
definitions; class grids classify boundary values as published (lower bound inclusive)."""

import datetime as dt

import ibis
import pytest
from pydantic import ValidationError

from hospiscope.catalogue import catalogue, get_indicator
from hospiscope.catalogue.model import ClassBand, ClassGrid, IndicatorMeta
from hospiscope.catalogue.registry import UnknownIndicator
from hospiscope.engines.levels import base_expression
from hospiscope.results.fingerprint import definition_hash, unbound_tables

# e-Satis MCO 48 h, campaign 2019, overall adjusted score (HAS open-data lexicon 2019).
GRID_2019 = ClassGrid(
    bands=(
        ClassBand(code="A", label="A", lower=79.7),
        ClassBand(code="B", label="B", lower=76.5, upper=79.7),
        ClassBand(code="C", label="C", lower=73.1, upper=76.5),
        ClassBand(code="D", label="D", upper=73.1),
    ),
    source="HAS, lexique open data e-Satis 48h MCO 2019",
)


def test_catalogue_loads_every_definition():
    codes = set(catalogue())
    assert {"REG_ETAB", "ESATIS48H_RECO", "ESATISCA_RECO", "ESATISSMR_RECO"} <= codes
    for code, indicator in catalogue().items():
        assert indicator.code == code
        assert callable(indicator.compute) and callable(indicator.reference)
        assert indicator.meta.review.next_review > indicator.meta.review.reviewed_on


@pytest.mark.parametrize("code", list(catalogue()))
def test_every_definition_compiles_to_sql(code, warehouse):
    """Each computation compiles against the real warehouse schema (derived tables, fitted
    parameters included) and has a fingerprint."""
    indicator = get_indicator(code)
    tables = unbound_tables(indicator, warehouse.con)
    assert "SELECT" in ibis.to_sql(base_expression(indicator, tables), dialect="duckdb")
    assert definition_hash(indicator, warehouse.con).startswith("f2:")


def test_unknown_indicator_lists_the_known_ones():
    with pytest.raises(UnknownIndicator, match=r"inconnu : NOPE .*hospiscope indicators"):
        get_indicator("NOPE")
    with pytest.raises(UnknownIndicator, match=r"ESATIS48H_RECO"):
        get_indicator("ESATIS48H_REC")  # the closest codes are suggested


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (79.7, "A"),
        (100.0, "A"),
        (79.69, "B"),
        (76.5, "B"),
        (76.49, "C"),
        (73.1, "C"),
        (73.09, "D"),
        (0.0, "D"),
    ],
)
def test_class_grid_2019_boundaries(value, expected):
    assert GRID_2019.classify(value) == expected


def test_class_grid_with_a_gap_is_refused():
    with pytest.raises(ValidationError, match="gap or overlap"):
        ClassGrid(
            bands=(
                ClassBand(code="A", label="A", lower=80),
                ClassBand(code="B", label="B", upper=79),
            ),
            source="test",
        )


def _meta(**changes) -> dict:
    base = get_indicator("ESATIS48H_RECO").meta.model_dump()
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ci_method": "none"}, "needs a denominator and a CI method"),
        ({"target": 80.0}, "a target needs its source"),
        ({"statuses": ()}, "minimum sample needs the DI status"),
        ({"levels": ("etablissement", "canton")}, "unknown levels"),
        ({"method_version": "v2"}, "String should match pattern"),
        ({"code": "lower_case"}, "String should match pattern"),
    ],
)
def test_incoherent_metadata_is_refused(changes, message):
    with pytest.raises(ValidationError, match=message):
        IndicatorMeta(**_meta(**changes))


def test_metadata_is_frozen():
    meta = get_indicator("REG_ETAB").meta
    with pytest.raises(ValidationError):
        meta.code = "OTHER"
    assert meta.review.reviewed_on <= dt.date.today()
