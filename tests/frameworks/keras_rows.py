"""The rows of nncalc's Keras layer rules: one row per layer configuration, read by two kinds of test.

``test_keras_api`` runs every row through real Keras 3 and nncalc side by side; ``test_rule_rows`` runs every
row through nncalc alone against the numbers real Keras computed once, stored in ``keras_rows.json``, so that
an install without Keras still tests every rule. Adding a layer adds a row here; then
``NNCALC_UPDATE_GOLDEN=1 pytest tests/frameworks/test_rule_rows.py`` stores its numbers.

The ``k`` of the summaries is real ``keras`` or the ``keras`` of an nncalc session: they read both alike.
"""

from __future__ import annotations

from math import prod

import pytest

from nncalc.frameworks.keras import new_session
from nncalc.report import build_report

from inner import Inner, built


def _text(value) -> str:
    return getattr(value, "__name__", None) or repr(value)


def row(layer, *args, shape, input_dtype="float32", **kwargs):
    shown = "(" + ",".join(map(_text, args)) + ")" + (str(kwargs) if kwargs else "")
    typed = "" if input_dtype == "float32" else f":{input_dtype}"
    return pytest.param(layer, args, kwargs, shape, input_dtype, id=f"{layer}{shown}@{shape}{typed}".replace(" ", ""))


def double_minus_one(x):
    return x * 2 - 1


def scaled_square(x, factor=1.0):
    return -(x ** 2) / factor


ROWS = [
    # convolutions
    row("Conv2D", 8, 3, shape=(32, 32, 3)),
    row("Conv2D", 16, (3, 5), strides=2, padding="same", shape=(31, 29, 3)),
    row("Conv2D", 8, 3, dilation_rate=2, shape=(32, 32, 3)),
    row("Conv2D", 8, 3, use_bias=False, activation="relu", shape=(32, 32, 3)),
    row("Conv2D", 8, 3, groups=4, shape=(16, 16, 8)),
    row("Conv2D", 6, 3, data_format="channels_first", shape=(3, 16, 16)),
    row("Conv2D", 4, 1, shape=(None, None, 3)),
    row("Conv2D", 8, 5, strides=(2, 1), shape=(28, 28, 1)),
    row("Conv2D", 8, 3, trainable=False, shape=(10, 10, 2)),
    row("Conv2D", 8, (1, 7), padding="SAME", shape=(9, 9, 4)),
    row("Convolution2D", 4, 2, shape=(6, 6, 1)),
    row("Conv1D", 16, 5, shape=(100, 8)),
    row("Conv1D", 16, 3, padding="causal", dilation_rate=4, shape=(50, 4)),
    row("Conv1D", 16, 3, padding="causal", strides=2, shape=(11, 4)),
    row("Conv1D", 8, 3, padding="same", strides=3, data_format="channels_first", shape=(4, 20)),
    row("Conv1D", 4, 3, shape=(None, 2)),
    row("Conv3D", 4, 3, shape=(8, 16, 16, 2)),
    row("Conv3D", 4, (1, 3, 3), strides=(1, 2, 2), padding="same", shape=(5, 9, 9, 3)),
    row("Conv3D", 2, 2, data_format="channels_first", use_bias=False, shape=(3, 4, 5, 6)),
    # dense
    row("Dense", 10, shape=(20,)),
    row("Dense", 10, use_bias=False, shape=(20,)),
    row("Dense", 7, shape=(5, 6)),
    row("Dense", 3, shape=(2, 3, 4)),
    row("Dense", 4, activation="relu", name="head", shape=(8,)),
    row("Dense", 4, activation="softmax", dtype="mixed_float16", shape=(8,)),
    # pooling
    row("MaxPooling2D", shape=(32, 32, 3)),
    row("MaxPooling2D", 3, strides=2, padding="same", shape=(15, 15, 4)),
    row("MaxPooling2D", 2, data_format="channels_first", shape=(3, 9, 9)),
    row("MaxPool2D", (2, 3), shape=(8, 9, 1)),
    row("MaxPooling1D", pool_size=4, shape=(30, 3)),
    row("MaxPooling1D", 2, strides=1, padding="same", shape=(7, 3)),
    row("MaxPooling3D", (1, 2, 2), shape=(4, 8, 8, 2)),
    row("AveragePooling2D", 2, shape=(7, 7, 3)),
    row("AveragePooling1D", 3, strides=1, padding="same", shape=(10, 2)),
    row("AveragePooling3D", 2, padding="same", shape=(5, 5, 5, 1)),
    row("AvgPool1D", 2, shape=(9, 4)),
    row("GlobalAveragePooling2D", shape=(7, 7, 32)),
    row("GlobalMaxPooling2D", keepdims=True, shape=(7, 7, 32)),
    row("GlobalAveragePooling1D", shape=(10, 16)),
    row("GlobalMaxPooling1D", data_format="channels_first", shape=(16, 10)),
    row("GlobalAveragePooling3D", keepdims=True, shape=(4, 4, 4, 8)),
    row("GlobalMaxPooling3D", shape=(4, 4, 4, 8)),
    row("GlobalAvgPool2D", data_format="channels_first", keepdims=True, shape=(8, 5, 5)),
    # reshaping
    row("Flatten", shape=(14, 14, 16)),
    row("Flatten", shape=(5,)),
    row("Flatten", data_format="channels_first", shape=(3, 4, 5)),
    row("Flatten", shape=(3, None, 2)),
    row("Reshape", (-1,), shape=(4, 5, 6)),
    row("Reshape", (8, 8, 1), shape=(64,)),
    row("Reshape", (4, -1), shape=(4, 6)),
    row("Reshape", (-1, 4), shape=(None, 8)),
    row("Permute", (2, 1), shape=(10, 64)),
    row("Permute", (3, 1, 2), shape=(8, 8, 3)),
    # regularisation and activations
    row("Dropout", 0.5, shape=(10,)),
    row("SpatialDropout1D", 0.2, shape=(10, 4)),
    row("SpatialDropout2D", 0.2, shape=(8, 8, 4)),
    row("SpatialDropout3D", 0.1, shape=(4, 4, 4, 2)),
    row("Activation", "relu", shape=(10,)),
    row("Activation", "softmax", shape=(3, 4)),
    row("ReLU", max_value=6.0, shape=(8, 8, 3)),
    row("LeakyReLU", 0.1, shape=(5,)),
    row("Softmax", axis=1, shape=(4, 5)),
    row("ELU", alpha=0.5, shape=(5,)),
    row("PReLU", shape=(8, 8, 3)),
    row("PReLU", shared_axes=[1, 2], shape=(8, 8, 3)),
    row("PReLU", shape=(10,)),
    # batch normalization: moving statistics are non-trainable parameters
    row("BatchNormalization", shape=(8, 8, 16)),
    row("BatchNormalization", axis=1, shape=(16, 8, 8)),
    row("BatchNormalization", center=False, shape=(10,)),
    row("BatchNormalization", scale=False, center=False, shape=(5, 6)),
    row("BatchNormalization", renorm=True, shape=(6,)),
    row("BatchNormalization", trainable=False, shape=(4,)),
    row("BatchNormalization", -2, shape=(3, 7, 2)),
    # depthwise and separable convolutions
    row("DepthwiseConv2D", 3, shape=(16, 16, 8)),
    row("DepthwiseConv2D", 3, strides=2, padding="same", depth_multiplier=2, use_bias=False, shape=(15, 15, 4)),
    row("DepthwiseConv2D", (3, 5), dilation_rate=2, data_format="channels_first", shape=(3, 16, 16)),
    row("DepthwiseConv1D", 5, depth_multiplier=3, shape=(40, 4)),
    row("SeparableConv2D", 16, 3, shape=(32, 32, 3)),
    row("SeparableConv2D", 8, 3, strides=2, padding="same", depth_multiplier=2, use_bias=False, shape=(9, 9, 4)),
    row("SeparableConv2D", 8, 3, data_format="channels_first", shape=(4, 10, 10)),
    row("SeparableConv1D", 8, 3, padding="same", shape=(20, 6)),
    row("SeparableConvolution2D", 4, 1, shape=(5, 5, 2)),
    # transposed convolutions: Keras's own 'valid'/'same' length rule, with and without output_padding
    row("Conv2DTranspose", 8, 3, shape=(8, 8, 4)),
    row("Conv2DTranspose", 8, 3, strides=2, padding="same", shape=(8, 8, 4)),
    row("Conv2DTranspose", 8, 2, strides=2, shape=(7, 7, 4)),
    row("Conv2DTranspose", 8, 1, strides=3, shape=(5, 5, 2)),
    row("Conv2DTranspose", 4, 3, strides=2, padding="same", output_padding=1, shape=(5, 5, 2)),
    row("Conv2DTranspose", 4, 3, strides=2, padding="valid", output_padding=1, shape=(5, 5, 2)),
    row("Conv2DTranspose", 4, (4, 3), strides=(2, 1), padding="same", output_padding=(0, 0), shape=(5, 6, 2)),
    row("Conv2DTranspose", 4, 3, dilation_rate=2, shape=(6, 6, 2)),
    row("Conv2DTranspose", 4, 3, strides=2, data_format="channels_first", use_bias=False, shape=(2, 5, 5)),
    row("Conv1DTranspose", 4, 5, strides=2, padding="same", shape=(10, 3)),
    row("Conv3DTranspose", 2, 3, strides=2, shape=(3, 4, 5, 2)),
    row("Convolution2DTranspose", 2, 2, shape=(3, 3, 1)),
    # upsampling, padding, cropping, resizing
    row("UpSampling2D", shape=(8, 8, 3)),
    row("UpSampling2D", (2, 3), interpolation="bilinear", shape=(4, 5, 2)),
    row("UpSampling2D", 2, data_format="channels_first", shape=(3, 4, 4)),
    row("UpSampling1D", 3, shape=(5, 2)),
    row("UpSampling3D", (1, 2, 2), shape=(2, 3, 3, 1)),
    row("ZeroPadding2D", shape=(8, 8, 3)),
    row("ZeroPadding2D", ((1, 2), (3, 4)), shape=(5, 5, 1)),
    row("ZeroPadding2D", (2, 0), data_format="channels_first", shape=(2, 5, 5)),
    row("ZeroPadding1D", (1, 3), shape=(7, 2)),
    row("ZeroPadding1D", 2, shape=(7, 2)),
    row("ZeroPadding3D", 1, shape=(2, 2, 2, 1)),
    row("Cropping2D", shape=(8, 8, 3)),
    row("Cropping2D", ((1, 2), (0, 1)), shape=(8, 8, 3)),
    row("Cropping2D", 2, shape=(8, 8, 3)),
    row("Cropping1D", (2, 1), shape=(10, 3)),
    row("Cropping3D", shape=(4, 4, 4, 1)),
    row("Resizing", 16, 12, shape=(8, 8, 3)),
    # weightless value layers
    row("Rescaling", 1 / 255.0, shape=(8, 8, 3)),
    row("Rescaling", 2.0, offset=-1.0, shape=(4,)),
    row("Identity", shape=(3, 4)),
    row("Lambda", double_minus_one, shape=(6, 2)),
    row("Lambda", scaled_square, arguments={"factor": 2.0}, shape=(3,)),
    # layer, group and feature normalisation
    row("LayerNormalization", shape=(10,)),
    row("LayerNormalization", shape=(5, 8)),
    row("LayerNormalization", axis=[1, 2, 3], shape=(4, 4, 3)),
    row("LayerNormalization", axis=1, center=False, shape=(6, 5)),
    row("LayerNormalization", scale=False, shape=(7,)),
    row("GroupNormalization", groups=4, shape=(8, 8, 16)),
    row("GroupNormalization", groups=-1, shape=(5, 6)),
    row("GroupNormalization", groups=2, axis=1, shape=(4, 3, 3)),
    row("GroupNormalization", groups=1, center=False, shape=(3, 3, 2)),
    row("Normalization", shape=(8, 8, 3)),
    row("Normalization", axis=None, shape=(5,)),
    row("Normalization", axis=(1, 2), shape=(4, 5, 3)),
    row("Normalization", mean=0.5, variance=2.0, shape=(4,)),
    row("Normalization", axis=1, shape=(3, 4, 5)),
    # sequence layers: embeddings, recurrent layers (Keras: one bias per gate; GRU reset_after two), wrappers
    row("Embedding", 1000, 64, shape=(20,)),
    row("Embedding", 50, 8, mask_zero=True, shape=(4, 5)),
    row("Embedding", 10, 3, input_length=7, shape=(7,)),
    row("SimpleRNN", 16, shape=(10, 8)),
    row("SimpleRNN", 4, return_sequences=True, use_bias=False, shape=(None, 3)),
    row("LSTM", 64, shape=(10, 32)),
    row("LSTM", 8, return_sequences=True, dropout=0.2, recurrent_dropout=0.1, shape=(5, 4)),
    row("LSTM", 8, use_bias=False, go_backwards=True, shape=(5, 4)),
    row("GRU", 64, shape=(10, 32)),
    row("GRU", 64, reset_after=False, shape=(10, 32)),
    row("GRU", 6, reset_after=False, use_bias=False, return_sequences=True, shape=(7, 5)),
    row("Bidirectional", Inner("LSTM", 16, return_sequences=True), shape=(12, 8)),
    row("Bidirectional", Inner("GRU", 5), merge_mode="sum", shape=(6, 3)),
    row("Bidirectional", Inner("GRU", 5, reset_after=False), merge_mode="ave", shape=(6, 3)),
    row("Bidirectional", Inner("SimpleRNN", 4, return_sequences=True), merge_mode="mul", shape=(6, 3)),
    row("Bidirectional", Inner("LSTM", 4), backward_layer=Inner("LSTM", 4, go_backwards=True, use_bias=False), shape=(6, 3)),
    row("TimeDistributed", Inner("Dense", 10), shape=(5, 8)),
    row("TimeDistributed", Inner("Conv2D", 4, 3), shape=(3, 8, 8, 2)),
    row("RepeatVector", 6, shape=(4,)),
    row("AdaptiveAveragePooling2D", (3, 2), shape=(8, 9, 3)),
    row("AdaptiveAveragePooling2D", 2, data_format="channels_first", shape=(3, 8, 9)),
    row("AdaptiveMaxPooling1D", 4, shape=(9, 3)),
    row("AdaptiveMaxPooling2D", 1, shape=(7, 7, 5)),
    row("AdaptiveAveragePooling1D", 2, shape=(9, 3)),
    row("AdaptiveAveragePooling3D", (1, 2, 3), shape=(4, 4, 6, 2)),
    row("AdaptiveMaxPooling3D", 2, shape=(4, 4, 4, 1)),
    row("EinsumDense", "ab,bc->ac", output_shape=4, bias_axes="c", shape=(6,)),
    row("EinsumDense", "abc,cd->abd", output_shape=(None, 4), shape=(5, 6)),
    row("EinsumDense", "abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de", shape=(5, 6)),
    row("EinsumDense", "abc,cde->abde", (5, 2, 4), bias_axes="d", activation="relu", shape=(5, 6)),
    row("EinsumDense", "...b,bc->...c", 3, bias_axes="c", shape=(4, 5, 6)),
    row("EinsumDense", "...ab,bc->...ac", (7, 3), shape=(2, 4, 7, 6)),
    row("EinsumDense", "ab...,bc->ac...", (3, 5), shape=(6, 5)),
    row("RMSNormalization", shape=(5, 8)),
    row("RMSNormalization", axis=[1, 2], shape=(5, 8)),
    row("RMSNormalization", axis=1, epsilon=1e-5, shape=(5, 8, 2)),
    row("RNN", Inner("LSTMCell", 8), shape=(5, 4)),
    row("RNN", Inner("GRUCell", 6, reset_after=False), return_sequences=True, shape=(None, 4)),
    row("RNN", [Inner("GRUCell", 8), Inner("SimpleRNNCell", 3, use_bias=False)], return_sequences=True, shape=(5, 4)),
    row("RNN", Inner("StackedRNNCells", [Inner("LSTMCell", 8), Inner("LSTMCell", 3)]), shape=(5, 4)),
    row("Bidirectional", Inner("RNN", Inner("LSTMCell", 4)), shape=(5, 4)),
    row("ReversibleEmbedding", 100, 8, shape=(5,)),
    row("ReversibleEmbedding", 100, 8, tie_weights=False, shape=(5,)),
    row("SpectralNormalization", Inner("Dense", 4), shape=(6,)),
    row("SpectralNormalization", Inner("Conv2D", 4, 3, use_bias=False), power_iterations=2, shape=(8, 8, 2)),
    row("Pipeline", [Inner("RandomFlip"), Inner("Rescaling", 0.5)], shape=(8, 8, 3)),
    row("Pipeline", [Inner("Dense", 3), Inner("Dropout", 0.1)], shape=(4,)),
    row("STFTSpectrogram", shape=(1600, 1)),
    row("STFTSpectrogram", mode="stft", frame_length=200, frame_step=100, fft_length=256, padding="same",
        shape=(1600, 2)),
    row("STFTSpectrogram", mode="real", expand_dims=True, shape=(1000, 3)),
    row("STFTSpectrogram", mode="imag", data_format="channels_first", shape=(2, 1000)),
    row("STFTSpectrogram", frame_length=100, shape=(None, 1)),
    row("MelSpectrogram", shape=(16000,)),
    row("MelSpectrogram", fft_length=400, sequence_stride=160, sequence_length=400, num_mel_bins=80, shape=(16000,)),
    row("MelSpectrogram", sequence_stride=100, shape=(None,)),
    row("ConvLSTM2D", 4, 3, shape=(5, 8, 8, 2)),
    row("ConvLSTM2D", 4, 3, strides=2, padding="same", return_sequences=True, shape=(None, 9, 9, 3)),
    row("ConvLSTM2D", 4, (3, 1), data_format="channels_first", dilation_rate=2, shape=(5, 2, 8, 8)),
    row("ConvLSTM1D", 3, 2, use_bias=False, shape=(5, 8, 2)),
    row("ConvLSTM3D", 2, 3, return_sequences=True, shape=(3, 5, 5, 5, 1)),
    # preprocessing and augmentation: no weights; crops set the size, encodings add or replace the last axis
    row("RandomFlip", shape=(8, 8, 3)),
    row("RandomFlip", "horizontal", seed=1, shape=(8, 8, 3), input_dtype="uint8"),
    row("RandomRotation", 0.1, shape=(8, 8, 3)),
    row("RandomRotation", (-0.2, 0.3), fill_mode="nearest", data_format="channels_first", shape=(3, 8, 8)),
    row("RandomZoom", 0.1, shape=(8, 8, 3)),
    row("RandomZoom", (-0.2, 0.1), 0.3, shape=(None, None, 3)),
    row("RandomTranslation", 0.1, 0.2, shape=(8, 8, 3)),
    row("RandomContrast", 0.2, shape=(8, 8, 3)),
    row("RandomBrightness", 0.2, value_range=(0, 1), shape=(8, 8, 3)),
    row("RandomCrop", 4, 5, shape=(8, 8, 3)),
    row("RandomCrop", 4, 5, shape=(None, None, 3)),
    row("RandomCrop", 4, 5, data_format="channels_first", shape=(3, 8, 8)),
    row("CenterCrop", 4, 5, shape=(8, 8, 3)),
    row("CenterCrop", 12, 10, shape=(8, 8, 3), input_dtype="uint8"),
    row("RandomShear", 0.1, 0.2, shape=(8, 8, 3)),
    row("RandomPerspective", shape=(8, 8, 3)),
    row("RandomElasticTransform", shape=(8, 8, 3)),
    row("RandomErasing", shape=(8, 8, 3)),
    row("RandomGaussianBlur", shape=(8, 8, 3)),
    row("RandomColorDegeneration", 0.5, shape=(8, 8, 3)),
    row("RandomColorJitter", brightness_factor=0.2, shape=(8, 8, 3)),
    row("RandomHue", 0.5, shape=(8, 8, 3)),
    row("RandomSaturation", 0.5, shape=(8, 8, 3)),
    row("RandomSharpness", 0.5, shape=(8, 8, 3)),
    row("RandomPosterization", 4, shape=(8, 8, 3)),
    row("RandomInvert", shape=(8, 8, 3)),
    row("RandomGrayscale", shape=(8, 8, 3), input_dtype="uint8"),
    row("Solarization", 0.5, shape=(8, 8, 3)),
    row("AutoContrast", shape=(8, 8, 3)),
    row("ContrastLimitedAdaptiveHistogramEqualization", shape=(8, 8, 3)),
    row("AugMix", shape=(8, 8, 3)),
    row("RandAugment", shape=(8, 8, 3)),
    row("CutMix", shape=(8, 8, 3)),
    row("MixUp", shape=(8, 8, 3)),
    row("MaxNumBoundingBoxes", 4, shape=(8, 8, 3)),
    row("GaussianNoise", 0.1, shape=(5, 4)),
    row("GaussianDropout", 0.1, shape=(5,)),
    row("AlphaDropout", 0.1, shape=(5,)),
    row("ActivityRegularization", l1=0.01, shape=(6,)),
    row("Masking", shape=(7, 3)),
    row("UnitNormalization", shape=(7, 3)),
    row("CategoryEncoding", num_tokens=10, shape=(3,), input_dtype="int32"),
    row("CategoryEncoding", 10, "one_hot", shape=(1,), input_dtype="int32"),
    row("CategoryEncoding", 6, "one_hot", shape=(4,), input_dtype="int32"),
    row("CategoryEncoding", 6, "count", shape=(2, 4), input_dtype="int32"),
    row("Discretization", bin_boundaries=[0.0, 1.0, 2.0], shape=(3,)),
    row("Discretization", [0.0, 1.0], output_mode="one_hot", shape=(1,)),
    row("Discretization", [0.0, 1.0], output_mode="one_hot", shape=(3,)),
    row("Discretization", [0.0, 1.0], output_mode="multi_hot", shape=(3,)),
    row("Discretization", [0.0, 1.0], output_mode="count", shape=(2, 3)),
]


def real_layer_facts(layer: str, args: tuple, kwargs: dict, shape: tuple, dtype: str) -> dict:
    import keras

    keras.backend.clear_session()  # names start afresh, as in a new process
    model = keras.Sequential([keras.Input(shape=shape, dtype=dtype), built(keras.layers, layer, args, kwargs)])
    real_layer = model.layers[0]
    return {
        "params": model.count_params(),
        "trainable": sum(prod(w.shape) for w in model.trainable_weights),
        "non_trainable": sum(prod(w.shape) for w in model.non_trainable_weights),
        "output_shape": tuple(model.output_shape),
        "output_dtype": model.outputs[0].dtype,
        "weights": [(w.name, tuple(w.shape)) for w in real_layer.weights],
        "layer": (type(real_layer).__name__, real_layer.name),
        "model": (type(model).__name__, model.name),
    }


def nncalc_layer_facts(layer: str, args: tuple, kwargs: dict, shape: tuple, dtype: str) -> dict:
    session = new_session()
    k = session.keras
    model = k.Sequential([k.Input(shape=shape, dtype=dtype), built(k.layers, layer, args, kwargs)])
    graph = session.trace(model, None, None, None)
    report = build_report(graph)
    (node,) = graph.root.children
    assert [c.node for c in graph.calls] == [node]
    return {
        "params": report.total_params,
        "trainable": report.trainable_params,
        "non_trainable": report.non_trainable_params,
        "output_shape": graph.output_shapes[0],
        "output_dtype": model.outputs[0].dtype,
        "weights": [(w.name, w.shape) for w in node.weights],
        "count_params": model.count_params(),
        "model_output_shape": model.output_shape,
        "formula": node.params_formula,
        "call_output": graph.calls[0].output_shapes[0],
        "layer": (node.type, node.name),
        "model": (graph.root.type, graph.model_name),
    }



def merge(layer, *args, shapes, **kwargs):
    return pytest.param(layer, args, kwargs, shapes, id=f"{layer}{args}{kwargs or ''}@{shapes}".replace(" ", ""))


MERGE_ROWS = [
    merge("Add", shapes=[(8, 8, 16), (8, 8, 16)]),
    merge("Add", shapes=[(4,), (3, 4)]),
    merge("Add", shapes=[(1, 4), (3, 4), (3, 1)]),
    merge("Subtract", shapes=[(5,), (5,)]),
    merge("Multiply", shapes=[(3, 4), (3, 1)]),
    merge("Average", shapes=[(2, 2, 3)] * 3),
    merge("Maximum", shapes=[(6,), (6,)]),
    merge("Minimum", shapes=[(None, 6), (4, 6)]),
    merge("Concatenate", shapes=[(8, 8, 3), (8, 8, 5)]),
    merge("Concatenate", axis=1, shapes=[(3, 4), (5, 4)]),
    merge("Concatenate", axis=-2, shapes=[(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    merge("Concatenate", shapes=[(None, 4), (None, 2)]),
    merge("Dot", 1, shapes=[(4,), (4,)]),
    merge("Dot", (1, 2), shapes=[(3, 5), (2, 3)]),
    merge("Dot", axes=-1, normalize=True, shapes=[(3, 4), (5, 4)]),
    merge("add", shapes=[(4,), (4,)]),
    merge("subtract", shapes=[(4,), (4,)]),
    merge("multiply", shapes=[(2, 4), (2, 4)]),
    merge("average", shapes=[(4,), (4,)]),
    merge("maximum", shapes=[(4,), (1,)]),
    merge("minimum", shapes=[(4,), (4,)]),
    merge("concatenate", axis=1, shapes=[(4, 3), (4, 3)]),
    merge("dot", axes=2, shapes=[(3, 4), (5, 4)]),
]


def merge_summary(k, layer: str, args: tuple, kwargs: dict, shapes: list) -> dict:
    inputs = [k.Input(shape) for shape in shapes]
    make = getattr(k.layers, layer)
    output = make(inputs, *args, **kwargs) if layer.islower() else make(*args, **kwargs)(inputs)
    model = k.Model(inputs, output)
    return {
        "output_shape": tuple(model.output_shape),
        "layers": [(type(l).__name__, l.name) for l in model.layers],
        "params": model.count_params(),
    }



def seq(layer, *args, shapes, call=None, **kwargs):
    """A layer called on several inputs or returning several outputs, in a functional model."""
    shown = f"{layer}{args}{kwargs or ''}{call or ''}@{shapes}".replace(" ", "")
    return pytest.param(layer, args, kwargs, shapes, call or {}, id=shown)


SEQUENCE_ROWS = [
    # return_state: the output, then h (LSTM: h and c); Bidirectional: forward's states, then backward's
    seq("LSTM", 8, return_state=True, shapes=[(5, 4)]),
    seq("ConvLSTM2D", 4, 3, return_state=True, shapes=[(5, 8, 8, 2)]),
    seq("RNN", Inner("LSTMCell", 8), return_state=True, shapes=[(5, 4)]),
    seq("ReversibleEmbedding", 100, 8, tie_weights=False, shapes=[(5, 8)], call={"reverse": True}),
    seq("ReversibleEmbedding", 50, 6, shapes=[(3, 6)], call={"reverse": True}),
    seq("RNN", [Inner("LSTMCell", 8), Inner("GRUCell", 3)], return_state=True, shapes=[(5, 4)]),
    seq("ConvLSTM1D", 3, 2, return_state=True, return_sequences=True, use_bias=False, shapes=[(5, 8, 2)]),
    seq("LSTM", 8, return_state=True, return_sequences=True, shapes=[(5, 4)]),
    seq("GRU", 8, return_state=True, shapes=[(5, 4)]),
    seq("SimpleRNN", 3, return_state=True, return_sequences=True, shapes=[(None, 4)]),
    seq("Bidirectional", Inner("LSTM", 8, return_state=True), shapes=[(5, 4)]),
    seq("Bidirectional", Inner("GRU", 8, return_sequences=True), merge_mode=None, shapes=[(5, 4)]),
    seq("Bidirectional", Inner("SimpleRNN", 8, return_state=True), merge_mode=None, shapes=[(5, 4)]),
    # attention: MultiHeadAttention(query, value[, key]); Attention([query, value[, key]])
    seq("MultiHeadAttention", num_heads=2, key_dim=16, shapes=[(10, 32), (10, 32)]),
    seq("MultiHeadAttention", 4, 8, value_dim=6, output_shape=20, shapes=[(7, 32), (9, 16), (9, 12)]),
    seq("MultiHeadAttention", 2, 4, use_bias=False, output_shape=(5,), shapes=[(3, 6), (4, 6)]),
    seq("MultiHeadAttention", 2, 4, shapes=[(3, 6), (3, 5)], call={"return_attention_scores": True}),
    seq("MultiHeadAttention", 8, 64, shapes=[(128, 512), (128, 512)], call={"use_causal_mask": True}),
    seq("GroupQueryAttention", 8, 4, 2, shapes=[(5, 16), (6, 16)]),
    seq("GroupQueryAttention", 8, 4, 2, use_bias=False, shapes=[(5, 16), (6, 16), (6, 12)]),
    seq("GroupQueryAttention", head_dim=4, num_query_heads=6, num_key_value_heads=3, shapes=[(None, 12), (7, 12)]),
    seq("AdditiveAttention", shapes=[(4, 6), (5, 6)]),
    seq("AdditiveAttention", use_scale=False, shapes=[(4, 6), (5, 6), (5, 6)]),
    seq("Attention", shapes=[(10, 16), (12, 16)]),
    seq("Attention", use_scale=True, shapes=[(10, 16), (12, 8), (12, 16)]),
    seq("Attention", score_mode="concat", shapes=[(4, 6), (5, 6)]),
    seq("Attention", use_scale=True, score_mode="concat", shapes=[(4, 6), (5, 6)]),
]


def sequence_layer(k, layer: str, args: tuple, kwargs: dict, shapes: list, call: dict) -> tuple:
    """(inputs, the layer, its output) of a sequence row, the layer called on inputs of ``shapes``."""
    inputs = [k.Input(shape) for shape in shapes]
    made_layer = built(k.layers, layer, args, kwargs)
    if layer in ("MultiHeadAttention", "GroupQueryAttention"):
        output = made_layer(*inputs, **call)
    else:
        output = made_layer(inputs if len(inputs) > 1 else inputs[0], **call)
    return inputs, made_layer, output


def sequence_summary(k, layer: str, args: tuple, kwargs: dict, shapes: list, call: dict) -> dict:
    inputs, _, output = sequence_layer(k, layer, args, kwargs, shapes, call)
    model = k.Model(inputs, output)
    shapes = model.output_shape
    return {
        "output_shape": [tuple(s) for s in shapes] if isinstance(shapes, list) else tuple(shapes),
        "layers": [(type(l).__name__, l.name) for l in model.layers],
        "weights": [(w.name, tuple(w.shape), w.trainable) for w in model.layers[-1].weights],
        "params": model.count_params(),
        "trainable": sum(prod(w.shape) for w in model.trainable_weights),
    }


def every_row() -> dict[str, tuple]:
    """Every row by its key (``table/test id``), as ``(kind, row values)``."""
    rows = {f"layers/{p.id}": ("layer", p.values) for p in ROWS}
    rows.update({f"merge/{p.id}": ("merge", p.values) for p in MERGE_ROWS})
    rows.update({f"sequence/{p.id}": ("sequence", p.values) for p in SEQUENCE_ROWS})
    return rows


def nncalc_facts(kind: str, values: tuple) -> dict:
    """What nncalc says of one row, in :func:`keras_facts`'s form; a layer row adds its parameter formula's
    value."""
    if kind == "layer":
        found = nncalc_layer_facts(*values)
        facts = {key: found[key] for key in _LAYER_FACTS}
        return {**facts, "formula": found["formula"].value if found["formula"] is not None else 0}
    summary = merge_summary if kind == "merge" else sequence_summary
    return summary(new_session().keras, *values)


def keras_facts(kind: str, values: tuple) -> dict:
    """What real Keras says of one row (Keras's own names start afresh for each)."""
    import keras

    if kind == "layer":
        return real_layer_facts(*values)
    keras.backend.clear_session()
    summary = merge_summary if kind == "merge" else sequence_summary
    return summary(keras, *values)


_LAYER_FACTS = ("params", "trainable", "non_trainable", "output_shape", "output_dtype", "weights", "layer", "model")
