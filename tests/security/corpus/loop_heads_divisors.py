import torch.nn as nn
attention = nn.MultiheadAttention(10**15 + 37, 7)
