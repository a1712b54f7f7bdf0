import pytest


@pytest.fixture(autouse=True)
def _no_engine_layers():
    """The maps app's tests prove the mechanism with providers of their own: the layers the
    engines register at start-up (hazards') are set aside while they run, and put back."""
    from anwen.maps import marks

    kept = dict(marks._LAYERS)
    marks._LAYERS.clear()
    yield
    marks._LAYERS.clear()
    marks._LAYERS.update(kept)
