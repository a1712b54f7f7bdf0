"""The evidence routes that take a file, for the permission matrix (web/tests): a file of an org
inside the user's scope, and one of an org outside it."""

from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import png_bytes, upload
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "evidence:file": ("evidence_file", "pk"),
    "evidence:display": ("evidence_file", "pk"),
}

_ORGS = ("S1", "S2", "S3", "C1", "C2", "B1", "A1", "S9", "C9", "B2")


def file_sampler(world, user, inside: bool):
    seen = set(visible_orgs(user).values_list("pk", flat=True))
    org = next(world.orgs[key] for key in _ORGS if (world.orgs[key].pk in seen) == inside)
    return evidence_store(upload=upload("照片.png", png_bytes()), org=org, by=user).pk


SAMPLERS = {"evidence_file": file_sampler}
