"""Parsing in a child process with a time and memory limit: the backstop behind limits.py.

The limits catch the files we know to be hostile; this catches the rest (a parser bug, a PDF
whose content streams unpack to gigabytes). The child is forked, so it needs nothing sent to it;
it gets a wall-clock timeout, an RLIMIT_CPU and an RLIMIT_AS, and is killed when it goes over.
Only plain data (the parsed result, or a refusal's message) comes back through a pipe. The child
never touches the database: the parent's connections are shared sockets after a fork.
"""
from __future__ import annotations

import logging
import os
import resource
import signal
import traceback

from .limits import MB, Limits, UploadRefused

KILLED = ("Reading the file took longer than {seconds:g} seconds, so it was stopped. It may be damaged or "
          "built to harm the server; save it again from the program that made it, or split it.")
NO_MEMORY = ("Reading the file needed more than {memory:,} MB of memory, so it was stopped. It may be damaged or "
             "built to harm the server; save it again from the program that made it, or split it.")
FAILED = ("The file could not be read: it may be damaged. Save it again from the program that made it "
          "and upload that.")


def run_bounded(func, *args, limits: Limits):
    """func(*args) in a forked child under ``limits``; its result, or UploadRefused."""
    import multiprocessing  # on use: a worker that never parses an upload need not hold it

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(writer, func, args, limits), daemon=True)
    child.start()
    writer.close()
    try:
        if not reader.poll(limits.parse_seconds):
            raise UploadRefused(KILLED.format(seconds=limits.parse_seconds))
        try:
            outcome, payload = reader.recv()
        except (EOFError, OSError):  # the child died without answering: a limit, or a crash in C code
            child.join(1)
            outcome, payload = ("killed" if child.exitcode == -signal.SIGXCPU else "crashed"), child.exitcode
    finally:
        reader.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "ok":
        return payload
    if outcome == "refused":
        raise UploadRefused(*payload)
    if outcome == "memory":
        raise UploadRefused(NO_MEMORY.format(memory=limits.parse_memory_mb))
    if outcome == "killed":
        raise UploadRefused(KILLED.format(seconds=limits.parse_seconds))
    logging.getLogger(__name__).warning("An upload could not be parsed (%s):\n%s", outcome, payload)
    raise UploadRefused(FAILED, 400)


def _child(writer, func, args, limits: Limits) -> None:
    try:
        cpu = int(limits.parse_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU first, then SIGKILL
        # The fork starts with the worker's whole address space (libraries, pandas): the limit is on
        # what parsing adds to it.
        budget = _address_space() + limits.parse_memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        result = ("ok", func(*args))
    except UploadRefused as exc:
        result = ("refused", (str(exc), exc.status))
    except MemoryError:
        result = ("memory", None)
    except BaseException:  # noqa: BLE001 - any failure is reported as an unreadable file, never a 500
        result = ("failed", traceback.format_exc(limit=5))
    try:
        writer.send(result)
    except MemoryError:
        writer.send(("memory", None))
    finally:
        writer.close()
        # No atexit handlers or finalisers: they belong to the parent (its pooled database
        # connections, its open files).
        os._exit(0)


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")
