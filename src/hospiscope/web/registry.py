"""Establishments as the portal shows them: identity from the registry, activities, latest
certification decision, as one table of the portal's copy (web/store.py), which the search
(web/search_index.py) holds in memory."""

from __future__ import annotations

import duckdb

from hospiscope.certification.decisions import DECISION_LABELS, Decision
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS
from hospiscope.web.search_index import KEYS as SEARCH_KEYS
from hospiscope.web.search_index import SearchIndex

# Activities of an establishment (hypothèse hospiscope, shown in the portal): from its latest
# capacity record (beds or places of the activity) and, for day surgery, from its e-Satis
# ambulatory-surgery results; HAD from its FINESS category (127, hospitalisation à domicile).
ACTIVITIES = {
    "MCO": "Médecine, chirurgie, obstétrique",
    "CA": "Chirurgie ambulatoire",
    "SMR": "Soins médicaux et de réadaptation",
    "HAD": "Hospitalisation à domicile",
    "PSY": "Psychiatrie",
}
ACTIVITY_RULE = (
    "Activités déduites par hospiscope des capacités déclarées (lits ou places), des résultats "
    "e-Satis de chirurgie ambulatoire et de la catégorie FINESS (HAD) : hypothèse hospiscope."
)

_ACTIVITY_SQL = """
    list_filter([
        CASE WHEN coalesce(c.beds_mco, 0) + coalesce(c.places_mco, 0) > 0 THEN 'MCO' END,
        CASE WHEN EXISTS (SELECT 1 FROM results r WHERE r.entity_kind = 'etablissement'
            AND r.entity_id = e.finess_et AND r.indicator_code LIKE 'ESATISCA%'
            AND r.value IS NOT NULL) THEN 'CA' END,
        CASE WHEN coalesce(c.beds_smr, 0) + coalesce(c.places_smr, 0) > 0 THEN 'SMR' END,
        CASE WHEN e.category_code = '127' THEN 'HAD' END,
        CASE WHEN coalesce(c.beds_psy, 0) + coalesce(c.places_psy, 0) > 0 THEN 'PSY' END
    ], lambda a: a IS NOT NULL)"""
# One row per establishment: identity, activities, latest certification decision, and the text
# a search looks in. Materialised once per state of the warehouse (web/store.py, DERIVED).
_ESTABLISHMENTS = f"""
    WITH latest_capacity AS (
        SELECT * FROM capacity QUALIFY row_number() OVER (PARTITION BY finess_et
            ORDER BY year DESC) = 1),
    latest_decision AS (
        SELECT * FROM certification_decisions QUALIFY row_number() OVER (
            PARTITION BY finess_et ORDER BY decision_date DESC) = 1)
    SELECT e.finess_et, e.finess_ej, coalesce(e.name, e.name_long) AS name, e.name_long,
        e.category_code, e.category_label, e.category_group_code, e.category_group_label,
        e.legal_status, e.street, e.postcode, e.city, e.commune_code, e.department_code,
        e.region_code, e.longitude, e.latitude, {_ACTIVITY_SQL} AS activities,
        d.decision, d.decision_date, d.visit_date, d.cycle,
        strip_accents(lower(concat_ws(' ', e.name, e.name_long, e.city, e.postcode,
            e.finess_et, e.finess_ej, e.category_label))) AS search_text,
        trim(regexp_replace(strip_accents(lower(e.city)), '[^0-9a-z]+', ' ', 'g')) AS city_key,
        trim(regexp_replace(strip_accents(lower(coalesce(e.name, e.name_long))), '[^0-9a-z]+',
            ' ', 'g')) AS name_key
    FROM establishments e
    LEFT JOIN latest_capacity c USING (finess_et)
    LEFT JOIN latest_decision d USING (finess_et)"""
DERIVED = {"portal_establishments": _ESTABLISHMENTS}


def search_index(con: duckdb.DuckDBPyConnection, *, trigrams: bool = True) -> SearchIndex:
    """The in-memory search over every establishment (web/store.py prepares it once per state
    of the warehouse; without the copy, on every request, then without trigrams)."""
    cursor = con.execute("SELECT * FROM portal_establishments")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return SearchIndex(rows, trigrams=trigrams)


def establishment_rows(con: duckdb.DuckDBPyConnection, numbers: list[str]) -> list[dict]:
    """The rows of `numbers` in portal_establishments, in that order (unknown ones left out),
    without the search keys."""
    cursor = con.execute(
        f"""SELECT * EXCLUDE ({", ".join(SEARCH_KEYS)}) FROM portal_establishments
        WHERE finess_et IN (SELECT unnest(?))""",
        [numbers],
    )
    names = [d[0] for d in cursor.description]
    by_number = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return [by_number[n] for n in numbers if n in by_number]


def peer_groups(con: duckdb.DuckDBPyConnection, finess: str) -> dict[str, str]:
    """The peer group of `finess` in each stratification (stratification → group code)."""
    rows = con.execute(
        "SELECT stratification, group_code FROM peer_groups WHERE finess_et = ?", [finess]
    ).fetchall()
    return dict(rows)


def category_groups(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(code, label) of the establishment types of the registry, by label."""
    return con.execute(
        """SELECT DISTINCT category_group_code, category_group_label FROM establishments
        WHERE category_group_code IS NOT NULL ORDER BY 2"""
    ).fetchall()


def legal_status_label(code: str | None) -> str:
    return LEGAL_STATUS_LABELS.get(code, "statut inconnu") if code else "statut inconnu"


def decision_label(code: str | None) -> str | None:
    return DECISION_LABELS.get(Decision(code)) if code else None
