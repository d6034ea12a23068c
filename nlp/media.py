"""Where a mention was written, as the topic model reads it: a comment under a post, a review,
a forum post — or anything else (a post on a network, an exported tweet, a feed's article, a
text of unknown origin), which is the baseline.

A review is mostly a judgement (`prescription`) and a forum post mostly a question
(`information`) or a case (`service_client`), whatever its words: the topic model's stack takes
one flag per medium (chosen by cross-validation on the corpus's train part: the model card,
`nlp/models/HISTORY.md`, "… and where a text was written"). The medium follows from the
source's kind (`config.settings.SourceKind`), the one fact both the collected mentions and the
corpus's sources carry."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from config.settings import SourceKind

MEDIA = ("comment", "review", "forum")
_OF_KIND: dict[str, str] = {
    SourceKind.FACEBOOK_EXPORT.value: "comment",
    SourceKind.YOUTUBE.value: "comment",
    SourceKind.REVIEWS.value: "review",
    SourceKind.FORUM.value: "forum",
    SourceKind.DISCOURSE.value: "forum",
    SourceKind.REDDIT.value: "forum",
}


def medium(source_kind: str | None) -> str:
    """One of MEDIA, or "" for the baseline (networks' posts, tweets, feeds, unknown)."""
    return _OF_KIND.get(source_kind or "", "")


def medium_flags(source_kinds: Sequence[str | None], media: Sequence[str] = MEDIA) -> np.ndarray:
    """One row per text, one 0/1 column per medium of `media` (a model's own list)."""
    found = [medium(kind) for kind in source_kinds]
    return np.array([[m == name for name in media] for m in found], dtype=np.float32).reshape(
        len(found), len(media)
    )
