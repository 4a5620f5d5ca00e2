"""The container's health check: exit 0 when Bellhop answers GET /healthz with 200.

Plain http.client, not urllib, so that an HTTP_PROXY given to the container is not used
for this local request. Usage: python healthcheck.py [PORT]   (8765 when not given)
"""

from __future__ import annotations

import http.client
import sys


def check(port: int, timeout: float = 4.0) -> str | None:
    """None when 127.0.0.1:port/healthz answers 200; else what went wrong, in words."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        return f"Bellhop does not answer on port {port}: {exc}"
    finally:
        conn.close()
    return None if status == 200 else f"Bellhop answered /healthz with {status}"


if __name__ == "__main__":
    problem = check(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(problem or "ok")
    sys.exit(1 if problem else 0)
