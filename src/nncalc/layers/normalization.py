"""Normalisation layers. Batch norm learns a scale (γ) and shift (β) per channel and keeps a running mean
and variance: Keras counts those two as non-trainable parameters, PyTorch as buffers (not parameters)."""

from __future__ import annotations

from nncalc.layers.base import Term


def batch_norm_terms(channels: int, scale: bool = True, center: bool = True, name: str = "C") -> list[Term]:
    """``gamma (C)``, ``beta (C)`` when learned, then the statistics ``moving_mean (C)``, ``moving_variance (C)``."""
    dims = ((name, channels),)
    terms = []
    if scale:
        terms.append(Term("gamma", dims))
    if center:
        terms.append(Term("beta", dims))
    terms.append(Term("moving_mean", dims, statistic=True))
    terms.append(Term("moving_variance", dims, statistic=True))
    return terms
