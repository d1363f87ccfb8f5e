"""Model artefacts shipped with factcheck: the manifest, calibrated thresholds, trained models.

Installed as the package ``factcheck.models`` so the files travel with the code.
"""

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
