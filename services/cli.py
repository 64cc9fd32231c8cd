"""The `rigd` command."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib.metadata import PackageNotFoundError, version

from rigd.projections.projector import RebuildRefused, UnknownReadModel
from rigd.services.composition import ROLES, Rigd, build
from rigd.services.config import PLATFORM_VERSION, ConfigError, load_settings
from rigd.services.history_commands import add_audit_parser, audit, check_read_models, rebuild_all
from rigd.services.logs import configure_logging

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rigd", description="rigd, a Rig platform API server")
    parser.add_argument("--config", help="YAML configuration file (default: $RIGD_CONFIG)")
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser(
        "serve", help="serve the API (and run projectors, the deployer, and the relay) until SIGTERM")
    serving.add_argument("--roles", type=_roles, default=ROLES,
                         help=f"comma-separated roles to run (default: all: {','.join(ROLES)}; the relay only "
                              "when kafka_bootstrap_servers is set)")
    commands.add_parser("relay", help="run only the Kafka relay until SIGTERM (serve --roles relay)")
    commands.add_parser("deployer", help="run only the deployer until SIGTERM (serve --roles deployer)")
    rebuild = commands.add_parser(
        "rebuild-read-model", help="replay all history into a new generation of a read model, then switch to it")
    rebuild.add_argument("name", nargs="?", help="read model name, e.g. projects")
    rebuild.add_argument("--all", action="store_true", help="rebuild every read model")
    commands.add_parser("check-read-models", help="compare each live read model with a fresh replay of history")
    add_audit_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "rebuild-read-model" and bool(args.name) == bool(args.all):
        parser.error("rebuild-read-model takes a read model name or --all")

    try:
        settings = load_settings(args.config)
        configure_logging(settings.log_level)
        rigd = build(settings)
    except ConfigError as error:
        print(f"rigd: configuration error: {error}", file=sys.stderr)
        return 2

    if args.command in ("serve", "relay", "deployer"):
        from rigd.services.server import ListenError, serve  # (the servers load only for the commands that serve)

        roles = (args.command,) if args.command in ("relay", "deployer") else args.roles
        if args.command == "relay" and rigd.relay is None:
            rigd.close()
            print("rigd: configuration error: the relay needs setting 'kafka_bootstrap_servers'", file=sys.stderr)
            return 2
        try:
            serve(rigd, roles)
        except ListenError as error:
            print(f"rigd: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        if args.command == "audit":
            return audit(rigd, args)
        if args.command == "check-read-models":
            return check_read_models(rigd)
        return rebuild_all(rigd) if args.all else rebuild_read_model(rigd, args.name)
    finally:
        rigd.close()


def _roles(text: str) -> tuple[str, ...]:
    roles = tuple(role.strip() for role in text.split(",") if role.strip())
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        raise argparse.ArgumentTypeError(f"roles are {', '.join(ROLES)}; got {text!r}")
    return roles


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
