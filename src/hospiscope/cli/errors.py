"""One error path for the whole command line: every failure ends with a French sentence and
a documented exit code, never a traceback (unless `--debug`).

Exit codes:
  0   success
  1   invalid input, nothing written: a usage error (unknown command or option, missing or
      bad value), a filter that matches nothing known, an invalid file, a file or folder that
      cannot be written
  2   warehouse problem (missing, locked, of a newer version)
  3   refused method change
  4   engine unavailable
  5   unexpected error (a bug: `--debug` shows the traceback)
  130 interrupted (Ctrl-C): the sentence says what was kept
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from typing import Any

EXIT_OK, EXIT_INVALID, EXIT_WAREHOUSE, EXIT_METHOD, EXIT_ENGINE = 0, 1, 2, 3, 4
EXIT_UNEXPECTED, EXIT_INTERRUPTED = 5, 130
DEBUG_OPTION = "--debug"
NOTHING_WRITTEN = "rien n'a été écrit"

_kept: str | None = None  # what the running command has already committed


class CliError(Exception):
    """A failure the command line explains itself (message in French, for users)."""

    exit_code = EXIT_INVALID


def keep_on_interrupt(what: str | None) -> None:
    """Say what an interruption would leave written (None: nothing), e.g. the files already
    imported by a multi-file command."""
    global _kept
    _kept = what


def interruption_message() -> str:
    if _kept:
        return f"interrompu : {_kept} ; rien d'autre n'a été écrit."
    return f"interrompu : {NOTHING_WRITTEN}."


def run(app: Any, argv: list[str] | None = None) -> int:
    """Run the Typer `app` on `argv`; the exit code of the command or of its failure."""
    global _kept
    _kept = None
    args = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_OPTION in _options(args)
    args = [a for a in args if a != DEBUG_OPTION]
    from hospiscope.cli import usage

    if {"--help", "-h"} & set(_options(args)):
        usage.french_help()
    from typer.main import get_command

    command = get_command(app)
    usage.french_command_tree(command)
    try:
        code = command.main(args, prog_name="hospiscope", standalone_mode=False)
    except BaseException as error:  # every failure gets its sentence here
        return failure(error, debug)
    if code == EXIT_INTERRUPTED:  # Typer turns KeyboardInterrupt into this code
        _stderr(interruption_message())
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK


def _options(args: list[str]) -> list[str]:
    """The arguments before `--` (after it, every argument is a value)."""
    return args[: args.index("--")] if "--" in args else args


def failure(error: BaseException, debug: bool = False) -> int:
    """Print the French sentence for `error`; its exit code."""
    from typer import Exit

    if isinstance(error, Exit):
        return error.exit_code
    if _reader_stopped(error):
        # The reader stopped reading (`hospiscope results --json | head`): not a failure.
        # Rich turns the BrokenPipeError into SystemExit(1) after silencing stdout.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else EXIT_INVALID
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    if is_interrupt(error):
        _stderr(interruption_message())
        return EXIT_INTERRUPTED
    code = report_known(error)
    if code is not None:
        return code
    _stderr(
        f"Erreur inattendue ({type(error).__name__} : {error}) ; relancez avec --debug "
        "pour le détail."
    )
    return EXIT_UNEXPECTED


def _reader_stopped(error: BaseException) -> bool:
    """A broken pipe on standard output, raw or as rich reports it (SystemExit from it)."""
    return any(isinstance(cause, BrokenPipeError) for cause in _chain(error))


def is_interrupt(error: BaseException) -> bool:
    """Ctrl-C, as Python raises it or as DuckDB reports an interrupted query."""
    for cause in _chain(error):
        if isinstance(cause, KeyboardInterrupt):
            return True
        if type(cause).__module__.startswith("duckdb") and "Interrupt" in type(cause).__name__:
            return True
        if isinstance(cause, RuntimeError) and "Query interrupted" in str(cause):
            return True
        if type(cause).__name__ == "Abort" and type(cause).__module__.startswith("typer"):
            return True  # end of input at a prompt
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def report_known(error: BaseException) -> int | None:
    """Print the sentence of a failure the command line knows; its exit code, or None."""
    if (click_exit := _click_failure(error)) is not None:
        return click_exit
    for module, name, prefix, code in _KNOWN:
        kind = _loaded_class(module, name)
        if kind is not None and isinstance(error, kind):
            if name == "InvalidFile":
                return _invalid_file(error)
            _stderr(f"{prefix} : {error}")
            return code
    if isinstance(error, CliError):
        _stderr(f"Erreur : {error}")
        return error.exit_code
    if isinstance(error, OSError) and error.filename is not None:
        _stderr(f"Erreur : {os_error_sentence(error)}")
        return EXIT_INVALID
    return None


# (module, class, prefix, exit code): matched only when the module is already loaded (an
# exception of a module never imported cannot have been raised), so that this costs nothing.
_KNOWN = (
    ("hospiscope.sources.issues", "InvalidFile", "", EXIT_INVALID),
    ("hospiscope.peers.lists", "PeerListError", "Erreur", EXIT_INVALID),
    ("hospiscope.catalogue.registry", "UnknownIndicator", "Erreur", EXIT_INVALID),
    ("hospiscope.results.selection", "UnknownSource", "Erreur", EXIT_INVALID),
    ("hospiscope.warehouse.warehouse", "WarehouseError", "Entrepôt", EXIT_WAREHOUSE),
    ("hospiscope.web.store", "StoreUnavailable", "Entrepôt", EXIT_WAREHOUSE),
    ("hospiscope.access.database", "AccessDatabaseError", "Base d'accès", EXIT_WAREHOUSE),
    ("hospiscope.access.accounts", "AccountError", "Erreur", EXIT_INVALID),
    ("hospiscope.access.review", "ReviewRefused", "Refusé", EXIT_INVALID),
    ("hospiscope.access.passwords", "PasswordRefused", "Mot de passe refusé", EXIT_INVALID),
    ("hospiscope.results.store", "SilentMethodChange", "Calcul refusé", EXIT_METHOD),
    ("hospiscope.engines.base", "EngineUnavailable", "Moteur indisponible", EXIT_ENGINE),
)


def _loaded_class(module: str, name: str) -> type | None:
    loaded = sys.modules.get(module)
    return getattr(loaded, name, None) if loaded is not None else None


def _invalid_file(error: Any) -> int:
    from hospiscope.cli.consoles import err
    from hospiscope.cli.render import show_issues

    _stderr(f"Import refusé : {len(error.issues)} erreur(s). L'entrepôt n'a pas été modifié.")
    show_issues(err, error.issues)
    return EXIT_INVALID


def _click_failure(error: BaseException) -> int | None:
    """Usage errors (and the help page asked for by a missing command)."""
    click = sys.modules.get("typer._click.exceptions")
    if click is None or not isinstance(error, click.ClickException):
        return None
    from hospiscope.cli import usage

    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.NoArgsIsHelpError):
        usage.french_help()
        sys.stdout.write(ctx.get_help() + "\n")
        return EXIT_INVALID
    if isinstance(error, click.UsageError):
        _stderr(f"Erreur : {usage.usage_error_message(error)}.")
        if ctx is not None:
            _stderr(usage.usage_line(ctx), style=None)
            _stderr(f"Aide : {ctx.command_path} --help", style=None)
        return EXIT_INVALID
    _stderr(f"Erreur : {error.format_message()}")
    return EXIT_INVALID


_OS_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "introuvable",
    errno.EEXIST: "existe déjà",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
}


def os_error_sentence(error: OSError) -> str:
    """« /path » : permission refusée — for a file or folder that cannot be used."""
    reason = _OS_REASONS.get(error.errno, error.strerror or str(error))
    return f"impossible d'utiliser « {error.filename} » : {reason}"


def _stderr(text: str, style: str | None = "red") -> None:
    from rich.markup import escape

    from hospiscope.cli.consoles import err

    err.print(f"[{style}]{escape(text)}[/]" if style else escape(text), highlight=False)
