"""baton's high availability end to end, as operators run it: fake-consul as a process (its
-session-ttl-min lowered so that a short session_ttl is allowed), three `baton start`
processes in one cluster, a real Terraform module, and the REST API.

    ha_cluster_test.py --baton BIN --fake-consul BIN [--terraform-dir /usr/local/bin]

It checks, printing what it measured:
  - exactly one leader; followers answer /v1/tasks with CTS's redirect; /v1/status/cluster on
    every member lists the three, the leader with its address;
  - a task created through the API on the leader (POST /v1/tasks) is applied;
  - SIGKILL of the leader: another takes over within [TTL, 2 x TTL + slack] (Consul expires a
    session 2 x TTL after its last renewal), re-runs every task, and still has the created task;
  - SIGTERM of that leader: the last instance leads within one second (the lock is released).
Exit status 0 when every check holds.
"""
import os
import shutil
import signal
import sys
import tempfile
import time

from cluster_support import (FakeConsul, Failure, HANDOVER_MAX_S, Instance, MODULE, SLACK_S, TTL_S, check, http, leaders,
                             main, print_logs, read, started_at, wait_for, web_events)

def run(args):
    root = tempfile.mkdtemp(prefix="baton-e2e-")
    out = os.path.join(root, "out")
    module_dir = os.path.join(root, "module")
    os.makedirs(module_dir)
    with open(os.path.join(module_dir, "main.tf"), "w") as f:
        f.write(MODULE.replace("OUT", out))
    instances = []
    try:
        with FakeConsul(args.fake_consul, "-session-ttl-min", "1s") as consul:
            base = f"http://{consul.address}"
            for service, port in (("web", 80), ("db", 5432)):
                status, _ = http("PUT", f"{base}/v1/agent/service/register",
                                 {"ID": f"{service}-1", "Name": service, "Address": "10.0.0.1", "Port": port})
                check(status == 200, f"registered {service}-1 in fake-consul")
            for n in (1, 2, 3):
                instances.append(Instance(args.baton, root, f"cts-0{n}", consul.address, args.terraform_dir, module_dir))

            leader = wait_for(lambda: (found := leaders(instances)) and len(found) == 1 and found[0], 60, "one leader")
            followers = [i for i in instances if i is not leader]
            check(True, f"{leader.name} leads; {', '.join(f.name for f in followers)} follow")
            check(len(leaders(instances)) == 1, "exactly one instance answers as leader")
            expected = f"redirect requests to leader '{leader.name}' at 127.0.0.1:{leader.port}"
            def redirected():
                status, body = http("GET", followers[0].url("/v1/tasks"))
                return status == 400 and isinstance(body, dict) and body["error"]["message"] == expected
            wait_for(redirected, 15, "a follower to learn the leader")
            check(True, f"a follower answers /v1/tasks with 400: {expected}")
            # The members come from Consul's catalog and the leader mark from the follower's view of
            # the lock: both settle within a few blocking-query round trips, so wait for them.
            last = {}

            def names_the_leader():
                status_code, body = http("GET", followers[1].url("/v1/status/cluster"))
                last["answer"] = (status_code, body)
                if status_code != 200 or len(body.get("members", [])) != 3:
                    return False
                marked = [m for m in body["members"] if m.get("leader")]
                return len(marked) == 1 and marked[0]["id"] == leader.name and marked[0].get("address") == "127.0.0.1"
            try:
                wait_for(names_the_leader, 30, "three members, the leader marked with its address")
            except Failure:
                print(f"     last answer: {last.get('answer')}")
                raise
            check(True, f"/v1/status/cluster on a follower names {leader.name} as leader with its address")

            wait_for(lambda: any(e["success"] for e in web_events(leader)), 120, "the leader's first apply of web")
            check(read(os.path.join(out, "web-1.fake-consul.dc1")) == "10.0.0.1:80",
                  f"Terraform created the infrastructure: {sorted(os.listdir(out))}")

            task = {"task": {"name": "db", "module": module_dir, "condition": {"services": {"names": ["db"]}}}}
            status, body = http("POST", leader.url("/v1/tasks"), task)
            check(status == 201 and body["task"]["name"] == "db", f"POST /v1/tasks on the leader: {status}")
            wait_for(lambda: any(e["success"] for e in web_events(leader, "db")), 120, "the created task's first apply")
            wait_for(lambda: read(os.path.join(out, "db-1.fake-consul.dc1")) == "10.0.0.1:5432", 10, "db's infrastructure")
            check(True, "the created task db applied its instance")

            killed_at = time.monotonic()
            leader.stop(signal.SIGKILL)
            new_leader = wait_for(lambda: (found := leaders(instances)) and found[0], 4 * TTL_S + 10, "a new leader")
            failover_s = time.monotonic() - killed_at
            print(f"  measured failover after SIGKILL: {failover_s:.2f}s = {failover_s / TTL_S:.2f}x TTL ({TTL_S:.0f}s)")
            check(TTL_S <= failover_s <= 2 * TTL_S + SLACK_S,
                  f"failover {failover_s:.2f}s within [TTL, 2 x TTL + {SLACK_S}s] = [{TTL_S}, {2 * TTL_S + SLACK_S}]")
            status, body = http("GET", new_leader.url("/v1/tasks/db"))
            check(status == 200 and body["task"]["name"] == "db", f"{new_leader.name} has the task created before the kill")
            wall_killed = time.time() - failover_s
            def rerun():
                return all(any(e["success"] and started_at(e) > wall_killed for e in web_events(new_leader, name))
                           for name in ("web", "db"))
            wait_for(rerun, 120, "the new leader re-running every task")
            check(True, f"{new_leader.name} re-ran web and db after the failover")

            last = [i for i in instances if i.alive() and i is not new_leader][0]
            term_at = time.monotonic()
            new_leader.process.send_signal(signal.SIGTERM)
            wait_for(lambda: last.leads(), 10, "the last instance to lead after SIGTERM")
            handover_s = time.monotonic() - term_at
            print(f"  measured SIGTERM handover: {handover_s:.3f}s")
            check(handover_s <= HANDOVER_MAX_S, f"SIGTERM handover {handover_s:.3f}s within {HANDOVER_MAX_S}s")
            code = new_leader.process.wait(timeout=15)
            check(code == 0, f"{new_leader.name} exited 0 after SIGTERM (got {code})")
            check("acquired leadership lock" in last.log_text(), f"{last.name} logged: ha: acquired leadership lock")
    except Failure as failure:
        print(f"FAIL {failure}")
        print_logs(instances)
        return 1
    finally:
        for instance in instances:
            instance.stop()
        shutil.rmtree(root, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    main(run)
