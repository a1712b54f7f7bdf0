from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from anwen.accounts import selectors, services, twofactor
from anwen.accounts.forms import CodeForm, LoginForm, TokenForm
from anwen.accounts.middleware import touch_session
from anwen.http import safe_next
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.scope import needs_two_factor


def _safe_next(request) -> str:
    """`next` when it is a path on this site, else "" (no open redirect, never reverse()d)."""
    return safe_next(request)


def _next_url(request) -> str:
    return _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_with_password(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            auth_login(request, user)  # a new session key: no fixation
            touch_session(request.session)  # saved now anyway: its idle clock starts here
            # A password login starts the second factor afresh, even in a verified session.
            twofactor.forget(request.session)
            next_url = _next_url(request)
            if needs_two_factor(user):
                return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
            return redirect(next_url)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _safe_next(request),
            "demo": settings.DEMO,
        },
    )


@login_required
@sensitive_post_parameters("code")
@never_cache
def two_factor(request):
    user = request.user
    if not needs_two_factor(user) or twofactor.is_verified(request.session):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_verify(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except services.AccountError as error:
            if error.locked_until is None:
                form.add_error(None, error.message)
            else:
                # Locked: the half-open session ends; the login page says until when.
                auth_logout(request)
                messages.error(request, error.message)
                return redirect("accounts:login")
        else:
            twofactor.mark_verified(request.session)
            request.session.cycle_key()
            return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _safe_next(request),
        "enrolling": user.totp_confirmed_at is None,
    }
    if context["enrolling"]:
        secret = services.totp_enrol_start(user=user)
        context["secret"] = twofactor.group(secret)
        context["qr_svg"] = twofactor.qr_svg(
            twofactor.provisioning_uri(secret=secret, username=user.username)
        )
    return render(request, "accounts/two_factor.html", context)


def _security_page(request, *, password_form=None, token_form=None, new_key="", status=200):
    return render(
        request,
        "accounts/security.html",
        {
            "password_form": password_form or PasswordChangeForm(request.user),
            "token_form": token_form or TokenForm(),
            "tokens": selectors.tokens_of(request.user),
            "new_key": new_key,
            "two_factor": needs_two_factor(request.user),
        },
        status=status,
    )


@login_required
@never_cache
def security(request):
    return _security_page(request)


@login_required
@require_POST
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _security_page(request, password_form=form)
    user = services.password_change(
        user=request.user, new_password=form.cleaned_data["new_password1"], request=request
    )
    update_session_auth_hash(request, user)  # stay logged in here, other sessions end
    messages.success(request, _("Your password was changed."))
    return redirect("accounts:security")


@login_required
@require_POST
@never_cache
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _security_page(request, token_form=form)
    try:
        with transaction.atomic():
            claim(form.cleaned_data["once"])
            _token, key = services.token_create(
                user=request.user, name=form.cleaned_data["name"], by=request.user, request=request
            )
    except AlreadySent:
        # The key was shown to the first answer only; it is not shown again, and no other made.
        messages.info(
            request,
            _(
                "This token was already created; its key was shown only once, when it was made. "
                "If you did not copy it, revoke the token and create a new one."
            ),
        )
        return redirect("accounts:security")
    except services.AccountError as error:
        form.add_error(None, error.message)
        return _security_page(request, token_form=form)
    # Rendered, not redirected: the key is shown this once and never stored (not even in a
    # message cookie).
    return _security_page(request, new_key=key)


@login_required
@require_POST
def token_revoke(request):
    token = selectors.access_token(request.user, request.POST.get("token"))
    services.token_revoke(token=token, by=request.user, request=request)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:security")
