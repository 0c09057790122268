from django import forms

from .models import SurveyResponse


class SurveyForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="How helpful are your recommendations?",
        choices=[(5, "5 – Very helpful"), (4, "4"), (3, "3"), (2, "2"), (1, "1 – Not helpful")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    more_of = forms.MultipleChoiceField(
        label="I would like more of…",
        choices=SurveyResponse.Wish.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    less_of = forms.MultipleChoiceField(
        label="I would like less of…",
        choices=SurveyResponse.Wish.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SurveyResponse
        fields = ["rating", "more_of", "less_of", "comment"]
        labels = {"comment": "Anything else? (optional)"}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3, "maxlength": SurveyResponse.COMMENT_MAX_LENGTH})}
        help_texts = {"comment": "Please do not include personal medical details."}

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("more_of") or []) & set(cleaned.get("less_of") or [])
        if both:
            labels = ", ".join(SurveyResponse.Wish(value).label for value in sorted(both))
            raise forms.ValidationError(f"You asked for both more and less of: {labels}. Choose one of the two.")
        return cleaned
