"""Segmentation networks: the package re-exports its models."""
from .backbone import Backbone, build_backbone
from .head import SegHead
from .segnet import SegNet, segnet_small

__all__ = ["Backbone", "SegHead", "SegNet", "build_backbone", "segnet_small"]
