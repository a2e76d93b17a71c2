"""spaCy's attribute ruler, with its patterns answered per distinct token instead of matched.

The small English pipeline's attribute ruler (tag → part of speech and morphology, plus word
exceptions) holds 179 patterns of one or two tokens, each asking for values of the token's tag,
lowercase form, dependency label or whitespace ("TAG": "NN", "LOWER": {"IN": [...]}). spaCy's
Matcher walks every pattern at every token: about 40 µs a word, more than the parser
(docs/attribution-model-history.md, stop 16). Which patterns a token satisfies depends only on those four
values, so it is worked out once per distinct combination and remembered. The matches are
spaCy's, in the order the ruler applies them (checked against spaCy's Matcher on PolNeAR:
``tests/test_claims_nlp.py``), applied as spaCy's ruler applies them but without building a
``Span`` for each (stop 26).

A pipeline whose ruler has patterns outside that form (operators, other attributes) keeps spaCy's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "newstrace_indexed_attribute_ruler"
# The token attributes a pattern may ask for, in the order of a token's row of values.
_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
# Distinct rows remembered at most, about 600 bytes each; then memory starts afresh (120 PolNeAR
# articles hold 16,734 distinct rows, a large corpus some hundred thousand).
_MEMORY = 100_000

Row = tuple[int, int, int, int]
Test = Callable[[Row], bool]
Satisfied = tuple[tuple[tuple[int, int], ...], tuple[int, ...], frozenset[tuple[int, int]]]


class UnindexablePattern(ValueError):
    """A pattern the indexed ruler does not answer (spaCy's Matcher must)."""


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose matches are computed per distinct token row, not by a Matcher."""

    def __init__(self, vocab, name: str = "attribute_ruler", **kwargs) -> None:
        super().__init__(vocab, name, **kwargs)
        # One-token alternatives asking for exact values only: (columns) → {values: [(ordinal, key)]}.
        self.tables: dict[tuple[int, ...], dict[tuple[int, ...], list[tuple[int, int]]]] = {}
        # The other alternatives: (ordinal, matcher key, pattern length).
        self.alternatives: list[tuple[int, int, int]] = []
        # Their tokens' conditions, as (alternative, position, other checks), filed under one exact
        # value the token must have (column → value → ...) or, with none, under ``unfiled``.
        self.filed: dict[int, dict[int, list[tuple[int, int, list[Test]]]]] = {}
        self.unfiled: list[tuple[int, int, list[Test]]] = []
        # What a token with a given row of values satisfies (``_satisfied``).
        self.memory: dict[Row, Satisfied] = {}

    def add(self, patterns, attrs, index: int = 0) -> None:
        for pattern in patterns:
            for token in pattern:
                if not token or any(attr not in _ATTRS for attr in token):
                    raise UnindexablePattern(f"cannot index the pattern token {token!r}")
        ordinal = len(self.attrs)
        super().add(patterns, attrs, index)
        key = self.vocab.strings[str(ordinal)]
        for pattern in patterns:
            exact = [(_ATTRS.index(attr), self.vocab.strings[v]) for attr, v in pattern[0].items() if isinstance(v, str)]
            if len(pattern) == 1 and len(exact) == len(pattern[0]):
                columns, values = zip(*sorted(exact))
                self.tables.setdefault(columns, {}).setdefault(values, []).append((ordinal, key))
                continue
            self.alternatives.append((ordinal, key, len(pattern)))
            for position, token in enumerate(pattern):
                self._file(len(self.alternatives) - 1, position, token)
        self.memory.clear()

    def _file(self, alternative: int, position: int, token: dict) -> None:
        conditions = [(_ATTRS.index(attr), value) for attr, value in token.items()]
        gate = next(((column, value) for column, value in conditions if isinstance(value, str)), None)
        checks = [_check(column, value, self.vocab.strings) for column, value in conditions if (column, value) != gate]
        if gate is None:
            self.unfiled.append((alternative, position, checks))
        else:
            column, value = gate
            self.filed.setdefault(column, {}).setdefault(self.vocab.strings[value], []).append((alternative, position, checks))

    def match(self, doc: Doc):
        """The ruler's matches, as ``AttributeRuler.match`` gives them: (ordinal, key, start, end), sorted."""
        rows = [self._satisfied(tuple(row)) for row in doc.to_array(_ARRAY_ATTRS).tolist()]
        found = set()
        for start, (whole, begun, _) in enumerate(rows):
            found.update((ordinal, key, start, start + 1) for ordinal, key in whole)
            for a in begun:  # a longer pattern whose first token this one is
                ordinal, key, length = self.alternatives[a]
                end = start + length
                if end <= len(rows) and all((a, k) in rows[start + k][2] for k in range(1, length)):
                    found.add((ordinal, key, start, end))
        return sorted(found)

    def set_annotations(self, doc: Doc, matches) -> None:
        """As ``AttributeRuler.set_annotations``, without a ``Span`` per match: the token a match sets is indexed directly."""
        for ordinal, key, start, end in matches:
            index = self.indices[ordinal]
            position = (start if index >= 0 else end) + index
            if not start <= position < end:
                super().set_annotations(doc, [(ordinal, key, start, end)])  # spaCy's error for the pattern
                continue
            set_token_attrs(doc[position], self.attrs[ordinal])

    def _satisfied(self, row: Row) -> Satisfied:
        """What a token with these values satisfies: the one-token patterns (ordinal, key), the
        longer ones it may begin (their alternative's index), and (alternative, position) pairs."""
        known = self.memory.get(row)
        if known is not None:
            return known
        if len(self.memory) >= _MEMORY:
            self.memory.clear()
        candidates = [entry for column, index in self.filed.items() for entry in index.get(row[column], ())]
        pairs = frozenset((a, k) for a, k, checks in candidates + self.unfiled if all(check(row) for check in checks))
        whole = [hit for columns, table in self.tables.items() for hit in table.get(tuple(row[c] for c in columns), ())]
        whole += [self.alternatives[a][:2] for a, k in pairs if self.alternatives[a][2] == 1]
        begun = tuple(a for a, k in pairs if k == 0 and self.alternatives[a][2] > 1)
        known = self.memory[row] = (tuple(whole), begun, pairs)
        return known


def _check(column: int, value, strings: StringStore) -> Test:
    """One condition on one attribute of a token, as spaCy's Matcher reads it."""
    if _ATTRS[column] == "IS_SPACE":
        if not isinstance(value, bool):
            raise UnindexablePattern(f"cannot index IS_SPACE {value!r}")
        return lambda row: bool(row[column]) == value
    if isinstance(value, str):
        wanted = strings[value]
        return lambda row: row[column] == wanted
    if isinstance(value, dict) and len(value) == 1:
        ((operator, operand),) = value.items()
        if operator in ("IN", "NOT_IN") and all(isinstance(v, str) for v in operand):
            members = {strings[v] for v in operand}
            inside = operator == "IN"
            return lambda row: (row[column] in members) == inside
        if operator == "REGEX" and isinstance(operand, str):
            pattern = re.compile(operand)
            answers: dict[int, bool] = {}

            def search(row: Row) -> bool:
                value = row[column]
                if value not in answers:
                    if len(answers) >= _MEMORY:
                        answers.clear()
                    answers[value] = bool(pattern.search(strings[value]))
                return answers[value]

            return search
    raise UnindexablePattern(f"cannot index {_ATTRS[column]} {value!r}")


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language) -> None:
    """Replace the pipeline's attribute ruler by an indexed one with the same patterns, where it
    has one and every pattern can be indexed; else leave it."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, IndexedAttributeRuler):
        return
    patterns = ruler.patterns
    indexed = IndexedAttributeRuler(nlp.vocab, validate=ruler.validate)
    try:
        indexed.add_patterns(patterns)
    except UnindexablePattern:
        return
    nlp.replace_pipe("attribute_ruler", FACTORY, config={"validate": ruler.validate}).add_patterns(patterns)
