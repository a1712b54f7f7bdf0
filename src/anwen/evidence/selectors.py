"""Reading evidence files: the one guard every view goes through, and the list of a scope."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from anwen import audit
from anwen.evidence import registry
from anwen.evidence.models import EvidenceFile
from anwen.orgs.scope import scoped


def may_open(user, file: EvidenceFile) -> bool:
    """The rule: the user may open a record that holds the file, as the record's own app
    answers through the registry (registry.py); a file no registered record holds opens to
    nobody, whatever its org."""
    if not getattr(user, "is_authenticated", False):
        return False
    return registry.opens(user, file)


def access_file(user, pk, *, request=None) -> EvidenceFile:
    """The file `pk` if the user may open it, else 404 (missing and forbidden alike). Opening
    a confidential file is recorded in the audit trail."""
    try:
        file = EvidenceFile.objects.select_related("org").filter(pk=pk).first()
    except (ValueError, ValidationError):  # not a UUID at all
        file = None
    if file is None or not may_open(user, file):
        raise Http404
    if file.confidential:
        audit.record_view(actor=user, obj=file, request=request)
    return file


def evidence_list(user, *, kind: str = "", mine: bool = False, q: str = "") -> QuerySet:
    """Files of the user's (narrowed) scope that the user may open (through their records),
    newest first; confidential files are never listed, whatever their records grant."""
    files = scoped(EvidenceFile.objects.filter(confidential=False), user).filter(
        registry.openable_q(user)
    )
    if kind:
        files = files.filter(kind=kind)
    if mine:
        files = files.filter(uploaded_by=user)
    if q:
        files = files.filter(name__icontains=q)
    return files.select_related("org", "uploaded_by").order_by("-uploaded_at", "pk")
