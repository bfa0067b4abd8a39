#!/usr/bin/env python3
"""Random CTS configuration files, HCL and JSON, for the differential check: mostly valid
shapes with wrong types, repeated blocks, lists where one value is expected, unknown and
miscased keys, every condition and module_input type. One "<name>\t<base64>" line each."""
import base64
import json
import random
import sys

STRING, BOOL, INT, DURATION, LIST, MAP, ANY = "string", "bool", "int", "duration", "list", "map", "any"

TLS = {"ca_cert": STRING, "ca_path": STRING, "cert": STRING, "enabled": BOOL, "key": STRING,
       "server_name": STRING, "verify": BOOL}
TRANSPORT = {"dial_keep_alive": DURATION, "dial_timeout": DURATION, "disable_keep_alives": BOOL,
             "idle_conn_timeout": DURATION, "max_idle_conns": INT, "max_idle_conns_per_host": INT,
             "tls_handshake_timeout": DURATION}
BUFFER = {"enabled": BOOL, "min": DURATION, "max": DURATION}
SERVICES_MONITOR = {"regexp": STRING, "names": LIST, "datacenter": STRING, "namespace": STRING,
                    "filter": STRING, "cts_user_defined_meta": MAP}
KV_MONITOR = {"path": STRING, "recurse": BOOL, "datacenter": STRING, "namespace": STRING}
USE = {"use_as_module_input": BOOL, "source_includes_var": BOOL}
CONDITIONS = {
    "services": {**SERVICES_MONITOR, **USE},
    "catalog-services": {"regexp": STRING, "datacenter": STRING, "namespace": STRING, "node_meta": MAP, **USE},
    "consul-kv": {**KV_MONITOR, **USE},
    "schedule": {"cron": STRING},
    "no-condition": {},
}
MODULE_INPUTS = {"services": SERVICES_MONITOR, "consul-kv": KV_MONITOR}
TASK = {"description": STRING, "name": STRING, "providers": LIST, "services": LIST, "module": STRING,
        "source": STRING, "variable_files": LIST, "variables": MAP, "version": STRING,
        "terraform_version": STRING, "enabled": BOOL, "working_dir": STRING,
        "terraform_cloud_workspace": {"execution_mode": STRING, "agent_pool_id": STRING,
                                      "agent_pool_name": STRING, "terraform_version": STRING},
        "buffer_period": BUFFER}
CONSUL = {"address": STRING, "auth": {"enabled": BOOL, "username": STRING, "password": STRING},
          "kv_namespace": STRING, "kv_path": STRING, "tls": TLS, "token": STRING, "transport": TRANSPORT,
          "service_registration": {"enabled": BOOL, "service_name": STRING, "address": STRING,
                                   "namespace": STRING,
                                   "default_check": {"enabled": BOOL, "address": STRING}}}
TOP = {"log_level": STRING, "client_type": STRING, "port": INT, "working_dir": STRING, "id": STRING,
       "syslog": {"enabled": BOOL, "facility": STRING, "name": STRING},
       "consul": CONSUL,
       "vault": {"address": STRING, "enabled": BOOL, "namespace": STRING, "renew_token": BOOL, "tls": TLS,
                 "token": STRING, "vault_agent_token_file": STRING, "transport": TRANSPORT, "unwrap_token": BOOL},
       "buffer_period": BUFFER,
       "tls": {"enabled": BOOL, "cert": STRING, "key": STRING, "verify_incoming": BOOL, "ca_cert": STRING,
               "ca_path": STRING},
       "service": {"datacenter": STRING, "description": STRING, "id": STRING, "name": STRING,
                   "namespace": STRING, "filter": STRING, "cts_user_defined_meta": MAP}}
HA_STORAGE = {"parent_path": STRING, "namespace": STRING, "session_ttl": DURATION, "renew_interval": DURATION,
              "lock_delay": DURATION}


class Block:
    """A block: labels then a body of (key, value) pairs; values may be Blocks (nested)."""
    def __init__(self, labels, body):
        self.labels, self.body = labels, body


def rnd_string(r):
    return r.choice(["", "a", "web", "Web-1", "x y", "5s", "true", "0x1f", "12", "1.5", "é", "a\"b", "/p/q",
                     "http://cts", "${x}", "-3", "t"])


# How often a value takes another shape than its field's; drawn per input, so that some inputs
# are nearly valid (and compare decoded values) and others are full of errors.
BAD = [0.3]


def good(r, threshold):
    """True with the field's usual chance of a well-shaped value, scaled by BAD."""
    return r.random() < 1 - (1 - threshold) * BAD[0] / 0.3


def scalar(r, kind):
    p = 0.0 if good(r, 0.7) else 0.99
    if kind == STRING:
        return rnd_string(r) if p < 0.7 else r.choice([3, -1, 2.5, True, False, 1e21])
    if kind == BOOL:
        return r.choice([True, False]) if p < 0.6 else r.choice(["true", "F", "yes", "", 0, 1, 2.5, "1"])
    if kind == INT:
        return r.choice([8558, 0, -5]) if p < 0.5 else r.choice(["8502", "0x10", "abc", "", "1_000", 3.9, True,
                                                                    "99999999999999999999", "0b11", "09"])
    if kind == DURATION:
        return r.choice(["5s", "1m30s", "0", "1.5h", "-2s", ".5s"]) if p < 0.6 else r.choice(
            ["5", "x", "5d", "", 1000, 2.5, True, "1e3s", "+3ms", "1µs"])
    return rnd_string(r)


def value_for(r, kind):
    """A value for a field of this kind: usually the right shape, sometimes another."""
    p = 0.0 if good(r, 0.6) else 0.99
    if kind == LIST:
        if p < 0.6:
            return [rnd_string(r) for _ in range(r.randint(0, 3))]
        return r.choice(["one", [], {}, [["x"]], [{"a": 1}], 7, {"a": "b"}])
    if kind == MAP:
        if p < 0.7:
            return {r.choice(["k", "K", "owner", "a b"]): scalar(r, STRING) for _ in range(r.randint(0, 2))}
        return r.choice(["s", [], [{"a": "1"}, {"b": "2"}], [{"a": "1"}], {"a": ["x"]}, {"a": {"b": "c"}}])
    if isinstance(kind, dict):
        return block_for(r, kind)
    if good(r, 0.85):
        return scalar(r, kind)
    return r.choice([[scalar(r, kind)], [scalar(r, kind), scalar(r, kind)], {}, {"a": 1}, [[scalar(r, kind)]]])


def junk_key(r, keys):
    key = r.choice(keys) if keys else "x"
    return r.choice([key.upper(), key.capitalize(), key + "s", "unknown", "provider", "license"])


def block_for(r, schema):
    body = []
    keys = list(schema)
    for key in r.sample(keys, r.randint(0, len(keys))):
        body.append((key, value_for(r, schema[key])))
    if r.random() < 0.3 * BAD[0]:
        body.append((junk_key(r, keys), scalar(r, STRING)))
    return Block([], body)


def go_value(r, depth=0):
    p = r.random()
    if depth > 2 or p < 0.5:
        return r.choice([rnd_string(r), 1, -2, 2.5, True, False])
    if p < 0.7:
        return [go_value(r, depth + 1) for _ in range(r.randint(0, 3))]
    if p < 0.9:
        return {r.choice(["a", "b", "alias", "auto_commit", "task_env"]): go_value(r, depth + 1)
                for _ in range(r.randint(0, 3))}
    return Block([], [(r.choice(["x", "y"]), go_value(r, depth + 1)) for _ in range(r.randint(0, 2))])


def condition_block(r):
    kind = r.choice(list(CONDITIONS)) if good(r, 0.85) else "nodes"
    block = block_for(r, CONDITIONS.get(kind, {"a": STRING}))
    block.labels = [kind]
    return block


def task_block(r):
    block = block_for(r, TASK)
    if r.random() < 0.7:
        block.body.append(("condition", condition_block(r)))
    if r.random() < 0.5 * BAD[0]:
        block.body.append(("condition", condition_block(r)))
    for _ in range(r.choice([0, 0, 1, 2])):
        kind = r.choice(list(MODULE_INPUTS)) if good(r, 0.85) else "kv"
        inner = block_for(r, MODULE_INPUTS.get(kind, {"a": STRING}))
        inner.labels = [kind]
        block.body.append((r.choice(["module_input", "module_input", "source_input"]), inner))
    return block


def top_level(r):
    body = []
    for key in r.sample(list(TOP), r.randint(0, 6)):
        body.append((key, value_for(r, TOP[key])))
    if r.random() < 0.5 * BAD[0]:
        body.append((r.choice(["consul", "tls", "syslog"]), block_for(r, TOP["consul"])))  # repeated/odd
    for _ in range(r.choice([0, 1, 1, 2, 3])):
        body.append(("task", task_block(r)))
    for _ in range(r.choice([0, 0, 1, 2])):
        name = r.choice(["aws", "local", "X"])
        provider = Block([name], [(k, go_value(r)) for k in r.sample(["region", "alias", "auto_commit", "task_env", "x"], r.randint(0, 3))])
        body.append(("terraform_provider", provider))
    if r.random() < 0.3:
        terraform = Block(["terraform"] if r.random() < 0.9 else [r.choice(["terraform-cloud", "tf"])], [])
        for key in r.sample(["version", "log", "persist_log", "path"], r.randint(0, 2)):
            terraform.body.append((key, value_for(r, {"version": STRING, "log": BOOL, "persist_log": BOOL, "path": STRING}[key])))
        if r.random() < 0.5:
            terraform.body.append(("backend", Block([r.choice(["consul", "local", "s3"])], [("path", go_value(r)), ("gzip", go_value(r))])))
        if r.random() < 0.4:
            terraform.body.append(("required_providers", Block([], [("aws", go_value(r)), ("p2", go_value(r))])))
        body.append(("driver", terraform))
    if r.random() < 0.25:
        storage = block_for(r, HA_STORAGE)
        storage.labels = [r.choice(["consul", "consul", "etcd"])]
        cluster = Block([], [("name", value_for(r, STRING))] + ([("storage", storage)] if r.random() < 0.8 else []))
        body.append(("high_availability", Block([], [("cluster", cluster), ("instance", block_for(r, {"address": STRING}))])))
    if r.random() < 0.3 * BAD[0]:
        body.append((junk_key(r, list(TOP)), scalar(r, STRING)))
    return body


def hcl_string(s):
    return json.dumps(s, ensure_ascii=False)


def hcl_key(k):
    ok = k and (k[0].isalpha() or k[0] == "_") and all(c.isalnum() or c in "_-." for c in k) and k not in ("true", "false")
    return k if ok else hcl_string(k)


def hcl_value(v, indent):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if "e" in repr(v) or "." in repr(v) else repr(v) + ".0"
    if isinstance(v, str):
        return hcl_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(hcl_value(e, indent) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + " ".join(hcl_key(k) + " = " + hcl_value(e, indent) for k, e in v.items()) + "}"
    if isinstance(v, Block):
        return "{\n" + hcl_body(v.body, indent + 1) + "  " * indent + "}"
    raise TypeError(v)


def hcl_body(body, indent):
    out = ""
    for key, value in body:
        pad = "  " * indent
        if isinstance(value, Block):
            labels = "".join(" " + hcl_string(l) for l in value.labels)
            if not labels and random.random() < 0.3:
                out += pad + hcl_key(key) + " = " + hcl_value(value, indent) + "\n"
            else:
                out += pad + hcl_key(key) + labels + " {\n" + hcl_body(value.body, indent + 1) + pad + "}\n"
        else:
            out += pad + hcl_key(key) + " = " + hcl_value(value, indent) + "\n"
    return out


def json_value(v):
    if isinstance(v, Block):
        inner = {}
        for key, value in v.body:
            inner[key] = json_value(value)  # a repeated key keeps the last, as encoding/json does
        for label in reversed(v.labels):
            inner = {label: inner}
        return inner
    if isinstance(v, list):
        return [json_value(e) for e in v]
    if isinstance(v, dict):
        return {k: json_value(e) for k, e in v.items()}
    return v


def json_document(r, body):
    doc = {}
    for key, value in body:
        encoded = json_value(value)
        if key in doc and isinstance(value, Block):
            previous = doc[key]
            doc[key] = (previous if isinstance(previous, list) else [previous]) + [encoded]
        else:
            doc[key] = [encoded] if isinstance(value, Block) and r.random() < 0.2 else encoded
    return json.dumps(doc, ensure_ascii=False)


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    random.seed(seed)
    for _ in range(count):
        BAD[0] = r.choice([0.3, 0.05, 0.01])
        body = top_level(r)
        if r.random() < 0.25:
            name, text = "c.json", json_document(r, body)
        else:
            name, text = "c.hcl", hcl_body(body, 0)
        print(name + "\t" + base64.b64encode(text.encode()).decode())


if __name__ == "__main__":
    main()
