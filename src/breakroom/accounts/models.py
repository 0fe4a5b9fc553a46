"""Pseudonymous people and their roles at sites."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from breakroom.workplaces.models import Site


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(username__iexact=username)

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> "User":
        """Used by Django's own machinery only; Breakroom code calls actions."""
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save()
        return user


class User(AbstractBaseUser):
    """A person, known only by a chosen username.

    No real name and no email. Contact details, if a person leaves any, are sealed
    (see `core.sealing`). `last_login` is removed: when someone signs in is nobody's
    business, and Django stops recording it when the field does not exist.
    """

    username = models.CharField(_("username"), max_length=40, unique=True)
    is_active = models.BooleanField(default=True)
    # Union staff: manage employers, sites and who organises where.
    is_admin = models.BooleanField(default=False)
    joined_on = models.DateField(_("joined on"))
    contact_sealed = models.BinaryField(null=True, blank=True, editable=False)
    last_login = None

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def has_contact(self) -> bool:
        return self.contact_sealed is not None


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    ORGANISER = "organiser", _("Organiser")
    ADMIN = "admin", _("Breakroom admin for this site")


class Membership(models.Model):
    """A person's role at one site, and whether an organiser has verified them there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.WORKER)
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["site__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(is_verified=False) | models.Q(verified_on__isnull=False),
                name="membership_verified_dated",
                violation_error_message=_("A verified membership needs the day it was verified."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site} ({self.role})"

    @property
    def is_organiser(self) -> bool:
        return self.role in {Role.ORGANISER, Role.ADMIN}


class VerificationCode(models.Model):
    """A short-lived one-time code a worker shows an organiser in person.

    Only a keyed hash of the code is stored. A used code is kept until it expires,
    so that showing it twice gets a clear "already used" answer.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="verification_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    is_used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"code for membership {self.membership_id}"


class KeyPair(models.Model):
    """A person's X25519 key pair; the private half sealed by their passphrase."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="key_pair")
    public_key = models.BinaryField(max_length=32)
    private_key_sealed = models.BinaryField()
    salt = models.BinaryField(max_length=16)

    def __str__(self) -> str:
        return f"key pair of user {self.user_id}"


class SecondFactor(models.Model):
    """An organiser's authenticator app (TOTP, RFC 6238); the secret sealed at rest."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret_sealed = models.BinaryField()
    is_confirmed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"second factor of user {self.user_id}"
