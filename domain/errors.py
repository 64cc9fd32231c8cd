"""Kinds of refusal. Each aggregate declares its own errors beside it as subclasses."""


class DomainError(Exception):
    """A refused command or query, with a message a person understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    """The request itself is malformed."""


class NotFound(DomainError):
    """The request names something that does not exist."""


class AlreadyExists(DomainError):
    """The request would create something that exists already."""


class FailedPrecondition(DomainError):
    """The system is not in a state in which the request can be carried out."""


class Aborted(DomainError):
    """A concurrent change won; the caller may retry with fresh state."""


class Unavailable(DomainError):
    """A transient condition; the caller may retry the same request."""


class Unauthenticated(DomainError):
    """The caller did not prove who it is."""


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""


class ResourceExhausted(DomainError):
    """A limit was reached (too many attempts, too large a request); the message says which."""
