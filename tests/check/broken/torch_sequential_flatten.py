# An nn.Sequential whose first Linear was sized for 28×28 MNIST images; the input is 32×32.
# nncalc: input-shape 1,32,32
# expect: line 13 linear-in-features 32 * 8 * 8
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 32, 3, padding=1),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 7 * 7, 10),
)
