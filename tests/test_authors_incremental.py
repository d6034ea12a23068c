"""Incremental analytics equal a recomputation of the whole window, night after night."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from authors_population import CAMPAIGN, T0, genuine
from sqlalchemy import Engine, select

from config.settings import AuthorsSettings
from nlp.authors import data, neardup
from nlp.authors.compute import analyse, recompute
from nlp.authors.data import load_window, prepare
from nlp.authors.suspicion import NUM_PERM, near_duplicates
from storage.authors import flags_by_key, profiles_by_key
from storage.models import Mention
from storage.models import MentionDerived as Derived
from storage.models import NearDuplicateEntry as Entry
from storage.privacy import Target, delete_mentions, erase
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

_SWAPS = (("incroyable", "génial"), ("puissant", "efficace"), ("maison", "famille"))


def _posts(seed: int = 3, n: int = 1_600) -> pd.DataFrame:
    """Twenty days of talk: genuine posts, campaigns in waves (some straddling nights and the
    window's edge), copies by one author, chains of copies hours apart, a text edited later."""
    rng = np.random.default_rng(seed)
    g = genuine(n, seed=seed, authors=600)
    g["published_at"] = [T0 + timedelta(minutes=int(m)) for m in rng.integers(0, 20 * 1440, n)]
    rows = []
    k = 0
    for wave in range(9):  # waves of 3-12 near copies by fresh accounts, over 2-70 hours
        start = T0 + timedelta(days=float(rng.uniform(0, 19)))
        spread = float(rng.uniform(2, 70))
        variant = CAMPAIGN.replace("X200", f"X{200 + wave % 3}")  # three related texts
        for _ in range(int(rng.integers(3, 13))):
            text = variant
            if rng.random() < 0.6:
                a, b = _SWAPS[int(rng.integers(len(_SWAPS)))]
                text = text.replace(a, b)
            rows.append(
                (f"c{k}", 100_000 + k, text, start + timedelta(hours=rng.uniform(0, spread)))
            )
            k += 1
    for i in range(6):  # one author copying themself, plus two others later: a chain
        rows.append((f"s{i}", 7 if i < 4 else 90_000 + i, CAMPAIGN + " mon avis",
                     T0 + timedelta(days=5, hours=30 * i)))  # fmt: skip
    extra = pd.DataFrame(rows, columns=["external_id", "author_id", "text", "published_at"])
    extra["source_id"] = 1
    extra["handle"] = [f"u{a}" for a in extra["author_id"]]
    frame = pd.concat([g, extra], ignore_index=True)
    frame["mention_id"] = np.arange(1, len(frame) + 1)
    # Posts arrive during the night after they are published, some a day or two late.
    late = rng.choice([0, 0, 0, 1, 2], size=len(frame))
    days = (frame["published_at"] - T0).dt.days.to_numpy()
    frame["night"] = days + 1 + late
    return frame


class _Stored:
    """The index kept in memory as the database keeps it."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}

    def index(self, bands: int) -> neardup.Index:
        if not self.rows:
            return neardup.Index.empty(bands)
        ids = sorted(self.rows)
        r = [self.rows[i] for i in ids]
        keys = np.zeros((len(r), bands), dtype=np.uint64)
        for j, x in enumerate(r):
            if x["bands"] is not None:
                keys[j] = np.frombuffer(x["bands"], dtype=np.uint64)
        return neardup.Index(
            np.array(ids, dtype=np.int64),
            np.array([x["content"] for x in r], dtype=np.int64),
            np.array([x["sig_group"] for x in r], dtype=np.int64),
            keys,
            np.array([x["campaign"] for x in r], dtype=np.int64),
        )

    def signatures(self, ids: np.ndarray) -> np.ndarray:
        out = np.zeros((len(ids), NUM_PERM), dtype=np.uint64)
        for j, i in enumerate(ids):
            out[j] = np.frombuffer(self.rows[int(i)]["signature"], dtype=np.uint32)
        return out

    def apply(self, change: neardup.Update) -> None:
        for i in change.delete:
            del self.rows[i]
        for row in change.entries.rows():
            self.rows[int(row["mention_id"])] = dict(row)  # type: ignore[call-overload]
        for i, c in change.campaigns:
            self.rows[i]["campaign"] = c


def _sorted(flags: pd.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(flags[["mention_id", "kind", "reason", "group_key"]].itertuples(index=False))


@pytest.mark.parametrize("hours", [48.0, 6.0])
def test_night_by_night_near_duplicates_equal_the_whole_window(hours: float) -> None:
    posts = _posts()
    stored = _Stored()
    bands = neardup.bands_of(0.7)[0]
    window = timedelta(days=6)
    seen = 0
    for night in range(1, 24):
        end = T0 + timedelta(days=night)
        arrived = posts[(posts["night"] <= night)].copy()
        if night == 12:  # a text edited after the fact: its entry is replaced
            posts.loc[posts["external_id"] == "c3", "text"] = "un tout autre texte sans rapport"
        arrived = posts[posts["night"] <= night]
        m = prepare(arrived[(arrived["published_at"] >= end - window)
                            & (arrived["published_at"] <= end)])  # fmt: skip
        flags, change = neardup.update(m, stored.index(bands), stored.signatures, hours=hours)
        whole = near_duplicates(m, hours=hours)
        assert _sorted(flags) == _sorted(whole), f"night {night}"
        assert change.recomputed <= len(m)
        stored.apply(change)
        seen += len(whole)
    assert seen > 50  # campaigns were found along the way


_BASE = (
    "la nouvelle enceinte que j'ai reçue lundi grésille dès qu'on monte le son et le support "
    "client me renvoie vers le magasin qui me renvoie vers le support depuis trois semaines"
)


def test_a_signature_no_longer_single_links_its_author_s_alike_posts() -> None:
    """X and Y, alike, one author's single posts: not linked. A copy of X by someone else
    arrives 7 hours after X (too late to link with it, close enough to link with Y): X's
    signature is no longer single, X and Y are linked, and X's campaign joins Y's though no
    new post is linked to X (Z, alike to Y, not to X, brings a third account)."""
    base = _BASE.split(" ")
    x = " ".join(base)
    y = " ".join([*base[:-3], "depuis", "quinze", "jours"])
    z = " ".join(["franchement", "ma", "nouvelle", *base[2:-3], "depuis", "quinze", "jours",
                  "déjà"])  # fmt: skip
    posts = pd.DataFrame({
        "external_id": ["x", "y", "z", "x2"], "author_id": [1, 1, 2, 3], "text": [x, y, z, x],
        "published_at": [T0 + timedelta(hours=h) for h in (1, 3, 4, 8)],
    })  # fmt: skip
    posts["source_id"], posts["handle"] = 1, "u" + posts["author_id"].astype(str)
    posts["mention_id"] = np.arange(1, 5)
    stored = _Stored()
    for night in (posts[:3], posts):
        m = prepare(night)
        flags, change = neardup.update(m, stored.index(12), stored.signatures, hours=6)
        assert _sorted(flags) == _sorted(near_duplicates(m, hours=6))
        stored.apply(change)
    assert set(flags["group_key"]) == {"dup-1/x"} and len(flags) == 3


def test_a_setting_change_or_an_empty_index_recomputes_everything() -> None:
    m = prepare(_posts()[lambda d: d["night"] <= 10])
    flags, change = neardup.update(m, neardup.Index.empty(12), lambda ids: np.zeros((0, 64)))
    assert change.new == len(m) and change.departed == 0
    assert _sorted(flags) == _sorted(near_duplicates(m))
    assert neardup.setting(0.7, 48) != neardup.setting(0.7, 24)


def _records(frame: pd.DataFrame) -> list[MentionRecord]:
    return [
        MentionRecord(
            source="twitter",
            source_kind="twitter_export",
            external_id=r.external_id,
            text=r.text,
            published_at=r.published_at.to_pydatetime(),
            author=AuthorRecord(handle=r.handle),
            brands=[BrandMatch("Lumino")],
        )
        for r in frame.itertuples()
    ]


def test_nightly_recompute_equals_a_full_one_in_the_database(engine: Engine) -> None:
    posts = _posts(n=1_200)
    cfg = AuthorsSettings(window_days=6)
    store = MentionStore(engine)
    for night in (4, 5, 9, 13):
        batch = posts[(posts["night"] <= night) & (posts["night"] > night - 3)]
        store.store(_records(batch))
        now = T0 + timedelta(days=night)
        if night == 9:  # posts erased (privacy, retention): their campaigns are recomputed
            with engine.begin() as conn:
                gone = conn.execute(
                    select(Mention.id).where(Mention.external_id.in_(["c1", "c2", "c20", "s2"]))
                ).scalars()
                delete_mentions(conn, list(gone), dry_run=False)
        counts = recompute(engine, cfg, now)
        with engine.connect() as conn:
            stored_flags = flags_by_key(conn)
            window = load_window(conn, now - timedelta(days=6), now)
        whole = analyse(window.mentions, window.brands, cfg)
        if night == 9:  # what the window read with its texts equals what analyse computes
            derived = [c for c in window.mentions.columns if c.startswith("cue:")]
            bare = window.mentions.drop(columns=[*derived, "named", "text_hash"])
            again = analyse(bare, window.brands, cfg)
            pd.testing.assert_frame_equal(again.profiles, whole.profiles)
            pd.testing.assert_frame_equal(again.flags, whole.flags)
            # The texts the near-duplicate index knows as they are (tonight: all) are not kept.
            with engine.connect() as conn:
                held = conn.execute(select(Entry.mention_id, Entry.content)).all()
                ids, content = (np.array(c, dtype=np.int64) for c in zip(*held, strict=True))
                none = np.zeros(len(ids), dtype=np.int64)
                index = neardup.Index(ids, content, none, np.zeros((len(ids), 1)), none)
                lean = load_window(conn, now - timedelta(days=6), now, index.content_of)
            assert (lean.mentions["text"] == "").all()
            pd.testing.assert_frame_equal(
                lean.mentions.drop(columns="text"), window.mentions.drop(columns="text")
            )
        if night > 4:
            assert not counts["near_duplicates"]["rebuilt"]
            assert counts["near_duplicates"]["recomputed"] < len(window.mentions)
        # Flags of the window as a whole-window computation finds them (older ones stay).
        key = window.mentions.set_index("mention_id")
        expect = sorted(
            (str(key.at[f.mention_id, "source"]), str(key.at[f.mention_id, "external_id"]),
             f.kind, f.reason, f.group_key)
            for f in whole.flags.itertuples()
        )  # fmt: skip
        in_window = {(s, e) for s, e in zip(key["source"], key["external_id"], strict=True)}
        assert [f for f in stored_flags if (f[0], f[1]) in in_window] == expect
        # The profiles as a full recomputation writes them.
        with engine.connect() as conn:
            profiles = profiles_by_key(conn)
        recompute(engine, cfg, now, full=True)
        with engine.connect() as conn:
            assert profiles_by_key(conn) == profiles
            assert flags_by_key(conn) == stored_flags


def _derived(engine: Engine) -> dict[str, tuple[str, str | None, str]]:
    """external id -> (content hash derived from, named handles, mention's content hash)."""
    with engine.connect() as conn:
        q = select(Mention.external_id, Derived.content_hash, Derived.named, Mention.content_hash)
        rows = conn.execute(q.join(Mention, Mention.id == Derived.mention_id)).tuples()
        return {e: (d, n, c) for e, d, n, c in rows}


def test_stored_derived_data_follows_edits_and_erasures(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each post's cues, @handles and hash are stored once, derived again when its text
    changes (content hash) or a privacy redaction rewrites it; the window read with them is
    the window read from the texts, and the night's results those of a full recomputation."""
    posts = _posts(seed=5, n=500)
    cfg = AuthorsSettings(window_days=6)
    store = MentionStore(engine)
    at = T0 + timedelta(days=7, hours=3)
    extra = pd.DataFrame({
        "external_id": ["named", "target", "edited"],
        "handle": ["fan1", "cible", "fan2"],
        "text": ["@cible super avis sur lumino, tu peux regarder ?", "je suis la cible lumino",
                 "un avis tout simple sur lumino"],
        "published_at": [at, at, at],
    })  # fmt: skip
    nights = ((6, posts[posts["night"] <= 6]), (8, pd.concat([posts[posts["night"] <= 8], extra])))
    for night, batch in nights:
        store.store(_records(batch))
        recompute(engine, cfg, T0 + timedelta(days=night))
    stored = _derived(engine)
    assert stored["named"][1] == "cible" and stored["edited"][1] is None
    assert all(d == c for d, _, c in stored.values())
    # A text edited at the source, an author erased (their handle redacted elsewhere).
    edited = extra.assign(text=extra["text"].str.replace("tout simple", "@quelqu_un génial ?"))
    store.store(_records(edited[edited["external_id"] == "edited"]))
    erase(engine, Target.author("twitter:cible"), "test", T0 + timedelta(days=8, hours=1))
    stored = _derived(engine)
    assert "named" not in stored and "target" not in stored  # redacted, erased
    assert stored["edited"][0] != stored["edited"][2]  # stale: its text changed
    now = T0 + timedelta(days=9)
    store.store(_records(posts[(posts["night"] <= 9) & (posts["night"] > 6)]))
    recompute(engine, cfg, now, jobs=2)  # the new posts' facts derived in two processes
    stored = _derived(engine)
    assert stored["named"][1] == "user" and stored["edited"][1] == "quelqu_un"
    assert stored["edited"][0] == stored["edited"][2]
    with engine.connect() as conn:
        # Half the posts unknown to the index: their texts are read for their signatures.
        held = conn.execute(select(Entry.mention_id, Entry.content)).all()[::2]
        ids, content = (np.array(c, dtype=np.int64) for c in zip(*held, strict=True))
        none = np.zeros(len(ids), dtype=np.int64)
        index = neardup.Index(ids, content, none, np.zeros((len(ids), 1)), none)
        start = now - timedelta(days=6)
        kept = load_window(conn, start, now, index.content_of, derived=True)
        texts = load_window(conn, start, now, index.content_of)
        shared = load_window(conn, start, now, index.content_of, jobs=2)
        profiles, flags = profiles_by_key(conn), flags_by_key(conn)
    assert len(kept.fresh) == 0 and len(texts.fresh) == 0
    pd.testing.assert_frame_equal(kept.mentions, texts.mentions)
    assert kept.signed is not None and texts.signed is not None
    assert len(kept.signed[0]) > 20
    for got, want in zip(kept.signed, texts.signed, strict=True):
        assert (got == want).all()
    # The texts' facts derived in other processes: the same window.
    pd.testing.assert_frame_equal(shared.mentions, texts.mentions)
    assert shared.signed is not None
    for got, want in zip(shared.signed, texts.signed, strict=True):
        assert (got == want).all()
    recompute(engine, cfg, now, full=True)
    with engine.connect() as conn:
        assert profiles_by_key(conn) == profiles and flags_by_key(conn) == flags
    # Other lexicons (another setting): every post of the window is derived again.
    monkeypatch.setattr(data, "DERIVED", "derived.test/other")
    store.store(_records(posts[posts["night"] == 10]))
    recompute(engine, cfg, now + timedelta(days=1))
    with engine.connect() as conn:
        q = select(Derived.setting).join(Mention, Mention.id == Derived.mention_id)
        q = q.where(Mention.published_at >= now - timedelta(days=5))
        assert set(conn.execute(q).scalars()) == {"derived.test/other"}


def _reference_pairs(uniq: np.ndarray, sole: np.ndarray, threshold: float) -> list[Any]:
    """The pairs as datasketch's LSH finds them (the implementation before numpy's)."""
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.15), num_perm=NUM_PERM)
    sketches = {g: LeanMinHash(seed=7, hashvalues=uniq[g]) for g in range(len(uniq))}
    for g, mh in sketches.items():
        lsh.insert(g, mh, check_duplication=False)
    pairs = []
    for g, mh in sketches.items():
        for h in lsh.query(mh):
            if h <= g or (sole[g] >= 0 and sole[g] == sole[h]):
                continue
            if np.mean(uniq[g] == uniq[h]) >= threshold:
                pairs.append((g, int(h)))
    return sorted(pairs)


def _reference_components(node: np.ndarray, pairs: Any, when: np.ndarray, span: int) -> Any:
    """Every close pair of posts of equal or alike groups linked, one by one."""
    parent = list(range(len(node)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    alike = {(int(g), int(h)) for g, h in pairs} | {(int(h), int(g)) for g, h in pairs}
    for x in range(len(node)):
        for y in range(x):
            same = node[x] == node[y] or (int(node[x]), int(node[y])) in alike
            if same and abs(int(when[x]) - int(when[y])) <= span:
                parent[find(x)] = find(y)
    return {frozenset(np.flatnonzero([find(i) == r for i in range(len(node))])) for r in
            {find(i) for i in range(len(node))}}  # fmt: skip


def test_numpy_pairs_and_campaigns_equal_the_reference() -> None:
    from nlp.authors.suspicion import (
        _campaigns,
        _similar_pairs,
        eligible,
        signature_groups,
        signatures,
        stamps,
    )

    m = prepare(_posts(n=400))
    rows, words = eligible(m)
    sig = signatures(words)
    author = m["author_id"].to_numpy()[rows]
    node, pairs = _similar_pairs(sig, author, 0.7)
    first, inverse, size = signature_groups(sig)
    uniq = sig[first]
    sole = np.full(len(uniq), -1)
    single = size[inverse] == 1
    sole[inverse[single]] = author[single]
    assert [tuple(p) for p in pairs.tolist()] == _reference_pairs(uniq, sole, 0.7)
    assert len(pairs) > 20
    when = stamps(m)[rows]
    for span in (6 * 3600, 48 * 3600):
        labels = _campaigns(node, pairs, when, np.int64(span))
        found = {frozenset(np.flatnonzero(labels == c)) for c in np.unique(labels)}
        assert found == _reference_components(node, pairs, when, span)
        # Only the pairs of groups with posts within the span: fewer, the same campaigns.
        same, close = _similar_pairs(sig, author, 0.7, when=when, span=np.int64(span))
        assert (same == node).all() and len(close) < len(pairs)
        assert set(map(tuple, close.tolist())) <= set(map(tuple, pairs.tolist()))
        again = _campaigns(node, close, when, np.int64(span))
        assert {frozenset(np.flatnonzero(again == c)) for c in np.unique(again)} == found


def test_signatures_a_chunk_at_a_time_equal_all_at_once() -> None:
    from nlp.authors.suspicion import eligible, eligible_signatures, signatures

    m = prepare(_posts(n=500))
    rows, words = eligible(m)
    got_rows, got_sig = eligible_signatures(m, chunk=37)
    assert (got_rows == rows).all() and (got_sig == signatures(words)).all()


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == g).tolist()) for g in np.unique(labels)}


def test_signature_groups_are_those_of_the_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """Grouped by hash, the groups of np.unique over the rows; and by value when two
    signatures share a hash (forced here by a hash of the first position only)."""
    from nlp.authors import suspicion
    from nlp.authors.suspicion import eligible, signature_groups, signatures

    m = prepare(_posts(n=500))
    sig = signatures(eligible(m)[1])
    assert sig.dtype == np.uint32
    want_uniq, want_node, want_size = np.unique(
        sig, axis=0, return_inverse=True, return_counts=True
    )
    for weak in (False, True):
        if weak:
            monkeypatch.setattr(suspicion, "row_hash", lambda s: s[:, 0].astype(np.uint64))
            assert len(np.unique(sig[:, 0])) < len(want_uniq)  # shared hashes
        first, node, size = signature_groups(sig)
        assert _partition(node) == _partition(want_node.ravel())
        assert (sig[first][node] == sig).all() and sorted(size) == sorted(want_size)
