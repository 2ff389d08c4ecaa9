"""Start Odoo as the ``odoo-bin`` script does, for the prefork test server.

In prefork mode (``--workers``) Odoo starts its long-polling (gevent) process by
re-executing ``sys.executable sys.argv[0] gevent <arguments>``: ``sys.argv[0]``
must be a script, which ``python -m odoo`` is not."""

import os

# As odoo-bin: the server's time zone is UTC before the time module is imported.
os.environ["TZ"] = "UTC"

import odoo  # noqa: E402

if __name__ == "__main__":
    odoo.cli.main()
