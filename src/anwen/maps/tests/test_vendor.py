"""The vendored ECharts is the file its manifest names (version, checksum, source), with its
licence and notice beside it; the map page loads that file from the project itself."""

import hashlib
import json

from anwen.maps.views import VENDOR, echarts_static


def test_the_vendored_echarts_matches_its_manifest():
    manifest = json.loads((VENDOR / "manifest.json").read_text())
    script = VENDOR / manifest["file"]
    assert manifest["file"] == f"echarts-{manifest['version']}.min.js"
    assert hashlib.sha256(script.read_bytes()).hexdigest() == manifest["sha256"]
    assert manifest["source"].startswith("https://registry.npmjs.org/echarts/-/")
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    assert "Apache ECharts" in (VENDOR / "NOTICE").read_text()
    assert echarts_static() == f"vendor/echarts/{manifest['file']}"
    # The file is ECharts itself, minified, not an error page saved by a failed download.
    assert script.stat().st_size > 500_000
    assert manifest["version"] in script.read_text(errors="replace")[:200_000]
