"""Starting supervisors: an instance's or a job execution's folder, spec and process.

A supervisor is a Python process, whose start-up (interpreter, imports) takes longer than many
instances' own. So one spare supervisor is kept started ahead of need: an instance's folder is
handed to it on its stdin, and the next spare starts while the instance does. A spare belongs
to no instance until then; its stdin ends when rigd closes the launcher or dies, and it exits."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rigd.adapters.local_cluster import specs
from rigd.adapters.local_cluster.files import append_private, private_dir, write_json, write_private
from rigd.adapters.local_cluster.probes import free_port
from rigd.adapters.local_cluster.procfs import ProcessIdentity
from rigd.adapters.local_cluster.specs import Template

ROOT_VARIABLE = "RIG_INSTANCE_ROOT"
"""Where an instance's config files are: a file configured at `/etc/app.yaml` is at
`$RIG_INSTANCE_ROOT/etc/app.yaml`. The folder is also the process's working directory."""
INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
"""What an instance takes from rigd's own environment (no more: rigd's holds its secrets)."""
SUPERVISOR_INHERITED = (*INHERITED, "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "HOME")
SUPERVISOR_MODULE = "rigd.adapters.local_cluster.supervisor"
CLOSE_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Timing:
    """Back-off and grace periods (Kubernetes' by default; tests shorten them)."""

    backoff_base: float = 10.0
    backoff_cap: float = 300.0
    reset_after: float = 600.0
    grace: float = 30.0
    probe_period: float = 10.0
    """How often a liveness probe runs; `failure_threshold` failures in a row restart the process."""
    failure_threshold: int = 3


class Launcher:
    def __init__(self, timing: Timing, environ: Mapping[str, str] | None = None, log: Path | None = None) -> None:
        """`log` takes what a spare supervisor writes before it has a folder (a failed start)."""
        self.timing = timing
        environ = os.environ if environ is None else environ
        self._inherited = {name: environ[name] for name in INHERITED if name in environ}
        self._supervisor_env = {name: environ[name] for name in SUPERVISOR_INHERITED if name in environ}
        self._log = log
        self._children: dict[int, subprocess.Popen[bytes]] = {}
        self._children_lock = threading.Lock()
        self._spare: subprocess.Popen[bytes] | None = None
        self._spare_lock = threading.Lock()

    def instance(self, folder: Path, template: Template) -> tuple[dict[str, int], ProcessIdentity | None]:
        """Starts an instance of `template` in `folder`: its ports and its supervisor."""
        ports = {interface.name: free_port() for interface in template.interfaces}
        env = self.environment(folder, template)
        for index, interface in enumerate(template.interfaces):
            if index == 0:
                env["PORT"] = str(ports[interface.name])
            env[specs.port_variable(interface.name)] = str(ports[interface.name])
        argv = [specs.expand(part, env) for part in (template.command, *template.args)]
        return ports, self._start(folder, {"mode": "instance", "argv": argv, "env": env})

    def execution(
        self, folder: Path, template: Template, job: specs.CronJobSpec, url: str | None
    ) -> ProcessIdentity | None:
        """Starts one execution of a cron job in `folder`: a fresh instance running the job's
        command, or a request to `url`."""
        env = self.environment(folder, template)
        argv = [specs.expand(part, env) for part in job.command]
        spec = {
            "mode": "job",
            "argv": argv,
            "env": env,
            "url": url,
            "max_retries": job.max_retries,
            "timeout": job.timeout,
        }
        return self._start(folder, spec)

    def environment(self, folder: Path, template: Template) -> dict[str, str]:
        """The instance's environment with its config files written into its root folder."""
        root = private_dir(folder / "root")
        for path, content in template.files:
            target = (root / path.lstrip("/")).resolve()
            if not target.is_relative_to(root.resolve()):
                continue  # validation refuses such paths; never write outside the folder
            private_dir(target.parent)
            write_private(target, content)
        return {**self._inherited, **template.env, "HOME": str(root), ROOT_VARIABLE: str(root)}

    def _start(self, folder: Path, spec: dict[str, Any]) -> ProcessIdentity | None:
        timing = self.timing
        spec |= {
            "cwd": str(folder / "root"),
            "backoff_base": timing.backoff_base,
            "backoff_cap": timing.backoff_cap,
            "reset_after": timing.reset_after,
            "grace": timing.grace,
        }
        write_json(folder / "spec.json", spec)
        with self._spare_lock:
            spare, self._spare = self._spare, None
            process = self._assign(spare, folder)
            self._spare = self._spawn()  # the next instance's
        return ProcessIdentity.of(process.pid)

    def prepare(self) -> None:
        """Starts the spare supervisor now rather than at the first instance."""
        with self._spare_lock:
            if self._spare is None:
                self._spare = self._spawn()

    def close(self) -> None:
        """Ends the spare supervisor (supervisors of instances run on)."""
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None and spare.stdin is not None:
            spare.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                spare.wait(CLOSE_WAIT_SECONDS)

    def _assign(self, spare: subprocess.Popen[bytes] | None, folder: Path) -> subprocess.Popen[bytes]:
        """Hands `folder` to the spare, or to a new supervisor when the spare has ended."""
        if spare is not None and spare.poll() is None:
            with contextlib.suppress(BrokenPipeError):  # it ended since: a new one takes the folder
                return _hand_over(spare, folder)
        return _hand_over(self._spawn(), folder)

    def _spawn(self) -> subprocess.Popen[bytes]:
        with contextlib.ExitStack() as stack:
            output = subprocess.DEVNULL if self._log is None else stack.enter_context(append_private(self._log))
            process = subprocess.Popen(
                [sys.executable, "-m", SUPERVISOR_MODULE],
                env=self._supervisor_env,
                stdin=subprocess.PIPE,
                bufsize=0,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        with self._children_lock:
            self._children[process.pid] = process
        return process

    def reap(self) -> None:
        """Collects the exit status of supervisors this process started that have ended."""
        with self._children_lock:
            for pid, process in list(self._children.items()):
                if process.poll() is not None:
                    del self._children[pid]


def _hand_over(supervisor: subprocess.Popen[bytes], folder: Path) -> subprocess.Popen[bytes]:
    """Gives the supervisor its folder: written whole, then stdin closed (its end of input)."""
    assert supervisor.stdin is not None
    supervisor.stdin.write(os.fsencode(folder.absolute()))  # shorter than PIPE_BUF: one atomic write
    supervisor.stdin.close()
    return supervisor
