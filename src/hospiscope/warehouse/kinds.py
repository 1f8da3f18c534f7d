"""French names of the kinds of import runs (`import_runs.kind`), for every reader that
lists imports (summary, staleness notices, bilan provenance): never a table name."""

from __future__ import annotations

KIND_LABELS = {
    "registry": "registre FINESS",
    "capacity": "capacités (lits et places)",
    "ght": "composition des GHT",
    "esatis_responses": "réponses e-Satis",
    "esatis_participation": "participation e-Satis",
    "esatis_resultats_publies": "résultats e-Satis publiés",
    "bqss": "résultats publiés HAS (BQSS)",
    "audit_records": "audits de dossiers",
    "icsha": "consommation de SHA (ICSHA)",
    "vaccination_grippe": "vaccination antigrippale du personnel",
    "pmsi_arthroplasties": "séjours PTH / PTG (PMSI)",
    "certification_decisions": "décisions de certification",
    "certification_criteria": "critères de certification",
    "stock_inventories": "inventaires de stocks",
    "supplier_payments": "factures fournisseurs payées",
    "social_contributions": "cotisations sociales",
    "billing_invoices": "factures (facturation et recouvrement)",
    "billing_cdri": "utilisation de CDRi",
}

# Kinds no indicator reads (the GHT composition only says who may see what, and how results
# are grouped): importing them leaves computed results up to date (results/staleness.py).
NOT_COMPUTED = ("ght",)


def kind_label(kind: str) -> str:
    """The French name of an import kind (a kind added later reads as its words)."""
    return KIND_LABELS.get(kind, kind.replace("_", " "))
