"""The seed's operating procedures (shared/seeds/000_*.txt, "Modify an instance configuration"
and "Modify tasks"), run as written against a cluster of three `baton start` processes and
fake-consul, with a real Terraform module:

  1. find the leader with /v1/status/cluster and with its log line;
  2. rolling update: stop, reconfigure and restart each follower, then the leader: exactly one
     leader change, and the tasks carry on;
  3. delete and recreate a task on the leader (DELETE /v1/tasks/<name>, then POST /v1/tasks with
     the updated task, here through `baton task delete` and `baton task create -task-file`);
  4. -reset-storage: a follower restarted with a changed task configuration and the flag, the
     others stopped so that it leads, its configuration replaces the stored tasks; restarted
     without the flag, it keeps the state.

    procedures_test.py --baton BIN --fake-consul BIN [--terraform-dir /usr/local/bin]
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from cluster_support import (FakeConsul, Failure, Instance, MODULE, check, http, leaders, main, print_logs, services_task,
                             wait_for, web_events)


def cluster_leader(instance):
    """The leader's id as /v1/status/cluster on `instance` names it, or None."""
    status, body = http("GET", instance.url("/v1/status/cluster"), timeout=2)
    if status != 200:
        return None
    marked = [m["id"] for m in body["members"] if m.get("leader")]
    return marked[0] if len(marked) == 1 else None


def the_leader(instances):
    found = leaders(instances)
    return found[0] if len(found) == 1 else None


def task_names(instance):
    status, body = http("GET", instance.url("/v1/tasks"))
    return sorted(t["name"] for t in body["tasks"]) if status == 200 else None


def run(args):
    root = tempfile.mkdtemp(prefix="baton-procedures-")
    module = os.path.join(root, "module")
    os.makedirs(module)
    with open(os.path.join(module, "main.tf"), "w") as f:
        f.write(MODULE.replace("OUT", os.path.join(root, "out")))
    instances = []
    try:
        with FakeConsul(args.fake_consul, "-session-ttl-min", "1s") as consul:
            for service, port in (("web", 80), ("api", 8080)):
                http("PUT", f"http://{consul.address}/v1/agent/service/register",
                     {"ID": f"{service}-1", "Name": service, "Address": "10.0.0.1", "Port": port})
            for n in (1, 2, 3):
                instances.append(Instance(args.baton, root, f"cts-0{n}", consul.address, args.terraform_dir, module))
            by_name = {i.name: i for i in instances}

            print("1. find the leader")
            leader = wait_for(lambda: the_leader(instances), 60, "one leader")
            named = wait_for(lambda: cluster_leader(instances[0]), 30, "/v1/status/cluster to name a leader")
            check(named == leader.name, f"/v1/status/cluster names {named}, the instance that answers as leader")
            check(f"[INFO] ha: acquired leadership lock: id={leader.name}" in leader.log_text(),
                  f"its log has: [INFO] ha: acquired leadership lock: id={leader.name}")
            wait_for(lambda: any(e["success"] for e in web_events(leader)), 120, "web's first apply")

            print("2. rolling update: followers first, then the leader")
            terms_before = sum(i.log_text().count("acquired leadership lock") for i in instances)
            for follower in [i for i in instances if i is not leader]:
                check(follower.stop(signal.SIGTERM) == 0, f"{follower.name} stopped (SIGTERM, exit 0)")
                follower.write_config(services_task("web", module, "web") + "\nlog_level = \"DEBUG\"\n")
                follower.start()
                wait_for(lambda: http("GET", follower.url("/v1/health"), timeout=1)[0] == 200, 30, f"{follower.name} back")
                check(the_leader(instances) is leader, f"{leader.name} still leads after {follower.name}'s restart")
            check(leader.stop(signal.SIGTERM) == 0, f"the leader {leader.name} stopped (SIGTERM, exit 0)")
            new_leader = wait_for(lambda: the_leader(instances), 10, "a follower to take over")
            leader.write_config(services_task("web", module, "web") + "\nlog_level = \"DEBUG\"\n")
            leader.start()
            wait_for(lambda: http("GET", leader.url("/v1/health"), timeout=1)[0] == 200, 30, f"{leader.name} back")
            time.sleep(2)
            terms_after = sum(i.log_text().count("acquired leadership lock") for i in instances)
            check(terms_after - terms_before == 1, f"exactly one leader change ({leader.name} -> {new_leader.name})")
            check(the_leader(instances) is new_leader, f"{new_leader.name} still leads with every instance back")
            leader = new_leader

            print("3. delete and recreate a task on the leader")
            wait_for(lambda: all(t["status"] != "unknown" for t in (http("GET", leader.url("/v1/status/tasks"))[1] or {}).values()),
                     120, "the new leader's once-mode runs")
            deleted = subprocess.run([args.baton, "task", "delete", "-http-addr", f"http://127.0.0.1:{leader.port}",
                                      "-auto-approve", "web"], capture_output=True, text=True, timeout=60)
            check(deleted.returncode == 0, f"baton task delete web: {deleted.stdout.strip().splitlines()[-1:]}")
            check(task_names(leader) == [], "web is gone from /v1/tasks")
            task_file = os.path.join(root, "web.hcl")
            with open(task_file, "w") as f:
                f.write(services_task("web", module, "api"))
            created = subprocess.run([args.baton, "task", "create", "-http-addr", f"http://127.0.0.1:{leader.port}",
                                      "-auto-approve", "-task-file", task_file], capture_output=True, text=True, timeout=120)
            check(created.returncode == 0, f"baton task create -task-file: {created.stdout.strip().splitlines()[-1:]}")
            status, body = http("GET", leader.url("/v1/tasks/web"))
            check(status == 200 and body["task"]["condition"]["services"]["names"] == ["api"],
                  "the recreated web watches api, as the updated task says")

            print("4. -reset-storage")
            follower = [i for i in instances if i is not leader][0]
            follower.stop(signal.SIGTERM)
            follower.write_config(services_task("reset", module, "web"))
            follower.start(["-reset-storage"])
            wait_for(lambda: http("GET", follower.url("/v1/health"), timeout=1)[0] == 200, 30, f"{follower.name} back")
            others = [i for i in instances if i is not follower]
            for other in others:
                other.stop(signal.SIGTERM)
            wait_for(lambda: follower.leads(), 15, f"{follower.name} to lead")
            wait_for(lambda: task_names(follower) == ["reset"], 30, "the stored tasks to be replaced")
            check(True, f"{follower.name} leads with its own configuration: tasks {task_names(follower)}")
            for other in others:
                other.start()
            follower.stop(signal.SIGTERM)
            follower.start()
            next_leader = wait_for(lambda: the_leader(instances), 15, "a leader after the reset instance's restart")
            wait_for(lambda: task_names(next_leader) is not None, 10, "its task list")
            check(task_names(next_leader) == ["reset"],
                  f"{next_leader.name} leads with the reset state, not its own configuration: {task_names(next_leader)}")
    except Failure as failure:
        print(f"FAIL {failure}")
        print_logs(instances, 25)
        return 1
    finally:
        for instance in instances:
            instance.stop()
        shutil.rmtree(root, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    main(run)
