"""Keras ``STFTSpectrogram``: a short-time Fourier transform as a convolution with fixed-size kernels.

Audio ``(batch, samples, channels)`` (``channels_first``: ``(batch, channels, samples)``) is framed by a window of
``frame_length`` moving by ``frame_step`` (``frame_length // 2`` by default); each frame gives ``F = fft_length
// 2 + 1`` frequencies (``fft_length``: the next power of two of ``frame_length`` by default), twice as many
in ``'stft'`` mode (real and imaginary parts). The kernels ``real_kernel``/``imag_kernel`` ``(frame_length, 1,
F)`` are trainable weights in Keras; ``'real'`` mode has only the first, ``'imag'`` only the second.
"""

from __future__ import annotations

from math import ceil, log2

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.preprocessing import _Preprocessing
from nncalc.layers.base import Term, sliding_window, terms_formula

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(_Preprocessing):
    """``keras.layers.STFTSpectrogram(mode='log', frame_length=256, frame_step=None, fft_length=None, …)``."""

    _ndim = 3
    _params = (("mode", "log"), ("frame_length", 256), ("frame_step", None), ("fft_length", None),
               ("window", "hann"), ("periodic", False), ("scaling", "density"), ("padding", "valid"),
               ("expand_dims", False), ("data_format", None))

    def _check_arguments(self):
        if self.frame_step is not None and not 1 <= self.frame_step <= self.frame_length:
            raise KerasValueError("`frame_step` should be a positive integer not greater than `frame_length`. "
                                  f"Received frame_step={self.frame_step}, frame_length={self.frame_length}")
        if self.fft_length is not None and self.fft_length < self.frame_length:
            raise KerasValueError("`fft_length` should be not less than `frame_length`. "
                                  f"Received fft_length={self.fft_length}, frame_length={self.frame_length}")
        if self.mode not in MODES:
            raise KerasValueError(f"Output mode is invalid, it must be one of {', '.join(MODES)}. "
                                  f"Received: mode={self.mode}")
        if self.padding not in ("valid", "same"):
            raise KerasValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: padding={self.padding}")
        self.step = self.frame_step or self.frame_length // 2
        self.fft_size = self.fft_length or 2 ** int(ceil(log2(self.frame_length)))

    def _layout(self) -> str:
        return "(batch, samples, channels)" if self.data_format == "channels_last" else "(batch, channels, samples)"

    def _frequencies(self) -> int:
        return self.fft_size // 2 + 1

    def _kernels(self) -> list[str]:
        return [name for name, mode in (("real_kernel", "imag"), ("imag_kernel", "real")) if self.mode != mode]

    def _weights_for(self, shape):
        dims = (("frame_length", self.frame_length), ("1", 1), ("F", self._frequencies()))
        terms = [Term(name, dims) for name in self._kernels()]
        return terms, terms_formula(terms), {}

    def _forward(self, shape):
        samples, channels = (shape[1], shape[2]) if self.data_format == "channels_last" else (shape[2], shape[1])
        frames, formula = sliding_window(samples, self.frame_length, self.step, self.padding, axis="T")
        if frames is not None and frames < 1:
            raise KerasValueError(f"{samples} samples are fewer than one frame of {self.frame_length}")
        width = self._frequencies() * (2 if self.mode == "stft" else 1)
        features = None if channels is None else width * channels
        if self.expand_dims:
            out = (shape[0], frames, width, channels) if self.data_format == "channels_last" else \
                (shape[0], channels, frames, width)
        else:
            out = (shape[0], frames, features) if self.data_format == "channels_last" else (shape[0], features, frames)
        macs = len(self._kernels()) * (frames or 1) * (channels or 1) * self.frame_length * self._frequencies()
        return out, [("T", formula)], macs


CLASSES = [STFTSpectrogram]
