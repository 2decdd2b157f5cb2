"""The torch-free ONNX graph of all-MiniLM-L6-v2 against sentence-transformers' own vectors (no torch imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from surveyor.errors import SurveyorError
from surveyor.index.embeddings import model_dir, open_embedder
from surveyor.settings import DEFAULT_MODEL, Settings

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "minilm_reference.json").read_text())
TEXTS: list[str] = REFERENCE["texts"]
# Builds the graph in a process where torch, transformers and sentence-transformers cannot be imported.
NO_TORCH = """
import json, sys
for name in ("torch", "transformers", "sentence_transformers"):
    sys.modules[name] = None  # importing any of them now raises ImportError
from pathlib import Path
from surveyor.index.embeddings import open_embedder
from surveyor.settings import DEFAULT_MODEL, Settings
embedder = open_embedder(Settings(embedding_model=DEFAULT_MODEL, cache_dir=Path(sys.argv[1])))
print(json.dumps(embedder.embed(json.loads(sys.stdin.read())).tolist()))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """A cache dir holding the graph built without torch, and that process's vectors for TEXTS."""
    cache = tmp_path_factory.mktemp("cache")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEYOR_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", NO_TORCH, str(cache)],
        input=json.dumps(TEXTS),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "preparing the embedding model" in result.stderr
    return cache, np.array(json.loads(result.stdout), dtype=np.float32)


def _min_cosine(vectors: np.ndarray, reference: list[list[float]]) -> float:
    """The lowest cosine between each vector and its reference row."""
    expected = np.array(reference, dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)  # undo the fixture's rounding to 6 decimals
    return float((vectors * expected).sum(axis=1).min())


def test_graph_built_without_torch_matches_sentence_transformers(built: tuple[Path, np.ndarray]) -> None:
    cache, vectors = built
    assert vectors.shape == (len(TEXTS), 384)
    assert _min_cosine(vectors, REFERENCE["mean"]) >= 0.999
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Only the finished graph is left: the build wrote a temporary file and renamed it.
    (graph,) = cache.iterdir()
    assert graph.name.endswith(".onnx") and "-graph" in graph.name


def test_cached_graph_is_reused_and_a_batch_equals_single_texts(
    built: tuple[Path, np.ndarray], capsys: pytest.CaptureFixture[str]
) -> None:
    cache, _ = built
    embedder = open_embedder(Settings(cache_dir=cache))
    whole = Tokenizer.from_file(str(model_dir(DEFAULT_MODEL) / "tokenizer.json"))
    whole.no_truncation()
    assert max(len(e.ids) for e in whole.encode_batch(TEXTS)) > embedder.max_tokens == 256  # truncation is tested
    batch = embedder.embed(TEXTS)
    singles = np.vstack([embedder.embed([text]) for text in TEXTS])
    assert "preparing" not in capsys.readouterr().err
    # Padding a short text to the batch's longest must not change its vector.
    assert np.abs(batch - singles).max() < 1e-5
    assert _min_cosine(batch, REFERENCE["mean"]) >= 0.999


def test_local_directory_with_cls_pooling(tmp_path: Path) -> None:
    source, local = model_dir(DEFAULT_MODEL), tmp_path / "minilm-cls"
    (local / "1_Pooling").mkdir(parents=True)
    for name in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json", "model.safetensors"):
        (local / name).symlink_to(source / name)
    pooling = {"word_embedding_dimension": 384, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}
    (local / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    embedder = open_embedder(Settings(embedding_model=str(local), cache_dir=tmp_path / "cache"))
    vectors = embedder.embed([TEXTS[i] for i in REFERENCE["cls_texts"]])
    assert _min_cosine(vectors, REFERENCE["cls"]) >= 0.999


def _model_dir(root: Path, config: dict[str, object], modules: list[str]) -> Path:
    """A model directory with the given config.json and module classes (no weights: refused before they matter)."""
    root.mkdir()
    (root / "config.json").write_text(json.dumps(config))
    entries = [{"idx": i, "path": "", "type": f"sentence_transformers.models.{m}"} for i, m in enumerate(modules)]
    (root / "modules.json").write_text(json.dumps(entries))
    return root


@pytest.mark.parametrize(
    ("config", "modules", "message"),
    [
        ({"model_type": "xlm-roberta"}, ["Transformer", "Pooling"], "model_type 'xlm-roberta' is not supported"),
        ({"model_type": "bert"}, ["Transformer", "Pooling", "Dense", "Normalize"], "only Transformer, Pooling"),
    ],
)
def test_unsupported_model_is_one_clear_error(
    tmp_path: Path, config: dict[str, object], modules: list[str], message: str
) -> None:
    directory = _model_dir(tmp_path / "model", config, modules)
    with pytest.raises(SurveyorError, match=message) as raised:
        open_embedder(Settings(embedding_model=str(directory), cache_dir=tmp_path / "cache"))
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "cache").exists()


def test_a_hub_name_is_not_downloaded(tmp_path: Path) -> None:
    with pytest.raises(SurveyorError, match="download the sentence-transformers model directory"):
        open_embedder(Settings(embedding_model="BAAI/bge-small-en-v1.5", cache_dir=tmp_path))


def test_token_states_are_one_unit_row_per_word_piece_read_in_context(built: tuple[Path, np.ndarray]) -> None:
    cache, _ = built
    embedder = open_embedder(Settings(cache_dir=cache))
    texts = ["hypernetworks write the weights of other networks", "we write", "a river bank", "a bank loan"]
    states = embedder.token_states(texts)
    assert [len(s) for s in states] == embedder.count_tokens(texts)  # [CLS] and [SEP] left out
    assert all(np.allclose(np.linalg.norm(s, axis=1), 1.0, atol=1e-5) for s in states)
    # Batched with longer texts (padded) or alone, a text reads the same.
    assert np.abs(states[1] - embedder.token_states(["we write"])[0]).max() < 1e-4
    # In context: 'bank' of a river is not 'bank' of a loan, and neither is far from itself.
    river, loan = states[2][-1], states[3][-2]
    assert 0.3 < float(river @ loan) < 0.95
