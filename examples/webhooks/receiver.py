#!/usr/bin/env python3
"""A webhook receiver for Tessera's Jobs that verifies every delivery (Python 3.9+, no packages).

    TESSERA_WEBHOOK_SECRET='whsec_...' python3 receiver.py [port]

It listens on 127.0.0.1 (port 8089 unless given) at /tessera, answers 204 to a delivery whose
signature holds and 401 to any other, and prints each Run once, however often it is delivered.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify(secret, headers, body):
    """Returns the delivery's webhook-id, or raises ValueError when it must be refused."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise ValueError("a webhook header is missing")
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("webhook-timestamp is more than five minutes off")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for entry in signatures.split():
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return msg_id
    raise ValueError("no webhook-signature matches the body")


class Receiver(BaseHTTPRequestHandler):
    secret = os.environ["TESSERA_WEBHOOK_SECRET"]
    seen = set()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/tessera":
            self.send_response(404)
            self.end_headers()
            return
        try:
            msg_id = verify(self.secret, self.headers, body)
        except ValueError as refusal:
            self.send_response(401)
            self.end_headers()
            print(f"refused: {refusal}", flush=True)
            return
        if msg_id not in self.seen:
            self.seen.add(msg_id)
            run = json.loads(body)
            print(f"{run['run']} {run['phase']} {json.dumps(run.get('result'))}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8089
    server = HTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_port}/tessera", flush=True)
    server.serve_forever()
