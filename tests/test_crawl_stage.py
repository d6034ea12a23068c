"""The `crawl` stage of a run: registered, records its runs under the parent run."""

from __future__ import annotations

from build import NOW1
from conftest_sites import crawl_settings
from sqlalchemy import select

from pipeline.context import AppState
from pipeline.stages import StageContext, load_stage
from storage.engine import make_engine
from storage.models import Run
from storage.runs import start_run
from storage.schema import upgrade
from veille_demo.server import SiteServer


def test_crawl_stage(sites: SiteServer, sqlite_url: str) -> None:
    settings = crawl_settings(sqlite_url, [
        {"name": "blog", "kind": "rss", "url": f"{sites.base_url}/feeds/blog.xml"},
        {"name": "avis", "kind": "reviews", "url": f"{sites.base_url}/reviews/ambra.html"},
    ])  # fmt: skip
    engine = make_engine(sqlite_url)
    upgrade(engine)
    parent = start_run(engine, "nightly")
    state = AppState(_settings=settings, _engine=engine)
    run = load_stage("crawl")
    result = run(
        StageContext(state=state, run_id=parent.id, now=NOW1, options={"sources": ["blog"]})
    )
    assert (result.items, result.errors, result.failed_sources) == (3, 0, [])
    assert result.counts["dropped"] == {"no brand": 1}
    with engine.connect() as conn:
        runs = conn.execute(select(Run).where(Run.parent_id == parent.id)).all()
    assert [(r.source, r.stage, r.status) for r in runs] == [("blog", "crawl", "ok")]
