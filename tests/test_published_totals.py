"""The model zoo files equal the published parameter counts (torchvision's model cards), both as nncalc reads
them statically and as the real framework builds them (the oracle). The constants are the published ones, not
numbers nncalc produced."""

from __future__ import annotations

import pytest

import nncalc
import oracle

PUBLISHED = {
    # file: (torchvision name, published total parameters)
    "torch_vgg16.py": ("vgg16", 138_357_544),
    "torch_resnet18.py": ("resnet18", 11_689_512),
    "torch_resnet50.py": ("resnet50", 25_557_032),
    "torch_mobilenet_v2.py": ("mobilenet_v2", 3_504_872),
    "torch_densenet121.py": ("densenet121", 7_978_856),
    "torch_efficientnet_b0.py": ("efficientnet_b0", 5_288_548),
}
# torchvision's model cards list "GFLOPS" at 224x224 that count multiply-accumulates, rounded to 0.01 G
PUBLISHED_GMACS = {
    "vgg16": 15.47, "resnet18": 1.81, "resnet50": 4.09, "mobilenet_v2": 0.30, "densenet121": 2.83,
    "efficientnet_b0": 0.39,
}
CASES = [(oracle.MODELS_DIR / name, model, total) for name, (model, total) in PUBLISHED.items()]
IDS = [model for _, model, _ in CASES]


def _static_report(path):
    directives = oracle.read_directives(path)
    options = {"model": directives.model} if directives.model else {}
    return nncalc.analyze(str(path), input_shape=directives.input_shape, **options)


@pytest.mark.parametrize("path, model, published", CASES, ids=IDS)
def test_nncalc_reads_the_published_total(path, model, published):
    report = _static_report(path)
    assert report.total_params == published
    assert report.trainable_params == published
    assert report.non_trainable_params == 0
    assert tuple(report.output_shape) == (1, 1000)
    assert round(report.total_macs / 1e9, 2) == PUBLISHED_GMACS[model]


@pytest.mark.parametrize("path, model, published", CASES, ids=IDS)
def test_real_torch_builds_the_published_total(path, model, published, oracle_result):
    expected = oracle_result(path)
    assert expected["framework"] == "pytorch"
    assert expected["total_params"] == published
    assert expected["trainable_params"] == published
    assert expected["output_shape"] == [1, 1000]


def test_the_zoo_is_all_there():
    assert all(path.is_file() for path, _, _ in CASES)
