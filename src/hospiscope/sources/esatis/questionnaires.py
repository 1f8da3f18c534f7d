"""The e-Satis questionnaires: dimensions and closed items, as hospiscope models them.

HAS's patient-level export layout is not public in our sources. The dimensions are the
published ones (facts.md §1: MCO > 48 h — welcome, nursing care, medical care, room, meals,
discharge organisation; ambulatory surgery — before hospitalisation, welcome on the day,
care, room and snack, discharge and return home). The *items* below are hospiscope's model of
the questionnaire (a documented assumption shown in the product), written so that scores can
be computed item → dimension → overall exactly as HAS describes the method: every closed item
is answered on a 4-level scale (1 worst … 4 best) or 9 "not concerned", and rescaled to 0–100.

SMR dimensions are not in our sources either: the SMR questionnaire below is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_CONCERNED = 9
SCALE = (1, 2, 3, 4)
RECOMMENDATION_LABELS = {
    1: "Certainement pas",
    2: "Probablement pas",
    3: "Probablement",
    4: "Certainement",
}
ASSUMPTION = (
    "Questionnaire modélisé par hospiscope : dimensions publiées par la HAS, items "
    "et format de fichier supposés (le format d'export patient n'est pas public)."
)


@dataclass(frozen=True)
class Item:
    code: str
    label: str


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Questionnaire:
    code: str  # mco48h | ca | smr
    label: str
    table: str  # warehouse table of its responses
    dimensions: tuple[Dimension, ...]
    wards: tuple[str, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for dimension in self.dimensions for item in dimension.items)

    def dimension(self, code: str) -> Dimension:
        return next(d for d in self.dimensions if d.code == code)


def _dim(code: str, label: str, *items: tuple[str, str]) -> Dimension:
    return Dimension(code, label, tuple(Item(c, text) for c, text in items))


MCO48H = Questionnaire(
    code="mco48h",
    label="Hospitalisation de plus de 48 h en médecine, chirurgie ou obstétrique (MCO)",
    table="esatis_mco48h",
    dimensions=(
        _dim(
            "accueil",
            "Accueil",
            ("acc_admission", "Accueil lors des formalités d'admission"),
            ("acc_service", "Accueil dans le service de soins"),
            ("acc_identification", "Identification des professionnels (présentation, badge)"),
            ("acc_attente", "Délai d'attente avant l'installation dans la chambre"),
        ),
        _dim(
            "pec_infirmier",
            "Prise en charge par les infirmiers et aides-soignants",
            ("inf_ecoute", "Écoute et disponibilité des infirmiers et aides-soignants"),
            ("inf_explications", "Explications données par les infirmiers"),
            ("inf_respect", "Respect de l'intimité et de la dignité pendant les soins"),
            ("inf_appel", "Délai de réponse aux appels (sonnette)"),
            ("inf_douleur", "Prise en charge de la douleur"),
        ),
        _dim(
            "pec_medical",
            "Prise en charge par les médecins et chirurgiens",
            ("med_information", "Information sur l'état de santé"),
            ("med_disponibilite", "Disponibilité des médecins"),
            ("med_traitement", "Explications sur les traitements et examens"),
            ("med_respect", "Respect et considération des médecins"),
            ("med_decision", "Association aux décisions concernant les soins"),
        ),
        _dim(
            "chambre",
            "Chambre",
            ("ch_proprete", "Propreté de la chambre"),
            ("ch_confort", "Confort de la chambre"),
            ("ch_calme", "Calme et tranquillité"),
            ("ch_intimite", "Respect de l'intimité dans la chambre"),
        ),
        _dim(
            "repas",
            "Repas",
            ("rep_gout", "Goût des repas"),
            ("rep_quantite", "Quantité servie"),
            ("rep_temperature", "Température des plats"),
            ("rep_variete", "Variété des menus"),
        ),
        _dim(
            "sortie",
            "Organisation de la sortie",
            ("sor_suites", "Information sur les suites de l'hospitalisation"),
            ("sor_traitement", "Explications sur le traitement de sortie"),
            ("sor_alerte", "Information sur les signes qui doivent alerter"),
            ("sor_organisation", "Organisation du retour à domicile ou du transfert"),
        ),
    ),
    wards=(
        "Médecine interne",
        "Cardiologie",
        "Pneumologie",
        "Gastro-entérologie",
        "Neurologie",
        "Gériatrie aiguë",
        "Oncologie médicale",
        "Chirurgie orthopédique",
        "Chirurgie digestive",
        "Chirurgie urologique",
        "Chirurgie vasculaire",
        "Maternité",
    ),
)

CA = Questionnaire(
    code="ca",
    label="Chirurgie ambulatoire (CA)",
    table="esatis_ca",
    dimensions=(
        _dim(
            "avant",
            "Avant l'hospitalisation",
            ("av_information", "Information sur l'intervention et l'anesthésie"),
            ("av_consignes", "Consignes de préparation (jeûne, douche, traitements)"),
            ("av_rdv", "Organisation des rendez-vous avant l'intervention"),
        ),
        _dim(
            "accueil",
            "Accueil le jour de l'hospitalisation",
            ("acc_accueil", "Accueil à l'arrivée dans l'établissement"),
            ("acc_attente", "Temps d'attente avant l'intervention"),
            ("acc_identification", "Identification des professionnels"),
        ),
        _dim(
            "pec",
            "Prise en charge le jour de l'hospitalisation",
            ("pec_chirurgien", "Information donnée par le chirurgien"),
            ("pec_anesthesie", "Prise en charge par l'équipe d'anesthésie"),
            ("pec_douleur", "Prise en charge de la douleur"),
            ("pec_intimite", "Respect de l'intimité et de la dignité"),
            ("pec_ecoute", "Écoute des soignants"),
        ),
        _dim(
            "chambre_collation",
            "Chambre et collation",
            ("ch_proprete", "Propreté de la chambre ou du box"),
            ("ch_confort", "Confort pendant le séjour"),
            ("ch_collation", "Collation proposée après l'intervention"),
        ),
        _dim(
            "sortie",
            "Organisation de la sortie et du retour à domicile",
            ("sor_autorisation", "Explications sur l'autorisation de sortie"),
            ("sor_consignes", "Consignes pour le retour à domicile"),
            ("sor_appel", "Contact par l'établissement le lendemain de l'intervention"),
            ("sor_ordonnance", "Ordonnances et documents remis à la sortie"),
        ),
    ),
    wards=(
        "Ophtalmologie",
        "Orthopédie",
        "ORL",
        "Gynécologie",
        "Chirurgie digestive",
        "Urologie",
        "Stomatologie",
        "Chirurgie de la main",
        "Dermatologie",
        "Endoscopie digestive",
    ),
)

SMR = Questionnaire(
    code="smr",
    label="Soins médicaux et de réadaptation (SMR)",
    table="esatis_smr",
    dimensions=(
        _dim(
            "accueil",
            "Accueil",
            ("acc_admission", "Accueil lors de l'admission"),
            ("acc_service", "Accueil dans l'unité"),
        ),
        _dim(
            "pec",
            "Prise en charge (soins et rééducation)",
            ("pec_soignants", "Écoute et disponibilité des soignants"),
            ("pec_medecins", "Information donnée par les médecins"),
            ("pec_reeducation", "Organisation et intensité de la rééducation"),
            ("pec_douleur", "Prise en charge de la douleur"),
            ("pec_respect", "Respect de l'intimité et de la dignité"),
        ),
        _dim(
            "lieu_de_vie",
            "Lieu de vie (chambre et repas)",
            ("ldv_chambre", "Confort et propreté de la chambre"),
            ("ldv_repas", "Qualité des repas"),
            ("ldv_activites", "Vie quotidienne et activités proposées"),
        ),
        _dim(
            "sortie",
            "Organisation de la sortie",
            ("sor_preparation", "Préparation du retour à domicile"),
            ("sor_information", "Information sur la suite des soins"),
        ),
    ),
    wards=(
        "SMR polyvalent",
        "SMR locomoteur",
        "SMR cardio-vasculaire",
        "SMR neurologique",
        "SMR gériatrique",
        "SMR respiratoire",
    ),
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.code: q for q in (MCO48H, CA, SMR)}
