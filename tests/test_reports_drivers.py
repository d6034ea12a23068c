"""Drivers of change: hashtags, handles, word pairs and near-identical posts, any row order."""

from __future__ import annotations

import pandas as pd

from reports.drivers import features, find_drivers


def _texts() -> pd.DataFrame:
    rows = []
    n = 0

    def add(text: str, current: bool, sentiment: str, author: int, engagement: int = 0) -> None:
        nonlocal n
        n += 1
        rows.append(
            {"id": n, "current": current, "sentiment": sentiment, "author_id": author,
             "engagement": engagement, "followers": 10.0, "title": None, "text": text,
             "weight": 1.0}
        )  # fmt: skip

    for i in range(6):  # a burst: the same complaint copied, with a hashtag
        add(f"@Lumino paiement débité deux fois, {i} euros perdus #LuminoPanne", True,
            "negative", 100 + i, engagement=i)  # fmt: skip
    for i in range(4):  # praise for a product, worded freely
        add(f"J'adore la lampe Nova {i}, super design", True, "positive", 200 + i)
    for i in range(3):  # a template pasted by three accounts, in both periods
        add("Jeu concours : RT pour gagner une lampe Nova, bonne chance à tous", True,
            "neutral", 300 + i)  # fmt: skip
        add("Jeu concours : RT pour gagner une lampe Nova, bonne chance à tous", False,
            "neutral", 310 + i)  # fmt: skip
    for i in range(4):  # a complaint that faded away
        add(f"Livraison en retard encore {i} @LaPoste_fr", False, "negative", 400 + i)
    add("Un message de la marque : #LuminoPanne nous travaillons dessus", True, "neutral", 999)
    return pd.DataFrame(rows)


def test_features_of_one_post() -> None:
    found = features(
        "Titre", "@Rivéo et @lumino : paiement débité deux fois !! https://x.fr/a #Panne 12",
        {"lumino"}, {"@lumino_aide"},
    )  # fmt: skip
    assert found["hashtag"] == {"#panne": "#Panne"}
    assert found["handle"] == {"@riveo": "@Rivéo"}  # the brand's own name is not a driver
    assert "paiement debite" in found["bigram"]
    # Near-identical: the text without case, accents, links, handles, numbers and punctuation.
    assert list(found["cluster"]) == ["et paiement debite deux fois #panne"]


def test_word_pairs_read_as_written_and_stay_inside_a_sentence() -> None:
    found = features(
        None, "Très contente de mon achat, elle vaut vraiment son prix. 5 étoiles "
        "(acheté pour mon fils) échangé en 48 h sans discuter", set(), set(),
    )["bigram"]  # fmt: skip
    assert found["contente achat"] == "contente de mon achat"  # the function words kept
    assert found["achete fils"] == "acheté pour mon fils"
    assert found["echange discuter"] == "échangé … discuter"  # a number between: elided
    assert "prix etoiles" not in found  # not across the end of a sentence
    assert "etoiles achete" not in found  # nor into a bracket


def test_a_pair_across_a_number_is_elided_and_a_short_word_is_shown() -> None:
    found = features(None, "Payé en 3 fois, tombé en HS au bout d'un mois. Galaxy S23 génial",
                     set(), set())["bigram"]  # fmt: skip
    assert found["paye tombe"] == "payé … tombé"  # not « payé en fois tombé »: a number stood there
    assert found["tombe bout"] == "tombé en hs au bout"  # a short word, no number: shown
    assert found["galaxy s23"] == "galaxy s23"  # a word's digits are the word's


def test_greetings_and_moments_are_how_people_write_not_what_they_write_about() -> None:
    found = features(
        None, "Hello, franchement la batterie tient bien. Last weekend. Bref. Ce week-end.",
        set(), set(),
    )["bigram"]  # fmt: skip
    assert list(found) == ["batterie tient"]


def test_drivers_explain_the_change_with_examples() -> None:
    d = find_drivers(_texts(), ["Lumino"], ["@lumino"], own_authors={999})
    change = {x.key: x for x in d.change}
    panne = change["#luminopanne"]
    # The brand's own post with the hashtag counts in the volume, not in the driver: what the
    # brand says (its answers) is not what people say of it.
    assert (panne.mentions, panne.previous, panne.change) == (6, 0, 6)
    assert panne.sentiment == {"negative": 6, "neutral": 0, "positive": 0, "unlabelled": 0}
    assert panne.authors == 6
    assert d.volume_change == 14 - 7
    assert panne.share_of_change == 6 / 7
    # 21 mentions against 14: +7 is within chance (2 √35 ≈ 11.8), so no share is shown.
    assert not d.beyond_chance and d.explains(panne) is None
    assert 999 not in [_author(x) for x in panne.examples]  # nor is it an example
    assert panne.examples == [6, 5]  # most engaging first
    # The word pair of the same posts is left out (it says the same as the hashtag).
    assert "paiement debite" not in change
    assert "jeu concours" not in change  # as frequent as before: not a driver of change
    # The complaint is the double debit, named by its hashtag: its six copies, every one
    # negative; their near-identical text covers the same posts, so it is left out.
    complaint = d.complaints[0]
    assert complaint.key == "#luminopanne" and complaint.sentiment["negative"] == 6
    assert "cluster" not in {x.kind for x in d.complaints}
    # Four posts alike but for a number: a cluster of near-identical posts, quoted by its text.
    praise = d.praise[0]
    assert praise.kind == "cluster" and "lampe Nova" in praise.label and praise.mentions == 4


def _author(mention_id: int) -> int:
    return int(_texts().set_index("id").loc[mention_id, "author_id"])


def test_a_falling_period_names_what_went_away_with_its_posts() -> None:
    texts = _texts()
    falling = find_drivers(texts.assign(current=~texts["current"]), ["Lumino"], [], set())
    assert falling.volume_change == 7 - 14
    gone = {x.key: x for x in falling.change}["#luminopanne"]
    assert (gone.mentions, gone.previous, gone.share_of_change) == (0, 7, 1.0)
    assert gone.examples  # the posts it had before
    rising = {x.key for x in find_drivers(texts, ["Lumino"], [], set()).change}
    assert "@laposte_fr" not in rising  # it fell while the volume rose


def test_what_went_away_needs_two_authors_too() -> None:
    """A post of the previous period read in a sample counts for k, but one author's post is
    no driver, whether it stays or goes (in a million mentions: a hundred thousand such)."""
    texts = _texts()
    lone = pd.DataFrame([
        {"id": 100 + i, "current": False, "sentiment": "negative", "author_id": 7,
         "engagement": 0, "followers": 10.0, "title": None, "weight": 8.0,
         "text": f"Mon compteur Lumino clignote sans arrêt depuis {i} jours, rien à faire"}
        for i in range(2)
    ])  # fmt: skip
    falling = find_drivers(pd.concat([texts.assign(current=~texts["current"]), lone]),
                           ["Lumino"], [], set())  # fmt: skip
    keys = {d.key for d in falling.change}
    assert "#luminopanne" in keys  # seven posts of six authors went away
    assert not any("compteur" in k or "clignote" in k for k in keys)  # two posts of one author


def test_same_drivers_whatever_the_row_order() -> None:
    texts = _texts()
    want = find_drivers(texts, ["Lumino"], [], own_authors={999})
    for seed in range(3):
        shuffled = texts.sample(frac=1, random_state=seed).reset_index(drop=True)
        got = find_drivers(shuffled, ["Lumino"], [], own_authors={999})
        assert got == want


def test_examples_of_a_driver_share_its_main_tone() -> None:
    """A phrase mostly positive is quoted by a positive post, even when a complaint carrying
    the same phrase was more engaging."""
    rows = [
        {"id": i, "current": True, "sentiment": s, "author_id": i, "engagement": e,
         "followers": 10.0, "title": None, "text": f"Quick update: {t} {i}", "weight": 1.0}
        for i, (s, e, t) in enumerate(
            [("negative", 90, "refund still missing, terrible support")]
            + [("positive", k, "works great, highly recommend") for k in range(4)], 1
        )
    ]  # fmt: skip
    d = find_drivers(pd.DataFrame(rows), ["Lumino"], [], own_authors=set())
    quick = next(x for x in d.change if x.key == "quick update")
    assert quick.sentiment["positive"] == 4 and quick.examples == [5, 4]


def test_a_share_of_the_change_is_shown_only_beyond_chance() -> None:
    from reports.drivers import Driver, Drivers

    burst = Driver("hashtag", "#panne", "#Panne", 22, 0, {"negative": 22}, 20, 22 / 25)
    calm = Drivers(volume_change=19, volume_total=731 + 712)  # +2.7 %: noise
    loud = Drivers(volume_change=25, volume_total=40 + 15)  # 25 ≥ 2 √55 ≈ 14.8
    assert not calm.beyond_chance and calm.explains(burst) is None
    assert loud.beyond_chance and loud.explains(burst) == 22 / 25
    against = Driver("bigram", "a b", "a b", 1, 4, {}, 1, -3 / 25)
    assert loud.explains(against) is None  # moved against the volume


def test_praise_is_what_is_more_positive_than_the_brand_in_general() -> None:
    rows = []

    def add(text: str, sentiment: str) -> None:
        rows.append({"id": len(rows) + 1, "current": True, "sentiment": sentiment,
                     "author_id": len(rows), "engagement": 0, "followers": 1.0, "title": None,
                     "text": text, "weight": 1.0})  # fmt: skip

    for _ in range(20):  # a day of short happy posts, no phrase in common
        add("Génial !", "positive")
    for sentiment in ["positive"] * 7 + ["negative"] + ["neutral"] * 2:  # a detail in any tone
        add("Reçu hier (acheté pour mon fils).", sentiment)
    for _ in range(4):
        add("Livraison rapide, merci.", "positive")
    d = find_drivers(pd.DataFrame(rows), ["Lumino"], [], set())
    praise = [x.key for x in d.praise]
    # « acheté pour mon fils » has the most positive posts (7) but is less positive (70 %) than
    # the day (31 of 34): it praises nothing. « livraison rapide » is praised every time.
    assert praise[:1] == ["livraison rapide"] and "achete fils" not in praise


def test_a_day_of_nothing_but_praise_still_names_what_is_praised() -> None:
    rows = [
        {"id": i + 1, "current": True, "sentiment": "positive", "author_id": i,
         "engagement": 0, "followers": 1.0, "title": None,
         "text": "Livraison rapide, merci." if i < 4 else "Génial !", "weight": 1.0}
        for i in range(12)
    ]  # fmt: skip
    praise = find_drivers(pd.DataFrame(rows), ["Lumino"], [], set()).praise
    assert [x.key for x in praise] == ["livraison rapide"]


def test_an_alert_s_drivers_leave_the_brand_s_answers_out() -> None:
    """During a bad buzz the care account answers complaints about the service in the words
    people use: its answers do not make the complaint bigger."""
    from datetime import UTC, datetime

    from reports.alerts.content import drivers_of
    from storage.mentions import WindowMention

    at = datetime(2026, 11, 22, 8, tzinfo=UTC)

    def post(n: int, author: str, text: str) -> WindowMention:
        who = 1 if author == "Lumino_Aide" else 100 + n
        return WindowMention(n, text, None, at, "x", who, author, 0, 0, 0, "negative",
                             external_id=str(n))  # fmt: skip

    angry = [post(n, f"client{n}", f"Le service client est injoignable, {n} appels")
             for n in range(3)]  # fmt: skip
    answers = [post(10 + n, "Lumino_Aide", f"Le service client vous répond en privé ({n})")
               for n in range(4)]  # fmt: skip
    found = drivers_of([*angry, *answers], [], ["Lumino"], ["@lumino_aide"], {1})
    assert [(d.label, d.mentions) for d in found] == [
        ("Le service client est injoignable, 0 appels", 3)
    ]
    # Without the care account named, its answers make the complaint « service client » of 7.
    found = drivers_of([*angry, *answers], [], ["Lumino"], [], set())
    assert [(d.label, d.mentions) for d in found] == [("service client", 7)]
