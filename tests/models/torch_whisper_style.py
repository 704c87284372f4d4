"""A small speech-to-text Transformer, written the way OpenAI's Whisper writes its model: a log-mel spectrogram
through two 1-D convolutions and fixed sinusoidal positions (a buffer) into an encoder; a token decoder with
learned positions, cross-attention and a causal mask buffer, its logits tied to the token embedding; a boolean
table of alignment heads kept as a sparse buffer. Two inputs of two dtypes: the spectrogram and the tokens."""
# nncalc: input-shape 80,200; 24
# nncalc: dtype float32,int64

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn


@dataclass
class Dims:
    n_mels: int = 80
    n_audio_ctx: int = 100
    n_state: int = 64
    n_head: int = 4
    n_layer: int = 2
    n_vocab: int = 500
    n_text_ctx: int = 32


def sinusoids(length: int, channels: int, max_timescale: int = 10000) -> Tensor:
    half = channels // 2
    increment = math.log(max_timescale) / (half - 1)
    inv_timescales = torch.exp(-increment * torch.arange(half))
    scaled_time = torch.arange(length)[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


class Attention(nn.Module):
    def __init__(self, n_state: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)

    def forward(self, x: Tensor, xa: Tensor = None, causal: bool = False) -> Tensor:
        source = x if xa is None else xa
        q, k, v = self.query(x), self.key(source), self.value(source)
        n_batch, n_ctx, _ = q.shape
        q = q.view(n_batch, n_ctx, self.n_head, -1).transpose(1, 2)
        k = k.view(n_batch, k.shape[1], self.n_head, -1).transpose(1, 2)
        v = v.view(n_batch, v.shape[1], self.n_head, -1).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=causal and n_ctx > 1)
        return self.out(out.transpose(1, 2).flatten(start_dim=2))


class ResidualBlock(nn.Module):
    def __init__(self, n_state: int, n_head: int, cross_attention: bool = False):
        super().__init__()
        self.attn = Attention(n_state, n_head)
        self.attn_ln = nn.LayerNorm(n_state)
        self.cross_attn = Attention(n_state, n_head) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        self.mlp = nn.Sequential(nn.Linear(n_state, 4 * n_state), nn.GELU(), nn.Linear(4 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x: Tensor, xa: Tensor = None, causal: bool = False) -> Tensor:
        x = x + self.attn(self.attn_ln(x), causal=causal)
        if self.cross_attn is not None:
            x = x + self.cross_attn(self.cross_attn_ln(x), xa)
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoder(nn.Module):
    def __init__(self, dims: Dims):
        super().__init__()
        self.conv1 = nn.Conv1d(dims.n_mels, dims.n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(dims.n_state, dims.n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(dims.n_audio_ctx, dims.n_state))
        self.blocks = nn.ModuleList([ResidualBlock(dims.n_state, dims.n_head) for _ in range(dims.n_layer)])
        self.ln_post = nn.LayerNorm(dims.n_state)

    def forward(self, x: Tensor) -> Tensor:
        x = F.gelu(self.conv1(x))
        x = F.gelu(self.conv2(x))
        x = x.permute(0, 2, 1)
        assert x.shape[1:] == self.positional_embedding.shape, "incorrect audio shape"
        x = (x + self.positional_embedding).to(x.dtype)
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, dims: Dims):
        super().__init__()
        self.token_embedding = nn.Embedding(dims.n_vocab, dims.n_state)
        self.positional_embedding = nn.Parameter(torch.empty(dims.n_text_ctx, dims.n_state))
        self.blocks = nn.ModuleList(
            [ResidualBlock(dims.n_state, dims.n_head, cross_attention=True) for _ in range(dims.n_layer)]
        )
        self.ln = nn.LayerNorm(dims.n_state)

    def forward(self, tokens: Tensor, xa: Tensor) -> Tensor:
        x = self.token_embedding(tokens) + self.positional_embedding[: tokens.shape[-1]]
        for block in self.blocks:
            x = block(x, xa, causal=True)
        x = self.ln(x)
        return (x @ torch.transpose(self.token_embedding.weight.to(x.dtype), 0, 1)).float()


class SpeechToText(nn.Module):
    def __init__(self, dims: Dims = Dims()):
        super().__init__()
        self.dims = dims
        self.encoder = AudioEncoder(dims)
        self.decoder = TextDecoder(dims)
        # the last half of the decoder's layers align words to audio by default
        heads = torch.zeros(dims.n_layer, dims.n_head, dtype=torch.bool)
        heads[dims.n_layer // 2 :] = True
        self.register_buffer("alignment_heads", heads.to_sparse(), persistent=False)

    def forward(self, mel: Tensor, tokens: Tensor) -> Tensor:
        return self.decoder(tokens, self.encoder(mel))


model = SpeechToText()
