"""The app in a real headless Chromium, served by Streamlit with the real model.

Set FIELDGUIDE_SCREENSHOTS=docs/screenshots to refresh the README's screenshots.
"""

import io
import os
import shutil
from pathlib import Path

import docx
import pytest
from builders import HOSTILE_HOST, make_hostile_html, make_hostile_markdown, make_pdf
from conftest import CHROMIUM_ARGS, running_app, skip_or_fail_without_chromium

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PORTS = range(8620, 8630)
FIRST_LOAD_MS = 180_000  # model load and first index build
STEP_MS = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`fieldguide serve`, started in the checkout as `make run` does."""
    folder = tmp_path_factory.mktemp("served")
    corpus = folder / "corpus"
    corpus.mkdir()
    for path in (ROOT / "corpus").glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    make_hostile_html(corpus)
    make_hostile_markdown(corpus)
    env = {
        **os.environ,
        "FIELDGUIDE_INDEX": str(folder / "index"),
        "FIELDGUIDE_CORPUS": str(corpus),
    }
    with running_app(folder, PORTS, env) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM:
        skip_or_fail_without_chromium()
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(server, chromium):
    """A fresh browser session on the app; every request it makes must stay on the app's origin."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1600}, accept_downloads=True)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(server)
    expect(tab.get_by_label("Your question")).to_be_visible(timeout=FIRST_LOAD_MS)
    tab.requests = requests
    yield tab
    context.close()
    foreign = [u for u in requests if not u.startswith((server + "/", "data:", "blob:"))]
    assert foreign == [], f"requests left the machine: {foreign}"


def screenshot(tab, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("FIELDGUIDE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    tab.wait_for_timeout(500)  # let the last rerun paint
    tab.screenshot(path=str(folder / f"{name}.png"))


def ask(tab, question: str) -> None:
    tab.get_by_label("Your question").fill(question)
    tab.get_by_role("button", name="Ask", exact=True).click()
    expect(
        tab.get_by_text("Passages", exact=True)
        .or_(tab.get_by_text("Closest passages"))
        .or_(tab.get_by_text("Pasajes (en inglés)"))
    ).to_be_visible(timeout=STEP_MS)


TITLES = {
    "Ask": "Ask the documents",
    "Library": "Library",
    "Resources": "Resources directory",
    "Workshop pack": "Workshop pack",
}


def go(tab, page_name: str) -> None:
    tab.get_by_role("link", name=page_name).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(TITLES[page_name], timeout=STEP_MS)


def test_question_gets_a_cited_answer_and_the_passage_in_its_document(page, tmp_path):
    screenshot(page, "ask-start", tmp_path)
    ask(page, "What number do I call if I think someone is being trafficked?")
    answer = page.locator(".st-key-answer")
    expect(answer).to_contain_text("888-373-7888")  # the national hotline, however written
    expect(answer).to_contain_text("[1] ")
    expect(page.get_by_text("In immediate danger? Call 911.")).to_be_visible()
    screenshot(page, "ask", tmp_path)
    page.get_by_role("button", name="Show in document").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("The passage is highlighted below", timeout=STEP_MS)
    card_text = page.locator(".st-key-passage-1 [data-testid='stMarkdownContainer']").nth(1)
    first_line = card_text.inner_text().splitlines()[0][:40]
    highlighted = dialog.locator(".stMarkdownColoredBackground").filter(has_text=first_line)
    expect(highlighted.first).to_be_in_viewport()  # the passage is in view when it opens
    screenshot(page, "document", tmp_path)


def test_uploaded_pdf_becomes_searchable(page, tmp_path):
    go(page, "Library")
    page.locator("input[type=file]").first.set_input_files(str(make_pdf(tmp_path)))
    page.get_by_role("button", name="Add to library").click()
    expect(page.get_by_text("Library updated")).to_contain_text("1 added", timeout=STEP_MS)
    screenshot(page, "library", tmp_path)
    go(page, "Ask")
    ask(page, "Where can I get free STI testing on Tuesdays?")
    expect(
        page.get_by_text("The Harbor Clinic offers free STI testing on Tuesdays.").first
    ).to_be_visible()


def test_pack_downloads_as_a_word_file_with_citations(page, tmp_path):
    ask(page, "Which organization runs the Westlake WorkSource Center programs?")
    first_card = page.locator(".st-key-passage-1")
    citation = first_card.locator("strong").first.inner_text()  # "[1] title · section"
    first_card.get_by_role("button", name="Add to pack").click()
    expect(page.get_by_role("button", name="In the pack")).to_be_visible(timeout=STEP_MS)
    go(page, "Workshop pack")
    expect(page.get_by_role("button", name="Word (.docx)")).to_be_visible(timeout=STEP_MS)
    screenshot(page, "pack", tmp_path)
    with page.expect_download() as download:
        page.get_by_role("button", name="Word (.docx)").click()
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Source: {citation.removeprefix('[1] ')} [1]" in paragraphs
    assert paragraphs[paragraphs.index("Sources") + 1].startswith("Prostitutes in Westlake")


def test_hostile_documents_cause_no_outside_requests(page, tmp_path):
    ask(page, "Where can I sleep tonight?")
    card = page.locator("[class*='st-key-passage-']").filter(has_text="Beacon Shelter")
    expect(card.first).to_be_visible()
    expect(page.get_by_text(f"http://{HOSTILE_HOST}/pixel.png").first).to_be_attached()
    card.first.get_by_role("button", name="Show in document").click()
    expect(page.get_by_role("dialog")).to_contain_text("Beacon Shelter", timeout=STEP_MS)
    page.keyboard.press("Escape")
    go(page, "Resources")
    expect(page.get_by_text("Where each number comes from")).to_be_visible()
    screenshot(page, "resources", tmp_path)
    page.wait_for_timeout(1000)  # give any stray image or stylesheet a moment to be requested
    assert not [u for u in page.requests if HOSTILE_HOST in u]


def test_spanish_question_shows_the_english_answer_framed_in_spanish(page, tmp_path):
    ask(page, "¿Dónde puedo hacerme una prueba de VIH gratis cerca de Walnut Park?")
    answer = page.locator(".st-key-answer")
    expect(answer.get_by_text("Respuesta en inglés, citada de los documentos:")).to_be_visible()
    expect(answer.get_by_text("HIV testing", exact=False).first).to_be_visible()
    expect(page.get_by_text("¿En peligro inmediato? Llame al 911.").first).to_be_visible()
    screenshot(page, "ask-spanish", tmp_path)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_an_uploaded_scanned_flyer_is_answered_and_marked_as_recognised(page, tmp_path):
    from scans import HARBOR_FLYER, render_page, save_image, scan

    flyer = save_image(scan(render_page(HARBOR_FLYER, 200), seed=3), tmp_path / "flyer.jpg")
    go(page, "Library")
    page.locator("input[type=file]").first.set_input_files(str(flyer))
    page.get_by_role("button", name="Add to library").click()
    expect(page.get_by_text("Library updated")).to_contain_text("1 added", timeout=STEP_MS)
    go(page, "Ask")
    ask(page, "What number do I call for the Maple Youth Shelter?")
    expect(page.locator(".st-key-answer")).to_contain_text("Maple Youth Shelter 1-800-555-0199")
    card = page.locator("[class*='st-key-passage-']").filter(has_text="Maple Youth Shelter")
    expect(card.first).to_contain_text("Text recognised from a scan - check the original.")
    screenshot(page, "ask-scanned", tmp_path)
    card.first.get_by_role("button", name="Show in document").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("The passage is highlighted below", timeout=STEP_MS)
    expect(dialog.get_by_role("button", name="Open the original")).to_be_visible()


@pytest.mark.parametrize(
    ("name", "question", "title", "says"),
    [
        (
            "ask-partial-number",
            "What is the phone number of Elica Health Centers?",
            "Partly in these documents",
            "give no phone number for it",
        ),
        (
            "ask-not-mentioned",
            "What is the penalty for prostitution in Nevada?",
            "Not in these documents",
            "These documents don't mention Nevada.",
        ),
        (
            "ask-partial-fact",
            "How much does John School cost?",
            "Partly in these documents",
            "don't give a cost or fee",
        ),
        (
            "ask-danger-any-words",
            "Someone is hurting my friend right now, who do I call?",
            "Answer",
            "call 911",
        ),
        (
            "ask-danger-as-it-happens",
            "help hes hitting me",
            "Answer",
            "call 911",
        ),
        (
            "ask-partial-opening-days",
            "is the syringe exchange open on sundays",
            "Partly in these documents",
            "don't give times or opening hours",
        ),
        (
            "ask-place-as-context",
            "what is the penalty for solicitation in texas",
            "Partly in these documents",
            "These documents don't mention Texas.",
        ),
        (
            "ask-abbreviation",
            "CAST stands for?",
            "Answer",
            "Coalition to Abolish Slavery",
        ),
        (
            "ask-statistics",
            "How many street-based sex workers get physically assaulted?",
            "Answer",
            "68%",
        ),
    ],
)
def test_each_outcome_is_shown_as_itself(page, tmp_path, name, question, title, says):
    ask(page, question)
    answer = page.locator(".st-key-answer")
    expect(answer.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(answer).to_contain_text(says)
    danger = page.get_by_text("If someone is in immediate danger, call 911 now.")
    expect(danger).to_have_count(1 if name.startswith("ask-danger") else 0)
    screenshot(page, name, tmp_path)
