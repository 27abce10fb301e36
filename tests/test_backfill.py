"""``cscperf backfill`` (issue 14): one landing, one dbt invocation, the compiled SQL per month.

Its figures must equal what a separate run (land + ``dbt build``) as at each
month end reports: checked for three month ends of the sample set.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from test_pipeline_support import make_settings

from cscperf import pipeline
from cscperf.backfill import BackfillError, backfill, month_ends
from cscperf.history import HistoryStore, reported_figures

SAMPLE = Path(__file__).parent / "fixtures" / "sample_extracts"
# the first and last month of the back-fill, each against a build of its own (the last
# entry's figures cover the two months before it too)
CHECKED = (date(2015, 6, 30), date(2015, 10, 31))


def test_month_ends_span_the_months_inclusive():
    assert month_ends(date(2014, 11, 1), date(2015, 2, 1)) == [
        date(2014, 11, 30), date(2014, 12, 31), date(2015, 1, 31), date(2015, 2, 28)]
    with pytest.raises(BackfillError):
        month_ends(date(2015, 2, 1), date(2014, 11, 1))


@pytest.mark.slow
def test_backfill_equals_separate_runs_as_at_each_month_end(tmp_path: Path):
    settings = make_settings(tmp_path)
    warehouse = settings.paths.warehouse
    result = backfill(SAMPLE, date(2015, 6, 1), date(2015, 10, 1), warehouse, settings)
    entries = {e.as_at: e for e in HistoryStore(warehouse).entries()}
    assert sorted(entries) == month_ends(date(2015, 6, 1), date(2015, 10, 1))
    assert {e.kind for e in entries.values()} == {"backfill"}
    assert all(e.report_period_end == e.as_at for e in entries.values())
    # only the store was written: no warehouse, no build file, no dbt target left
    assert not warehouse.exists()
    restricted = settings.paths.restricted_for(warehouse)
    assert list(restricted.iterdir()) == []
    assert result.seconds > 0

    differing = 0
    for as_at in CHECKED:
        building = tmp_path / f"run-{as_at:%Y%m}.duckdb"
        pipeline.land_extracts(SAMPLE, building, settings)
        pipeline.build_marts(building, settings, as_at)
        con = duckdb.connect(str(building), read_only=True)
        try:
            separate = reported_figures(con, as_at)
        finally:
            con.close()
        assert len(separate) == 29 * 3
        assert sum(f.value is not None for f in separate) > 29  # not an empty comparison
        assert entries[as_at].figures == separate, as_at
        differing += entries[as_at].figures != entries[CHECKED[0]].figures
    # the months differ from one another: the comparison has material
    assert differing == len(CHECKED) - 1


def test_the_command_fails_in_one_line(tmp_path: Path):
    from click.testing import CliRunner

    from cscperf.cli import cli

    args = ["backfill", "--extracts", str(tmp_path / "missing"), "--from", "2015-01",
            "--to", "2015-03", "--warehouse", str(tmp_path / "w" / "cscperf.duckdb")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith("missing does not exist")
    assert not HistoryStore(tmp_path / "w" / "cscperf.duckdb").folder.exists()
    bad_month = CliRunner().invoke(cli, [*args[:4], "2015-13", *args[5:]])
    assert bad_month.exit_code == 2 and "YYYY-MM" in bad_month.output
