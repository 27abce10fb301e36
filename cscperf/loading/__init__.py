"""The loader's parts, one job each; :mod:`cscperf.loader` puts them together.

- :mod:`~cscperf.loading.files`: only regular files, not links, within the size limit;
- :mod:`~cscperf.loading.encoding`: UTF-8 or Windows-1252, transcoded to UTF-8, streamed;
- :mod:`~cscperf.loading.header`: the header row matched to the contract;
- :mod:`~cscperf.loading.records`: where each record starts (line numbers), vectorised
  piece by piece;
- :mod:`~cscperf.loading.sql`: typing and row checks in DuckDB SQL.
"""
