"""Shipped outlines and the SVG choropleth: every area of the COG has an outline, the SVG is
well-formed and accessible, imported text is escaped, and point() places towns in their
department (insets included)."""

import hashlib
import json
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from hospiscope.geo import build_outlines, geography
from hospiscope.geo.outlines import choropleth_svg, drawing, path_bounds, point

from support import SHARED_RAW

RAW = SHARED_RAW / "geo-france" / "france-geojson"
TOWNS = [  # (longitude, latitude, name, department)
    (2.3522, 48.8566, "Paris", "75"),
    (8.7369, 41.9192, "Ajaccio", "2A"),
    (-61.5331, 16.2411, "Pointe-à-Pitre", "971"),
    (-61.0588, 14.6161, "Fort-de-France", "972"),
    (-52.3350, 4.9372, "Cayenne", "973"),
    (55.4504, -20.8823, "Saint-Denis", "974"),
    (45.2279, -12.7806, "Mamoudzou", "976"),
]


def _svg(level="departement", **options):
    options = {"titles": {}, "label": "Carte", **options}
    return ET.fromstring(choropleth_svg(level, options.pop("fills", {}), **options))


def _areas(root):
    (group,) = [g for g in root.iter("g") if g.get("class") == "carte-zones"]
    return [p for p in group.iter("path") if p.get("data-code")]


def test_every_region_and_department_of_the_cog_has_an_outline():
    geo = geography()
    regions, departments = drawing("region"), drawing("departement")
    assert set(regions.paths) == set(geo.regions) and len(regions.paths) == 18
    assert set(departments.paths) == set(geo.departments) and len(departments.paths) == 101
    # COG 2018 (the outlines) and COG 2026 (the package) agree on every code and name.
    assert regions.names == {code: r.name for code, r in geo.regions.items()}
    assert departments.names == {code: d.name for code, d in geo.departments.items()}


def test_both_levels_share_one_layout():
    assert drawing("region").frames == drawing("departement").frames
    assert drawing("region").view_box == drawing("departement").view_box
    labels = [f.name for f in drawing("region").frames if f.box]
    assert labels == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]


@pytest.mark.parametrize(("longitude", "latitude", "town", "department"), TOWNS)
def test_point_places_a_town_in_its_department(longitude, latitude, town, department):
    x, y = point(longitude, latitude)
    x_min, y_min, x_max, y_max = path_bounds(drawing("departement").paths[department])
    assert x_min <= x <= x_max and y_min <= y <= y_max, town


def test_point_is_none_outside_every_territory():
    assert point(-3.7038, 40.4168) is None  # Madrid
    assert point(-56.18, 46.78) is None  # Saint-Pierre-et-Miquelon: no inset
    assert point(-74.0, 40.7) is None


def test_the_zoom_shows_paris_and_its_petite_couronne_whole():
    zoom = drawing("departement").zoom
    x, y, width, height = zoom.box
    for code in ("75", "92", "93", "94"):
        x_min, y_min, x_max, y_max = path_bounds(zoom.paths[code])
        assert x < x_min and x_max < x + width and y < y_min and y_max < y + height, code
    zx, zy = zoom.place(*point(2.3522, 48.8566))
    x_min, y_min, x_max, y_max = path_bounds(zoom.paths["75"])
    assert x_min <= zx <= x_max and y_min <= zy <= y_max
    # On the main map, Paris is a dozen units wide, the petite couronne about thirty.
    x_min, _, x_max, _ = path_bounds(drawing("departement").paths["75"])
    assert 8 <= x_max - x_min <= 16


@pytest.mark.parametrize("level", ["region", "departement"])
def test_the_svg_is_well_formed_with_one_titled_path_per_area(level):
    root = _svg(level, label="Taux par zone", inline=False)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    root = _svg(level, label="Taux par zone")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find("title").get("id") == title_id and root.find("title").text == "Taux par zone"
    assert root.find("desc").get("id") == desc_id and "Mayotte" in root.find("desc").text
    areas = _areas(root)
    assert sorted(p.get("data-code") for p in areas) == sorted(drawing(level).paths)
    assert all(p.find("title").text for p in areas)
    assert not [e for e in root.iter() if e.get("style") is not None]


def test_titles_are_escaped_and_shown_as_text():
    hostile = "<script>alert(1)</script> & « guillemets »"
    markup = choropleth_svg("departement", {}, titles={"75": hostile}, label='<b>"x"</b>')
    assert "<script" not in markup and "<b>" not in markup
    root = ET.fromstring(markup)
    (paris,) = [p for p in _areas(root) if p.get("data-code") == "75"]
    assert paris.find("title").text == hostile
    assert root.find("title").text == '<b>"x"</b>'
    assert not list(root.iter("script"))


def test_fills_are_classes_or_colours():
    root = _svg(fills={"75": "classe-a", "13": "#1f5c99"})
    by_code = {p.get("data-code"): p for p in _areas(root)}
    assert by_code["75"].get("class") == "carte-zone classe-a" and by_code["75"].get("fill") is None
    assert by_code["13"].get("class") == "carte-zone" and by_code["13"].get("fill") == "#1f5c99"
    assert by_code["69"].get("class") == "carte-zone sans-donnee"
    with pytest.raises(ValueError, match="classe CSS invalide"):
        choropleth_svg("departement", {"75": 'a" onload="x'}, titles={}, label="Carte")


def test_links_and_points_are_focusable_links():
    links = {"75": "/departements/75?indicateur=a&b", "2A": "https://example.org/2A"}
    places = [(*point(2.3522, 48.8566), "Hôpital <Paris>", "/etablissements/750000000")]
    root = _svg(links=links, points=places)
    assert root.get("role") == "group"  # role="img" would hide the links from screen readers
    anchors = [a for a in root.iter("a") if a.get("tabindex") is None]
    assert sorted(a.get("href") for a in anchors) == sorted([*links.values(), places[0][3]])
    assert all(a.get("aria-label") for a in anchors)
    zoomed = [a for a in root.iter("a") if a.get("tabindex") == "-1"]  # the zoom's copies
    assert {a.get("href") for a in zoomed} == {links["75"], places[0][3]}
    circles = [c for c in root.iter("circle") if c.find("title").text == "Hôpital <Paris>"]
    assert len(circles) == 2  # on the main map and in the zoom


def test_unsafe_links_and_unknown_codes_are_refused():
    with pytest.raises(ValueError, match="lien refusé"):
        choropleth_svg("region", {}, titles={}, links={"11": "javascript:alert(1)"}, label="C")
    with pytest.raises(ValueError, match="codes inconnus"):
        choropleth_svg("region", {"2A": "classe-a"}, titles={}, label="C")  # a department
    with pytest.raises(ValueError, match="niveau inconnu"):
        drawing("commune")


def test_ids_are_prefixed_so_two_maps_can_share_a_page():
    first = _svg(ident="carte-a")
    second = _svg("region", ident="carte-b")
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 6


def test_shipped_data_stay_small():
    folder = resources.files("hospiscope.data").joinpath("geo")
    sizes = [
        folder.joinpath(f"outlines-{level}s.json").read_bytes()
        for level in ("region", "departement")
    ]
    assert sum(len(data) for data in sizes) < 300_000


def test_shipped_outlines_record_the_current_generator_and_parameters():
    for level in ("region", "departement"):
        build = _build_record(level)
        assert build["parameters"] == build_outlines.PARAMETERS
        assert build["upstream"] == build_outlines.UPSTREAM
        for name, digest in build["generator"].items():
            source = resources.files("hospiscope.geo").joinpath(name).read_bytes()
            assert hashlib.sha256(source).hexdigest() == digest, (
                f"{name} a changé : relancer python -m hospiscope.geo.build_outlines"
            )


@pytest.mark.skipif(not RAW.exists(), reason="shared data not mounted")
def test_shipped_outlines_were_built_from_the_raw_files():
    for level in ("region", "departement"):
        for name, digest in _build_record(level)["sources"].items():
            assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == digest


def _build_record(level):
    folder = resources.files("hospiscope.data").joinpath("geo")
    return json.loads(folder.joinpath(f"outlines-{level}s.json").read_text("utf-8"))["build"]
