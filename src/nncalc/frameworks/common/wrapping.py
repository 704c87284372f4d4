"""A wrapper function named like the function it wraps."""

from __future__ import annotations


def named_like(wrapper, wrapped):
    """``wrapper`` with ``wrapped``'s names, docstring and ``__wrapped__``, as ``functools.wraps`` gives them, set
    directly: ``functools.wraps`` costs ten times as much, and the frameworks wrap hundreds of ops at every
    start."""
    try:
        wrapper.__name__, wrapper.__qualname__ = wrapped.__name__, wrapped.__qualname__
    except AttributeError:  # a callable object (an activation), not a function: the names it has
        import functools

        return functools.update_wrapper(wrapper, wrapped)
    wrapper.__doc__, wrapper.__module__, wrapper.__wrapped__ = wrapped.__doc__, wrapped.__module__, wrapped
    return wrapper
