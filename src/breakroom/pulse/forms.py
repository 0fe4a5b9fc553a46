"""Forms for scheduling questions; they check shape, the actions decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question, QuestionKind


class QuestionForm(forms.ModelForm[Question]):
    options_text = forms.CharField(
        label=_("Options (for “one of a few options”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One option per line, as English | Polish | Romanian. "
            "Example: Less than a day | Mniej niż dzień | Mai puțin de o zi"
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text_en", "text_pl", "text_ro", "starts_on", "ends_on", "position"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line for line in data.get("options_text", "").splitlines() if line.strip()]
        options = []
        for line in lines:
            parts = [part.strip() for part in line.split("|")]
            options.append(
                {
                    "en": parts[0],
                    "pl": parts[1] if len(parts) > 1 else "",
                    "ro": parts[2] if len(parts) > 2 else "",
                }
            )
        if data.get("kind") == QuestionKind.CHOICE and not 2 <= len(options) <= 6:
            self.add_error("options_text", _("Give between two and six options."))
        data["options"] = options if data.get("kind") == QuestionKind.CHOICE else []
        return data
