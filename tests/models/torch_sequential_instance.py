# nncalc: input-shape 3,48,40
"""A model that is a module-level nn.Sequential instance, not a class."""
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=5, stride=2),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, padding='same', dilation=2),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1, bias=False),
    nn.BatchNorm2d(32),
    nn.ReLU(),
    nn.AvgPool2d(kernel_size=2, padding=1),
    nn.Flatten(),
    nn.Dropout(0.25),
    nn.Linear(32 * 4 * 3, 64),
    nn.ReLU(),
    nn.Linear(64, 4),
)
