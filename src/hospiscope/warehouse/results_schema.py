"""The results table, declared once: each column's name, DuckDB type, constraint and meaning.

Everything else derives from this declaration: the table's DDL (`results_table_ddl`, run by
the warehouse with schema.sql), the columns that finalisation hands over
(`FINALISED_COLUMNS`, results.finalize) and what storage writes (`STORED_COLUMNS` and
`insert_results_sql`, results.store). It lives in the warehouse, the lower layer that
creates the table, and results read it.

Existing warehouses keep their table: the DDL is `CREATE TABLE IF NOT EXISTS`, and the
generated statement creates the very table schema version 3 wrote (same columns, order,
types, constraints and defaults; tests/integration/test_warehouse_versions.py). Changing a
column here is a schema change: it needs a new SCHEMA_VERSION and its migration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultColumn:
    name: str
    sql_type: str
    meaning: str
    not_null: bool = False
    default: str | None = None  # an SQL literal
    # True: finalisation writes it (from the engine's sums); False: the computation run (or
    # the import of published results) does.
    finalised: bool = False

    def ddl(self) -> str:
        constraint = " NOT NULL" if self.not_null else ""
        default = f" DEFAULT {self.default}" if self.default is not None else ""
        return f"{self.name} {self.sql_type}{constraint}{default}"


RESULT_COLUMNS: tuple[ResultColumn, ...] = (
    ResultColumn("indicator_code", "VARCHAR", "indicator of the catalogue", not_null=True),
    ResultColumn("method_version", "VARCHAR", "the indicator's method version", not_null=True),
    ResultColumn(
        "definition_hash",
        "VARCHAR",
        "fingerprint of the computation (guards silent changes)",
        not_null=True,
    ),
    ResultColumn(
        "period", "VARCHAR", "campaign or season: 2024, 2023-2024…", not_null=True, finalised=True
    ),
    ResultColumn(
        "entity_kind",
        "VARCHAR",
        "etablissement | national | region | departement | strate",
        not_null=True,
        finalised=True,
    ),
    ResultColumn("entity_id", "VARCHAR", "FINESS, region code, FR…", not_null=True, finalised=True),
    ResultColumn(
        "numerator", "DOUBLE", "pooled numerator (events, sum of scores…)", finalised=True
    ),
    ResultColumn("denominator", "DOUBLE", "pooled denominator (NULL for counts)", finalised=True),
    ResultColumn("value", "DOUBLE", "the published value (NULL under a status)", finalised=True),
    ResultColumn("ci_low", "DOUBLE", "lower bound of the confidence interval", finalised=True),
    ResultColumn("ci_high", "DOUBLE", "upper bound of the confidence interval", finalised=True),
    ResultColumn("ci_level", "DOUBLE", "level of the interval (0.95)", finalised=True),
    ResultColumn("ci_method", "VARCHAR", "label of the interval (stats.ci_labels)", finalised=True),
    ResultColumn("class", "VARCHAR", "class of the period's grid (establishments)", finalised=True),
    ResultColumn(
        "status",
        "VARCHAR",
        "NULL when published; DI, NR, NV, NC otherwise",
        finalised=True,
    ),
    ResultColumn("import_runs", "INTEGER[]", "import runs whose data it read", not_null=True),
    ResultColumn("computation_id", "INTEGER", "NULL for results imported as published (origin)"),
    ResultColumn("computed_at", "TIMESTAMP", "when the computation started", not_null=True),
    ResultColumn(
        "details",
        "JSON",
        "unadjusted value, expected, positions, evolution…",
        finalised=True,
    ),
    ResultColumn(
        "origin",
        "VARCHAR",
        "calcul (hospiscope) | publie (source file)",
        not_null=True,
        default="'calcul'",
    ),
)
# One row of finalisation per level, entity and period: its keys come first in its output.
RESULT_KEYS = ("entity_kind", "entity_id", "period")
FINALISED_COLUMNS = (
    *RESULT_KEYS,
    *(c.name for c in RESULT_COLUMNS if c.finalised and c.name not in RESULT_KEYS),
)
STORED_COLUMNS = tuple(column.name for column in RESULT_COLUMNS)


def results_table_ddl() -> str:
    """CREATE TABLE IF NOT EXISTS results, with each column's meaning as a comment."""
    width = max(len(column.ddl()) for column in RESULT_COLUMNS) + 1
    lines = []
    for number, column in enumerate(RESULT_COLUMNS, start=1):
        text = column.ddl() + ("," if number < len(RESULT_COLUMNS) else "")
        lines.append(f"    {text:<{width}} -- {column.meaning}")
    return "CREATE TABLE IF NOT EXISTS results (\n" + "\n".join(lines) + "\n);"


def insert_results_sql(relation: str) -> str:
    """INSERT of every stored column of `relation` (a registered frame) into results, by
    name: a frame's column order does not matter."""
    names = ", ".join(f'"{name}"' for name in STORED_COLUMNS)
    return f"INSERT INTO results ({names}) SELECT {names} FROM {relation}"
