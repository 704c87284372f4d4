"""Rank variants of a layer family (``Conv1D``/``Conv2D``/``Conv3D``, ``MaxPool1d``/``2d``/``3d``): one subclass
per rank, made rather than written out, for both frameworks."""

from __future__ import annotations


def variant(base: type, name: str, doc: str, module: str, **attributes) -> type:
    """A subclass of ``base`` named ``name`` (its ``__qualname__`` too) in ``module``, with the docstring ``doc``
    and the class ``attributes`` (``_rank=2``)."""
    namespace = {"__module__": module, "__qualname__": name, "__doc__": doc, **attributes}
    return type(base)(name, (base,), namespace)
