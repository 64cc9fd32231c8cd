"""Instances started but never recorded: a rigd killed between starting an instance's
supervisor and saving the capsule's state leaves a supervisor no state file names. The
background work finds their folders (an instance folder with no record) and ends them, so no
process outlives its record."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
from pathlib import Path

from rigd.adapters.local_cluster.launcher import SUPERVISOR_MODULE
from rigd.adapters.local_cluster.state import CapsuleState

log = logging.getLogger(__name__)


def end_orphans(state: CapsuleState) -> None:
    """Ends the supervisors of instance folders `state` has no record of, and removes the folders.
    Called with the capsule's lock held, so no instance being started is mistaken for one."""
    folder = state.folder / "instances"
    try:
        names = {entry.name for entry in folder.iterdir()}
    except FileNotFoundError:
        return
    orphans = names - {record.instance_id for record in state.instances}
    for name in orphans:
        path = folder / name
        for pid in _supervisors_of(path):
            log.warning("local cluster: ending %s's supervisor (pid %s), which no state recorded", name, pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        shutil.rmtree(path, ignore_errors=True)


def _supervisors_of(folder: Path) -> list[int]:
    """The supervisors working in `folder` (a supervisor moves into the folder it is given)."""
    wanted = folder.resolve()
    module = SUPERVISOR_MODULE.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if module in argv and cwd == wanted:
            found.append(int(entry.name))
    return found
