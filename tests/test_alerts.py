"""Alerts: apprise to a local json:// receiver; ids and counts only, never personal data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_pipeline_support import PERSONAL, Receiver

from cscperf import alerts
from cscperf.publish import RunRecord
from cscperf.quality import CheckResult


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def run_record(status: str = "failed", message: str = "") -> RunRecord:
    return RunRecord(
        run_id="20151102T060000-abc123", kind="monthly", as_at=date(2015, 10, 31),
        extracts_dir="/data/extracts", warehouse="/w/cscperf.duckdb",
        started_at=datetime(2015, 11, 2, 6, tzinfo=UTC), status=status,
        published=status == "published", rows_loaded={"contacts": 1204}, rows_rejected=3,
        message=message,
    )


ERROR = CheckResult("raw.contacts", "source_code in the code list", "error", False, 1204, 3,
                    ("C12", "C57", "C99"))
WARN = CheckResult("cross_file.findings", "contact_referral_missing", "warning", False, None, 2,
                   ("C5", "C8"))


def test_failure_alert_reaches_a_webhook_with_ids_and_counts_only(receiver: Receiver):
    # a loader message that quotes a record's values (the worst case)
    message = (f"landing failed: people.csv line 7: DOB '{PERSONAL[4]}' for "
               f"'{PERSONAL[0]} {PERSONAL[1]}' at {PERSONAL[2]}")
    alert = alerts.compose(run_record("failed", message), [ERROR], [WARN], "/q/index.html")
    assert alert is not None and alert.level == alerts.FAILURE
    assert alerts.send(alert, [receiver.url]) is True
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    text = f"{post['title']}\n{post['message']}"
    assert post["type"] == "failure"
    assert "FAILED, not published" in post["title"]
    assert "raw.contacts: source_code in the code list — 3 of 1,204 rows" in text
    assert "C12, C57, C99" in text and "contact_referral_missing — 2 rows" in text
    assert "people.csv line 7" in text
    for value in PERSONAL:
        assert value not in text, value


def test_warning_alert_and_no_alert_when_clean():
    assert alerts.compose(run_record("published"), [], []) is None
    alert = alerts.compose(run_record("published"), [], [WARN])
    assert alert is not None and alert.level == alerts.WARNING
    assert "1 warning(s)" in alert.title


def test_no_urls_only_logs(caplog):
    alert = alerts.compose(run_record("failed", "boom"), [], [])
    assert alerts.send(alert, []) is False
    assert "boom" in caplog.text


def test_undeliverable_alert_raises():
    alert = alerts.compose(run_record("failed", "boom"), [], [])
    with pytest.raises(alerts.AlertError):
        alerts.send(alert, ["json://127.0.0.1:9/"])  # nothing listens on port 9


def test_redact():
    text = alerts.redact("contacts.csv line 4: '01/02/2003' 2003-02-01 HR1 2AB 'Smith'")
    assert text == "contacts.csv line 4: [value] [date] [postcode] [value]"
