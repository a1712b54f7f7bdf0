"""The one application error: a service refused the request, with a message for the user.

Every app's error (`FireError`, `DutyError`, …) subclasses `AppError`, so a view or the API
catches `AppError` once and shows the message on the form field it names. This module sits
below every app and imports none of them."""

from django_stubs_ext import StrOrPromise


class AppError(Exception):
    """A rule refused the request. `message` is for the user (it may be a lazy translation,
    rendered in the language active when it is shown); `field` names the input at fault, when
    there is one."""

    def __init__(self, message: StrOrPromise, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
