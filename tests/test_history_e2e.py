"""As reported and as now, end to end (issue 14, Done when), on the real loader and dbt.

September 2015 is published from the sample extract set; October from a later
extract of the same authority that adds late-recorded records dated in
September (three contacts, two CAF episodes), corrects a contact's date (moved
from September to August) and removes a September contact. The history holds
both runs' figures, the restatements mart shows September's change and the
report shows it.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from test_pipeline_support import make_settings

from cscperf.history import HistoryStore
from cscperf.pipeline import LONDON, execute_run
from cscperf.report import render_html_report

SAMPLE = Path(__file__).parent / "fixtures" / "sample_extracts"
SEP, OCT = date(2015, 9, 30), date(2015, 10, 31)
CONTACTS_PER_MONTH, CAFS_OPEN = 4, 1  # indicator codes

LATE_CONTACTS = [  # recorded after the September report, dated in September
    b"2901,1001,15/09/2015 10:00,6,15/09/2015 11:00,Y,nfa,",
    b"2902,1002,16/09/2015 10:00,6,16/09/2015 11:00,Y,nfa,",
    b"2903,1003,17/09/2015 10:00,2a,17/09/2015 11:00,Y,ADVICE,",
]
LATE_CAFS = [
    b"13901,1005,2015-09-10,,N,N,SCHOOL,Leominster,",
    b"13902,1006,2015-09-11,,N,N,SCHOOL,Leominster,",
]


def later_extract(folder: Path) -> Path:
    """The sample set as extracted a month later (bytes kept: the files are Windows-1252)."""
    shutil.copytree(SAMPLE, folder)
    contacts = folder / "contacts.csv"
    lines = contacts.read_bytes().splitlines()
    removed = [n for n in lines if n.startswith(b"2037,")]
    corrected = [n for n in lines if n.startswith(b"2019,1019,10/09/2015")]
    assert len(removed) == 1 and len(corrected) == 1
    lines = [n for n in lines if n not in removed]
    lines = [n.replace(b"10/09/2015", b"10/08/2015", 1) if n in corrected else n for n in lines]
    contacts.write_bytes(b"\n".join(lines + LATE_CONTACTS) + b"\n")
    cafs = folder / "caf_episodes.csv"
    cafs.write_bytes(cafs.read_bytes().rstrip(b"\r\n") + b"\n" + b"\n".join(LATE_CAFS) + b"\n")
    return folder


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_a_later_extract_restates_the_earlier_month_and_the_report_shows_it(tmp_path: Path):
    settings = make_settings(tmp_path)
    warehouse = settings.paths.warehouse
    today = datetime.now(LONDON).date()
    september = execute_run("monthly", SAMPLE, SEP, warehouse, settings, None, today)
    october = execute_run("monthly", later_extract(tmp_path / "later"), OCT, warehouse,
                          settings, None, today)

    # the history holds both runs' figures
    entries = HistoryStore(warehouse).entries()
    assert [(e.run_id, e.as_at, e.kind) for e in entries] == [
        (september.run_id, SEP, "published"), (october.run_id, OCT, "published")]
    assert query(warehouse, "select run_id, count(*) from marts.indicator_history "
                 "group by run_id order by min(recorded_at)") == [
        (september.run_id, 29 * 3), (october.run_id, 29 * 3)]
    # code 4 compares years (its October report shows Oct-14 and Oct-13), so September was
    # reported once, by the September run; code 1 compares months: reported by both runs
    def reported(code: int) -> dict[str, float]:
        return dict(query(warehouse, "select run_id, value from marts.indicator_history "
                          "where indicator_code = ? and period_end = ?", [code, SEP]))

    assert set(reported(CONTACTS_PER_MONTH)) == {september.run_id}
    assert set(reported(CAFS_OPEN)) == {september.run_id, october.run_id}
    now = dict(query(warehouse, "select indicator_code, value from marts.indicator_values "
                     "where period_end = ?", [SEP]))

    # the restatements mart: +3 late, -1 removed, -1 moved to August = +1 contact; +2 CAFs
    rows = {code: row for code, *row in query(
        warehouse, "select indicator_code, last_reported_value, value_now, change_since_last, "
        "is_restated, last_reported_run_id from marts.indicator_restatements "
        "where period_end = ? and indicator_code in (?, ?)", [SEP, CONTACTS_PER_MONTH, CAFS_OPEN])}
    for code, change in ((CONTACTS_PER_MONTH, 1.0), (CAFS_OPEN, 2.0)):
        assert rows[code][2:] == [change, True, september.run_id]
        assert rows[code][0] == reported(code)[september.run_id]
        assert rows[code][1] == now[code] == rows[code][0] + change

    # the report: the previous value as reported, the restatements page, the summary
    html = render_html_report(warehouse, OCT, tmp_path / "report", False, settings).read_text(
        encoding="utf-8")
    assert 'id="restatements"' in html
    page = html.split('id="restatements"', 1)[1].split("</section>", 1)[0]
    assert "Sep-15" in page and "Contacts Received Per Month" in page
    caf_page = html.split('id="indicator-1"', 1)[1].split('<section class="page', 1)[0]
    previous = caf_page.split("Previous values", 1)[1].split("</table>", 1)[0]
    assert "Sep-15" in previous and "†" in previous and "(reported" in previous
    assert "changed since it was last reported" in caf_page
    summary = html.split('id="changed-since-reported"', 1)[1].split("</p>", 1)[0]
    assert "changed since last reported" in summary
