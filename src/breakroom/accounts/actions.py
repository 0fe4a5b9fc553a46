"""Every write to people, memberships and verification goes through these."""

from datetime import timedelta

import nacl.public
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from breakroom.core.audit import record_event
from breakroom.core.errors import ActionError
from breakroom.core.models import EventKind
from breakroom.core.sealing import seal_text
from breakroom.core.tokens import service as token_service
from breakroom.workplaces.models import Site

from . import second_factor
from .access import can_manage_site, can_take_tokens, can_verify_at
from .codes import code_digest, new_code, normalise_code
from .keys import new_key_pair, open_private_key, reseal_private_key
from .models import KeyPair, Membership, Role, SecondFactor, User, VerificationCode

CONTACT_PURPOSE = "contact"
USERNAME_TAKEN = _("That username is taken. Please choose another.")


def _check_passphrase(passphrase: str, user: User | None = None) -> None:
    try:
        validate_password(passphrase, user)
    except ValidationError as error:
        raise ActionError(" ".join(error.messages), field="passphrase") from error


@transaction.atomic(durable=True)
def do_sign_up(*, username: str, passphrase: str, contact: str = "") -> User:
    """Create a pseudonymous account; raise ActionError if the name is taken or the
    passphrase is too weak. Contact details, if given, are sealed at rest."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(USERNAME_TAKEN, field="username")
    user = User(username=username, joined_on=timezone.localdate())
    _check_passphrase(passphrase, user)
    user.set_password(passphrase)
    if contact.strip():
        user.contact_sealed = seal_text(contact.strip(), purpose=CONTACT_PURPOSE)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # a sign-up with the same name won the race
        raise ActionError(USERNAME_TAKEN, field="username") from error
    new_key_pair(user, passphrase).save()
    record_event(actor_id=user.pk, kind=EventKind.USER_SIGNED_UP, target=user)
    return user


@transaction.atomic(durable=True)
def do_create_admin(*, username: str, passphrase: str) -> User:
    """Create a union-staff account that manages employers, sites and roles."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(USERNAME_TAKEN, field="username")
    user = User(username=username, joined_on=timezone.localdate(), is_admin=True)
    _check_passphrase(passphrase, user)
    user.set_password(passphrase)
    user.save()
    new_key_pair(user, passphrase).save()
    record_event(actor_id=None, kind=EventKind.ADMIN_CREATED, target=user)
    return user


@transaction.atomic(durable=True)
def do_change_passphrase(*, user: User, current: str, new: str) -> None:
    """Replace the passphrase; raise ActionError if `current` is wrong or `new` weak."""
    if not user.check_password(current):
        raise ActionError(_("Your current passphrase is not right."), field="current")
    _check_passphrase(new, user)
    user.set_password(new)
    user.save(update_fields=["password"])
    key_pair = KeyPair.objects.filter(user=user).first()
    if key_pair is not None:
        reseal_private_key(key_pair, current, new)
        key_pair.save(update_fields=["salt", "private_key_sealed"])
    record_event(actor_id=user.pk, kind=EventKind.USER_PASSPHRASE_CHANGED, target=user)


@transaction.atomic(durable=True)
def do_set_contact(*, user: User, contact: str) -> None:
    """Seal new contact details, or forget them when `contact` is blank."""
    contact = contact.strip()
    user.contact_sealed = seal_text(contact, purpose=CONTACT_PURPOSE) if contact else None
    user.save(update_fields=["contact_sealed"])
    record_event(actor_id=user.pk, kind=EventKind.USER_CONTACT_CHANGED, target=user)


@transaction.atomic(durable=True)
def do_join_site(*, user: User, site: Site) -> Membership:
    """Say "I work here": an unverified worker membership. Refuse a second one."""
    if Membership.objects.filter(user=user, site=site).exists():
        raise ActionError(_("You are already on this site's list."), field="site")
    membership = Membership.objects.create(
        user=user, site=site, role=Role.WORKER, joined_on=timezone.localdate()
    )
    record_event(actor_id=user.pk, kind=EventKind.MEMBERSHIP_JOINED, target=membership)
    return membership


@transaction.atomic(durable=True)
def do_issue_verification_code(*, membership: Membership) -> tuple[str, VerificationCode]:
    """Make a fresh one-time code for `membership` and return it in plain text.

    Any earlier unused code of this membership stops working, and expired codes of
    everyone are cleared. Raise ActionError if the membership is already verified.
    """
    if membership.is_verified:
        raise ActionError(_("You are already verified at this site."))
    now = timezone.now()
    VerificationCode.objects.filter(expires_at__lte=now).delete()
    VerificationCode.objects.filter(membership=membership).delete()
    while True:
        code = new_code()
        digest = code_digest(code)
        if not VerificationCode.objects.filter(digest=digest).exists():
            break
    issued = VerificationCode.objects.create(
        membership=membership,
        digest=digest,
        expires_at=now + timedelta(seconds=settings.VERIFICATION_CODE_SECONDS),
    )
    record_event(
        actor_id=membership.user_id, kind=EventKind.VERIFICATION_CODE_ISSUED, target=membership
    )
    return code, issued


@transaction.atomic(durable=True)
def do_verify_membership(*, organiser: User, site: Site, code: str) -> Membership:
    """Verify the worker whose phone shows `code`, met in person by `organiser`.

    Raise ActionError if `organiser` is not an organiser of `site` (status 404), or
    the code is unknown at this site, expired, or already used.
    """
    if not can_verify_at(organiser, site):
        raise ActionError(_("You are not an organiser at this site."), status=404)
    found = (
        VerificationCode.objects.select_for_update()
        .select_related("membership__user")
        .filter(digest=code_digest(normalise_code(code)), membership__site=site)
        .first()
    )
    if found is None:
        raise ActionError(
            _("No worker at this site is showing that code. Check the digits and try again."),
            field="code",
        )
    if found.is_used:
        raise ActionError(
            _("This code has already been used. Ask the worker to show a new one."),
            field="code",
            status=409,
        )
    if found.expires_at <= timezone.now():
        raise ActionError(
            _("This code has expired. Ask the worker to show a new one."),
            field="code",
            status=410,
        )
    membership = found.membership
    if membership.user_id == organiser.pk:
        raise ActionError(_("You cannot verify yourself."), field="code", status=403)
    found.is_used = True
    found.save(update_fields=["is_used"])
    membership.is_verified = True
    membership.verified_by = organiser
    membership.verified_on = timezone.localdate()
    membership.save(update_fields=["is_verified", "verified_by", "verified_on"])
    record_event(actor_id=organiser.pk, kind=EventKind.MEMBERSHIP_VERIFIED, target=membership)
    return membership


@transaction.atomic(durable=True)
def do_set_role(*, actor: User, site: Site, username: str, role: Role) -> Membership:
    """Give the person called `username` `role` at `site`, creating the membership.

    Someone named organiser or administrator by the union is verified by that act.
    Raise ActionError if `actor` may not manage the site or no such person exists.
    """
    if not can_manage_site(actor, site):
        raise ActionError(_("You cannot manage this site."), status=404)
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None:
        raise ActionError(_("Nobody has that username."), field="username")
    membership, _created = Membership.objects.get_or_create(
        user=user, site=site, defaults={"joined_on": timezone.localdate()}
    )
    membership.role = role
    if role != Role.WORKER and not membership.is_verified:
        membership.is_verified = True
        membership.verified_by = actor
        membership.verified_on = timezone.localdate()
    membership.save()
    record_event(actor_id=actor.pk, kind=EventKind.MEMBERSHIP_ROLE_SET, target=membership)
    return membership


@transaction.atomic(durable=True)
def do_remove_membership(*, actor: User, membership: Membership) -> None:
    """Take a person off a site's list; refuse if `actor` may not manage the site."""
    if not can_manage_site(actor, membership.site):
        raise ActionError(_("You cannot manage this site."), status=404)
    record_event(actor_id=actor.pk, kind=EventKind.MEMBERSHIP_REMOVED, target=membership)
    membership.delete()


@transaction.atomic(durable=True)
def do_issue_tokens(
    *, user: User, site: Site, key_id: str, blinded_messages: list[bytes]
) -> tuple[list[bytes], int]:
    """Blind-sign tokens for a verified member of `site`; return them and how many remain.

    Records how many were signed for the member under that key, never what. Raise
    ActionError (`not_verified`, `unknown_key`, `closed`, `limit`, `malformed`) and
    sign nothing otherwise.
    """
    if not can_take_tokens(user, site):
        raise ActionError(
            _("Only workers verified at this site can take its tokens."),
            status=403,
            code="not_verified",
        )
    key = token_service.get_key(site_id=site.pk, key_id=key_id)
    signatures = token_service.sign_blinded(
        holder_id=user.pk, key=key, blinded_messages=blinded_messages, today=timezone.localdate()
    )
    record_event(actor_id=user.pk, kind=EventKind.TOKENS_ISSUED, target=key)
    return signatures, token_service.remaining_tokens(holder_id=user.pk, key=key)


@transaction.atomic(durable=True)
def do_unlock_key_pair(*, user: User, passphrase: str) -> nacl.public.PrivateKey:
    """Unlock `user`'s private key with the passphrase they just signed in with,
    creating the key pair first for an account made before key pairs existed."""
    key_pair = KeyPair.objects.filter(user=user).first()
    if key_pair is None:
        key_pair = new_key_pair(user, passphrase)
        key_pair.save()
    try:
        return open_private_key(key_pair, passphrase)
    except ValueError as error:
        raise ActionError(_("That username and passphrase do not match.")) from error


@transaction.atomic(durable=True)
def do_start_second_factor(*, user: User) -> bytes:
    """Begin (or begin again) setting up an authenticator app; return the new secret.

    Refused once a second factor is confirmed: replacing it needs union staff.
    """
    existing = SecondFactor.objects.filter(user=user).first()
    if existing is not None and existing.is_confirmed:
        raise ActionError(_("Your authenticator app is already set up."))
    secret = second_factor.new_secret()
    SecondFactor.objects.update_or_create(
        user=user,
        defaults={"secret_sealed": second_factor.seal_secret(secret), "is_confirmed": False},
    )
    return secret


@transaction.atomic(durable=True)
def do_pass_second_factor(*, user: User, code: str) -> None:
    """Check a one-time code; the first right one confirms the app. Raise ActionError
    for a wrong code, changing nothing."""
    found = SecondFactor.objects.select_for_update().filter(user=user).first()
    if found is None:
        raise ActionError(_("Set up your authenticator app first."))
    if not second_factor.is_valid_code(second_factor.secret_of(found), code):
        raise ActionError(_("That code is not right. Codes change every 30 seconds."), field="code")
    if not found.is_confirmed:
        found.is_confirmed = True
        found.save(update_fields=["is_confirmed"])
        record_event(actor_id=user.pk, kind=EventKind.SECOND_FACTOR_SET_UP, target=found)
