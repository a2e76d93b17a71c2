"""Training settings of the attribution tagger compared side by side, here or on a GPU machine.

    # here (the project installed): parse PolNeAR once, write the tagger's inputs to DATA
    PYTHONPATH=src python benchmarks/tagger_sweep.py pack DATA
    # here or on a GPU machine (torch, transformers and numpy are enough): train each variant
    python benchmarks/tagger_sweep.py run DATA RESULTS [--variants base,seed1] [--budget 480]
    # here: content readers fitted on each variant's out-of-fold readings, the hybrid scored on dev
    PYTHONPATH=src python benchmarks/tagger_sweep.py score DATA RESULTS
    # here: a variant's returned weights as a model folder (readers fitted as in score)
    PYTHONPATH=src python benchmarks/tagger_sweep.py export DATA RESULTS VARIANT OUT

A variant is the shipped config with some settings changed (``VARIANTS``: the config's
``[training]``, ``[network]`` and ``[chooser]`` epochs). For each, ``run`` trains what training
trains: two fold taggers (articles i mod 2, the folds' epochs), whose readings of the other half
are out of fold, and the tagger on all of train, which reads dev. It ranks the variants by
content span F1 out of fold (the tagger's likeliest labels, a quick proxy) and keeps in RESULTS
the readings of base and of the best of each encoder depth, and the weights of the very best of
each. ``score`` then does what training does with readings (``train.fit_on_readings``) and scores
the hybrid finder on dev with the shared scorer: tune on train, check on dev.

The inputs are those of ``newstrace train attribution`` but for the pipeline's context vectors,
stored as int8 (a scale per column) to travel: ``run``'s "base" is the shipped recipe on those
inputs, the baseline to compare against, not the shipped model. ``run`` loads ``network.py`` and
``inputs.py`` from this checkout without the rest of the package, so it needs no spaCy.
docs/attribution-model-history.md ("Stop 18") says how DATA travels to a GPU machine (64 MiB a call).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
import types
import zlib
from pathlib import Path

import numpy

SRC = Path(__file__).resolve().parents[1] / "src"
NO_ROLE, ROLES = 0, ("src", "cue", "con")
# Settings changed from the shipped config: "section.key": value.
VARIANTS: dict[str, dict] = {
    "base": {},
    "seed1": {"training.seed": 1},
    "seed2": {"training.seed": 2},
    "encoder_lr_2e-4": {"training.encoder_learn_rate": 2e-4},
    "encoder_lr_5e-5": {"training.encoder_learn_rate": 5e-5},
    "epochs_8": {"training.epochs": 8},
    "batch_2000": {"training.batch_pieces": 2000},
    "hidden_512": {"network.hidden": 512},
    "dropout_0.2": {"network.dropout": 0.2},
    "embed_64": {"network.embed": 64},
    "head_lr_3e-3": {"training.learn_rate": 3e-3},
    "weight_decay_0.1": {"training.weight_decay": 0.1},
    "warmup_0.15": {"training.warmup": 0.15},
    "fold_epochs_5": {"chooser.epochs": 5},
    "encoder_lr_2e-4_epochs_8": {"training.encoder_learn_rate": 2e-4, "training.epochs": 8},
    "batch_2000_encoder_lr_5e-5": {"training.batch_pieces": 2000, "training.encoder_learn_rate": 5e-5},
    "encoder_lr_4e-4": {"training.encoder_learn_rate": 4e-4},
    "encoder_lr_5e-4": {"training.encoder_learn_rate": 5e-4},
    "batch_8000": {"training.batch_pieces": 8000},
    "encoder_lr_4e-4_seed1": {"training.encoder_learn_rate": 4e-4, "training.seed": 1},
    "encoder_lr_5e-4_seed1": {"training.encoder_learn_rate": 5e-4, "training.seed": 1},
    "encoder_lr_6e-4": {"training.encoder_learn_rate": 6e-4},
    "encoder_lr_8e-4": {"training.encoder_learn_rate": 8e-4},
    "encoder_lr_5e-4_epochs_6": {"training.encoder_learn_rate": 5e-4, "training.epochs": 6},
    "encoder_lr_5e-4_fold_epochs_4": {"training.encoder_learn_rate": 5e-4, "chooser.epochs": 4},
    "encoder_lr_5e-4_head_lr_2e-3": {"training.encoder_learn_rate": 5e-4, "training.learn_rate": 2e-3},
    "encoder_lr_5e-4_warmup_0.1": {"training.encoder_learn_rate": 5e-4, "training.warmup": 0.1},
    "fold_epochs_4": {"chooser.epochs": 4},
    "encoder_lr_5e-4_fold_epochs_5": {"training.encoder_learn_rate": 5e-4, "chooser.epochs": 5},
    "encoder_lr_5e-4_fold_epochs_4_seed1": {"training.encoder_learn_rate": 5e-4, "chooser.epochs": 4, "training.seed": 1},
    "encoder_lr_5e-4_seed2": {"training.encoder_learn_rate": 5e-4, "training.seed": 2},
    "fold_epochs_4_seed1": {"chooser.epochs": 4, "training.seed": 1},
    # Three encoder layers run about a quarter less arithmetic (speed: docs/attribution-model.md).
    "layers_3": {"network.layers": 3},
    "layers_3_epochs_7": {"network.layers": 3, "training.epochs": 7},
    "layers_3_encoder_lr_5e-4": {"network.layers": 3, "training.encoder_learn_rate": 5e-4},
}


def variant_config(config: dict, name: str) -> dict:
    out = json.loads(json.dumps(config))
    for key, value in VARIANTS[name].items():
        section, field = key.split(".")
        out[section][field] = value
    return out


# pack (here) -------------------------------------------------------------------------------------


def pack(data: Path) -> None:
    import torch
    from safetensors.torch import load_file, save_file
    from spacy.tokens import DocBin
    from thinc.api import Config

    from attribution_model import SHARED

    from newstrace.claims.model.data import parse_records, read_records, token_labels
    from newstrace.claims.model.tagger import encoder_inputs, input_shape
    from newstrace.claims.model.train import DEFAULT_CONFIG, encoder_path
    from newstrace.claims.model.wordpieces import VOCAB_FILE, Wordpieces
    from newstrace.claims.nlp import load_nlp

    config = Config().from_disk(DEFAULT_CONFIG)
    nlp = load_nlp(config["features"]["spacy_model"])
    wordpieces, shape = Wordpieces(encoder_path(config) / VOCAB_FILE), input_shape(config)
    device, parsed = data / "device", data / "parsed"
    device.mkdir(parents=True, exist_ok=True)
    parsed.mkdir(parents=True, exist_ok=True)
    splits = {}
    for split in ("train", "dev"):
        articles = list(parse_records(read_records(SHARED / "corpus" / "polnear" / f"{split}.jsonl"), nlp))
        docs = DocBin(store_user_data=True)
        for article in articles:
            for doc in article.docs:
                docs.add(doc)
        (parsed / f"{split}.spacy").write_bytes(docs.to_bytes())
        records = [{"id": a.id, "text": a.text, "offsets": a.offsets, "docs": len(a.docs),
                    "gold": [{"cue": g.cue, "source": g.source, "content": g.content} for g in a.gold]} for a in articles]
        (parsed / f"{split}.json").write_text(json.dumps(records), encoding="utf-8")
        splits[split] = [(a, d, part, labels[part.start : part.end])
                         for a, article in enumerate(articles)
                         for d, (doc, labels) in enumerate(zip(article.docs, token_labels(article)))
                         for part in encoder_inputs(doc, wordpieces, shape)]
        print(split, len(articles), "articles,", len(splits[split]), "paragraph parts", flush=True)
    # Only the wordpieces PolNeAR uses travel: the network's wordpiece embeddings stay as pretrained.
    used = numpy.unique(numpy.concatenate([p.input_ids for rows in splits.values() for _, _, p, _ in rows]))
    row_of = numpy.zeros(int(used.max()) + 1, dtype=numpy.int64)
    row_of[used] = numpy.arange(len(used))
    scale = numpy.abs(numpy.concatenate([p.tensor for _, _, p, _ in splits["train"]])).max(0) / 127.0
    scale[scale == 0] = 1.0
    for split, rows in splits.items():
        tensor = numpy.concatenate([numpy.clip(numpy.round(p.tensor / scale), -127, 127) for _, _, p, _ in rows]).astype(numpy.int8)
        arrays = {
            "parts": numpy.asarray([(a, d, p.start, p.end, len(p.input_ids)) for a, d, p, _ in rows], dtype=numpy.int32),
            "ids": numpy.concatenate([row_of[p.input_ids] for _, _, p, _ in rows]).astype(numpy.uint16),
            "first": numpy.concatenate([p.first for _, _, p, _ in rows]).astype(numpy.int16),
            "features": numpy.concatenate([p.features for _, _, p, _ in rows]).astype(numpy.int16),
            "gold": numpy.concatenate([gold for _, _, _, gold in rows]).astype(numpy.int8),
            "scale": scale.astype(numpy.float32),
        }
        if split == "train":  # the largest array travels on its own
            (device / "train-tensor.zlib").write_bytes(zlib.compress(tensor.tobytes(), 6))
        else:
            arrays["tensor"] = tensor
        numpy.savez_compressed(device / f"{split}.npz", **arrays)
    (device / "config.json").write_text(json.dumps(config), encoding="utf-8")
    encoder = device / "encoder"
    encoder.mkdir(exist_ok=True)
    pretrained = encoder_path(config)
    settings = json.loads((pretrained / "config.json").read_text(encoding="utf-8"))
    layers = int(config["network"]["layers"])
    settings.update(vocab_size=len(used), num_hidden_layers=layers)
    (encoder / "config.json").write_text(json.dumps(settings), encoding="utf-8")
    weights = {}
    for key, value in load_file(str(pretrained / "model.safetensors")).items():
        if key.startswith("pooler") or key.endswith("position_ids"):
            continue
        if key.startswith("encoder.layer.") and int(key.split(".")[2]) >= layers:
            continue
        if key == "embeddings.word_embeddings.weight":
            value = value[torch.as_tensor(used)]
        weights[key] = value.to(torch.float16).contiguous()
    save_file(weights, str(encoder / "model.safetensors"))
    print("wrote", device, sum(f.stat().st_size for f in device.rglob("*") if f.is_file()) // 2**20, "MiB", flush=True)


# run (here or on a GPU machine) ------------------------------------------------------------------


def _network_modules():
    """network.py and inputs.py of this checkout, without the package's other modules (spaCy)."""
    for name in ("newstrace", "newstrace.claims", "newstrace.claims.model"):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(SRC.joinpath(*name.split(".")))]
            sys.modules[name] = package
    from newstrace.claims.model import inputs, network

    return inputs, network


def load_split(device_data: Path, split: str, tensor_file: Path | None, limit: int | None = None):
    """The split's paragraph parts as (EncoderInput, gold) items, and each part's (article, doc)."""
    inputs, _ = _network_modules()
    arrays = dict(numpy.load(device_data / f"{split}.npz"))  # an NpzFile inflates an array on every access
    if "tensor" not in arrays:
        arrays["tensor"] = numpy.frombuffer(zlib.decompress(tensor_file.read_bytes()), dtype=numpy.int8).reshape(len(arrays["first"]), -1)
    tensor = arrays["tensor"].astype(numpy.float32) * arrays["scale"]
    parts = arrays["parts"]
    piece_at = numpy.concatenate([[0], numpy.cumsum(parts[:, 4])])
    token_at = numpy.concatenate([[0], numpy.cumsum(parts[:, 3] - parts[:, 2])])
    items = []
    for i, (_, _, start, end, _) in enumerate(parts[:limit]):
        tokens = slice(token_at[i], token_at[i + 1])
        part = inputs.EncoderInput(
            int(start), int(end), arrays["ids"][piece_at[i] : piece_at[i + 1]].astype(numpy.int64),
            arrays["first"][tokens].astype(numpy.int64), arrays["features"][tokens].astype(numpy.int64), tensor[tokens],
        )
        items.append((part, arrays["gold"][tokens].astype(numpy.int64)))
    return items, parts[: len(items), :2]


def span_f1(probabilities: list[numpy.ndarray], items) -> dict[str, float]:
    """Exact span F1 per role of the likeliest labels (B- starts a span, I- of the role continues it)."""
    right, predicted, gold = numpy.zeros(3), numpy.zeros(3), numpy.zeros(3)
    for probs, (_, labels) in zip(probabilities, items):
        guess, want = _spans(probs.argmax(-1)), _spans(labels)
        for role in range(3):
            mine, theirs = {s for s in guess if s[0] == role}, {s for s in want if s[0] == role}
            right[role] += len(mine & theirs)
            predicted[role] += len(mine)
            gold[role] += len(theirs)
    return {name: float(2 * right[k] / max(1, predicted[k] + gold[k])) for k, name in enumerate(ROLES)}


def _spans(labels) -> set[tuple[int, int, int]]:
    out, current = set(), None
    for i, label in enumerate([*labels, NO_ROLE]):
        role, begins = (int(label) - 1) // 2 if label else None, label in (1, 3, 5)
        if current and (begins or role != current[0]):
            out.add((current[0], current[1], i))
            current = None
        if role is not None and current is None:
            current = (role, i)
    return out


def train_variant(name: str, data: Path, tensor_file: Path, work: Path, queue, limit: int | None = None) -> None:
    """Fold taggers, then the tagger on all of train; readings and weights saved in ``work``."""
    try:
        import torch

        _, network = _network_modules()
        device = "cuda" if torch.cuda.is_available() else "cpu"
        started = time.perf_counter()

        def log(line: str) -> None:
            print(f"{name} {time.perf_counter() - started:.0f}s {line}", flush=True)

        config = variant_config(json.loads((data / "config.json").read_text(encoding="utf-8")), name)
        train, train_at = load_split(data, "train", tensor_file, limit)
        dev, _ = load_split(data, "dev", None, limit)
        log(f"{len(train)} train parts on {device}")
        fold_config = json.loads(json.dumps(config))
        fold_config["training"]["epochs"] = int(config["chooser"]["epochs"])
        out_of_fold: list[numpy.ndarray] = [numpy.zeros(0)] * len(train)
        for fold in (0, 1):
            rest = [item for item, (a, _) in zip(train, train_at) if a % 2 != fold]
            held = [i for i, (a, _) in enumerate(train_at) if a % 2 == fold]
            tagger = network.fit_network(rest, fold_config, data / "encoder", lambda line: log(f"fold {fold}: {line}"), device=device)
            for i, probs in zip(held, network.label_probabilities(tagger, [train[i] for i in held], 8000, device)):
                out_of_fold[i] = probs
        tagger = network.fit_network(train, config, data / "encoder", lambda line: log(f"all: {line}"), device=device)
        on_dev = network.label_probabilities(tagger, dev, 8000, device)
        numpy.savez(work / f"{name}.npz", oof=numpy.concatenate(out_of_fold).astype(numpy.float16), dev=numpy.concatenate(on_dev).astype(numpy.float16))
        state = {k: v.half() for k, v in tagger.state_dict().items() if k != "encoder.embeddings.word_embeddings.weight"}
        torch.save(state, work / f"{name}.pt")
        result = {"name": name, "changes": VARIANTS[name], "seconds": round(time.perf_counter() - started),
                  "out_of_fold": span_f1(out_of_fold, train), "dev": span_f1(on_dev, dev)}
        log(json.dumps(result))
        queue.put(result)
    except Exception:  # the sweep goes on without it
        queue.put({"name": name, "error": traceback.format_exc()})


def run(data: Path, results: Path, names: list[str], budget: float, width: int, tensor_file: Path, keep: int, limit: int | None) -> None:
    import queue as queues

    import torch.multiprocessing as mp

    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "tagger-sweep"
    work.mkdir(parents=True, exist_ok=True)
    results.mkdir(parents=True, exist_ok=True)
    context = mp.get_context("spawn")
    queue, running, done = context.Queue(), {}, []
    pending, started = list(names), time.perf_counter()
    while pending or running:
        # No variant starts after 40% of the budget: each needs the rest to finish.
        while pending and len(running) < width and time.perf_counter() - started < 0.4 * budget:
            name = pending.pop(0)
            running[name] = context.Process(target=train_variant, args=(name, data, tensor_file, work, queue, limit))
            running[name].start()
        if time.perf_counter() - started > budget or not (running or pending):
            break
        try:
            result = queue.get(timeout=5)
        except queues.Empty:
            if not running and time.perf_counter() - started >= 0.4 * budget:
                break
            continue
        running.pop(result["name"]).join()
        done.append(result)
        (results / "results.json").write_text(json.dumps(done, indent=1), encoding="utf-8")
    for process in running.values():
        process.terminate()
    trained = sorted((r for r in done if "error" not in r), key=lambda r: -r["out_of_fold"]["con"])
    print("by content out of fold:", [(r["name"], round(r["out_of_fold"]["con"], 4)) for r in trained], flush=True)
    # What comes back from a GPU machine is limited (8 files of 16 MB): every variant's dev
    # readings, the out-of-fold readings of base and the best of each depth, the weights of the
    # very best of each depth.
    # Variants of different encoder depths trade speed against accuracy, so each depth keeps its own best.
    depths = sorted({_depth(r["name"]) for r in trained if r["name"] != "base"})
    ranked = {d: [r["name"] for r in trained if r["name"] != "base" and _depth(r["name"]) == d] for d in depths}
    kept = [r["name"] for r in trained if r["name"] == "base"] + [n for d in depths for n in ranked[d][: keep - 1]]
    numpy.savez_compressed(results / "dev.npz", **{r["name"]: numpy.load(work / f"{r['name']}.npz")["dev"] for r in trained})
    for name in kept:
        numpy.savez_compressed(results / f"oof-{name}.npz", oof=numpy.load(work / f"{name}.npz")["oof"])
    for name in [ranked[d][0] for d in depths if ranked[d]]:
        (results / f"weights-{name}.pt").write_bytes((work / f"{name}.pt").read_bytes())
    (results / "results.json").write_text(json.dumps(done, indent=1), encoding="utf-8")


def _depth(name: str) -> int:
    """The encoder layers a variant keeps."""
    return int(VARIANTS[name].get("network.layers", 0))


# score and export (here) -------------------------------------------------------------------------


def _parsed(data: Path, split: str):
    from spacy.tokens import DocBin

    from newstrace.claims.model.data import AttributionSpans, ParsedArticle
    from newstrace.claims.nlp import load_nlp

    docs = list(DocBin().from_bytes((data / "parsed" / f"{split}.spacy").read_bytes()).get_docs(load_nlp().vocab))
    articles, at = [], 0
    for record in json.loads((data / "parsed" / f"{split}.json").read_text(encoding="utf-8")):
        gold = [AttributionSpans(**{k: [tuple(f) for f in v] for k, v in g.items()}) for g in record["gold"]]
        articles.append(ParsedArticle(record["id"], record["text"], docs[at : at + record["docs"]], record["offsets"], gold))
        at += record["docs"]
    return articles


def _per_doc(flat: numpy.ndarray, parts: numpy.ndarray, articles) -> list[list[numpy.ndarray]]:
    """Readings of the split's parts, in order, as each article's per-paragraph probabilities."""
    out = [[numpy.zeros((len(doc), flat.shape[1])) for doc in article.docs] for article in articles]
    if len(flat) != int((parts[:, 3] - parts[:, 2]).sum()):
        raise SystemExit(f"readings of {len(flat)} tokens for {int((parts[:, 3] - parts[:, 2]).sum())}: a run with --limit is not scored")
    at = 0
    for a, d, start, end, _ in parts:
        out[a][d][start:end] = flat[at : at + end - start]
        at += end - start
    return out


def _readers(data: Path, results: Path, name: str, train_articles, config):
    from newstrace.claims.model.train import fit_on_readings

    parts = numpy.load(data / "device" / "train.npz")["parts"]
    by_article = _per_doc(numpy.load(results / f"oof-{name}.npz")["oof"].astype(numpy.float64), parts, train_articles)
    # The order training reads them in: fold 0's articles, then fold 1's.
    readings = [(train_articles[i], by_article[i]) for fold in (0, 1) for i in range(fold, len(train_articles), 2)]
    return fit_on_readings(readings, config, log=lambda line: None)


def score(data: Path, results: Path) -> None:
    from attribution_model import OUT, SHARED
    from attribution_model import score as shared_score
    from thinc.api import Config

    from newstrace.claims.model import load_boundaries, load_chooser, load_confidence
    from newstrace.claims.model.finder import HybridSpanFinder
    from newstrace.claims.model.train import DEFAULT_CONFIG, StoredReadings
    from newstrace.claims.polnear import polnear_would_mark, to_record

    config = Config().from_disk(DEFAULT_CONFIG)
    train_articles, dev_articles = _parsed(data, "train"), _parsed(data, "dev")
    dev_parts = numpy.load(data / "device" / "dev.npz")["parts"]
    readings = numpy.load(results / "dev.npz")
    table = {}
    for name in readings.files:
        own = (results / f"oof-{name}.npz").exists()
        if own:
            readers = _readers(data, results, name, train_articles, config)
            chooser, boundaries, confidence = readers.chooser, readers.boundaries, readers.confidence
        else:  # the shipped readers, fitted on the shipped folds: a rougher comparison
            chooser, boundaries, confidence = load_chooser(), load_boundaries(), load_confidence()
        stand_in = StoredReadings()
        finder = HybridSpanFinder(stand_in, chooser, boundaries, confidence)
        predictions = OUT / f"sweep-{name}.jsonl"
        with predictions.open("w", encoding="utf-8") as handle:
            for article, probabilities in zip(dev_articles, _per_doc(readings[name].astype(numpy.float64), dev_parts, dev_articles)):
                stand_in.current = probabilities
                found = [a for a in finder(article.paragraph_spans(), article.docs) if polnear_would_mark(a)]
                handle.write(json.dumps({"id": article.id, "attributions": [to_record(a) for a in found]}) + "\n")
        table[name] = {"readers": "own" if own else "shipped", **shared_score(SHARED / "corpus" / "polnear" / "dev.jsonl", predictions)}
        print(name, json.dumps(table[name]), flush=True)
    (results / "scores.json").write_text(json.dumps(table, indent=1), encoding="utf-8")


def export(data: Path, results: Path, name: str, out: Path) -> None:
    import torch
    from thinc.api import Config

    from newstrace.claims.model.network import TaggerNetwork, network_shape
    from newstrace.claims.model.tagger import input_shape
    from newstrace.claims.model.train import DEFAULT_CONFIG, encoder_path, save

    config = Config(variant_config(dict(Config().from_disk(DEFAULT_CONFIG)), name))
    network = TaggerNetwork(encoder_path(config), network_shape(config), input_shape(config))
    missing, unexpected = network.load_state_dict({k: v.float() for k, v in torch.load(results / f"weights-{name}.pt").items()}, strict=False)
    if unexpected or missing != ["encoder.embeddings.word_embeddings.weight"]:
        raise SystemExit(f"weights of {name} do not fit the network: missing {missing}, unexpected {unexpected}")
    save(network, config, {"trained_on": "train.jsonl", "sweep_variant": name, "changes": VARIANTS[name]}, out)
    _readers(data, results, name, _parsed(data, "train"), config).save(out)
    print("saved", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("pack").add_argument("data", type=Path)
    runner = commands.add_parser("run")
    runner.add_argument("data", type=Path, help="DATA/device as pack wrote it")
    runner.add_argument("results", type=Path)
    runner.add_argument("--variants", default=",".join(VARIANTS))
    runner.add_argument("--budget", type=float, default=480.0, help="seconds; variants not done by then are left out")
    runner.add_argument("--width", type=int, default=4, help="variants trained at once")
    runner.add_argument("--tensor", type=Path, help="the train tensor file (default: DATA/train-tensor.zlib)")
    runner.add_argument("--keep", type=int, default=3, help="base and the best keep-1 of each encoder depth: their out-of-fold readings come back")
    runner.add_argument("--limit", type=int, help="the first N paragraph parts of each split only (a quick check)")
    scorer = commands.add_parser("score")
    scorer.add_argument("data", type=Path)
    scorer.add_argument("results", type=Path)
    exporter = commands.add_parser("export")
    for argument in ("data", "results"):
        exporter.add_argument(argument, type=Path)
    exporter.add_argument("variant")
    exporter.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "pack":
        pack(args.data)
    elif args.command == "run":
        names = args.variants.split(",")
        run(args.data, args.results, names, args.budget, args.width, args.tensor or args.data / "train-tensor.zlib", args.keep, args.limit)
    elif args.command == "score":
        score(args.data, args.results)
    else:
        export(args.data, args.results, args.variant, args.out)


if __name__ == "__main__":
    main()
