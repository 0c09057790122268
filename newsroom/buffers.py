"""Writes a page view should not wait for: added up in the process and written together."""

import atexit
import contextlib
import threading
import time


class WriteBuffer:
    """Items added in this process and passed to `write(items)` together, at most every `seconds()` seconds
    (and when the process exits), so a page view writes nothing; if the process dies, at most the items
    since the last write are lost."""

    def __init__(self, write, seconds):
        self.write = write
        self.seconds = seconds
        self.lock = threading.Lock()
        self.items = []
        self.last_flush = time.monotonic()
        atexit.register(self.flush_at_exit)

    def add(self, items):
        with self.lock:
            self.items.extend(items)
            due = time.monotonic() - self.last_flush >= self.seconds()
        if due:
            self.flush()

    def flush(self):
        with self.lock:
            items, self.items = self.items, []
            self.last_flush = time.monotonic()
        if items:
            self.write(items)

    def flush_at_exit(self):
        # The database may already be gone when the process ends; nothing more can be done then.
        with contextlib.suppress(Exception):
            self.flush()
