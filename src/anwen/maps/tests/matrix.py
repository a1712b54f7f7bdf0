"""The maps routes that take an object, for the permission matrix
(web/tests/test_permission_matrix.py): a bureau's boundary is seen by the users under that
bureau only."""

from django.utils import timezone

from anwen.maps.models import Boundary
from anwen.orgs.scope import full_scope_paths

OBJECT_ROUTES = {"maps:boundary_json": ("maps_boundary", "bureau")}

SQUARE = '{"type":"FeatureCollection","features":[]}'


def boundary_sampler(world, user, inside: bool) -> int:
    """The user's own district's bureau (inside) or the other district's (outside), each with
    a boundary."""
    roots = full_scope_paths(user)
    ours = world.B2 if roots and roots[0].startswith(world.B2.path) else world.B1
    bureau = ours if inside else (world.B1 if ours == world.B2 else world.B2)
    Boundary.objects.get_or_create(
        bureau=bureau,
        defaults={
            "file_name": "b.geojson",
            "geojson": SQUARE,
            "sha256": "0" * 64,
            "features": 0,
            "vertices": 0,
            "uploaded_at": timezone.now(),
        },
    )
    return bureau.pk


SAMPLERS = {"maps_boundary": boundary_sampler}
