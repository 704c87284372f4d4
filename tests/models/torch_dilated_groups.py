# nncalc: input-shape 4,29,31
"""Odd-sized input through dilation, groups, rectangular kernels and pooling corner cases."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class OddShapes(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_a = nn.Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2)
        self.pool_a = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.conv_b = nn.Conv2d(8, 12, kernel_size=3, stride=1, padding=0, dilation=(2, 1), groups=4, bias=False)
        # ceil_mode with padding: the last window would start in the right padding, so torch drops it
        self.pool_b = nn.MaxPool2d(kernel_size=2, stride=2, padding=1, ceil_mode=True)
        self.conv_c = nn.Conv2d(12, 12, kernel_size=3, padding='same', groups=12)
        self.pool_c = nn.AvgPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)
        self.head = nn.Linear(12 * 2 * 4, 5)

    def forward(self, x):
        x = F.relu(self.conv_a(x))
        x = self.pool_a(x)
        x = F.relu(self.conv_b(x))
        x = self.pool_b(x)
        x = F.relu(self.conv_c(x))
        x = self.pool_c(x)
        x = torch.flatten(x, 1)
        return self.head(x)
