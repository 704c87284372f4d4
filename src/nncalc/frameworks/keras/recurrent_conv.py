"""Keras convolutional LSTMs: ``ConvLSTM1D``, ``ConvLSTM2D``, ``ConvLSTM3D``.

The input is a sequence of images ``(batch, time, spatial…, channels)`` (``channels_first``: ``(batch, time,
channels, spatial…)``); each gate is a convolution of the input (``strides``, ``padding``, ``dilation_rate`` as
given) plus a ``'same'`` convolution of the hidden state, so the output has the input convolution's spatial
sizes and ``filters`` channels, per step with ``return_sequences``. Weights and MACs follow
:func:`nncalc.layers.recurrent.conv_lstm_terms`.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import SpatialLayer, _Context, positive_int, ranked, resolve_data_format
from nncalc.frameworks.keras.conv import _conv_padding
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.base import as_tuple, kernel_names, positions
from nncalc.layers.conv import ConvSpec, conv_output
from nncalc.layers.recurrent import conv_lstm_macs, conv_lstm_params_formula, conv_lstm_terms


class _ConvLSTM(SpatialLayer):
    """A convolutional LSTM over ``rank`` spatial axes."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = positive_int(filters, "filters")
        try:
            self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
            self.strides = as_tuple(strides, rank, "strides")
            self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        except ShapeError as error:
            raise KerasValueError(error.message, hint=error.hint) from None
        self.padding = _conv_padding(padding, 2)
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.use_bias = bool(use_bias)
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)

    def _layout(self) -> str:
        return "(batch, time, " + super()._layout()[len("(batch, "):]

    def _rank_hint(self, shape):
        return (f"{type(self).__name__} reads a sequence of images: give keras.Input(shape=(time, "
                f"{', '.join(['…'] * self._rank)}, channels))")

    def _split(self, shape: tuple):
        """(time, spatial sizes, channels) of an input of ``shape``."""
        if self.data_format == "channels_last":
            return shape[1], tuple(shape[2:-1]), shape[-1]
        return shape[1], tuple(shape[3:]), shape[2]

    def _channels(self, shape: tuple) -> int:
        channels = self._split(shape)[2]
        if channels is None:
            raise KerasValueError(f"the channel dimension of the inputs should be defined; received "
                                  f"{shape_text(shape)}", hint="give keras.Input a fixed number of channels")
        return channels

    def _weights_for(self, shape):
        channels = self._channels(shape)
        names = kernel_names(self._rank)
        args = (self.kernel_size, names, channels, self.filters, self.use_bias)
        axis = -1 if self.data_format == "channels_last" else 2
        return conv_lstm_terms(*args), conv_lstm_params_formula(*args), {axis: channels}

    def _image(self, batch, spatial: tuple) -> tuple:
        if self.data_format == "channels_last":
            return (batch, *spatial, self.filters)
        return (batch, self.filters, *spatial)

    def _outputs(self, shape: tuple):
        """(output shapes: the output, then h and c with ``return_state``; shape formulas; MACs)."""
        time, spatial, channels = self._split(shape)
        spec = ConvSpec(self._rank, self._channels(shape), self.filters, self.kernel_size, self.strides,
                        self.padding, self.dilation_rate, 1, self.use_bias)
        out_spatial, formulas = conv_output(spec, spatial)
        state = self._image(shape[0], out_spatial)
        output = (shape[0], time, *state[1:]) if self.return_sequences else state
        macs = conv_lstm_macs(self.kernel_size, channels, self.filters, positions((shape[0], *out_spatial)), time)
        return [output, *([state, state] if self.return_state else [])], formulas, macs

    def _forward(self, shape):
        shapes, formulas, macs = self._outputs(shape)
        return shapes[0], formulas, macs

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            shapes, formulas, macs = self._outputs(tensor.shape)
        self._record_cost(macs, formulas)
        outputs = [KerasTensor(s, self.compute_dtype) for s in shapes]
        return outputs if self.return_state else outputs[0]

    def compute_output_shape(self, input_shape):
        with _Context(self):
            shapes = self._outputs(tuple(input_shape))[0]
        return shapes if self.return_state else shapes[0]


ConvLSTM1D = ranked(_ConvLSTM, 1, "ConvLSTM1D", ndim=4,
                    doc="``keras.layers.ConvLSTM1D(filters, kernel_size)`` over ``(batch, time, steps, channels)``.")
ConvLSTM2D = ranked(_ConvLSTM, 2, "ConvLSTM2D", ndim=5,
                    doc="``keras.layers.ConvLSTM2D(filters, kernel_size)`` over ``(batch, time, H, W, channels)``.")
ConvLSTM3D = ranked(_ConvLSTM, 3, "ConvLSTM3D", ndim=6,
                    doc="``keras.layers.ConvLSTM3D(filters, kernel_size)`` over ``(batch, time, D, H, W, channels)``.")


CLASSES = [ConvLSTM1D, ConvLSTM2D, ConvLSTM3D]
