"""The real districts and planning inputs, as the set-up loads them."""

import pytest

from tests.factories import add_planning_inputs


@pytest.fixture
def planned(session, data_dir):
    add_planning_inputs(session, data_dir)
    return session
