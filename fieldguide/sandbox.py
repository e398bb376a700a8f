"""Sandbox: parse untrusted files in a child process with a time and memory limit."""

from __future__ import annotations

import multiprocessing
import resource
from pathlib import Path

from .errors import DocumentError
from .ingest import Document, read_document

MEMORY_LIMIT = 2 * 1024**3


def _serve(conn, memory_limit: int) -> None:
    """Child loop: read each path sent, reply with a Document or an error message."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        path, doc_id = job
        try:
            conn.send(("ok", read_document(Path(path), doc_id)))
        except DocumentError as exc:
            conn.send(("error", str(exc)))
        except MemoryError:
            conn.send(
                (
                    "error",
                    f"{Path(path).name}: the file needs too much memory to read "
                    "(it may be a compression bomb)",
                )
            )
        except RecursionError:
            conn.send(
                (
                    "error",
                    f"{Path(path).name}: the file is nested too deeply to read "
                    "(it is damaged or malicious)",
                )
            )
        except Exception as exc:  # noqa: BLE001 - any parser failure is one file's problem
            conn.send(("error", f"{Path(path).name}: could not be read ({type(exc).__name__})"))


class Parser:
    """Reads files one at a time in a reusable child process; a hang or crash costs one file.

    Args:
        timeout: seconds one file may take.
        memory_limit: bytes of address space the child may use.
    """

    def __init__(self, timeout: float = 60.0, memory_limit: int = MEMORY_LIMIT):
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._context = multiprocessing.get_context("spawn")
        self._process = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_serve, args=(child, self.memory_limit), daemon=True
        )
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def read(self, path: Path, doc_id: str) -> Document:
        """Parse one file. Raises DocumentError on any failure, timeout or crash included."""
        if self._process is None or not self._process.is_alive():
            self._start()
        name = Path(path).name
        try:
            self._conn.send((str(path), doc_id))
            if not self._conn.poll(self.timeout):
                self._stop()
                raise DocumentError(
                    f"{name}: reading the file took longer than "
                    f"{self.timeout:.0f} s; it was skipped"
                )
            status, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._stop()
            raise DocumentError(
                f"{name}: the file crashed the reader (it is damaged or too large); it was skipped"
            ) from None
        if status == "error":
            raise DocumentError(value)
        return value

    def close(self) -> None:
        """Stop the child process."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        self._stop()

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
