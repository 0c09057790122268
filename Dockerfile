# Newsroom's production image: gunicorn serving the site, static files collected at build time.
# Run it with compose.yaml (see the README's "Running it in production").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The server runs as this user; the code stays owned by root, so a compromised process cannot change it.
RUN useradd --system --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin newsroom

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Settings refuse to load without a secret, allowed hosts and a database address; collecting static files
# uses none of them (nothing connects), so placeholders stand in, and they do not reach the running image.
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
        DATABASE_URL=postgres://collectstatic@localhost/unused \
        python manage.py collectstatic --no-input \
    && mkdir -p media && chown newsroom:newsroom media

USER newsroom
EXPOSE 8000
# gunicorn reads /app/gunicorn.conf.py (workers, timeouts, the Server header). In a container it listens
# on every interface, behind the proxy, and keeps its workers' heartbeat files in memory: /tmp may be on
# a disk that can stall them.
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm"]
