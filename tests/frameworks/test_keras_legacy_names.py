"""Keras 2 names old files still use, read as the Keras 3 layers they became: ``tf.keras.layers.experimental
.preprocessing.Rescaling`` is ``keras.layers.Rescaling``. Keras 3 no longer has them, so the oracle is real Keras
running the same model written with today's names."""

from __future__ import annotations

import textwrap

import keras

import nncalc

OLD = """
    import tensorflow as tf
    from tensorflow import keras
    from tensorflow.keras import layers
    from tensorflow.keras.layers.experimental import preprocessing

    data_augmentation = keras.Sequential(
        [
            layers.experimental.preprocessing.Rescaling(scale=1.0 / 255),
            preprocessing.RandomCrop(28, 28),
            preprocessing.RandomFlip("horizontal"),
        ]
    )
    inputs = layers.Input((32, 32, 3))
    x = data_augmentation(inputs)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.experimental.preprocessing.Resizing(13, 13)(x)
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(10)(x))
"""


def _new_names(source: str) -> str:
    source = source.replace("layers.experimental.preprocessing.", "layers.").replace("preprocessing.", "layers.")
    source = source.replace("from tensorflow.keras.layers.experimental import preprocessing\n", "")
    return source.replace("import tensorflow as tf\n", "").replace("tensorflow.keras", "keras").replace(
        "from tensorflow import keras", "import keras")


def test_experimental_preprocessing_layers_are_todays_layers(tmp_path):
    path = tmp_path / "old_augmentation.py"
    path.write_text(textwrap.dedent(OLD))
    report = nncalc.analyze(path)
    namespace: dict = {}
    exec(compile(_new_names(textwrap.dedent(OLD)), "new_names.py", "exec"), namespace)
    real = namespace["model"]
    assert isinstance(real, keras.Model)
    assert report.total_params == real.count_params()
    assert list(report.output_shape) == list(real.output_shape)
