"""Argument recipes: the minimal use of each op, by family. Data, not code.

``FAMILIES[domain][family]`` is a snippet (or a list of snippets, all of which must agree) in which ``OP(…)``
is the op and ``ATTR(x)`` the attribute ``x.NAME`` (see ``coverage_run.render``); it binds ``out``, and
``model`` when parameters are to be compared. ``USES[domain][family]`` lists the names that use it. In the
``tensor`` domain a name applies to ``torch``, ``torch.nn.functional`` and ``torch.Tensor`` alike unless
prefixed (``F:dropout``, ``torch:dropout``, ``Tensor:view``); an in-place name (``add_``, ``F.relu_``) without
its own recipe uses its base op's.

An op whose output's size depends on the data (``nonzero``) is listed in ``DATA_DEPENDENT``: there an
unknown size in nncalc's shape (``None``) matches the framework's size.
"""

DOMAINS = {
    "torch": "tensor", "torch.nn.functional": "tensor", "torch.Tensor": "tensor", "torch.nn": "module",
    "keras.ops": "keras_op", "keras.activations": "keras_op", "keras.layers": "keras_layer",
    "KerasTensor": "keras_tensor", "tf": "tf_op", "tf.math": "tf_op", "tf.nn": "tf_op", "tf.random": "tf_op",
    "tf.linalg": "tf_op",
}
PREFIXES = {"torch": "torch", "torch.nn.functional": "F", "torch.Tensor": "Tensor", "tf": "tf", "tf.math": "math",
            "tf.nn": "nn", "tf.random": "random", "tf.linalg": "linalg"}

_X23 = "x = torch.randn(2, 3)\n"
_X234 = "x = torch.randn(2, 3, 4)\n"
_IMG = "x = torch.randn(2, 3, 8, 8)\n"
_SEQ = "x = torch.randn(2, 3, 8)\n"
_VOL = "x = torch.randn(2, 3, 4, 8, 8)\n"
_IDX = "i = torch.randint(0, 3, (2, 2))\n"

TENSOR = {
    "unary": _X23 + "out = OP(x)",
    "binary": _X23 + "y = torch.randn(3)\nout = OP(x, y)",
    "binary_scalar": _X23 + "out = OP(x, 2)",
    "scalar_binary": _X23 + "out = OP(2, x)",
    "unary_int": "x = torch.randint(1, 8, (2, 3))\nout = OP(x)",
    "binary_int": "x = torch.randint(1, 8, (2, 3))\ny = torch.randint(1, 8, (3,))\nout = OP(x, y)",
    "binary_int_scalar": "x = torch.randint(1, 8, (2, 3))\nout = OP(x, 2)",
    "unary_bool": "x = torch.randn(2, 3) > 0\nout = OP(x)",
    "binary_bool": "x = torch.randn(2, 3) > 0\ny = torch.randn(3) > 0\nout = OP(x, y)",
    "dim_keyword": _X234 + "out = OP(x, dim=1)",
    "dim": _X234 + "out = OP(x, 1)",
    "dims_list": _X234 + "out = OP(x, [0, 2])",
    "dim_keepdim": _X234 + "out = OP(x, 1, True)",
    "permutation": _X234 + "out = OP(x, (2, 0, 1))",
    "dim_pair": _X234 + "out = OP(x, 0, 2)",
    "new_shape": _X234 + "out = OP(x, (4, 6))",
    "new_shape_varargs": _X234 + "out = OP(x, 4, 6)",
    "expand": "x = torch.randn(3, 1)\nout = OP(x, (2, 3, 4))",
    "expand_varargs": "x = torch.randn(3, 1)\nout = OP(x, 2, 3, 4)",
    "like": _X234 + "y = torch.randn(4, 6)\nout = OP(x, y)",
    "unary_vector": "x = torch.randn(4)\nout = OP(x)",
    "unary_square": "x = torch.randn(3, 3)\nout = OP(x)",
    "unary_positive_definite": "x = torch.tensor([[2.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])\nout = OP(x)",
    "unary_complex": "x = torch.randn(2, 3, dtype=torch.complex64)\nout = OP(x)",
    "pairs_to_complex": "x = torch.randn(2, 3, 2)\nout = OP(x)",
    "split": "x = torch.randn(2, 6)\nout = OP(x, 2, 1)",
    "split_sizes": "x = torch.randn(2, 6)\nout = OP(x, [2, 4], 1)",
    "split_sections": "x = torch.randn(4, 6, 2)\nout = OP(x, 2)",
    "narrow": _X234 + "out = OP(x, 1, 0, 2)",
    "index_select": _X23 + "out = OP(x, 1, torch.tensor([0, 2]))",
    "gather": _X23 + _IDX + "out = OP(x, 1, i)",
    "along_dim": _X23 + _IDX + "out = OP(x, i, 1)",
    "take": _X23 + "out = OP(x, torch.tensor([0, 4]))",
    "scatter": "x = torch.zeros(2, 3)\n" + _IDX + "src = torch.randn(2, 2)\nout = OP(x, 1, i, src)",
    "scatter_reduce": "x = torch.zeros(2, 3)\n" + _IDX + "src = torch.randn(2, 2)\nout = OP(x, 1, i, src, 'sum')",
    "index_add": "x = torch.zeros(2, 3)\nout = OP(x, 1, torch.tensor([0, 2]), torch.randn(2, 2))",
    "index_fill": "x = torch.zeros(2, 3)\nout = OP(x, 1, torch.tensor([0, 2]), -1.0)",
    "index_reduce": "x = torch.zeros(2, 3)\nout = OP(x, 1, torch.tensor([0, 2]), torch.randn(2, 2), 'prod')",
    "mask_value": _X23 + "out = OP(x, x > 0, 0.0)",
    "mask_tensor": _X23 + "out = OP(x, x > 0, torch.randn(2, 3))",
    "where": _X23 + "y = torch.randn(3)\nout = OP(x > 0, x, y)",
    "bounds": _X23 + "out = OP(x, -0.5, 0.5)",
    "ternary": _X23 + "y = torch.randn(3)\nz = torch.randn(2, 1)\nout = OP(x, y, z)",
    "ternary_scalar": _X23 + "y = torch.randn(3)\nout = OP(x, y, 0.5)",
    "addmm": "out = OP(torch.randn(3, 5), torch.randn(3, 4), torch.randn(4, 5))",
    "addmv": "out = OP(torch.randn(3), torch.randn(3, 4), torch.randn(4))",
    "addr": "out = OP(torch.randn(3, 4), torch.randn(3), torch.randn(4))",
    "baddbmm": "out = OP(torch.randn(2, 3, 5), torch.randn(2, 3, 4), torch.randn(2, 4, 5))",
    "addbmm": "out = OP(torch.randn(3, 5), torch.randn(2, 3, 4), torch.randn(2, 4, 5))",
    "matrix_matrix": "x = torch.randn(3, 4)\ny = torch.randn(4, 5)\nout = OP(x, y)",
    "batch_matrix": "x = torch.randn(2, 3, 4)\ny = torch.randn(2, 4, 5)\nout = OP(x, y)",
    "matrix_vector": "x = torch.randn(3, 4)\ny = torch.randn(4)\nout = OP(x, y)",
    "vector_vector": "x = torch.randn(3)\ny = torch.randn(4)\nout = OP(x, y)",
    "vector_dot": "x = torch.randn(3)\ny = torch.randn(3)\nout = OP(x, y)",
    "concat": _X23 + "y = torch.randn(2, 4)\nout = OP([x, y], 1)",
    "stack": _X23 + "y = torch.randn(2, 3)\nout = OP([x, y], 1)",
    "tensor_list": _X23 + "y = torch.randn(2, 3)\nout = OP([x, y])",
    "tensors": "x = torch.randn(3)\ny = torch.randn(4)\nout = OP(x, y)",
    "einsum": "x = torch.randn(3, 4)\ny = torch.randn(4, 5)\nout = OP('ij,jk->ik', x, y)",
    "tensordot": "x = torch.randn(3, 4)\ny = torch.randn(4, 5)\nout = OP(x, y, dims=1)",
    "sizes": "out = OP(2, 3)",
    "size_tuple": "out = OP((2, 3))",
    "size_fill": "out = OP((2, 3), 1.5)",
    "like_fill": _X23 + "out = OP(x, 1.5)",
    "randint": "out = OP(0, 8, (2, 3))",
    "like_high": _X23 + "out = OP(x, 8)",
    "count": "out = OP(5)",
    "interval": "out = OP(0, 1, 5)",
    "data": "out = OP([[1.0, 2.0], [3.0, 4.0]])",
    "number": "out = OP(1.5)",
    "conv1d": _SEQ + "w = torch.randn(4, 3, 3)\nout = OP(x, w)",
    "conv2d": _IMG + "w = torch.randn(4, 3, 3, 3)\nout = OP(x, w)",
    "conv3d": _VOL + "w = torch.randn(4, 3, 3, 3, 3)\nout = OP(x, w)",
    "conv_transpose1d": _SEQ + "w = torch.randn(3, 4, 3)\nout = OP(x, w)",
    "conv_transpose2d": _IMG + "w = torch.randn(3, 4, 3, 3)\nout = OP(x, w)",
    "conv_transpose3d": _VOL + "w = torch.randn(3, 4, 3, 3, 3)\nout = OP(x, w)",
    "window1d": _SEQ + "out = OP(x, 2)",
    "window2d": _IMG + "out = OP(x, 2)",
    "window3d": _VOL + "out = OP(x, 2)",
    "lp_pool1d": _SEQ + "out = OP(x, 2.0, 2)",
    "lp_pool2d": _IMG + "out = OP(x, 2.0, 2)",
    "lp_pool3d": _VOL + "out = OP(x, 2.0, 2)",
    "fractional_pool2d": _IMG + "out = OP(x, 2, output_size=(4, 4))",
    "fractional_pool3d": _VOL + "out = OP(x, 2, output_size=(2, 4, 4))",
    "unpool1d": _SEQ + "y, i = F.max_pool1d(x, 2, return_indices=True)\nout = OP(y, i, 2)",
    "unpool2d": _IMG + "y, i = F.max_pool2d(x, 2, return_indices=True)\nout = OP(y, i, 2)",
    "unpool3d": _VOL + "y, i = F.max_pool3d(x, 2, return_indices=True)\nout = OP(y, i, 2)",
    "resize": _IMG + "out = OP(x, scale_factor=2)",
    "pad": _IMG + "out = OP(x, (1, 2))",
    "shuffle": "x = torch.randn(2, 8, 4, 4)\nout = OP(x, 2)",
    "linear": _X23 + "w = torch.randn(4, 3)\nb = torch.randn(4)\nout = OP(x, w, b)",
    "bilinear": _X23 + "y = torch.randn(2, 5)\nw = torch.randn(4, 3, 5)\nout = OP(x, y, w)",
    "last_dim_shape": _X234 + "out = OP(x, (4,))",
    "groups": "x = torch.randn(2, 4, 8)\nout = OP(x, 2)",
    "running_stats": _SEQ + "out = OP(x, torch.zeros(3), torch.ones(3))",
    "embedding": "i = torch.randint(0, 10, (2, 5))\nw = torch.randn(10, 4)\nout = OP(i, w)",
    "one_hot": "i = torch.randint(0, 4, (2, 3))\nout = OP(i, 4)",
    "probability": _X23 + "out = OP(x, 0.5, False)",
    "attention": "q = torch.randn(2, 4, 5, 8)\nout = OP(q, q, q)",
    "attention_kernel": ("q = torch.randn(5, 2, 8)\nw = torch.randn(24, 8)\nb = torch.randn(24)\n"
                         "ow = torch.randn(6, 8)\nout = OP(q, q, q, 8, 2, w, b, None, None, False, 0.0, ow, None)"),
    "unfold": _IMG + "out = OP(x, 2)",
    "fold": "x = torch.randn(2, 12, 9)\nout = OP(x, (4, 4), 2)",
    "affine_grid": "theta = torch.randn(2, 2, 3)\nout = OP(theta, (2, 3, 8, 8), align_corners=False)",
    "grid_sample": _IMG + "grid = torch.rand(2, 4, 4, 2) * 2 - 1\nout = OP(x, grid, align_corners=False)",
    "prelu": _IMG + "out = OP(x, torch.randn(3))",
    "sliding_window": _X234 + "out = OP(x, 2, 2, 1)",
    "searchsorted": "x = torch.tensor([0.0, 1.0, 2.0])\nv = torch.randn(2, 3)\nout = OP(x, v)",
    "bucketize": _X23 + "out = OP(x, torch.tensor([0.0, 1.0]))",
    "repeat_interleave": _X234 + "out = OP(x, 2, dim=1)",
    "topk": _X234 + "out = OP(x, 2)",
    "roll": _X234 + "out = OP(x, 1, 2)",
    "quantile": _X234 + "out = OP(x, 0.5, dim=1)",
    "attribute": _X23 + "out = ATTR(x)",
    "to_dtype": _X23 + "out = OP(x, torch.float16)",
    "type_as": _X23 + "y = torch.zeros(3, dtype=torch.int64)\nout = OP(x, y)",
    "view_as": _X234 + "y = torch.randn(4, 6)\nout = OP(x, y)",
    "setitem": [
        _X234 + "x[:, 0] = 1.0\nout = x",
        _X234 + "x[x > 0] = 0.0\nout = x",
        _X234 + "x[..., 1:3] = torch.ones(2, 3, 2)\nout = x",
    ],
    "getitem": [
        _X234 + "out = x[:, 0]",
        _X234 + "out = x[..., 1:3]",
        _X234 + "out = x[None, :, ::2]",
        _X234 + "out = x[0, -1]",
        _X234 + "out = x[:, torch.tensor([0, 2])]",
        _X234 + "out = x[x > 0]",
    ],
    "contains": _X23 + "out = OP(x, 0.5)",
    "sequence_unary": _SEQ + "out = OP(x)",
    "image_unary": _IMG + "out = OP(x)",
    "volume_unary": _VOL + "out = OP(x)",
    "positive_unary": "x = torch.rand(2, 3)\nout = OP(x)",
    "positive_scalar": "x = torch.rand(2, 3) + 1\nout = OP(x, 2)",
    "half_scalar": _X23 + "out = OP(x, 0.5)",
    "reduction": [_X234 + "out = OP(x)", _X234 + "out = OP(x, dim=1)", _X234 + "out = OP(x, dim=1, keepdim=True)"],
    "squeezable": ["x = torch.randn(2, 1, 3)\nout = OP(x)", "x = torch.randn(2, 1, 3)\nout = OP(x, 1)"],
    "rmatmul": "x = torch.randn(4, 5)\ny = torch.randn(3, 4)\nout = OP(x, y)",
    "expand_as": "x = torch.randn(3, 1)\ny = torch.randn(2, 3, 4)\nout = OP(x, y)",
    "dim_index": _X234 + "out = OP(x, 1, 2)",
    "mask": _X23 + "out = OP(x, x > 0)",
    "new_size": _X23 + "out = OP(x, (2, 3))",
    "new_size_fill": _X23 + "out = OP(x, (2, 3), 1.5)",
    "new_data": _X23 + "out = OP(x, [1.0, 2.0])",
    "shapes": "out = OP((2, 1), (1, 3))",
    "dtypes": "out = OP(torch.int32, torch.float32)",
    "threshold": _X23 + "out = OP(x, 0.1, 20.0)",
    "sum_to": _X234 + "out = OP(x, (3, 1))",
    "index_put": _X23 + "out = OP(x, (torch.tensor([0, 1]),), torch.randn(3))",
    "put": _X23 + "out = OP(x, torch.tensor([0, 4]), torch.tensor([1.0, 2.0]))",
    "stft": "x = torch.randn(2, 16)\nout = OP(x, 4, return_complex=True)",
    "pairwise": "x = torch.randn(2, 3)\ny = torch.randn(4, 3)\nout = OP(x, y)",
    "unflatten": _X234 + "out = OP(x, 2, (2, 2))",
    "attribute_complex": "x = torch.randn(2, 3, dtype=torch.complex64)\nout = ATTR(x)",
    "probabilities": "p = torch.rand(2, 3)\nout = OP(p, 2)",
    "binomial": "n = torch.full((2, 3), 5.0)\np = torch.rand(2, 3)\nout = OP(n, p)",
    "solve_with": "x = torch.randn(3, 2)\na = torch.tensor([[2.0, 0.0, 0.0], [1.0, 2.0, 0.0], [0.0, 1.0, 1.0]])\n"
                  "out = OP(x, a)",
    "unravel": "out = OP(torch.tensor([4, 1]), (2, 3))",
    "square_power": "x = torch.randn(3, 3)\nout = OP(x, 2)",
    "counts": "x = torch.randint(0, 5, (8,))\nout = OP(x)",
    "double_binary": "x = torch.randn(2, 3, dtype=torch.float64)\ny = torch.randn(3)\nout = OP(x, y)",
    "slice_scatter": "x = torch.zeros(4, 3)\nout = OP(x, torch.ones(2, 3), 0, 0, 2)",
    "select_scatter": "x = torch.zeros(4, 3)\nout = OP(x, torch.ones(3), 0, 0)",
    "diagonal_scatter": "x = torch.zeros(3, 3)\nout = OP(x, torch.ones(3))",
    "static_size": _X23 + "out = OP(x, size=4)",
    "points": "x = torch.randn(5, 2)\nout = OP(x, 3)",
    "spectrum": "w = torch.hann_window(4)\nx = torch.stft(torch.randn(2, 16), 4, window=w, return_complex=True)\n"
                "out = OP(x, 4, window=w)",
    "symmetric_positive": "a = torch.randn(9, 9)\na = a @ a.T + 9 * torch.eye(9)\nout = OP(a)",
    "lu_factors": "lu, pivots = torch.lu(torch.randn(3, 3))\nout = OP(torch.randn(3, 2), lu, pivots)",
    "lu_unpack": "lu, pivots = torch.lu(torch.randn(3, 3))\nout = OP(lu, pivots)",
    "householder": "a, tau = torch.geqrf(torch.randn(4, 3))\nout = OP(a, tau)",
    "householder_apply": "a, tau = torch.geqrf(torch.randn(4, 3))\nout = OP(a, tau, torch.randn(4, 2))",
}

MODULE = {
    "no_arguments_image": "model = OP()\n" + _IMG + "out = model(x)",
    "no_arguments_features": "model = OP()\n" + _X23 + "out = model(x)",
    "no_arguments_sequence": "model = OP()\n" + _SEQ + "out = model(x)",
    "no_arguments_volume": "model = OP()\n" + _VOL + "out = model(x)",
    "shuffle": "model = OP(2)\nx = torch.randn(2, 8, 4, 4)\nout = model(x)",
    "channels_sequence": "model = OP(3)\n" + _SEQ + "out = model(x)",
    "channels_image": "model = OP(3)\n" + _IMG + "out = model(x)",
    "channels_volume": "model = OP(3)\n" + _VOL + "out = model(x)",
    "last_dim": "model = OP(8)\n" + _SEQ + "out = model(x)",
    "window_sequence": "model = OP(2)\n" + _SEQ + "out = model(x)",
    "window_image": "model = OP(2)\n" + _IMG + "out = model(x)",
    "window_volume": "model = OP(2)\n" + _VOL + "out = model(x)",
    "two_sequence": "model = OP(2, 2)\n" + _SEQ + "out = model(x)",
    "two_image": "model = OP(2, 2)\n" + _IMG + "out = model(x)",
    "two_volume": "model = OP(2, 2)\n" + _VOL + "out = model(x)",
    "groups_channels": "model = OP(1, 3)\n" + _IMG + "out = model(x)",
    "conv_sequence": "model = OP(3, 4, 3)\n" + _SEQ + "out = model(x)",
    "conv_image": "model = OP(3, 4, 3)\n" + _IMG + "out = model(x)",
    "conv_volume": "model = OP(3, 4, 3)\n" + _VOL + "out = model(x)",
    "lazy_conv_sequence": "model = OP(4, 3)\n" + _SEQ + "out = model(x)",
    "lazy_conv_image": "model = OP(4, 3)\n" + _IMG + "out = model(x)",
    "lazy_conv_volume": "model = OP(4, 3)\n" + _VOL + "out = model(x)",
    "recurrent": "model = OP(3, 4, batch_first=True)\nx = torch.randn(2, 5, 3)\nout = model(x)",
    "features": "model = OP(3, 4)\n" + _X23 + "out = model(x)",
    "lazy_features": "model = OP(4)\n" + _X23 + "out = model(x)",
    "bilinear": "model = OP(3, 5, 4)\n" + _X23 + "y = torch.randn(2, 5)\nout = model(x, y)",
    "pair": "model = OP()\n" + _X23 + "y = torch.randn(2, 3)\nout = model(x, y)",
    "embedding": "model = OP(10, 4)\ni = torch.randint(0, 10, (2, 5))\nout = model(i)",
    "dim": "model = OP(dim=1)\n" + _IMG + "out = model(x)",
    "threshold": "model = OP(0.1, 20.0)\n" + _IMG + "out = model(x)",
    "scale": "model = OP(scale_factor=2)\n" + _IMG + "out = model(x)",
    "unflatten": "model = OP(1, (3, 1))\n" + _X23 + "out = model(x)",
    "constant_pad_sequence": "model = OP(1, 0.5)\n" + _SEQ + "out = model(x)",
    "constant_pad_image": "model = OP(1, 0.5)\n" + _IMG + "out = model(x)",
    "constant_pad_volume": "model = OP(1, 0.5)\n" + _VOL + "out = model(x)",
    "fractional_image": "model = OP(2, output_size=(4, 4))\n" + _IMG + "out = model(x)",
    "fractional_volume": "model = OP(2, output_size=(2, 4, 4))\n" + _VOL + "out = model(x)",
    "unpool_sequence": "model = OP(2)\n" + _SEQ + "y, i = F.max_pool1d(x, 2, return_indices=True)\nout = model(y, i)",
    "unpool_image": "model = OP(2)\n" + _IMG + "y, i = F.max_pool2d(x, 2, return_indices=True)\nout = model(y, i)",
    "unpool_volume": "model = OP(2)\n" + _VOL + "y, i = F.max_pool3d(x, 2, return_indices=True)\nout = model(y, i)",
    "fold": "model = OP((4, 4), 2)\nx = torch.randn(2, 12, 9)\nout = model(x)",
    "attention": "model = OP(8, 2, batch_first=True)\nq = torch.randn(2, 5, 8)\nout = model(q, q, q)",
    "encoder_layer": "model = OP(8, 2, dim_feedforward=16, batch_first=True)\nx = torch.randn(2, 5, 8)\nout = model(x)",
    "decoder_layer": "model = OP(8, 2, dim_feedforward=16, batch_first=True)\nx = torch.randn(2, 5, 8)\n"
                     "out = model(x, x)",
    "encoder": "model = OP(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True), 2)\n"
               "x = torch.randn(2, 5, 8)\nout = model(x)",
    "decoder": "model = OP(nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, batch_first=True), 2)\n"
               "x = torch.randn(2, 5, 8)\nout = model(x, x)",
    "transformer": "model = OP(8, 2, 1, 1, 16, batch_first=True)\nx = torch.randn(2, 5, 8)\nout = model(x, x)",
    "sequential": "model = OP(nn.Linear(3, 4), nn.ReLU())\n" + _X23 + "out = model(x)",
}

_KERAS_LAYER_OP = "class Op(layers.Layer):\n    def call(self, x):\n        return {}\n"
_KERAS_WEIGHT_OP = ("class Op(layers.Layer):\n    def build(self, input_shape):\n"
                    "        self.w = self.add_weight(shape={})\n    def call(self, x):\n        return {}\n")
_KERAS_LAYER_OP2 = "class Op(layers.Layer):\n    def call(self, inputs):\n        x, y = inputs\n        return {}\n"
_K34 = "x = keras.Input(shape=(3, 4))\n"
_K34_14 = _K34 + "y = keras.Input(shape=(1, 4))\n"

KERAS_OP = {
    "unary": _KERAS_LAYER_OP.format("OP(x)") + _K34 + "out = Op()(x)",
    "binary": _KERAS_LAYER_OP2.format("OP(x, y)") + _K34_14 + "out = Op()([x, y])",
    "binary_scalar": _KERAS_LAYER_OP.format("OP(x, 2)") + _K34 + "out = Op()(x)",
    "axis_keyword": _KERAS_LAYER_OP.format("OP(x, axis=1)") + _K34 + "out = Op()(x)",
    "axis": _KERAS_LAYER_OP.format("OP(x, 1)") + _K34 + "out = Op()(x)",
    "axes_pair": _KERAS_LAYER_OP.format("OP(x, 1, 2)") + _K34 + "out = Op()(x)",
    "permutation": _KERAS_LAYER_OP.format("OP(x, (0, 2, 1))") + _K34 + "out = Op()(x)",
    "new_shape": _KERAS_LAYER_OP.format("OP(x, (-1, 12))") + _K34 + "out = Op()(x)",
    "int_unary": _KERAS_LAYER_OP.format("OP(x)") + "x = keras.Input(shape=(3, 4), dtype='int32')\nout = Op()(x)",
    "int_binary": _KERAS_LAYER_OP2.format("OP(x, y)")
                  + "x = keras.Input(shape=(3, 4), dtype='int32')\ny = keras.Input(shape=(1, 4), dtype='int32')\n"
                    "out = Op()([x, y])",
    "matrix": _KERAS_WEIGHT_OP.format("(4, 5)", "OP(x, self.w)") + _K34 + "out = Op()(x)",
    "concat": _KERAS_LAYER_OP.format("OP([x, x], axis=1)") + _K34 + "out = Op()(x)",
    "tensor_list": _KERAS_LAYER_OP.format("OP([x, x])") + _K34 + "out = Op()(x)",
    "ternary": _KERAS_LAYER_OP2.format("OP(x, y, x)") + _K34_14 + "out = Op()([x, y])",
    "where": _KERAS_LAYER_OP2.format("OP(x > 0, x, y)") + _K34_14 + "out = Op()([x, y])",
    "bounds": _KERAS_LAYER_OP.format("OP(x, -0.5, 0.5)") + _K34 + "out = Op()(x)",
    "created_shape": _KERAS_LAYER_OP.format("x + OP((3, 4))") + _K34 + "out = Op()(x)",
    "created_count": _KERAS_LAYER_OP.format("x + OP(4)") + _K34 + "out = Op()(x)",
    "created_matrix": _KERAS_LAYER_OP.format("ops.matmul(x, OP(4))") + _K34 + "out = Op()(x)",
    "like_fill": _KERAS_LAYER_OP.format("OP(x, 1.5)") + _K34 + "out = Op()(x)",
    "split": _KERAS_LAYER_OP.format("OP(x, 2, axis=2)") + _K34 + "out = Op()(x)",
    "top_k": _KERAS_LAYER_OP.format("OP(x, 2)") + _K34 + "out = Op()(x)",
    "image": _KERAS_LAYER_OP.format("OP(x)") + "x = keras.Input(shape=(8, 8, 3))\nout = Op()(x)",
    "image_size": _KERAS_LAYER_OP.format("OP(x, (4, 4))") + "x = keras.Input(shape=(8, 8, 3))\nout = Op()(x)",
    "conv": _KERAS_WEIGHT_OP.format("(3, 3, 3, 4)", "OP(x, self.w)") + "x = keras.Input(shape=(8, 8, 3))\n"
                                                                        "out = Op()(x)",
    "depthwise_conv": _KERAS_WEIGHT_OP.format("(3, 3, 3, 2)", "OP(x, self.w)") + "x = keras.Input(shape=(8, 8, 3))\n"
                                                                                  "out = Op()(x)",
    "pool": _KERAS_LAYER_OP.format("OP(x, 2)") + "x = keras.Input(shape=(8, 8, 3))\nout = Op()(x)",
    "one_hot": _KERAS_LAYER_OP.format("OP(x, 4)") + "x = keras.Input(shape=(3,), dtype='int32')\nout = Op()(x)",
    "einsum": _KERAS_WEIGHT_OP.format("(4, 5)", "OP('bij,jk->bik', x, self.w)") + _K34 + "out = Op()(x)",
    "functional": _K34 + "out = OP(x)",
    "half_scalar": _KERAS_LAYER_OP.format("OP(x, 0.5)") + _K34 + "out = Op()(x)",
    "created_interval": _KERAS_LAYER_OP.format("x + OP(0, 1, 4)") + _K34 + "out = Op()(x)",
    "created_fill": _KERAS_LAYER_OP.format("x + OP((3, 4), 1.5)") + _K34 + "out = Op()(x)",
    "created_window_beta": _KERAS_LAYER_OP.format("x + OP(4, 0.5)") + _K34 + "out = Op()(x)",
    "conv_transpose": _KERAS_WEIGHT_OP.format("(3, 3, 4, 3)", "OP(x, self.w, 1)")
                      + "x = keras.Input(shape=(8, 8, 3))\nout = Op()(x)",
    "square": _KERAS_LAYER_OP.format("OP(x)") + "x = keras.Input(shape=(3, 3))\nout = Op()(x)",
    "pairs_to_complex": _KERAS_LAYER_OP.format("OP(x)") + "x = keras.Input(shape=(3, 2))\nout = Op()(x)",
    "tensordot": _KERAS_WEIGHT_OP.format("(4, 5)", "OP(x, self.w, axes=1)") + _K34 + "out = Op()(x)",
    "cross": _KERAS_LAYER_OP.format("OP(x, x)") + "x = keras.Input(shape=(4, 3))\nout = Op()(x)",
    "batch_norm": _KERAS_WEIGHT_OP.format("(4,)", "OP(x, self.w, self.w, axis=-1)") + _K34 + "out = Op()(x)",
    "cast": _KERAS_LAYER_OP.format("OP(x, 'float16')") + _K34 + "out = Op()(x)",
    "attention": _KERAS_LAYER_OP.format("OP(x, x, x)") + "x = keras.Input(shape=(5, 2, 4))\nout = Op()(x)",
    "depth_to_space": _KERAS_LAYER_OP.format("OP(x, 2)") + "x = keras.Input(shape=(4, 4, 8))\nout = Op()(x)",
    "take": _KERAS_LAYER_OP.format("OP(x, ops.arange(2), axis=2)") + _K34 + "out = Op()(x)",
    "int_indices": _KERAS_LAYER_OP2.format("OP(x, y, axis=1)")
                   + _K34 + "y = keras.Input(shape=(3, 4), dtype='int32')\nout = Op()([x, y])",
    "square_pair": _KERAS_LAYER_OP.format("OP(x, x)") + "x = keras.Input(shape=(3, 3))\nout = Op()(x)",
    "pattern": _KERAS_LAYER_OP.format("OP(x, 'b h w -> b w h')") + _K34 + "out = Op()(x)",
}

KERAS_LAYER = {
    "no_arguments_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "no_arguments_sequence": "x = keras.Input(shape=(5, 3))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "no_arguments_vector": "x = keras.Input(shape=(3,))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "no_arguments_volume": "x = keras.Input(shape=(4, 8, 8, 3))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "units_sequence": "x = keras.Input(shape=(5, 3))\nout = OP(4)(x)\nmodel = keras.Model(x, out)",
    "units_vector": "x = keras.Input(shape=(3,))\nout = OP(4)(x)\nmodel = keras.Model(x, out)",
    "units_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(4)(x)\nmodel = keras.Model(x, out)",
    "conv_sequence": "x = keras.Input(shape=(8, 3))\nout = OP(4, 3)(x)\nmodel = keras.Model(x, out)",
    "conv_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(4, 3)(x)\nmodel = keras.Model(x, out)",
    "conv_volume": "x = keras.Input(shape=(4, 8, 8, 3))\nout = OP(4, 3)(x)\nmodel = keras.Model(x, out)",
    "rate_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(0.5)(x)\nmodel = keras.Model(x, out)",
    "rate_sequence": "x = keras.Input(shape=(5, 3))\nout = OP(0.5)(x)\nmodel = keras.Model(x, out)",
    "two_rates_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(0.5, 0.5)(x)\nmodel = keras.Model(x, out)",
    "size_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(4, 4)(x)\nmodel = keras.Model(x, out)",
    "merge": "a = keras.Input(shape=(5, 3))\nb = keras.Input(shape=(5, 3))\nout = OP()([a, b])\n"
             "model = keras.Model([a, b], out)",
    "merge_function": "a = keras.Input(shape=(5, 3))\nb = keras.Input(shape=(5, 3))\nout = OP([a, b])\n"
                      "model = keras.Model([a, b], out)",
    "dot": "a = keras.Input(shape=(5, 3))\nb = keras.Input(shape=(5, 3))\nout = OP(axes=2)([a, b])\n"
           "model = keras.Model([a, b], out)",
    "dot_function": "a = keras.Input(shape=(5, 3))\nb = keras.Input(shape=(5, 3))\nout = OP([a, b], axes=2)\n"
                    "model = keras.Model([a, b], out)",
    "heads": "x = keras.Input(shape=(5, 8))\nout = OP(2, 4)(x, x)\nmodel = keras.Model(x, out)",
    "grouped_heads": "x = keras.Input(shape=(5, 8))\nout = OP(4, 4, 2)(x, x)\nmodel = keras.Model(x, out)",
    "embedding": "x = keras.Input(shape=(5,), dtype='int32')\nout = OP(10, 4)(x)\nmodel = keras.Model(x, out)",
    "tuple_sequence": "x = keras.Input(shape=(5, 3))\nout = OP((2, 1))(x)\nmodel = keras.Model(x, out)",
    "reshape": "x = keras.Input(shape=(5, 3))\nout = OP((3, 5))(x)\nmodel = keras.Model(x, out)",
    "wrapped_dense": "x = keras.Input(shape=(5, 3))\nout = OP(layers.Dense(4))(x)\nmodel = keras.Model(x, out)",
    "wrapped_lstm": "x = keras.Input(shape=(5, 3))\nout = OP(layers.LSTM(4))(x)\nmodel = keras.Model(x, out)",
    "cell": "x = keras.Input(shape=(5, 3))\nout = layers.RNN(OP(4))(x)\nmodel = keras.Model(x, out)",
    "cell_wrapper": "x = keras.Input(shape=(5, 3))\nout = OP(layers.LSTMCell(4))(x)\nmodel = keras.Model(x, out)",
    "cells": "x = keras.Input(shape=(5, 3))\nout = layers.RNN(OP([layers.LSTMCell(4), layers.GRUCell(2)]))(x)\n"
             "model = keras.Model(x, out)",
    "function": "x = keras.Input(shape=(5, 3))\nout = OP(lambda t: t * 2)(x)\nmodel = keras.Model(x, out)",
    "activation": "x = keras.Input(shape=(5, 3))\nout = OP('relu')(x)\nmodel = keras.Model(x, out)",
    "einsum": "x = keras.Input(shape=(3,))\nout = OP('ab,bc->ac', output_shape=4, bias_axes='c')(x)\n"
              "model = keras.Model(x, out)",
    "integers_tokens": "x = keras.Input(shape=(3,), dtype='int32')\nout = OP(4)(x)\nmodel = keras.Model(x, out)",
    "integers_vocabulary": "x = keras.Input(shape=(3,), dtype='int32')\nout = OP(vocabulary=[1, 2, 3])(x)\n"
                           "model = keras.Model(x, out)",
    "boundaries": "x = keras.Input(shape=(3,))\nout = OP(bin_boundaries=[0.0, 1.0])(x)\nmodel = keras.Model(x, out)",
    "crossing": "a = keras.Input(shape=(1,), dtype='int32')\nb = keras.Input(shape=(1,), dtype='int32')\n"
                "out = OP(4)([a, b])\nmodel = keras.Model([a, b], out)",
    "pipeline": "x = keras.Input(shape=(8, 8, 3))\nout = OP([layers.Rescaling(0.5)])(x)\nmodel = keras.Model(x, out)",
    "input": "out = OP(shape=(5, 3))",
    "input_layer": "out = OP(shape=(5, 3)).output",
    "audio": "x = keras.Input(shape=(1600,))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "units_volume": "x = keras.Input(shape=(4, 8, 8, 3))\nout = OP(2)(x)\nmodel = keras.Model(x, out)",
    "rate_volume": "x = keras.Input(shape=(4, 8, 8, 3))\nout = OP(0.5)(x)\nmodel = keras.Model(x, out)",
    "channels_image": "x = keras.Input(shape=(8, 8, 3))\nout = OP(3)(x)\nmodel = keras.Model(x, out)",
    "conv_time_volume": "x = keras.Input(shape=(2, 4, 8, 8, 3))\nout = OP(4, 3)(x)\nmodel = keras.Model(x, out)",
    "audio_channels": "x = keras.Input(shape=(1600, 1))\nout = OP()(x)\nmodel = keras.Model(x, out)",
    "strings": "x = keras.Input(shape=(1,), dtype='string')\nout = OP(vocabulary=['a', 'b'])(x)\n"
               "model = keras.Model(x, out)",
    "torch_module": "import torch\nx = keras.Input(shape=(3,))\nout = OP(torch.nn.Linear(3, 4))(x)\n"
                    "model = keras.Model(x, out)",
    "custom_layer": "class Double(layers.Layer):\n    def call(self, x):\n        return x * 2\n"
                    "x = keras.Input(shape=(5, 3))\nout = Double()(x)\nmodel = keras.Model(x, out)",
}

KERAS_TENSOR = {
    "binary": _K34_14 + "out = OP(x, y)",
    "binary_scalar": _K34 + "out = OP(x, 2)",
    "binary_int": "x = keras.Input(shape=(3, 4), dtype='int32')\ny = keras.Input(shape=(1, 4), dtype='int32')\n"
                  "out = OP(x, y)",
    "binary_int_scalar": "x = keras.Input(shape=(3, 4), dtype='int32')\nout = OP(x, 2)",
    "matrix": _K34 + "y = keras.Input(shape=(4, 5))\nout = OP(x, y)",
    "unary": _K34 + "out = OP(x)",
    "unary_int": "x = keras.Input(shape=(3, 4), dtype='int32')\nout = OP(x)",
    "attribute": _K34 + "out = ATTR(x)",
    "new_shape": _K34 + "out = OP(x, (-1, 12))",
    "squeeze": "x = keras.Input(shape=(1, 4))\nout = OP(x, 1)",
    "getitem": [
        _K34 + "out = x[:, 0]",
        _K34 + "out = x[..., 1:3]",
        _K34 + "out = x[:, None, :, ::2]",
        _K34 + "out = x[:, -1, 0]",
    ],
    "add_assign": [_K34_14 + "out = OP(x, y)", _K34_14 + "x += y\nout = x"],
    "rmatmul": _K34 + "y = keras.Input(shape=(5, 3))\nout = OP(x, y)",
}

_TF_LAYER = "class Op(layers.Layer):\n    def call(self, x):\n        return {}\n"
_TF_LAYER2 = "class Op(layers.Layer):\n    def call(self, inputs):\n        x, y = inputs\n        return {}\n"
_TF_WEIGHT = ("class Op(layers.Layer):\n    def build(self, input_shape):\n"
              "        self.w = self.add_weight(shape={})\n    def call(self, x):\n        return {}\n")
_T34 = "x = INPUT((3, 4))\nout = Op()(x)"
_T34_14 = "x = INPUT((3, 4))\ny = INPUT((1, 4))\nout = Op()([x, y])"
_TIMG = "x = INPUT((8, 8, 3))\nout = Op()(x)"
_TSEQ = "x = INPUT((8, 3))\nout = Op()(x)"
_TVOL = "x = INPUT((4, 8, 8, 3))\nout = Op()(x)"


def _tf(call: str, inputs: str = _T34) -> str:
    return _TF_LAYER.format(call) + inputs


def _tf2(call: str, inputs: str = _T34_14) -> str:
    return _TF_LAYER2.format(call) + inputs


TF_OP = {
    "unary": _tf("OP(x)"),
    "unary_int": _tf("OP(x)", "x = INPUT((3, 4), 'int32')\nout = Op()(x)"),
    "unary_bool": _tf("OP(x)", "x = INPUT((3, 4), 'bool')\nout = Op()(x)"),
    "unary_complex": _tf("OP(x)", "x = INPUT((3, 4), 'complex64')\nout = Op()(x)"),
    "binary": _tf2("OP(x, y)"),
    "binary_int": _tf2("OP(x, y)", "x = INPUT((3, 4), 'int32')\ny = INPUT((1, 4), 'int32')\nout = Op()([x, y])"),
    "binary_bool": _tf2("OP(x, y)", "x = INPUT((3, 4), 'bool')\ny = INPUT((1, 4), 'bool')\nout = Op()([x, y])"),
    "binary_scalar": _tf("OP(x, 2.0)"),
    "reduction": [_tf("OP(x)"), _tf("OP(x, axis=1)"), _tf("OP(x, axis=-1, keepdims=True)")],
    "axis": _tf("OP(x, axis=1)"),
    "matrix": _TF_WEIGHT.format("(4, 5)", "OP(x, self.w)") + _T34,
    "square": _tf("OP(x)", "x = INPUT((3, 3))\nout = Op()(x)"),
    "square_pair": _tf("OP(x, x)", "x = INPUT((3, 3))\nout = Op()(x)"),
    "concat": _tf("OP([x, x], 1)"),
    "stack": _tf("OP([x, x], axis=1)"),
    "tensor_list": _tf("OP([x, x])"),
    "new_shape": _tf("OP(x, (-1, 12))"),
    "shape_of": _tf("tf.reshape(x, [OP(x)[0], -1])"),
    "created_shape": _tf("x + OP((3, 4))"),
    "created_count": _tf("OP(4)"),
    "created_fill": _tf("x + OP((3, 4), 1.5)"),
    "random_shape": _tf("x + OP(tf.shape(x))"),
    "expand": _tf("OP(x, 1)"),
    "squeeze": _tf("OP(x, 1)", "x = INPUT((1, 4))\nout = Op()(x)"),
    "permutation": _tf("OP(x, (0, 2, 1))"),
    "multiples": _tf("OP(x, (1, 2, 1))"),
    "paddings": _tf("OP(x, [[0, 0], [1, 1], [2, 2]])"),
    "indices": _tf("OP(x, [0, 2], axis=1)"),
    "split": _tf("OP(x, 2, axis=2)"),
    "one_hot": _tf("OP(x, 4)", "x = INPUT((3,), 'int32')\nout = Op()(x)"),
    "where": _tf2("OP(x > 1, x, y)"),
    "bounds": _tf("OP(x, 0.5, 1.5)"),
    "cast": _tf("OP(x, tf.float16)"),
    "top_k": _tf("OP(x, 2)"),
    "conv1d": _TF_WEIGHT.format("(3, 3, 4)", "OP(x, self.w, 1, 'SAME')") + _TSEQ,
    "conv2d": _TF_WEIGHT.format("(3, 3, 3, 4)", "OP(x, self.w, 1, 'SAME')") + _TIMG,
    "conv3d": _TF_WEIGHT.format("(3, 3, 3, 3, 4)", "OP(x, self.w, [1, 1, 1, 1, 1], 'SAME')") + _TVOL,
    "pool1d": _tf("OP(x, 2, 2, 'VALID')", _TSEQ),
    "pool2d": _tf("OP(x, 2, 2, 'VALID')", _TIMG),
    "pool3d": _tf("OP(x, 2, 2, 'VALID')", _TVOL),
}

FAMILIES = {"tensor": TENSOR, "module": MODULE, "keras_op": KERAS_OP, "keras_layer": KERAS_LAYER,
            "keras_tensor": KERAS_TENSOR, "tf_op": TF_OP}

DATA_DEPENDENT = {"nonzero", "argwhere", "masked_select", "unique", "unique_consecutive", "__getitem__",
                  "__setitem__", "bincount", "histogram"}

USES = {
    "tensor": {
        "unary": "abs absolute acos acosh adjoint angle arccos arccosh arcsin arcsinh arctan arctanh argsort argwhere "
                 "asin asinh atan atanh atleast_1d atleast_2d atleast_3d ceil clone conj conj_physical corrcoef cos "
                 "cosh cov cumulative_trapezoid deg2rad detach diag diag_embed diagflat diagonal diff digamma "
                 "empty_like erf erfc erfinv exp exp2 expm1 fix flatten fliplr flipud floor frac frexp gradient histc "
                 "histogram i0 is_complex is_conj is_floating_point is_inference is_neg is_signed is_tensor isfinite "
                 "isinf isnan isneginf isposinf isreal lgamma log log10 log1p log2 logical_not logit msort nan_to_num "
                 "neg negative nonzero ones_like pinverse positive rad2deg rand_like randn_like ravel reciprocal "
                 "resolve_conj resolve_neg rot90 round rsqrt sgn sigmoid sign signbit sin sinc sinh sort sqrt square "
                 "t tan tanh trace trapezoid trapz tril triu trunc unbind unique unique_consecutive zeros_like relu "
                 "selu celu elu gelu hardshrink hardsigmoid hardswish hardtanh leaky_relu logsigmoid mish normalize "
                 "relu6 rrelu silu softplus softshrink softsign tanhshrink gumbel_softmax pdist pca_lowrank "
                 "svd_lowrank torch:real torch:normal __abs__ __neg__ __pos__ __iter__ __len__ __reversed__ "
                 "contiguous dim ndimension nelement size numel float double half bfloat16 bool byte char short int "
                 "long cdouble cfloat chalf zero_ normal_ uniform_ random_ exponential_ cauchy_ log_normal_ "
                 "bernoulli_ cpu is_contiguous element_size stride requires_grad_ get_device",
        "reduction": "sum mean prod amax amin std var nansum nanmean max min median nanmedian mode argmax argmin all "
                     "any std_mean var_mean aminmax norm",
        "dim_keyword": "cummax cummin cumprod cumsum logcumsumexp logsumexp softmax log_softmax softmin "
                       "count_nonzero",
        "dim": "unsqueeze",
        "squeezable": "squeeze",
        "dims_list": "flip",
        "dim_pair": "transpose swapaxes swapdims movedim moveaxis",
        "permutation": "permute",
        "new_shape": "reshape view",
        "new_shape_varargs": "resize",
        "expand": "broadcast_to expand tile repeat",
        "like": "reshape_as view_as resize_as",
        "expand_as": "expand_as",
        "type_as": "type_as",
        "to_dtype": "to type",
        "sum_to": "sum_to_size",
        "binary": "add arctan2 atan2 complex copysign dist div divide eq float_power floor_divide fmax fmin fmod ge "
                  "greater greater_equal gt heaviside hypot igamma igammac isclose isin kron ldexp le less "
                  "less_equal logaddexp logaddexp2 logical_and logical_or logical_xor lt maximum minimum mul "
                  "multiply ne nextafter not_equal polar pow remainder rsub sub subtract true_divide xlogy "
                  "is_same_size result_type cosine_similarity pairwise_distance broadcast_tensors copy_ "
                  "__add__ __sub__ __mul__ __truediv__ __div__ __floordiv__ __mod__ __pow__ __eq__ __ne__ __lt__ "
                  "__le__ __gt__ __ge__ __iadd__ __isub__ __imul__ __itruediv__ __idiv__ __ifloordiv__ __imod__ "
                  "__ipow__",
        "binary_scalar": "__radd__ __rsub__ __rmul__ __rtruediv__ __rdiv__ __rfloordiv__ __rmod__ __rpow__ "
                         "Tensor:polygamma",
        "scalar_binary": "torch:polygamma",
        "positive_scalar": "mvlgamma",
        "half_scalar": "clamp_min clamp_max fill_diagonal_ geometric_",
        "binary_int": "bitwise_and bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor gcd lcm __and__ "
                      "__or__ __xor__ __lshift__ __rshift__ __iand__ __ior__ __ixor__ __ilshift__ __irshift__",
        "binary_int_scalar": "__rand__ __ror__ __rxor__ __rlshift__ __rrshift__",
        "unary_int": "bitwise_not __invert__",
        "counts": "bincount",
        "double_binary": "Tensor:float_power_",
        "slice_scatter": "slice_scatter",
        "select_scatter": "select_scatter",
        "diagonal_scatter": "diagonal_scatter",
        "static_size": "nonzero_static",
        "bounds": "clamp clip",
        "threshold": "threshold",
        "ternary": "lerp addcmul addcdiv",
        "addmm": "addmm",
        "addmv": "addmv",
        "addr": "addr",
        "baddbmm": "baddbmm",
        "addbmm": "addbmm",
        "matrix_matrix": "mm chain_matmul __matmul__",
        "rmatmul": "__rmatmul__",
        "batch_matrix": "bmm matmul",
        "matrix_vector": "mv",
        "vector_vector": "outer ger",
        "vector_dot": "dot vdot cross inner",
        "tensors": "meshgrid cartesian_prod block_diag",
        "unary_vector": "glu combinations vander",
        "concat": "cat concat concatenate",
        "stack": "stack",
        "tensor_list": "hstack vstack dstack column_stack row_stack",
        "einsum": "einsum",
        "tensordot": "tensordot",
        "split": "split chunk tensor_split unsafe_chunk unsafe_split",
        "split_sizes": "split_with_sizes unsafe_split_with_sizes",
        "split_sections": "hsplit vsplit dsplit",
        "narrow": "narrow renorm",
        "sliding_window": "Tensor:unfold",
        "dim_index": "select",
        "roll": "roll",
        "index_select": "index_select",
        "gather": "gather",
        "along_dim": "take_along_dim",
        "take": "take",
        "scatter": "scatter scatter_add",
        "scatter_reduce": "scatter_reduce",
        "index_add": "index_add index_copy",
        "index_fill": "index_fill",
        "index_reduce": "index_reduce",
        "index_put": "index_put",
        "put": "put",
        "mask_value": "masked_fill Tensor:where",
        "mask_tensor": "masked_scatter",
        "mask": "masked_select",
        "where": "torch:where",
        "getitem": "__getitem__",
        "setitem": "__setitem__",
        "attribute": "T mT H mH shape dtype ndim data Tensor:real device is_cuda is_cpu requires_grad is_leaf layout "
                     "itemsize nbytes",
        "attribute_complex": "Tensor:imag",
        "unary_complex": "torch:imag view_as_real",
        "pairs_to_complex": "view_as_complex",
        "unary_square": "det inverse logdet slogdet matrix_exp qr svd lu geqrf cholesky_inverse",
        "square_power": "matrix_power",
        "unary_positive_definite": "cholesky",
        "solve_with": "cholesky_solve triangular_solve",
        "sizes": "empty ones rand randn zeros tril_indices triu_indices eye",
        "count": "arange randperm bartlett_window blackman_window hamming_window hann_window kaiser_window",
        "interval": "linspace logspace range",
        "size_fill": "full",
        "like_fill": "full_like fill",
        "new_size": "new_empty new_ones new_zeros",
        "new_size_fill": "new_full",
        "new_data": "new_tensor",
        "randint": "randint",
        "like_high": "randint_like",
        "data": "tensor as_tensor asarray",
        "number": "scalar_tensor",
        "shapes": "broadcast_shapes",
        "dtypes": "can_cast promote_types",
        "positive_unary": "poisson bernoulli",
        "probabilities": "multinomial",
        "binomial": "binomial",
        "unravel": "unravel_index",
        "conv1d": "conv1d",
        "conv2d": "conv2d",
        "conv3d": "conv3d",
        "conv_transpose1d": "conv_transpose1d",
        "conv_transpose2d": "conv_transpose2d",
        "conv_transpose3d": "conv_transpose3d",
        "window1d": "avg_pool1d max_pool1d adaptive_avg_pool1d adaptive_max_pool1d max_pool1d_with_indices "
                    "adaptive_max_pool1d_with_indices",
        "window2d": "avg_pool2d max_pool2d adaptive_avg_pool2d adaptive_max_pool2d max_pool2d_with_indices "
                    "adaptive_max_pool2d_with_indices F:unfold pixel_unshuffle local_response_norm",
        "window3d": "avg_pool3d max_pool3d adaptive_avg_pool3d adaptive_max_pool3d max_pool3d_with_indices "
                    "adaptive_max_pool3d_with_indices",
        "lp_pool1d": "lp_pool1d",
        "lp_pool2d": "lp_pool2d",
        "lp_pool3d": "lp_pool3d",
        "fractional_pool2d": "fractional_max_pool2d fractional_max_pool2d_with_indices",
        "fractional_pool3d": "fractional_max_pool3d fractional_max_pool3d_with_indices",
        "unpool1d": "max_unpool1d",
        "unpool2d": "max_unpool2d",
        "unpool3d": "max_unpool3d",
        "resize": "interpolate upsample upsample_nearest upsample_bilinear",
        "pad": "pad",
        "shuffle": "pixel_shuffle channel_shuffle",
        "linear": "linear",
        "bilinear": "bilinear",
        "last_dim_shape": "layer_norm rms_norm",
        "groups": "group_norm",
        "running_stats": "F:batch_norm",
        "sequence_unary": "F:instance_norm dropout1d",
        "image_unary": "dropout2d",
        "volume_unary": "dropout3d",
        "probability": "dropout alpha_dropout feature_alpha_dropout feature_dropout",
        "prelu": "prelu",
        "embedding": "F:embedding F:embedding_bag",
        "one_hot": "one_hot",
        "attention": "scaled_dot_product_attention",
        "attention_kernel": "F:multi_head_attention_forward",
        "fold": "fold",
        "affine_grid": "affine_grid",
        "grid_sample": "grid_sample",
        "searchsorted": "searchsorted",
        "bucketize": "bucketize",
        "repeat_interleave": "repeat_interleave",
        "topk": "topk kthvalue",
        "quantile": "quantile nanquantile",
        "stft": "stft",
        "pairwise": "cdist",
        "unflatten": "unflatten",
        "points": "histogramdd",
        "spectrum": "istft",
        "symmetric_positive": "lobpcg",
        "lu_factors": "lu_solve",
        "lu_unpack": "lu_unpack",
        "householder": "orgqr",
        "householder_apply": "ormqr",
    },
    "module": {
        "no_arguments_image": "AlphaDropout CELU Dropout Dropout2d ELU FeatureAlphaDropout Flatten GELU GLU Hardshrink "
                              "Hardsigmoid Hardswish Hardtanh Identity LazyBatchNorm2d LazyInstanceNorm2d LeakyReLU "
                              "LogSigmoid Mish PReLU RReLU ReLU ReLU6 SELU SiLU Sigmoid Softmax2d Softplus Softshrink "
                              "Softsign Tanh Tanhshrink",
        "no_arguments_sequence": "Dropout1d LazyBatchNorm1d LazyInstanceNorm1d",
        "no_arguments_volume": "Dropout3d LazyBatchNorm3d LazyInstanceNorm3d",
        "dim": "Softmax LogSoftmax Softmin",
        "channels_sequence": "BatchNorm1d InstanceNorm1d",
        "channels_image": "BatchNorm2d InstanceNorm2d ChannelShuffle",
        "channels_volume": "BatchNorm3d InstanceNorm3d",
        "window_sequence": "AdaptiveAvgPool1d AdaptiveMaxPool1d AvgPool1d MaxPool1d ReflectionPad1d ReplicationPad1d "
                           "ZeroPad1d CircularPad1d",
        "window_image": "AdaptiveAvgPool2d AdaptiveMaxPool2d AvgPool2d MaxPool2d ReflectionPad2d ReplicationPad2d "
                        "ZeroPad2d CircularPad2d PixelUnshuffle Unfold LocalResponseNorm CrossMapLRN2d",
        "window_volume": "AdaptiveAvgPool3d AdaptiveMaxPool3d AvgPool3d MaxPool3d ReflectionPad3d ReplicationPad3d "
                         "ZeroPad3d CircularPad3d",
        "shuffle": "PixelShuffle",
        "scale": "Upsample UpsamplingNearest2d UpsamplingBilinear2d",
        "two_sequence": "LPPool1d",
        "two_image": "LPPool2d",
        "two_volume": "LPPool3d",
        "conv_sequence": "Conv1d ConvTranspose1d",
        "conv_image": "Conv2d ConvTranspose2d",
        "conv_volume": "Conv3d ConvTranspose3d",
        "lazy_conv_sequence": "LazyConv1d LazyConvTranspose1d",
        "lazy_conv_image": "LazyConv2d LazyConvTranspose2d",
        "lazy_conv_volume": "LazyConv3d LazyConvTranspose3d",
        "constant_pad_sequence": "ConstantPad1d",
        "constant_pad_image": "ConstantPad2d",
        "constant_pad_volume": "ConstantPad3d",
        "fractional_image": "FractionalMaxPool2d",
        "fractional_volume": "FractionalMaxPool3d",
        "unpool_sequence": "MaxUnpool1d",
        "unpool_image": "MaxUnpool2d",
        "unpool_volume": "MaxUnpool3d",
        "threshold": "Threshold",
        "lazy_features": "LazyLinear",
        "groups_channels": "GroupNorm",
        "last_dim": "LayerNorm RMSNorm",
        "features": "Linear RNNCell LSTMCell GRUCell",
        "recurrent": "RNN LSTM GRU",
        "embedding": "Embedding EmbeddingBag",
        "bilinear": "Bilinear",
        "pair": "CosineSimilarity PairwiseDistance",
        "attention": "MultiheadAttention",
        "encoder_layer": "TransformerEncoderLayer",
        "decoder_layer": "TransformerDecoderLayer",
        "encoder": "TransformerEncoder",
        "decoder": "TransformerDecoder",
        "transformer": "Transformer",
        "fold": "Fold",
        "unflatten": "Unflatten",
        "sequential": "Sequential",
    },
    "keras_op": {
        "unary": "abs absolute all amax amin angle any arccos arccosh arcsin arcsinh arctan arctanh argmax argmin "
                 "argsort average ceil celu conj conjugate copy cos cosh count_nonzero cumprod cumsum deg2rad "
                 "diagonal diff elu empty_like erf erfc erfinv exp exp2 expm1 fabs flip fliplr flipud floor gelu glu "
                 "hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh i0 isfinite isinf isnan isneginf isposinf "
                 "isreal layer_normalization leaky_relu log log10 log1p log2 log_sigmoid log_softmax logical_not "
                 "logsumexp max mean median min nan_to_num nanargmax nanargmin nancumprod nancumsum nanmax nanmean "
                 "nanmedian nanmin nanprod nanstd nansum nanvar negative norm normalize ones_like prod ptp rad2deg "
                 "ravel real reciprocal relu relu6 rms_normalization rot90 round rsqrt selu sigmoid sign signbit "
                 "silu sin sinc sinh soft_shrink softmax softplus softsign sort sparse_plus sparse_sigmoid "
                 "sparsemax sqrt square squareplus squeeze std sum swish tan tanh tanh_shrink trace transpose "
                 "trapezoid tril triu trunc var zeros_like cbrt diagflat diag matrix_rank pinv qr svd lu_factor "
                 "nonzero unique size array view rfft exponential linear mish corrcoef unstack",
        "int_unary": "bitwise_invert bitwise_not bincount",
        "binary": "add arctan2 divide divide_no_nan equal floor_divide fmax fmin fmod greater greater_equal "
                  "heaviside hypot inner isclose isin kron less less_equal logaddexp logaddexp2 logical_and "
                  "logical_or logical_xor maximum minimum mod multiply nextafter not_equal outer polar power "
                  "subtract true_divide cdist digitize append",
        "int_binary": "bitwise_and bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor gcd lcm left_shift "
                      "right_shift",
        "binary_scalar": "argpartition expand_dims moments multi_hot pad repeat roll tile get_item ldexp dsplit "
                         "percentile nanpercentile",
        "half_scalar": "quantile nanquantile",
        "axis": "hsplit vsplit",
        "split": "split array_split",
        "axes_pair": "moveaxis swapaxes extract_sequences",
        "bounds": "clip threshold",
        "top_k": "top_k",
        "one_hot": "one_hot",
        "concat": "concatenate",
        "tensor_list": "stack hstack vstack dstack fft fft2 ifft2 irfft",
        "conv": "conv",
        "depthwise_conv": "depthwise_conv",
        "conv_transpose": "conv_transpose",
        "pool": "adaptive_average_pool adaptive_max_pool average_pool max_pool",
        "created_count": "arange bartlett blackman hamming hanning",
        "created_window_beta": "kaiser",
        "created_interval": "linspace logspace geomspace",
        "created_matrix": "eye identity tri",
        "created_shape": "empty ones zeros",
        "created_fill": "full",
        "like_fill": "full_like",
        "functional": "shape dtype is_tensor ndim",
        "square": "det inv logdet slogdet cholesky cholesky_inverse eig eigh",
        "pairs_to_complex": "view_as_complex",
        "matrix": "matmul dot",
        "tensordot": "tensordot",
        "cross": "cross",
        "new_shape": "reshape",
        "einsum": "einsum",
        "where": "where",
        "batch_norm": "batch_normalization",
        "cast": "cast saturate_cast",
        "attention": "dot_product_attention",
        "depth_to_space": "depth_to_space space_to_depth",
        "take": "take",
        "int_indices": "take_along_axis",
        "square_pair": "solve solve_triangular lstsq",
        "pattern": "rearrange",
    },
    "keras_layer": {
        "no_arguments_image": "ActivityRegularization AugMix AutoContrast BatchNormalization "
                              "ContrastLimitedAdaptiveHistogramEqualization Cropping2D CutMix ELU Equalization Flatten "
                              "GlobalAveragePooling2D GlobalAvgPool2D GlobalMaxPool2D GlobalMaxPooling2D Identity "
                              "LayerNormalization LeakyReLU Masking MaxPool2D MaxPooling2D MixUp Normalization PReLU "
                              "RMSNormalization RandAugment RandomColorJitter RandomElasticTransform RandomErasing "
                              "RandomFlip RandomGaussianBlur RandomGrayscale RandomInvert RandomPerspective RandomShear "
                              "ReLU Softmax Solarization UnitNormalization UpSampling2D ZeroPadding2D",
        "no_arguments_sequence": "Cropping1D GlobalAveragePooling1D GlobalAvgPool1D GlobalMaxPool1D GlobalMaxPooling1D "
                                 "MaxPool1D MaxPooling1D UpSampling1D ZeroPadding1D",
        "no_arguments_volume": "Cropping3D GlobalAveragePooling3D GlobalAvgPool3D GlobalMaxPool3D GlobalMaxPooling3D "
                               "MaxPool3D MaxPooling3D UpSampling3D ZeroPadding3D",
        "units_sequence": "Dense GRU LSTM SimpleRNN AveragePooling1D AvgPool1D AdaptiveAveragePooling1D "
                          "AdaptiveMaxPooling1D DepthwiseConv1D",
        "units_image": "AveragePooling2D AvgPool2D DepthwiseConv2D AdaptiveAveragePooling2D AdaptiveMaxPooling2D "
                       "RandomPosterization",
        "units_volume": "AveragePooling3D AvgPool3D AdaptiveAveragePooling3D AdaptiveMaxPooling3D",
        "units_vector": "RepeatVector",
        "channels_image": "GroupNormalization",
        "conv_sequence": "Conv1D Conv1DTranspose Convolution1D Convolution1DTranspose SeparableConv1D "
                         "SeparableConvolution1D",
        "conv_image": "Conv2D Conv2DTranspose Convolution2D Convolution2DTranspose SeparableConv2D "
                      "SeparableConvolution2D ConvLSTM1D",
        "conv_volume": "Conv3D Conv3DTranspose Convolution3D Convolution3DTranspose ConvLSTM2D",
        "conv_time_volume": "ConvLSTM3D",
        "rate_image": "AlphaDropout Dropout GaussianDropout GaussianNoise RandomBrightness RandomColorDegeneration "
                      "RandomContrast RandomHue RandomRotation RandomSaturation RandomSharpness RandomZoom "
                      "SpatialDropout2D Rescaling",
        "rate_sequence": "SpatialDropout1D",
        "rate_volume": "SpatialDropout3D",
        "two_rates_image": "RandomTranslation",
        "size_image": "CenterCrop RandomCrop Resizing",
        "merge": "Add AdditiveAttention Attention Average Concatenate Maximum Minimum Multiply Subtract",
        "merge_function": "add average concatenate maximum minimum multiply subtract",
        "dot": "Dot",
        "dot_function": "dot",
        "heads": "MultiHeadAttention",
        "grouped_heads": "GroupQueryAttention",
        "embedding": "Embedding ReversibleEmbedding",
        "tuple_sequence": "Permute",
        "reshape": "Reshape",
        "wrapped_dense": "TimeDistributed SpectralNormalization",
        "wrapped_lstm": "Bidirectional",
        "cell": "GRUCell LSTMCell SimpleRNNCell",
        "cell_wrapper": "RNN",
        "cells": "StackedRNNCells",
        "function": "Lambda",
        "activation": "Activation",
        "einsum": "EinsumDense",
        "integers_tokens": "CategoryEncoding Hashing",
        "integers_vocabulary": "IntegerLookup",
        "strings": "StringLookup TextVectorization",
        "boundaries": "Discretization",
        "crossing": "HashedCrossing",
        "pipeline": "Pipeline",
        "input": "Input",
        "input_layer": "InputLayer",
        "audio": "MelSpectrogram",
        "audio_channels": "STFTSpectrogram",
        "torch_module": "TorchModuleWrapper",
        "custom_layer": "Layer",
    },
    "tf_op": {
        "unary": "abs acos acosh asin asinh atan atanh ceil cos cosh exp expm1 floor log log1p negative reciprocal "
                 "round rsqrt sigmoid sign sin sinh sqrt square tan tanh erf erfc erfinv softplus softsign "
                 "relu relu6 elu selu gelu silu swish leaky_relu log_sigmoid softmax log_softmax identity "
                 "stop_gradient zeros_like ones_like is_finite is_inf is_nan",
        "unary_bool": "logical_not",
        "binary": "add subtract multiply divide maximum minimum pow truediv floordiv floormod mod "
                  "squared_difference atan2 equal not_equal greater greater_equal less less_equal divide_no_nan",
        "binary_bool": "logical_and logical_or logical_xor",
        "reduction": "reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_std reduce_variance "
                     "reduce_logsumexp",
        "axis": "argmax argmin cumsum cumprod",
        "matrix": "matmul",
        "concat": "concat",
        "stack": "stack",
        "new_shape": "reshape",
        "shape_of": "shape",
        "created_shape": "zeros ones",
        "created_count": "range",
        "random_shape": "normal uniform truncated_normal",
        "expand": "expand_dims",
        "squeeze": "squeeze",
        "permutation": "transpose",
        "multiples": "tile",
        "indices": "gather",
        "split": "split",
        "one_hot": "one_hot",
        "where": "where",
        "bounds": "clip_by_value",
        "cast": "cast",
        "top_k": "top_k",
        "conv1d": "conv1d",
        "conv2d": "conv2d",
        "conv3d": "conv3d",
        "pool1d": "max_pool1d avg_pool1d",
        "pool2d": "max_pool2d avg_pool2d",
        "pool3d": "max_pool3d avg_pool3d",
    },
    "keras_tensor": {
        "add_assign": "__add__",
        "binary": "__div__ __floordiv__ __ge__ __gt__ __le__ __lt__ __mod__ __mul__ __ne__ __pow__ __sub__ "
                  "__truediv__",
        "binary_scalar": "__radd__ __rdiv__ __rfloordiv__ __rmod__ __rmul__ __rpow__ __rsub__ __rtruediv__",
        "binary_int": "__and__ __or__ __xor__",
        "binary_int_scalar": "__rand__ __ror__ __rxor__",
        "unary": "__abs__ __neg__ __round__",
        "unary_int": "__invert__",
        "matrix": "__matmul__",
        "rmatmul": "__rmatmul__",
        "attribute": "dtype ndim shape",
        "new_shape": "reshape",
        "squeeze": "squeeze",
        "getitem": "__getitem__",
    },
}
