"""The dashboard's pages. Filters live in the query string, so every view can be shared as a URL.

Jinja2 autoescaping is on for every template: article text, titles, names and every other value
from the store or the request are rendered as text, never as markup.
"""

from __future__ import annotations

import math
import urllib.parse
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lagebild import __version__
from lagebild.api import queries
from lagebild.api.routes import read_access, server
from lagebild.api.security import TOKEN_COOKIE, tokens_match
from lagebild.errors import ConfigError
from lagebild.store import Store
from lagebild.web import charts, geo
from lagebild.web.highlight import Span, segments

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"
PAGE_SIZE = 50
FILTERS = ("actor", "dyad", "directed", "code", "root", "quad", "since", "until", "status", "text", "place")
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

router = APIRouter(include_in_schema=False)
pages = APIRouter(include_in_schema=False, dependencies=[Depends(read_access)])


# -- template environment ---------------------------------------------------------------------------
def url(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """`path` with a query string of the non-empty params (changes override; None removes)."""
    merged = {**(params or {}), **changes}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "", False)]
    pairs = [(k, "1" if v is True else str(v)) for k, v in pairs]
    return path + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def path_part(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


def safe_href(value: Any) -> str | None:
    """A URL from the data, only if it is http(s): never `javascript:` or `data:`."""
    if not isinstance(value, str):
        return None
    parsed = urllib.parse.urlsplit(value.strip())
    return value.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def num(value: Any, digits: int = 1, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{float(value):{'+' if signed else ''}.{digits}f}"


def actor_label(code: Any, role: Any = None, name: Any = None) -> str:
    head = f"{code or '?'}{role or ''}"
    return f"{head} ({name})" if name else head


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(url=url, path_part=path_part, safe_href=safe_href, num=num, actor_label=actor_label,
                       quad_names=QUAD_NAMES, version=__version__)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, error: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status, title=f"{status} {error}", code=status, error=error,
                  message=message)


# -- request parameters -----------------------------------------------------------------------------
def _filters(request: Request) -> dict[str, str]:
    """The event filters of the query string, as given (for links that keep them)."""
    qp = request.query_params
    out = {}
    for key in FILTERS:
        if key == "dyad":
            values = [v for v in qp.getlist("dyad") if v.strip()]
            if values:
                out["dyad"] = ",".join(values)
        elif qp.get(key, "").strip():
            out[key] = qp.get(key, "").strip()[:200]
    return out


def _int(value: str | None, name: str, *, default: int | None = None, lo: int = 0, hi: int = 10_000_000) -> int | None:
    if value is None or value.strip() == "":
        return default
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if not lo <= n <= hi:
        raise ConfigError(f"{name} must be between {lo} and {hi}")
    return n


def _event_query(f: dict[str, str]) -> queries.EventQuery:
    return queries.event_query(
        actor=f.get("actor"), dyad=[f["dyad"]] if f.get("dyad") else None, directed=f.get("directed") in ("1", "true", "on"),
        code=f.get("code"), root=f.get("root"), quad=_int(f.get("quad"), "quad", lo=1, hi=4), since=f.get("since"),
        until=f.get("until"), status=f.get("status"), text=f.get("text"), place=f.get("place"),
    )


def _pager(page: dict[str, Any], path: str, params: dict[str, Any]) -> dict[str, Any]:
    limit, offset, total = page["limit"], page["offset"], page["total"]
    prev_url = url(path, params, offset=max(offset - limit, 0) or None) if offset > 0 else None
    next_url = url(path, params, offset=offset + limit) if offset + limit < total else None
    first = offset + 1 if total else 0
    return {"first": first, "last": min(offset + limit, total), "total": total, "prev": prev_url, "next": next_url}


def _freq(request: Request, default: str = "month") -> str:
    freq = request.query_params.get("freq", default)
    if freq not in queries.FREQUENCIES:
        raise ConfigError(f"freq must be day, week, month or year, not {freq!r}")
    return freq


def _period(start: date, end: date) -> dict[str, str]:
    return {"since": start.isoformat(), "until": end.isoformat()}


# -- pages ------------------------------------------------------------------------------------------
@pages.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    f = {k: v for k, v in _filters(request).items() if k in ("since", "until")}
    q = _event_query(f)
    freq = _freq(request)
    state = server(request)
    with state.reader() as store:
        counts = store.counts()
        recent = queries.events_page(store, q, limit=15, index=state.index)
        dyads = queries.dyads_page(store, q, directed=False, limit=12, index=state.index)
        mix = queries.period_counts(store, q, freq, index=state.index)
    chart = charts.timeline(mix, freq, with_points=False,
                            period_href=lambda a, b: url("/events", {**f, **_period(a, b)}))
    return render(request, "overview.html", title="Overview", counts=counts, recent=recent["items"],
                  dyads=dyads["items"], chart=chart, filters=f, freq=freq)


@pages.get("/events", response_class=HTMLResponse)
def events_list(request: Request) -> HTMLResponse:
    f = _filters(request)
    q = _event_query(f)
    offset = _int(request.query_params.get("offset"), "offset", default=0) or 0
    state = server(request)
    with state.reader() as store:
        page = queries.events_page(store, q, limit=PAGE_SIZE, offset=offset, index=state.index)
    return render(request, "events.html", title="Events", page=page, filters=f,
                  pager=_pager(page, "/events", f))


@pages.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    state = server(request)
    with state.reader() as store:
        ev = queries.evidence(store, event_id[:300])
        articles: dict[str, dict[str, Any]] = {}
        mentions = []
        for m in ev["mentions"]:
            mention = m["mention"]
            article_id = mention["article_id"]
            if article_id not in articles:
                articles[article_id] = _article_context(store, article_id)
            ctx = articles[article_id]
            mentions.append({
                **m,
                "sentence_segments": segments(m["sentence"], [Span(h["start"], h["end"], h["kind"], h["kind"])
                                                              for h in m["highlights"]]),
                "text_segments": segments(ctx["text"], _mention_spans(mention, m, ctx["records"])),
                "full_article": ctx["article"],
            })
    e = ev["event"]
    dyad = {"a": e.get("source_code"), "b": e.get("target_code")}
    return render(request, "event.html", title=f"Event {e['event_id'][:10]}", event=e, mentions=mentions, dyad=dyad)


def _article_context(store: Store, article_id: str) -> dict[str, Any]:
    article = queries.plain(store.article(article_id))
    return {"article": article, "text": article.get("text") or "", "records": store.records(article_id)}


def _span(rec: dict[str, Any], key: str = "span") -> tuple[int | None, int | None]:
    span = rec.get(key) or [None, None]
    return (span[0], span[1]) if len(span) == 2 else (None, None)


def _record_spans(records: dict[str, Any]) -> list[Span]:
    """Every actor, quote, time and place the coder found in an article."""
    out = []
    for rec in records.get("actors") or []:
        s, e = _span(rec)
        out.append(Span(s, e, "actor", f"actor {rec.get('code') or '?'}{rec.get('role') or ''} ({rec.get('kind')})"))
    for rec in records.get("quotes") or []:
        s, e = _span(rec)
        speaker = (rec.get("speaker") or {}).get("name") or (rec.get("speaker") or {}).get("code") or "unknown speaker"
        out.append(Span(s, e, "quote", f"{rec.get('kind') or ''} quote by {speaker}"))
    for rec in records.get("times") or []:
        s, e = _span(rec)
        out.append(Span(s, e, "time", f"date {rec.get('value')} ({rec.get('granularity')})"))
    for rec in records.get("places") or []:
        s, e = _span(rec)
        out.append(Span(s, e, "place", f"place {rec.get('name')} ({rec.get('country')})"))
    return out


def _mention_spans(mention: dict[str, Any], m: dict[str, Any], records: dict[str, Any]) -> list[Span]:
    spans = _record_spans(records)
    spans.append(Span(mention.get("sentence_start"), mention.get("sentence_end"), "sentence", "the event's sentence"))
    spans.append(Span(mention.get("trigger_start"), mention.get("trigger_end"), "trigger",
                      f"trigger '{mention.get('trigger_text')}' (rule {mention.get('rule_id')})"))
    for side in ("source", "target"):
        label = f"{side} {actor_label(mention.get(f'{side}_code'), mention.get(f'{side}_role'), mention.get(f'{side}_name'))}"
        spans.append(Span(mention.get(f"{side}_start"), mention.get(f"{side}_end"), side, label))
        spans.append(Span(mention.get(f"{side}_antecedent_start"), mention.get(f"{side}_antecedent_end"), side,
                          label + " (antecedent)"))
    spans.append(Span(mention.get("location_start"), mention.get("location_end"), "place", f"place {mention.get('location_name')}"))
    if m.get("time"):
        t = m["time"]
        spans.append(Span(t.get("start"), t.get("end"), "time", f"the event's date {t.get('value')}"))
    return spans


@pages.get("/dyad", response_class=HTMLResponse)
def dyad_page(request: Request) -> HTMLResponse:
    qp = request.query_params
    a, b = qp.get("a", "").strip()[:200], qp.get("b", "").strip()[:200]
    freq = _freq(request)
    keep = {k: v for k, v in _filters(request).items() if k in ("since", "until", "quad", "directed")}
    if not a or not b:
        state = server(request)
        with state.reader() as store:
            dyads = queries.dyads_page(store, queries.event_query(), directed=False, limit=30, index=state.index)
        return render(request, "dyad_pick.html", title="Dyads", dyads=dyads["items"], a=a, b=b)
    base = {"a": a, "b": b, "freq": freq, **keep}
    q = queries.event_query(dyad=[a, b], directed=keep.get("directed") in ("1", "true", "on"),
                            since=keep.get("since"), until=keep.get("until"),
                            quad=_int(keep.get("quad"), "quad", lo=1, hi=4))
    offset = _int(qp.get("offset"), "offset", default=0) or 0
    state = server(request)
    with state.reader() as store:
        rows = queries.period_counts(store, q, freq, index=state.index)
        points = queries.chart_events(store, q, freq, index=state.index)
        page = queries.events_page(store, q, limit=PAGE_SIZE, offset=offset, index=state.index)
    chart = charts.timeline(
        rows, freq, events=points,
        period_href=lambda s, e: url("/dyad", {**base, **_period(s, e)}) + "#events",
        event_href=lambda event_id: "/events/" + path_part(event_id),
    )
    return render(request, "dyad.html", title=f"{a} – {b}", a=a, b=b, freq=freq, filters=keep, base=base,
                  chart=chart, page=page, pager=_pager(page, "/dyad", base), shown_points=len(points))


@pages.get("/actors", response_class=HTMLResponse)
def actors_list(request: Request) -> HTMLResponse:
    offset = _int(request.query_params.get("offset"), "offset", default=0) or 0
    state = server(request)
    with state.reader() as store:
        page = queries.actors_page(store, limit=PAGE_SIZE, offset=offset)
    return render(request, "actors.html", title="Actors", page=page, pager=_pager(page, "/actors", {}))


@pages.get("/actors/{actor}", response_class=HTMLResponse)
def actor_page(request: Request, actor: str) -> HTMLResponse:
    actor = actor.strip()[:200]
    q = queries.event_query(actor=actor)
    state = server(request)
    with state.reader() as store:
        detail = queries.actor_detail(store, actor)
        recent = queries.events_page(store, q, limit=20, index=state.index)
        quotes = queries.quotes_page(store, speaker=actor, limit=30)
    return render(request, "actor.html", title=f"Actor {actor}", actor=actor, detail=detail, recent=recent,
                  quotes=quotes)


@pages.get("/articles", response_class=HTMLResponse)
def articles_list(request: Request) -> HTMLResponse:
    offset = _int(request.query_params.get("offset"), "offset", default=0) or 0
    state = server(request)
    with state.reader() as store:
        page = queries.articles_page(store, limit=PAGE_SIZE, offset=offset)
    return render(request, "articles.html", title="Articles", page=page, pager=_pager(page, "/articles", {}))


@pages.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    state = server(request)
    with state.reader() as store:
        detail = queries.article_detail(store, article_id[:64])
    spans = _record_spans(detail["records"])
    for m in detail["mentions"]:
        spans.append(Span(m.get("trigger_start"), m.get("trigger_end"), "trigger",
                          f"trigger '{m.get('trigger_text')}': CAMEO {m.get('code')} (rule {m.get('rule_id')})"))
    article = detail["article"]
    return render(request, "article.html", title=article.get("title") or "Article", article=article,
                  mentions=detail["mentions"], text_segments=segments(article.get("text") or "", spans))


@pages.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    f = _filters(request)
    q = _event_query(f)
    limit = _int(request.query_params.get("limit"), "limit", default=40, lo=1, hi=300) or 40
    state = server(request)
    with state.reader() as store:
        net = queries.network(store, q, limit=limit, index=state.index)
    layout = _circle_layout(net)
    return render(request, "network.html", title="Network", net=net, layout=layout, filters=f, limit=limit)


def _circle_layout(net: dict[str, Any], width: int = 960, height: int = 640) -> dict[str, Any]:
    nodes = net["nodes"]
    peak_n = max((n["events"] for n in nodes), default=1) or 1
    peak_e = max((e["events"] for e in net["edges"]), default=1) or 1
    cx, cy, radius = width / 2, height / 2, min(width, height) / 2 - 60
    pos = {}
    placed = []
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        x, y = round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)
        pos[node["id"]] = (x, y)
        placed.append({**node, "x": x, "y": y, "r": round(6 + 14 * math.sqrt(node["events"] / peak_n), 1)})
    edges = []
    for e in net["edges"]:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        g = e.get("mean_goldstein")
        tone = "mixed" if g is None or abs(g) < 0.5 else ("coop" if g > 0 else "conflict")
        edges.append({**e, "x1": x1, "y1": y1, "x2": x2, "y2": y2, "tone": tone,
                      "w": round(1 + 6 * e["events"] / peak_e, 1)})
    return {"width": width, "height": height, "nodes": placed, "edges": edges}


@pages.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    f = _filters(request)
    q = _event_query(f)
    state = server(request)
    with state.reader() as store:
        points = queries.event_places(store, q, index=state.index)
        named = queries.places_page(store, limit=1000)["items"]
    event_markers = geo.markers(points, href=lambda r: url("/events", {**f, "place": r.get("name")}))
    named_markers = geo.markers(named, count_key="mentions", css="named",
                                href=lambda r: url("/events", {"place": r.get("name")}))
    return render(request, "map.html", title="Map", countries=geo.world(), graticule=geo.graticule(),
                  event_markers=event_markers, named_markers=named_markers, points=points, filters=f)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p.get("name"), "where": p.get("in"), "required": p.get("required", False),
                       "type": _schema_type(p.get("schema") or {}), "description": p.get("description") or ""}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "",
                              "params": params, "body": "requestBody" in op})
    return render(request, "api_docs.html", title="API", endpoints=endpoints, spec=spec)


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list[{_schema_type(schema.get('items') or {})}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return str(schema.get("type", "any"))


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", title="Token", failed=False)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Keep the token in an HttpOnly cookie for protected reads (the form posts it; no URL carries it)."""
    form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    if not tokens_match(token, server(request).token):
        return render(request, "login.html", status=401, title="Token", failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


router.include_router(pages)
