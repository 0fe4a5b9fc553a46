"""The demo: one employer, the three North East sites, and fictional people.

Everything is created through actions, exactly as a person using the pages would,
and only when missing: running it twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, time

from breakroom.accounts import actions as account_actions
from breakroom.accounts.models import Membership, Role, User
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
    return {
        ADMIN: "administrator (union staff)",
        "organiser-durham": "organiser at Durham",
        "organiser-darlo": "organiser at Darlington and Gateshead",
        "night-picker": "verified worker at Durham",
        "icqa-counter": "unverified worker at Durham",
    }
