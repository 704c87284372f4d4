import torch.nn as nn
layer = nn.TransformerDecoderLayer(8, 2)
dec = nn.TransformerDecoder(layer, num_layers=2**63)
