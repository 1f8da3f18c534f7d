"""The e-Satis response file: one `;`-separated file per questionnaire and campaign, one line
per respondent, a header line, French conventions (UTF-8 with BOM or Windows-1252, dates
dd/mm/yyyy). HAS's patient-level export format is not public in our sources: this layout is
hospiscope's (documented in docs/formats.md) and the demo generator writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hospiscope.sources.esatis.questionnaires import Questionnaire


@dataclass(frozen=True)
class Column:
    name: str  # header in the file (French)
    target: str  # warehouse column
    sql_type: str
    check: str  # SQL predicate on the raw text `v` (NULL-safe: NULL means empty)
    reason: str  # French message when the check fails
    required: bool = False  # empty values are errors


_INT = "TRY_CAST(v AS INTEGER)"
_DATE = "CAST(coalesce(TRY_STRPTIME(v, '%d/%m/%Y'), TRY_CAST(v AS TIMESTAMP)) AS DATE)"
_ANSWER = "v IN ('1', '2', '3', '4', '9')"

COMMON_HEAD = (
    Column(
        "finess",
        "finess_et",
        "VARCHAR",
        "regexp_full_match(v, '(\\d{2}|2A|2B)\\d{7}')",
        "numéro FINESS de 9 caractères attendu",
        required=True,
    ),
    Column(
        "campagne",
        "campaign",
        "INTEGER",
        f"{_INT} BETWEEN 2016 AND 2100",
        "année de campagne invalide",
        required=True,
    ),
    Column(
        "questionnaire",
        "questionnaire",
        "VARCHAR",
        "v IN ('mco48h', 'ca', 'smr')",
        "questionnaire inconnu (mco48h, ca ou smr)",
        required=True,
    ),
    Column(
        "id_reponse",
        "response_id",
        "VARCHAR",
        "length(v) BETWEEN 1 AND 64",
        "identifiant de réponse invalide",
        required=True,
    ),
    Column("service", "ward", "VARCHAR", "length(v) <= 120", "libellé de service trop long"),
    Column(
        "date_sortie",
        "discharge_date",
        "DATE",
        f"{_DATE} IS NOT NULL",
        "date de sortie invalide (jj/mm/aaaa attendu)",
    ),
    Column(
        "date_reponse",
        "response_date",
        "DATE",
        f"{_DATE} IS NOT NULL",
        "date de réponse invalide (jj/mm/aaaa attendu)",
    ),
    Column("age", "age", "SMALLINT", f"{_INT} BETWEEN 0 AND 120", "âge invalide (0 à 120)"),
    Column("sexe", "sex", "VARCHAR", "v IN ('H', 'F')", "sexe invalide (H ou F)"),
    Column(
        "mode_entree",
        "admission_mode",
        "VARCHAR",
        "v IN ('urgence', 'programme')",
        "mode d'entrée invalide (urgence ou programme)",
    ),
    Column(
        "etat_sante",
        "self_rated_health",
        "TINYINT",
        "v IN ('1', '2', '3', '4', '5')",
        "état de santé perçu invalide (1 à 5)",
    ),
    Column(
        "questionnaire_complet",
        "complete",
        "BOOLEAN",
        "v IN ('0', '1')",
        "questionnaire_complet invalide (0 ou 1)",
        required=True,
    ),
)
COMMON_TAIL = (
    Column(
        "recommandation",
        "recommendation",
        "TINYINT",
        "v IN ('1', '2', '3', '4')",
        "recommandation invalide (1 à 4)",
    ),
    Column(
        "commentaire_positif",
        "comment_positive",
        "VARCHAR",
        "length(v) <= 10000",
        "commentaire trop long (10 000 caractères au plus)",
    ),
    Column(
        "commentaire_negatif",
        "comment_negative",
        "VARCHAR",
        "length(v) <= 10000",
        "commentaire trop long (10 000 caractères au plus)",
    ),
)


def columns(questionnaire: Questionnaire) -> tuple[Column, ...]:
    """Every column of a response file of this questionnaire, in file order."""
    items = tuple(
        Column(
            item.code,
            item.code,
            "TINYINT",
            _ANSWER,
            "réponse invalide (1 à 4, ou 9 « non concerné »)",
        )
        for item in questionnaire.items
    )
    return COMMON_HEAD + items + COMMON_TAIL


def on_column(sql: str, column: Column) -> str:
    """`sql` with its placeholder `v` replaced by the raw text column."""
    return re.sub(r"\bv\b", f'"{column.name}"', sql)


def cast_expression(column: Column) -> str:
    """SQL turning the raw text column into its warehouse type."""
    raw = f'"{column.name}"'
    if column.sql_type == "DATE":
        return on_column(_DATE, column)
    if column.sql_type == "BOOLEAN":
        return f"{raw} = '1'"
    return f"CAST({raw} AS {column.sql_type})"


def file_name(questionnaire: str, campaign: int) -> str:
    return f"esatis-{questionnaire}-reponses-{campaign}.csv"
