"""Diary forms: quick to fill on a phone; the rules engine judges the content."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .rules import AbsenceKind

ABSENCE_CHOICES = [
    (AbsenceKind.ANNUAL_LEAVE.value, _("Annual leave (the basic 4 weeks)")),
    (AbsenceKind.ADDITIONAL_LEAVE.value, _("Additional annual leave (the extra 1.6 weeks)")),
    (AbsenceKind.SICK.value, _("Sick")),
    (AbsenceKind.MATERNITY.value, _("Maternity leave")),
    (AbsenceKind.PATERNITY.value, _("Paternity leave")),
    (AbsenceKind.ADOPTION.value, _("Adoption leave")),
    (AbsenceKind.PARENTAL.value, _("Parental leave")),
    (AbsenceKind.SHARED_PARENTAL.value, _("Shared parental leave")),
    (AbsenceKind.OTHER.value, _("Other absence")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


def minutes(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=24 * 60, required=False)


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Day the shift started"), widget=DateInput)
    start = forms.TimeField(label=_("Actual start"), widget=TimeInput)
    end = forms.TimeField(
        label=_("Actual end"), widget=TimeInput, help_text=_("A night shift may end the next day.")
    )
    scheduled_start = forms.TimeField(label=_("Scheduled start"), widget=TimeInput, required=False)
    scheduled_end = forms.TimeField(label=_("Scheduled end"), widget=TimeInput, required=False)
    break_minutes = minutes(_("Breaks taken (minutes, uninterrupted)"))
    extra_minutes = minutes(_("Mandatory extra time (minutes)"))
    notice_hours = forms.IntegerField(
        label=_("Notice given of the extra time (hours)"),
        min_value=0,
        max_value=24 * 14,
        required=False,
    )
    screening_minutes = minutes(_("Security screening (minutes)"))
    walking_minutes = minutes(_("Walking to and from the workstation (minutes)"))
    task = forms.CharField(label=_("Task (pick, stow, pack …)"), max_length=40, required=False)
    target_rate = forms.IntegerField(
        label=_("Rate target (units an hour)"), min_value=0, max_value=10_000, required=False
    )
    achieved_rate = forms.IntegerField(
        label=_("Rate achieved (units an hour)"), min_value=0, max_value=10_000, required=False
    )
    off_task_warnings = forms.IntegerField(
        label=_("Time-off-task warnings"), min_value=0, max_value=100, required=False
    )
    incident = forms.CharField(
        label=_("Anything that happened (only you can read this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def entry_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        entry: dict[str, Any] = {"kind": "shift", "day": data["day"].isoformat()}
        for name in ("start", "end", "scheduled_start", "scheduled_end"):
            if data.get(name) is not None:
                entry[name] = data[name].strftime("%H:%M")
        for name in (
            "break_minutes",
            "extra_minutes",
            "notice_hours",
            "screening_minutes",
            "walking_minutes",
            "target_rate",
            "achieved_rate",
            "off_task_warnings",
        ):
            if data.get(name) is not None:
                entry[name] = data[name]
        for name in ("task", "incident"):
            if data.get(name):
                entry[name] = data[name]
        return entry


class AbsenceForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput)
    last_day = forms.DateField(label=_("Last day"), widget=DateInput)
    absence_kind = forms.ChoiceField(label=_("Kind"), choices=ABSENCE_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot come before the first."))
        if first and last and (last - first).days > 366:
            self.add_error("last_day", _("Record absences of up to a year at a time."))
        return data

    def entry_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": "absence",
            "first_day": data["first_day"].isoformat(),
            "last_day": data["last_day"].isoformat(),
            "absence_kind": data["absence_kind"],
        }


class ProfileForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional: only to apply the young workers' rules)"),
        widget=DateInput,
        required=False,
    )
    is_under_18 = forms.BooleanField(label=_("I am under 18"), required=False)
    employment_start = forms.DateField(
        label=_("First day in this job"), widget=DateInput, required=False
    )
    opt_out_from = forms.DateField(
        label=_("Signed an opt-out from the 48-hour limit on"), widget=DateInput, required=False
    )
    opt_out_until = forms.DateField(
        label=_("Ended the opt-out on"), widget=DateInput, required=False
    )
    reference_weeks = forms.IntegerField(
        label=_("Reference period set by an agreement (weeks)"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_(
            "Leave empty unless a collective or workforce agreement sets one (normally 17)."
        ),
    )

    def profile_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {}
        for name, value in data.items():
            if isinstance(value, datetime.date):
                result[name] = value.isoformat()
            elif value not in (None, "", False):
                result[name] = value
        return result


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Diary CSV file"))
