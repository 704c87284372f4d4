"""Training script: reads a config file, builds the model from model.py, trains."""
import os
import time
import pickle
from contextlib import nullcontext

import numpy as np
import torch

from model import GPTConfig, GPT

out_dir = 'out'
eval_interval = 2000
batch_size = 12
block_size = 128
n_layer = 6
n_head = 6
n_embd = 384
dropout = 0.0
bias = False
learning_rate = 6e-4
max_iters = 5000
device = 'cuda'
config_keys = [k for k, v in globals().items() if not k.startswith('_') and isinstance(v, (int, float, bool, str))]

data_dir = os.path.join('data', 'shakespeare')
meta_path = os.path.join(data_dir, 'meta.pkl')
meta_vocab_size = None
if os.path.exists(meta_path):
    with open(meta_path, 'rb') as f:
        meta = pickle.load(f)
    meta_vocab_size = meta['vocab_size']

model_args = dict(n_layer=n_layer, n_head=n_head, n_embd=n_embd, block_size=block_size,
                  bias=bias, vocab_size=None, dropout=dropout)
model_args['vocab_size'] = meta_vocab_size if meta_vocab_size is not None else 50304
gptconf = GPTConfig(**model_args)
model = GPT(gptconf)
model.to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
ctx = nullcontext()

def get_batch(split):
    data = np.memmap(os.path.join(data_dir, f'{split}.bin'), dtype=np.uint16, mode='r')
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([torch.from_numpy((data[i:i+block_size]).astype(np.int64)) for i in ix])
    return x

t0 = time.time()
iter_num = 0
while iter_num < max_iters:
    X = get_batch('train')
    with ctx:
        logits = model(X)
    optimizer.zero_grad(set_to_none=True)
    iter_num += 1
