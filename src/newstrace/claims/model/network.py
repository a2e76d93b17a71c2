"""The tagger network in torch, for training and for export to the ONNX graph that ships.

Only ``newstrace train attribution`` imports this module (torch and transformers are the
``train`` extra); the shipped tagger runs the exported graph in onnxruntime (``tagger.py``).

A paragraph's wordpieces go through a pretrained BERT-style encoder (all-MiniLM-L6-v2 cut to its
first ``layers`` layers); each token takes the encoder's vector of its first wordpiece, joined
with embeddings of its parse features (``features.py``) and the pipeline's context vector; a
small feed-forward layer labels it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers import BertConfig, BertModel
from transformers.utils import logging as transformers_logging

from newstrace.claims.model.data import LABELS
from newstrace.claims.model.features import FEATURES, TENSOR_WIDTH
from newstrace.claims.model.tagger import InputShape


@dataclass(frozen=True, slots=True)
class NetworkShape:
    """Sizes of the network (the ``[network]`` section of the config)."""

    # Encoder layers kept of the pretrained six: fewer run faster (docs/attribution-model.md).
    layers: int = 4
    # Width of each feature's embedding and of the hidden layer that labels a token.
    embed: int = 32
    hidden: int = 256
    dropout: float = 0.1


class TaggerNetwork(nn.Module):
    """Wordpieces and token features → per-token label logits (a batch of padded paragraphs)."""

    def __init__(self, encoder_path: str | Path, shape: NetworkShape, inputs: InputShape, pretrained: bool = True):
        super().__init__()
        # Loading a cut encoder reports the layers left out as unexpected weights: that is the intent.
        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
        if pretrained:
            self.encoder = BertModel.from_pretrained(
                str(encoder_path), num_hidden_layers=shape.layers, add_pooling_layer=False, attn_implementation="eager"
            )
        else:
            config = BertConfig.from_pretrained(str(encoder_path), num_hidden_layers=shape.layers, attn_implementation="eager")
            self.encoder = BertModel(config, add_pooling_layer=False)
        rows = inputs.feature_rows().tolist()
        self.tables = nn.ModuleList(nn.Embedding(int(n), shape.embed) for n in rows)
        width = self.encoder.config.hidden_size + shape.embed * len(FEATURES) + TENSOR_WIDTH
        self.label = nn.Sequential(
            nn.Dropout(shape.dropout),
            nn.Linear(width, shape.hidden),
            nn.GELU(),
            nn.Dropout(shape.dropout),
            nn.Linear(shape.hidden, len(LABELS)),
        )

    def forward(self, input_ids, attention_mask, first, features, tensor):
        pieces = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        tokens = torch.gather(pieces, 1, first.unsqueeze(-1).expand(-1, -1, pieces.shape[-1]))
        embedded = [table(features[..., column]) for column, table in enumerate(self.tables)]
        return self.label(torch.cat([tokens, *embedded, tensor], dim=-1))


class _OneParagraph(nn.Module):
    """The graph that ships: one paragraph part, no padding, label probabilities out."""

    def __init__(self, network: TaggerNetwork):
        super().__init__()
        self.network = network

    def forward(self, input_ids, first, features, tensor):
        # No attention mask: nothing is padded, and the encoder's mask-building code, traced,
        # would fix the example's length into the graph.
        logits = self.network(input_ids[None], None, first[None], features[None], tensor[None])
        return torch.softmax(logits[0], dim=-1)


def export_onnx(network: TaggerNetwork, path: str | Path) -> None:
    """Write the network as an ONNX graph (float32) that reads one ``EncoderInput``'s feeds."""
    network.eval()
    # The example's sizes must differ (17 wordpieces for 10 tokens; features not all zero): the
    # tracer fixes into the graph what it cannot tell apart from a constant.
    example = (
        torch.arange(1000, 1017),
        torch.tensor([1, 2, 4, 5, 7, 9, 10, 12, 14, 15]),
        torch.arange(10 * len(FEATURES)).reshape(10, len(FEATURES)) % 7,
        torch.linspace(-1, 1, 10 * TENSOR_WIDTH).reshape(10, TENSOR_WIDTH),
    )
    torch.onnx.export(
        _OneParagraph(network).eval(),
        example,
        str(path),
        input_names=["input_ids", "first", "features", "tensor"],
        output_names=["probabilities"],
        dynamic_axes={
            "input_ids": {0: "pieces"},
            **{name: {0: "tokens"} for name in ("first", "features", "tensor", "probabilities")},
        },
        opset_version=17,
        dynamo=False,
    )


def quantize(float_path: str | Path, int8_path: str | Path) -> None:
    """Store the graph's matrix and embedding weights as int8 (dynamic quantization): a quarter
    of the size, and faster on CPU (docs/attribution-model.md)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"])
