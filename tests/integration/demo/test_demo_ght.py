"""The demo's supposed GHT composition (demo/ght.py), on the bundled registry and the demo
capacities: written in the real layout, imported like a real file with origin
`hypothese_demo`; every member is public, every GHT's support is one of its members and the
largest of them by beds, every department with a public establishment (overseas included) is
in exactly one GHT, and only small neighbouring departments of one region share a GHT."""

import numpy as np
import pytest

from hospiscope import pipeline
from hospiscope.demo.capacity import generate_capacity
from hospiscope.demo.ght import SMALL_BEDS, write_ght
from hospiscope.geo.reference import geography
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.ght import composition_origin


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ght")
    wh = Warehouse(directory / "entrepot.duckdb")
    pipeline.import_registry(wh, pipeline.bundled_registry())
    registry = wh.con.sql(
        "SELECT finess_et, name, category_code, legal_status, region_code FROM establishments"
    ).pl()
    capacity = generate_capacity(np.random.default_rng(7), registry, 2023)
    path = write_ght(registry, capacity, directory / "ght.csv")
    outcome = pipeline.import_ght(wh, path, origin="hypothese_demo")
    yield wh, outcome, capacity
    wh.close()


def test_it_imports_like_a_real_file_without_a_problem(demo):
    wh, outcome, _ = demo
    assert outcome.written.issues == []
    assert composition_origin(wh.con) == "hypothese_demo"
    assert wh.con.execute(
        "SELECT count(*) FROM ght_members WHERE finess_ej IS NOT NULL"
    ).fetchall() == [(0,)]


def test_every_member_is_public_and_every_public_establishment_a_member(demo):
    wh, _, _ = demo
    statuses = wh.con.execute(
        "SELECT DISTINCT e.legal_status FROM ght_members g JOIN establishments e USING (finess_et)"
    ).fetchall()
    assert statuses == [("public",)]
    missing = wh.con.execute(
        """SELECT count(*) FROM establishments WHERE legal_status = 'public'
        AND finess_et NOT IN (SELECT finess_et FROM ght_members)"""
    ).fetchall()
    assert missing == [(0,)]


def test_every_support_is_the_largest_of_its_members(demo):
    wh, _, capacity = demo
    wh.con.register("demo_capacity", capacity.to_arrow())
    rows = wh.con.execute(
        """SELECT ght_code, any_value(support_finess_et),
            bool_or(finess_et = support_finess_et),
            arg_max(finess_et, coalesce(beds_mco, 0) + coalesce(beds_smr, 0)
                + coalesce(beds_psy, 0) + coalesce(beds_sld, 0)),
            count(DISTINCT support_finess_et)
        FROM ght_members LEFT JOIN demo_capacity USING (finess_et) GROUP BY ght_code"""
    ).fetchall()
    assert all(is_member and supports == 1 for _, _, is_member, _, supports in rows)
    beds = {
        row[0]: sum(row[c] or 0 for c in (1, 2, 3, 4))
        for row in capacity.select(
            "finess_et", "beds_mco", "beds_smr", "beds_psy", "beds_sld"
        ).iter_rows()
    }
    for _, support, _, largest, _ in rows:
        assert beds.get(support, 0) == beds.get(largest, 0)


def test_departments_are_grouped_one_or_two_small_neighbours_of_a_region(demo):
    wh, _, _ = demo
    geo = geography()
    codes = [
        code for (code,) in wh.con.execute("SELECT DISTINCT ght_code FROM ght_members").fetchall()
    ]
    departments = [code.removeprefix("DEMO-").split("-") for code in codes]
    flat = [d for group in departments for d in group]
    assert len(flat) == len(set(flat))  # one GHT per department
    assert {"971", "972", "973", "974", "976", "2A"} <= set(flat)
    public = wh.con.execute(
        "SELECT DISTINCT department_code FROM establishments WHERE legal_status = 'public'"
    ).fetchall()
    assert set(flat) == {d for (d,) in public}
    for group in departments:
        assert len(group) <= 2
        if len(group) == 2:
            assert not any(d.startswith("97") for d in group)
            assert geo.region_of_department(group[0]) == geo.region_of_department(group[1])
    pairs = [g for g in departments if len(g) == 2]
    assert pairs and len(codes) == len(set(flat)) - len(pairs)
    assert SMALL_BEDS.is_assumption
