"""spaCy's English rule lemmatizer, with each distinct word's lemma worked out once and remembered.

A rule lemmatizer's answer depends only on a token's form, part of speech and morphology. spaCy's
remembers the answers it derives from its tables but not the commonest ones (a singular noun, an
infinitive, a proper noun: they are the form itself), so it works those out again at every token,
and assigns each lemma as a string: about 3% of ``analyze``'s time (docs/attribution-model-history.md,
stop 25). This one remembers every answer and sets a paragraph's lemmas in one array. The
lemmas are spaCy's (``tests/test_claims_nlp.py``): misses are answered by spaCy's own ``lemmatize``.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model

from newstrace.claims.nlp import replace_component

FACTORY = "newstrace_english_lemmatizer"
# Distinct (form, part of speech, morphology) keys remembered at most, about 200 bytes each; then
# memory starts afresh (PolNeAR's 1,028 articles hold about 60,000).
_MEMORY = 200_000


class RememberingEnglishLemmatizer(EnglishLemmatizer):
    """An ``EnglishLemmatizer`` (rule mode) that remembers the lemma of every key it has seen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memory: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue
            known = self.memory.get((orth, pos, morph))
            if known is None:
                if len(self.memory) >= _MEMORY:
                    self.memory.clear()
                known = self.memory[orth, pos, morph] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = known
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory(FACTORY, assigns=["token.lemma"])
def make_lemmatizer(
    nlp: Language, name: str, model: Model | None, mode: str, overwrite: bool, scorer: Callable | None
) -> RememberingEnglishLemmatizer:
    return RememberingEnglishLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def remember_lemmas(nlp: Language) -> None:
    """Replace the pipeline's English rule lemmatizers (of exactly spaCy's class) by remembering
    ones with the same tables and settings; others are left."""
    for name, component in list(nlp.pipeline):
        if type(component) is EnglishLemmatizer and component.mode == "rule":
            replace_component(nlp, name, FACTORY)
