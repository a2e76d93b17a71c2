"""The tagger network: token features from the spaCy parse → CNN → one role label per token.

Inputs per token, all from the analyses the claims stage already has:
- the small pipeline's own context vector (``doc.tensor``, the output of its tok2vec,
  pretrained on OntoNotes), which the tagger reads but does not change;
- hashed embeddings of lexical forms, tag and dependency label, the labels of the token's
  children (a speech verb has a subject and a clausal complement), its syntactic head,
  and the clause it sits in: the label of that clause and the lemma of the word that
  governs it ("... *said* [ccomp: that the bridge would reopen]"), which a narrow CNN
  window cannot see by itself;
- whether the token lies inside a quotation;
- what the rules of the claims stage (``attribution.py``) make of the token: its role in a rule
  attribution, that attribution's cue sort and whether it has a source. The tagger learns where
  the rules' parse-based boundaries hold and where to add or drop (a model trained on one
  version of the rules should be retrained when they change);
- a static pretrained vector of the word (``wordpieces.py``), so that rare speech and
  belief verbs resemble common ones.
A small CNN (spaCy's maxout window encoder) and a bidirectional LSTM encode them, and a softmax
labels each token. The tagger averages several such networks, trained from different seeds
(tagger.py); the inputs are computed once for all of them (``featurize``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD, IS_QUOTE, LEMMA, NORM, PREFIX, SHAPE, SUFFIX, TAG
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.strings import StringStore
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab
from thinc.api import LSTM, Dropout, HashEmbed, Maxout, Model, Softmax, chain, concatenate, use_ops, with_array, with_padded
from thinc.types import Floats2d

from newstrace.claims.attribution import find_attributions
from newstrace.claims.model.data import LABEL_ID, LABELS, AttributionSpans, label_tokens
from newstrace.claims.model.wordpieces import WordpieceVectors

# Columns of the feature matrix, in order; each gets its own hashed embedding table.
FEATURES = (
    "norm",
    "prefix",
    "suffix",
    "shape",
    "lemma",
    "tag",
    "dep",
    "head_lemma",
    "head_dep",
    "child_deps",
    "clause_dep",
    "governor",
    "quote",
    "rules",
)
_LEXICAL = {"norm", "prefix", "suffix", "lemma", "head_lemma", "governor"}
_DOC_ATTRS = [NORM, PREFIX, SUFFIX, SHAPE, LEMMA, TAG, DEP, HEAD, IS_QUOTE]
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
TENSOR_WIDTH = 96


@dataclass(frozen=True, slots=True)
class NetworkShape:
    """Sizes of the network (from the ``[network]`` section of the config)."""

    width: int = 96
    depth: int = 4
    window: int = 1
    maxout_pieces: int = 3
    rows: int = 2000
    lexical_rows: int = 10000
    lexical_embed: int = 64
    embed: int = 32
    dropout: float = 0.1
    # Read static wordpiece vectors (wordpieces.py) as well.
    wordpieces: bool = True
    # Width of a bidirectional LSTM over the CNN's output (0: none). The CNN sees a few tokens
    # either side; the LSTM carries the whole paragraph, where long contents end.
    lstm: int = 0
    lstm_depth: int = 1


def doc_features(doc: Doc) -> numpy.ndarray:
    """The (n_tokens, len(FEATURES)) uint64 feature matrix of one parsed doc."""
    arr = doc.to_array(_DOC_ATTRS).astype(numpy.int64)
    n = len(doc)
    heads = numpy.arange(n, dtype=numpy.int64) + arr[:, 7]
    lemma, dep = arr[:, 4], arr[:, 6]
    clause = _clause_heads(dep, heads)
    out = numpy.empty((n, len(FEATURES)), dtype=numpy.uint64)
    out[:, :7] = arr[:, :7].astype(numpy.uint64)
    out[:, 7] = lemma[heads].astype(numpy.uint64)
    out[:, 8] = dep[heads].astype(numpy.uint64)
    out[:, 9] = _child_labels(dep, heads)
    out[:, 10] = dep[clause].astype(numpy.uint64)
    out[:, 11] = lemma[heads[clause]].astype(numpy.uint64)
    out[:, 12] = _quote_state(doc, arr[:, 8])
    out[:, 13] = rule_features(doc)
    return out


_SORTS = {None: 0, "speech": 1, "belief": 2, "evidence": 3}


def rule_features(doc: Doc) -> numpy.ndarray:
    """Per token, a number naming the rules' reading of it: role label (BIO), the attribution's
    cue sort and whether it has a source. The rules run on the paragraph alone; where their
    attributions nest ("X told Y that Z, officials said"), a cue or source wins over a content."""
    found = find_attributions([(0, len(doc.text))], [doc])
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
    stop = numpy.isin(dep, _CLAUSAL_IDS) | (heads == numpy.arange(len(heads)))
    found = numpy.arange(len(heads))
    for _ in range(len(heads)):  # climb one step at a time until every token has stopped
        moving = ~stop[found]
        if not moving.any():
            break
        found = numpy.where(moving, heads[found], found)
    return found


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
    return tensor


@dataclass(slots=True)
class TokenInputs:
    """One paragraph as the tagger networks read it, computed once for all of an ensemble's
    members: the hashed-feature ids and the static vectors of its tokens."""

    ids: numpy.ndarray  # (n_tokens, len(FEATURES)) uint64
    static: numpy.ndarray  # (n_tokens, TENSOR_WIDTH + wordpiece width) float32

    def __len__(self) -> int:
        return len(self.ids)


def featurize(docs: list[Doc], vectors: WordpieceVectors | None) -> list[TokenInputs]:
    """The networks' inputs for parsed docs (``vectors``: the wordpiece table, if the networks read one)."""
    inputs = []
    for doc in docs:
        static = [doc_tensor(doc).astype(numpy.float32)]
        if vectors is not None:
            static.append(vectors.doc_vectors(doc))
        inputs.append(TokenInputs(doc_features(doc), numpy.hstack(static)))
    return inputs


def build_embed(shape: NetworkShape, static_width: int) -> Model[list[TokenInputs], list[Floats2d]]:
    """Inputs → one vector per token: hashed feature embeddings and the static vectors (the
    pipeline's tensor and, if read, the wordpiece vectors), mixed by a maxout layer."""
    tables = concatenate(
        *(
            HashEmbed(
                nO=shape.lexical_embed if name in _LEXICAL else shape.embed,
                nV=shape.lexical_rows if name in _LEXICAL else shape.rows,
                column=i,
                seed=i + 1,
            )
            for i, name in enumerate(FEATURES)
        )
    )
    embed_width = sum(shape.lexical_embed if name in _LEXICAL else shape.embed for name in FEATURES)
    mix = Maxout(shape.width, embed_width + static_width, nP=shape.maxout_pieces, normalize=True)
    return Model("attribution_embed", _embed_forward, init=_embed_init, layers=[tables, mix], dims={"nO": shape.width})


def _embed_init(model: Model, X=None, Y=None) -> None:
    for layer in model.layers:
        layer.initialize()


def _embed_forward(model: Model, inputs: list[TokenInputs], is_train: bool):
    tables, mix = model.layers
    ops = model.ops
    lengths = [len(x) for x in inputs]
    ids = ops.asarray2i(numpy.vstack([x.ids for x in inputs]), dtype="uint64")
    embedded, embed_backprop = tables(ids, is_train)
    mixed, mix_backprop = mix(ops.xp.hstack([embedded, numpy.vstack([x.static for x in inputs])]), is_train)
    width = embedded.shape[1]

    def backprop(d_outputs: list[Floats2d]) -> list:
        d_inputs = mix_backprop(ops.xp.vstack(d_outputs))
        embed_backprop(ops.xp.ascontiguousarray(d_inputs[:, :width]))
        return []

    return list(ops.xp.split(mixed, numpy.cumsum(lengths)[:-1])), backprop


def build_tagger(shape: NetworkShape, wordpiece_width: int = 0) -> Model[list[TokenInputs], list[Floats2d]]:
    """Inputs → per-token probabilities over ``LABELS`` (``wordpiece_width``: 0 if the network
    reads no wordpiece vectors)."""
    # numpy's BLAS multiplies these small matrices about 3x faster than thinc's default blis
    # on the CPUs measured here (see docs/attribution-model.md).
    with use_ops("numpy", use_blis=False):
        encode = MaxoutWindowEncoder(
            width=shape.width, window_size=shape.window, maxout_pieces=shape.maxout_pieces, depth=shape.depth
        )
        layers = [build_embed(shape, TENSOR_WIDTH + wordpiece_width), with_array(Dropout(shape.dropout)), encode]
        if shape.lstm:
            layers.append(with_padded(LSTM(shape.lstm, shape.width, bi=True, depth=shape.lstm_depth)))
        layers.append(with_array(Softmax(nO=len(LABELS), nI=shape.lstm or shape.width)))
        return chain(*layers)
