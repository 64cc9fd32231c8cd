"""The changes of a deploy: each `api.v1.capsule.Change` turns one config into the next.

`apply_changes` applies a deploy's changes in order to a copy of the current config. Each
kind of change is a small function in `_APPLIERS`, keyed by the change's field name. A change
checks only what it needs to be applied (a name to find); that the image the changes leave is
one of the capsule's is asked once all are applied, and whether the resulting config can run is
`config_validation`'s question, asked of the result.

Removing something the config does not have (an interface, a file, a job, a variable, a
source, an annotation) is `NotFound`: the client believes in a config that is not the current
one, and a deploy built on that belief should not go through silently. Adding a cron job
whose name is taken is `AlreadyExists`. Every refusal names the change as the client wrote
it, `changes[<index>].<field>`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rigd.domain.config_validation import SOURCE_KINDS
from rigd.domain.errors import AlreadyExists, InvalidArgument, NotFound
from rigd.domain.naming import quoted
from rigd.domain.rollout_config import CONFIG_FIELDS, ChangeDocument, ChangeWorld, Config


class InvalidChange(InvalidArgument):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class ChangeTargetNotFound(NotFound):
    """A change names something (an image, an interface, a file, ...) that does not exist."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class CronJobAlreadyExists(AlreadyExists):
    def __init__(self, where: str, job_name: str) -> None:
        super().__init__(f"{where}: a cron job named {quoted(job_name)} exists already")


Applier = Callable[[Config, Any, str, ChangeWorld], Config]
"""Applies one change's value to `config` (a working copy it may change) and returns the
result; `where` names the change for error messages."""


def apply_changes(config: Config, changes: Sequence[ChangeDocument], world: ChangeWorld) -> Config:
    """The config `changes` make of `config`, applied in order; `config` itself is left as it is.
    No changes give an equal copy (a redeploy of the same config)."""
    result = copy.deepcopy(config)
    for index, change in enumerate(changes):
        field, value = _only_field(change, f"changes[{index}]")
        result = _APPLIERS[field](result, value, f"changes[{index}].{field}", world)
    _require_image(result, changes, world)
    return result


def _require_image(config: Config, changes: Sequence[ChangeDocument], world: ChangeWorld) -> None:
    """The image an `image_id` change leaves must be one of the capsule's: asked once every change
    is applied, so that an `add_image` after it may add it (rig-ops deploys `image_id` first)."""
    for index in reversed(range(len(changes))):
        if "add_image" in changes[index]:
            return
        if "image_id" in changes[index]:
            image_id = config.get("image_id", "")
            if not world.image_exists(image_id):
                raise ChangeTargetNotFound(f"changes[{index}].image_id",
                                           f"image {quoted(image_id)} is not an image of the capsule")
            return


def _only_field(change: ChangeDocument, where: str) -> tuple[str, Any]:
    if not isinstance(change, Mapping) or not change:
        raise InvalidChange(where, "sets no change: set exactly one field, such as replicas or image_id")
    if len(change) > 1:
        raise InvalidChange(where, f"sets {len(change)} fields ({', '.join(sorted(change))}): set exactly one")
    ((field, value),) = change.items()
    if field not in _APPLIERS:
        raise InvalidChange(where, f"{quoted(str(field))} is no kind of change")
    return field, value


# Reading a change's value -------------------------------------------------------------------


def _message(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidChange(where, "must be a message")
    return value


def _name(value: Any, where: str) -> str:
    """An identifying text the change must carry (a name, a path)."""
    if not isinstance(value, str):
        raise InvalidChange(where, "must be text")
    if not value:
        raise InvalidChange(where, "must not be empty")
    return value


def _settings(config: Config) -> dict[str, Any]:
    settings: dict[str, Any] = config.setdefault("container_settings", {})
    return settings


def _set_or_drop(holder: dict[str, Any], key: str, value: Any) -> None:
    """Sets `key`, or leaves it out when `value` is its default, as proto3 JSON does."""
    if value:
        holder[key] = value
    else:
        holder.pop(key, None)


def _remove_named(holder: dict[str, Any], key: str, matches: Callable[[Any], bool]) -> bool:
    """Removes the items of the list `holder[key]` that match; whether one did."""
    items = holder.get(key, [])
    kept = [item for item in items if not matches(item)]
    _set_or_drop(holder, key, kept)
    return len(kept) < len(items)


def _upsert(items: list[Any], item: Any, same: Callable[[Any], bool]) -> None:
    """Replaces the first item that is `same` as `item` in place, or appends `item`."""
    for position, existing in enumerate(items):
        if same(existing):
            items[position] = item
            return
    items.append(item)


# The kinds of change -------------------------------------------------------------------------


def _replicas(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidChange(where, "must be a number of replicas, 0 or more")
    _set_or_drop(config, "replicas", value)
    return config


def _image_id(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    config["image_id"] = _name(value, where)  # (that the capsule has it is asked at the end)
    return config


def _add_image(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    image = _name(_message(value, where).get("image", ""), f"{where}.image")
    config["image_id"] = world.add_image(image)
    return config


def _replace(field: str) -> Applier:
    """A change that replaces a whole part of the config (network, container settings, ...)."""

    def replace(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
        config[field] = copy.deepcopy(dict(_message(value, where)))
        return config

    return replace


def _set_interface(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    interface = copy.deepcopy(dict(_message(value, where)))
    name = _name(interface.get("name", ""), f"{where}.name")
    interfaces = config.setdefault("network", {}).setdefault("interfaces", [])
    _upsert(interfaces, interface, lambda existing: existing.get("name") == name)
    return config


def _remove_interface(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    name = _name(value, where)
    network = config.get("network", {})
    if not _remove_named(network, "interfaces", lambda interface: interface.get("name") == name):
        raise ChangeTargetNotFound(where, f"no interface is named {quoted(name)}")
    return config


def _set_environment_variable(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    variable = _message(value, where)
    name = _name(variable.get("name", ""), f"{where}.name")
    _settings(config).setdefault("environment_variables", {})[name] = str(variable.get("value", ""))
    return config


def _remove_environment_variable(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    name = _name(value, where)
    variables = _settings(config).get("environment_variables", {})
    if name not in variables:
        raise ChangeTargetNotFound(where, f"no environment variable is named {quoted(name)}")
    del variables[name]
    _set_or_drop(_settings(config), "environment_variables", variables)
    return config


def _environment_source(value: Any, where: str) -> dict[str, str]:
    source = _message(value, where)
    name = _name(source.get("name", ""), f"{where}.name")
    kind = source.get("kind", "KIND_UNSPECIFIED")
    if kind not in SOURCE_KINDS:
        raise InvalidChange(f"{where}.kind", f"must be one of {', '.join(SOURCE_KINDS)}, not {quoted(str(kind))}")
    return {"name": name, "kind": kind}


def _set_environment_source(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    source = _environment_source(value, where)
    sources = _settings(config).setdefault("environment_sources", [])
    _upsert(sources, source, lambda existing: existing == source)
    return config


def _remove_environment_source(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    source = _environment_source(value, where)
    if not _remove_named(_settings(config), "environment_sources", lambda existing: existing == source):
        kind = "config map" if source["kind"] == "KIND_CONFIG_MAP" else "secret"
        raise ChangeTargetNotFound(where, f"no environment source is the {kind} {quoted(source['name'])}")
    return config


def _command_arguments(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    entrypoint = _message(value, where)
    settings = _settings(config)
    _set_or_drop(settings, "command", entrypoint.get("command", ""))
    _set_or_drop(settings, "args", list(entrypoint.get("args", [])))
    return config


def _set_config_file(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    change = _message(value, where)
    path = _name(change.get("path", ""), f"{where}.path")
    file: dict[str, Any] = {"path": path}
    _set_or_drop(file, "content", change.get("content", ""))
    _set_or_drop(file, "is_secret", bool(change.get("is_secret", False)))
    file.update(world.file_stamp())
    _upsert(config.setdefault("config_files", []), file, lambda existing: existing.get("path") == path)
    return config


def _remove_config_file(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    path = _name(value, where)
    if not _remove_named(config, "config_files", lambda file: file.get("path") == path):
        raise ChangeTargetNotFound(where, f"no config file has the path {quoted(path)}")
    return config


def _rollback(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    rollout_id = _message(value, where).get("rollback_id", 0)
    if isinstance(rollout_id, str) and rollout_id.isdigit():  # proto3 JSON writes 64-bit integers as text
        rollout_id = int(rollout_id)
    if isinstance(rollout_id, bool) or not isinstance(rollout_id, int) or rollout_id <= 0:
        raise InvalidChange(f"{where}.rollback_id", "must name a rollout (a number above 0)")
    earlier = world.rollout_config(rollout_id)
    return {field: copy.deepcopy(earlier[field]) for field in CONFIG_FIELDS if field in earlier}


def _add_cron_job(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    job = copy.deepcopy(dict(_message(value, where)))
    name = _name(job.get("job_name", ""), f"{where}.job_name")
    jobs = config.setdefault("cron_jobs", [])
    if any(existing.get("job_name") == name for existing in jobs):
        raise CronJobAlreadyExists(where, name)
    jobs.append(job)
    return config


def _remove_cron_job(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    name = _name(_message(value, where).get("job_name", ""), f"{where}.job_name")
    if not _remove_named(config, "cron_jobs", lambda job: job.get("job_name") == name):
        raise ChangeTargetNotFound(where, f"no cron job is named {quoted(name)}")
    return config


def _set_annotations(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    annotations = _message(value, where).get("annotations", {})
    _set_or_drop(config, "annotations", dict(_message(annotations, f"{where}.annotations")))
    return config


def _set_annotation(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    annotation = _message(value, where)
    name = _name(annotation.get("name", ""), f"{where}.name")
    config.setdefault("annotations", {})[name] = str(annotation.get("value", ""))
    return config


def _remove_annotation(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    name = _name(value, where)
    if name not in config.get("annotations", {}):
        raise ChangeTargetNotFound(where, f"no annotation is named {quoted(name)}")
    del config["annotations"][name]
    _set_or_drop(config, "annotations", config["annotations"])
    return config


def _auto_add_rig_service_accounts(config: Config, value: Any, where: str, world: ChangeWorld) -> Config:
    if not isinstance(value, bool):
        raise InvalidChange(where, "must be true or false")
    _set_or_drop(config, "auto_add_rig_service_accounts", value)
    return config


_APPLIERS: dict[str, Applier] = {
    "replicas": _replicas,
    "image_id": _image_id,
    "add_image": _add_image,
    "network": _replace("network"),
    "set_interface": _set_interface,
    "remove_interface": _remove_interface,
    "container_settings": _replace("container_settings"),
    "set_environment_variable": _set_environment_variable,
    "remove_environment_variable": _remove_environment_variable,
    "set_environment_source": _set_environment_source,
    "remove_environment_source": _remove_environment_source,
    "command_arguments": _command_arguments,
    "set_config_file": _set_config_file,
    "remove_config_file": _remove_config_file,
    "horizontal_scale": _replace("horizontal_scale"),
    "rollback": _rollback,
    "add_cron_job": _add_cron_job,
    "remove_cron_job": _remove_cron_job,
    "set_annotations": _set_annotations,
    "set_annotation": _set_annotation,
    "remove_annotation": _remove_annotation,
    "auto_add_rig_service_accounts": _auto_add_rig_service_accounts,
}
CHANGE_KINDS = tuple(_APPLIERS)
