"""Every export reader on fixture files written for the project (tests/fixtures/exports)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawlers.readers import FORMATS, BadRecord, RawRecord, ReaderError, reader
from crawlers.readers.detect import detect_format
from storage.records import MentionRecord

FIX = Path(__file__).parent / "fixtures" / "exports"


def read(fmt: str, path: Path) -> tuple[list[MentionRecord], list[RawRecord]]:
    module = reader(fmt)
    good: list[MentionRecord] = []
    bad: list[RawRecord] = []
    for record in module.iter_records(path):
        if record.error:
            bad.append(record)
            continue
        try:
            good.append(module.map_record(record, "src"))
        except BadRecord as exc:
            record.error = str(exc)
            bad.append(record)
    return good, bad


def by_id(records: list[MentionRecord]) -> dict[str, MentionRecord]:
    return {r.external_id: r for r in records}


def test_every_reader_is_registered_and_complete() -> None:
    problems = []
    for name in FORMATS:
        module = reader(name)
        if module.name != name:
            problems.append(f"{name}: module name is {module.name!r}")
        if module.source_kind not in ("twitter_export", "facebook_export"):
            problems.append(f"{name}: source_kind {module.source_kind!r}")
        for fn in ("iter_records", "map_record"):
            if not callable(getattr(module, fn, None)):
                problems.append(f"{name}: no {fn}")
    assert not problems, problems
    with pytest.raises(KeyError, match="known formats: twitter-archive"):
        reader("myspace")


@pytest.mark.parametrize("as_zip", [False, True])
def test_twitter_archive_multi_part_with_note_tweet(tmp_path: Path, as_zip: bool) -> None:
    path = FIX / "twitter_archive"
    if as_zip:
        path = Path(shutil.make_archive(str(tmp_path / "archive"), "zip", path))
    assert detect_format(path) == "twitter-archive"
    good, bad = read("twitter-archive", path)
    assert not bad
    tweets = by_id(good)
    assert sorted(tweets) == ["9001", "9002", "9003", "9004"]  # part0 and part1
    long = tweets["9003"]
    assert long.text.endswith("Précommandes ouvertes lundi sur lumino.example.")  # note-tweet
    assert long.raw["noteTweet"]["noteTweetId"] == "77"
    reply = tweets["9002"]
    assert reply.parent_id == "8800"
    assert reply.author is not None and reply.author.handle == "lumino"  # the archive owner
    assert reply.author.name == "Lumino officiel"
    assert reply.url == "https://x.com/lumino/status/9002"
    assert reply.likes == 3 and reply.shares == 2
    assert reply.published_at == datetime(2026, 3, 1, 10, 2, tzinfo=UTC)
    assert reply.raw["tweet"]["favorite_count"] == "3"  # stored as it came


def test_single_tweets_js_file_has_no_owner() -> None:
    path = FIX / "twitter_archive" / "data" / "tweets-part1.js"
    assert detect_format(path) == "twitter-archive"
    good, bad = read("twitter-archive", path)
    assert [t.external_id for t in good] == ["9004"] and not bad
    assert good[0].author is None and good[0].url == "https://x.com/i/web/status/9004"


def test_twarc2_pages_join_includes_and_keep_bad_lines_aside() -> None:
    path = FIX / "twarc2_pages.jsonl"
    assert detect_format(path) == "twarc2"
    good, bad = read("twarc2", path)
    tweets = by_id(good)
    assert sorted(tweets) == ["7001", "7002", "7003"]
    first = tweets["7001"]
    assert first.author is not None and first.author.handle == "julie_m"
    assert first.author.followers == 320 and first.author_followers == 320
    assert (first.likes, first.comments, first.views, first.shares) == (14, 2, 900, 1)
    assert first.published_at == datetime(2026, 2, 10, 9, 15, tzinfo=UTC)
    retweet = tweets["7002"]  # v2 cuts retweets: rebuilt from includes.tweets
    assert retweet.text.startswith("RT @karim_b: Colis Maxishop perdu")
    assert retweet.text.endswith("Je suis à bout.")
    reply = tweets["7003"]  # a streaming line: `data` is one tweet
    assert reply.parent_id == "7001" and reply.thread_id == "7001"
    assert reply.author is not None and reply.author.handle == "karim_b"
    assert [(b.location, b.error is not None) for b in bad] == [("line 3", True), ("line 4", True)]
    assert "not valid JSON" in str(bad[0].error)
    assert "operational-disconnect" in str(bad[1].error) or "disconnected" in str(bad[1].error)


def test_twarc2_flattened_lines() -> None:
    good, bad = read("twarc2", FIX / "twarc2_flat.jsonl")
    assert not bad
    tweets = by_id(good)
    assert tweets["7001"].author is not None and tweets["7001"].author.name == "Julie M."
    assert tweets["7002"].text.endswith("Je suis à bout.")


def test_twitter_csv_with_a_broken_row() -> None:
    path = FIX / "twitter.csv"
    assert detect_format(path) == "twitter-csv"
    good, bad = read("twitter-csv", path)
    tweets = by_id(good)
    assert sorted(tweets) == ["8001", "8002", "8004"]
    assert tweets["8002"].parent_id == "8001"
    assert tweets["8002"].text == 'Oui, sans souci, même avec "poils de chat", en mode turbo.'
    assert tweets["8002"].author is not None and tweets["8002"].author.followers == 1204
    assert tweets["8002"].views is None  # an empty cell is missing, not 0
    assert [b.location for b in bad] == ["line 4"]
    assert "fields where the header has 16" in str(bad[0].error)


def test_twitter_csv_missing_optional_columns_degrade_to_empty_fields(tmp_path: Path) -> None:
    path = tmp_path / "minimal.csv"
    path.write_text("id,text\n1,Bonjour Lumino\n", encoding="utf-8")
    [tweet], bad = read("twitter-csv", path)
    assert not bad and tweet.text == "Bonjour Lumino"
    assert tweet.author is None and tweet.published_at is None and tweet.likes is None


@pytest.mark.parametrize("single", [None, "posts", "comments"])
def test_facebook_dyi_repairs_mojibake(tmp_path: Path, single: str | None) -> None:
    root = FIX / "facebook_dyi"
    path = {
        None: root,
        "posts": root
        / "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
        "comments": root / "your_facebook_activity/comments_and_reactions/comments.json",
    }[single]
    assert detect_format(path) == "facebook-dyi"
    good, bad = read("facebook-dyi", path)
    assert not bad
    texts = {r.text for r in good}
    if single != "comments":
        assert "Très déçue par Maxishop : commande annulée sans prévenir." in texts
        assert "Ma nouvelle TV Ambra 55 😍" in "\n".join(texts)  # text from an attachment
    if single != "posts":
        comment = next(r for r in good if r.external_id.startswith("comment-"))
        assert comment.text == "Toujours pas reçu ma commande, c'est pénible…"
        assert comment.author is not None and comment.author.handle == "Sophie Martin"
        assert comment.published_at == datetime.fromtimestamp(1770300000, UTC)
    if single is None:
        posts = [r for r in good if r.external_id.startswith("post-")]
        assert all(p.author and p.author.handle == "Sophie Martin" for p in posts)  # profile
        assert "\u00c3" in str(posts[0].raw)  # the raw record is kept as it came


def test_facebook_dyi_zip_and_stable_ids(tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "facebook"), "zip", FIX / "facebook_dyi"))
    assert detect_format(archive) == "facebook-dyi"
    from_zip, _ = read("facebook-dyi", archive)
    from_dir, _ = read("facebook-dyi", FIX / "facebook_dyi")
    assert [r.external_id for r in from_zip] == [r.external_id for r in from_dir]
    assert len(from_zip) == 4


@pytest.mark.parametrize("name", ["facebook_graph_pages.json", "facebook_graph_page.json"])
def test_facebook_graph_pages_and_comments(name: str) -> None:
    path = FIX / name
    assert detect_format(path) == "facebook-graph"
    good, bad = read("facebook-graph", path)
    assert not bad
    items = by_id(good)
    expected = {"1200_1", "1200_2", "1200_1_55"} | ({"1200_3"} if "pages" in name else set())
    assert set(items) == expected  # every page of the paging, comments nested under posts
    post = items["1200_1"]
    assert (post.likes, post.comments, post.shares) == (120, 1, 3)
    assert post.url == "https://www.facebook.com/lumino/posts/1"
    assert post.published_at == datetime(2026, 2, 11, 12, 0, tzinfo=UTC)
    comment = items["1200_1_55"]
    assert comment.parent_id == "1200_1" and comment.thread_id == "1200_1"
    assert comment.likes == 2 and comment.author is not None and comment.author.name == "Léa"


def test_crowdtangle_current_layout() -> None:
    path = FIX / "crowdtangle.csv"
    assert detect_format(path) == "crowdtangle"
    good, bad = read("crowdtangle", path)
    assert not bad
    first, second = good
    assert first.text.startswith("Les soldes Rivéo")
    assert (first.likes, first.comments, first.shares) == (1980, 230, 100)  # "1,980"
    assert first.author is not None and first.author.handle == "riveo.fr"
    assert first.author_followers == 131002
    assert first.published_at == datetime(2026, 1, 15, 17, 30, tzinfo=UTC)  # 18:30 CET
    assert second.views == 1000 and second.text == "Nos conseils pour bien choisir sa TV"
    assert first.raw["Page Name"] == "Rivéo France"  # the BOM is not part of the column name


def test_crowdtangle_old_layout() -> None:
    path = FIX / "crowdtangle_old.csv"
    assert detect_format(path) == "crowdtangle"
    [post], bad = read("crowdtangle", path)
    assert not bad
    assert post.published_at == datetime(2020, 11, 27, 12, 0, tzinfo=UTC)  # 07:00 EST
    assert post.likes == 1234 and post.author is not None and post.author.followers == 9001


def test_truncated_json_keeps_the_records_before_and_names_the_place() -> None:
    path = FIX / "broken" / "tweets_truncated.js"
    module = reader("twitter-archive")
    seen = []
    with pytest.raises(ReaderError) as info:
        for record in module.iter_records(path):
            seen.append(module.map_record(record).external_id)
    assert len(seen) > 50 and seen == [str(20_000 + i) for i in range(len(seen))]
    assert str(path) in str(info.value)
    assert f"after record {len(seen)}" in str(info.value) and "ends too early" in str(info.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [("junk.bin", "binary content"), ("notes.txt", "not a format Veille recognises")],
)
def test_unrecognised_files_name_the_file(name: str, message: str) -> None:
    path = FIX / "broken" / name
    with pytest.raises(ReaderError, match=message) as info:
        detect_format(path)
    assert str(path) in str(info.value)


def test_wrong_format_forced_is_a_clear_error() -> None:
    path = FIX / "twitter.csv"
    with pytest.raises(ReaderError, match=r"window\.YTD"):
        list(reader("twitter-archive").iter_records(path))
    with pytest.raises(ReaderError, match="not Graph API JSON"):
        list(reader("facebook-graph").iter_records(path))
