"""National figures the demo generator is calibrated on, each with its source, and the
assumptions it needs where no figure is published (labelled as such; shown in the README).

Source "HAS-2024" = shared/seeds/000_5304347fe4ebd6aa.txt (HAS press file on the 2024 IQSS
campaign), summarised in shared/spec/facts.md §1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    value: float
    source: str  # a published figure, or "hypothèse hospiscope: …"

    @property
    def is_assumption(self) -> bool:
        return self.source.startswith("hypothèse")


def published(value: float, source: str = "HAS-2024") -> Target:
    return Target(value, source)


def assumed(value: float, why: str) -> Target:
    return Target(value, f"hypothèse hospiscope : {why}")


# Respondents per questionnaire in 2024 (facts.md §1: 1.35 M respondents in 2024).
RESPONDENTS = {
    "mco48h": published(530_000),
    "ca": published(760_000),
    "smr": published(49_000),
}

# Share of started questionnaires that are finished ("9 in 10", facts.md §1).
COMPLETION_RATE = published(0.90)

# Dimension scores /100 by campaign. The 2023 values not published are the 2024 value minus
# the published change of the overall score (MCO +0.5, CA +0.6, SMR +1 point).
DIMENSION_SCORES: dict[str, dict[int, dict[str, Target]]] = {
    "mco48h": {
        2024: {
            "accueil": published(74.7),
            "pec_infirmier": published(82.3),
            "pec_medical": published(82.0),
            "chambre": assumed(
                68.4, "« chambres et repas » 68,4 publié ensemble, réparti à égalité"
            ),
            "repas": assumed(68.4, "« chambres et repas » 68,4 publié ensemble, réparti à égalité"),
            "sortie": published(65.0),
        },
        2023: {
            "accueil": published(73.5),
            "pec_infirmier": published(81.9),
            "pec_medical": published(81.7),
            "chambre": assumed(67.9, "valeur 2024 moins l'évolution du score global (+0,5)"),
            "repas": assumed(67.9, "valeur 2024 moins l'évolution du score global (+0,5)"),
            "sortie": assumed(64.5, "valeur 2024 moins l'évolution du score global (+0,5)"),
        },
    },
    "ca": {
        2024: {
            "avant": published(83.4),
            "accueil": published(82.3),
            "pec": published(85.5),
            "chambre_collation": assumed(
                75.0,
                "non publié ; avec « sortie », moyenne des "
                "dimensions égale au score global publié 79,5",
            ),
            "sortie": assumed(
                71.3,
                "non publié ; avec « chambre et collation », moyenne des "
                "dimensions égale au score global publié 79,5",
            ),
        },
        2023: {
            dimension: assumed(
                target.value - 0.6, "valeur 2024 moins l'évolution du score global (+0,6)"
            )
            for dimension, target in {
                "avant": published(83.4),
                "accueil": published(82.3),
                "pec": published(85.5),
                "chambre_collation": published(75.0),
                "sortie": published(71.3),
            }.items()
        },
    },
    "smr": {
        2024: {
            "accueil": assumed(78.0, "dimensions SMR non publiées ; moyenne = score global 76,7"),
            "pec": assumed(80.0, "dimensions SMR non publiées ; moyenne = score global 76,7"),
            "lieu_de_vie": assumed(72.0, "dimensions SMR non publiées ; moyenne = 76,7"),
            "sortie": assumed(76.8, "dimensions SMR non publiées ; moyenne = score global 76,7"),
        },
        2023: {
            "accueil": assumed(77.0, "valeur 2024 moins l'évolution du score global (+1)"),
            "pec": assumed(79.0, "valeur 2024 moins l'évolution du score global (+1)"),
            "lieu_de_vie": assumed(71.0, "valeur 2024 moins l'évolution du score global (+1)"),
            "sortie": assumed(75.8, "valeur 2024 moins l'évolution du score global (+1)"),
        },
    },
}

# Published overall scores, for the README comparison (the overall method belongs to the
# indicator definitions of the quality-indicator issue, not to the generator).
OVERALL_SCORES = {
    "mco48h": {2024: 74.8, 2023: 74.3},
    "ca": {2024: 79.5, 2023: 78.9},
    "smr": {2024: 76.7, 2023: 75.7},
}

# Assumptions with no published counterpart.
ESTABLISHMENT_EFFECT_SD = assumed(3.5, "écart-type entre établissements du score (points)")
ESTABLISHMENT_EFFECT_PERSISTENCE = assumed(
    0.8, "corrélation de l'effet établissement d'une campagne à l'autre"
)
RESPONDENT_EFFECT_SD = assumed(12.0, "écart-type de la satisfaction individuelle (points)")
ITEM_NOISE_SD = assumed(14.0, "écart-type de la réponse à un item autour de la satisfaction")
NON_PARTICIPATION_RATE = assumed(0.05, "part des établissements éligibles sans réponse (NR)")
# Measured on the demo itself (normal CI half-width × √n of the establishments' overall
# scores: 10.2 to 11.4 by questionnaire): the sampling error of an establishment's score.
RESPONDENT_SCORE_SD = assumed(
    11.0, "écart-type du score global d'un répondant autour de celui de son établissement"
)
RECOMMENDATION_MIDPOINT = assumed(
    72.0,
    "satisfaction à laquelle « certainement » et « probablement » recommander sont équiprobables",
)

# Share of establishments in class A or B in 2024 (facts.md §1), reproduced by the spread of
# establishment effects with size (see demo/esatis.participants) under the campaign's grid.
CLASS_AB_SHARE = {
    "mco48h": published(0.66),
    "ca": published(0.91),
    # Out of reach under the assumed SMR grid (the MCO 2019 one): the demo gives about 72 %,
    # the closest the size slope can come (README, "How close").
    "smr": assumed(0.78, "« plus de 77 % » publié ; 78 % retenu"),
}
NOT_VALIDATED_RATE = assumed(
    0.01, "part des établissements participants dont le dépôt n'est pas validé (NV)"
)


def overall_score(questionnaire, campaign: int) -> float:
    """The national overall score the calibrated dimensions imply: the mean of the items, each
    item weighing the same (the overall method of the e-Satis score indicators)."""
    targets = DIMENSION_SCORES[questionnaire.code][campaign]
    items = [(targets[d.code].value, len(d.items)) for d in questionnaire.dimensions]
    return sum(v * n for v, n in items) / sum(n for _, n in items)
