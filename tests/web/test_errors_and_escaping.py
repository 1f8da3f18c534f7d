"""The portal on a registry-only warehouse: text from imported files is escaped on every page,
every error has the one shape (HTML page or JSON twin), security headers on every answer."""

import pytest

from web.conftest import HOSTILE_FINESS, HOSTILE_NAME

PAGES_NAMING_IT = [
    f"/etablissements/{HOSTILE_FINESS}",
    "/recherche?q=script",
    "/recherche/suggestions?q=script",
    "/recherche?q=trevoux",
]


@pytest.mark.parametrize("url", PAGES_NAMING_IT)
def test_imported_text_is_escaped(hostile_portal, url):
    page = hostile_portal.get(url)
    assert page.status_code == 200
    assert HOSTILE_NAME not in page.text and "<b>TREVOUX</b>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_json_twin_carries_the_text_as_data(hostile_portal):
    twin = hostile_portal.get(f"/etablissements/{HOSTILE_FINESS}.json")
    assert twin.status_code == 200 and twin.json()["establishment"]["name"] == HOSTILE_NAME
    assert twin.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/etablissements/010000024.json", 404, "unknown_establishment"),
        ("/etablissements/abc.json", 400, "invalid_parameter"),
        ("/indicateurs/NOPE_NOPE.json", 404, "unknown_indicator"),
        ("/recherche.json?page=0", 400, "invalid_parameter"),
        ("/recherche.json?q=" + "x" * 500, 400, "invalid_parameter"),
        ("/recherche.json?departement=%27%3B%20DROP%20TABLE", 400, "invalid_parameter"),
        ("/etablissements/010000065.json?source=autre", 400, "invalid_parameter"),
        ("/rien/du/tout.json", 404, "not_found"),
    ],
)
def test_errors_have_one_shape(hostile_portal, url, status, code):
    answer = hostile_portal.get(url)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    assert "Traceback" not in answer.text


def test_error_pages_are_french_html(hostile_portal):
    answer = hostile_portal.get("/etablissements/010000024")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "établissement inconnu" in answer.text and 'lang="fr"' in answer.text
    invalid = hostile_portal.get("/recherche?page=abc")
    assert invalid.status_code == 400 and "nombre entier attendu" in invalid.text


def test_writing_is_refused(hostile_portal):
    answer = hostile_portal.post("/recherche.json", json={})
    assert answer.status_code == 405 and answer.json()["error"]["code"] == "method_not_allowed"


def test_security_headers_everywhere(hostile_portal):
    for url in ("/", "/recherche.json", "/rien", "/static/portal.css"):
        headers = hostile_portal.get(url).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_no_page_uses_inline_script_or_style(hostile_portal):
    for url in ("/", "/recherche?q=ch", f"/etablissements/{HOSTILE_FINESS}", "/indicateurs"):
        text = hostile_portal.get(url).text
        assert "<script>" not in text and " style=" not in text and "<style" not in text
        assert "http://" not in text.replace("http://www.w3.org", "")
        assert "https://" not in text


def test_openapi_documents_the_twins_and_the_error_shape(hostile_portal):
    schema = hostile_portal.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/recherche.json", "/etablissements/{finess}.json", "/index.json"} <= set(paths)
    # Beside the twins and the exports (public, and of the GHT and ARS tables): forms (POST
    # only), those of signing in and of the private spaces.
    forms = {p for p in paths if set(paths[p]) == {"post"}}
    assert {"/connexion", "/deconnexion"} <= forms
    assert all(p in ("/connexion", "/deconnexion") or p.startswith("/espace/") for p in forms)
    private_exports = ("/export.csv", "/export.xlsx", "/resultats")
    assert all(
        p.endswith(".json")
        or p.startswith("/exports/")
        or (p.startswith("/espace/") and p.endswith(private_exports))
        or p in forms
        for p in paths
    )
    assert set(paths["/connexion"]) == {"post"} and set(paths["/deconnexion"]) == {"post"}
    answers = paths["/etablissements/{finess}.json"]["get"]["responses"]
    assert "ErrorResponse" in str(answers["404"])


def test_the_server_never_writes_to_the_warehouse(hostile_warehouse, hostile_portal):
    before = hostile_warehouse.stat().st_mtime_ns, hostile_warehouse.stat().st_size
    for url in ("/", "/recherche?q=centre", f"/etablissements/{HOSTILE_FINESS}.json"):
        hostile_portal.get(url)
    assert (hostile_warehouse.stat().st_mtime_ns, hostile_warehouse.stat().st_size) == before
