"""A real HTTP receiver on loopback (http.server in a thread) that verifies every delivery with the
`standardwebhooks` reference library, and answers from a script of statuses."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


class Receiver:
    def __init__(self, secret: str | None = None, statuses=(), hang: float = 0, location: str = ""):
        self.secret, self.statuses, self.hang, self.location = secret, list(statuses), hang, location
        self.received = []  # (headers, body, verified payload or None)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers.items())
                payload = Webhook(receiver.secret).verify(body, headers) if receiver.secret else None
                receiver.received.append((headers, body, payload))
                if receiver.hang:
                    time.sleep(receiver.hang)
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
