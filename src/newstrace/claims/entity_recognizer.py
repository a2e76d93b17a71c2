"""spaCy's entity recognizer, decoded with the GIL held: the same entities, decoded in 0.6 to 0.7
of the time.

spaCy 3.8's greedy decoder (``Parser.greedy_parse``) releases the GIL for its loop over
transitions, but the entity recognizer's validity checks, as compiled, take the GIL back to look
for Python exceptions: about 840 times a token on PolNeAR (counted with a probe on
``PyGILState_Ensure``), a third or more of the recognizer's time. spaCy's beam decoder with a
beam of one takes the same best valid action at every step, and runs with the GIL held, where
those checks cost next to nothing. The entities are spaCy's greedy ones (``tests/test_claims_nlp.py``;
over PolNeAR's paragraphs and the sample page, 19,292, all but one: a near-tie between two labels). Measurements:
``benchmarks/entity_recognizer.py`` and docs/attribution-model.md (stop 23). The parser gains
nothing this way (its beam of one is slower than its greedy loop), so it keeps spaCy's.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from thinc.api import Model

FACTORY = "newstrace_entity_recognizer"


class HeldGilEntityRecognizer(EntityRecognizer):
    """An ``EntityRecognizer`` that decodes with a beam of one instead of its greedy loop."""

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        if not any(len(doc) for doc in docs):
            return self.moves.init_batch(docs)
        return self.beam_parse(docs, beam_width=1)


@Language.factory(FACTORY, assigns=["doc.ents", "token.ent_iob", "token.ent_type"])
def make_entity_recognizer(
    nlp: Language,
    name: str,
    model: Model,
    moves: object | None,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
) -> HeldGilEntityRecognizer:
    return HeldGilEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )


def hold_gil_in_entity_recognizer(nlp: Language) -> None:
    """Replace the pipeline's spaCy entity recognizer by a ``HeldGilEntityRecognizer`` with the
    same model, labels and settings; a pipeline without one, or with another kind, is left."""
    if "ner" not in nlp.pipe_names:
        return
    spacy_ner = nlp.get_pipe("ner")
    if type(spacy_ner) is not EntityRecognizer:
        return
    config = {key: value for key, value in nlp.config["components"]["ner"].items() if key != "factory"}
    weights = spacy_ner.to_bytes(exclude=["vocab"])
    nlp.replace_pipe("ner", FACTORY, config=config).from_bytes(weights, exclude=["vocab"])
