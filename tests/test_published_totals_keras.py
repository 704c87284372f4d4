"""The Keras reference models of tests/models add up to the totals Keras publishes for keras.applications:
read by nncalc without running them, and run by real Keras (the oracle), both must give the published numbers.
"""

from __future__ import annotations

import pytest

import nncalc
import oracle

# keras.applications: ResNet50 and MobileNetV2 (alpha 1.0, 224×224), with their 1000-class classifier
PUBLISHED = {
    "keras_resnet50.py": {"total": 25_636_712, "non_trainable": 53_120, "output": (None, 1000)},
    "keras_mobilenet_v2.py": {"total": 3_538_984, "non_trainable": 34_112, "output": (None, 1000)},
}


@pytest.fixture(params=sorted(PUBLISHED), ids=str)
def model_file(request):
    return oracle.MODELS_DIR / request.param


def test_nncalc_gives_the_published_total(model_file):
    published = PUBLISHED[model_file.name]
    report = nncalc.analyze(str(model_file))
    assert report.framework == "keras"
    assert report.total_params == published["total"]
    assert report.non_trainable_params == published["non_trainable"]
    assert report.trainable_params == published["total"] - published["non_trainable"]
    assert report.output_shape == published["output"]


def test_real_keras_gives_the_published_total(model_file, oracle_result):
    published = PUBLISHED[model_file.name]
    result = oracle_result(model_file)
    assert result["framework"] == "keras"
    assert result["total_params"] == published["total"]
    assert result["non_trainable_params"] == published["non_trainable"]
    assert tuple(result["output_shape"]) == published["output"]


def test_the_structure_matches_keras_applications():
    resnet = nncalc.analyze(str(oracle.MODELS_DIR / "keras_resnet50.py"))
    names = [row.name for row in resnet.layers]
    assert names[:6] == ["conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool"]
    assert sum(name.endswith("_add") for name in names) == 3 + 4 + 6 + 3
    assert names[-2:] == ["avg_pool", "predictions"]
    mobilenet = nncalc.analyze(str(oracle.MODELS_DIR / "keras_mobilenet_v2.py"))
    assert mobilenet.model_name == "mobilenetv2_1.00_224"
    types = [row.type for row in mobilenet.layers]
    assert types.count("DepthwiseConv2D") == 17 and types.count("Add") == 10 and types.count("ZeroPadding2D") == 4
