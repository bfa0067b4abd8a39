"""The modes of `baton start` besides the HA daemon, as operators run them: fake-consul as a
process, one `baton start` process with a configuration without high_availability, a real
Terraform module (MODULE: one terraform_data per service instance, each writing a file).

    start_modes_test.py --baton BIN --fake-consul BIN [--terraform-dir DIR] --part passes|daemon

--part passes (CTS's Once and Inspect controllers):
  - -inspect-task with an unknown name fails with CTS's text and exit code 15;
  - -inspect logs each task's plan (hclog's multi-line value), applies nothing, exits 0;
  - -inspect-task NAME plans that task only;
  - -once applies every task once and exits 0; with a failing module it exits 11;
  - CTS's driver check (exit 16): no terraform at the driver's path, a Terraform older than
    0.13 (one that prints its version as plain text), a file that is no executable.
--part daemon (CTS's daemon without high availability):
  - every task runs once, /v1/status/cluster answers 405, a catalog change is applied, a task
    created through the API is applied; with ?run=now a task runs before the answer, and one
    whose run fails is answered 500 and not created; SIGTERM: exit 0;
  - a task whose first run fails ends the process with exit 11 ("error running controller").
Exit status 0 when every check holds.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from cluster_support import FakeConsul, Failure, MODULE, check, free_port, http, read, wait_for, web_events

# A module whose apply fails: the task's first run errors.
BROKEN_MODULE = r'''
variable "services" {
  type = any
}

resource "terraform_data" "fail" {
  provisioner "local-exec" {
    command = "echo refusing >&2; exit 3"
  }
}
'''

PASS_LIMIT_S = 20  # each process of a pass


class Setup:
    """A directory with the modules and the output directory of MODULE."""

    def __init__(self, root):
        self.root = root
        self.out = os.path.join(root, "out")
        self.module = os.path.join(root, "module")
        self.broken = os.path.join(root, "broken")
        for directory, text in ((self.module, MODULE.replace("OUT", self.out)), (self.broken, BROKEN_MODULE)):
            os.makedirs(directory)
            with open(os.path.join(directory, "main.tf"), "w") as f:
                f.write(text)

    def config(self, name, consul_address, terraform_dir, tasks, port=None):
        """A configuration without high_availability; its path."""
        directory = os.path.join(self.root, name)
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "config.hcl")
        with open(path, "w") as f:
            f.write(f'''
id = "{name}"
port = {port or free_port()}
log_level = "INFO"
working_dir = "{directory}/sync-tasks"
consul {{ address = "{consul_address}" }}
driver "terraform" {{ path = "{terraform_dir}" }}
{tasks}
''')
        return path


def task(name, module, service):
    return f'''
task {{
  name = "{name}"
  module = "{module}"
  condition "services" {{ names = ["{service}"] }}
  buffer_period {{ enabled = false }}
}}
'''


def check_run(condition, message, output):
    """check(), printing the process's output when it fails."""
    if not condition:
        print(output)
    check(condition, message)


def start(binary, config, *flags):
    """`baton start` run to its end; (exit code, its output)."""
    began = time.monotonic()
    done = subprocess.run([binary, "start", "-config-file", config, *flags], cwd=os.path.dirname(config),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=PASS_LIMIT_S)
    print(f"  ..   baton start {' '.join(flags)}: exit {done.returncode} after {time.monotonic() - began:.1f}s")
    return done.returncode, done.stdout


def passes(args, setup, consul):
    both = task("web", setup.module, "web") + task("db", setup.module, "db")
    config = setup.config("passes", consul.address, args.terraform_dir, both)

    code, out = start(args.baton, config, "-inspect-task", "nope")
    check(code == 15, f"-inspect-task nope exits 15 (got {code})")
    check('[ERROR] cli: error inspecting tasks: error="task not found: nope"' in out,
          "and says: error inspecting tasks: error=\"task not found: nope\"")

    code, out = start(args.baton, config, "-inspect")
    check_run(code == 0, f"-inspect exits 0 (got {code})", out)
    check(f"[INFO] driver.terraform: skipping install, terraform already exists: tf_version=" in out,
          "the real Terraform passed the driver check, logged as CTS logs it")
    for name in ("web", "db"):
        check(f"[INFO] ctrl: inspection results: task_name={name}\n  plan=\n  | " in out,
              f"-inspect logs {name}'s plan on lines of its own, as hclog writes a multi-line value")
    check("  | Plan: 1 to add, 0 to change, 0 to destroy." in out, "the plan is Terraform's: Plan: 1 to add")
    check("ctrl: all tasks inspected" in out and "[INFO] cli: graceful shutdown" in out, "then: all tasks inspected")
    check(not os.path.exists(setup.out), "-inspect applied nothing")

    code, out = start(args.baton, config, "-inspect-task", "db")
    check(code == 0 and "inspection results: task_name=db" in out and "task_name=web" not in out,
          f"-inspect-task db plans db only (exit {code})")

    code, out = start(args.baton, config, "-once")
    check_run(code == 0, f"-once exits 0 (got {code})", out)
    check(read(os.path.join(setup.out, "web-1.fake-consul.dc1")) == "10.0.0.1:80"
          and read(os.path.join(setup.out, "db-1.fake-consul.dc1")) == "10.0.0.1:5432",
          f"-once applied web and db: {sorted(os.listdir(setup.out))}")
    check("ctrl: all tasks completed once" in out, "and logged: all tasks completed once")

    broken = setup.config("broken-once", consul.address, args.terraform_dir, task("bad", setup.broken, "web"))
    code, out = start(args.baton, broken, "-once")
    check(code == 11, f"-once with a failing task exits 11 (got {code})")
    check("[ERROR] cli: error running controller:" in out and "refusing" in out,
          "and logs: error running controller, with Terraform's output")


# A Terraform before 0.13, as tfexec sees one: no JSON from `version -json`, then plain text.
OLD_TERRAFORM = """#!/bin/sh
echo 'Terraform v0.12.31'
"""


def fake_terraform(setup, name, text):
    """A directory holding an executable `terraform` with this content; the directory."""
    directory = os.path.join(setup.root, name)
    os.makedirs(directory)
    path = os.path.join(directory, "terraform")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return directory


def driver_checks(args, setup, consul):
    """CTS's InstallDriver: exit 16 and `error installing driver` before anything runs."""
    web = task("web", setup.module, "web")
    missing = os.path.join(setup.root, "no-such-dir")
    config = setup.config("no-terraform", consul.address, missing, web)
    code, out = start(args.baton, config, "-once")
    check_run(code == 16, f"no terraform at the driver's path: exit 16 (got {code})", out)
    check(f'[ERROR] cli: error installing driver: error="terraform not found at {missing}/terraform '
          '(baton does not download Terraform): install a version within \\">= 0.13.0, <= 1.14.3\\" there' in out,
          "and says that terraform is not at the path, and what to do")

    old = fake_terraform(setup, "old-terraform", OLD_TERRAFORM)
    config = setup.config("old-terraform", consul.address, old, web)
    code, out = start(args.baton, config)
    check_run(code == 16, f"Terraform 0.12.31: exit 16 (got {code})", out)
    check(f"[ERROR] driver.terraform: found Terraform version does not satisfy the version constraint: "
          f"terraform_path={old} version=0.12.31" in out, "logs the version refused")
    check('[ERROR] cli: error installing driver: error="unsupported Terraform version: remove Terraform from the '
          'configured path or specify a new path to safely install a compatible version."' in out,
          "and CTS's error: unsupported Terraform version")

    garbage = fake_terraform(setup, "garbage-terraform", "not a program\n")
    config = setup.config("garbage-terraform", consul.address, garbage, web)
    code, out = start(args.baton, config, "-inspect")
    check_run(code == 16, f"a terraform that is no executable: exit 16 (got {code})", out)
    check('[ERROR] cli: error installing driver: error="incompatible Terraform binary: ' in out,
          "and CTS's error: incompatible Terraform binary")
    check(not os.path.exists(setup.out), "nothing was applied")


def daemon(args, setup, consul):
    port = free_port()
    config = setup.config("daemon", consul.address, args.terraform_dir, task("web", setup.module, "web"), port)
    log_path = os.path.join(os.path.dirname(config), "baton.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen([args.baton, "start", "-config-file", config], cwd=os.path.dirname(config),
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        class Api:
            def url(self, path):
                return base + path
        api = Api()
        wait_for(lambda: any(e["success"] for e in web_events(api)), 20, "web's first run")
        check(read(os.path.join(setup.out, "web-1.fake-consul.dc1")) == "10.0.0.1:80", "once-mode applied web")
        status, body = http("GET", base + "/v1/status/cluster")
        check(status == 405 and body["error"]["message"] == "this endpoint is only available with high availability configured",
              f"/v1/status/cluster answers 405 without high availability: {status}")

        status, _ = http("PUT", f"http://{consul.address}/v1/agent/service/register",
                         {"ID": "web-2", "Name": "web", "Address": "10.0.0.2", "Port": 80})
        check(status == 200, "registered web-2 in fake-consul")
        wait_for(lambda: read(os.path.join(setup.out, "web-2.fake-consul.dc1")) == "10.0.0.2:80", 15, "web-2 applied")
        check(True, "the catalog change was applied")

        created = {"task": {"name": "db", "module": setup.module, "condition": {"services": {"names": ["db"]}}}}
        status, body = http("POST", base + "/v1/tasks", created)
        check(status == 201 and body["task"]["name"] == "db", f"POST /v1/tasks: {status}")
        wait_for(lambda: any(e["success"] for e in web_events(api, "db")), 15, "db's first run")
        check(read(os.path.join(setup.out, "db-1.fake-consul.dc1")) == "10.0.0.1:5432", "the created task db was applied")

        # ?run=now (CTS's TaskCreateAndRun): run before the answer; a failed run creates nothing.
        bad = {"task": {"name": "bad", "module": setup.broken, "condition": {"services": {"names": ["web"]}}}}
        status, body = http("POST", base + "/v1/tasks?run=now", bad, timeout=60)
        message = body.get("error", {}).get("message", "") if isinstance(body, dict) else ""
        check(status == 500 and message.startswith("error tf-apply for 'bad': ") and "refusing" in message,
              f"POST /v1/tasks?run=now with a failing module: 500 and the apply's error ({status}: {message[:80]!r})")
        status, _ = http("GET", base + "/v1/tasks/bad")
        check(status == 404 and web_events(api, "bad") == [], f"and the task was not created ({status})")
        cache = {"task": {"name": "cache", "module": setup.module, "condition": {"services": {"names": ["db"]}}}}
        status, body = http("POST", base + "/v1/tasks?run=now", cache, timeout=60)
        events = web_events(api, "cache")
        check(status == 201 and len(events) == 1 and events[0]["success"],
              f"POST /v1/tasks?run=now: 201, answered after its run, whose event is stored ({status}, {events})")

        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
        check(code == 0, f"SIGTERM: exit 0 (got {code})")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        print("--- daemon log (last 15 lines)")
        print("".join(open(log_path).readlines()[-15:]))

    broken = setup.config("broken-daemon", consul.address, args.terraform_dir,
                          task("web", setup.module, "web") + task("bad", setup.broken, "web"))
    began = time.monotonic()
    done = subprocess.run([args.baton, "start", "-config-file", broken], cwd=os.path.dirname(broken),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=PASS_LIMIT_S)
    print(f"  ..   daemon with a failing task: exit {done.returncode} after {time.monotonic() - began:.1f}s")
    check_run(done.returncode == 11, f"a failing first run ends the daemon with exit 11 (got {done.returncode})", done.stdout)
    check("[ERROR] cli: error running controller:" in done.stdout, "and logs: error running controller")


def run(args):
    args.baton = os.path.abspath(args.baton)  # the processes run in their own directories
    root = tempfile.mkdtemp(prefix="baton-start-modes-")
    try:
        setup = Setup(root)
        with FakeConsul(args.fake_consul) as consul:
            for service, port in (("web", 80), ("db", 5432)):
                status, _ = http("PUT", f"http://{consul.address}/v1/agent/service/register",
                                 {"ID": f"{service}-1", "Name": service, "Address": "10.0.0.1", "Port": port})
                check(status == 200, f"registered {service}-1 in fake-consul")
            if args.part == "passes":
                driver_checks(args, setup, consul)
                passes(args, setup, consul)
            else:
                daemon(args, setup, consul)
    except (Failure, subprocess.TimeoutExpired) as failure:
        print(f"FAIL {failure}")
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--baton", required=True)
    parser.add_argument("--fake-consul", required=True)
    parser.add_argument("--terraform-dir", default="/usr/local/bin")
    parser.add_argument("--part", choices=("passes", "daemon"), required=True)
    sys.exit(run(parser.parse_args()))
