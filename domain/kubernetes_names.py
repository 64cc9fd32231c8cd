"""The names Kubernetes accepts for the objects and keys a capsule's config turns into.

Each check returns what is wrong with a value, as a phrase a message can end with, or None
when Kubernetes would accept it. The rules are those of Kubernetes' API validation
(DNS-1123 labels and subdomains, qualified names, label values, IANA service names,
environment variable names), so that a deploy is refused here rather than by the cluster.
"""

from __future__ import annotations

import re

from rigd.domain.naming import quoted

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_IANA_SERVICE_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
_HAS_LETTER = re.compile(r"[a-z]")
_ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_SYSTEM_NAME = re.compile(r"[a-z][a-z0-9-]+[a-z0-9]")

MAX_DNS_LABEL = 63
MAX_DNS_SUBDOMAIN = 253
MAX_IANA_SERVICE_NAME = 15
MAX_ENV_VAR_NAME = 253  # environment variables become keys of a ConfigMap


def dns_label_problem(value: str, limit: int = MAX_DNS_LABEL) -> str | None:
    """A DNS-1123 label (`my-job`), at most `limit` characters."""
    if not value:
        return "must not be empty"
    if len(value) > limit:
        return f"{quoted(value)} is longer than {limit} characters"
    if not _DNS_LABEL.fullmatch(value):
        return (f"{quoted(value)} is not a DNS-1123 label: use lower-case letters, digits and '-', "
                "starting and ending with a letter or digit")
    return None


def dns_subdomain_problem(value: str) -> str | None:
    """A DNS-1123 subdomain (`example.com`)."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_DNS_SUBDOMAIN:
        return f"{quoted(value)} is longer than {MAX_DNS_SUBDOMAIN} characters"
    if not _DNS_SUBDOMAIN.fullmatch(value):
        return (f"{quoted(value)} is not a DNS-1123 subdomain: use lower-case letters, digits, '-' and '.', "
                "each part starting and ending with a letter or digit")
    return None


def qualified_name_problem(value: str) -> str | None:
    """A qualified name, as annotation and label keys are: an optional DNS subdomain prefix
    and '/', then a name of at most 63 characters (`rig.dev/rollout`, `team`)."""
    prefix, slash, name = value.rpartition("/")
    if slash and (prefix_problem := dns_subdomain_problem(prefix)):
        return f"has an invalid prefix: {prefix_problem}"
    if not name:
        return "must have a name" if slash else "must not be empty"
    if len(name) > MAX_DNS_LABEL:
        return f"{quoted(value)} has a name longer than {MAX_DNS_LABEL} characters"
    if not _QUALIFIED_NAME_PART.fullmatch(name):
        return (f"{quoted(value)} is not a qualified name: use letters, digits, '-', '_' and '.', "
                "starting and ending with a letter or digit, after an optional 'prefix/'")
    return None


def label_value_problem(value: str) -> str | None:
    """A label value: empty, or at most 63 characters like a qualified name's name."""
    if not value:
        return None
    if len(value) > MAX_DNS_LABEL:
        return f"{quoted(value)} is longer than {MAX_DNS_LABEL} characters"
    if not _QUALIFIED_NAME_PART.fullmatch(value):
        return f"{quoted(value)} is not a label value: use letters, digits, '-', '_' and '.'"
    return None


def port_name_problem(value: str) -> str | None:
    """An IANA service name, as a container port's name must be (`http`, `grpc-api`)."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_IANA_SERVICE_NAME:
        return f"{quoted(value)} is longer than {MAX_IANA_SERVICE_NAME} characters"
    if not _IANA_SERVICE_NAME.fullmatch(value) or "--" in value:
        return (f"{quoted(value)} is not a port name: use lower-case letters, digits and single '-', "
                "starting and ending with a letter or digit")
    if not _HAS_LETTER.search(value):
        return f"{quoted(value)} must contain a letter"
    return None


def env_var_name_problem(value: str) -> str | None:
    """An environment variable name (`PORT`, `my.setting`)."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_ENV_VAR_NAME:
        return f"{quoted(value)} is longer than {MAX_ENV_VAR_NAME} characters"
    if not _ENV_VAR_NAME.fullmatch(value):
        return (f"{quoted(value)} is not an environment variable name: use letters, digits, '_', '-' and '.', "
                "not starting with a digit")
    if value in (".", "..") or value.startswith(".."):
        return f"{quoted(value)} must not be '.' or start with '..'"
    return None


def system_name_problem(value: str) -> str | None:
    """A Rig system name: 3 to 63 characters, a DNS label starting with a letter."""
    if not value:
        return "must not be empty"
    if not 3 <= len(value) <= MAX_DNS_LABEL:
        return f"{quoted(value)} must be between 3 and {MAX_DNS_LABEL} characters long"
    if not _SYSTEM_NAME.fullmatch(value):
        return (f"{quoted(value)} is invalid: use lower-case letters, digits and '-', "
                "start with a letter and end with a letter or digit")
    return None
