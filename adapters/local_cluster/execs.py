"""Commands run inside an instance (`Execute`): in the instance's environment and folder, with
pipes, or with a pseudo-terminal when a terminal size is asked for (resized with TIOCSWINSZ)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import signal
import struct
import subprocess
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
            self._terminal, follower = pty.openpty()
            _set_size(self._terminal, self._tty)
            try:
                self._process = subprocess.Popen(
                    argv,
                    env=dict(env),
                    cwd=cwd,
                    stdin=follower,
                    stdout=follower,
                    stderr=follower,
                    start_new_session=True,
                    preexec_fn=_take_terminal,
                )
            except OSError:
                os.close(self._terminal)
                os.close(follower)
                raise
            # Our copy of the terminal's far side stays open until the command has ended: the
            # kernel moves written output to our side asynchronously, and once the last copy
            # closes, reading answers EIO even with output still on its way (a short command's
            # whole output could be lost). Closed after the exit, the reader drains what is left.
            self._readers = [self._read(self._terminal, LogStream.STDOUT)]
            threading.Thread(target=self._release_after_exit, args=(follower,), name="exec-tty", daemon=True).start()
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

    def _release_after_exit(self, follower: int) -> None:
        self._process.wait()
        os.close(follower)

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


def _take_terminal() -> None:
    """In the child, after setsid: make the pseudo-terminal on stdin its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _set_size(fd: int, size: TerminalSize) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.rows, size.columns, 0, 0))
