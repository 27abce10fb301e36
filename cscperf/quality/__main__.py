"""``python -m cscperf.quality``: rewrite expectations/raw/*.json from the contract."""

from cscperf.quality.suites import write_raw_suites
from cscperf.settings import PROJECT_DIR

for written in write_raw_suites():
    print(written.relative_to(PROJECT_DIR))
