"""Wordpieces: how the tagger's encoder (all-MiniLM-L6-v2, uncased BERT vocabulary) reads a token.

The claims stage has already tokenised each paragraph with spaCy; the encoder reads each spaCy
token as the wordpieces of its lower-cased, accent-stripped text (greedy longest match, as BERT's
WordPiece does), so that every token has a first wordpiece whose vector labels it. Splitting on
spaCy's tokens rather than BERT's own punctuation rules keeps one alignment between the two.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

VOCAB_FILE = "vocab.txt"
UNKNOWN, CLS, SEP = "[UNK]", "[CLS]", "[SEP]"
_CACHE_LIMIT = 200_000


class Wordpieces:
    """Token text → wordpiece ids of a BERT-style vocabulary (one piece per line of ``vocab.txt``)."""

    def __init__(self, vocab_path: str | Path):
        vocab = Path(vocab_path).read_text(encoding="utf-8").splitlines()
        self.index = {piece: i for i, piece in enumerate(vocab)}
        self.unknown, self.cls, self.sep = (self.index[p] for p in (UNKNOWN, CLS, SEP))
        self._cache: dict[str, list[int]] = {}

    def pieces(self, text: str) -> list[int]:
        """The token's wordpiece ids; ``[UNK]`` alone where no piece matches (spaces, symbols)."""
        found = self._cache.get(text)
        if found is None:
            found = self._longest_match(text) or [self.unknown]
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = found
        return found

    def _longest_match(self, text: str) -> list[int]:
        word = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
        if word in self.index:
            return [self.index[word]]
        found, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    found.append(self.index[piece])
                    start = end
                    break
            else:
                start += 1  # no piece starts here: skip the character
        return found
