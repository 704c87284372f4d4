# nncalc: input-shape 3,64,64
"""A small hybrid conv/attention net initialised the way timm-style code does it: the constructor checks its
settings by name through ``locals()``, and ``_init_weights`` walks the modules testing them against torch's
private base classes (``nn.modules.batchnorm._BatchNorm``, ``nn.modules.conv._ConvNd`` kept out)."""

import collections.abc

import torch
import torch.nn as nn
from torch.nn.modules.instancenorm import _InstanceNorm


class ConvNorm(nn.Sequential):
    def __init__(self, in_chs, out_chs, stride=1, norm=nn.BatchNorm2d):
        super().__init__(nn.Conv2d(in_chs, out_chs, 3, stride, 1, bias=False), norm(out_chs))
        bn = self[1]
        if isinstance(bn, nn.modules.batchnorm._BatchNorm):
            nn.init.constant_(bn.weight, 1.0)
            nn.init.zeros_(bn.bias)


class Stage(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, dim * 2, batch_first=True) for _ in range(depth))

    def forward(self, x):
        b, c, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)
        for block in self.blocks:
            x = block(x)
        return x.transpose(1, 2).reshape(b, c, h, w)


class HybridNet(nn.Module):
    def __init__(self, num_classes=10, dims=(32, 64), depths=(1, 2), heads=(2, 4)):
        super().__init__()
        for name in ["dims", "depths", "heads"]:
            value = locals()[name]
            if isinstance(value, collections.abc.Sequence):
                assert len(value) == 2, f"`{name}` needs one entry per stage"
        self.stem = nn.Sequential(ConvNorm(3, dims[0], 2), nn.Hardswish(), ConvNorm(dims[0], dims[0], 2,
                                                                                   nn.InstanceNorm2d))
        self.stage1 = Stage(dims[0], depths[0], heads[0])
        self.down = ConvNorm(dims[0], dims[1], 2)
        self.stage2 = Stage(dims[1], depths[1], heads[1])
        self.head = nn.Linear(dims[1], num_classes)
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, (nn.modules.batchnorm._BatchNorm, _InstanceNorm)) and m.weight is not None:
            nn.init.ones_(m.weight)
        elif isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)

    def forward(self, x):
        x = self.stage1(self.stem(x))
        x = self.stage2(self.down(x))
        return self.head(torch.mean(x, dim=(2, 3)))


model = HybridNet()
