"""Derived tables: intermediate tables shared by several indicators, built once per
computation run by the engine (the way analytics tables are pre-generated in DHIS2)."""

from __future__ import annotations

from functools import cache

from hospiscope.catalogue.definitions._esatis_respondents import respondent_tables
from hospiscope.catalogue.model import DerivedTable


@cache
def derived_tables() -> dict[str, DerivedTable]:
    tables = respondent_tables()
    return {table.name: table for table in tables}
