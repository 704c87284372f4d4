import torch.nn as nn
import torch.nn.functional as F

from .layers.conv import conv_bn
import nets.layers.registry as reg


class SegHead(nn.Module):
    def __init__(self, in_ch, num_classes, act="gelu"):
        super().__init__()
        self.fuse = conv_bn(in_ch, in_ch)
        self.act = reg.make_activation(act)
        self.classify = nn.Conv2d(in_ch, num_classes, 1)

    def forward(self, x, size):
        x = self.act(self.fuse(x))
        return F.interpolate(self.classify(x), size=size, mode="bilinear", align_corners=False)
