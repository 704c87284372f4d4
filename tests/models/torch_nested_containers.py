# nncalc: input-shape 3,32,32
"""Containers inside containers: a Sequential of Sequentials built from an OrderedDict, a ModuleList walked in
forward, a ModuleDict of task heads, add_module, and a parameter count checked at module level."""
from collections import OrderedDict

import torch
import torch.nn as nn


def stage(in_channels: int, out_channels: int, blocks: int) -> nn.Sequential:
    layers = OrderedDict()
    for i in range(blocks):
        layers[f"conv{i}"] = nn.Sequential(
            nn.Conv2d(in_channels if i == 0 else out_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )
    layers["pool"] = nn.MaxPool2d(2)
    return nn.Sequential(layers)


class NestedNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1), nn.ReLU()), nn.Identity())
        self.stages = nn.ModuleList()
        in_channels = widths[0]
        for depth, width in enumerate(widths):
            self.stages.append(stage(in_channels, width, blocks=depth + 1))
            in_channels = width
        self.heads = nn.ModuleDict(
            {
                "classify": nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(in_channels, num_classes)),
                "regress": nn.Sequential(nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(in_channels, 4)),
            }
        )
        self.add_module("dropout", nn.Dropout(0.1))

    def forward(self, x):
        x = self.stem(x)
        for block in self.stages:
            x = block(x)
        x = self.dropout(x)
        return {task: head(x) for task, head in self.heads.items()}


model = NestedNet()
assert sum(p.numel() for p in model.parameters()) == 110_190  # 448 + 2,336 + 13,952 + 92,544 + 650 + 260
assert len(list(model.children())) == 4
assert len([m for m in model.modules() if isinstance(m, nn.Conv2d)]) == 7
