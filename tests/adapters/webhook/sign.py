#!/usr/bin/python3
"""An independent Standard Webhooks signer and verifier for the C++ tests.

Written from the specification (spec/standard-webhooks.md in
standard-webhooks/standard-webhooks) with only the Python standard library, so
the C++ implementation is checked against code that shares nothing with it.
Bodies travel as hex so any bytes (NUL, invalid UTF-8) survive the command line.

  sign.py secret KEY_HEX
      prints "whsec_" + base64(key)
  sign.py sign SECRET MSG_ID TIMESTAMP BODY_HEX
      prints "v1,<base64 HMAC-SHA256 of MSG_ID.TIMESTAMP.BODY>"
  sign.py verify SECRETS MSG_ID TIMESTAMP SIGNATURE_HEADER NOW BODY_HEX
      SECRETS is a comma-separated list of whsec_ secrets; prints "ok" or
      "fail: <why>" and exits 0 either way (non-zero only for misuse)
"""
import base64
import binascii
import hashlib
import hmac
import sys

TOLERANCE_SECONDS = 5 * 60


def parse_secret(text):
    if not text.startswith("whsec_"):
        raise SystemExit("secret must start with whsec_")
    return base64.b64decode(text[len("whsec_"):], validate=True)


def mac(key, msg_id, timestamp, body):
    to_sign = msg_id.encode("ascii") + b"." + timestamp.encode("ascii") + b"." + body
    return hmac.new(key, to_sign, hashlib.sha256).digest()


def sign(secret, msg_id, timestamp, body):
    return "v1," + base64.b64encode(mac(parse_secret(secret), msg_id, timestamp, body)).decode("ascii")


def verify(secrets, msg_id, timestamp, header, now, body):
    if not timestamp.isdigit():
        return "fail: timestamp not an integer"
    if abs(int(now) - int(timestamp)) > TOLERANCE_SECONDS:
        return "fail: timestamp outside tolerance"
    expected = [mac(parse_secret(s), msg_id, timestamp, body) for s in secrets.split(",")]
    for entry in header.split(" "):
        if not entry:
            continue
        version, _, value = entry.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except binascii.Error:
            continue
        if any(hmac.compare_digest(given, e) for e in expected):
            return "ok"
    return "fail: no matching signature"


def main(argv):
    if len(argv) == 3 and argv[1] == "secret":
        print("whsec_" + base64.b64encode(bytes.fromhex(argv[2])).decode("ascii"))
    elif len(argv) == 6 and argv[1] == "sign":
        print(sign(argv[2], argv[3], argv[4], bytes.fromhex(argv[5])))
    elif len(argv) == 8 and argv[1] == "verify":
        print(verify(argv[2], argv[3], argv[4], argv[5], argv[6], bytes.fromhex(argv[7])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
