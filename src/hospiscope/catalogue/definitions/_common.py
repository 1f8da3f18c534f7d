"""Shared metadata pieces of the definitions."""

from __future__ import annotations

import datetime as dt

from hospiscope.catalogue.model import Review, Status

REVIEW_2026 = Review(
    authored_by="équipe hospiscope",
    checked_by=None,
    reviewed_on=dt.date(2026, 11, 22),
    next_review=dt.date(2027, 11, 22),
)

DI = Status(code="DI", label="Données insuffisantes (moins de 30 réponses exploitables)")
NR = Status(code="NR", label="Non répondant : l'établissement n'a pas participé")
NV = Status(code="NV", label="Non validé")
ESATIS_STATUSES = (DI, NR, NV)
ESATIS_LEVELS = ("etablissement", "national", "region", "statut", "strate:type", "strate:taille")
