"""The sections of the bilan: which indicators each one gathers (by code prefix), in the order
of the HAS national bilan; and how each of its parts is read from stored results."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    prefixes: tuple[str, ...]
    text: str
    criteria_prefix: str | None = None  # indicators shown as a table of criteria


SECTIONS = (
    SectionSpec(
        "esatis",
        "Expérience et satisfaction des patients (e-Satis)",
        ("ESATIS",),
        "Scores sur 100 ajustés sur le profil des patients, taux de recommandation "
        "brut, et répartition des établissements par classe.",
    ),
    SectionSpec(
        "audits",
        "Processus de soins : audits de dossiers",
        ("AUDIT_",),
        "Part des dossiers conformes, établissement par établissement et au niveau "
        "national, avec leur intervalle de confiance.",
    ),
    SectionSpec(
        "hygiene",
        "Hygiène des mains (ICSHA)",
        ("ICSHA",),
        "Consommation de produits hydro-alcooliques rapportée à l'objectif "
        "personnalisé de chaque établissement.",
    ),
    SectionSpec(
        "vaccination",
        "Vaccination antigrippale des personnels",
        ("VACCIN",),
        "Couverture vaccinale des personnels et répartition des établissements par niveau.",
    ),
    SectionSpec(
        "iso",
        "Infections du site opératoire après prothèse de hanche ou de genou",
        ("ISO_",),
        "Infections observées rapportées aux infections attendues d'après le profil "
        "des patients ; diagrammes en entonnoir plutôt qu'un classement.",
    ),
    SectionSpec(
        "certification",
        "Certification des établissements",
        ("CERT_",),
        "Décisions de certification et critères impératifs.",
        criteria_prefix="CERT_IMP_",
    ),
)


def section_of(code: str) -> SectionSpec | None:
    return next((s for s in SECTIONS if code.startswith(s.prefixes)), None)


def period_of(periods: list[str], campaign: int) -> str | None:
    """The period of an indicator that belongs to a campaign: the year itself, or a season
    ending with it ("2023-2024" for 2024)."""
    exact = [p for p in periods if p == str(campaign)]
    ending = [p for p in periods if p.endswith(str(campaign))]
    return (exact or ending or [None])[0]
