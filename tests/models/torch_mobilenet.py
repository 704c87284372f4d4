# nncalc: input-shape 3,64,64
"""A MobileNet-like stack of depthwise-separable convolutions."""
import torch
import torch.nn as nn


def conv_bn(in_channels, out_channels, stride):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


def separable(in_channels, out_channels, stride):
    return nn.Sequential(
        # depthwise: one 3x3 filter per input channel
        nn.Conv2d(in_channels, in_channels, 3, stride, 1, groups=in_channels, bias=False),
        nn.BatchNorm2d(in_channels),
        nn.ReLU(inplace=True),
        # pointwise: mixes the channels
        nn.Conv2d(in_channels, out_channels, 1, 1, 0, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class TinyMobileNet(nn.Module):
    def __init__(self, num_classes=10, width=16):
        super().__init__()
        self.stem = conv_bn(3, width, stride=2)
        self.blocks = nn.Sequential(
            separable(width, width * 2, 1),
            separable(width * 2, width * 4, 2),
            separable(width * 4, width * 4, 1),
            separable(width * 4, width * 8, 2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width * 8, num_classes)

    def forward(self, x):
        x = self.stem(x)
        x = self.blocks(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)
