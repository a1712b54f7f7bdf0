"""One page of a long list: how every list of every app is cut into pages.

A library module (it imports no anwen app), so engines and web views alike may use it. The
template `web/pager.html` draws the links and keeps the list's filters in them. Exports do not
page: they take the whole filtered list, before `paginate` is called.
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], *, per_page: int = PER_PAGE
) -> Page:
    """The page of `items` that `?page=` asks for. A junk number answers the first page, one
    past the end (or a huge one) the last: a shared or stale link never fails. A queryset is
    counted and sliced in the database; a list (rows computed in Python) is sliced in memory."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# A filter's <select> offers at most this many choices (a school picker of a centre); beyond it
# the page leaves the picker out, and the user narrows by the top bar's search instead, so a
# page's weight does not grow with the district.
CHOICES_MAX = 100


def offers_choice(choices: QuerySet[Any]) -> bool:
    """Whether a filter picker of `choices` is worth drawing: more than one, not too many."""
    return 1 < choices.count() <= CHOICES_MAX
