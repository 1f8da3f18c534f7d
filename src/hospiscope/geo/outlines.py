"""Simplified outlines of the French regions and departments, overseas included, and SVG
choropleth maps drawn from them on the server (no JavaScript, nothing fetched).

The outlines (`data/geo/outlines-regions.json`, `outlines-departements.json`) are built by
`python -m hospiscope.geo.build_outlines` from IGN Admin Express COG 2018 (see that module):
metropolitan France in Lambert-93, each overseas department in its own inset on the left,
and, on the department map, a zoom on Paris and its petite couronne. Coordinates are integer
drawing units in the file's viewBox (1000 wide). Both levels share one layout, so `point()`
places a WGS84 position on either map.

Styling: areas take the CSS classes the caller gives (`classe-a`…) or a hex colour, written as
the `fill` presentation attribute (allowed by a Content-Security-Policy without inline styles,
and understood by PDF renderers that ignore the page's stylesheet). Defaults (grey areas,
white borders, thin frames) are presentation attributes too: any CSS rule overrides them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from urllib.parse import urlsplit

from pyproj import Transformer

LEVELS = ("region", "departement")
FONT = "DejaVu Sans, sans-serif"  # the reports' font; the portal's stylesheet may override it
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")
_CLASSES = re.compile(r"-?[A-Za-z_][\w-]*( -?[A-Za-z_][\w-]*)*")
_IDENT = re.compile(r"[A-Za-z][\w-]*")
_PATH_STEP = re.compile(r"([MlZz])([^MlZz]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
POINT_RADIUS = 3.5


@dataclass(frozen=True)
class Frame:
    """A territory's place on the drawing: metropolitan France or one overseas inset."""

    id: str  # "metropole" or the overseas department's code
    name: str
    region: str | None  # the overseas region's code
    epsg: int
    scale: float  # drawing units per projected metre
    dx: float
    dy: float
    box: tuple[float, float, float, float] | None  # inset frame: x, y, width, height
    lonlat: tuple[float, float, float, float]  # where point() places positions (WGS84)

    def contains(self, longitude: float, latitude: float) -> bool:
        lon_min, lat_min, lon_max, lat_max = self.lonlat
        return lon_min <= longitude <= lon_max and lat_min <= latitude <= lat_max

    def place(self, longitude: float, latitude: float) -> tuple[float, float]:
        easting, northing = _transformer(self.epsg).transform(longitude, latitude)
        return self.scale * easting + self.dx, -self.scale * northing + self.dy


@dataclass(frozen=True)
class Zoom:
    """A larger copy of part of the main map (`source`, in drawing units) in `box`."""

    name: str
    box: tuple[float, float, float, float]
    source: tuple[float, float, float, float]
    paths: dict[str, str]

    def place(self, x: float, y: float) -> tuple[float, float] | None:
        """Where a point of the main map appears in the zoom, if it does."""
        sx, sy, sw, sh = self.source
        if not (sx <= x <= sx + sw and sy <= y <= sy + sh):
            return None
        bx, by, bw, bh = self.box
        return bx + (x - sx) * bw / sw, by + (y - sy) * bh / sh


@dataclass(frozen=True)
class Drawing:
    level: str
    view_box: tuple[int, int, int, int]
    names: dict[str, str]  # code → name (COG 2018, identical to the shipped COG 2026)
    paths: dict[str, str]  # code → SVG path data
    frames: tuple[Frame, ...]
    zoom: Zoom | None


@cache
def drawing(level: str) -> Drawing:
    """The shipped outlines of one level ("region" or "departement"), loaded once."""
    if level not in LEVELS:
        raise ValueError(f"niveau inconnu : « {level} » (attendu : region ou departement)")
    path = resources.files("hospiscope.data").joinpath("geo", f"outlines-{level}s.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    frames = tuple(_frame(f) for f in data["frames"])
    z = data["zoom"]
    zoom = Zoom(z["nom"], tuple(z["box"]), tuple(z["source"]), z["areas"]) if z else None
    names = {code: area["nom"] for code, area in data["areas"].items()}
    paths = {code: area["path"] for code, area in data["areas"].items()}
    return Drawing(level, tuple(data["viewBox"]), names, paths, frames, zoom)


def _frame(f: dict) -> Frame:
    box = tuple(f["box"]) if f["box"] else None
    fields = {key: f[key] for key in ("id", "region", "epsg", "scale", "dx", "dy")}
    return Frame(name=f["nom"], box=box, lonlat=tuple(f["lonlat"]), **fields)


def point(longitude: float, latitude: float) -> tuple[float, float] | None:
    """Drawing position (either level) of a WGS84 position, in its territory's frame; None
    when it lies outside every territory's lon/lat box (a box, not the outline: a position
    just across a land border is still placed)."""
    frames = drawing("departement").frames
    for frame in sorted(frames, key=lambda f: f.box is None):  # insets first
        if frame.contains(longitude, latitude):
            x, y = frame.place(longitude, latitude)
            return round(x, 1), round(y, 1)
    return None


def path_bounds(path: str) -> tuple[float, float, float, float]:
    """(x_min, y_min, x_max, y_max) of path data written as the shipped ones ("M…l…z")."""
    xs, ys, x, y = [], [], 0.0, 0.0
    for command, args in _PATH_STEP.findall(path):
        numbers = [float(n) for n in _NUMBER.findall(args)]
        for i in range(0, len(numbers) - 1, 2):
            if command == "M" and i == 0:
                x, y = numbers[0], numbers[1]
            else:
                x, y = x + numbers[i], y + numbers[i + 1]
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def choropleth_svg(
    level: str,
    fills: dict[str, str],
    *,
    titles: dict[str, str],
    links: dict[str, str] | None = None,
    points: Sequence[tuple[float, float, str, str | None]] | None = None,
    label: str,
    description: str = "",
    ident: str | None = None,
    inline: bool = True,
) -> str:
    """An accessible SVG map of every region or department of `level`.

    `fills`: code → CSS class names ("classe-a") or a hex colour ("#1f5c99"); areas without
    one are drawn grey (class `sans-donnee`). `titles`: code → tooltip text (default: the
    area's name). `links`: code → URL, making the area a keyboard-focusable link. `points`:
    (x, y, label, URL or None) in drawing units, from `point()`. `label` and `description`
    are the map's accessible name and description (French). `ident` (default "carte-<level>")
    prefixes the element ids: give each map of a page its own. `inline=False` adds the SVG
    namespace, for a standalone .svg file.
    """
    d = drawing(level)
    links = links or {}
    for given in (fills, titles, links):
        unknown = sorted(set(given) - set(d.paths))
        if unknown:
            raise ValueError(f"codes inconnus pour le niveau {level} : {', '.join(unknown)}")
    ident = ident or f"carte-{level}"
    if not _IDENT.fullmatch(ident):
        raise ValueError(f"identifiant d'élément invalide : « {ident} »")
    areas = {code: _area(code, d, fills, titles, links) for code in d.paths}
    role = "group" if links or any(p[3] for p in points or ()) else "img"
    parts = [
        _svg_open(d, ident, role, inline),
        f'<title id="{ident}-titre">{escape(label)}</title>',
        f'<desc id="{ident}-desc">{escape(description or _default_description(d))}</desc>',
        '<g class="carte-zones" fill="#d9d9d9" stroke="#ffffff" stroke-width="0.6"'
        ' stroke-linejoin="round" fill-rule="evenodd">',
        *(_area_markup(area, d.paths[code]) for code, area in areas.items()),
        "</g>",
    ]
    if d.zoom:
        parts += [
            '<g class="carte-zoom" aria-hidden="true" fill="#d9d9d9" stroke="#ffffff"'
            ' stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">',
            *(_area_markup(areas[c], path, focusable=False) for c, path in d.zoom.paths.items()),
            "</g>",
        ]
    parts += [_frames(d), _points(points or (), d.zoom), "</svg>"]
    return "".join(parts)


@dataclass(frozen=True)
class _Area:
    code: str
    classes: str
    colour: str | None
    title: str
    link: str | None


def _area(code: str, d: Drawing, fills: dict, titles: dict, links: dict) -> _Area:
    fill = fills.get(code)
    colour = fill if fill and _COLOUR.fullmatch(fill) else None
    classes = "sans-donnee" if fill is None else "" if colour else fill
    if classes and not _CLASSES.fullmatch(classes):
        raise ValueError(f"classe CSS invalide pour {code} : « {classes} »")
    link = links.get(code)
    return _Area(code, classes, colour, titles.get(code, d.names[code]), _checked_url(link))


def _area_markup(area: _Area, path: str, focusable: bool = True) -> str:
    classes = f"carte-zone {area.classes}".strip()
    fill = f' fill="{area.colour}"' if area.colour else ""
    title = escape(area.title)
    markup = (
        f'<path d="{path}" class="{classes}" data-code="{escape(area.code)}"{fill}>'
        f"<title>{title}</title></path>"
    )
    return _linked(markup, area.link, title, focusable)


def _linked(markup: str, url: str | None, title: str, focusable: bool) -> str:
    if url is None:
        return markup
    tab = "" if focusable else ' tabindex="-1"'
    return f'<a href="{escape(url)}" aria-label="{title}" class="carte-lien"{tab}>{markup}</a>'


def _points(points: Sequence[tuple[float, float, str, str | None]], zoom: Zoom | None) -> str:
    if not points:
        return ""
    main, zoomed = [], []
    for x, y, label, url in points:
        main.append(_point_markup(x, y, label, _checked_url(url), focusable=True))
        inside = zoom.place(x, y) if zoom else None
        if inside:
            zoomed.append(_point_markup(*inside, label, _checked_url(url), focusable=False))
    hidden = f'<g aria-hidden="true">{"".join(zoomed)}</g>' if zoomed else ""
    return (
        '<g class="carte-points" fill="#1a1a1a" stroke="#ffffff" stroke-width="1">'
        f"{''.join(main)}{hidden}</g>"
    )


def _point_markup(x: float, y: float, label: str, url: str | None, focusable: bool) -> str:
    title = escape(label)
    circle = (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{POINT_RADIUS}" class="carte-point">'
        f"<title>{title}</title></circle>"
    )
    return _linked(circle, url, title, focusable)


def _svg_open(d: Drawing, ident: str, role: str, inline: bool) -> str:
    namespace = "" if inline else ' xmlns="http://www.w3.org/2000/svg"'
    view_box = " ".join(str(v) for v in d.view_box)
    return (
        f'<svg{namespace} viewBox="{view_box}" id="{ident}" class="carte carte-{d.level}"'
        f' role="{role}" aria-labelledby="{ident}-titre {ident}-desc" font-family="{FONT}">'
    )


def _frames(d: Drawing) -> str:
    """Inset frames with their labels, and on the main map the outline of the zoomed part
    (drawn over the areas)."""
    boxes = [(f.box, f.name) for f in d.frames if f.box]
    rects = [_rect(box, "carte-encart") for box, _ in boxes]
    labels = [_text(box[0] + 4, box[1] + 12, name) for box, name in boxes]
    if d.zoom:
        x, y, width, _ = d.zoom.box
        rects += [_rect(d.zoom.box, "carte-encart"), _rect(d.zoom.source, "carte-repere")]
        # The zoom's areas fill its box: its label sits on a white band.
        labels.append(
            f'<rect x="{x + 0.5:.1f}" y="{y + 0.5:.1f}" width="{width - 1:.1f}" height="16"'
            ' fill="#ffffff" stroke="none" class="carte-bandeau"/>'
            + _text(x + 4, y + 12, d.zoom.name)
        )
    return (
        '<g class="carte-encarts" fill="none" stroke="#8c8c8c" stroke-width="0.75"'
        f' aria-hidden="true">{"".join(rects)}</g>'
        f'<g class="carte-etiquettes" font-size="12" fill="#1a1a1a" aria-hidden="true">'
        f"{''.join(labels)}</g>"
    )


def _text(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}">{escape(text)}</text>'


def _rect(box: Sequence[float], css_class: str) -> str:
    x, y, w, h = box
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" class="{css_class}"/>'


def _default_description(d: Drawing) -> str:
    what = "régions" if d.level == "region" else "départements"
    insets = [f.name for f in d.frames if f.box]
    text = (
        f"Carte des {what} de France : la France métropolitaine et, en encarts, "
        f"{', '.join(insets[:-1])} et {insets[-1]}"
    )
    return text + (" ; agrandissement de Paris et de la petite couronne." if d.zoom else ".")


def _checked_url(url: str | None) -> str | None:
    """The URL, if it is relative or http(s): never a script (`javascript:`) or data URL."""
    if url is None:
        return None
    if urlsplit(url.strip()).scheme.lower() not in ("", "http", "https"):
        raise ValueError(f"lien refusé (schéma non autorisé) : « {url} »")
    return url


@cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(4326, epsg, always_xy=True)
