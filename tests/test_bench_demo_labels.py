"""`bench/demo_labels.py`: the demo's mentions against the labels they were written to have."""

from __future__ import annotations

from bench_scripts import bench_script


def test_the_demo_s_intended_labels_are_its_templates_own() -> None:
    """A topic without an English template is written with another topic's template: the
    intended labels are that template's, not the topic drawn."""
    from veille_demo.generate import TEMPLATES_EN, TEMPLATES_FR, generate

    for row in generate():
        truth = row["demo_truth"]
        table = TEMPLATES_EN if row["lang"] == "en" else TEMPLATES_FR
        assert (truth["topic"], truth["sentiment"]) in table  # type: ignore[index]


def test_the_figures_add_up_over_the_mentions_measured() -> None:
    bench = bench_script("demo_labels")
    result = bench.measure("fast", limit=400)
    assert result["n"] == 400
    for task in ("sentiment", "topic"):
        langs = {lang: r for lang, r in result[task].items() if lang in ("fr", "en")}
        assert sum(r["n"] for r in langs.values()) == 400
        for r in langs.values():
            assert sum(map(sum, r["confusion"])) == r["n"]
            right = sum(r["confusion"][i][i] for i in range(len(r["confusion"])))
            assert abs(right / r["n"] - r["accuracy"]) < 1e-3
            shares = [k["right"] for k in r["by_template_kind"].values()]
            assert shares == sorted(shares) and sum(k["n"] for k in
                                                    r["by_template_kind"].values()) == r["n"]  # fmt: skip
    assert any("read as meant, by template kind" in line for line in bench.lines_of(result))
