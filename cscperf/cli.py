"""The ``cscperf`` command line.

Each command parses its options and hands over to the module that does the
work; heavy imports happen inside the commands so ``cscperf --help`` is quick.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

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
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
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
def run(extracts_dir: Path, as_at: date, warehouse: Path | None, report_out: Path | None) -> None:
    """Land the extracts, build and check the marts, publish the warehouse."""
    from cscperf.pipeline import PipelineError, run_pipeline

    settings = get_settings()
    try:
        result = run_pipeline(
            extracts_dir=extracts_dir,
            as_at=as_at,
            warehouse=warehouse or settings.paths.warehouse,
            settings=settings,
            report_dir=report_out,
        )
    except PipelineError as exc:
        _fail(str(exc))
    click.echo(result.summary())


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
def report(as_at: date, warehouse: Path | None, out_dir: Path, publish: bool) -> None:
    """Render the monthly performance report (HTML and PDF)."""
    from cscperf.report import render_report

    settings = get_settings()
    paths = render_report(
        warehouse=warehouse or settings.paths.warehouse,
        as_at=as_at,
        out_dir=out_dir,
        publish=publish,
        settings=settings,
    )
    for path in paths:
        click.echo(str(path))


@cli.command()
@click.option("--as-at", "as_at", type=DATE, default=date(2015, 10, 31), show_default=True)
@click.option("--warehouse", type=click.Path(path_type=Path), default=None)
def reproduce(as_at: date, warehouse: Path | None) -> None:
    """Compare the warehouse with the published October 2015 figures."""
    from cscperf.reproduce import compare, format_table

    settings = get_settings()
    rows = compare(warehouse or settings.paths.warehouse, as_at)
    click.echo(format_table(rows))
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
def serve() -> None:
    """Register the nightly and monthly schedules with a local Prefect server and serve them."""
    from flows.deployments import serve_all

    serve_all(get_settings())


def main() -> None:
    cli(prog_name="cscperf")


if __name__ == "__main__":
    main()
