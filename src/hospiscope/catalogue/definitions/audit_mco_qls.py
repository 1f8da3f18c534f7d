"""AUDIT_MCO_QLS — record audit: discharge letter (lettre de liaison) compliant, MCO.

Collected in MCO since 2016 (anchors.md §3.2); no national MCO value in our sources.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator(
    "MCO_QLS",
    source_document="HAS, indicateur « Qualité de la lettre de liaison à la sortie » (QLS), "
    "recueilli en MCO depuis 2016 (anchors.md §3.2) ; valeur nationale MCO non disponible "
    "dans nos sources",
)
