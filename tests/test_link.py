"""Link: copies (MinHash containment and LSH banding), origins, stories, claim groups and support."""

from __future__ import annotations

from datasketch import MinHashLSH

from newstrace.claims import analyze_claims
from newstrace.config import load_settings
from newstrace.extract import extract_text
from newstrace.ingest import link_if_needed
from newstrace.link.claim_groups import ClaimInput, group_claims
from newstrace.link.copies import attach_copies, band_buckets, containment
from newstrace.link.origins import Member, group_origin
from newstrace.link.stories import Unit, Vocabulary, link_stories
from newstrace.model import Analysis, Article, Claim, Document, Origin, Paragraph
from newstrace.provenance.fingerprint import fingerprint_text
from newstrace.store import open_store, queries, write

CONFIG = load_settings()

WIRE = [
    "Fourteen workers were trapped about 400 metres underground on Tuesday after a tunnel collapsed at a copper mine in northern Chile, officials said.",
    "Rescuers heard knocking on a ventilation pipe, a sign that at least some of the miners were alive, the regional governor said.",
    "The union said the company had ignored repeated warnings about cracks in the tunnel walls this year.",
    "The company denied that it had ignored any safety warnings and said it was cooperating with the authorities.",
    "The head of the rescue operation said drilling a shaft to reach the workers could take up to five days.",
    "Mining accounts for more than half of the country's exports, and it is the largest producer of copper in the world.",
]
INDEPENDENT = [
    "Families waited at the gate of the mine through a cold night in the desert as rescue teams brought in drills.",
    "The regional governor said the first priority was to get air and water to the trapped men.",
    "The company had ignored repeated warnings about cracks in the tunnel walls this year.",  # a shared quote
    "Engineers from the capital arrived by plane in the afternoon with equipment to map the galleries.",
    "Local radio stations broadcast the names of the miners, most of them from nearby towns.",
]

# Unrelated news, so that document frequencies mean something in these small corpora.
BACKGROUND = [
    "The city council approved a budget for new bicycle lanes and a footbridge over the river on Monday.",
    "Riverside Athletic reached the cup semi-finals thanks to a late header from their captain.",
    "The harbour food festival drew record crowds to stalls selling cheese, smoked fish and cider.",
    "A new exhibition of maritime paintings opened at the museum, with works lent by private collectors.",
    "The central bank kept its interest rate unchanged and said inflation was close to its target.",
    "Heavy snow closed mountain passes and delayed flights at the regional airport for a second day.",
    "The library will stay open until eight in the evening at weekends from next month.",
    "A software update for the popular phone fixes a battery problem reported by thousands of users.",
]


def test_a_trimmed_copy_is_contained_and_an_independent_report_is_not():
    wire = fingerprint_text(" ".join(WIRE))
    trimmed = fingerprint_text(" ".join(WIRE[:3]))
    extended = fingerprint_text(" ".join(["A paragraph added by a local editor about the region."] + WIRE))
    independent = fingerprint_text(" ".join(INDEPENDENT))
    assert containment(wire, trimmed) >= CONFIG.copy_min_containment
    assert containment(wire, extended) >= CONFIG.copy_min_containment
    assert containment(wire, independent) < 0.3


def test_bands_follow_datasketch_for_the_threshold():
    fingerprint = fingerprint_text(" ".join(WIRE))
    buckets = band_buckets(fingerprint, CONFIG.copy_lsh_threshold)
    assert len(buckets) == MinHashLSH(threshold=CONFIG.copy_lsh_threshold, num_perm=fingerprint.num_perm).b
    assert buckets == band_buckets(fingerprint_text(" ".join(WIRE)), CONFIG.copy_lsh_threshold)
    assert len(set(buckets)) == len(buckets)  # the band's position is part of its bucket


def test_group_origin_prefers_the_credited_agency_then_the_earliest():
    credited = group_origin(
        5,
        [
            Member(5, "2025-03-11", None, "a.example", "A"),
            Member(7, "2025-03-12", "AFP", "b.example", "B"),
            Member(9, "2025-03-11", "AFP", "c.example", "C"),
            Member(11, "2025-03-10", "Reuters", "d.example", "D"),
        ],
    )
    assert credited.agency == "AFP" and credited.origin_article_id == 9  # most credited, then earliest
    assert set(credited.article_origins.values()) == {("agency:afp", "AFP")}
    uncredited = group_origin(3, [Member(3, None, None, "x.example", "X"), Member(4, "2025-01-02", None, "y.example", "Y")])
    assert uncredited.origin_article_id == 4 and uncredited.published == "2025-01-02"
    assert set(uncredited.article_origins.values()) == {("outlet:y.example", "Y")}


def _unit(group_id, published, text, entities=()):
    return Unit(group_id, published, None, text, frozenset(entities), 1, group_id)


def test_stories_follow_text_and_time_window():
    collapse = "A tunnel collapse at the Cerro Blanco copper mine near Calama trapped fourteen workers, Minera Altiplano said."
    units = [
        _unit(1, "2025-03-11", " ".join(WIRE) + " " + collapse),
        _unit(2, "2025-03-12", " ".join(INDEPENDENT) + " Rescuers at Cerro Blanco near Calama drilled toward the trapped workers."),
        _unit(3, "2025-03-12", BACKGROUND[0]),
        # The same mine months later: another development, outside the time window.
        _unit(4, "2025-07-30", "The Cerro Blanco copper mine near Calama reopened, Minera Altiplano said, four months after the tunnel collapse."),
        # Undated: compared with every story.
        _unit(5, None, "Rescuers at Cerro Blanco said knocking on a ventilation pipe showed the trapped workers were alive."),
    ] + [_unit(10 + i, "2025-05-01", text) for i, text in enumerate(BACKGROUND[1:])]
    vocabulary = Vocabulary.count([u.text for u in units], CONFIG.story_name_weight)
    stories = list(link_stories(units, vocabulary, CONFIG, keep_all=True))
    found = sorted(sorted(s.group_ids) for s in stories if s.group_ids[0] < 10)
    assert found == [[1, 2, 5], [3], [4]]
    assert len(stories) == 3 + len(BACKGROUND) - 1


def test_shared_entities_break_a_tie_between_stories():
    # Every word shared and equally weighted: similarity is plain word overlap.
    flat = Vocabulary.from_frequencies({w: 2 for w in "driver strike roster nordbahn berlin metropole lyon".split()}, units=100)
    config = load_settings(story_min_similarity=0.7)

    def stories_of(last):
        units = [
            _unit(1, "2025-04-08", "drivers strike rosters nordbahn berlin", {"nordbahn", "germany"}),
            _unit(2, "2025-04-08", "drivers strike rosters metropole lyon", {"tcl metropole", "france"}),
            last,
        ]
        return {s.id: sorted(s.group_ids) for s in link_stories(units, flat, config, keep_all=False)}

    # The last unit is as close in words to both stories (0.77; the two are 0.6 apart): the
    # entities it shares decide, and without any it goes to the first story.
    assert stories_of(_unit(3, "2025-04-09", "drivers strike rosters", {"tcl metropole", "france"})) == {1: [1], 2: [2, 3]}
    assert stories_of(_unit(3, "2025-04-09", "drivers strike rosters")) == {1: [1, 3], 2: [2]}


def _claim(claim_id, article_id, speaker, content, stance="assert", resolved=None, kind="person", entities=()):
    return ClaimInput(claim_id, article_id, speaker, resolved or speaker, kind, content, stance, tuple(entities))


def test_claim_groups_join_wordings_with_shared_speaker_and_numbers():
    claims = [
        _claim(1, 10, "the ministry", "six North Korean officers were killed in the strike", kind="government"),
        _claim(2, 11, "the ministry", "six officers from the North died in the strike", kind="government"),
        _claim(3, 12, "Kim", "the strike destroyed a radar station near the border", resolved="Kim Yong-hyun"),
        _claim(4, 13, "Pyongyang", "any officers were killed", stance="deny", kind="government"),
        _claim(5, 14, "officials", "six officers were killed", kind="anonymous"),
        _claim(6, 15, "he", "the border radar station was destroyed by the strike", resolved="Kim Yong-hyun"),
        _claim(7, 15, "Kim", "the radar station near the border was destroyed", resolved=None),
    ]
    drafts = group_claims(claims, CONFIG)
    groups = sorted(sorted(d.claim_ids) for d in drafts)
    assert groups == [[1, 2, 5], [3, 6, 7], [4]]
    by_ids = {tuple(sorted(d.claim_ids)): d for d in drafts}
    denial = by_ids[(4,)]
    assert drafts[denial.denies].claim_ids == by_ids[(1, 2, 5)].claim_ids
    assert by_ids[(1, 2, 5)].speaker_keys == {1: "the ministry", 2: "the ministry", 5: None}  # anonymous: not a resolved speaker
    assert by_ids[(3, 6, 7)].speaker_keys == {3: "Kim Yong-hyun", 6: "Kim Yong-hyun", 7: "Kim Yong-hyun"}


def test_unrelated_claims_of_one_speaker_stay_apart():
    claims = [
        _claim(1, 1, "Becker", "Nordbahn had refused to negotiate on a 35-hour week", entities=["Nordbahn"]),
        _claim(2, 1, "Becker", "we have waited four months for a serious offer from Nordbahn", entities=["Nordbahn"]),
        _claim(3, 2, "Brandt", "the strike would cost the economy 100 million euros a day"),
        # "2,000" is the number 2000, not a second mention of "two".
        _claim(4, 3, "Vogel", "we have made two offers to the union"),
        _claim(5, 3, "Vogel", "the union's demand would force the company to hire 2,000 more drivers"),
    ]
    assert sorted(sorted(d.claim_ids) for d in group_claims(claims, CONFIG)) == [[1], [2], [3], [4], [5]]


def test_one_speakers_claim_in_two_wordings_joins_on_its_verbs():
    """Two outlets report one statement of a union leader in two wordings: the speaker and the
    verbs they share ("refused to negotiate") join them; a verb as common as "make" does not."""
    def claim(claim_id, content, verbs):
        return ClaimInput(claim_id, claim_id, "Becker", "Claus Becker", "person", content, "assert", verbs=frozenset(verbs))

    claims = [
        claim(1, "Nordbahn had refused to negotiate on the union's main demand", {"refuse", "negotiate"}),
        claim(2, "management had refused to negotiate over shorter hours and had offered only a bonus", {"refuse", "negotiate", "offer"}),
        claim(3, "Nordbahn had made no offer since January", {"make"}),
        claim(4, "the union would make a new offer on pay", {"make"}),
    ]
    assert sorted(sorted(d.claim_ids) for d in group_claims(claims, CONFIG)) == [[1, 2], [3], [4]]


def test_two_sides_naming_one_topic_stay_apart():
    """Claims of two speakers join only where they say the same thing of their subject (share a
    verb): the company's and the union's claims about the 35-hour week are two claims; two union
    officials' claims that talks were refused are one."""
    text = (
        "German rail operator Nordbahn faces a strike.\n\n"
        "Nordbahn spokeswoman Anja Vogel said the union's demand for a 35-hour week would force the company to hire 2,000 more drivers.\n\n"
        "Union leader Claus Becker said Nordbahn had refused to negotiate on the union's main demand, a 35-hour week.\n\n"
        "His deputy, Jan Roth, said the company had refused to negotiate on a 35-hour week for months."
    )
    article = extract_text(text, Document(content=text.encode(), path="rail.txt"))
    _, found = analyze_claims(article)
    by_speaker = {c.speaker_resolved: c for c in found}
    assert set(by_speaker) == {"Anja Vogel", "Claus Becker", "Jan Roth"}
    assert {"refuse", "negotiate"} <= set(by_speaker["Claus Becker"].verbs)
    assert {"force", "hire"} <= set(by_speaker["Anja Vogel"].verbs)
    inputs = [
        ClaimInput(i, 1, c.speaker, c.speaker_resolved, c.speaker_kind, c.content, c.stance, (), c.content_span, frozenset(c.verbs))
        for i, c in enumerate(found)
    ]
    groups = {frozenset(inputs[i].speaker_resolved for i in d.claim_ids) for d in group_claims(inputs, CONFIG)}
    assert groups == {frozenset({"Claus Becker", "Jan Roth"}), frozenset({"Anja Vogel"})}
    # Without the verbs (claims stored before they were kept), the shared topic joins all three.
    unknown = [ClaimInput(c.id, 1, c.speaker, c.speaker_resolved, c.speaker_kind, c.content, c.stance) for c in inputs]
    assert len(group_claims(unknown, CONFIG)) == 1


def _analysis(text: str, site: str, claims: list[tuple[str, str, str, str]], agency: str | None = None, entities=()) -> Analysis:
    article = Article(text=text, paragraphs=[Paragraph((0, len(text)))], title=text[:40], published="2025-03-11", site_name=site)
    found = []
    for speaker, resolved, cue, content in claims:
        start = text.index(content)
        found.append(
            Claim(
                speaker=speaker, speaker_resolved=resolved, speaker_kind="person", speaker_role=None, cue=cue, cue_lemma=cue,
                cue_commitment="neutral", content=content, quote="indirect", stance="deny" if cue == "denied" else "assert",
                hedge=None, certainty=1.0, span=(start, start + len(content)), content_span=(start, start + len(content)),
            )
        )
    origin = Origin(agency=agency, fingerprint=fingerprint_text(text))
    return Analysis(article=article, origin=origin, entities=list(entities), claims=found)


def test_support_counts_copies_once_and_expand_into_lists(tmp_path):
    """Three copies of an AFP story, an outlet's own report and a denial: the claim has two
    independent origins (AFP once, the outlet), two speakers, four articles and one denial."""
    engine = open_store(f"sqlite:///{tmp_path / 'support.db'}")
    wire = " ".join(WIRE)
    claim = "the company had ignored repeated warnings about cracks in the tunnel walls this year"
    paredes = ("Jorge Paredes", "Jorge Paredes", "said", claim)
    own = " ".join(INDEPENDENT).replace(
        "The company had ignored repeated warnings about cracks in the tunnel walls this year.",
        "Paredes said the company had ignored warnings about cracks in the tunnel for months.",
    )
    denial_text = "Minera Altiplano denied that the company had ignored warnings about cracks in the tunnel. Its engineers checked every report."
    documents = [
        (Document(content=b"1", url="https://one.example/a"), _analysis(wire, "One", [paredes], agency="AFP")),
        (Document(content=b"2", url="https://two.example/b"), _analysis(wire + " A local note.", "Two", [paredes], agency="AFP")),
        (Document(content=b"3", url="https://three.example/c"), _analysis(" ".join(WIRE[:4]), "Three", [paredes])),
        (
            Document(content=b"4", url="https://four.example/d"),
            _analysis(own, "Four", [("Paredes", None, "said", "the company had ignored warnings about cracks in the tunnel for months")]),
        ),
        (
            Document(content=b"5", url="https://five.example/e"),
            _analysis(denial_text, "Five", [("Minera Altiplano", "Minera Altiplano", "denied", "the company had ignored warnings about cracks in the tunnel")]),
        ),
    ]
    documents += [
        (Document(content=text.encode(), url=f"https://other{i}.example/"), _analysis(text, f"Other {i}", []))
        for i, text in enumerate(BACKGROUND)
    ]
    with engine.begin() as conn:
        for document, analysis in documents:
            saved = write.save_analysis(conn, document, analysis)
            attach_copies(conn, saved.article_id, analysis.origin.fingerprint, CONFIG, fresh=True)
    summary = link_if_needed(engine, CONFIG, force=True)
    assert (summary.copy_groups, summary.stories) == (3 + len(BACKGROUND), 1 + len(BACKGROUND))
    with engine.connect() as conn:
        groups = queries.find_claim_groups(conn, "ignored warnings")
    assertion = next(g for g in groups if g.stance == "assert")
    support = assertion.support
    assert [o.origin.name for o in support.origins] == ["AFP", "Four"]
    assert [len(o.articles) for o in support.origins] == [3, 1]  # the three copies count once
    assert [s.name for s in support.speakers] == ["Jorge Paredes"]  # "Paredes" is the same speaker
    assert len(support.articles) == 4
    assert [d.speaker for d in support.denials] == ["Minera Altiplano"]
    assert groups[0].id == assertion.id  # strongest support first
    record = assertion.to_json()["support"]
    assert record["independent_origins"]["count"] == len(record["independent_origins"]["items"]) == 2
    assert record["denials"]["count"] == 1 and record["articles"]["count"] == 4
