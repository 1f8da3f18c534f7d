"""The bilan's method notes name each interval by the one label stats gives it (the label
stored with results), never by the catalogue's code ("poisson_exact", "exact")."""

import pytest

from hospiscope.catalogue import catalogue, get_indicator
from hospiscope.reports.bilan import _method
from hospiscope.stats import CI_LABELS


@pytest.mark.parametrize(
    "code, label",
    [("ISO_PTH", "Garwood"), ("AUDIT_CA_QLS", "Clopper-Pearson"), ("VACCIN_GRIPPE", "Wilson")],
)
def test_the_method_note_shows_the_label(code, label):
    assert _method(get_indicator(code), "calcul").ci_method == label


def test_every_indicator_note_shows_a_label_or_nothing():
    for indicator in catalogue().values():
        note = _method(indicator, "calcul")
        assert note.ci_method == CI_LABELS[indicator.meta.ci_method]
        assert note.ci_method not in ("poisson_exact", "exact", "wilson", "none")
