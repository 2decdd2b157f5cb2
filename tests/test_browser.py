"""The web page in a real browser: Debian's Chromium driven by Playwright, against a real `surveyor serve` on
loopback with the fixture store; the extractive answerer (what a new user gets offline) and the scripted
OpenAI server (to control how an answer streams). Every page must make no request off its own origin.
A screenshot of each view is kept in the test's tmp dir (`screenshots/`)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import served
from playwright.sync_api import Browser, Page, expect, sync_playwright
from scripted_llm import Reply, ScriptedLLM, scripted_llm, source_id

from surveyor import Settings, Surveyor

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's own browser download is not reachable here; Debian's Chromium is, and without the
# background-networking flags it would try to reach Google's services.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTION = "how can a video be stored as a neural network?"
CLAIMS = (
    "HNeRV uses a learnable encoder that generates content-adaptive embeddings as the decoder input",
    "HNeRV outperforms implicit methods in video regression tasks for reconstruction quality",
    "HNeRV shows decoding advantages for speed compared to traditional codecs",
)
HNERV = "HNeRV: A Hybrid Neural Representation for Videos"
# A topic whose draft (at the default 40 papers) has warnings and leaves a retrieved paper out.
UNEVEN_TOPIC = "large language model reasoning"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (make test installs Debian's)")




def hnerv_answer(prompt: str) -> str:
    n = source_id(prompt, "HNeRV")
    return " ".join(f"{claim} [{n}]." for claim in CLAIMS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def extractive(corpus: Surveyor) -> Iterator[str]:
    with served(Surveyor(Settings(store=corpus.settings.store)).load()) as base:
        yield base


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server


@pytest.fixture(scope="module")
def scripted(corpus: Surveyor, llm: ScriptedLLM) -> Iterator[str]:
    settings = Settings(store=corpus.settings.store, llm="openai", model="scripted", base_url=llm.url,
                        llm_retries=0, llm_timeout=5.0)
    with served(Surveyor(settings).load()) as base:
        yield base


@contextmanager
def opened(browser: Browser, base: str, width: int = 1280, touch: bool = False,
           expected_errors: str | None = None) -> Iterator[Page]:
    """The page in a fresh context. On the way out: no request went anywhere but `base`, and the console
    shows no error (no CSP violation, no script error) but the `expected_errors` pattern."""
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=touch, is_mobile=touch,
                                  accept_downloads=True)
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base)
    try:
        yield page
    finally:
        context.close()
    elsewhere = [url for url in requested if not url.removeprefix("blob:").startswith(base + "/")]
    assert requested and elsewhere == []
    assert [e for e in errors if not (expected_errors and re.search(expected_errors, e))] == []


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def test_sentences_stream_in_before_the_answer_is_complete_and_a_citation_shows_its_quote(
    browser: Browser, scripted: str, llm: ScriptedLLM, corpus: Surveyor, shots: Path
) -> None:
    llm.script(Reply(hnerv_answer, chunk_delay=0.08))
    pieces = len(hnerv_answer('<source id="1">\nTitle: HNeRV').split())
    with opened(browser, scripted) as page:
        ask(page, QUESTION)
        page.locator("#t1 .sentence").first.wait_for()
        sent_when_shown = llm.sent
        # The first sentence is on the page while the model is still writing the rest.
        assert sent_when_shown < pieces - 5, (sent_when_shown, pieces)
        assert page.get_attribute("#t1 .answer", "aria-busy") == "true"
        assert page.is_visible("#stop-button")
        expect(page.locator("#ask-status")).to_have_text("Answer complete.", timeout=20_000)
        assert page.locator("#t1 .sentence").all_inner_texts() == [f"{claim} [1]." for claim in CLAIMS]
        assert not page.is_visible("#stop-button")
        expect(page.locator("#sources-list")).to_contain_text(HNERV)

        card = page.locator("#citecard")
        expect(card).to_be_hidden()
        first = page.locator("#t1 .sentence a.cite").first
        first.hover()
        expect(card).to_be_visible()
        quote = card.locator("blockquote").inner_text()
        assert len(quote) > 40 and quote in corpus.paper("hnerv").abstract
        expect(card).to_contain_text(HNERV)
        expect(card).to_contain_text("hnerv")
        expect(card.locator(".verdict")).to_have_text("✓ Supported by the abstract")
        page.screenshot(path=shots / "ask-desktop.png")

        # Keyboard: focus opens the card, Escape closes it; the reference list repeats what the card says.
        page.mouse.move(1, 1)
        expect(card).to_be_hidden()
        first.focus()
        expect(card).to_be_visible()
        assert first.get_attribute("aria-describedby") == "citecard"
        page.keyboard.press("Escape")
        expect(card).to_be_hidden()
        expect(page.locator("#t1-ref1")).to_contain_text(quote)


def test_an_unsupported_citation_is_marked_with_its_reason_and_a_follow_up_keeps_the_conversation(
    browser: Browser, scripted: str, llm: ScriptedLLM
) -> None:
    llm.script(Reply(lambda p: f"{CLAIMS[0]} [{source_id(p, 'SIGMA')}]. {CLAIMS[1]} [{source_id(p, 'HNeRV')}]."))
    with opened(browser, scripted) as page:
        ask(page, QUESTION)
        expect(page.locator("#ask-status")).to_have_text("Answer complete.", timeout=20_000)
        flagged = page.locator("#t1 a.cite.unsupported")
        expect(flagged).to_have_count(1)
        flagged.hover()
        verdict = page.locator("#citecard .verdict")
        expect(verdict).to_contain_text("Not supported: ")
        assert len(verdict.inner_text()) > len("✗ Not supported: ")  # the reason is there
        expect(page.locator("#citecard")).to_contain_text("sigma")

        standalone = "What PSNR gain does HNeRV get over implicit methods?"
        llm.script(Reply(standalone), Reply(lambda p: f"{CLAIMS[1]} [{source_id(p, 'HNeRV')}]."))
        ask(page, "and how much better is it?")
        expect(page.locator("#t2 .references")).to_be_visible(timeout=20_000)
        # The follow-up went out with the first exchange as history, and was searched as rewritten.
        assert QUESTION in llm.prompt(0) and CLAIMS[0] in llm.prompt(0)
        expect(page.locator("#sources-note")).to_contain_text(standalone)
        expect(page.locator("#conversation > li")).to_have_count(2)


def test_not_covered_and_errors_are_shown_as_such(browser: Browser, scripted: str, llm: ScriptedLLM) -> None:
    llm.script(Reply(lambda p: f"{CLAIMS[0]} [{source_id(p, 'SIGMA')}]. Videos are fun."))
    with opened(browser, scripted) as page:
        ask(page, QUESTION)
        abstained = page.locator("#t1 .answer.abstained .prose")
        expect(abstained).to_have_text("Not covered. The corpus does not cover this question.", timeout=20_000)
        assert page.locator("#t1 a.cite").count() == 0
        expect(page.locator("#t1 .warnings")).to_contain_text("abstaining")  # and why

        llm.script(Reply(status=500))
        ask(page, QUESTION)
        error = page.locator("#t2 .error[role=alert]")
        expect(error).to_be_visible(timeout=20_000)
        message = error.inner_text()
        assert message and "\n" not in message and len(message) < 300 and "Traceback" not in message


def test_stop_aborts_the_answer_and_the_server_stops_the_model(
    browser: Browser, scripted: str, llm: ScriptedLLM
) -> None:
    llm.script(Reply(hnerv_answer, chunk_delay=0.15))
    with opened(browser, scripted) as page:
        ask(page, QUESTION)
        for _ in range(100):  # until the model is writing
            if llm.sent >= 2:
                break
            page.wait_for_timeout(100)
        assert llm.sent >= 2
        page.click("#stop-button")
        expect(page.locator("#t1 .stopped")).to_have_text("Stopped.")
        expect(page.locator("#stop-button")).to_be_hidden()
        for _ in range(100):
            if llm.abandoned:
                break
            page.wait_for_timeout(100)
        assert llm.abandoned == 1  # the model's stream was closed, not left running
        llm.script(Reply(hnerv_answer))
        ask(page, QUESTION)  # the slot was given back: the next ask is answered
        expect(page.locator("#t2 .sentence")).to_have_count(3, timeout=20_000)


def theme_paragraph(prompt: str) -> str:
    """An LLM writer that quotes its first source (which verifies) and cites a source it was not given."""
    first = re.search(r'<source id="1">\nTitle: [^\n]*\nAbstract: (.+?[.!?])(?:\s|$)', prompt)
    assert first, "the draft prompt lists its sources"
    return f"TITLE: Shared ideas\n{first.group(1)[:-1]} [1]. A further result is claimed here [9]."


def test_draft_shows_themes_warnings_and_left_out_papers_and_downloads_bib_matching_the_text(
    browser: Browser, scripted: str, llm: ScriptedLLM, shots: Path, tmp_path: Path
) -> None:
    llm.script(Reply(theme_paragraph))
    expected = httpx.post(f"{scripted}/v1/draft", json={"topic": UNEVEN_TOPIC}, timeout=120).json()
    assert expected["warnings"] and expected["coverage"]["left_out"], "the draft should carry warnings"
    extractive = scripted  # every download below drafts again, through the same scripted writer
    with opened(browser, scripted) as page:
        page.click("nav >> text=Draft")
        expect(page.locator("#draft-title")).to_be_focused()
        page.fill("#topic", UNEVEN_TOPIC)
        page.click("#draft-button")
        expect(page.locator("#draft-result")).to_be_visible(timeout=60_000)
        assert page.locator("#draft-text h2").all_inner_texts() == [s["title"] for s in expected["sections"]]
        shown_keys = page.locator("#draft-references code").all_inner_texts()
        assert shown_keys == [r["key"] for r in expected["references"]]
        assert page.locator(".warnings li").all_inner_texts() == expected["warnings"]
        left_out = page.locator(".coverage details", has=page.locator("summary", has_text="Left out")).locator("li a")
        expect(left_out).to_have_count(len(expected["coverage"]["left_out"]))
        near = page.locator(".coverage details", has=page.locator("summary", has_text="Near misses")).locator("li")
        expect(near).to_have_count(len(expected["coverage"]["near_misses"]))  # each with the reason it was left out
        title = httpx.get(f"{extractive}/v1/papers/{expected['coverage']['left_out'][0]}").json()["title"]
        expect(left_out.first).to_have_text(title)  # by title, not by id
        page.locator("#draft-text a.cite").first.hover()
        expect(page.locator("#citecard")).to_contain_text(expected["references"][0]["title"])
        page.screenshot(path=shots / "draft-desktop.png")

        def download(fmt: str, file: str) -> str:
            with page.expect_download(timeout=60_000) as started:
                page.click(f"[data-download={fmt}][data-file={file}]")
            saved = tmp_path / f"{fmt}-{started.value.suggested_filename}"
            started.value.save_as(saved)
            return saved.read_text()

        keys = set(shown_keys)
        bib_keys = re.compile(r"^@\w+\{([^,]+),", flags=re.MULTILINE)
        tex, tex_bib = download("latex", "text"), download("latex", "bib")
        cited = {key for group in re.findall(r"\\cite\{([^}]*)\}", tex) for key in group.split(",")}
        assert cited == set(bib_keys.findall(tex_bib)) == keys
        pandoc, pandoc_bib = download("pandoc", "text"), download("pandoc", "bib")
        cited = set(re.findall(r"(?:\[-?|; )@([\w:.#$%&+?<>~/-]+)", pandoc))
        assert cited == set(bib_keys.findall(pandoc_bib)) == keys
        assert "[1]" in download("markdown", "text")
        assert [r["key"] for r in json.loads(download("json", "text"))["references"]] == shown_keys


def test_papers_search_and_open_a_paper(browser: Browser, extractive: str, corpus: Surveyor, shots: Path) -> None:
    hnerv = corpus.paper("hnerv")
    with opened(browser, extractive) as page:
        page.click("nav >> text=Papers")
        page.fill("#search", "video neural representation")
        page.press("#search", "Enter")
        expect(page.locator("#results li").first).to_contain_text(HNERV)
        page.locator("#results li a").first.click()
        paper = page.locator("#paper")
        expect(paper.locator("h2")).to_have_text(HNERV)
        expect(paper.locator("h2")).to_be_focused()
        expect(paper.locator(".abstract")).to_have_text(hnerv.abstract)
        expect(paper).to_contain_text("hnerv")
        assert paper.locator(".source-files li").all_inner_texts() == hnerv.sources
        page.screenshot(path=shots / "papers-desktop.png")
        # A paper's address opens it directly (and the back button returns to the results).
        page.goto(f"{extractive}/#papers/{hnerv.paper_id}")
        expect(paper.locator("h2")).to_have_text(HNERV)


def test_keyboard_alone_reaches_every_view_and_asks(browser: Browser, extractive: str) -> None:
    with opened(browser, extractive) as page:
        page.keyboard.press("Tab")
        expect(page.locator(".skip")).to_be_focused()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(page.locator("nav a[data-view=draft]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#view-draft")).to_be_visible()
        expect(page.locator("nav a[data-view=draft]")).to_have_attribute("aria-current", "page")
        for _ in range(3):  # back from the Draft heading past the Papers and Draft links
            page.keyboard.press("Shift+Tab")
        expect(page.locator("nav a[data-view=ask]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#view-ask")).to_be_visible()
        page.keyboard.press("Tab")  # from the view's heading to the question box
        expect(page.locator("#question")).to_be_focused()
        page.keyboard.type(QUESTION)
        page.keyboard.press("Enter")
        expect(page.locator("#ask-status")).to_have_text("Answer complete.", timeout=20_000)
        # Every form control has a label.
        unlabelled = page.evaluate("[...document.querySelectorAll('textarea, input:not([hidden])')]"
                                   ".filter(e => !e.labels.length).map(e => e.id)")
        assert unlabelled == []


def test_at_360_px_nothing_overflows_and_a_tap_opens_the_card(browser: Browser, extractive: str, shots: Path) -> None:
    with opened(browser, extractive, width=360, touch=True) as page:
        ask(page, QUESTION)
        expect(page.locator("#ask-status")).to_have_text("Answer complete.", timeout=20_000)
        link = page.locator("#t1 a.cite").first
        link.tap()
        card = page.locator("#citecard")
        expect(card).to_be_visible()
        assert page.evaluate("location.hash") == ""  # the first tap shows the card, it does not jump
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
        page.screenshot(path=shots / "ask-card-360.png")
        link.tap()  # the second follows the link, to the reference
        expect(page).to_have_url(re.compile(r"#t1-ref1$"))

        for view in ("ask", "draft", "papers"):
            page.goto(f"{extractive}/#{view}")
            if view == "draft":
                page.fill("#topic", "diffusion model acceleration")
                page.fill("#max-papers", "10")
                page.click("#draft-button")
                expect(page.locator("#draft-result")).to_be_visible(timeout=60_000)
            if view == "papers":
                page.fill("#search", "video neural representation")
                page.press("#search", "Enter")
                page.locator("#results li a").first.click()
                expect(page.locator("#paper h2")).to_have_text(HNERV)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, view
            page.screenshot(path=shots / f"{view}-360.png")


def test_with_a_token_the_page_asks_for_it_once_and_keeps_it_for_the_tab(
    browser: Browser, corpus: Surveyor, shots: Path
) -> None:
    loaded = Surveyor(Settings(store=corpus.settings.store)).load()
    with served(loaded, token="s3cret") as base, opened(browser, base, expected_errors=r"status of 401") as page:
        dialog = page.locator("#token-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#token")).to_be_focused()
        page.screenshot(path=shots / "token-desktop.png")
        page.fill("#token", "wrong")
        page.press("#token", "Enter")
        expect(page.locator("#token-message")).to_contain_text("did not accept")
        page.fill("#token", "s3cret")
        page.press("#token", "Enter")
        expect(dialog).to_be_hidden()

        page.click("nav >> text=Papers")
        with page.expect_request(re.compile(r"/v1/search")) as searched:
            page.fill("#search", "video")
            page.press("#search", "Enter")
        assert searched.value.headers["authorization"] == "Bearer s3cret"
        expect(page.locator("#results li").first).to_be_visible()

        page.reload()  # same tab: the token is kept, not asked again
        page.wait_for_load_state("networkidle")
        expect(dialog).to_be_hidden()
        page.click("nav >> text=Ask")
        ask(page, QUESTION)
        expect(page.locator("#ask-status")).to_have_text("Answer complete.", timeout=20_000)
