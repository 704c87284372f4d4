"""``keras.applications`` read from Keras's own source: every builder the installed Keras exports, and the
configurations transfer-learning scripts use, analysed by nncalc straight from ``keras/src/applications/*.py``
(nothing imported, nothing executed) against real Keras building the same model (``KERAS_BACKEND=torch``, on
torch's meta device so that even VGG19's 143 M weights cost nothing). Totals, trainable split and output shape
must be equal. nncalc is given ``weights="imagenet"`` where a user would write it; real Keras ``weights=None``
(the oracle downloads nothing): the architecture must not depend on it.

Also: a frozen application used as a layer (one row, with Keras's totals), the ``classes=1000`` check Keras
makes for ImageNet weights, and Keras's wheel as the package registry serves it (``pip download --no-deps``,
cached in ``~/.cache/nncalc-test-wheels``) read by an nncalc that cannot import keras or torch.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import keras
import pytest
from keras.src.applications import nasnet
from keras.src.backend.torch.core import device_scope

import nncalc
from nncalc.errors import InputError
from nncalc.frameworks.keras import names
from no_frameworks import cli_without

ROOT = Path(__file__).resolve().parents[2]
BUILDERS = sorted(name for name in dir(keras.applications) if name[:1].isupper())
SLOW = {"EfficientNetB6", "EfficientNetB7", "EfficientNetV2M", "EfficientNetV2L", "InceptionResNetV2", "NASNetMobile",
        "NASNetLarge"}
"""Over six seconds each, nearly all of it real Keras building the model."""

VARIANTS = [
    ("MobileNetV2", "input_shape=(160, 160, 3), include_top=False, weights='imagenet'"),
    ("Xception", "weights='imagenet', input_shape=(150, 150, 3), include_top=False"),
    ("EfficientNetB0", "include_top=False, weights='imagenet', pooling='avg'"),
    ("ResNet50", "include_top=False, weights=None, input_shape=(None, None, 3)"),
    ("MobileNet", "alpha=0.5, input_shape=(128, 128, 3), weights=None, classes=10"),
    ("MobileNetV3Small", "alpha=0.75, minimalistic=True, include_preprocessing=False, weights=None, "
                         "input_shape=(96, 96, 3), classes=5"),
    ("MobileNetV3Large", "include_top=False, weights='imagenet', input_shape=(224, 224, 3), pooling='max'"),
    ("DenseNet121", "include_top=False, pooling='max', weights=None, input_shape=(64, 64, 3)"),
    ("ConvNeXtTiny", "include_top=False, include_preprocessing=False, weights=None, input_shape=(96, 96, 3)"),
    ("EfficientNetV2B0", "include_top=False, weights=None, input_shape=(128, 128, 3), include_preprocessing=False"),
    ("InceptionV3", "include_top=False, weights='imagenet', input_shape=(139, 139, 3)"),
    ("InceptionResNetV2", "include_top=False, weights=None, input_shape=(75, 75, 3), pooling='avg'"),
    ("VGG16", "include_top=False, weights='imagenet', input_shape=(32, 32, 3)"),
    ("ResNet101V2", "weights=None, classes=37, classifier_activation=None"),
]


def real_keras(build) -> dict:
    """What real Keras builds, on the meta device; NASNet's builders, which the torch backend refuses ("an
    outstanding bug" in its weights' loading), are built as the TensorFlow and JAX backends build them."""
    original = nasnet.backend

    class OtherBackend:
        def __getattr__(self, name):
            return (lambda: "jax") if name == "backend" else getattr(original, name)

    nasnet.backend = OtherBackend()
    try:
        with device_scope("meta"):
            model = build()
    finally:
        nasnet.backend = original
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    return {"total": model.count_params(), "trainable": trainable, "output": tuple(model.output.shape)}


def static(source: str, tmp_path: Path, **options) -> dict:
    path = tmp_path / "app.py"
    path.write_text(source)
    report = nncalc.analyze(str(path), **options)
    return {"total": report.total_params, "trainable": report.trainable_params, "output": report.output_shape}


def documented() -> dict[str, tuple[int, int]]:
    """``docs/libraries.md``'s table of Keras applications: name → (parameters, non-trainable)."""
    text = (ROOT / "docs" / "libraries.md").read_text().partition("## Keras applications")[2]
    rows = re.findall(r"^\| `(\w+)` \| exact \| ([\d,]+) \| ([\d,]+) \|$", text, re.M)
    return {name: (int(total.replace(",", "")), int(frozen.replace(",", ""))) for name, total, frozen in rows}


def test_every_builder_keras_exports_is_known_and_documented():
    assert set(BUILDERS) == {name for name in names.APPLICATIONS if name[:1].isupper()} == set(documented())


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in BUILDERS])
def test_builder(name, tmp_path):
    mine = static(f"import keras\nmodel = keras.applications.{name}(weights=None)\n", tmp_path)
    real = real_keras(lambda: getattr(keras.applications, name)(weights=None))
    assert mine == real
    assert documented()[name] == (real["total"], real["total"] - real["trainable"]), "docs/libraries.md"


@pytest.mark.parametrize("name, arguments", VARIANTS, ids=[f"{n}({a})" for n, a in VARIANTS])
def test_transfer_learning_configuration(name, arguments, tmp_path):
    mine = static(f"import keras\nmodel = keras.applications.{name}({arguments})\n", tmp_path)
    real_arguments = arguments.replace("weights='imagenet'", "weights=None")
    assert mine == real_keras(lambda: eval(f"keras.applications.{name}({real_arguments})"))  # noqa: S307 - our text


def test_channels_first(tmp_path):
    """``keras.config.set_image_data_format("channels_first")`` before the builder: the sources ask
    ``backend.image_data_format()`` and lay the model out channels first."""
    source = ("import keras\nkeras.config.set_image_data_format('channels_first')\n"
              "model = keras.applications.MobileNetV2(weights=None, input_shape=(3, 96, 96), include_top=False)\n")
    keras.config.set_image_data_format("channels_first")
    try:
        real = real_keras(lambda: keras.applications.MobileNetV2(weights=None, input_shape=(3, 96, 96),
                                                                 include_top=False))
    finally:
        keras.config.set_image_data_format("channels_last")
    assert static(source, tmp_path) == real and real["output"] == (None, 1280, 3, 3)


FROZEN = """import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

base_model = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
base_model.trainable = False
inputs = tf.keras.Input(shape=(160, 160, 3))
x = preprocess_input(inputs)
x = base_model(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
outputs = tf.keras.layers.Dense(1)(x)
model = tf.keras.Model(inputs, outputs)
"""


def test_a_frozen_application_is_one_row_with_keras_totals(tmp_path):
    """``base.trainable = False`` and ``base(x, training=False)``: the application is one row of the model
    (its children below it), holding Keras's count; only the head trains."""
    path = tmp_path / "frozen.py"
    path.write_text(FROZEN)
    report = nncalc.analyze(str(path))
    keras.backend.clear_session()  # layer names count from zero, as in nncalc's fresh session
    with device_scope("meta"):
        base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
        base.trainable = False
        inputs = keras.Input(shape=(160, 160, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = keras.layers.GlobalAveragePooling2D()(base(x, training=False))
        model = keras.Model(inputs, keras.layers.Dense(1)(x))
    top = [(row.name, row.params, row.output_shape) for row in report.layers if row.depth == 1]
    expected = [(op.name, op.count_params() if isinstance(op, keras.layers.Layer) else 0, tuple(op.output.shape))
                for op in model.operations[1:]]  # what Keras's summary lists: layers and operations
    assert top == expected
    assert (report.total_params, report.trainable_params) == (model.count_params(), 1281)
    assert report.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)


def test_a_model_on_a_given_input_tensor(tmp_path):
    """``input_tensor=``: the model's inputs are the tensor's sources (``get_source_inputs``), so layers before
    it belong to the application."""
    source = ("import keras\ninp = keras.Input((64, 64, 3))\nx = keras.layers.Rescaling(1 / 255)(inp)\n"
              "model = keras.applications.ResNet50(input_tensor=x, include_top=False, weights=None, pooling='max')\n")

    def build():
        x = keras.layers.Rescaling(1 / 255)(keras.Input((64, 64, 3)))
        return keras.applications.ResNet50(input_tensor=x, include_top=False, weights=None, pooling="max")

    assert static(source, tmp_path) == real_keras(build)


def test_imagenet_weights_with_the_top_need_1000_classes(tmp_path):
    """Keras's own check: ImageNet's classifier has 1000 classes. The message names the user's line."""
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        keras.applications.ResNet50(weights="imagenet", classes=10)
    path = tmp_path / "bad.py"
    path.write_text("import keras\n\nmodel = keras.applications.ResNet50(weights='imagenet', classes=10)\n")
    done = subprocess.run([sys.executable, "-m", "nncalc", "summary", str(path)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=120)
    assert done.returncode == 2, done.stderr
    assert "`classes` should be 1000" in done.stderr and f"{path}:3" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_without_keras_source_the_message_says_how_to_get_it(tmp_path, monkeypatch):
    from nncalc.interpreter import project

    monkeypatch.setattr(project, "site_packages", lambda: [])
    path = tmp_path / "app.py"
    path.write_text("import keras\nmodel = keras.applications.ResNet50(weights=None)\n")
    with pytest.raises(InputError, match="Keras's own source") as caught:
        nncalc.analyze(str(path))
    assert "--source-path" in caught.value.hint


def test_a_snippet_given_as_text_reads_keras_applications_and_nothing_else(tmp_path, monkeypatch):
    """Text has no project: Keras's applications are read from site-packages, a module in the working folder is
    not (the web page analyses a stranger's text this way)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local_settings.py").write_text("classes = 10\n")
    text = "import keras\nmodel = keras.applications.MobileNetV3Small(weights=None, classes=7)\n"
    report = nncalc.analyze(text)
    assert report.total_params == real_keras(lambda: keras.applications.MobileNetV3Small(weights=None,
                                                                                         classes=7))["total"]
    with pytest.raises(nncalc.NncalcError, match="local_settings"):
        nncalc.analyze("import keras\nimport local_settings\n"
                       "model = keras.applications.MobileNetV3Small(weights=None, classes=local_settings.classes)\n")


WHEELS = Path(os.environ.get("NNCALC_TEST_WHEELS", Path.home() / ".cache" / "nncalc-test-wheels"))
NO_SITE_PACKAGES = "import nncalc.interpreter.project as project\nproject.site_packages = lambda: []\n"


def test_keras_wheel_from_the_registry_with_no_framework(tmp_path):
    """Keras's wheel (``pip download --no-deps keras==<installed>``, cached) given with ``--source-path`` to an
    nncalc that cannot import keras or torch, and that finds no Keras in site-packages: the real count."""
    version = keras.__version__
    WHEELS.mkdir(parents=True, exist_ok=True)
    wheels = sorted(WHEELS.glob(f"keras-{version}-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(WHEELS),
                        f"keras=={version}"], check=True, timeout=600)
        wheels = sorted(WHEELS.glob(f"keras-{version}-*.whl"))
    path = tmp_path / "model.py"
    path.write_text("import keras\nmodel = keras.applications.EfficientNetB0(include_top=False, weights='imagenet',"
                    " input_shape=(224, 224, 3))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NNCALC_CACHE=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", cli_without(prelude=NO_SITE_PACKAGES), "summary", str(path),
                           "--source-path", str(wheels[-1]), "--format", "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    real = real_keras(lambda: keras.applications.EfficientNetB0(include_top=False, weights=None,
                                                                input_shape=(224, 224, 3)))
    assert (report["total_params"], report["trainable_params"], tuple(report["output_shape"])) == (
        real["total"], real["trainable"], real["output"])
