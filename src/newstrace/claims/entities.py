"""Entities: spaCy's name mentions grouped into the things they name, with canonical names, kinds,
aliases and roles.

- Countries are found by name, capital and demonym through the country table (countries.py):
  "Seoul" as an actor ("Seoul said", "Seoul's defence minister") is South Korea; "Ukrainian" is Ukraine;
  "the North" is North Korea when the article names North Korea.
- A person's later short mentions ("Kim") join the full name mentioned closest before them, also
  where the small pipeline marked the surname as no name or as something else ("Lopez said").
- A name the pipeline calls an organisation is a person's when it is shaped like one: two or three
  capitalised words starting with a known first name and with no organisation word ("Diego
  Schwartzman", not "Walter Energy").
- Roles come from appositions ("Seoul's defence minister, Kim Yong-hyun" → South Korean defence minister;
  "Lim Eul-chul, a professor at ..." → professor at ...) and from titles before a name ("President").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from newstrace.claims.countries import Country, country_table
from newstrace.claims.names import sex_from_first_name
from newstrace.claims.nlp import doc_text
from newstrace.model import Entity, EntityKind, Span

_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# Prepositions that make a capital a location rather than its government.
_LOCATIVE = {"in", "to", "at", "from", "near", "into", "around", "across", "outside", "inside", "toward", "towards", "via", "through"}
_MEDIA_WORDS = re.compile(
    r"\b(?:news|times|post|journal|tribune|herald|gazette|telegraph|guardian|chronicle|press|news agency|television|tv|"
    r"radio|broadcasting|network|magazine|daily|(?<!social )media|wire|newspaper|outlets?|reuters|afp|bbc|cnn|yonhap|kcna|"
    r"tass|xinhua|ria|interfax|politico|bloomberg|associated press|reporter)\b",
    re.I,
)
# Outlets whose names carry no media word, matched with their capitals ("Deadline reported", not "the deadline").
_OUTLET_NAMES = re.compile(
    r"\b(?:NBC|CBS|ABC|MSNBC|CNBC|NPR|PBS|NHK|TMZ|Axios|Vox|Slate|Salon|Deadline|Variety|Rolling Stone|Billboard|"
    r"TheWrap|The Wrap|BuzzFeed|HuffPost|Breitbart|Al Jazeera|Der Spiegel|Spiegel|Le Monde|Le Figaro|El País|Haaretz|"
    r"Kyodo|Anadolu|ProPublica|The Hill|Newsmax|Mashable|TechCrunch|Engadget|The Verge|Gizmodo|Mediapart)\b"
)
_GOVERNMENT_WORDS = re.compile(
    r"\b(?:ministry|department|government|parliament|congress|senate|house|cabinet|kremlin|pentagon|"
    r"white house|army|navy|air force|military|police|council of ministers|assembly|administration|"
    r"embassy|presidency|foreign office|state department|joint chiefs)\b",
    re.I,
)


@dataclass(slots=True)
class Mention:
    span: Span
    text: str
    entity: int
    paragraph: int
    token: int  # index of the mention's head token in its paragraph's parse
    # A short name that more than one full name of the article shares ("Bush" after "Jeb Bush" and
    # "George W. Bush"): joined to the likelier one, but too uncertain to lend it a role.
    ambiguous: bool = False


@dataclass(slots=True)
class EntityIndex:
    """The article's entities and every mention of them, in text order."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    countries: dict[int, Country] = field(default_factory=dict)

    def at(self, span: Span) -> Entity | None:
        """The entity a mention overlapping ``span`` names (the longest such mention)."""
        best = None
        for mention in self.mentions:
            if mention.span[0] < span[1] and span[0] < mention.span[1]:
                if best is None or mention.span[1] - mention.span[0] > best.span[1] - best.span[0]:
                    best = mention
        return self.entities[best.entity] if best is not None else None

    def add_alias(self, entity: Entity, span: Span, text: str) -> None:
        """Record that ``text`` at ``span`` refers to ``entity`` (a pronoun or a role resolved to it)."""
        if span not in entity.mentions:
            entity.mentions.append(span)
            entity.mentions.sort()
        if text != entity.name and text not in entity.aliases:
            entity.aliases.append(text)

    def country_entity(self, country: Country, span: Span, text: str) -> Entity:
        """The entity of ``country`` (made if the article had none), with ``text`` at ``span`` as its mention."""
        entity = next((e for n, e in enumerate(self.entities) if self.countries.get(n) == country), None)
        if entity is None:
            self.countries[len(self.entities)] = country
            entity = Entity(name=country.name, kind="place")
            self.entities.append(entity)
        self.add_alias(entity, span, text)
        return entity

    def country_of(self, entity: Entity) -> Country | None:
        return self.countries.get(self.entities.index(entity)) if entity in self.entities else None


def find_entities(paragraph_spans: list[Span], docs: list[Doc]) -> EntityIndex:
    """Group the name mentions of an article's parsed paragraphs into entities."""
    index = EntityIndex()
    keys: dict[tuple[str, str], int] = {}
    table = country_table()
    pending_north_south: list[tuple[int, SpacySpan, str]] = []

    def entity_for(name: str, kind: EntityKind, country: Country | None = None) -> int:
        key = (name.lower(), "place" if kind == "place" else kind)
        if key not in keys:
            keys[key] = len(index.entities)
            index.entities.append(Entity(name=name, kind=kind))
            if country is not None:
                index.countries[keys[key]] = country
        return keys[key]

    def add(entity: int, span: Span, text: str, paragraph: int, token: int, ambiguous: bool = False) -> None:
        index.mentions.append(Mention(span, text, entity, paragraph, token, ambiguous))
        found = index.entities[entity]
        found.mentions.append(span)
        if text != found.name and text not in found.aliases:
            found.aliases.append(text)

    persons: list[tuple[int, Span, str, int, int]] = []
    full_names = [re.split(r"[\s-]", _clean(ent.text)) for doc in docs for ent in doc.ents if _personal(ent) and len(ent) > 1]
    # The words of full personal names: a lone "Marsh" the tagger calls an organisation is still her.
    surnames = {word for words in full_names for word in words[1:] if len(word) > 2}
    # Where the tagger marked no name, a lone first name is the person too ("Dale wrote", after "Dale Ford").
    name_words = surnames | {words[0] for words in full_names if len(words[0]) > 2}
    for p, (pspan, doc) in enumerate(zip(paragraph_spans, docs)):
        base = pspan[0]
        place_end, _ = find_dateline(doc_text(doc))
        for ent in doc.ents:
            if ent.label_ not in _LABELS:
                continue
            ent = _strip(ent)
            if ent is None:
                continue
            text = _clean(ent.text)
            span = (base + ent.start_char, base + ent.start_char + len(text))
            head = ent.root
            if _personal(ent) or len(text.split()) == 1 and (text in surnames or ent.label_ == "ORG" and text in name_words):
                persons.append((p, span, text, head.i, len(text.split())))
                continue
            if text in {"North", "South"}:
                pending_north_south.append((p, ent, text))
                continue
            found = table.lookup(text)
            if ent.label_ == "ORG" and found is not None and found[1] == "demonym":
                found = None
            if ent.label_ in {"GPE", "LOC", "NORP", "ORG"} and found is not None:
                country, how = found
                if how == "capital" and not _acts(head):
                    add(entity_for(text, "place"), span, text, p, head.i)
                else:
                    add(entity_for(country.name, "place", country), span, text, p, head.i)
                continue
            if ent.start_char < place_end:
                add(entity_for(text, "place"), span, text, p, head.i)  # "WINNIPEG, May 14 (Reuters) -"
                continue
            if ent.label_ == "ORG":
                prefix = _place_prefix(ent)
                if prefix is not None:
                    # "Seoul’s Institute for Far Eastern Studies": the place, then the organisation itself.
                    place_text = _clean(prefix.text)
                    place = table.lookup(place_text)
                    name = place[0].name if place and place[1] == "name" else place_text
                    add(entity_for(name, "place", place[0] if place and place[1] == "name" else None),
                        (base + prefix.start_char, base + prefix.start_char + len(place_text)), place_text, p, prefix.root.i)
                    rest = doc[prefix.end + 1 : ent.end] if doc[prefix.end].tag_ == "POS" else doc[prefix.end : ent.end]
                    if len(rest):
                        text = rest.text
                        span = (base + rest.start_char, base + rest.end_char)
                add(entity_for(text, _org_kind(text)), span, text, p, head.i)
                continue
            kind: EntityKind = "group" if ent.label_ == "NORP" else "place"
            add(entity_for(text, kind), span, text, p, head.i)

        persons.extend((p, (base + t.idx, base + t.idx + len(t)), t.text, t.i, 1) for t in _bare_names(doc, name_words))
    persons.sort(key=lambda item: item[1])
    _group_persons(index, persons, entity_for, add)
    _north_south(index, pending_north_south, paragraph_spans, entity_for, add)
    _join_acronyms(index)
    _unmarked_organizations(index, paragraph_spans, docs, add)
    _roles(index, paragraph_spans, docs)
    index.mentions.sort(key=lambda m: m.span)
    for entity in index.entities:
        entity.mentions.sort()
    return index


# Words that make a name an organisation's even when it starts with a first name ("Charles Schwab Corp").
_ORGANIZATION_NAME_WORDS = re.compile(
    r"\b(?:inc|corp|corporation|co|llc|ltd|plc|group|foundation|institute|university|college|school|fund|trust|"
    r"capital|partners|associates|holdings|bank|company|party|club|award|prize|act|center|centre|hospital|energy|power|"
    r"oil|gas|motors?|airlines?|systems|technologies|industries|entertainment|records|studios?|team|fc|united|city|county|"
    r"tech|clinic|garden|square|hall|stadium|arena|airport|station|park|street|avenue|house|museum|library|church|"
    r"cathedral|academy|agency|council|committee|association|society|network|pictures|brothers|bros|sons|labs?)\b",
    re.I,
)


def _personal(ent: SpacySpan) -> bool:
    """A person's name: tagged as one, or an organisation's label on what is shaped like a personal
    name, two or three capitalised words starting with a known first name ("Diego Schwartzman",
    which the small pipeline often calls an organisation)."""
    if ent.label_ == "PERSON":
        return True
    if ent.label_ != "ORG":
        return False
    text = _clean(ent.text)
    words = text.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w[1:2].islower() for w in words)
        and len(words[0]) > 2  # "Al Qaeda"
        and not any(t.tag_ == "NNPS" for t in ent)  # "Cleveland Cavaliers"
        and sex_from_first_name(text) is not None
        and country_table().lookup(words[0]) is None  # "Georgia Power", "Jordan Valley"
        and not (_ORGANIZATION_NAME_WORDS.search(text) or _GOVERNMENT_WORDS.search(text) or _MEDIA_WORDS.search(text))
    )


def _bare_names(doc: Doc, name_words: set[str]) -> list[Token]:
    """A word of a full name standing alone where the tagger marked no name, or marked something
    else ("Lopez said" after "Feliciano Lopez"; "Schwartzman" taken for a product): a proper noun
    of its own, not part of a longer name."""
    found = []
    for token in doc:
        if token.pos_ != "PROPN" or token.text not in name_words or token.ent_type_ in _LABELS or token.dep_ == "compound":
            continue
        neighbours = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
        if not any(n.pos_ == "PROPN" for n in neighbours):
            found.append(token)
    return found


# Where an unmarked name stands for its bearer (a subject, or set beside a role), not as a
# modifier of another word ("Latino voters").
_NAMING_DEPS = {"nsubj", "nsubjpass", "appos"}


def _unmarked_organizations(index: EntityIndex, paragraph_spans: list[Span], docs: list[Doc], add) -> None:
    """An organisation the tagger marked once is the same organisation where its name stands again
    unmarked ("Nordbahn said", after "German rail operator Nordbahn"): proper nouns, not part of a
    longer name, standing as a subject or beside a role."""
    names = {e.name: n for n, e in enumerate(index.entities) if e.kind == "organization" and e.name[:1].isupper()}
    if not names:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) + r")\b")
    for p, ((base, _), doc) in enumerate(zip(paragraph_spans, docs)):
        for match in pattern.finditer(doc_text(doc)):
            found = doc.char_span(match.start(), match.end())
            if found is None or found[0].pos_ != "PROPN" or any(t.ent_type_ in _LABELS for t in found):
                continue
            if found.root.dep_ not in _NAMING_DEPS:
                continue
            if any(0 <= i < len(doc) and doc[i].pos_ == "PROPN" for i in (found.start - 1, found.end)):
                continue
            add(names[match.group()], (base + match.start(), base + match.end()), match.group(), p, found.root.i)


def _strip(ent: SpacySpan) -> SpacySpan | None:
    """Drop a leading "the" and a trailing possessive from a mention."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return SpacySpan(doc, start, end, label=ent.label_)


def _clean(text: str) -> str:
    text = re.sub(r"[’']s?$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def _acts(token: Token) -> bool:
    """A capital that stands for its government ("Seoul said", "ties with Moscow") rather than a
    location ("in Seoul", "a visit to Pyongyang")."""
    node = token
    while node.dep_ in {"compound", "conj"} and node.head.i != node.i:
        node = node.head
    return not (node.dep_ == "pobj" and node.head.lower_ in _LOCATIVE)


def _place_prefix(ent: SpacySpan) -> SpacySpan | None:
    """The place that owns an organisation's name: "Seoul’s" in "Seoul’s Institute for ..."."""
    doc = ent.doc
    for i in range(ent.start, min(ent.end - 1, ent.start + 4)):
        if doc[i + 1].tag_ == "POS":
            prefix = doc[ent.start : i + 1]
            if country_table().lookup(prefix.text) is not None:
                return prefix
    return None


def _org_kind(name: str) -> EntityKind:
    # News outlets and agencies stay organisations as entities; as speakers they are media (is_media).
    return "government" if _GOVERNMENT_WORDS.search(name) else "organization"


# A wire dateline opening a paragraph: "WINNIPEG, May 14 (Reuters) -", "SEOUL, South Korea (AP) —",
# "WASHINGTON —": a place in capitals, then perhaps a date or region and an agency, then a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.-]+(?: [A-Z][A-Z.-]+)*)(?:, [A-Z][\w.]*(?: [\w.]+){0,3})?(?: \([^)]{1,40}\))? ?(?:--?|[—–―]) "
)


def find_dateline(paragraph: str) -> tuple[int, int]:
    """Where the place of a dateline opening ``paragraph`` ends, and where the whole dateline
    ends, its dash included ((0, 0): the paragraph opens with none)."""
    match = _DATELINE.match(paragraph)
    return (match.end("place"), match.end()) if match else (0, 0)


def is_media(name: str) -> bool:
    """Whether a name or phrase names news media ("AFP", "Ukrainian media", "The New York Times")."""
    return bool(_MEDIA_WORDS.search(name) or _OUTLET_NAMES.search(name))


def is_government(name: str) -> bool:
    return bool(_GOVERNMENT_WORDS.search(name))


def _group_persons(index: EntityIndex, persons, entity_for, add) -> None:
    """Full names become entities; a short mention joins the full name mentioned closest before it
    (else the first one after it): "Kim" after "Kim Yong-hyun" is him, not a later "Kim Jong Un"."""
    full = [(pos, item) for pos, item in enumerate(persons) if item[4] > 1]
    for pos, (p, span, text, head, words) in enumerate(persons):
        if words > 1:
            add(entity_for(text, "person"), span, text, p, head)
            continue
        candidates = [item for q, item in full if text in item[2].split() or text in re.split(r"[\s-]", item[2])]
        before = [item for item in candidates if item[1][0] < span[0]]
        after = [item for item in candidates if item[1][0] > span[0]]
        target = before[-1] if before else after[0] if after else None
        name = target[2] if target else text
        add(entity_for(name, "person"), span, text, p, head, len({item[2] for item in candidates}) > 1)


def _north_south(index: EntityIndex, pending, paragraph_spans, entity_for, add) -> None:
    """ "the North" / "the South" name the article's North X / South X."""
    names = {e.name for e in index.entities if e.kind == "place"}
    for p, ent, text in pending:
        country = next((n for n in sorted(names) if n.startswith(text + " ")), None)
        base = paragraph_spans[p][0]
        span = (base + ent.start_char, base + ent.end_char)
        if country is None:
            add(entity_for(text, "place"), span, text, p, ent.root.i)
            continue
        found = country_table().lookup(country)
        add(entity_for(country, "place", found[0] if found else None), span, f"the {text}", p, ent.root.i)


def _join_acronyms(index: EntityIndex) -> None:
    """ "UN" is "United Nations" when both appear: merge the acronym's mentions into the full name."""
    by_initials = {}
    for number, entity in enumerate(index.entities):
        words = [w for w in entity.name.split() if w[:1].isupper()]
        if len(words) > 1:
            by_initials.setdefault("".join(w[0] for w in words), number)
    for number, entity in enumerate(index.entities):
        key = entity.name.replace(".", "")
        target = by_initials.get(key)
        if key.isupper() and target is not None and target != number and entity.mentions:
            full = index.entities[target]
            for mention in index.mentions:
                if mention.entity == number:
                    mention.entity = target
            full.mentions.extend(entity.mentions)
            for alias in [entity.name, *entity.aliases]:
                if alias not in full.aliases:
                    full.aliases.append(alias)
            entity.mentions = []
    keep = [n for n, e in enumerate(index.entities) if e.mentions]
    renumber = {old: new for new, old in enumerate(keep)}
    index.countries = {renumber[n]: c for n, c in index.countries.items() if n in renumber}
    index.entities = [index.entities[n] for n in keep]
    for mention in index.mentions:
        mention.entity = renumber[mention.entity]


def _roles(index: EntityIndex, paragraph_spans: list[Span], docs: list[Doc]) -> None:
    for mention in index.mentions:
        entity = index.entities[mention.entity]
        if entity.kind != "person" or entity.role or mention.ambiguous:
            continue
        name = docs[mention.paragraph][mention.token]
        # The business noun set right beside the name ("The operator, Nordline", "Nordline, the
        # operator"), not one the parser hung on it from further away.
        if name.dep_ == "appos" and name.left_edge.i <= name.head.i + 3:
            apposed = name.head
        else:
            apposed = next((c for c in name.children if c.dep_ == "appos" and c.left_edge.i <= name.i + 2), None)
        # A "which" clause is also hung on people by the parser ("for Clinton, which is a
        # problem"): it counts only on a name that does not start with a first name.
        which = _which_clause(name) and sex_from_first_name(entity.name) is None
        if apposed is not None and apposed.lemma_.lower() in BUSINESS_NOUNS or which:
            # "The operator, Nordline", "Minera Altiplano, which operates the mine": a business the
            # tagger took for a person.
            entity.kind = "organization"
            continue
        role = role_of(name)
        if role:
            entity.role = role


def _which_clause(name: Token) -> bool:
    """Whether a relative clause on the name is introduced by "which": said of things, not people
    (not "which is ...", which as often comments on the whole sentence before it)."""
    return any(
        clause.dep_ == "relcl"
        and clause.lemma_ != "be"
        and any(word.lower_ == "which" for word in clause.children if word.i < clause.i)
        for clause in name.children
    )


# Nouns that name a business: "The operator, Nordline", "the company rejects ...".
BUSINESS_NOUNS = {
    "company", "firm", "corporation", "operator", "carrier", "airline", "bank", "lender", "insurer",
    "manufacturer", "maker", "retailer", "utility", "developer", "conglomerate", "startup", "group",
}


# What may modify a title before a name: "Indian Prime", "Seoul's defence", "U.S.".
_TITLE_DEPS = {"compound", "amod", "poss", "case", "det", "nmod"}


def role_of(name: Token) -> str | None:
    """A person's role from the phrase around their name: an apposition either way, or a title."""
    return plausible_role(_written_role(name))


def plausible_role(text: str | None) -> str | None:
    """``text`` where it can be a role (a dash before it dropped: "-Pollster"): a phrase with a
    word in it, not a headline's or a transcript's label ("Sanders: Clinton Email Story Has
    Moved", "TAPPER:") nor a piece of a quotation the parser hung on a name ("‘No Idea’")."""
    text = (text or "").lstrip("-–—― ")
    if any(c.isalpha() for c in text) and ":" not in text and text[0] not in "\"'‘’“”":
        return text
    return None


def _written_role(name: Token) -> str | None:
    if name.dep_ == "appos" and name.head.pos_ == "NOUN":
        return role_phrase(name.head, exclude=name)
    for child in name.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return role_phrase(child)
    start = _name_start(name)
    titles = [c for c in name.children if c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"} and c.i < start]
    if titles:
        # The title with its own modifiers: "Indian Prime Minister", "Seoul's defence minister", not "Minister".
        title = titles[0]
        if all(t.norm_.rstrip(".") in _COURTESY for t in name.doc[title.i : start]):
            return None
        if title.i == start - 1:
            if all(t.dep_ in _TITLE_DEPS for t in title.subtree if t.i != title.i):
                return role_phrase(title)
        words = list(name.doc[title.i : start])
        if words and all(t.dep_ in {"compound", "amod"} for t in words):
            return " ".join(t.text for t in words)
    return None


# Courtesy titles say nothing of a role ("Mrs. Carly Fiorina").
_COURTESY = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame"}


def _name_start(name: Token) -> int:
    """Where the name whose last word is ``name`` begins: the start of the tagger's entity around it,
    whatever its label ("Union representative [Sophie Marchand]" tagged ORG is still the name)."""
    start = name.i
    while name.doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    if name.doc[start].ent_iob_ != "B":
        return name.i
    # Common nouns the tagger took into a name that is not a person's are a title's words.
    while start < name.i and name.doc[start].ent_type_ != "PERSON" and name.doc[start].pos_ != "PROPN":
        start += 1
    return start


def role_phrase(noun: Token, exclude: Token | None = None) -> str:
    """The words of a role noun's phrase, without its article, with a possessive place made an adjective:
    "Seoul's defence minister" → "South Korean defence minister"."""
    skip = {t.i for t in exclude.subtree} if exclude is not None else set()
    tokens = [t for t in noun.subtree if t.i not in skip and not (t.is_punct and t.text in ",;()")]
    # A relative clause after the noun describes the person and is no part of the role ("pollster
    # who worked for both Clintons"); nor, in a long phrase, is a participle's ("report released ...").
    clauses = [t for t in tokens if t.i > noun.i and (t.dep_ == "relcl" or t.dep_ == "acl" and len(tokens) > 12)]
    cut = {t.i for clause in clauses for t in clause.subtree}
    tokens = [t for t in tokens if t.i not in cut]
    while tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    out: list[str] = []
    skip: set[int] = set()
    for position, token in enumerate(tokens):
        if token.i in skip:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if position == 0 and token.dep_ == "poss" and following is not None and following.tag_ == "POS":
            found = country_table().lookup(token.text)
            if found is not None:
                out.append(found[0].adjective + " ")
                skip.add(following.i)
                continue
        out.append(token.text + (token.whitespace_ if following is not None and following.i == token.i + 1 else " "))
    return "".join(out).strip()
