"""Synthetic Frameworki extract sets.

Profiles:

- ``herefordshire-2015``: the demo set, as at 2015-10-31, calibrated so the
  indicators computed by the spec's definitions reproduce every figure of the
  published October 2015 report (``herefordshire_2015.yml``), for any seed.
- ``scale``: the same kinds of journeys at any size, for benchmarks (not
  calibrated). ``children`` is a multiple of Herefordshire's volumes (1 is
  about 6,000 contacts a year); ``years`` of history (default 5).

See docs/generator.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("cscperf.generator")

PROFILES = ("herefordshire-2015", "scale")


def generate(
    profile: str,
    out_dir: Path,
    seed: int = 2015,
    children: int | None = None,
    years: int | None = None,
) -> str:
    """Write the 13 extract CSV files of ``profile`` into ``out_dir``; return a summary line."""
    out_dir = Path(out_dir)
    if profile == "herefordshire-2015":
        if children is not None or years is not None:
            log.warning("--children and --years apply to the scale profile only; ignored")
        from .demo.profile import generate as demo_generate

        summary = demo_generate(out_dir, seed)
    elif profile == "scale":
        from .scale.profile import generate as scale_generate

        summary = scale_generate(out_dir, seed, children or 1, years or 5)
    else:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    log.info(summary)
    return summary


__all__ = ["PROFILES", "generate"]
