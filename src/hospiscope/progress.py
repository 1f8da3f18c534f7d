"""A minimal progress protocol so that lower layers can report progress without depending on
the terminal (the CLI implements it with rich progress bars)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, description: str, total: float | None = None) -> None: ...

    def advance(self, amount: float = 1) -> None: ...


class NoProgress:
    """Progress that goes nowhere (library use, tests)."""

    def start(self, description: str, total: float | None = None) -> None:
        pass

    def advance(self, amount: float = 1) -> None:
        pass
