"""Container image references as Docker reads them: `[registry[:port]/]path[:tag][@digest]`.

A name without a registry is Docker Hub's (`index.docker.io`), and a one-component name there
is an official image (`library/<name>`). A reference with neither tag nor digest means the tag
`latest`. The image id of an image is `<registry>/<path>@<digest>` when its digest is known,
else its normalized name (`<registry>/<path>:<tag>`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rigd.domain.errors import InvalidArgument
from rigd.domain.naming import quoted

DOCKER_HUB = "index.docker.io"
# Names Docker Hub goes by in references and in docker configuration files.
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
DEFAULT_TAG = "latest"
MAX_NAME_LENGTH = 255

_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_HOST_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = re.compile(rf"(?:{_HOST_LABEL}(?:\.{_HOST_LABEL})*|\[[0-9a-fA-F:.]+\])(?::[0-9]{{1,5}})?")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}")
_SHA256 = re.compile(r"sha256:[a-f0-9]{64}")


class InvalidImageReference(InvalidArgument):
    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"invalid image reference {quoted(reference)}: {reason}")


@dataclass(frozen=True)
class ImageReference:
    """A parsed, normalized reference. `tag` is "" only when a digest names the image."""

    registry: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def repository(self) -> str:
        """The repository with its registry, e.g. `index.docker.io/library/nginx` (Image.repository)."""
        return f"{self.registry}/{self.path}"

    @property
    def name(self) -> str:
        """The normalized name without digest: `<registry>/<path>:<tag>` (or without tag)."""
        return f"{self.repository}:{self.tag}" if self.tag else self.repository

    def image_id(self, digest: str = "") -> str:
        """The image's id: by digest when one is known (`digest`, else the reference's own)."""
        known = digest or self.digest
        return f"{self.repository}@{known}" if known else self.name

    def with_digest(self, digest: str) -> ImageReference:
        return replace(self, digest=digest)

    def __str__(self) -> str:
        return f"{self.name}@{self.digest}" if self.digest else self.name


def normalize_registry(host: str) -> str:
    """A registry host as references name it: Docker Hub's aliases are `index.docker.io`."""
    lowered = host.lower()
    return DOCKER_HUB if lowered in _HUB_ALIASES else host


def validate_registry_host(host: str) -> str:
    """A registry host with an optional port (`ghcr.io`, `localhost:5000`); a URL's scheme and
    path, as docker configuration files write them (`https://index.docker.io/v1/`), are dropped."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", host.strip()).split("/", 1)[0]
    if not bare or not _HOST.fullmatch(bare):
        raise InvalidArgument(f"invalid docker registry host {quoted(host)}")
    return normalize_registry(bare)


def validate_digest(digest: str, field: str = "digest") -> str:
    if not _DIGEST.fullmatch(digest):
        raise InvalidArgument(f"{field} {quoted(digest)} is not a digest such as 'sha256:<64 hex digits>'")
    if digest.startswith("sha256:") and not _SHA256.fullmatch(digest):
        raise InvalidArgument(f"{field} {quoted(digest)} is not a sha256 digest of 64 lower-case hex digits")
    return digest


def parse_reference(reference: str) -> ImageReference:
    """Parses and normalizes `reference`; a malformed one is InvalidArgument."""
    if not reference:
        raise InvalidArgument("image must not be empty")
    rest, _, digest = reference.partition("@")
    if digest:
        try:
            validate_digest(digest)
        except InvalidArgument:
            raise InvalidImageReference(reference, "the digest is malformed") from None
    registry, path = _split_registry(rest, reference)
    last = path.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        path, _, tag = path.rpartition(":")
        if not _TAG.fullmatch(tag):
            raise InvalidImageReference(reference, "the tag is malformed")
    components = path.split("/")
    if not all(_COMPONENT.fullmatch(component) for component in components):
        raise InvalidImageReference(
            reference, "a repository path is lower-case letters, digits and separators ('.', '_', '-', '/')")
    if registry == DOCKER_HUB and len(components) == 1:
        path = f"library/{path}"
    if len(f"{registry}/{path}") > MAX_NAME_LENGTH:
        raise InvalidImageReference(reference, f"the name is longer than {MAX_NAME_LENGTH} characters")
    if not tag and not digest:
        tag = DEFAULT_TAG
    return ImageReference(registry=registry, path=path, tag=tag, digest=digest)


def _split_registry(name: str, reference: str) -> tuple[str, str]:
    """(registry, path): the first component is a registry when it looks like a host (a dot,
    a port, `localhost`, or upper case, as Docker decides)."""
    first, slash, rest = name.partition("/")
    if not slash or not (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        return DOCKER_HUB, name
    if not _HOST.fullmatch(first):
        raise InvalidImageReference(reference, "the registry host is malformed")
    return normalize_registry(first), rest
