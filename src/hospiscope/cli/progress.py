"""Rich progress bars implementing the project's Progress protocol."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """One line per step; the current step advances. `transient`: the lines are erased when
    the work ends (an import, whose outcome line then says what was done)."""

    def __init__(self, console: Console, *, transient: bool = False):
        self._bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=transient,
            # Not a terminal (a log): nothing to erase afterwards, so nothing drawn.
            disable=transient and not console.is_terminal,
        )
        self._task = None

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self._finish_current()
        self._bars.stop()

    def start(self, description: str, total: float | None = None) -> None:
        self._finish_current()
        self._task = self._bars.add_task(description, total=total)

    def advance(self, amount: float = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)

    def _finish_current(self) -> None:
        if self._task is not None:
            task = self._bars.tasks[self._task]
            if task.total is not None:
                self._bars.update(self._task, completed=task.total)
