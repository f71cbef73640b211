"""The search page: one box and a few filters; as the user types, htmx asks the same URL for
the results fragment only. Without JavaScript the form submits and the whole page answers."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from meetings import i18n
from meetings.agenda.queries import body_names
from meetings.agenda.web import viewer
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.search import asked, labels, queries
from meetings.search.queries import Results
from meetings.web.handler import Context, page


def _render(ctx: Context, status: int = 200, **values: object) -> Response:
    return ctx.render(
        "search/search.html",
        status=status,
        fragment="search/_results.html",
        page_title=_("Search"),
        bodies=body_names(ctx.db, ctx.org_id()),
        kinds=labels.KINDS,
        sorts=labels.SORTS,
        classifications=labels.CLASSIFICATIONS,
        per_page=queries.PER_PAGE,
        **values,
    )


@page()
def search_page(ctx: Context) -> Response:
    """Search what the viewer may read; bad input shows the form with the message."""
    params = ctx.request.query_params
    try:
        wanted = asked.read(params, i18n.current_timezone())
    except Refusal as refusal:
        chosen = {name: params.get(name, "") for name in params}
        errors = {refusal.field: refusal.message}
        return _render(ctx, refusal.status, chosen=chosen, errors=errors, results=None)
    results: Results | None = None
    if wanted.query:
        results = queries.search(ctx.db, viewer(ctx), wanted.query, wanted.filters, wanted.page)
    return _render(ctx, chosen=wanted.chosen, errors={}, results=results)


routes = [Route("/search", search_page, methods=["GET"])]
