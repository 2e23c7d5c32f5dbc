#!/usr/bin/env python3
"""A host in another language: Python opens libmentoring.so with ctypes,
sends HTTP requests in-process, reads the responses and closes the plugin.

Usage: abi_ctypes_test.py /path/to/libmentoring.so
"""
import ctypes
import json
import os
import sys
import tempfile
import unittest

LIB_PATH = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("MENTORING_LIB", "libmentoring.so")
ABI_VERSION = 1
TOKEN = "python-host-service-token-0123456789"


class Header(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("name_len", ctypes.c_size_t),
                ("value", ctypes.c_char_p), ("value_len", ctypes.c_size_t)]


class Request(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32),
                ("method", ctypes.c_char_p), ("method_len", ctypes.c_size_t),
                ("target", ctypes.c_char_p), ("target_len", ctypes.c_size_t),
                ("headers", ctypes.POINTER(Header)), ("header_count", ctypes.c_size_t),
                ("body", ctypes.c_char_p), ("body_len", ctypes.c_size_t),
                ("remote_address", ctypes.c_char_p)]


class Response(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("status", ctypes.c_int),
                ("headers", ctypes.POINTER(Header)), ("header_count", ctypes.c_size_t),
                ("body", ctypes.POINTER(ctypes.c_char)), ("body_len", ctypes.c_size_t)]


NOW_FN = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p)
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char), ctypes.c_size_t)
LOOKUP_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)


class Host(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("ctx", ctypes.c_void_p),
                ("now_ms", NOW_FN), ("log", LOG_FN), ("user_lookup", LOOKUP_FN)]


lib = ctypes.CDLL(LIB_PATH)
lib.mentoring_abi_version.restype = ctypes.c_uint32
lib.mentoring_version_string.restype = ctypes.c_char_p
lib.mentoring_options_describe.restype = ctypes.c_char_p
lib.mentoring_open.argtypes = [ctypes.c_uint32, ctypes.POINTER(Host), ctypes.c_char_p, ctypes.c_size_t,
                               ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
lib.mentoring_open.restype = ctypes.c_int
lib.mentoring_close.argtypes = [ctypes.c_void_p]
lib.mentoring_free.argtypes = [ctypes.c_void_p]
lib.mentoring_handle_http.argtypes = [ctypes.c_void_p, ctypes.POINTER(Request),
                                      ctypes.POINTER(ctypes.POINTER(Response)), ctypes.POINTER(ctypes.c_void_p)]
lib.mentoring_handle_http.restype = ctypes.c_int
lib.mentoring_http_response_free.argtypes = [ctypes.POINTER(Response)]


def take_error(err):
    if not err.value:
        return None
    text = ctypes.cast(err, ctypes.c_char_p).value.decode()
    lib.mentoring_free(err)
    return text


class Plugin:
    def __init__(self, config, now_ms=None):
        self.logs = []
        self._now = NOW_FN(lambda ctx: now_ms) if now_ms is not None else NOW_FN()
        self._log = LOG_FN(lambda ctx, level, msg, n: self.logs.append((level, ctypes.string_at(msg, n).decode())))
        self.host = Host(ctypes.sizeof(Host), None, self._now, self._log, LOOKUP_FN())
        handle = ctypes.c_void_p()
        err = ctypes.c_void_p()
        raw = json.dumps(config).encode()
        rc = lib.mentoring_open(ABI_VERSION, ctypes.byref(self.host), raw, len(raw), ctypes.byref(handle),
                                ctypes.byref(err))
        if rc != 0:
            raise RuntimeError(f"mentoring_open failed ({rc}): {take_error(err)}")
        self.handle = handle

    def request(self, method, target, body=None, headers=None):
        merged = {"Authorization": "Bearer " + TOKEN, **(headers or {})}
        hs = list(merged.items())
        if body is not None:
            hs.append(("Content-Type", "application/json"))
            body = json.dumps(body).encode() if not isinstance(body, bytes) else body
        arr = (Header * len(hs))(*[Header(n.encode(), len(n), v.encode(), len(v)) for n, v in hs])
        req = Request(ctypes.sizeof(Request), method.encode(), len(method), target.encode(), len(target),
                      arr, len(hs), body, len(body or b""), b"127.0.0.1")
        res = ctypes.POINTER(Response)()
        err = ctypes.c_void_p()
        rc = lib.mentoring_handle_http(self.handle, ctypes.byref(req), ctypes.byref(res), ctypes.byref(err))
        if rc != 0:
            raise RuntimeError(f"handle_http failed ({rc}): {take_error(err)}")
        r = res.contents
        headers = {ctypes.string_at(r.headers[i].name, r.headers[i].name_len).decode().lower():
                   ctypes.string_at(r.headers[i].value, r.headers[i].value_len).decode()
                   for i in range(r.header_count)}
        status, body = r.status, ctypes.string_at(r.body, r.body_len)
        lib.mentoring_http_response_free(res)
        return status, headers, body

    def close(self):
        lib.mentoring_close(self.handle)
        self.handle = None


class CtypesHostTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "m.db")

    def tearDown(self):
        self.dir.cleanup()

    def open(self, **extra):
        config = {"database": {"url": "sqlite3:" + self.db}, "api": {"service_token": TOKEN}}
        config.update(extra)
        return Plugin(config, now_ms=1785888000000)

    def test_versions_and_option_description(self):
        self.assertEqual(lib.mentoring_abi_version(), ABI_VERSION)
        options = json.loads(lib.mentoring_options_describe())
        keys = {o["key"] for o in options}
        self.assertIn("database.url", keys)
        self.assertIn("http.port", keys)
        self.assertTrue(all(o["description"] for o in options))

    def test_open_request_close(self):
        p = self.open()
        try:
            status, headers, body = p.request("GET", "/healthz")
            self.assertEqual(status, 200)
            self.assertTrue(headers["content-type"].startswith("application/json"))
            self.assertEqual(json.loads(body)["status"], "ok")

            status, _, body = p.request("POST", "/api/v1/schemes", {"name": "IMG induction mentoring"})
            self.assertEqual(status, 201, body)
            scheme = json.loads(body)
            self.assertEqual(scheme["name"], "IMG induction mentoring")
            self.assertEqual(scheme["timecreated"], 1785888000)

            status, _, body = p.request("GET", f"/api/v1/schemes/{scheme['id']}")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["id"], scheme["id"])
            self.assertTrue(any("schema" in line for _, line in p.logs), p.logs)
        finally:
            p.close()

    def test_data_survives_reopen(self):
        p = self.open()
        p.request("POST", "/api/v1/schemes", {"name": "Kept"})
        p.close()
        p = self.open()
        try:
            _, _, body = p.request("GET", "/api/v1/schemes")
            self.assertEqual([s["name"] for s in json.loads(body)["items"]], ["Kept"])
        finally:
            p.close()

    def test_bad_input_gets_json_errors(self):
        p = self.open()
        try:
            status, _, body = p.request("POST", "/api/v1/schemes", b"{not json")
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(body)["error"]["reason"], "invalid_json")
            status, _, body = p.request("GET", "/api/v1/schemes", headers={"Authorization": "Bearer wrong"})
            self.assertIn(status, (401,))
        finally:
            p.close()

    def test_bad_configuration_is_refused_with_the_key_named(self):
        with self.assertRaises(RuntimeError) as cm:
            Plugin({"http": {"port": 70000}})
        self.assertIn("http.port", str(cm.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
