"""What the end-to-end tests share: fake-consul's helper, `baton start` processes with their
own configuration files, the REST API over HTTP, and polling with deadlines."""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "conformance"))
from fake_consul_process import FakeConsul  # noqa: E402,F401

TTL_S = 4.0
SLACK_S = 1.5          # polling, process scheduling, one renew round trip
HANDOVER_MAX_S = 1.0   # the bound for a SIGTERM handover
POLL_S = 0.05

MODULE = r'''
variable "services" {
  type = map(object({
    id = string, name = string, kind = string, address = string, port = number,
    meta = map(string), tags = list(string), namespace = string, status = string,
    node = string, node_id = string, node_address = string, node_datacenter = string,
    node_tagged_addresses = map(string), node_meta = map(string),
    cts_user_defined_meta = map(string)
  }))
}

resource "terraform_data" "instance" {
  for_each         = var.services
  input            = "${each.value.address}:${each.value.port}"
  triggers_replace = "${each.value.address}:${each.value.port}"
  provisioner "local-exec" {
    command = "mkdir -p OUT && printf '%s' '${self.input}' > 'OUT/${each.key}'"
  }
}
'''


def http(method, url, body=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def services_task(name, module_dir, service):
    return f'''
task {{
  name = "{name}"
  module = "{module_dir}"
  condition "services" {{ names = ["{service}"] }}
}}
'''


class Instance:
    """One `baton start` process with its own directory, configuration file, port and log."""

    def __init__(self, binary, root, name, consul_address, terraform_dir, module_dir, tasks=None, flags=()):
        self.binary = binary
        self.name = name
        self.port = free_port()
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.consul_address = consul_address
        self.terraform_dir = terraform_dir
        self.config = os.path.join(self.dir, "config.hcl")
        self.log_path = os.path.join(self.dir, "baton.log")
        self.log = None
        self.process = None
        self.write_config(tasks if tasks is not None else services_task("web", module_dir, "web"))
        self.start(flags)

    def write_config(self, tasks):
        with open(self.config, "w") as f:
            f.write(f'''
id = "{self.name}"
port = {self.port}
log_level = "INFO"
working_dir = "{self.dir}/sync-tasks"
consul {{ address = "{self.consul_address}" }}
driver "terraform" {{ path = "{self.terraform_dir}" }}
high_availability {{
  cluster {{
    name = "cluster-a"
    storage "consul" {{ session_ttl = "{int(TTL_S)}s" }}
  }}
  instance {{ address = "127.0.0.1" }}
}}
{tasks}
''')

    def start(self, flags=()):
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen([self.binary, "start", "-config-file", self.config, *flags], cwd=self.dir,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def alive(self):
        return self.process.poll() is None

    def leads(self):
        status, _ = http("GET", self.url("/v1/status"), timeout=1)
        return status == 200

    def stop(self, sig=signal.SIGKILL):
        if self.alive():
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None
        return self.process.returncode

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok   {message}")


def wait_for(predicate, limit_s, what):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(POLL_S)
    raise Failure(f"timed out after {limit_s}s waiting for {what}")


def leaders(instances):
    return [i for i in instances if i.alive() and i.leads()]


def web_events(instance, task="web"):
    status, body = http("GET", instance.url(f"/v1/status/tasks/{task}?include=events"))
    if status != 200 or task not in body:
        return []
    return body[task].get("events") or []


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def started_at(event):
    """An event's start_time (RFC 3339, UTC, as Go prints it) in seconds since the epoch."""
    from datetime import datetime
    whole, _, rest = event["start_time"].rstrip("Z").partition(".")
    fraction = rest[:6].ljust(6, "0") if rest else "000000"
    return datetime.fromisoformat(f"{whole}.{fraction}+00:00").timestamp()




def print_logs(instances, lines=40):
    for instance in instances:
        print(f"--- {instance.name} log (last {lines} lines)")
        try:
            print("".join(instance.log_text().splitlines(True)[-lines:]))
        except OSError:
            pass


def main(run):
    """The e2e scripts' command line: --baton, --fake-consul, --terraform-dir; exits with run()'s code."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--baton", required=True)
    parser.add_argument("--fake-consul", required=True)
    parser.add_argument("--terraform-dir", default="/usr/local/bin")
    sys.exit(run(parser.parse_args()))
