"""The `rigd` command."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib.metadata import PackageNotFoundError, version

from rigd.projections.projector import RebuildRefused, UnknownReadModel
from rigd.services.composition import Rigd, build
from rigd.services.config import PLATFORM_VERSION, ConfigError, load_settings
from rigd.services.logs import configure_logging
from rigd.services.server import ListenError, serve

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rigd", description="rigd, a Rig platform API server")
    parser.add_argument("--config", help="YAML configuration file (default: $RIGD_CONFIG)")
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the API (and run projectors) until SIGTERM")
    rebuild = commands.add_parser(
        "rebuild-read-model", help="replay all history into a new generation of a read model, then switch to it")
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
        return rebuild_read_model(rigd, args.name)
    finally:
        rigd.close()


def rebuild_read_model(rigd: Rigd, name: str) -> int:
    """Builds a new generation of the read model beside the live one and switches to it;
    one line either way, exit 0, 1 (refused or failed) or 2 (no such read model)."""
    try:
        position = rigd.projector.rebuild(name)
    except UnknownReadModel as error:
        print(f"rigd: {error.args[0]}", file=sys.stderr)
        return 2
    except RebuildRefused as error:
        print(f"rigd: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # one line for the operator; the details go to the log
        log.debug("rebuilding read model %s failed", name, exc_info=True)
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"rigd: rebuilding read model {name!r} failed: {reason}", file=sys.stderr)
        return 1
    print(f"read model {name!r} rebuilt up to notification {position}; the new generation is live")
    return 0


def version_line() -> str:
    try:
        own = version("rigd")
    except PackageNotFoundError:  # run from a checkout that was never installed
        own = "unknown"
    return f"rigd {own} (Rig platform API {PLATFORM_VERSION})"


if __name__ == "__main__":
    sys.exit(main())
