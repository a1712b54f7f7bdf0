from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's own zh_Hans catalogue leaves the form label suffix an ASCII colon ("名称:"); ours,
# which takes precedence, gives the full-width one Chinese text uses. Written here so that
# makemessages keeps the entry.
LABEL_SUFFIX = gettext_noop(":")


class WebConfig(AppConfig):
    name = "anwen.web"
    label = "web"
    verbose_name = _("Web")
