"""Deformable convolution, torchvision's ``deform_conv2d`` (``torchvision.ops.DeformConv2d`` calls it): a 2-D
convolution whose kernel taps sample the input at learned offsets, with bilinear interpolation, and (v2) scale
each sample by a learned mask.

Output: the plain convolution's ``(N, C_out, H_out, W_out)``; the offsets ``(N, 2 · G_off · k_h · k_w, H_out,
W_out)`` and the mask ``(N, G_off · k_h · k_w, H_out, W_out)`` are laid on the output's positions. The op holds
no weights (the module calling it does: ``DeformConv2d``'s ``nn.Conv2d``-shaped weight and bias).
MACs per call: the convolution's, plus the sampling, which no published convention counts: 4 multiply–adds
per sampled value (the bilinear interpolation of 4 neighbours), one more with a mask, for every output
position, input channel and kernel tap.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.layers.base import positions
from nncalc.layers.conv import ConvSpec, conv_macs, conv_output
from nncalc.layers.rule import Function, Operand, Rule, register
from nncalc.records import dataclass


@dataclass(frozen=True)
class DeformConvSpec:
    """A deformable convolution: the convolution, its offset groups and whether a mask scales the samples."""

    conv: ConvSpec
    offset_groups: int
    mask: bool


def deform_conv_output(spec: DeformConvSpec, shape: tuple) -> tuple:
    """``(N, C_out, H_out, W_out)`` for an input of ``shape`` ``(N, C_in, H, W)``."""
    spatial, _ = conv_output(spec.conv, tuple(shape[2:]))
    return (shape[0], spec.conv.filters, *spatial)


def deform_conv_macs(spec: DeformConvSpec, shape: tuple) -> int:
    out = deform_conv_output(spec, shape)
    sampled = positions((out[0], *out[2:])) * spec.conv.in_channels * spec.conv.kernel[0] * spec.conv.kernel[1]
    return conv_macs(spec.conv, out[0], tuple(out[2:])) + sampled * (4 + spec.mask)


def bind_torchvision(input, weight, offset, mask, bias, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w,
                     n_weight_grps, n_offset_grps, use_mask):
    """``torch.ops.torchvision.deform_conv2d``'s arguments (``torchvision.ops.deform_conv2d`` passes them), checked
    as torchvision's kernel checks them, in its words."""
    tensors = {"input": input, "weight": weight, "offset": offset, "bias": bias} | ({"mask": mask} if use_mask else {})
    for name, value in tensors.items():
        if not isinstance(value, Operand):
            raise ShapeError(f"deform_conv2d: {name} must be a tensor, got {type(value).__name__}")
    for name in ("input", "weight", "offset") + (("mask",) if use_mask else ()):
        if len(tensors[name].shape) != 4:
            raise ShapeError(f"deform_conv2d: {name} must be 4-D, got shape {list(tensors[name].shape)}")
    n, channels, height, width = input.shape
    filters, per_group, k_h, k_w = weight.shape
    if per_group * n_weight_grps != channels or filters % n_weight_grps:
        raise ShapeError(f"deform_conv2d: weight {list(weight.shape)} with {n_weight_grps} weight group(s) does not "
                         f"fit an input of {channels} channels (weight.size(1) × groups must be the input's channels)")
    taps = n_offset_grps * k_h * k_w
    if offset.shape[1] != 2 * taps:
        raise ShapeError(f"offset.shape[1] is not valid: got: {offset.shape[1]} expected: {2 * taps}")
    if use_mask and mask.shape[1] != taps:
        raise ShapeError(f"mask.shape[1] is not valid: got: {mask.shape[1]} expected: {taps}")
    if offset.shape[0] != n or (use_mask and mask.shape[0] != n):
        raise ShapeError(f"invalid batch size of {'offset' if offset.shape[0] != n else 'mask'}")
    conv = ConvSpec(2, channels, filters, (k_h, k_w), (stride_h, stride_w), ((pad_h, pad_h), (pad_w, pad_w)),
                    (dil_h, dil_w), groups=n_weight_grps, bias=True)
    out_h, out_w = (((size + 2 * pad - dil * (k - 1) - 1) // stride + 1)
                    for size, pad, dil, k, stride in ((height, pad_h, dil_h, k_h, stride_h), (width, pad_w, dil_w, k_w, stride_w)))
    for name, value in (("offset", offset), ("mask", mask if use_mask else None)):
        if value is not None and tuple(value.shape[2:]) != (out_h, out_w):
            raise ShapeError(f"{name} output dims: ({value.shape[2]}, {value.shape[3]}) - computed output dims: "
                             f"({out_h}, {out_w})")
    if out_h <= 0 or out_w <= 0:
        raise ShapeError(f"Calculated output size too small - out_h: {out_h} out_w: {out_w}")
    if len(bias.shape) != 1 or bias.shape[0] != filters:
        raise ShapeError(f"deform_conv2d: bias of shape {list(bias.shape)} for {filters} output channels")
    return DeformConvSpec(conv, n_offset_grps, bool(use_mask)), tuple(input.shape)


DEFORM_CONV2D = register(Rule(
    "deform_conv2d", lambda spec: [], deform_conv_output, deform_conv_macs,
    functions=(Function("torch.ops.torchvision.deform_conv2d", bind_torchvision),),
))
"""torchvision's ``deform_conv2d`` (``torch.ops.torchvision.deform_conv2d``)."""
