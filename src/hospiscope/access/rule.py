"""THE authorisation rule: may this principal see this entity's data of this kind? Every private
route, JSON twin, export and API endpoint asks `decide`; every list query of private data is
filtered by `visible_ets`, which applies the same rule to all establishments at once (both go
through `_role_refusal` and `_reach`, so they cannot disagree).

Who sees what (`kind` of data):

| role          | published | unpublished                 | review | operations | accounts | audit |
|---------------|-----------|-----------------------------|--------|------------|----------|-------|
| anonymous     | all       | —                           | —      | —          | —        | —     |
| etablissement | all       | own ETs (or all ETs of EJ)  | own    | —          | —        | —     |
| ght           | all       | GHT + its ETs (*)           | —      | —          | —        | —     |
| ars           | all       | region + its ETs, GHTs (*)  | —      | —          | —        | —     |
| national      | all       | all                         | all    | all        | —        | all   |
| admin         | all       | —                           | —      | —          | all      | —     |

(*) Results of a campaign that is not published (`campaign_state` given and not `publie`) are
seen by the establishment itself and the national team only: in review "each establishment sees
its own results before anyone else" (issue 10); GHT and ARS see them once published. Private
data outside any campaign review (`campaign_state=None`: e.g. an efficiency diagnosis) follows
the table as written.

Statuses. 403 when the refusal depends only on who asks and the kind of data (it reveals
nothing about any entity: "the audit trail is for the national team"). 404 as soon as it
depends on which entity or which campaign: an entity outside the perimeter gets exactly the
answer of an entity that does not exist (same status, same reason), so a refusal never tells
whether another establishment has unpublished results, a contest, a diagnosis… (why 404 and not
403: a 403 for "exists but not yours" next to a 404 for "nothing there" would reveal existence).
The `detail` of a decision says which case it was, for the audit trail only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from hospiscope.access.perimeter import Entity, Perimeter
from hospiscope.access.review import PUBLISHED

ROLES = ("etablissement", "ght", "ars", "national", "admin")
DATA_KINDS = ("published", "unpublished", "review", "operations", "accounts", "audit")


class _All(enum.Enum):
    ALL = "ALL"

    def __repr__(self) -> str:
        return "ALL"


ALL = _All.ALL  # `visible_ets`: every establishment (no filter to apply)

# The kinds each role may ask for at all, whatever the entity.
ROLE_KINDS: dict[str | None, frozenset[str]] = {
    None: frozenset({"published"}),
    "etablissement": frozenset({"published", "unpublished", "review"}),
    "ght": frozenset({"published", "unpublished"}),
    "ars": frozenset({"published", "unpublished"}),
    "national": frozenset({"published", "unpublished", "review", "operations", "audit"}),
    "admin": frozenset({"published", "accounts"}),
}
REACHES_ALL = frozenset({"national", "admin"})  # within the kinds of ROLE_KINDS
OWNER_ONLY_BEFORE_PUBLICATION = frozenset({"ght", "ars"})

NOT_FOUND = "Aucune donnée accessible pour cette entité."  # unknown or outside: one answer
SIGN_IN = "Connexion requise : ces données ne sont pas publiques."
KIND_REFUSALS = {
    "unpublished": "Votre rôle ne donne accès à aucune donnée non publiée.",
    "review": (
        "La revue des résultats est réservée à chaque établissement pour ses propres résultats "
        "et à l'équipe nationale."
    ),
    "operations": "Réservé à l'équipe nationale (campagnes, imports et contrôles).",
    "accounts": "La gestion des comptes est réservée aux administrateurs.",
    "audit": "Le journal d'audit est réservé à l'équipe nationale.",
}
ADMIN_DATA = "Le rôle administrateur gère les comptes ; il ne donne accès à aucune donnée privée."


@dataclass(frozen=True)
class Principal:
    """Who asks: anonymous (`role=None`) or an account with its role and scope (FINESS ET or EJ
    for an establishment, GHT code, region code; empty for national and admin)."""

    role: str | None = None
    scope: tuple[str, ...] = ()
    login: str | None = None

    def __post_init__(self) -> None:
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (expected one of {ROLES})")
        object.__setattr__(self, "scope", tuple(self.scope))

    @property
    def anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Principal()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # French, may be shown
    status: int  # 200, or the HTTP status to answer: 403 or 404
    detail: str = ""  # for the audit trail only, never shown (it tells unknown from outside)


def decide(
    principal: Principal,
    entity: Entity,
    kind: str,
    perimeter: Perimeter,
    *,
    campaign_state: str | None = None,
) -> Decision:
    """May `principal` see `entity`'s data of `kind` (for a campaign in `campaign_state`)?"""
    kind = effective_kind(kind, campaign_state)
    refusal = _role_refusal(principal, kind)
    if refusal is not None:
        return refusal
    if not perimeter.known(entity):
        return Decision(False, NOT_FOUND, 404, "entité inconnue")
    if kind == "published":
        return Decision(True, "Données publiées : accessibles à tous.", 200)
    reach = _reach(principal, perimeter, kind, campaign_state)
    if reach is ALL or any(perimeter.contains(scope, entity) for scope in reach):
        return Decision(True, "Dans votre périmètre.", 200)
    if not _scopes(principal, perimeter):
        return Decision(False, NOT_FOUND, 404, "aucun périmètre connu pour ce compte")
    if reach:
        return Decision(False, NOT_FOUND, 404, "hors périmètre")
    return Decision(False, NOT_FOUND, 404, "campagne non publiée : établissement et national")


def visible_ets(
    principal: Principal,
    perimeter: Perimeter,
    kind: str,
    *,
    campaign_state: str | None = None,
) -> frozenset[str] | _All:
    """The establishments (FINESS ET) whose data of `kind` `principal` may see, or ALL: the
    filter for list queries, the same rule as `decide` on each establishment."""
    kind = effective_kind(kind, campaign_state)
    if _role_refusal(principal, kind) is not None:
        return frozenset()
    if kind == "published":
        return ALL
    reach = _reach(principal, perimeter, kind, campaign_state)
    if reach is ALL:
        return ALL
    return frozenset().union(*(perimeter.ets_of(scope) for scope in reach))


def effective_kind(kind: str, campaign_state: str | None) -> str:
    """The kind the campaign's state makes of the data: results labelled `published` of a
    campaign that is not are unpublished (a caller's label never publishes anything), and
    `unpublished` results of a published campaign are public."""
    if kind not in DATA_KINDS:
        raise ValueError(f"unknown data kind {kind!r} (expected one of {DATA_KINDS})")
    if campaign_state is None:
        return kind
    if kind == "published" and campaign_state != PUBLISHED:
        return "unpublished"
    if kind == "unpublished" and campaign_state == PUBLISHED:
        return "published"
    return kind


def _role_refusal(principal: Principal, kind: str) -> Decision | None:
    """The refusal that depends only on the role and the kind (403), if any."""
    if kind in ROLE_KINDS[principal.role]:
        return None
    if principal.anonymous:
        return Decision(False, SIGN_IN, 403, f"anonyme : {kind}")
    if principal.role == "admin" and kind not in ("operations", "audit"):
        return Decision(False, ADMIN_DATA, 403, f"admin : {kind}")
    return Decision(False, KIND_REFUSALS[kind], 403, f"{principal.role} : {kind}")


def _reach(
    principal: Principal, perimeter: Perimeter, kind: str, campaign_state: str | None
) -> list[Entity] | _All:
    """The scope entities within which `principal` sees `kind` (a kind its role allows)."""
    if principal.role in REACHES_ALL:
        return ALL
    if (
        kind == "unpublished"
        and campaign_state is not None
        and principal.role in OWNER_ONLY_BEFORE_PUBLICATION
    ):
        return []
    return _scopes(principal, perimeter)


def _scopes(principal: Principal, perimeter: Perimeter) -> list[Entity]:
    found = (perimeter.scope_entity(principal.role or "", entry) for entry in principal.scope)
    return [entity for entity in found if entity is not None]
