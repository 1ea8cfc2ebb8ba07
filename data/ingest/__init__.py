"""The 287(g) data ingest: ICE's participating-agencies spreadsheets to the CSVs in data/.

Knows nothing about Pelican. Run it with `make data [SNAPSHOTS=dir]`, or
`PYTHONPATH=data python -m ingest --snapshots DIR --out data`. Modules: `read` (one sheet to
clean rows), `places` (state and county names to codes), `derive` (the tables), `write`
(deterministic CSV bytes), `__main__` (the command line).
"""
