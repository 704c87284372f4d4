import torch.nn as nn
rnn = nn.GRU(4, 8, num_layers=3_000_000, bidirectional=True)
