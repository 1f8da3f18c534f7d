"""The demo ISO-ORTHO generator: deterministic stays in the PMSI extract layout, and calibrated
so that, after import and computation on DuckDB at full national scale, the share of
establishments flagged "worse than expected" is the published one (facts.md §1)."""

import pytest

from hospiscope import pipeline
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import iso_ortho as demo
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.pmsi import LAYOUT
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGN = 2024


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled registry, demo capacities, one year of stays imported and computed."""
    directory = tmp_path_factory.mktemp("demo-iso")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        registry, capacity = demo_registry_and_capacity(wh)
        context = DemoContext(registry, capacity, directory / "fichiers", (CAMPAIGN,), 1.0, SEED)
        files = demo.write_files(context)
        for command, path in files:
            pipeline.import_tabular(wh, command, path)
        compute_indicators(wh, ["ISO_PTH", "ISO_PTG"])
        classes = wh.con.execute(
            """SELECT indicator_code, class, count(*) AS n FROM results
               WHERE entity_kind = 'etablissement' AND class IS NOT NULL GROUP BY ALL"""
        ).fetchdf()
        stays = wh.con.execute(
            "SELECT procedure, count(*) AS n, avg(infection::INT) AS rate "
            "FROM arthroplasty_stays GROUP BY ALL"
        ).fetchdf()
    return {"files": files, "classes": classes, "stays": stays}


def test_one_file_in_the_pmsi_layout(built):
    [(command, path)] = built["files"]
    assert command == "pmsi-arthroplasties" and path.name == f"pmsi-arthroplasties-{CAMPAIGN}.csv"
    head = path.read_bytes()[:400]
    assert head.startswith(b"\xef\xbb\xbf" + ";".join(LAYOUT.header).encode() + b"\r\n")


def test_volumes_and_infection_rates_are_the_assumed_ones(built):
    stays = built["stays"].set_index("procedure")
    for procedure, volume in demo.STAYS_PER_YEAR.items():
        assert stays.loc[procedure, "n"] == volume.value
        assert stays.loc[procedure, "rate"] == pytest.approx(
            demo.INFECTION_RATE[procedure].value, abs=0.0015
        )


@pytest.mark.parametrize(("code", "procedure"), [("ISO_PTH", "PTH"), ("ISO_PTG", "PTG")])
def test_share_flagged_worse_than_expected_is_the_published_one(built, code, procedure):
    counts = built["classes"].query("indicator_code == @code").set_index("class")["n"]
    share = counts.get("pire_qu_attendu", 0) / counts.sum()
    # About a thousand establishments with a result: ±0.5 point is two binomial SDs.
    assert share == pytest.approx(demo.WORSE_SHARE[procedure].value, abs=0.005)
