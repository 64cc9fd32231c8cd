"""The one place where refusals, and the databases' failures, become call statuses."""

from __future__ import annotations

import sqlite3

import eventsourcing.persistence
import psycopg
from psycopg_pool import PoolTimeout, TooManyRequests

from rigd.adapters.postgres_pools import StoreUnreachable
from rigd.domain import context, errors
from rigd.services.calls import CallFailed, Status

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
    (context.DeadlineExceeded, Status.DEADLINE_EXCEEDED),
    (context.Cancelled, Status.CANCELLED),
)


def status_of(error: errors.DomainError) -> Status:
    for kind, status in _STATUSES:
        if isinstance(error, kind):
            return status
    return Status.INTERNAL


UNAVAILABLE_PREFIX = "the event store is unavailable"


def database_failure(error: BaseException, expired: bool) -> CallFailed | None:
    """The status of a call that failed on a database it could not reach, lost, or waited
    for in vain (None for any other failure). The driver's own text is never passed on: it
    may name hosts and users; the message says what happened in rigd's words. A wait cut
    short by the call's own deadline (statement_timeout, a pool wait) is DEADLINE_EXCEEDED."""
    reason = _unavailable_reason(error)
    if reason is None:
        return None
    if expired:
        return CallFailed(Status.DEADLINE_EXCEEDED, "the deadline passed while waiting for the event store")
    return CallFailed(Status.UNAVAILABLE, f"{UNAVAILABLE_PREFIX}: {reason}; try again")


def _unavailable_reason(error: BaseException) -> str | None:
    if isinstance(error, StoreUnreachable):
        return "the database does not answer (rigd checks it every second)"
    cause = error.__cause__ if isinstance(error, eventsourcing.persistence.PersistenceError) else None
    driver = cause or error
    if isinstance(driver, sqlite3.OperationalError):
        text = str(driver).lower()
        return "the database is locked by another writer" if "locked" in text or "busy" in text else None
    if isinstance(driver, psycopg.OperationalError | psycopg.InterfaceError):
        return _psycopg_reason(driver)
    if isinstance(error, eventsourcing.persistence.OperationalError | eventsourcing.persistence.InterfaceError):
        return "the connection failed"
    return None


def _psycopg_reason(error: psycopg.Error) -> str:
    if isinstance(error, PoolTimeout | TooManyRequests):
        return "no database connection became free in time"
    if isinstance(error, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable):
        return "the database did not answer in time"
    if isinstance(error, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow):
        return "the database is shutting down or starting up"
    return "the connection to the database failed or was lost"
