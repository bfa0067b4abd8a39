#!/usr/bin/env python3
"""Fails when engine, simulator or fake code reaches the outside world behind the ports' back.

Determinism rests on one rule (DESIGN.md, "The seam"): code that runs inside the simulator
reads no clock, sleeps never, makes no thread, opens no socket, forks nothing and draws no
randomness except through engine/ports. This scans every C++ source under engine/, sim/ and
fakes/ (comments and string literals removed) for the calls that would break it. The files
that bind the ports to the real world are the only exceptions, listed in ALLOWED with why.

Usage: forbidden_calls.py [--root DIR]   (exit 1 and one line per finding when any)
"""
import argparse
import pathlib
import re
import sys

SCANNED_DIRS = ("engine", "sim", "fakes")
SOURCE_SUFFIXES = {".cpp", ".cc", ".hpp", ".h", ".ipp"}

# Relative paths (prefixes) allowed to touch the real world, and why.
ALLOWED = {
    "engine/bindings/": "the production bindings of the ports: real clocks, Asio, signals",
    "sim/swarm/worker_pool.cpp": "sim swarm's worker processes and its progress clock: around runs, never inside one",
}

# A call of a C library function: unqualified, ::name or std::name, but not obj.name(),
# ptr->name() or Class::name( (our own members may share a libc name).
CALL = r"(?:(?<![\w.>:])|(?<=std::)|(?<=[^\w:]::)|(?<=^::))"

FORBIDDEN = [
    (r"\b(system_clock|steady_clock|high_resolution_clock|utc_clock|tai_clock|gps_clock|file_clock)\s*::\s*now\b",
     "reads a clock"),
    (r"\b(clock_gettime|gettimeofday|timespec_get|ftime)\s*\(", "reads a clock"),
    (CALL + r"time\s*\(\s*(nullptr|NULL|0|&\w+)\s*\)", "reads a clock"),
    (r"\b(localtime|localtime_r|gmtime|gmtime_r)\s*\(", "reads the system time zone"),
    (r"\bthis_thread\s*::\s*(sleep_for|sleep_until|yield)\b", "sleeps"),
    (CALL + r"(sleep|usleep|nanosleep|clock_nanosleep)\s*\(", "sleeps"),
    (r"\bstd\s*::\s*(thread|jthread|async)\b", "makes a thread"),
    (r"\b(pthread_create|thrd_create)\s*\(", "makes a thread"),
    (CALL + r"(socket|socketpair|accept4?|getaddrinfo|gethostbyname)\s*\(", "opens a socket"),
    (r"#\s*include\s*<(sys/socket|netinet/[\w.]+|arpa/inet|netdb)\.h>", "opens a socket"),
    (r"#\s*include\s*<boost/(asio|beast)\b", "does I/O outside the bindings (Asio/Beast)"),
    (r"\bboost\s*::\s*(asio|beast)\b", "does I/O outside the bindings (Asio/Beast)"),
    (CALL + r"(fork|vfork|execv|execve|execvp|execvpe|execl|execlp|execle|posix_spawnp?|popen|system)\s*\(",
     "starts a process"),
    (CALL + r"(rand|srand|random|srandom|drand48|lrand48|arc4random|getrandom|getentropy)\s*\(",
     "draws randomness"),
    (r"\bstd\s*::\s*(random_device|mt19937(_64)?|minstd_rand0?|default_random_engine|ranlux\w*|knuth_b)\b",
     "draws randomness (or a generator whose stream is not ours)"),
]
PATTERNS = [(re.compile(pattern), reason) for pattern, reason in FORBIDDEN]

TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|R"(?P<delim>[^(\s]*)\(.*?\)(?P=delim)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                   re.S)


def blank_comments_and_strings(text):
    """Replaces comments and literals with spaces, keeping line breaks so line numbers hold."""
    def blank(match):
        token = match.group(0)
        if token.startswith("#"):
            return token
        return re.sub(r"[^\n]", " ", token)
    return TOKEN.sub(blank, text)


def scan(root):
    findings = []
    for directory in SCANNED_DIRS:
        base = root / directory
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            if any(relative.startswith(prefix) for prefix in ALLOWED):
                continue
            original = path.read_text(encoding="utf-8", errors="replace")
            # #include lines keep their <...> text: strings there are not literals.
            code = blank_comments_and_strings(original)
            for number, (line, original_line) in enumerate(zip(code.splitlines(), original.splitlines()), 1):
                checked = original_line if original_line.lstrip().startswith("#") else line
                for pattern, reason in PATTERNS:
                    if pattern.search(checked):
                        findings.append(f"{relative}:{number}: {reason}: {original_line.strip()}")
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parents[2], type=pathlib.Path)
    arguments = parser.parse_args()
    findings = scan(arguments.root)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} forbidden call(s): go through the ports (engine/ports) instead, "
              "or, for a new production binding, add it to ALLOWED in tests/lint/forbidden_calls.py",
              file=sys.stderr)
        return 1
    print("forbidden calls: none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
