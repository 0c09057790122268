"""gunicorn's settings for Newsroom; gunicorn reads this file from the directory it is started in.

gunicorn names itself in a `Server` header on every response and has no setting to change that. Naming the
server software and its version only helps an attacker pick an exploit, so the header names nothing.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "web"
