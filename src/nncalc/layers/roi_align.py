"""RoI Align, torchvision's ``roi_align`` (``torchvision.ops.RoIAlign`` and ``MultiScaleRoIAlign`` call it): each
region of interest ``(batch index, x1, y1, x2, y2)`` of the feature map, pooled to a fixed grid of bins.

Output: ``(K, C, pooled_h, pooled_w)`` for ``K`` regions of an ``(N, C, H, W)`` input; no weights.
MACs per call: 4 multiply–adds (a bilinear interpolation) per sampled point, ``sampling_ratio²`` points per bin
and channel. With ``sampling_ratio ≤ 0`` torchvision samples ``ceil(region size / bins)`` points per axis, which
depends on the boxes' values: counted as one point per bin, the least it can be.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.layers.rule import Function, Operand, Rule, register
from nncalc.records import dataclass


@dataclass(frozen=True)
class RoIAlignSpec:
    """RoI Align of ``regions`` boxes to ``pooled`` ``(h, w)`` bins, ``sampling_ratio`` points per bin axis."""

    regions: int
    pooled: tuple[int, int]
    sampling_ratio: int


def roi_align_output(spec: RoIAlignSpec, shape: tuple) -> tuple:
    """``(K, C, pooled_h, pooled_w)`` for a feature map of ``shape`` ``(N, C, H, W)``."""
    return (spec.regions, shape[1], *spec.pooled)


def roi_align_macs(spec: RoIAlignSpec, shape: tuple) -> int:
    out = roi_align_output(spec, shape)
    points = spec.sampling_ratio ** 2 if spec.sampling_ratio > 0 else 1
    return out[0] * out[1] * out[2] * out[3] * points * 4


def bind_torchvision(input, rois, spatial_scale, pooled_height, pooled_width, sampling_ratio, aligned):
    """``torch.ops.torchvision.roi_align``'s arguments (``torchvision.ops.roi_align`` passes them), checked as
    torchvision's kernel checks them, in its words."""
    if not isinstance(input, Operand) or not isinstance(rois, Operand):
        raise ShapeError("roi_align: input and rois must be tensors")
    if len(rois.shape) < 2 or rois.shape[1] != 5:
        raise ShapeError("rois must have shape as Tensor[K, 5]")
    if input.dtype != rois.dtype:
        raise ShapeError("input should have the same type as rois")
    if len(input.shape) != 4:
        raise ShapeError(f"roi_align: input must be 4-D (N, C, H, W), got shape {list(input.shape)}")
    return RoIAlignSpec(rois.shape[0], (pooled_height, pooled_width), sampling_ratio), tuple(input.shape)


ROI_ALIGN = register(Rule(
    "roi_align", lambda spec: [], roi_align_output, roi_align_macs,
    functions=(Function("torch.ops.torchvision.roi_align", bind_torchvision),),
))
"""torchvision's ``roi_align`` (``torch.ops.torchvision.roi_align``)."""
