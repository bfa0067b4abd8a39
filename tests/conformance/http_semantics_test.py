#!/usr/bin/python3
"""consul-semantics.md sections 1 to 5, point by point, against fake-consul running as a real
process over real HTTP (the in-process C++ tests in tests/fakes/ check the same points in
virtual time; this checks what the socket, the HTTP server and the CLI's wiring add).

Standard library only. Run with:
    /usr/bin/python3 tests/conformance/http_semantics_test.py --fake-consul build/helper-conf/bin/fake-consul

Four fake-consul processes are started on free loopback ports:
  main     -session-ttl-min 1s                       (most points; short TTLs and lock delays)
  pristine (no flags)                                 (only read from: empty shapes, index 0 -> 1,
                                                       the default session_ttl_min of 10s)
  deny     -acl-master-token root -acl-default-policy deny   (section 5)
  allow    -acl-master-token root                     (section 5 default policy allow; the
                                                       whole-tree DELETE /v1/kv/?recurse)

One test function per point, named test_s<section>_<point>; each failure message starts with
the point (the test's docstring) and says what was seen.

Points of sections 1-5 that are not observable over HTTP against one dev-mode fake-consul within
a short run, and so have no test here: Raft retries of a failed invalidation, session timers
across a leader change, "No cluster leader" and rpc_hold_timeout (there is always a leader),
stale reads of a deposed leader, 429 rate limiting (no limiter is configured, as in Consul's
default), and the client-side rules of blocking queries (they bind clients, not the server).
The clamp of ?wait to 600s and the default of 300s are checked only as far as a short run can:
a long ?wait is accepted and a wait-less blocking query does block (see their tests).
"""
import argparse
import base64
import http.client
import json
import os
import re
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_consul_process import FakeConsul  # noqa: E402

FAKE_CONSUL = None
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ANONYMOUS_ACCESSOR = "00000000-0000-0000-0000-000000000002"
NS_TEXT = 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature'
STALE_CONSISTENT_TEXT = "Cannot specify ?stale with ?consistent, conflicting semantics."
KV_MAX_VALUE_SIZE = 512 * 1024


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        shown = self.text if len(self.body) <= 300 else self.text[:300] + "..."
        return f"HTTP {self.status} {shown!r}"


class Client:
    """One fake-consul over HTTP: a fresh connection per request, so threads may share it."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None, timeout=30):
        if isinstance(body, str):
            body = body.encode()
        elif body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.msg, response.read())
        finally:
            connection.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class Background:
    """Runs fn() in a thread: for blocking queries that must be watched while others write."""

    def __init__(self, fn):
        self.result = None
        self.error = None
        self.started = time.monotonic()
        self.finished = None
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()

    def _run(self, fn):
        try:
            self.result = fn()
        except BaseException as error:  # reported by wait()
            self.error = error
        self.finished = time.monotonic()

    def pending(self):
        return self.thread.is_alive()

    def wait(self, timeout=20):
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise AssertionError(f"background request still running after {timeout}s")
        if self.error is not None:
            raise self.error
        return self.result

    @property
    def elapsed(self):
        return self.finished - self.started


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def q(text):
    return urllib.parse.quote(text, safe="")


MAIN = PRISTINE = DENY = ALLOW = None
NODE = None  # the agent's node name, from /v1/agent/self
_processes = []


def setUpModule():
    global MAIN, PRISTINE, DENY, ALLOW, NODE
    started = []
    try:
        for flags in (["-session-ttl-min", "1s"], [],
                      ["-session-ttl-min", "1s", "-acl-master-token", "root", "-acl-default-policy", "deny"],
                      ["-acl-master-token", "root"]):
            started.append(FakeConsul(FAKE_CONSUL, *flags).__enter__())
    except BaseException:
        for process in started:
            process.__exit__(None, None, None)
        raise
    _processes.extend(started)
    MAIN, PRISTINE, DENY, ALLOW = (Client(p.port) for p in started)
    NODE = MAIN.get("/v1/agent/self").json()["Config"]["NodeName"]
    # Every instance leads at once (dev mode); wait until each says so, reading only.
    for client in (MAIN, PRISTINE, DENY, ALLOW):
        deadline = time.monotonic() + 5
        while client.get("/v1/kv/startup-probe?token=root").header("X-Consul-KnownLeader") != "true":
            if time.monotonic() > deadline:
                raise RuntimeError(f"fake-consul on port {client.port} reports no leader")
            time.sleep(0.05)


def tearDownModule():
    errors = []
    for process in _processes:
        try:
            process.__exit__(None, None, None)
        except Exception as error:  # keep stopping the others
            errors.append(str(error))
    if errors:
        raise RuntimeError("; ".join(errors))


class HttpSemantics(unittest.TestCase):
    maxDiff = None

    # ---- helpers: every failure names the point (the docstring's first line) ----------------
    @property
    def point(self):
        doc = self._testMethodDoc or self._testMethodName
        return doc.strip().splitlines()[0]

    def fail_point(self, what, seen):
        self.fail(f"[{self.point}] {what}; saw: {seen!r}")

    def eq(self, actual, expected, what):
        if actual != expected:
            self.fail(f"[{self.point}] {what}: expected {expected!r}, saw {actual!r}")

    def ok(self, condition, what, seen):
        if not condition:
            self.fail_point(what, seen)

    def expect_status(self, reply, status, what):
        if reply.status != status:
            self.fail(f"[{self.point}] {what}: expected HTTP {status}, saw {reply!r}")

    def expect_reply(self, reply, status, text, what):
        if reply.status != status or reply.text != text:
            self.fail(f"[{self.point}] {what}: expected HTTP {status} {text!r}, saw {reply!r}")

    def expect_true(self, reply, what):
        self.expect_reply(reply, 200, "true", what)

    def expect_false(self, reply, what):
        self.expect_reply(reply, 200, "false", what)

    def key(self, suffix=""):
        """A key of this test's own, so tests do not meet on the shared fake."""
        return self._testMethodName + "/" + suffix

    def create_session(self, body=None, client=None, token=None):
        client = client or MAIN
        path = "/v1/session/create" + (f"?token={token}" if token else "")
        reply = client.put(path, body)
        self.expect_status(reply, 200, f"session create with {body!r}")
        return reply.json()["ID"]

    def session_info(self, sid, client=None):
        reply = (client or MAIN).get("/v1/session/info/" + sid)
        self.expect_status(reply, 200, "session info")
        return reply.json()

    def entry(self, key, client=None, token=None):
        reply = (client or MAIN).get("/v1/kv/" + key + (f"?token={token}" if token else ""))
        if reply.status == 404:
            return None
        self.expect_status(reply, 200, f"GET /v1/kv/{key}")
        body = reply.json()
        self.ok(isinstance(body, list) and len(body) == 1, f"GET /v1/kv/{key} answers an array of one entry", body)
        return body[0]

    def value_of(self, key, client=None):
        found = self.entry(key, client)
        return None if found is None else base64.b64decode(found["Value"] or "")

    def index_of(self, reply, what):
        index = reply.header("X-Consul-Index")
        self.ok(index is not None and index.isdigit(), f"{what} carries a numeric X-Consul-Index", index)
        return int(index)

    def expect_query_meta(self, reply, what):
        index = self.index_of(reply, what)
        self.ok(index > 0, f"{what}: X-Consul-Index is never 0", index)
        contact = reply.header("X-Consul-LastContact")
        self.ok(contact is not None and contact.isdigit(), f"{what}: X-Consul-LastContact is an integer of ms", contact)
        self.eq(reply.header("X-Consul-KnownLeader"), "true", f"{what}: X-Consul-KnownLeader")

    def txn(self, ops, client=None, token=None):
        body = [{"KV": op} for op in ops]
        return (client or MAIN).put("/v1/txn" + (f"?token={token}" if token else ""), body)

    def expect_txn_ok(self, reply, what):
        self.expect_status(reply, 200, what)
        body = reply.json()
        self.ok(set(body) == {"Results", "Errors"} and body["Errors"] is None and isinstance(body["Results"], list),
                f"{what}: a success is {{\"Results\":[...],\"Errors\":null}}", body)
        for result in body["Results"]:
            self.ok(set(result) == {"KV"}, f"{what}: each result is {{\"KV\":...}}", result)
        return [result["KV"] for result in body["Results"]]

    def expect_txn_error(self, reply, op_index, what, contains=None):
        self.expect_status(reply, 409, what)
        errors = reply.json().get("Errors")
        self.ok(isinstance(errors, list) and errors, f"{what}: a 409 lists Errors", reply)
        for error in errors:
            self.ok(set(error) == {"OpIndex", "What"} and isinstance(error["What"], str),
                    f"{what}: each error is {{\"OpIndex\",\"What\"}}", error)
        self.ok(any(e["OpIndex"] == op_index for e in errors), f"{what}: an error names operation {op_index}", errors)
        if contains:
            self.ok(any(contains in e["What"] for e in errors), f"{what}: an error says {contains!r}", errors)
        return errors

    # ======================== §1 Sessions ======================================================

    def test_s1_session_create_defaults(self):
        """§1 session create defaults: Node = agent's node, NodeChecks = ["serfHealth"], LockDelay = 15s, Behavior = release, TTL = "", response {"ID":"<uuid>"}"""
        reply = MAIN.put("/v1/session/create")
        self.expect_status(reply, 200, "PUT /v1/session/create without a body")
        body = reply.json()
        self.ok(set(body) == {"ID"} and UUID.match(body["ID"]), 'the response is exactly {"ID":"<uuid>"}', body)
        info = self.session_info(body["ID"])
        self.eq(len(info), 1, "session info lists the new session")
        info = info[0]
        self.eq(info["ID"], body["ID"], "ID")
        self.eq(info["Node"], NODE, "default Node is the agent's node")
        self.eq(info["NodeChecks"], ["serfHealth"], "default NodeChecks")
        self.eq(info["LockDelay"], 15_000_000_000, "default LockDelay, in integer nanoseconds")
        self.eq(info["Behavior"], "release", "default Behavior")
        self.eq(info["TTL"], "", "default TTL")
        self.eq(info.get("Name"), "", "default Name")

    def test_s1_session_body_decoded_only_with_content(self):
        """§1 the create body is decoded only if Content-Length > 0 (an empty body gives the defaults; a body that is not JSON is refused)"""
        reply = MAIN.put("/v1/session/create", b"", headers={"Content-Length": "0", "Content-Type": "application/json"})
        self.expect_status(reply, 200, "an empty body with Content-Length: 0")
        self.eq(self.session_info(reply.json()["ID"])[0]["LockDelay"], 15_000_000_000, "defaults apply")
        bad = MAIN.put("/v1/session/create", b"not json")
        self.expect_status(bad, 400, "a body that is not JSON")
        self.ok(bad.text.startswith("Request decode failed: "), "the 400 says 'Request decode failed: ...'", bad)

    def test_s1_session_create_case_insensitive_keys(self):
        """§1 session create body keys match case-insensitively (clients send name, ttl, lockdelay, behavior, checks)"""
        sid = self.create_session({"name": "lower", "ttl": "10s", "lockdelay": "2s", "behavior": "delete", "checks": []})
        info = self.session_info(sid)[0]
        self.eq(info["Name"], "lower", "name")
        self.eq(info["TTL"], "10s", "ttl")
        self.eq(info["LockDelay"], 2_000_000_000, "lockdelay")
        self.eq(info["Behavior"], "delete", "behavior")
        self.ok(not info["NodeChecks"], "checks: [] (lower case) empties the checks", info["NodeChecks"])
        sid = self.create_session({"NAME": "upper", "BeHaViOr": "delete", "LOCKDELAY": 3, "nOdE": NODE})
        info = self.session_info(sid)[0]
        self.eq((info["Name"], info["Behavior"], info["LockDelay"], info["Node"]),
                ("upper", "delete", 3_000_000_000, NODE), "mixed-case keys")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s1_session_checks_empty_and_serfhealth(self):
        """§1 Checks: [] means no checks at all; ["serfHealth"] is folded into NodeChecks"""
        none = self.session_info(self.create_session({"Checks": []}))[0]
        self.ok(none["NodeChecks"] in (None, []), "Checks: [] leaves NodeChecks empty", none["NodeChecks"])
        self.ok(none.get("ServiceChecks") in (None, []), "Checks: [] leaves ServiceChecks empty", none.get("ServiceChecks"))
        self.ok(none.get("Checks") in (None, []), "Checks: [] leaves no Checks", none.get("Checks"))
        serf = self.session_info(self.create_session({"Checks": ["serfHealth"]}))[0]
        self.eq(serf["NodeChecks"], ["serfHealth"], 'Checks: ["serfHealth"] is folded into NodeChecks')

    def test_s1_lock_delay_number_vs_string(self):
        """§1 LockDelay: a string is a Go duration; a number is nanoseconds, under 1000 multiplied by 1s; output in integer nanoseconds"""
        cases = [(5, 5_000_000_000, "number 5 = 5s"), (0, 0, "number 0"), (999, 60_000_000_000, "999 -> 999s, capped"),
                 (2_000_000_000, 2_000_000_000, "number 2e9 ns = 2s"), (1000, 1000, "number 1000 stays 1000 ns"),
                 ("1s", 1_000_000_000, 'string "1s"'), ("0.001s", 1_000_000, 'string "0.001s" (Patroni)'),
                 ("15ms", 15_000_000, 'string "15ms"'), ("0s", 0, 'string "0s"')]
        for sent, expected, what in cases:
            reply = MAIN.put("/v1/session/create", {"LockDelay": sent})
            self.expect_status(reply, 200, f"LockDelay {sent!r}")
            raw = self.session_info(reply.json()["ID"])[0]["LockDelay"]
            self.ok(type(raw) is int, f"LockDelay {sent!r} is output as an integer", raw)
            self.eq(raw, expected, f"LockDelay {what}")
        bad = MAIN.put("/v1/session/create", {"LockDelay": "soon"})
        self.expect_status(bad, 400, "LockDelay that is not a Go duration")
        self.ok(bad.text.startswith("Request decode failed: "), "the 400 says 'Request decode failed: ...'", bad)

    def test_s1_lock_delay_capped_at_60s(self):
        """§1 LockDelay is capped at MaxLockDelay = 60s"""
        for sent in ("90s", "1h", 120_000_000_000):
            sid = self.create_session({"LockDelay": sent})
            self.eq(self.session_info(sid)[0]["LockDelay"], 60_000_000_000, f"LockDelay {sent!r}")

    def test_s1_session_validation_node_required(self):
        """§1 validation: Node required ("Must provide Node"), a plain 500"""
        self.expect_reply(MAIN.put("/v1/session/create", {"Node": ""}), 500, "Must provide Node", "Node \"\"")

    def test_s1_session_validation_behavior(self):
        """§1 validation: Behavior must be release|delete ("Invalid Behavior setting '%s'"), a plain 500"""
        self.expect_reply(MAIN.put("/v1/session/create", {"Behavior": "explode"}), 500,
                          "Invalid Behavior setting 'explode'", "Behavior explode")
        for good in ("release", "delete"):
            self.expect_status(MAIN.put("/v1/session/create", {"Behavior": good}), 200, f"Behavior {good}")

    def test_s1_session_validation_ttl_bounds(self):
        """§1 validation: non-zero TTL within [session_ttl_min, 24h], else 500 "Invalid Session TTL '%d', must be between [%v=%v]" (%d in ns); "", "0", "0s" mean no TTL"""
        # main runs with -session-ttl-min 1s; pristine keeps Consul's default of 10s.
        for client, ttl, ns, low in ((MAIN, "0.5s", 500_000_000, "1s"), (MAIN, "25h", 90_000_000_000_000, "1s"),
                                     (PRISTINE, "5s", 5_000_000_000, "10s")):
            self.expect_reply(client.put("/v1/session/create", {"TTL": ttl}), 500,
                              f"Invalid Session TTL '{ns}', must be between [{low}=24h0m0s]", f"TTL {ttl} with session_ttl_min {low}")
        for ttl in ("", "0", "0s"):
            reply = MAIN.put("/v1/session/create", {"TTL": ttl})
            self.expect_status(reply, 200, f"TTL {ttl!r} means no TTL")
            MAIN.put("/v1/session/destroy/" + reply.json()["ID"])
        for ttl in ("1s", "24h"):
            reply = MAIN.put("/v1/session/create", {"TTL": ttl})
            self.expect_status(reply, 200, f"TTL {ttl} at a bound")
            MAIN.put("/v1/session/destroy/" + reply.json()["ID"])

    def test_s1_session_validation_checks(self):
        """§1 validation: checks must exist and not be critical ("Missing check '%s' registration", "Check '%s' is in critical state")"""
        self.expect_reply(MAIN.put("/v1/session/create", {"Checks": ["nope"]}), 500,
                          "Missing check 'nope' registration", "an unknown check")
        registered = MAIN.put("/v1/agent/service/register", {
            "Name": "s1-crit", "ID": "s1-crit", "Check": {"CheckID": "s1-crit-check", "Name": "crit", "Status": "critical"}})
        self.expect_status(registered, 200, "registering a service with a critical check on the agent")
        self.expect_reply(MAIN.put("/v1/session/create", {"Checks": ["s1-crit-check"]}), 500,
                          "Check 's1-crit-check' is in critical state", "a critical check")

    def test_s1_session_ttl_expiry_twice_ttl(self):
        """§1 TTL expiry: the timer is TTL x 2; the TTL is a lower bound; expiry invalidates the session (release frees its keys)"""
        sid = self.create_session({"TTL": "1s", "LockDelay": "0s", "Behavior": "release"})
        created = time.monotonic()
        self.expect_true(MAIN.put("/v1/kv/" + self.key("held") + "?acquire=" + sid, "x"), "acquire with the TTL session")
        time.sleep(max(0.0, created + 1.5 - time.monotonic()))
        self.eq(len(self.session_info(sid)), 1, "the session is alive 1.5s after creation (TTL 1s, timer 2s)")
        while self.session_info(sid) and time.monotonic() < created + 6:
            time.sleep(0.05)
        gone_after = time.monotonic() - created
        self.ok(not self.session_info(sid), "the session expires (within 6s of a 1s TTL)", gone_after)
        self.ok(gone_after >= 1.9, "expiry comes no sooner than 2 x TTL", f"{gone_after:.2f}s")
        held = self.entry(self.key("held"))
        self.ok(held is not None and "Session" not in held, "expiry released the key", held)

    def test_s1_session_renew_ok(self):
        """§1 renew: 200 with [session]; a session without TTL: 200, no-op"""
        for body in ({"TTL": "10s"}, None):
            sid = self.create_session(body)
            reply = MAIN.put("/v1/session/renew/" + sid)
            self.expect_status(reply, 200, f"renew of a session created with {body!r}")
            renewed = reply.json()
            self.ok(isinstance(renewed, list) and len(renewed) == 1 and renewed[0]["ID"] == sid,
                    "renew answers an array holding the session", renewed)
            self.eq(renewed[0]["TTL"], (body or {}).get("TTL", ""), "renew shows the session's TTL")
            MAIN.put("/v1/session/destroy/" + sid)

    def test_s1_session_renew_resets_timer(self):
        """§1 renew resets the TTL timer (to a full TTL x 2)"""
        sid = self.create_session({"TTL": "1s", "LockDelay": "0s"})
        created = time.monotonic()
        time.sleep(1.3)
        self.expect_status(MAIN.put("/v1/session/renew/" + sid), 200, "renew 1.3s in")
        time.sleep(max(0.0, created + 2.6 - time.monotonic()))
        self.eq(len(self.session_info(sid)), 1, "alive 2.6s after creation, 1.3s after the renew (unrenewed it would be gone at 2s)")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s1_session_renew_unknown_404(self):
        """§1 renew of an unknown id: 404 "Session id '<id>' not found\""""
        unknown = "00000000-0000-0000-0000-00000000abcd"
        self.expect_reply(MAIN.put("/v1/session/renew/" + unknown), 404, f"Session id '{unknown}' not found", "unknown id")

    def test_s1_session_renew_empty_400(self):
        """§1 renew with an empty id: 400 "Missing session\""""
        self.expect_reply(MAIN.put("/v1/session/renew/"), 400, "Missing session", "empty id")

    def test_s1_session_destroy_true(self):
        """§1 destroy: 200 `true`, also for an unknown id"""
        sid = self.create_session()
        self.expect_true(MAIN.put("/v1/session/destroy/" + sid), "destroy of an existing session")
        self.eq(self.session_info(sid), [], "the destroyed session is gone")
        self.expect_true(MAIN.put("/v1/session/destroy/00000000-0000-0000-0000-00000000dead"), "destroy of an unknown id")

    def test_s1_session_info_missing_is_empty_array(self):
        """§1 session info of a missing id: 200 [] (never 404)"""
        reply = MAIN.get("/v1/session/info/00000000-0000-0000-0000-00000000beef")
        self.expect_reply(reply, 200, "[]", "info of a missing session")
        self.expect_query_meta(reply, "session info")

    def test_s1_session_info_blocking(self):
        """§1 session info supports blocking: ?index waits for a change and returns on it"""
        sid = self.create_session()
        first = MAIN.get("/v1/session/info/" + sid)
        index = self.index_of(first, "session info")
        waiting = Background(lambda: MAIN.get(f"/v1/session/info/{sid}?index={index}&wait=10s"))
        time.sleep(0.3)
        self.ok(waiting.pending(), "the blocking info waits while nothing changes", waiting.result)
        MAIN.put("/v1/session/destroy/" + sid)
        reply = waiting.wait()
        self.expect_reply(reply, 200, "[]", "the blocking info after the destroy")
        self.ok(waiting.elapsed < 5, "it returns on the change, not at the 10s timeout", f"{waiting.elapsed:.2f}s")
        self.ok(self.index_of(reply, "blocking info") > index, "its X-Consul-Index moved past ?index", reply.header("X-Consul-Index"))

    def test_s1_session_list_and_node_arrays(self):
        """§1 /v1/session/list and /v1/session/node/:node are arrays, [] when empty"""
        self.expect_reply(PRISTINE.get("/v1/session/list"), 200, "[]", "session list of a fresh agent")
        self.expect_reply(MAIN.get("/v1/session/node/nobody"), 200, "[]", "sessions of an unknown node")
        sid = self.create_session({"Name": "listed"})
        listed = MAIN.get("/v1/session/list")
        self.expect_status(listed, 200, "session list")
        self.expect_query_meta(listed, "session list")
        self.ok(sid in [s["ID"] for s in listed.json()], "the list holds the new session", listed)
        on_node = MAIN.get("/v1/session/node/" + NODE)
        self.ok(sid in [s["ID"] for s in on_node.json()], "the agent node's sessions hold it", on_node)
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s1_invalidation_release(self):
        """§1 invalidation with behavior release: Session cleared on every held key, value and LockIndex kept, ModifyIndex moves"""
        sid = self.create_session({"Behavior": "release", "LockDelay": "0s"})
        for name in ("a", "b"):
            self.expect_true(MAIN.put("/v1/kv/" + self.key(name) + "?flags=7&acquire=" + sid, "held-" + name), "acquire")
        before = {name: self.entry(self.key(name)) for name in ("a", "b")}
        self.expect_true(MAIN.put("/v1/session/destroy/" + sid), "destroy")
        for name in ("a", "b"):
            after = self.entry(self.key(name))
            self.ok(after is not None and "Session" not in after, f"key {name}: Session cleared (key kept)", after)
            self.eq(base64.b64decode(after["Value"]), b"held-" + name.encode(), f"key {name}: value kept")
            self.eq(after["Flags"], 7, f"key {name}: flags kept")
            self.eq(after["LockIndex"], before[name]["LockIndex"], f"key {name}: LockIndex kept")
            self.ok(after["ModifyIndex"] > before[name]["ModifyIndex"], f"key {name}: ModifyIndex moves", (before[name], after))
        other = self.create_session({"LockDelay": "0s"})
        self.expect_true(MAIN.put("/v1/kv/" + self.key("a") + "?acquire=" + other, "next"),
                         "with LockDelay 0 no lock-delay follows the invalidation")
        MAIN.put("/v1/session/destroy/" + other)

    def test_s1_invalidation_delete(self):
        """§1 invalidation with behavior delete: every held key is deleted"""
        sid = self.create_session({"Behavior": "delete", "LockDelay": "0s"})
        for name in ("a", "b"):
            self.expect_true(MAIN.put("/v1/kv/" + self.key(name) + "?acquire=" + sid, "x"), "acquire")
        self.expect_true(MAIN.put("/v1/kv/" + self.key("free"), "y"), "an unheld key")
        self.expect_true(MAIN.put("/v1/session/destroy/" + sid), "destroy")
        for name in ("a", "b"):
            self.expect_status(MAIN.get("/v1/kv/" + self.key(name)), 404, f"held key {name} after the destroy")
        self.expect_status(MAIN.get("/v1/kv/" + self.key("free")), 200, "an unheld key stays")

    def test_s1_invalidation_by_critical_check(self):
        """§1 invalidation when an associated check goes critical: the session is destroyed and its keys released"""
        registered = MAIN.put("/v1/agent/service/register", {
            "Name": "s1-watched", "ID": "s1-watched",
            "Check": {"CheckID": "s1-watched-check", "Name": "watched", "Status": "passing", "TTL": "600s"}})
        self.expect_status(registered, 200, "registering a passing check on the agent")
        sid = self.create_session({"Checks": ["serfHealth", "s1-watched-check"], "LockDelay": "0s"})
        self.expect_true(MAIN.put("/v1/kv/" + self.key("held") + "?acquire=" + sid, "x"), "acquire")
        self.expect_status(MAIN.put("/v1/agent/check/fail/s1-watched-check"), 200, "failing the check")
        self.eq(self.session_info(sid), [], "the session is invalidated once its check is critical")
        held = self.entry(self.key("held"))
        self.ok(held is not None and "Session" not in held, "its key is released", held)

    def test_s1_invalidation_sets_lock_delay(self):
        """§1 invalidation: if LockDelay > 0 each held key gets a lock-delay of now + LockDelay, for release and delete alike"""
        keys = {}
        for behavior in ("release", "delete"):
            sid = self.create_session({"Behavior": behavior, "LockDelay": "1s"})
            keys[behavior] = self.key(behavior)
            self.expect_true(MAIN.put("/v1/kv/" + keys[behavior] + "?acquire=" + sid, "x"), f"acquire ({behavior})")
            self.expect_true(MAIN.put("/v1/session/destroy/" + sid), f"destroy ({behavior})")
        destroyed = time.monotonic()
        other = self.create_session({"LockDelay": "0s"})
        for behavior, key in keys.items():
            self.expect_false(MAIN.put("/v1/kv/" + key + "?acquire=" + other, "y"), f"acquire during the delay ({behavior})")
        self.eq(self.entry(keys["delete"]), None, "the refused acquire wrote nothing (delete behavior: still no key)")
        time.sleep(max(0.0, destroyed + 1.15 - time.monotonic()))
        for behavior, key in keys.items():
            self.expect_true(MAIN.put("/v1/kv/" + key + "?acquire=" + other, "y"), f"acquire after the 1s delay ({behavior})")
        MAIN.put("/v1/session/destroy/" + other)

    def test_s1_lock_delay_refuses_acquires(self):
        """§1 lock-delay: only ?acquire is refused (200 `false`, nothing written), keyed by key only, for every session, a brand-new one too; not plain PUT or DELETE"""
        holder = self.create_session({"LockDelay": "1s"})
        existing = self.create_session({"LockDelay": "0s"})
        key = self.key("leader")
        self.expect_true(MAIN.put("/v1/kv/" + key + "?acquire=" + holder, "first"), "acquire by the holder")
        self.expect_true(MAIN.put("/v1/session/destroy/" + holder), "destroy the holder")
        destroyed = time.monotonic()
        self.expect_false(MAIN.put("/v1/kv/" + key + "?acquire=" + existing, "second"), "acquire by an older session")
        brand_new = self.create_session({"LockDelay": "0s"})
        self.expect_false(MAIN.put("/v1/kv/" + key + "?acquire=" + brand_new, "third"), "acquire by a brand-new session")
        entry = self.entry(key)
        self.eq((base64.b64decode(entry["Value"]), "Session" in entry), (b"first", False), "refused acquires wrote nothing")
        self.expect_true(MAIN.put("/v1/kv/" + self.key("other") + "?acquire=" + existing, "x"), "another key is not delayed")
        self.expect_true(MAIN.put("/v1/kv/" + key, "plain"), "a plain PUT is not delayed")
        self.eq(self.value_of(key), b"plain", "the plain PUT wrote")
        self.expect_true(MAIN.delete("/v1/kv/" + key), "a DELETE is not delayed")
        self.eq(self.entry(key), None, "the DELETE deleted")
        # ?release cannot meet a delay over HTTP: nobody can hold the key while it lasts.
        self.ok(time.monotonic() - destroyed < 1.0, "the checks above ran inside the 1s delay",
                f"{time.monotonic() - destroyed:.2f}s")
        time.sleep(max(0.0, destroyed + 1.15 - time.monotonic()))
        self.expect_true(MAIN.put("/v1/kv/" + key + "?acquire=" + brand_new, "later"), "acquire once the delay is over")
        for sid in (existing, brand_new):
            MAIN.put("/v1/session/destroy/" + sid)

    # ======================== §2 KV ============================================================

    def test_s2_kv_put_raw_body(self):
        """§2 PUT /v1/kv/<key>: the body is the raw value (not base64), shown base64 in JSON"""
        raw = b"raw \x00\x01\xff bytes, not base64=="
        self.expect_true(MAIN.put("/v1/kv/" + self.key("v"), raw), "PUT")
        entry = self.entry(self.key("v"))
        self.eq(entry["Value"], b64(raw), "Value is the base64 of the raw body")

    def test_s2_kv_put_413(self):
        """§2 PUT over kv_max_value_size (512 KiB) -> 413"""
        reply = MAIN.put("/v1/kv/" + self.key("big"), b"x" * (KV_MAX_VALUE_SIZE + 1))
        self.expect_status(reply, 413, "a value one byte over 512 KiB")
        self.eq(self.entry(self.key("big")), None, "nothing written")
        self.expect_true(MAIN.put("/v1/kv/" + self.key("big"), b"x" * KV_MAX_VALUE_SIZE), "exactly 512 KiB")

    def test_s2_kv_put_missing_key_400(self):
        """§2 PUT with a missing key -> 400 "Missing key name\""""
        self.expect_reply(MAIN.put("/v1/kv/", "x"), 400, "Missing key name", "PUT /v1/kv/")

    def test_s2_kv_put_flags(self):
        """§2 PUT ?flags=<uint64>"""
        for flags in (42, 2**64 - 1):
            self.expect_true(MAIN.put(f"/v1/kv/{self.key('f')}?flags={flags}", "v"), f"PUT ?flags={flags}")
            self.eq(self.entry(self.key("f"))["Flags"], flags, f"Flags {flags}")

    def test_s2_kv_put_conflicting_flags_400(self):
        """§2 cas/acquire/release are mutually exclusive: 400 "Conflicting flags: <query, Go-encoded>\""""
        for query, encoded in (("cas=0&acquire=abc", "acquire=abc&cas=0"), ("release=b&cas=1", "cas=1&release=b"),
                               ("acquire=a&release=b", "acquire=a&release=b")):
            self.expect_reply(MAIN.put(f"/v1/kv/{self.key('k')}?{query}", "x"), 400, "Conflicting flags: " + encoded, "?" + query)
        self.eq(self.entry(self.key("k")), None, "nothing written")

    def test_s2_kv_put_answers_json_bool(self):
        """§2 PUT answers JSON `true` / `false`"""
        reply = MAIN.put("/v1/kv/" + self.key("b") + "?cas=0", "1")
        self.expect_true(reply, "a successful cas=0")
        self.ok((reply.header("Content-Type") or "").startswith("application/json"), "Content-Type is JSON", reply.header("Content-Type"))
        self.expect_false(MAIN.put("/v1/kv/" + self.key("b") + "?cas=0", "2"), "a refused cas=0")

    def test_s2_kv_plain_set_keeps_create_index_and_session(self):
        """§2 plain set: CreateIndex kept; Session kept (a plain PUT neither steals nor clears a lock)"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "v1")
        first = self.entry(key)
        MAIN.put("/v1/kv/" + key, "v2")
        second = self.entry(key)
        self.eq(second["CreateIndex"], first["CreateIndex"], "CreateIndex kept")
        self.ok(second["ModifyIndex"] > first["ModifyIndex"], "ModifyIndex moves", (first, second))
        sid = self.create_session({"LockDelay": "0s"})
        self.expect_true(MAIN.put("/v1/kv/" + key + "?acquire=" + sid, "locked"), "acquire")
        self.expect_true(MAIN.put("/v1/kv/" + key, "plain"), "a plain PUT on the held key")
        held = self.entry(key)
        self.eq(held.get("Session"), sid, "the plain PUT kept the Session")
        self.eq(base64.b64decode(held["Value"]), b"plain", "the plain PUT wrote its value")
        # Deliberate difference (fakes/consul/README.md): a plain PUT on a held key resets
        # LockIndex to 0, read from kvsSetTxn; the reference marks it UNVERIFIED.
        self.eq(held["LockIndex"], 0, "LockIndex after a plain PUT on a held key (README: resets to 0)")
        self.expect_true(MAIN.put("/v1/kv/" + key + "?release=" + sid, "released"), "the holder still holds it")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_kv_identical_write_changes_nothing(self):
        """§2 a byte-identical write changes nothing, not even ModifyIndex"""
        key = self.key("same")
        MAIN.put(f"/v1/kv/{key}?flags=3", "same")
        before = self.entry(key)
        self.expect_true(MAIN.put(f"/v1/kv/{key}?flags=3", "same"), "the identical PUT")
        after = self.entry(key)
        self.eq(after, before, "the entry after a byte-identical write")
        self.eq(self.index_of(MAIN.get("/v1/kv/" + key), "GET"), before["ModifyIndex"], "X-Consul-Index of the key")

    def test_s2_kv_cas_zero_creates_only(self):
        """§2 ?cas=0: create only if absent, else `false`"""
        key = self.key("c")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?cas=0", "first"), "cas=0 on an absent key")
        self.expect_false(MAIN.put(f"/v1/kv/{key}?cas=0", "second"), "cas=0 on an existing key")
        self.eq(self.value_of(key), b"first", "the refused cas wrote nothing")

    def test_s2_kv_cas_index(self):
        """§2 ?cas=N: only if the key exists with ModifyIndex N, else `false`"""
        key = self.key("c")
        self.expect_false(MAIN.put(f"/v1/kv/{key}?cas=5", "x"), "cas=5 on an absent key")
        self.eq(self.entry(key), None, "nothing created")
        MAIN.put("/v1/kv/" + key, "v1")
        index = self.entry(key)["ModifyIndex"]
        self.expect_false(MAIN.put(f"/v1/kv/{key}?cas={index + 1000}", "stale"), "cas with a wrong index")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?cas={index}", "v2"), "cas with the ModifyIndex")
        self.eq(self.value_of(key), b"v2", "the cas wrote")

    def test_s2_kv_acquire_errors_500(self):
        """§2 ?acquire: empty sid -> 500 `missing session`; unknown sid -> 500 `invalid session "<sid>"`"""
        self.expect_reply(MAIN.put(f"/v1/kv/{self.key('k')}?acquire=", "x"), 500, "missing session", "?acquire=")
        unknown = "00000000-0000-0000-0000-000000000bad"
        self.expect_reply(MAIN.put(f"/v1/kv/{self.key('k')}?acquire={unknown}", "x"), 500,
                          f'invalid session "{unknown}"', "?acquire=<unknown>")

    def test_s2_kv_acquire_semantics(self):
        """§2 ?acquire: new key -> LockIndex 1; same session -> true, value/flags updated, LockIndex unchanged; another -> false; existing unheld -> LockIndex+1"""
        key = self.key("lock")
        first = self.create_session({"LockDelay": "0s"})
        second = self.create_session({"LockDelay": "0s"})
        self.expect_true(MAIN.put(f"/v1/kv/{key}?acquire={first}", "one"), "acquire of a new key")
        entry = self.entry(key)
        self.eq((entry["LockIndex"], entry.get("Session")), (1, first), "a new key: LockIndex 1, Session set")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?flags=9&acquire={first}", "again"), "acquire by the holder again")
        entry = self.entry(key)
        self.eq((entry["LockIndex"], base64.b64decode(entry["Value"]), entry["Flags"]), (1, b"again", 9),
                "same session: value and flags updated, LockIndex unchanged")
        self.expect_false(MAIN.put(f"/v1/kv/{key}?acquire={second}", "theirs"), "acquire by another session")
        self.eq(self.value_of(key), b"again", "the refused acquire wrote nothing")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?release={first}", "free"), "release")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?acquire={second}", "theirs"), "acquire of the unheld key")
        entry = self.entry(key)
        self.eq((entry["LockIndex"], entry.get("Session")), (2, second), "an existing unheld key: LockIndex + 1")
        unheld = self.key("unheld")
        MAIN.put("/v1/kv/" + unheld, "plain")
        self.expect_true(MAIN.put(f"/v1/kv/{unheld}?acquire={first}", "x"), "acquire of a key made by a plain PUT")
        self.eq(self.entry(unheld)["LockIndex"], 1, "LockIndex 0 + 1")
        for sid in (first, second):
            MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_kv_release_semantics(self):
        """§2 ?release: missing key or held by another -> false; else Session cleared, LockIndex kept, value/flags from the request, no lock-delay"""
        key = self.key("lock")
        holder = self.create_session()  # the default LockDelay of 15s: a release must not start it
        other = self.create_session({"LockDelay": "0s"})
        self.expect_false(MAIN.put(f"/v1/kv/{self.key('missing')}?release={holder}", "x"), "release of a missing key")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?acquire={holder}", "held"), "acquire")
        self.expect_false(MAIN.put(f"/v1/kv/{key}?release={other}", "stolen"), "release by another session")
        self.eq(self.entry(key).get("Session"), holder, "still held after the refused release")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?flags=5&release={holder}", "released"), "release by the holder")
        entry = self.entry(key)
        self.ok("Session" not in entry, "Session cleared (absent when unlocked)", entry)
        self.eq((entry["LockIndex"], base64.b64decode(entry["Value"]), entry["Flags"]), (1, b"released", 5),
                "LockIndex kept, value and flags from the request")
        self.expect_true(MAIN.put(f"/v1/kv/{key}?acquire={other}", "next"), "no lock-delay after a release")
        for sid in (holder, other):
            MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_kv_delete(self):
        """§2 DELETE: deletes the key (`true`); an absent key gives `true` too"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        self.expect_true(MAIN.delete("/v1/kv/" + key), "DELETE")
        self.expect_status(MAIN.get("/v1/kv/" + key), 404, "GET after the DELETE")
        self.expect_true(MAIN.delete("/v1/kv/" + key), "DELETE of an absent key")

    def test_s2_kv_delete_empty_key_only_with_recurse(self):
        """§2 DELETE: an empty key only with ?recurse (else 400 "Missing key name"); ?recurse deletes the prefix"""
        self.expect_reply(MAIN.delete("/v1/kv/"), 400, "Missing key name", "DELETE /v1/kv/")
        for name in ("p/a", "p/b/c", "pz"):
            MAIN.put("/v1/kv/" + self.key(name), "x")
        self.expect_true(MAIN.delete("/v1/kv/" + self.key("p/") + "?recurse"), "DELETE ?recurse of a prefix")
        self.eq([self.entry(self.key(n)) is None for n in ("p/a", "p/b/c", "pz")], [True, True, False],
                "keys gone under the prefix, kept outside it")
        # The whole tree, on the `allow` instance (ACLs on with default allow; root token).
        for name in ("one", "two/three"):
            ALLOW.put(f"/v1/kv/{name}?token=root", "x")
        self.expect_true(ALLOW.delete("/v1/kv/?recurse&token=root"), "DELETE /v1/kv/?recurse")
        self.expect_reply(ALLOW.get("/v1/kv/?keys&token=root"), 200, "[]", "no keys left after deleting the whole tree")

    def test_s2_kv_delete_cas(self):
        """§2 DELETE ?cas=N: `true` also when the key is absent; `false` on a wrong index"""
        key = self.key("k")
        self.expect_true(MAIN.delete(f"/v1/kv/{key}?cas=5"), "DELETE ?cas=5 of an absent key")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.entry(key)["ModifyIndex"]
        self.expect_false(MAIN.delete(f"/v1/kv/{key}?cas={index + 1000}"), "DELETE with a wrong index")
        self.ok(self.entry(key) is not None, "the refused DELETE kept the key", None)
        self.expect_true(MAIN.delete(f"/v1/kv/{key}?cas={index}"), "DELETE with the ModifyIndex")
        self.eq(self.entry(key), None, "the key is gone")

    def test_s2_kv_delete_recurse_cas_400(self):
        """§2 DELETE ?recurse with ?cas -> 400"""
        self.expect_reply(MAIN.delete(f"/v1/kv/{self.key('x')}?recurse&cas=1"), 400, "Conflicting flags: cas=1&recurse=",
                          "DELETE ?recurse&cas=1")

    def test_s2_kv_delete_ignores_locks(self):
        """§2 deletion ignores locks"""
        key = self.key("held")
        sid = self.create_session({"LockDelay": "0s"})
        self.expect_true(MAIN.put(f"/v1/kv/{key}?acquire={sid}", "x"), "acquire")
        self.expect_true(MAIN.delete("/v1/kv/" + key), "DELETE of a held key")
        self.eq(self.entry(key), None, "the held key is gone")
        self.eq(len(self.session_info(sid)), 1, "the session lives on")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_kv_tombstones_keep_index_monotonic(self):
        """§2 tombstones keep indexes monotonic: a deleted key's and its prefix's index do not go back"""
        prefix = self.key("t/")
        MAIN.put("/v1/kv/" + prefix + "a", "1")
        MAIN.put("/v1/kv/" + prefix + "b", "2")
        listed = self.index_of(MAIN.get("/v1/kv/" + prefix + "?recurse"), "list")
        key_index = self.index_of(MAIN.get("/v1/kv/" + prefix + "b"), "get")
        self.expect_true(MAIN.delete("/v1/kv/" + prefix + "b"), "DELETE")
        gone = MAIN.get("/v1/kv/" + prefix + "b")
        self.ok(self.index_of(gone, "get of the deleted key") > key_index, "the deleted key's index moves forward", gone.header("X-Consul-Index"))
        after = self.index_of(MAIN.get("/v1/kv/" + prefix + "?recurse"), "list")
        self.ok(after > listed, "the prefix's index counts the tombstone", (listed, after))
        self.expect_true(MAIN.delete("/v1/kv/" + prefix + "a"), "DELETE the last key")
        empty = MAIN.get("/v1/kv/" + prefix + "?recurse")
        self.expect_status(empty, 404, "an empty recurse")
        self.ok(self.index_of(empty, "empty recurse") > after, "the emptied prefix's index still moves forward", empty.header("X-Consul-Index"))

    def test_s2_kv_get_recurse(self):
        """§2 GET ?recurse: every entry under the prefix, sorted by key"""
        prefix = self.key("r/")
        for name in ("b", "a", "c/d"):
            MAIN.put("/v1/kv/" + prefix + name, name)
        MAIN.put("/v1/kv/" + self.key("rz"), "outside")
        reply = MAIN.get("/v1/kv/" + prefix + "?recurse")
        self.expect_status(reply, 200, "GET ?recurse")
        self.eq([e["Key"] for e in reply.json()], [prefix + "a", prefix + "b", prefix + "c/d"], "keys of the recurse")
        self.eq([base64.b64decode(e["Value"]) for e in reply.json()], [b"a", b"b", b"c/d"], "values of the recurse")
        self.expect_query_meta(reply, "GET ?recurse")

    def test_s2_kv_get_keys_and_separator(self):
        """§2 GET ?keys (+separator): key names; [] for the empty prefix with no keys, 404 under a non-empty prefix"""
        prefix = self.key("s/")
        for name in ("a", "b/c", "b/d", "e/f/g"):
            MAIN.put("/v1/kv/" + prefix + name, "x")
        keys = MAIN.get("/v1/kv/" + prefix + "?keys")
        self.expect_status(keys, 200, "?keys")
        self.eq(keys.json(), [prefix + n for n in ("a", "b/c", "b/d", "e/f/g")], "?keys lists every key")
        folded = MAIN.get("/v1/kv/" + prefix + "?keys&separator=/")
        self.eq(folded.json(), [prefix + n for n in ("a", "b/", "e/")], "?keys&separator=/ folds at the separator")
        self.expect_status(MAIN.get("/v1/kv/" + self.key("nothing/") + "?keys"), 404, "?keys under an empty non-empty prefix")
        self.expect_reply(PRISTINE.get("/v1/kv/?keys"), 200, "[]", "?keys of the empty prefix on an empty store")

    def test_s2_kv_get_raw_text_plain(self):
        """§2 GET ?raw: the raw value as text/plain"""
        raw = b"plain \xffvalue"
        MAIN.put("/v1/kv/" + self.key("raw"), raw)
        reply = MAIN.get("/v1/kv/" + self.key("raw") + "?raw")
        self.expect_status(reply, 200, "GET ?raw")
        self.eq(reply.body, raw, "the body is the raw value")
        self.ok((reply.header("Content-Type") or "").startswith("text/plain"), "Content-Type is text/plain", reply.header("Content-Type"))

    def test_s2_kv_get_404_cases(self):
        """§2 GET 404 for a missing key, an empty recurse, or empty ?keys under a non-empty prefix"""
        for path in ("missing", "missing/?recurse", "missing/?keys"):
            reply = MAIN.get("/v1/kv/" + self.key(path))
            self.expect_status(reply, 404, "GET " + path)

    def test_s2_kv_404_carries_index_headers(self):
        """§2 404 responses still carry X-Consul-Index, X-Consul-LastContact, X-Consul-KnownLeader"""
        for path in ("missing", "missing/?recurse", "missing/?keys"):
            reply = MAIN.get("/v1/kv/" + self.key(path))
            self.expect_status(reply, 404, "GET " + path)
            self.expect_query_meta(reply, "404 of GET " + path)

    def test_s2_kv_entry_json_shape(self):
        """§2 entry JSON: LockIndex, Key, Flags, Value (base64), Session (absent when unlocked), CreateIndex, ModifyIndex"""
        key = self.key("e")
        MAIN.put(f"/v1/kv/{key}?flags=1", "value")
        entry = self.entry(key)
        self.eq(sorted(entry), sorted(["LockIndex", "Key", "Flags", "Value", "CreateIndex", "ModifyIndex"]), "fields of an unlocked entry")
        self.eq((entry["Key"], entry["Flags"], entry["Value"], entry["LockIndex"]), (key, 1, b64("value"), 0), "values")
        self.ok(all(type(entry[f]) is int for f in ("LockIndex", "Flags", "CreateIndex", "ModifyIndex")), "indexes and flags are integers", entry)
        sid = self.create_session({"LockDelay": "0s"})
        MAIN.put(f"/v1/kv/{key}?acquire={sid}", "value")
        locked = self.entry(key)
        self.eq(sorted(locked), sorted(["LockIndex", "Key", "Flags", "Value", "Session", "CreateIndex", "ModifyIndex"]), "fields of a locked entry")
        self.eq(locked["Session"], sid, "Session of a locked entry")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_kv_index_single_key_own_modify_index(self):
        """§2 index reported for a single existing key: its own ModifyIndex"""
        key = self.key("own")
        MAIN.put("/v1/kv/" + key, "1")
        own = self.entry(key)["ModifyIndex"]
        MAIN.put("/v1/kv/" + self.key("unrelated"), "2")
        self.eq(self.index_of(MAIN.get("/v1/kv/" + key), "GET"), own, "X-Consul-Index of a single key after an unrelated write")

    def test_s2_kv_index_missing_key_table_max(self):
        """§2 index reported for a missing key: the highest index of the kvs and tombstones tables"""
        MAIN.put("/v1/kv/" + self.key("w"), "1")
        last_write = self.entry(self.key("w"))["ModifyIndex"]
        self.eq(self.index_of(MAIN.get("/v1/kv/" + self.key("missing")), "404"), last_write, "index of a missing key after a write")
        MAIN.delete("/v1/kv/" + self.key("w"))
        after_delete = self.index_of(MAIN.get("/v1/kv/" + self.key("w")), "404")
        self.ok(after_delete > last_write, "a delete (tombstone) raises it", (last_write, after_delete))
        self.eq(self.index_of(MAIN.get("/v1/kv/" + self.key("missing")), "404"), after_delete, "the same for any missing key")

    def test_s2_kv_index_list_highest_matching(self):
        """§2 index reported for a list: the highest among matching entries and tombstones"""
        prefix = self.key("l/")
        MAIN.put("/v1/kv/" + prefix + "a", "1")
        MAIN.put("/v1/kv/" + prefix + "b", "2")
        highest = max(self.entry(prefix + n)["ModifyIndex"] for n in ("a", "b"))
        MAIN.put("/v1/kv/" + self.key("elsewhere"), "3")
        for query in ("?recurse", "?keys"):
            self.eq(self.index_of(MAIN.get("/v1/kv/" + prefix + query), query), highest, f"{query} index after a write elsewhere")
        MAIN.delete("/v1/kv/" + prefix + "a")
        tomb = self.index_of(MAIN.get("/v1/kv/" + prefix + "a"), "404")
        self.eq(self.index_of(MAIN.get("/v1/kv/" + prefix + "?recurse"), "list"), tomb, "a tombstone under the prefix counts")

    def test_s2_txn_success_shape(self):
        """§2 txn success: 200 {"Results":[{"KV":...}],"Errors":null}"""
        key = self.key("t")
        reply = self.txn([{"Verb": "set", "Key": key, "Value": b64("v"), "Flags": 4}, {"Verb": "get", "Key": key}])
        results = self.expect_txn_ok(reply, "set + get")
        self.eq(len(results), 2, "one result per set and get")
        self.eq((results[1]["Key"], results[1]["Value"], results[1]["Flags"]), (key, b64("v"), 4), "the get's entry")
        self.eq(self.value_of(key), b"v", "the set is applied")

    def test_s2_txn_rollback_409(self):
        """§2 txn: any error rolls back: 409 with Errors:[{"OpIndex","What"}]"""
        key = self.key("t")
        MAIN.put("/v1/kv/" + key, "kept")
        reply = self.txn([{"Verb": "set", "Key": key, "Value": b64("changed")},
                          {"Verb": "set", "Key": self.key("new"), "Value": b64("new")},
                          {"Verb": "check-index", "Key": key, "Index": 1}])
        self.expect_txn_error(reply, 2, "a failing check-index after two sets")
        self.eq(self.value_of(key), b"kept", "the first set is rolled back")
        self.eq(self.entry(self.key("new")), None, "the second set is rolled back")

    def test_s2_txn_too_many_ops_413(self):
        """§2 txn: at most 64 operations, 413 past it"""
        ops = [{"Verb": "set", "Key": self.key(str(i)), "Value": b64("x")} for i in range(65)]
        reply = self.txn(ops)
        self.expect_status(reply, 413, "65 operations")
        self.eq(self.entry(self.key("0")), None, "nothing applied")
        self.expect_txn_ok(self.txn(ops[:64]), "64 operations")

    def test_s2_txn_verb_set(self):
        """§2 txn verb set"""
        results = self.expect_txn_ok(self.txn([{"Verb": "set", "Key": self.key("k"), "Value": b64("v"), "Flags": 2}]), "set")
        self.eq(results[0]["Key"], self.key("k"), "the set's result names its key")
        entry = self.entry(self.key("k"))
        self.eq((base64.b64decode(entry["Value"]), entry["Flags"]), (b"v", 2), "set wrote value and flags")

    def test_s2_txn_verb_cas(self):
        """§2 txn verb cas"""
        key = self.key("k")
        self.expect_txn_ok(self.txn([{"Verb": "cas", "Key": key, "Value": b64("1"), "Index": 0}]), "cas Index 0 on an absent key")
        self.expect_txn_error(self.txn([{"Verb": "cas", "Key": key, "Value": b64("2"), "Index": 0}]), 0, "cas Index 0 on an existing key")
        index = self.entry(key)["ModifyIndex"]
        self.expect_txn_ok(self.txn([{"Verb": "cas", "Key": key, "Value": b64("3"), "Index": index}]), "cas with the ModifyIndex")
        self.eq(self.value_of(key), b"3", "cas wrote")

    def test_s2_txn_verb_lock(self):
        """§2 txn verb lock"""
        key = self.key("k")
        first, second = self.create_session({"LockDelay": "0s"}), self.create_session({"LockDelay": "0s"})
        results = self.expect_txn_ok(self.txn([{"Verb": "lock", "Key": key, "Value": b64("me"), "Session": first}]), "lock")
        self.eq((results[0]["LockIndex"], results[0].get("Session")), (1, first), "lock result")
        self.expect_txn_error(self.txn([{"Verb": "lock", "Key": key, "Value": b64("me"), "Session": second}]), 0, "lock held by another")
        self.expect_txn_error(self.txn([{"Verb": "lock", "Key": key, "Session": "00000000-0000-0000-0000-000000000bad"}]), 0,
                              "lock with an unknown session", contains="invalid session")
        for sid in (first, second):
            MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_txn_verb_unlock(self):
        """§2 txn verb unlock"""
        key = self.key("k")
        holder, other = self.create_session({"LockDelay": "0s"}), self.create_session({"LockDelay": "0s"})
        MAIN.put(f"/v1/kv/{key}?acquire={holder}", "x")
        self.expect_txn_error(self.txn([{"Verb": "unlock", "Key": key, "Session": other}]), 0, "unlock by another session")
        self.expect_txn_ok(self.txn([{"Verb": "unlock", "Key": key, "Value": b64("free"), "Session": holder}]), "unlock by the holder")
        entry = self.entry(key)
        self.ok("Session" not in entry and entry["LockIndex"] == 1, "unlocked, LockIndex kept", entry)
        for sid in (holder, other):
            MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_txn_verb_get(self):
        """§2 txn verb get"""
        key = self.key("k")
        MAIN.put(f"/v1/kv/{key}?flags=6", "got")
        results = self.expect_txn_ok(self.txn([{"Verb": "get", "Key": key}]), "get")
        self.eq((results[0]["Key"], results[0]["Value"], results[0]["Flags"]), (key, b64("got"), 6), "get's entry")
        self.expect_txn_error(self.txn([{"Verb": "get", "Key": self.key("missing")}]), 0, "get of a missing key")

    def test_s2_txn_verb_get_tree(self):
        """§2 txn verb get-tree"""
        prefix = self.key("tree/")
        for name in ("a", "b/c"):
            MAIN.put("/v1/kv/" + prefix + name, name)
        results = self.expect_txn_ok(self.txn([{"Verb": "get-tree", "Key": prefix}]), "get-tree")
        self.eq([(r["Key"], r["Value"]) for r in results], [(prefix + "a", b64("a")), (prefix + "b/c", b64("b/c"))], "get-tree's entries")

    def test_s2_txn_verb_get_or_empty(self):
        """§2 txn verb get-or-empty"""
        key = self.key("k")
        missing = self.expect_txn_ok(self.txn([{"Verb": "get-or-empty", "Key": key}]), "get-or-empty of a missing key")
        self.ok(len(missing) == 1 and missing[0]["Key"] == key, "an empty entry for a missing key", missing)
        MAIN.put("/v1/kv/" + key, "there")
        results = self.expect_txn_ok(self.txn([{"Verb": "get-or-empty", "Key": key}]), "get-or-empty of an existing key")
        self.eq(results[0]["Key"], key, "the existing entry")

    def test_s2_txn_verb_check_index(self):
        """§2 txn verb check-index"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.entry(key)["ModifyIndex"]
        self.expect_txn_ok(self.txn([{"Verb": "check-index", "Key": key, "Index": index}]), "check-index with the ModifyIndex")
        self.expect_txn_error(self.txn([{"Verb": "check-index", "Key": key, "Index": index + 1000}]), 0, "check-index with a wrong index")
        self.expect_txn_error(self.txn([{"Verb": "check-index", "Key": self.key("missing"), "Index": 1}]), 0, "check-index of a missing key")

    def test_s2_txn_verb_check_session(self):
        """§2 txn verb check-session"""
        key = self.key("k")
        sid = self.create_session({"LockDelay": "0s"})
        MAIN.put(f"/v1/kv/{key}?acquire={sid}", "x")
        self.expect_txn_ok(self.txn([{"Verb": "check-session", "Key": key, "Session": sid}]), "check-session with the holder")
        self.expect_txn_error(self.txn([{"Verb": "check-session", "Key": key, "Session": "someone-else"}]), 0, "check-session with another")
        MAIN.put("/v1/session/destroy/" + sid)

    def test_s2_txn_verb_delete(self):
        """§2 txn verb delete"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        self.expect_txn_ok(self.txn([{"Verb": "delete", "Key": key}]), "delete")
        self.eq(self.entry(key), None, "deleted")
        self.expect_txn_ok(self.txn([{"Verb": "delete", "Key": key}]), "delete of an absent key")

    def test_s2_txn_verb_delete_tree(self):
        """§2 txn verb delete-tree"""
        prefix = self.key("tree/")
        for name in ("a", "b/c"):
            MAIN.put("/v1/kv/" + prefix + name, "x")
        MAIN.put("/v1/kv/" + self.key("treez"), "outside")
        self.expect_txn_ok(self.txn([{"Verb": "delete-tree", "Key": prefix}]), "delete-tree")
        self.expect_status(MAIN.get("/v1/kv/" + prefix + "?recurse"), 404, "the tree after delete-tree")
        self.ok(self.entry(self.key("treez")) is not None, "a key outside the prefix stays", None)

    def test_s2_txn_verb_delete_cas(self):
        """§2 txn verb delete-cas"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.entry(key)["ModifyIndex"]
        self.expect_txn_error(self.txn([{"Verb": "delete-cas", "Key": key, "Index": index + 1000}]), 0, "delete-cas with a wrong index")
        self.ok(self.entry(key) is not None, "kept after the refused delete-cas", None)
        self.expect_txn_ok(self.txn([{"Verb": "delete-cas", "Key": key, "Index": index}]), "delete-cas with the ModifyIndex")
        self.eq(self.entry(key), None, "deleted")

    # ======================== §3 Blocking queries ==============================================

    def test_s3_blocking_returns_on_change(self):
        """§3 a blocking query returns as soon as the result's index > ?index"""
        key = self.key("w")
        MAIN.put("/v1/kv/" + key, "before")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "GET")
        waiting = Background(lambda: MAIN.get(f"/v1/kv/{key}?index={index}&wait=10s"))
        time.sleep(0.3)
        self.ok(waiting.pending(), "still blocking before the change", waiting.result)
        MAIN.put("/v1/kv/" + key, "after")
        changed = time.monotonic()
        reply = waiting.wait()
        self.expect_status(reply, 200, "the blocking GET")
        self.eq(base64.b64decode(reply.json()[0]["Value"]), b"after", "it returns the new value")
        self.ok(waiting.finished - changed < 1.0, "it returns at once on the change", f"{waiting.finished - changed:.2f}s after the write")
        self.ok(self.index_of(reply, "blocking GET") > index, "with an index past ?index", reply.header("X-Consul-Index"))
        # The same for a list (?recurse=1, as python-consul sends it) and for the health endpoint.
        prefix = self.key("tree/")
        MAIN.put("/v1/kv/" + prefix + "a", "1")
        list_index = self.index_of(MAIN.get("/v1/kv/" + prefix + "?recurse=1"), "list")
        health_index = self.index_of(MAIN.get("/v1/health/service/s3-blocking"), "health")
        lists = Background(lambda: MAIN.get(f"/v1/kv/{prefix}?recurse=1&index={list_index}&wait=10s"))
        health = Background(lambda: MAIN.get(f"/v1/health/service/s3-blocking?index={health_index}&wait=10s"))
        time.sleep(0.3)
        self.ok(lists.pending() and health.pending(), "list and health queries block before the change", (lists.result, health.result))
        MAIN.put("/v1/kv/" + prefix + "b", "2")
        MAIN.put("/v1/catalog/register", {"Node": "s3-n1", "Address": "10.0.3.1", "Service": {"Service": "s3-blocking"}})
        changed = time.monotonic()
        self.eq([e["Key"] for e in lists.wait().json()], [prefix + "a", prefix + "b"], "the blocking ?recurse returns the new list")
        self.eq([e["Service"]["Service"] for e in health.wait().json()], ["s3-blocking"], "the blocking health query returns the new instance")
        self.ok(max(lists.finished, health.finished) - changed < 1.0, "both return at once on their change",
                (lists.finished - changed, health.finished - changed))

    def test_s3_blocking_timeout_returns_current_data(self):
        """§3 on timeout a blocking query returns 200 with the current data"""
        key = self.key("quiet")
        MAIN.put("/v1/kv/" + key, "same")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "GET")
        started = time.monotonic()
        reply = MAIN.get(f"/v1/kv/{key}?index={index}&wait=1s")
        elapsed = time.monotonic() - started
        self.expect_status(reply, 200, "the timed-out blocking GET")
        self.eq(base64.b64decode(reply.json()[0]["Value"]), b"same", "current data")
        self.eq(self.index_of(reply, "timed-out GET"), index, "the same index")
        self.ok(elapsed >= 1.0, "it waited the whole ?wait", f"{elapsed:.2f}s")

    def test_s3_wait_jitter_up_to_wait_over_16(self):
        """§3 a random jitter of up to wait/16 is added to the wait"""
        key = self.key("j")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "GET")
        waits = [Background(lambda: MAIN.get(f"/v1/kv/{key}?index={index}&wait=1600ms")) for _ in range(4)]
        for waiting in waits:
            self.expect_status(waiting.wait(), 200, "a timed-out blocking GET")
        elapsed = [w.elapsed for w in waits]
        self.ok(all(1.6 <= e <= 1.6 + 0.1 + 0.4 for e in elapsed),
                "each wait of 1.6s lasts between 1.6s and 1.6s + 1.6s/16 (+0.4s of slack for the machine)",
                [f"{e:.3f}s" for e in elapsed])

    def test_s3_bad_wait_400(self):
        """§3 a bad ?wait -> 400 "Invalid wait time\""""
        for wait in ("forever", "10", "5x"):
            self.expect_reply(MAIN.get(f"/v1/kv/{self.key('k')}?index=1&wait={wait}"), 400, "Invalid wait time", f"wait={wait}")

    def test_s3_bad_index_400(self):
        """§3 a bad ?index -> 400 "Invalid index\""""
        for index in ("-1", "abc", "1.5"):
            self.expect_reply(MAIN.get(f"/v1/kv/{self.key('k')}?index={index}"), 400, "Invalid index", f"index={index}")

    def test_s3_index_zero_is_non_blocking(self):
        """§3 ?index=0 or no ?index: non-blocking, ?wait ignored"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        for query in ("?index=0&wait=5s", "?wait=5s", ""):
            started = time.monotonic()
            reply = MAIN.get("/v1/kv/" + key + query)
            elapsed = time.monotonic() - started
            self.expect_status(reply, 200, "GET " + query)
            self.ok(elapsed < 0.5, f"GET {query!r} answers at once", f"{elapsed:.2f}s")

    def test_s3_missing_key_blocks_until_it_appears(self):
        """§3 a blocking query on a missing key keeps blocking until the key appears"""
        key = self.key("later")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "404")
        waiting = Background(lambda: MAIN.get(f"/v1/kv/{key}?index={index}&wait=15s"))
        time.sleep(0.3)
        MAIN.put("/v1/kv/" + self.key("unrelated"), "noise")
        time.sleep(0.7)
        self.ok(waiting.pending(), "still blocking 1s in, after an unrelated write", waiting.result)
        MAIN.put("/v1/kv/" + key, "here")
        appeared = time.monotonic()
        reply = waiting.wait()
        self.expect_status(reply, 200, "the blocking GET once the key appears")
        self.eq(base64.b64decode(reply.json()[0]["Value"]), b"here", "the new key's value")
        self.ok(waiting.finished - appeared < 1.0, "it returns at once when the key appears", f"{waiting.finished - appeared:.2f}s")

    def test_s3_missing_key_blocks_until_timeout(self):
        """§3 a blocking query on a missing key that never appears returns at the timeout (404 with headers)"""
        key = self.key("never")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "404")
        started = time.monotonic()
        reply = MAIN.get(f"/v1/kv/{key}?index={index}&wait=1s")
        elapsed = time.monotonic() - started
        self.expect_status(reply, 404, "the timed-out blocking GET of a missing key")
        self.ok(elapsed >= 1.0, "it waited the whole ?wait", f"{elapsed:.2f}s")
        self.expect_query_meta(reply, "timed-out 404")

    def test_s3_wait_over_max_is_clamped(self):
        """§3 a ?wait over max_query_time (600s) is clamped, not refused (the 600s itself is not waited for here)"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "GET")
        waiting = Background(lambda: MAIN.get(f"/v1/kv/{key}?index={index}&wait=2h", timeout=900))
        time.sleep(0.3)
        self.ok(waiting.pending(), "a ?wait=2h blocks (it is not refused)", waiting.result)
        MAIN.put("/v1/kv/" + key, "y")
        self.expect_status(waiting.wait(), 200, "the ?wait=2h GET after a change")

    def test_s3_wait_absent_or_zero_uses_default(self):
        """§3 ?wait absent or <= 0 uses default_query_time (300s): the query blocks (the 300s itself is not waited for here)"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "x")
        index = self.index_of(MAIN.get("/v1/kv/" + key), "GET")
        waits = {query: Background(lambda query=query: MAIN.get(f"/v1/kv/{key}?index={index}{query}", timeout=400))
                 for query in ("", "&wait=0s", "&wait=-5s")}
        time.sleep(1.2)
        for query, waiting in waits.items():
            self.ok(waiting.pending(), f"?index with {query or 'no wait'!r} still blocks after 1.2s", waiting.result)
        MAIN.put("/v1/kv/" + key, "y")
        for query, waiting in waits.items():
            self.expect_status(waiting.wait(), 200, f"the blocking GET with {query or 'no wait'!r} after a change")

    def test_s3_headers_on_reads(self):
        """§3 headers: X-Consul-Index, X-Consul-LastContact (ms), X-Consul-KnownLeader (true/false) on blocking endpoints"""
        MAIN.put("/v1/kv/" + self.key("k"), "x")
        for path in ("/v1/kv/" + self.key("k"), "/v1/kv/" + self.key("?recurse"), "/v1/kv/" + self.key("?keys"),
                     "/v1/session/list", "/v1/health/service/nothing", "/v1/catalog/services", "/v1/catalog/service/nothing"):
            reply = MAIN.get(path)
            self.expect_status(reply, 200, "GET " + path)
            self.expect_query_meta(reply, "GET " + path)

    def test_s3_index_zero_replaced_by_one(self):
        """§3 X-Consul-Index 0 is replaced by 1"""
        # Only KV reads: the fresh agent has already written its own node to the catalog.
        for path in ("/v1/kv/missing", "/v1/kv/?recurse", "/v1/kv/?keys"):
            reply = PRISTINE.get(path)
            self.eq(reply.header("X-Consul-Index"), "1", f"X-Consul-Index of GET {path} on a fresh agent (no KV write yet)")

    def test_s3_consistency_modes(self):
        """§3 consistency modes ?stale, ?consistent, ?leader are accepted (a dev-mode server leads alone, so ?consistent verifies at once)"""
        key = self.key("k")
        MAIN.put("/v1/kv/" + key, "m")
        for query in ("?stale", "?stale=1", "?consistent", "?consistent=1", "?leader"):
            reply = MAIN.get("/v1/kv/" + key + query)
            self.expect_status(reply, 200, "GET " + query)
            self.eq(base64.b64decode(reply.json()[0]["Value"]), b"m", f"value read with {query}")
            self.expect_query_meta(reply, "GET " + query)

    def test_s3_stale_consistent_conflict_400(self):
        """§3 ?stale with ?consistent -> 400 "Cannot specify ?stale with ?consistent, conflicting semantics.\""""
        for path in (f"/v1/kv/{self.key('k')}?stale&consistent", "/v1/session/list?consistent=1&stale=1",
                     "/v1/health/service/web?stale&consistent"):
            self.expect_reply(MAIN.get(path), 400, STALE_CONSISTENT_TEXT, "GET " + path)

    # ======================== §4 Health, catalog, status =======================================

    def register_web(self):
        for node, address, tags, status, port in (("s4-n1", "10.0.0.1", ["a", "b"], "passing", 8081),
                                                  ("s4-n2", "10.0.0.2", ["a"], "critical", 8082)):
            reply = MAIN.put("/v1/catalog/register", {
                "Node": node, "Address": address,
                "Service": {"Service": "s4-web", "ID": "s4-web", "Tags": tags, "Port": port, "Meta": {"node": node}},
                "Check": {"CheckID": "s4-web-check", "Name": "web", "Status": status, "ServiceID": "s4-web"}})
            self.expect_status(reply, 200, f"catalog register of {node}")

    def health(self, query="", client=None):
        reply = (client or MAIN).get("/v1/health/service/s4-web" + query)
        self.expect_status(reply, 200, "GET /v1/health/service/s4-web" + query)
        return reply.json()

    def test_s4_health_service_shape(self):
        """§4 GET /v1/health/service/:name: an array of {Node, Service, Checks}"""
        self.register_web()
        entries = self.health()
        self.eq(len(entries), 2, "two instances")
        for entry in entries:
            self.eq(sorted(entry), ["Checks", "Node", "Service"], "fields of a health entry")
            self.ok(isinstance(entry["Checks"], list) and entry["Checks"], "Checks is an array", entry["Checks"])
        by_node = {e["Node"]["Node"]: e for e in entries}
        self.eq(sorted(by_node), ["s4-n1", "s4-n2"], "nodes")
        self.eq((by_node["s4-n1"]["Node"]["Address"], by_node["s4-n1"]["Service"]["Service"], by_node["s4-n1"]["Service"]["Port"]),
                ("10.0.0.1", "s4-web", 8081), "n1's node and service")
        self.eq(by_node["s4-n2"]["Checks"][0]["Status"], "critical", "n2's check")

    def test_s4_health_service_empty_array(self):
        """§4 health service arrays are [], never null"""
        self.expect_reply(MAIN.get("/v1/health/service/s4-nothing"), 200, "[]", "an unknown service")
        self.expect_reply(MAIN.get("/v1/health/service/s4-web?tag=no-such-tag"), 200, "[]", "nothing matching the tag")

    def test_s4_health_passing(self):
        """§4 ?passing (no value = true; a bad value -> 400 "Invalid value for ?passing")"""
        self.register_web()
        for query, count in (("?passing", 1), ("?passing=true", 1), ("?passing=1", 1), ("?passing=false", 2), ("", 2)):
            self.eq(len(self.health(query)), count, f"instances with {query or 'no ?passing'}")
        self.eq(self.health("?passing")[0]["Node"]["Node"], "s4-n1", "the passing instance")
        self.expect_reply(MAIN.get("/v1/health/service/s4-web?passing=maybe"), 400, "Invalid value for ?passing", "?passing=maybe")

    def test_s4_health_tag_repeatable(self):
        """§4 ?tag (repeatable: every tag must match)"""
        self.register_web()
        for query, nodes in (("?tag=a", ["s4-n1", "s4-n2"]), ("?tag=b", ["s4-n1"]), ("?tag=a&tag=b", ["s4-n1"]), ("?tag=zzz", [])):
            self.eq(sorted(e["Node"]["Node"] for e in self.health(query)), nodes, f"nodes with {query}")

    def test_s4_health_near(self):
        """§4 ?near is accepted"""
        self.register_web()
        self.eq(len(self.health("?near=_agent")), 2, "instances with ?near=_agent")

    def test_s4_health_filter(self):
        """§4 ?filter selects entries (go-bexpr)"""
        self.register_web()
        for expression, nodes in (("Service.Port == 8082", ["s4-n2"]), ('"b" in Service.Tags', ["s4-n1"]),
                                  ("Node.Node matches \"s4-n.\"", ["s4-n1", "s4-n2"]), ('Service.Meta.node == "s4-n1"', ["s4-n1"])):
            self.eq(sorted(e["Node"]["Node"] for e in self.health("?filter=" + q(expression))), nodes, f"?filter={expression}")

    def test_s4_health_dc(self):
        """§4 ?dc naming the agent's datacenter is accepted"""
        self.register_web()
        self.eq(len(self.health("?dc=dc1")), 2, "instances with ?dc=dc1")

    def test_s4_namespace_400(self):
        """§4 ?ns or X-Consul-Namespace -> 400 "Invalid query parameter: \\"ns\\" - Namespaces are a Consul Enterprise feature\""""
        for method, path, headers in (("GET", "/v1/health/service/s4-web?ns=team", {}),
                                      ("GET", "/v1/health/service/s4-web", {"X-Consul-Namespace": "team"}),
                                      ("GET", "/v1/kv/" + self.key("k") + "?ns=team", {}),
                                      ("PUT", "/v1/kv/" + self.key("k") + "?ns=team", {})):
            reply = MAIN.request(method, path, body=b"x" if method == "PUT" else None, headers=headers)
            self.expect_reply(reply, 400, NS_TEXT, f"{method} {path} {headers}")
        self.eq(self.entry(self.key("k")), None, "the PUT with ?ns wrote nothing")

    def test_s4_catalog_services_map(self):
        """§4 GET /v1/catalog/services: a map name -> tags, {} when empty"""
        empty = PRISTINE.get("/v1/catalog/services")
        self.expect_status(empty, 200, "catalog services of a fresh agent")
        self.eq(empty.json(), {}, "catalog services of a fresh agent")
        self.register_web()
        services = MAIN.get("/v1/catalog/services").json()
        self.ok(isinstance(services, dict), "a JSON object", services)
        self.eq(sorted(services.get("s4-web") or []), ["a", "b"], "s4-web's tags (the union over instances)")

    def test_s4_catalog_service_flat_array(self):
        """§4 GET /v1/catalog/service/:name: a flat array (ServiceID, ServiceName, ServiceTags, Address, ...), [] when empty"""
        self.expect_reply(MAIN.get("/v1/catalog/service/s4-nothing"), 200, "[]", "an unknown service")
        self.register_web()
        reply = MAIN.get("/v1/catalog/service/s4-web")
        self.expect_status(reply, 200, "catalog service")
        entries = sorted(reply.json(), key=lambda e: e["Node"])
        self.eq(len(entries), 2, "two instances")
        for field in ("ServiceID", "ServiceName", "ServiceTags", "Address", "ServicePort", "Node"):
            self.ok(all(field in e for e in entries), f"each entry has {field}", entries[0])
        self.eq((entries[0]["ServiceID"], entries[0]["ServiceName"], entries[0]["ServiceTags"], entries[0]["Address"], entries[0]["ServicePort"]),
                ("s4-web", "s4-web", ["a", "b"], "10.0.0.1", 8081), "n1's flat entry")
        tagged = MAIN.get("/v1/catalog/service/s4-web?tag=b").json()
        self.eq([e["Node"] for e in tagged], ["s4-n1"], "?tag on the catalog")

    def test_s4_status_leader(self):
        """§4 GET /v1/status/leader: a JSON string "ip:port\""""
        reply = MAIN.get("/v1/status/leader")
        self.expect_status(reply, 200, "status leader")
        leader = reply.json()
        self.ok(isinstance(leader, str) and re.match(r"^\d+\.\d+\.\d+\.\d+:\d+$", leader), 'a JSON string "ip:port"', reply)

    def test_s4_status_peers(self):
        """§4 GET /v1/status/peers: an array of raft server addresses"""
        peers = MAIN.get("/v1/status/peers").json()
        self.ok(isinstance(peers, list) and len(peers) == 1, "an array of the one dev server", peers)
        self.eq(peers, [MAIN.get("/v1/status/leader").json()], "the leader is the peer")

    def test_s4_agent_self(self):
        """§4 GET /v1/agent/self: {Config:{Datacenter, NodeName, NodeID, Server, Version, ...}, Member, ...}"""
        reply = MAIN.get("/v1/agent/self")
        self.expect_status(reply, 200, "agent self")
        body = reply.json()
        self.ok("Config" in body and "Member" in body, "Config and Member", body)
        config = body["Config"]
        for field in ("Datacenter", "NodeName", "NodeID", "Server", "Version"):
            self.ok(field in config, f"Config.{field}", config)
        self.eq((config["Datacenter"], config["Server"]), ("dc1", True), "Config.Datacenter and Config.Server")
        self.ok(isinstance(config["Version"], str) and config["Version"], "Config.Version is a string", config["Version"])
        self.ok(isinstance(config["NodeName"], str) and config["NodeName"], "Config.NodeName", config["NodeName"])

    def test_s4_agent_service_register_deregister(self):
        """§4 PUT /v1/agent/service/register and /v1/agent/service/deregister/:id (README: anti-entropy is instant)"""
        reply = MAIN.put("/v1/agent/service/register", {"Name": "s4-api", "ID": "s4-api-1", "Tags": ["v1"], "Port": 9000})
        self.expect_status(reply, 200, "agent service register")
        listed = MAIN.get("/v1/catalog/service/s4-api").json()
        self.eq([(e["ServiceID"], e["Node"], e["ServicePort"]) for e in listed], [("s4-api-1", NODE, 9000)],
                "the service is on the agent's node")
        self.expect_status(MAIN.put("/v1/agent/service/deregister/s4-api-1"), 200, "agent service deregister")
        self.expect_reply(MAIN.get("/v1/catalog/service/s4-api"), 200, "[]", "the catalog after the deregister")

    def test_s4_catalog_register_deregister(self):
        """§4 PUT /v1/catalog/register and /v1/catalog/deregister"""
        reply = MAIN.put("/v1/catalog/register", {"Node": "s4-n9", "Address": "10.0.0.9",
                                                  "Service": {"Service": "s4-db", "ID": "s4-db-1", "Tags": ["x"]}})
        self.expect_reply(reply, 200, "true", "catalog register")
        self.eq([e["ServiceID"] for e in MAIN.get("/v1/catalog/service/s4-db").json()], ["s4-db-1"], "registered")
        self.expect_reply(MAIN.put("/v1/catalog/deregister", {"Node": "s4-n9", "ServiceID": "s4-db-1"}), 200, "true", "deregister the service")
        self.expect_reply(MAIN.get("/v1/catalog/service/s4-db"), 200, "[]", "the service after its deregister")
        self.expect_reply(MAIN.put("/v1/catalog/deregister", {"Node": "s4-n9"}), 200, "true", "deregister the node")

    # ======================== §5 Errors and ACLs ===============================================

    _tokens = {}

    def token_with(self, name, rules):
        """A token on the `deny` instance holding one policy of `rules` (JSON rule syntax, README)."""
        if name not in self._tokens:
            policy = DENY.put("/v1/acl/policy?token=root", {"Name": name, "Rules": json.dumps(rules)})
            self.expect_status(policy, 200, f"creating ACL policy {name}")
            token = DENY.put("/v1/acl/token?token=root", {"Policies": [{"Name": name}]})
            self.expect_status(token, 200, f"creating a token for {name}")
            self._tokens[name] = (token.json()["SecretID"], token.json()["AccessorID"])
        return self._tokens[name]

    def test_s5_permission_denied_403_text(self):
        """§5 permission denied -> 403 with the text `Permission denied: token with AccessorID '<id>' lacks permission 'key:write' on "<key>"`"""
        key = self.key("a")
        self.expect_reply(DENY.put("/v1/kv/" + key, "x"), 403,
                          f"Permission denied: token with AccessorID '{ANONYMOUS_ACCESSOR}' lacks permission 'key:write' on \"{key}\"",
                          "an anonymous PUT under default deny")
        secret, accessor = self.token_with("s5-reader", {"key_prefix": {"": {"policy": "read"}}})
        self.expect_reply(DENY.put(f"/v1/kv/{key}?token={secret}", "x"), 403,
                          f"Permission denied: token with AccessorID '{accessor}' lacks permission 'key:write' on \"{key}\"",
                          "a PUT with a read-only token")

    def test_s5_acl_not_found_403(self):
        """§5 "ACL not found" -> 403"""
        for client in (DENY, ALLOW):
            self.expect_reply(client.get("/v1/kv/x?token=no-such-token"), 403, "ACL not found", "an unknown token")

    def test_s5_other_errors_500_with_text(self):
        """§5 other errors -> 500 with the error text"""
        self.expect_reply(MAIN.put(f"/v1/kv/{self.key('k')}?acquire=not-a-session", "x"), 500,
                          'invalid session "not-a-session"', "a state-store error")
        self.expect_reply(MAIN.put("/v1/catalog/register", {"Address": "10.0.0.1"}), 500, "Must provide node", "an RPC validation error")

    def test_s5_token_sources_priority(self):
        """§5 token sources, in priority: ?token=, X-Consul-Token, Authorization: Bearer <t>"""
        key = self.key("k")
        self.expect_true(DENY.put(f"/v1/kv/{key}?token=root", "1"), "?token=root")
        self.expect_true(DENY.put("/v1/kv/" + key, "2", headers={"X-Consul-Token": "root"}), "X-Consul-Token: root")
        self.expect_true(DENY.put("/v1/kv/" + key, "3", headers={"Authorization": "Bearer root"}), "Authorization: Bearer root")
        self.expect_reply(DENY.put(f"/v1/kv/{key}?token=nope", "4", headers={"X-Consul-Token": "root"}), 403, "ACL not found",
                          "?token= wins over X-Consul-Token")
        self.expect_true(DENY.put(f"/v1/kv/{key}?token=root", "5", headers={"X-Consul-Token": "nope"}), "?token=root wins over a bad header")
        self.expect_reply(DENY.put("/v1/kv/" + key, "6", headers={"X-Consul-Token": "nope", "Authorization": "Bearer root"}), 403,
                          "ACL not found", "X-Consul-Token wins over Authorization: Bearer")
        self.expect_true(DENY.put("/v1/kv/" + key, "7", headers={"X-Consul-Token": "root", "Authorization": "Bearer nope"}),
                         "X-Consul-Token root wins over a bad Bearer")
        # Consul's parseTokenFromHeaders: the scheme is matched case-insensitively and the value
        # trimmed (fixed in fakes/consul/api/query_options.cpp, which wanted "Bearer " exactly).
        for header in ("bearer root", "BEARER root", "Bearer   root ", "Bearer root extra"):
            self.expect_true(DENY.put("/v1/kv/" + key, "8", headers={"Authorization": header}), f"Authorization: {header!r}")
        self.expect_status(DENY.put("/v1/kv/" + key, "9", headers={"Authorization": "Basic root"}), 403,
                           "Authorization with another scheme gives no token (anonymous)")
        self.eq(self.value_of(key + "?token=root", DENY), b"8", "the last allowed write")

    def test_s5_session_write_rules(self):
        """§5 session create/renew/destroy need session:write on the node"""
        reader, reader_accessor = self.token_with("s5-reader", {"key_prefix": {"": {"policy": "read"}}})
        writer, _ = self.token_with("s5-sessions", {"session_prefix": {"": {"policy": "write"}},
                                                     "key_prefix": {"lock/": {"policy": "write"}}})
        self.expect_reply(DENY.put(f"/v1/session/create?token={reader}", {}), 403,
                          f"Permission denied: token with AccessorID '{reader_accessor}' lacks permission 'session:write' on \"{NODE}\"",
                          "session create without session:write")
        self.expect_status(DENY.put("/v1/session/create", {}), 403, "anonymous session create under default deny")
        sid = self.create_session({"LockDelay": "0s"}, client=DENY, token=writer)
        self.expect_status(DENY.put(f"/v1/session/renew/{sid}?token={reader}"), 403, "renew without session:write")
        self.expect_status(DENY.put(f"/v1/session/renew/{sid}?token={writer}"), 200, "renew with session:write")
        self.expect_true(DENY.put(f"/v1/kv/lock/{self._testMethodName}?acquire={sid}&token={writer}", "me"), "acquire with key:write")
        self.expect_status(DENY.put(f"/v1/session/destroy/{sid}?token={reader}"), 403, "destroy without session:write")
        self.expect_true(DENY.put(f"/v1/session/destroy/{sid}?token={writer}"), "destroy with session:write")

    def test_s5_kv_write_rules(self):
        """§5 KV writes (put, acquire, release, delete) need key:write on the key (key or key_prefix rule)"""
        secret, accessor = self.token_with("s5-app", {"key_prefix": {"app/": {"policy": "write"}}, "key": {"exact": {"policy": "write"}},
                                                      "session_prefix": {"": {"policy": "write"}}})
        sid = self.create_session({"LockDelay": "0s"}, client=DENY, token=secret)
        allowed = [("PUT", "app/a", ""), ("PUT", "exact", ""), ("PUT", "app/l", f"&acquire={sid}"),
                   ("PUT", "app/l", f"&release={sid}"), ("DELETE", "app/a", "")]
        for method, key, extra in allowed:
            reply = DENY.request(method, f"/v1/kv/{key}?token={secret}{extra}", body=b"v" if method == "PUT" else None)
            self.expect_true(reply, f"{method} {key}{extra} with key:write")
        refused = [("PUT", "other", ""), ("PUT", "exact2", ""), ("PUT", "other", f"&acquire={sid}"),
                   ("PUT", "other", f"&release={sid}"), ("DELETE", "other", "")]
        for method, key, extra in refused:
            reply = DENY.request(method, f"/v1/kv/{key}?token={secret}{extra}", body=b"v" if method == "PUT" else None)
            self.expect_reply(reply, 403, f"Permission denied: token with AccessorID '{accessor}' lacks permission 'key:write' on \"{key}\"",
                              f"{method} {key}{extra} without key:write")
        DENY.put(f"/v1/session/destroy/{sid}?token=root")

    def test_s5_kv_read_rules(self):
        """§5 KV get needs key:read"""
        DENY.put("/v1/kv/readable/x?token=root", "x")
        DENY.put("/v1/kv/hidden/x?token=root", "x")
        secret, accessor = self.token_with("s5-readable", {"key_prefix": {"readable/": {"policy": "read"}}})
        self.expect_status(DENY.get(f"/v1/kv/readable/x?token={secret}"), 200, "GET with key:read")
        self.expect_reply(DENY.get(f"/v1/kv/hidden/x?token={secret}"), 403,
                          f"Permission denied: token with AccessorID '{accessor}' lacks permission 'key:read' on \"hidden/x\"",
                          "GET without key:read")
        self.expect_status(DENY.get("/v1/kv/readable/x"), 403, "an anonymous GET under default deny")
        self.expect_status(DENY.put(f"/v1/kv/readable/x?token={secret}", "y"), 403, "key:read does not allow a PUT")

    def test_s5_default_policy_allow(self):
        """§5 default policy allow: the anonymous token may read and write"""
        key = self.key("k")
        self.expect_true(ALLOW.put("/v1/kv/" + key, "anon"), "an anonymous PUT with ACLs on and default allow")
        self.eq(self.value_of(key, ALLOW), b"anon", "an anonymous GET")
        self.expect_status(ALLOW.put("/v1/session/create"), 200, "an anonymous session create")

    def test_s5_namespace_enterprise_only(self):
        """§5 namespace write: Enterprise only (?ns on a write -> 400)"""
        for client, token in ((DENY, "root"), (ALLOW, "root")):
            self.expect_reply(client.put(f"/v1/kv/{self.key('k')}?ns=team&token={token}", "x"), 400, NS_TEXT, "PUT ?ns=team")
            self.expect_reply(client.put(f"/v1/session/create?ns=team&token={token}"), 400, NS_TEXT, "session create ?ns=team")


def main():
    global FAKE_CONSUL
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake-consul", required=True)
    args, rest = parser.parse_known_args()
    FAKE_CONSUL = os.path.abspath(args.fake_consul)
    started = time.monotonic()
    program = unittest.main(argv=[sys.argv[0], *rest], verbosity=2, exit=False)
    result = program.result
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(f"http_semantics: {result.testsRun} points of consul-semantics.md sections 1-5 checked over HTTP against fake-consul: "
          f"{passed} passed, {failed} failed, {skipped} skipped ({time.monotonic() - started:.1f}s)")
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
