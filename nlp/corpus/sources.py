"""Readers of the real texts in ../shared/data that the corpus samples, one per source folder."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from config.settings import SourceKind
from nlp.cleanup import letter_count
from nlp.corpus.forum_posts import DOCUSIGN_BOARDS, read_posts
from nlp.corpus.langcheck import other_language
from nlp.corpus.reviews import read_reviews
from nlp.corpus.textkey import text_key, tidy

KINDS = (
    "tweet_to_brand", "tweet_about_brand", "tweet_general", "facebook_comment", "review",
    "company_reply", "brand_post", "forum_post", "suggestion_sentence",
)  # fmt: skip
# Kinds whose author is the brand itself (a feature for the topic model).
BRAND_AUTHORED = frozenset({"company_reply", "brand_post"})
# Page furniture scraped along with Facebook comments.
_UI_JUNK = re.compile(
    r"^(plus pertinents|suivre|répondre|voir plus|afficher plus.*|toutes les réactions"
    r"|la sélection est sur plus pertinents.*)$",
    re.IGNORECASE,
)
MIN_LETTERS = 3


@dataclass(frozen=True)
class Text:
    """One real text. `stratum` is the source's own label (stars, sentiment, suggestion flag),
    used to spread the sample and never shown to annotators; `group` is the page, company or
    airline within the source."""

    source: str
    key: str
    lang: str
    kind: str
    context: str
    text: str
    stratum: str = ""
    group: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    path: str  # relative to the data folder; "" for the texts committed in the repository
    langs: tuple[str, ...]
    read: Callable[[Path], Iterator[Text]]
    brand_handles: re.Pattern[str] | None = None  # accounts kept as they are in batches
    # Where its texts were written, as Veille's own sources name it (config.settings.SourceKind):
    # the labelers read a corpus text as they read a collected mention of that kind.
    source_kind: str = "twitter_export"


def _csv_rows(
    path: Path, delimiter: str = ",", encoding: str = "utf-8"
) -> Iterator[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        yield from csv.DictReader(fh, delimiter=delimiter)


# --- French ---------------------------------------------------------------------------------

_ENGIE = re.compile(r"@engie\w*", re.IGNORECASE)


def read_engie(data: Path) -> Iterator[Text]:
    path = data / "brand_talk" / "fr_engie_tweets" / "filtered_tweets_engie.csv"
    # The ids were mangled by a spreadsheet (1,72517E+18): the key is the text's hash.
    for row in _csv_rows(path, delimiter=";", encoding="utf-8-sig"):
        raw = row["full_text"]
        text = tidy(raw, literal_newlines=True, unescape=True)
        if row["screen_name"].lower().startswith("engie"):
            kind, context = "brand_post", "A tweet by ENGIE's own account (energy supplier)"
        elif _ENGIE.search(raw):
            kind = "tweet_to_brand"
            context = "Tweet to ENGIE's accounts (energy supplier, customer service)"
        else:
            kind, context = "tweet_about_brand", "Tweet about ENGIE (energy supplier)"
        yield Text("fr_engie_tweets", text_key(raw), "fr", kind, context, text)


_FACEBOOK_PAGES = {
    "comments.csv": (
        "Fnac",
        "Facebook comment on Fnac's page (French retailer: books, electronics)",
    ),
    "comments_orangeMoney_cleaned.csv": (
        "Orange Money CI",
        "Facebook comment on Orange Money Côte d'Ivoire's page (mobile money, Ivorian French)",
    ),
    "comments_wave.csv": (
        "Wave CI",
        "Facebook comment on Wave Côte d'Ivoire's page (mobile money, Ivorian French)",
    ),
}


def read_facebook(data: Path) -> Iterator[Text]:
    folder = data / "brand_talk" / "fr_facebook_comments"
    for name, (page, context) in _FACEBOOK_PAGES.items():
        for row in _csv_rows(folder / name):
            raw = row["comments"]
            yield Text(
                "fr_facebook_comments", text_key(raw), "fr", "facebook_comment", context,
                tidy(raw), group=page,
            )  # fmt: skip


_RETAILERS = {
    "showroom_reviews.json": "Showroomprivé (online fashion and flash sales)",
    "labonneallure_fr_reviews.json": "La Bonne Allure (driving school)",
    "www_cdiscount_com_reviews.json": "Cdiscount (online marketplace)",
    "www_darty_com_reviews.json": "Darty (electronics and appliance retailer)",
    "www_decathlon_fr_reviews.json": "Decathlon (sports retailer)",
    "www_intersport_fr_reviews.json": "Intersport (sports retailer)",
}


def read_trustpilot_retail(data: Path) -> Iterator[Text]:
    folder = data / "brand_talk" / "fr_trustpilot_retail"
    for name, shop in _RETAILERS.items():
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        for review in doc["reviews"]:
            raw = review.get("verbatim") or ""
            yield Text(
                "fr_trustpilot_retail", text_key(raw), "fr", "review",
                f"Trustpilot review of {shop}", tidy(raw),
                stratum=str(review.get("rating", "")), group=shop.split(" (")[0],
            )  # fmt: skip


def _with_title(title: str, body: str) -> str:
    """The review's title as its first line, unless the title is only the body's first words."""
    head = title.strip().rstrip("…").rstrip(".").strip()
    if not head or body.startswith(head):
        return body
    return f"{title.strip()}\n{body}"


def read_trustpilot_bank(data: Path) -> Iterator[Text]:
    path = data / "brand_talk" / "fr_trustpilot_bank" / "dataset.tsv"
    for row in _csv_rows(path, delimiter="\t"):
        lang = (row.get("language") or "").strip()
        raw = row["text"] or ""
        yield Text(
            "fr_trustpilot_bank", text_key(raw), lang, "review",
            "Trustpilot review of an online bank (Keytrade Bank, Belgium)",
            _with_title(tidy(row.get("title") or ""), tidy(raw)), stratum=row["rating"],
        )  # fmt: skip
        reply = row.get("reply_message") or ""
        if reply.strip():
            yield Text(
                "fr_trustpilot_bank", text_key(reply), lang, "company_reply",
                "The bank's reply to a Trustpilot review (the author is Keytrade Bank)",
                tidy(reply), stratum=row["rating"],
            )  # fmt: skip


def read_trustpilot_appliances(data: Path) -> Iterator[Text]:
    path = data / "brand_talk" / "fr_trustpilot_appliances" / "scrapped_comments.csv"
    for row in _csv_rows(path, delimiter=";"):
        raw = row["commentaire"] or ""
        yield Text(
            "fr_trustpilot_appliances", text_key(raw), "fr", "review",
            "Trustpilot review of an online retailer (appliances, electronics; shop often named)",
            tidy(raw), stratum=row["note"],
        )  # fmt: skip


def _umsab(language: str, lang: str, context: str) -> Callable[[Path], Iterator[Text]]:
    def read(data: Path) -> Iterator[Text]:
        folder = data / "umsab" / language
        # The train split only: the validation split stays a benchmark.
        texts = (folder / "train_text.txt").read_text(encoding="utf-8").splitlines()
        labels = (folder / "train_labels.txt").read_text(encoding="utf-8").split()
        for raw, label in zip(texts, labels, strict=True):
            yield Text(
                f"umsab_{language}", text_key(raw), lang, "tweet_general", context,
                tidy(raw, unescape=True), stratum=label,
            )  # fmt: skip

    return read


# --- English --------------------------------------------------------------------------------

_AIRLINES = re.compile(
    r"@(united|americanair|usairways|southwestair|jetblue|virginamerica|delta)", re.IGNORECASE
)


def read_airline(data: Path) -> Iterator[Text]:
    path = data / "brand_talk" / "en_airline_tweets" / "Tweets.csv"
    for row in _csv_rows(path):
        raw = row["text"] or ""
        yield Text(
            "en_airline_tweets", text_key(raw), "en", "tweet_to_brand",
            f"Tweet to a US airline ({row['airline']})", tidy(raw, unescape=True),
            stratum=row["airline_sentiment"], group=row["airline"],
        )  # fmt: skip


def read_spotify(data: Path) -> Iterator[Text]:
    path = data / "brand_talk" / "en_spotifycares_tweets" / "support_requests.csv"
    for row in _csv_rows(path):
        raw = row.get("text") or ""
        if row.get("inbound") != "True" or not row.get("tweet_id"):
            continue
        yield Text(
            "en_spotifycares_tweets", f"tweet:{row['tweet_id']}", "en", "tweet_to_brand",
            "Tweet to a music-streaming service's support account (@SpotifyCares)",
            tidy(raw, unescape=True),
        )  # fmt: skip


def read_sxsw(data: Path) -> Iterator[Text]:
    path = (
        data / "brand_talk" / "en_sxsw_brand_tweets" / "judge-1377884607_tweet_product_company.csv"
    )
    for row in _csv_rows(path, encoding="latin-1"):
        raw = row["tweet_text"] or ""
        yield Text(
            "en_sxsw_brand_tweets", text_key(raw), "en", "tweet_about_brand",
            "Tweet sent during the SXSW 2011 festival, often about Apple or Google products",
            tidy(raw, unescape=True),
            stratum=row["is_there_an_emotion_directed_at_a_brand_or_product"],
            group=row["emotion_in_tweet_is_directed_at"],
        )  # fmt: skip


def read_suggestions(data: Path) -> Iterator[Text]:
    # The training file only: SubtaskA_Trial_Test_Labeled.csv measures the suggestion F1.
    path = data / "suggestions_en" / "V1.4_Training.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 3:
                continue
            raw = row[1]
            yield Text(
                "suggestions_en", text_key(raw), "en", "suggestion_sentence",
                "One sentence of a post on a software feedback forum (phones, apps, dev tools)",
                tidy(raw.strip().strip('"')), stratum=row[2],
            )  # fmt: skip


# --- Forum posts (committed in nlp/corpus/data/forum_posts: not in ../shared/data) -------------


def read_dwolla(data: Path) -> Iterator[Text]:
    for post in read_posts("en_dwolla_discuss"):
        title = post["title"]
        staff = post["kind"] == "company_reply"
        opening = "." not in post["key"]  # dwolla:1322 opens the thread, dwolla:1322.1 replies
        where = f"in the thread \u201c{title}\u201d" if title else ""
        text = f"{title}\n{post['text']}" if opening and title else post["text"]
        context = (
            f"A reply by Dwolla's staff {where} on Dwolla's developer support forum "
            "(a US online payments company)"
            if staff
            else "The first post (its title on the first line) of a thread on Dwolla's developer "
            "support forum (a US online payments company)"
            if opening
            else f"A reply {where} on Dwolla's developer support forum (a US online payments "
            "company)"
        )
        yield Text("en_dwolla_discuss", post["key"], "en", post["kind"],
                   " ".join(context.split()), text, group=post["thread"])  # fmt: skip


def read_docusign(data: Path) -> Iterator[Text]:
    for post in read_posts("en_docusign_community"):
        title, (_, board, uid) = post["title"], post["key"].split(":")
        staff = post["kind"] == "company_reply"
        opening = "." not in uid  # docusign:php-v2:10 opens a thread, docusign:php-v2:10.4 replies
        where = f"in the thread \u201c{title}\u201d" if title else ""
        forum = (f"on the {DOCUSIGN_BOARDS[board]} developer board of DocuSign's community forum "
                 "(e-signature software)")  # fmt: skip
        text = f"{title}\n{post['text']}" if opening and title else post["text"]
        context = (
            f"A reply by DocuSign's staff {where} {forum}"
            if staff
            else f"The first post (its title on the first line) of a thread {forum}"
            if opening
            else f"A reply {where} {forum}"
        )
        yield Text("en_docusign_community", post["key"], "en", post["kind"],
                   " ".join(context.split()), text, group=post["thread"])  # fmt: skip


def read_forumconstruire(data: Path) -> Iterator[Text]:
    for post in read_posts("fr_forumconstruire"):
        opening = bool(post["title"])
        text = f"{post['title']}\n{post['text']}" if opening else post["text"]
        context = (
            "The first post of a thread (its title on the first line) on the DIY board of a "
            "French home-building forum (ForumConstruire.com)"
            if opening
            else "A reply in a thread of the DIY board of a French home-building forum "
            "(ForumConstruire.com)"
        )
        yield Text("fr_forumconstruire", post["key"], "fr", "forum_post", context, text,
                   group=post["thread"])  # fmt: skip


# --- Reviews in English (committed in nlp/corpus/data/reviews: not in ../shared/data) ---------


def read_clothing(data: Path) -> Iterator[Text]:
    for review in read_reviews("en_clothing_reviews"):
        context = (
            f"A customer's review of a women's clothing item ({review['group'].lower()}) "
            "on a US online retailer's site (the retailer's name is replaced by \"retailer\")"
        )
        yield Text("en_clothing_reviews", review["key"], "en", "review", context,
                   _with_title(review["title"], review["text"]), stratum=review["rating"],
                   group=review["group"])  # fmt: skip


def read_hotel(data: Path) -> Iterator[Text]:
    for review in read_reviews("en_hotel_reviews"):
        context = (
            f"A guest's review of a London hotel ({review['group']}) on a hotel-booking site, in "
            "the site's two fields: what the guest liked and what they disliked (the site's "
            "export has no punctuation)"
        )
        yield Text("en_hotel_reviews", review["key"], "en", "review", context, review["text"],
                   stratum=review["rating"], group=review["group"])  # fmt: skip


_GENERAL = "General tweet (not necessarily about a brand)"
_COMMENTS, _REVIEWS = SourceKind.FACEBOOK_EXPORT.value, SourceKind.REVIEWS.value
_FORUM, _DISCOURSE = SourceKind.FORUM.value, SourceKind.DISCOURSE.value
SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("fr_engie_tweets", "brand_talk/fr_engie_tweets", ("fr",), read_engie, _ENGIE),
        Source(
            "fr_facebook_comments", "brand_talk/fr_facebook_comments", ("fr",), read_facebook,
            source_kind=_COMMENTS,
        ),
        Source(
            "fr_trustpilot_retail", "brand_talk/fr_trustpilot_retail", ("fr",),
            read_trustpilot_retail, source_kind=_REVIEWS,
        ),
        Source(
            "fr_trustpilot_bank", "brand_talk/fr_trustpilot_bank", ("fr", "en"),
            read_trustpilot_bank, source_kind=_REVIEWS,
        ),
        Source(
            "fr_trustpilot_appliances", "brand_talk/fr_trustpilot_appliances", ("fr",),
            read_trustpilot_appliances, source_kind=_REVIEWS,
        ),
        Source("umsab_french", "umsab/french", ("fr",), _umsab("french", "fr", _GENERAL)),
        Source(
            "en_airline_tweets", "brand_talk/en_airline_tweets", ("en",), read_airline, _AIRLINES
        ),
        Source(
            "en_spotifycares_tweets", "brand_talk/en_spotifycares_tweets", ("en",), read_spotify,
            re.compile(r"@spotify\w*", re.IGNORECASE),
        ),
        Source(
            "en_sxsw_brand_tweets", "brand_talk/en_sxsw_brand_tweets", ("en",), read_sxsw,
            re.compile(r"@(apple|google|android|sxsw)", re.IGNORECASE),
        ),
        # Sentences of a product's feedback forum (SemEval-2019 Task 9).
        Source("suggestions_en", "suggestions_en", ("en",), read_suggestions, source_kind=_FORUM),
        Source("umsab_english", "umsab/english", ("en",), _umsab("english", "en", _GENERAL)),
        Source("fr_forumconstruire", "", ("fr",), read_forumconstruire, source_kind=_FORUM),
        Source("en_dwolla_discuss", "", ("en",), read_dwolla, source_kind=_DISCOURSE),
        Source("en_docusign_community", "", ("en",), read_docusign, source_kind=_FORUM),
        Source("en_clothing_reviews", "", ("en",), read_clothing, source_kind=_REVIEWS),
        Source("en_hotel_reviews", "", ("en",), read_hotel, source_kind=_REVIEWS),
    )
}  # fmt: skip


def usable(name: str, data: Path, drops: Counter[str] | None = None) -> list[Text]:
    """The texts of one source fit to annotate, in file order: no empty text, page furniture,
    duplicate, or language other than the source's; `drops` counts what was left out and why."""
    source = SOURCES[name]
    drops = drops if drops is not None else Counter()
    seen: set[str] = set()
    kept: list[Text] = []
    for item in source.read(data):
        if letter_count(item.text) < MIN_LETTERS:
            drops["empty or no words"] += 1
        elif _UI_JUNK.match(item.text):
            drops["page furniture"] += 1
        elif item.lang not in source.langs or item.lang not in ("fr", "en"):
            drops[f"language {item.lang or '?'}"] += 1
        elif item.key in seen or item.text.casefold() in seen:
            drops["duplicate"] += 1
        elif other := other_language(item.text, item.lang):
            drops[f"written in {other}"] += 1
        else:
            seen.update((item.key, item.text.casefold()))
            kept.append(item)
    return kept
