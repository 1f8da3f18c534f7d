"""The authorisation rule: the full role × entity × kind matrix, written out, and the proof that
the list filter (`visible_ets`) says what the point decision (`decide`) says."""

import pytest
from accessworld import A2, EJA, G1, G2, UNKNOWN, A, B, C, D, et, world
from hypothesis import given
from hypothesis import strategies as st

from hospiscope.access.perimeter import NATION, Entity, Perimeter
from hospiscope.access.rule import (
    ALL,
    ANONYMOUS,
    DATA_KINDS,
    NOT_FOUND,
    Principal,
    decide,
    visible_ets,
)

PRINCIPALS = {
    "anonyme": ANONYMOUS,
    "etab_A": Principal("etablissement", (A,), "a"),  # one ET
    "etab_EJ": Principal("etablissement", (EJA,), "ej"),  # all ETs of EJA: A and A2
    "etab_B": Principal("etablissement", (B,), "b"),
    "ght_G1": Principal("ght", (G1,), "g"),  # A and C
    "ars_11": Principal("ars", ("11",), "r11"),  # A, A2, B, C, G1
    "ars_84": Principal("ars", ("84",), "r84"),  # D, G2
    "national": Principal("national", (), "n"),
    "admin": Principal("admin", (), "adm"),
}
ENTITIES = {
    "A": et(A),
    "A2": et(A2),
    "B": et(B),
    "C": et(C),
    "D": et(D),
    "EJA": Entity("ej", EJA),
    "G1": Entity("ght", G1),
    "G2": Entity("ght", G2),
    "R11": Entity("region", "11"),
    "R84": Entity("region", "84"),
    "FR": NATION,
    "X": et(UNKNOWN),  # does not exist
}
COLUMNS = list(ENTITIES)

# ok: allowed; 403: refused for who asks (whatever the entity); 404: refused for this entity
# (outside the perimeter or non-existent: the same answer). Columns: ENTITIES, in order.
# fmt: off
MATRIX = {
    "published": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "etab_A":  "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "etab_EJ": "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "etab_B":  "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "ght_G1":  "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "ars_11":  "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "ars_84":  "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "admin":   "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
    },
    "unpublished": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_A":  "ok  404 404 404 404 404 404 404 404 404 404 404",
        "etab_EJ": "ok  ok  404 404 404 ok  404 404 404 404 404 404",
        "etab_B":  "404 404 ok  404 404 404 404 404 404 404 404 404",
        "ght_G1":  "ok  404 404 ok  404 404 ok  404 404 404 404 404",
        "ars_11":  "ok  ok  ok  ok  404 ok  ok  404 ok  404 404 404",
        "ars_84":  "404 404 404 404 ok  404 404 ok  404 ok  404 404",
        "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "admin":   "403 403 403 403 403 403 403 403 403 403 403 403",
    },
    "review": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_A":  "ok  404 404 404 404 404 404 404 404 404 404 404",
        "etab_EJ": "ok  ok  404 404 404 ok  404 404 404 404 404 404",
        "etab_B":  "404 404 ok  404 404 404 404 404 404 404 404 404",
        "ght_G1":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_11":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_84":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "admin":   "403 403 403 403 403 403 403 403 403 403 403 403",
    },
    "operations": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_A":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_EJ": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_B":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ght_G1":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_11":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_84":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "admin":   "403 403 403 403 403 403 403 403 403 403 403 403",
    },
    "accounts": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_A":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_EJ": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_B":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ght_G1":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_11":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_84":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "national":"403 403 403 403 403 403 403 403 403 403 403 403",
        "admin":   "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
    },
    "audit": {
        #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
        "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_A":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_EJ": "403 403 403 403 403 403 403 403 403 403 403 403",
        "etab_B":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ght_G1":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_11":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "ars_84":  "403 403 403 403 403 403 403 403 403 403 403 403",
        "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
        "admin":   "403 403 403 403 403 403 403 403 403 403 403 403",
    },
}
# Results of a campaign not yet published: the establishment itself and the national team.
BEFORE_PUBLICATION = {
    #           A   A2  B   C   D   EJA G1  G2  R11 R84 FR  X
    "anonyme": "403 403 403 403 403 403 403 403 403 403 403 403",
    "etab_A":  "ok  404 404 404 404 404 404 404 404 404 404 404",
    "etab_EJ": "ok  ok  404 404 404 ok  404 404 404 404 404 404",
    "etab_B":  "404 404 ok  404 404 404 404 404 404 404 404 404",
    "ght_G1":  "404 404 404 404 404 404 404 404 404 404 404 404",
    "ars_11":  "404 404 404 404 404 404 404 404 404 404 404 404",
    "ars_84":  "404 404 404 404 404 404 404 404 404 404 404 404",
    "national":"ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  404",
    "admin":   "403 403 403 403 403 403 403 403 403 403 403 403",
}
# fmt: on


def expected_cells(table):
    for role, line in table.items():
        for column, cell in zip(COLUMNS, line.split(), strict=True):
            yield role, column, cell


def answer(decision) -> str:
    return "ok" if decision.allowed else str(decision.status)


def test_the_matrix_covers_every_kind_and_role():
    assert set(MATRIX) == set(DATA_KINDS)
    assert all(set(rows) == set(PRINCIPALS) for rows in MATRIX.values())


@pytest.mark.parametrize("kind", DATA_KINDS)
def test_matrix(kind):
    perimeter = world()
    found = {
        (role, column): answer(decide(PRINCIPALS[role], ENTITIES[column], kind, perimeter))
        for role, column, _ in expected_cells(MATRIX[kind])
    }
    expected = {(role, column): cell for role, column, cell in expected_cells(MATRIX[kind])}
    assert found == expected


@pytest.mark.parametrize(
    ("state", "kind"),
    [("calcule", "unpublished"), ("en_revue", "unpublished"), ("retire", "unpublished"),
     ("en_revue", "published")],  # a caller's "published" label never publishes anything
)  # fmt: skip
def test_matrix_before_publication(state, kind):
    perimeter = world()
    for role, column, cell in expected_cells(BEFORE_PUBLICATION):
        decision = decide(PRINCIPALS[role], ENTITIES[column], kind, perimeter, campaign_state=state)
        assert answer(decision) == cell, (state, kind, role, column)


def test_unpublished_results_of_a_published_campaign_are_public():
    for role, column, cell in expected_cells(MATRIX["published"]):
        decision = decide(
            PRINCIPALS[role], ENTITIES[column], "unpublished", world(), campaign_state="publie"
        )
        assert answer(decision) == cell


def test_outside_the_perimeter_answers_exactly_as_a_non_existent_entity():
    outside = decide(PRINCIPALS["etab_A"], et(B), "unpublished", world())
    missing = decide(PRINCIPALS["etab_A"], et(UNKNOWN), "unpublished", world())
    assert (outside.allowed, outside.status, outside.reason) == (False, 404, NOT_FOUND)
    assert (missing.allowed, missing.status, missing.reason) == (False, 404, NOT_FOUND)
    assert outside.detail != missing.detail  # for the audit trail only


def test_refusals_say_why_in_french():
    anonymous = decide(ANONYMOUS, et(A), "unpublished", world())
    assert anonymous.reason.startswith("Connexion requise")
    admin = decide(PRINCIPALS["admin"], et(A), "unpublished", world())
    assert "administrateur" in admin.reason
    audit = decide(PRINCIPALS["etab_A"], NATION, "audit", world())
    assert audit.reason == "Le journal d'audit est réservé à l'équipe nationale."
    accounts = decide(PRINCIPALS["national"], NATION, "accounts", world())
    assert "administrateurs" in accounts.reason


def test_an_account_whose_scope_names_nothing_known_sees_nothing_private():
    closed = Principal("etablissement", (UNKNOWN,), "closed")
    assert answer(decide(closed, et(A), "unpublished", world())) == "404"
    assert visible_ets(closed, world(), "unpublished") == frozenset()


def test_unknown_kind_or_role_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown data kind"):
        decide(ANONYMOUS, et(A), "secret", world())
    with pytest.raises(ValueError, match="unknown role"):
        Principal("ministre")


def test_visible_ets_examples():
    perimeter = world()
    assert visible_ets(ANONYMOUS, perimeter, "published") is ALL
    assert visible_ets(ANONYMOUS, perimeter, "unpublished") == frozenset()
    assert visible_ets(PRINCIPALS["etab_EJ"], perimeter, "unpublished") == {A, A2}
    assert visible_ets(PRINCIPALS["ght_G1"], perimeter, "unpublished") == {A, C}
    assert visible_ets(PRINCIPALS["ars_11"], perimeter, "unpublished") == {A, A2, B, C}
    assert (
        visible_ets(PRINCIPALS["ars_11"], perimeter, "unpublished", campaign_state="en_revue")
        == frozenset()
    )
    assert visible_ets(PRINCIPALS["national"], perimeter, "review") is ALL
    assert visible_ets(PRINCIPALS["admin"], perimeter, "unpublished") == frozenset()


STATES = (None, "calcule", "en_revue", "publie", "retire")


def agree(principal: Principal, perimeter: Perimeter, kind: str, state: str | None) -> None:
    """The filter and the point decision agree on every establishment (and the filter never
    names one that does not exist)."""
    visible = visible_ets(principal, perimeter, kind, campaign_state=state)
    for finess in perimeter.et_ej:
        allowed = decide(principal, et(finess), kind, perimeter, campaign_state=state).allowed
        assert allowed == (visible is ALL or finess in visible), (principal, kind, state, finess)
    assert visible is ALL or visible <= perimeter.et_ej.keys()


@pytest.mark.parametrize("kind", DATA_KINDS)
@pytest.mark.parametrize("state", STATES)
def test_filter_and_decision_agree_on_the_world(kind, state):
    for principal in PRINCIPALS.values():
        agree(principal, world(), kind, state)


@st.composite
def perimeters(draw):
    ets = [f"E{i}" for i in range(draw(st.integers(1, 8)))]
    ejs, regions = ["J1", "J2", "J3", None], ["11", "84", "93", None]
    et_ej = {finess: draw(st.sampled_from(ejs)) for finess in ets}
    et_region = {finess: draw(st.sampled_from(regions)) for finess in ets}
    ght_ets = {
        code: frozenset(draw(st.lists(st.sampled_from(ets), max_size=4)))
        for code in draw(st.lists(st.sampled_from(["G1", "G2", "G3"]), unique=True))
    }
    ght_region = {code: draw(st.sampled_from(regions)) for code in ght_ets}
    return Perimeter(et_ej, et_region, ght_ets, dict.fromkeys(ght_ets, "GHT"), ght_region)


principals = st.one_of(
    st.just(ANONYMOUS),
    st.builds(
        Principal,
        st.sampled_from(["etablissement", "ght", "ars", "national", "admin"]),
        st.lists(
            st.sampled_from(["E0", "E1", "E5", "J1", "J2", "G1", "G3", "11", "84", "X"]), max_size=3
        ),
    ),
)


@given(perimeters(), principals, st.sampled_from(DATA_KINDS), st.sampled_from(STATES))
def test_filter_and_decision_agree_on_any_perimeter(perimeter, principal, kind, state):
    agree(principal, perimeter, kind, state)
