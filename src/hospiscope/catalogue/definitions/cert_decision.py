"""CERT_DECISION — the certification decision in force at 31 December, per establishment:
a categorical result (class = decision code, value = its rank, 4 best), with the window of the
next visit and where the establishment stands at the end of the year (details)."""

from hospiscope.catalogue.definitions._certification import (
    DECISION_CLASSES,
    DECISIONS,
    PER_SITE,
    PERIOD,
    SECTION,
    SOURCE,
    decision_compute,
    decision_finish,
    decision_reference,
)
from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta
from hospiscope.certification.schedule import ASSUMPTIONS

INDICATOR = Indicator(
    IndicatorMeta(
        code="CERT_DECISION",
        label="Décision de certification de la HAS en vigueur au 31 décembre",
        short_label="Certification",
        domain="certification",
        kind="level",
        unit="décision",
        numerator="Rang de la décision : 4 certifié avec mention « Haute qualité des soins », "
        "3 certifié, 2 certifié sous conditions, 1 non certifié",
        direction=Direction.HIGHER_IS_BETTER,
        class_labels=DECISION_CLASSES,
        headline=True,  # the bilan shows establishments by decision
        levels=("etablissement",),
        inputs=(DECISIONS,),
        period=PERIOD,
        source_document=SOURCE,
        source_section=SECTION,
        method_version="1.0",
        assumptions=(*ASSUMPTIONS, PER_SITE),
        review=REVIEW_2026,
    ),
    decision_compute,
    decision_reference,
    finish=decision_finish,
)
