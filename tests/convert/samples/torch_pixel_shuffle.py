# nncalc: input-shape 3,16,16
"""A super-resolution head: nn.PixelShuffle has no Keras layer, so the converter reports it."""
import torch
from torch import nn


class Upscaler(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 12, kernel_size=3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.out = nn.Conv2d(3, 3, kernel_size=1)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.out(self.shuffle(x))
