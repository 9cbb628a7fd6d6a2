"""The WSGI entry point for production servers: `gunicorn --preload hansyn.platform.wsgi:app`.

With --preload the app is built once in gunicorn's master process and the workers are forked from
it, so what start-up loads here — every tenant's saved matching index, brought up to date — is
shared copy-on-write instead of being loaded again by each worker. A tenant without a usable saved
index is not built here (that would keep the server from answering for as long as it takes): the
first worker that needs it builds it in the background and saves it for the others. Pooled
database connections are never shared: `Databases` drops them in each forked child.
"""

import faulthandler
import gc

from hansyn.platform.app import create_app
from hansyn.tenants.matches.index import warm_all

# A worker that dies of a fatal signal (SIGSEGV, SIGABRT, …) leaves the Python stack of every
# thread in the server's log instead of nothing; forked workers inherit this.
faulthandler.enable()
app = create_app()
try:
    warm_all(app, build_missing=False)
except Exception:  # a database that is not up yet must not keep the server from starting
    app.logger.exception("matching index warm-up failed; each worker builds it on first use")
# Move everything built so far out of the garbage collector's sight: a collection in a worker then
# never writes to these objects' pages, which would copy them out of the shared memory.
gc.freeze()
