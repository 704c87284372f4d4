"""nncalc's MACs against the tools people use today: fvcore, ptflops, thop and torchinfo, run on the real
torch models of tests/models.

Each tool counts differently (docs/conventions.md); these tests assert the relation, model by model:

* fvcore counts one multiply-accumulate as one "flop". Over the ops it counts as products (conv, linear,
  matmul, bmm, einsum…) it equals nncalc's MACs, except ``F.scaled_dot_product_attention`` and convolutions
  with ``padding='same'``, which fvcore skips (it lists them as unsupported).
* ptflops (aten backend) = nncalc's MACs + the bias additions of convolutions and linear layers, minus the
  skipped attention kernel.
* thop and torchinfo hook modules: per module type, Conv/Linear equal nncalc's MACs (thop); torchinfo's
  convolutions are MACs + bias additions and its Linear layers their parameters once per sample (it misses
  the sequence length of an (N, L, C) input); both count a transposed convolution output positions × kernel
  (an overcount by output positions / input positions); matrix products in ``forward`` are not seen at all.

Run as ``python tests/test_macs_oracles.py FILE…`` it prints every tool's counts as JSON (the tests run it
in a fresh process: the real models stay out of the test process).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE / "frameworks", HERE.parent / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import nncalc  # noqa: E402
import oracle  # noqa: E402

MODELS = HERE / "models"
CNNS = [
    "seed_torch.py", "torch_lenet5.py", "torch_vgg16.py", "torch_resnet18.py", "torch_resnet50.py",
    "torch_mobilenet_v2.py", "torch_efficientnet_b0.py", "torch_densenet121.py", "torch_dcgan.py",
    "torch_unet.py", "torch_convnext_tiny_blocks.py", "torch_dilated_groups.py", "torch_video_3d.py",
    "torch_audio_1d.py", "torch_cbam_attention.py", "torch_super_resolution.py", "torch_siamese_shared.py",
]
TRANSFORMERS = [
    "torch_transformer_text_classifier.py", "torch_transformer_seq2seq.py", "torch_bert_base.py",
    "torch_gpt2_nanogpt.py",
]
FILES = [name for name in CNNS + TRANSFORMERS if (MODELS / name).exists()]

# fvcore's operator names for multiply-accumulate products; everything else it counts (batch_norm,
# group_norm, layer_norm, instance_norm, upsample, adaptive_avg_pool2d) is work nncalc leaves out of MACs
FVCORE_PRODUCTS = {"conv", "linear", "addmm", "mm", "matmul", "bmm", "baddbmm", "einsum"}
CONVS = {"Conv1d", "Conv2d", "Conv3d"}
TRANSPOSED = {"ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"}
LINEAR = {"Linear"}


# ----- the child: every tool on one real model ------------------------------------------------------------------
def measure(path: Path) -> dict:
    """Every tool's count for the model of ``path``, on a batch of 1."""
    import warnings

    import torch

    warnings.filterwarnings("ignore")
    from torch_helpers import real_namespace
    from torch_real import choose_model, flop_counter

    source = path.read_text()
    model = choose_model(real_namespace(source, str(path)), torch.nn.Module, source).eval()
    directives = oracle.read_directives(path)
    inputs = oracle.torch_inputs(directives.input_shapes, directives.dtype)
    result = _module_facts(model, inputs)
    counter = flop_counter()
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
        model(*inputs)
    result["flop_counter"] = {str(op): n for op, n in counter.get_flop_counts()["Global"].items()}
    result["fvcore"], result["fvcore_unsupported"] = _fvcore(model, inputs)
    result["torchinfo"] = _torchinfo(model, inputs)
    result["ptflops"] = _ptflops(model, inputs)
    if path.name == "seed_torch.py":  # the worked example of docs/conventions.md
        result["ptflops_pytorch"] = _ptflops(model, inputs, backend="pytorch")
    result["thop"] = _thop(model, inputs)  # last: thop leaves buffers and hooks on the model
    return result


def _module_facts(model, inputs) -> dict:
    """From one forward pass with hooks on the convolution, linear and attention modules:

    * ``bias``: per module type, the bias additions, one per output element (``nn.MultiheadAttention``: its
      input and output projections, whose weights it uses directly rather than through its out_proj module);
    * ``positions``: (input positions, output positions) of every transposed convolution call;
    * ``string_padding_conv``: MACs of the convolutions with ``padding='same'``/``'valid'``, which torch runs
      as ``aten::_convolution_mode``: output elements × (C_in / groups × kernel).
    """
    import math

    import torch

    bias: dict[str, int] = defaultdict(int)
    facts = {"bias": bias, "positions": [], "string_padding_conv": 0}

    def hook(module, args, kwargs, output):
        name = type(module).__name__
        if isinstance(module, torch.nn.MultiheadAttention):
            q, k, v = (list(args) + [kwargs.get(key) for key in ("query", "key", "value")[len(args):]])[:3]
            if module.in_proj_bias is not None:
                bias[name] += q.numel() + k.numel() + v.numel()
            if module.out_proj.bias is not None:
                bias[name] += output[0].numel()
            return
        if module.bias is not None:
            bias[name] += output.numel()
        if name in TRANSPOSED:
            facts["positions"].append([args[0][0, 0].numel(), output[0, 0].numel()])
        if isinstance(getattr(module, "padding", None), str):
            facts["string_padding_conv"] += output.numel() * module.in_channels // module.groups * math.prod(
                module.kernel_size)

    kinds = (torch.nn.Linear, torch.nn.modules.conv._ConvNd, torch.nn.MultiheadAttention)
    handles = [m.register_forward_hook(hook, with_kwargs=True) for m in model.modules() if isinstance(m, kinds)]
    with torch.no_grad():
        model(*inputs)
    for handle in handles:
        handle.remove()
    facts["bias"] = dict(bias)
    return facts


def _fvcore(model, inputs) -> tuple[dict, dict]:
    from fvcore.nn import FlopCountAnalysis

    analysis = FlopCountAnalysis(model, tuple(inputs))
    analysis.unsupported_ops_warnings(False)
    analysis.uncalled_modules_warnings(False)
    return dict(analysis.by_operator()), dict(analysis.unsupported_ops())


def _torchinfo(model, inputs) -> dict:
    import torchinfo

    stats = torchinfo.summary(model, input_data=list(inputs), verbose=0)
    per_type: dict[str, int] = defaultdict(int)
    for layer in stats.summary_list:
        if layer.is_leaf_layer:
            per_type[layer.class_name] += layer.macs
    return {"total": stats.total_mult_adds, "per_type": dict(per_type)}


def _ptflops(model, inputs, backend: str = "aten") -> int:
    """ptflops' count; its aten backend hooks torch's operators, not modules. Several inputs are passed by
    the names of ``forward``'s parameters (ptflops calls ``model(**batch)`` for a dict)."""
    import inspect

    from ptflops import get_model_complexity_info

    names = list(inspect.signature(model.forward).parameters)
    batch = inputs[0] if len(inputs) == 1 else dict(zip(names, inputs))
    macs, _ = get_model_complexity_info(
        model, tuple(inputs[0].shape[1:]), input_constructor=lambda _: batch, as_strings=False,
        print_per_layer_stat=False, backend=backend,
    )
    return int(macs)


def _thop(model, inputs) -> dict[str, int]:
    """thop's count per type of the modules it counts (its per-layer report)."""
    import thop

    _, _, layers = thop.profile(model, inputs=tuple(inputs), verbose=False, ret_layer_info=True)
    per_type: dict[str, int] = defaultdict(int)

    def walk(module, entries):
        for name, (ops, _params, children) in entries.items():
            child = getattr(module, name)
            if children:
                walk(child, children)
            else:
                per_type[type(child).__name__] += int(ops)

    walk(model, layers)
    return dict(per_type)


def main(paths: list[str]) -> int:
    out = {}
    for path in paths:
        try:
            out[path] = measure(Path(path))
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            out[path] = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(out))
    return 0


# ----- the tests --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tools() -> dict:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *(str(MODELS / f) for f in FILES)],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return {Path(k).name: v for k, v in json.loads(lines[-1]).items()}

def _report(name: str):
    directives = oracle.read_directives(MODELS / name)
    options = {"model": directives.model} if directives.model else {}
    shapes = directives.input_shapes
    if shapes and len(shapes) > 1:
        options["input_shapes"] = list(shapes)
    elif shapes:
        options["input_shape"] = shapes[0]
    if directives.dtype:
        options["dtype"] = directives.dtype
    return nncalc.analyze(str(MODELS / name), batch=1, **options)

def _per_type(report) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in report.layers:
        if row.is_leaf and row.macs:
            totals[row.type] += row.macs
    return dict(totals)

def _fused_attention(measured: dict) -> int:
    """MACs of ``F.scaled_dot_product_attention``'s CPU kernel, by torch's FlopCounterMode."""
    return sum(n for name, n in measured["flop_counter"].items() if "_scaled_dot_product" in name) // 2


def _skipped_by_fvcore(measured: dict) -> int:
    """MACs of the ops fvcore lists as unsupported: the fused attention kernel, and the convolutions with
    string padding (by their output size)."""
    skipped = 0
    for op, macs in (("aten::scaled_dot_product_attention", _fused_attention(measured)),
                     ("aten::_convolution_mode", measured["string_padding_conv"])):
        if macs:
            assert op in measured["fvcore_unsupported"]
            skipped += macs
    return skipped


def test_enough_models():
    assert len(FILES) >= 12
    assert any(name in FILES for name in TRANSFORMERS)

@pytest.mark.parametrize("name", FILES)
def test_fvcore_products_equal_nncalc_macs(name, tools):
    measured = tools[name]
    assert "error" not in measured, measured.get("error")
    products = sum(n for op, n in measured["fvcore"].items() if op in FVCORE_PRODUCTS)
    assert products + _skipped_by_fvcore(measured) == _report(name).total_macs

@pytest.mark.parametrize("name", FILES)
def test_ptflops_adds_the_bias_terms(name, tools):
    measured = tools[name]
    bias = sum(measured["bias"].values())
    assert measured["ptflops"] == _report(name).total_macs + bias - _fused_attention(measured)

@pytest.mark.parametrize("name", FILES)
def test_thop_per_module_type(name, tools):
    """thop's Conv and Linear counts equal nncalc's; transposed convolutions are its overcount."""
    measured, report = tools[name], _report(name)
    ours = _per_type(report)
    for kind in sorted((CONVS | LINEAR) & (set(ours) | set(measured["thop"]))):
        assert measured["thop"].get(kind, 0) == ours.get(kind, 0), kind
    transposed = sum(n for kind, n in measured["thop"].items() if kind in TRANSPOSED)
    assert transposed == _overcount(report, measured["positions"])

@pytest.mark.parametrize("name", FILES)
def test_torchinfo_adds_the_bias_terms(name, tools):
    """torchinfo's per-layer mult-adds: convolutions = nncalc's MACs + bias additions; Linear layers = their
    parameters per sample (MACs + bias on 2-D inputs)."""
    measured, report = tools[name], _report(name)
    ours, per_type = _per_type(report), measured["torchinfo"]["per_type"]
    for kind in sorted(CONVS & (set(ours) | set(per_type))):
        assert per_type.get(kind, 0) == ours.get(kind, 0) + measured["bias"].get(kind, 0), kind
    # a Linear layer: its weights and bias once per sample, whatever the positions (tokens, pixels) it runs
    # over; on 2-D inputs (batch 1) that is exactly MACs + bias, on (N, L, C) it misses the factor L
    linear = [row for row in report.layers if row.is_leaf and row.type in LINEAR]
    assert per_type.get("Linear", 0) == sum(row.own_params for row in linear)
    if all(len(row.input_shapes[0]) == 2 for row in linear):
        assert per_type.get("Linear", 0) == ours.get("Linear", 0) + measured["bias"].get("Linear", 0)
    transposed = sum(n for kind, n in per_type.items() if kind in TRANSPOSED)
    bias = sum(n for kind, n in measured["bias"].items() if kind in TRANSPOSED)
    assert transposed == _overcount(report, measured["positions"]) + bias

def _overcount(report, positions: list[list[int]]) -> int:
    """thop's and torchinfo's transposed convolutions: output positions × kernel, i.e. nncalc's count (input
    positions × kernel) of each call scaled by its output / input positions."""
    calls = [row.macs for row in report.layers if row.is_leaf and row.type in TRANSPOSED]
    assert len(calls) == len(positions)
    assert all(macs * outputs % inputs == 0 for macs, (inputs, outputs) in zip(calls, positions))
    return sum(macs * outputs // inputs for macs, (inputs, outputs) in zip(calls, positions))


def test_the_seed_worked_example(tools):
    """docs/conventions.md's numbers: torchinfo prints 1.52 M = 1,500,256 MACs + 19,882 bias additions."""
    measured = tools["seed_torch.py"]
    assert measured["bias"] == {"Conv2d": 8 * 30 * 30 + 16 * 28 * 28, "Linear": 128 + 10}
    assert sum(measured["bias"].values()) == 19_882
    assert measured["torchinfo"]["total"] == 1_500_256 + 19_882 == 1_520_138
    assert measured["ptflops"] == 1_520_138
    # ptflops' pytorch backend: + the pooled elements, twice (the MaxPool2d hook and its F.max_pool2d)
    assert measured["ptflops_pytorch"] == 1_520_138 + 2 * 16 * 28 * 28 == 1_545_226
    assert sum(measured["thop"].values()) == 1_500_256
    assert measured["fvcore"] == {"conv": 194_400 + 903_168, "linear": 401_408 + 1_280}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
