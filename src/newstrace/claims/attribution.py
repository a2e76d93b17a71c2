"""Finding attributions: who (source), through which words (cue), says what (content).

Rules over the dependency parse of each paragraph. This module only finds spans; who the source
really is (speakers.py), how sure the content is (hedges.py) and whether it is a denial (cues.py)
are decided elsewhere, so that a trained span finder can replace or join ``find_attributions``.

Spans follow PolNeAR's conventions, since that corpus measures them: a direct quotation's content
keeps its quotation marks (and the comma before the closing mark), never the sentence's final full
stop; a source keeps its appositions ("Graham, a former candidate,"); a cue keeps the auxiliaries and
adverbs before its verb ("have long said").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Literal

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from newstrace.claims.cues import ACCORDING_TO, STATEMENT_NOUNS, Cue, CueSort, cue_for
from newstrace.claims.nlp import doc_text
from newstrace.claims.quotes import quote_regions, region_at
from newstrace.model import QuoteType, Span

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"
# "“...” ― Sonya Herridge", "... #RINO — Ben Jacobs (@Bencjacobs) September 1, 2016": a signed quotation.
_SIGNED = re.compile(
    r"^(?P<content>.*\S)(?:\s+|(?<=[”\"]))(?P<cue>[―—–]|--?)\s*(?P<source>" + _NAME + r"(?:\s+\(@\w+\))?)"
    r"(?:\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\.?$"
)
# "- Bernie Sanders." under a quotation paragraph.
_SIGNATURE_LINE = re.compile(r"^(?P<cue>[―—–]|--?)\s*(?P<source>" + _NAME + r")\.?$")
# "PENCE: Well, look, ...", "Trump: ‘I’m the worst thing ...’": a speaker label.
_LABEL = re.compile(r"^[\"“]?(?P<source>" + _NAME + r"):\s+(?P<content>\S.*)$", re.S)

_NAME_ABBREVIATIONS = {"Jr.", "Sr.", "Esq."}
# Labels before a colon that are not speakers.
_NOT_SPEAKERS = {
    "Q", "A", "UPDATE", "UPDATED", "WATCH", "BREAKING", "EXCLUSIVE", "LIVE", "VIDEO", "PHOTOS", "PHOTO", "NOTE",
    "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "READ", "READ MORE", "RELATED", "SEE", "SEE ALSO", "LISTEN",
    "OPINION", "ANALYSIS", "EDITORIAL", "WARNING", "SOURCE", "SOURCES", "CREDIT", "TAGS", "TOPICS", "FILE", "ALSO",
    "DISCLAIMER", "DISCLOSURE", "SPONSORED", "ADVERTISEMENT", "FACT CHECK", "FACT-CHECK", "TIMELINE", "EXPLAINER",
    "BACKGROUND", "CONTEXT", "SUMMARY", "HIGHLIGHTS", "KEY POINTS", "DETAILS", "WHY IT MATTERS", "BOTTOM LINE",
    "THE BOTTOM LINE", "BIG PICTURE", "THE BIG PICTURE", "WHAT'S NEXT", "WHAT’S NEXT", "BY THE NUMBERS", "GO DEEPER",
    "FLASHBACK", "TRANSCRIPT", "TRIGGER WARNING", "SPOILER", "SPOILERS", "PHOTO CREDIT", "VIDEO CREDIT",
}
# A first paragraph this short (tokens) may be a headline, "Poll: Clinton leads in Ohio."
# The cue lemmas of attributions read from the page's layout, not from words: a signed quotation
# ("“...” ― Name") and a speaker's label ("PENCE: ...").
LAYOUT_CUES = frozenset({"sign", "label"})

_HEADLINE_TOKENS = 40

ContentKind = Literal["clause", "quote", "object", "infinitive"]

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLAUSES = {"ccomp"}
_RELATIVE_ANTECEDENTS = {"something", "which", "what", "that", "this", "claim", "claims", "allegation", "allegations"}
_EXPLETIVES = {"it", "there"}
# Cues whose object can only be what is said: a noun-phrase "object" is a misparsed clause.
_CLAUSE_ONLY = {"say", "claim", "insist", "argue", "assert", "contend", "believe", "think", "add"}
_OBJECT_PREPS = {"as", "for", "of", "to", "with", "about", "on", "into", "over"}
_QUOTE_CHARS = set("\"“”„'‘’`")
# Punctuation a content or source never starts or ends with (quotation marks are handled apart).
_EDGE_PUNCT = set(".,;:—–-()[]!?…") | {"--"}


@dataclass(slots=True)
class Attribution:
    """One attribution found in an article; spans are character offsets into the article's text."""

    paragraph: int
    sentence: Span
    cue: list[Span]
    cue_lemma: str | None
    source: Span | None
    speakers: list[Span]
    content: list[Span]
    content_kind: ContentKind
    quote: QuoteType
    sort: CueSort | None
    negated: bool = False
    # No cue of its own: a quotation paragraph that goes on with the previous speaker.
    continues: bool = False


def find_attributions(
    paragraph_spans: list[Span], docs: list[Doc], readings: list[list[Attribution]] | None = None
) -> list[Attribution]:
    """All attributions of an article, paragraph by paragraph, in text order.

    ``readings``: each paragraph's ``read_paragraph``, where the caller has them already (the
    trained model reads them as features); a paragraph its neighbours cannot change takes its
    reading, moved to its place in the article, instead of being read again.
    """
    found: list[Attribution] = []
    for index, (span, doc) in enumerate(zip(paragraph_spans, docs)):
        last = index + 1 == len(docs)
        if _reads_alone(doc, index, last):
            reading = readings[index] if readings is not None else read_paragraph(doc)
            found.extend(_placed(attribution, index, span[0]) for attribution in reading)
            continue
        following = None if last else (paragraph_spans[index + 1], docs[index + 1])
        para = _Paragraph(index, span[0], doc, following)
        found.extend(_read(para, docs[index - 1] if index else None, paragraph_spans[index - 1][0] if index else 0))
    # A quotation paragraph already introduced by the paragraph before ("Cruz continued:") is not a
    # continuation of its own.
    introduced = {span for a in found if not a.continues for span in a.content}
    return [a for a in found if not (a.continues and a.content[0] in introduced)]


def read_paragraph(doc: Doc) -> list[Attribution]:
    """The rules' reading of one paragraph on its own: offsets into its own text, paragraph 0."""
    return _read(_Paragraph(0, 0, doc), None, 0)


def _read(para: _Paragraph, previous: Doc | None, previous_base: int) -> list[Attribution]:
    signed = _signature(para, previous, previous_base)
    return [signed] if signed is not None else _paragraph_attributions(para)


def _reads_alone(doc: Doc, index: int, last: bool) -> bool:
    """Whether a paragraph reads the same in its article as on its own: only a signature line
    (the quotation above is signed), a closing colon (the next paragraph is introduced) and a
    speaker label after the first paragraph (a headline's label differs) look at their place."""
    text = doc_text(doc)
    if index and (_SIGNATURE_LINE.match(text) or _LABEL.match(text)):
        return False
    return last or not text.rstrip().endswith(":")


def _placed(attribution: Attribution, index: int, base: int) -> Attribution:
    """A paragraph's attribution read on its own, as paragraph ``index`` of an article whose text
    it starts at ``base`` (a copy: readings are shared)."""

    def moved(span: Span) -> Span:
        return (span[0] + base, span[1] + base)

    return replace(
        attribution,
        paragraph=index,
        sentence=moved(attribution.sentence),
        cue=[moved(s) for s in attribution.cue],
        source=moved(attribution.source) if attribution.source is not None else None,
        speakers=[moved(s) for s in attribution.speakers],
        content=[moved(s) for s in attribution.content],
    )


class _Paragraph:
    def __init__(self, index: int, base: int, doc: Doc, following: tuple[Span, Doc] | None = None):
        self.index, self.base, self.doc = index, base, doc
        self.text = doc_text(doc)
        self._starts = doc.to_array(IDX).tolist()
        self.quotes = quote_regions(self.text)
        # The next paragraph (span, parse): what "Cruz continued:" at a paragraph's end introduces.
        self.following = following

    def span(self, tokens: list[Token]) -> Span:
        return (self.base + tokens[0].idx, self.base + tokens[-1].idx + len(tokens[-1]))

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens that start within [start, end) of the paragraph's text."""
        return list(self.doc[bisect_left(self._starts, start) : bisect_left(self._starts, end)])

    def fragments(self, tokens: list[Token]) -> list[Span]:
        """Runs of consecutive tokens as character spans (article offsets)."""
        runs: list[list[Token]] = []
        for token in sorted(tokens, key=lambda t: t.i):
            if runs and token.i == runs[-1][-1].i + 1:
                runs[-1].append(token)
            else:
                runs.append([token])
        return [self.span(run) for run in runs]


def _paragraph_attributions(para: _Paragraph) -> list[Attribution]:
    doc = para.doc
    found: list[Attribution] = []
    label = _label(para)
    if label is not None:
        found.append(label)
    for token in doc:
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            attribution = _according_to(para, token)
        elif _verbal(token) and (cue := cue_for(token.lemma_)) is not None:
            if region_at(para.quotes, token.idx) is not None:
                continue  # "“I think ...,” he said": the quotation is the speaker's, its verbs are not cues
            attribution = _verb_attribution(para, token, cue)
        else:
            continue
        if attribution is not None:
            found.append(attribution)
    _continue_quotes(para, found)
    return found


def _verbal(token: Token) -> bool:
    """A verb, or a verb the tagger took for a noun in a verb's place ("something the company rejects",
    "Trump predicts that ...")."""
    if token.pos_ == "VERB":
        return True
    return token.dep_ in {"relcl", "ROOT"} and token.tag_ in {"NNS", "VBZ"} and any(c.dep_ == "nsubj" for c in token.children)


# --- content -------------------------------------------------------------------------------------


def _subtree(token: Token, skip: set[int] | None = None) -> list[Token]:
    skip = skip or set()
    out: list[Token] = []
    stack = [token]
    while stack:
        node = stack.pop()
        if node.i in skip:
            continue
        out.append(node)
        stack.extend(node.children)
    return sorted(out, key=lambda t: t.i)


def _trailing_asides(root: Token) -> set[int]:
    """What follows a content clause but is the speaker's next attribution, not part of it
    (", claiming that ...", "and urged ...")."""
    skip: set[int] = set()
    for child in root.children:
        if child.i < root.i or child.dep_ not in {"advcl", "conj", "parataxis"}:
            continue
        own_subject = any(c.dep_ in _SUBJECTS for c in child.children)
        if cue_for(child.lemma_) is not None and not own_subject:
            skip.update(t.i for t in child.subtree)
    return skip


def _nested_denials(token: Token) -> set[int]:
    """Tokens of "— something X has denied" / ", which X rejected" tails inside a clause."""
    skip: set[int] = set()
    for node in token.subtree:
        if node.dep_ == "relcl" and cue_for(node.lemma_) is not None and node.head.lower_ in _RELATIVE_ANTECEDENTS:
            skip.update(t.i for t in node.head.subtree)
        elif node.dep_ == "relcl" and cue_for(node.lemma_) is not None and any(
            c.lower_ in {"which", "what"} and c.dep_ in {"dobj", "nsubj"} for c in node.children
        ):
            skip.update(t.i for t in node.subtree)
    return skip


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop edge punctuation and conjunctions; quotation marks stay (they are handled with the quotes)."""
    while tokens and (tokens[0].text in _EDGE_PUNCT or tokens[0].dep_ == "cc" or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in _EDGE_PUNCT or tokens[-1].dep_ == "cc" or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _with_quotes(para: _Paragraph, tokens: list[Token], keep_out: set[int]) -> list[Token]:
    """Widen content that starts or ends inside a quotation to the whole quotation, marks included."""
    if not tokens:
        return tokens
    doc, members = para.doc, {t.i for t in tokens}
    for edge in (tokens[0], tokens[-1]):
        region = region_at(para.quotes, edge.idx)
        if region is None:
            continue
        inside = para.tokens_in(*region)
        if any(t.i in keep_out for t in inside):
            continue
        members.update(t.i for t in inside)
    ordered = sorted(members)
    lo, hi = ordered[0], ordered[-1]
    # Quotation marks right at the edges belong to the quotation.
    if lo > 0 and doc[lo - 1].text in _QUOTE_CHARS and region_at(para.quotes, doc[lo - 1].idx):
        members.add(lo - 1)
    if hi + 1 < len(doc) and doc[hi + 1].text in _QUOTE_CHARS and region_at(para.quotes, doc[hi + 1].idx):
        members.add(hi + 1)
    return [doc[i] for i in sorted(members)]


def _quote_type(para: _Paragraph, tokens: list[Token]) -> QuoteType:
    words = [t for t in tokens if not t.is_punct]
    if not words:
        return "indirect"
    quoted = sum(1 for t in words if region_at(para.quotes, t.idx) is not None)
    if quoted == len(words):
        return "direct"
    return "mixed" if quoted else "indirect"


# --- source and cue ------------------------------------------------------------------------------


def _subject(verb: Token) -> Token | None:
    node = verb
    for _ in range(3):
        # "something both Moscow and Pyongyang have denied" parsed with two subjects: the real one.
        subjects = sorted((c for c in node.children if c.dep_ in _SUBJECTS), key=lambda c: c.lower_ in _RELATIVE_ANTECEDENTS)
        if subjects:
            return subjects[0]
        # "X said A and added B", "X declined to say", "X said ..., adding that ...", "after saying ...":
        # the subject is the governing verb's.
        if node.dep_ in {"conj", "xcomp"} and node.head.pos_ in {"VERB", "AUX"}:
            node = node.head
        elif node.dep_ in {"advcl", "pcomp"} and node.tag_ == "VBG":
            node = node.head
            while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
                node = node.head
        elif node.dep_ == "acl" and node.tag_ == "VBG":
            if node.left_edge.i == 0 or node.doc[node.left_edge.i - 1].text != ",":
                return node.head  # "a statement saying that ...", "one saying that ..."
            # "X endorsed Y on Saturday, saying ...": set off by a comma, it is the clause's subject's.
            node = node.head
            while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
                node = node.head
        else:
            break
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _conjuncts(noun: Token) -> list[Token]:
    out = [noun]
    for child in noun.children:
        if child.dep_ == "conj" and child.pos_ in {"PROPN", "NOUN", "PRON"}:
            out.extend(_conjuncts(child))
    return out


def _core(noun: Token) -> list[Token]:
    """The speaker's own words: the noun and what precedes it in its phrase, no appositions or clauses."""
    left = [t for t in noun.subtree if t.i <= noun.i]
    keep: list[Token] = []
    for token in reversed(left):
        if token.i == noun.i or token.i == (keep[-1].i - 1 if keep else noun.i - 1):
            inside_name = token.text == "-" and token.ent_iob_ == "I"
            if token.dep_ in {"preconj", "cc", "punct"} and token.i != noun.i and not inside_name:
                break
            keep.append(token)
        else:
            break
    keep.reverse()
    while keep and keep[0].dep_ == "det" and keep[0].lower_ in {"the", "a", "an"}:
        keep = keep[1:]
    return keep or [noun]


def _source_tokens(subject: Token) -> list[Token]:
    """The source as PolNeAR marks it: the speaker's whole phrase, with the comma that closes an
    apposition ("Graham, a former candidate,")."""
    doc = subject.doc
    tokens = [t for t in subject.subtree if t.dep_ != "punct" or subject.left_edge.i < t.i < subject.right_edge.i]
    out = _trim(tokens)
    after = out[-1].i + 1 if out else None
    if out and any(t.dep_ == "appos" for t in subject.children) and after < len(doc) and doc[after].text == ",":
        out = out + [doc[after]]
    return out


def _cue_tokens(verb: Token, subject: Token | None) -> list[Token]:
    """The verb with its auxiliaries, negation and adverbs between the subject and it, and particles."""
    doc = verb.doc
    floor = subject.right_edge.i + 1 if subject is not None and subject.i < verb.i else verb.i
    tokens = [verb]
    i = verb.i - 1
    while i >= floor and doc[i].head.i == verb.i and doc[i].dep_ in {"aux", "auxpass", "neg", "advmod"}:
        tokens.insert(0, doc[i])
        i -= 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == tokens[-1].i + 1:
            tokens.append(child)
    return tokens


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


# --- rules -----------------------------------------------------------------------------------------


def _verb_attribution(para: _Paragraph, verb: Token, cue: Cue) -> Attribution | None:
    if verb.dep_ in {"amod", "compound"}:
        return None
    subject = _subject(verb)
    passive = subject is not None and subject.dep_ == "nsubjpass"
    source_head = subject
    if passive:
        agent = _agent(verb)
        if agent is not None:
            source_head = agent
        elif subject.lower_ in _EXPLETIVES or cue.lemma == "ask":
            # "it is believed that ...", "he was asked whether ...": no one named says or asks it.
            source_head = None
        else:
            return None  # "X is expected to ...", "Y was told": a hedge or an addressee, not a source
    elif verb.tag_ == "VBN" and verb.dep_ in {"acl", "advcl"} and not any(c.dep_ in _SUBJECTS for c in verb.children):
        if cue.lemma != "ask":
            return None  # "some believed killed": a participle, not a statement
        subject = source_head = None  # "Asked whether ...": a question put by no one named

    if subject is None and cue.sort == "speech":
        # "“...,” said David Brock, a confidant who ..." parsed with the name as another verb's subject.
        subject = source_head = _following_speaker(verb)
    content, kind = _quote_before(para, verb, subject) if cue.sort == "speech" else ([], "quote")
    if not content:
        content, kind = _content(para, verb, cue)
    if not content and cue.sort == "speech":
        content, kind = _adjacent_quote(para, verb, subject), "quote"
    if not content and cue.sort == "speech" and para.following is not None and _ends_with_colon(verb):
        return _introducing(para, verb, subject, source_head, cue)
    preposition = None
    if not content and cue.preps:
        preposition, content = _prepositional(verb, cue)
        kind = "object"
    if not content:
        return None
    cue_tokens = _cue_tokens(verb, subject) + ([preposition] if preposition is not None else [])
    cue_ids = {t.i for t in cue_tokens}
    content = [t for t in content if t.i not in cue_ids]
    if source_head is not None:
        source_ids = {t.i for t in source_head.subtree}
        content = [t for t in content if t.i not in source_ids]
    content = _trim(content) if kind != "quote" else content
    if not content:
        return None
    keep_out = cue_ids | ({t.i for t in source_head.subtree} if source_head is not None else set())
    content = _with_quotes(para, content, keep_out)
    quote = _quote_type(para, content)
    if quote == "direct":
        kind = "quote"
    return _attribution(para, verb, cue, cue_tokens, source_head, para.fragments(content), kind, quote)


def _attribution(
    para: _Paragraph,
    verb: Token,
    cue: Cue,
    cue_tokens: list[Token],
    source_head: Token | None,
    content: list[Span],
    kind: ContentKind,
    quote: QuoteType,
) -> Attribution:
    """A verb cue's attribution: the source is the subject's phrase, each conjoined subject a speaker."""
    speakers = _conjuncts(source_head) if source_head is not None else []
    source = _source_tokens(source_head) if source_head is not None else []
    sentence = verb.sent
    return Attribution(
        paragraph=para.index,
        sentence=para.span([sentence[0], sentence[-1]]),
        cue=para.fragments(cue_tokens),
        cue_lemma=cue.lemma,
        source=para.span(source) if source else None,
        speakers=[para.span(_core(s)) for s in speakers],
        content=content,
        content_kind=kind,
        quote=quote,
        sort=cue.sort,
        negated=_negated(verb),
    )


def _content(para: _Paragraph, verb: Token, cue: Cue) -> tuple[list[Token], ContentKind]:
    """What the cue verb attributes, by the first construction that applies."""
    doc = verb.doc
    # "X said: ..." — whatever follows the colon.
    after = verb.i + 1
    while after < len(doc) and doc[after].head.i == verb.i and doc[after].dep_ in {"dobj", "dative", "prep", "npadvmod", "advmod"}:
        after = doc[after].right_edge.i + 1
    if after < len(doc) and doc[after].text == ":":
        rest = [t for t in doc[after + 1 :] if t.sent == verb.sent or region_at(para.quotes, t.idx)]
        if rest:
            return rest, "quote" if rest[0].text in _QUOTE_CHARS else "clause"
    # "X said (that) ...", "... , X said": a clausal complement; a "that"-clause first.
    clauses = [c for c in verb.children if c.dep_ in _CLAUSES and cue.takes_clause]
    # A complement that is itself someone else's attribution ("..., something X has denied") is not this one's.
    clauses = [c for c in clauses if not (cue_for(c.lemma_) and _antecedent(c) is not None)] or clauses
    if clauses:
        right = [c for c in clauses if c.i > verb.i]
        clause = next((c for c in clauses if any(g.dep_ == "mark" for g in c.children)), (right or clauses)[0])
        return _subtree(clause, _nested_denials(clause) | _trailing_asides(clause)), "clause"
    # "something Moscow has denied", "..., which Pyongyang rejected": the clause the antecedent stands for.
    antecedent = _antecedent(verb) if cue.sort == "speech" else None
    if antecedent is not None:
        return _clause_before(antecedent, verb), "clause"
    # "The key question, he added, is ...": the cue sits inside the clause it attributes.
    if verb.dep_ in {"parataxis", "ccomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"} and _parenthetical(verb):
        own = {t.i for t in verb.subtree}
        return [t for t in _subtree(verb.head) if t.i not in own], "clause"
    for child in verb.children:
        if child.dep_ == "dobj" or child.dep_ in {"xcomp", "oprd"} and child.pos_ in {"NOUN", "PROPN"} and cue.takes_object:
            # "rejected claims that ...": the statement the noun names.
            if child.lemma_.lower() in STATEMENT_NOUNS or child.lower_ in STATEMENT_NOUNS:
                for grandchild in child.children:
                    if grandchild.dep_ in {"acl", "ccomp"} and any(g.dep_ == "mark" for g in grandchild.children):
                        return _subtree(grandchild), "clause"
            if cue.takes_object or region_at(para.quotes, child.idx) is not None:
                tokens = _subtree(child)
                # "called him a liar", "criticized X for Y", "described X as Y": complements go with the object.
                for sibling in verb.children:
                    if sibling.i > child.i and (
                        sibling.dep_ in {"oprd", "xcomp", "ccomp"} or sibling.dep_ == "prep" and sibling.lower_ in _OBJECT_PREPS
                    ):
                        tokens += _subtree(sibling)
                return _cut_nonrestrictive(sorted(tokens, key=lambda t: t.i)), "object"
            if cue.lemma in _CLAUSE_ONLY and child.pos_ != "PRON":
                # "said many of the examples ... failed": a clause the parser took for an object.
                tokens = [t for t in doc[child.left_edge.i : verb.sent.end] if t.i > verb.i]
                return tokens, "clause"
    # Clauses the parser hung elsewhere: "said during a news conference that ..." (a relative clause of
    # "conference"), "said legalizing it could ..." (a gerund taken for the verb's complement).
    if cue.sort == "speech" and not cue.takes_object:
        for token in verb.subtree:
            if token.i > verb.i and token.dep_ == "mark" and token.lower_ == "that" and token.head.dep_ in {"relcl", "acl"}:
                return _subtree(token.head), "clause"
        for child in verb.children:
            if child.dep_ == "xcomp" and child.tag_ == "VBG" and child.i > verb.i:
                return _subtree(child), "clause"
    # "urged X to ...", "promised to ...", "declined to ...".
    if cue.sort in {"speech", "attitude"} and cue.takes_infinitive:
        for child in verb.children:
            if child.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                return _addressee(verb, child) + _subtree(child), "infinitive"
    return [], "clause"


def _addressee(verb: Token, infinitive: Token) -> list[Token]:
    """Who is urged or called on, between the cue and its infinitive: "urged [Republicans] to join",
    "called on [Trump] to stop" (the preposition stays with the cue)."""
    tokens: list[Token] = []
    for child in verb.children:
        if not verb.i < child.i < infinitive.i:
            continue
        if child.dep_ == "dobj":
            tokens += _subtree(child)
        elif child.dep_ == "prep" and child.lower_ in {"on", "upon", "for"}:
            tokens += [t for p in child.children if p.dep_ == "pobj" for t in _subtree(p)]
    return tokens


def _ends_with_colon(verb: Token) -> bool:
    """ "Cruz continued:" closing its paragraph."""
    rest = [t for t in verb.doc[verb.i + 1 :] if not t.is_space]
    return bool(rest) and rest[-1].text == ":" and all(verb in t.ancestors for t in rest[:-1])


def _introducing(para: _Paragraph, verb: Token, subject: Token | None, source_head: Token | None, cue: Cue) -> Attribution:
    """A cue that closes its paragraph with a colon attributes the whole next paragraph."""
    span, next_doc = para.following
    text = doc_text(next_doc)
    regions = quote_regions(text)
    quoted = bool(regions) and regions[0][0] == 0 and regions[-1][1] >= len(text.rstrip(". "))
    kind, quote = ("quote", "direct") if quoted else ("clause", "indirect")
    return _attribution(para, verb, cue, _cue_tokens(verb, subject), source_head, [span], kind, quote)


def _prepositional(verb: Token, cue: Cue) -> tuple[Token | None, list[Token]]:
    """ "talked about X", "called for Y": the preposition joins the cue, its object is the content."""
    for child in verb.children:
        if child.dep_ in {"prep", "prt"} and child.lower_ in cue.preps and child.i > verb.i:
            objects = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
            if objects:
                return child, _cut_nonrestrictive(_subtree(objects[0]))
        # "called for all candidates to lay out ...", parsed with "for" as a clause's marker.
        if child.dep_ in {"advcl", "ccomp"} and child.i > verb.i:
            mark = next((g for g in child.children if g.dep_ == "mark" and g.lower_ in cue.preps), None)
            if mark is not None and mark.i == verb.i + 1:
                return mark, [t for t in _subtree(child) if t.i != mark.i]
    return None, []


def _quote_before(para: _Paragraph, verb: Token, subject: Token | None) -> tuple[list[Token], ContentKind]:
    """ "“...,” he said" / "“...,” said X": a quotation closing with a comma right before the speaker and cue."""
    doc = verb.doc
    first = verb.i if subject is None or subject.i > verb.i else min(verb.i, subject.left_edge.i)
    between = doc[subject.right_edge.i + 1 : verb.i] if first < verb.i else []
    if any(t.head.i != verb.i or t.dep_ not in {"aux", "advmod", "neg"} for t in between):
        return [], "quote"  # the subject is some other verb's ("he said, adding ...")
    start = doc[first].idx
    for q_start, q_end in para.quotes:
        if q_end <= start and not para.text[q_end:start].strip() and para.text[q_start:q_end].rstrip("\"”'’ ").endswith(","):
            return para.tokens_in(q_start, q_end), "quote"
    return [], "quote"


def _following_speaker(verb: Token) -> Token | None:
    """The noun right after an inverted cue ("..., said David Brock"), whatever the parser made of it."""
    doc = verb.doc
    position = verb.i + 1
    while position < len(doc) and doc[position].dep_ in {"compound", "det", "amod", "poss", "case", "punct"} and doc[position].text != ",":
        position += 1
    if position >= len(doc) or doc[position].pos_ not in {"PROPN", "NOUN"} or position - verb.i > 6:
        return None
    if doc[position].ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL"} or verb.i == 0 or doc[verb.i - 1].text not in _QUOTE_CHARS | {","}:
        return None
    return doc[position]


def _antecedent(verb: Token) -> Token | None:
    """The "something" / "which" that a cue's object is, standing for the clause before it."""
    if verb.dep_ == "relcl" and verb.head.lower_ in _RELATIVE_ANTECEDENTS:
        return verb.head
    for child in verb.children:
        if child.lower_ in {"something", "which", "what"} and child.dep_ in {"dobj", "nsubj"} and child.i < verb.i:
            return child
    return None


def _clause_before(antecedent: Token, verb: Token) -> list[Token]:
    """The clause that ends just before ``antecedent`` (past a comma or dash)."""
    doc = antecedent.doc
    position = antecedent.left_edge.i - 1
    while position >= 0 and doc[position].is_punct:
        position -= 1
    if position < 0:
        return []
    clause = doc[position]
    while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
        clause = clause.head
    own = {t.i for t in antecedent.subtree} | {t.i for t in verb.subtree}
    return [t for t in _subtree(clause) if t.i not in own and t.i < antecedent.i]


def _adjacent_quote(para: _Paragraph, verb: Token, subject: Token | None) -> list[Token]:
    """A quotation the parse did not attach: right before the speaker and cue ("“...,” Backer says."),
    or right after the cue ("Priebus said, “Probably.”")."""
    doc = verb.doc
    first = min(verb.i, subject.left_edge.i if subject is not None else verb.i)
    start = doc[first].idx
    end = verb.idx + len(verb)
    for q_start, q_end in para.quotes:
        before = q_end <= start and not para.text[q_end:start].strip(" ,;:—–-")
        after = q_start >= end and not para.text[end:q_start].strip(" ,;:—–-")
        if before or after:
            return para.tokens_in(q_start, q_end)
    return []


def _cut_nonrestrictive(tokens: list[Token]) -> list[Token]:
    """Stop before ", which ..." / ", who ...": a comment on the content, not part of it."""
    for k in range(len(tokens) - 1):
        if tokens[k].text == "," and tokens[k + 1].lower_ in {"which", "who"}:
            return tokens[:k]
    return tokens


def _parenthetical(verb: Token) -> bool:
    """A cue set off inside or after the clause it attributes: ", he said," / ", said X." / "as X reported,"."""
    if not any(c.dep_ in _SUBJECTS for c in verb.children):
        return False
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return not any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children)
    if any(c.dep_ in {"mark", "dobj", "xcomp"} or c.dep_ == "prep" and c.i > verb.i + 3 for c in verb.children):
        return False
    words = [t for t in verb.subtree if not t.is_punct]
    left = words[0].i
    before = verb.doc[left - 1] if left > 0 else None
    return before is not None and (before.text in {",", "—", "–", "-", "--"} or before.text in _QUOTE_CHARS)


def _according_to(para: _Paragraph, according: Token) -> Attribution | None:
    to = next(c for c in according.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    clause = according.head
    while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
        clause = clause.head
    if clause.i == according.i:
        return None
    own = {t.i for t in according.subtree}
    content = _trim([t for t in _subtree(clause, _nested_denials(clause)) if t.i not in own])
    if not content:
        return None
    content = _with_quotes(para, content, own)
    quote = _quote_type(para, content)
    source_tokens = _trim(_subtree(source))
    if not source_tokens:
        return None
    sentence = according.sent
    return Attribution(
        paragraph=para.index,
        sentence=para.span([sentence[0], sentence[-1]]),
        cue=[para.span([according, to])],
        cue_lemma=ACCORDING_TO.lemma,
        source=para.span(source_tokens),
        speakers=[para.span(_core(s)) for s in _conjuncts(source)],
        content=para.fragments(content),
        content_kind="quote" if quote == "direct" else "clause",
        quote=quote,
        sort=ACCORDING_TO.sort,
    )


def _continue_quotes(para: _Paragraph, found: list[Attribution]) -> None:
    """Quotations in a paragraph that no cue claims: the rest of the last speaker's quotation in this
    paragraph, or a whole quotation paragraph that goes on with the previous speaker."""
    doc = para.doc
    covered = [(s - para.base, e - para.base) for a in found for s, e in a.content]
    cues = [(s - para.base, e - para.base) for a in found for s, e in a.cue]
    for start, end in para.quotes:
        if any(s <= start < e or start <= s < end for s, e in covered + cues):
            continue
        tokens = para.tokens_in(start, end)
        if not tokens or len([t for t in tokens if not t.is_punct]) < 3:
            continue
        # "“A,” he told the host, “B.”": the quotation right before the speaker and cue of a quotation.
        after = [a for a in found if a.content_kind == "quote" and a.content[0][0] - para.base > end]
        if after:
            following = after[0]
            lead = min([following.cue[0][0]] + ([following.source[0]] if following.source else [])) - para.base
            if 0 <= lead - end and not para.text[end:lead].strip(" ,;:—–-"):
                following.content.insert(0, para.span(tokens))
                covered.append((start, end))
                continue
        before = [a for a in found if a.content and a.content[-1][1] - para.base <= start]
        quoting = [a for a in before if a.quote != "indirect"]
        if before:
            previous = quoting[-1] if quoting else before[-1]
            # Another speaker in between ends the quotation; a cue inside the same sentence ("..., he said,
            # adding that ...") does not.
            others = [
                (s - para.base, e - para.base)
                for a in found
                if a is not previous and a.sentence != previous.sentence
                for s, e in a.cue
            ]
            if previous.quote != "indirect" and not any(s >= previous.content[-1][1] - para.base and e <= start for s, e in others):
                previous.content.append(para.span(tokens))
                if previous.quote == "direct" or previous.content_kind == "quote":
                    previous.content_kind = "quote"
            continue
        if start <= _first_word(doc) and not found:
            found.append(
                Attribution(
                    paragraph=para.index,
                    sentence=para.span([tokens[0], tokens[-1]]),
                    cue=[],
                    cue_lemma=None,
                    source=None,
                    speakers=[],
                    content=[para.span(tokens)],
                    content_kind="quote",
                    quote="direct",
                    sort=None,
                    continues=True,
                )
            )


def _first_word(doc: Doc) -> int:
    for token in doc:
        if not token.is_space:
            return token.idx
    return 0


def _plain(para: _Paragraph, kind: ContentKind, cue: Span, source: Span, content: list[Span], sort: CueSort = "speech") -> Attribution:
    """An attribution found from the layout of the text rather than from its parse."""
    text = para.text
    quoted = all(region_at(para.quotes, s - para.base) is not None for s, _ in content if s >= para.base)
    return Attribution(
        paragraph=para.index,
        sentence=(para.base, para.base + len(text)),
        cue=[cue],
        cue_lemma=text[cue[0] - para.base : cue[1] - para.base] if cue[0] >= para.base else None,
        source=source,
        speakers=[source],
        content=content,
        content_kind=kind,
        quote="direct" if quoted and kind == "quote" else "indirect",
        sort=sort,
    )


def _signature(para: _Paragraph, previous: Doc | None, previous_base: int) -> Attribution | None:
    """A quotation signed with a dash and the speaker's name, in its paragraph or the one above."""
    text, base = para.text, para.base
    line = _SIGNATURE_LINE.match(text)
    if line and previous is not None:
        previous_text = doc_text(previous)
        regions = quote_regions(previous_text)
        if regions and regions[0][0] == 0 and regions[-1][1] >= len(previous_text.rstrip(". ")):
            content = (previous_base, previous_base + len(previous_text.rstrip()))
            return _signed(para, line, content)
    match = _SIGNED.match(text)
    if match is None:
        return None
    body_end = match.end("content")
    region = next((r for r in para.quotes if r[1] == body_end), None)
    if region is not None:
        content = (base + region[0], base + region[1])
    elif "(@" in match.group("source"):
        content = (base, base + body_end)
    else:
        return None
    return _signed(para, match, content)


def _signed(para: _Paragraph, match: re.Match, content: Span) -> Attribution:
    base = para.base
    cue = (base + match.start("cue"), base + match.end("cue"))
    name = match.group("source")
    # "― Carla Sanchez." ends the sentence; "― Martin Luther King Jr." keeps its abbreviation.
    last_word = name.split()[-1]
    if name.endswith(".") and len(last_word) > 3 and last_word not in _NAME_ABBREVIATIONS:
        name = name[:-1]
    source = (base + match.start("source"), base + match.start("source") + len(name))
    attribution = _plain(para, "quote", cue, source, [content])
    attribution.cue_lemma = "sign"
    attribution.quote = "direct"
    return attribution


def _speaker_label(para: _Paragraph, match: re.Match) -> bool:
    """Whether the words before the colon name a speaker: a named entity, a transcript's capitals
    ("PENCE:", "JAKE TAPPER:") or a headline's short subject ("Poll: ..."); not a section label
    ("UPDATE:", "WATCH:"), the Q and A of an interview (PolNeAR marks few) or a place: a dateline
    ("NEW DELHI: ...", "New Delhi: ...")."""
    name = match.group("source")
    if name.upper() in _NOT_SPEAKERS:
        return False
    ents = [e for e in para.doc.ents if e.start_char == match.start("source")]
    if any(e.label_ in {"GPE", "LOC"} for e in ents):
        return False
    if name.isupper():
        return len(name) > 2
    if any(e.label_ in {"PERSON", "ORG", "NORP"} for e in ents):
        return True
    return para.index == 0 and len(name.split()) <= 4 and len(para.doc) <= _HEADLINE_TOKENS


def _label(para: _Paragraph) -> Attribution | None:
    """ "PENCE: Well, look, ..." — a name labelling what it says."""
    text, base = para.text, para.base
    match = _LABEL.match(text)
    if match is None:
        return None
    if not _speaker_label(para, match):
        return None
    content_end = len(text.rstrip())
    if text[content_end - 1] == "." and region_at(para.quotes, content_end - 1) is None:
        content_end -= 1
    cue = (base + match.end("source"), base + match.end("source") + 1)
    source = (base + match.start("source"), base + match.end("source"))
    attribution = _plain(para, "quote", cue, source, [(base + match.start("content"), base + content_end)])
    attribution.cue_lemma = "label"
    return attribution
