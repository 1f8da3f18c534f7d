"""axe-core (WCAG 2.1 A and AA) finds no violation on any page template of the portal, in a
real browser with the Content-Security-Policy in force."""

import pytest

# One line per page: (name, URL, expected status); {finess} and {indicateur} come from the
# `examples` fixture (an establishment with results, an indicator with national results).
PAGES = [
    ("accueil", "/", 200),
    ("recherche", "/recherche?q=centre", 200),
    ("recherche-pages", "/recherche?page=2", 200),
    ("recherche-vide", "/recherche?q=zzzzzz", 200),
    ("etablissement", "/etablissements/{finess}", 200),
    ("indicateurs", "/indicateurs", 200),
    ("indicateur", "/indicateurs/{indicateur}", 200),
    ("indicateur-graphiques", "/indicateurs/VACCIN_GRIPPE", 200),
    ("indicateur-etablissements", "/indicateurs/VACCIN_GRIPPE/etablissements?page=2", 200),
    ("indicateur-score", "/indicateurs/ESATISCA_SCORE", 200),
    (
        "indicateur-etablissements-statut",
        "/indicateurs/VACCIN_GRIPPE/etablissements?statut=prive_lucratif",
        200,
    ),
    ("donnees-ouvertes", "/api", 200),
    ("carte", "/carte", 200),
    ("carte-departements", "/carte?niveau=departement", 200),
    ("comparer", "/comparer?finess={finess}", 200),
    ("recherche-pres", "/recherche?pres_de=bourg+en+bresse", 200),
    ("etat", "/etat", 200),
    ("connexion", "/connexion", 200),
    ("erreur-404", "/etablissements/999999999", 404),
    ("erreur-400", "/recherche?page=0", 400),
]


@pytest.mark.parametrize(("name", "url", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_no_accessibility_violation(page, axe, examples, name, url, status):
    response = page.goto(url.format(**examples))
    assert response.status == status
    axe(page)
