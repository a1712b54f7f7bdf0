"""How large a zip package (XLSX, DOCX) may be once unpacked, judged before anything inflates.

An Office file is a zip: 100 KB on the wire can declare gigabytes of XML, and a reader
(openpyxl, a docx parser) inflates what the directory declares. The directory's sizes are what
any reader inflates to (zipfile stops there), so bounding their sum and the number of parts
bounds every later opening of the file. The evidence store and the org/staff import both check
here, before they open the package. A library module: it imports no app.
"""

import zipfile

from django.utils.translation import gettext as _

from anwen.errors import AppError


class ZipTooLarge(AppError):
    """The package unpacks to more than its reader accepts; the message is for the user."""


def size_label(n: int) -> str:
    """A limit as people say it: "20 MB", "1.5 MB", "500 KB" (the same in Chinese)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024))} KB"


def check_bounds(archive: zipfile.ZipFile, *, max_unzipped: int, max_entries: int) -> None:
    """Raise ZipTooLarge when `archive` holds more than `max_entries` parts or declares more
    than `max_unzipped` bytes unpacked. Reads the directory only."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise ZipTooLarge(_("The document holds too many parts to be accepted."))
    if sum(entry.file_size for entry in entries) > max_unzipped:
        raise ZipTooLarge(
            _("The document is too large once unpacked (more than %(limit)s).")
            % {"limit": size_label(max_unzipped)}
        )
