"""Whether an account's scope names entities that exist: FINESS numbers that the registry
knows (as an ET, or as an EJ for all its ETs) and GHT codes of the imported composition.
accounts.py checks the form of a scope (and region codes against the reference geography);
this checks it against the warehouse's perimeter, which the command line reads from the
warehouse file and the web server has in memory (its store's `perimeter`)."""

from __future__ import annotations

from hospiscope.access.accounts import AccountError
from hospiscope.access.perimeter import Perimeter

CHECKED_ROLES = ("etablissement", "ght")  # an ARS region is checked by accounts.check_scope


def check_scope_known(
    role: str, scope: tuple[str, ...], perimeter: Perimeter, source: str = ""
) -> None:
    """Refuse, naming them, the FINESS numbers or GHT codes of `scope` (already checked by
    accounts.check_scope) that `perimeter` does not know. `source`: the warehouse's path, said
    in the message (the command line may be pointed at several)."""
    if role not in CHECKED_ROLES or not scope:
        return
    where = f" {source}" if source else ""
    if role == "etablissement":
        unknown = [n for n in scope if n not in perimeter.et_ej and n not in perimeter.ej_ets]
        if unknown:
            raise AccountError(
                f"FINESS inconnu(s) du registre de l'entrepôt{where} : {', '.join(unknown)} (ni "
                "établissement ET ni entité juridique EJ) ; vérifiez le numéro ou importez le "
                "registre (`hospiscope import registry`)"
            )
        return
    if not perimeter.ght_names:
        raise AccountError(
            f"l'entrepôt{where} ne contient pas la composition des GHT : importez-la "
            f"(`hospiscope import ght`) avant de donner un périmètre de GHT (reçu : "
            f"{', '.join(scope)})"
        )
    if unknown := [code for code in scope if code not in perimeter.ght_names]:
        raise AccountError(f"GHT inconnu(s) de l'entrepôt{where} : {', '.join(unknown)}")
