import pytest

from rigd.domain.errors import InvalidArgument
from rigd.domain.namespaces import (
    DEFAULT_TEMPLATE,
    InvalidNamespace,
    InvalidNamespaceTemplate,
    NamespaceTemplate,
    check_new_environment,
    check_new_project,
)


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


def test_a_template_is_at_most_256_characters() -> None:
    NamespaceTemplate.parse("{{ .Project.Name }}" + "x" * 237)
    with pytest.raises(InvalidNamespaceTemplate, match="257 characters long; the limit is 256"):
        NamespaceTemplate.parse("{{ .Project.Name }}" + "x" * 238)


@pytest.mark.parametrize(
    "text", ["-{{ .Project.Name }}", "{{ .Project.Name }}-", "{{ .Project.Name }}-" + "x" * 60])
def test_a_template_that_gives_no_valid_namespace_in_an_environment_is_refused(text: str) -> None:
    with pytest.raises(InvalidNamespaceTemplate, match="gives no valid namespace name in environment 'prod'"):
        NamespaceTemplate.parse(text).check_environment("prod")


class Owners:
    def __init__(self, longest: str, templates: list[tuple[str, str]]) -> None:
        self.longest, self.templates = longest, templates

    def longest_project_id(self) -> str:
        return self.longest

    def environment_templates(self) -> list[tuple[str, str]]:
        return self.templates


def test_a_new_environment_must_give_the_longest_existing_project_a_namespace() -> None:
    template = NamespaceTemplate.parse("{{ .Project.Name }}-{{ .Environment.Name }}")
    check_new_environment(template, "prod", Owners("", []))
    check_new_environment(template, "prod", Owners("p" * 58, []))  # 63 characters
    with pytest.raises(InvalidNamespace, match="for project 'ppp"):
        check_new_environment(template, "prod", Owners("p" * 59, []))


def test_a_new_project_must_have_a_namespace_in_every_usable_environment() -> None:
    environments = [("prod", "{{ .Project.Name }}"), ("staging", "{{ .Project.Name }}-{{ .Environment.Name }}"),
                    ("legacy", "{{ .Project.Name }}-" + "x" * 60), ("broken", "{{ .Nope }}")]
    check_new_project("p" * 55, environments)  # the legacy and broken ones give nobody a namespace
    with pytest.raises(InvalidNamespace, match="environment 'staging'"):
        check_new_project("p" * 56, environments)
