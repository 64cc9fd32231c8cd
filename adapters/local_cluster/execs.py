"""Commands run inside an instance (`Execute`): in the instance's environment and folder, with
pipes, or with a pseudo-terminal when a terminal size is asked for (resized with TIOCSWINSZ)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import queue
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from rigd.adapters.local_cluster import procfs
from rigd.domain.cluster_driver import ExecOutput, ExecRequest, LogStream, TerminalSize

_END = None
END_OF_TRANSMISSION = b"\x04"


class LocalExecSession:
    """One running command; see `rigd.domain.cluster_driver.ExecSession`."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: Path, request: ExecRequest) -> None:
        self._output: queue.Queue[ExecOutput | None] = queue.Queue()
        self._tty = request.tty
        self._terminal: int | None = None
        if self._tty is not None:
            _require_command(argv[0], env, cwd)
            self._terminal, follower = pty.openpty()
            _set_size(self._terminal, self._tty)
            try:
                self._process = subprocess.Popen(
                    [*_WITH_TERMINAL, *argv],
                    env=dict(env),
                    cwd=cwd,
                    stdin=follower,
                    stdout=follower,
                    stderr=follower,
                    start_new_session=True,
                )
            except OSError:
                os.close(self._terminal)
                raise
            finally:
                os.close(follower)
            self._readers = [self._read(self._terminal, LogStream.STDOUT)]
        else:
            stdin = subprocess.PIPE if request.interactive else subprocess.DEVNULL
            self._process = subprocess.Popen(
                argv,
                env=dict(env),
                cwd=cwd,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            assert self._process.stdout is not None and self._process.stderr is not None
            self._readers = [
                self._read(self._process.stdout.fileno(), LogStream.STDOUT),
                self._read(self._process.stderr.fileno(), LogStream.STDERR),
            ]
        self._open_readers = len(self._readers)

    def _read(self, fd: int, stream: LogStream) -> threading.Thread:
        def run() -> None:
            try:
                while chunk := os.read(fd, 65536):
                    self._output.put(ExecOutput(stream, chunk))
            except OSError:
                pass  # a pseudo-terminal answers EIO once the command has ended
            self._output.put(_END)

        thread = threading.Thread(target=run, name=f"exec-{stream.value}", daemon=True)
        thread.start()
        return thread

    def send(self, data: bytes) -> None:
        if self._terminal is not None:
            os.write(self._terminal, data)
        elif self._process.stdin is not None:
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except BrokenPipeError:
                pass  # the command stopped reading; its output and exit code still count

    def close_stdin(self) -> None:
        if self._terminal is not None:
            os.write(self._terminal, END_OF_TRANSMISSION)
        elif self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()

    def resize(self, size: TerminalSize) -> None:
        if self._terminal is not None:
            _set_size(self._terminal, size)

    def __iter__(self) -> Iterator[ExecOutput]:
        while self._open_readers:
            item = self._output.get()
            if item is _END:
                self._open_readers -= 1
            else:
                yield item
        self._process.wait()
        self._close_terminal()

    @property
    def exit_code(self) -> int | None:
        code = self._process.poll()
        if code is None:
            return None
        return 128 - code if code < 0 else code  # killed by a signal: 128 + its number, as a shell says

    def close(self) -> None:
        if self._process.poll() is None:
            procfs.signal_group(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._close_terminal()

    def _close_terminal(self) -> None:
        if self._terminal is not None:
            for reader in self._readers:
                reader.join(1.0)
            os.close(self._terminal)
            self._terminal = None


# Makes the pseudo-terminal on stdin the controlling terminal of the new session, then runs the
# command in its place (same pid). Not a `preexec_fn`: that runs Python in a child forked from a
# process with threads (gRPC's among them), and such children can crash before they exec
# (seen as SIGSEGV under load); without one, subprocess starts the child without running Python.
_WITH_TERMINAL = (
    sys.executable, "-I", "-S", "-c",
    "import fcntl, os, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "try:\n"
    "    os.execvp(sys.argv[1], sys.argv[1:])\n"
    "except OSError as error:\n"
    "    sys.exit(f'{sys.argv[1]}: {error.strerror}')\n",
)


def _require_command(command: str, env: Mapping[str, str], cwd: Path) -> None:
    """Refuses, as starting it would, a command that cannot run (the helper that starts a
    command with a terminal only finds out after it has started)."""
    if "/" in command:
        path = Path(command) if os.path.isabs(command) else cwd / command
        found = path.is_file() and os.access(path, os.X_OK)
    else:
        found = shutil.which(command, path=env.get("PATH", os.defpath)) is not None
    if not found:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), command)


def _set_size(fd: int, size: TerminalSize) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.rows, size.columns, 0, 0))
