"""CERT_SUIVI_CERTIFIES — share of the decisions following a decision « certifié sous
conditions » that certify the establishment, with or without the mention; cumulated up to
31 December (HAS end 2024: 4 in 5 at the second visit)."""

from hospiscope.catalogue.definitions._certification import (
    AGGREGATE_LEVELS,
    DECISIONS,
    PER_SITE,
    SECTION,
    SOURCE,
    follow_up_compute,
    follow_up_reference,
)
from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta

INDICATOR = Indicator(
    IndicatorMeta(
        code="CERT_SUIVI_CERTIFIES",
        label="Part des visites de suivi après une certification sous conditions aboutissant "
        "à la certification",
        short_label="Suivis aboutissant à la certification",
        domain="certification",
        kind="rate",
        unit="%",
        numerator="Décisions suivant une décision « sous conditions » qui certifient "
        "l'établissement (avec ou sans mention)",
        denominator="Décisions suivant une décision « sous conditions » de l'établissement",
        factor=100,
        direction=Direction.HIGHER_IS_BETTER,
        ci_method="wilson",
        levels=AGGREGATE_LEVELS,
        inputs=(DECISIONS,),
        period="cumul des décisions de suivi datées au plus tard le 31 décembre de l'année",
        source_document=SOURCE,
        source_section=SECTION,
        method_version="1.0",
        assumptions=(
            "La décision de suivi est la décision suivante du même établissement, quel que soit "
            "son délai (lecture hospiscope).",
            PER_SITE,
        ),
        review=REVIEW_2026,
    ),
    follow_up_compute,
    follow_up_reference,
)
