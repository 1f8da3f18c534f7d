"""`hospiscope serve`: the public portal and its open-data API on a warehouse, read-only."""

from __future__ import annotations

import contextlib
import errno
import logging
from pathlib import Path
from typing import Annotated

import typer

from hospiscope.cli.common import out
from hospiscope.cli.errors import CliError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

HostOption = Annotated[
    str, typer.Option("--host", help="Adresse d'écoute (0.0.0.0 : toutes les interfaces).")
]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port d'écoute.")]


def serve_portal(path: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until Ctrl-C (then stop cleanly: exit code 0)."""
    import socket

    import uvicorn

    from hospiscope.web.app import create_app

    app = create_app(path, prepare=True)
    try:  # said in French before uvicorn starts (its own message is in English)
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CliError(
                f"le port {port} est déjà utilisé ; choisissez-en un autre avec --port"
            ) from None
        raise CliError(f"écoute impossible sur {host}:{port} : {error.strerror}") from None
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started:  # listening: the address can be given
                out.print(f"Portail hospiscope : http://{shown}:{port}/  (entrepôt {path})")
                out.print("API ouverte : schéma OpenAPI sur /openapi.json. Ctrl-C pour arrêter.")

    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    # uvicorn re-raises the Ctrl-C it handled: here that is the normal way to stop.
    with contextlib.suppress(KeyboardInterrupt):
        Server(config).run()
    out.print("Portail arrêté.")
