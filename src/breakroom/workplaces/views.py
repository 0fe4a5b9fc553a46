"""Administration of employers, sites, departments, shifts and bargaining units.

These are Breakroom's own pages, not Django's admin, so that every change goes
through an action and lands in the audit log.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from breakroom.accounts.access import (
    SignedInRequest,
    access_site_to_manage,
    admin_required,
    can_manage_employers,
)
from breakroom.accounts.models import Membership, Role
from breakroom.core.errors import ActionError

from . import actions
from .forms import DepartmentForm, EmployerForm, ShiftForm, SiteForm, UnitForm
from .models import (
    BargainingUnit,
    Department,
    DepartmentKind,
    Employer,
    ShiftKind,
    ShiftPattern,
    Site,
    SiteStatus,
)
from .queries import list_employers


@login_required
@require_GET
def manage_home(request: SignedInRequest) -> HttpResponse:
    """Union staff see everything; a site administrator sees their sites."""
    if can_manage_employers(request.user):
        sites = Site.objects.select_related("employer")
        employers = list_employers()
    else:
        managed = Membership.objects.filter(user=request.user, role=Role.ADMIN)
        sites = Site.objects.select_related("employer").filter(memberships__in=managed)
        employers = None
        if not sites:
            raise Http404
    return render(
        request,
        "workplaces/manage_home.html",
        {"sites": sites.order_by("name"), "employers": employers},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: SignedInRequest, slug: str | None = None) -> HttpResponse:
    employer = get_object_or_404(Employer, slug=slug) if slug else None
    form = EmployerForm(request.POST if request.method == "POST" else None, instance=employer)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_save_employer(
                    actor=request.user,
                    employer=employer,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("workplaces:manage-home")
    return render(
        request,
        "workplaces/employer_edit.html",
        {"form": form, "employer": employer},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: SignedInRequest, slug: str | None = None) -> HttpResponse:
    if slug is None:
        if not can_manage_employers(request.user):
            raise Http404
        site = None
    else:
        site = access_site_to_manage(request.user, slug)
    form = SiteForm(request.POST if request.method == "POST" else None, instance=site)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = actions.do_save_site(
                    actor=request.user,
                    site=site,
                    employer=form.cleaned_data["employer"],
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    region=form.cleaned_data["region"],
                    status=SiteStatus(form.cleaned_data["status"]),
                    privacy_k=form.cleaned_data["privacy_k"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("workplaces:site-manage", slug=saved.slug)
    return render(request, "workplaces/site_edit.html", {"form": form, "site": site}, status=status)


def _render_site_manage(
    request: SignedInRequest,
    site: Site,
    *,
    department_form: DepartmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "workplaces/site_manage.html",
        {
            "site": site,
            "departments": site.departments.all(),
            "shifts": site.shifts.all(),
            "units": site.bargaining_units.prefetch_related("departments", "shifts"),
            "department_form": department_form or DepartmentForm(),
            "people": [
                (Role(row["role"]).label, row["total"])
                for row in Membership.objects.filter(site=site)
                .values("role")
                .annotate(total=Count("pk"))
                .order_by("role")
            ],
        },
        status=status,
    )


@login_required
@require_GET
def site_manage(request: SignedInRequest, slug: str) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    return _render_site_manage(request, site)


@login_required
@require_POST
def department_add(request: SignedInRequest, slug: str) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_department(
                actor=request.user,
                site=site,
                kind=DepartmentKind(form.cleaned_data["kind"]),
                name=form.cleaned_data["name"],
            )
        except ActionError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("workplaces:site-manage", slug=slug)
    return _render_site_manage(request, site, department_form=form, status=400)


@login_required
@require_POST
def department_remove(request: SignedInRequest, slug: str, department_id: int) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    department = get_object_or_404(Department, pk=department_id, site=site)
    actions.do_remove_department(actor=request.user, department=department)
    return redirect("workplaces:site-manage", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request: SignedInRequest, slug: str, shift_id: int | None = None) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    shift = get_object_or_404(ShiftPattern, pk=shift_id, site=site) if shift_id else None
    form = ShiftForm(request.POST if request.method == "POST" else None, instance=shift)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_save_shift(
                    actor=request.user,
                    site=site,
                    shift=shift,
                    kind=ShiftKind(form.cleaned_data["kind"]),
                    name=form.cleaned_data["name"],
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("workplaces:site-manage", slug=slug)
    return render(
        request,
        "workplaces/shift_edit.html",
        {"form": form, "site": site, "shift": shift},
        status=status,
    )


@login_required
@require_POST
def shift_remove(request: SignedInRequest, slug: str, shift_id: int) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    shift = get_object_or_404(ShiftPattern, pk=shift_id, site=site)
    actions.do_remove_shift(actor=request.user, shift=shift)
    return redirect("workplaces:site-manage", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: SignedInRequest, slug: str, unit_id: int | None = None) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    unit = get_object_or_404(BargainingUnit, pk=unit_id, site=site) if unit_id else None
    form = UnitForm(request.POST if request.method == "POST" else None, instance=unit, site=site)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_save_unit(
                    actor=request.user,
                    site=site,
                    unit=unit,
                    name=data["name"],
                    departments=data["departments"],
                    shifts=data["shifts"],
                    union_headcount=data["union_headcount"],
                    union_headcount_on=data["union_headcount_on"],
                    union_headcount_source=data["union_headcount_source"],
                    employer_headcount=data["employer_headcount"],
                    employer_headcount_on=data["employer_headcount_on"],
                    employer_headcount_source=data["employer_headcount_source"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("workplaces:site-manage", slug=slug)
    return render(
        request,
        "workplaces/unit_edit.html",
        {"form": form, "site": site, "unit": unit},
        status=status,
    )
