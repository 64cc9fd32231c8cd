import base64
from pathlib import Path

import pytest

from rigd.domain.clusters import ClusterType
from rigd.services.config import ConfigError, load_settings, settings_from


def test_no_configuration_gives_the_embedded_default() -> None:
    settings = load_settings(environ={})
    assert settings.listen == "127.0.0.1:4747"
    assert not settings.uses_postgres
    assert [c.cluster_id for c in settings.clusters.items] == ["local"]
    assert [(e.environment_id, e.default) for e in settings.environments] == [("local", True)]


def test_yaml_then_environment_variables(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rigd.yaml"
    path.write_text(
        "listen: 0.0.0.0:9000\n"
        "clusters:\n  prod: {type: k8s, dev_registry_host: 'reg:5000', ingress: true}\n"
        "environments:\n  production: {cluster: prod, namespace_template: '{{ .Project.Name }}-prod'}\n"
    )
    settings = load_settings(str(path), environ={"RIGD_LISTEN": "127.0.0.1:7000", "RIGD_READ_TIMEOUT": "2.5",
                                                    "RIGD_LEADER_LEASE": "8"})
    assert settings.listen == "127.0.0.1:7000"
    assert settings.read_timeout == 2.5
    assert settings.leader_lease == 8.0
    assert settings.clusters.items[0].type == ClusterType.KUBERNETES
    assert settings.environments[0].namespace_template == "{{ .Project.Name }}-prod"


@pytest.mark.parametrize(
    ("values", "setting"),
    [
        ({"listen": "nowhere"}, "'listen'"),
        ({"metrics_listen": "localhost"}, "'metrics_listen'"),
        ({"connect_listen": "localhost"}, "'connect_listen'"),
        ({"read_timeout": "-1"}, "'read_timeout'"),
        ({"leader_lease": "0"}, "'leader_lease'"),
        ({"workers": "many"}, "'workers'"),
        ({"max_streams": "-1"}, "'max_streams'"),
        ({"workers": "8", "max_streams": "8"}, "'max_streams' (8) must be below 'workers' (8)"),
        ({"database_url": "mysql://x"}, "'database_url' must start with postgresql://"),
        ({"database_url": "postgresql://db/"}, "'database_url' names no database"),
        ({"database_url": "postgresql://db:99999/rigd"}, "'database_url' has an invalid port"),
        ({"clusters": {"a": {"type": "nomad"}}}, "'clusters.a.type'"),
        ({"environments": {"e": {"cluster": "nope"}}}, "'environments.e.cluster'"),
        ({"colour": "blue"}, "'colour'"),
        ({"platform_version": "v9"}, "'platform_version'"),
        ({"database_url": "postgresql://db/rigd"}, "'secret_key' is required"),
    ],
)
def test_a_bad_setting_is_named(values: dict, setting: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(values)
    assert setting in str(raised.value)
    assert "\n" not in str(raised.value)


def test_an_empty_metrics_address_turns_metrics_off() -> None:
    assert load_settings(environ={"RIGD_METRICS_LISTEN": ""}).metrics_listen == ""
    assert load_settings(environ={}).metrics_listen == "127.0.0.1:4749"


def test_a_bad_database_url_is_named_without_repeating_its_password() -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from({"database_url": "postgresql://rigd:hunter2@db:99999/rigd"})
    assert "'database_url'" in str(raised.value)
    assert "hunter2" not in str(raised.value)


OLD_KEY = base64.b64encode(b"o" * 32).decode()
OLDER_KEY = base64.b64encode(b"p" * 32).decode()


def test_retired_secret_keys_come_comma_separated_from_the_environment() -> None:
    settings = load_settings(environ={"RIGD_RETIRED_SECRET_KEYS": f"{OLD_KEY}, {OLDER_KEY},"})
    assert settings.retired_secret_keys == (OLD_KEY, OLDER_KEY)
    assert load_settings(environ={}).retired_secret_keys == ()


def test_retired_secret_keys_may_be_a_yaml_list(tmp_path: Path) -> None:
    path = tmp_path / "rigd.yaml"
    path.write_text(f"retired_secret_keys:\n  - {OLD_KEY}\n  - {OLDER_KEY}\n")
    assert load_settings(str(path), environ={}).retired_secret_keys == (OLD_KEY, OLDER_KEY)


@pytest.mark.parametrize("value", [f"{OLD_KEY},c2hvcnQ=", ["not base64!"], {"a": OLD_KEY}, 42])
def test_a_bad_retired_secret_key_is_named_without_repeating_any_key(value: object) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from({"retired_secret_keys": value})
    message = str(raised.value)
    assert "'retired_secret_keys'" in message
    assert OLD_KEY not in message
    assert "c2hvcnQ=" not in message and "not base64" not in message
    assert "\n" not in message


def test_settings_never_show_keys_or_the_database_password() -> None:
    settings = settings_from({"secret_key": OLD_KEY, "retired_secret_keys": [OLDER_KEY],
                              "database_url": "postgresql://rigd:hunter2@db:5432/rigd"})
    assert OLD_KEY not in repr(settings)
    assert OLDER_KEY not in repr(settings)
    assert "hunter2" not in repr(settings)


def test_an_empty_connect_address_turns_connect_off() -> None:
    assert load_settings(environ={"RIGD_CONNECT_LISTEN": ""}).connect_listen == ""
    assert load_settings(environ={}).connect_listen == "127.0.0.1:4748"
    assert load_settings(environ={"RIGD_CONNECT_LISTEN": "0.0.0.0:8080"}).connect_listen == "0.0.0.0:8080"


def test_kubernetes_credentials_from_a_kubeconfig_and_its_context() -> None:
    settings = load_settings(environ={"RIGD_KUBECONFIG": "/etc/rigd/kubeconfig", "RIGD_KUBE_CONTEXT": "prod"})
    assert (settings.kubeconfig, settings.kube_context) == ("/etc/rigd/kubeconfig", "prod")
    assert load_settings(environ={}).kubeconfig == ""  # the in-cluster service account
    with pytest.raises(ConfigError, match="'kube_context'"):
        settings_from({"kube_context": "prod"})


def test_streams_get_three_quarters_of_the_rpc_threads_unless_told() -> None:
    assert load_settings(environ={}).stream_limit == 24  # of 32 workers
    assert load_settings(environ={"RIGD_WORKERS": "8"}).stream_limit == 6
    assert load_settings(environ={"RIGD_WORKERS": "8", "RIGD_MAX_STREAMS": "2"}).stream_limit == 2
    assert load_settings(environ={"RIGD_WORKERS": "1"}).stream_limit == 1  # (one thread cannot be shared)
