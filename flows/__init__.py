"""Prefect flows and deployments of cscperf.

The flows themselves live in :mod:`cscperf.orchestration` (so ``cscperf run`` and
the schedules share one code path); this package names them and declares
their schedules. ``cscperf serve`` (:func:`flows.deployments.serve_all`)
serves both deployments against a Prefect server.
"""
