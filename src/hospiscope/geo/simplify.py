"""Topology-preserving simplification of polygon outlines (build time only).

Used by `hospiscope.geo.build_outlines`; nothing at run time imports it. Neighbouring areas
share their border vertex for vertex in the source (IGN Admin Express via mapshaper), so each
shared border is cut out as one *arc* between two junctions and simplified once: both
neighbours get exactly the same simplified border, with neither gaps nor overlaps (simplifying
each outline on its own would leave slivers along every border).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import pairwise

Key = Hashable  # a source vertex, as written in the source file
Point = tuple[float, float]
Ring = list[Key]
Polygon = list[Ring]  # outer ring first, then holes


def junctions(rings: Iterable[Ring]) -> set[Key]:
    """Vertices where borders meet: a vertex with other than two distinct neighbours (a
    triple point between three areas, or where a land border reaches the coast)."""
    neighbours: dict[Key, set[Key]] = defaultdict(set)
    for ring in rings:
        for a, b in pairwise(ring):
            neighbours[a].add(b)
            neighbours[b].add(a)
    return {vertex for vertex, near in neighbours.items() if len(near) != 2}


def arcs_of_ring(ring: Ring, cuts: set[Key]) -> list[list[Key]]:
    """The ring (closed: first vertex = last) cut at its junctions. A ring without junction
    (an island, an enclave) starts at its smallest vertex, so that the two rings drawing the
    same enclave (the enclave and its neighbour's hole) give the same arc."""
    body = ring[:-1]
    starts = [i for i, vertex in enumerate(body) if vertex in cuts]
    start = starts[0] if starts else min(range(len(body)), key=lambda i: body[i])
    rotated = body[start:] + body[:start] + [body[start]]
    arcs, current = [], [rotated[0]]
    for vertex in rotated[1:]:
        current.append(vertex)
        if vertex in cuts:
            arcs.append(current)
            current = [vertex]
    if len(current) > 1:
        arcs.append(current)
    return arcs


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Ramer–Douglas–Peucker: the fewest vertices keeping every dropped vertex within
    `tolerance` of the simplified line. The two ends are always kept (they are junctions)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, -1.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_polygons(
    areas: dict[str, list[Polygon]], coords: dict[Key, Point], tolerance: float
) -> dict[str, list[list[list[Point]]]]:
    """Every area's polygons with their rings simplified arc by arc, in the coordinates
    `coords` gives each source vertex (drawing units, so that `tolerance` is in pixels)."""
    cuts = junctions(ring for polygons in areas.values() for p in polygons for ring in p)
    done: dict[tuple[Key, ...], list[Point]] = {}

    def simplified(arc: list[Key]) -> list[Point]:
        forward = tuple(arc)
        backward = forward[::-1]
        canonical = min(forward, backward)
        if canonical not in done:
            done[canonical] = douglas_peucker([coords[k] for k in canonical], tolerance)
        line = done[canonical]
        return line if canonical == forward else line[::-1]

    result = {}
    for code, polygons in areas.items():
        result[code] = [
            [_join(simplified(arc) for arc in arcs_of_ring(ring, cuts)) for ring in polygon]
            for polygon in polygons
        ]
    return result


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland–Hodgman clipping of a closed ring to the rectangle (x0, y0, x1, y1). The
    result may run along the rectangle's edges, which is right for a filled shape."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1)),
    ]
    points = list(ring[:-1])
    for inside, cross in edges:
        kept: list[Point] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
        points = kept
        if not points:
            return []
    return [*points, points[0]]


def ring_area(ring: Sequence[Point]) -> float:
    """Unsigned area (shoelace formula) of a closed ring."""
    twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))
    return abs(twice) / 2


def _join(lines: Iterable[list[Point]]) -> list[Point]:
    ring: list[Point] = []
    for line in lines:
        ring += line[1:] if ring else line
    return ring


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:  # a closed arc (an island): distance to its single end
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)
