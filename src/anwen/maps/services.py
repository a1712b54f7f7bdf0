"""Writes of the maps app: a bureau's boundary, uploaded or replaced."""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from anwen import audit
from anwen.maps import geojson
from anwen.maps.models import Boundary
from anwen.orgs.models import Org, OrgKind


def boundary_upload(*, bureau: Org, file, by, request=None) -> Boundary:
    """Check the whole file, then keep it as the bureau's one current boundary (replacing the
    previous one). Raises geojson.BoundaryError with every problem found; nothing is written
    then. The caller has checked that `by` may manage `bureau`'s map."""
    if bureau.kind != OrgKind.BUREAU:
        raise ValueError("a boundary belongs to a bureau")
    if getattr(file, "size", 0) > geojson.MAX_BYTES:  # refused before a byte is read
        raise geojson.BoundaryError([geojson.too_big_message()])
    checked = geojson.check(file.read(geojson.MAX_BYTES + 1))
    text = json.dumps(checked.geojson, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    name = (getattr(file, "name", "") or "boundary.geojson")[:200]
    with transaction.atomic():
        # One upload at a time per bureau: two at once give one row, the later file winning.
        Org.objects.select_for_update().filter(pk=bureau.pk).first()
        previous = Boundary.objects.filter(bureau=bureau).first()
        previous_sha = previous.sha256 if previous else None
        fields = {
            "file_name": name,
            "geojson": text,
            "sha256": digest,
            "features": checked.features,
            "vertices": checked.vertices,
            "uploaded_by": by,
            "uploaded_at": timezone.now(),
        }
        # Where the database has no row locks (SQLite), a second upload at the same moment may
        # still find none: the one-per-bureau constraint then makes it a replacement.
        boundary, created = Boundary.objects.update_or_create(bureau=bureau, defaults=fields)
        audit.record(
            actor=by,
            action="maps.boundary.uploaded" if created else "maps.boundary.replaced",
            obj=boundary,
            org=bureau,
            request=request,
            data={
                "file_name": name,
                "sha256": digest,
                "features": checked.features,
                "vertices": checked.vertices,
                "previous_sha256": previous_sha,
            },
        )
    return boundary


def boundary_delete(*, bureau: Org, by, request=None) -> bool:
    """Take the bureau's boundary off the map (a wrong file, or an outline no longer
    official); the map then draws the schools by longitude and latitude. False when there was
    none (a second click, or two people at once): nothing is written then. The caller has
    checked that `by` may manage `bureau`'s map."""
    with transaction.atomic():
        previous = Boundary.objects.select_for_update().filter(bureau=bureau).first()
        if previous is None:
            return False
        data = {"file_name": previous.file_name, "sha256": previous.sha256}
        previous.delete()
        audit.record(
            actor=by,
            action="maps.boundary.deleted",
            obj=bureau,
            org=bureau,
            request=request,
            data=data,
        )
    return True
