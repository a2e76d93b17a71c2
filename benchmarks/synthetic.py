"""A deterministic synthetic news corpus for the scale benchmark, streamed as JSON Lines.

Stories of invented events: a wire story (with a "(Reuters) -" or "(AFP) –" dateline) republished
by several sites with edits (trimmed, retitled, a paragraph added), independent reports with their
own wording, sometimes a denial, and unrelated single articles. Words come from a generated
lexicon with Zipf-like frequencies; names are invented. Claims are written as "Name said that ..."
and "Name denied that ...", which ``bench_analyze`` reads without spaCy.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate

from newstrace.model import Analysis, Claim, Document, Entity
from newstrace.extract.article import build_article
from newstrace.pipeline import read_article
from newstrace.provenance import find_origin

_SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za zo".split()
_FUNCTION = "the of and to in a that for on with as at by from its was were has have after before over about".split()
_AGENCIES = [("Reuters", "{city}, {month} {day} (Reuters) - "), ("AFP", "{city} (AFP) – "), ("AP", "{city} (AP) — ")]
_MONTHS = "January February March April May June July August September October November December".split()


class Generator:
    """Articles of invented stories, the same for the same seed."""

    def __init__(self, seed: int = 7, lexicon_size: int = 20_000, sites: int = 400):
        self.rng = random.Random(seed)
        self.lexicon = sorted({self._word(2, 4) for _ in range(lexicon_size)})
        weights = [1.0 / (rank + 10) for rank in range(len(self.lexicon))]
        self.cumulative = list(accumulate(weights))
        self.sites = [(self._name(), f"site{i}.example") for i in range(sites)]
        self.start = date(2023, 1, 1)

    def _word(self, low: int, high: int) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(low, high)))

    def _name(self) -> str:
        return self._word(2, 3).capitalize()

    def _common(self, count: int) -> list[str]:
        return self.rng.choices(self.lexicon, cum_weights=self.cumulative, k=count)

    def _sentence(self, topic: list[str], names: list[str]) -> str:
        words = []
        for _ in range(self.rng.randint(14, 24)):
            roll = self.rng.random()
            if roll < 0.25:
                words.append(self.rng.choice(topic))
            elif roll < 0.32:
                words.append(self.rng.choice(names))
            elif roll < 0.55:
                words.append(self.rng.choice(_FUNCTION))
            else:
                words.extend(self._common(1))
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def _claim(self, speaker: str, cue: str, topic: list[str], number: int) -> str:
        content = " ".join(self.rng.sample(topic, 5)[:3] + [str(number)] + self.rng.sample(topic, 4))
        return f"{speaker} {cue} that {content}."

    def articles(self, total: int, days: int = 730) -> Iterator[dict]:
        """``total`` article records (url, title, text, site_name, published), story after story."""
        made = 0
        story = 0
        while made < total:
            story += 1
            for record in self._story(story, days):
                if made >= total:
                    return
                made += 1
                yield record

    def _story(self, number: int, days: int) -> list[dict]:
        rng = self.rng
        day = self.start + timedelta(days=rng.randrange(days))
        people = [f"{self._name()} {self._name()}" for _ in range(3)]
        places = [self._name() for _ in range(2)]
        org = f"{self._name()} {self._name()}"
        topic = [self._word(2, 4) for _ in range(30)]
        names = people + places + [org]
        headline = lambda: " ".join(rng.sample(topic, 4) + [rng.choice(places)]).capitalize()  # noqa: E731
        if rng.random() < 0.15:  # an unrelated single article
            site, host = rng.choice(self.sites)
            text = "\n\n".join(" ".join(self._sentence(topic, names) for _ in range(2)) for _ in range(6))
            return [self._record(f"https://{host}/{number}/single", headline(), text, site, day)]
        agency, dateline = rng.choice(_AGENCIES)
        figure = rng.randint(2, 900)
        wire = [" ".join(self._sentence(topic, names) for _ in range(2)) for _ in range(10)]
        wire[0] = dateline.format(city=places[0].upper(), month=_MONTHS[day.month - 1], day=day.day) + wire[0]
        wire[2] = self._claim(people[0], "said", topic, figure) + " " + wire[2]
        wire[5] = self._claim(people[1], "said", topic, rng.randint(2, 900)) + " " + wire[5]
        title = headline()
        records = []
        sites = rng.sample(self.sites, 8)
        for copy in range(rng.randint(1, 4)):
            site, host = sites[copy]
            body = list(wire)
            if copy and rng.random() < 0.5:
                body = body[: rng.randint(6, 9)]
            if copy and rng.random() < 0.3:
                body.append(" ".join(self._sentence(topic, names) for _ in range(2)))
            shown = title if copy == 0 or rng.random() < 0.5 else headline()
            when = day + timedelta(days=rng.randint(0, 1))
            records.append(self._record(f"https://{host}/{number}/wire-{copy}", shown, "\n\n".join(body), site, when))
        for report in range(rng.randint(0, 2)):
            site, host = sites[4 + report]
            body = [" ".join(self._sentence(topic, names) for _ in range(2)) for _ in range(6)]
            body[1] = self._claim(people[0], "said", topic, figure) + " " + body[1]
            records.append(self._record(f"https://{host}/{number}/report-{report}", headline(), "\n\n".join(body), site, day + timedelta(days=rng.randint(0, 2))))
        if rng.random() < 0.4:
            site, host = sites[7]
            body = [self._claim(org, "denied", topic, figure)] + [" ".join(self._sentence(topic, names) for _ in range(2)) for _ in range(3)]
            records.append(self._record(f"https://{host}/{number}/denial", headline(), "\n\n".join(body), site, day + timedelta(days=rng.randint(1, 2))))
        return records

    @staticmethod
    def _record(url: str, title: str, text: str, site: str, when: date) -> dict:
        return {"url": url, "title": title, "text": text, "site_name": site, "published": when.isoformat()}


_URL = re.compile(r"/(\d+)/(wire|report|denial|single)")


def truth(url: str, article_id: int) -> tuple[str, str]:
    """The story and copy group an article of this corpus really belongs to, from its URL."""
    match = _URL.search(url)
    story, kind = match[1], match[2]
    return story, f"{story}/wire" if kind == "wire" else f"own/{article_id}"


def b_cubed(predicted: dict[int, object], gold: dict[int, object]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering against the truth."""
    clusters: dict[object, set[int]] = {}
    classes: dict[object, set[int]] = {}
    for item in gold:
        clusters.setdefault(predicted[item], set()).add(item)
        classes.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in gold:
        mine, true = clusters[predicted[item]], classes[gold[item]]
        shared = len(mine & true)
        precision += shared / len(mine)
        recall += shared / len(true)
    precision, recall = precision / len(gold), recall / len(gold)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(2 * precision * recall / (precision + recall), 4)}


def write_jsonl(path, total: int, seed: int = 7) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        for record in Generator(seed).articles(total):
            stream.write(json.dumps(record) + "\n")


_CLAIM = re.compile(r"(?P<speaker>[A-Z][a-z]+ [A-Z][a-z]+) (?P<cue>said|denied) that (?P<content>[^.]+)\.")


def full_analyze(document: Document) -> Analysis:
    """``read_article`` (extract and provenance, the real code) plus the synthetic corpus's claims,
    read by pattern: a stand-in for the spaCy claims stage, whose speed is measured elsewhere."""
    return _with_claims(read_article(document))


def light_analyze(document: Document) -> Analysis:
    """The store-and-link path: the record's own paragraphs as the article (the synthetic text has
    no chrome to remove), the real provenance stage (agency, fingerprint), claims by pattern."""
    title, _, body = str(document.content).partition("\n\n")
    article = build_article([(p, "body") for p in body.split("\n\n")], title=title, **_metadata(document))
    return _with_claims(Analysis(article=article, origin=find_origin(article)))


def _metadata(document: Document) -> dict:
    return {
        "published": document.hints.get("published"),
        "site_name": document.hints.get("site_name"),
        "url": document.url,
        "fetched_at": document.fetched_at,
    }


def _with_claims(analysis: Analysis) -> Analysis:
    text = analysis.article.text
    entities: dict[str, Entity] = {}
    for match in _CLAIM.finditer(text):
        speaker = match["speaker"]
        analysis.claims.append(
            Claim(
                speaker=speaker,
                speaker_resolved=speaker,
                speaker_kind="person",
                speaker_role=None,
                cue=match["cue"],
                cue_lemma="deny" if match["cue"] == "denied" else "say",
                cue_commitment="neutral",
                content=match["content"],
                quote="indirect",
                stance="deny" if match["cue"] == "denied" else "assert",
                hedge=None,
                certainty=1.0,
                span=match.span(),
                content_span=match.span("content"),
                speaker_span=match.span("speaker"),
                cue_span=match.span("cue"),
            )
        )
        entities.setdefault(speaker, Entity(name=speaker, kind="person")).mentions.append(match.span("speaker"))
    analysis.entities = list(entities.values())
    return analysis
