#!/usr/bin/env python3
"""Compares HCL1's results with ours, input by input, and sorts every difference into the
known, documented classes (engine/config/README.md). Exit 1 on any difference outside them.

Usage: compare.py INPUTS HCL1_RESULTS OUR_RESULTS
"""
import base64
import collections
import sys


def lines(path):
    # newline="": an error message may hold a lone '\r', which must not split a line.
    with open(path, errors="replace", newline="") as f:
        return f.read().split("\n")


def known_class(text, hcl1, ours):
    if not ours.startswith("ERR"):
        if "illegal char" in hcl1 and any(ord(c) > 0x7F for c in text):
            return "accepted: a non-ASCII identifier character HCL1 refuses (approximation)"
        return None
    if text.lstrip(" \t\r\n\v\f").startswith("{"):
        return "json-mode .hcl (HCL1's lenient JSON parser)"
    if "expected a value (string, number, bool, heredoc, list or object), got: end of file" in ours:
        return "refused: `a =` at end of file (HCL1 drops it)"
    if "got: '}'" in ours or "while parsing list: '}'" in ours:
        return "refused: error at '}' (HCL1 swallows it and drops the item)"
    # HCL1 decodes every literal it keeps (an undecodable one panics), so accepting one means it
    # dropped the item holding it through one of the two cases above; we check literals first.
    if "invalid string literal" in ours or "invalid number" in ours:
        return "refused: undecodable literal in an item HCL1 drops"
    return None


def main():
    inputs, theirs, ours = (lines(path) for path in sys.argv[1:4])
    counts = collections.Counter()
    unexplained = []
    for encoded, hcl1, mine in zip(inputs, theirs, ours):
        if not encoded:
            continue
        text = base64.b64decode(encoded).decode("utf-8", "replace")
        hcl1_failed = hcl1.startswith("ERR") or hcl1 == "PANIC"
        we_failed = mine.startswith("ERR")
        if mine.startswith("JSON"):
            counts["json-mode .hcl, both accepted (not compared)"] += 1
        elif hcl1_failed and we_failed:
            counts["both refuse" + (" (HCL1 panics)" if hcl1 == "PANIC" else "")] += 1
        elif not hcl1_failed and not we_failed and hcl1 == mine:
            counts["same value"] += 1
        else:
            known = known_class(text, hcl1, mine) if we_failed != hcl1_failed else None
            if known:
                counts[known] += 1
            else:
                counts["UNEXPLAINED"] += 1
                unexplained.append((text, hcl1, mine))
    for name, count in sorted(counts.items()):
        print(f"{count:8d}  {name}")
    for text, hcl1, mine in unexplained[:10]:
        print(repr(text[:400]))
        print("   HCL1:", hcl1[:200])
        print("   ours:", mine[:200])
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
