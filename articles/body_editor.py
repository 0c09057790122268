"""The article body's editor in the admin: django-prose-editor (ProseMirror/Tiptap) offering exactly the
elements the body sanitiser allows, and the form's checks that go with it.

Without JavaScript the widget is the plain textarea of HTML it replaces.
"""

from django import forms
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from .models import comparable
from .sanitise import ALLOWED_TAGS, images_without_alt, sanitise_report

# The editor extension that writes each tag the sanitiser allows. A tag allowed without one here fails
# at import, so the toolbar and the allowlist cannot drift apart.
EXTENSION_FOR_TAG = {
    "h1": "Heading", "h2": "Heading", "h3": "Heading", "h4": "Heading", "h5": "Heading", "h6": "Heading",
    "p": "Paragraph", "ul": "BulletList", "ol": "OrderedList", "li": "ListItem", "a": "Link",
    "strong": "Bold", "em": "Italic", "blockquote": "Blockquote",
    "figure": "Figure", "img": "Image", "figcaption": "Caption",
}  # fmt: skip

# Options; "WordPaste" (static/js/body_editor.js) writes no markup of its own, it cleans pasted HTML.
EXTENSION_OPTIONS = {
    "Link": {"enableTarget": False},  # Links open in the reader's own tab, as everywhere on the site.
    "OrderedList": {"enableListAttributes": False},  # Numbered 1, 2, 3: the sanitiser keeps only "start".
    "NoSpellCheck": False,  # The package turns the browser's spelling check off by default.
    "WordPaste": True,
}

NO_ALT_TEXT = "The image “%(name)s” in the body has no alt text: describe it for readers who cannot see it."
REMOVED_ON_SAVE = "The body was saved without what articles may not contain: %(removals)s."


def body_extensions():
    """The editor's extensions, derived from the sanitiser's allowed tags."""
    extensions = {EXTENSION_FOR_TAG[tag]: True for tag in sorted(ALLOWED_TAGS)}
    if levels := sorted(int(tag[1]) for tag in ALLOWED_TAGS if EXTENSION_FOR_TAG[tag] == "Heading"):
        extensions["Heading"] = {"levels": levels}
    for name, options in EXTENSION_OPTIONS.items():
        if name in extensions or name not in EXTENSION_FOR_TAG.values():
            extensions[name] = options
    return extensions


class BodyEditorWidget(AdminProseEditorWidget):
    """The rich-text editor for an article's body; every script and style it needs comes from the
    django-prose-editor package and this project's static files."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 20, **(attrs or {})}, config={"extensions": body_extensions()}, preset="configurable"
        )

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/body_editor.css"]})

    def get_config(self):
        config = super().get_config()
        # The figure dialog's library picker reads the image library's JSON list; new images are
        # uploaded on the library's own page.
        figure = {
            "libraryUrl": reverse("admin:images_image_choose"),
            "uploadUrl": reverse("admin:images_image_add"),
        }
        extensions = {**config["extensions"], "Figure": figure}
        return {**config, "extensions": extensions, "js_modules": [*config["js_modules"], static("js/body_editor.js")]}


def clean_body(form):
    """The posted body, sanitised, for a ModelForm's clean_body. An image without alt text is refused;
    what sanitising removed is kept in form.body_removals for report_removals. A body that means the
    same as the stored one (the editor writes it a little differently) is kept as stored, so opening
    and saving an article changes nothing."""
    body = form.cleaned_data["body"]
    if missing := images_without_alt(body):
        raise forms.ValidationError([forms.ValidationError(NO_ALT_TEXT, params={"name": name}) for name in missing])
    cleaned, form.body_removals = sanitise_report(body)
    stored = form["body"].initial
    return stored if stored and comparable(stored) == comparable(cleaned) else cleaned


def report_removals(request, form):
    """Tell the editor, once the article is saved, what sanitising removed from the body."""
    if removals := getattr(form, "body_removals", None):
        messages.warning(request, REMOVED_ON_SAVE % {"removals": "; ".join(removals)})
