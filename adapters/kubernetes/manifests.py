"""Objects as the YAML a person reads in a dry run: secret data redacted, multi-line text as
literal blocks, and the unified diff between two renderings."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

REDACTED = "REDACTED"
REDACTION_NOTE = ("# The values of this Secret's data are redacted: rigd never shows secret contents,\n"
                  "# in clear or in base64. The cluster receives the real values.\n")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value shared between two places is written twice, not as an anchor a reader must follow


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and all(ch.isprintable() or ch == "\n" for ch in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def key(resource: dict[str, Any]) -> str:
    """`<kind lower-case>/<name>`, the key of an object in `resource_yaml`."""
    return f"{resource['kind'].lower()}/{resource['metadata']['name']}"


def redacted(resource: dict[str, Any]) -> dict[str, Any]:
    """A Secret with every data value replaced by `REDACTED`; other objects as they are."""
    if resource.get("kind") != "Secret":
        return resource
    copy = dict(resource)
    for field in ("data", "stringData"):
        if field in copy:
            copy[field] = dict.fromkeys(copy[field], REDACTED)
    return copy


def to_yaml(resource: dict[str, Any]) -> str:
    """The object as YAML, secret data redacted (with a note saying so)."""
    text = yaml.dump(redacted(resource), Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=120)
    return REDACTION_NOTE + text if resource.get("kind") == "Secret" else text


def documents(resources: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {key(resource): to_yaml(resource) for resource in resources}


def diff(before: dict[str, str], after: dict[str, str], before_label: str, after_label: str) -> str:
    """A unified diff per object that differs: changed ones in the order of `after`, then the
    ones `after` no longer has. An added or removed object diffs against nothing."""
    keys = [*after, *(name for name in before if name not in after)]
    parts = []
    for name in keys:
        old, new = before.get(name, ""), after.get(name, "")
        if old == new:
            continue
        lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     fromfile=f"{name} ({before_label})" if old else "/dev/null",
                                     tofile=f"{name} ({after_label})" if new else "/dev/null")
        parts.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    return "".join(parts)
