"""Build the demo workspace and fill it with the bundled sample mentions."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.context import AppState
from storage.records import AuthorRecord, BrandMatch, MentionRecord

DATA = Path(__file__).with_name("data") / "mentions.jsonl.gz"
CONFIG = Path(__file__).with_name("veille.demo.yaml")


def sample_records(path: Path = DATA) -> Iterator[MentionRecord]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            raw: dict[str, Any] = json.loads(line)
            a = raw["author"]
            yield MentionRecord(
                source=raw["source"], source_kind=raw["source_kind"],
                external_id=raw["external_id"], text=raw["text"], url=raw["url"],
                thread_id=raw["thread_id"], thread_title=raw["thread_title"], lang=raw["lang"],
                published_at=datetime.fromisoformat(raw["published_at"]),
                likes=raw["likes"], shares=raw["shares"], comments=raw["comments"],
                views=raw["views"], rating=raw["rating"],
                author=AuthorRecord(handle=a["handle"], name=a["name"], followers=a["followers"]),
                author_followers=a["followers"], raw=raw,
                brands=[BrandMatch(brand=b, query="demo") for b in raw["brands"]],
            )  # fmt: skip


def prepare(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "veille.yaml"
    shutil.copyfile(CONFIG, config)
    return config


def run_demo(state: AppState, directory: Path) -> None:
    from storage.schema import upgrade
    from storage.upsert import MentionStore

    state.config_path = prepare(directory)
    engine = state.engine(check_schema=False)
    upgrade(engine)
    counts = MentionStore(engine, batch_size=state.settings.database.batch_size).store(
        sample_records()
    )
    state.say(
        f"Demo workspace {directory}: loaded {counts.seen:,} sample mentions "
        f"({counts.new:,} new, {counts.updated:,} updated, {counts.unchanged:,} unchanged)."
    )
    # Step: serve the bundled demo forum, feed and review pages on localhost and crawl them.
    from pipeline.demo.crawl import crawl_demo_sites

    crawl_demo_sites(state)

    from pipeline.render import stats_tables
    from storage.queries import stats

    for table in stats_tables(stats(engine)):
        state.console.print(table)
