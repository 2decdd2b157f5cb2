"""Builds the ONNX graph of a sentence-transformers BERT model straight from its safetensors weights, without torch."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from surveyor.errors import SurveyorError

if TYPE_CHECKING:  # onnx is imported only when a graph is built: reading a spec stays cheap
    import onnx

# Part of the cached file's name: bump it whenever the graph this module writes changes.
BUILDER_VERSION = 2
OPSET = 17
ACTIVATIONS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu")
Pooling = Literal["mean", "cls"]
_Weights = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class BertSpec:
    """What the graph needs from a model directory's config.json, modules.json and pooling config."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    eps: float
    activation: str
    max_positions: int
    type_vocab: int
    pooling: Pooling
    normalize: bool


def read_spec(model_dir: Path) -> BertSpec:
    """The model's sizes and pooling, or a SurveyorError saying what a supported directory needs."""
    config = _json(model_dir / "config.json")
    if not config:
        raise SurveyorError(f"{model_dir} has no config.json: a sentence-transformers model directory is needed")
    model_type = config.get("model_type")
    if model_type != "bert":
        raise SurveyorError(
            f"model_type {model_type!r} is not supported: only BERT-family models are built without torch; "
            "use a sentence-transformers BERT model directory (config.json model_type 'bert', model.safetensors)"
        )
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise SurveyorError(f"{model_dir}: only absolute position embeddings are supported")
    activation = str(config.get("hidden_act", "gelu"))
    if activation not in ACTIVATIONS:
        raise SurveyorError(
            f"{model_dir}: hidden_act {activation!r} is not supported (one of {', '.join(ACTIVATIONS)})"
        )
    pooling, normalize = _pipeline(model_dir)
    try:
        hidden, heads = int(config["hidden_size"]), int(config["num_attention_heads"])
        spec = BertSpec(
            hidden=hidden,
            layers=int(config["num_hidden_layers"]),
            heads=heads,
            intermediate=int(config["intermediate_size"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            activation=activation,
            max_positions=int(config.get("max_position_embeddings", 512)),
            type_vocab=int(config.get("type_vocab_size", 2)),
            pooling=pooling,
            normalize=normalize,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SurveyorError(f"{model_dir}/config.json lacks a BERT size ({exc})") from exc
    if hidden % heads:
        raise SurveyorError(f"{model_dir}: hidden_size {hidden} is not a multiple of num_attention_heads {heads}")
    return spec


def _pipeline(model_dir: Path) -> tuple[Pooling, bool]:
    """Pooling mode and whether a Normalize module follows, from modules.json; refuses modules the graph lacks."""
    modules = _json_list(model_dir / "modules.json")
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules] or ["Transformer", "Pooling"]
    extra = [k for k in kinds if k not in ("Transformer", "Pooling", "Normalize")]
    if extra or kinds[:2] != ["Transformer", "Pooling"]:
        raise SurveyorError(
            f"{model_dir}/modules.json lists {kinds}: only Transformer, Pooling and an optional Normalize are supported"
        )
    pooling_path = next((str(m.get("path", "")) for m in modules if str(m.get("type", "")).endswith("Pooling")), "")
    config = _json(model_dir / (pooling_path or "1_Pooling") / "config.json")
    mode = config.get("pooling_mode")
    if mode is None:  # the older format: one boolean per mode, mean when none is set
        legacy = {"mean_tokens": "mean", "cls_token": "cls"}
        flags = [k.removeprefix("pooling_mode_") for k, v in config.items() if k.startswith("pooling_mode_") and v]
        modes = [legacy.get(f, f) for f in flags] or ["mean"]
    else:
        modes = [str(m) for m in mode] if isinstance(mode, list) else [str(mode)]
    if modes == ["mean"]:
        return "mean", "Normalize" in kinds
    if modes == ["cls"]:
        return "cls", "Normalize" in kinds
    raise SurveyorError(f"{model_dir}: pooling {modes} is not supported (mean or cls only)")


def build_onnx(model_dir: Path, target: Path) -> None:
    """Write `target`: the encoder with pooling and L2 normalisation folded in, atomically."""
    from safetensors.numpy import load_file

    spec = read_spec(model_dir)
    weights_path = model_dir / "model.safetensors"
    if not weights_path.exists():
        raise SurveyorError(f"{model_dir} has no model.safetensors (pytorch_model.bin cannot be read without torch)")
    print(f"preparing the embedding model for onnxruntime (one time, a second or two): {target}", file=sys.stderr)
    model = bert_model(spec, load_file(str(weights_path)))
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write a unique temporary name and rename: concurrent or interrupted builds never expose half a file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(model.SerializeToString())
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


class _Graph:
    """Accumulates nodes and initializers, naming every intermediate result uniquely."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._names: set[str] = set()

    def const(self, name: str, value: np.ndarray | float | list[int]) -> str:
        """An initializer; a name seen before is reused (shared scalars and shape vectors)."""
        from onnx import numpy_helper

        if name not in self._names:
            self._names.add(name)
            array = (
                value
                if isinstance(value, np.ndarray)
                else np.asarray(value, np.int64 if isinstance(value, list) else np.float32)
            )
            self.initializers.append(numpy_helper.from_array(np.asarray(array, order="C"), name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        """Appends one node and returns the name of its single output."""
        from onnx import helper

        output = f"{op_type.lower()}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], **attrs))
        return output


def bert_model(spec: BertSpec, weights: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The ModelProto: embeddings, encoder layers, pooling and (always) L2 normalisation."""
    from onnx import TensorProto, helper

    # Checkpoints saved from BertForX classes prefix every name with "bert."; strip it so both load.
    tensors = {k.removeprefix("bert."): v for k, v in weights.items()}

    def weight(name: str) -> np.ndarray:
        if name not in tensors:
            raise SurveyorError(f"model.safetensors lacks the BERT tensor {name!r}")
        return tensors[name].astype(np.float32, copy=False)

    width = weight("embeddings.word_embeddings.weight").shape[-1]
    if width != spec.hidden:  # else onnxruntime fails later with a shape error naming no file
        raise SurveyorError(f"model.safetensors has {width}-wide embeddings but config.json says {spec.hidden}")
    g = _Graph()
    ids, mask, types = "input_ids", "attention_mask", "token_type_ids"
    x = _embeddings(g, spec, weight, ids, types)
    mask_f = g.op("Cast", mask, to=TensorProto.FLOAT)
    # Additive mask, broadcast over heads and query positions: padding keys get the float32 minimum, as in BERT.
    blocked = g.op("Mul", g.op("Sub", g.const("one", 1.0), mask_f), g.const("blocked", float(np.finfo(np.float32).min)))
    bias = g.op("Unsqueeze", blocked, g.const("axes_1_2", [1, 2]))
    for layer in range(spec.layers):
        x = _layer(g, spec, weight, f"encoder.layer.{layer}.", x, bias)
    if spec.pooling == "mean":
        m = g.op("Unsqueeze", mask_f, g.const("axis_2", [2]))
        summed = g.op("ReduceSum", g.op("Mul", x, m), g.const("axis_1", [1]), keepdims=0)
        count = g.op("Max", g.op("ReduceSum", m, "axis_1", keepdims=0), g.const("min_count", 1e-9))
        pooled = g.op("Div", summed, count)
    else:
        pooled = g.op("Gather", x, g.const("first", np.array(0, dtype=np.int64)), axis=1)
    # Always unit length: the index compares by dot product (a model without Normalize ranks the same by cosine).
    norm = g.op("Max", g.op("ReduceL2", pooled, axes=[1], keepdims=1), g.const("min_norm", 1e-12))
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))
    # The last layer's states too, one per token, for reading a text word by word (a draft's relevance).
    g.nodes.append(helper.make_node("Identity", [x], ["token_states"]))
    dims = ["batch", "tokens"]
    graph = helper.make_graph(
        g.nodes,
        "sentence_bert",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in (ids, mask, types)],
        [
            helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", spec.hidden]),
            helper.make_tensor_value_info("token_states", TensorProto.FLOAT, [*dims, spec.hidden]),
        ],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="surveyor")
    model.ir_version = 8  # what opset 17 needs; older onnxruntime releases refuse newer IR versions
    return model


def _embeddings(g: _Graph, spec: BertSpec, weight: _Weights, ids: str, types: str) -> str:
    """Word + position + token-type embeddings, layer-normalised."""
    words = g.op("Gather", g.const("word_embeddings", weight("embeddings.word_embeddings.weight")), ids)
    tokens = g.op("Shape", ids, start=1, end=2)
    table = g.const("position_embeddings", weight("embeddings.position_embeddings.weight"))
    positions = g.op("Slice", table, g.const("zero", [0]), tokens, g.const("axis_0", [0]))
    kinds = g.op("Gather", g.const("token_type_embeddings", weight("embeddings.token_type_embeddings.weight")), types)
    summed = g.op("Add", g.op("Add", words, positions), kinds)
    return _layer_norm(g, spec, weight, "embeddings.LayerNorm", summed)


def _layer(g: _Graph, spec: BertSpec, weight: _Weights, prefix: str, x: str, bias: str) -> str:
    """One encoder layer: self-attention, then the feed-forward block, each with a residual and LayerNorm."""
    head = spec.hidden // spec.heads
    split = g.const(f"{prefix}split", [0, 0, spec.heads, head])
    scale = 1.0 / math.sqrt(head)

    def heads(name: str, perm: list[int], factor: float = 1.0) -> str:
        # Scaling the query weights instead of the scores saves one op per layer.
        w = weight(f"{prefix}attention.self.{name}.weight").T * factor
        b = weight(f"{prefix}attention.self.{name}.bias") * factor
        projected = g.op("Add", g.op("MatMul", x, g.const(f"{prefix}{name}.w", w)), g.const(f"{prefix}{name}.b", b))
        return g.op("Transpose", g.op("Reshape", projected, split), perm=perm)

    q = heads("query", [0, 2, 1, 3], scale)
    k = heads("key", [0, 2, 3, 1])
    v = heads("value", [0, 2, 1, 3])
    probs = g.op("Softmax", g.op("Add", g.op("MatMul", q, k), bias), axis=-1)
    context = g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3])
    merged = g.op("Reshape", context, g.const(f"{prefix}merge", [0, 0, spec.hidden]))
    attended = _dense(g, weight, f"{prefix}attention.output.dense", merged)
    x = _layer_norm(g, spec, weight, f"{prefix}attention.output.LayerNorm", g.op("Add", attended, x))
    inner = _activation(g, spec.activation, _dense(g, weight, f"{prefix}intermediate.dense", x))
    out = _dense(g, weight, f"{prefix}output.dense", inner)
    return _layer_norm(g, spec, weight, f"{prefix}output.LayerNorm", g.op("Add", out, x))


def _dense(g: _Graph, weight: _Weights, name: str, x: str) -> str:
    """x @ W.T + b, with W stored transposed so MatMul needs no Transpose at run time."""
    w = g.const(f"{name}.w", weight(f"{name}.weight").T)
    return g.op("Add", g.op("MatMul", x, w), g.const(f"{name}.b", weight(f"{name}.bias")))


def _layer_norm(g: _Graph, spec: BertSpec, weight: _Weights, name: str, x: str) -> str:
    """LayerNormalization over the hidden axis (opset 17's own op, which onnxruntime runs fused)."""
    gamma, beta = g.const(f"{name}.gamma", weight(f"{name}.weight")), g.const(f"{name}.beta", weight(f"{name}.bias"))
    return g.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=spec.eps)


def _activation(g: _Graph, name: str, x: str) -> str:
    """BERT's "gelu" is the exact erf form; "gelu_new" and "gelu_pytorch_tanh" are the tanh approximation."""
    if name == "relu":
        return g.op("Relu", x)
    if name == "gelu":
        # Spelled x * (1 + erf(x / sqrt 2)) * 0.5, the order onnxruntime's Gelu fusion recognises.
        erf = g.op("Erf", g.op("Div", x, g.const("sqrt2", math.sqrt(2.0))))
        return g.op("Mul", g.op("Mul", x, g.op("Add", erf, g.const("one", 1.0))), g.const("half", 0.5))
    half = g.op("Mul", x, g.const("half", 0.5))
    cubic = g.op("Mul", g.op("Mul", g.op("Mul", x, x), x), g.const("gelu_c", 0.044715))
    inner = g.op("Mul", g.op("Add", x, cubic), g.const("sqrt_2_over_pi", math.sqrt(2.0 / math.pi)))
    return g.op("Mul", half, g.op("Add", g.op("Tanh", inner), g.const("one", 1.0)))


def _json(path: Path) -> dict[str, Any]:
    """A JSON object file; {} when the file is absent."""
    try:
        data = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError) as exc:
        raise SurveyorError(f"cannot read {path}: {exc}") from exc
    return data if isinstance(data, dict) else {}


def _json_list(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON array file; [] when the file is absent."""
    try:
        data = json.loads(path.read_text()) if path.exists() else []
    except (OSError, ValueError) as exc:
        raise SurveyorError(f"cannot read {path}: {exc}") from exc
    return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []
