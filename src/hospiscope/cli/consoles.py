"""The two consoles of the command line: results on stdout, messages on stderr. Their own
module so that the error path (cli.errors) and the commands' helpers (cli.common) both use
them without importing each other."""

from rich.console import Console

out = Console()
err = Console(stderr=True)
