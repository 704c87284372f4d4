import torch.nn as nn

from .backbone import build_backbone
from .head import SegHead


class SegNet(nn.Module):
    def __init__(self, num_classes=21, preset="small"):
        super().__init__()
        self.backbone = build_backbone(preset)
        self.head = SegHead(self.backbone.out_channels, num_classes)

    def forward(self, x):
        features = self.backbone(x)
        return self.head(features[-1], x.shape[-2:])


def segnet_small(num_classes=21):
    return SegNet(num_classes, "small")
