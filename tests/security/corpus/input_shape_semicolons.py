# nncalc: input-shape 4;4
import torch.nn as nn
model = nn.Linear(4, 4)
