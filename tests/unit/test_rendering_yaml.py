"""What a dry run shows: the platform's objects as YAML by `<kind>/<name>`, secret data redacted
(never in clear, never in base64), the Capsule's opening with a unified diff of every object
against the current rollout's, as comments."""

from __future__ import annotations

import base64
from itertools import takewhile
from typing import Any

import yaml

from rigd.adapters.kubernetes import KubernetesRenderer, RenderOptions, render_objects
from rigd.adapters.kubernetes.manifests import REDACTED
from rigd.adapters.kubernetes.metadata import file_object_name
from rigd.adapters.kubernetes.platform_objects import platform_objects
from tests.unit.test_rendering import SECRET_TEXT, TLS, b64, every_feature, minimal, target

RENDERER = KubernetesRenderer(TLS)


def diff_of(rendered: dict[str, str]) -> str:
    """The diff the Capsule's entry opens with, out of its comments (its header line left out)."""
    comments = takewhile(lambda line: line.startswith("#"), rendered["capsule/web"].splitlines())
    return "\n".join(line[2:] for line in list(comments)[1:])


def secret_forms(text: str) -> list[str]:
    """The ways a secret could leak: in clear, and base64 however it is aligned or padded."""
    data = text.encode()
    forms = [text, base64.b64encode(data).decode().rstrip("=")]
    forms += [base64.b64encode(b"x" * shift + data).decode()[4:-4] for shift in (1, 2)]
    return forms


def test_every_object_the_platform_writes_is_a_yaml_document_keyed_by_kind_and_name() -> None:
    rendered = RENDERER.resource_yaml(target(), every_feature(), None)
    objects = platform_objects(target(), every_feature())
    assert list(rendered) == [f"{o['kind'].lower()}/{o['metadata']['name']}" for o in objects]
    for key, text in rendered.items():
        document = yaml.safe_load(text)
        assert f"{document['kind'].lower()}/{document['metadata']['name']}" == key
    assert rendered["capsule/web"].startswith("# rigd.dev/diff: no rollout is current here: every object is new\n")
    assert "+++ deployment/web (rollout 7)" in diff_of(rendered).splitlines()  # the operator's, as new
    assert yaml.safe_load(rendered["capsule/web"])["apiVersion"] == "rig.dev/v1alpha2"


def test_secret_data_is_redacted_and_says_so() -> None:
    rendered = RENDERER.resource_yaml(target(), every_feature(), None)
    secret_key = f"secret/{file_object_name('web', '/run/secrets/db.password')}"
    assert yaml.safe_load(rendered[secret_key])["data"] == {"content": REDACTED}
    assert "redacted" in rendered[secret_key].splitlines()[0]
    for text in rendered.values():
        for form in secret_forms(SECRET_TEXT):
            assert form not in text
    # the objects for the cluster keep the value; only what a response shows is redacted
    objects = {o["metadata"]["name"]: o for o in render_objects(target(), every_feature(), TLS)}
    assert objects[secret_key.split("/")[1]]["data"]["content"] == b64(SECRET_TEXT)


def test_a_changed_secret_shows_in_the_diff_without_its_value() -> None:
    changed = every_feature()
    changed["config_files"][1]["content"] = b64("another-secret-value")
    rendered = RENDERER.resource_yaml(target(8), changed, (target(7), every_feature()))
    diff = diff_of(rendered)
    assert "rig.dev/config-checksum-files" in diff  # the pods restart for it
    for form in secret_forms(SECRET_TEXT) + secret_forms("another-secret-value"):
        assert form not in diff


def test_the_diff_shows_a_changed_replica_count_and_image() -> None:
    before = minimal() | {"replicas": 2, "image_id": "nginx:1.26"}
    after = minimal() | {"replicas": 5, "image_id": "nginx:1.27"}
    diff = diff_of(RENDERER.resource_yaml(target(8), after, (target(7), before)))
    lines = diff.splitlines()
    assert "--- deployment/web (rollout 7)" in lines and "+++ deployment/web (rollout 8)" in lines
    assert "-  replicas: 2" in lines and "+  replicas: 5" in lines
    assert "-        image: nginx:1.26" in lines and "+        image: nginx:1.27" in lines
    assert "-  image: nginx:1.26" in lines and "+  image: nginx:1.27" in lines  # the Capsule's spec
    assert "-    rig.dev/rollout: '7'" in lines and "+    rig.dev/rollout: '8'" in lines
    assert "serviceaccount/web" not in diff  # unchanged objects are left out


def test_the_diff_of_a_dry_run_names_it_and_shows_added_and_removed_objects() -> None:
    before = minimal() | {"cron_jobs": [{"job_name": "ping", "schedule": "* * * * *", "url": {"port": "80"}}]}
    after = minimal() | {"network": {"interfaces": [{"name": "http", "port": 80}]}}
    diff = diff_of(RENDERER.resource_yaml(target(0), after, (target(7), before)))
    lines = diff.splitlines()
    assert "+++ deployment/web (this deploy)" in lines
    assert "+++ service/web (this deploy)" in lines and lines[lines.index("+++ service/web (this deploy)") - 1] == \
        "--- /dev/null"
    assert "--- cronjob/web-ping (rollout 7)" in lines and "+++ /dev/null" in lines


def test_a_current_rollout_the_cluster_can_no_longer_render_gives_a_note() -> None:
    ingress = every_feature()
    renderer = KubernetesRenderer(RenderOptions())  # neither TLS disabled nor an issuer
    rendered = renderer.resource_yaml(target(8), minimal(), (target(7), ingress))
    assert rendered["capsule/web"].startswith("# rigd.dev/diff: rollout 7 cannot be rendered")
    assert "configmap/web" in rendered


def test_an_identical_config_gives_only_the_rollout_annotations_in_the_diff() -> None:
    config: dict[str, Any] = every_feature()
    diff = diff_of(RENDERER.resource_yaml(target(8), config, (target(7), every_feature())))
    changed = [line for line in diff.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all("rig.dev/rollout" in line for line in changed)


def test_the_yaml_reads_back_as_the_objects_without_anchors() -> None:
    rendered = RENDERER.resource_yaml(target(), every_feature(), None)
    for resource in platform_objects(target(), every_feature()):
        text = rendered[f"{resource['kind'].lower()}/{resource['metadata']['name']}"]
        assert "&id" not in text and "*id" not in text
        if resource["kind"] != "Secret":
            assert yaml.safe_load(text) == resource
