"""The workspace end to end in headless Chromium (Debian's `chromium`, driven by Playwright
with `executable_path`): sign in, filter the inbox with a query and the keyboard, correct a
label and see it win, assign and close, go to the next and previous mention of an inbox view
with the keys, acknowledge an alert, download a CSV, save the view, go from a mention to its
author's page and correct their profile, read the pages in French and back in English; set up
two-step sign-in and sign in with a code; take homonyms off a brand and follow the exclusion the
query workbench suggests; give a person one brand and read the workspace as them; the seeded
hostile strings never run, and the strict CSP is never violated.

With VEILLE_SCREENSHOTS=DIR the test also saves the inbox, a mention page and the labels to
review there, the contributors, the inbox in French, two-step sign-in's setup, the query
workbench and the accounts' brands (the manual's docs/img/web-inbox.png, web-mention.png,
web-review.png, web-contributors.png, web-inbox-fr.png, web-two-factor.png, web-queries.png
and web-users-brands.png are made so).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from web_workspace import PASSWORD, seed, settings

from nlp.authors.compute import recompute
from storage.clock import utcnow
from storage.engine import make_engine
from storage.schema import upgrade
from web.app import create_app

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    import uvicorn

    engine = make_engine(f"sqlite:///{tmp_path / 'veille.db'}", create=True)
    upgrade(engine)
    ids = seed(engine)
    recompute(engine, now=utcnow() + timedelta(minutes=1))  # the contributors' profiles
    app = create_app(engine, settings(), secret="e" * 32)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    thread.join(10)
    engine.dispose()


@contextmanager
def _chromium(executable: str) -> Iterator[Any]:
    """Headless Chromium (Debian's), closed after."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _watched_page(browser: Any) -> tuple[Any, list[str]]:
    """A new page of the size of the manual's pictures (a browser context of its own: signed
    out), and the list its strict-CSP violations and script errors are written to."""
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text else None)  # fmt: skip
    page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))
    return page, violations


def _sign_in(page: Any, url: str, name: str) -> None:
    """Open `url` (the sign-in page comes first, and then the page asked for) and sign in as
    `name`."""
    page.goto(url)
    assert "/login" in page.url
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_analyst_works_through_the_inbox_in_chromium(
    server: tuple[str, dict[str, Any]], chromium: str, tmp_path: Path
) -> None:
    base, ids = server
    shots = os.environ.get("VEILLE_SCREENSHOTS")
    with _chromium(chromium) as browser:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1360,
                                                                      "height": 900})  # fmt: skip
        context.set_default_timeout(15_000)
        page = context.new_page()
        dialogs: list[str] = []
        violations: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text else None)  # fmt: skip
        page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))

        def no_script_ran() -> None:
            assert page.evaluate("window.__xss") is None
            assert not dialogs, dialogs

        # sign in (the inbox sends us to /login and back)
        _sign_in(page, base + "/inbox", "analyst")
        page.wait_for_url("**/inbox")
        page.select_option("select[name=period]", "all")
        page.click("#filters button[type=submit]")
        page.wait_for_url("**period=all**")
        assert page.locator("tr.mention-row").count() == 30
        no_script_ran()
        if shots:
            page.screenshot(path=str(Path(shots) / "web-inbox.png"), caret="initial")

        # filter with Veille's query language, then open the first row with the keyboard
        page.fill("#q", 'colis OR "service client"')
        page.click("#filters button[type=submit]")
        page.wait_for_url("**q=colis**")
        page.wait_for_function("document.querySelectorAll('tr.mention-row').length === 1")
        page.locator("body").press("j")
        page.locator("body").press("Enter")
        page.wait_for_url(f"**/mentions/{ids['negative']}?**q=colis**")

        # correct the sentiment in one click: the person's label wins
        sentiment = page.locator("tr[data-task=sentiment]")
        sentiment.locator("button[value=positive]").click()
        page.wait_for_selector("tr[data-task=sentiment] .value >> text=by a person")
        assert "positive" in sentiment.locator(".value").inner_text()

        # assign to myself, then close
        page.select_option("#triage select[name=assignee]", "analyst")
        page.click("#triage button:has-text('Assign')")
        page.wait_for_selector("#assignee >> text=analyst")
        page.click("#triage button[value=closed]")
        page.wait_for_selector("#status >> text=closed")
        assert page.locator("#history").inner_text().count("triage") == 2

        # the hostile mention shows its text and runs nothing
        page.goto(f"{base}/mentions/{ids['xss']}")
        assert "onerror" in page.locator("#mention-text").inner_text()
        if shots:
            page.screenshot(
                path=str(Path(shots) / "web-mention.png"), full_page=True, caret="initial"
            )
        no_script_ran()

        # the labels to review: the hostile mention's unsure sentiment, corrected from the list
        page.goto(f"{base}/review")
        row = page.locator(f"tr.review-row[data-id='{ids['xss']}']")
        assert "onerror" in row.inner_text()
        no_script_ran()
        if shots:
            page.screenshot(path=str(Path(shots) / "web-review.png"), caret="initial")
        row.locator("button[value=neutral]").click()
        page.wait_for_selector("#review >> text=No label to review")
        no_script_ran()

        # previous and next within the inbox view, with the inbox's keys
        page.goto(f"{base}/inbox?period=all&status=all&brand=Globex")
        order = page.eval_on_selector_all(
            "tr.mention-row", "rows => rows.map(r => r.getAttribute('data-id'))"
        )
        page.locator("body").press("j")
        page.locator("body").press("Enter")
        page.wait_for_url(f"**/mentions/{order[0]}?**brand=Globex**")
        page.locator("body").press("j")
        page.wait_for_url(f"**/mentions/{order[1]}?**brand=Globex**")
        page.locator("body").press("j")
        page.wait_for_url(f"**/mentions/{order[2]}?**brand=Globex**")
        page.locator("body").press("k")
        page.wait_for_url(f"**/mentions/{order[1]}?**brand=Globex**")
        page.locator("body").press("u")
        page.wait_for_url("**/inbox?**brand=Globex**")

        # acknowledge the open alert
        page.goto(f"{base}/alerts/{ids['alert']}")
        page.fill("input[aria-label=note]", "on it")
        page.click("button:has-text('Acknowledge')")
        page.wait_for_selector("#alert-answer >> text=Acknowledged by")
        assert "analyst" in page.locator("#alert-answer").inner_text()

        # from a mention to its author's page, their profile corrected, the contributors
        page.goto(f"{base}/mentions/{ids['xss']}")
        page.click("#author-page")
        page.wait_for_url("**/authors/2")
        page.select_option("#set-profile select[name=profile]", "expert")
        page.click("#set-profile button[type=submit]")
        page.wait_for_selector("#profile .pill.human >> text=expert")
        page.fill("#add-tag input[name=tag]", "journaliste")
        page.click("#add-tag button[type=submit]")
        page.wait_for_selector("#tags .pill.tag >> text=journaliste")
        page.click("#author-inbox")
        page.wait_for_selector("#author-filter")
        assert "author=2" in page.url
        no_script_ran()
        page.goto(f"{base}/authors")
        assert page.locator("tr.author-row").count() == 3
        if shots:
            page.screenshot(path=str(Path(shots) / "web-contributors.png"), caret="initial")
        no_script_ran()

        # download the filtered view as CSV
        page.goto(f"{base}/inbox?period=all&status=all&brand=Acme")
        with page.expect_download() as info:
            page.click("a:has-text('CSV')")
        data = Path(info.value.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbfid,published_at")
        assert len(data.decode("utf-8-sig").strip().splitlines()) == 21
        no_script_ran()

        # save these filters as a view the team opens in a click
        page.fill("#save-view input[name=name]", "Acme, tout")
        page.click("#save-view button[type=submit]")
        page.wait_for_selector("#saved-views .pill.here >> text=Acme, tout")
        assert "brand=Acme" in page.url

        # French from the top bar, on every page from now on; English again
        page.click("#language button[value=fr]")
        page.wait_for_selector("html[lang=fr]")
        assert "brand=Acme" in page.url  # back on the same view
        assert page.locator("h1").inner_text().startswith("Boîte de réception")
        page.goto(f"{base}/alerts/{ids['alert']}")
        page.wait_for_selector("#alert-answer >> text=Prise en charge par")
        if shots:
            page.goto(f"{base}/inbox?period=all")
            page.screenshot(path=str(Path(shots) / "web-inbox-fr.png"), caret="initial")
        page.click("#language button[value=en]")
        page.wait_for_selector("html[lang=en]")
        no_script_ran()
        assert not violations, "\n".join(violations)


def test_two_step_sign_in_in_chromium(
    server: tuple[str, dict[str, Any]], chromium: str, tmp_path: Path
) -> None:
    """Set it up from the account page (the QR code shows under the strict CSP), sign out,
    sign in with the password then a code of the app."""
    import pyotp

    from web.two_factor import STEP

    base, _ = server
    shots = os.environ.get("VEILLE_SCREENSHOTS")
    with _chromium(chromium) as browser:
        page, violations = _watched_page(browser)

        def password_step() -> None:
            _sign_in(page, base + "/inbox", "viewer")

        password_step()
        page.wait_for_url("**/inbox")
        page.goto(base + "/account")
        page.click("#two-factor button[type=submit]")
        page.wait_for_selector("#two-factor-qr")
        page.wait_for_function("document.querySelector('#two-factor-qr').complete")
        shown = page.eval_on_selector("#two-factor-qr", "img => img.naturalWidth")
        assert shown > 100  # the QR code drawn, not blocked nor broken
        if shots:
            page.screenshot(path=str(Path(shots) / "web-two-factor.png"), caret="initial")
        totp = pyotp.TOTP(page.inner_text("#two-factor-secret").replace(" ", ""), interval=STEP)
        page.fill("#two-factor input[name=code]", totp.now())
        page.click("#two-factor button[type=submit]")
        page.wait_for_selector("#two-factor-on")
        page.context.clear_cookies()  # another day, another browser
        password_step()
        page.wait_for_selector("#login-code")
        assert "/login" in page.url
        page.fill("input[name=code]", totp.at(time.time() + STEP))  # the next code
        page.click("button[type=submit]")
        page.wait_for_url("**/inbox")
        assert not violations, "\n".join(violations)


def test_off_topic_posts_and_the_query_workbench_in_chromium(
    server: tuple[str, dict[str, Any]], chromium: str, tmp_path: Path
) -> None:
    """Three posts the query `acme` caught about a ski season (« l'acme de la saison »): an
    analyst checks them in the inbox and takes them off Acme, opens Queries, follows the
    suggested exclusion and reads that the query with it leaves the three out, drops none."""
    from storage.records import BrandMatch, MentionRecord
    from storage.upsert import MentionStore

    base, _ = server
    engine = make_engine(f"sqlite:///{tmp_path / 'veille.db'}")
    texts = ("L'acme de la saison de ski", "L'acme de la saison des concerts",
             "Fin de saison : l'acme des soldes")  # fmt: skip
    MentionStore(engine).store([
        MentionRecord(source="forum-acme", source_kind="forum", external_id=f"ski-{i}",
                      text=text, published_at=utcnow() - timedelta(minutes=10 + i),
                      brands=[BrandMatch("Acme", "acme", ["acme"])])
        for i, text in enumerate(texts)
    ])  # fmt: skip
    engine.dispose()
    shots = os.environ.get("VEILLE_SCREENSHOTS")
    with _chromium(chromium) as browser:
        page, violations = _watched_page(browser)
        _sign_in(page, base + "/inbox?brand=Acme&q=saison&period=all", "analyst")
        page.wait_for_url("**/inbox?**")
        assert page.locator("tr.mention-row").count() == 3
        page.check("#select-all")
        assert page.input_value("select[name=off_topic_brand]") == "Acme"  # the filtered one
        page.click("button[value=off_topic]")
        page.wait_for_selector("tr.mention-row", state="detached")
        page.click("header.top >> text=Queries")
        page.wait_for_url("**/queries")
        summary = page.inner_text("#off-topic-summary")
        assert "The team called 3 of the period's mentions off-topic for Acme" in summary
        page.click("#suggestions a >> nth=0")
        page.wait_for_url("**q=**")
        page.wait_for_selector("#off-topic-summary >> text=leave 3 of them out")
        assert page.input_value("#query-text") == "(acme) -saison"
        assert "this query would leave 3 of them out" in page.inner_text("#off-topic-summary")
        assert "drop 0 and add 0" in page.inner_text("#trial-summary")
        assert page.inner_text("#yaml-line") == "query: (acme) -saison"
        if shots:
            page.goto(base + "/queries?target=brand:Acme&days=30")
            page.screenshot(path=str(Path(shots) / "web-queries.png"), caret="initial")
        assert not violations, violations


def test_an_admin_gives_a_person_one_brand_in_chromium(
    server: tuple[str, dict[str, Any]], chromium: str
) -> None:
    """The admin checks Globex beside the viewer's account; signed in, the viewer reads Globex's
    posts only, the top bar says so and leaves out the pages that read every brand, and an Acme
    post's address answers that there is no such mention."""
    base, _ = server
    shots = os.environ.get("VEILLE_SCREENSHOTS")
    with _chromium(chromium) as browser:
        page, violations = _watched_page(browser)
        _sign_in(page, base + "/admin/users", "admin")
        page.wait_for_url("**/admin/users")
        row = page.locator("form.brands", has=page.locator("input[name=name][value=viewer]"))
        row.locator("input[value=Globex]").check()
        row.locator("button[type=submit]").click()
        page.wait_for_selector("form.brands:has(input[value=viewer]) input[value=Globex]:checked")
        if shots:
            page.screenshot(path=str(Path(shots) / "web-users-brands.png"), caret="initial")
        reader, seen = _watched_page(browser)  # a page of its own: not signed in
        _sign_in(reader, base + "/inbox?status=all&period=all", "viewer")
        reader.wait_for_url("**/inbox?**")
        assert reader.inner_text("#scope") == "Brands you see: Globex"
        assert reader.locator("header.top >> text=Queries").count() == 0
        texts = reader.locator("tr.mention-row").all_inner_texts()
        assert len(texts) == 10 and all("Globex message" in t for t in texts)
        reader.goto(base + "/mentions/1")  # Acme's
        assert "No such mention" in reader.inner_text("main")
        assert not violations and not seen, (violations, seen)
