"""Starts fake-consul as a real process on a free loopback port, for conformance tests that
drive it with clients nobody here wrote. Used as a context manager:

    with FakeConsul(binary) as consul:
        consul.port, consul.address
"""
import re
import subprocess
import threading
import time


class FakeConsul:
    def __init__(self, binary, *extra_flags):
        self.binary = binary
        self.extra_flags = list(extra_flags)
        self.process = None
        self.port = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [self.binary, "agent", "-dev", "-client", "127.0.0.1", "-http-port", "0", "-log-level", "debug", *self.extra_flags],
            stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            match = re.search(r"Started HTTP server: address=127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                # Keep reading its log, or a full pipe would block fake-consul.
                self.log_lines = []
                self.drain = threading.Thread(target=self._drain, daemon=True)
                self.drain.start()
                return self
        self.process.kill()
        raise RuntimeError("fake-consul did not report its HTTP port")

    def _drain(self):
        for line in self.process.stderr:
            self.log_lines.append(line)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.process.send_signal(2)  # SIGINT: fake-consul shuts down gracefully
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError("fake-consul did not stop on SIGINT")
        self.drain.join(timeout=5)
        self.process.stderr.close()
        if code != 0:
            raise RuntimeError(f"fake-consul exited with {code}")
        return False
