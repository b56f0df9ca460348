"""gunicorn settings: WEB_CONCURRENCY sets the workers, GUNICORN_THREADS the threads of each, HOST
and PORT the address.

Binds 127.0.0.1:8000 by default, so a server started by hand is not exposed to the network. On a
platform that assigns the port (Heroku, Render, Railway, Cloud Run set PORT) the router reaches the
app from outside the container, so PORT alone binds all interfaces; HOST always wins.
"""

import os

port = os.environ.get("PORT", "")
host = os.environ.get("HOST") or ("0.0.0.0" if port else "127.0.0.1")
bind = f"{host}:{port or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# More than one makes each worker a gthread worker: a thread runs while another waits for PostgreSQL
# or hashes a password (Argon2 releases the GIL). docs/scaling.md has the measured settings.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
