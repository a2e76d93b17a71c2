"""The tagger network in torch: its training loop, and its export to the ONNX graph that ships.

Only training imports this module (torch and transformers are the ``train`` extra); the shipped
tagger runs the exported graph in onnxruntime (``tagger.py``). It reads prepared inputs
(``inputs.py``) and needs no spaCy, so that it also trains where only torch is installed
(``benchmarks/tagger_sweep.py`` on a GPU machine).

A paragraph's wordpieces go through a pretrained BERT-style encoder (all-MiniLM-L6-v2 cut to its
first ``layers`` layers); each token takes the encoder's vector of its first wordpiece, joined
with embeddings of its parse features (``features.py``) and the pipeline's context vector; a
small feed-forward layer labels it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
import torch
from torch import nn
from transformers import BertConfig, BertModel
from transformers.utils import logging as transformers_logging

from newstrace.claims.model.inputs import FEATURES, LABELS, TENSOR_WIDTH, InputShape, LabelledInput, input_shape

_IGNORED = -100  # label of padding, which the loss skips


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
            # float32 also from a checkpoint stored in half precision (the GPU sweep's, to travel light).
            self.encoder = BertModel.from_pretrained(
                str(encoder_path), num_hidden_layers=shape.layers, add_pooling_layer=False, attn_implementation="eager", dtype=torch.float32
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


def network_shape(config: Mapping) -> NetworkShape:
    """The ``[network]`` section of a config as a ``NetworkShape``."""
    return NetworkShape(**{k: v for k, v in config["network"].items() if k in NetworkShape.__dataclass_fields__})


def groups(items: Sequence[LabelledInput], batch_pieces: int, rng: numpy.random.RandomState | None = None) -> list[list[int]]:
    """Indices of parts of about equal length, at most ``batch_pieces`` padded wordpieces a group;
    shuffled when ``rng`` is given (the order of equal lengths is broken at random)."""
    noise = rng.rand(len(items)) if rng is not None else numpy.zeros(len(items))
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0].input_ids), noise[i]))
    out: list[list[int]] = [[]]
    widest = 0
    for i in order:
        width = len(items[i][0].input_ids)
        if out[-1] and max(widest, width) * (len(out[-1]) + 1) > batch_pieces:
            out.append([])
            widest = 0
        out[-1].append(i)
        widest = max(widest, width)
    if rng is not None:
        rng.shuffle(out)
    return out


def batches(
    items: Sequence[LabelledInput], batch_pieces: int, rng: numpy.random.RandomState | None = None, device: str | torch.device = "cpu"
) -> Iterator[tuple]:
    """Padded torch batches of the parts grouped by ``groups``, with their indices in ``items``:
    ``(inputs, gold, indices)``."""
    for group in groups(items, batch_pieces, rng):
        parts = [items[i] for i in group]
        n, pieces, tokens = len(parts), max(len(p.input_ids) for p, _ in parts), max(len(p.first) for p, _ in parts)
        ids = torch.zeros((n, pieces), dtype=torch.long)
        mask = torch.zeros((n, pieces), dtype=torch.long)
        first = torch.zeros((n, tokens), dtype=torch.long)
        features = torch.zeros((n, tokens, parts[0][0].features.shape[1]), dtype=torch.long)
        tensor = torch.zeros((n, tokens, parts[0][0].tensor.shape[1]))
        gold = torch.full((n, tokens), _IGNORED, dtype=torch.long)
        for k, (part, labels) in enumerate(parts):
            width, length = len(part.input_ids), len(part.first)
            ids[k, :width] = torch.from_numpy(part.input_ids)
            mask[k, :width] = 1
            first[k, :length] = torch.from_numpy(part.first)
            features[k, :length] = torch.from_numpy(part.features)
            tensor[k, :length] = torch.from_numpy(part.tensor)
            gold[k, :length] = torch.from_numpy(labels)
        inputs = tuple(t.to(device) for t in (ids, mask, first, features, tensor))
        yield inputs, gold.to(device), group


def fit_network(
    items: Sequence[LabelledInput],
    config: Mapping,
    encoder_folder: str | Path,
    log: Callable[[str], None] = print,
    dev_items: Sequence[LabelledInput] = (),
    device: str | torch.device = "cpu",
) -> TaggerNetwork:
    """Fine-tune a tagger network on prepared paragraph parts with their gold labels, as the
    config's ``[network]`` and ``[training]`` sections say; deterministic for a given config (and
    number of threads, on CPU). ``dev_items``: token accuracy after each epoch."""
    settings = config["training"]
    seed = int(settings["seed"])
    torch.manual_seed(seed)
    torch.set_num_threads(int(settings["threads"]))
    # On a GPU some backward kernels have no deterministic version: there, repeatability is not promised.
    torch.use_deterministic_algorithms(True, warn_only=torch.device(device).type != "cpu")
    rng = numpy.random.RandomState(seed)
    network = TaggerNetwork(encoder_folder, network_shape(config), input_shape(config)).to(device)
    # The wordpiece embeddings stay as pretrained: words PolNeAR rarely shows keep their meaning.
    network.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    batch_pieces, epochs = int(settings["batch_pieces"]), int(settings["epochs"])
    encoder_params = [p for p in network.encoder.parameters() if p.requires_grad]
    head_params = [p for name, p in network.named_parameters() if not name.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [{"params": encoder_params, "lr": float(settings["encoder_learn_rate"])}, {"params": head_params, "lr": float(settings["learn_rate"])}],
        weight_decay=float(settings["weight_decay"]),
    )
    steps = epochs * len(groups(items, batch_pieces))
    warmup = max(1, math.ceil(float(settings["warmup"]) * steps))
    # Linear warm-up, then linear decay to zero.
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=_IGNORED)
    log(f"{len(items)} paragraph parts, {sum(len(p.input_ids) for p, _ in items)} wordpieces, {steps} steps")
    for epoch in range(1, epochs + 1):
        started, total = time.perf_counter(), 0.0
        network.train()
        for inputs, gold, _ in batches(items, batch_pieces, rng, device):
            logits = network(*inputs)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), gold.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), float(settings["grad_clip"]))
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        line = f"epoch {epoch}: loss {total:.1f}, {time.perf_counter() - started:.0f} s"
        if dev_items:
            line += f", dev token accuracy {token_accuracy(network, dev_items, batch_pieces, device):.4f}"
        log(line)
    network.eval()
    return network


def label_probabilities(
    network: TaggerNetwork, items: Sequence[LabelledInput], batch_pieces: int, device: str | torch.device = "cpu"
) -> list[numpy.ndarray]:
    """Per item, its tokens' label probabilities (n_tokens, len(LABELS)) by the torch network."""
    network.eval()
    out: list[numpy.ndarray] = [numpy.zeros((0, len(LABELS)))] * len(items)
    with torch.no_grad():
        for inputs, _, group in batches(items, batch_pieces, device=device):
            probabilities = torch.softmax(network(*inputs), dim=-1).cpu().numpy()
            for k, i in enumerate(group):
                out[i] = probabilities[k, : len(items[i][0].first)]
    return out


def token_accuracy(network: TaggerNetwork, items: Sequence[LabelledInput], batch_pieces: int, device: str | torch.device = "cpu") -> float:
    """Share of non-O gold or predicted tokens labelled right (a quick progress signal)."""
    network.eval()
    right = seen = 0
    with torch.no_grad():
        for inputs, gold, _ in batches(items, batch_pieces, device=device):
            guess = network(*inputs).argmax(-1)
            counted = (gold != _IGNORED) & ((gold != 0) | (guess != 0))
            seen += int(counted.sum())
            right += int(((guess == gold) & counted).sum())
    return right / seen if seen else 0.0


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
