"""The WSGI application benchmarks/throughput.py serves with gunicorn: the site with the floor page
(throughput_settings), which also says how many SQL queries a request made when the request asks for
it with an X-Count-Queries header. Requests without that header are served exactly as the site serves
them, so the load itself pays nothing for the counting."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.throughput_settings"

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after choosing the settings)
from django.db import connection  # noqa: E402

COUNT_REQUEST_HEADER = "HTTP_X_COUNT_QUERIES"
COUNT_RESPONSE_HEADER = "X-Query-Count"

site = get_wsgi_application()


def application(environ, start_response):
    if COUNT_REQUEST_HEADER not in environ:
        return site(environ, start_response)
    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    def start_response_with_count(status, headers, exc_info=None):
        # Django starts the response once the whole middleware stack has run: every query is counted.
        return start_response(status, [*headers, (COUNT_RESPONSE_HEADER, str(executed))], exc_info)

    with connection.execute_wrapper(count):
        return site(environ, start_response_with_count)
