"""Legal status from the strongest evidence available."""

import pytest

from hospiscope.sources.finess.legal_status import (
    FOR_PROFIT,
    NON_PROFIT,
    PRESUMED_FOR_PROFIT,
    PUBLIC,
    UNKNOWN,
    legal_status,
)


@pytest.mark.parametrize(
    ("category", "sph", "flag", "expected"),
    [
        ("355", None, None, PUBLIC),  # a CH is public by definition
        ("101", "0", "", PUBLIC),  # the category wins over a contradictory flag
        ("131", None, "private", NON_PROFIT),  # CLCC: ESPIC by law
        ("365", "6", None, NON_PROFIT),
        ("365", "7", None, NON_PROFIT),
        ("109", "0", None, FOR_PROFIT),
        ("365", "1", None, PUBLIC),
        ("365", None, "public", PUBLIC),
        ("128", None, "private", NON_PROFIT),
        ("365", "9", None, UNKNOWN),  # "indéterminé" stays unknown
        ("365", None, None, UNKNOWN),
    ],
)
def test_status(category, sph, flag, expected):
    assert legal_status(category, sph, flag)[0] == expected


def test_presumption_is_labelled():
    status, basis = legal_status("128", None, "")
    assert status == FOR_PROFIT
    assert basis == PRESUMED_FOR_PROFIT
    assert "hypothèse" in basis
