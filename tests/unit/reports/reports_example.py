"""A realistic national bilan (campaign 2024) for the report tests, built on the published
national figures of facts.md; establishment-level values are simulated with a fixed seed."""

from __future__ import annotations

import datetime as dt

import numpy as np
from scipy import stats

from hospiscope.reports.model import (
    Bilan,
    Category,
    Distribution,
    Figure,
    FunnelChart,
    FunnelPoint,
    MethodNote,
    Section,
    TableBlock,
)

REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
)
REGION_WEIGHTS = (13, 5, 5, 4, 1, 8, 9, 17, 5, 10, 10, 5, 8)
TYPES = ("CHU / CHR", "Centres hospitaliers", "Privés à but lucratif", "ESPIC", "CLCC")
TYPE_WEIGHTS = (6, 38, 40, 14, 2)


def _categories(codes_labels, counts) -> tuple[Category, ...]:
    total = sum(counts)
    return tuple(
        Category(code, label, count, count / total)
        for (code, label), count in zip(codes_labels, counts, strict=True)
    )


def _split(rng, total_counts, weights, tilt: float = 0.25) -> dict[int, tuple[int, ...]]:
    """Split national counts per category into groups of the given weights, with some
    between-group variation; the groups add up exactly to the national counts."""
    weights = np.asarray(weights, dtype=float)
    out = np.zeros((len(weights), len(total_counts)), dtype=int)
    for j, count in enumerate(total_counts):
        w = weights * np.exp(rng.normal(0, tilt, len(weights)))
        out[:, j] = rng.multinomial(count, w / w.sum())
    return {i: tuple(int(v) for v in out[i]) for i in range(len(weights))}


def _classes(rng) -> tuple[Distribution, Distribution]:
    labels = (
        ("A", "Classe A"),
        ("B", "Classe B"),
        ("C", "Classe C"),
        ("D", "Classe D"),
        ("DI", "Données insuffisantes"),
    )
    counts = (312, 356, 212, 132, 48)
    cats = _categories(labels, counts)
    by_type = _split(rng, counts, TYPE_WEIGHTS)
    by_region = _split(rng, counts, REGION_WEIGHTS)
    note = (
        "Hypothèse : grille de classes de la campagne 2019 (A ≥ 79,7 ; B 76,5–79,7 ; "
        "C 73,1–76,5 ; D < 73,1) appliquée à 2024, la grille 2024 n'étant pas dans nos sources."
    )
    common = dict(indicator="ESATIS48H", categories=cats, total=sum(counts), note=note)
    return (
        Distribution(
            title="Classes e-Satis MCO +48 h",
            by_group={TYPES[i]: c for i, c in by_type.items()},
            group_title="Par type d'établissement",
            **common,
        ),
        Distribution(
            title="Classes e-Satis MCO +48 h",
            by_group={REGIONS[i]: c for i, c in by_region.items()},
            group_title="Par région",
            **common,
        ),
    )


def _flu() -> Distribution:
    labels = (
        ("exemplaire", "Exemplaire (≥ 75 %)"),
        ("intermediaire", "Intermédiaire"),
        ("convenable", "Convenable"),
        ("insuffisant", "Insuffisant"),
        ("tres_insuffisant", "Très insuffisant (< 20 %)"),
    )
    counts = (9, 60, 362, 664, 1210)  # 0,4 / 2,6 / 15,7 / 28,8 / 52,5 %
    return Distribution(
        indicator="VAG",
        title="Couverture vaccinale antigrippale des professionnels, hiver 2023-2024",
        categories=_categories(labels, counts),
        total=sum(counts),
        note="Bornes intermédiaires des niveaux non publiées ; 75 % est la cible de l'OMS.",
    )


def _certification(rng) -> Distribution:
    labels = (
        ("certifie_mention", "Certifié avec mention « Haute qualité des soins »"),
        ("certifie", "Certifié"),
        ("sous_conditions", "Certifié sous conditions"),
        ("non_certifie", "Non certifié"),
    )
    counts = (376, 1040, 147, 70)
    by_type = _split(rng, counts, TYPE_WEIGHTS)
    return Distribution(
        indicator="CERTIF",
        title="Décisions de certification (5ᵉ cycle)",
        categories=_categories(labels, counts),
        total=sum(counts),
        by_group={TYPES[i]: c for i, c in by_type.items()},
        group_title="Par type d'établissement",
    )


def _funnel(rng) -> FunnelChart:
    """ISO-ORTHO hip: observed / expected infections, exact Poisson limits, multiplicative
    over-dispersion φ."""
    n = 300
    expected = np.exp(rng.uniform(np.log(0.4), np.log(30), n))
    theta = np.exp(rng.normal(0, 0.3, n))
    observed = rng.poisson(expected * theta)
    ratio = observed / expected
    phi = 1.8
    grid = np.concatenate([np.linspace(0.2, 2, 19), np.linspace(2.5, 32, 60)])

    def exact(p, e):
        lower = stats.gamma.ppf((1 - p) / 2, e) / e
        upper = stats.gamma.ppf(1 - (1 - p) / 2, e + 1) / e
        return lower, upper

    def adjusted(p, e):
        z = stats.norm.ppf(1 - (1 - p) / 2)
        half = z * np.sqrt(phi / e)
        return np.maximum(1 - half, 0), 1 + half

    limits = {"precision": tuple(float(x) for x in grid)}
    for name, p in (("95", 0.95), ("998", 0.998)):
        lo, hi = exact(p, grid)
        limits[f"lower_{name}"] = tuple(float(x) for x in lo)
        limits[f"upper_{name}"] = tuple(float(x) for x in hi)
        lo, hi = adjusted(p, grid)
        limits[f"lower_{name}_adjusted"] = tuple(float(x) for x in lo)
        limits[f"upper_{name}_adjusted"] = tuple(float(x) for x in hi)

    points, high, low = [], 0, 0
    lo95, hi95 = adjusted(0.95, expected)
    lo998, hi998 = adjusted(0.998, expected)
    for i in range(n):
        flag = None
        if ratio[i] > hi998[i]:
            flag, high = "au-dessus 99,8 %", high + 1
        elif ratio[i] < lo998[i]:
            flag, low = "en dessous 99,8 %", low + 1
        elif ratio[i] > hi95[i]:
            flag = "au-dessus 95 %"
        elif ratio[i] < lo95[i]:
            flag = "en dessous 95 %"
        points.append(
            FunnelPoint(
                entity=f"{(130000000 + 7919 * i):09d}",
                label=f"Établissement {i + 1:03d}",
                precision=float(expected[i]),
                value=float(ratio[i]),
                flag=flag,
            )
        )
    return FunnelChart(
        indicator="ISO-ORTHO-PTH",
        title="Infections du site opératoire après prothèse totale de hanche",
        x_label="Nombre d'infections attendues",
        y_label="Ratio observé / attendu",
        target=1.0,
        points=tuple(points),
        limits=limits,
        method=(
            "Spiegelhalter 2005, limites de Poisson exactes ; surdispersion prise en compte "
            f"par un facteur multiplicatif φ = {phi:.1f}".replace(".", ",")
            + " (limites ajustées)."
        ),
        outliers_high=high,
        outliers_low=low,
    )


CRITERIA = (
    ("Patient", "Consentement du patient"),
    ("Patient", "Respect de l'intimité et de la dignité"),
    ("Patient", "Prise en charge de la douleur"),
    ("Patient", "Environnement adapté aux mineurs"),
    ("Équipes de soins", "Check-list « Sécurité du patient au bloc opératoire »"),
    ("Équipes de soins", "Examen somatique en psychiatrie"),
    ("Équipes de soins", "Médicaments à risque"),
    ("Équipes de soins", "Maîtrise du risque infectieux"),
    ("Équipes de soins", "Antibioprophylaxie"),
    ("Équipes de soins", "Hémorragie du post-partum"),
    ("Équipes de soins", "Analyse collective des événements indésirables"),
    ("Établissement", "Lutte contre la maltraitance"),
    ("Établissement", "Management de la qualité"),
    ("Établissement", "Gestion des tensions hospitalières"),
    ("Établissement", "Urgences vitales"),
    ("Établissement", "Amélioration des résultats des IQSS"),
)


def _criteria_table(rng) -> TableBlock:
    rows = []
    for public, label in CRITERIA:
        evaluated = int(rng.integers(300, 1633))
        met = int(evaluated * rng.uniform(0.82, 0.99))
        share = f"{100 * met / evaluated:.1f}".replace(".", ",") + "\u202f%"
        rows.append(
            (
                label,
                public,
                f"{evaluated:,}".replace(",", "\u202f"),
                f"{met:,}".replace(",", "\u202f"),
                share,
            )
        )
    return TableBlock(
        title="Critères impératifs : établissements conformes",
        columns=("Critère impératif", "Public", "Établissements évalués", "Conformes", "Part"),
        rows=tuple(rows),
        note="Le nombre d'établissements évalués varie selon le champ du critère.",
    )


def example_bilan(seed: int = 2024) -> Bilan:
    rng = np.random.default_rng(seed)
    by_type, by_region = _classes(rng)
    esatis = Section(
        title="Expérience et satisfaction des patients (e-Satis)",
        text=(
            "1,35 million de patients ont répondu au questionnaire e-Satis en 2024. Les scores "
            "nationaux progressent dans les trois secteurs mesurés."
        ),
        figures=(
            Figure(
                indicator="ESATIS48H",
                label="Score global MCO, séjours de plus de 48 h",
                unit="/100",
                value=74.8,
                numerator=39_644_000,
                denominator=530_000,
                ci_low=74.75,
                ci_high=74.85,
                ci_method="normale (moyenne)",
                previous_value=74.3,
                change_points=0.5,
                method_version="2.1",
            ),
            Figure(
                indicator="ESATISCA",
                label="Score global chirurgie ambulatoire",
                unit="/100",
                value=79.5,
                numerator=60_420_000,
                denominator=760_000,
                ci_low=79.46,
                ci_high=79.54,
                ci_method="normale (moyenne)",
                previous_value=78.9,
                change_points=0.6,
                method_version="2.0",
            ),
            Figure(
                indicator="ESATISSMR",
                label="Score global SMR",
                unit="/100",
                value=76.7,
                numerator=3_758_300,
                denominator=49_000,
                ci_low=76.5,
                ci_high=76.9,
                ci_method="normale (moyenne)",
                previous_value=75.7,
                change_points=1.0,
                method_version="1.2",
            ),
            Figure(
                indicator="ESATIS48H-AB",
                label="Établissements MCO en classe A ou B",
                unit="%",
                value=66.0,
                numerator=668,
                denominator=1_012,
                ci_low=63.1,
                ci_high=68.9,
                ci_method="Wilson",
                previous_value=60.0,
                change_points=6.0,
                method_version="2.1",
                assumptions=("Grille de classes 2019 appliquée à 2024.",),
            ),
        ),
        distributions=(by_type, by_region),
    )
    infection = Section(
        title="Prévention des infections associées aux soins",
        text="La consommation de produits hydro-alcooliques recule pour la deuxième année.",
        figures=(
            Figure(
                indicator="ICSHA",
                label="Consommation de solutions hydro-alcooliques (ICSHA)",
                unit="%",
                value=79.0,
                numerator=3_950_000,
                denominator=5_000_000,
                ci_method=None,
                previous_value=82.0,
                change_points=-3.0,
                method_version="3.0",
                method_changed=True,
                assumptions=("Grille de classes ICSHA.3 non publiée : aucune classe affichée.",),
            ),
            Figure(
                indicator="ICSHA-100",
                label="Établissements atteignant leur objectif ICSHA (≥ 100 %)",
                unit="%",
                value=28.0,
                numerator=812,
                denominator=2_900,
                ci_low=26.4,
                ci_high=29.7,
                ci_method="Wilson",
                previous_value=33.0,
                change_points=-5.0,
                method_version="3.0",
                method_changed=True,
            ),
            Figure(
                indicator="PCC",
                label="Précautions complémentaires contact (MCO)",
                unit="%",
                value=37.0,
                numerator=11_100,
                denominator=30_000,
                ci_low=36.5,
                ci_high=37.5,
                ci_method="Wilson",
                previous_value=28.0,
                change_points=9.0,
                method_version="1.0",
            ),
        ),
        distributions=(_flu(),),
        funnels=(_funnel(rng),),
    )
    certification = Section(
        title="Certification des établissements",
        text="1 633 décisions de certification ont été publiées depuis le début du 5ᵉ cycle.",
        figures=(
            Figure(
                indicator="CERTIF-OK",
                label="Établissements certifiés (avec ou sans mention)",
                unit="%",
                value=86.7,
                numerator=1_416,
                denominator=1_633,
                ci_low=85.0,
                ci_high=88.3,
                ci_method="Wilson",
            ),
            Figure(
                indicator="CERTIF-N",
                label="Décisions publiées",
                unit="décisions",
                value=1_633,
                numerator=1_633,
                denominator=None,
            ),
        ),
        distributions=(_certification(rng),),
        tables=(_criteria_table(rng),),
    )
    methods = (
        MethodNote(
            indicator="ESATIS48H",
            label="Score global e-Satis MCO +48 h",
            method_version="2.1",
            numerator="Somme des scores individuels ajustés (0–100) des répondants",
            denominator="Répondants ayant un score global exploitable",
            ci_method="Loi normale sur la moyenne, 95 %",
            source="HAS, modalités de calcul e-Satis MCO 48 h ; fichier open data 2024",
            assumptions=(
                "Le modèle d'ajustement de HAS n'est pas publié dans nos sources : ajustement "
                "sur l'âge, le sexe et l'état de santé perçu.",
                "Grille de classes de la campagne 2019 appliquée à 2024.",
            ),
        ),
        MethodNote(
            indicator="ICSHA",
            label="Indicateur de consommation de solutions hydro-alcooliques",
            method_version="3.0",
            numerator="Volume de solutions hydro-alcooliques consommé (litres)",
            denominator="Objectif personnalisé de consommation (litres)",
            ci_method=None,
            source="HAS, fiche descriptive ICSHA.3",
            assumptions=("La grille de classes ICSHA.3 n'est pas publiée : aucune classe.",),
        ),
        MethodNote(
            indicator="ISO-ORTHO-PTH",
            label="Infections du site opératoire après prothèse totale de hanche",
            method_version="1.0",
            numerator="Infections observées à 90 jours (séjours PMSI chaînés)",
            denominator="Infections attendues selon le modèle de risque",
            ci_method="Poisson exacte ; surdispersion multiplicative",
            source="HAS, indicateurs de résultats issus des bases médico-administratives",
            assumptions=(
                "Modèle de risque non publié : régression logistique sur l'âge, le sexe "
                "et les comorbidités.",
            ),
        ),
        MethodNote(
            indicator="VAG",
            label="Couverture vaccinale antigrippale des professionnels",
            method_version="1.0",
            numerator="Professionnels vaccinés",
            denominator="Professionnels en poste",
            ci_method=None,
            source="HAS, indicateur validé en 2022",
            assumptions=("Bornes intermédiaires des cinq niveaux : 20, 35, 50 et 75 %.",),
        ),
    )
    provenance = (
        "Import n° 41 — resultats-esatis48h-mco-2024.csv (démonstration), 1 060 lignes "
        "acceptées, 20 novembre 2026.",
        "Import n° 42 — resultats-esatisca-mco-2024.csv (démonstration), 1 102 lignes.",
        "Registre FINESS : extraction etalab du 4 novembre 2026 (licence ouverte).",
        "Calcul : moteur DuckDB, définitions du catalogue hospiscope 0.1.0.",
        "Grilles de classes : lexique open data HAS, https://www.data.gouv.fr/ (campagne 2019).",
    )
    return Bilan(
        title="Bilan national des indicateurs de qualité et de sécurité des soins",
        campaign=2024,
        previous_campaign=2023,
        scope="France entière",
        generated_at=dt.datetime(2026, 11, 22, 14, 5),
        sections=(esatis, infection, certification),
        methods=methods,
        provenance=provenance,
    )
