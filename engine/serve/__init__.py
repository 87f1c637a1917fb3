"""`procedura serve`: a JSON API over the library for a live session.

The chair records actions and issues each delegation a token; delegations cast their
ballots; anyone reads the cases and follows the log as it grows. The app is built by
`create_app`; docs/serve.md describes every route.

    from engine.serve import create_app
    app = create_app("session.db", chair_token="...")   # any ASGI server runs it

This package imports Starlette; nothing in engine.procedure or engine.app imports it.
"""

from engine.serve.app import create_app

__all__ = ["create_app"]
