import torch.nn as nn
norm = nn.GroupNorm(7, 10**15 + 37)
# nncalc: input-shape 4,4
