"""The ``herefordshire-2015`` profile: record-by-record journeys calibrated so the
spec's indicators reproduce the October 2015 report (see ``profile``)."""
