import pytest

from rigd.domain.errors import InvalidArgument
from rigd.domain.namespaces import DEFAULT_TEMPLATE, InvalidNamespaceTemplate, NamespaceTemplate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "shop"),
        (DEFAULT_TEMPLATE, "shop"),
        ("{{.Project.Name}}", "shop"),
        ("{{- .Project.Name -}}", "shop"),
        ("{{ .Project.Name }}-{{ .Environment.Name }}", "shop-prod"),
        ("rig-{{ .Environment.Name }}-{{ .Project.Name }}", "rig-prod-shop"),
    ],
)
def test_renders(text: str, expected: str) -> None:
    assert NamespaceTemplate.parse(text).render("shop", "prod") == expected


def test_empty_template_is_the_default() -> None:
    assert NamespaceTemplate.parse("").text == DEFAULT_TEMPLATE


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{{ .Project.Name", "unclosed"),
        ("{{ .Project.Name }}}}", "stray"),
        ("{{ .Project.Name }}-{{ .Env }}", "unknown property '.Env'"),
        ("{{ printf \"%s\" .Project.Name }}", "unknown property"),
        ("fixed", "must use {{ .Project.Name }}"),
        ("{{ .Environment.Name }}", "must use {{ .Project.Name }}"),
        ("Ns-{{ .Project.Name }}", "literal text"),
        ("{{ .Project.Name }}.x", "literal text"),
    ],
)
def test_malformed_templates_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(InvalidNamespaceTemplate) as raised:
        NamespaceTemplate.parse(text)
    assert fragment in raised.value.message


def test_a_rendered_name_that_is_not_a_namespace_is_refused() -> None:
    template = NamespaceTemplate.parse("{{ .Project.Name }}-{{ .Environment.Name }}")
    with pytest.raises(InvalidArgument, match="not a valid namespace name"):
        template.render("p" * 40, "e" * 40)
