"""Who a speaker really is: pronouns, surnames, roles and capitals resolved to entities, and the
speaker's kind (person, government, organization, media, expert, anonymous, publisher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newstrace.claims.countries import country_table
from newstrace.claims.cues import ANONYMOUS_NOUNS, STATEMENT_NOUNS
from newstrace.claims.entities import BUSINESS_NOUNS, EntityIndex, is_government, is_media, plausible_role, role_of, role_phrase
from newstrace.claims.names import sex_from_first_name
from newstrace.claims.nlp import doc_text
from newstrace.claims.quotes import quote_regions, region_at
from newstrace.model import Entity, Span, SpeakerKind

_PERSONAL = {"he", "she", "him", "her"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
# Evidence of a person's gender: in the text itself, a courtesy title before a mention, a gendered
# role noun or a pronoun already resolved to them; else a first name that nearly always goes with
# one sex (names.py).
_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s*$")
_TITLE_GENDER = {"Mr": "m", "Mrs": "f", "Ms": "f", "Miss": "f"}
_ROLE_GENDER = {
    "spokeswoman": "f", "spokesman": "m", "congresswoman": "f", "congressman": "m", "businesswoman": "f",
    "businessman": "m", "chairwoman": "f", "councilwoman": "f", "councilman": "m", "actress": "f",
    "mother": "f", "father": "m", "wife": "f", "husband": "m", "daughter": "f", "son": "m",
    "sister": "f", "brother": "m", "queen": "f", "king": "m", "princess": "f", "prince": "m",
}
_PLURAL = {"they", "them"}
# A role that names a person by whom they are to someone ("wife of President Barack Obama", "his
# younger brother", "a friend of the defence minister") says nothing of whom they speak for: the
# office in it is the other person's.
_RELATIONAL_NOUNS = frozenset(
    "wife husband widow widower son daughter mother father brother sister sibling cousin nephew niece uncle aunt "
    "grandson granddaughter grandfather grandmother stepson stepdaughter stepfather stepmother brother-in-law "
    "sister-in-law son-in-law daughter-in-law father-in-law mother-in-law fiancé fiancée fiance fiancee girlfriend "
    "boyfriend friend rival opponent neighbour neighbor relative".split()
)
# Where the words naming who a role's holder is end and those naming whom they are it to begin.
_ROLE_OBJECT = re.compile(r"\s*,|\s+(?:of|to|for|at|in|with|from|then)\b", re.I)
# Bodies outside politics and the state, whose leaders and members speak for an organisation.
_CIVIL_BODY = re.compile(r"\b(?:unions?|associations?|federations?|coalitions?|societ(?:y|ies)|guilds?)\b", re.I)
_RELATIVE = {"who", "which", "that", "whom"}
_EXPERT = re.compile(
    r"\b(?:experts?|analysts?|professors?|researchers?|scholars?|economists?|scientists?|academics?|"
    r"fellows?|lecturers?|specialists?|observers?|think[- ]tank|institute|university|consultants?|"
    r"strategists?|historians?|pollsters?)\b",
    re.I,
)
_GOVERNMENT_ROLE = re.compile(
    r"\b(?:minister|president|prime minister|premier|secretary|spokes(?:man|woman|person)|ambassador|"
    r"senator|governor|lawmakers?|mayor|chancellor|king|queen|general|commander|admiral|diplomats?|"
    r"envoy|official|officer|representative|congress(?:man|woman)|legislators?|mp|chief of staff|"
    r"military|army|police|government|ministry|administration|authorities|leader|prosecutors?|attorney general|"
    r"(?:district|state|u\.s\.|us) attorney|"
    # Public emergency services: "the fire service said".
    r"fire (?:service|brigade)s?|coast ?guard|civil protection|(?:emergency|rescue|ambulance) services?)\b",
    re.I,
)
_BUSINESS_ROLE = re.compile(
    r"\b(?:ceo|chief executive|chief (?:financial|operating|technology) officer|cfo|coo|cto|chairman|chairwoman|"
    r"chairperson|founder|co-founder|managing director|executive vice president|board member)\b",
    re.I,
)
_ORGANIZATION = re.compile(
    r"\b(?:company|companies|firm|firms|corporation|party|parties|campaign|unions?|group|committee|agency|"
    r"operator|organi[sz]ation|association|coalition|bank|council|board|court|commission)\b",
    re.I,
)
# Texts that "say" things: their speaker is whoever issued them, not a person named "statement".
_DOCUMENT_NOUNS = STATEMENT_NOUNS | {
    "letter", "filing", "document", "study", "survey", "poll", "memo", "complaint", "lawsuit", "indictment", "ruling", "release",
    # Evidence "shows" things: a recording or a count is no person ("video shows", "one estimate").
    "video", "footage", "image", "photo", "photograph", "recording", "evidence", "data", "estimate", "analysis", "research",
    "record", "tally", "count", "map", "chart", "figure", "model", "review", "audit", "investigation", "transcript",
    "case", "example",
}
# Words a title before a name does not end with ("Clinton and Trump", "a friend of Smith").
_NOT_TITLE_ENDS = {"and", "or", "of", "for", "by", "with", "to", "both", "but"}
# How far back (in paragraphs) a "he" or "they" still refers to the last speaker.
_RECENT_PARAGRAPHS = 3


@dataclass(slots=True)
class Speaker:
    text: str | None
    span: Span | None
    resolved: str | None
    kind: SpeakerKind
    role: str | None
    entity: Entity | None = None


class SpeakerResolver:
    """Resolves speakers in text order, remembering the last one for pronouns and quotation paragraphs."""

    def __init__(
        self,
        text: str,
        index: EntityIndex,
        docs: list[Doc],
        paragraph_spans: list[Span],
        site_name: str | None,
        bylines: list[str] | None = None,
    ):
        self.text, self.index, self.docs, self.paragraph_spans = text, index, docs, paragraph_spans
        self.site_name = (site_name or "").lower()
        # "I" outside quotation marks is the writer: the byline, when there is exactly one.
        self.author = bylines[0] if bylines and len(bylines) == 1 else None
        self.last: tuple[int, Speaker] | None = None
        # (paragraph, head noun, speaker) of each speaker resolved to more than a bare noun, for
        # "the union said" after "the GDL union said".
        self.described: list[tuple[int, str, Speaker]] = []
        # Person name → "m" or "f", from the pronouns resolved to them so far.
        self.genders: dict[str, str] = {}

    def continuing(self, paragraph: int) -> Speaker | None:
        """The speaker a quotation paragraph with no cue of its own continues, if one spoke just before."""
        if self.last is None or paragraph - self.last[0] > 1 or self.last[1].resolved is None:
            return None
        previous = self.last[1]
        return Speaker(previous.text, None, previous.resolved, previous.kind, previous.role, previous.entity)

    def spoke_until(self, paragraph: int) -> None:
        """The last speaker's words ran to ``paragraph`` ("Cruz continued:" and the quotation below it)."""
        if self.last is not None:
            self.last = (max(self.last[0], paragraph), self.last[1])

    def anonymous(self) -> Speaker:
        return Speaker(None, None, None, "anonymous", None)

    def resolve(self, paragraph: int, span: Span, head: Token, source: Span | None) -> Speaker:
        """Resolve the speaker written at ``span`` (head token ``head``), within the source phrase ``source``."""
        written = self.text[span[0] : span[1]]
        speaker = self._resolve(paragraph, span, head, source, written)
        self.last = (paragraph, speaker)
        if head.pos_ == "NOUN" and speaker.resolved and len(speaker.resolved.split()) > 1:
            self.described.append((paragraph, head.lemma_.lower(), speaker))
        return speaker

    # --- internals ---

    def _resolve(self, paragraph: int, span: Span, head: Token, source: Span | None, written: str) -> Speaker:
        lower = head.lower_
        if head.pos_ == "PRON" and lower in _RELATIVE and head.head.dep_ == "relcl":
            antecedent = head.head.head
            base = self.paragraph_spans[paragraph][0]
            ant_span = (base + antecedent.left_edge.idx, base + antecedent.idx + len(antecedent))
            found = self._resolve(paragraph, ant_span, antecedent, None, self.text[ant_span[0] : ant_span[1]])
            return Speaker(written, span, found.resolved, found.kind, found.role, found.entity)
        if head.pos_ == "PRON":
            entity = self._pronoun(paragraph, span, lower)
            if entity is not None:
                self.index.add_alias(entity, span, written)
                return self._from_entity(written, span, entity, head)
            if lower == "i" and self.author and not self._quoted(paragraph, head):
                return Speaker(written, span, self.author, "person", "author")
            return Speaker(written, span, written, "person" if lower in _PERSONAL else "anonymous", None)
        entity = self._named(span, head)
        if entity is None:
            within = self._person_within(span, head)
            if within is not None:
                title = self._title_before(span, within, head)
                if title and (within.role is None or within.role in title):
                    within.role = title  # "president" read from the title alone was part of it
                return self._from_entity(written, span, within, head)
        if entity is None and source is not None:
            entity = self._apposed(head)
        if entity is None:
            entity = self._by_role(head)
            if entity is not None:
                self.index.add_alias(entity, span, written)
        if entity is None:
            entity = self._business(paragraph, span, head)
            if entity is not None:
                self.index.add_alias(entity, span, written)
        if entity is None and head.pos_ == "PROPN":
            # A capital or country the tagger did not mark as a place ("Ottawa said ...").
            found = country_table().lookup(written)
            if found is not None and found[1] in {"name", "capital"}:
                entity = self.index.country_entity(found[0], span, written)
        if entity is None and _definite_singular(head):
            entity = self._named_for(paragraph, span, written)
            if entity is not None:
                self.index.add_alias(entity, span, written)
            else:
                earlier = self._described_before(paragraph, head, written)
                if earlier is not None:
                    return Speaker(written, span, earlier.resolved, earlier.kind, earlier.role, earlier.entity)
        if entity is not None:
            return self._from_entity(written, span, entity, head)
        return self._unnamed(written, span, head)

    def _named(self, span: Span, head: Token) -> Entity | None:
        """The entity whose mention is the speaker's head word."""
        base = self._base_of(head)
        head_span = (base + head.idx, base + head.idx + len(head))
        return self.index.at(head_span) if _overlaps(head_span, span) else None

    def _person_within(self, span: Span, head: Token) -> Entity | None:
        """The one person named inside a speaker phrase whose head word is not the name, set beside
        it ("chairman, CEO and president Craig Menear", which the parser heads with "chairman"), not
        someone the speaker belongs to ("Michael Cohen's lawyer", "a lawyer for Michael Cohen")."""
        inside = {
            m.entity
            for m in self.index.mentions
            if span[0] <= m.span[0] and m.span[1] <= span[1] and self.docs[m.paragraph] is head.doc and _beside(head.doc[m.token], head)
        }
        people = [self.index.entities[n] for n in inside if self.index.entities[n].kind == "person"]
        return people[0] if len(people) == 1 else None

    def _title_before(self, span: Span, entity: Entity, head: Token) -> str | None:
        """The words the speaker phrase puts before the person's name, where the parse gave no
        title: "Secretary of State Mike Pompeo" → "Secretary of State" (with a noun: not "only")."""
        name = next((m for m in entity.mentions if span[0] < m[0] and m[1] <= span[1]), None)
        if name is None:
            return None
        title = re.sub(r"^(?:the|a|an)\s+", "", self.text[span[0] : name[0]].strip(" ,"), flags=re.I)
        words = title.split()
        if not 0 < len(words) <= 6 or words[-1].lower() in _NOT_TITLE_ENDS or any(mark in title for mark in ".;:\"“”"):
            return None
        base = self._base_of(head)
        tokens = head.doc.char_span(span[0] - base, name[0] - base, alignment_mode="expand")
        if tokens is None or not any(t.pos_ in {"NOUN", "PROPN"} for t in tokens):
            return None
        return plausible_role(title)

    def _apposed(self, head: Token) -> Entity | None:
        """ "Seoul's defence minister, Kim Yong-hyun": the name set beside a role."""
        for child in head.children:
            if child.dep_ == "appos":
                base = self._base_of(child)
                entity = self.index.at((base + child.idx, base + child.idx + len(child)))
                if entity is not None and entity.kind in {"person", "organization", "government"}:
                    return entity
        return None

    def _by_role(self, head: Token) -> Entity | None:
        """ "Seoul's defence minister" names whoever the article gives that role."""
        if head.pos_ not in {"NOUN", "PROPN"}:
            return None
        phrase = role_phrase(head).lower()
        word = head.lemma_.lower()
        same = [e for e in self.index.entities if e.kind == "person" and e.role and e.role.lower() == phrase]
        if len(same) == 1:
            return same[0]
        if head.tag_ in {"NNS", "NNPS"}:
            return None
        definite = any(c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an"} for c in head.children)
        heads = [e for e in self.index.entities if e.kind == "person" and e.role and e.role.lower().split()[-1:] == [word]]
        return heads[0] if definite and len(heads) == 1 else None

    def _quoted(self, paragraph: int, token: Token) -> bool:
        """Whether the token stands inside a quotation of its paragraph."""
        return region_at(quote_regions(doc_text(self.docs[paragraph])), token.idx) is not None

    def _business(self, paragraph: int, span: Span, head: Token) -> Entity | None:
        """ "the company rejects ...": a definite business noun stands for the organisation (not
        news media) named last, within the last few paragraphs."""
        if head.lemma_.lower() not in BUSINESS_NOUNS or not _definite_singular(head):
            return None
        for mention in reversed(self.index.mentions):
            entity = self.index.entities[mention.entity]
            if mention.span[1] > span[0]:
                continue
            if paragraph - mention.paragraph > _RECENT_PARAGRAPHS:
                return None
            if is_media(entity.name):
                continue
            # "The operator, Nordline" is an organisation already (entities._roles).
            if entity.kind == "organization":
                return entity
        return None

    def _named_for(self, paragraph: int, span: Span, written: str) -> Entity | None:
        """ "the party said": the organisation named last, within the last few paragraphs, whose
        name has every word of the phrase in it ("Institutional Revolutionary Party")."""
        for mention in reversed(self.index.mentions):
            if mention.span[1] > span[0]:
                continue
            if paragraph - mention.paragraph > _RECENT_PARAGRAPHS:
                return None
            entity = self.index.entities[mention.entity]
            if entity.kind in {"organization", "government"} and _shortens(written, entity.name):
                return entity
        return None

    def _described_before(self, paragraph: int, head: Token, written: str) -> Speaker | None:
        """ "the union said": the speaker resolved last, within the last few paragraphs, whose own
        phrase had the same head noun and every word of this one, with more ("the GDL union")."""
        noun = head.lemma_.lower()
        for said_in, said_noun, speaker in reversed(self.described):
            if paragraph - said_in > _RECENT_PARAGRAPHS:
                return None
            if said_noun == noun and _shortens(written, speaker.resolved or ""):
                return speaker
        return None

    def _pronoun(self, paragraph: int, span: Span, lower: str) -> Entity | None:
        recent = self.last if self.last is not None and paragraph - self.last[0] <= _RECENT_PARAGRAPHS else None
        last_entity = recent[1].entity if recent is not None else None
        if lower in _PERSONAL:
            # The last speaker, else the last person named, passing over anyone the text shows
            # to be of the other gender ("Ms. Tamm said ... he added" is not Ms. Tamm).
            wanted = _PRONOUN_GENDER[lower]
            if last_entity is not None and last_entity.kind == "person" and self._gender(last_entity) in {None, wanted}:
                found = last_entity
            else:
                found = self._latest(span[0], {"person"}, lambda e: self._gender(e) in {None, wanted})
            if found is not None:
                self.genders.setdefault(found.name, wanted)
            return found
        if lower in _PLURAL or lower == "it":
            if last_entity is not None and last_entity.kind != "person":
                return last_entity
            return self._latest(span[0], {"organization", "government"}) if lower == "it" else None
        return None

    def _latest(self, before: int, kinds: set[str], accept=lambda entity: True) -> Entity | None:
        for mention in reversed(self.index.mentions):
            entity = self.index.entities[mention.entity]
            if mention.span[1] <= before and entity.kind in kinds and accept(entity):
                return entity
        return None

    def _gender(self, entity: Entity) -> str | None:
        """ "m", "f" or None (unknown), from the text's own evidence about this person."""
        if entity.name in self.genders:
            return self.genders[entity.name]
        for word in (entity.role or "").lower().split():
            if word in _ROLE_GENDER:
                return _ROLE_GENDER[word]
        for start, _ in entity.mentions:
            title = _TITLE_BEFORE.search(self.text, max(0, start - 6), start)
            if title:
                return _TITLE_GENDER[title.group(1)]
        return sex_from_first_name(entity.name)

    def _from_entity(self, written: str, span: Span, entity: Entity, head: Token) -> Speaker:
        role = entity.role or (role_of(head) if entity.kind == "person" else None)
        if role is None and entity.kind == "person":
            role = entity.role = self._title_before(span, entity, head)
        country = self.index.country_of(entity)
        if country is not None or entity.kind in {"place", "government"}:
            kind: SpeakerKind = "government"
        elif entity.kind == "person" and is_media(entity.name) and (written.lower().startswith("the ") or " " not in entity.name):
            kind = "media"  # "The Chronicle said", "Chronicle says": a newspaper the tagger took for a person
        elif entity.kind == "person":
            organizations = frozenset(e.name.lower() for e in self.index.entities if e.kind == "organization")
            kind = _kind_from_role(role, organizations) or "person"
        elif is_media(entity.name):
            kind = "media"
        else:
            kind = "organization"
        if self.site_name and entity.name.lower() == self.site_name:
            kind = "publisher"
        return Speaker(written, span, entity.name, kind, role, entity)

    def _unnamed(self, written: str, span: Span, head: Token) -> Speaker:
        """A speaker with no entity: "Experts", "Ukrainian media", "officials", "sources"."""
        phrase = role_phrase(head) if head.pos_ in {"NOUN", "PROPN"} else written
        resolved = re.sub(r"^(?:the|a|an)\s+", "", written, flags=re.I)
        if self.site_name and resolved.lower() == self.site_name:
            return Speaker(written, span, resolved, "publisher", None)
        kind: SpeakerKind
        if head.pos_ == "NOUN" and head.lemma_.lower() in _RELATIONAL_NOUNS:
            # "The president's wife", "friends of a newspaper's editor": the office or the body is another's.
            kind = "anonymous" if head.tag_ == "NNS" else "person"
        elif _EXPERT.search(phrase):
            kind = "expert"
        elif is_media(phrase):
            kind = "media"
        elif head.lemma_.lower() in ANONYMOUS_NOUNS or head.lower_ in ANONYMOUS_NOUNS:
            kind = "anonymous"
        elif is_government(phrase) or _GOVERNMENT_ROLE.search(phrase):
            kind = "government"
        elif head.pos_ == "NOUN" and head.lemma_.lower() in _DOCUMENT_NOUNS:
            kind = "anonymous"  # "the statement continued", "court records": a text whose author is not named here
        elif head.ent_type_ == "PERSON" or _lone_name(written, head):
            kind = "person"
        elif head.pos_ == "PROPN" or _ORGANIZATION.search(phrase):
            kind = "organization"
        else:
            kind = "anonymous" if head.tag_ == "NNS" else "person"
        role = plausible_role(phrase) if head.pos_ == "NOUN" and phrase.lower() != resolved.lower() else None
        return Speaker(written, span, resolved, kind, role)

    def _base_of(self, token: Token) -> int:
        for (start, _), doc in zip(self.paragraph_spans, self.docs):
            if doc is token.doc:
                return start
        return 0


# Roles that speak for a body, named after them ("a spokesman for the operator", "leader of the
# mine workers' union") or before them ("Union leader", "Nordbahn spokeswoman").
_SPEAKS_FOR = r"spokes(?:man|woman|person)|representative|leader"
_SPEAKS_FOR_AFTER = re.compile(rf"^(?:\w+\s+)?(?P<role>{_SPEAKS_FOR}|head)\s+(?:for|of)\s+(?P<for>.+)$", re.I)
_SPEAKS_FOR_BEFORE = re.compile(rf"^(?P<for>.+?)\s+(?P<role>{_SPEAKS_FOR})$", re.I)


def _beside(name: Token, head: Token) -> bool:
    """Whether ``name`` hangs from ``head`` through names, titles and lists alone (no "'s", "for")."""
    node = name
    while node.i != head.i:
        if node.dep_ not in {"compound", "conj", "appos", "flat"} or node.head.i == node.i:
            return False
        node = node.head
    return True


def _definite_singular(head: Token) -> bool:
    """ "the union", "this agency": one thing the reader is taken to know already."""
    return head.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in head.children)


def _shortens(written: str, name: str) -> bool:
    """Whether ``written`` ("the budget office") is ``name`` ("Congressional Budget Office") said
    shorter: every word of it but the article is one of the name's."""
    words = set(written.lower().split()) - {"the", "this"}
    return bool(words) and words <= set(name.lower().split())


def _lone_name(written: str, head: Token) -> bool:
    """One capitalised word that names no organisation the tagger knew: a surname far more often
    than a company ("Vogel said"), which the tagger marks as one ("Boeing said")."""
    return head.pos_ == "PROPN" and written == head.text and written.istitle() and head.ent_type_ not in {"ORG", "GPE", "NORP"}


def _kind_from_role(role: str | None, organizations: frozenset[str] = frozenset()) -> SpeakerKind | None:
    """The kind of speaker a person's role makes them; ``organizations``: the lowercased names of
    the article's organisations (a spokesperson's body named before the role must be one of them:
    "Nordbahn spokeswoman", not "Clinton spokesman")."""
    if not role or _relational(role):
        return None
    if _EXPERT.search(role):
        return "expert"
    # A company's chief speaks for it, even with "president" among their titles.
    if _BUSINESS_ROLE.search(role) and not is_government(role):
        return "organization"
    # "a spokesman for the operator", "Union leader" speak for a business or a union, not for a government.
    for match, names in ((_SPEAKS_FOR_AFTER.match(role), True), (_SPEAKS_FOR_BEFORE.match(role), False)):
        if match is None:
            continue
        body = match["for"]
        if match["role"].lower() in {"leader", "head"}:
            # A party's or a campaign's leader is a politician: only unions and businesses here.
            if _CIVIL_BODY.search(body) or BUSINESS_NOUNS & set(body.lower().split()):
                return "organization"
        elif body.lower() in organizations or _is_organization(body, names=names):
            return "organization"
    # A short role that is itself a body: "passenger association", "German rail operator".
    words = role.lower().split()
    if 0 < len(words) <= 3 and (_CIVIL_BODY.fullmatch(words[-1]) or words[-1] in BUSINESS_NOUNS):
        return "organization"
    if is_media(role) and not _GOVERNMENT_ROLE.search(role):
        return "media"
    if _GOVERNMENT_ROLE.search(role):
        return "government"
    return None


def _relational(role: str) -> bool:
    """Whether ``role`` names its holder by a relation to someone else ("brother of President John
    F. Kennedy", "his little brother then a student at an upstate military academy")."""
    holder = _ROLE_OBJECT.split(role, maxsplit=1)[0]
    return any(word in _RELATIONAL_NOUNS for word in holder.lower().split())


def _is_organization(body: str, names: bool) -> bool:
    """Whether a body a role speaks for is a business, union or other organisation (not a
    government, office, country or news outlet); with ``names``, any other capitalised name too
    ("a spokesperson for Instagram")."""
    if is_government(body):
        return False
    if _ORGANIZATION.search(body) or BUSINESS_NOUNS & set(body.lower().split()):
        return True
    named = names and all(word[:1].isupper() for word in body.split()) and not _GOVERNMENT_ROLE.search(body)
    return named and country_table().lookup(body) is None and not is_media(body)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
