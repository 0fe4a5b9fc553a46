"""Report forms: shape only; the actions decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from breakroom.workplaces.models import Department, ShiftPattern, Site

from .models import MAX_REPORT_CHARACTERS, Category, Frequency, ReportStatus


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=Category.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_REPORT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Say what happened and where, but leave out anything that could identify you, "
            "such as your name, your badge number or the exact time."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("How often does it happen?"), choices=Frequency.choices, initial=Frequency.ONCE
    )
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=_("Department (optional)"), queryset=Department.objects.none(), required=False
    )
    shift: forms.ModelChoiceField[ShiftPattern] = forms.ModelChoiceField(
        label=_("Shift (optional)"), queryset=ShiftPattern.objects.none(), required=False
    )
    # Left empty by people; bots fill every field.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = site.departments.all()  # type: ignore[attr-defined]
        self.fields["shift"].queryset = site.shifts.all()  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        help_text=_("The words you were given when you sent your report."),
    )


class SavedForm(forms.Form):
    code = forms.CharField(max_length=200, widget=forms.HiddenInput)
    saved = forms.BooleanField(
        label=_("I have saved my code somewhere safe"),
        error_messages={"required": _("Tick the box once you have saved your code.")},
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_REPORT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReporterReplyForm(ReplyForm):
    code = forms.CharField(max_length=200, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)


class InboxFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ReportStatus.choices], required=False
    )


class GrantForm(forms.Form):
    organiser = forms.IntegerField(widget=forms.HiddenInput)
