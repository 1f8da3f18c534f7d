"""Every route × every role, generated from the application's route table, so that a new
route is covered without writing a test:

- a private route (under /espace/) must be declared below with the entity and the kind of
  data it shows, else this test fails; each is then asked by every role for its own entity,
  another one and one that does not exist, and must answer exactly what the one rule
  (access/rule.py) decides — 200, or its 401/403/404 — for the page and its JSON twin;
- a public route answers every role exactly as it answers an anonymous visitor (same status,
  same JSON apart from the page frame): nothing private leaks into public pages.

On the hostile registry's small warehouse (fast)."""

from __future__ import annotations

import re

import pytest

from hospiscope.access import accounts, rule, sessions
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.perimeter import NATION, Entity
from hospiscope.web.app import ROUTERS
from hospiscope.web.cache import SESSION_COOKIE
from web.conftest import HOSTILE_FINESS, client_of

OTHER = "010000107"  # another establishment of the fixtures' registry (Ain, region 84)
UNKNOWN = "999999999"
# The pages of the visitor's own account (no entity, nothing for the rule to decide): every
# signed-in role gets 200; anonymous visitors 401 on the twin, a redirect to /connexion on the
# page.
SIGNED_IN = "any signed-in visitor"
# Private routes: what they show (entity of the path → kind of data), or SIGNED_IN. A new
# private route must be added here (the test says so).
PRIVATE = {
    "/espace/etablissements/{finess}": (lambda f: Entity("etablissement", f), "unpublished"),
    "/espace/etablissements/{finess}/resultats": (
        lambda f: Entity("etablissement", f),
        "unpublished",
    ),
    "/espace/national": (lambda _: NATION, "operations"),
    "/espace/national/revue": (lambda _: NATION, "review"),
    "/espace/audit": (lambda _: NATION, "audit"),
    "/espace/comptes": (lambda _: NATION, "accounts"),
    "/espace/comptes/{identifiant}": (lambda _: NATION, "accounts"),
    "/espace/ght/{code}": (lambda c: Entity("ght", c), "unpublished"),
    "/espace/ght/{code}/export.csv": (lambda c: Entity("ght", c), "unpublished"),
    "/espace/ght/{code}/export.xlsx": (lambda c: Entity("ght", c), "unpublished"),
    "/espace/regions": (lambda _: NATION, "unpublished"),
    "/espace/regions/{code}": (lambda c: Entity("region", c), "unpublished"),
    "/espace/regions/{code}/export.csv": (lambda c: Entity("region", c), "unpublished"),
    "/espace/regions/{code}/export.xlsx": (lambda c: Entity("region", c), "unpublished"),
    "/espace/compte": SIGNED_IN,
}
# The values a private route's path parameter is tried with: the entity of a role, another
# one, one that does not exist (a GHT code or a region code by the route's section; this
# registry has no GHT composition: tests/web/test_territory_pages.py covers GHTs on the demo).
PARAMETERS = {
    "finess": (HOSTILE_FINESS, OTHER, UNKNOWN),
    "ght": ("GHT-INCONNU", "DEMO-01"),
    "regions": ("84", "11", "99"),
    # Existing accounts (an unknown login is the admin page's 404: tests/web/test_admin_page.py).
    "identifiant": ("matrice.etab_a", "matrice.admin"),
}
SIGNED_IN_ONLY = {"/espace"} | {path for path, access in PRIVATE.items() if access == SIGNED_IN}
ROLES = {
    "anonyme": None,
    "etab_a": ("etablissement", [HOSTILE_FINESS]),
    "etab_b": ("etablissement", [OTHER]),
    "ght_inconnu": ("ght", ["GHT-INCONNU"]),  # (no composition in this warehouse)
    "ars_84": ("ars", ["84"]),
    "ars_11": ("ars", ["11"]),
    "national": ("national", []),
    "admin": ("admin", []),
}
# Values for the path parameters of public routes.
EXAMPLES = {"finess": HOSTILE_FINESS, "code": "REG_ETAB", "year": "2024", "campagne": "2024"}
FORMS = {"/connexion"}  # the sign-in form: its token differs per visit, by design


@pytest.fixture(scope="module")
def world(hostile_warehouse):
    """A portal, and a session cookie for every role."""
    path = access_path(hostile_warehouse)
    path.unlink(missing_ok=True)
    cookies = {}
    with AccessDatabase(path) as db, db.transaction() as con:
        for name, spec in ROLES.items():
            if spec is None:
                continue
            role, scope = spec
            account = accounts.add_account(con, f"matrice.{name}", role, scope, None, utc_now())
            cookies[name] = sessions.open_session(con, account, utc_now()).cookie_value
    client = client_of(hostile_warehouse)
    yield client, cookies
    client.app.state.access.close()


def _routes() -> list[str]:
    return sorted(
        {route.path for router in ROUTERS for route in router.routes if "GET" in route.methods}
    )


def _principal(name: str) -> rule.Principal:
    if ROLES[name] is None:
        return rule.ANONYMOUS
    role, scope = ROLES[name]
    return rule.Principal(role=role, scope=tuple(scope), login=f"matrice.{name}")


def _get(world, name: str, url: str):
    client, cookies = world
    headers = {"Cookie": f"{SESSION_COOKIE}={cookies[name]}"} if name in cookies else {}
    return client.get(url, headers=headers, follow_redirects=False)


def test_every_private_route_is_declared():
    private = {p.removesuffix(".json") for p in _routes() if p.startswith("/espace/")}
    assert private <= set(PRIVATE), f"déclarez l'accès de : {sorted(private - set(PRIVATE))}"


@pytest.mark.parametrize("name", list(ROLES))
def test_private_routes_answer_what_the_rule_decides(world, name):
    client, _ = world
    perimeter = client.app.state.store.prepared("perimeter")
    checked = 0
    for path in _routes():
        base = path.removesuffix(".json")
        if base not in PRIVATE or base in SIGNED_IN_ONLY:
            continue
        entity_of, kind = PRIVATE[base]
        for value in _parameter_values(path):
            url = re.sub(r"{\w+}", value or "", path)
            decision = rule.decide(_principal(name), entity_of(value), kind, perimeter)
            expected = 200 if decision.allowed else decision.status
            if name == "anonyme" and expected == 403:
                expected = 401  # sign in first
            answer = _get(world, name, url)
            assert answer.status_code == expected, (name, url, answer.text[:200])
            if expected != 200 and path.endswith(".json"):
                assert answer.json()["error"]["message"] == decision.reason
            checked += 1
    assert checked >= 30


def _parameter_values(path: str) -> tuple:
    if "{finess}" in path:
        return PARAMETERS["finess"]
    if "{code}" in path:
        return PARAMETERS[path.split("/")[2]]
    if "{identifiant}" in path:
        return PARAMETERS["identifiant"]
    return (None,)


@pytest.mark.parametrize("name", [n for n in ROLES if n != "anonyme"])
def test_public_routes_answer_every_role_as_an_anonymous_visitor(world, name):
    compared = 0
    for path in _routes():
        if path.startswith("/espace") or path.removesuffix(".json") in FORMS | SIGNED_IN_ONLY:
            continue
        names = re.findall(r"{(\w+)}", path)
        assert set(names) <= set(EXAMPLES), f"valeur d'exemple manquante pour {path}"
        url = path.format(**{n: EXAMPLES[n] for n in names})
        anonymous, signed_in = _get(world, "anonyme", url), _get(world, name, url)
        assert signed_in.status_code == anonymous.status_code, (name, url)
        if "json" in anonymous.headers.get("content-type", ""):
            first, second = anonymous.json(), signed_in.json()
            if isinstance(first, dict):
                first.pop("layout", None), second.pop("layout", None)
            assert first == second, (name, url)
        compared += 1
    assert compared >= 20


@pytest.mark.parametrize("name", list(ROLES))
def test_the_account_pages_are_for_signed_in_visitors(world, name):
    for path in sorted(SIGNED_IN_ONLY):
        twin, page = _get(world, name, f"{path}.json"), _get(world, name, path)
        if name == "anonyme":
            assert twin.status_code == 401, path
            assert (page.status_code, page.headers["location"]) == (303, "/connexion"), path
        else:
            assert twin.status_code == page.status_code == 200, (name, path)
            assert twin.json()["login"] == f"matrice.{name}"  # the visitor's own, never another's
