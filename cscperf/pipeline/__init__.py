"""One run of cscperf: land -> validate -> build -> validate -> publish -> report -> alert.

:func:`execute_run` is the body of every run. It calls its steps through a
:class:`Steps` object: :class:`PlainSteps` calls what a :class:`StepFunctions`
holds directly (``cscperf run`` with no Prefect server configured: no temporary
server, no Prefect import); ``cscperf.orchestration.PrefectSteps`` calls them
as Prefect tasks inside the ``monthly_report`` / ``nightly_refresh`` flows (the
schedules, and ``cscperf run`` when ``PREFECT_API_URL`` points at a server, so
that a manual run appears in Prefect's UI). Each run:

1. sets the umask (``security.umask``) and takes the warehouse lock (waits up
   to ``publish.lock_timeout_seconds``); sweeps what a killed run left;
2. lands the extracts into a *new* build file in the restricted folder (0700),
   retried on OSError (a file still being written or a share not yet mounted),
   never on bad data;
3. validates the raw tables and the cross-file findings (GE);
4. builds the dbt project in the build file;
5. validates the marts (GE);
6. publishes: writes a new analyst file holding only the ``marts`` and
   ``reference`` schemas, the run history and the check results, and swaps it
   in with one ``os.replace`` -- only when no error-severity check failed; the
   build file (personal data) is then deleted or kept in the restricted folder;
7. monthly: renders the report from the published warehouse;
8. alerts: one message on failure, one on warnings.

The package, one concern a module: :mod:`~cscperf.pipeline.run` (the run),
:mod:`~cscperf.pipeline.steps` (the steps and what they call),
:mod:`~cscperf.pipeline.errors` (failures as one redacted line),
:mod:`~cscperf.pipeline.events` (the step-end log records),
:mod:`~cscperf.pipeline.paths` (build and analyst files, run ids),
:mod:`~cscperf.pipeline.clock` (time zone and today),
:mod:`~cscperf.pipeline.orchestrator` (direct or Prefect). Calendar questions are
:mod:`cscperf.calendar`'s.

A failure at any step leaves the published warehouse byte for byte as it was,
and raises PipelineError with a one-line message that names files, lines,
columns and checks but never a record's value.
"""

from cscperf.pipeline.clock import LONDON, TIMEZONE, london_today
from cscperf.pipeline.errors import PipelineError, failure_message, guarded, one_line
from cscperf.pipeline.orchestrator import prefect_server_configured, run_pipeline
from cscperf.pipeline.paths import build_path_for, new_run_id, prepare_files, publish_path_for
from cscperf.pipeline.run import RunResult, execute_run
from cscperf.pipeline.steps import (
    LAND_RETRY_DELAYS,
    LoadResultLike,
    PlainSteps,
    StepFunctions,
    Steps,
    build_marts,
    current_step_functions,
    land_extracts,
    land_step,
    render,
    using_step_functions,
)

__all__ = [
    "LAND_RETRY_DELAYS",
    "LONDON",
    "TIMEZONE",
    "LoadResultLike",
    "PipelineError",
    "PlainSteps",
    "RunResult",
    "StepFunctions",
    "Steps",
    "build_marts",
    "build_path_for",
    "current_step_functions",
    "execute_run",
    "failure_message",
    "guarded",
    "land_extracts",
    "land_step",
    "london_today",
    "new_run_id",
    "one_line",
    "prefect_server_configured",
    "prepare_files",
    "publish_path_for",
    "render",
    "run_pipeline",
    "using_step_functions",
]
