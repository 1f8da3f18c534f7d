"""What a BQSS key means for hospiscope (the data is in catalogue/bqss_mapping.yaml, loaded
by catalogue/bqss.py): the indicator it feeds and which part of a result it gives. Defined
here, below the warehouse, so that the writer receives a mapping without importing the
catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

# Parts of a result a key can give.
FIELDS = (
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "class",
    "status",
    "decision",  # certification decision code → class (decision) and value (its rank)
    "decision_date",  # certification decision date → details
)
PERIODS = ("year", "season")  # annee 2024 → period "2024" | "2023-2024"


@dataclass(frozen=True)
class KeyMapping:
    key: str
    indicator: str
    field: str  # one of FIELDS
    type: str  # BQSS key type (types.COLUMNS_OF_TYPE)
    label: str
    period: str = "year"
    attested: bool = False  # the key name is seen in public material (else hospiscope's guess)
    source: str = ""
    codes: tuple[str, ...] = ()  # classes or statuses a class / status key may take (any if empty)

    def period_of(self, year: int) -> str:
        return f"{year - 1}-{year}" if self.period == "season" else str(year)


@dataclass(frozen=True)
class Decision:
    code: int  # as HAS writes it
    klass: str  # hospiscope decision code (certification.decisions)
    rank: int  # the value of CERT_DECISION (4 best)


@dataclass(frozen=True)
class Mapping:
    keys: dict[str, KeyMapping]
    missing_values: dict[str, str | None]  # missing_value label → status code (None: no status)
    decisions: dict[int, Decision] = field(default_factory=dict)

    def status_of(self, label: str | None) -> str | None:
        return self.missing_values.get(label) if label else None

    def label_of_status(self, status: str) -> str | None:
        """The first missing_value label of a status (how the demo writes it)."""
        return next((label for label, s in self.missing_values.items() if s == status), None)
