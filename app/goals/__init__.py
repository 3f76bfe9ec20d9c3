"""The audit's goals and measures (Zielvereinbarung): Handlungsfelder, goals, measures
with their status and progress notes, the goals' indicators, the yearly report and
the CSV/XLSX transfer. No FastAPI here: the routers call these functions."""
