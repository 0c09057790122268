from django import forms
from django.core.files.uploadedfile import UploadedFile

from .checks import inspect_upload
from .models import Image


class ImageForm(forms.ModelForm):
    """Uploads are judged by their content (checks.inspect_upload), not by their name or type."""

    # A plain file field: Django's image field would answer a huge or odd file with one vague message.
    file = forms.FileField(
        label="Image file",
        help_text=Image._meta.get_field("file").help_text,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"empty": "The file is empty (0 bytes). Choose the image file again."},
    )

    class Meta:
        model = Image
        fields = ("file", "alt_text", "credit")

    facts = None

    def clean_file(self):
        file = self.cleaned_data["file"]
        if isinstance(file, UploadedFile):  # a new upload, not the file already stored
            self.facts = inspect_upload(file)
        return file


class ImageChangeForm(forms.ModelForm):
    """An uploaded image keeps its file: article bodies point at its address. A new picture is a new image."""

    class Meta:
        model = Image
        fields = ("alt_text", "credit")

    facts = None
