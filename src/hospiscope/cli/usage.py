"""The command line's own words in French: usage errors (missing option, bad value, unknown
command or option) and the help pages' headings.

Typer (and the Click it vendors) writes these in English and formats them as panels. Errors
are caught by `cli.errors.run` and rewritten here from the exception's fields (which option,
which value, which type), never by translating English sentences, except for the few that
carry no field (unknown command, extra arguments). The help pages keep Typer's layout; their
fixed strings are replaced once per process by `french_help()`, which is called only when a
help page or a usage line is about to be shown (importing the help renderer costs ~0.1 s).
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Any

HELP_OPTION_TEXT = "Afficher cette aide et quitter."
_TYPE_LABELS = {
    "int": "entier",
    "int range": "entier",
    "float": "nombre",
    "float range": "nombre",
    "str": "texte",
    "path": "chemin",
}
_VALUE_REASONS = {
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_parsing": "un nombre est attendu (avec un point décimal : 0.5)",
    "bool_parsing": "oui ou non attendu (true / false)",
    "missing": "valeur manquante",
}
_PATH_REASONS = (
    (re.compile(r" does not exist\.$"), "n'existe pas"),
    (re.compile(r" is a file\.$"), "est un fichier (un dossier est attendu)"),
    (re.compile(r" is a directory\.$"), "est un dossier (un fichier est attendu)"),
    (re.compile(r" is not readable\.$"), "n'est pas lisible"),
    (re.compile(r" is not writable\.$"), "n'est pas accessible en écriture"),
)
_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>.*?)'")
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$")
_installed = False


def usage_error_message(error: Any) -> str:
    """The French sentence for a Click usage error (UsageError and its subclasses)."""
    kind = type(error).__name__
    if kind == "NoSuchOption":
        return _no_such_option(error)
    if kind == "MissingParameter":
        return _missing(error)
    if kind == "BadParameter":
        return f"valeur invalide pour {_param_names(error.param)} : {_value_reason(error)}"
    if kind == "BadOptionUsage":
        if "does not take a value" in error.message:
            return f"l'option {error.option_name} ne prend pas de valeur"
        return f"l'option {error.option_name} attend une valeur"
    message = str(error.message)
    if match := _NO_SUCH_COMMAND.match(message):
        return _unknown_command(match["name"], error.ctx)
    if message.startswith("Missing command"):
        return "commande manquante : " + _commands_sentence(error.ctx)
    if match := _EXTRA_ARGUMENTS.match(message):
        return f"argument(s) en trop : {match['args']}"
    return message


def usage_line(ctx: Any) -> str:
    """The usage line of the command of `ctx` ("Usage : hospiscope bilan [OPTIONS]")."""
    french_help()
    return ctx.get_usage()


def _no_such_option(error: Any) -> str:
    text = f"option inconnue : {error.option_name}"
    if error.possibilities:
        text += f" (vouliez-vous dire {' ou '.join(sorted(error.possibilities))} ?)"
    return text


def _missing(error: Any) -> str:
    param = error.param
    if param is None:
        return "paramètre manquant"
    if getattr(param, "param_type_name", "") == "argument":
        return f"argument manquant : {_param_names(param)}"
    return f"option obligatoire manquante : {_param_names(param)}"


def _param_names(param: Any) -> str:
    """--campaign (ou --campagne); an argument by its metavar (FICHIER…)."""
    if param is None:
        return "un paramètre"
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or param.name.upper()
    names = [*param.opts, *param.secondary_opts]
    longs = [n for n in names if n.startswith("--")] or names
    return longs[0] + (f" (ou {', '.join(longs[1:])})" if len(longs) > 1 else "")


def _value_reason(error: Any) -> str:
    """Why a value was refused, from Pydantic's error (its type and the value given)."""
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        first = errors()[0]
        reason = _VALUE_REASONS.get(first.get("type"), "valeur non reconnue")
        return f"« {first.get('input')} » : {reason}"
    for pattern, reason in _PATH_REASONS:
        if pattern.search(error.message):
            return f"{pattern.sub('', error.message).split(' ', 1)[-1]} {reason}"
    return error.message


def _unknown_command(name: str, ctx: Any) -> str:
    commands = _command_names(ctx)
    close = get_close_matches(name, commands, n=3, cutoff=0.5)
    hint = f" ; vouliez-vous dire {' ou '.join(close)} ?" if close else ""
    return f"commande inconnue : « {name} »{hint} ({_commands_sentence(ctx)})"


def _commands_sentence(ctx: Any) -> str:
    return "commandes : " + ", ".join(_command_names(ctx))


def _command_names(ctx: Any) -> list[str]:
    if ctx is None or not hasattr(ctx.command, "list_commands"):
        return []
    return list(ctx.command.list_commands(ctx))


def french_command_tree(command: Any) -> None:
    """French metavars in the usage lines of `command` and of its subcommands."""
    if hasattr(command, "commands"):
        command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for child in command.commands.values():
            french_command_tree(child)


def french_help() -> None:
    """Replace Typer's fixed English help strings by French ones (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    from typer import core, rich_utils
    from typer._click import decorators, formatting

    rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
    rich_utils.OPTIONS_PANEL_TITLE = "Options"
    rich_utils.DEFAULT_STRING = "[défaut : {}]"
    rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
    rich_utils.ENVVAR_STRING = "[variable d'environnement : {}]"
    rich_utils.DEPRECATED_STRING = "(obsolète) "
    _patch_usage_prefix(formatting.HelpFormatter)
    _patch_help_option(decorators)
    _patch_type_labels(core._TyperParameter)


def _patch_usage_prefix(formatter_class: Any) -> None:
    original = formatter_class.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, "Usage : " if prefix is None else prefix)

    formatter_class.write_usage = write_usage


def _patch_help_option(decorators: Any) -> None:
    original = decorators.help_option

    def help_option(param_decls):
        add = original(param_decls)

        def decorator(command):
            command = add(command)
            command.params[-1].help = HELP_OPTION_TEXT
            return command

        return decorator

    decorators.help_option = help_option


def _patch_type_labels(parameter_class: Any) -> None:
    original = parameter_class.display_type

    def display_type(self, ctx):
        label = original(self, ctx)
        if label == "<bool>":
            return None  # a flag: its name says it all
        return french_type(label)

    parameter_class.display_type = display_type


def french_type(label: str | None) -> str | None:
    """Typer's type label in French: "<int>" → "<entier>", "<list[Path]>" → "<chemin…>";
    other labels as they are."""
    if not label or not (label.startswith("<") and label.endswith(">")):
        return label
    inner = label[1:-1]
    many = inner.startswith("list[") and inner.endswith("]")
    inner = inner[5:-1] if many else inner
    word = _TYPE_LABELS.get(inner.lower(), inner)
    return f"<{word}…>" if many else f"<{word}>"
