"""Namespace templates: Go-template text naming the Kubernetes namespace of a
(project, environment) pair, e.g. ``{{ .Project.Name }}-{{ .Environment.Name }}``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rigd.domain.errors import InvalidArgument

DEFAULT_TEMPLATE = "{{ .Project.Name }}"
_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_FIELDS = {".Project.Name": "project", ".Environment.Name": "environment"}
_LITERAL = re.compile(r"^[a-z0-9-]*$")
_NAMESPACE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


class InvalidNamespaceTemplate(InvalidArgument):
    pass


@dataclass(frozen=True)
class NamespaceTemplate:
    """A parsed template: literal text and the names it substitutes, in order."""

    text: str
    parts: tuple[tuple[str, str], ...]  # ("literal", text) or ("field", "project"|"environment")

    @classmethod
    def parse(cls, text: str) -> NamespaceTemplate:
        if not text:
            text = DEFAULT_TEMPLATE
        parts: list[tuple[str, str]] = []
        position = 0
        for match in _ACTION.finditer(text):
            parts.append(("literal", text[position:match.start()]))
            name = match.group(1)
            if name not in _FIELDS:
                raise InvalidNamespaceTemplate(
                    f"namespace_template {text!r}: unknown property {name!r}; "
                    "use {{ .Project.Name }} or {{ .Environment.Name }}"
                )
            parts.append(("field", _FIELDS[name]))
            position = match.end()
        parts.append(("literal", text[position:]))
        for kind, value in parts:
            if kind == "literal" and ("{{" in value or "}}" in value):
                raise InvalidNamespaceTemplate(f"namespace_template {text!r} has an unclosed '{{{{' or a stray '}}}}'")
            if kind == "literal" and not _LITERAL.match(value):
                raise InvalidNamespaceTemplate(
                    f"namespace_template {text!r}: literal text may only hold lower-case letters, digits and '-'"
                )
        if ("field", "project") not in parts:
            raise InvalidNamespaceTemplate(
                f"namespace_template {text!r} must use {{{{ .Project.Name }}}}, "
                "so that capsules of different projects never share a namespace"
            )
        return cls(text=text, parts=tuple((k, v) for k, v in parts if v))

    def render(self, project: str, environment: str) -> str:
        values = {"project": project, "environment": environment}
        namespace = "".join(values[v] if k == "field" else v for k, v in self.parts)
        if not _NAMESPACE.match(namespace):
            raise InvalidArgument(
                f"namespace_template {self.text!r} gives {namespace!r} for project {project!r} "
                f"and environment {environment!r}, which is not a valid namespace name"
            )
        return namespace
