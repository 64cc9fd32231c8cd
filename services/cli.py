"""The `rigd` command."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version

from rigd.services.composition import build
from rigd.services.config import PLATFORM_VERSION, ConfigError, load_settings
from rigd.services.logs import configure_logging
from rigd.services.server import ListenError, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rigd", description="rigd, a Rig platform API server")
    parser.add_argument("--config", help="YAML configuration file (default: $RIGD_CONFIG)")
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the API (and run projectors) until SIGTERM")
    rebuild = commands.add_parser("rebuild-read-model", help="drop a read model and replay all history into it")
    rebuild.add_argument("name", help="read model name, e.g. projects")
    args = parser.parse_args(argv)

    try:
        settings = load_settings(args.config)
        configure_logging(settings.log_level)
        rigd = build(settings)
    except ConfigError as error:
        print(f"rigd: configuration error: {error}", file=sys.stderr)
        return 2

    if args.command == "serve":
        try:
            serve(rigd)
        except ListenError as error:
            print(f"rigd: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        rigd.projector.rebuild(args.name)
        rigd.projector.catch_up(args.name)
        print(f"read model {args.name!r} rebuilt up to notification {rigd.projector.position(args.name)}")
        return 0
    except KeyError as error:
        print(f"rigd: {error.args[0]}", file=sys.stderr)
        return 2
    finally:
        rigd.close()


def version_line() -> str:
    try:
        own = version("rigd")
    except PackageNotFoundError:  # run from a checkout that was never installed
        own = "unknown"
    return f"rigd {own} (Rig platform API {PLATFORM_VERSION})"


if __name__ == "__main__":
    sys.exit(main())
