# Five poolings shrink an 8×8 input below one pixel.
# nncalc: input-shape 1,8,8
# expect: line 14 window-too-small
# fixed: line 14:     nn.Identity(),
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1),
    nn.MaxPool2d(2),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32, 10),
)
