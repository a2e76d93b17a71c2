"""The cue lexicon: verbs (and a few phrases) that attribute a statement to a speaker.

Each cue lemma has the reporter's commitment it carries (DESIGN.md: "confirmed" > "said" > "claimed" >
"alleged"), whether it denies its content, and what sort of attribution it makes:

- ``speech``: saying, writing, reporting ("said", "told", "wrote", "reported", "warned");
- ``belief``: holding a view ("believes", "expects", "assessed", "fears");
- ``evidence``: something shows or finds ("a poll showed", "the report found");
- ``attitude``: taking a position towards something named ("criticized", "praised", "endorsed").

Speech, belief and evidence cues make claims when they introduce a clause or a quotation; attitude
cues never do (they are attributions in PolNeAR's broad sense, reported only by ``find_attributions``
for evaluation): "Pyongyang thanked Russia for its veto" is an act, not a claim. Acts such as
"investigated" are not cues at all.

Which verbs are in the lexicon, and which constructions each takes, was checked against PolNeAR's
training split (cues whose attributions PolNeAR annotators rarely agreed with were left out).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from newstrace.model import CueCommitment

CueSort = Literal["speech", "belief", "evidence", "attitude"]


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    sort: CueSort
    commitment: CueCommitment = "neutral"
    denial: bool = False
    # Whether a plain noun-phrase object is what is attributed ("announced a plan", "denied the report").
    takes_object: bool = False
    # Prepositions whose object is what is attributed ("talked about X", "called for Y").
    preps: frozenset[str] = frozenset()
    # Whether a clause or a "to"-infinitive after the verb is what is attributed: not for "called it
    # a disgrace" parsed as a clause, nor for "continued to rise".
    takes_clause: bool = True
    takes_infinitive: bool = True


def _entries() -> dict[str, Cue]:
    table: dict[str, Cue] = {}

    def add(words: str, sort: CueSort, commitment: CueCommitment = "neutral", *, denial=False, takes_object=False):
        for lemma in words.split():
            table[lemma] = Cue(lemma, sort, commitment, denial, takes_object)

    # The reporter takes the content as established.
    add("confirm acknowledge admit reveal concede disclose learn recognize demonstrate prove",
        "speech", "confirmed", takes_object=True)
    add("show find", "evidence", "confirmed")
    # Neutral reporting of speech.
    add("say tell add state explain write comment continue reply respond answer declare mention remark "
        "testify tweet post recall note observe report warn caution urge stress emphasize emphasise "
        "reiterate repeat suggest indicate hint signal inform notify brief wonder complain lament joke "
        "quip shout yell scream promise pledge vow assure reassure agree concur conclude "
        "proclaim forecast specify clarify elaborate blog retort counter interject whisper mutter exclaim "
        "plead threaten talk speak brag",
        "speech")
    add("announce describe ask propose recommend demand question call predict estimate mention", "speech", takes_object=True)
    # The reporter keeps a distance.
    add("claim insist maintain contend argue assert purport profess boast", "speech", "claimed")
    add("allege", "speech", "alleged")
    add("accuse charge", "speech", "alleged", takes_object=True)
    # Denials: the speaker says the content is not so.
    add("deny reject dismiss refute dispute rebut contest", "speech", denial=True, takes_object=True)
    # Views held rather than said.
    add("believe think expect assess feel fear hope know suspect doubt consider reckon guess imagine "
        "understand realize realise worry suppose presume assume anticipate judge figure calculate view",
        "belief")
    # Positions taken towards something named (PolNeAR's broad sense of attribution).
    add("criticize criticise praise endorse oppose blame attack condemn applaud defend "
        "slam blast credit like love hate prefer mock ridicule",
        "attitude", takes_object=True)
    add("cite express discuss voice quote reference echo highlight underscore "
        "name detail outline", "speech", takes_object=True)
    add("remember imply", "belief")
    add("denounce decry advocate portray deem dub brand characterize characterise liken compare hail "
        "applaud lambast mock chide fault rebuke scold", "attitude", takes_object=True)
    add("decline refuse aim", "attitude")
    for lemma, preps in _PREPOSITIONS.items():
        table[lemma] = replace(table.get(lemma) or Cue(lemma, "attitude"), preps=frozenset(preps.split()))
    table["call"] = replace(table["call"], takes_clause=False)
    table["continue"] = replace(table["continue"], takes_infinitive=False)
    return table


_PREPOSITIONS = {
    # "pointed out that ..." is the verb "point" with its particle; "pointed to X" takes a preposition.
    "talk": "about of", "speak": "about of out", "point": "to", "focus": "on", "rail": "against",
    "push": "for", "call": "for on", "advocate": "for", "apologize": "for",
    "argue": "for against", "worry": "about", "complain": "about", "warn": "about against of",
    "comment": "on", "testify": "about", "hope": "for", "ask": "about for", "criticize": "for",
    "blame": "for", "praise": "for", "thank": "for",
    "insist": "on", "agree": "with", "disagree": "with", "side": "with", "joke": "about", "boast": "about",
    "brag": "about", "write": "about", "elaborate": "on", "respond": "to",
    "object": "to",
}


CUES: dict[str, Cue] = _entries()

# Multi-word cues that are not a verb lemma: "according to X", "X's view that", ...
ACCORDING_TO = Cue("according to", "speech")

# Nouns that name a statement: "rejected claims that ...", "the report that ...".
STATEMENT_NOUNS = frozenset(
    "claim claims allegation allegations report reports suggestion suggestions statement statements "
    "assertion assertions accusation accusations charge charges rumour rumours rumor rumors "
    "speculation assessment assessments warning warnings notion idea belief view fears fear".split()
)

# Plural or generic nouns that name unnamed speakers: "officials said", "sources said".
ANONYMOUS_NOUNS = frozenset(
    "official officials source sources insider insiders diplomat diplomats person people someone "
    "aide aides witness witnesses resident residents observer observers critic critics".split()
)


def cue_for(lemma: str) -> Cue | None:
    """The lexicon entry for a verb lemma (case-insensitive), if it is a cue."""
    return CUES.get(lemma.lower())
