"""The criteria referential of each certification cycle, as far as our sources name it.

HAS classes its criteria as imperative, standard and advanced (facts.md §2). HAS counts 17
imperative criteria in the 5th cycle (2021 referential); our sources name them by subject only,
grouped by public (patient, care teams, establishment), and name 16 subjects: one subject covers
two criteria, or one criterion is not named — our sources do not say which, so this referential
holds the 16 named subjects and says so (`PUBLISHED_IMPERATIVE_COUNT`). The official HAS
criterion numbers are NOT in our sources either: hospiscope gives each criterion a stable code
of its own, kept from one cycle to the next when the subject continues. The standard and
advanced criteria are not listed in our sources and are not in this referential.

The 6th cycle (referential applicable from September 2025) is only partly known: e-Satis
becomes an imperative criterion, antibiotic-prescription relevance too (anchors.md §3.6),
patient engagement becomes a criterion and criteria on AI-based digital medical devices are
added (their type is not stated). Carrying the 17 imperative criteria of the 5th cycle over is
a hospiscope assumption, labelled on each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CriterionType(StrEnum):
    IMPERATIVE = "imperatif"
    STANDARD = "standard"
    ADVANCED = "avance"


class Public(StrEnum):
    PATIENT = "patient"
    CARE_TEAMS = "equipes_soins"
    ESTABLISHMENT = "etablissement"


class Result(StrEnum):
    """The result of one criterion at one visit, in hospiscope's criteria file."""

    MET = "satisfait"
    NOT_MET = "non_satisfait"
    NOT_APPLICABLE = "non_applicable"  # not assessed (no such activity): out of every share


CRITERION_TYPE_LABELS = {
    CriterionType.IMPERATIVE: "Impératif",
    CriterionType.STANDARD: "Standard",
    CriterionType.ADVANCED: "Avancé",
}
PUBLIC_LABELS = {
    Public.PATIENT: "Le patient",
    Public.CARE_TEAMS: "Les équipes de soins",
    Public.ESTABLISHMENT: "L'établissement",
}
RESULT_LABELS = {
    Result.MET: "Satisfait",
    Result.NOT_MET: "Non satisfait",
    Result.NOT_APPLICABLE: "Non applicable",
}


@dataclass(frozen=True)
class Cycle:
    number: int
    label: str
    referential: str
    applicable_from: dt.date | None  # None: the day is not in our sources
    source: str


CYCLES: dict[int, Cycle] = {
    5: Cycle(
        5,
        "5e cycle de certification",
        "référentiel 2021 (« Certification pour la qualité des soins »)",
        None,  # "since 2021": the day is not in our sources
        "HAS, dossier de presse IQSS et certification 2024 (facts.md §2)",
    ),
    6: Cycle(
        6,
        "6e cycle de certification",
        "référentiel 2025",
        dt.date(2025, 9, 1),
        "HAS, dossier de presse IQSS et certification 2024 (facts.md §2)",
    ),
}


@dataclass(frozen=True)
class Criterion:
    code: str  # hospiscope's stable code (the official HAS number is not in our sources)
    label: str  # French
    type: CriterionType
    public: Public
    cycles: tuple[int, ...]
    source: str
    assumption: str | None = None  # shown next to any result that relies on it

    def in_cycle(self, cycle: int) -> bool:
        return cycle in self.cycles


_PRESS = "HAS, dossier de presse 2024, « Focus sur les critères impératifs » (facts.md §2)"
_CARRIED = (
    "Hypothèse hospiscope : critère impératif du 5e cycle supposé repris au 6e cycle (la liste "
    "officielle des critères impératifs du 6e cycle n'est pas dans nos sources)."
)
_BOTH = (5, 6)


def _imperative(code: str, label: str, public: Public) -> Criterion:
    return Criterion(code, label, CriterionType.IMPERATIVE, public, _BOTH, _PRESS, _CARRIED)


CRITERIA: tuple[Criterion, ...] = (
    # The imperative criteria of the 5th cycle named by the press file, in its order.
    _imperative("CONSENTEMENT", "Consentement du patient aux soins", Public.PATIENT),
    _imperative(
        "INTIMITE_DIGNITE", "Respect de l'intimité et de la dignité du patient", Public.PATIENT
    ),
    _imperative("DOULEUR", "Prise en charge de la douleur du patient", Public.PATIENT),
    _imperative("MINEURS", "Environnement adapté à la prise en charge des mineurs", Public.PATIENT),
    _imperative(
        "CHECKLIST_BLOC",
        "Bon usage de la check-list « sécurité du patient » au bloc opératoire",
        Public.CARE_TEAMS,
    ),
    _imperative(
        "SOMATIQUE_PSY",
        "Examen somatique des patients hospitalisés en psychiatrie",
        Public.CARE_TEAMS,
    ),
    _imperative(
        "MEDICAMENTS_RISQUE",
        "Bonnes pratiques d'utilisation des médicaments les plus à risque",
        Public.CARE_TEAMS,
    ),
    _imperative("RISQUE_INFECTIEUX", "Maîtrise du risque infectieux", Public.CARE_TEAMS),
    _imperative("ANTIBIOPROPHYLAXIE", "Bonnes pratiques d'antibioprophylaxie", Public.CARE_TEAMS),
    _imperative(
        "HEMORRAGIE_PP", "Maîtrise du risque d'hémorragie du post-partum", Public.CARE_TEAMS
    ),
    _imperative(
        "ANALYSE_EI",
        "Analyse collective des événements indésirables associés aux soins",
        Public.CARE_TEAMS,
    ),
    _imperative("MALTRAITANCE", "Lutte contre la maltraitance", Public.ESTABLISHMENT),
    _imperative(
        "MANAGEMENT_QUALITE",
        "Management par la qualité et la sécurité des soins",
        Public.ESTABLISHMENT,
    ),
    _imperative(
        "TENSIONS_HOSPITALIERES", "Gestion des tensions hospitalières", Public.ESTABLISHMENT
    ),
    _imperative("URGENCES_VITALES", "Prise en charge des urgences vitales", Public.ESTABLISHMENT),
    _imperative(
        "AMELIORATION_IQSS",
        "Amélioration des résultats des indicateurs de qualité et de sécurité des soins",
        Public.ESTABLISHMENT,
    ),
    # New in the 6th cycle.
    Criterion(
        "ESATIS",
        "Mesure de la satisfaction et de l'expérience des patients (e-Satis)",
        CriterionType.IMPERATIVE,
        Public.PATIENT,
        (6,),
        "HAS, dossier de presse 2024, « Perspectives » (facts.md §2)",
        "Public de rattachement choisi par hospiscope (hypothèse).",
    ),
    Criterion(
        "PERTINENCE_ANTIBIOTIQUES",
        "Pertinence des prescriptions d'antibiotiques",
        CriterionType.IMPERATIVE,
        Public.CARE_TEAMS,
        (6,),
        "Presse spécialisée sur le référentiel 2025 (anchors.md §3.6)",
        "Public de rattachement choisi par hospiscope (hypothèse).",
    ),
    Criterion(
        "ENGAGEMENT_PATIENT",
        "Engagement des patients au service du collectif (patients-experts, associations)",
        CriterionType.STANDARD,
        Public.ESTABLISHMENT,
        (6,),
        "HAS, dossier de presse 2024, « Perspectives » (facts.md §2)",
        "Type et public non précisés par la source : critère standard supposé (hypothèse).",
    ),
    Criterion(
        "DMN_IA",
        "Dispositifs médicaux numériques utilisant l'intelligence artificielle",
        CriterionType.STANDARD,
        Public.CARE_TEAMS,
        (6,),
        "HAS, dossier de presse 2024, « Actualités 2025 » (facts.md §2)",
        "HAS annonce deux critères dont le découpage n'est pas dans nos sources : un seul code "
        "hospiscope ; type et public supposés (hypothèse).",
    ),
)
# HAS's count of imperative criteria in the 5th cycle; the subjects above are the 16 named.
PUBLISHED_IMPERATIVE_COUNT = {5: 17}
UNNAMED_IMPERATIVE_NOTE = (
    "HAS compte 17 critères impératifs au 5e cycle ; nos sources en nomment 16 sujets, "
    "hospiscope suit ces 16 sujets (le 17e critère n'est pas identifiable)."
)
_BY_CODE = {c.code: c for c in CRITERIA}
if len(_BY_CODE) != len(CRITERIA):
    raise ValueError("criterion code declared twice")


def criterion(code: str) -> Criterion:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"critère de certification inconnu : {code}") from None


def criteria_of(cycle: int) -> tuple[Criterion, ...]:
    if cycle not in CYCLES:
        raise KeyError(f"cycle de certification inconnu : {cycle}")
    return tuple(c for c in CRITERIA if c.in_cycle(cycle))


def imperative_criteria(cycle: int) -> tuple[Criterion, ...]:
    return tuple(c for c in criteria_of(cycle) if c.type is CriterionType.IMPERATIVE)
