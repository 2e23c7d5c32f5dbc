#!/usr/bin/python3
"""A reference host portal for the plugin's webhooks, on loopback only.

Its Standard Webhooks code is written here from the specification
(https://www.standardwebhooks.com, symmetric profile) with Python's standard
library only (hmac, hashlib, base64), independently of the plugin's C++:

    signature = base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}"))
    header    = "v1," + signature        (several, space-separated)
    key       = base64-decode(secret without the "whsec_" prefix)

It plays both parts a host plays:
  * receiver: an HTTP server that accepts the plugin's outbound webhooks,
    verifies their signatures and timestamps, records them (deduplicating on
    webhook-id) and can be told to fail the next N deliveries;
  * sender: signs and POSTs inbound events to the plugin.

Run it by hand with
    /usr/bin/python3 reference_host.py --secret whsec_... --port 9000
to print each verified delivery.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import secrets
import threading
import time
import urllib.parse

TOLERANCE_SECONDS = 300


def new_secret(nbytes=32):
    return "whsec_" + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def secret_key(secret):
    if not secret.startswith("whsec_"):
        raise ValueError("a secret starts with whsec_")
    return base64.b64decode(secret[len("whsec_"):], validate=True)


def sign(secret, msg_id, timestamp, body):
    """The webhook-signature value for one secret."""
    signed = msg_id.encode() + b"." + str(int(timestamp)).encode() + b"." + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secrets_, headers, body, now=None):
    """Returns None when the webhook verifies, else a short reason."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signature = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signature:
        return "missing headers"
    try:
        ts = int(timestamp)
    except ValueError:
        return "bad timestamp"
    now = time.time() if now is None else now
    if abs(now - ts) > TOLERANCE_SECONDS:
        return "timestamp outside tolerance"
    for secret in secrets_:
        expected = sign(secret, msg_id, ts, body).split(",", 1)[1].encode()
        for entry in signature.split(" "):
            version, _, value = entry.partition(",")
            if version == "v1" and hmac.compare_digest(value.encode(), expected):
                return None
    return "no matching signature"


def event_body(event_type, data, when=None):
    """A Standard Webhooks envelope with an RFC 3339 UTC timestamp in ms."""
    when = time.time() if when is None else when
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)) + ".%03dZ" % int(round((when % 1) * 1000) % 1000)
    return json.dumps({"type": event_type, "timestamp": stamp, "data": data}, separators=(",", ":")).encode()


class Sender:
    """Signs and sends inbound events to a plugin."""

    def __init__(self, port, secret, path="/api/v1/webhooks/inbound", host="127.0.0.1"):
        self.port, self.secret, self.path, self.host = port, secret, path, host

    def send(self, body, msg_id=None, timestamp=None, secret=None, signature=None, headers=None, timeout=10):
        msg_id = msg_id or "msg_" + secrets.token_hex(12)
        timestamp = int(time.time()) if timestamp is None else int(timestamp)
        hs = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature or sign(secret or self.secret, msg_id, timestamp, body),
        }
        hs.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request("POST", self.path, body=body, headers=hs)
            res = conn.getresponse()
            raw = res.read()
        finally:
            conn.close()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw
        return res.status, payload


class Receiver:
    """Receives the plugin's outbound webhooks on 127.0.0.1."""

    def __init__(self, secrets_, port=0):
        self.secrets = list(secrets_)
        self.lock = threading.Lock()
        self.deliveries = []      # every verified attempt: (msg_id, headers, body)
        self.unique = {}          # msg_id -> parsed body, first verified attempt
        self.rejected = []        # (reason, headers)
        self.fail_next = 0        # answer 500 to this many more verified deliveries
        self.attempts = {}        # msg_id -> attempts seen (including failed ones)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                reason = verify(receiver.secrets, headers, body)
                with receiver.lock:
                    if reason:
                        receiver.rejected.append((reason, headers))
                        status = 401
                    else:
                        msg_id = headers["webhook-id"]
                        receiver.attempts[msg_id] = receiver.attempts.get(msg_id, 0) + 1
                        if receiver.fail_next > 0:
                            receiver.fail_next -= 1
                            status = 500
                        else:
                            receiver.deliveries.append((msg_id, headers, body))
                            receiver.unique.setdefault(msg_id, json.loads(body))
                            status = 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d/hooks" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self, event_type=None):
        with self.lock:
            return [b for b in self.unique.values() if event_type is None or b["type"] == event_type]

    def wait_for(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = predicate(self)
            if found:
                return found
            time.sleep(0.05)
        return predicate(self)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", action="append", required=True, help="whsec_ secret (repeat for rotation)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    receiver = Receiver(args.secret, args.port)
    print("listening on", receiver.url, flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.5)
            with receiver.lock:
                fresh = receiver.deliveries[seen:]
                seen = len(receiver.deliveries)
            for msg_id, _, body in fresh:
                print(msg_id, body.decode(), flush=True)
    except KeyboardInterrupt:
        receiver.close()


if __name__ == "__main__":
    main()
