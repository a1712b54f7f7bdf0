"""The public pages for parents: no login, phone first, everything under /public/ (the only
prefix an operator exposes outside; README). Personal data never enters a URL: every form
posts, and the tracking code reaches its page through the session, shown once."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anwen.cases import intake
from anwen.errors import AppError
from anwen.once.models import Claim
from anwen.once.tokens import AlreadySent, claim

from . import challenge, limits
from .forms import ChallengeForm, StatusForm, WriteInForm

_CODE = "anwen_public_code"  # the session key the new tracking code waits under, once
ALREADY_SENT = gettext_lazy(
    "This form was already sent, and its record saved once: there is nothing more to do."
)


def _challenge_context(errors=None) -> dict:
    token = challenge.issue()
    question = challenge.question_of(token)
    assert question is not None  # noqa: S101 - a token just issued is valid
    return {
        "challenge_form": ChallengeForm(initial={"challenge": token}),
        "challenge_url": reverse("public:challenge", args=[token]),
        "challenge_alt": challenge.alt_text(question),
        "challenge_errors": errors or [],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def write_in(request):
    bureaus = intake.public_bureaus()
    if not bureaus:
        return render(request, "public/closed.html", status=503)
    form = WriteInForm(
        request.POST or None,
        request.FILES or None,
        bureaus=bureaus,
        initial={"bureau": bureaus[0].pk},
    )
    status, errors = 200, []
    if request.method == "POST":
        status = 400
        check = ChallengeForm(request.POST)
        try:
            limits.count_post(request, limits.WRITE_IN)
        except limits.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            answered = check.is_valid()
            if not answered:
                errors = [_("Answer the check question (a number).")]
            if form.is_valid() and answered:
                if _sent_before(form.cleaned_data["once"]):
                    # A double tap: the first post was taken (and used the question up).
                    messages.info(request, ALREADY_SENT)
                    return redirect("public:status")
                try:
                    challenge.check(check.cleaned_data["challenge"], check.cleaned_data["answer"])
                except challenge.ChallengeError as exc:
                    errors = [str(exc)]
                else:
                    done = _register(request, form, bureaus)
                    if done is not None:
                        return done
    context = {
        "form": form,
        "bureaus": bureaus,
        "files_to_choose_again": bool(request.FILES),
        **_challenge_context(errors),
    }
    return render(request, "public/write_in.html", context, status=status)


def _sent_before(once: str) -> bool:
    """Whether this form's one-time token was claimed already: told as "already sent", not
    as a used-up question. Only a courtesy; the claim in `_register` is the guard."""
    return bool(once) and Claim.objects.filter(token=once).exists()


def _register(request, form: WriteInForm, bureaus):
    """Hand the write-in to the case engine; the redirect to the code's page, or None with
    the refusal on the form."""
    d = form.cleaned_data
    bureau = next(b for b in bureaus if b.pk == d["bureau"])
    try:
        with transaction.atomic():
            claim(d["once"])
            code = intake.write_in(
                bureau=bureau,
                subject=d["subject"],
                content=d["content"],
                name=d["name"],
                phone=d["phone"],
                files=d["files"],
                request=request,
            )
    except AlreadySent as exc:
        messages.info(request, str(exc))
        return redirect("public:status")
    except AppError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None
    request.session[_CODE] = code
    return redirect("public:done")


@never_cache
@require_GET
def done(request):
    """The tracking code, once: a reload (or anyone after) finds it gone."""
    code = request.session.pop(_CODE, None)
    return render(request, "public/done.html", {"code": code})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Stage and reply for a tracking code. Every code that finds nothing, whatever it looks
    like, gets the same page and the same words."""
    form = StatusForm(request.POST or None)
    found, unknown, code = None, False, 200
    if request.method == "POST":
        try:
            limits.count_post(request, limits.LOOKUP)
        except limits.RateLimited as exc:
            form.add_error(None, str(exc))
            code = 429
        else:
            if form.is_valid():
                typed = form.cleaned_data["code"]
                found = intake.public_status(typed)  # the same work for every wrong code
                unknown = found is None
                form = StatusForm()  # the code is a key: never written back into the page
            else:
                code = 400
    return render(
        request,
        "public/status.html",
        {"form": form, "found": found, "unknown": unknown},
        status=code,
    )


@never_cache
@require_GET
def challenge_picture(request, token: str):
    # Counted before the token is read: a forged token costs a count like a real one.
    try:
        limits.count_post(request, limits.PICTURE)
    except limits.RateLimited as exc:
        # An image cannot show a sentence; the page's question stays readable in words (its
        # alternative text), so a parent over the limit can still answer it.
        return HttpResponse(str(exc), status=429, content_type="text/plain; charset=utf-8")
    question = challenge.question_of(token)
    if question is None:
        raise Http404
    response = HttpResponse(challenge.picture(question, token), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def challenge_new(request):
    """A fresh question for the page's "another question" button (writes only its count)."""
    try:
        limits.count_post(request, limits.PICTURE)
    except limits.RateLimited as exc:
        return JsonResponse({"detail": str(exc)}, status=429)
    context = _challenge_context()
    return JsonResponse(
        {
            "token": context["challenge_form"].initial["challenge"],
            "url": context["challenge_url"],
            "alt": context["challenge_alt"],
        }
    )
