"""The small-count rule on results: which cells count persons, primary and secondary
suppression, and the public view of the portal's store against this reference."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from hospiscope.access.disclosure import DisclosureRule
from hospiscope.access.result_disclosure import (
    BOTH,
    DENOMINATOR,
    NUMERATOR,
    person_cells,
    protect_result,
    result_note,
)
from hospiscope.catalogue import catalogue_meta
from hospiscope.web.store import public_results


def test_every_indicator_of_the_catalogue_says_which_cells_count_persons():
    assert [code for code in catalogue_meta() if person_cells(code) is None] == []
    assert person_cells("AUDIT_MCO_QLS") == BOTH
    assert person_cells("ESATIS48H_SCORE") == {DENOMINATOR}  # respondents; a sum of scores
    assert person_cells("ESATIS48H_RECO") == BOTH  # longest prefix wins
    assert person_cells("ISO_PTH") == {NUMERATOR}  # infections; an expected count
    assert person_cells("ICSHA3") == frozenset()


@pytest.mark.parametrize(
    ("code", "numerator", "denominator", "shown", "small", "masked"),
    [
        ("AUDIT_MCO_QLS", 5, 60, (None, None), ("numerator",), ("denominator",)),
        ("AUDIT_MCO_QLS", 50, 60, (50, 60), (), ()),
        ("AUDIT_MCO_QLS", 0, 60, (0, 60), (), ()),  # zeros are shown
        ("AUDIT_MCO_QLS", 8, 10, (None, None), ("denominator", "numerator"), ()),
        ("AUDIT_MCO_QLS", 11, 40, (11, 40), (), ()),  # the threshold itself is shown
        ("ESATIS48H_SCORE", 500.0, 8, (None, None), ("denominator",), ("numerator",)),
        ("ESATIS48H_SCORE", 7.0, 40, (7.0, 40), (), ()),  # a sum of scores is no person
        ("ISO_PTH", 3, 2.4, (None, None), ("numerator",), ("denominator",)),
        ("ICSHA3", 4.0, 5.0, (4.0, 5.0), (), ()),
        ("INCONNU", 3, 50, (None, None), ("numerator",), ("denominator",)),  # unclassified
    ],
)
def test_primary_and_secondary_suppression(code, numerator, denominator, shown, small, masked):
    found = protect_result(code, numerator, denominator)
    assert (found.numerator, found.denominator) == shown
    assert (found.small, found.masked) == (small, masked)
    assert found.hidden == bool(small or masked)


def test_the_threshold_is_configurable_and_labelled():
    rule = DisclosureRule(threshold=5, label="seuil de test")
    assert protect_result("AUDIT_MCO_QLS", 6, 60, rule).numerator == 6
    assert protect_result("AUDIT_MCO_QLS", 4, 60, rule).numerator is None
    assert "seuil de test" in result_note(rule) and "1 à 4" in result_note(rule)
    assert "hypothèse hospiscope" in result_note()


def test_the_public_view_of_the_store_applies_the_reference_rule():
    """The SQL of the portal's public view (web/store.py) against protect_result, on every
    combination of small, zero, missing and large counts."""
    counts = [None, 0, 1, 10, 11, 250]
    rows = [
        (code, "2024", origin, n, d)
        for code in ("AUDIT_MCO_QLS", "ESATIS48H_SCORE", "ISO_PTH", "ICSHA3", "INCONNU")
        for origin in ("calcul", "publie")
        for n in counts
        for d in counts
    ]
    frame = pd.DataFrame(rows, columns=["indicator_code", "period", "origin", "numerator",
                                        "denominator"])  # fmt: skip
    cells = pd.DataFrame(
        [(c, NUMERATOR in person_cells(c), DENOMINATOR in person_cells(c))
         for c in ("AUDIT_MCO_QLS", "ESATIS48H_SCORE", "ISO_PTH", "ICSHA3")],
        columns=["indicator_code", "numerator", "denominator"],
    )  # fmt: skip
    pairs = pd.DataFrame(
        [(c, 2024) for c in frame["indicator_code"].unique()],
        columns=["indicator_code", "campaign"],
    )
    con = duckdb.connect()
    for name, table in (("r_frame", frame), ("c_frame", cells), ("p_frame", pairs)):
        con.register(name, table)
    found = con.execute(public_results("r_frame", "p_frame", "c_frame")).df()
    assert len(found) == len(frame)  # (every row published here, in the same order)
    for source, shown in zip(frame.itertuples(index=False), found.itertuples(index=False),
                             strict=True):  # fmt: skip
        expected = (source.numerator, source.denominator)
        hidden = False
        if source.origin == "calcul":
            ruled = protect_result(source.indicator_code, _n(source.numerator),
                                   _n(source.denominator))  # fmt: skip
            expected, hidden = (ruled.numerator, ruled.denominator), ruled.hidden
        assert (_n(shown.numerator), _n(shown.denominator)) == tuple(map(_n, expected))
        assert bool(shown.counts_hidden) == hidden


def _n(value):
    return None if value is None or value != value else float(value)
