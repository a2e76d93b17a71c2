"""The spaCy pipeline as the claims stage loads it: the indexed attribute ruler, the step-loop
decoders and the remembering lemmatizer give spaCy's analyses."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler, DependencyParser, EntityRecognizer
from spacy.lang.en import EnglishLemmatizer
from thinc.api import use_ops

from newstrace.claims import remembered_lemmas
from newstrace.claims.indexed_ruler import IndexedAttributeRuler, index_attribute_ruler
from newstrace.claims.nlp import load_nlp
from newstrace.claims.polnear import article_from_text, read_gold
from newstrace.claims.remembered_lemmas import RememberingEnglishLemmatizer
from newstrace.claims.transition_decoders import STEP_BATCH, StepLoopEntityRecognizer, StepLoopParser, _scorer, use_step_loop_decoders
from newstrace.config import settings

from conftest import CORPUS, SAMPLES, need_shared

# Text that reaches the ruler's rarer patterns: two-token ones ("ai n't", "gon na", "let 's",
# "y' all", "There is"), regular expressions, dependency conditions, whitespace tokens.
RARE = (
    "Y'all gon na see it, I ai n't sure.  It gets there; let's go, c'm on.\n\n"
    "There is  \n a cat that I saw, and you told it to me. But what did they do? Did it have to?"
)


def _paragraphs() -> list[str]:
    need_shared()
    records = list(read_gold(CORPUS / "polnear" / "dev.jsonl"))[:15]
    paragraphs = [p for _, text in records for p in article_from_text(text).paragraph_texts()]
    return [*paragraphs, RARE, (SAMPLES / "harbour-wire-republished.txt").read_text(encoding="utf-8"), "", "  \n "]


@pytest.fixture(scope="module")
def spacy_ruler_and_docs():
    """spaCy's own attribute ruler with the pipeline's patterns, and paragraphs parsed up to it."""
    nlp = load_nlp()
    spacy_ruler = AttributeRuler(nlp.vocab)
    spacy_ruler.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe(_paragraphs()))
    return nlp, spacy_ruler, docs


def test_the_pipeline_loads_with_the_indexed_ruler_and_spacys_patterns(spacy_ruler_and_docs):
    nlp, spacy_ruler, _ = spacy_ruler_and_docs
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert ruler.patterns == spacy_ruler.patterns
    assert len(ruler.patterns) > 100


def test_the_indexed_ruler_matches_what_spacys_matcher_matches(spacy_ruler_and_docs):
    nlp, spacy_ruler, docs = spacy_ruler_and_docs
    ruler = nlp.get_pipe("attribute_ruler")
    matched_patterns = set()
    for doc in docs:
        expected = spacy_ruler.match(doc)
        assert ruler.match(doc) == expected, doc.text[:80]
        matched_patterns.update(ordinal for ordinal, _, start, end in expected)
    # The check covers many patterns, the longer ones among them.
    assert len(matched_patterns) > 60
    assert any(end - start == 2 for doc in docs for _, _, start, end in spacy_ruler.match(doc))


def test_the_indexed_ruler_matches_the_same_when_its_memory_fills(spacy_ruler_and_docs, monkeypatch):
    from newstrace.claims import indexed_ruler

    nlp, spacy_ruler, docs = spacy_ruler_and_docs
    ruler = nlp.get_pipe("attribute_ruler")
    monkeypatch.setattr(indexed_ruler, "_MEMORY", 7)
    ruler.memory.clear()
    for doc in docs[:40]:
        assert ruler.match(doc) == spacy_ruler.match(doc)
        assert len(ruler.memory) <= 7


@pytest.fixture(scope="module")
def spacys_pipeline():
    """spaCy's own pipeline, on the ops newstrace loads it with (nlp.py)."""
    with use_ops("numpy", use_blis=False):
        return spacy.load(settings().spacy_model)


def test_the_loaded_pipeline_gives_the_analyses_of_spacys_own(spacys_pipeline):
    nlp, plain = load_nlp(), spacys_pipeline
    assert type(plain.get_pipe("attribute_ruler")) is AttributeRuler

    def analyses(docs):
        return [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc] for doc in docs]

    texts = [RARE, (SAMPLES / "harbour-wire-republished.txt").read_text(encoding="utf-8")]
    assert analyses(nlp.pipe(texts)) == analyses(plain.pipe(texts))


def test_the_step_loop_decoders_give_spacys_greedy_parses_and_entities(spacys_pipeline):
    nlp, plain = load_nlp(), spacys_pipeline
    assert isinstance(nlp.get_pipe("parser"), StepLoopParser)
    assert isinstance(nlp.get_pipe("ner"), StepLoopEntityRecognizer)
    assert type(plain.get_pipe("parser")) is DependencyParser
    assert type(plain.get_pipe("ner")) is EntityRecognizer

    def parses(docs):
        return [[(t.head.i, t.dep_, t.is_sent_start) for t in doc] for doc in docs]

    def entities(docs):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]

    def tags(docs):
        return [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in docs]

    texts = _paragraphs()
    ours, spacys = list(nlp.pipe(texts, batch_size=64)), list(plain.pipe(texts, batch_size=64))
    assert parses(ours) == parses(spacys)
    assert entities(ours) == entities(spacys)
    assert tags(ours) == tags(spacys)
    assert sum(len(doc.ents) for doc in ours) > 300
    assert len({e.label_ for doc in ours for e in doc.ents}) > 8
    assert len({t.dep_ for doc in ours for t in doc}) > 30


def test_the_step_loop_decoders_take_their_own_batches(monkeypatch):
    nlp = load_nlp()
    seen = []
    predict = StepLoopParser.predict
    monkeypatch.setattr(StepLoopParser, "predict", lambda self, docs: seen.append(len(docs)) or predict(self, docs))
    paragraphs = _paragraphs()
    assert len(paragraphs) > 2 * STEP_BATCH
    list(nlp.pipe(paragraphs, batch_size=16))
    assert max(seen) == STEP_BATCH
    assert sum(seen) == len(paragraphs)


@pytest.mark.parametrize("component", ["parser", "ner"])
def test_the_step_scores_skip_only_what_changes_nothing(component):
    nlp = load_nlp()
    pipe = nlp.get_pipe(component)
    docs = list(nlp.pipe(_paragraphs()[:20], disable=[component]))
    step_model = pipe.model.predict(docs)
    states = pipe.moves.init_batch(docs)
    assert step_model._class_mask.all()
    scores = _scorer(step_model)
    assert scores != step_model.predict
    assert (scores(states) == step_model.predict(states)).all()
    # A class the model never saw gets the lowest score from spaCy's own step, which then runs.
    step_model._class_mask[1] = 0
    assert _scorer(step_model) == step_model.predict
    assert (step_model.predict(states)[:, 1] == step_model.predict(states).min()).all()


def test_a_pipeline_without_spacys_greedy_parser_or_recognizer_is_left_as_it_is():
    nlp = spacy.blank("en")
    use_step_loop_decoders(nlp)
    assert nlp.pipe_names == []
    nlp.add_pipe("entity_ruler", name="ner")
    nlp.add_pipe("beam_parser", name="parser")
    use_step_loop_decoders(nlp)
    assert type(nlp.get_pipe("ner")).__name__ == "EntityRuler"
    assert type(nlp.get_pipe("parser")) is DependencyParser


@pytest.mark.parametrize(
    "token",
    [{"LOWER": "very", "OP": "+"}, {"LENGTH": {">=": 3}}, {"LOWER": {"FUZZY": "very"}}, {}],
    ids=["operator", "other attribute", "other predicate", "any token"],
)
def test_a_ruler_with_patterns_it_cannot_index_stays_spacys(token):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    ruler.add([[token]], {"POS": "ADV"})
    index_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler


def test_an_indexable_ruler_is_replaced_and_sets_the_same_attributes():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
    ruler.add([[{"LOWER": {"IN": ["going", "gon"]}}]], {"LEMMA": "went"})
    ruler.add([[{"LOWER": {"REGEX": "^na$"}}]], {"LEMMA": "to"}, index=0)
    index_attribute_ruler(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    # Later patterns win: "gon" takes the second pattern's lemma, as with spaCy's ruler.
    assert [t.lemma_ for t in nlp("I was gon na go")] == ["", "", "went", "to", ""]


@pytest.mark.parametrize("index", [1, -1, -2])
def test_the_indexed_ruler_sets_the_token_a_pattern_points_at(index):
    def lemmas(ruler_factory):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe(ruler_factory)
        ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "going"}, index=index)
        return [t.lemma_ for t in nlp("I was gon na go")]

    assert lemmas("newstrace_indexed_attribute_ruler") == lemmas("attribute_ruler")
    assert "going" in lemmas("newstrace_indexed_attribute_ruler")


def test_the_indexed_ruler_refuses_an_index_outside_its_match_as_spacys_does():
    for factory in ("attribute_ruler", "newstrace_indexed_attribute_ruler"):
        nlp = spacy.blank("en")
        nlp.add_pipe(factory).add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "going"}, index=2)
        with pytest.raises(ValueError, match="E1001"):
            nlp("I was gon na go")


@pytest.mark.parametrize("memory", [200_000, 5], ids=["memory", "memory that fills"])
def test_the_remembering_lemmatizer_gives_spacys_lemmas(spacys_pipeline, monkeypatch, memory):
    monkeypatch.setattr(remembered_lemmas, "_MEMORY", memory)
    nlp, plain = load_nlp(), spacys_pipeline
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, RememberingEnglishLemmatizer)
    assert type(plain.get_pipe("lemmatizer")) is EnglishLemmatizer
    lemmatizer.memory.clear()
    texts = _paragraphs()
    ours = [[t.lemma_ for t in doc] for doc in nlp.pipe(texts)]
    assert ours == [[t.lemma_ for t in doc] for doc in plain.pipe(texts)]
    assert len(lemmatizer.memory) <= memory and sum(map(len, ours)) > 10_000
    assert {"say", "be", "tell"} <= {lemma for lemmas in ours for lemma in lemmas}


def test_a_lemmatizer_in_lookup_mode_is_left_as_it_is():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    remembered_lemmas.remember_lemmas(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is EnglishLemmatizer
