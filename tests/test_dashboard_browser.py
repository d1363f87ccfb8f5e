"""The dashboard in real headless Chromium against a real server with the real models.

Two invented reports of one story (a number and a quote changed) go in through the form, one
pasted and one uploaded as an HTML file; then the story (its disagreements first, linked to the
evidence), the highlighted conflict, the feed filters, keyboard focus, a phone-sized screen and a
browser without JavaScript. Every page visited is saved as a PNG in ``test-artifacts/dashboard/``
(git-ignored) to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_api_e2e import Server  # the real `python -m service` process helper

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INGEST_TIMEOUT_MS = 240_000  # the first real ingest on a busy two-core machine
NUMBER_DIFFERS = re.compile(r"Number( \([^)]*\))? differs")  # with what it counts, if known
QUOTE_DIFFERS = re.compile(r"Quote (wording )?differs")  # "Quote differs in a time ..."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium; "
        ".ci/run does) to run the browser tests",
    ),
]

# Invented reports of one event; they differ in a number (240 vs 420) and in a quote (a time
# word changed: "next year" vs "next month", which the quote rule counts as a change of meaning).
COURIER_TEXT = (
    "A fire destroyed the east wing of the Brennan County public library in Alderton on Sunday "
    "night, and firefighters said 240 rare books were lost.\n\n"
    "Fire chief Marta Olsen said the blaze started in an electrical cabinet shortly after "
    "11 p.m.\n\n"
    '"We will rebuild this library stone by stone, and it will be open again next year," '
    "said library director Owen Hale.\n\n"
    "No one was injured, and the county has opened a fund for donations."
)
GAZETTE_HTML = (
    "<!doctype html><html><head><title>Fire guts Alderton library wing</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/local'>Local</a></nav><article>"
    "<h1>Fire guts Alderton library wing</h1>"
    "<p>A fire destroyed the east wing of the Brennan County public library in Alderton on "
    "Sunday night, and firefighters said 420 rare books were lost.</p>"
    "<p>Fire chief Marta Olsen said the blaze started in an electrical cabinet shortly after "
    "11 p.m.</p>"
    "<p>&ldquo;We will rebuild this library brick by brick, and it will be open again next "
    "month,&rdquo; said library director Owen Hale.</p>"
    "<p>Volunteers spent Monday drying out damaged maps from the town archive.</p>"
    "</article><footer>Share this story</footer></body></html>"
)


@pytest.fixture
def server(tmp_path: Path, free_port: int) -> Iterator[Server]:
    srv = Server(free_port, tmp_path / "data", tmp_path / "server.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is absent")
    sync_playwright = sync_api.sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Shots:
    """Full-page screenshots, numbered in the order pages were visited."""

    def __init__(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page: Any, name: str) -> Path:
        self.n += 1
        path = ARTIFACTS / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def _no_horizontal_scroll(page: Any) -> None:
    """Nothing wider than the screen (a mobile browser would widen its layout viewport to fit
    wide content, so compare with the device width, not innerWidth)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


def _submit_and_wait_for_article(page: Any) -> None:
    page.get_by_role("button", name="Add and check").click()
    page.wait_for_url(re.compile(r"/ui/articles/[0-9a-f]+\?"), timeout=INGEST_TIMEOUT_MS)


def test_dashboard_in_chromium(server: Server, browser: Any) -> None:
    shot = Shots()
    base = server.url
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = laptop.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []  # console errors include CSP violations and failed assets
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    # / is the dashboard: an empty list of stories at first
    page.goto(base + "/")
    assert page.url.endswith("/ui/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stories"
    assert "No stories yet" in page.inner_text("main")
    shot(page, "stories-empty")

    # the keyboard reaches the form: skip link first, then into main, then the first field
    page.goto(base + "/ui/add")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "source"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field has no visible focus style"
    page.keyboard.type("valley-courier")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "title"
    page.keyboard.type("Library wing destroyed by fire")
    page.fill("#published", "2025-03-02")
    page.fill("#text", COURIER_TEXT)
    shot(page, "add-form")

    # an error comes back as the form with the API's message and what was typed
    page.fill("#source", "")
    page.get_by_role("button", name="Add and check").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "the article has no source" in alert.inner_text()
    assert page.input_value("#title") == "Library wing destroyed by fire"
    assert page.input_value("#text").startswith("A fire destroyed the east wing")
    shot(page, "add-error")

    # first report: pasted text
    page.fill("#source", "valley-courier")
    _submit_and_wait_for_article(page)
    assert "Article stored." in page.inner_text("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Library wing destroyed by fire"
    assert page.locator(".sentence-row").count() == 5  # the headline is a sentence too
    shot(page, "article-first")

    # second report: an uploaded HTML page
    page.goto(base + "/ui/add")
    page.fill("#source", "alderton-gazette")
    page.set_input_files(
        "#file",
        files=[{"name": "gazette.html", "mimeType": "text/html", "buffer": GAZETTE_HTML.encode()}],
    )
    _submit_and_wait_for_article(page)
    main = page.inner_text("main")
    assert "Article stored." in main and "Fire guts Alderton library wing" in main
    assert "Home" not in main and "Share this story" not in main  # page boilerplate dropped
    assert page.locator(".sentence-row mark", has_text="420 rare books").count() == 1
    shot(page, "article-second")

    # the story: both articles side by side, each conflict with its spans highlighted
    page.get_by_role("link", name="See its story").click()
    page.wait_for_url(re.compile(r"/ui/stories/s_"))
    assert page.locator(".article-card").count() == 2
    # it opens with the disagreements, worst first: the disputed figure with each outlet
    section = page.locator("section", has=page.locator("#disagreements-h"))
    rows = section.locator("li.disagreement")
    assert rows.count() >= 1
    toll = rows.first
    assert "High severity" in toll.inner_text() and "Number" in toll.inner_text()
    values = toll.locator(".values li")
    assert values.count() == 2
    told = {values.nth(i).locator(".value").inner_text(): values.nth(i) for i in range(2)}
    assert set(told) == {"240 rare books", "420 rare books"}
    assert "valley-courier" in told["240 rare books"].inner_text()
    assert "alderton-gazette" in told["420 rare books"].inner_text()
    section.screenshot(path=str(ARTIFACTS / "story-disagreements.png"))
    # its evidence link scrolls to the conflict card, which links back
    toll.locator(".disagreement-foot a").first.click()
    page.wait_for_url(re.compile(r"#conflict-[0-9a-f]{16}$"))
    target = page.locator("article.conflict:target")
    assert target.count() == 1 and NUMBER_DIFFERS.search(target.inner_text())
    target.get_by_role("link", name="Disagreement 1").click()
    page.wait_for_url(re.compile(r"#disagreement-1$"))
    page.goto(page.url.split("#")[0])
    number = page.locator("article.conflict", has_text=NUMBER_DIFFERS)
    assert number.count() == 1
    assert number.locator("mark", has_text="240 rare books").count() == 1
    assert number.locator("mark", has_text="420 rare books").count() == 1
    assert "High severity" in number.inner_text()
    quote = page.locator("article.conflict", has_text=QUOTE_DIFFERS)
    assert quote.count() == 1
    assert quote.locator("mark", has_text="stone").count() >= 1
    assert quote.locator("mark", has_text="brick").count() >= 1
    assert page.locator(".claim").count() >= 3
    assert "Reported by 2 of 2" in page.inner_text(".claims")
    story_url = page.url
    shot(page, "story")

    # stories list and search
    page.goto(base + "/ui/")
    assert page.locator(".story-card").count() == 1
    assert "2 articles from 2 sources" in page.inner_text(".story-card")
    page.fill("#q", "archive volunteers")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))
    assert page.locator(".story-card").count() == 1
    shot(page, "stories-search")

    # the conflict feed, filtered by type and then by severity
    page.goto(base + "/ui/conflicts")
    assert page.locator("article.conflict").count() == 2
    page.select_option("#f-type", "quote")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=quote"))
    assert page.locator("article.conflict").count() == 1
    assert QUOTE_DIFFERS.search(page.inner_text("article.conflict"))
    shot(page, "feed-type-quote")
    page.select_option("#f-type", "")
    page.select_option("#f-severity", "high")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"severity=high"))
    assert page.locator("article.conflict").count() == 1
    assert NUMBER_DIFFERS.search(page.inner_text("article.conflict"))
    shot(page, "feed-severity-high")
    page.get_by_role("link", name=re.compile("^Open the story")).click()
    page.wait_for_url(re.compile(r"/ui/stories/s_.*#conflict-[0-9a-f]+$"))

    # an unknown id is a page, not JSON
    page.goto(base + "/ui/stories/s_0000")
    assert page.get_by_role("heading", level=1).inner_text() == "Not found"
    shot(page, "not-found")
    # (a 4xx page load is logged as a console error by Chromium; anything else is a problem)
    assert not [p for p in problems if "responded with a status of 4" not in p], problems

    # a phone: one column, nothing wider than the screen
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    small.goto(story_url)
    _no_horizontal_scroll(small)
    sides = small.locator("article.conflict").first.locator(".side")
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"], "the two sentences should stack"
    shot(small, "story-phone")
    small.goto(base + "/ui/add")
    _no_horizontal_scroll(small)
    shot(small, "add-phone")
    phone.close()

    # without JavaScript: pages read and the form posts (this report is already stored)
    no_js = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    plain = no_js.new_page()
    plain.goto(story_url)
    assert plain.locator("article.conflict mark").count() >= 4
    plain.goto(base + "/ui/add")
    plain.fill("#source", "valley-courier")
    plain.fill("#title", "Library wing destroyed by fire")
    plain.fill("#published", "2025-03-02")
    plain.fill("#text", COURIER_TEXT)
    plain.get_by_role("button", name="Add and check").click()
    plain.wait_for_url(re.compile(r"existing=1"))
    assert "already stored" in plain.inner_text("main")
    shot(plain, "article-existing-nojs")
    no_js.close()
    laptop.close()

    saved = sorted(p.name for p in ARTIFACTS.glob("*.png"))
    assert len(saved) == shot.n + 1  # + the disagreements section on its own
    assert all((ARTIFACTS / n).stat().st_size > 0 for n in saved)
