"""FINESS numbers: shape, leading zeros, Corsica, Luhn key — on every real number we have."""

import csv
import json

import pytest

from hospiscope.sources.finess.numbers import (
    finess_problem,
    is_valid_finess,
    luhn_check_digit,
    normalise_finess,
)

from support import BUNDLED_GISCO, SHARED_RAW


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10000024", "010000024"),
        (" 010000024 ", "010000024"),
        ("2a0000022", "2A0000022"),
        ("970100400", "970100400"),
        ("1234", "1234"),
    ],
)
def test_normalise_restores_the_dropped_leading_zero(raw, expected):
    assert normalise_finess(raw) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "absent"),
        ("01000002", "9 caractères attendus, 8 reçus"),
        ("0100000245", "9 caractères attendus, 10 reçus"),
        ("01000002X", "caractères non autorisés"),
        ("2C0000022", "caractères non autorisés"),
        ("000000024", "département 00"),
        ("010000025", "clé de contrôle incorrecte"),
        ("2A0000023", "clé de contrôle incorrecte"),
    ],
)
def test_invalid_numbers_say_why(value, reason):
    assert reason in finess_problem(value)


def test_check_digit_completes_a_number():
    assert luhn_check_digit("01000002") == "4"
    assert luhn_check_digit("2A000002") == "2"
    assert is_valid_finess("2B000001" + luhn_check_digit("2B000001"))


def test_every_number_of_the_bundled_registry_is_valid():
    with BUNDLED_GISCO.open(encoding="utf-8") as handle:
        numbers = [normalise_finess(row["id"]) for row in csv.DictReader(handle)]
    assert len(numbers) == 5_368
    assert [n for n in numbers if not is_valid_finess(n)] == []
    assert sum(n.startswith(("2A", "2B")) for n in numbers) == 33  # Corsica kept as 2A/2B


@pytest.mark.skipif(not SHARED_RAW.exists(), reason="shared data not mounted")
def test_every_number_of_the_scansante_extract_is_valid():
    records = json.loads(
        (SHARED_RAW / "finess-smr-enriched" / "finess_geo_mapping_enrichis.json").read_text("utf-8")
    )
    numbers = {n for r in records.values() for n in (r.get("nofinesset"), r.get("nofinessej")) if n}
    assert len(numbers) > 2_700
    assert [n for n in numbers if not is_valid_finess(n)] == []
