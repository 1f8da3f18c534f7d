"""The e-Satis response file: one `;`-separated file per questionnaire and campaign, one line
per respondent, a header line, French conventions (UTF-8 with BOM or Windows-1252, dates
dd/mm/yyyy). HAS's patient-level export format is not public in our sources: this layout is
hospiscope's (documented in docs/formats.md) and the demo generator writes it. Each column is
declared once in the typed column model (sources/columns/), from which both checks derive."""

from __future__ import annotations

from hospiscope.sources.columns import Column, flag
from hospiscope.sources.esatis.questionnaires import Questionnaire

QUESTIONNAIRE_CODES = ("mco48h", "ca", "smr")

COMMON_HEAD = (
    Column(
        "finess",
        "finess_et",
        "finess",
        "VARCHAR",
        "numéro FINESS de 9 caractères attendu",
        required=True,
    ),
    Column(
        "campagne",
        "campaign",
        "integer",
        "INTEGER",
        "année de campagne invalide",
        required=True,
        minimum=2016,
        maximum=2100,
    ),
    Column(
        "questionnaire",
        "questionnaire",
        "choice",
        "VARCHAR",
        "questionnaire inconnu (mco48h, ca ou smr)",
        required=True,
        choices=QUESTIONNAIRE_CODES,
    ),
    Column(
        "id_reponse",
        "response_id",
        "text",
        "VARCHAR",
        "identifiant de réponse invalide",
        required=True,
        minimum=1,
        maximum=64,
    ),
    Column("service", "ward", "text", "VARCHAR", "libellé de service trop long", maximum=120),
    Column(
        "date_sortie",
        "discharge_date",
        "date",
        "DATE",
        "date de sortie invalide (jj/mm/aaaa attendu)",
    ),
    Column(
        "date_reponse",
        "response_date",
        "date",
        "DATE",
        "date de réponse invalide (jj/mm/aaaa attendu)",
    ),
    Column("age", "age", "integer", "SMALLINT", "âge invalide (0 à 120)", minimum=0, maximum=120),
    Column("sexe", "sex", "choice", "VARCHAR", "sexe invalide (H ou F)", choices=("H", "F")),
    Column(
        "mode_entree",
        "admission_mode",
        "choice",
        "VARCHAR",
        "mode d'entrée invalide (urgence ou programme)",
        choices=("urgence", "programme"),
    ),
    Column(
        "etat_sante",
        "self_rated_health",
        "choice",
        "TINYINT",
        "état de santé perçu invalide (1 à 5)",
        choices=("1", "2", "3", "4", "5"),
    ),
    flag(
        "questionnaire_complet",
        "complete",
        "questionnaire_complet invalide (0 ou 1)",
        required=True,
    ),
)
COMMON_TAIL = (
    Column(
        "recommandation",
        "recommendation",
        "choice",
        "TINYINT",
        "recommandation invalide (1 à 4)",
        choices=("1", "2", "3", "4"),
    ),
    Column(
        "commentaire_positif",
        "comment_positive",
        "text",
        "VARCHAR",
        "commentaire trop long (10 000 caractères au plus)",
        maximum=10000,
    ),
    Column(
        "commentaire_negatif",
        "comment_negative",
        "text",
        "VARCHAR",
        "commentaire trop long (10 000 caractères au plus)",
        maximum=10000,
    ),
)


def columns(questionnaire: Questionnaire) -> tuple[Column, ...]:
    """Every column of a response file of this questionnaire, in file order."""
    items = tuple(
        Column(
            item.code,
            item.code,
            "choice",
            "TINYINT",
            "réponse invalide (1 à 4, ou 9 « non concerné »)",
            choices=("1", "2", "3", "4", "9"),
        )
        for item in questionnaire.items
    )
    return COMMON_HEAD + items + COMMON_TAIL


def stored(questionnaire: Questionnaire) -> tuple[Column, ...]:
    """The columns stored in the questionnaire's table (the questionnaire is the table)."""
    return tuple(c for c in columns(questionnaire) if c.target != "questionnaire")


def file_name(questionnaire: str, campaign: int) -> str:
    return f"esatis-{questionnaire}-reponses-{campaign}.csv"
