"""The bell's pages: a person's notices, marking them read, their channels; and for
administrators, what could not be sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anwen.http import safe_next
from anwen.orgs.models import Person
from anwen.orgs.scope import has_perm, perm_required
from anwen.outbox import selectors, services
from anwen.outbox.forms import PreferenceForm
from anwen.outbox.services import mobile_number
from anwen.paging import paginate


@login_required
def index(request):
    page = paginate(request, selectors.notices_of(request.user), per_page=30)
    return render(
        request,
        "outbox/index.html",
        {
            "page": page,
            "unread": selectors.unread_count(request.user),
            "sees_failed": has_perm(request.user, selectors.ADMIN_PERM),
        },
    )


@login_required
def read(request, pk):
    # Found first, so another person's notice is 404 to a GET as to a POST.
    delivery = selectors.access_notice(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.notice_mark_read(delivery=delivery)
    # "Open" marks the notice read and follows its link (a path on this site, checked when
    # it was announced); "mark read" stays on the list.
    if request.POST.get("open") and delivery.notice.link:
        return redirect(services.safe_link(delivery.notice.link) or "outbox:index")
    return redirect(safe_next(request) or "outbox:index")


@login_required
@require_POST
def read_all(request):
    # Twice is harmless: the second marks nothing.
    if services.notices_mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked read."))
    return redirect(safe_next(request) or "outbox:index")


@login_required
def preferences(request):
    current = services.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            email, sms = form.cleaned_data["email"], form.cleaned_data["sms"]
            if (email, sms) != (current.email, current.sms):
                services.preference_save(user=request.user, email=email, sms=sms, request=request)
            messages.success(request, _("Your notification settings were saved."))
            return redirect("outbox:preferences")
    else:
        form = PreferenceForm(initial={"email": current.email, "sms": current.sms})
    person = Person.objects.filter(user=request.user).only("phone").first()
    return render(
        request,
        "outbox/preferences.html",
        {
            "form": form,
            "email_address": request.user.email,
            "mobile": mobile_number(person.phone if person else ""),
        },
    )


@perm_required(selectors.ADMIN_PERM)
def failed(request):
    page = paginate(request, selectors.failed_deliveries(request.user))
    return render(request, "outbox/failed.html", {"page": page})


@perm_required(selectors.ADMIN_PERM)
def retry(request, pk):
    delivery = selectors.access_failed(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        retried = services.delivery_retry(delivery=delivery, by=request.user, request=request)
    except services.RetryRefused as exc:
        messages.error(request, str(exc))
    else:
        if retried:
            messages.success(request, _("The message will be sent again."))
    return redirect("outbox:failed")
