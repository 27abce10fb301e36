"""The ``cscperf`` command line.

Each command parses its options and hands over to the module that does the
work; heavy imports happen inside the commands so ``cscperf --help`` is quick.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from cscperf.logs import configure_logging
from cscperf.settings import get_settings


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(str(value), "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


DATE = DateParam()


def _fail(message: str) -> None:
    click.echo(f"cscperf: error: {message}", err=True)
    sys.exit(1)


@click.group()
@click.option("-v", "--verbose", is_flag=True,
              help="Show every log message (dbt's and Great Expectations' too) on stderr.")
@click.version_option(package_name="cscperf")
def cli(verbose: bool) -> None:
    """Children's social care performance reporting from Frameworki extracts."""
    configure_logging(verbose)
    from cscperf.security import apply_umask

    apply_umask(get_settings().security.umask)  # before any command writes a file


@cli.command()
@click.option("--extracts", "extracts_dir", type=click.Path(path_type=Path), required=True,
              help="Folder holding the 13 extract CSV files.")
@click.option("--as-at", "as_at", type=DATE, required=True, help="The extraction (as-at) date.")
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="Published DuckDB warehouse (default: paths.warehouse setting).")
@click.option("--report-out", type=click.Path(path_type=Path), default=None,
              help="Also render the monthly report into this folder.")
@click.option("--nightly", is_flag=True,
              help="Run the nightly flow (as at --as-at): also write the work-due lists.")
def run(extracts_dir: Path, as_at: date, warehouse: Path | None, report_out: Path | None,
        nightly: bool) -> None:
    """Land the extracts, build and check the marts, publish the warehouse."""
    from cscperf.logs import attach_run_log, detach, finish_console
    from cscperf.pipeline import PipelineError, run_pipeline

    if nightly and report_out is not None:
        _fail("--report-out does not apply to --nightly (the nightly run renders no report)")
    settings = get_settings()
    run_log = attach_run_log(settings.paths.logs)
    try:
        result = run_pipeline(
            extracts_dir=extracts_dir,
            as_at=as_at,
            warehouse=warehouse or settings.paths.warehouse,
            settings=settings,
            report_dir=report_out,
            nightly=nightly,
        )
    except PipelineError as exc:
        finish_console()
        detach(run_log)
        click.echo(f"log: {run_log.path}", err=True)
        _fail(str(exc))
    finish_console()
    detach(run_log)
    click.echo(run_summary(result, run_log.path))


def run_summary(result: Any, log_path: Path) -> str:
    """What a run did, then where its outputs are (the warehouse last)."""
    loaded = sum(result.rows_loaded.values())
    lines = [
        f"published as at {result.as_at.isoformat()}: {loaded:,} rows loaded, "
        f"{result.rows_rejected:,} rejected; {result.warnings} data-quality warning(s) "
        f"(run {result.run_id})",
        f"log:       {log_path}",
    ]
    lines += [f"report:    {Path(p).resolve()}" for p in result.report_paths]
    if result.work_lists:
        lines.append(f"work lists: {result.work_lists[0].parent.resolve()} "
                     f"({len(result.work_lists)} files)")
    if result.quality_docs is not None:
        lines.append(f"quality:   {result.quality_docs}")
    lines.append(f"warehouse: {result.warehouse}")
    return "\n".join(lines)


@cli.command()
@click.option("--profile", type=click.Choice(["herefordshire-2015", "scale"]), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True)
@click.option("--seed", type=int, default=2015, show_default=True)
@click.option("--children", type=int, default=None,
              help="scale profile: size as a multiple of children (see README).")
@click.option("--years", type=int, default=None, help="scale profile: years of history.")
def generate(profile: str, out_dir: Path, seed: int, children: int | None,
             years: int | None) -> None:
    """Write a synthetic Frameworki extract set."""
    from cscperf.generator import generate as do_generate

    summary = do_generate(profile=profile, out_dir=out_dir, seed=seed,
                          children=children, years=years)
    click.echo(summary)


@cli.command()
@click.option("--as-at", "as_at", type=DATE, required=True)
@click.option("--warehouse", type=click.Path(path_type=Path), default=None)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True)
@click.option("--publish", is_flag=True,
              help="External audience: suppress counts of 1-4 and what derives from them.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "xlsx", "all"]),
              default="all", show_default=True,
              help="Which file to write: report.html, report.pdf, report.xlsx, or all three.")
def report(as_at: date, warehouse: Path | None, out_dir: Path, publish: bool,
           fmt: str) -> None:
    """Render the monthly performance report (HTML, PDF and an Excel workbook)."""
    from cscperf.report import FORMATS, ReportError, render_report

    settings = get_settings()
    try:
        paths = render_report(
            warehouse=warehouse or settings.paths.warehouse,
            as_at=as_at,
            out_dir=out_dir,
            publish=publish,
            settings=settings,
            formats=FORMATS if fmt == "all" else (fmt,),
        )
    except ReportError as exc:
        _fail(str(exc))
    for path in paths:
        click.echo(str(path))


@cli.command()
@click.option("--as-at", "as_at", type=DATE, default=date(2015, 10, 31), show_default=True)
@click.option("--warehouse", type=click.Path(path_type=Path), default=None)
@click.option("--full", is_flag=True, help="Print every figure, not only the counts and "
              "the figures that differ.")
def reproduce(as_at: date, warehouse: Path | None, full: bool) -> None:
    """Compare the warehouse with the published October 2015 figures."""
    from cscperf.reproduce import compare, format_summary, format_table

    settings = get_settings()
    rows = compare(warehouse or settings.paths.warehouse, as_at)
    click.echo(format_table(rows) if full else format_summary(rows, as_at))
    if any(r.status == "DIFFERENT" for r in rows):
        sys.exit(1)


class MonthParam(click.ParamType):  # issue 14: cscperf backfill
    name = "YYYY-MM"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(str(value), "%Y-%m").date()
        except ValueError:
            self.fail(f"{value!r} is not a month in the form YYYY-MM", param, ctx)


@cli.command()  # issue 14
@click.option("--extracts", "extracts_dir", type=click.Path(path_type=Path), required=True,
              help="Folder holding the 13 extract CSV files.")
@click.option("--from", "first", type=MonthParam(), required=True, help="First month end.")
@click.option("--to", "last", type=MonthParam(), required=True, help="Last month end.")
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="Published DuckDB warehouse whose history is filled (default: setting).")
def backfill(extracts_dir: Path, first: date, last: date, warehouse: Path | None) -> None:
    """Fill the history for past month ends as known then (kind backfill; docs/history.md)."""
    from cscperf.backfill import BackfillError
    from cscperf.backfill import backfill as do_backfill
    from cscperf.dbt_compiled import CompiledError
    from cscperf.loading.errors import LoadError
    from cscperf.pipeline import PipelineError
    from cscperf.publish import LockTimeout

    settings = get_settings()
    try:
        result = do_backfill(extracts_dir, first, last, warehouse or settings.paths.warehouse,
                             settings)
    except (BackfillError, CompiledError, LoadError, LockTimeout, PipelineError) as exc:
        _fail(str(exc))  # our own messages: files, lines, columns, models; no record values
    click.echo(result.summary())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), required=True,
              help="parquet (Power BI, another database) or csv (Excel).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write (replaced whole if it holds an earlier export).")
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="Published DuckDB warehouse (default: paths.warehouse setting).")
def export(fmt: str, out_dir: Path, warehouse: Path | None) -> None:
    """Write every mart and reference table as Parquet or CSV, with a data dictionary."""
    from cscperf.export import ExportError, export_warehouse

    settings = get_settings()
    try:
        result = export_warehouse(warehouse or settings.paths.warehouse, out_dir, fmt)
    except (ExportError, OSError) as exc:
        _fail(str(exc))
    click.echo(result.summary())


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write (replaced whole if it holds an earlier docs site).")
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="Published DuckDB warehouse (default: paths.warehouse setting); only "
                   "a copy of it is opened.")
def docs(out_dir: Path, warehouse: Path | None) -> None:
    """Build dbt's documentation site (every model and column, lineage) as one offline page."""
    from cscperf.docs_site import DocsError, build_docs

    settings = get_settings()
    try:
        index = build_docs(warehouse or settings.paths.warehouse, out_dir, settings)
    except (DocsError, OSError) as exc:
        _fail(str(exc))
    click.echo(str(index))


@cli.command()
def serve() -> None:
    """Register the nightly and monthly schedules with a local Prefect server and serve them."""
    from flows.deployments import serve_all

    serve_all(get_settings())


def main() -> None:
    cli(prog_name="cscperf")


if __name__ == "__main__":
    main()
