import pytest


@pytest.fixture
def library(world):
    """The bureau's duty library, loaded from the standard lists."""
    from anwen.duties.services import duty_library_load

    duty_library_load(owner=world.B1)
    return world.B1
