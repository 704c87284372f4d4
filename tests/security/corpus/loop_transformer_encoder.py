import torch.nn as nn
layer = nn.TransformerEncoderLayer(8, 2)
enc = nn.TransformerEncoder(layer, num_layers=10**9)
