"""The printable sheet of a school's checkpoint QR codes (A4, six to a page), as PDF.

Each code holds the absolute address of the checkpoint's scan page, so any phone scanner
(WeChat's included) opens it; the page asks for a login and then records the scan.
"""

from collections.abc import Callable

import segno
import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone, translation

from anwen.orgs.models import Org
from anwen.patrol.models import Checkpoint


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def sheet_pdf(
    *, org: Org, checkpoints: list[Checkpoint], url_of: Callable[[Checkpoint], str]
) -> bytes:
    """`url_of(checkpoint)` gives the absolute scan address (request.build_absolute_uri)."""
    cards = [{"checkpoint": p, "qr": qr_data_uri(url_of(p))} for p in checkpoints]
    # The sheet is posted on Chinese walls whatever the language of the person printing it.
    with translation.override("zh-hans"):
        html = render_to_string(
            "patrol/sheet.html",
            {
                "org": org,
                "cards": cards,
                "printed_on": timezone.localdate(),
            },
        )
    return weasyprint.HTML(string=html).write_pdf()
