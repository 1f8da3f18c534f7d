"""What an import leaves on the terminal: its outcome line, durations with a French decimal
comma, and no progress line once it is done."""

import io
import re

from rich.console import Console

from hospiscope.cli.progress import RichProgress

from support import FIXTURES, hospiscope


def test_outcomes_and_durations_in_french(tmp_path):
    path = tmp_path / "w.duckdb"
    registry = FIXTURES / "finess" / "etalab-extrait.csv"
    done = hospiscope("import", "registry", registry, "--warehouse", path)
    assert re.search(r" en \d+,\d s\.", done.stdout)
    assert "Importation de" not in done.stderr  # the progress line does not stay
    computed = hospiscope("compute", "-i", "REG_ETAB", "--warehouse", path)
    assert re.search(r"REG_ETAB : [\d\u202f]+ résultat\(s\) en \d+,\d\d s", computed.stdout)


def test_transient_progress_is_erased_from_a_terminal():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with RichProgress(console, transient=True) as progress:
        progress.start("Importation de x.csv")
    # Rich erases its last drawing: cursor up and erase line, and nothing drawn after it.
    assert screen.getvalue().endswith("\x1b[2K")


def test_transient_progress_draws_nothing_in_a_log():
    log = io.StringIO()
    with RichProgress(Console(file=log, width=80), transient=True) as progress:
        progress.start("Importation de x.csv")
    assert log.getvalue() == ""
