"""Gold for the sample corpus in samples/corpus (see its README): which pages are copies of one
text, which tell one story, and the independent origins behind each story.

Articles are named by their URL, or by their file name when they have none. Pages not listed in a
copy group are their own copy group; pages not listed in a story are their own story.
"""

COPY_GROUPS = {
    # AFP's wire story on the Cerro Blanco collapse: in full, trimmed and retitled, with a paragraph
    # added (a text page), lightly reworded (JSON Lines), and in full in a feed.
    "mine-afp": {
        "https://openwirenews.example/2025/03/11/fourteen-miners-trapped-chile/",
        "https://coastlineherald.example/news/world/chile-mine-collapse-14-trapped",
        "metrobulletin-chile-mine.txt",
        "https://pacificledger.example/world/americas/chile-mine-collapse-fourteen-trapped",
        "https://lakesidecourier.example/world/chile-14-workers-trapped",
    },
    # Reuters on the Nordbahn strike: in full, retitled with a paragraph added, trimmed as text.
    "rail-reuters": {
        "https://openwirenews.example/2025/04/08/german-rail-drivers-strike-48-hours/",
        "https://pacificledger.example/world/europe/nordbahn-strike-two-days",
        "https://northgatetimes.example/world/2025/apr/08/german-rail-drivers-strike",
    },
    # AP on the Kefalonia fire: in full, trimmed and retitled (text page), in a feed.
    "fire-ap": {
        "https://openwirenews.example/2025/07/21/wildfire-kefalonia-evacuation/",
        "coastline-kefalonia-fire.txt",
        "https://lakesidecourier.example/world/kefalonia-wildfire-evacuation",
    },
    # Reuters on the Maple Health breach: in full, retitled and lightly edited.
    "hospital-reuters": {
        "https://pacificledger.example/world/canada/maple-health-ransomware-380000",
        "https://metrobulletin.example/world/ontario-hospital-hack-patient-records",
    },
}

COPY_GROUP_AGENCY = {"mine-afp": "AFP", "rail-reuters": "Reuters", "fire-ap": "AP", "hospital-reuters": "Reuters"}

STORIES = {
    "mine": COPY_GROUPS["mine-afp"]
    | {
        "https://andesobserver.example/en/2025/03/11/rescuers-race-cerro-blanco",
        "https://northgatetimes.example/world/2025/mar/11/chile-mine-collapse-what-we-know",
        "https://dailymeridian.example/world/2025/03/12/mining-company-rejects-union-claims",
    },
    "rail": COPY_GROUPS["rail-reuters"]
    | {
        "https://railroadweekly.example/news/gls-two-day-walkout-nordbahn",
        "https://dailymeridian.example/europe/2025/04/09/nordbahn-denies-refusing-talks",
    },
    "fire": COPY_GROUPS["fire-ap"]
    | {
        "https://islandvoice.example/2025/07/22/night-of-fear-kefalonia-villages",
        "https://northgatetimes.example/world/2025/jul/22/greek-fire-service-rejects-claims",
    },
    "hospital": COPY_GROUPS["hospital-reuters"]
    | {
        "https://techpulse.example/security/maple-health-files-ransomware-forum",
        "https://coastlineherald.example/news/world/hospital-network-denies-records-sold",
    },
}

# Articles alone in their story: unrelated news, two look-alikes (an earlier mine rescue in Peru,
# a tram strike in Lyon in the same week as the German rail strike), a feed entry with only a
# summary, and an undated text page.
SINGLE_STORIES = {
    "https://andesobserver.example/en/2024/11/05/three-miners-rescued-pataz",
    "https://coastlineherald.example/news/world/lyon-tram-workers-walk-out",
    "https://dailymeridian.example/culture/2025/03/12/city-museum-reopens",
    "https://pacificledger.example/business/northern-reserve-bank-holds-rate",
    "https://lakesidecourier.example/life/harbour-food-festival-record",
    "https://lakesidecourier.example/local/library-weekend-hours",
    "riverside-cup.txt",
}

# Independent origins of each story: the wire agency once for all its copies (and for an outlet
# that quotes it: Northgate's mine report credits AFP), and each outlet that did its own reporting.
STORY_ORIGINS = {
    "mine": {"AFP", "Andes Observer", "The Daily Meridian"},
    "rail": {"Reuters", "Rail & Road Weekly", "The Daily Meridian"},
    "fire": {"AP", "Island Voice", "Northgate Times"},
    "hospital": {"Reuters", "TechPulse", "Coastline Herald"},
}

PARTIAL = {"https://lakesidecourier.example/local/library-weekend-hours"}

OBSERVER_MINE = "https://andesobserver.example/en/2025/03/11/rescuers-race-cerro-blanco"
NORTHGATE_MINE = "https://northgatetimes.example/world/2025/mar/11/chile-mine-collapse-what-we-know"
MERIDIAN_MINE = "https://dailymeridian.example/world/2025/03/12/mining-company-rejects-union-claims"
TRIMMED_MINE = "https://coastlineherald.example/news/world/chile-mine-collapse-14-trapped"

# Key claims and their support. Each is found as the assertion group holding a claim whose content
# matches ``pattern``; ``articles`` are the articles carrying it, ``denials`` the number of claims
# denying it and the articles they are in.
CLAIMS = {
    "mine-trapped": {
        "story": "mine",
        "pattern": r"^(14|Fourteen) workers (are|remained) trapped",
        "articles": COPY_GROUPS["mine-afp"] | {OBSERVER_MINE},
        "origins": {"AFP", "Andes Observer"},
        "speakers": {"Marcela Rivas"},
        "denials": (0, set()),
    },
    "mine-warnings": {
        "story": "mine",
        "pattern": r"company had ignored (repeated )?warnings about cracks",
        "articles": COPY_GROUPS["mine-afp"] | {OBSERVER_MINE},
        "origins": {"AFP", "Andes Observer"},
        "speakers": {"Jorge Paredes"},
        # The wire's denial in its five copies, the Observer's, and two in the Meridian's report.
        "denials": (8, COPY_GROUPS["mine-afp"] | {OBSERVER_MINE, MERIDIAN_MINE}),
    },
    "mine-knocking": {
        "story": "mine",
        "pattern": r"heard knocking",
        "articles": COPY_GROUPS["mine-afp"] | {NORTHGATE_MINE},
        "origins": {"AFP"},  # Northgate's report credits AFP for it
        "speakers": {"Marcela Rivas"},
        "denials": (0, set()),
    },
    "mine-shaft": {
        "story": "mine",
        "pattern": r"shaft .*five days|five days to drill",
        "articles": (COPY_GROUPS["mine-afp"] - {TRIMMED_MINE}) | {OBSERVER_MINE},
        "origins": {"AFP", "Andes Observer"},
        "speakers": {"Tomas Herrera"},
        "denials": (0, set()),
    },
    "rail-refused": {
        "story": "rail",
        "pattern": r"had refused to negotiate",
        "articles": COPY_GROUPS["rail-reuters"] | {"https://railroadweekly.example/news/gls-two-day-walkout-nordbahn"},
        "origins": {"Reuters", "Rail & Road Weekly"},
        "speakers": {"Claus Becker"},
        "denials": (1, {"https://dailymeridian.example/europe/2025/04/09/nordbahn-denies-refusing-talks"}),
    },
    "fire-late": {
        "story": "fire",
        "pattern": r"arrived four hours after|came too late",
        "articles": COPY_GROUPS["fire-ap"] | {"https://islandvoice.example/2025/07/22/night-of-fear-kefalonia-villages"},
        "origins": {"AP", "Island Voice"},
        "speakers": {"Nikos Angelou"},
        "denials": (1, {"https://northgatetimes.example/world/2025/jul/22/greek-fire-service-rejects-claims"}),
    },
    "hospital-sold": {
        "story": "hospital",
        "pattern": r"had been sold on a dark web forum",
        "articles": COPY_GROUPS["hospital-reuters"] | {"https://techpulse.example/security/maple-health-files-ransomware-forum"},
        "origins": {"Reuters", "TechPulse"},
        "speakers": {"Leah Okafor"},
        "denials": (4, COPY_GROUPS["hospital-reuters"] | {"https://coastlineherald.example/news/world/hospital-network-denies-records-sold"}),
    },
    "hospital-warned": {
        "story": "hospital",
        "pattern": r"had been warned about the",
        "articles": COPY_GROUPS["hospital-reuters"] | {"https://techpulse.example/security/maple-health-files-ransomware-forum"},
        "origins": {"Reuters", "TechPulse"},
        "speakers": {"Diane Roy"},
        "denials": (0, set()),
    },
}
