"""The wheel ships the rule packs and data, and they load from an installed
package (not only from this source checkout)."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_contains_packs_and_loads_them(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("health_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "health_lint/data/syllables.txt" in names
    yaml_packs = [n for n in names if n.startswith("health_lint/packs/") and n.endswith(".yaml")]
    source_packs = list((ROOT / "rules").rglob("*.yaml"))
    assert len(yaml_packs) == len(source_packs) > 0

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import health_lint, health_lint.packs as p; "
            "print(health_lint.__file__); print(p.builtin_dir()); print(len(p.load().packs))")
    # PYTHONPATH comes before the editable install of the checkout.
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(site)})
    assert proc.returncode == 0, proc.stderr
    module_file, packs_dir, count = proc.stdout.split()
    assert module_file.startswith(str(site))
    assert packs_dir == str(site / "health_lint" / "packs")
    from health_lint import packs

    assert int(count) == len(packs.load().packs)
