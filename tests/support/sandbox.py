"""Templates compiled and filled in by a sandbox built just now, not at import.

The environment `bellhop.core.templating` uses is built when the module is imported, and
compiled templates are cached across calls: a test that renders a template may then run
none of the code that builds the sandbox or compiles the template. Inside
`sandbox_built_now` that code runs again, so what a test checks is what it ran (mutation
testing sees it too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from bellhop.core import templating


@contextlib.contextmanager
def sandbox_built_now() -> Iterator[None]:
    """Render with a new sandbox and an empty template cache until the block ends."""
    built_at_import = templating._ENV
    templating._ENV = templating._environment()
    templating._compile.cache_clear()
    try:
        yield
    finally:
        templating._ENV = built_at_import
        templating._compile.cache_clear()
