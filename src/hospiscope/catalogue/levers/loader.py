"""levers.yaml read, merged with its defaults and checked: every entry against the Lever
schema and the closed lists of model.py, the whole file for unique ids, the table's order and
consecutive numbers, and planned codes against PLANNED. Errors are French sentences naming
the entry (its position and id)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from hospiscope.catalogue.levers.model import TYPE_RANK, Lever

FILE = "levers.yaml"

# The indicator codes planned by issue 11 (coord/ISSUE11.md, "Indicator codes"), as literal
# data: a lever may name them under `planned_indicators` before their definition exists. A
# planned code moves to `indicators` when its definition lands in catalogue/definitions/.
PLANNED: tuple[str, ...] = (
    # Billing and recovery
    "EFF_DELAI_FACTURATION",
    "EFF_DELAI_FACT_AMO",
    "EFF_DELAI_FACT_AMC",
    "EFF_DELAI_FACT_PATIENT",
    "EFF_DELAI_FACT_INTER",
    "EFF_TAUX_REJET",
    "EFF_RECOUVREMENT_AMC_6M",
    "EFF_CREANCES_PATIENT",
    # Stocks and payments
    "EFF_STOCK_MEDICAMENTS",
    "EFF_STOCK_DM",
    "EFF_STOCK_AUTRES",
    "EFF_DELAI_PAIEMENT",
    "EFF_COTISATIONS_ECHEANCE",
    # Later steps
    "EFF_EXHAUST_PMSI",
    "EFF_BLOC_OUVERTURE",
    "EFF_TROS",
    "EFF_TVO",
    "EFF_BLOC_DEBORDEMENTS",
    "EFF_IPDMS",
    "EFF_TRANSFERT_HAD",
    "EFF_OCCUPATION_LITS",
    "EFF_T2A_ETP_MED",
    "EFF_T2A_ETP_NONMED",
    "EFF_ABSENTEISME",
    "EFF_ACHATS_PERFORMANCE",
    "EFF_SI_PART_BUDGET",
)

# pydantic's error types, said in French (others keep pydantic's message).
_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "literal_error": "valeur non admise",
    "string_pattern_mismatch": "ne suit pas le motif attendu",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_type": "doit être un texte",
    "tuple_type": "doit être une liste",
    "date_from_datetime_parsing": "date invalide (attendu aaaa-mm-jj)",
    "date_parsing": "date invalide (attendu aaaa-mm-jj)",
    "date_type": "date invalide (attendu aaaa-mm-jj)",
}


class LeverError(ValueError):
    """levers.yaml cannot be read or is invalid (the message names the entry)."""


def read_raw() -> dict[str, Any]:
    text = resources.files("hospiscope.catalogue.levers").joinpath(FILE).read_text("utf-8")
    return yaml.safe_load(text)


def merged(defaults: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The entry over the file's defaults; `review` is merged key by key (an entry adds its
    open questions, or a second reader's name, to the shared record)."""
    fields = dict(defaults) | dict(entry)
    fields["review"] = dict(defaults.get("review", {})) | dict(entry.get("review") or {})
    return fields


def _where(position: int, entry: Any) -> str:
    ident = entry.get("id", "sans identifiant") if isinstance(entry, dict) else "illisible"
    return f"{FILE}, entrée n° {position} ({ident})"


def _french(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        place = ".".join(str(p) for p in item["loc"]) or "entrée"
        message = _MESSAGES.get(item["type"], item["msg"].removeprefix("Value error, "))
        parts.append(f"« {place} » : {message}")
    return " ; ".join(parts)


def parse(raw: dict[str, Any]) -> tuple[Lever, ...]:
    """The levers of a levers.yaml document, or LeverError naming the first faulty entry."""
    if not isinstance(raw, dict) or not isinstance(raw.get("levers"), list):
        raise LeverError(f"{FILE} : la clé « levers » (liste des leviers) est absente")
    defaults = raw.get("defaults") or {}
    found: list[Lever] = []
    for position, entry in enumerate(raw["levers"], start=1):
        if not isinstance(entry, dict):
            raise LeverError(f"{_where(position, entry)} : une entrée est un dictionnaire")
        try:
            lever = Lever.model_validate(merged(defaults, entry))
        except ValidationError as error:
            raise LeverError(f"{_where(position, entry)} : {_french(error)}") from None
        _check_place(lever, found, _where(position, entry))
        found.append(lever)
    return tuple(found)


def _check_place(lever: Lever, before: list[Lever], where: str) -> None:
    """Ids unique and stable: the table's order, numbers 01, 02… within a lever type."""
    if unknown := [code for code in lever.planned_indicators if code not in PLANNED]:
        raise LeverError(f"{where} : codes prévus absents de la liste PLANNED : {unknown}")
    if any(other.id == lever.id for other in before):
        raise LeverError(f"{where} : identifiant déjà utilisé")
    previous = before[-1] if before else None
    rank = TYPE_RANK[(lever.field, lever.lever_type)]
    previous_rank = TYPE_RANK[(previous.field, previous.lever_type)] if previous else -1
    if rank < previous_rank:
        raise LeverError(f"{where} : hors de l'ordre du tableau de l'annexe")
    expected = previous.number + 1 if previous and rank == previous_rank else 1
    if lever.number != expected:
        raise LeverError(f"{where} : numéro attendu {expected:02d} dans son type de levier")


@cache
def levers() -> tuple[Lever, ...]:
    """Every lever of the catalogue, in the order of the annex's table."""
    return parse(read_raw())


def get_lever(lever_id: str) -> Lever:
    for lever in levers():
        if lever.id == lever_id.upper():
            return lever
    raise LeverError(f"levier inconnu : {lever_id}")


def levers_for(indicator_code: str) -> tuple[Lever, ...]:
    """The levers that a gap on `indicator_code` calls for (built or planned code)."""
    code = indicator_code.upper()
    return tuple(lever for lever in levers() if code in lever.codes)
