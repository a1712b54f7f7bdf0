"""The school map page, its data, and the boundary upload. Thin: selectors and services hold
the rules, orgs.scope every guard."""

import json
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anwen.forms import is_id
from anwen.maps import marks, overlays, selectors, services
from anwen.maps.geojson import MAX_BYTES, MAX_VERTICES, BoundaryError
from anwen.orgs.scope import access_org, has_perm, perm_required, pick_org

VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "echarts"


@cache
def echarts_static() -> str:
    """The vendored ECharts file, as scripts/vendor-echarts recorded it in the manifest."""
    manifest = json.loads((VENDOR / "manifest.json").read_text())
    return f"vendor/echarts/{manifest['file']}"


def _map_org(request):
    """`?org=` (a centre or school the user sees) or None for the user's whole view."""
    wanted = request.GET.get("org", "")
    return access_org(request.user, wanted) if wanted else None


def _query(request) -> str:
    keep = {k: request.GET[k] for k in ("org", "layer") if request.GET.get(k)}
    return f"?{urlencode(keep)}" if keep else ""


@perm_required(selectors.VIEW)
@require_GET
def index(request):
    org = _map_org(request)
    layer = marks.layer(request.GET.get("layer"))
    # The page lists the schools it cannot place; the chart fetches the marks itself.
    everyone = selectors.points(request.user, org=org)
    unplaced = [p for p in everyone if p.lon is None]
    return render(
        request,
        "maps/index.html",
        {
            "org": org,
            "layer": layer,
            "layers": marks.layers(),
            "data_url": reverse("maps:data") + _query(request),
            "echarts": echarts_static(),
            "placed": len(everyone) - len(unplaced),
            "unplaced": unplaced,
            "boundary": selectors.boundary_for(request.user, org),
            "can_upload": has_perm(request.user, selectors.MANAGE),
        },
    )


@perm_required(selectors.VIEW)
@require_GET
def data(request):
    """The map as JSON: the schools with coordinates and marks, those without, the legend and
    where the boundary is, and the overlays' places (the waters near schools). One query for
    the schools, one for the boundary, plus the provider's and the overlays' own (constant)
    queries, however many schools there are."""
    org = _map_org(request)
    layer = marks.layer(request.GET.get("layer"))
    found = selectors.points(request.user, org=org, layer=layer)
    boundary = selectors.boundary_for(request.user, org)
    levels = layer.levels() if layer is not None else [marks.PLAIN]
    return JsonResponse(
        {
            "org": {"id": org.pk, "name": org.name} if org else None,
            "layer": {"name": layer.name, "label": str(layer.label)} if layer else None,
            "levels": [
                {
                    "level": lv.level,
                    "label": str(lv.label),
                    "colour": lv.colour,
                    "symbol": lv.symbol,
                }
                for lv in levels
            ],
            "boundary": (
                {
                    "url": reverse("maps:boundary_json", args=[boundary.bureau_id]),
                    "sha256": boundary.sha256,
                }
                if boundary
                else None
            ),
            "schools": [
                {
                    "id": p.school.pk,
                    "name": p.school.name,
                    "lon": p.lon,
                    "lat": p.lat,
                    "level": p.mark.level,
                    "label": p.mark.label,
                    "link": p.mark.link,
                }
                for p in found
                if p.lon is not None
            ],
            "unplaced": [
                {"id": p.school.pk, "name": p.school.name, "link": p.mark.link}
                for p in found
                if p.lon is None
            ],
            "overlays": [_overlay(o, request.user, org) for o in overlays.overlays()],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _overlay(overlay: overlays.Overlay, user, org) -> dict:
    """An overlay's series and its points (what the user may see of it, below `org`)."""
    return {
        "name": overlay.name,
        "label": str(overlay.label),
        "series": [
            {"key": s.key, "label": str(s.label), "colour": s.colour, "symbol": s.symbol}
            for s in overlay.series
        ],
        "points": [
            {
                "series": p.series,
                "name": p.name,
                "lon": p.lon,
                "lat": p.lat,
                "label": p.label,
                "link": p.link,
            }
            for p in overlay.points(user, org)
        ],
    }


@login_required
@require_GET
def boundary_json(request, bureau: int):
    """A bureau's boundary GeoJSON, for the users under that bureau only (404 otherwise)."""
    if not is_id(bureau):
        raise Http404
    boundary = selectors.boundary_text(request.user, int(bureau))
    if boundary is None:
        raise Http404
    etag = f'"{boundary.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = HttpResponse(boundary.geojson, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@perm_required(selectors.MANAGE)
@require_http_methods(["GET", "POST"])
def boundary_upload(request):
    bureaus = list(selectors.managed_bureaus(request.user))
    if not bureaus:
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        bureau = pick_org(request, bureaus)
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose the boundary's GeoJSON file to upload.")]
        else:
            try:
                services.boundary_upload(
                    bureau=bureau, file=upload, by=request.user, request=request
                )
            except BoundaryError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("The district boundary of %(bureau)s is saved: the map draws it now.")
                    % {"bureau": bureau.name},
                )
                return redirect("maps:boundary")
    current = {b.bureau_id: b for b in selectors.boundaries_of(bureaus)}
    return render(
        request,
        "maps/boundary.html",
        {
            "rows": [(bureau, current.get(bureau.pk)) for bureau in bureaus],
            "problems": problems,
            "max_mb": MAX_BYTES // (1024 * 1024),
            "max_vertices": MAX_VERTICES,
        },
        status=400 if problems else 200,
    )


@perm_required(selectors.MANAGE)
@require_POST
def boundary_delete(request):
    """Take the bureau's boundary off the map; the upload page says what happened."""
    bureau = pick_org(request, list(selectors.managed_bureaus(request.user)))
    if services.boundary_delete(bureau=bureau, by=request.user, request=request):
        messages.success(
            request,
            _(
                "The district boundary of %(bureau)s is deleted: the map draws the schools "
                "by longitude and latitude until a new boundary is uploaded."
            )
            % {"bureau": bureau.name},
        )
    else:
        messages.info(request, _("%(bureau)s has no boundary to delete.") % {"bureau": bureau.name})
    return redirect("maps:boundary")
