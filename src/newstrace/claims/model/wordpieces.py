"""Static word vectors from a pretrained transformer's wordpiece embeddings.

The attribution tagger learns cue words from PolNeAR, but speech and belief verbs form a
long tail ("mocked", "insisted", "reckons"). Pretrained lexical vectors let words the
corpus rarely shows borrow from similar ones. We use the input wordpiece embeddings of
all-MiniLM-L6-v2 (Apache-2.0), reduced by PCA: a plain lookup table, so running it costs
a dictionary lookup per token and needs no transformer at run time.

The table is built once (``build_table``, see scripts/build_wordpieces.py) and ships with
the package (``src/newstrace/data/wordpieces.npz``).
"""

from __future__ import annotations

import json
import struct
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy
from spacy.tokens import Doc

TABLE_FILE = "wordpieces.npz"
_EMBEDDINGS = "embeddings.word_embeddings.weight"
_CACHE_LIMIT = 200_000


def shipped_table_path() -> Path:
    return Path(str(files("newstrace") / "data" / TABLE_FILE))


def build_table(safetensors_path: str | Path, vocab_path: str | Path, out: str | Path, dims: int = 96) -> None:
    """Reduce a BERT-style model's wordpiece embeddings to ``dims`` PCA components; save as npz."""
    with open(safetensors_path, "rb") as handle:
        (header_len,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_len))
        entry = header[_EMBEDDINGS]
        if entry["dtype"] != "F32":
            raise ValueError(f"{safetensors_path}: expected F32 {_EMBEDDINGS}, found {entry['dtype']}")
        start, end = entry["data_offsets"]
        handle.seek(8 + header_len + start)
        matrix = numpy.frombuffer(handle.read(end - start), dtype=numpy.float32).reshape(entry["shape"])
    vocab = Path(vocab_path).read_text(encoding="utf-8").splitlines()
    if len(vocab) != matrix.shape[0]:
        raise ValueError(f"vocabulary has {len(vocab)} entries, embeddings {matrix.shape[0]}")
    centred = matrix - matrix.mean(axis=0)
    _, _, components = numpy.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dims].T
    reduced /= reduced.std()
    numpy.savez_compressed(out, vocab=numpy.array(vocab), vectors=reduced.astype(numpy.float16))


class WordpieceVectors:
    """Token text → static vector (mean of its wordpieces' vectors; zeros if none match)."""

    def __init__(self, path: str | Path):
        data = numpy.load(path)
        self.vectors = data["vectors"].astype(numpy.float32)
        self.index = {piece: i for i, piece in enumerate(data["vocab"].tolist())}
        self.width = self.vectors.shape[1]
        self._zeros = numpy.zeros(self.width, dtype=numpy.float32)
        self._cache: dict[str, numpy.ndarray] = {}

    def pieces(self, text: str) -> list[int]:
        """Greedy longest-match wordpieces of a lower-cased, accent-stripped token."""
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

    def vector(self, text: str) -> numpy.ndarray:
        cached = self._cache.get(text)
        if cached is None:
            ids = self.pieces(text)
            cached = self.vectors[ids].mean(axis=0) if ids else self._zeros
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = cached
        return cached

    def doc_vectors(self, doc: Doc) -> numpy.ndarray:
        """(len(doc), width) vectors of the doc's tokens."""
        if not len(doc):
            return numpy.zeros((0, self.width), dtype=numpy.float32)
        return numpy.vstack([self.vector(token.text) for token in doc])


@lru_cache(maxsize=2)
def load_vectors(path: str | None = None) -> WordpieceVectors:
    """The shipped table (or the one at ``path``), loaded once per process."""
    return WordpieceVectors(path or shipped_table_path())
