"""`{% page_url n %}`: the current address with another page number, every filter kept.

Repeated parameters (a multi-select filter: ?state=open&state=overdue) keep every value, which a
loop over request.GET.items() would not: that keeps only the last."""

from django import template
from django.template.context import Context

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: Context, number: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
