# A second convolution that expects 16 channels where the first gives 8.
# nncalc: input-shape 3,32,32
# expect: line 11 conv-in-channels 8
import torch.nn as nn


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        return self.fc(self.pool(x).flatten(1))
