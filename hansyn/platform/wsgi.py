"""The WSGI entry point for production servers: `gunicorn --preload hansyn.platform.wsgi:app`.

With --preload the app is built once in gunicorn's master process and the workers are forked from
it, so whatever start-up work is done here is shared copy-on-write. Pooled database connections
are never shared: `Databases` drops them in each forked child.
"""

from hansyn.platform.app import create_app

app = create_app()
