#!/usr/bin/env python3
"""libmentoring.so must export only its C ABI: every defined dynamic symbol
starts with mentoring_. Usage: exported_symbols_test.py /path/to/libmentoring.so"""
import subprocess
import sys

lib = sys.argv[1]
out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
symbols = [line.split()[-1] for line in out.splitlines() if line.strip()]
foreign = [s for s in symbols if not s.startswith("mentoring_")]
expected = {"mentoring_abi_version", "mentoring_open", "mentoring_close", "mentoring_handle_http",
            "mentoring_serve_start", "mentoring_serve_stop", "mentoring_migrate", "mentoring_free",
            "mentoring_http_response_free", "mentoring_version_string", "mentoring_options_describe"}
missing = expected - set(symbols)
for s in foreign:
    print("unexpected exported symbol:", s)
for s in sorted(missing):
    print("missing ABI symbol:", s)
ok = not foreign and not missing
print(f"{len(symbols)} symbols exported; {'1 passed, 0 failed' if ok else '0 passed, 1 failed'}")
sys.exit(0 if ok else 1)
