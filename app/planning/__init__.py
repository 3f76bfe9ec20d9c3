"""The planning view: coverage per district for the audit's analysis phase.

Plain domain code (no FastAPI): residents per age group (``population``), a grid
that spreads them over each district (``grid``), walking reach (``reach``), the
accessibility index (``fca``), the gap ranking (``ranking``), published figures
(``indicators``), the schools' social index (``schools``), finer district levels
(``levels``), and the cached coverage table behind every page and export
(``coverage``, ``table``). Everything metric is in EPSG:25832.
"""
