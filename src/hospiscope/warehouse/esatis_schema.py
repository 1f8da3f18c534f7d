"""Warehouse tables of e-Satis responses, one per questionnaire, derived from the catalogue."""

from __future__ import annotations

from hospiscope.sources.esatis.layout import stored
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES


def esatis_table_ddl() -> str:
    """CREATE TABLE statements for every questionnaire's response table."""
    statements = []
    for questionnaire in QUESTIONNAIRES.values():
        body = ",\n    ".join(f"{c.target} {c.sql_type}" for c in stored(questionnaire))
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {questionnaire.table} (\n    {body},\n"
            "    import_run_id INTEGER NOT NULL\n);"
        )
    return "\n".join(statements)
