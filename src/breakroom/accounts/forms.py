"""Forms validate shape only; the actions decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from breakroom.workplaces.models import Site

from .models import Role

USERNAME_HELP = _("Any name you like. Do not use your real name, badge number or login from work.")


class SignUpForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=40,
        min_length=3,
        regex=r"^[\w.-]+$",
        help_text=USERNAME_HELP,
        error_messages={"invalid": _("Use letters, digits, dots, dashes or underscores.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words are easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    contact = forms.CharField(
        label=_("How organisers can reach you (optional)"),
        required=False,
        max_length=200,
        help_text=_("A phone number or a Signal name. Stored encrypted. Leave empty if unsure."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("passphrase")
            and data.get("passphrase_again")
            and data["passphrase"] != data["passphrase_again"]
        ):
            self.add_error("passphrase_again", _("The two passphrases are not the same."))
        return data


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChangePassphraseForm(forms.Form):
    current = forms.CharField(
        label=_("Current passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label=_("New passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_again = forms.CharField(
        label=_("New passphrase again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new") and data.get("new_again") and data["new"] != data["new_again"]:
            self.add_error("new_again", _("The two passphrases are not the same."))
        return data


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("How organisers can reach you"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to delete what you saved before."),
    )


class JoinSiteForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=None)

    def __init__(self, *args: object, sites: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class VerifyCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code on the worker's phone"),
        regex=r"^[\d\s-]{8,12}$",
        error_messages={"invalid": _("The code is eight digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}
        ),
    )


class SetRoleForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=40)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SecondFactorForm(forms.Form):
    code = forms.RegexField(
        label=_("The six-digit code from your authenticator app"),
        regex=r"^[\d\s]{6,8}$",
        error_messages={"invalid": _("The code is six digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
