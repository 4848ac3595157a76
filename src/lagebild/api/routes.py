"""The JSON API under /api. Reads borrow a Store from the pool; writes go through the one Writer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import JSONResponse

from lagebild import __version__
from lagebild.api import queries
from lagebild.api.models import (
    ActorDetail,
    ArticleBatch,
    ArticleIn,
    BatchOutcome,
    ErrorBody,
    Evidence,
    Health,
    IngestOutcome,
    Page,
    Timeline,
)
from lagebild.api.security import check_token, presented_token
from lagebild.api.state import ServerState, refuse_single

MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000


def server(request: Request) -> ServerState:
    return request.app.state.lagebild


def read_access(request: Request) -> None:
    """Reads are open unless the server protects them (non-loopback host or LAGEBILD_PROTECT_READS)."""
    state = server(request)
    if state.settings.reads_protected:
        check_token(presented_token(request.headers, request.cookies), state.token, what="reading")


def write_access(request: Request) -> None:
    """Writes always need the token, in a header (never a cookie)."""
    check_token(presented_token(request.headers), server(request).token, what="writing")


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in ((400, "Bad parameter"), (401, "Token missing or wrong"), (404, "Not found"),
                       (413, "Body too large"), (422, "Invalid body"), (500, "Server error"))
}

router = APIRouter(prefix="/api", dependencies=[Depends(read_access)], responses=_ERRORS)
write_router = APIRouter(prefix="/api", dependencies=[Depends(write_access)], responses=_ERRORS)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Freq = Annotated[Literal["day", "week", "month", "year"], Query(description="Period of the timeline.")]
Short = Annotated[str | None, Query(max_length=200)]
DateParam = Annotated[str | None, Query(max_length=32, description="YYYY-MM-DD, YYYY-MM or YYYY.")]


class EventParams:
    """The event filters of the CLI (`lagebild events`), as query parameters."""

    def __init__(
        self,
        actor: Annotated[str | None, Query(max_length=200, description="Code (RUS, RUSGOV), lexicon id or id name (putin); source or target.")] = None,
        dyad: Annotated[list[str] | None, Query(max_length=200, description="Two actors: dyad=USA,IRN or dyad=USA&dyad=IRN.")] = None,
        directed: Annotated[bool, Query(description="With dyad: the first actor is the source.")] = False,
        code: Annotated[str | None, Query(max_length=8, description="CAMEO code or its start (04, 042).")] = None,
        root: Annotated[str | None, Query(max_length=2, description="CAMEO root (01-20).")] = None,
        quad: Annotated[int | None, Query(ge=1, le=4, description="Quad class 1-4.")] = None,
        since: DateParam = None,
        until: DateParam = None,
        status: Annotated[str | None, Query(max_length=200, description="asserted, claimed, planned, negated, failed, hypothetical (comma-separated).")] = None,
        text: Annotated[str | None, Query(max_length=200, description="A word or phrase in a mention's sentence.")] = None,
        place: Annotated[str | None, Query(max_length=200, description="Name of the event's place.")] = None,
    ) -> None:
        self.query = queries.event_query(actor=actor, dyad=dyad, directed=directed, code=code, root=root, quad=quad,
                                         since=since, until=until, status=status, text=text, place=place)


def _json(content: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code)


@router.get("/health", response_model=Health, summary="Server status and table counts")
def health(request: Request) -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        counts = queries.counts(store)
    return _json({"status": "ok", "version": __version__, "db": str(state.settings.db), "counts": counts,
                  "reads_protected": state.settings.reads_protected})


@router.get("/events", response_model=Page, summary="Aggregated events, newest first, filtered and paginated")
def events(request: Request, params: Annotated[EventParams, Depends()], limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        return _json(queries.events_page(store, params.query, limit=limit, offset=offset, index=state.index))


@router.get("/events/{event_id}", response_model=Evidence, summary="One event with the evidence of every mention")
def event(request: Request, event_id: Annotated[str, Path(max_length=300, description="Event id, its first characters, or a mention id.")]) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.evidence(store, event_id))


@router.get("/dyads", response_model=Page, summary="Top actor pairs by number of events")
def dyads(request: Request, params: Annotated[EventParams, Depends()], directed: bool = True, limit: Limit = 20, offset: Offset = 0) -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        return _json(queries.dyads_page(store, params.query, directed=directed, limit=limit, offset=offset, index=state.index))


@router.get("/dyads/{a}/{b}/timeline", response_model=Timeline, summary="A dyad's events per day, week, month or year")
def timeline(
    request: Request,
    a: Annotated[str, Path(max_length=200)],
    b: Annotated[str, Path(max_length=200)],
    freq: Freq = "month",
    directed: bool = False,
    since: DateParam = None,
    until: DateParam = None,
    quad: Annotated[int | None, Query(ge=1, le=4)] = None,
) -> JSONResponse:
    q = queries.event_query(dyad=[a, b], directed=directed, since=since, until=until, quad=quad)
    state = server(request)
    with state.reader() as store:
        points = queries.period_counts(store, q, freq, index=state.index)
    return _json({"a": a, "b": b, "freq": freq, "directed": directed, "points": points})


@router.get("/quad-mix", summary="All (filtered) events per period, counted per quad class")
def quad_mix(request: Request, params: Annotated[EventParams, Depends()], freq: Freq = "month") -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        return _json({"freq": freq, "points": queries.period_counts(store, params.query, freq, index=state.index)})


@router.get("/actors", response_model=Page, summary="Actors by number of mentions")
def actors(request: Request, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.actors_page(store, limit=limit, offset=offset))


@router.get("/actors/{actor}", response_model=ActorDetail, summary="An actor's names and partners")
def actor(request: Request, actor: Annotated[str, Path(max_length=200)], partners: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.actor_detail(store, actor, partners=partners))


@router.get("/network", summary="Actor network: the strongest undirected pairs and their actors")
def network(request: Request, params: Annotated[EventParams, Depends()], limit: Annotated[int, Query(ge=1, le=500)] = 60) -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        return _json(queries.network(store, params.query, limit=limit, index=state.index))


@router.get("/articles", response_model=Page, summary="Stored articles, newest first (without text)")
def articles(request: Request, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.articles_page(store, limit=limit, offset=offset))


@router.get("/articles/{article_id}", summary="One article with its text, event mentions and coder records")
def article(request: Request, article_id: Annotated[str, Path(max_length=64)]) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.plain(queries.article_detail(store, article_id)))


@router.get("/quotes", response_model=Page, summary="Quotes, optionally by speaker")
def quotes(request: Request, speaker: Short = None, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.quotes_page(store, speaker=speaker, limit=limit, offset=offset))


@router.get("/places", response_model=Page, summary="Places named in articles, with their events")
def places(request: Request, limit: Limit = 100, offset: Offset = 0) -> JSONResponse:
    with server(request).reader() as store:
        return _json(queries.places_page(store, limit=limit, offset=offset))


@router.get("/event-places", summary="Where the filtered events happened (map points)")
def event_places(request: Request, params: Annotated[EventParams, Depends()], limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> JSONResponse:
    state = server(request)
    with state.reader() as store:
        return _json({"items": queries.event_places(store, params.query, limit=limit, index=state.index)})


@write_router.post(
    "/articles",
    status_code=status.HTTP_201_CREATED,
    response_model=IngestOutcome | BatchOutcome,
    summary="Code and store one article, or a batch {\"articles\": [...]} (needs the token)",
)
def post_articles(request: Request, body: ArticleIn | ArticleBatch) -> JSONResponse:
    writer = server(request).writer
    if isinstance(body, ArticleBatch):
        results = writer.ingest(body.articles)
        tally = {s: sum(r.status == s for r in results) for s in ("stored", "skipped", "failed")}
        return _json({"results": [r.model_dump() for r in results], **tally}, status.HTTP_200_OK)
    outcome = writer.ingest([body])[0]
    refuse_single(outcome)
    code = status.HTTP_201_CREATED if outcome.status == "stored" else status.HTTP_200_OK
    return _json(outcome.model_dump(), code)
