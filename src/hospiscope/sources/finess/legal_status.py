"""Legal status of an establishment: public, private non-profit (incl. ESPIC), private for-profit.

Evidence, strongest first:
1. the FINESS category when it implies the status (a CHR, CH or former local hospital is a
   public health establishment by definition; a CLCC is a private non-profit ESPIC by law);
2. the SPH code of the record ("service public hospitalier": 1 public; 2–7 private non-profit,
   6 = ESPIC; 0 "non concerné" = private outside public hospital service, i.e. for-profit;
   cross-checked on 1 568 real records where 0 goes with the for-profit "Privé" class);
3. Eurostat GISCO's public/private flag, which GISCO derived from the same SPH code
   (1–4 → "public", 5–7 → "private", 0/9/empty → empty), see its converter FR.java.

When only weak evidence exists the status is *presumed* and the basis says so; the product
shows the basis next to the status.
"""

from __future__ import annotations

PUBLIC = "public"
NON_PROFIT = "prive_non_lucratif"
FOR_PROFIT = "prive_lucratif"
UNKNOWN = "inconnu"

LABELS = {
    PUBLIC: "Public",
    NON_PROFIT: "Privé à but non lucratif",
    FOR_PROFIT: "Privé à but lucratif",
    UNKNOWN: "Statut inconnu",
}

PUBLIC_CATEGORIES = {"101", "355", "106", "114"}  # CHR, CH, ex-hôpital local, armées
NON_PROFIT_CATEGORIES = {"131"}  # CLCC
_SPH = {
    "1": PUBLIC,
    "2": NON_PROFIT,
    "3": NON_PROFIT,
    "4": NON_PROFIT,
    "5": NON_PROFIT,
    "6": NON_PROFIT,
    "7": NON_PROFIT,
    "0": FOR_PROFIT,
}
PRESUMED_FOR_PROFIT = (
    "présumé : privé hors service public hospitalier (code SPH « non concerné » ou absent) "
    "— hypothèse hospiscope"
)


def legal_status(
    category_code: str | None, sph_code: str | None, public_private: str | None
) -> tuple[str, str]:
    """(status, basis) from the evidence available; the basis is French, shown to users."""
    if category_code in PUBLIC_CATEGORIES:
        return PUBLIC, f"catégorie FINESS {category_code} (établissement public par nature)"
    if category_code in NON_PROFIT_CATEGORIES:
        return NON_PROFIT, f"catégorie FINESS {category_code} (CLCC, ESPIC par la loi)"
    if sph_code in _SPH:
        return _SPH[sph_code], f"code SPH {sph_code} de l'enregistrement FINESS"
    if public_private == "public":
        return PUBLIC, "indicateur public/privé GISCO (codes SPH 1 à 4)"
    if public_private == "private":
        return NON_PROFIT, "indicateur public/privé GISCO (codes SPH 5 à 7 : non lucratif)"
    if public_private == "":
        return FOR_PROFIT, PRESUMED_FOR_PROFIT
    return UNKNOWN, "aucune information sur le statut juridique"
