"""What /proc tells about processes: identity that survives pid reuse, process groups, usage."""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass

_PROC = "/proc"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class ProcessIdentity:
    """A pid and the kernel's start time of the process that had it: a pid alone may have
    been reused by an unrelated process after ours ended."""

    pid: int
    start_ticks: int

    @classmethod
    def of(cls, pid: int) -> ProcessIdentity | None:
        fields = _stat(pid)
        return None if fields is None else cls(pid, int(fields[19]))

    def alive(self) -> bool:
        fields = _stat(self.pid)
        return fields is not None and int(fields[19]) == self.start_ticks

    def to_json(self) -> dict[str, int]:
        return {"pid": self.pid, "start_ticks": self.start_ticks}

    @classmethod
    def from_json(cls, data: dict[str, int]) -> ProcessIdentity:
        return cls(int(data["pid"]), int(data["start_ticks"]))


def _stat(pid: int | str) -> list[bytes] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None when the
    process is gone or a zombie (it has ended; only its exit status waits to be collected).
    Plain bytes and os calls: a group's members are looked for among every process, often."""
    try:
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    try:
        data = os.read(fd, 4096)
    except ProcessLookupError:
        return None
    finally:
        os.close(fd)
    fields = data[data.rindex(b")") + 2 :].split()
    return None if fields[0] in (b"Z", b"X") else fields


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group."""
    wanted = str(pgid).encode()
    members = []
    for name in os.listdir(_PROC):
        if name.isdigit():
            fields = _stat(name)
            if fields is not None and fields[2] == wanted:
                members.append(int(name))
    return members


def signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def usage(pids: list[int]) -> tuple[int, int]:
    """CPU time in milliseconds (user + system) and resident memory in bytes of `pids`."""
    cpu_ticks = 0
    rss_pages = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            cpu_ticks += int(fields[11]) + int(fields[12])
            rss_pages += int(fields[21])
    return cpu_ticks * 1000 // CLOCK_TICKS, rss_pages * PAGE_SIZE


def group_ended(leader: ProcessIdentity) -> bool:
    """Whether no process of the group `leader` led is left (a group id is never given to a
    new process while members of the group live, so a reused pid means the group ended)."""
    if leader.alive():
        return False
    if ProcessIdentity.of(leader.pid) is not None:
        return True
    return not group_members(leader.pid)


def end_group(leader: ProcessIdentity, signum: int = signal.SIGTERM) -> None:
    """Signals the group `leader` leads, unless the leader is another process by now. A group
    whose leader has ended keeps its id while members live, so they are signalled too."""
    if leader.alive() or ProcessIdentity.of(leader.pid) is None:
        signal_group(leader.pid, signum)
