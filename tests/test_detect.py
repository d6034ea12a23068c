"""The streaming detector: causal, quiet on seasonality, loud on bursts; `veille score-series` CSVs."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app, main
from reports.detect import DetectorParams, score_series

T0 = datetime(2026, 3, 2, 0, 0)
BAD_BUZZ = DetectorParams(bucket_minutes=5, direction="up")  # as the alert rule reads mentions


def _seasonal(days: int, base: float, seed: int = 1) -> list[tuple[datetime, float]]:
    rng = random.Random(seed)
    points = []
    for k in range(days * 288):
        at = T0 + timedelta(minutes=5 * k)
        daily = 0.2 + 1.6 * math.sin(math.pi * max(0.0, (at.hour - 7) / 17)) ** 2
        weekly = 0.6 if at.weekday() >= 5 else 1.0
        lam = base * daily * weekly
        points.append((at, float(_poisson(rng, lam))))
    return points


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def test_scores_of_a_prefix_equal_the_first_scores_of_the_whole_series() -> None:
    series = _seasonal(6, 4.0)
    series[1500] = (series[1500][0], 90.0)
    whole = [s.score for s in score_series(series)]
    for cut in (10, 760, 1501, 1700):
        assert [s.score for s in score_series(series[:cut])] == whole[:cut]
    assert all(0.0 <= s <= 1.0 for s in whole)


@pytest.mark.parametrize(("base", "firings"), [(0.3, 3), (5.0, 0), (400.0, 0)])
def test_a_burst_outscores_every_seasonal_peak(base: float, firings: int) -> None:
    """Sparse, medium and busy series: daily/weekly peaks stay low, a burst stands out.

    Scores reach 0.5 only where the detector fires. On a sparse series a couple of posts in a
    quiet hour is already unusual and may fire now and then; the alert rule's minimum count
    (alerts.min_negative) keeps those from alerting."""
    series = _seasonal(14, base, seed=int(base * 10))
    spike_at = 12 * 288 + 150  # a Saturday afternoon
    for k in range(spike_at, spike_at + 8):
        at, value = series[k]
        series[k] = (at, value + 12 * base + 25)
    scores = [s.score for s in score_series(series, BAD_BUZZ)]
    burst = max(scores[spike_at : spike_at + 8])
    assert burst > 0.95, burst  # fired, and seen at several widths
    assert sum(s >= 0.5 for s in scores[900:spike_at]) <= firings


def test_adapts_to_a_new_normal_level() -> None:
    series = _seasonal(12, 5.0, seed=3)
    shift = 6 * 288
    series = series[:shift] + [(at, v * 4) for at, v in series[shift:]]
    scores = [s.score for s in score_series(series, BAD_BUZZ)]
    assert max(scores[shift : shift + 144]) > 0.5  # the change is seen …
    assert max(scores[shift + 2 * 288 :]) < 0.45  # … and is the new normal two days later


def test_score_series_command_adds_a_score_column(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    series = _seasonal(4, 3.0)
    src.write_text(
        "timestamp,value,note\n" + "".join(f"{at:%Y-%m-%d %H:%M:%S},{v:g},x\n" for at, v in series)
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["score-series", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "timestamp,value,note,anomaly_score"
    assert len(lines) == len(series) + 1
    expected = [s.score for s in score_series(series)]
    assert [float(line.rsplit(",", 1)[1]) for line in lines[1:]] == pytest.approx(
        expected, abs=1e-6
    )
    stdout = CliRunner().invoke(app, ["score-series", str(src)])
    assert stdout.exit_code == 0 and stdout.output.splitlines()[0].endswith("anomaly_score")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("time,value\n2026-01-01 00:00:00,1\n", "line 1: the header needs columns timestamp"),
        ("timestamp,value\n2026-01-01 00:00:00,1\nyesterday,2\n", "line 3: timestamp 'yesterday'"),
        ("timestamp,value\n2026-01-01 00:00:00,lots\n", "line 2: value 'lots' is not a number"),
        ("timestamp,value\n2026-01-02 00:00:00,1\n2026-01-01 00:00:00,1\n", "goes back in time"),
    ],
)
def test_a_bad_csv_names_the_file_and_line(
    tmp_path: Path, body: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(body)
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exit_:
        main(["score-series", str(src), "--out", str(out)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert str(src) in err and message in err
    assert not out.exists() and not (tmp_path / "out.csv.part").exists()


def test_the_old_detect_command_names_the_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["detect", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv")])
    assert exit_.value.code == 2
    assert "`veille detect` is now `veille score-series`" in capsys.readouterr().err


def _metric(days: int, step_minutes: int, seed: int) -> list[tuple[datetime, float]]:
    """A real-valued metric around zero (a temperature-like reading), with a daily swing."""
    rng = random.Random(seed)
    points = []
    for k in range(days * 24 * 60 // step_minutes):
        at = T0 + timedelta(minutes=step_minutes * k)
        points.append((at, 3.0 * math.sin(2 * math.pi * at.hour / 24) + rng.gauss(0, 0.5)))
    return points


def test_causal_on_a_real_valued_metric_with_gaps() -> None:
    series = _metric(8, 60, seed=5)
    series = series[:50] + series[80:]  # a day and more without data
    series[150] = (series[150][0], -40.0)
    whole = score_series(series)
    for cut in (5, 30, 51, 151, len(series) - 1):
        assert score_series(series[:cut]) == whole[:cut]


def test_the_bucket_is_learnt_from_the_timestamps() -> None:
    hourly = _metric(10, 60, seed=6)
    learnt = [s.score for s in score_series(hourly)]
    assert learnt == [s.score for s in score_series(hourly, DetectorParams(bucket_minutes=60))]
    assert learnt != [s.score for s in score_series(hourly, DetectorParams(bucket_minutes=5))]


@pytest.mark.parametrize("step", [5, 60])
def test_a_metric_that_drops_is_flagged_when_drops_count(step: int) -> None:
    series = _metric(12, step, seed=7)
    fall = len(series) * 3 // 4
    series = series[:fall] + [(at, v - 15.0) for at, v in series[fall:]]
    both = [s.score for s in score_series(series)]
    up = [s.score for s in score_series(series, DetectorParams(direction="up"))]
    per_day = 24 * 60 // step
    assert max(both[fall : fall + per_day // 2]) >= 0.5  # the fall is seen within hours …
    assert sum(s >= 0.5 for s in both[2 * per_day : fall]) <= 1  # … noise seldom fires
    assert max(up[fall:]) < 0.5  # a bad-buzz detector does not care
