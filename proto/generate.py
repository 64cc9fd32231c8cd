"""Generate the Python modules (messages, gRPC stubs, type stubs, Connect applications) from the .proto sources.

    python -m rigd.proto.generate           # rewrite the generated files in place
    python -m rigd.proto.generate --check   # exit 1 if the committed files are stale

protoc names imports after the .proto paths (``from api.v1.capsule import ...``);
the generated code lives inside the ``rigd.proto`` package, so imports are rewritten to
``from rigd.proto.api.v1.capsule import ...``. The Connect modules (``*_connect.py``, one
ASGI application per service) come from the pure-Python ``protoc-gen-connectrpc`` plugin,
told to use the google.protobuf message classes of the ``*_pb2`` modules (``protobuf=google``)
and to write only the asyncio side (``io=async``: rigd serves ASGI). Output depends only on the
sources and the pinned grpcio-tools and protoc-gen-connectrpc versions, so ``--check`` is exact.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py", "_connect.py")
CONNECT_PLUGIN = "protoc-gen-connectrpc"
CONNECT_OPTIONS = "protobuf=google,io=async"
_IMPORT = re.compile(r"^(from|import) (api|model)([. ])", re.M)


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.proto"))


def _run_protoc(out: pathlib.Path) -> None:
    import grpc_tools

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    cmd = [
        sys.executable, "-m", "grpc_tools.protoc", f"-I{ROOT}", f"-I{well_known}",
        f"--python_out={out}", f"--pyi_out={out}", f"--grpc_python_out={out}",
        f"--plugin={CONNECT_PLUGIN}={_connect_plugin()}", f"--connectrpc_out={out}",
        f"--connectrpc_opt={CONNECT_OPTIONS}", *_sources(),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit("protoc failed:\n" + result.stderr)


def _connect_plugin() -> str:
    """The plugin's script, beside this interpreter (the test extras install it) or on PATH."""
    beside = pathlib.Path(sys.executable).parent / CONNECT_PLUGIN
    found = str(beside) if beside.exists() else shutil.which(CONNECT_PLUGIN)
    if found is None:
        sys.exit(f"{CONNECT_PLUGIN} is not installed: pip install -e '.[test]'")
    return found


def _rewrite(tree: pathlib.Path) -> None:
    for path in tree.rglob("*"):
        if path.name.endswith(GENERATED_SUFFIXES):
            text = _IMPORT.sub(lambda m: f"{m.group(1)} rigd.proto.{m.group(2)}{m.group(3)}", path.read_text())
            path.write_text(text)
    for folder in [tree, *(p for p in tree.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()


def _generated_files(tree: pathlib.Path) -> set[str]:
    return {
        str(p.relative_to(tree))
        for p in tree.rglob("*")
        if p.name.endswith(GENERATED_SUFFIXES) or (p.name == "__init__.py" and p.parent != tree)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = pathlib.Path(tmp)
        _run_protoc(fresh)
        _rewrite(fresh)
        wanted, present = _generated_files(fresh), _generated_files(ROOT)
        stale = sorted(
            name for name in wanted | present
            if name not in wanted or name not in present
            or not filecmp.cmp(fresh / name, ROOT / name, shallow=False)
        )
        if args.check:
            for name in stale:
                print(f"stale: proto/{name}")
            print("generated code is up to date" if not stale else "run: python -m rigd.proto.generate")
            return 1 if stale else 0
        for name in stale:
            if name not in wanted:
                (ROOT / name).unlink()
                continue
            (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh / name, ROOT / name)
        print(f"{len(stale)} generated file(s) written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
