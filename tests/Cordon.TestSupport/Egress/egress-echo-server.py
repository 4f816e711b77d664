"""The egress tests' destination host: HTTP on :80 and HTTPS on :443 at one address, answering every request with
what it received (method, target, headers, body) as JSON. Under /digest/ it answers each header value's SHA-256
instead of the value, so a secret the proxy put in a header is confirmed without the sandbox ever reading it.
Started inside the test's network namespace; stops when its parent (the test) goes away."""
import hashlib
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        headers = [[k, v] for k, v in self.headers.items()]
        if self.path.startswith("/digest/"):
            headers = [[k, hashlib.sha256(v.encode("latin-1")).hexdigest()] for k, v in headers]
        reply = json.dumps({
            "server": self.server.name,
            "method": self.command,
            "target": self.path,
            "headers": headers,
            "body": body,
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, *args):
        pass


def serve(address, port, name, tls=None):
    server = ThreadingHTTPServer((address, port), Echo)
    server.name = name
    if tls:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    address, cert, key = sys.argv[1:4]
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    serve(address, 80, "http")
    serve(address, 8080, "http-8080")
    serve(address, 443, "https", tls)
    print("ready", flush=True)
    # Ends with the test: its stdin is a pipe from the test process.
    sys.stdin.read()
    os._exit(0)


main()
