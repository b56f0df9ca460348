"""gunicorn settings; WEB_CONCURRENCY sets the workers, HOST and PORT the address.

Binds 127.0.0.1:8000 by default, so a server started by hand is not exposed to the network. On a
platform that assigns the port (Heroku, Render, Railway, Cloud Run set PORT) the router reaches the
app from outside the container, so PORT alone binds all interfaces; HOST always wins.
"""

import os

port = os.environ.get("PORT", "")
host = os.environ.get("HOST") or ("0.0.0.0" if port else "127.0.0.1")
bind = f"{host}:{port or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
