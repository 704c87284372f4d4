# Two models in one file, each with its own mistake: both are reported.
# nncalc: input-shape 3,32,32
# expect: line 11 linear-in-features 3 * 32 * 32
# expect: line 22 conv-in-channels 16
import torch.nn as nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * 28 * 28, 10)

    def forward(self, x):
        return self.fc(x.flatten(1))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3), nn.ReLU(),
            nn.Conv2d(8, 16, 3), nn.ReLU(),
        )

    def forward(self, x):
        return self.features(x)
