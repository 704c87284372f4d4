# A U-Net step that concatenates the upsampled map with a skip connection of another size.
# nncalc: input-shape 3,32,32
# expect: line 21 concat
# fixed: line 20:         y = self.up(self.pool(self.mid(skip)))
import torch
import torch.nn as nn


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.mid = nn.Conv2d(16, 32, 3, padding=1)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.head = nn.Conv2d(32, 2, 1)

    def forward(self, x):
        skip = self.down(x)
        y = self.up(self.pool(self.pool(self.mid(self.pool(skip)))))
        y = torch.cat([y, skip], dim=1)
        return self.head(y)
