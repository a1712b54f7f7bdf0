from django.conf import settings

# Everything comes from this server: no CDN, no web font, no inline script (government
# intranets are closed, and a strict policy stops injected script).
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "ANWEN_CSP", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class LanguageMiddleware:
    """Simplified Chinese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English
    browser on a bureau desk would see English; the plan's users expect Chinese by default."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        response.headers.setdefault("Vary", "Cookie")
        return response


FOCUS_SESSION_KEY = "anwen_focus"


class FocusMiddleware:
    """Applies the centre or school a bureau or centre user narrowed the view to (kept in the
    session, so the choice sticks). `orgs.scope` ignores a focus outside the user's roles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from anwen.orgs.scope import set_focus

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            set_focus(user, request.session.get(FOCUS_SESSION_KEY))
        return self.get_response(request)
