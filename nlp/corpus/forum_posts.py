"""Forum posts for the corpus: public forum dumps whose publishers licensed them for reuse,
kept in nlp/corpus/data/forum_posts/ (pseudonymised) because ../shared/data has no forum posts.

Run once, from clones of the two repositories at the commits below:
`python -m nlp.corpus.forum_posts --dwolla DIR --forumconstruire DIR` writes
`en_dwolla_discuss.csv`, `en_docusign_community.csv` (both from the --dwolla clone) and
`fr_forumconstruire.csv` (key, thread, kind, title, text). The corpus's source readers
(`nlp.corpus.sources`) read those files, not the clones.

- `en_dwolla_discuss`: the API-support board of Dwolla's Discourse forum (discuss.dwolla.com,
  a US payments company), 2014–2015, from collab-uniba/emse_best-answer-prediction (MIT),
  `dumps/dwolla/DWOLLAapi-final.csv`. The replies of the people who answer often and never ask
  (`STAFF`, read off the dump: Dwolla's developer-relations staff and its founder) are the
  brand's own (`company_reply`); every other post is a `forum_post`.
- `en_docusign_community`: the five developer boards (.NET, Java, PHP, Ruby, general API) of
  DocuSign's community forum (community.docusign.com, e-signature software), 2011–2014, from the
  same repository, `dumps/docusign/*.csv` (round 5). The replies of the accounts that speak for
  the company (`DOCUSIGN_STAFF`, read off the dump: names carrying DocuSign, and the accounts
  that answer hundreds of threads and say "we" for the company — its developer evangelists,
  support engineers and product managers) are `company_reply`; every other post a `forum_post`.
- `fr_forumconstruire`: opening posts and replies of the DIY board of ForumConstruire.com, from
  Batouuuuu/Outils-de-corpus (CC BY-SA 4.0; its author anonymised the users), the human rows only
  (`data/raw/question_humain.tsv`, and `data/training_SVM/donnees_SVM.tsv`, whose answers are
  the forum's own); the rows of `question_chatgpt.tsv` are machine-written and never read.

Pseudonymised: every author's user name and full name (Dwolla; DocuSign: user names,
@mentions, e-mail addresses, the names the staff sign with, a capitalised name after a
greeting — "Hi Paul," — or after "my name is", a lone name signing off a post, a surname after
a replaced name) and "<name> a écrit :" quotes (ForumConstruire) become @user (links become
`http` when the corpus shows a text, as for every source); the like counts and edit notices
the scraper glued to a reply's end are removed (one pass: a count left before an edit notice
stays, in 2 replies). Other members' names inside a French text ("comme le dit X") are not
known to the script and stay."""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from nlp.corpus.committed import read_rows, write_rows
from nlp.corpus.paths import RECORDS
from nlp.corpus.textkey import text_key, tidy

FOLDER = RECORDS / "forum_posts"
FIELDS = ("key", "thread", "kind", "title", "text")
ORIGINS = {
    "en_dwolla_discuss": (
        "collab-uniba/emse_best-answer-prediction@cf6bd64", "dumps/dwolla/DWOLLAapi-final.csv",
        "MIT",
    ),
    "en_docusign_community": (
        "collab-uniba/emse_best-answer-prediction@cf6bd64", "dumps/docusign/*.csv", "MIT",
    ),
    "fr_forumconstruire": (
        "Batouuuuu/Outils-de-corpus@b9b76f7",
        "data/raw/question_humain.tsv, data/training_SVM/donnees_SVM.tsv", "CC BY-SA 4.0",
    ),
}  # fmt: skip
# Dwolla authors with 7+ replies and no question of their own: the company's people.
STAFF = frozenset({"gordon", "spencer", "David", "bpmilne", "BrianC", "troyblank"})

# DocuSign's boards (file → what the board is about) and the accounts that speak for DocuSign.
DOCUSIGN_BOARDS = {
    "dotnet-v1": ".NET", "java-v4": "Java", "misc-v1": "general API", "php-v2": "PHP",
    "ruby-v1": "Ruby",
}  # fmt: skip
DOCUSIGN_STAFF = frozenset({
    "Ergin", "vladcretu", "DocuMarc", "juliaAtDocuSign", "nicholasareed", "mikebz",
    "craigatdocusign", "BeauatDocuSign", "RussAtDocuSign", "krisatdocusign", "DocuDaniel",
    "KennyBDocuSign", "dreid", "Molly_Brown", "WTP", "mlevy", "MarcAdmin",
})  # fmt: skip
# The names the staff sign with ("-Ergin", "Marc", "-mb", two surnames), and user names that
# are also plain words of the posts (kept: replacing them would garble the text).
DOCUSIGN_SIGNATURES = (
    "Ergin", "Marc", "Vlad", "Julia", "Mike", "Nick", "Beau", "Russ", "Kris", "Craig", "Kenny",
    "Dan", "Molly", "mb", "Dervisoglu", "Borozdin",
)  # fmt: skip
PLAIN_WORDS = frozenset({"developer", "devcenter", "transport", "runner", "max"})

_AUTHOR = re.compile(r"^(?P<name>.*?)\s*\((?P<handle>[^()]+)\)\s*$")
_QUOTED = re.compile(r"\b[\w.-]{2,30} a écrit\s*:", re.UNICODE)
_TRAILER = re.compile(r"(?:\s+Edité \d+ fois.*$)|(?:(?:\s+\d{1,3})+\s*$)", re.DOTALL)


def read_posts(name: str, folder: Path = FOLDER) -> Iterator[dict[str, str]]:
    """The committed posts of one forum source, in file order."""
    return read_rows(folder, name)


def _people(authors: list[str]) -> re.Pattern[str]:
    """Every author's handle, full name and first name (3+ letters) as one pattern."""
    names: set[str] = set()
    for author in authors:
        match = _AUTHOR.match(author)
        if not match:
            continue
        full, handle = match["name"].strip(), match["handle"].strip()
        names.update(n for n in (full, handle, full.split(" ")[0]) if len(n) >= 3)
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w@])(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def dwolla(clone: Path) -> list[dict[str, str]]:
    with (clone / "dumps" / "dwolla" / "DWOLLAapi-final.csv").open(
        encoding="utf-8", errors="replace", newline=""
    ) as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    people = _people([r["author"] for r in rows])
    titles = {r["uid"]: r["title"] for r in rows if r["type"] == "question"}
    out = []
    for row in rows:
        match = _AUTHOR.match(row["author"])
        handle = match["handle"].strip() if match else ""
        thread = row["uid"].split(".")[0]
        question = row["type"] == "question"
        kind = "company_reply" if handle in STAFF and not question else "forum_post"
        text = people.sub("@user", tidy(row["text"]))
        out.append({"key": f"dwolla:{row['uid']}", "thread": thread, "kind": kind,
                    "title": titles.get(thread, ""), "text": text})  # fmt: skip
    return out


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\S+://\S+|www\.\S+")
_MENTION = re.compile(r"(?<!\w)@(?!user\b)\w+")
_GREETED = re.compile(r"\b(?P<lead>(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Thx)[ ,]+)"
                      r"(?P<name>[A-Z][a-z]{2,})\b")  # fmt: skip
_INTRODUCED = re.compile(r"\b[Mm]y name is (?:@user|[A-Z][a-z]+)(?: [A-Z][a-z]+)?")
_SURNAME = re.compile(r"(?P<lead>)@user (?P<name>[A-Z][a-z]{2,})\b")
_SIGNED = re.compile(r"(?m)^(?P<lead>\s*-{0,2}\s*)(?P<name>[A-Z][a-z]{1,14}|mb)\s*\Z")
WORD_USES = 3  # a capitalised word the posts also use this often in lower case is no name


def _handles(authors: set[str]) -> re.Pattern[str]:
    """Bare user names (3+ characters, not plain words) and the staff's signatures."""
    names = {a for a in authors | DOCUSIGN_STAFF if len(a) >= 3 and a.casefold() not in PLAIN_WORDS}
    ordered = sorted(names | set(DOCUSIGN_SIGNATURES), key=len, reverse=True)
    return re.compile(r"(?<![\w@])(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def docusign_text(raw: str, people: re.Pattern[str], words: Counter[str]) -> str:
    """A post with its people replaced by @user: e-mails, @mentions, user names and signatures,
    a name after a greeting, a lone name on the last line, "my name is …" and a surname after
    a replaced name — when the name is not a word the posts use in lower case (3+ times:
    "Hi All", "Thanks Again", "@user Testing" stay)."""

    def named(match: re.Match[str]) -> str:
        """The match with its name replaced by @user, unless the name is a plain word."""
        if words[match["name"].lower()] >= WORD_USES:
            return match[0]
        return f"{match['lead']}@user"

    text = _MENTION.sub("@user", _EMAIL.sub("@user", tidy(raw)))
    text = people.sub("@user", text)
    text = _GREETED.sub(named, text)
    text = _SIGNED.sub(named, text)
    text = _INTRODUCED.sub("my name is @user", text)
    return _SURNAME.sub(named, text)  # a surname after a replaced name ("@user Dervisoglu")


def docusign(clone: Path) -> list[dict[str, str]]:
    rows: list[tuple[str, dict[str, str]]] = []
    for board in DOCUSIGN_BOARDS:
        path = clone / "dumps" / "docusign" / f"{board}.csv"
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows += [(board, row) for row in csv.DictReader(fh, delimiter=";")]
    people = _handles({row["author"].strip() for _, row in rows})
    words = Counter(  # the posts' lower-case words, outside e-mail addresses and links
        w for _, row in rows
        for w in re.findall(r"\b[a-z]+\b", _LINK.sub(" ", _EMAIL.sub(" ", row["text"])))
    )  # fmt: skip
    titles = {(b, r["uid"]): tidy(r["title"]) for b, r in rows if r["type"] == "question"}
    out = []
    for board, row in rows:
        thread = row["uid"].split(".")[0]
        question = row["type"] == "question"
        staff = row["author"].strip() in DOCUSIGN_STAFF and not question
        text = docusign_text(row["text"], people, words)
        title = people.sub("@user", titles.get((board, thread), ""))
        out.append({"key": f"docusign:{board}:{row['uid']}", "thread": f"{board}:{thread}",
                    "kind": "company_reply" if staff else "forum_post", "title": title,
                    "text": text})  # fmt: skip
    return out


def _clean_reply(raw: str) -> str:
    return _QUOTED.sub("@user a écrit :", _TRAILER.sub("", tidy(raw)))


def forumconstruire(clone: Path) -> list[dict[str, str]]:
    """Opening posts and replies, each text once (keyed by its hash), in the files' order."""
    posts: dict[str, dict[str, str]] = {}
    threads: dict[str, str] = {}

    def add(text: str, kind_of: str, question: str, title: str = "") -> None:
        thread = threads.setdefault(text_key(question), str(len(threads) + 1))
        if text and text_key(text) not in posts:
            posts[text_key(text)] = {"key": f"fc:{text_key(text)[:16]}", "thread": thread,
                                     "kind": "forum_post", "title": title if kind_of == "q"
                                     else "", "text": text}  # fmt: skip

    with (clone / "data" / "raw" / "question_humain.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            question = tidy(row["Question"])
            add(question, "q", question, tidy(row["Sujet"]))
            add(_clean_reply(row["Reponse"]), "r", question)
    with (clone / "data" / "training_SVM" / "donnees_SVM.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            question = tidy(row["Question"])
            add(question, "q", question)
            if row["Pertinence"] == "OUI":  # the reply of that thread, not one drawn at random
                add(_clean_reply(row["Reponse"]), "r", question)
    return list(posts.values())


def write(name: str, posts: list[dict[str, str]], folder: Path = FOLDER) -> Path:
    return write_rows(folder, name, FIELDS, posts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dwolla", type=Path, required=True, help="clone of " +
                        ORIGINS["en_dwolla_discuss"][0])  # fmt: skip
    parser.add_argument("--forumconstruire", type=Path, required=True, help="clone of " +
                        ORIGINS["fr_forumconstruire"][0])  # fmt: skip
    args = parser.parse_args(argv)
    for name, posts in (("en_dwolla_discuss", dwolla(args.dwolla)),
                        ("en_docusign_community", docusign(args.dwolla)),
                        ("fr_forumconstruire", forumconstruire(args.forumconstruire))):  # fmt: skip
        written = write(name, posts)
        kinds = Counter(p["kind"] for p in posts)
        print(f"{written}: {len(posts)} posts {dict(kinds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
