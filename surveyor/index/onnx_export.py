"""One-time export of a sentence-transformers model to ONNX; the only place torch is imported."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

from surveyor.errors import SurveyorError


def export_onnx(model_dir: Path, target: Path) -> None:
    """Write `target`: the model with mean pooling and L2 normalisation folded into the graph."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise SurveyorError(f"exporting the embedding model needs torch and transformers ({exc})") from exc
    print(f"preparing the embedding model for onnxruntime (one time, a few seconds): {target}", file=sys.stderr)
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "token_type_ids": {0: "batch", 1: "tokens"},
        "embedding": {0: "batch"},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    # Export to a temporary name and rename: a concurrent or interrupted export never leaves half a file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(),
                (sample, sample, torch.zeros_like(sample)),
                tmp,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["embedding"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
