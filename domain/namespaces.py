"""Namespace templates: Go-template text naming the Kubernetes namespace of a
(project, environment) pair, e.g. ``{{ .Project.Name }}-{{ .Environment.Name }}``.

A rendered namespace must be a Kubernetes namespace name (a DNS-1123 label: at most 63
lower-case letters, digits and '-', starting and ending with a letter or digit). Project
and environment ids always start with a letter and end with a letter or digit, so whether
a template renders a valid name for a pair depends only on the template's own ends and
on the length of the ids: the longest project id is the one to check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rigd.domain.errors import InvalidArgument
from rigd.domain.naming import quoted

DEFAULT_TEMPLATE = "{{ .Project.Name }}"
MAX_TEMPLATE = 256
MAX_NAMESPACE = 63
SHORTEST_PROJECT_ID = "aaa"  # the shortest valid project id (3 characters)
_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_FIELDS = {".Project.Name": "project", ".Environment.Name": "environment"}
_LITERAL = re.compile(r"^[a-z0-9-]*$")
_NAMESPACE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_RULE = (f"a namespace is at most {MAX_NAMESPACE} lower-case letters, digits and '-', "
         "starting and ending with a letter or digit")


class InvalidNamespaceTemplate(InvalidArgument):
    pass


class InvalidNamespace(InvalidArgument):
    """A template renders a name for a pair that is not a valid namespace."""


class NamespaceOwners(Protocol):
    """The live projects and environments whose pairs have namespaces (a read model)."""

    def longest_project_id(self) -> str:
        """The longest id of a live project ("" when there is none)."""

    def environment_templates(self) -> Sequence[tuple[str, str]]:
        """(environment id, namespace template) of every live environment."""


@dataclass(frozen=True)
class NamespaceTemplate:
    """A parsed template: literal text and the names it substitutes, in order."""

    text: str
    parts: tuple[tuple[str, str], ...]  # ("literal", text) or ("field", "project"|"environment")

    @classmethod
    def parse(cls, text: str) -> NamespaceTemplate:
        if not text:
            text = DEFAULT_TEMPLATE
        if len(text) > MAX_TEMPLATE:
            raise InvalidNamespaceTemplate(
                f"namespace_template is {len(text)} characters long; the limit is {MAX_TEMPLATE}")
        parts: list[tuple[str, str]] = []
        position = 0
        for match in _ACTION.finditer(text):
            parts.append(("literal", text[position:match.start()]))
            name = match.group(1)
            if name not in _FIELDS:
                raise InvalidNamespaceTemplate(
                    f"namespace_template {quoted(text)}: unknown property {quoted(name)}; "
                    "use {{ .Project.Name }} or {{ .Environment.Name }}"
                )
            parts.append(("field", _FIELDS[name]))
            position = match.end()
        parts.append(("literal", text[position:]))
        for kind, value in parts:
            if kind == "literal" and ("{{" in value or "}}" in value):
                raise InvalidNamespaceTemplate(
                    f"namespace_template {quoted(text)} has an unclosed '{{{{' or a stray '}}}}'")
            if kind == "literal" and not _LITERAL.match(value):
                raise InvalidNamespaceTemplate(
                    f"namespace_template {quoted(text)}: literal text may only hold lower-case letters, digits and '-'"
                )
        if ("field", "project") not in parts:
            raise InvalidNamespaceTemplate(
                f"namespace_template {quoted(text)} must use {{{{ .Project.Name }}}}, "
                "so that capsules of different projects never share a namespace"
            )
        return cls(text=text, parts=tuple((k, v) for k, v in parts if v))

    def render(self, project: str, environment: str) -> str:
        """The namespace of the pair; InvalidNamespace when the name is not a valid one."""
        values = {"project": project, "environment": environment}
        namespace = "".join(values[v] if k == "field" else v for k, v in self.parts)
        if not _NAMESPACE.match(namespace):
            raise InvalidNamespace(
                f"namespace_template {quoted(self.text)} gives {quoted(namespace)} for project {quoted(project)} "
                f"and environment {quoted(environment)}, which is not a valid namespace name ({_RULE})"
            )
        return namespace

    def check_environment(self, environment: str) -> None:
        """Refuses a template that gives no valid namespace in `environment` for any project."""
        try:
            self.render(SHORTEST_PROJECT_ID, environment)
        except InvalidNamespace:
            raise InvalidNamespaceTemplate(
                f"namespace_template {quoted(self.text)} gives no valid namespace name in environment "
                f"{quoted(environment)}, even for a 3-character project id ({_RULE})"
            ) from None


def check_new_environment(template: NamespaceTemplate, environment: str, owners: NamespaceOwners) -> None:
    """Refuses a template that gives no valid namespace in `environment`, or an invalid one
    for an existing project (the longest id is the one that could fail)."""
    template.check_environment(environment)
    longest = owners.longest_project_id()
    if longest:
        template.render(longest, environment)


def check_new_project(project: str, environments: Iterable[tuple[str, str]]) -> None:
    """Refuses a project id whose namespace in an existing environment would be invalid.

    An environment whose template gives no valid namespace for any project (history
    recorded before these rules) is not this project's fault, and is left out."""
    for environment, text in environments:
        try:
            template = NamespaceTemplate.parse(text)
            template.check_environment(environment)
        except InvalidArgument:
            continue
        template.render(project, environment)
