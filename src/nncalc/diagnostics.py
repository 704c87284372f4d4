"""Recoverable shape errors: raised at once normally, collected by ``nncalc check`` so it can report them all.

A layer rule that finds a mismatch it knows how to fix (``nn.Linear(3200, 128)`` receiving 3136 features)
calls :func:`recoverable` with the error instead of raising it. Outside a check that raises, as before. Inside
:func:`collecting` the error is recorded and the rule goes on as if the fix were applied (the layer's output
shape is still known), so the errors further down the model are found in the same run. A mismatch with no
sensible continuation (a reshape that does not divide) is raised as usual: the check records it and stops
that model only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from nncalc.errors import Location, ShapeError
from nncalc.location import current_location
from nncalc.records import dataclass, field


@dataclass
class Recorded:
    """One recovered error, where it happened and which layer (the innermost :func:`within` prefix)."""

    error: ShapeError
    location: Location | None
    prefix: str | None = None


@dataclass
class _Collector:
    recorded: list[Recorded] = field(default_factory=list)
    prefixes: list[Callable[[], str]] = field(default_factory=list)


_collector: ContextVar[_Collector | None] = ContextVar("nncalc_collector", default=None)
"""Per thread (the web page analyses in several), so one check never collects another analysis's errors."""


def recoverable(error: ShapeError) -> None:
    """Raise ``error``, unless a check is collecting: then record it and return, for the caller to continue
    as if the fix were applied."""
    collector = _collector.get()
    if collector is None:
        raise error
    prefix = collector.prefixes[-1]() if collector.prefixes else None
    collector.recorded.append(Recorded(error, current_location(), prefix))


@contextmanager
def collecting() -> Iterator[list[Recorded]]:
    """Record recoverable errors instead of raising them, in the yielded list, until the block ends."""
    collector = _Collector()
    token = _collector.set(collector)
    try:
        yield collector.recorded
    finally:
        _collector.reset(token)


@contextmanager
def strict() -> Iterator[None]:
    """Raise every error in this block, even inside :func:`collecting` (input inference tries sizes that fail)."""
    token = _collector.set(None)
    try:
        yield
    finally:
        _collector.reset(token)


@contextmanager
def within(describe: Callable[[], str]) -> Iterator[None]:
    """Errors recorded in this block are told from the point of view of ``describe()`` (a layer as written)."""
    collector = _collector.get()
    if collector is None:
        yield
        return
    collector.prefixes.append(describe)
    try:
        yield
    finally:
        collector.prefixes.pop()
