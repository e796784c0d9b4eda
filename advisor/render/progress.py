"""The progress bar of a long batch (``advisor evaluate``) on standard error, drawn without a thread.

Worker processes are forked while the bar is up (``advisor.evaluate.workers``), once per stage.
Forking a process that runs other threads may deadlock the child (a thread may hold a lock the
child then never sees released) and Python 3.12 warns about it (``DeprecationWarning: This process
is multi-threaded, use of fork() may lead to deadlocks in the child``). So the bar runs no thread:
neither a timer to appear late nor rich's refresh thread. It is drawn when a stage reports how far
it has got, which the batch does after every chunk (``advisor.evaluate.run``: small chunks).
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

REFRESHES = 10  # at most so many times a second


class LazyProgress:
    """A progress bar on a console that appears once a run has lasted ``delay`` seconds.

    Call it as ``progress(stage, done, total)``; call ``close()`` when the run ends.
    """

    def __init__(self, console: Console, *, delay: float = 0.5):
        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            auto_refresh=False,  # no refresh thread: see the module's docstring
        )
        self._tasks: dict[str, TaskID] = {}
        self._started = time.monotonic()
        self._delay = delay
        self._shown = self._closed = False
        self._drawn = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Record how far a stage has got; show the bar once the delay is over, and redraw it."""
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total)
        now = time.monotonic()
        if self._closed or now - self._started < self._delay:
            return
        if not self._shown:
            self._shown = True
            self._bar.start()
        elif now - self._drawn >= 1 / REFRESHES or done >= total:
            self._bar.refresh()
        self._drawn = now

    def close(self) -> None:
        """Remove the bar if it was shown; it is not shown again."""
        if self._shown and not self._closed:
            self._bar.stop()
        self._closed = True

    def __enter__(self) -> LazyProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
