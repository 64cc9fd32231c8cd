"""The supervisor of one instance or one job execution: a small process of its own, so that
what rigd started outlives rigd (a restarted rigd adopts it) and its logs keep being written.

Run as `python -m rigd.adapters.local_cluster.supervisor`, it waits for its folder on stdin
(the launcher starts a spare ahead of need, so that an instance starts without a Python
start-up before it; a spare whose stdin ends empty exits), works in that folder (how the local
cluster finds it, `orphans.py`), reads `FOLDER/spec.json`, runs the process (the supervisor
leads the process group that the process and its children join, so a group signal reaches them
all), writes timestamped logs under `FOLDER/logs/` and its state to `FOLDER/status.json`. Its
waits end at the signal that ends them (SIGTERM, SIGUSR1, the process's SIGCHLD), not at a next
look. An instance restarts whenever its process ends, with
Kubernetes' CrashLoopBackOff timing: the first restart at once, then `base` doubling up to
`cap`, reset after running `reset_after`. A job execution retries a failed attempt up to
`max_retries` times with the same back-off, within `timeout`. SIGTERM stops it: the process
gets SIGTERM, then SIGKILL after `grace` seconds."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from rigd.adapters.local_cluster import logfiles, procfs
from rigd.adapters.local_cluster.files import now, private_dir, read_json, timestamp, write_json

PAUSE_STEP_SECONDS = 0.5  # the longest wait between looks: signals end waits sooner
PUMP_DRAIN_SECONDS = 1.0
PARTIAL_LINE_SECONDS = 0.2
KEPT_CONTAINER_LOGS = 2
START_FAILURE_EXIT_CODE = 128


class Supervisor:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.spec: dict[str, Any] = read_json(folder / "spec.json")
        self.logs = private_dir(folder / "logs")
        self.status: dict[str, Any] = read_json(folder / "status.json") or {"container": 0, "fail_count": 0}

    def save(self, **changes: Any) -> None:
        self.status.update(changes)
        write_json(self.folder / "status.json", self.status)

    def backoff(self, failures: int) -> float:
        """Seconds to wait before the next start after `failures` failures in a row."""
        if failures <= 1:
            return 0.0
        return float(min(self.spec["backoff_cap"], self.spec["backoff_base"] * 2 ** (failures - 2)))

    def run_container(self, deadline: float | None = None) -> dict[str, Any]:
        """Runs the process once (or the URL request of a URL job); answers its termination."""
        container = self.status["container"] + 1
        UNHEALTHY.clear()  # a verdict on the process before is no verdict on this one
        started = now()
        self.save(container=container, state="running", started_at=timestamp(started), pid=None, backoff_until=None)
        writer = logfiles.LogWriter(logfiles.container_log(self.logs, container))
        for older in logfiles.containers(self.logs)[:-KEPT_CONTAINER_LOGS]:
            logfiles.container_log(self.logs, older).unlink(missing_ok=True)  # as the kubelet keeps two
        try:
            if self.spec.get("url"):
                code, reason, message = self._request(writer, deadline)
            else:
                code, reason, message = self._process(writer, deadline)
            termination = {
                "exit_code": code if code >= 0 else 128 - code,
                "signal": -code if code < 0 else 0,
                "reason": reason,
                "message": message,
                "started_at": timestamp(started),
                "finished_at": timestamp(now()),
                "container_id": f"{self.folder.name}-{container}",
            }
            writer.write("termination", message.encode(), exit_code=termination["exit_code"])
        finally:
            writer.close()
        self.save(last_termination=termination, pid=None)
        return termination

    def _process(self, writer: logfiles.LogWriter, deadline: float | None) -> tuple[int, str, str]:
        try:
            process = subprocess.Popen(
                self.spec["argv"],
                env=self.spec["env"],
                cwd=self.spec["cwd"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            message = f"cannot start {self.spec['argv'][0]!r}: {error.strerror or error}"
            writer.write("stderr", (message + "\n").encode())
            return START_FAILURE_EXIT_CODE, "StartError", message
        self.save(pid=process.pid)
        assert process.stdout is not None and process.stderr is not None
        pumps = [_pump(process.stdout.fileno(), "stdout", writer), _pump(process.stderr.fileno(), "stderr", writer)]
        reason, message = self._wait(process, deadline)
        for pump in pumps:
            pump.join(PUMP_DRAIN_SECONDS)
        code = process.returncode
        return code, reason or ("Completed" if code == 0 else "Error"), message

    def _wait(self, process: subprocess.Popen[bytes], deadline: float | None) -> tuple[str, str]:
        """Waits for the process; on SIGTERM, past the deadline or when told it is unhealthy
        (SIGUSR1) ends it (and its group). Answers the reason and message of an ending it made."""
        while process.poll() is None:
            if STOP.is_set():
                # The reason follows the exit status, as the kubelet's does (143 after SIGTERM:
                # Error): the group gets the signal at once, and whether the process or this
                # loop sees it first must not change what is recorded.
                self._end_group(process)
                return "", ""
            if deadline is not None and _clock() >= deadline:
                self._end_group(process)
                return "DeadlineExceeded", "the job ran past its timeout"
            if UNHEALTHY.is_set():
                UNHEALTHY.clear()
                self._end_group(process)
                return "", "liveness probe failed"
            left = PAUSE_STEP_SECONDS if deadline is None else deadline - _clock()
            WAKEUP.wait(min(PAUSE_STEP_SECONDS, max(0.0, left)))
        return "", ""

    def _end_group(self, process: subprocess.Popen[bytes]) -> None:
        _signal_others(signal.SIGTERM)
        try:
            process.wait(self.spec["grace"])
        except subprocess.TimeoutExpired:
            _signal_others(signal.SIGKILL)
            process.wait()

    def _request(self, writer: logfiles.LogWriter, deadline: float | None) -> tuple[int, str, str]:
        import urllib.error  # here: an instance's supervisor starts faster without it
        import urllib.request

        limit = 30.0 if deadline is None else max(0.1, deadline - _clock())
        try:
            with urllib.request.urlopen(self.spec["url"], timeout=limit) as response:
                writer.write("stdout", response.read())
                return 0, "Completed", ""
        except urllib.error.HTTPError as error:
            writer.write("stdout", error.read())
            return 22, "Error", f"HTTP {error.code}"  # curl --fail-with-body exits 22
        except (OSError, ValueError) as error:
            writer.write("stderr", f"{error}\n".encode())
            return 7, "Error", str(error)

    def run_instance(self) -> None:
        while not STOP.is_set():
            termination = self.run_container()
            if STOP.is_set():
                break
            ran = _seconds(termination["finished_at"]) - _seconds(termination["started_at"])
            failures = 1 if ran >= self.spec["reset_after"] else self.status["fail_count"] + 1
            delay = self.backoff(failures)
            until = datetime.fromtimestamp(now().timestamp() + delay, now().tzinfo)
            self.save(
                fail_count=failures,
                failed_at=termination["finished_at"],
                state="backoff",
                backoff_until=timestamp(until),
                backoff_seconds=delay,
            )
            _pause(delay)
        self.save(state="stopped")

    def run_job(self) -> None:
        timeout = self.spec.get("timeout")
        deadline = None if timeout is None else _clock() + float(timeout)
        self.save(job_state="ONGOING", retries=0)
        while True:
            termination = self.run_container(deadline)
            if termination["exit_code"] == 0 and termination["reason"] == "Completed":
                return self.save(job_state="COMPLETED", finished_at=timestamp(now()))
            if STOP.is_set() or termination["reason"] == "DeadlineExceeded":
                return self.save(job_state="TERMINATED", finished_at=timestamp(now()))
            retries = self.status["retries"] + 1
            if retries > self.spec["max_retries"]:
                return self.save(job_state="FAILED", finished_at=timestamp(now()), retries=retries - 1)
            self.save(retries=retries)
            delay = self.backoff(retries + 1)
            if deadline is not None and _clock() + delay >= deadline:
                return self.save(job_state="TERMINATED", finished_at=timestamp(now()))
            if _pause(delay):
                return self.save(job_state="TERMINATED", finished_at=timestamp(now()))


class _Flag:
    """Set by a signal handler (SIGTERM: stop; SIGUSR1: restart the unhealthy process). A
    plain flag: a handler that took a lock (as `threading.Event.set` does) could deadlock
    with the main thread it interrupts."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set

    def clear(self) -> None:
        self._set = False


class _Wakeup:
    """A pipe the interpreter writes a byte to whenever a signal arrives (`signal.set_wakeup_fd`),
    SIGCHLD included: a wait on it ends at once when the process ends or the supervisor is
    signalled, where a sleep would end only at its next look."""

    def __init__(self) -> None:
        self._read: int | None = None

    def install(self) -> None:
        self._read, write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD writes its byte

    def wait(self, seconds: float) -> None:
        """Waits up to `seconds`, less when a signal arrives (or arrived since the last wait)."""
        if self._read is None:
            time.sleep(seconds)
        elif select.select([self._read], [], [], seconds)[0]:
            with contextlib.suppress(BlockingIOError):
                os.read(self._read, 4096)


STOP = _Flag()
UNHEALTHY = _Flag()
WAKEUP = _Wakeup()


def _pause(seconds: float) -> bool:
    """Sleeps up to `seconds`, less when stopped; answers whether stopped."""
    end = time.monotonic() + seconds
    while not STOP.is_set() and (left := end - time.monotonic()) > 0:
        WAKEUP.wait(min(PAUSE_STEP_SECONDS, left))
    return STOP.is_set()


def _pump(fd: int, stream: str, writer: logfiles.LogWriter) -> threading.Thread:
    """Copies a pipe into the log a line at a time; a line still unfinished after
    `PARTIAL_LINE_SECONDS` (a prompt, a progress bar) is written as it is."""

    def run() -> None:
        pending = b""
        while True:
            if pending and not select.select([fd], [], [], PARTIAL_LINE_SECONDS)[0]:
                writer.write(stream, pending)
                pending = b""
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                writer.write(stream, line + b"\n")
        if pending:
            writer.write(stream, pending)

    thread = threading.Thread(target=run, name=f"pump-{stream}", daemon=True)
    thread.start()
    return thread


def _signal_others(signum: int) -> None:
    """Signals every process of this group but the supervisor itself."""
    me = os.getpid()
    for pid in procfs.group_members(os.getpgid(0)):
        if pid != me:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)


def _clock() -> float:
    return float(now().timestamp())


def _seconds(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def assigned_folder() -> Path | None:
    """The folder the launcher writes on stdin (then closes it), once it has an instance or a job
    execution for this supervisor; None when stdin ends empty (the launcher closed or ended).
    Moves into the folder and sends its output to the folder's `supervisor.log`."""
    data = sys.stdin.buffer.read()
    if not data:
        return None
    folder = Path(os.fsdecode(data))
    os.chdir(folder)  # how the local cluster tells which folder a running supervisor serves
    log = os.open(folder / "supervisor.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    for source, target in ((null, 0), (log, 1), (log, 2)):
        os.dup2(source, target)
    os.close(log)
    os.close(null)
    return folder


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: STOP.set())
    signal.signal(signal.SIGUSR1, lambda *_: UNHEALTHY.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    WAKEUP.install()
    folder = assigned_folder()
    if folder is None:
        return 0  # a spare nobody needed
    supervisor = Supervisor(folder)
    if supervisor.spec["mode"] == "job":
        supervisor.run_job()
    else:
        supervisor.run_instance()
    return 0


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Without the interpreter's tear-down (some ms): a stop waits for this process to end, and
    # everything it keeps is written whole and unbuffered by now.
    os._exit(exit_code)
