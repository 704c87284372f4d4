"""Compute and memory of the seed, against hand calculation (seed.md's shapes and counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

import nncalc
from tests.cli.test_seed import KERAS_SEED, TORCH_SEED, nncalc as run_cli

P = 404_218  # the seed's total


def test_seed_macs_per_layer():
    r = nncalc.analyze(TORCH_SEED)
    # conv: out positions × filters × k_h·k_w·C_in; dense: inputs × outputs
    assert [row.macs for row in r.layers] == [30 * 30 * 8 * 27, 28 * 28 * 16 * 72, 0, 3136 * 128, 128 * 10]
    assert r.total_macs == 1_500_256
    assert r.total_flops == 2 * 1_500_256
    assert nncalc.analyze(KERAS_SEED).total_macs == 1_500_256


def test_seed_activation_bytes_are_the_sum_of_output_sizes():
    r = nncalc.analyze(TORCH_SEED)
    outputs = 8 * 30 * 30 + 16 * 28 * 28 + 16 * 14 * 14 + 128 + 10
    assert r.memory.activations == outputs * 4
    keras = nncalc.analyze(KERAS_SEED)  # Keras has a Flatten layer whose output counts too
    assert keras.memory.activations == (outputs + 3136) * 4


@pytest.mark.parametrize("precision, size", [("fp32", 4), ("fp16", 2), ("bf16", 2), ("int8", 1)])
def test_parameter_bytes_by_precision(precision, size):
    assert nncalc.analyze(TORCH_SEED, dtype=precision).param_bytes == P * size


def test_int4_packs_two_parameters_a_byte():
    assert nncalc.analyze(TORCH_SEED, dtype="int4").param_bytes == P // 2


def test_training_estimate_breakdown():
    m = nncalc.analyze(TORCH_SEED, optimizer="adamw").memory
    assert (m.parameters, m.gradients, m.optimizer_state) == (4 * P, 4 * P, 8 * P)
    assert m.training == 16 * P + m.activations
    sgd = nncalc.analyze(TORCH_SEED, optimizer="sgd").memory
    assert sgd.training == 8 * P + sgd.activations
    mixed = nncalc.analyze(TORCH_SEED, mixed_precision=True).memory
    # 16-bit weights and gradients, fp32 master copy and two Adam states, 16-bit activations
    assert mixed.training == 2 * P + 2 * P + 4 * P + 8 * P + mixed.activations
    assert mixed.activations == nncalc.analyze(TORCH_SEED).memory.activations // 2


def test_memory_in_json_and_table():
    import json

    done = run_cli("summary", TORCH_SEED, "--format", "json", "--dtype", "fp16")
    data = json.loads(done.stdout)
    assert data["memory"]["parameters"] == 2 * P and data["memory"]["precision"] == "fp16"
    assert data["total_flops"] == 3_000_512
    table = run_cli("summary", TORCH_SEED, "--columns", "output_shape,params,macs,flops,activations")
    assert table.returncode == 0, table.stderr
    for text in ["MACs", "FLOPs", "194.40 K", "Training memory (Adam)", "MACs: 1.50 M (1,500,256)"]:
        assert text in table.stdout


def test_unknown_precision_and_column_are_input_errors():
    assert run_cli("summary", TORCH_SEED, "--dtype", "fp8").returncode == 2
    assert run_cli("summary", TORCH_SEED, "--columns", "params,foo").returncode == 2


def test_one_dtype_per_input_is_checked():
    """``--dtype float32,int64`` gives each input its dtype (tests/models/torch_whisper_style.py reads that way);
    a name no input can have, or a count that is not the inputs', is the input's error (exit 2) saying so."""
    wrong_name = run_cli("summary", TORCH_SEED, "--input-shape", "3,32,32", "--dtype", "float32,fp8")
    assert wrong_name.returncode == 2 and "'fp8' is not a dtype an input can have" in wrong_name.stderr
    wrong_count = run_cli("summary", TORCH_SEED, "--input-shape", "3,32,32", "--dtype", "float32,int64")
    assert wrong_count.returncode == 2 and "2 dtypes for 1 inputs" in wrong_count.stderr
    assert run_cli("summary", TORCH_SEED, "--input-shape", "3,32,32", "--dtype", "float32").returncode == 0


def test_a_scalar_per_sample_input_on_the_command_line(tmp_path):
    """``--input-shape "()"`` is one number per sample, ``(batch,)``: a diffusion U-Net's timestep beside its
    image (``tests/models/torch_diffusion_unet.py`` checks the model against torch)."""
    import json

    model = Path(__file__).parent / "models" / "torch_diffusion_unet.py"
    done = run_cli("summary", model, "--input-shape", "3,32,32", "--input-shape", "()", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["input_shapes"][1] == [1]
