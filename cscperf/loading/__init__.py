"""The loader: land an extract set into schema ``raw`` of a DuckDB file.

The public API is :func:`land` (with :class:`LoadResult` and :class:`LoadError`)::

    from cscperf.loading import land

Its parts, one job each:

- :mod:`~cscperf.loading.extract_set`: the extract set -> a new DuckDB file (the whole load);
- :mod:`~cscperf.loading.extract_file`: one extract -> ``raw.<extract>``;
- :mod:`~cscperf.loading.files`: only regular files, not links, within the size limit;
- :mod:`~cscperf.loading.encoding`: UTF-8 or Windows-1252, transcoded to UTF-8, streamed;
- :mod:`~cscperf.loading.header`: the header row matched to the contract;
- :mod:`~cscperf.loading.sql`: typing and row checks in DuckDB SQL;
- :mod:`~cscperf.loading.db`: DuckDB calls (results fetched, plans checked);
- :mod:`~cscperf.loading.diagnose`: why DuckDB cannot read a file, by line;
- :mod:`~cscperf.loading.records`: where each record starts (line numbers), vectorised
  piece by piece;
- :mod:`~cscperf.loading.line_numbers`: each landed record's ``_line``;
- :mod:`~cscperf.loading.rejects`: over-long records and the reject threshold.
"""

from cscperf.loading.errors import LoadError
from cscperf.loading.extract_file import LoadResult
from cscperf.loading.extract_set import land

__all__ = ["LoadError", "LoadResult", "land"]
