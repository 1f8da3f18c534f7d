"""CERT_DECISIONS_ANNEE — number of certification decisions dated in the year (the flow;
the other certification indicators describe the state at 31 December)."""

from hospiscope.catalogue.definitions._certification import (
    AGGREGATE_LEVELS,
    DECISIONS,
    PER_SITE,
    SECTION,
    SOURCE,
    decisions_of_year_compute,
    decisions_of_year_reference,
)
from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta

INDICATOR = Indicator(
    IndicatorMeta(
        code="CERT_DECISIONS_ANNEE",
        label="Nombre de décisions de certification rendues dans l'année",
        short_label="Décisions de l'année",
        domain="certification",
        kind="count",
        unit="décisions",
        numerator="Décisions de certification datées de l'année (toutes décisions, suivis compris)",
        direction=Direction.NONE,
        levels=AGGREGATE_LEVELS,
        inputs=(DECISIONS,),
        period="année civile de la date de décision",
        source_document=SOURCE,
        source_section=SECTION,
        method_version="1.0",
        assumptions=(PER_SITE,),
        review=REVIEW_2026,
    ),
    decisions_of_year_compute,
    decisions_of_year_reference,
)
