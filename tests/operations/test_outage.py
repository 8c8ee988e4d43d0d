"""PostgreSQL stops under a running server: visitors get the 503 page in their language, readiness says
which part failed, and when PostgreSQL is back the same server process serves pages again by itself.

The cluster is the test's own, whatever database the suite runs on, since stopping the suite's server
would stop the suite.
"""

import pytest

from .servers import wait_until

pytestmark = pytest.mark.deployment


def test_pages_answer_503_while_postgresql_is_down_and_recover_by_themselves(postgres_cluster, start_server):
    # A short pool timeout keeps the test fast; production waits DATABASE_POOL_TIMEOUT (10 s).
    server = start_server("outage", DATABASE_URL=postgres_cluster.url, DATABASE_POOL_TIMEOUT=2)
    for path in ("/ja/", "/en/"):
        assert server.get(path).status == 200

    postgres_cluster.stop()
    japanese, english = server.get("/ja/"), server.get("/en/")
    assert japanese.status == english.status == 503
    assert "ただいまご利用いただけません" in japanese.text
    assert "Temporarily unavailable" in english.text
    assert japanese.header("Retry-After") and english.header("Retry-After")
    for response in (japanese, english):
        assert "Traceback" not in response.text and "OperationalError" not in response.text
    api = server.get("/api/v1/meetings/")
    assert api.status == 503
    assert api.header("Content-Type").startswith("application/json")
    readiness = server.get("/readyz")
    assert readiness.status == 503
    assert readiness.text == '{"database": "unavailable", "cache": "ok"}'
    assert server.get("/healthz").status == 200

    postgres_cluster.start()
    wait_until(
        lambda: server.get("/ja/").status == 200,
        timeout=30,
        interval=0.5,
        message="the site did not recover after PostgreSQL came back",
    )
    assert server.get("/en/").status == 200
    assert server.get("/readyz").status == 200
    # The same process all along: no worker was restarted to recover.
    assert server.process.poll() is None
    assert server.log_text().count("Booting worker") == 1
