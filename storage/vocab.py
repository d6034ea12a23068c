"""Veille's vocabulary: label values, tiers, tasks and flag kinds, with French and English names."""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)  # the languages Veille writes and reads, French first

# --- labels of a mention ---------------------------------------------------------------------

SENTIMENTS = ("negative", "neutral", "positive")
# The topic taxonomy of DESIGN.md, in the order of the study's shares; `autre` is "none of these".
TOPICS = (
    "prescription", "communication", "service_client", "information",
    "communaute", "crowdsourcing", "autre",
)  # fmt: skip
OTHER_TOPIC = "autre"
UNDETERMINED_LANGUAGE = "und"  # ISO 639-2 "undetermined": too short or too mixed to tell
UNLABELLED = "unlabelled"  # what reports show for a mention with no label for a task
# What a person types for "every brand" (or every kind) where one is asked: a mute, an event.
EVERY = "*"

# Topic shares seen in the study of 1,660 conversations about the 50 largest French
# e-merchants (Twitter, Facebook, forums), DESIGN.md; `autre` has no share there.
TOPIC_STUDY_SHARES: dict[str, float] = {
    "prescription": 0.35,
    "communication": 0.28,
    "service_client": 0.13,
    "information": 0.12,
    "communaute": 0.10,
    "crowdsourcing": 0.02,
}

# --- authors -----------------------------------------------------------------------------------

# Contributor profiles of DESIGN.md, then `inconnu` for a history too thin or too plain to tell.
UNKNOWN_PROFILE = "inconnu"
PROFILES = (
    "chasseur_info", "expert", "time_killer", "chasseur_bons_plans", "opportuniste", "fan",
    UNKNOWN_PROFILE,
)  # fmt: skip
KNOWN_PROFILES = PROFILES[:-1]

# Participation tiers (the rule that assigns them: nlp.authors.tiers.assign_tiers).
TIERS = ("regular", "occasional", "one_off")
# Nielsen's 1/9/90 rule: 1 % contribute regularly, 9 % occasionally, 90 % hardly ever.
TIER_STUDY_SHARES: dict[str, float] = {"regular": 0.01, "occasional": 0.09, "one_off": 0.90}

# Why a mention is judged part of coordinated or inauthentic praise or denigration.
FLAG_KINDS = ("near_duplicate", "burst_new_accounts", "review_same_day")

# --- labelling tasks ---------------------------------------------------------------------------

# The tasks labelled per mention (by the labelers, and by people with `veille label`).
MENTION_TASKS = ("language", "sentiment", "topic")
# Every task a stored label or an export column may carry: the profile is an author's label.
LABEL_TASKS = (*MENTION_TASKS, "profile")

_TASK_VALUES: dict[str, tuple[str, ...]] = {
    "sentiment": SENTIMENTS,
    "topic": TOPICS,
    "profile": PROFILES,
}


def values_of(task: str) -> tuple[str, ...]:
    """The values a task may take; empty for `language` (any ISO 639-1 code, or `und`)."""
    if task not in LABEL_TASKS:
        raise KeyError(f"unknown task {task!r}; tasks are {', '.join(LABEL_TASKS)}")
    return _TASK_VALUES.get(task, ())


# --- names shown to people ---------------------------------------------------------------------

# group -> value -> (French, English). Reports, e-mails and CLI tables show these, never the ids.
NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "sentiment": {
        "negative": ("négatif", "negative"),
        "neutral": ("neutre", "neutral"),
        "positive": ("positif", "positive"),
        UNLABELLED: ("non étiqueté", "unlabelled"),
    },
    "topic": {
        "prescription": ("Prescription (avis)", "Prescription (reviews)"),
        "communication": ("Communication", "Communication"),
        "service_client": ("Service client", "Customer service"),
        "information": ("Information", "Information"),
        "communaute": ("Communauté", "Community"),
        "crowdsourcing": ("Crowdsourcing (idées)", "Crowdsourcing (ideas)"),
        "autre": ("Autre", "Other"),
        UNLABELLED: ("non étiqueté", "unlabelled"),
    },
    "tier": {
        "regular": ("régulier", "regular"),
        "occasional": ("occasionnel", "occasional"),
        "one_off": ("ponctuel", "one-off"),
    },
    "profile": {
        "chasseur_info": ("chasseur d'info", "info hunter"),
        "expert": ("expert", "expert"),
        "time_killer": ("time killer", "time killer"),
        "chasseur_bons_plans": ("chasseur de bons plans", "deal hunter"),
        "opportuniste": ("opportuniste", "opportunist"),
        "fan": ("fan", "fan"),
        UNKNOWN_PROFILE: ("inconnu", "unknown"),
    },
    "task": {
        "language": ("langue", "language"),
        "sentiment": ("sentiment", "sentiment"),
        "topic": ("thématique", "topic"),
        "profile": ("profil", "profile"),
    },
    "source_kind": {
        "forum": ("Forum", "Forum"),
        "discourse": ("Forum Discourse", "Discourse forum"),
        "rss": ("Blog (flux RSS)", "Blog (RSS feed)"),
        "reviews": ("Avis clients", "Customer reviews"),
        "mastodon": ("Mastodon", "Mastodon"),
        "bluesky": ("Bluesky", "Bluesky"),
        "reddit": ("Reddit", "Reddit"),
        "youtube": ("YouTube", "YouTube"),
        "twitter_export": ("X (Twitter)", "X (Twitter)"),
        "facebook_export": ("Facebook", "Facebook"),
    },
    "alert_kind": {
        "bad_buzz": ("Bad buzz", "Bad buzz"),
        "negative_share": ("Part de négatif en hausse", "Negative share jump"),
        "influential_post": ("Message négatif influent", "High-reach negative post"),
        "campaign": ("Campagne coordonnée", "Coordinated campaign"),
        "rising_term": ("Terme en forte hausse", "Rising term"),
        "rising_theme": ("Thème en forte hausse", "Rising theme"),
        "watched_author": ("Auteur suivi", "Watched author"),
    },
    "flag": {
        "near_duplicate": ("quasi-doublon", "near-duplicate"),
        "burst_new_accounts": ("rafale de comptes récents", "burst of new accounts"),
        "review_same_day": ("avis groupés le même jour", "same-day reviews"),
    },
}

# The kinds of source are config's vocabulary (config.settings.SourceKind, docs/development.md);
# here only their names, keyed by kind (tests/test_vocab.py keeps both sides equal).
SOURCE_KINDS = tuple(NAMES["source_kind"])
# The kinds of alert are config's vocabulary too (config.settings.AlertKind: routes name them);
# here their names, keyed by kind, in the order checks evaluate them (bad buzz first).
ALERT_KINDS = tuple(NAMES["alert_kind"])

_GROUP_VALUES: dict[str, tuple[str, ...]] = {
    "sentiment": (*SENTIMENTS, UNLABELLED),
    "topic": (*TOPICS, UNLABELLED),
    "tier": TIERS,
    "profile": PROFILES,
    "task": LABEL_TASKS,
    "source_kind": SOURCE_KINDS,
    "alert_kind": ALERT_KINDS,
    "flag": FLAG_KINDS,
}


def name(group: str, value: object, lang: Lang = "fr") -> str:
    """The name people read for a value of a group (sentiment, topic, tier, profile, task, flag);
    the value itself when the group or value is not in the vocabulary."""
    pair = NAMES.get(group, {}).get(str(value))
    if pair is None:
        return str(value)
    return pair[0] if lang == "fr" else pair[1]


def groups() -> dict[str, tuple[str, ...]]:
    """Every named group with its values, in order (for checks and for listings)."""
    return dict(_GROUP_VALUES)
