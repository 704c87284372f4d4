"""Embedding tables: Keras ``Embedding`` ↔ torch ``nn.Embedding``; ``vocabulary × dim`` in both. Keras's
``mask_zero`` and torch's ``padding_idx`` have no equivalent on the other side (same parameters), and the
converted code says so."""

from __future__ import annotations

from nncalc.convert.mapping import KerasCode, Mapping, TorchCode, call_text, register


def read_keras_embedding(layer, ctx) -> dict:
    return {"vocabulary": layer.input_dim, "dim": layer.output_dim, "mask_zero": layer.mask_zero}


def write_torch_embedding(op, ctx) -> TorchCode:
    comments = ["Keras mask_zero=True masks index 0 in later layers; torch has no mask (padding_idx only "
                "freezes that row)"] if op.attrs["mask_zero"] else []
    return TorchCode([("", call_text("nn.Embedding", op.attrs["vocabulary"], op.attrs["dim"]))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})", comments)


def read_torch_embedding(module, ctx) -> dict:
    return {"vocabulary": module.num_embeddings, "dim": module.embedding_dim, "mask_zero": False,
            "padding_idx": module.padding_idx}


def write_keras_embedding(op, ctx) -> KerasCode:
    comments = ["torch padding_idx only freezes that row; Keras has no such option (same parameters)"] \
        if op.attrs.get("padding_idx") is not None else []
    return KerasCode([call_text("layers.Embedding", op.attrs["vocabulary"], op.attrs["dim"], name=op.name)], comments)


register(
    Mapping("embedding", keras_types=("Embedding",), torch_types=("Embedding",), read_keras=read_keras_embedding,
            read_torch=read_torch_embedding, write_torch=write_torch_embedding, write_keras=write_keras_embedding),
)
