# nncalc: input-shape 1,64,64
"""Super-resolution by 3x (ESPCN, Shi et al. 2016, with a bicubic skip): feature extraction at low
resolution, sub-pixel convolution (``nn.PixelShuffle``), added to the bicubically upsampled input
(``F.interpolate``); edges handled with replication and constant padding instead of zero padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ESPCN(nn.Module):
    def __init__(self, scale_factor=3, num_channels=1, features=64):
        super().__init__()
        self.scale_factor = scale_factor
        self.first_part = nn.Sequential(
            nn.ReplicationPad2d(2),
            nn.Conv2d(num_channels, features, kernel_size=5),
            nn.Tanh(),
            nn.ConstantPad2d((1, 1, 1, 1), 0.0),
            nn.Conv2d(features, features // 2, kernel_size=3),
            nn.Tanh(),
        )
        self.last_part = nn.Sequential(
            nn.ZeroPad2d(1),
            nn.Conv2d(features // 2, num_channels * (scale_factor ** 2), kernel_size=3),
            nn.PixelShuffle(scale_factor),
        )
        self.refine = nn.Sequential(
            nn.Upsample(scale_factor=0.5, mode="bilinear", align_corners=False),
            nn.Conv2d(num_channels, num_channels, 3, padding=1),
            nn.UpsamplingNearest2d(scale_factor=2),
        )

    def forward(self, x):
        upscaled = F.interpolate(x, scale_factor=self.scale_factor, mode="bicubic", align_corners=False)
        residual = self.last_part(self.first_part(x))
        sharpened = upscaled + residual
        # a crop-and-pad round trip that keeps the size: drop one border pixel, pad it back by reflection
        cropped = F.pad(sharpened, (-1, -1, -1, -1))
        restored = F.pad(cropped, (1, 1, 1, 1), mode="reflect")
        return restored + self.refine(restored)
