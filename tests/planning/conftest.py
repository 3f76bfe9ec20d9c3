"""Districts with their residents, as the set-up loads them, for the planning tests."""

import pytest

from tests.factories import add_planning_inputs


@pytest.fixture
def planned(session, data_dir):
    """The real Stadtbezirke, residents (2018), city age groups and press figures."""
    add_planning_inputs(session, data_dir)
    return session
