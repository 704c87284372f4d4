# An audio model: the second Conv1d expects 32 channels, the first gives 16; the head is sized for them too.
# nncalc: input-shape 1,16000
# expect: line 12 conv-in-channels 16
# expect: line 15 linear-in-features 64
import torch.nn as nn


class AudioNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, kernel_size=80, stride=16)
        self.conv2 = nn.Conv1d(32, 64, kernel_size=3)
        self.pool = nn.MaxPool1d(4)
        self.gap = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(32, 35)

    def forward(self, x):
        x = self.pool(self.conv1(x).relu())
        x = self.pool(self.conv2(x).relu())
        return self.fc(self.gap(x).squeeze(-1))
