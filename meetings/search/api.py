"""GET /api/v1/search: the search page's results as JSON, with the same parameters and the
same rule: only what the caller may read. Bad parameters answer 422 with the reason."""

from __future__ import annotations

from starlette.routing import Route

from meetings import i18n
from meetings.agenda import web
from meetings.agenda.api import in_organisation
from meetings.search import asked, queries
from meetings.search.api_models import SearchHit, SearchPage
from meetings.search.queries import Hit
from meetings.web.api import api
from meetings.web.handler import Context


def _hit(hit: Hit) -> SearchHit:
    entry = hit.entry
    return SearchHit(
        kind=entry.kind,
        source=entry.source,
        id=entry.source_id,
        title=entry.title,
        title_html=str(hit.title),
        snippet=hit.snippet.striptags(),
        snippet_html=str(hit.snippet),
        meeting_id=entry.meeting_id,
        body_id=entry.body_id,
        classification=entry.classification or None,
        at=entry.at,
        url=hit.url,
    )


@api(
    "GET",
    "/search",
    summary='Search what you may read. Query: q (words; accents optional; "a phrase"; the '
    "last word is a prefix unless followed by a space), kind (comma-separated: meeting, "
    "document, minutes, conclusion, ballot, task), body, meeting, since and until "
    "(YYYY-MM-DD, in the organisation's calendar), classification, sort (relevance or date), "
    "page (20 a page)",
    response=SearchPage,
    tags=("search",),
)
def search(ctx: Context) -> SearchPage:
    in_organisation(ctx)
    wanted = asked.read(ctx.request.query_params, i18n.current_timezone())
    results = queries.search(ctx.db, web.viewer(ctx), wanted.query, wanted.filters, wanted.page)
    return SearchPage(
        query=wanted.text,
        page=results.page,
        has_more=results.has_more,
        hits=[_hit(hit) for hit in results.hits],
    )


routes: list[Route] = [search]
