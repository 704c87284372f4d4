"""Multiply-accumulates of the tensor operations a live forward runs, charged to the module call in progress.

A module nncalc has a rule for (``nn.Conv2d``, ``nn.Linear``…) gets its MACs from the rule; everything else —
a ``torch.matmul`` in a user's ``forward``, an ``nn.MultiheadAttention`` nncalc has no rule for — is counted
here, from the ATen operations the forward dispatches: matrix products, convolutions and fused attention.
Bias additions are not counted (nncalc's convention), so ``addmm`` counts as ``mm``.
"""

from __future__ import annotations

from math import prod


def _shape(tensor) -> tuple[int, ...]:
    return tuple(int(s) for s in tensor.shape)


def _mm(args) -> int:
    (n, k), (_, m) = _shape(args[0]), _shape(args[1])
    return n * k * m


def _addmm(args) -> int:
    return _mm(args[1:])


def _bmm(args) -> int:
    (b, n, k), (_, _, m) = _shape(args[0]), _shape(args[1])
    return b * n * k * m


def _baddbmm(args) -> int:
    return _bmm(args[1:])


def _mv(args) -> int:
    return prod(_shape(args[0]))


def _dot(args) -> int:
    return prod(_shape(args[0]))


def _convolution(args, output) -> int:
    """Plain: output positions × C_out × C_in/groups × kernel; transposed: input positions × C_in × C_out/groups ×
    kernel. Both are ``numel × prod(weight.shape[1:])`` of the tensor on the weight's first-axis side."""
    transposed = bool(args[6]) if len(args) > 6 else False
    side = args[0] if transposed else output
    return prod(_shape(side)) * prod(_shape(args[1])[1:])


def _attention(args) -> int:
    """``softmax(Q Kᵀ) V``: L × S × E for the scores plus L × S × E_v for the weighted sum, per batch and head."""
    q, k, v = _shape(args[0]), _shape(args[1]), _shape(args[2])
    batch = prod(q[:-2])
    length, source, e, e_v = q[-2], k[-2], q[-1], v[-1]
    return batch * length * source * (e + e_v)


_COUNTERS = {
    "mm": _mm,
    "addmm": _addmm,
    "bmm": _bmm,
    "baddbmm": _baddbmm,
    "mv": _mv,
    "dot": _dot,
    "vdot": _dot,
    "convolution": _convolution,
    "_scaled_dot_product_flash_attention": _attention,
    "_scaled_dot_product_flash_attention_for_cpu": _attention,
    "_scaled_dot_product_efficient_attention": _attention,
    "_scaled_dot_product_cudnn_attention": _attention,
    "_scaled_dot_product_fused_attention_overrideable": _attention,
}


def op_macs(func, args, output) -> int:
    """MACs of one ATen call (0 for operations that are not matrix products, convolutions or attention)."""
    name = func._schema.name.split("::", 1)[-1]
    counter = _COUNTERS.get(name)
    if counter is None:
        return 0
    try:
        return int(counter(args, output) if counter is _convolution else counter(args))
    except Exception:  # an unusual overload: count nothing rather than fail the summary
        return 0


def counting_mode(charge):
    """A ``TorchDispatchMode`` that calls ``charge(macs)`` for every counted operation."""
    from torch.utils._python_dispatch import TorchDispatchMode

    class _Counting(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            output = func(*args, **(kwargs or {}))
            macs = op_macs(func, args, output)
            if macs:
                charge(macs)
            return output

    return _Counting()
