"""The schema of a lever (an efficiency measure of the IGF-IGAS annex XII table, §1) and the
closed lists it is checked against: the two parts of the table, their fields of action and,
per field, its lever types with the prefix of their lever ids.

The lists follow the table's order; the loader checks that the data file does too. Field
labels are the annex's headings; lever-type labels are short headings in our own words (some
of the annex's are whole sentences).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hospiscope.catalogue.loader import catalogue_meta
from hospiscope.catalogue.meta import Review

# (part, field of action, ((id prefix, lever type), …)), in the order of the annex's table.
TABLE: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "fonctions",
        "Gestion financière et comptable",
        (
            ("FACT", "Facturation des prestations : délais"),
            ("RECO", "Facturation des prestations : recouvrement"),
            ("PAIE", "Délais de paiement des fournisseurs et des charges sociales et fiscales"),
            ("STOC", "Gestion des stocks"),
        ),
    ),
    (
        "fonctions",
        "Parcours du patient",
        (("ADM", "Procédure d'admission"), ("SORT", "Procédure de sortie")),
    ),
    (
        "fonctions",
        "Gestion des ressources humaines",
        (
            ("RHPG", "Procédures générales"),
            ("PMED", "Productivité médicale"),
            ("PNM", "Productivité non médicale"),
            ("ABS", "Absentéisme"),
            ("PDS", "Permanence des soins"),
            ("COMP", "Gestion des compétences spécialisées"),
        ),
    ),
    (
        "fonctions",
        "Politique achats",
        (
            ("DM", "Dispositifs médicaux"),
            ("ACHA", "Fonction achat unifiée au niveau du GHT"),
            ("MOL", "Achat mutualisé des molécules onéreuses"),
        ),
    ),
    (
        "fonctions",
        "Mode de gestion des activités",
        (
            ("SOUS", "Sous-traitance"),
            ("MUTL", "Logistique partagée avec des acteurs non sanitaires du territoire"),
            ("TIER", "Prestations vendues à des tiers"),
        ),
    ),
    (
        "fonctions",
        "Systèmes d'information",
        (
            ("SICV", "Convergence des systèmes d'information du GHT"),
            ("SIMAT", "Investissements matériels mutualisés"),
            ("SILOG", "Convergence des logiciels de gestion (GAM, GEF, GRH)"),
        ),
    ),
    (
        "fonctions",
        "Gestion immobilière et patrimoniale",
        (
            ("FONC", "Foncière pour le patrimoine non affecté aux soins"),
            ("MOA", "Maîtrise d'ouvrage hospitalière professionnalisée"),
        ),
    ),
    (
        "fonctions",
        "Politique d'investissement",
        (("SEGUR", "Réexamen des projets du Ségur de l'investissement"),),
    ),
    (
        "soins",
        "Organisation des activités de soins",
        (
            ("CAPA", "Performance capacitaire"),
            ("ALT", "Alternatives à l'hospitalisation complète"),
            ("PARC", "Gestion des lits et des parcours des patients"),
        ),
    ),
    (
        "soins",
        "Organisation des activités médico-techniques",
        (
            ("IMG", "Imagerie"),
            ("BIO", "Biologie"),
            ("BLOC", "Blocs opératoires"),
            ("PUI", "Pharmacie à usage intérieur et stérilisation"),
        ),
    ),
)
PARTS = {
    "fonctions": "Gestion des fonctions administratives, financières et techniques",
    "soins": "Gestion des activités de soins",
}
FIELDS: dict[str, tuple[str, ...]] = {
    field: tuple(lever_type for _, lever_type in types) for _, field, types in TABLE
}
PART_OF_FIELD = {field: part for part, field, _ in TABLE}
PREFIX = {lever_type: prefix for _, _, types in TABLE for prefix, lever_type in types}
# (field, lever type) → its rank in the table: the data file lists levers in this order.
TYPE_RANK = {
    (field, lever_type): rank
    for rank, (field, lever_type) in enumerate(
        (field, lever_type) for _, field, types in TABLE for _, lever_type in types
    )
}
SCOPES = {"national": "mesure nationale", "local": "mesure locale"}
CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,40}$")


class Lever(BaseModel):
    """One measure of the table. `indicators`: catalogue codes that evidence it now;
    `planned_indicators`: codes of issue 11's planned list not built yet (see loader.PLANNED).
    Texts in French, in our own words (the annex's sentences are not copied)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^L-[A-Z]{2,5}-\d{2}$")
    field: str
    lever_type: str
    scope: Literal["national", "local"]
    # Why the scope is what it is, when the annex's marking and its wording disagree.
    scope_note: str | None = None
    label: str = Field(min_length=5, max_length=120)
    description: str = Field(min_length=20)
    attention_points: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    indicators: tuple[str, ...]
    planned_indicators: tuple[str, ...]
    source_document: str
    source_section: str
    review: Review

    @model_validator(mode="after")
    def _in_the_table(self) -> Lever:
        if self.field not in FIELDS:
            raise ValueError(f"champ d'action inconnu « {self.field} » ; connus : {list(FIELDS)}")
        if self.lever_type not in FIELDS[self.field]:
            raise ValueError(
                f"type de levier « {self.lever_type} » inconnu pour le champ « {self.field} » ; "
                f"connus : {list(FIELDS[self.field])}"
            )
        prefix = PREFIX[self.lever_type]
        if self.id.split("-")[1] != prefix:
            raise ValueError(f"l'identifiant d'un levier de ce type commence par L-{prefix}-")
        return self

    @model_validator(mode="after")
    def _codes(self) -> Lever:
        codes = self.indicators + self.planned_indicators
        if bad := [code for code in codes if not CODE.match(code)]:
            raise ValueError(f"codes d'indicateurs mal formés : {bad}")
        if twice := sorted({code for code in codes if codes.count(code) > 1}):
            raise ValueError(f"codes d'indicateurs cités deux fois : {twice}")
        return self

    @property
    def part(self) -> str:
        """The table's part ("fonctions" or "soins") the field of action belongs to."""
        return PART_OF_FIELD[self.field]

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator code the lever names, built or planned."""
        return self.indicators + self.planned_indicators

    @property
    def number(self) -> int:
        return int(self.id.rsplit("-", 1)[1])

    def evidence(self) -> tuple[str, ...]:
        """The codes the lever names that are in the catalogue now: a planned code counts as
        soon as its definition lands (e.g. when another part of issue 11 is merged)."""
        known = catalogue_meta()
        return tuple(code for code in self.codes if code in known)
