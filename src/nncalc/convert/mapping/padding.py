"""Padding arithmetic shared by convolutions and pooling: Keras's ``"same"``/``"valid"`` against torch's
symmetric integer padding."""

from __future__ import annotations


def same_pads(sizes, kernel, stride, dilation) -> list[tuple[int, int]]:
    """Keras/TensorFlow ``padding="same"``: per axis (before, after), the odd pixel after (bottom/right)."""
    pads = []
    for size, k, s, d in zip(sizes, kernel, stride, dilation):
        out = -(-size // s)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def torch_padding_as_keras(padding, kernel, stride, dilation) -> str | None:
    """``"valid"`` or ``"same"`` when torch's integer padding gives exactly Keras's; None when it needs an
    explicit ``ZeroPadding`` layer."""
    if padding == "same":
        return "same"
    if padding == "valid" or all(p == 0 for p in padding):
        return "valid"
    if all(s == 1 and (k - 1) * d == 2 * p for p, k, s, d in zip(padding, kernel, stride, dilation)):
        return "same"
    return None

