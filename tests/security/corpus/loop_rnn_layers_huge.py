import torch.nn as nn
rnn = nn.RNN(4, 8, num_layers=10**400)
