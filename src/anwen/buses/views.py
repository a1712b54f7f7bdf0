"""The buses app's own pages: the pre-departure check on a phone (五不出校) and the trips it
recorded. The registers of buses, drivers and attendants are the registers' generic pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anwen.errors import AppError
from anwen.once.tokens import AlreadySent
from anwen.paging import paginate

from . import checks, selectors, services
from .forms import CheckForm
from .models import Trip


@require_http_methods(["GET", "POST"])
@login_required
def check(request):
    if not selectors.can_check(request.user):
        raise Http404
    today = timezone.localdate()
    bus_id = request.GET.get("bus", "") or request.POST.get("bus", "")
    if not bus_id:
        buses = [
            {"bus": bus, "problems": checks.bus_problems(bus, today)}
            for bus in selectors.checkable_buses(request.user)
        ]
        return render(request, "buses/pick.html", {"buses": buses})
    bus = selectors.access_bus(request.user, bus_id)
    own = selectors.attendant_of_user(request.user, bus.org)
    last = selectors.last_driver(bus)
    form = CheckForm(
        request.POST if request.method == "POST" else None,
        drivers=selectors.drivers_of(bus.org),
        attendants=selectors.attendants_of(bus.org),
        conditions=services.conditions_for(bus, today),
        own_attendant=own,
        initial={"driver": last.pk if last else None},
    )
    _label_drivers(form, today)
    if request.method == "POST" and form.is_valid():
        try:
            trip = services.trip_check(
                bus=bus,
                driver=form.cleaned_data["driver"],
                attendant=own or form.cleaned_data.get("attendant"),
                students=form.cleaned_data["students"],
                answers=form.answers(),
                by=request.user,
                once=form.cleaned_data.get("once", ""),
                request=request,
            )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("buses:trips")
        except AppError as exc:
            form.add_error(None, str(exc))
        else:
            if trip.outcome == Trip.Outcome.DEPARTED:
                messages.success(
                    request,
                    _("%(plate)s may depart: every condition is met.") % {"plate": bus.plate},
                )
            else:
                messages.error(
                    request,
                    _(
                        "%(plate)s does NOT depart. %(why)s. The school's safety officer and "
                        "principal have been told."
                    )
                    % {"plate": bus.plate, "why": "；".join(trip.reason.splitlines())},
                )
            return redirect("buses:trips")
    return render(
        request,
        "buses/check.html",
        {
            "bus": bus,
            "form": form,
            "own": own,
            "problems": checks.bus_problems(bus, today),
        },
        status=400 if request.method == "POST" else 200,
    )


def _label_drivers(form: CheckForm, today) -> None:
    """Each driver named with their licence class, and marked when not qualified today."""
    field = form.fields["driver"]

    def label(driver) -> str:
        text = f"{driver.name}（{driver.licence_class}）"
        if checks.driver_problems(driver, today):
            text += " · " + _("not qualified")
        return text

    field.label_from_instance = label  # type: ignore[attr-defined]


@require_GET
@login_required
def trips(request):
    if not selectors.can_see_trips(request.user):
        raise Http404
    rows = selectors.visible_trips(request.user)
    outcome = request.GET.get("outcome", "")
    if outcome in Trip.Outcome.values:
        rows = rows.filter(outcome=outcome)
    else:
        outcome = ""
    page = paginate(request, rows)
    return render(
        request,
        "buses/trips.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": Trip.Outcome.choices,
            "can_check": selectors.can_check(request.user),
            "sees_buses": selectors.sees_registers(request.user),
        },
    )
