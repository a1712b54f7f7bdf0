"""Sending a text message: an adapter interface and its two back-ends.

Chinese SMS gateways are HTTP APIs that differ only in URL, method, headers and the shape of
the body, so one configurable HTTP back-end covers them; the console back-end prints (the demo,
a laptop). Chosen by `ANWEN_SMS_BACKEND` ("console" or "http"); the HTTP one reads
`ANWEN_SMS_URL`, `ANWEN_SMS_METHOD`, `ANWEN_SMS_HEADERS` (a JSON object), `ANWEN_SMS_TOKEN`
(sent as `Authorization: Bearer …`), `ANWEN_SMS_BODY` (a template with {mobile} and {text}),
`ANWEN_SMS_CONTENT_TYPE`, `ANWEN_SMS_OK_TEXT` and `ANWEN_SMS_TIMEOUT` (see settings.py).
"""

import json
import sys
import urllib.request
from collections.abc import Callable
from typing import Protocol
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SmsError(Exception):
    """The gateway refused or did not answer; the worker retries later."""


class SmsBackend(Protocol):
    def send(self, *, mobile: str, text: str) -> None:
        """Hand one message to the gateway; raise SmsError (or OSError) when it was not taken."""


class ConsoleSmsBackend:
    """Prints the message, text and all, as Django's console e-mail back-end does: for the demo
    and a laptop only (a worker's output may end up in a log), never for production."""

    def send(self, *, mobile: str, text: str) -> None:
        sys.stdout.write(f"SMS to {mobile}: {text}\n")
        sys.stdout.flush()


def _fill(template: str, *, mobile: str, text: str, escape: Callable[[str], str]) -> str:
    # Plain replacement rather than str.format: a JSON body is full of other braces.
    return template.replace("{mobile}", escape(mobile)).replace("{text}", escape(text))


def _json_escape(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _url_escape(value: str) -> str:
    return quote(value, safe="")


def _as_is(value: str) -> str:
    return value


class HttpSmsBackend:
    """One request per message to the configured gateway; any 2xx answer (containing
    `ANWEN_SMS_OK_TEXT` when that is set) counts as taken."""

    def __init__(self) -> None:
        self.url = settings.ANWEN_SMS_URL
        if not self.url.startswith(("http://", "https://")):
            raise ImproperlyConfigured("ANWEN_SMS_URL must be an http:// or https:// URL.")
        self.method = settings.ANWEN_SMS_METHOD.upper()
        self.headers = dict(settings.ANWEN_SMS_HEADERS)
        if settings.ANWEN_SMS_TOKEN:
            self.headers.setdefault("Authorization", f"Bearer {settings.ANWEN_SMS_TOKEN}")
        self.body = settings.ANWEN_SMS_BODY
        self.content_type = settings.ANWEN_SMS_CONTENT_TYPE
        self.ok_text = settings.ANWEN_SMS_OK_TEXT
        self.timeout = settings.ANWEN_SMS_TIMEOUT

    def request(self, *, mobile: str, text: str) -> urllib.request.Request:
        url = _fill(self.url, mobile=mobile, text=text, escape=_url_escape)
        data = None
        headers = dict(self.headers)
        if self.method != "GET":
            escape: Callable[[str], str] = _as_is
            if "json" in self.content_type:
                escape = _json_escape
            elif "x-www-form-urlencoded" in self.content_type:
                escape = _url_escape
            data = _fill(self.body, mobile=mobile, text=text, escape=escape).encode()
            headers.setdefault("Content-Type", self.content_type)
        return urllib.request.Request(url, data=data, headers=headers, method=self.method)  # noqa: S310 - scheme checked in __init__

    def send(self, *, mobile: str, text: str) -> None:
        request = self.request(mobile=mobile, text=text)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked above
                answer = response.read(65536).decode("utf-8", "replace")
                status = response.status
        except OSError as exc:  # URLError, HTTPError, timeouts, refused connections
            # The reason only: a GET gateway's URL would carry the message text.
            reason = getattr(exc, "code", None) or getattr(exc, "reason", None) or type(exc)
            raise SmsError(f"gateway did not take the message: {reason}") from None
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")
        if self.ok_text and self.ok_text not in answer:
            raise SmsError("gateway answered without the success marker")


BACKENDS: dict[str, type] = {"console": ConsoleSmsBackend, "http": HttpSmsBackend}


def sms_backend() -> SmsBackend:
    name = settings.ANWEN_SMS_BACKEND
    try:
        backend_class = BACKENDS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"ANWEN_SMS_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}."
        ) from None
    return backend_class()
