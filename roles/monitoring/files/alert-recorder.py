"""A webhook receiver for Alertmanager that appends each notification to a file, one JSON
document a line, so tests and people can read what was sent. For labs and tests.

  python3 alert-recorder.py PORT FILE
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

LOCK = threading.Lock()


class Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            notification = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        notification["received_at"] = time.time()
        with LOCK, open(self.server.path, "a") as handle:
            handle.write(json.dumps(notification, sort_keys=True) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))


def main(port, path):
    server = HTTPServer(("127.0.0.1", int(port)), Recorder)
    server.path = path
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
