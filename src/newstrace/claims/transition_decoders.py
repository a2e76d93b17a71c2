"""spaCy's parser and entity recognizer, decoded by their Python-level step loop with the GIL
held: the same analyses, the whole parse in about 0.6 of the time.

spaCy 3.8's greedy decoder (``Parser.greedy_parse``) releases the GIL for its loop over
transitions, but the validity checks of each action, as compiled, take the GIL back to look for
Python exceptions: about 240 times a token for the parser and 840 for the entity recognizer on
PolNeAR (counted with a probe on ``PyGILState_Ensure``). spaCy also has a step loop in Python
(``transition_states``, the one its beam search and training use): it scores all the unfinished
paragraphs of a batch at once, then takes each one's best valid action with the same compiled
code (``c_transition_batch``), with the GIL held, where the checks cost next to nothing. The
Python overhead of a step is paid once per batch, so the loop gains with larger batches:
``Parser.pipe`` hands 16 paragraphs at a time to ``predict`` as spaCy runs it, these at least 64.

The analyses are spaCy's greedy ones (``tests/test_claims_nlp.py``; over PolNeAR's paragraphs and
the sample pages: ``benchmarks/transition_decoders.py``). Measurements: docs/attribution-model-history.md
(stops 23, 24 and 26).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc
from thinc.api import Model

from newstrace.claims.nlp import replace_component

PARSER_FACTORY = "newstrace_parser"
ENTITY_RECOGNIZER_FACTORY = "newstrace_entity_recognizer"
# Paragraphs decoded together, sorted by length (spaCy's greedy decoder is fastest at 16, this loop at 64 to 128).
STEP_BATCH = 64


class _StepLoopDecoding:
    """``predict`` and ``pipe`` of a transition-based component, decoded by the Python step loop."""

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        states = self.moves.init_batch(docs)
        if not any(len(doc) for doc in docs):
            return states
        self._ensure_labels_are_added(docs)
        step_model = self.model.predict(docs)
        scores = _scorer(step_model)
        unfinished = [state for state in states if not state.is_final()]
        while unfinished:
            unfinished = self.transition_states(unfinished, scores(unfinished))
        step_model.clear_memory()
        return states

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        # spaCy's pipe decodes sorted sub-batches of a quarter of its batch: at least STEP_BATCH here.
        return super().pipe(docs, batch_size=max(batch_size, 4 * STEP_BATCH))


def _scorer(step_model: Model) -> Callable[[list], object]:
    """The scores of the actions of each state, as ``step_model.predict`` gives them.

    spaCy's step (``parser_model.step_forward``) also sets the scores of classes the model never
    saw in training to the lowest score, by a ``numpy.nanmin`` over all scores at every step (about
    1% of ``analyze``). Where every class has been seen that changes nothing, so it is skipped.
    """
    if not step_model.attrs["has_upper"] or not step_model._class_mask.all():
        return step_model.predict

    def scores(states: list) -> object:
        vector = step_model.state2vec.predict(step_model.get_token_ids(states))
        return step_model.vec2scores.predict(vector)

    return scores


class StepLoopParser(_StepLoopDecoding, DependencyParser):
    """A ``DependencyParser`` decoded by the Python step loop."""


class StepLoopEntityRecognizer(_StepLoopDecoding, EntityRecognizer):
    """An ``EntityRecognizer`` decoded by the Python step loop."""


@Language.factory(PARSER_FACTORY, assigns=["token.dep", "token.head", "token.is_sent_start", "doc.sents"])
def make_parser(
    nlp: Language,
    name: str,
    model: Model,
    moves: object | None,
    update_with_oracle_cut_size: int,
    learn_tokens: bool,
    min_action_freq: int,
    scorer: Callable | None,
) -> StepLoopParser:
    return StepLoopParser(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        learn_tokens=learn_tokens,
        min_action_freq=min_action_freq,
        scorer=scorer,
    )


@Language.factory(ENTITY_RECOGNIZER_FACTORY, assigns=["doc.ents", "token.ent_iob", "token.ent_type"])
def make_entity_recognizer(
    nlp: Language,
    name: str,
    model: Model,
    moves: object | None,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
) -> StepLoopEntityRecognizer:
    return StepLoopEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )


_REPLACEMENTS = {DependencyParser: PARSER_FACTORY, EntityRecognizer: ENTITY_RECOGNIZER_FACTORY}


def use_step_loop_decoders(nlp: Language) -> None:
    """Replace the pipeline's spaCy parsers and entity recognizers (greedy ones, of exactly spaCy's
    classes) by step-loop ones with the same model, labels and settings; others are left."""
    for name, component in list(nlp.pipeline):
        factory = _REPLACEMENTS.get(type(component))
        if factory is not None and component.cfg.get("beam_width", 1) == 1:
            replace_component(nlp, name, factory)
