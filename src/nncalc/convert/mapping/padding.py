"""Padding arithmetic shared by convolutions and pooling: Keras's ``"same"``/``"valid"`` against torch's
symmetric integer padding."""

from __future__ import annotations


def same_pads(sizes, kernel, stride, dilation) -> list[tuple[int, int]]:
    """Keras/TensorFlow ``padding="same"``: per axis (before, after), the odd pixel after (bottom/right).
    An axis of unknown length (None) pads ``(k - 1) × d`` with stride 1; with a larger stride the padding
    depends on the length, which is :class:`Unconvertible`."""
    from nncalc.convert.mapping import Unconvertible

    pads = []
    for size, k, s, d in zip(sizes, kernel, stride, dilation):
        if size is None and s != 1:
            raise Unconvertible(f"padding='same' with stride {s} over an axis of unknown length: the padding "
                                "depends on the length; give the input a fixed length")
        out = -(-size // s) if size is not None else None
        total = (k - 1) * d if size is None else max((out - 1) * s + (k - 1) * d + 1 - size, 0)
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

