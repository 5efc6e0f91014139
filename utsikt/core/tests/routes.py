"""core's routes beyond the foundation's (tests/test_access_matrix.py lists those)."""

from utsikt.core.testing import SIGNED_IN, RouteTable, row

ROUTES: RouteTable = {
    # Public for the load balancer; 503 here because no task worker beats in the tests
    # (test_health.py checks the 200 with a heartbeat).
    "core:health": ({}, row(503, **dict.fromkeys(SIGNED_IN, 503))),
}
