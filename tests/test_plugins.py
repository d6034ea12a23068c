"""Conformance of every registry (STYLE pattern 14): each plugin builds, has a unique name and
complete metadata, and the derived lists agree with what the config accepts. Each test
gathers every problem before failing, so one run shows them all."""

from __future__ import annotations

import inspect
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_support import install

from config.plugins import Registry, package_modules, rescan
from config.settings import PIPELINE_STAGES, ScheduleSettings, SourceKind
from pipeline.stages import STAGES, load_stage

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "exports"


@pytest.fixture
def fresh() -> Iterator[list[Registry[object]]]:
    """Registries refreshed by a test are refreshed again after it (its plugins forgotten)."""
    touched: list[Registry[object]] = []
    yield touched
    for registry in touched:
        registry.refresh()


# -- the mechanism ---------------------------------------------------------------------------


def _named(obj: object) -> list[tuple[str, object]]:
    name = getattr(obj, "name", None)
    return [(name, obj)] if isinstance(name, str) else []


def test_a_registry_finds_entry_points_and_keeps_the_first_of_two_names(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(
        tmp_path,
        {"veille.tests": {"one": "veille_t_one", "two": "veille_t_two", "bad": "veille_t_bad"}},
        {
            "veille_t_one.py": "name = 'alpha'\n",
            "veille_t_two.py": "name = 'alpha'\n",  # the same name again: warned, not used
            "veille_t_bad.py": "raise ImportError('missing dependency')\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    rescan()  # entry points are read once per process; this test installed a package since
    registry: Registry[object] = Registry("thing", "things", None, "veille.tests", _named)
    with caplog.at_level(logging.WARNING, "veille.plugins"):
        assert registry.names() == ["alpha"]
    assert getattr(registry["alpha"], "__name__", None) == "veille_t_one"
    assert registry.duplicates == ["alpha: one = veille_t_one, two = veille_t_two"]
    assert (
        "Disabled plugin bad = veille_t_bad" in caplog.text and "missing dependency" in caplog.text
    )
    assert "Two things are named 'alpha'" in caplog.text
    with pytest.raises(KeyError, match="unknown thing 'beta'; known things: alpha"):
        registry.get_plugin("beta")


def test_package_walk_leaves_out_private_and_helper_modules() -> None:
    names = [m.__name__ for m in package_modules("crawlers.readers", skip=("base",))]
    assert "crawlers.readers.base" not in names and "crawlers.readers.twarc2" in names
    assert names == sorted(names)


# -- stages ----------------------------------------------------------------------------------


def test_every_stage_builds_and_the_default_orders_name_registered_stages() -> None:
    problems = [f"duplicate stage {d}" for d in STAGES.duplicates]
    for name in STAGES:
        try:
            fn = load_stage(name)
        except Exception as exc:
            problems.append(f"{name}: does not load ({type(exc).__name__}: {exc})")
            continue
        if not callable(fn) or len(inspect.signature(fn).parameters) != 1:
            problems.append(f"{name}: run is not a function of one StageContext")
        module = inspect.getmodule(fn)
        if getattr(module, "name", None) != name:
            problems.append(f"{name}: its module declares name {getattr(module, 'name', None)!r}")
    defaults = ScheduleSettings()
    for listed in (PIPELINE_STAGES, defaults.stages, defaults.incremental_stages):
        problems += [f"{n}: in a default order, not registered" for n in listed if n not in STAGES]
    problems += [
        f"{n}: registered, in no default order" for n in STAGES if n not in PIPELINE_STAGES
    ]
    assert not problems, "\n".join(problems)
    with pytest.raises(KeyError, match="unknown stage 'crawler'; known stages: alerts, "):
        load_stage("crawler")


def test_a_third_party_stage_is_found_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    install(
        tmp_path,
        {"veille.stages": {"tidy": "veille_t_tidy"}},
        {
            "veille_t_tidy.py": """
            from pipeline.stages import StageResult

            name = "tidy"

            def run(ctx):
                return StageResult(items=7)
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    STAGES.refresh()
    fresh.append(STAGES)  # type: ignore[arg-type]
    assert STAGES["tidy"] == "veille_t_tidy:run"
    assert STAGES.origin("tidy") == "tidy = veille_t_tidy"
    assert load_stage("tidy")(None).items == 7  # type: ignore[arg-type]


# -- export readers --------------------------------------------------------------------------

# A whole third-party export format: one module, declared by one entry point.
TSV_READER = '''
"""Tweets as tab-separated values: id, author, created_at, text (a throwaway test format)."""

from datetime import datetime

from crawlers.readers.base import BadRecord, RawRecord
from storage.records import AuthorRecord, MentionRecord

name = "tweets-tsv"
title = "tweets TSV"
source_kind = "twitter_export"
HEADER = b"id\\tauthor\\tcreated_at\\ttext"


def sniff(path, head):
    return 1.0 if head.startswith(HEADER) else 0.0


def iter_records(path):
    with open(path, encoding="utf-8") as lines:
        next(lines)
        for index, line in enumerate(lines):
            yield RawRecord(str(path), index, f"line {index + 2}", line.rstrip("\\n").split("\\t"))


def map_record(record, source="import"):
    if len(record.raw) != 4:
        raise BadRecord("not 4 columns")
    tweet_id, author, created, text = record.raw
    return MentionRecord(
        source=source, source_kind=source_kind, external_id=tweet_id, text=text,
        published_at=datetime.fromisoformat(created), author=AuthorRecord(handle=author),
        raw={"row": record.raw},
    )
'''
TSV = "id\tauthor\tcreated_at\ttext\n1\tana\t2026-11-20T10:00:00+00:00\tLumino au top\n2\tbob\t2026-11-20T11:00:00+00:00\tLumino en panne\n"


def _tsv_plugin(folder: Path) -> Path:
    return install(
        folder, {"veille.readers": {"tweets-tsv": "veille_t_tsv"}}, {"veille_t_tsv.py": TSV_READER}
    )


def test_a_third_party_reader_joins_formats_kinds_and_detection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    from crawlers.readers import FORMATS, format_kinds
    from crawlers.readers.detect import detect_format

    monkeypatch.syspath_prepend(str(_tsv_plugin(tmp_path / "plugin")))
    FORMATS.refresh()
    fresh.append(FORMATS)  # type: ignore[arg-type]
    assert list(FORMATS)[-1] == "tweets-tsv"  # no `order`: after the built-ins
    assert format_kinds()["tweets-tsv"] == "twitter_export"
    export = tmp_path / "export.tsv"
    export.write_text(TSV, encoding="utf-8")
    assert detect_format(export) == "tweets-tsv"
    assert detect_format(FIX / "twitter.csv") == "twitter-csv"  # the built-ins still win theirs


def test_a_third_party_reader_is_a_cli_choice_and_imports(tmp_path: Path, sqlite_url: str) -> None:
    plugin = _tsv_plugin(tmp_path / "plugin")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(ROOT)])}
    config = tmp_path / "veille.yaml"
    config.write_text(
        f"database:\n  url: '{sqlite_url}'\nbrands:\n  - name: Lumino\n    query: [lumino]\n"
        "sources:\n  - name: tw-inbox\n    kind: twitter_export\n    path: inbox\n",
        encoding="utf-8",
    )
    (tmp_path / "inbox").mkdir()
    export = tmp_path / "inbox" / "export.tsv"
    export.write_text(TSV, encoding="utf-8")

    def veille(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pipeline.cli", "--config", str(config), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    helped = veille("import", "--help")
    assert "crowdtangle|tweets-tsv>" in helped.stdout, helped.stdout
    assert veille("db", "upgrade").returncode == 0
    done = veille("import", "--json")  # the inbox, format auto
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["new"] == 2 and summary["files"] == 1
    wrong = veille("import", str(export), "--format", "tweets-csv")
    assert wrong.returncode == 2 and "tweets-tsv" in wrong.stderr


# One sample export per built-in format: a new reader comes with its sample here.
READER_SAMPLES = {
    "twitter-archive": "twitter_archive",
    "twarc2": "twarc2_pages.jsonl",
    "twitter-csv": "twitter.csv",
    "facebook-dyi": "facebook_dyi",
    "facebook-graph": "facebook_graph_page.json",
    "crowdtangle": "crowdtangle.csv",
}


def test_every_reader_is_complete_and_recognises_its_sample() -> None:
    from crawlers.readers import FORMATS, READER_ATTRIBUTES, format_kinds
    from crawlers.readers.detect import detect_format
    from pipeline.commands.import_ import Format
    from storage.records import MentionRecord

    export_kinds = {k.value for k in SourceKind if k.is_export}
    problems = [f"duplicate format {d}" for d in FORMATS.duplicates]
    for name, module in FORMATS.items():
        missing = [a for a in READER_ATTRIBUTES if not hasattr(module, a)]
        if missing:
            problems.append(f"{name}: declares no {', '.join(missing)}")
            continue
        if module.name != name or not module.title:
            problems.append(f"{name}: name {module.name!r}, title {module.title!r}")
        if module.source_kind not in export_kinds:
            problems.append(f"{name}: source_kind {module.source_kind!r} is not an export kind")
        sample = READER_SAMPLES.get(name)
        if sample is None:
            problems.append(f"{name}: no sample export in READER_SAMPLES")
            continue
        found = detect_format(FIX / sample)
        if found != name:
            problems.append(f"{name}: its sample {sample} is detected as {found}")
        first = next(iter(module.iter_records(FIX / sample)))
        mapped = module.map_record(first, "src")
        if not isinstance(mapped, MentionRecord) or mapped.source_kind != module.source_kind:
            problems.append(f"{name}: the first record of {sample} maps to {mapped!r}")
    if [f.value for f in Format] != ["auto", *FORMATS]:
        problems.append(f"veille import --format offers {[f.value for f in Format]}")
    if set(format_kinds().values()) != export_kinds:
        problems.append(
            f"readers feed {sorted(set(format_kinds().values()))}; export kinds: {sorted(export_kinds)}"
        )
    assert not problems, "\n".join(problems)
    with pytest.raises(
        KeyError, match="unknown export format 'myspace'; known formats: twitter-archive, twarc2"
    ):
        FORMATS.get_plugin("myspace")


# -- spiders and forum engines ---------------------------------------------------------------


def test_every_spider_builds_for_a_source_of_its_kind(tmp_path: Path) -> None:
    from scrapy.crawler import Crawler

    from config.settings import Settings
    from crawlers.crawling import spider_for
    from crawlers.engines import ENGINES
    from crawlers.spiders import SPIDERS, spider_class

    # The API kinds need something to read (config/source_options.py).
    options = {
        "mastodon": {"hashtags": ["lumino"]},
        "bluesky": {"queries": ["lumino"]},
        "reddit": {"subreddits": ["france"]},
        "youtube": {"channels": ["UC" + "a" * 22]},
    }
    settings = Settings(
        sources=[
            {"name": kind.value, "kind": kind.value, "url": "http://127.0.0.1:9/", "path": ".",
             "options": options.get(kind.value, {})}
            for kind in SourceKind
        ]
    )  # fmt: skip
    problems = [f"duplicate spider {d}" for d in SPIDERS.duplicates]
    for name, cls in SPIDERS.items():
        kind = getattr(cls, "source_kind", "")
        if kind not in {k.value for k in SourceKind}:
            problems.append(f"{name}: source_kind {kind!r} is not a source kind")
            continue
        crawler = Crawler(cls, {"VEILLE_SETTINGS": settings})
        try:
            spider = cls.from_crawler(crawler, source=kind, path=str(tmp_path / "export.json"))
        except Exception as exc:
            problems.append(f"{name}: does not build ({type(exc).__name__}: {exc})")
            continue
        if spider.name != name or spider.source.kind.value != kind:
            problems.append(f"{name}: built as {spider.name} for a {spider.source.kind} source")
    for source in settings.sources:  # every kind has its spider, named after it
        if spider_class(spider_for(source)).source_kind != source.kind.value:  # type: ignore[attr-defined]
            problems.append(f"{source.kind.value}: no spider of that kind named after it")
    for engine in ENGINES:  # every engine is crawled, by its own spider or by `forum`
        if spider_class(engine).source_kind not in ("forum", "discourse"):  # type: ignore[attr-defined]
            problems.append(f"engine {engine}: crawled by {spider_class(engine).name}")
    assert not problems, "\n".join(problems)
    with pytest.raises(
        KeyError, match="unknown spider 'myspace'; known spiders: bluesky, discourse, "
    ):
        spider_class("myspace")


def test_every_source_kind_can_be_named_in_a_brand_query() -> None:
    """`source:NAME` in a brand query: every kind of source answers to one of its names."""
    from nlp.query.document import _SOURCE_OF_KIND, SOURCE_NAMES

    unnamed = [k.value for k in SourceKind if k.value not in _SOURCE_OF_KIND]
    assert not unnamed, f"source kinds a query's source: cannot name: {unnamed}"
    assert set(_SOURCE_OF_KIND.values()) == set(SOURCE_NAMES)


def test_every_engine_builds_and_the_config_accepts_exactly_the_engines() -> None:
    from scrapy.http import HtmlResponse

    from config.settings import SourceSettings
    from crawlers.engines import ENGINES, ForumEngine, engine_names, html_engine
    from pipeline.plugins import config_names

    blank = HtmlResponse("http://f.example/", body=b"<html><body><p>un blog</p></body></html>")
    problems = [f"duplicate engine {d}" for d in ENGINES.duplicates]
    for name, cls in ENGINES.items():
        if not issubclass(cls, ForumEngine) or cls.name != name or not isinstance(cls.order, int):
            problems.append(f"{name}: {cls} declares name {cls.name!r}, order {cls.order!r}")
            continue
        try:
            engine = cls({})
            engine.check()
        except ValueError as exc:  # an engine built from selectors says which are missing
            if "needs options" not in str(exc):
                problems.append(f"{name}: check() fails without naming what to add: {exc}")
        except Exception as exc:
            problems.append(f"{name}: does not build ({type(exc).__name__}: {exc})")
            continue
        if cls({}).detect(blank):
            problems.append(f"{name}: claims a page that is no forum")
    orders = [cls.order for cls in ENGINES.values()]
    if orders != sorted(orders):
        problems.append(f"detection order is not the engines' order: {orders}")
    if config_names()["forum_engine"]() != engine_names() or engine_names()[0] != "auto":
        problems.append(f"config accepts {config_names()['forum_engine']()}")
    # What the config accepts: every engine name, and nothing else.
    checker = SourceSettings.model_validate
    context = {"plugins": config_names()}
    for name in engine_names():
        source = {"name": "f", "kind": "forum", "url": "http://f.example/", "engine": name}
        checker(source, context=context)
    with pytest.raises(ValueError, match="'ikonboard' is not one of auto, discourse, flarum"):
        checker({**source, "engine": "ikonboard"}, context=context)
    assert not problems, "\n".join(problems)
    with pytest.raises(
        KeyError, match="unknown forum engine 'ikonboard'; known engines: discourse"
    ):
        html_engine("ikonboard")


ENGINE_PLUGIN = """
from crawlers.engines.base import HtmlEngine


class IkonboardEngine(HtmlEngine):
    name = "ikonboard"
    order = 60

    def detect(self, response):
        return b"Ikonboard" in response.body
"""


def test_a_third_party_engine_is_configurable_detected_and_crawled_by_the_forum_spider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    from scrapy.http import HtmlResponse

    from crawlers.engines import ENGINES, detect_engine, html_engine
    from crawlers.spiders import spider_class

    install(
        tmp_path,
        {"veille.engines": {"ikonboard": "veille_t_ikonboard:IkonboardEngine"}},
        {"veille_t_ikonboard.py": ENGINE_PLUGIN},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    ENGINES.refresh()
    fresh.append(ENGINES)  # type: ignore[arg-type]
    assert list(ENGINES) == [
        "discourse", "flarum", "nodebb", "xenforo", "invision", "vbulletin", "phpbb", "smf",
        "mybb", "ikonboard", "generic",
    ]  # fmt: skip
    page = HtmlResponse("http://f.example/", body=b"<p>Powered by Ikonboard</p>")
    assert detect_engine(page) == "ikonboard"
    assert html_engine("ikonboard").name == "ikonboard"
    assert spider_class("ikonboard").name == "forum"  # no spider of its own: the forum spider


# -- the config's plugin names -----------------------------------------------------------------


def test_unknown_plugin_names_in_the_config_fail_at_load_listing_the_valid_ones(
    tmp_path: Path,
) -> None:
    config = tmp_path / "veille.yaml"
    config.write_text(
        "sources:\n  - name: f\n    kind: forum\n    url: http://f.example/\n    engine: ikonboard\n"
        "schedules:\n  stages: [crawl, tidy]\nnlp:\n  labelers: [language, emotion]\n"
        "  sentiment:\n    backend: bert\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "status"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"Error: {config}: sources[0].engine: 'ikonboard' is not one of auto, discourse, flarum, nodebb, xenforo, invision, vbulletin, phpbb, smf, mybb, generic (line 5)",
        f"{config}: schedules.stages[1]: 'tidy' is not one of calendars, crawl, import, answers, analyze, authors, handoff, detect, alerts, report, retention, backup (line 7)",
        f"{config}: nlp.labelers[1]: 'emotion' is not one of language, sentiment, topic (line 9)",
        f"{config}: nlp.sentiment.backend: 'bert' is not one of default, transformers (line 11)",
    ]


# -- labelers --------------------------------------------------------------------------------

LABELER_PLUGIN = """
from nlp.labelers import register
from nlp.labelers.base import Prediction


class Shouting:
    task = "shouting"
    version = "acme.shouting.v1"
    model = "acme-uppercase-ratio"
    labels = ("calm", "shouting")

    def label_batch(self, docs):
        texts = [getattr(d, "text", d) for d in docs]
        return [Prediction("shouting" if t.isupper() else "calm", 1.0) for t in texts]


@register("shouting", version="acme.shouting.v1")
def make(settings):
    return Shouting()
"""


def test_the_built_in_labelers_are_the_mention_tasks_and_the_config_accepts_them() -> None:
    from nlp.labelers import available
    from pipeline.plugins import config_names
    from storage.vocab import MENTION_TASKS, values_of

    problems = []
    tasks = available()
    if sorted(tasks) != sorted(MENTION_TASKS):
        problems.append(f"labelers for {sorted(tasks)}; the labelling tasks are {MENTION_TASKS}")
    if config_names()["labeler"]() != list(tasks):
        problems.append(f"config accepts labelers {config_names()['labeler']()}")
    if config_names()["sentiment_backend"]() != list(tasks["sentiment"]):
        problems.append(f"config accepts backends {config_names()['sentiment_backend']()}")
    from config.settings import NlpSettings, SentimentSettings

    defaults = NlpSettings()
    problems += [
        f"default labeler {t} is not registered" for t in defaults.labelers if t not in tasks
    ]
    if SentimentSettings().backend not in tasks["sentiment"]:
        problems.append("the default sentiment backend is not registered")
    for task in ("sentiment", "topic"):
        from nlp.labelers import load

        labels = load(task).labels
        if tuple(sorted(labels)) != tuple(sorted(values_of(task))):
            problems.append(f"{task} labeler gives {labels}; the vocabulary says {values_of(task)}")
    assert not problems, "\n".join(problems)


def test_a_third_party_labeler_is_registered_configurable_and_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlp.labelers as labelers
    from config.settings import NlpSettings

    monkeypatch.setattr(labelers, "_REGISTRY", dict(labelers._REGISTRY))
    install(
        tmp_path,
        {"veille.labelers": {"shouting": "veille_t_shouting"}},
        {"veille_t_shouting.py": LABELER_PLUGIN},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    labelers._populate(again=True)
    assert labelers.available()["shouting"] == {"default": ["acme.shouting.v1"]}
    from pipeline.plugins import config_names

    context = {"plugins": config_names()}
    nlp = NlpSettings.model_validate({"labelers": ["language", "shouting"]}, context=context)
    assert nlp.labelers == ["language", "shouting"]
    shouting = labelers.load("shouting")
    assert [p.value for p in shouting.label_batch(["LUMINO EN PANNE", "ça marche"])] == [
        "shouting",
        "calm",
    ]


# -- detectors -------------------------------------------------------------------------------

DETECTOR_PLUGIN = '''
from reports.detect.base import Detector, Scored


class Threshold(Detector):
    """Fires on any bucket over 10 mentions: the simplest detector there is."""

    name = "over-ten"
    version = "acme.over-ten.v1"

    def update(self, timestamp, value):
        return Scored(1.0 if value > 10 else 0.0, 0.0, 10.0)
'''


def test_every_detector_builds_scores_causally_and_the_config_accepts_it() -> None:
    from datetime import datetime, timedelta

    from config.settings import AlertSettings
    from pipeline.plugins import config_names
    from reports.detect import DETECTORS, Detector, DetectorParams, Scored, score_series

    start = datetime(2026, 11, 1)
    series = [(start + timedelta(minutes=5 * i), float((i * 7) % 13)) for i in range(24 * 12 * 3)]
    series += [(start + timedelta(days=3), 400.0)]
    problems = [f"duplicate detector {d}" for d in DETECTORS.duplicates]
    for name, cls in DETECTORS.items():
        if not issubclass(cls, Detector) or cls.name != name or not cls.version:
            problems.append(f"{name}: {cls} declares name {cls.name!r}, version {cls.version!r}")
            continue
        try:
            scores = score_series(series, DetectorParams(bucket_minutes=5.0), name)
        except Exception as exc:
            problems.append(f"{name}: does not score ({type(exc).__name__}: {exc})")
            continue
        if not all(isinstance(s, Scored) and 0.0 <= s.score <= 1.0 for s in scores):
            problems.append(f"{name}: scores outside [0, 1]")
        prefix = score_series(series[:500], DetectorParams(bucket_minutes=5.0), name)
        if [s.score for s in prefix] != [s.score for s in scores[:500]]:
            problems.append(f"{name}: a prefix of the series scores differently (not causal)")
    if config_names()["detector"]() != list(DETECTORS):
        problems.append(f"config accepts detectors {config_names()['detector']()}")
    from pipeline.commands.score_series import Detector as Choice

    if [c.value for c in Choice] != list(DETECTORS):
        problems.append(f"veille score-series --detector offers {[c.value for c in Choice]}")
    if AlertSettings().detector not in DETECTORS:
        problems.append("the default alerts.detector is not registered")
    assert not problems, "\n".join(problems)
    with pytest.raises(KeyError, match="unknown detector 'prophet'; known detectors: streaming"):
        score_series(series, None, "prophet")


def test_a_third_party_detector_scores_the_alert_series(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    from datetime import datetime, timedelta

    from config.settings import AlertSettings
    from pipeline.plugins import config_names
    from reports.detect import DETECTORS, score_series

    install(
        tmp_path,
        {"veille.detectors": {"over-ten": "veille_t_over_ten"}},
        {"veille_t_over_ten.py": DETECTOR_PLUGIN},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    DETECTORS.refresh()
    fresh.append(DETECTORS)  # type: ignore[arg-type]
    assert list(DETECTORS) == ["over-ten", "streaming"]
    context = {"plugins": config_names()}
    assert (
        AlertSettings.model_validate({"detector": "over-ten"}, context=context).detector
        == "over-ten"
    )
    t = datetime(2026, 11, 1)
    points = [(t, 3.0), (t + timedelta(minutes=5), 30.0)]
    assert [s.score for s in score_series(points, None, "over-ten")] == [0.0, 1.0]


# -- report sections -------------------------------------------------------------------------

SECTION_PLUGIN = '''
from reports.sections.base import ReportSection


class Weather(ReportSection):
    """A third-party section: the share of mentions that talk about the weather."""

    name = "weather"
    order = 65  # after the posts, before the competitors
    template = "veille_t_weather:templates/weather.html.j2"
    titles = {"fr": "Météo", "en": "Weather"}

    def variables(self, c, t):
        return {"rainy": int(c.headline["volume"].current or 0)}
'''
SECTION_TEMPLATE = """<section id="weather">
  <h2>{{ title }}</h2>
  <p class="weather">{{ t.num(rainy) }} <b>rain</b></p>
</section>
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A brand's report content on the reports fixture (SQLite)."""
    import reports_fixture as F

    from config.settings import ThemeSettings
    from reports.build import build_report
    from reports.periods import parse_period
    from storage.engine import make_engine
    from storage.schema import upgrade

    tmp = tmp_path_factory.mktemp("sections")
    engine = make_engine(f"sqlite:///{tmp / 'veille.db'}")
    upgrade(engine)
    F.load(engine)
    settings = F.settings(tmp)
    settings.themes = [ThemeSettings(name="Livraison", query="livraison")]
    content = build_report(engine, settings, "Lumino", parse_period(F.PERIOD), F.NOW)
    engine.dispose()
    return content


def test_every_section_renders_in_both_languages_with_its_title(report: object) -> None:
    from reports.html import render_sections
    from reports.i18n import LANGUAGES, Translator
    from reports.sections import SECTIONS, ReportSection

    problems = [f"duplicate section {d}" for d in SECTIONS.duplicates]
    for name, cls in SECTIONS.items():
        if not issubclass(cls, ReportSection) or cls.name != name or not isinstance(cls.order, int):
            problems.append(f"{name}: {cls} declares name {cls.name!r}, order {cls.order!r}")
    orders = [cls.order for cls in SECTIONS.values()]
    if orders != sorted(orders):
        problems.append(f"sections are not in their order: {orders}")
    for lang in LANGUAGES:
        t = Translator(lang)
        try:
            rendered = render_sections(report, t)  # type: ignore[arg-type]
        except Exception as exc:
            problems.append(f"{lang}: the sections do not render ({type(exc).__name__}: {exc})")
            continue
        for section in rendered:
            if not section.title or f"<h2>{section.title}</h2>" not in section.html:
                problems.append(f"{section.name} ({lang}): no title {section.title!r} in its HTML")
            if f'<section id="{section.name}">' not in section.html:
                problems.append(f"{section.name} ({lang}): not a <section id={section.name}>")
    assert not problems, "\n".join(problems)


def test_a_third_party_section_joins_the_report_and_its_contents(
    report: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    from reports.html import render_html
    from reports.i18n import Translator
    from reports.sections import SECTIONS

    install(
        tmp_path,
        {"veille.sections": {"weather": "veille_t_weather:Weather"}},
        {
            "veille_t_weather/__init__.py": SECTION_PLUGIN,
            "veille_t_weather/templates/weather.html.j2": SECTION_TEMPLATE,
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    SECTIONS.refresh()
    fresh.append(SECTIONS)  # type: ignore[arg-type]
    assert list(SECTIONS)[-4:-1] == ["posts", "weather", "competitors"]
    html = render_html(report, Translator("en"))  # type: ignore[arg-type]
    assert '<li><a href="#weather">Weather</a></li>' in html
    assert html.index('<section id="posts">') < html.index('<section id="weather">')
    assert html.index('<section id="weather">') < html.index('<section id="competitors">')
    assert '<p class="weather">' in html and "<b>rain</b>" in html  # its own markup kept


# -- the one place -----------------------------------------------------------------------------


def test_every_extension_point_is_listed_documented_and_has_plugins() -> None:
    from pipeline.plugins import EXTENSION_POINTS

    guide = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
    listing = (ROOT / "pipeline" / "plugins.py").read_text(encoding="utf-8")
    problems = []
    for point in EXTENSION_POINTS:
        if f"`{point.group}`" not in guide or point.group not in listing:
            problems.append(f"{point.kind}: group {point.group} missing from the docs or listing")
        if not point.names():
            problems.append(f"{point.kind}: no plugin registered")
    groups = {p.group for p in EXTENSION_POINTS}
    if len(groups) != 9:
        problems.append(f"nine extension points expected, listed: {sorted(groups)}")
    assert not problems, "\n".join(problems)
