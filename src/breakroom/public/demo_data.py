"""The demo: one employer, the three North East sites, and fictional people.

Everything is created through actions, exactly as a person using the pages would,
and only when missing: running it twice changes nothing.
"""

import datetime
import secrets
from dataclasses import dataclass
from datetime import date, time

from django.utils import timezone

from breakroom.accounts import actions as account_actions
from breakroom.accounts.models import Membership, Role, User
from breakroom.core.crypto import blind_rsa
from breakroom.core.models import TokenKey
from breakroom.core.tokens.keys import ensure_keys, public_key
from breakroom.core.tokens.policy import VARIANT, period_of
from breakroom.pulse import actions as pulse_actions
from breakroom.pulse.dashboards import refresh_dashboards
from breakroom.pulse.models import Answer, Question, QuestionKind
from breakroom.pulse.queries import todays_questions
from breakroom.voice import actions as voice_actions
from breakroom.voice.models import Category, Frequency, Report
from breakroom.workplaces import actions as workplace_actions
from breakroom.workplaces.models import (
    BargainingUnit,
    Department,
    DepartmentKind,
    Employer,
    ShiftKind,
    ShiftPattern,
    Site,
    SiteStatus,
)

DEMO_PASSPHRASE = "demo-breakroom-passphrase"  # noqa: S105 - printed for the demo


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    status: SiteStatus
    departments: tuple[DepartmentKind, ...]
    union: tuple[int, date, str]
    employer: tuple[int, date, str] | None


ALL_DEPARTMENTS = (
    DepartmentKind.INBOUND,
    DepartmentKind.STOW,
    DepartmentKind.PICK,
    DepartmentKind.PACK,
    DepartmentKind.SHIP,
    DepartmentKind.ICQA,
    DepartmentKind.RETURNS,
)

SITES = (
    DemoSite(
        slug="durham",
        name="Durham fulfilment centre",
        status=SiteStatus.OPEN,
        departments=ALL_DEPARTMENTS,
        union=(1450, date(2026, 10, 1), "Organising committee's workplace map"),
        employer=(2700, date(2026, 10, 20), "Employer's letter to the union"),
    ),
    DemoSite(
        slug="darlington",
        name="Darlington fulfilment centre",
        status=SiteStatus.OPEN,
        departments=ALL_DEPARTMENTS,
        union=(1800, date(2026, 9, 15), "Shift-by-shift count by workplace reps"),
        employer=(2350, date(2026, 10, 20), "Employer's letter to the union"),
    ),
    DemoSite(
        slug="gateshead",
        name="Gateshead fulfilment centre",
        status=SiteStatus.OPENING,
        departments=(DepartmentKind.INBOUND, DepartmentKind.STOW, DepartmentKind.PICK),
        union=(600, date(2026, 11, 2), "Recruitment events attended by organisers"),
        employer=(1200, date(2026, 6, 1), "Jobs stated in the employer's press release"),
    ),
)

SHIFTS = (
    (ShiftKind.DAYS, time(7, 30), time(18, 0)),
    (ShiftKind.NIGHTS, time(19, 0), time(5, 30)),
    (ShiftKind.TWILIGHT, time(17, 45), time(22, 15)),
    (ShiftKind.WEEKEND, time(7, 30), time(19, 30)),
)

ADMIN = "union-staff"
ORGANISERS = {"organiser-durham": ("durham",), "organiser-darlo": ("darlington", "gateshead")}
# (username, site, verified?) — every one of them invented.
WORKERS = (
    ("night-picker", "durham", True),
    ("stow-owl", "durham", True),
    ("pack-line-7", "durham", True),
    ("icqa-counter", "durham", False),
    ("dock-door-12", "durham", False),
    ("returns-rover", "darlington", True),
    ("tote-runner", "darlington", True),
    ("rate-watcher", "darlington", False),
    ("twilight-jo", "darlington", True),
    ("weekend-pack", "darlington", False),
    ("first-week", "gateshead", False),
    ("induction-day", "gateshead", True),
)


def _user(username: str, *, admin: bool = False) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    if admin:
        return account_actions.do_create_admin(username=username, passphrase=DEMO_PASSPHRASE)
    return account_actions.do_sign_up(username=username, passphrase=DEMO_PASSPHRASE)


def _site(admin: User, employer: Employer, demo: DemoSite) -> Site:
    site = Site.objects.filter(slug=demo.slug).first() or workplace_actions.do_save_site(
        actor=admin,
        employer=employer,
        name=demo.name,
        slug=demo.slug,
        region="North East England",
        status=demo.status,
    )
    for kind in demo.departments:
        if not Department.objects.filter(site=site, kind=kind).exists():
            workplace_actions.do_add_department(actor=admin, site=site, kind=kind)
    for shift_kind, starts_at, ends_at in SHIFTS:
        if not ShiftPattern.objects.filter(site=site, kind=shift_kind).exists():
            workplace_actions.do_save_shift(
                actor=admin,
                site=site,
                kind=shift_kind,
                name="",
                starts_at=starts_at,
                ends_at=ends_at,
            )
    unit_name = "All hourly-paid associates"
    if not BargainingUnit.objects.filter(site=site, name=unit_name).exists():
        union_figure, union_day, union_source = demo.union
        employer_figure, employer_day, employer_source = demo.employer or (None, None, "")
        workplace_actions.do_save_unit(
            actor=admin,
            site=site,
            name=unit_name,
            departments=site.departments.all(),
            shifts=site.shifts.all(),
            union_headcount=union_figure,
            union_headcount_on=union_day,
            union_headcount_source=union_source,
            employer_headcount=employer_figure,
            employer_headcount_on=employer_day,
            employer_headcount_source=employer_source,
        )
    return site


# (site, category, how many, what one of them says) — invented, in workers' words.
REPORTS = (
    (
        "durham",
        Category.MANDATORY_OVERTIME,
        9,
        "Told at 16:00 that we all stay two extra hours. No choice.",
    ),
    (
        "durham",
        Category.PRODUCTION_TARGETS,
        7,
        "Rate went up again this week and nobody told us why.",
    ),
    ("durham", Category.BREAKS, 5, "The walk to the break room eats half of the 30 minutes."),
    ("durham", Category.SURVEILLANCE, 3, "Time off task warning for going to the toilet."),
    (
        "darlington",
        Category.HEALTH_AND_SAFETY,
        6,
        "Pallets stacked over the height line in inbound.",
    ),
    ("darlington", Category.BULLYING, 2, "A manager shouts at new starters on the pick floor."),
)


def _reports(sites: dict[str, Site]) -> None:
    if Report.objects.exists():
        return
    for slug, category, count, text in REPORTS:
        for number in range(count):
            sent = voice_actions.do_send_report(
                site=sites[slug],
                category=category,
                body=text if number == 0 else f"{text} (report {number + 1})",
                frequency=Frequency.OFTEN,
            )
            if number == 0:
                voice_actions.do_reply_as_reporter(
                    site=sites[slug], code=sent.code, body="It happened again last night."
                )
    for site in sites.values():
        voice_actions.do_refresh_report_figures(site_id=site.pk)


QUESTIONS: tuple[tuple[QuestionKind, str, str, str, list[dict[str, str]]], ...] = (
    (
        QuestionKind.SCALE,
        "How hard was your rate (your target) today? 1 easy, 5 impossible",
        "Jak trudna była dziś twoja norma? 1 łatwa, 5 niemożliwa",
        "Cât de grea a fost norma ta azi? 1 ușoară, 5 imposibilă",
        [],
    ),
    (
        QuestionKind.YES_NO,
        "Were you told to do mandatory extra time this week?",
        "Czy w tym tygodniu kazano ci zostać na obowiązkowe nadgodziny?",
        "Ți s-a cerut săptămâna asta să faci ore suplimentare obligatorii?",
        [],
    ),
    (
        QuestionKind.CHOICE,
        "How much notice were you given of extra time?",
        "Z jakim wyprzedzeniem powiedziano ci o nadgodzinach?",
        "Cu cât timp înainte ai aflat de orele suplimentare?",
        [
            {"en": "None", "pl": "Żadnym", "ro": "Deloc"},
            {"en": "Less than a day", "pl": "Mniej niż dzień", "ro": "Mai puțin de o zi"},
            {"en": "1 to 3 days", "pl": "1 do 3 dni", "ro": "1 până la 3 zile"},
            {"en": "More than 3 days", "pl": "Ponad 3 dni", "ro": "Peste 3 zile"},
        ],
    ),
    (
        QuestionKind.YES_NO,
        "Did you get your full breaks today?",
        "Czy udało ci się dziś wykorzystać pełne przerwy?",
        "Ai avut azi pauzele întregi?",
        [],
    ),
    (
        QuestionKind.SCALE,
        "How watched did you feel today? 1 not at all, 5 all the time",
        "Jak mocno czuć było dziś, że ktoś cię obserwuje? 1 wcale, 5 cały czas",
        "Cât de urmărit te-ai simțit azi? 1 deloc, 5 tot timpul",
        [],
    ),
    (
        QuestionKind.SCALE,
        "How safe did you feel at work today? 1 not safe, 5 completely safe",
        "Jak bezpieczna była dziś dla ciebie praca? 1 wcale, 5 całkowicie",
        "Cât de în siguranță te-ai simțit azi la muncă? 1 deloc, 5 complet",
        [],
    ),
    (
        QuestionKind.SCALE,
        "Did managers treat you with respect today? 1 not at all, 5 fully",
        "Czy kierownicy traktowali cię dziś z szacunkiem? 1 wcale, 5 w pełni",
        "Te-au tratat azi șefii cu respect? 1 deloc, 5 pe deplin",
        [],
    ),
)
PULSE_WORKERS = 16


def _pulse(admin: User, organiser: User, site: Site) -> None:
    """The default question set, and today's check-ins of sixteen more Durham workers."""
    today = timezone.localdate()
    if not Question.objects.exists():
        for position, (kind, english, polish, romanian, options) in enumerate(QUESTIONS):
            pulse_actions.do_save_question(
                actor=admin,
                site=None,
                fields={
                    "kind": kind,
                    "text_en": english,
                    "text_pl": polish,
                    "text_ro": romanian,
                    "starts_on": today - datetime.timedelta(days=60),
                    "ends_on": None,
                    "position": position,
                    "options": options,
                },
            )
    if Answer.objects.exists():
        return
    ensure_keys(site_id=site.pk, today=today)
    key = TokenKey.objects.get(site_id=site.pk, purpose="pulse", period=period_of("pulse", today))
    variant = blind_rsa.Variant(VARIANT)
    for number in range(1, PULSE_WORKERS + 1):
        user = _user(f"durham-worker-{number:02d}")
        membership = Membership.objects.filter(user=user, site=site).first()
        if membership is None:
            membership = account_actions.do_join_site(user=user, site=site)
        if not membership.is_verified:
            code, _issued = account_actions.do_issue_verification_code(membership=membership)
            account_actions.do_verify_membership(organiser=organiser, site=site, code=code)
        # Exactly what a phone does: blind, have it signed, finalize, spend with answers.
        blinding = blind_rsa.blind(public_key(key), secrets.token_bytes(32), variant)
        signatures, _remaining = account_actions.do_issue_tokens(
            user=user, site=site, key_id=key.key_id, blinded_messages=[blinding.blinded_message]
        )
        signature = blind_rsa.finalize(
            public_key(key), blinding.prepared_message, signatures[0], blinding.inverse, variant
        )
        answers = {
            question.pk: _demo_answer(question, number)
            for question in todays_questions(site, today)
        }
        pulse_actions.do_check_in(
            site=site,
            key_id=key.key_id,
            message=blinding.prepared_message,
            signature=signature,
            answers=answers,
            department_id=site.departments.order_by("pk").values_list("pk", flat=True)[number % 3],
        )
    pulse_actions.do_rebuild_rollups(site_id=site.pk, day=today)
    refresh_dashboards(site_id=site.pk)


def _demo_answer(question: Question, number: int) -> int:
    """Invented but plausible: pressure high, breaks short, notice rarely given."""
    values = list(question.allowed_values())
    if question.kind == QuestionKind.SCALE:
        return [4, 5, 4, 3, 5, 4, 2, 5][number % 8]
    if question.kind == QuestionKind.YES_NO:
        return [1, 1, 0, 1, 1][number % 5]
    return values[[0, 1, 0, 0, 2][number % 5]]


def seed_demo() -> dict[str, str]:
    """Create whatever part of the demo is missing; return the demo sign-ins."""
    admin = _user(ADMIN, admin=True)
    employer = Employer.objects.filter(slug="amazon-uk").first() or (
        workplace_actions.do_save_employer(
            actor=admin, name="Amazon UK Services Ltd", slug="amazon-uk"
        )
    )
    sites = {demo.slug: _site(admin, employer, demo) for demo in SITES}
    organisers: dict[str, User] = {}
    for username, slugs in ORGANISERS.items():
        organisers[slugs[0]] = user = _user(username)
        for slug in slugs:
            organisers.setdefault(slug, user)
            if not Membership.objects.filter(user=user, site=sites[slug]).exists():
                account_actions.do_set_role(
                    actor=admin, site=sites[slug], username=username, role=Role.ORGANISER
                )
    for username, slug, verified in WORKERS:
        user = _user(username)
        membership = Membership.objects.filter(user=user, site=sites[slug]).first()
        if membership is None:
            membership = account_actions.do_join_site(user=user, site=sites[slug])
        if verified and not membership.is_verified:
            code, _issued = account_actions.do_issue_verification_code(membership=membership)
            account_actions.do_verify_membership(
                organiser=organisers[slug], site=sites[slug], code=code
            )
    _reports(sites)
    _pulse(admin, organisers["durham"], sites["durham"])
    return {
        ADMIN: "administrator (union staff)",
        "organiser-durham": "organiser at Durham",
        "organiser-darlo": "organiser at Darlington and Gateshead",
        "night-picker": "verified worker at Durham",
        "icqa-counter": "unverified worker at Durham",
    }
