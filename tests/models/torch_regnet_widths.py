"""A RegNet-style network whose stage widths and depths are computed with tensors, as the RegNet papers'
code computes them: an arange ramp of widths, quantised on a log scale with torch.log, torch.round and
torch.pow, cast to int and read back with tolist(); stage depths from torch.unique(..., return_counts=True)."""
# nncalc: input-shape 3,64,64
import math

import torch
import torch.nn as nn


def stage_plan(depth=7, w_a=12.5, w_0=16, w_m=2.2, quant=8):
    widths_cont = torch.arange(depth, dtype=torch.float32) * w_a + w_0
    exps = torch.round(torch.log(widths_cont / w_0) / math.log(w_m))
    widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, exps), quant)) * quant).int()
    stage_widths, stage_depths = torch.unique(widths, return_counts=True)
    return stage_widths.tolist(), stage_depths.tolist()


class Block(nn.Module):
    def __init__(self, in_ch, out_ch, stride):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False)
        self.bn = nn.BatchNorm2d(out_ch)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class RegNetish(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        widths, depths = stage_plan()
        self.stem = nn.Conv2d(3, 16, 3, 2, 1)
        layers, in_ch = [], 16
        for width, depth in zip(widths, depths):
            for i in range(depth):
                layers.append(Block(in_ch, width, 2 if i == 0 else 1))
                in_ch = width
        self.trunk = nn.Sequential(*layers)
        self.head = nn.Linear(in_ch, num_classes)

    def forward(self, x):
        return self.head(self.trunk(self.stem(x)).mean(dim=(2, 3)))
