"""The tables of a GHT's and of a region's establishments (private spaces): who may open which
(the one rule, for the page, its twin and its exports alike), exactly the entity's
establishments, the filters, the orders (never a league table), the exports equal to the
table, the data of the public establishment pages. On the small demo warehouse."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest

from hospiscope.access import accounts, audit, rule, sessions
from hospiscope.access.clock import utc_now
from hospiscope.access.perimeter import NATION, Entity
from hospiscope.web.cache import SESSION_COOKIE
from hospiscope.web.search_index import normalised


@pytest.fixture(scope="module")
def world(portal):
    """Accounts of every role around the largest GHT of the demo, and their session cookies;
    the GHT, its region and another region."""
    perimeter = portal.app.state.store.prepared("perimeter")
    ght = max(perimeter.ght_ets, key=lambda code: (len(perimeter.ght_ets[code]), code))
    region = perimeter.ght_region[ght]
    other = min(code for code in perimeter.region_ets if code != region)
    member = min(perimeter.ght_ets[ght])
    roles = {
        "ght": ("ght", [ght]),
        "ars": ("ars", [region]),
        "ars_autre": ("ars", [other]),
        "etab": ("etablissement", [member]),
        "national": ("national", []),
        "admin": ("admin", []),
    }
    cookies, principals = {}, {"anonyme": rule.ANONYMOUS}
    with portal.app.state.access.transaction() as con:
        for name, (role, scope) in roles.items():
            login = f"territoire.{name}"
            account = accounts.find_account(con, login) or accounts.add_account(
                con, login, role, scope, None, utc_now()
            )
            cookies[name] = sessions.open_session(con, account, utc_now()).cookie_value
            principals[name] = rule.Principal(role=role, scope=tuple(scope), login=login)
    return {
        "client": portal,
        "cookies": cookies,
        "principals": principals,
        "perimeter": perimeter,
        "ght": ght,
        "region": region,
        "other": other,
        "member": member,
    }


def _get(world, name: str, url: str):
    cookie = world["cookies"].get(name)
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
    return world["client"].get(url, headers=headers, follow_redirects=False)


def _rows(world, name: str, url: str) -> list[dict]:
    """Every row of the table, page after page."""
    rows, number = [], 1
    while True:
        separator = "&" if "?" in url else "?"
        answer = _get(world, name, f"{url}{separator}page={number}")
        assert answer.status_code == 200, answer.text[:300]
        built = answer.json()["table"]
        rows += built["rows"]
        if number >= built["pages"]:
            return rows
        number += 1


def test_a_ght_user_sees_exactly_its_establishments(world):
    ght = world["ght"]
    rows = _rows(world, "ght", f"/espace/ght/{ght}.json")
    assert {r["finess"] for r in rows} == world["perimeter"].ets_of(Entity("ght", ght))
    assert len(rows) == len({r["finess"] for r in rows})
    page = _get(world, "ght", f"/espace/ght/{ght}.json").json()
    assert page["table"]["everything"] == len(rows)
    assert all(r["url"] == f"/espace/etablissements/{r['finess']}" for r in rows)
    assert page["composition"] and "hypothèse" in page["composition"]  # demo: an assumption


def test_an_ars_user_sees_its_region_and_its_ghts(world):
    region, ght = world["region"], world["ght"]
    rows = _rows(world, "ars", f"/espace/regions/{region}.json")
    assert {r["finess"] for r in rows} == world["perimeter"].ets_of(Entity("region", region))
    page = _get(world, "ars", f"/espace/regions/{region}.json").json()
    listed = {g["code"]: g["url"] for g in page["ghts"]}
    assert listed[ght] == f"/espace/ght/{ght}"
    assert all(world["perimeter"].ght_region[code] == region for code in listed)
    assert _get(world, "ars", f"/espace/ght/{ght}.json").status_code == 200
    html = _get(world, "ars", f"/espace/regions/{region}").text
    assert f'href="/espace/ght/{ght}"' in html


def test_other_entities_answer_what_the_rule_decides(world):
    """Every role, the GHT, the two regions, the nation's index and an unknown entity: the
    page, its twin and both exports answer the rule's status (401 for anonymous visitors)."""
    perimeter, checked = world["perimeter"], 0
    targets = {
        f"/espace/ght/{world['ght']}": Entity("ght", world["ght"]),
        "/espace/ght/INCONNU": Entity("ght", "INCONNU"),
        f"/espace/regions/{world['region']}": Entity("region", world["region"]),
        f"/espace/regions/{world['other']}": Entity("region", world["other"]),
        "/espace/regions/99": Entity("region", "99"),
    }
    for name, principal in world["principals"].items():
        for base, entity in targets.items():
            decision = rule.decide(principal, entity, "unpublished", perimeter)
            expected = 200 if decision.allowed else decision.status
            expected = 401 if name == "anonyme" and expected == 403 else expected
            for suffix in ("", ".json", "/export.csv", "/export.xlsx"):
                answer = _get(world, name, base + suffix)
                assert answer.status_code == expected, (name, base + suffix)
                checked += 1
            if expected == 404:  # outside the perimeter reads as nothing there
                message = _get(world, name, base + ".json").json()["error"]["message"]
                assert message == rule.NOT_FOUND
        decision = rule.decide(principal, NATION, "unpublished", perimeter)
        expected = 200 if decision.allowed else decision.status
        expected = 401 if name == "anonyme" and expected == 403 else expected
        assert _get(world, name, "/espace/regions.json").status_code == expected, name
    assert checked == 7 * 5 * 4
    assert _get(world, "etab", f"/espace/ght/{world['ght']}.json").status_code == 404
    assert _get(world, "admin", f"/espace/regions/{world['region']}.json").status_code == 403
    assert _get(world, "ars_autre", f"/espace/ght/{world['ght']}.json").status_code == 404


def test_every_access_is_in_the_audit_trail(world):
    _get(world, "ars_autre", f"/espace/ght/{world['ght']}/export.csv")
    with world["client"].app.state.access.transaction() as con:
        events = audit.read(con, user="territoire.ars_autre", limit=20)
    refused = [e for e in events if e.action == audit.PRIVATE_ACCESS and e.entity_kind == "ght"]
    assert refused and refused[0].outcome == audit.REFUSED
    assert refused[0].route.endswith("/export.csv")


def test_the_filters(world):
    base = f"/espace/regions/{world['region']}.json"
    everything = _rows(world, "ars", base)
    city = Counter(r["city"] for r in everything if r["city"]).most_common(1)[0][0]
    word = normalised(city).split()[0]
    found = _rows(world, "ars", f"{base}?q={word}")
    assert found and all(word in normalised(f"{r['name']} {r['city']}") for r in found)
    assert len(found) == sum(word in normalised(f"{r['name']} {r['city']}") for r in everything)
    page = _get(world, "ars", base).json()["table"]
    department = page["departments"][0]["code"]
    in_department = _rows(world, "ars", f"{base}?departement={department}")
    assert {r["department"] for r in in_department} == {department}
    assert len(in_department) == sum(r["department"] == department for r in everything)
    status = page["statuses"][0]["code"]
    assert {r["legal_status"] for r in _rows(world, "ars", f"{base}?statut={status}")} == {status}
    kind = page["types"][0]
    typed = _rows(world, "ars", f"{base}?type={kind['code']}")
    assert typed and {r["type"] for r in typed} == {kind["label"]}
    both = _rows(world, "ars", f"{base}?type={kind['code']}&statut={status}")
    assert {r["finess"] for r in both} <= {r["finess"] for r in typed}
    assert _get(world, "ars", f"{base}?famille=inconnue").status_code == 400
    assert _get(world, "ars", f"{base}?tri=valeur").status_code == 400  # never by value


def _names(rows):
    return [normalised(r["name"]) for r in rows]


def test_the_orders_and_never_a_ranking(world):
    ght = world["ght"]
    base = f"/espace/ght/{ght}.json"
    by_name = _rows(world, "ght", base)
    assert _names(by_name) == sorted(_names(by_name))  # by default: the names' order
    assert _names(_rows(world, "ght", f"{base}?tri=-nom")) == sorted(_names(by_name))[::-1]
    cities = [normalised(r["city"]) for r in _rows(world, "ght", f"{base}?tri=commune")]
    assert cities == sorted(cities)
    page = _get(world, "ght", base).json()
    assert not {"rank", "rang", "score", "position"} & set(page["table"]["rows"][0])
    html = _get(world, "ght", f"/espace/ght/{ght}").text
    assert "pas un classement" in html and "ni rang ni score composite" in html
    assert not re.search(r"<th[^>]*>\s*(Rang|Classement|Score)", html)
    assert 'aria-sort="ascending"' in html and html.count("aria-sort=") == 1


def test_sorting_by_an_indicator_s_class(world):
    base = f"/espace/regions/{world['region']}.json"
    families = _get(world, "ars", base).json()["table"]["families"]
    sortable = None
    for family in families:
        page = _get(world, "ars", f"{base}?famille={family['code']}").json()["table"]
        sortable = next((c for c in page["columns"] if c["sort"]), None)
        if sortable:
            break
    assert sortable is not None, "aucun indicateur avec des classes dans la démo"
    code, url = sortable["code"], sortable["sort"]["url"]
    assert url.endswith(f"tri=classe%3A{code}")
    rows = _rows(world, "ars", url.replace(f"/espace/regions/{world['region']}", base, 1))
    positions = [_class_position(r, code) for r in rows]
    classed = [p for p in positions if p is not None]
    assert classed == sorted(classed) and len(set(classed)) >= 2
    assert positions == classed + [None] * (len(positions) - len(classed))  # unclassed last
    worst = _rows(world, "ars", f"{base}?famille={family['code']}&tri=-classe:{code}")
    worst_positions = [p for p in (_class_position(r, code) for r in worst) if p is not None]
    assert worst_positions == sorted(classed, reverse=True)
    html = _get(world, "ars", f"{url.replace('.json', '')}").text
    assert html.count('aria-sort="ascending"') == 1
    # Another family chosen while sorted by this class (the form keeps `tri`): by name.
    other = next(f["code"] for f in families if f["code"] != family["code"])
    switched = _get(world, "ars", f"{base}?famille={other}&tri=classe:{code}").json()["table"]
    assert switched["sort"] == "nom" and switched["family"] == other


def _class_position(row: dict, code: str):
    from hospiscope.catalogue import catalogue_meta
    from hospiscope.web.values import class_labels

    cell = row["results"].get(code)
    if not cell or not cell["cls"]:
        return None
    return [c for c, _ in class_labels(catalogue_meta()[code], cell["period"])].index(cell["cls"])


def test_the_cells_are_the_public_pages_results(world):
    ght = world["ght"]
    page = _get(world, "ght", f"/espace/ght/{ght}.json").json()
    shown = [r for r in page["table"]["rows"] if r["results"]][:3]
    assert shown
    for row in shown:
        public = world["client"].get(f"/etablissements/{row['finess']}.json").json()
        by_code = {v["code"]: v for v in public["indicators"]}
        for code, cell in row["results"].items():
            value = by_code[code]
            assert (cell["value"], cell["ci_low"], cell["ci_high"], cell["cls"]) == (
                value["value"],
                value["ci_low"],
                value["ci_high"],
                value["cls"],
            )
            assert cell["period"] == value["period"]
            assert cell["position_national"] == value["position_national"]


def test_the_page_shows_its_twin_s_rows(world):
    ght = world["ght"]
    twin = _get(world, "ght", f"/espace/ght/{ght}.json?tri=-commune").json()
    html = _get(world, "ght", f"/espace/ght/{ght}?tri=-commune").text
    in_page = re.findall(
        r'<th scope="row"><a href="[^"]+">[^<]*</a><span class="sub">FINESS (\w+)', html
    )
    assert in_page == [r["finess"] for r in twin["table"]["rows"]]
    for column in twin["table"]["columns"]:
        assert f'href="/indicateurs/{column["code"]}"' in html


def _csv_rows(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode())  # UTF-8 with BOM, for French Excel
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_is_the_table(world):
    ght = world["ght"]
    families = _get(world, "ght", f"/espace/ght/{ght}.json").json()["table"]["families"]
    family = next(
        f["code"]
        for f in families
        if any(
            c["value"] is not None
            for r in _rows(world, "ght", f"/espace/ght/{ght}.json?famille={f['code']}")
            for c in r["results"].values()
        )
    )
    query = f"famille={family}&tri=-commune"
    rows = _rows(world, "ght", f"/espace/ght/{ght}.json?{query}")
    answer = _get(world, "ght", f"/espace/ght/{ght}/export.csv?{query}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    exported = _csv_rows(answer.content)
    assert [r["finess_et"] for r in exported] == [r["finess"] for r in rows]
    assert [r["nom"] for r in exported] == [r["name"] for r in rows]
    columns = _get(world, "ght", f"/espace/ght/{ght}.json?{query}").json()["table"]["columns"]
    compared = 0
    for line, row in zip(exported, rows, strict=True):
        for column in columns:
            cell = row["results"].get(column["code"])
            written = line[f"{column['code']}_valeur"]
            if cell and cell["value"] is not None:
                assert float(written.replace(",", ".")) == pytest.approx(cell["value"])
                assert "." not in written  # decimal comma
                compared += 1
            else:
                assert written == ""
            assert line[f"{column['code']}_classe"] == ((cell or {}).get("cls_label") or "")
    assert compared > 0
    xlsx = _get(world, "ght", f"/espace/ght/{ght}/export.xlsx?{query}")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    filtered = _get(world, "ght", f"/espace/ght/{ght}/export.csv?{query}&q=zzzzzz")
    assert _csv_rows(filtered.content) == []


def test_the_spaces_link_to_the_tables(world):
    ght, region = world["ght"], world["region"]
    assert _get(world, "ght", "/espace.json").json()["scope"][0]["url"] == f"/espace/ght/{ght}"
    assert _get(world, "ars", "/espace.json").json()["scope"][0]["url"] == (
        f"/espace/regions/{region}"
    )
    links = [link["code"] for link in _get(world, "national", "/espace.json").json()["links"]]
    assert "/espace/regions" in links
    index = _get(world, "national", "/espace/regions.json").json()
    entry = next(r for r in index["regions"] if r["code"] == region)
    assert entry["url"] == f"/espace/regions/{region}"
    assert ght in {g["code"] for g in entry["ghts"]}
    assert {r["code"] for r in index["regions"]} == set(world["perimeter"].region_ets)
