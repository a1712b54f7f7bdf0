"""How a case type's own fields read on the case page: a choice by its label, not its code."""

from django import template

register = template.Library()


@register.filter
def shown(field, value) -> str:
    return field.display(value)
