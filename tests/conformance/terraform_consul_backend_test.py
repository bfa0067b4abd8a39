#!/usr/bin/python3
"""The real `terraform` with its built-in consul backend pointed at fake-consul: two applies,
the state living in fake-consul's KV, and the state lock (a Consul session and lock key) held
while an apply runs and gone after it.

    /usr/bin/python3 tests/conformance/terraform_consul_backend_test.py --fake-consul build/test/bin/fake-consul
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from fake_consul_process import FakeConsul

FAKE_CONSUL = None
STATE_PATH = "baton/conformance/tfstate"

CONFIG = """
terraform {
  backend "consul" {
    address = "%(address)s"
    scheme  = "http"
    path    = "%(path)s"
    lock    = true
  }
}

variable "label" { type = string }

# Replaced on every new label, so each apply runs the 3 s provisioner and holds the state lock
# long enough to be seen.
resource "terraform_data" "slow" {
  input            = var.label
  triggers_replace = var.label
  provisioner "local-exec" {
    command = "sleep 3"
  }
}
"""


def get_json(address, path):
    try:
        with urllib.request.urlopen(f"http://{address}{path}", timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


class TerraformConsulBackend(unittest.TestCase):
    def setUp(self):
        self.terraform = shutil.which("terraform") or "/usr/local/bin/terraform"
        self.assertTrue(os.path.exists(self.terraform), "terraform is not installed (DESIGN.md expects /usr/local/bin/terraform)")
        self.workdir = tempfile.mkdtemp(prefix="baton-tf-")
        cli_config = os.path.join(self.workdir, "terraformrc")
        open(cli_config, "w").close()
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=cli_config, CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")

    def tearDown(self):
        shutil.rmtree(self.workdir, ignore_errors=True)

    def terraform_cmd(self, *args):
        return subprocess.Popen([self.terraform, *args], cwd=self.workdir, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def run_ok(self, *args):
        process = self.terraform_cmd(*args)
        output, _ = process.communicate(timeout=120)
        process.stdout.close()
        self.assertEqual(process.returncode, 0, output)
        return output

    def apply_watching_the_lock(self, address, label):
        """Applies, polling fake-consul meanwhile; returns what was seen of the lock."""
        process = self.terraform_cmd("apply", "-auto-approve", "-var", f"label={label}")
        seen_lock_sessions = set()
        while process.poll() is None:
            entries = get_json(address, f"/v1/kv/{STATE_PATH}?recurse") or []
            for entry in entries:
                if entry["Key"].endswith("/.lock") and entry.get("Session"):
                    seen_lock_sessions.add(entry["Session"])
            time.sleep(0.1)
        output = process.stdout.read()
        process.stdout.close()
        self.assertEqual(process.returncode, 0, output)
        return seen_lock_sessions

    def test_two_applies_keep_state_and_lock_in_fake_consul(self):
        with FakeConsul(FAKE_CONSUL) as consul:
            with open(os.path.join(self.workdir, "main.tf"), "w") as config:
                config.write(CONFIG % {"address": consul.address, "path": STATE_PATH})
            self.run_ok("init", "-no-color")

            for serial, label in enumerate(["first", "second"], start=1):
                lock_sessions = self.apply_watching_the_lock(consul.address, label)
                self.assertTrue(lock_sessions, "no lock key with a session was seen during the apply")
                state = get_json(consul.address, f"/v1/kv/{STATE_PATH}")
                self.assertIsNotNone(state, "state not written to fake-consul")
                document = json.loads(base64.b64decode(state[0]["Value"]))
                self.assertGreaterEqual(document["serial"], serial)
                resource = document["resources"][0]
                self.assertEqual(resource["type"], "terraform_data")
                self.assertEqual(resource["instances"][0]["attributes"]["input"]["value"], label)
                # Unlocked once the apply is over: no holder on the lock key.
                lock = get_json(consul.address, f"/v1/kv/{STATE_PATH}/.lock")
                self.assertTrue(lock is None or "Session" not in lock[0], lock)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake-consul", required=True)
    args, rest = parser.parse_known_args()
    FAKE_CONSUL = args.fake_consul
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
