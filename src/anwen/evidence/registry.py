"""Readers: how an engine grants access to a file beyond the org scope.

A file is open to whoever may see its org (`orgs.view` over it), unless it is confidential.
Some people need a file outside their scope (an agency inspector invited to a joint inspection
sees its photos), and a confidential file (of a petition, of a student's case) is open only to
those its record names (the case's handlers). The engine that holds the record knows; it
registers a reader in its AppConfig.ready:

    from anwen.evidence.registry import register_reader

    def joint_inspection_photos(user, file) -> bool:
        return Finding.photos.through.objects.filter(
            evidencefile_id=file.pk, finding__inspection__invitations__agency__in=...).exists()

    register_reader(joint_inspection_photos)

A reader answers for one file (`fn(user, file) -> bool`), is only asked when the scope does not
already open the file (or the file is confidential), and must be cheap: one query at most.
A confidential file's every opening is recorded in the audit trail.
"""

from collections.abc import Callable

Reader = Callable[..., bool]

_READERS: list[Reader] = []


def register_reader(fn: Reader) -> Reader:
    """Add a reader (idempotent: AppConfig.ready may run more than once). Usable as a
    decorator."""
    if fn not in _READERS:
        _READERS.append(fn)
    return fn


def readers() -> tuple[Reader, ...]:
    return tuple(_READERS)


def granted(user, file) -> bool:
    """Whether a registered reader opens `file` to `user`."""
    return any(reader(user, file) for reader in _READERS)
