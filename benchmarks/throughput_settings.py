"""The site's settings with the benchmark's address list (the site's plus the floor page). Only the
gunicorn servers that benchmarks/throughput.py starts use them, through benchmarks/throughput_wsgi.py."""

from newsroom.settings import *  # noqa: F403  (everything as the site has it, but the line below)

ROOT_URLCONF = "benchmarks.throughput_urls"
