"""The real torch's account of a model file, for ``test_torch_models``: every module call (name and output
shapes, in the order calls start), parameter and buffer counts, module names and MACs.

Run as ``python torch_real.py FILE…`` it prints one JSON object keyed by path; the tests run it in a fresh
process so that the real models (VGG-16 holds half a gigabyte of weights) never grow the test process, whose
peak memory later subprocesses would inherit in their own accounting, and never fork a threaded process.
"""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import oracle  # noqa: E402
from torch_helpers import real_namespace  # noqa: E402


def choose_model(namespace: dict, base, source: str):
    """The model the file means, by the oracle's rules: the ``# nncalc: model NAME`` directive (an instance, a
    class or a function), else the last module-level instance, else the one class no other class uses."""
    directive = [line.split()[-1] for line in source.splitlines() if line.startswith("# nncalc: model ")]
    if directive:
        chosen = namespace[directive[0]]
        return chosen if isinstance(chosen, base) else chosen()
    for name in reversed(oracle._module_level_assignments(ast.parse(source))):
        if isinstance(namespace.get(name), base):
            return namespace[name]
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, base) and v is not base
               and v.__module__ == namespace.get("__name__", v.__module__)]
    built = {}
    for cls in classes:
        try:
            built[cls] = cls()
        except Exception:  # noqa: BLE001 - a class needing arguments is a building block, not the model
            continue
    used = {type(sub) for model in built.values() for sub in model.modules() if sub is not model}
    extended = {base_ for cls in classes for base_ in cls.__mro__[1:]}
    roots = [model for cls, model in built.items() if cls not in used | extended]
    if len(roots) != 1:
        raise LookupError(f"cannot choose the model among {[type(m).__name__ for m in roots]}")
    return roots[0]


def _tensors(value) -> list:
    import torch

    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _tensors(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _tensors(item)]
    return []


def trilinear_flops(shape1, shape2, shape3, expand1, expand2, expand3, sumdim, unroll_dim=1, out_shape=None,
                    **kwargs) -> int:
    """``aten._trilinear`` (``nn.Bilinear``'s kernel, which torch 2.13's ``FlopCounterMode`` leaves out): the three
    operands, unsqueezed at their ``expand`` dims, broadcast to one shape; every element of it is one product
    summed into the output, two flops as for a matrix product."""
    shapes = []
    for shape, expand in ((shape1, expand1), (shape2, expand2), (shape3, expand3)):
        full = list(shape)
        for dim in sorted(expand):
            full.insert(dim, 1)
        shapes.append(full)
    return 2 * math.prod(max(sizes) for sizes in zip(*shapes))


def flop_counter():
    """torch's ``FlopCounterMode``, also counting the CPU kernel of ``F.scaled_dot_product_attention`` (which
    torch 2.13 leaves out) by torch's own attention formula and ``nn.Bilinear``'s ``_trilinear``
    (:func:`trilinear_flops`); with the fused fast path of ``nn.MultiheadAttention`` off, so that attention
    runs through the counted matrix products."""
    import torch
    from torch.utils import flop_counter as counting

    def cpu_attention(query_shape, key_shape, value_shape, *args, out_shape=None, **kwargs):
        return counting.sdpa_flop_count(query_shape, key_shape, value_shape)

    torch.backends.mha.set_fastpath_enabled(False)
    mapping = {torch.ops.aten._scaled_dot_product_flash_attention_for_cpu: cpu_attention,
               torch.ops.aten._trilinear: trilinear_flops}
    return counting.FlopCounterMode(display=False, custom_mapping=mapping)


def run(model, inputs: list) -> tuple[list, int]:
    """One forward pass: ``[name, [output shapes]]`` of every module call in start order (forward pre-hooks
    and hooks), and the MACs by torch's own count (``FlopCounterMode``: convolutions, transposed ones
    included, linear layers and matrix products; two flops per multiply-accumulate, bias additions not
    counted)."""
    import torch

    names = {id(m): n for n, m in model.named_modules()}
    calls, stack = [], []

    def pre(module, args):
        calls.append([names[id(module)], None])
        stack.append(len(calls) - 1)

    def post(module, args, output):
        calls[stack.pop()][1] = [list(t.shape) for t in _tensors(output)]

    for module in model.modules():
        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)
    counter = flop_counter()
    # oneDNN's fused LSTM kernel is invisible to FlopCounterMode (it counts 0); torch's own path is not
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
        model(*inputs)
    flops = counter.get_total_flops()
    if flops % 2:
        raise ValueError(f"an odd flop count {flops}: not all multiply-accumulates")
    return calls, flops // 2


def facts(path: Path) -> dict:
    """What the real torch says about the file's model."""
    import torch

    source = path.read_text()
    model = choose_model(real_namespace(source, str(path)), torch.nn.Module, source).eval()
    params = list(model.parameters())
    directives = oracle.read_directives(path)
    calls, macs = run(model, oracle.torch_inputs(directives.input_shapes, directives.dtype))
    return {
        "calls": calls,
        "params": sum(p.numel() for p in params),
        "trainable": sum(p.numel() for p in params if p.requires_grad),
        "buffers": sum(b.numel() for b in model.buffers()),
        "modules": [n for n, _ in model.named_modules()],
        "macs": macs,
    }


def facts_in_fresh_process(paths: list[Path]) -> dict[Path, dict]:
    """:func:`facts` of every path, computed by one new Python process; a file that fails maps to
    ``{"error": traceback}``."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *map(str, paths)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if completed.returncode:
        raise RuntimeError(f"the real torch run failed:\n{completed.stderr}")
    return {Path(key): value for key, value in json.loads(completed.stdout).items()}


def _main(arguments: list[str]) -> None:
    import contextlib
    import io

    results = {}
    for argument in arguments:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # model files may print
                results[argument] = facts(Path(argument))
        except Exception:  # noqa: BLE001 - reported to the test of that file
            results[argument] = {"error": traceback.format_exc()}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    _main(sys.argv[1:])
