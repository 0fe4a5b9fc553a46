"""Forms for managing workplaces: they check shape; the actions write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BargainingUnit, Department, Employer, ShiftPattern, Site


class EmployerForm(forms.ModelForm[Employer]):
    class Meta:
        model = Employer
        fields = ["name", "slug"]


class SiteForm(forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = ["employer", "name", "slug", "region", "status", "privacy_k"]


class DepartmentForm(forms.ModelForm[Department]):
    class Meta:
        model = Department
        fields = ["kind", "name"]
        help_texts = {"name": _("Only needed for “Other”.")}


class TimeInput(forms.TimeInput):
    input_type = "time"


class ShiftForm(forms.ModelForm[ShiftPattern]):
    class Meta:
        model = ShiftPattern
        fields = ["kind", "name", "starts_at", "ends_at"]
        widgets = {"starts_at": TimeInput(), "ends_at": TimeInput()}
        help_texts = {"ends_at": _("A night shift may end the next morning.")}


class DateInput(forms.DateInput):
    input_type = "date"


class UnitForm(forms.ModelForm[BargainingUnit]):
    class Meta:
        model = BargainingUnit
        fields = [
            "name",
            "departments",
            "shifts",
            "union_headcount",
            "union_headcount_on",
            "union_headcount_source",
            "employer_headcount",
            "employer_headcount_on",
            "employer_headcount_source",
        ]
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "shifts": forms.CheckboxSelectMultiple,
            "union_headcount_on": DateInput(),
            "employer_headcount_on": DateInput(),
        }

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = site.departments.all()  # type: ignore[attr-defined]
        self.fields["shifts"].queryset = site.shifts.all()  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        # The site is not a form field; the action checks the name is unique per site.
        return
