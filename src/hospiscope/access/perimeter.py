"""Who contains whom: establishments (FINESS ET), their legal entities (FINESS EJ), GHTs and
regions, read from the warehouse. The authorisation rule (rule.py) asks this module one
question, `contains(scope, entity)`, and the list filters ask `ets_of(scope)`; both derive from
the same sets, so a point decision and a list filter cannot disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

ENTITY_KINDS = ("etablissement", "ej", "ght", "region", "nation")
NATION_ID = "FR"


@dataclass(frozen=True)
class Entity:
    """Something results are about: an establishment (FINESS ET), a legal entity (FINESS EJ:
    all its ETs), a GHT (its code), a region (INSEE code) or the nation (one, id "FR")."""

    kind: str
    id: str

    def __post_init__(self) -> None:
        if self.kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r} (expected one of {ENTITY_KINDS})")


NATION = Entity("nation", NATION_ID)


@dataclass(frozen=True)
class Perimeter:
    """The relations between entities. `ght_ets` holds only establishments of the registry (a
    member absent from `establishments` can have no result to show); `ght_region` is the region
    of the GHT's support establishment."""

    et_ej: dict[str, str | None] = field(default_factory=dict)
    et_region: dict[str, str | None] = field(default_factory=dict)
    ght_ets: dict[str, frozenset[str]] = field(default_factory=dict)
    ght_names: dict[str, str] = field(default_factory=dict)
    ght_region: dict[str, str | None] = field(default_factory=dict)

    @cached_property
    def ej_ets(self) -> dict[str, frozenset[str]]:
        return _inverted(self.et_ej)

    @cached_property
    def region_ets(self) -> dict[str, frozenset[str]]:
        return _inverted(self.et_region)

    @cached_property
    def all_ets(self) -> frozenset[str]:
        return frozenset(self.et_ej)

    def known(self, entity: Entity) -> bool:
        """Whether the entity exists (a region exists when it has an establishment)."""
        if entity.kind == "etablissement":
            return entity.id in self.et_ej
        if entity.kind == "ej":
            return entity.id in self.ej_ets
        if entity.kind == "ght":
            return entity.id in self.ght_ets
        if entity.kind == "region":
            return entity.id in self.region_ets
        return entity.id == NATION_ID

    def ets_of(self, entity: Entity) -> frozenset[str]:
        """The establishments an entity stands for (empty when it is unknown)."""
        if entity.kind == "etablissement":
            return frozenset({entity.id}) if entity.id in self.et_ej else frozenset()
        if entity.kind == "ej":
            return self.ej_ets.get(entity.id, frozenset())
        if entity.kind == "ght":
            return self.ght_ets.get(entity.id, frozenset())
        if entity.kind == "region":
            return self.region_ets.get(entity.id, frozenset())
        return self.all_ets if entity.id == NATION_ID else frozenset()

    def contains(self, scope: Entity, entity: Entity) -> bool:
        """Whether `entity` lies within `scope`. Establishments and legal entities lie within a
        scope when all their ETs do; a GHT lies within itself, its region (that of its support
        establishment) and the nation; a region within itself and the nation."""
        if not (self.known(scope) and self.known(entity)):
            return False
        if scope.kind == "nation":
            return True
        if entity.kind in ("etablissement", "ej"):
            return self.ets_of(entity) <= self.ets_of(scope)
        if entity.kind == "ght":
            return scope == entity or (
                scope.kind == "region" and self.ght_region.get(entity.id) == scope.id
            )
        return scope == entity  # a region, or the nation (only the nation contains it)

    def scope_entity(self, role: str, scope_id: str) -> Entity | None:
        """The entity an account's scope entry names: for an establishment account a FINESS ET,
        else a FINESS EJ (all its ETs); a GHT code; a region code; None when it names nothing
        known (an account scoped to a closed establishment then sees nothing)."""
        candidates = {
            "etablissement": [Entity("etablissement", scope_id), Entity("ej", scope_id)],
            "ght": [Entity("ght", scope_id)],
            "ars": [Entity("region", scope_id)],
        }.get(role, [])
        return next((entity for entity in candidates if self.known(entity)), None)

    @classmethod
    def from_warehouse(cls, con) -> Perimeter:
        """Read `establishments` and `ght_members` (a warehouse without that table has no GHT)
        from a DuckDB connection."""
        rows = con.execute(
            "SELECT finess_et, finess_ej, region_code FROM establishments"
        ).fetchall()
        et_ej = {et: ej for et, ej, _ in rows}
        et_region = {et: region for et, _, region in rows}
        members = _ght_rows(con) if _has_table(con, "ght_members") else []
        return cls(et_ej, et_region, **_ghts(members, et_ej, et_region))


def _inverted(mapping: dict[str, str | None]) -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key, value in mapping.items():
        if value is not None:
            groups[value].add(key)
    return {value: frozenset(keys) for value, keys in groups.items()}


def _has_table(con, name: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def _ght_rows(con) -> list[tuple]:
    return con.execute(
        "SELECT ght_code, ght_name, support_finess_et, finess_ej, finess_et FROM ght_members"
    ).fetchall()


def _ghts(members: list[tuple], et_ej: dict, et_region: dict) -> dict[str, dict]:
    """GHT members expanded to establishments: a member given as an EJ stands for all the ETs
    of that EJ in the registry; an ET member counts when the registry knows it."""
    ej_ets = _inverted(et_ej)
    ets: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    support: dict[str, str | None] = {}
    for code, name, support_et, member_ej, member_et in members:
        names.setdefault(code, name)
        support.setdefault(code, support_et)
        if member_et:
            ets[code] |= {member_et} & et_ej.keys()
        elif member_ej:
            ets[code] |= ej_ets.get(member_ej, frozenset())
    return {
        "ght_ets": {code: frozenset(ets[code]) for code in names},
        "ght_names": names,
        "ght_region": {code: et_region.get(support[code]) for code in names},
    }
