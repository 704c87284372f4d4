# nncalc: input-shape 1,60,60
"""A small U-Net for single-channel 60x60 images with GroupNorm (small batches), bilinear upsampling via
``F.interpolate`` to the skip's exact size, and an encoder/decoder built in loops over ``nn.ModuleList``s.
60 -> 30 -> 15 -> 7 halves an odd size, so the decoder must resize to each skip, not just double."""
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


def norm(channels: int, groups: int = 8) -> nn.GroupNorm:
    return nn.GroupNorm(min(groups, channels), channels)


class ConvBlock(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
            norm(out_channels),
            nn.SiLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
            norm(out_channels),
            nn.SiLU(inplace=True),
        )


class SmallUNet(nn.Module):
    def __init__(self, in_channels: int = 1, out_channels: int = 3, widths: Sequence[int] = (16, 32, 64, 128)):
        super().__init__()
        self.encoders = nn.ModuleList()
        channels = in_channels
        for width in widths:
            self.encoders.append(ConvBlock(channels, width))
            channels = width
        self.pool = nn.MaxPool2d(2)
        self.decoders = nn.ModuleList()
        for skip in reversed(widths[:-1]):
            self.decoders.append(ConvBlock(channels + skip, skip))
            channels = skip
        self.head = nn.Conv2d(channels, out_channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips: List[torch.Tensor] = []
        for i, encoder in enumerate(self.encoders):
            x = encoder(x)
            if i < len(self.encoders) - 1:
                skips.append(x)
                x = self.pool(x)
        for decoder, skip in zip(self.decoders, reversed(skips)):
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = decoder(torch.cat([skip, x], dim=1))
        return self.head(x)
