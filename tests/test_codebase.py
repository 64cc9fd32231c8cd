"""Checks on the code base itself: wire compatibility, generated code, layering, lint, packaging."""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FileDescriptor

import rigd.proto

ROOT = Path(__file__).resolve().parents[1]
WIRE_TABLE = ROOT / "tests" / "data" / "rig-api-wire.tsv"  # a copy of the Rig v1.8.10 wire reference
BIN = Path(sys.executable).parent
CODE_FOLDERS = ("domain", "projections", "adapters", "services", "proto")


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


# Wire facts, one a line, in the wire table's format (see its header):
#   message|map-entry <full name>
#   field <message> <number> <name> <type> [repeated|optional] [oneof=<name>]
#   enum <full name> / value <enum> <number> <NAME>
#   rpc <path> <request> <response> <unary|server-stream|client-stream|bidi>
_SCALARS = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool",
            9: "string", 12: "bytes", 13: "uint32", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64"}
_REPEATED = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED


def _message_facts(prefix: str, message: descriptor_pb2.DescriptorProto) -> list[str]:
    name = f"{prefix}.{message.name}"
    facts = [f"{'map-entry' if message.options.map_entry else 'message'}\t{name}"]
    for field in message.field:
        kind = _SCALARS.get(field.type) or field.type_name.lstrip(".")
        label = "repeated" if field.label == _REPEATED else ("optional" if field.proto3_optional else "")
        oneof = ""
        if field.HasField("oneof_index") and not field.proto3_optional:
            oneof = "oneof=" + message.oneof_decl[field.oneof_index].name
        facts.append(f"field\t{name}\t{field.number}\t{field.name}\t{kind}\t{label}\t{oneof}".rstrip())
    for enum in message.enum_type:
        facts += _enum_facts(name, enum)
    for nested in message.nested_type:
        facts += _message_facts(name, nested)
    return facts


def _enum_facts(prefix: str, enum: descriptor_pb2.EnumDescriptorProto) -> list[str]:
    name = f"{prefix}.{enum.name}"
    return [f"enum\t{name}"] + [f"value\t{name}\t{value.number}\t{value.name}" for value in enum.value]


def _file_facts(file: FileDescriptor) -> list[str]:
    proto = descriptor_pb2.FileDescriptorProto()
    file.CopyToProto(proto)
    facts: list[str] = []
    for enum in proto.enum_type:
        facts += _enum_facts(proto.package, enum)
    for message in proto.message_type:
        facts += _message_facts(proto.package, message)
    for service in proto.service:
        for method in service.method:
            streaming = {(True, True): "bidi", (False, True): "server-stream", (True, False): "client-stream"}
            kind = streaming.get((method.client_streaming, method.server_streaming), "unary")
            facts.append(f"rpc\t/{proto.package}.{service.name}/{method.name}\t"
                         f"{method.input_type.lstrip('.')}\t{method.output_type.lstrip('.')}\t{kind}")
    return facts


def served_wire_facts() -> set[str]:
    """Every wire fact of the generated descriptors rigd serves (the rigd.proto *_pb2 modules)."""
    facts: set[str] = set()
    for module in pkgutil.walk_packages(rigd.proto.__path__, "rigd.proto."):
        if module.name.endswith("_pb2"):
            facts.update(_file_facts(importlib.import_module(module.name).DESCRIPTOR))
    return facts


def reference_wire_facts() -> list[str]:
    lines = WIRE_TABLE.read_text().splitlines()
    return [line for line in lines if line and not line.startswith("#") and not line.startswith("file\t")]


def test_protos_match_every_wire_fact() -> None:
    reference = reference_wire_facts()
    assert len(reference) == 1517
    served = served_wire_facts()
    missing = [line.replace("\t", " ") for line in reference if line not in served]
    assert not missing, f"{len(missing)} of {len(reference)} wire facts missing or different:\n" + "\n".join(missing)


def test_wire_facts_are_read_from_the_descriptors() -> None:
    served = served_wire_facts()
    assert "field\tapi.v1.project.Project\t1\tproject_id\tstring" in served
    assert "field\tmodel.Author\t3\tuser_id\tstring\t\toneof=account" in served
    assert "map-entry\tapi.v1.capsule.JobURL.QueryParametersEntry" in served
    assert "rpc\t/api.v1.project.Service/Create\tapi.v1.project.CreateRequest\tapi.v1.project.CreateResponse\tunary" \
        in served
    assert any(line.startswith("rpc\t") and line.endswith("\tserver-stream") for line in served)
    assert any(line.startswith("value\t") for line in served)
    # a changed field number would be a different line, so the comparison above would report it
    assert "field\tapi.v1.project.Project\t9\tproject_id\tstring" not in served


def test_generated_code_is_up_to_date() -> None:
    result = run(sys.executable, "-m", "rigd.proto.generate", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_hold() -> None:
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def _tree_with(tmp_path: Path, folder: str, module: str, source: str) -> Path:
    """A tree that installs as rigd.* with one extra module in `folder` (the others linked to the real ones)."""
    tree = tmp_path / "tree"
    (tree / "rigd").mkdir(parents=True)
    for name in CODE_FOLDERS:
        if name == folder:
            shutil.copytree(ROOT / name, tree / "rigd" / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tree / "rigd" / name).symlink_to(ROOT / name)
    (tree / "rigd" / folder / module).write_text(source)
    (tree / "tests").mkdir()
    for name in ("__init__.py", "contracts.py"):
        shutil.copy(ROOT / "tests" / name, tree / "tests" / name)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize(
    ("folder", "source", "contract"),
    [
        ("domain", "import jwt\n", "The domain imports only the standard library and eventsourcing"),
        ("domain", "import rigd.adapters.secrets\n", "The domain imports only the standard library and eventsourcing"),
        ("domain", "import sqlite3\n", "The domain does no I/O of its own"),
        ("projections", "import rigd.adapters.secrets\n", "Services over adapters over read models"),
        ("adapters", "import rigd.services.config\n", "Services over adapters over read models"),
        ("proto", "import rigd.domain.naming\n", "Services over adapters over read models"),
        ("adapters", "import grpc\n", "Adapters implement the ports"),
    ],
)
def test_layer_contracts_bite(tmp_path: Path, folder: str, source: str, contract: str) -> None:
    tree = _tree_with(tmp_path, folder, "intruder.py", source)
    # the tree's own rigd.* must be the one analysed, not the installed checkout
    found = subprocess.run([sys.executable, "-c", f"import rigd.{folder}; print(rigd.{folder}.__file__)"],
                           cwd=tree, capture_output=True, text=True, timeout=60)
    assert found.stdout.startswith(str(tree)), found.stdout + found.stderr
    result = subprocess.run([str(BIN / "lint-imports")], cwd=tree, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0, result.stdout + result.stderr
    broken = result.stdout[result.stdout.index("Broken contracts"):]
    assert contract in broken
    assert f"rigd.{folder}.intruder" in broken


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_types_check(tmp_path: Path) -> None:
    # mypy cannot follow setuptools' editable finder, so it reads the folders through a
    # tree that spells the installed names (tmp/rigd/domain -> domain/, ...).
    tree = tmp_path / "rigd"
    tree.mkdir()
    for folder in ("domain", "projections", "adapters", "services", "proto"):
        (tree / folder).symlink_to(ROOT / folder)
    result = subprocess.run(
        [str(BIN / "mypy"), "--config-file", str(ROOT / "pyproject.toml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_every_package_is_in_the_wheel() -> None:
    """pyproject lists the packages by hand; a new subpackage missing from the list would be missing from the wheel."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"] == {f"rigd.{folder}": folder for folder in CODE_FOLDERS}
    on_disk = {
        "rigd." + ".".join(init.parent.relative_to(ROOT).parts)
        for folder in CODE_FOLDERS
        for init in (ROOT / folder).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert "rigd.proto.api.v1.project" in on_disk
    assert sorted(setuptools["packages"]) == sorted(on_disk)


def test_readme_links_only_to_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    paths = [
        path for path in re.findall(r"`([^`\s]+)`", readme)
        if "/" in path and not path.startswith(("/", "api.v1", "http")) and "://" not in path
    ]
    relative = [link for link in links if "://" not in link]
    assert relative, "the README links to docs/architecture.md"
    missing = [path for path in relative + paths if not _exists_in_repository(path)]
    assert not missing, f"README.md mentions paths that are not in the repository: {missing}"


def _exists_in_repository(path: str) -> bool:
    if path.startswith(("data_dir/", "./var/", ".tools/")):  # made at run time (data; CI's tools)
        return True
    return (ROOT / path.rstrip("/")).exists()
