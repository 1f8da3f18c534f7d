"""A tiny world for the access tests, built by hand: two regions, five establishments.

region 11: A (EJ "EJA", with A2), A2, B (EJ "EJB"), C (EJ "EJC")
region 84: D (EJ "EJD")
GHT G1 (support A, region 11): member A as an ET, member EJC as an EJ (→ C)
GHT G2 (support D, region 84): member D
"""

from hospiscope.access.perimeter import Entity, Perimeter

A, A2, B, C, D = "750000011", "750000029", "750000037", "920000013", "690000012"
EJA, EJB, EJC, EJD = "750000001", "750000003", "920000004", "690000005"
G1, G2 = "GHT-IDF-01", "GHT-ARA-01"
UNKNOWN = "999999999"


def world() -> Perimeter:
    return Perimeter(
        et_ej={A: EJA, A2: EJA, B: EJB, C: EJC, D: EJD},
        et_region={A: "11", A2: "11", B: "11", C: "11", D: "84"},
        ght_ets={G1: frozenset({A, C}), G2: frozenset({D})},
        ght_names={G1: "GHT Île-de-France 01", G2: "GHT Rhône 01"},
        ght_region={G1: "11", G2: "84"},
    )


def et(finess: str) -> Entity:
    return Entity("etablissement", finess)
