"""Where a text was written (`nlp.media`): the medium of a source's kind, the corpus sources'
kinds, the guide's forum examples, and the topic stack's flags — a model trained with them reads
the same words otherwise on a review site; a model trained before them ignores the kind."""

from __future__ import annotations

from pathlib import Path

from config.settings import SourceKind
from nlp.corpus.guide import guide_examples
from nlp.corpus.sources import SOURCES
from nlp.labelers.base import Doc
from nlp.media import MEDIA, medium, medium_flags


def test_each_source_kind_has_one_medium_and_the_rest_is_the_baseline() -> None:
    assert medium("reviews") == "review"
    assert medium("forum") == medium("discourse") == medium("reddit") == "forum"
    assert medium("facebook_export") == medium("youtube") == "comment"
    for kind in ("twitter_export", "mastodon", "bluesky", "rss", None, "", "no-such-kind"):
        assert medium(kind) == ""
    assert {medium(k.value) for k in SourceKind} == {"", *MEDIA}
    flags = medium_flags(["reviews", None, "forum"])
    assert flags.tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 1]]
    assert medium_flags([], MEDIA).shape == (0, 3)


def test_the_corpus_sources_say_where_their_texts_were_written() -> None:
    kinds = {name: medium(source.source_kind) for name, source in SOURCES.items()}
    assert all(source.source_kind in set(SourceKind) for source in SOURCES.values())
    assert kinds["fr_facebook_comments"] == "comment"
    assert {kinds[n] for n in SOURCES if "trustpilot" in n or n.endswith("_reviews")} == {"review"}
    assert {kinds[n] for n in ("fr_forumconstruire", "en_dwolla_discuss",
                               "en_docusign_community", "suggestions_en")} == {"forum"}  # fmt: skip
    assert {kinds[n] for n in SOURCES if "tweets" in n or n.startswith("umsab_")} == {""}


def test_the_guide_s_forum_examples_come_from_a_forum() -> None:
    examples = guide_examples()
    forum = [e for e in examples if e.rule.startswith("F")]
    assert forum and all(medium(e.source_kind) == "forum" for e in forum)
    assert all(e.source_kind == "" for e in examples if e.rule.startswith("R"))


def _tiny_model(path: Path) -> Path:
    from nlp.model_io import save_npz
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    rows = topic.rules_rows("topic").take(range(140))
    for number, thing in enumerate(("parcel", "order", "box", "delivery", "package", "item")):
        rows.add(f"The {thing} came on day {number}", "prescription", "en", origin="human",
                 source_kind="reviews")  # fmt: skip
    suggestions = (["Please add a dark mode.", "The app opens fine."], [1, 0])
    arrays, _ = topic.fit(rows, suggestions, lambda t: sentence_vectors(t, None), 7)
    assert [str(m) for m in arrays["media"]] == list(MEDIA)
    save_npz(path, arrays)
    return path


def test_a_model_with_media_flags_reads_a_review_site_s_text_as_a_review(tmp_path: Path) -> None:
    from nlp.labelers.topic_model import LearnedTopicLabeler, TopicModel
    from nlp.model_store import packaged_model

    model = TopicModel.from_file(_tiny_model(tmp_path / "m.npz"))
    assert model.media == MEDIA
    labeler = LearnedTopicLabeler(model, "accurate")
    text = "It came on a Tuesday"
    on_site, elsewhere = labeler.label_batch([
        Doc(text, lang="en", source_kind="reviews"), Doc(text, lang="en", source_kind="mastodon"),
    ])  # fmt: skip
    assert on_site.scores["prescription"] > elsewhere.scores["prescription"]
    unknown = labeler.label_batch([Doc(text, lang="en")])[0]
    assert unknown.scores == elsewhere.scores  # no kind: the baseline, as a network's post

    packaged = TopicModel.from_file(packaged_model("topic"))
    if packaged.media:
        return  # the packaged model was retrained with the flags: the check above holds it
    before = LearnedTopicLabeler(packaged, "fast")
    a, b = before.label_batch([Doc(text, lang="en", source_kind="reviews"), Doc(text, lang="en")])
    assert a.scores == b.scores  # a model trained before the flags ignores the kind
