"""From the lines of a BQSS values file to published results: the lines of the mapped keys of
one (indicator, period, FINESS) make one result (value, numerator, denominator, CI, class,
status, certification decision); the other lines are kept as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hospiscope.sources.bqss.mapping import KeyMapping, Mapping
from hospiscope.sources.bqss.values import ValueRow
from hospiscope.sources.issues import WARNING, Issue

# finess_type → the level of the result (entity_kind of the results table).
LEVELS = {"geo": "etablissement", "jur": "entite_juridique"}


@dataclass
class PublishedResult:
    indicator: str
    period: str
    entity_kind: str
    entity_id: str
    numbers: dict[str, float] = field(default_factory=dict)
    klass: str | None = None
    status: str | None = None
    details: dict = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


def assemble(
    path: Path, rows: list[ValueRow], mapping: Mapping
) -> tuple[list[PublishedResult], list[ValueRow], list[Issue]]:
    """(results, lines of unmapped keys, problems). A decision code HAS does not define is an
    error; a missing_value label with no known status is a warning."""
    results: dict[tuple, PublishedResult] = {}
    unmapped: list[ValueRow] = []
    issues: list[Issue] = []
    for row in rows:
        key = mapping.keys.get(row.key)
        if key is None:
            unmapped.append(row)
            continue
        identity = (key.indicator, key.period_of(row.year), LEVELS[row.finess_type], row.finess)
        result = results.get(identity) or results.setdefault(identity, PublishedResult(*identity))
        result.lines.append(row.line)
        if problem := _apply(result, key, row, mapping):
            column, reason, severity = problem
            issues.append(Issue(path.name, row.line, column, reason, severity))
    return list(results.values()), unmapped, issues


def _apply(result: PublishedResult, key: KeyMapping, row: ValueRow, mapping: Mapping):
    part = key.field
    if row.column is None:  # no value: the reason may be a status (DI, NR, NV, NC)
        status = mapping.status_of(row.missing)
        result.details.setdefault("motifs_absence", {})[row.key] = row.missing
        if status is None:
            return "missing_value", f"motif d'absence « {row.missing} » sans statut connu", WARNING
        result.status = result.status or status
        return None
    if part == "decision":
        decision = mapping.decisions.get(row.value)
        if decision is None:
            codes = ", ".join(str(c) for c in mapping.decisions)
            return (
                row.column,
                f"code de décision inconnu « {row.raw} » (attendu : {codes})",
                "erreur",
            )
        result.klass, result.numbers["value"] = decision.klass, float(decision.rank)
    elif part == "decision_date":
        result.details["date_decision"] = row.value.isoformat()
    elif part in ("class", "status"):
        if key.codes and row.value not in key.codes:
            expected = ", ".join(key.codes)
            what = "classe" if part == "class" else "statut"
            return (
                row.column,
                f"{what} inconnu(e) « {row.raw[:20]} » pour {key.indicator} (attendu : {expected})",
                "erreur",
            )
        setattr(result, "klass" if part == "class" else "status", str(row.value))
    elif isinstance(row.value, str):  # a "-string" number published as text (e.g. a range)
        result.details.setdefault("valeurs_texte", {})[row.key] = row.value
    else:
        result.numbers[part] = float(row.value)
    return None
