"""Districts with their residents, as the set-up loads them, for the planning tests."""

import pytest

from app.importer.planning import load_planning_inputs
from app.planning.coverage import clear_cache
from tests.factories import add_districts


@pytest.fixture
def planned(session, data_dir):
    """The real Stadtbezirke, residents (2018), city age groups and press figures."""
    add_districts(session, data_dir)
    load_planning_inputs(session, data_dir)
    session.commit()
    clear_cache()
    return session
