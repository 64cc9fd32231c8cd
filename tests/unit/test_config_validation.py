"""Config validation: a config the operator or the cluster would refuse is refused, naming the
field as the client wrote it. Configs are made from the wire's own messages."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from google.protobuf import json_format
from google.protobuf.duration_pb2 import Duration

from rigd.domain.config_validation import validate_config
from rigd.domain.cron_schedules import schedule_problem
from rigd.domain.errors import InvalidArgument
from rigd.domain.kubernetes_names import env_var_name_problem, port_name_problem, qualified_name_problem
from rigd.domain.quantities import InvalidQuantity, parse_quantity
from rigd.domain.rollout_config import Config
from rigd.proto.api.v1.capsule import change_pb2 as pb
from rigd.proto.api.v1.capsule import job_pb2, rollout_pb2

CAPSULE = "shop"
Probe = pb.InterfaceProbe
Route = pb.RoutingMethod


def document(**fields: Any) -> Config:
    """A config as the wire has it, with an image unless `fields` say otherwise."""
    fields.setdefault("image_id", "nginx:1.27")
    message = rollout_pb2.RolloutConfig(**fields)
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def public_ingress(host: str = "shop.example.com", paths: tuple[str, ...] = ("/",)) -> pb.PublicInterface:
    return pb.PublicInterface(enabled=True, method=Route(ingress=Route.Ingress(host=host, paths=paths)))


def http_interface(**fields: Any) -> pb.Interface:
    values: dict[str, Any] = {"name": "http", "port": 8080}
    return pb.Interface(**{**values, **fields})


def url_job(**fields: Any) -> job_pb2.CronJob:
    values: dict[str, Any] = {"job_name": "nightly", "schedule": "0 3 * * *",
                              "url": job_pb2.JobURL(port=8080, path="/run")}
    return job_pb2.CronJob(**{**values, **fields})


def instance_metric(**fields: Any) -> pb.CustomMetric:
    values: dict[str, Any] = {"metric_name": "requests", "average_value": "100m"}
    return pb.CustomMetric(instance=pb.InstanceMetric(**{**values, **fields}))


def object_metric(**fields: Any) -> pb.CustomMetric:
    values: dict[str, Any] = {"metric_name": "queue", "value": "10",
                              "object_reference": pb.ObjectReference(kind="Service", name="q", api_version="v1")}
    return pb.CustomMetric(object=pb.ObjectMetric(**{**values, **fields}))


FULL = document(
    replicas=2,
    network=pb.Network(interfaces=[
        http_interface(public=public_ingress(), liveness=Probe(http=Probe.HTTP(path="/healthz")),
                       routes=[pb.HostRoute(id="web", host="*.example.com",
                                            paths=[pb.HTTPPathRoute(path="/api")])]),
        pb.Interface(name="grpc", port=9000, readiness=Probe(grpc=Probe.GRPC(service="shop")),
                     public=pb.PublicInterface(enabled=True, method=Route(load_balancer=Route.LoadBalancer(port=443)))),
        pb.Interface(name="metrics", port=9100),
    ]),
    container_settings=pb.ContainerSettings(
        environment_variables={"PORT": "8080", "my.setting": "x", "_X-1": ""},
        command="serve", args=["--fast"],
        resources=pb.Resources(requests=pb.ResourceList(cpu_millis=200, memory_bytes=512_000_000),
                               limits=pb.ResourceList(cpu_millis=1000),
                               gpu_limits=pb.GpuLimits(type="nvidia.com/gpu", count=1)),
        environment_sources=[pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_CONFIG_MAP),
                             pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_SECRET)]),
    auto_add_rig_service_accounts=True,
    config_files=[rollout_pb2.ConfigFile(path="/etc/shop/app.yaml", content=b"a: 1"),
                  rollout_pb2.ConfigFile(path="/etc/shop/key", content=b"secret", is_secret=True)],
    horizontal_scale=pb.HorizontalScale(min_replicas=2, max_replicas=6,
                                        cpu_target=pb.CPUTarget(average_utilization_percentage=75),
                                        custom_metrics=[instance_metric(match_labels={"app": "shop"}),
                                                        object_metric()]),
    cron_jobs=[url_job(timeout=Duration(seconds=30), max_retries=3),
               job_pb2.CronJob(job_name="cleanup", schedule="@hourly", command=job_pb2.JobCommand(command="clean"))],
    annotations={"plugin.rig.dev/env-mapping": "{}", "team": "web"},
)


def test_a_full_config_is_valid() -> None:
    kept = copy.deepcopy(FULL)
    validate_config(FULL, CAPSULE)
    assert kept == FULL


def test_an_empty_config_is_valid_when_no_image_is_required() -> None:
    validate_config({}, CAPSULE, require_image=False)


def test_a_route_without_a_host_serves_every_host() -> None:
    validate_config(document(network=pb.Network(interfaces=[http_interface(routes=[pb.HostRoute(id="a")])])), CAPSULE)


def test_a_sealed_secret_file_is_valid_without_its_content() -> None:
    validate_config(document(config_files=[]) | {"config_files": [
        {"path": "/etc/key", "is_secret": True, "sealed_content": "opaque"}]}, CAPSULE)


def test_a_config_with_a_cron_job_name_of_the_longest_length_is_valid() -> None:
    validate_config(document(cron_jobs=[url_job(job_name="j" * (51 - len(CAPSULE)))]), CAPSULE)


def both(kind_a: str, kind_b: str, where: str) -> Config:
    """A config whose field at `where` sets two kinds of a oneof (no message can say that)."""
    config = document(network=pb.Network(interfaces=[http_interface()]))
    interface = config["network"]["interfaces"][0]
    if where == "probe":
        interface["liveness"] = {kind_a: {"path": "/"}, kind_b: {}}
    else:
        interface["public"] = {"enabled": True, "method": {kind_a: {"host": "a.com"}, kind_b: {"port": 80}}}
    return config


BIG = b"x" * (1024 * 1024 + 1)
# (what, the config, the start of the refusal's message)
REFUSALS: list[tuple[str, Config, str]] = [
    ("no image", document(image_id=""), "image_id: a rollout needs an image"),
    ("an interface without a name", document(network=pb.Network(interfaces=[http_interface(name="")])),
     "network.interfaces[0].name: must not be empty"),
    ("an interface name Kubernetes refuses", document(network=pb.Network(interfaces=[http_interface(name="HTTP")])),
     "network.interfaces[0].name: 'HTTP' is not a port name"),
    ("an interface name too long", document(network=pb.Network(interfaces=[http_interface(name="a" * 16)])),
     "network.interfaces[0].name:"),
    ("two interfaces of one name", document(network=pb.Network(interfaces=[
        http_interface(), http_interface(port=8081)])), "network.interfaces[1].name: 'http' is taken by "
                                                         "network.interfaces[0].name"),
    ("two interfaces on one port", document(network=pb.Network(interfaces=[
        http_interface(), http_interface(name="admin")])),
     "network.interfaces[1].port: 8080 is taken by network.interfaces[0].port"),
    ("port 0", document(network=pb.Network(interfaces=[http_interface(port=0)])),
     "network.interfaces[0].port: must be between 1 and 65535, not 0"),
    ("port 65536", document(network=pb.Network(interfaces=[http_interface(port=65536)])),
     "network.interfaces[0].port: must be between 1 and 65535"),
    ("a public interface without a method", document(network=pb.Network(interfaces=[
        http_interface(public=pb.PublicInterface(enabled=True))])),
     "network.interfaces[0].public.method: must set exactly one of ingress, load_balancer, not 0"),
    ("a public interface with both methods", both("ingress", "load_balancer", "public"),
     "network.interfaces[0].public.method: must set exactly one of ingress, load_balancer, not 2"),
    ("a load balancer without a port", document(network=pb.Network(interfaces=[http_interface(
        public=pb.PublicInterface(enabled=True, method=Route(load_balancer=Route.LoadBalancer())))])),
     "network.interfaces[0].public.method.load_balancer.port: must be between 1 and 65535"),
    ("an ingress host that is no host name", document(network=pb.Network(interfaces=[http_interface(
        public=public_ingress(host="Shop.Example"))])), "network.interfaces[0].public.method.ingress.host:"),
    ("an ingress path that is not absolute", document(network=pb.Network(interfaces=[http_interface(
        public=public_ingress(paths=("api",)))])), "network.interfaces[0].public.method.ingress.paths[0]:"),
    ("a probe of no kind", document(network=pb.Network(interfaces=[http_interface(liveness=Probe())])),
     "network.interfaces[0].liveness: must set exactly one of http, tcp, grpc, not 0"),
    ("a probe of two kinds", both("http", "tcp", "probe"),
     "network.interfaces[0].liveness: must set exactly one of http, tcp, grpc, not 2"),
    ("an http probe path that is not absolute", document(network=pb.Network(interfaces=[
        http_interface(readiness=Probe(http=Probe.HTTP(path="healthz")))])),
     "network.interfaces[0].readiness.http.path: 'healthz' must be an absolute path"),
    ("two liveness probes", document(network=pb.Network(interfaces=[
        http_interface(liveness=Probe(tcp=Probe.TCP())),
        http_interface(name="admin", port=81, liveness=Probe(tcp=Probe.TCP()))])),
     "network.interfaces[1].liveness: 'liveness' is taken by network.interfaces[0].liveness"),
    ("a route host that is no host name", document(network=pb.Network(interfaces=[http_interface(
        routes=[pb.HostRoute(id="a", host="a..com")])])), "network.interfaces[0].routes[0].host:"),
    ("two routes of one id", document(network=pb.Network(interfaces=[http_interface(routes=[
        pb.HostRoute(id="a", host="a.com"), pb.HostRoute(id="a", host="b.com")])])),
     "network.interfaces[0].routes[1].id: 'a' is taken"),
    ("a route path that is not absolute", document(network=pb.Network(interfaces=[http_interface(routes=[
        pb.HostRoute(host="a.com", paths=[pb.HTTPPathRoute(path="x")])])])),
     "network.interfaces[0].routes[0].paths[0].path:"),
    ("an environment variable name Kubernetes refuses", document(container_settings=pb.ContainerSettings(
        environment_variables={"1ST": "x"})), "container_settings.environment_variables: '1ST' is not an environment"),
    ("an environment variable name with a space", document(container_settings=pb.ContainerSettings(
        environment_variables={"A B": "x"})), "container_settings.environment_variables: 'A B'"),
    ("an environment source of no kind", document(container_settings=pb.ContainerSettings(
        environment_sources=[pb.EnvironmentSource(name="shared")])),
     "container_settings.environment_sources[0].kind: must be one of KIND_CONFIG_MAP, KIND_SECRET"),
    ("an environment source named badly", document(container_settings=pb.ContainerSettings(
        environment_sources=[pb.EnvironmentSource(name="My_Source", kind=pb.EnvironmentSource.KIND_SECRET)])),
     "container_settings.environment_sources[0].name: 'My_Source' is invalid"),
    ("an environment source twice", document(container_settings=pb.ContainerSettings(environment_sources=[
        pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_SECRET)] * 2)),
     "container_settings.environment_sources[1]: KIND_SECRET 'shared' is taken"),
    ("a cpu request above its limit", document(container_settings=pb.ContainerSettings(resources=pb.Resources(
        requests=pb.ResourceList(cpu_millis=500), limits=pb.ResourceList(cpu_millis=200)))),
     "container_settings.resources.requests.cpu_millis: 500 is more than the limit, 200"),
    ("a memory request above its limit", document(container_settings=pb.ContainerSettings(resources=pb.Resources(
        requests=pb.ResourceList(memory_bytes=5000), limits=pb.ResourceList(memory_bytes=100)))),
     "container_settings.resources.requests.memory_bytes:"),
    ("gpus of no type", document(container_settings=pb.ContainerSettings(resources=pb.Resources(
        gpu_limits=pb.GpuLimits(count=1)))), "container_settings.resources.gpu_limits.type: must not be empty"),
    ("a config file without a path", document(config_files=[rollout_pb2.ConfigFile(content=b"x")]),
     "config_files[0].path: must not be empty"),
    ("a relative config file path", document(config_files=[rollout_pb2.ConfigFile(path="etc/app")]),
     "config_files[0].path: 'etc/app' must be an absolute path"),
    ("a config file path ending in /", document(config_files=[rollout_pb2.ConfigFile(path="/etc/app/")]),
     "config_files[0].path: '/etc/app/' must name a file"),
    ("a config file path with ..", document(config_files=[rollout_pb2.ConfigFile(path="/etc/../app")]),
     "config_files[0].path: '/etc/../app' must be clean"),
    ("a config file path with //", document(config_files=[rollout_pb2.ConfigFile(path="/etc//app")]),
     "config_files[0].path: '/etc//app' must be clean"),
    ("a config file path starting with //", document(config_files=[rollout_pb2.ConfigFile(path="//etc/app")]),
     "config_files[0].path: '//etc/app' must be clean"),
    ("a config file path with a control character", document(config_files=[rollout_pb2.ConfigFile(path="/a\nb")]),
     "config_files[0].path:"),
    ("two config files at one path", document(config_files=[rollout_pb2.ConfigFile(path="/etc/app")] * 2),
     "config_files[1].path: '/etc/app' is taken by config_files[0].path"),
    ("a config file over 1 MiB", document(config_files=[rollout_pb2.ConfigFile(path="/big", content=BIG)]),
     "config_files[0].content: holds 1048577 bytes"),
    ("config files over 4 MiB together", document(config_files=[
        rollout_pb2.ConfigFile(path=f"/f{number}", content=BIG[:-1]) for number in range(5)]),
     "config_files: hold 5242880 bytes"),
    ("max below min", document(horizontal_scale=pb.HorizontalScale(min_replicas=3, max_replicas=2)),
     "horizontal_scale.max_replicas: 2 is less than min_replicas, 3"),
    ("an autoscaler's max below replicas", document(replicas=5, horizontal_scale=pb.HorizontalScale(
        min_replicas=1, max_replicas=3, cpu_target=pb.CPUTarget(average_utilization_percentage=50))),
     "horizontal_scale.max_replicas: 3 is less than replicas, 5"),
    ("autoscaling without a max", document(horizontal_scale=pb.HorizontalScale(
        min_replicas=3, cpu_target=pb.CPUTarget(average_utilization_percentage=50))),
     "horizontal_scale.max_replicas: 0 is less than min_replicas, 3"),
    ("cpu utilization 0", document(horizontal_scale=pb.HorizontalScale(max_replicas=2, cpu_target=pb.CPUTarget())),
     "horizontal_scale.cpu_target.average_utilization_percentage: must be between 1 and 100, not 0"),
    ("cpu utilization 101", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, cpu_target=pb.CPUTarget(average_utilization_percentage=101))),
     "horizontal_scale.cpu_target.average_utilization_percentage: must be between 1 and 100, not 101"),
    ("a custom metric of no kind", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[pb.CustomMetric()])),
     "horizontal_scale.custom_metrics[0]: must set exactly one of instance, object"),
    ("an instance metric without a name", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[instance_metric(metric_name="")])),
     "horizontal_scale.custom_metrics[0].instance.metric_name: must not be empty"),
    ("an instance metric target that is no quantity", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[instance_metric(average_value="lots")])),
     "horizontal_scale.custom_metrics[0].instance.average_value: 'lots' is not a quantity"),
    ("an instance metric without a target", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[instance_metric(average_value="")])),
     "horizontal_scale.custom_metrics[0].instance.average_value: '' is not a quantity"),
    ("a zero metric target", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[instance_metric(average_value="0m")])),
     "horizontal_scale.custom_metrics[0].instance.average_value: '0m' must be more than 0"),
    ("an object metric with two targets", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[object_metric(average_value="1")])),
     "horizontal_scale.custom_metrics[0].object: must set exactly one of value, average_value, not 2"),
    ("an object metric with no target", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[object_metric(value="")])),
     "horizontal_scale.custom_metrics[0].object: must set exactly one of value, average_value, not 0"),
    ("an object metric value that is no quantity", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[object_metric(value="1.2.3")])),
     "horizontal_scale.custom_metrics[0].object.value: '1.2.3' is not a quantity"),
    ("an object metric of no object", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[object_metric(object_reference=pb.ObjectReference(kind="Service"))])),
     "horizontal_scale.custom_metrics[0].object.object_reference.name: must not be empty"),
    ("a metric label Kubernetes refuses", document(horizontal_scale=pb.HorizontalScale(
        max_replicas=2, custom_metrics=[instance_metric(match_labels={"-app": "x"})])),
     "horizontal_scale.custom_metrics[0].instance.match_labels: '-app' is not a qualified name"),
    ("a cron job without a name", document(cron_jobs=[url_job(job_name="")]), "cron_jobs[0].job_name: must not be"),
    ("a cron job name that is no DNS label", document(cron_jobs=[url_job(job_name="Nightly_Run")]),
     "cron_jobs[0].job_name: 'Nightly_Run' is not a DNS-1123 label"),
    ("a cron job name too long for the capsule", document(cron_jobs=[url_job(job_name="j" * (52 - len(CAPSULE)))]),
     f"cron_jobs[0].job_name: '{'j' * 48}' is longer than 47 characters"),
    ("two cron jobs of one name", document(cron_jobs=[url_job(), url_job()]),
     "cron_jobs[1].job_name: 'nightly' is taken by cron_jobs[0].job_name"),
    ("a cron job without a schedule", document(cron_jobs=[url_job(schedule="")]),
     "cron_jobs[0].schedule: must not be empty"),
    ("a cron job schedule of four fields", document(cron_jobs=[url_job(schedule="0 3 * *")]),
     "cron_jobs[0].schedule: '0 3 * *' must have 5 fields"),
    ("a cron job of no kind", document(cron_jobs=[job_pb2.CronJob(job_name="a", schedule="@daily")]),
     "cron_jobs[0]: must set exactly one of url, command, not 0"),
    ("a cron job of both kinds", document(cron_jobs=[url_job()]) | {"cron_jobs": [
        {"job_name": "a", "schedule": "@daily", "url": {"port": "80"}, "command": {"command": "x"}}]},
     "cron_jobs[0]: must set exactly one of url, command, not 2"),
    ("a url job on port 0", document(cron_jobs=[url_job(url=job_pb2.JobURL(path="/"))]),
     "cron_jobs[0].url.port: must be between 1 and 65534, not 0"),
    ("a url job on port 65535", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=65535))]),
     "cron_jobs[0].url.port: must be between 1 and 65534, not 65535"),
    ("a url job with a relative path", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="run"))]),
     "cron_jobs[0].url.path: 'run' is not a URL path"),
    ("a url job with a query in its path", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="/a?b=c"))]),
     "cron_jobs[0].url.path: '/a?b=c' is not a URL path"),
    ("a url job with a space in its path", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="/a b"))]),
     "cron_jobs[0].url.path:"),
    ("a url job path starting with //", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="//x"))]),
     "cron_jobs[0].url.path: '//x' is not a URL path"),
    ("a url job path with a comma", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="/a,b"))]),
     "cron_jobs[0].url.path: '/a,b' is not a URL path"),
    ("a url job path with a broken escape", document(cron_jobs=[url_job(url=job_pb2.JobURL(port=80, path="/a%zz"))]),
     "cron_jobs[0].url.path: '/a%zz' is not a URL path"),
    ("a url job with a nameless parameter", document(cron_jobs=[url_job(url=job_pb2.JobURL(
        port=80, query_parameters={"": "x"}))]), "cron_jobs[0].url.query_parameters: a parameter must have a name"),
    ("a command job without a command", document(cron_jobs=[job_pb2.CronJob(
        job_name="a", schedule="@daily", command=job_pb2.JobCommand(args=["x"]))]),
     "cron_jobs[0].command.command: must not be empty"),
    ("negative retries", document(cron_jobs=[url_job(max_retries=-1)]),
     "cron_jobs[0].max_retries: must be 0 or more, not -1"),
    ("a zero timeout", document(cron_jobs=[url_job(timeout=Duration())]),
     "cron_jobs[0].timeout: '0s' must be a duration of at least 1s"),
    ("a timeout under a second", document(cron_jobs=[url_job(timeout=Duration(nanos=500_000_000))]),
     "cron_jobs[0].timeout: '0.500s' must be a duration of at least 1s"),
    ("a negative timeout", document(cron_jobs=[url_job(timeout=Duration(seconds=-5))]),
     "cron_jobs[0].timeout: '-5s' must be a duration"),
    ("an annotation key Kubernetes refuses", document(annotations={"bad key": "x"}),
     "annotations: 'bad key' is not a qualified name"),
    ("an annotation key with an empty name", document(annotations={"rig.dev/": "x"}), "annotations: must have a name"),
    ("an annotation key with a bad prefix", document(annotations={"Rig_Dev/x": "x"}), "annotations: has an invalid"),
    ("annotations over 256 KiB", document(annotations={"a": "x" * 256 * 1024}), "annotations: hold 262145 bytes"),
]


@pytest.mark.parametrize(("config", "message"), [row[1:] for row in REFUSALS], ids=[row[0] for row in REFUSALS])
def test_an_invalid_config_is_refused_naming_the_field(config: Config, message: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_config(config, CAPSULE)
    assert str(refused.value).startswith(message)


def test_base64_that_does_not_decode_is_refused() -> None:
    config = document() | {"config_files": [{"path": "/a", "content": "not base64!"}]}
    with pytest.raises(InvalidArgument, match=r"^config_files\[0\]\.content: is not base64"):
        validate_config(config, CAPSULE)


def test_no_cron_job_fits_beside_a_capsule_of_51_characters() -> None:
    with pytest.raises(InvalidArgument, match=r"^cron_jobs\[0\]\.job_name: 'a' is longer than 0 characters"):
        validate_config(document(cron_jobs=[url_job(job_name="a")]), "c" * 51)


VALID_SCHEDULES = ["* * * * *", "*/5 * * * *", "0 3 * * MON-FRI", "0 0 1 JAN,jul *", "0-30/10 0,12 1-15 * 0",
                   "? ? ? ? ?", "5/15 * * * *", "59 23 31 12 6", " 0 3 * * * ", "@yearly", "@annually", "@monthly",
                   "@weekly", "@daily", "@midnight", "@hourly", "@every 1h30m", "@every 90s"]
INVALID_SCHEDULES = {
    "* * * *": "must have 5 fields",
    "* * * * * *": "must have 5 fields",
    "60 * * * *": "minute '60': '60' is not a minute (0-59)",
    "* 24 * * *": "hour '24'",
    "* * 0 * *": "day of month '0'",
    "* * 32 * *": "day of month '32'",
    "* * * 13 *": "month '13'",
    "* * * * 7": "day of week '7'",
    "* * * FOO *": "month 'FOO': 'FOO' is not a month (1-12 or JAN-DEC)",
    "* * * * MON-FOO": "day of week 'MON-FOO'",
    "*/0 * * * *": "minute '*/0': step must be a positive number",
    "*/x * * * *": "minute '*/x': step 'x' must be a positive number",
    "1/2/3 * * * *": "minute '1/2/3': step '2/3'",
    "30-10 * * * *": "minute '30-10': range '30-10' starts after it ends",
    "1-2-3 * * * *": "minute '1-2-3'",
    "-5 * * * *": "minute '-5'",
    "1,,2 * * * *": "minute '1,,2'",
    "L * * * *": "minute 'L'",
    "@reboot": "'@reboot' is not one of",
    "@every": "'@every' is not one of",
    "@every 0s": "'0s' is not a positive duration",
    "@every soon": "'soon' is not a positive duration",
    "TZ=UTC 0 * * * *": "must not name a time zone",
    "CRON_TZ=UTC 0 * * * *": "must not name a time zone",
    "@HOURLY": "'@HOURLY' is not one of",
    "@hourly ": "'@hourly ' is not one of",
    " @hourly": "must have 5 fields",
    "   ": "must not be empty",
}


@pytest.mark.parametrize("schedule", VALID_SCHEDULES)
def test_schedules_kubernetes_accepts(schedule: str) -> None:
    assert schedule_problem(schedule) is None
    validate_config(document(cron_jobs=[url_job(schedule=schedule)]), CAPSULE)


@pytest.mark.parametrize(("schedule", "problem"), INVALID_SCHEDULES.items())
def test_schedules_kubernetes_refuses(schedule: str, problem: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_config(document(cron_jobs=[url_job(schedule=schedule)]), CAPSULE)
    assert str(refused.value).startswith("cron_jobs[0].schedule: ")
    assert problem in str(refused.value)


QUANTITIES = {"1": Decimal(1), "100m": Decimal("0.1"), "1.5Gi": Decimal(1610612736), "2e3": Decimal(2000),
              "1E": Decimal(10) ** 18, "1E2": Decimal(100), "+.5k": Decimal(500), "-1": Decimal(-1),
              "5u": Decimal("0.000005"), "3n": Decimal("3e-9"), "1.": Decimal(1), "2Ki": Decimal(2048)}


@pytest.mark.parametrize(("text", "value"), QUANTITIES.items())
def test_quantities_parse_to_their_value(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1Kb", "1 Mi", "e3", "1KiB", "1e", "1ki", ".", "1e999", "1" * 65])
def test_text_that_is_no_quantity_is_refused(text: str) -> None:
    with pytest.raises(InvalidQuantity):
        parse_quantity(text)


@pytest.mark.parametrize(("check", "good", "bad"), [
    (port_name_problem, ["http", "a1", "grpc-api", "x" * 15], ["", "HTTP", "a--b", "-a", "a-", "123", "x" * 16]),
    (env_var_name_problem, ["PATH", "my.env-name", "_x", "A1"], ["", "1A", "A=B", ".", "..", "..a", "A B", "Ä"]),
    (qualified_name_problem, ["a", "rig.dev/rollout", "A_b.c", "x" * 63],
     ["", "/a", "a/", "-a", "a-", "RIG.dev/x", "a/b/c", "x" * 64, "a" * 254 + "/b"]),
])
def test_kubernetes_names(check: Any, good: list[str], bad: list[str]) -> None:
    assert [value for value in good if check(value)] == []
    assert [value for value in bad if not check(value)] == []
