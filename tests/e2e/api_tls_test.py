"""The REST API over TLS and mutual TLS, as the `tls` block of a running `baton start` sets it
up, with certificates this test makes (openssl), and `baton task` speaking to it with CTS's
TLS flags.

    api_tls_test.py --baton BIN --fake-consul BIN [--terraform-dir /usr/local/bin]
"""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from cluster_support import FakeConsul, main


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok   {message}")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(directory):
    """A CA, a server certificate for 127.0.0.1 and localhost, a client certificate from that
    CA, and a client certificate from another CA (which the server must refuse)."""
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={ca}",
                "-keyout", f"{ca}.key", "-out", f"{ca}.pem", cwd=directory)
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    with open(os.path.join(directory, "client.ext"), "w") as f:
        f.write("extendedKeyUsage=clientAuth\n")
    for name, ca, ext in (("server", "ca", "server.ext"), ("client", "ca", "client.ext"), ("stranger", "other-ca", "client.ext")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                cwd=directory)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
                "-days", "2", "-extfile", ext, "-out", f"{name}.pem", cwd=directory)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, context, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def client_context(certs, cert="client"):
    context = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    if cert:
        context.load_cert_chain(os.path.join(certs, f"{cert}.pem"), os.path.join(certs, f"{cert}.key"))
    return context


def run(args):
    root = tempfile.mkdtemp(prefix="baton-tls-")
    certs = os.path.join(root, "certs")
    os.makedirs(certs)
    make_certificates(certs)
    module = os.path.join(root, "module")
    os.makedirs(module)
    with open(os.path.join(module, "main.tf"), "w") as f:
        f.write('variable "services" {\n  type = any\n}\n')
    process = None
    log_path = os.path.join(root, "baton.log")
    try:
        with FakeConsul(args.fake_consul, "-session-ttl-min", "1s") as consul:
            port = free_port()
            config = os.path.join(root, "config.hcl")
            with open(config, "w") as f:
                f.write(f'''
id = "cts-tls"
port = {port}
working_dir = "{root}/sync-tasks"
consul {{ address = "{consul.address}" }}
driver "terraform" {{ path = "{args.terraform_dir}" }}
tls {{
  enabled = true
  cert = "{certs}/server.pem"
  key = "{certs}/server.key"
  verify_incoming = true
  ca_cert = "{certs}/ca.pem"
}}
high_availability {{
  cluster {{
    name = "tls-cluster"
    storage "consul" {{ session_ttl = "4s" }}
  }}
}}
task {{
  name = "web"
  module = "{module}"
  condition "services" {{ names = ["web"] }}
}}
''')
            with open(log_path, "w") as log:
                process = subprocess.Popen([args.baton, "start", "-config-file", config], cwd=root, stdout=log,
                                           stderr=subprocess.STDOUT)
            base = f"https://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline and status != 200:
                try:
                    status, _ = get(f"{base}/v1/status", client_context(certs))
                except (urllib.error.URLError, ConnectionError, ssl.SSLError):
                    status = None
                time.sleep(0.1)
            check(status == 200, "GET /v1/status over mutual TLS answers 200 once the instance leads")
            status, body = get(f"{base}/v1/health", client_context(certs))
            check(status == 200 and body == {}, "GET /v1/health over mutual TLS: {}")

            for name, context in (("no client certificate", client_context(certs, None)),
                                  ("a client certificate from another CA", client_context(certs, "stranger"))):
                try:
                    get(f"{base}/v1/status", context)
                    refused = False
                except (urllib.error.URLError, ConnectionError, ssl.SSLError):
                    refused = True
                check(refused, f"verify_incoming refuses a client with {name}")

            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=5)
                plain = None
            except urllib.error.HTTPError as error:
                plain = (error.code, error.read().decode(errors="replace"))
            check(plain is not None and plain[0] == 400 and "HTTP request to an HTTPS server" in plain[1],
                  f"plain HTTP to the TLS port is answered as Go answers it: {plain}")

            # A task is refused changes while it runs ("active"): wait for its first run to end.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                status, body = get(f"{base}/v1/status/tasks/web", client_context(certs))
                if status == 200 and body["web"]["status"] != "unknown":
                    break
                time.sleep(0.2)
            command = [args.baton, "task", "disable", "-http-addr", base, "-ca-cert", f"{certs}/ca.pem",
                       "-client-cert", f"{certs}/client.pem", "-client-key", f"{certs}/client.key", "web"]
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
            check(done.returncode == 0, f"baton task disable over mutual TLS exits 0: {done.stdout.strip()} {done.stderr.strip()}")
            status, body = get(f"{base}/v1/tasks/web", client_context(certs))
            check(status == 200 and body["task"]["enabled"] is False, "the task is disabled")
            refused = subprocess.run(command[:-5] + ["web"], capture_output=True, text=True, timeout=30)
            check(refused.returncode != 0, f"without the client certificate the command fails: {refused.stderr.strip()[:120]}")
    except Failure as failure:
        print(f"FAIL {failure}")
        with open(log_path) as f:
            print("--- baton log (last 30 lines)\n" + "".join(f.readlines()[-30:]))
        return 1
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    main(run)
