#!/usr/bin/env python3
"""fake-consul -servers 3 over real HTTP: three Raft servers in real time behind one client
agent. Debian's python3-consul (a client nobody here wrote) holds a session and a lock while the
Consul leader is crashed through /v1/fake/servers; writes resume under a new leader, the lock
and the session survive, and a quorum loss answers `rpc error making call: No cluster leader`.

Run: /usr/bin/python3 tests/conformance/fake_consul_cluster_test.py --fake-consul build/.../fake-consul
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request

import consul

from fake_consul_process import FakeConsul


def http(consul_port, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{consul_port}{path}", method=method,
                                     data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def servers(port):
    status, body = http(port, "GET", "/v1/fake/servers")
    assert status == 200, body
    return json.loads(body)


def wait_for_leader(port, within_s=30):
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        leaders = [s["name"] for s in servers(port) if s["leader"]]
        if len(leaders) == 1:
            return leaders[0]
        time.sleep(0.1)
    raise AssertionError(f"no single leader within {within_s}s: {servers(port)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake-consul", required=True)
    args = parser.parse_args()
    with FakeConsul(args.fake_consul, "-servers", "3", "-session-ttl-min", "1s", "-seed", "7") as fake:
        port = fake.port
        leader = wait_for_leader(port)
        client = consul.Consul(host="127.0.0.1", port=port)
        session = client.session.create(name="holder", ttl=10, lock_delay=0, behavior="release", checks=[])
        assert client.kv.put("service/lock", "me", acquire=session), "acquire"

        # Crash the Consul leader: a new one is elected, writes go through again, and the
        # session (its timer reset by the new leader) and the lock are still there.
        status, body = http(port, "PUT", f"/v1/fake/servers/{leader}/crash")
        assert status == 200, body
        # A client agent does not retry a write that failed on a dead server (Consul's canRetry
        # retries only "No cluster leader" and reads); clients retry, as this one does.
        started = time.monotonic()
        errors = []
        while True:
            try:
                assert client.kv.put("after-failover", "yes"), "a write after the leader crash"
                break
            except consul.ConsulException as error:
                errors.append(str(error))
                assert time.monotonic() - started < 30, errors
                time.sleep(0.2)
        elapsed = time.monotonic() - started
        assert all("connection refused" in e or "No cluster leader" in e for e in errors), errors
        new_leader = wait_for_leader(port)
        assert new_leader != leader, (leader, new_leader)
        client.session.renew(session)
        _, entry = client.kv.get("service/lock")
        assert entry["Session"] == session, entry
        print(f"leader {leader} crashed; write accepted after {elapsed:.1f}s under {new_leader} "
              f"({len(errors)} refused attempts first)")

        # Lose the quorum: the client agent answers as Consul's does once rpc_hold_timeout passes.
        # A follower learns that an entry is committed with the leader's next AppendEntries
        # (up to ~100 ms at raft_multiplier 1); only then can it serve it as a stale read.
        time.sleep(1)
        # The first leader is still down; crashing the new one leaves one server of three.
        http(port, "PUT", f"/v1/fake/servers/{new_leader}/crash")
        # The agent's first server may be a dead one: a refused connection (not retried for a
        # write), then the survivor answers after holding for a leader.
        answers = [http(port, "PUT", "/v1/kv/frozen", "x") for _ in range(3)]
        assert (500, "rpc error making call: No cluster leader") in answers, answers
        assert all(status == 500 for status, _ in answers), answers
        status, body = http(port, "GET", "/v1/kv/after-failover?stale")
        assert status == 200, ("stale reads keep working without a leader", status, body)

        # Bring one back: a quorum again.
        http(port, "PUT", f"/v1/fake/servers/{leader}/restart")
        wait_for_leader(port, within_s=60)
        assert client.kv.put("recovered", "yes")
    print("fake-consul cluster conformance: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
