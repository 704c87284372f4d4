"""``nn.Flatten`` and ``nn.Unflatten``: one range of dimensions merged into one, one dimension split into several."""

from __future__ import annotations

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.errors import check_int, shape_error
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.shapes import dim_index, sizes_arg
from nncalc.frameworks.torch.tensor import flatten


@builtin
class Flatten(Module):
    """``nn.Flatten(start_dim=1, end_dim=-1)``: keeps the batch, unlike ``torch.flatten``."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = check_int(start_dim, "start_dim", self, None)
        self.end_dim = check_int(end_dim, "end_dim", self, None)

    def forward(self, input):
        x = tensor_input(input, self)
        out = flatten(x, self.start_dim, self.end_dim)
        formula = getattr(out, "_flatten_formula", None)
        if formula is not None:
            recorder.note(0, [("features", formula)])
        return out

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


@builtin
class Unflatten(Module):
    """``nn.Unflatten(dim, unflattened_size)``: one dimension split into several."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = sizes_arg((unflattened_size,), "Unflatten")

    def forward(self, input):
        x = tensor_input(input, self)
        axis = dim_index(self.dim, len(x._shape))
        wanted = self.unflattened_size
        known = 1
        for size in wanted:
            known *= size if size != -1 else 1
        have = x._shape[axis]
        if (-1 in wanted and have % known) or (-1 not in wanted and known != have):
            raise shape_error(
                f"{self._describe()}: provided sizes {list(wanted)} don't multiply up to the size of dim {self.dim} "
                f"({have}) in the input tensor",
                "reshape",
                self,
            )
        sizes = tuple(have // known if s == -1 else s for s in wanted)
        return x._like(x._shape[:axis] + sizes + x._shape[axis + 1 :], factors=None)
