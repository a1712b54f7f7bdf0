import pytest


@pytest.fixture(autouse=True)
def _no_engine_layers():
    """The maps app's tests prove the mechanism with providers of their own: the layers and
    overlays the engines register at start-up (hazards', waters') are set aside while they
    run, and put back."""
    from anwen.maps import marks, overlays

    kept = dict(marks._LAYERS)
    kept_overlays = dict(overlays._OVERLAYS)
    marks._LAYERS.clear()
    overlays._OVERLAYS.clear()
    yield
    marks._LAYERS.clear()
    marks._LAYERS.update(kept)
    overlays._OVERLAYS.clear()
    overlays._OVERLAYS.update(kept_overlays)
