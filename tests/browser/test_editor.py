"""The article body's rich-text editor in the admin: what editors write, paste and insert is what
readers get, in the markup the sanitiser allows."""

import re

import pytest
from django.utils.text import slugify
from playwright.sync_api import expect

from articles.models import Article
from images import admin as image_admin
from tests.factories import ImageFactory, SectionFactory, UserFactory

from .conftest import PASSWORD
from .test_accessibility import STAFF_BLOCKING_IMPACTS, axe, describe

ADD_ARTICLE = "/admin/articles/article/add/"

WORD_HTML = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><style>p.MsoNormal {margin:0}</style></head>"
    "<body><!--StartFragment-->"
    "<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><span style='font-size:12.0pt;"
    'font-family:"Calibri",sans-serif\'>Women who walked during chemotherapy felt <b>less tired</b>'
    "<o:p></o:p></span></p>"
    "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp; </span>"
    "</span><font color=red>Walking</font><o:p></o:p></p>"
    "<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp; </span>"
    "</span><i>Cycling</i><o:p></o:p></p>"
    "<!--EndFragment--></body></html>"
)


@pytest.fixture
def section(transactional_db):
    return SectionFactory(name="Treatment", slug="treatment")


def open_add_article(page):
    """Sign in through the admin's sign-in address (the site's sign-in page), then the add-article page."""
    UserFactory(email="editor@example.org", is_staff=True, is_superuser=True)
    page.goto(f"/admin/login/?next={ADD_ARTICLE}")
    page.get_by_label("Email address").fill("editor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def admin_page(page, section):
    """The admin's add-article page, signed in, with the editor ready."""
    open_add_article(page)
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    return page


def test_the_editor_loads_everything_from_the_site_itself(page, section, live_server):
    addresses = []
    page.on("request", lambda request: addresses.append(request.url))

    open_add_article(page)

    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any("django_prose_editor/editor" in address for address in addresses)
    assert [address for address in addresses if not address.startswith(live_server.url)] == []


def fill_article(page, title):
    page.get_by_label("Title:").fill(title)
    page.get_by_label("Slug:").fill(slugify(title))
    page.get_by_label("Section:").select_option(label="Treatment")
    page.get_by_label("Summary:").fill("What the study found, in two sentences.")


def save(page):
    page.get_by_role("button", name="Save and continue editing").first.click()


def paste_html(page, html):
    """Paste as a browser does: a paste event whose clipboard holds HTML, into the focused editor."""
    page.locator(".ProseMirror[contenteditable]").click()
    page.evaluate(
        """(html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "pasted")
            document.querySelector(".ProseMirror[contenteditable]").dispatchEvent(
                new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
            )
        }""",
        html,
    )


def preview_body(page, slug):
    """The article body on the article's own address, which staff see as a preview."""
    page.goto(f"/articles/{slug}/")
    return page.locator(".article__body").inner_html()


def test_writing_with_the_editor_gives_that_markup_to_readers(admin_page):
    page = admin_page
    fill_article(page, "Exercise eases tiredness")
    editor = page.locator(".ProseMirror[contenteditable]")
    editor.click()
    page.keyboard.type("## What the trial found")
    page.keyboard.press("Enter")
    page.keyboard.type("Women who ")
    page.keyboard.press("Control+b")
    page.keyboard.type("walked")
    page.keyboard.press("Control+b")
    page.keyboard.type(" felt better.")
    page.keyboard.press("Enter")
    page.keyboard.type("- Walking")
    page.keyboard.press("Enter")
    page.keyboard.type("Cycling")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the study")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="insert link").click()
    page.get_by_label("URL").fill("https://example.org/study")
    page.get_by_role("button", name="Update").click()

    save(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    article = Article.objects.get(title="Exercise eases tiredness")
    assert preview_body(page, article.slug) == (
        "<h2>What the trial found</h2>"
        "<p>Women who <strong>walked</strong> felt better.</p>"
        "<ul><li>Walking</li><li>Cycling</li></ul>"
        '<p><a href="https://example.org/study" rel="noopener noreferrer">Read the study</a></p>'
    )


def test_pasting_from_a_word_processor_gives_clean_markup(admin_page):
    page = admin_page
    fill_article(page, "Pasted from Word")

    paste_html(page, WORD_HTML)
    save(page)

    expect(page.locator(".messagelist .warning")).to_have_count(0)
    article = Article.objects.get(title="Pasted from Word")
    assert article.body == (
        "<p>Women who walked during chemotherapy felt <strong>less tired</strong></p>"
        "<ul><li>Walking</li><li><em>Cycling</em></li></ul>"
    )


def test_a_figure_is_inserted_from_an_address_with_alt_text_and_a_caption(admin_page):
    page = admin_page
    scan = ImageFactory(alt_text="A mammogram")
    fill_article(page, "A figure")
    page.locator(".ProseMirror[contenteditable]").click()
    page.keyboard.type("The scan below shows the tumour.")

    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Image address").fill(scan.url)
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_visible()  # the alt text is required
    dialog.get_by_label("Alt text").fill("A mammogram with a small bright spot in the upper left")
    dialog.get_by_label("Caption").fill("The tumour on the first scan.")
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_hidden()
    save(page)

    expect(page.locator(".messagelist .warning")).to_have_count(0)
    article = Article.objects.get(title="A figure")
    assert article.body == (
        "<p>The scan below shows the tumour.</p>"
        f'<figure><img src="{scan.url}" alt="A mammogram with a small bright spot in the upper left">'
        "<figcaption>The tumour on the first scan.</figcaption></figure>"
    )


def test_a_figure_chosen_from_the_image_library_reaches_readers_with_its_sizes(admin_page):
    page = admin_page
    scan = ImageFactory(alt_text="A mammogram with a small bright spot", credit="Photo: Royal Marsden")
    ImageFactory(alt_text="A nurse talking with a patient", credit="Photo: Newsroom")
    fill_article(page, "A figure from the library")
    page.locator(".ProseMirror[contenteditable]").click()
    page.keyboard.type("The scan below shows the tumour.")

    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Choose from the library").click()
    search = dialog.get_by_role("searchbox", name="Search the image library")
    expect(search).to_be_focused()
    expect(dialog.get_by_role("status")).to_have_text("2 images")
    expect(dialog.get_by_role("button", name="More images")).to_be_hidden()
    search.press_sequentially("mammogram")
    expect(dialog.get_by_role("status")).to_have_text("1 image")
    choice = dialog.get_by_role("button", name=re.compile("mammogram"))
    expect(choice).to_contain_text("A mammogram with a small bright spot")
    expect(choice).to_contain_text("Photo: Royal Marsden")
    expect(dialog.get_by_role("button", name=re.compile("nurse"))).to_have_count(0)
    search.press("Tab")
    expect(choice).to_be_focused()
    page.keyboard.press("Enter")

    expect(dialog.get_by_label("Image address")).to_have_value(scan.url)
    alt_text = dialog.get_by_label("Alt text")
    expect(alt_text).to_have_value("A mammogram with a small bright spot")
    expect(alt_text).to_be_focused()
    alt_text.fill("")
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_visible()  # the alt text stays required
    alt_text.fill("The first mammogram: a small bright spot in the upper left")
    dialog.get_by_label("Caption").fill("The tumour on the first scan.")
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_hidden()
    save(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    article = Article.objects.get(title="A figure from the library")
    page.goto(f"/articles/{article.slug}/")
    figure = page.locator(".article__body figure")
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "The first mammogram: a small bright spot in the upper left")
    expect(image).to_have_attribute("srcset", re.compile(r" 480w, .* 800w"))
    expect(image).to_have_attribute("width", "1000")
    expect(figure.locator("figcaption")).to_have_text("The tumour on the first scan.")


def test_the_library_picker_says_when_nothing_matches_and_links_to_uploading(admin_page):
    page = admin_page
    ImageFactory(alt_text="A nurse talking with a patient")

    page.locator(".ProseMirror[contenteditable]").click()
    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Choose from the library").click()
    search = dialog.get_by_role("searchbox", name="Search the image library")
    search.fill("ultrasound")
    search.press("Enter")

    expect(dialog.get_by_role("status")).to_have_text(re.compile("No image in the library matches"))
    expect(dialog).to_be_visible()  # Enter searched; it did not submit the dialog
    upload = dialog.get_by_role("link", name=re.compile("Upload a new image"))
    expect(upload).to_have_attribute("href", "/admin/images/image/add/")
    expect(upload).to_have_attribute("target", "_blank")


def test_the_library_picker_pages_through_the_library_and_passes_axe(admin_page, monkeypatch):
    page = admin_page
    monkeypatch.setattr(image_admin, "PICKER_PAGE_SIZE", 2)
    for number in range(3):
        ImageFactory(alt_text=f"Scan number {number}")

    page.locator(".ProseMirror[contenteditable]").click()
    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Choose from the library").click()
    choices = dialog.locator(".figure-library__choice")
    expect(choices).to_have_count(2)
    violations = [
        violation
        for violation in axe.run(page, context=".prose-editor-dialog").response["violations"]
        if violation["impact"] in STAFF_BLOCKING_IMPACTS
    ]
    assert violations == [], describe(violations)

    dialog.get_by_role("button", name="More images").click()

    expect(choices).to_have_count(3)
    expect(dialog.get_by_role("button", name="More images")).to_be_hidden()
    expect(choices.last).to_contain_text("Scan number 0")  # newest first


def test_an_image_without_alt_text_is_refused_with_its_name(admin_page):
    page = admin_page
    fill_article(page, "An image without alt text")

    paste_html(page, '<p>The scan:</p><img src="https://example.org/media/scan.png">')
    save(page)

    expect(page.locator(".errorlist")).to_contain_text(
        "The image “scan.png” in the body has no alt text: describe it for readers who cannot see it."
    )
    assert not Article.objects.filter(title="An image without alt text").exists()


def test_without_javascript_the_body_is_a_textarea_of_html(page_without_js, section):
    page = page_without_js
    open_add_article(page)
    fill_article(page, "Written without JavaScript")

    page.get_by_label("Body:").fill("<h2>Findings</h2><p>Typed as <em>HTML</em>.</p>")
    save(page)

    article = Article.objects.get(title="Written without JavaScript")
    assert article.body == "<h2>Findings</h2><p>Typed as <em>HTML</em>.</p>"
