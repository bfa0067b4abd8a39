#!/usr/bin/python3
"""Debian's python3-consul (0.7.1), a client nobody here wrote, against fake-consul over HTTP:
sessions, locks, check-and-set and blocking gets (consul-semantics.md section 8).

Run with /usr/bin/python3 (the python3 on PATH may not see Debian's packages):
    /usr/bin/python3 tests/conformance/python_consul_test.py --fake-consul build/test/bin/fake-consul
"""
import argparse
import sys
import threading
import time
import unittest

import consul

from fake_consul_process import FakeConsul

FAKE_CONSUL = None


class PythonConsulAgainstFake(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeConsul(FAKE_CONSUL, "-session-ttl-min", "1s").__enter__()
        cls.client = consul.Consul(host="127.0.0.1", port=cls.fake.port)

    @classmethod
    def tearDownClass(cls):
        cls.fake.__exit__(None, None, None)

    def test_put_get_delete_and_missing_keys(self):
        c = self.client
        self.assertTrue(c.kv.put("conformance/a", "1"))
        index, entry = c.kv.get("conformance/a")
        self.assertEqual(entry["Value"], b"1")
        self.assertEqual(int(index), entry["ModifyIndex"])
        # A 404 must still carry X-Consul-Index, or python-consul raises KeyError.
        index, missing = c.kv.get("conformance/missing")
        self.assertIsNone(missing)
        self.assertGreater(int(index), 0)
        c.kv.put("conformance/tree/x", "x")
        c.kv.put("conformance/tree/y", "y")
        _, entries = c.kv.get("conformance/tree/", recurse=True)
        self.assertEqual([e["Key"] for e in entries], ["conformance/tree/x", "conformance/tree/y"])
        self.assertTrue(c.kv.delete("conformance/tree/", recurse=True))
        _, gone = c.kv.get("conformance/tree/", recurse=True)
        self.assertIsNone(gone)

    def test_check_and_set(self):
        c = self.client
        self.assertTrue(c.kv.put("conformance/cas", "v1", cas=0))
        self.assertFalse(c.kv.put("conformance/cas", "again", cas=0))
        _, entry = c.kv.get("conformance/cas")
        self.assertFalse(c.kv.put("conformance/cas", "stale", cas=entry["ModifyIndex"] + 1))
        self.assertTrue(c.kv.put("conformance/cas", "v2", cas=entry["ModifyIndex"]))
        self.assertEqual(c.kv.get("conformance/cas")[1]["Value"], b"v2")

    def test_sessions_and_locks(self):
        c = self.client
        first = c.session.create(name="first", ttl=10, behavior="release", lock_delay=0)
        second = c.session.create(name="second", ttl=10, lock_delay=0)
        self.assertTrue(c.kv.put("conformance/leader", "first", acquire=first))
        self.assertFalse(c.kv.put("conformance/leader", "second", acquire=second))
        _, entry = c.kv.get("conformance/leader")
        self.assertEqual(entry["Session"], first)
        self.assertEqual(entry["LockIndex"], 1)
        self.assertEqual(c.session.renew(first)["ID"], first)
        _, info = c.session.info(first)
        self.assertEqual(info["Name"], "first")
        self.assertEqual(info["TTL"], "10s")
        _, sessions = c.session.list()
        self.assertIn(first, [s["ID"] for s in sessions])
        self.assertTrue(c.kv.put("conformance/leader", "released", release=first))
        self.assertTrue(c.kv.put("conformance/leader", "second", acquire=second))
        self.assertEqual(c.kv.get("conformance/leader")[1]["LockIndex"], 2)
        self.assertTrue(c.session.destroy(second))
        self.assertNotIn("Session", c.kv.get("conformance/leader")[1])
        with self.assertRaises(consul.NotFound):
            c.session.renew(second)

    def test_lock_delay_refuses_a_new_holder(self):
        c = self.client
        holder = c.session.create(lock_delay=15)
        self.assertTrue(c.kv.put("conformance/delayed", "x", acquire=holder))
        c.session.destroy(holder)
        other = c.session.create(lock_delay=0)
        self.assertFalse(c.kv.put("conformance/delayed", "y", acquire=other))

    def test_blocking_get_returns_on_change(self):
        c = self.client
        c.kv.put("conformance/watched", "before")
        index, _ = c.kv.get("conformance/watched")

        def write_later():
            time.sleep(0.3)
            c.kv.put("conformance/watched", "after")

        writer = threading.Thread(target=write_later)
        writer.start()
        started = time.monotonic()
        new_index, entry = c.kv.get("conformance/watched", index=index, wait="10s")
        writer.join()
        self.assertEqual(entry["Value"], b"after")
        self.assertGreater(int(new_index), int(index))
        self.assertLess(time.monotonic() - started, 9, "returned on the change, not at the timeout")

    def test_blocking_get_times_out_with_current_data(self):
        c = self.client
        c.kv.put("conformance/quiet", "same")
        index, _ = c.kv.get("conformance/quiet")
        new_index, entry = c.kv.get("conformance/quiet", index=index, wait="1s")
        self.assertEqual(new_index, index)
        self.assertEqual(entry["Value"], b"same")

    def test_consistency_modes_and_status(self):
        c = self.client
        c.kv.put("conformance/modes", "m")
        self.assertEqual(c.kv.get("conformance/modes", consistency="consistent")[1]["Value"], b"m")
        self.assertEqual(c.kv.get("conformance/modes", consistency="stale")[1]["Value"], b"m")
        self.assertTrue(c.status.leader())
        self.assertEqual(len(c.status.peers()), 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake-consul", required=True)
    args, rest = parser.parse_known_args()
    FAKE_CONSUL = args.fake_consul
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
