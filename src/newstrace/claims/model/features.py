"""What the tagger reads of each token besides its words: features from the spaCy parse.

All from the analyses the claims stage already has:
- the small pipeline's own context vector (``doc.tensor``, the output of its tok2vec,
  pretrained on OntoNotes), read as it is;
- the token's tag and dependency label, its head's label, the labels of its children (a speech
  verb has a subject and a clausal complement), and the clause it sits in: the label of that
  clause and the lemma of the word that governs it ("... *said* [ccomp: that the bridge would
  reopen]");
- whether the token lies inside a quotation;
- what the rules of the claims stage (``attribution.py``) make of the token: its role in a rule
  attribution, that attribution's cue sort and whether it has a source. The tagger learns where
  the rules' parse-based boundaries hold and where to add or drop (a model trained on one
  version of the rules should be retrained when they change: ``rules_fingerprint``).
Each feature is a 64-bit id (spaCy's string hashes); the tagger hashes them into embedding rows.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD, IS_QUOTE, LEMMA, TAG
from spacy.strings import StringStore
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from newstrace.claims.attribution import Attribution, find_attributions
from newstrace.claims.model.data import LABEL_ID, AttributionSpans, label_tokens
from newstrace.claims.model.inputs import FEATURES, TENSOR_WIDTH
from newstrace.claims.nlp import doc_text

_DOC_ATTRS = [LEMMA, TAG, DEP, HEAD, IS_QUOTE]
# Dependency labels that head a clause: a token's clause is its nearest such ancestor.
_CLAUSAL = ("ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "csubj", "pcomp", "acl", "pobj", "dobj")
# Label ids as Doc.to_array gives them (common labels are spaCy symbols, not string hashes).
_IDS = StringStore()
_CLAUSAL_IDS = numpy.array([_IDS[label] for label in _CLAUSAL], dtype=numpy.uint64).astype(numpy.int64)
# The English dependency labels (ClearNLP, as in spaCy's English pipelines), one bit each.
_DEP_LABELS = (
    "ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj "
    "csubjpass dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd "
    "parataxis pcomp pobj poss preconj predet prep prt punct quantmod relcl xcomp"
).split()
_DEP_IDS = numpy.sort(numpy.array([_IDS[label] for label in _DEP_LABELS], dtype=numpy.uint64).astype(numpy.int64))
_OPENING = {"“", "«", "„"}
_CLOSING = {"”", "»"}


def doc_features(doc: Doc, reading: list[Attribution] | None = None) -> numpy.ndarray:
    """The (n_tokens, len(FEATURES)) uint64 feature matrix of one parsed doc (``reading``: its
    ``read_paragraph``, where the caller has it)."""
    arr = doc.to_array(_DOC_ATTRS).astype(numpy.int64)
    n = len(doc)
    heads = numpy.arange(n, dtype=numpy.int64) + arr[:, 3]
    lemma, dep = arr[:, 0], arr[:, 2]
    clause = _clause_heads(dep, heads)
    out = numpy.empty((n, len(FEATURES)), dtype=numpy.uint64)
    out[:, 0] = arr[:, 1].astype(numpy.uint64)
    out[:, 1] = dep.astype(numpy.uint64)
    out[:, 2] = dep[heads].astype(numpy.uint64)
    out[:, 3] = _child_labels(dep, heads)
    out[:, 4] = dep[clause].astype(numpy.uint64)
    out[:, 5] = lemma[heads[clause]].astype(numpy.uint64)
    out[:, 6] = _quote_state(doc, arr[:, 4])
    out[:, 7] = rule_features(doc, reading)
    return out


_SORTS = {None: 0, "speech": 1, "belief": 2, "evidence": 3}


def rule_features(doc: Doc, reading: list[Attribution] | None = None) -> numpy.ndarray:
    """Per token, a number naming the rules' reading of it: role label (BIO), the attribution's
    cue sort and whether it has a source. The rules run on the paragraph alone (``reading``: its
    ``read_paragraph``, where the caller has it); where their attributions nest ("X told Y that
    Z, officials said"), a cue or source wins over a content."""
    found = find_attributions([(0, len(doc_text(doc)))], [doc], None if reading is None else [reading])
    labels = numpy.zeros(len(doc), dtype=numpy.uint64)
    kind = numpy.zeros(len(doc), dtype=numpy.uint64)
    for role in ("content", "source", "cue"):
        for attribution in found:
            fragments = attribution.cue if role == "cue" else attribution.content if role == "content" else [attribution.source]
            spans = AttributionSpans(**{"cue": [], role: [f for f in fragments if f is not None]})
            role_labels = numpy.asarray(label_tokens([spans], doc, 0), dtype=numpy.uint64)
            marked = role_labels != LABEL_ID["O"]
            labels[marked] = role_labels[marked]
            kind[marked] = _SORTS.get(attribution.sort, 4) * 2 + (attribution.source is not None) + 1
    return labels * 16 + kind


# Probe sentences for rules_fingerprint, and their parses (built by scripts/build_rules_probe.py).
PROBE_TEXT = Path(str(files("newstrace").joinpath("data", "rules_probe.txt")))
PROBE_DOCS = PROBE_TEXT.with_suffix(".spacy")


def rules_fingerprint(vocab: Vocab) -> str:
    """A digest of what the rules read in a fixed set of parsed sentences (``data/rules_probe.*``).

    A model records it when trained; a different digest now means the rules have changed since,
    and the model should be retrained (its input no longer means the same). The parses are stored,
    not redone, so the digest depends on the rules alone, the same on every machine."""
    digest = hashlib.sha256()
    for doc in DocBin().from_bytes(PROBE_DOCS.read_bytes()).get_docs(vocab):
        digest.update(rule_features(doc).tobytes())
    return digest.hexdigest()[:16]


def _clause_heads(dep: numpy.ndarray, heads: numpy.ndarray) -> numpy.ndarray:
    """For each token, its nearest ancestor-or-self whose label heads a clause (or the root)."""
    # Compared with each label: numpy.isin costs more on a paragraph's few dozen tokens.
    stop = (dep[:, None] == _CLAUSAL_IDS).any(axis=1) | (heads == numpy.arange(len(heads)))
    # Each token points at itself where it stops, else at its head. Following the pointers twice
    # as far each round reaches every token's stop in about log2(depth) rounds.
    found = numpy.where(stop, numpy.arange(len(heads)), heads)
    while True:
        further = found[found]
        if numpy.array_equal(further, found):
            return found
        found = further


def _child_labels(dep: numpy.ndarray, heads: numpy.ndarray) -> numpy.ndarray:
    """Per token, a number naming the set of its children's dependency labels."""
    bits = numpy.searchsorted(_DEP_IDS, dep)
    bits = numpy.where((bits < len(_DEP_IDS)) & (_DEP_IDS[numpy.minimum(bits, len(_DEP_IDS) - 1)] == dep), bits, 0)
    mask = numpy.zeros(len(dep), dtype=numpy.uint64)
    is_child = heads != numpy.arange(len(heads))
    numpy.bitwise_or.at(mask, heads[is_child], numpy.left_shift(numpy.uint64(1), bits[is_child].astype(numpy.uint64)))
    return mask


def _quote_state(doc: Doc, is_quote: numpy.ndarray) -> numpy.ndarray:
    """Per token: 0 outside quotes, 1 inside, 2 a quotation mark itself.

    Curly marks say which way they face; a straight ``"`` toggles. Single quotes are left
    out: they double as apostrophes.
    """
    state = numpy.zeros(len(doc), dtype=numpy.uint64)
    inside, since = False, 0
    for i in numpy.flatnonzero(is_quote):
        mark = doc[int(i)].text
        if mark in _OPENING or (mark == '"' and not inside):
            since, inside = int(i) + 1, True
        elif (mark in _CLOSING or mark == '"') and inside:
            state[since:i] = 1
            inside = False
        else:
            continue
        state[i] = 2
    return state


def doc_tensor(doc: Doc) -> numpy.ndarray:
    """The pipeline's context vectors for the doc's tokens (its tok2vec output)."""
    tensor = doc.tensor
    if tensor is None or tensor.shape != (len(doc), TENSOR_WIDTH):
        raise ValueError(
            f"the attribution tagger needs doc.tensor of width {TENSOR_WIDTH} from the spaCy pipeline's "
            f"tok2vec; got shape {getattr(tensor, 'shape', None)} (was the doc parsed by the pipeline it was trained on?)"
        )
    return tensor.astype(numpy.float32)
