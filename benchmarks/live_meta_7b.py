"""Peak memory of ``nncalc.summary`` on a Llama-shaped model of about 7B parameters built on the meta device.

The model is made of torch primitives only (``nn.Embedding``, ``nn.Linear``, ``nn.RMSNorm``, scaled dot-product
attention), 32 blocks of width 4096 — 6.74 billion parameters, which would take 27 GB in fp32. Built on
``torch.device("meta")`` it holds no storage, and ``nncalc.summary`` traces it on fake tensors, so the whole run
should stay far below 1 GB of resident memory::

    KERAS_BACKEND=torch PYTHONPATH=src python benchmarks/live_meta_7b.py [--layers 32] [--seq 2048]

Prints the parameter count and the peak resident set size (``VmHWM``) after importing torch, after
building the model, and after the summary; exits non-zero if the peak exceeds the budget (1 GiB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

BUDGET_BYTES = 1 << 30


def peak_rss() -> int:
    """Peak resident set size of this process, in bytes.

    Linux: ``VmHWM`` of /proc/self/status, this program's own high-water mark (``ru_maxrss`` would also carry
    the peak of the process that started it, which Linux keeps across ``exec``).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def llama(torch, layers: int, dim: int = 4096, hidden: int = 11008, heads: int = 32, vocab: int = 32000):
    nn = torch.nn
    F = torch.nn.functional

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q_proj = nn.Linear(dim, dim, bias=False)
            self.k_proj = nn.Linear(dim, dim, bias=False)
            self.v_proj = nn.Linear(dim, dim, bias=False)
            self.o_proj = nn.Linear(dim, dim, bias=False)

        def forward(self, x):
            b, t, _ = x.shape
            q, k, v = (p(x).view(b, t, heads, dim // heads).transpose(1, 2)
                       for p in (self.q_proj, self.k_proj, self.v_proj))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            return self.o_proj(y.transpose(1, 2).reshape(b, t, dim))

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.gate_proj = nn.Linear(dim, hidden, bias=False)
            self.up_proj = nn.Linear(dim, hidden, bias=False)
            self.down_proj = nn.Linear(hidden, dim, bias=False)

        def forward(self, x):
            return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.input_layernorm = nn.RMSNorm(dim)
            self.self_attn = Attention()
            self.post_attention_layernorm = nn.RMSNorm(dim)
            self.mlp = MLP()

        def forward(self, x):
            x = x + self.self_attn(self.input_layernorm(x))
            return x + self.mlp(self.post_attention_layernorm(x))

    class Llama(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed_tokens = nn.Embedding(vocab, dim)
            self.layers = nn.ModuleList(Block() for _ in range(layers))
            self.norm = nn.RMSNorm(dim)
            self.lm_head = nn.Linear(dim, vocab, bias=False)

        def forward(self, tokens):
            x = self.embed_tokens(tokens)
            for layer in self.layers:
                x = layer(x)
            return self.lm_head(self.norm(x))

    return Llama()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=32)
    parser.add_argument("--seq", type=int, default=2048, help="sequence length of the token input")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import torch

    import nncalc

    after_import = peak_rss()
    with torch.device("meta"):
        model = llama(torch, args.layers)
    after_build = peak_rss()
    built = time.perf_counter()
    report = nncalc.summary(model, input_size=(1, args.seq), dtypes=[torch.long], depth=2, verbose=0)
    done = time.perf_counter()
    after_summary = peak_rss()

    expected = sum(p.numel() for p in model.parameters())
    mib = 1 << 20
    print(f"parameters: {report.total_params:,} (torch: {expected:,}); fp32 size {report.param_bytes / (1 << 30):.1f} GiB")
    print(f"MACs: {report.total_macs:,} for a sequence of {args.seq} tokens; output {report.output_shape}")
    print(f"rows: {len(report.layers)}; summary took {done - built:.2f} s (total {done - start:.2f} s)")
    print(f"peak RSS after importing torch and nncalc: {after_import / mib:.0f} MiB")
    print(f"peak RSS after building the model on meta: {after_build / mib:.0f} MiB")
    print(f"peak RSS after nncalc.summary:             {after_summary / mib:.0f} MiB (budget {BUDGET_BYTES / mib:.0f} MiB)")
    ok = report.total_params == expected and after_summary < BUDGET_BYTES
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
