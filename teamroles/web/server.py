"""What `app.py` gives `st.App`: the app's own routes, its middleware and its lifespan.

Streamlit 1.67 serves through Starlette; `streamlit run app.py` finds the module-level
`app = st.App(...)` and serves these beside Streamlit's own routes. Nothing here imports
Streamlit: the routes and middleware are plain ASGI, testable with Starlette's client.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from teamroles.web import compress


def routes() -> list:
    """The app's own routes (none may clash with Streamlit's reserved prefixes): the
    room's push route, `GET /rooms/{code}/changes` (teamroles/web/routes.py)."""
    from teamroles.web import routes as room_routes

    return room_routes.routes()


def middleware() -> list:
    """Middleware run before Streamlit's own, on every request."""
    return [*compress.middleware()]


@contextlib.asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Started once per server process, before the first request; stopped at shutdown:
    the room's push broker (and on PostgreSQL its listening connection)."""
    from teamroles.web import routes as room_routes

    async with room_routes.push():
        yield None
