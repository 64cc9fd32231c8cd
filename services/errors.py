"""The one place where refusals become call statuses."""

from __future__ import annotations

from rigd.domain import errors
from rigd.services.calls import Status

_STATUSES: tuple[tuple[type[errors.DomainError], Status], ...] = (
    (errors.InvalidArgument, Status.INVALID_ARGUMENT),
    (errors.NotFound, Status.NOT_FOUND),
    (errors.AlreadyExists, Status.ALREADY_EXISTS),
    (errors.FailedPrecondition, Status.FAILED_PRECONDITION),
    (errors.Aborted, Status.ABORTED),
    (errors.Unavailable, Status.UNAVAILABLE),
    (errors.Unauthenticated, Status.UNAUTHENTICATED),
    (errors.PermissionDenied, Status.PERMISSION_DENIED),
    (errors.ResourceExhausted, Status.RESOURCE_EXHAUSTED),
)


def status_of(error: errors.DomainError) -> Status:
    for kind, status in _STATUSES:
        if isinstance(error, kind):
            return status
    return Status.INTERNAL
