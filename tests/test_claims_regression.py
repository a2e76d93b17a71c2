"""The claims stage on sentences written for these tests, one construction at a time."""

from __future__ import annotations

import pytest

from conftest import SAMPLES
from newstrace.claims import analyze_claims
from newstrace.claims.entities import find_dateline
from newstrace.extract.article import build_article
from newstrace.model import Claim, Entity


def read(*paragraphs: str) -> tuple[list[Entity], list[Claim]]:
    article = build_article([(p, "body") for p in paragraphs])
    entities, claims = analyze_claims(article)
    for claim in claims:
        assert article.text[claim.content_span[0] : claim.content_span[1]] == claim.content
        if claim.cue_span:
            assert article.text[claim.cue_span[0] : claim.cue_span[1]] == claim.cue
    return entities, claims


def only(*paragraphs: str) -> Claim:
    _, claims = read(*paragraphs)
    assert len(claims) == 1, [(c.speaker, c.cue, c.content) for c in claims]
    return claims[0]


CONSTRUCTIONS = [
    # (paragraphs, speaker_resolved, cue_lemma, content must contain, content must not contain, quote)
    (["Maria Lindqvist said that the storm had damaged three piers."],
     "Maria Lindqvist", "say", "the storm had damaged three piers", "said", "indirect"),
    (["Maria Lindqvist said the storm had damaged three piers."],
     "Maria Lindqvist", "say", "the storm had damaged three piers", "Lindqvist", "indirect"),
    (["The bridge will reopen in May, said Tomas Berg, the city's chief engineer."],
     "Tomas Berg", "say", "The bridge will reopen in May", "engineer", "indirect"),
    (["Anna Kovacs told reporters on Friday that the vote would be delayed."],
     "Anna Kovacs", "tell", "the vote would be delayed", "reporters", "indirect"),
    (["The factory will close next year, according to the Swedish trade ministry."],
     "Swedish trade ministry", "according to", "The factory will close next year", "ministry", "indirect"),
    (['Mayor Ines Duarte said: "We will rebuild the market before winter."'],
     "Ines Duarte", "say", "We will rebuild the market before winter", "Duarte", "direct"),
    (['"We will rebuild the market before winter," Ines Duarte said.'],
     "Ines Duarte", "say", "We will rebuild the market before winter", "said", "direct"),
    (['"We will rebuild the market," Ines Duarte said on Monday, "and it will be larger than before."'],
     "Ines Duarte", "say", "it will be larger than before", None, "direct"),
    (["The opposition claims the budget was never approved by parliament."],
     "opposition", "claim", "the budget was never approved", "claims", "indirect"),
    (["Analysts have warned that fuel prices could rise sharply this winter."],
     "Analysts", "warn", "fuel prices could rise", "warned", "indirect"),
    (["The intelligence service assessed that the attack had been planned for weeks."],
     "intelligence service", "assess", "the attack had been planned", "assessed", "indirect"),
    (["Most economists believe inflation will fall next year."],
     "Most economists", "believe", "inflation will fall next year", "believe", "indirect"),
    (["The central bank expects that growth will slow in the spring."],
     "central bank", "expect", "growth will slow", "expects", "indirect"),
    (["Local media reported that the port director had resigned."],
     "Local media", "report", "the port director had resigned", "reported", "indirect"),
    (["Ottawa said the new tariffs were unjustified."],
     "Canada", "say", "the new tariffs were unjustified", "Ottawa", "indirect"),
]


@pytest.mark.parametrize("paragraphs,speaker,lemma,has,lacks,quote", CONSTRUCTIONS, ids=lambda v: str(v)[:30])
def test_construction(paragraphs, speaker, lemma, has, lacks, quote):
    claim = only(*paragraphs)
    assert claim.speaker_resolved == speaker
    assert claim.cue_lemma == lemma
    assert has in claim.content
    if lacks:
        assert lacks not in claim.content
    assert claim.quote == quote
    assert claim.stance == "assert"


def test_quotation_paragraph_and_added_continue_the_speaker():
    _, claims = read(
        "Elena Marsh, a professor of hydrology at the University of Leeds, said the river data were incomplete.",
        '"Nobody has measured the upper basin for a decade."',
        "More gauges would be needed before any new dam is approved, she added.",
        "Marsh said the survey should start in April.",
    )
    assert [c.speaker_resolved for c in claims] == ["Elena Marsh"] * 4
    assert [c.cue_lemma for c in claims] == ["say", None, "add", "say"]
    assert claims[1].cue is None and claims[1].quote == "direct"
    assert all(c.speaker_kind == "expert" for c in claims)
    assert claims[0].speaker_role.startswith("professor of hydrology")
    assert claims[2].speaker == "she"


def test_pronoun_after_a_quotation_is_the_last_speaker_not_the_last_name():
    _, claims = read(
        "Health minister Pavel Novak said the clinics would stay open over the holiday.",
        '"We have enough staff for every shift," he told the Prague Daily, adding that Jana Horak had agreed to help.',
    )
    assert [c.speaker_resolved for c in claims][:2] == ["Pavel Novak", "Pavel Novak"]
    assert claims[1].speaker_kind == "government"


@pytest.mark.parametrize("sentence,role,kind", [
    ("Indian Prime Minister Narendra Modi said his country would double its solar output.", "Indian Prime Minister", "government"),
    ("Seoul's defence minister Kim Yong-hyun told lawmakers that casualties were likely.", "South Korean defence minister", "government"),
    ('"Justice has been served," U.S. Attorney Nealy Cox said.', "U.S. Attorney", "government"),
    ("Secretary of State Mike Pompeo said the release gave hope for a deal.", "Secretary of State", "government"),
    # A role that speaks for a body makes the speaker that body's: a union's, not a government's.
    ("Union leader Claus Becker said the strike would go ahead on Thursday.", "Union leader", "organization"),
    ("Jorge Paredes, leader of the mine workers' union, said the warnings had been ignored for months.",
     "leader of the mine workers' union", "organization"),
    ("Opposition leader Ana Ruiz said the count had been rigged.", "Opposition leader", "government"),
    ("Labour Party leader Keir Starmer said the budget had failed.", "Labour Party leader", "government"),
    ("Fire service spokesman Yannis Karras said the blaze was under control.", "Fire service spokesman", "government"),
    ("Residents' association chair Maria Lekka said the road had been closed too late.",
     "Residents' association chair", "person"),
    # A relative clause describes the person; it is no part of the role. A prepositional phrase is.
    ("Maria Holt, a Democratic pollster who worked for both campaigns for decades, said the race was close.",
     "Democratic pollster", "expert"),
    ("The race was close, said Maria Holt, a pollster who has advised three governors.", "pollster", "expert"),
    ("Maria Holt, a pollster at Northfield University, said the race was close.", "pollster at Northfield University", "expert"),
    # A relative or a friend of an official holds no office by it.
    ("Robert Kennedy, the brother of President John F. Kennedy, said the talks had failed.",
     "brother of President John F. Kennedy", "person"),
    ("Ann Lee, a friend of the defence minister, said the minister had resigned.", "friend of the defence minister", "person"),
    ("Tom Hale, the brother-in-law of the prime minister, said the talks had failed.",
     "brother-in-law of the prime minister", "person"),
    ("A spokesman for the son of the king said the prince would not attend.", "spokesman for the son of the king", "government"),
])
def test_a_speakers_role_and_the_kind_it_makes_them(sentence, role, kind):
    claim = only(sentence)
    assert (claim.speaker_role, claim.speaker_kind) == (role, kind)


def test_an_unnamed_relative_of_an_official_is_a_person():
    claim = only("The president's wife said the school meals would stay.")
    assert (claim.speaker, claim.speaker_kind) == ("president's wife", "person")


def test_we_within_anothers_claim_is_that_speaker():
    _, claims = read("We have learned that the minister will resign, the newspaper said.")
    nested = next(c for c in claims if c.speaker == "We")
    assert nested.content == "the minister will resign"
    assert (nested.speaker_resolved, nested.speaker_kind) == ("newspaper", "media")


@pytest.mark.parametrize(
    "first,then,resolved",
    [
        ("The GDL union said it would strike on Monday.", "The union said the talks were over.", "GDL union"),
        ("Mexico's ruling Institutional Revolutionary Party said the vote was fair.",
         "The party said the count would be published.", "Institutional Revolutionary Party"),
        # A phrase saying more than the earlier speaker is another one.
        ("The GDL union said it would strike on Monday.", "The rail union's chief negotiator said the talks were over.",
         "rail union's chief negotiator"),
    ],
)
def test_a_definite_noun_is_the_body_named_before_it(first, then, resolved):
    _, claims = read(first, then)
    assert claims[-1].speaker_resolved == resolved


@pytest.mark.parametrize(
    "sentence,kind",
    [
        ("Ukrainian media reported that six officers were killed.", "media"),
        ("Social media users said the video had been staged.", "anonymous"),
    ],
)
def test_social_media_are_not_news_media(sentence, kind):
    assert only(sentence).speaker_kind == kind


def test_role_written_before_the_name_resolves_to_the_person():
    entities, claims = read(
        "Norway's foreign minister said the talks would resume in Oslo.",
        "Norway's foreign minister, Ola Brekke, told lawmakers that no date had been set.",
    )
    assert [c.speaker_resolved for c in claims] == ["Ola Brekke", "Ola Brekke"]
    brekke = next(e for e in entities if e.name == "Ola Brekke")
    assert brekke.role == "Norwegian foreign minister"
    assert claims[0].speaker_kind == "government"


@pytest.mark.parametrize(
    "sentence,speaker,has",
    [
        ("The army denied that its soldiers had crossed the border.", "army", "its soldiers had crossed the border"),
        ("Officials rejected claims that the election had been rigged.", "Officials", "the election had been rigged"),
    ],
)
def test_denials(sentence, speaker, has):
    claim = only(sentence)
    assert claim.stance == "deny"
    assert claim.speaker_resolved == speaker
    assert has in claim.content and "claims" not in claim.content


def test_denial_of_the_clause_before_it():
    _, claims = read("Observers say the convoy carried weapons, something both Vienna and Budapest have denied.")
    denials = [c for c in claims if c.stance == "deny"]
    assert {c.speaker_resolved for c in denials} == {"Austria", "Hungary"}
    assert all("the convoy carried weapons" in c.content for c in denials)
    assert all(c.speaker_kind == "government" for c in denials)
    says = [c for c in claims if c.stance == "assert"]
    assert len(says) == 1 and "denied" not in says[0].content


@pytest.mark.parametrize(
    "sentence,written",
    [
        ("It is believed that the ship sank within minutes.", None),
        ("Officials said the coastal road would stay closed until Sunday.", "Officials"),
        ("Sources said the talks had stalled over fishing quotas.", "Sources"),
    ],
)
def test_passive_and_anonymous_attributions(sentence, written):
    claim = only(sentence)
    assert claim.speaker_kind == "anonymous"
    assert claim.speaker == written


def test_passive_belief_is_a_hedge():
    claim = only("It is believed that the ship sank within minutes.")
    assert claim.hedge == "believed" and claim.certainty == pytest.approx(0.68)


@pytest.mark.parametrize(
    "sentence,hedge,certainty",
    [
        ("It is highly likely that the dam will fail, the engineer said.", "highly likely", 0.88),
        ("The engineer said the dam might fail.", "might", 0.5),
        ("The engineer said the dam was unlikely to fail.", "unlikely", 0.3),
        ("The engineer said the dam would almost certainly fail.", "almost certainly", 0.97),
        ("The engineer said the dam would fail.", None, 1.0),
    ],
)
def test_hedges_map_to_the_certainty_scale(sentence, hedge, certainty):
    claim = only(sentence)
    assert claim.hedge == hedge
    assert claim.certainty == pytest.approx(certainty)


def test_commitment_follows_the_cue():
    _, claims = read(
        "The company confirmed that the plant would close.",
        "The union claimed that the plant would close.",
        "Prosecutors alleged that the manager had falsified the accounts.",
        "The mayor said that the plant would close.",
    )
    assert [c.cue_commitment for c in claims] == ["confirmed", "claimed", "alleged", "neutral"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The government thanked the volunteers for their help during the floods.",
        "Journalists investigated the recruitment network for several months.",
        "The minister visited the flooded villages on Tuesday.",
        "More inspectors are expected to arrive on Friday.",
        "President Alvarez made a short visit to Lima in June, where he signed a trade agreement.",
    ],
)
def test_acts_are_not_claims(sentence):
    assert read(sentence)[1] == []


def test_verbs_inside_a_quotation_belong_to_the_quotation():
    claim = only('"I think the ferry will be late and I know the crew is tired," Petra Holm said.')
    assert claim.speaker_resolved == "Petra Holm"
    assert claim.quote == "direct"


def test_cue_ending_its_paragraph_with_a_colon_introduces_the_next():
    _, claims = read(
        "Mayor Ines Duarte told the crowd:",
        '"We will rebuild the market before winter."',
        '"Nobody will lose a stall."',
    )
    assert [(c.speaker_resolved, c.cue, c.quote) for c in claims] == [
        ("Ines Duarte", "told", "direct"),
        ("Ines Duarte", None, "direct"),
    ]
    assert claims[0].content == "We will rebuild the market before winter"


def test_the_company_is_the_business_named_before_it():
    entities, claims = read(
        "The operator, Baltrana, denied that it had postponed maintenance.",
        "Crew unions have long claimed that the shifts are too long, something the company rejects.",
    )
    rejects = next(c for c in claims if c.cue_lemma == "reject")
    assert rejects.speaker_resolved == "Baltrana"
    assert rejects.speaker_kind == "organization"
    assert {e.name: e.kind for e in entities}["Baltrana"] == "organization"


def test_the_company_does_not_reach_back_to_a_news_agency():
    _, claims = read(
        "Ferries stopped on Monday, AFP reported.",
        "The company said that the ships would sail again on Friday.",
    )
    said = next(c for c in claims if c.cue_lemma == "say")
    assert said.speaker_resolved != "AFP"


def test_he_passes_over_a_speaker_the_text_shows_to_be_a_woman():
    _, claims = read(
        "Mr. Kask said the ship would sail on Friday.",
        "Ms. Tamm, a passenger, said the crew had been calm.",
        '"We will check every ship," he said.',
    )
    assert [c.speaker_resolved for c in claims] == ["Kask", "Tamm", "Kask"]


def test_she_without_evidence_is_still_the_last_speaker():
    _, claims = read(
        "Tomas Berg said the bridge would reopen in May.",
        "Anna Lind, his deputy, said the repairs were done.",
        "She added that the cost had doubled.",
    )
    assert claims[-1].speaker_resolved == "Anna Lind"


def test_the_reader_addressed_in_general_makes_no_claim():
    _, claims = read("If you think the new phones are cheaper, you will be disappointed, the company said.")
    assert [c.speaker_resolved for c in claims] == ["company"]
    assert not read("You might think that prices will fall this year.")[1]


def test_a_newspaper_and_a_statement_are_not_people():
    _, claims = read(
        "The Chronicle said the mayor had known about the leak for a month.",
        'The statement continued: "The council acted as soon as it was told."',
    )
    kinds = {c.speaker_resolved: c.speaker_kind for c in claims}
    assert kinds.get("Chronicle") == "media"
    assert "person" not in kinds.values(), kinds


@pytest.mark.parametrize("sentence", [
    "Surveillance video shows that the car left the garage before midnight.",
    "One estimate suggests that the repairs will cost $40 million.",
    "The evidence showed that the fire started in the kitchen.",
    "Court records show that the guards signed false certifications.",
])
def test_recordings_and_estimates_are_not_people(sentence):
    assert only(sentence).speaker_kind == "anonymous"


def test_i_outside_quotes_is_the_writer_named_in_the_byline():
    article = build_article(
        [
            ("I asked three engineers, and I believe the bridge will not reopen before winter.", "body"),
            ('"I have never seen corrosion like this," said Tomas Berg, the chief engineer.', "body"),
        ],
        bylines=["Helen Ward"],
    )
    _, claims = analyze_claims(article)
    believe = next(c for c in claims if c.cue_lemma == "believe")
    assert (believe.speaker_resolved, believe.speaker_kind, believe.speaker_role) == ("Helen Ward", "person", "author")
    quoted = next(c for c in claims if "corrosion" in c.content)
    assert quoted.speaker_resolved == "Tomas Berg"


def test_he_passes_over_a_speaker_whose_first_name_is_a_womans():
    _, claims = read(
        "John Miller said the plant would close in June.",
        "Mary Jones said the workers had not been told.",
        "He added that talks with the buyer would resume.",
    )
    assert claims[-1].speaker_resolved == "John Miller"


def test_a_surname_the_tagger_marks_as_no_name_is_still_the_person():
    entities, claims = read(
        "France's Pierre-Hugues Herbert and Nicolas Mahut secured an opening win.",
        '"We know we arrived late from London," Mahut said.',
    )
    assert (claims[0].speaker_resolved, claims[0].speaker_kind) == ("Nicolas Mahut", "person")
    assert "Mahut" in {e.name: e for e in entities}["Nicolas Mahut"].aliases


@pytest.mark.parametrize("sentence", [
    "Michael Cohen's lawyer said his client would testify on Friday.",
    "A lawyer for Michael Cohen said his client would testify on Friday.",
])
def test_someone_speaking_for_a_named_person_is_not_that_person(sentence):
    assert only(sentence).speaker_resolved != "Michael Cohen"


def test_words_before_a_name_without_a_noun_are_no_role():
    _, claims = read("Tom Steyer is running.", "Only Steyer expects Bloomberg to generate passion.")
    assert (claims[-1].speaker_resolved, claims[-1].speaker_role) == ("Tom Steyer", None)


def test_a_first_name_alone_is_the_person_named_in_full_before():
    _, claims = read(
        "Martha Fry and her brother Dale Ford disputed that account.",
        "Dale wrote that the family had never objected.",
    )
    assert (claims[-1].speaker, claims[-1].speaker_resolved, claims[-1].speaker_kind) == ("Dale", "Dale Ford", "person")


@pytest.mark.parametrize("shared", [True, False], ids=["two-holms", "one-holm"])
def test_a_title_on_a_surname_two_people_share_is_neither_ones_role(shared):
    first = "Anna Holm and Erik Holm came to the rally in Malmo on Monday." if shared else "Erik Holm came to the rally in Malmo on Monday."
    entities, claims = read(
        first,
        "Rivals attacked Governor Holm's record on taxes.",
        "The former governor said the rivals were wrong.",
    )
    roles = {e.name: e.role for e in entities if e.kind == "person"}
    if shared:
        # Which Holm was governor the text does not say: the title stays with neither.
        assert roles == {"Anna Holm": None, "Erik Holm": None}
        assert claims[-1].speaker_resolved == "former governor"
    else:
        assert roles == {"Erik Holm": "Governor"}
        assert (claims[-1].speaker_resolved, claims[-1].speaker_role) == ("Erik Holm", "Governor")


@pytest.mark.parametrize("paragraphs,roles", [
    (["JAKE TAPPER: Donald Trump released a video on Friday.", "TAPPER: Why now? The senator said the timing was odd."],
     [None, None, None]),
    (["Sanders: Clinton Email Story Has Moved.", "Sanders said the story had moved on."], [None, None]),
    (["The vote will be close, said -Pollster Ann Selzer."], ["Pollster"]),
], ids=["transcript labels", "headline label", "dash before a title"])
def test_a_label_or_a_headline_is_no_role(paragraphs, roles):
    _, claims = read(*paragraphs)
    assert [c.speaker_role for c in claims] == roles


def test_a_lone_capitalised_name_nobody_resolves_is_a_person():
    _, claims = read(
        "Spain's Feliciano Lopez and Marcel Granollers won the deciding doubles on Sunday.",
        '"It was a difficult situation for us," Lopez said.',
    )
    assert (claims[-1].speaker, claims[-1].speaker_kind) == ("Lopez", "person")


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Argentina's Diego Schwartzman beat Cristian Garin in straight sets.",
         '"I played one of the best matches of the year," the 14th-ranked Schwartzman said.'],
        ["Serbia's Novak Djokovic and Diego Schwartzman led the standings.",
         "Schwartzman told reporters that the format was difficult."],
    ],
)
def test_a_personal_name_the_tagger_calls_an_organisation_is_a_person(paragraphs):
    entities, claims = read(*paragraphs)
    assert {e.name: e.kind for e in entities}["Diego Schwartzman"] == "person"
    assert (claims[0].speaker_resolved, claims[0].speaker_kind) == ("Diego Schwartzman", "person")


@pytest.mark.parametrize("outlet", ["Deadline", "Rolling Stone", "The Hollywood Reporter"])
def test_an_outlet_without_a_media_word_in_its_name_is_media(outlet):
    claim = only(f"{outlet} reported that the studio had hired a new director for the sequel.")
    assert claim.speaker_kind == "media"


def test_a_spokesman_for_a_company_is_still_a_person():
    entities, claims = read(
        "Mart Kask, a spokesman for the operator, said the fire was out.",
        "Helen Ward, a passenger, said nobody had panicked.",
        "He said the inquiry would take a week.",
    )
    assert {e.name: e.kind for e in entities}["Mart Kask"] == "person"
    assert claims[-1].speaker_resolved == "Mart Kask"


def test_a_spokesman_for_a_company_speaks_for_an_organisation():
    _, claims = read(
        "Mart Kask, a spokesman for the operator, said the fire was out.",
        "Anna Lind, a spokeswoman for the transport ministry, said the route would reopen.",
        "Kym Lino, a spokesperson for Instagram, confirmed that the app would notify users.",
    )
    kinds = {c.speaker_resolved: c.speaker_kind for c in claims}
    assert kinds == {"Mart Kask": "organization", "Anna Lind": "government", "Kym Lino": "organization"}


def test_a_quotation_signed_with_a_dash_is_its_signers():
    _, claims = read(
        "Readers wrote to us after the debate.",
        "”Fear. I am truly afraid for the harbour towns.” ― Edwin G. Monroy",
        "“He never answered the question about the piers.”― Carla Sanchez.",
    )
    assert [(c.speaker, c.cue, c.quote) for c in claims] == [
        ("Edwin G. Monroy", "―", "direct"),
        ("Carla Sanchez", "―", "direct"),
    ]
    assert claims[0].content == "Fear. I am truly afraid for the harbour towns"


def test_a_transcript_speaker_label_in_capitals_is_a_speaker():
    _, claims = read(
        "WALLACE: Will the governor attend the debate tomorrow night?",
        "PENCE: He will be there, and he will talk about jobs.",
    )
    assert [(c.speaker, c.cue) for c in claims] == [("WALLACE", ":"), ("PENCE", ":")]
    assert claims[1].content == "He will be there, and he will talk about jobs"


def test_names_labelling_lists_of_charges_are_no_speakers():
    _, claims = read(
        "Police held the six on the following preliminary charges:",
        "Elizabeth A. Burton: Possession of methamphetamine, possession of a Schedule IV substance, held in lieu of $70,000 bond.",
        "Christopher L. Tays: Two county warrants, possession of marijuana, held in jail with no bond.",
        "JONES: We were never told about the raid.",
    )
    assert [(c.speaker, c.cue) for c in claims] == [("JONES", ":")]


@pytest.mark.parametrize("paragraph", [
    "UPDATE: The ferry service resumed on Tuesday after the storm.",
    "NEW DELHI: The ferry service resumed on Tuesday after the storm.",
    "New Delhi: The ferry service resumed on Tuesday after the storm.",
    "Q: Why did the ferry service stop for a week?",
    "WHY IT MATTERS: The ferry is the only link to the island in winter.",
])
def test_section_labels_datelines_and_interview_questions_are_not_speakers(paragraph):
    _, claims = read(paragraph)
    assert [c for c in claims if c.cue == ":"] == []


@pytest.mark.parametrize("text,content", [
    ("The harbour union urged its members to return to work on Monday.", "its members to return to work on Monday"),
    ("The mayor called on the ferry company to restore the night service.", "the ferry company to restore the night service"),
    ("The mayor promised to restore the night service.", "to restore the night service"),
])
def test_a_call_to_act_includes_who_is_called_on(text, content):
    # Calls and pledges are attributions (PolNeAR marks them), though not claims of fact.
    from newstrace.claims.attribution import find_attributions
    from newstrace.claims.nlp import load_nlp

    found = find_attributions([(0, len(text))], [load_nlp()(text)])
    assert [text[a.content[0][0] : a.content[-1][1]] for a in found] == [content]


def test_a_spokesperson_speaks_for_an_organisation_only_the_article_names_as_one():
    _, claims = read(
        "Train drivers at German rail operator Nordbahn will strike for 48 hours from Thursday.",
        "Nordbahn spokeswoman Anja Vogel said the company had made two offers.",
        "Clinton spokesman Brian Fallon said the emails had not been classified.",
        "Former Representative Peter Hoekstra said the deal was a mistake.",
    )
    assert [(c.speaker_resolved, c.speaker_kind) for c in claims] == [
        ("Anja Vogel", "organization"), ("Brian Fallon", "government"), ("Peter Hoekstra", "government"),
    ]


def test_a_courtesy_title_is_no_role():
    claim = only("Mrs. Carly Fiorina said the plan would fail.")
    assert (claim.speaker_resolved, claim.speaker_role) == ("Carly Fiorina", None)


def test_title_words_the_tagger_took_into_a_name_stay_the_title():
    # The small pipeline tags "Sophie Marchand" as an organisation, not a person.
    _, claims = read("Union representative Sophie Marchand said the rosters had been changed without notice.")
    claim = claims[0]
    assert (claim.speaker_resolved, claim.speaker_role, claim.speaker_kind) == (
        "Sophie Marchand", "Union representative", "organization",
    )


def test_an_organisation_named_again_without_the_taggers_mark_is_still_it():
    entities, claims = read(
        "Train drivers at German rail operator Nordbahn will strike for 48 hours from Thursday.",
        "Nordbahn said the strike was unnecessary and called on the union to return to talks.",
        "Nordbahn carries about 1.2 million passengers a day. The company said it would run an emergency timetable.",
    )
    assert [(c.speaker, c.speaker_resolved, c.speaker_kind) for c in claims] == [
        ("Nordbahn", "Nordbahn", "organization"),
        ("company", "Nordbahn", "organization"),
    ]
    nordbahn = next(e for e in entities if e.name == "Nordbahn")
    assert nordbahn.kind == "organization" and len(nordbahn.mentions) >= 3


def test_a_name_with_a_which_clause_is_an_organisation():
    entities, claims = read(
        "Minera Altiplano, which operates the mine, denied that it had ignored any warnings.",
    )
    assert {e.name: e.kind for e in entities}["Minera Altiplano"] == "organization"
    assert claims[0].speaker_kind == "organization"


def test_a_public_emergency_service_speaks_for_the_government():
    claim = only("The fire service said the blaze was largely under control by Tuesday morning.")
    assert (claim.speaker, claim.speaker_kind) == ("fire service", "government")


def test_a_dateline_is_a_place_and_no_speaker():
    entities, claims = read(
        "WINNIPEG, May 14 (Reuters) - The Northern Reserve Bank kept its benchmark interest rate at 2.75% on "
        "Wednesday, as expected, and said it would move carefully given uncertainty over trade.",
    )
    assert (claims[0].speaker, claims[0].speaker_resolved, claims[0].speaker_kind) == (
        "Northern Reserve Bank", "Northern Reserve Bank", "organization",
    )
    assert {e.name: e.kind for e in entities}["WINNIPEG"] == "place"
    # The parser may instead hang the subject on the dateline itself.
    claim = read(
        "ORLANDO, Fla. (Reuters) - President Barack Obama met survivors of a nightclub massacre on Thursday "
        "and said the United States must act to control gun violence.",
    )[1][0]
    assert (claim.speaker, claim.speaker_resolved) == ("President Barack Obama", "Barack Obama")


@pytest.mark.parametrize("paragraph,place", [
    ("KYIV (AFP) — Ukraine said on Monday that the dam had been hit.", "KYIV"),
    ("SEOUL, South Korea (AP) -- North Korea fired two missiles.", "SEOUL"),
    ("NEW YORK — Shares rose.", "NEW YORK"),
    ("NATO, the Western alliance, said it would send more jets.", ""),
    ("UPDATE: The minister resigned - officials said.", ""),
    ("EVEN OZ’S BOSS - The host said he had seen the records.", ""),
])
def test_a_datelines_place(paragraph, place):
    assert paragraph[: find_dateline(paragraph)[0]] == place


CONTEXT_ARTICLE = "\n\n".join([
    "WALLACE: Will the governor be there?",
    "PENCE: He will be there, and he will talk about jobs.",
    "The senator spoke to reporters on Tuesday. Cruz continued:",
    '"We will not give up on this bill, and we will win the vote."',
    '"The harbour will reopen before the summer."',
    "— Maria Lindqvist",
    "Anna Kovacs told reporters that the vote would be delayed, officials said.",
])


@pytest.mark.parametrize("text", [CONTEXT_ARTICLE, (SAMPLES / "harbour-wire-republished.txt").read_text(encoding="utf-8")])
def test_paragraphs_read_on_their_own_read_as_in_their_article(text):
    # find_attributions takes a paragraph's own reading where its neighbours cannot change it (the
    # model reads it anyway); reading every paragraph in its place must give the same.
    from newstrace.claims.attribution import _Paragraph, _read, find_attributions, read_paragraph
    from newstrace.claims.nlp import parse_articles
    from newstrace.claims.polnear import article_from_text

    article = article_from_text(text)
    spans = [p.span for p in article.paragraphs]
    (docs,) = parse_articles([article.paragraph_texts()])
    in_place = []
    for index, (span, doc) in enumerate(zip(spans, docs)):
        following = (spans[index + 1], docs[index + 1]) if index + 1 < len(docs) else None
        previous = (docs[index - 1], spans[index - 1][0]) if index else (None, 0)
        in_place.extend(_read(_Paragraph(index, span[0], doc, following), *previous))
    introduced = {span for a in in_place if not a.continues for span in a.content}
    in_place = [a for a in in_place if not (a.continues and a.content[0] in introduced)]
    assert find_attributions(spans, docs) == in_place
    assert find_attributions(spans, docs, [read_paragraph(doc) for doc in docs]) == in_place
    if text == CONTEXT_ARTICLE:  # the three constructions that look at their place were read in it
        assert {a.cue_lemma for a in in_place} >= {"label", "continue"}
        assert any(a.source is not None and text[a.source[0] : a.source[1]] == "Maria Lindqvist" for a in in_place)
