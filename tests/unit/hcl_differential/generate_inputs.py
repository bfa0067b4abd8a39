#!/usr/bin/env python3
"""Random inputs for the differential check, one base64 line each: token soups, random
well-formed documents full of HCL1's corners (heredoc indentation, escapes, number forms,
labels, repeated and mixed-case keys, list quirks), and those documents with one character
changed. Deterministic for a seed.

Usage: generate_inputs.py SEED COUNT
"""
import base64
import random
import sys

random.seed(int(sys.argv[1]))
N = int(sys.argv[2])
frags = ["a", "task", "b.c-d", "_x", "\"s\"", "\"a b\"", "=", "{", "}", "[", "]", ",", "1", "-1", "-", ".5", "0x1F",
         "-0x10", "0755", "08", "1e3", "1.5", "1.", "1e", "0.5e-3", "true", "false", "null", "<<EOF\n", "EOF\n",
         "<<-EOF\n", "  EOF\n", "EOF", "#c\n", "//c\n", "/*x*/", "/*", "\n", " ", "\t", "\"${x}\"", "\"$${y}\"",
         "\"%{z}\"", "\"\\n\\t\\\"\"", "\"\\u00e9\"", "\"\\x41\\101\"", "\"\\777\"", "\"${ \"q\" }\"", "é", "→",
         ":", "\r\n", "\r", "99999999999999999999", "1e400", "\"\\q\"", "\"unterminated", "<<", "{\"k\": 1}",
         "Task", "TASK", "x \"l\"", "x \"m\" \"n\"", "y = { z = 1 }", "l = [1, 2]", "l = [[1] [2]]", "[,1,,2]",
         "\"\\U0001F600\"", "\"\\ud800\"", "\"\\xff\"", "\"\\U80000041\"", "\"\\U7fffffff\"",
         "\"\\U0010ffff\"", "\"\\U00110000\"", "\"\\x80\\400\"", "\v", "\f", "\u00a0", "ª", "٣x", "中文", "×", "\u2028", "\ufeff", "<<A\nline\n A\n", "<<-A\n  x\n\n  y\n  A\n"]
def soup():
    return "".join(random.choice(frags) for _ in range(random.randint(0, 30)))
def ident():
    return random.choice(["a", "b", "task", "Task", "name", "x.y", "p-q", "_z", "port"])
def string():
    return random.choice(["\"v\"", "\"\"", "\"${a.b}\"", "\"\\\"q\\\"\"", "\"$${e}\"", "\"é\\u00e9\"", "\"\\x41\"",
                          "\"\\101\\t\"", "\"\\U0001F600\"", "\"\\ud800\"", "\"${ {a} }\"", "\"${\n}\"",
                          "\"\\Ufffffff0\"", "\"\\U00110000\"", "\"${ \\\"x\\\" }\""])
def heredoc():
    marker = random.choice(["EOF", "A1"])
    dash = random.choice(["", "-"])
    ind = random.choice(["", "  ", "\t", "    "])
    lines = [random.choice(["", "x", "  y", "\tz", "${q}", " w "]) for _ in range(random.randint(0, 3))]
    close_ind = random.choice(["", "  ", "    "])
    return "<<" + dash + marker + "\n" + "".join(ind + l + "\n" for l in lines) + close_ind + marker + "\n"
def number():
    return random.choice(["0", "1", "-7", "42", "0x1f", "0X1F", "-0x10", "0755", "00", "1.5", "-2.25", "1e3",
                          "2.5E-2", "-1e+2", "1.", ".5", "0.0", "9223372036854775807", "-9223372036854775808",
                          "1e-400", "1.e5", "00.5"])
def value(d):
    r = random.random()
    if d > 2 or r < 0.5:
        return random.choice([string, number, lambda: random.choice(["true", "false"]), heredoc])()
    if r < 0.75:
        sep = random.choice([", ", ",", " ,", ",\n"])
        elems = [value(d + 1) for _ in range(random.randint(0, 3))]
        return "[" + random.choice(["", ","]) + sep.join(elems) + random.choice(["", ","]) + "]"
    return "{" + body(d + 1, inline=True) + "}"
def key():
    return random.choice([ident, ident, string])()
def body(d, inline=False):
    items = []
    for _ in range(random.randint(0, 4)):
        if d < 3 and random.random() < 0.35:
            labels = " ".join(random.choice([string(), ident()]) for _ in range(random.choice([0, 0, 1, 1, 2])))
            items.append(key() + (" " + labels if labels else "") + " {\n" + body(d + 1) + "}")
        else:
            items.append(key() + " = " + value(d))
    sep = random.choice(["\n", ", ", " ", "\n\n", " # c\n", " /* c */ "])
    return sep.join(items) + ("\n" if not inline else " ")
def mutate(t):
    if not t: return t
    i = random.randrange(len(t))
    c = random.choice(["{", "}", "=", "\"", "\n", " ", "[", "]", ",", "#", "<", "-", "e", "0", "$"])
    op = random.randrange(3)
    return t[:i] + c + t[i+1:] if op == 0 else (t[:i] + c + t[i:] if op == 1 else t[:i] + t[i+1:])
for _ in range(N):
    r = random.random()
    if r < 0.3: t = soup()
    elif r < 0.7: t = body(0)
    else: t = mutate(body(0))
    print(base64.b64encode(t.encode("utf-8", "surrogatepass")).decode())
