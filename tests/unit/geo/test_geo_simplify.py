"""Build-time simplification: Douglas–Peucker, shared borders simplified once (no sliver
between neighbours), clipping to the zoom box."""

from hospiscope.geo.simplify import (
    arcs_of_ring,
    clip_ring,
    douglas_peucker,
    junctions,
    ring_area,
    simplify_polygons,
)


def test_douglas_peucker_drops_vertices_within_the_tolerance_and_keeps_the_ends():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 6), (5, 7.05), (6, 8)]
    assert douglas_peucker(line, 0.5) == [(0, 0), (2, -0.1), (3, 5), (6, 8)]
    assert douglas_peucker(line, 100) == [(0, 0), (6, 8)]


def test_a_border_shared_by_two_areas_is_simplified_the_same_for_both():
    # Two squares side by side; their common border (x = 2) zigzags a little.
    border = ["b0", "z1", "z2", "z3", "b4"]
    coords = {"b0": (2, 0), "z1": (2.1, 1), "z2": (1.9, 2), "z3": (2.1, 3), "b4": (2, 4)}
    coords |= {"l0": (0, 0), "l4": (0, 4), "r0": (4, 0), "r4": (4, 4)}
    west = ["l0", *border, "l4", "l0"]
    east = ["r0", "r4", *reversed(border), "r0"]
    areas = {"W": [[west]], "E": [[east]]}
    assert junctions([west, east]) == {"b0", "b4"}
    result = simplify_polygons(areas, coords, tolerance=0.5)
    (west_ring,), (east_ring,) = result["W"][0], result["E"][0]
    assert {(2, 0), (2, 4)} <= set(west_ring) and (2.1, 1) not in west_ring
    assert set(west_ring) & set(east_ring) == {(2, 0), (2, 4)}


def test_an_island_without_junction_is_cut_at_its_smallest_vertex():
    ring = ["c", "a", "b", "c"]
    assert arcs_of_ring(ring, set()) == [["a", "b", "c", "a"]]
    assert arcs_of_ring(["a", "b", "c", "d", "a"], {"c"}) == [["c", "d", "a", "b", "c"]]


def test_clip_ring_keeps_the_part_inside_the_box():
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    clipped = clip_ring(square, (5, -5, 20, 5))
    assert ring_area(clipped) == 25
    assert clip_ring(square, (20, 20, 30, 30)) == []
