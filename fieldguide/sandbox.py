"""Sandbox: parse untrusted files in a child process with a time and memory limit."""

from __future__ import annotations

import dataclasses
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import DocumentError
from .ingest import Document, Page, read_document
from .problems import Kind, document_error

MEMORY_LIMIT = 2 * 1024**3


def _read_one(path: str, doc_id: str, progress=None) -> dict:
    """Parse one file into a JSON-able reply (runs in the child)."""
    name = Path(path).name
    try:
        return {"ok": dataclasses.asdict(read_document(Path(path), doc_id, progress))}
    except DocumentError as exc:
        error = exc
    except MemoryError:
        error = document_error(Kind.TOO_MUCH_MEMORY, name)
    except RecursionError:
        error = document_error(Kind.TOO_DEEP, name)
    except Exception as exc:  # noqa: BLE001 - any parser failure is one file's problem
        error = document_error(Kind.READER_FAILED, name, reason=type(exc).__name__)
    return {"error": str(error), "kind": error.kind}


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this child when the indexer dies, even by kill -9, mid-way through a file."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child still stops at end of stdin
        pass
    if parent and os.getppid() != parent:  # the indexer died before the request took effect
        sys.exit(0)


def serve(memory_limit: int, parent: int = 0) -> None:
    """Child loop: one JSON request per stdin line, one JSON reply per stdout line."""
    import resource

    _die_with_parent(parent)
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a parser that prints must not corrupt the reply channel
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass

    def progress(page: int, pages: int) -> None:
        reply.write(json.dumps({"page": [page, pages]}) + "\n")
        reply.flush()

    for line in sys.stdin:
        job = json.loads(line)
        reply.write(json.dumps(_read_one(job["path"], job["doc_id"], progress)) + "\n")
        reply.flush()


class Parser:
    """Reads files one at a time in a reusable child process; a hang or crash costs one file.

    Args:
        timeout: seconds one file may take; a scanned one, this long for each page OCR reads
            (the child reports each page as it starts it).
        memory_limit: bytes of address space the child may use.
    """

    def __init__(self, timeout: float = 60.0, memory_limit: int = MEMORY_LIMIT):
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._child: subprocess.Popen | None = None
        self._pending = bytearray()

    def _start(self) -> None:
        self._child = subprocess.Popen(
            [sys.executable, "-m", "fieldguide.sandbox", str(self.memory_limit), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def _stop(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait(5)
            for stream in (self._child.stdin, self._child.stdout):
                stream.close()
        self._child = None
        self._pending = bytearray()

    def _receive(self, deadline: float) -> bytes:
        """The child's next reply line (progress lines may arrive in one read with the reply)."""
        fd = self._child.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            block = os.read(fd, 1 << 20)
            if not block:
                raise EOFError
            self._pending += block
        line, _, self._pending = bytes(self._pending).partition(b"\n")
        self._pending = bytearray(self._pending)
        return line

    def read(
        self, path: Path, doc_id: str, progress: Callable[[int, int], None] | None = None
    ) -> Document:
        """Parse one file. Raises DocumentError on any failure, timeout or crash included.

        `progress(page, pages)` is called as OCR starts each page of a scanned file.
        """
        if self._child is None or self._child.poll() is not None:
            self._start()
        name = Path(path).name
        try:
            request = json.dumps({"path": str(Path(path).resolve()), "doc_id": doc_id})
            self._child.stdin.write(request.encode() + b"\n")
            self._child.stdin.flush()
            reply = json.loads(self._receive(time.monotonic() + self.timeout))
            while "page" in reply:  # OCR began another page: it gets a full timeout of its own
                if progress:
                    progress(*reply["page"])
                reply = json.loads(self._receive(time.monotonic() + self.timeout))
        except TimeoutError:
            self._stop()
            raise document_error(Kind.TIMEOUT, name, seconds=self.timeout) from None
        except (EOFError, OSError, ValueError):
            self._stop()
            raise document_error(Kind.CRASHED, name) from None
        if "error" in reply:
            raise DocumentError(reply["error"], reply.get("kind", Kind.OTHER))
        fields = reply["ok"]
        fields["pages"] = [Page(**p) for p in fields["pages"]]
        return Document(**fields)

    def close(self) -> None:
        """Stop the child process."""
        self._stop()

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    serve(
        int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_LIMIT,
        int(sys.argv[2]) if len(sys.argv) > 2 else 0,
    )
