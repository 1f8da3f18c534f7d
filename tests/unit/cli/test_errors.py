"""The command line's error path without a process (cli.errors, cli.filters)."""

import pytest

from hospiscope.cli import errors, filters


def test_interrupts_are_recognised():
    assert errors.is_interrupt(KeyboardInterrupt())
    assert errors.is_interrupt(RuntimeError("Query interrupted"))
    assert not errors.is_interrupt(RuntimeError("autre chose"))


def test_interruption_says_what_was_kept():
    errors.keep_on_interrupt(None)
    assert errors.interruption_message() == "interrompu : rien n'a été écrit."
    errors.keep_on_interrupt("fichier(s) importé(s) et gardé(s) : a.csv")
    assert "a.csv" in errors.interruption_message()
    errors.keep_on_interrupt(None)


def test_unexpected_error_is_one_french_line(capsys):
    assert errors.failure(ValueError("boum")) == errors.EXIT_UNEXPECTED
    assert "relancez avec --debug pour le détail" in capsys.readouterr().err


def test_levels_regions_and_indicators():
    assert filters.level(None, "Région") == "region"
    assert filters.level(None, "taille") == "strate:taille"
    with pytest.raises(filters.FilterError, match="le plus proche : region"):
        filters.level(None, "regio")
    assert filters.region("1") == "01" and filters.region("ile-de-france") == "11"
    assert filters.indicator("esatis48h_score") == "ESATIS48H_SCORE"


def test_demo_seed_of_the_command_is_the_generator_s():
    from hospiscope.cli.app import DEFAULT_SEED
    from hospiscope.demo.files import DEFAULT_SEED as GENERATOR_SEED

    assert DEFAULT_SEED == GENERATOR_SEED


def test_unwritable_place_is_a_sentence(capsys):
    error = PermissionError(13, "Permission denied", "/lecture-seule/bilan.html")
    assert errors.report_known(error) == errors.EXIT_INVALID
    assert "« /lecture-seule/bilan.html » : permission refusée" in " ".join(
        capsys.readouterr().err.split()
    )
