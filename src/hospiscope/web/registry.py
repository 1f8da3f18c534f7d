"""Establishments as the portal shows them: identity from the registry, activities, latest
certification decision, and the search (by name, commune, postcode, department or FINESS
number, near a position, with filters). SQL on the portal's tables (web/store.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

import duckdb

from hospiscope.certification.decisions import DECISION_LABELS, Decision
from hospiscope.geo.reference import geography
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS

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
SEARCH_MAX_TERMS = 8

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
_KEYS = "search_text, city_key, name_key"  # for searching only: not shown


@dataclass(frozen=True)
class Filters:
    """What a search may be narrowed to (all optional)."""

    department: str | None = None
    region: str | None = None
    category_group: str | None = None
    legal_status: str | None = None
    activity: str | None = None
    decision: str | None = None


def normalised(text: str) -> str:
    """Lower case, without accents, punctuation turned into spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def establishment(con: duckdb.DuckDBPyConnection, finess: str) -> dict | None:
    rows = _rows(
        con,
        f"SELECT * EXCLUDE ({_KEYS}) FROM portal_establishments WHERE finess_et = ?",
        [finess],
    )
    return rows[0] if rows else None


def establishments(con: duckdb.DuckDBPyConnection, numbers: list[str]) -> list[dict]:
    """The establishments of `numbers`, in that order (unknown numbers are left out)."""
    rows = _rows(
        con,
        f"SELECT * EXCLUDE ({_KEYS}) FROM portal_establishments "
        "WHERE finess_et IN (SELECT unnest(?))",
        [numbers],
    )
    by_number = {row["finess_et"]: row for row in rows}
    return [by_number[n] for n in numbers if n in by_number]


def search(
    con: duckdb.DuckDBPyConnection,
    text: str,
    filters: Filters,
    *,
    near: tuple[float, float] | None = None,
    radius_km: float | None = None,
    limit: int = 20,
    offset: int = 0,
    count: bool = True,
) -> tuple[int | None, list[dict]]:
    """(number of matches, one page of them). Every term of `text` must appear in the name,
    commune, postcode, FINESS number or category; establishments of a commune of that name
    come first, then names starting with the text, then by name — or by distance when `near`
    (longitude, latitude) is given. `count=False`: the number of matches is not counted
    (None), for the type-ahead suggestions."""
    terms = normalised(text).split()[:SEARCH_MAX_TERMS]
    where, params = ["true"], []
    department = _department_named(normalised(text))
    if department is not None:  # "Ain", "01", "Côtes-d'Armor": its establishments
        terms, filters = [], replace(filters, department=department)
    for term in terms:
        condition, values = _term_condition(term)
        where.append(condition)
        params += values
    for column, value in _filter_columns(filters):
        where.append(f"{column} = ?")
        params.append(value)
    if filters.activity:
        where.append("list_contains(activities, ?)")
        params.append(filters.activity)
    distance = "NULL"
    if near is not None:
        distance = _distance_sql(*near)
        if radius_km is not None:
            where.append(f"{distance} <= ?")
            params.append(radius_km)
    prefix = normalised(text)
    order = (
        f"{distance}, name"
        if near is not None
        else "NOT starts_with(e.city_key, ?), NOT starts_with(e.name_key, ?), e.name, e.finess_et"
    )
    order_params = [] if near is not None else [prefix, prefix]
    query = f"""SELECT * EXCLUDE ({_KEYS}), {distance} AS distance_km
        FROM portal_establishments e WHERE {" AND ".join(where)}"""
    total = (
        con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0] if count else None
    )
    rows = _rows(
        con,
        f"{query} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}",
        params + order_params,
    )
    return (None if total is None else int(total)), rows


def _term_condition(term: str) -> tuple[str, list[str]]:
    """A postcode or INSEE commune code (5 digits) and a FINESS number (9 characters) are
    matched exactly; any other term anywhere in the searched text."""
    if re.fullmatch(r"[0-9]{5}", term):
        return "(postcode = ? OR commune_code = ?)", [term, term]
    if re.fullmatch(r"[0-9][0-9ab][0-9]{7}", term):
        return "(finess_et = ? OR finess_ej = ?)", [term.upper(), term.upper()]
    return "contains(search_text, ?)", [term]


def _department_named(query: str) -> str | None:
    """The department whose code or name is the whole query, if any."""
    if not query:
        return None
    for department in geography().departments.values():
        if query in (department.code.lower(), normalised(department.name)):
            return department.code
    return None


def _filter_columns(filters: Filters) -> list[tuple[str, str]]:
    columns = {
        "department_code": filters.department,
        "region_code": filters.region,
        "category_group_code": filters.category_group,
        "legal_status": filters.legal_status,
        "decision": filters.decision,
    }
    return [(column, value) for column, value in columns.items() if value]


def _distance_sql(longitude: float, latitude: float) -> str:
    """Great-circle distance in km from a position (haversine, Earth radius 6 371 km)."""
    lon, lat = float(longitude), float(latitude)
    return f"""(2 * 6371 * asin(sqrt(
        pow(sin(radians(e.latitude - {lat}) / 2), 2)
        + cos(radians({lat})) * cos(radians(e.latitude))
        * pow(sin(radians(e.longitude - {lon}) / 2), 2))))"""


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


def _rows(con: duckdb.DuckDBPyConnection, query: str, params: list) -> list[dict]:
    cursor = con.execute(query, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
