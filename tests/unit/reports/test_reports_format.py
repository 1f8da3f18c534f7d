"""French number formatting of the reports."""

import datetime as dt

import pytest

from hospiscope.reports import format as fr

NN = "\u202f"  # narrow no-break space
NB = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NN}234,5"),
        (1234567.891, 1, f"1{NN}234{NN}567,9"),
        (999, 0, "999"),
        (0, 0, "0"),
        (-3, 0, f"{MINUS}3"),
        (-1234.25, 2, f"{MINUS}1{NN}234,25"),
        (74.85, 1, "74,9"),  # half-up on the written decimal, not on the binary float
        (0.125, 2, "0,13"),
        (-0.04, 1, "0,0"),  # no negative zero
        (None, 1, "—"),
    ],
)
def test_number(value, decimals, expected):
    assert fr.number(value, decimals) == expected


def test_number_trim_drops_zero_fraction_only():
    assert fr.number(3.0, 1, trim=True) == "3"
    assert fr.number(3.5, 1, trim=True) == "3,5"
    assert fr.number(1200.0, 1, trim=True) == f"1{NN}200"


def test_percent_and_share():
    assert fr.percent(79.5) == f"79,5{NN}%"
    assert fr.percent(79, 0) == f"79{NN}%"
    assert fr.share(0.66) == f"66{NN}%"
    assert fr.share(0.004, 1) == f"0,4{NN}%"
    assert fr.percent(None) == "—"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.6, f"+0,6{NN}pt"),
        (0.5, f"+0,5{NN}pt"),
        (1.0, f"+1{NN}pt"),
        (1.5, f"+1,5{NN}pt"),
        (-3, f"{MINUS}3{NN}pts"),
        (6, f"+6{NN}pts"),
        (1.96, f"+2{NN}pts"),  # plural from 2, after rounding
        (0.0, f"0{NN}pt"),
        (-0.04, f"0{NN}pt"),
    ],
)
def test_points(change, expected):
    assert fr.points(change) == expected


def test_values_with_their_unit():
    assert fr.with_unit(74.8, "/100") == "74,8/100"
    assert fr.with_unit(79.5, "%") == f"79,5{NN}%"
    assert fr.with_unit(1633, "décisions") == f"1{NN}633{NB}décisions"
    assert fr.with_unit(2.345, "jours") == f"2,3{NB}jours"
    assert fr.with_unit(None, "%") == "—"
    assert fr.with_unit(1.0, "ratio O/A") == f"1,00{NB}ratio O/A"


def test_change_in_points_or_in_the_unit():
    assert fr.change(0.5, "/100") == f"+0,5{NN}pt"
    assert fr.change(-3, "%") == f"{MINUS}3{NN}pts"
    assert fr.change(12, "établissements") == f"+12{NB}établissements"
    assert fr.change(None, "%") == "—"
    assert fr.change(0.034, "ratio O/A") == "+0,03"
    assert fr.change(0.0, "ratio O/A") == "0,00"


def test_interval_and_counts():
    assert fr.interval(74.75, 74.85) == f"[74,8{NN}; 74,9]"
    assert fr.interval(None, 3) == "—"
    assert fr.integer(530_000) == f"530{NN}000"
    assert fr.integer(12.5) == "12,5"


def test_dates_and_quotes():
    assert fr.date(dt.date(2026, 11, 22)) == "22 novembre 2026"
    assert fr.date(dt.date(2025, 8, 1)) == "1er août 2025"
    assert fr.datetime(dt.datetime(2026, 11, 22, 14, 5)) == f"22 novembre 2026 à 14{NB}h{NB}05"
    assert fr.guillemets("Haute qualité des soins") == f"«{NN}Haute qualité des soins{NN}»"
