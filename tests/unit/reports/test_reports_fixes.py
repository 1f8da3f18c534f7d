"""Bilan defects of issue 7: distinct, uncut chart labels; colours following the direction;
French plural agreement."""

from hospiscope.reports import charts
from hospiscope.reports import format as fr
from hospiscope.reports.charts._common import rendered_texts
from hospiscope.reports.model import Category, Distribution, Figure

NURSES = "MCO plus de 48 h — score « Prise en charge par les infirmiers et aides-soignants »"
DOCTORS = "MCO plus de 48 h — score « Prise en charge par les médecins et chirurgiens »"
LETTERS = (
    "Qualité de la lettre de liaison à la sortie (CA)",
    "Qualité de la lettre de liaison à la sortie (MCO)",
)


def _figure(code, label, value):
    return Figure(code, label, "/100", value, 1.0, 1.0, previous_value=value - 1)


def test_change_chart_labels_stay_distinct_and_whole_after_rendering():
    figures = [_figure("A", NURSES, 82.0), _figure("B", DOCTORS, 81.0)]
    figures += [_figure(f"L{i}", label, 70.0 + i) for i, label in enumerate(LETTERS)]
    chart = charts.change_chart(figures, 2024, 2023)
    texts = rendered_texts(charts.render_svg(chart))
    labels = [t for t in texts if t in {f.label for f in figures}]
    assert sorted(labels) == sorted(f.label for f in figures)  # each whole, each once
    assert not any("…" in t for t in texts)


def test_distribution_legend_and_groups_are_not_cut():
    long = "Intermédiaire (de 60 % à moins de 75 % ; borne basse supposée)"
    d = Distribution(
        "VACCIN_GRIPPE",
        "Vaccination",
        (Category("tres_insuffisant", "Très insuffisant", 5, 0.5), Category("x", long, 5, 0.5)),
        10,
        by_group={"Établissement spécialisé en psychiatrie": (5, 5)},
        worst_first=True,
    )
    texts = rendered_texts(charts.render_svg(charts.distribution_chart(d)))
    assert long in texts
    assert any(t.startswith("Établissement spécialisé en psychiatrie") for t in texts)
    assert not any("…" in t for t in texts)


def test_worst_level_takes_the_worst_colour_whatever_the_order():
    best_first = charts.palette(["A", "B", "C", "D"], True)
    worst_first = charts.palette(["D", "C", "B", "A"], True, worst_first=True)
    assert best_first == worst_first[::-1]  # "très insuffisant" never takes the colour of A
    assert charts.palette(["a", "b"], False) != charts.palette(["a", "b"], True)


def test_vaccination_grid_is_read_worst_first():
    from hospiscope.catalogue import catalogue
    from hospiscope.reports.parts import worst_first

    vaccination = catalogue()["VACCIN_GRIPPE"]
    esatis = catalogue()["ESATIS48H_SCORE"]
    assert worst_first(vaccination, vaccination.meta.class_grid("2023-2024"))
    assert not worst_first(esatis, esatis.meta.class_grid("2024"))


def test_plural_agreement():
    assert fr.plural(1, "groupe") == "groupe" and fr.plural(0, "groupe") == "groupe"
    assert fr.plural(2, "groupe") == "groupes"
    assert fr.counted(1633, "décision") == "1\u202f633 décisions"
    d = Distribution("X", "X", (Category("A", "A", 3, 1.0),), 3, by_group={"Seul": (3,)})
    assert "pour chacun des 1 groupes" not in charts.distribution_chart(d).description
