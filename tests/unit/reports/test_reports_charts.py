"""Chart specs (Vega-Lite) and their offline, accessible SVG rendering."""

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import altair.vegalite.v6.schema.core as vl_schema
import pytest
from altair.utils import schemapi
from reports_example import example_bilan

from hospiscope.reports import charts
from hospiscope.reports.model import Category, Distribution

BILAN = example_bilan()
ESATIS, INFECTION, CERTIFICATION = BILAN.sections
BY_TYPE, BY_REGION = ESATIS.distributions
FUNNEL = INFECTION.funnels[0]


def _hue_is_blue(colour: str) -> bool:
    r, _, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return b > r


def test_ordered_palette_runs_blue_to_orange_and_statuses_are_grey():
    colours = charts.palette(["A", "B", "C", "D", "DI"], ordered=True)
    assert len(set(colours)) == 5
    assert _hue_is_blue(colours[0]) and _hue_is_blue(colours[1])  # best: blue
    assert not _hue_is_blue(colours[2]) and not _hue_is_blue(colours[3])  # worst: orange
    r, g, b = (int(colours[4][i : i + 2], 16) for i in (1, 3, 5))
    assert r == g == b  # "données insuffisantes" is not a level: grey


def test_unordered_categories_get_neutral_colours_only():
    ordered_colours = {c for colours in charts._ORDERED.values() for c in colours}
    colours = charts.palette(["x", "y", "z"], ordered=False)
    assert len(set(colours)) == 3
    assert not set(colours) & ordered_colours


@pytest.mark.parametrize("n", range(1, 10))
def test_ordered_palette_has_one_colour_per_level(n):
    assert len(set(charts.palette([str(i) for i in range(n)], ordered=True))) == n


def test_segment_labels_contrast_with_their_bar():
    assert charts.text_colour("#1f5c99") == "#ffffff"
    assert charts.text_colour("#f5b26b") == charts.INK


def _all_charts():
    found = [charts.distribution_chart(d) for s in BILAN.sections for d in s.distributions]
    found += [charts.funnel_chart(f) for s in BILAN.sections for f in s.funnels]
    found.append(charts.change_chart(ESATIS.figures, 2024, 2023))
    return found


@pytest.mark.parametrize("chart", _all_charts(), ids=lambda chart: chart.key)
def test_specs_are_valid_vega_lite(chart):
    """Built without validation (speed); checked here against the Vega-Lite schema."""
    schemapi.validate_jsonschema(chart.spec, vl_schema.load_schema())
    json.dumps(chart.spec)  # plain JSON, ready for vega-embed


def test_distribution_spec_is_plain_inline_json_and_keeps_the_group_order():
    chart = charts.distribution_chart(BY_REGION)
    text = json.dumps(chart.spec, ensure_ascii=False)
    assert '"url"' not in text  # data inline: nothing to fetch, in the PDF or the portal
    group_axis = chart.spec["vconcat"][1]["layer"][0]["encoding"]["y"]["sort"]
    # long labels are wrapped (a line break instead of a space), never cut
    assert [re.split(r"\s\(n", label)[0] for label in group_axis] == list(BY_REGION.by_group)
    assert chart.description.startswith("Répartition des 1\u202f060 établissements")
    assert "13 groupes" in chart.description
    assert chart.spec["description"] == chart.description


def test_unordered_distribution_uses_neutral_scale():
    cats = (Category("x", "Public", 3, 0.3), Category("y", "Privé", 7, 0.7))
    neutral = Distribution("T", "Statut juridique", cats, 10, ordered=False)
    scale = charts.distribution_chart(neutral).spec["vconcat"][0]["layer"][0]["encoding"]
    assert scale["color"]["scale"]["range"] == charts.palette(["x", "y"], ordered=False)


def test_funnel_marks_outliers_by_shape_and_colour():
    chart = charts.funnel_chart(FUNNEL)
    points = chart.spec["layer"][1]
    statuses = {row["statut"] for row in _dataset(chart.spec, points)}
    assert "Au-dessus de la limite à 99,8 %" in statuses
    shape = points["encoding"]["shape"]["scale"]
    fill = points["encoding"]["fill"]["scale"]
    assert dict(zip(shape["domain"], shape["range"], strict=True))["Dans les limites"] == "circle"
    above = "Au-dessus de la limite à 99,8 %"
    assert dict(zip(shape["domain"], shape["range"], strict=True))[above] == "triangle-up"
    assert len(set(fill["range"])) > 1
    lines = chart.spec["layer"][0]["encoding"]["strokeDash"]["scale"]["domain"]
    assert "Limites à 99,8 % ajustées" in lines and "Cible (1)" in lines
    assert chart.spec["layer"][0]["encoding"]["x"]["title"] == "Nombre d'infections attendues"
    assert "300 établissements" in chart.description


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        (None, 3.0, "Dans les limites"),
        ("au-dessus 99,8 %", 3.0, "Au-dessus de la limite à 99,8 %"),
        ("au-dessus 95 %", 1.5, "Au-dessus de la limite à 95 % seulement"),
        ("en dessous 99,8 %", 0.1, "En dessous de la limite à 99,8 %"),
        ("hors limites", 0.2, "En dessous de la limite à 95 % seulement"),  # side from the value
    ],
)
def test_point_status(flag, value, expected):
    assert charts.point_status(flag, value, 1.0) == expected


def test_change_chart_leaves_out_changed_methods():
    chart = charts.change_chart(ESATIS.figures, 2024, 2023)
    assert chart is not None
    rows = _dataset(chart.spec, chart.spec["layer"][0])
    shown = {r["indicateur"].replace("\n", " ") for r in rows}  # wrapped, never cut
    assert shown == {f.label for f in ESATIS.figures if f.unit == "/100"}
    # ICSHA's method changed: only PCC is left, so no chart for that section.
    assert charts.change_chart(INFECTION.figures, 2024, 2023) is None
    assert charts.change_chart(ESATIS.figures, 2024, None) is None


def test_svg_is_accessible_and_self_contained():
    chart = charts.distribution_chart(BY_TYPE)
    svg = charts.render_svg(chart, id_prefix="t-")
    assert svg.startswith("<svg")
    head = svg.split(">", 1)[0]
    assert 'role="img"' in head and "xmlns" not in head
    assert f'aria-labelledby="t-{chart.key}-titre t-{chart.key}-desc"' in head
    assert f'<title id="t-{chart.key}-titre">' in svg and "<desc" in svg
    assert "http" not in svg.split("</desc>", 1)[1]
    assert "20\u202f%" in svg  # French axis labels
    assert 'font-family="DejaVu Sans"' in svg


def test_rendering_never_loads_external_data():
    chart = charts.Chart(
        key="x",
        spec={
            "data": {"url": "https://example.invalid/donnees.csv"},
            "mark": "point",
            "encoding": {"x": {"field": "a", "type": "quantitative"}},
        },
        title="t",
        description="d",
    )
    with pytest.raises(ValueError, match="not allowed"):
        charts.render_svg(chart)


def test_rendering_works_without_network():
    """vl-convert renders in a process that has no network at all (Linux user namespace)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"]).returncode != 0:
        pytest.skip("unshare -rn (namespace sans réseau) indisponible ici")
    code = (
        "from hospiscope.reports import charts\n"
        "spec = {'data': {'values': [{'a': 1}]}, 'mark': 'point',"
        " 'encoding': {'x': {'field': 'a', 'type': 'quantitative'}}}\n"
        "print(charts.render_svg(charts.Chart('k', spec, 't', 'd'))[:4])\n"
    )
    result = subprocess.run(
        [unshare, "-rn", sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<svg")


def test_specs_do_not_depend_on_the_model_being_mutable():
    frozen = dataclasses.replace(BY_TYPE, by_group={})
    chart = charts.distribution_chart(frozen)
    assert len(chart.spec["vconcat"]) == 1  # no group bars when there are no groups


def _dataset(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data") or spec.get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def test_every_palette_colour_keeps_its_label_legible():
    """Segment labels meet the WCAG AA contrast for normal text (4.5:1)."""
    colours = {c for cs in charts._ORDERED.values() for c in cs}
    colours |= set(charts._NEUTRAL) | set(charts._STATUS_GREYS)
    for colour in colours:
        label = charts.text_colour(colour)
        high, low = sorted((charts._luminance(colour), charts._luminance(label)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, colour
