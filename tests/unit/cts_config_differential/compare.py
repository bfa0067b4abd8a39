#!/usr/bin/env python3
"""Compares cts_decode.go's and cts_driver.cpp's outputs line by line. A decode error matches
when ours is the first of the errors mapstructure lists (ours reports that one alone, without
the "N error(s) decoding:" wrapper, at every nesting level)."""
import base64
import re
import sys

WRAPPER = re.compile(r"^\d+ error\(s\) decoding:\\n\\n\* ")


def first_point(message):
    """The error CTS's message lists first, wrappers removed at every nesting level."""
    match = WRAPPER.match(message)
    if match:
        message = message[match.end():]
    nested = re.match(r"^(error decoding '[^']*': )(\d+ error\(s\) decoding:\\n\\n\* .*)$", message)
    if nested:
        return nested.group(1) + first_point(nested.group(2))
    return message.split("\\n* ")[0]


def main():
    inputs = open(sys.argv[1]).read().splitlines()
    reference = open(sys.argv[2]).read().splitlines()
    ours = open(sys.argv[3]).read().splitlines()
    stats = {"same value": 0, "same error": 0, "both syntax errors": 0, "reference panicked": 0, "different": 0}
    shown = 0
    for given, want, got in zip(inputs, reference, ours):
        if want == "PANIC":
            stats["reference panicked"] += 1
            continue
        if want.startswith("ERR SYNTAX") and got.startswith("ERR SYNTAX"):
            stats["both syntax errors"] += 1
            continue
        if want.startswith("OK") and want.rstrip("\t") == got.rstrip("\t"):
            stats["same value"] += 1
            continue
        if want.startswith("ERR ") and got.startswith("ERR ") and not got.startswith("ERR SYNTAX"):
            if got[4:] == first_point(want[4:]):
                stats["same error"] += 1
                continue
        stats["different"] += 1
        if shown < 10:
            shown += 1
            name, text = given.split("\t", 1)
            print("---", name)
            print(base64.b64decode(text).decode(errors="replace"))
            print("reference:", want[:2000])
            print("ours:     ", got[:2000])
    print(", ".join(f"{k}: {v}" for k, v in stats.items()))
    return 1 if stats["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
