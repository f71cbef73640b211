"""API for organisations, bodies and memberships."""

routes: list = []
