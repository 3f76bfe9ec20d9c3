"""The districts: /bezirke with its twins, and /bezirke/{slug}."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.catalogue import districts
from app.deps import SessionDep, TilesDep
from app.formats import districts as district_formats
from app.formats.offers import dumps
from app.maps import svg as mapsvg
from app.search.filters import Filters
from app.search.query import search_offers
from app.search.result import offers_by_category
from app.web.openapi import HTML, HTML_NOT_FOUND, file_response, geojson_response
from app.web.render import render

router = APIRouter()

Slug = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9-]+$")]


def _district_url(request: Request):  # noqa: ANN202
    return lambda slug: str(request.app.url_path_for("district", slug=slug))


@router.get("/bezirke", response_class=HTMLResponse, name="districts", responses=HTML)
def districts_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "pages/districts.html",
        {
            "overview": districts.district_overview(session),
            "map": mapsvg.districts_map(session),
        },
    )


@router.get("/bezirke.json", name="districts_json")
def districts_json(session: SessionDep) -> Response:
    return JSONResponse(district_formats.to_json(districts.district_overview(session)))


@router.get(
    "/bezirke.csv",
    name="districts_csv",
    responses=file_response("text/csv", "The districts as CSV"),
)
def districts_csv(session: SessionDep) -> Response:
    return Response(
        district_formats.to_csv(districts.district_overview(session)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="bezirke.csv"'},
    )


@router.get(
    "/bezirke.geojson",
    name="districts_geojson",
    responses=geojson_response("The districts' boundaries with their counts"),
)
def districts_geojson(request: Request, session: SessionDep) -> Response:
    data = district_formats.to_geojson(districts.district_overview(session), _district_url(request))
    return Response(dumps(data), media_type="application/geo+json")


@router.get(
    "/bezirke/{slug}",
    response_class=HTMLResponse,
    name="district",
    responses={**HTML, **HTML_NOT_FOUND},
)
def district_page(
    request: Request, slug: Slug, session: SessionDep, tiles: TilesDep
) -> HTMLResponse:
    overview = districts.district_overview(session)
    district = overview.get(slug)
    if district is None:
        return render(
            request,
            "pages/districts.html",
            {
                "overview": overview,
                "missing": slug,
            },
            status_code=404,
        )
    result = search_offers(session, Filters(bezirk=slug), page_size=None)
    return render(
        request,
        "pages/district.html",
        {
            "district": district,
            "children": [d for d in overview.districts if d.parent == slug],
            "result": result,
            "groups": offers_by_category(result.hits),
            "map": mapsvg.search_map(session, result, current=slug),
            "filters": result.filters,
            "tiles": tiles,
        },
    )
