"""Administration pages for people, bodies and memberships."""

routes: list = []
