"""What kind of site a registry row is, from its FINESS category and its name (hypothèse
hospiscope).

The registry lists geographic sites, and the bundled extract gives many satellites the
category of their parent: a CHU's SMUR antenna, a psychiatric day hospital or a dental
consultation centre are category 101 (CHR), a CMP of a CHS is category 292. No activity or
capacity file per site is available offline, so the demo reads the site's name: a name that
says what the site is (SMUR, imagerie, dialyse, hôpital de jour, CMP, SSR, USLD, HAD,
consultations…) decides its kind; any other site of a hospital category is taken for a
hospital of its category. The kind then decides the capacity profile (profiles.py), and the
capacity the activities (activities.py).
"""

from __future__ import annotations

import re
import unicodedata

HOSPITAL = "hopital"  # a hospital of its category (the category profile applies)
_DAY = r"\bHDJ\b|HOPITAL DE JOUR|HOP\.? DE JOUR|\bHJ\b|TEMPS PARTIEL|\bJOUR\b"
_PSY = (
    r"PSY|ADULTE|ENFANT|INFANT|JUVENIL|ADOLESC|PEDO|SANTE MENTALE|AUTIS|"
    r"\b\d{2} ?[GIP] ?\d{2}\b"  # psychiatric sector codes: 68G06, 14I01
)
# Kinds, tried in order (the first whose pattern matches the name wins), with what they mean.
KINDS: tuple[tuple[str, str, str], ...] = (
    (
        "urgences",
        r"\bSMUR\b|\bSAMU\b|ANTENNE (DE )?(SMUR|URGENCE)|CENTRE 15\b",
        "antenne SMUR ou SAMU : ni lits ni places",
    ),
    (
        "imagerie",
        r"RADIOLOG|IMAGERIE|\bIRM\b|SCANNER|MEDECINE NUCLEAIRE|RADIOTHERAP|SCINTIGRAPH",
        "imagerie, radiologie ou radiothérapie : ni lits ni places",
    ),
    (
        "dialyse",
        r"DIALYSE|HEMODIALYSE|\bAURA\b|AUTODIALYSE|NEPHROLOGIE AMBULATOIRE",
        "centre de dialyse : ni lits ni places d'hospitalisation",
    ),
    (
        "ambulatoire",
        r"CONSULTATION|DENTAIRE|\bCDAG\b|CEGIDD|DEPIST|PLANIFICATION|EDUCATION FAMILIALE|"
        r"ANTITUBERCUL|TUBERCULOSE|VACCINATION|LACTARIUM|POUPONNIERE|PERINATAL DE PROXIMITE|"
        r"\bCPP\b|CENTRE DE SANTE|MEDECINE DU TRAVAIL|LABORATOIRE|PHARMACIE|AGENCE|SIEGE|"
        r"TARIFICATION|\bGCS\b|ADMINISTRATI|BLANCHISSERIE|CUISINE|LOGISTIQUE|ECOLE|INSTITUT "
        r"DE FORMATION|\bIFSI\b|APPARTEMENT|FOYER|ADDICTOLOGIE|CSAPA|\bELSA\b|EQUIPE MOBILE|"
        r"PERMANENCE D.ACCES|\bPASS\b|MAISON DES ADOLESCENTS|CENTRE MEDICO|\bCMPP?\b|\bCATTP\b|"
        r"\bCMPEA\b|\bCMPI\b|ACCUEIL THERAPEUTIQUE|THERAPEUTIQUE A TEMPS PARTIEL|\bATTP\b|"
        r"\bSMPR\b|UNITE SANITAIRE|\bUSMP\b|\bUCSA\b|AMBULANCE|\bLBM\b|\bSDIS\b|ATELIER|\bCAT\b",
        "consultations, prévention, centre médico-psychologique ou service support : ni lits "
        "ni places",
    ),
    (
        "had",
        r"\bHAD\b|HOSPITALISATION A DOMICILE|HOSP\.? A DOMICILE",
        "hospitalisation à domicile : ni lits ni places",
    ),
    (
        "hopital_de_jour_psy",
        # a day hospital named with a psychiatric word or a psychiatric sector code (68G06)
        rf"({_DAY})(?=.*({_PSY}))|({_PSY})(?=.*({_DAY}))",
        "hôpital de jour de psychiatrie : places de psychiatrie seulement",
    ),
    (
        "hopital_de_jour",
        r"\bHDJ\b|HOPITAL DE JOUR|HOP\.? DE JOUR|\bHJ\b|\bDE JOUR\b",
        "hôpital de jour : places de médecine seulement, sans chirurgie",
    ),
    (
        "psychiatrie",
        r"PSY|SANTE MENTALE|\bEPSM|\bCHS\b|SPECIALISE|MALADIES MENTALES|\bEPSAN\b",
        "site de psychiatrie : lits et places de psychiatrie",
    ),
    (
        "smr",
        r"\bSSR\b|\bSMR\b|READAPTATION|REEDUCATION|SOINS DE SUITE|MOYEN SEJOUR|CONVALESCENCE|"
        r"\bMPR\b",
        "soins médicaux et de réadaptation : lits de SMR seulement",
    ),
    (
        "sld",
        r"\bUSLD\b|\bSLD\b|EHPAD|LONG SEJOUR|LONGUE DUREE|MAISON DE RETRAITE|GERONTOLOG|"
        r"RESIDENCE",
        "soins de longue durée : lits de SLD seulement",
    ),
)
_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern, _ in KINDS)
KIND_LABELS = {kind: label for kind, _, label in KINDS} | {
    HOSPITAL: "établissement de sa catégorie : profil de la catégorie"
}


def plain(name: str | None) -> str:
    """Upper case ASCII, punctuation as spaces: "Hôpital de jour « L'Embarcadère »" →
    "HOPITAL DE JOUR L EMBARCADERE"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().upper()
    return re.sub(r"[^A-Z0-9.]+", " ", text).strip()


def site_kind(category: str | None, name: str | None) -> str:
    """The kind of a registry site (a key of KIND_LABELS)."""
    text = plain(name)
    kind = next((kind for kind, pattern in _PATTERNS if pattern.search(text)), HOSPITAL)
    if kind == "psychiatrie" and category in PSYCHIATRIC_CATEGORIES:
        return HOSPITAL  # a psychiatric hospital of a psychiatric category: its own profile
    return kind


# Categories whose hospital profile is psychiatric already.
PSYCHIATRIC_CATEGORIES = frozenset({"292", "161"})
