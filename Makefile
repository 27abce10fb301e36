# The two commands of the README, and a few for developers.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
AS_AT ?= 2015-10-31
DEMO ?= demo
V ?=

.PHONY: setup demo test lint bench clean

setup:
	./scripts/setup.sh

# Set up, generate the demo extracts, run the monthly job, render the report,
# compare with the published figures; then where the outputs are (the run's
# summary, kept in $(DEMO)/outputs.txt). Add V=-v for every log message.
demo:
	@./scripts/setup.sh --with-browser
	@$(BIN)/cscperf $(V) generate --profile herefordshire-2015 --out $(DEMO)/extracts
	@mkdir -p $(DEMO)
	@$(BIN)/cscperf $(V) run --extracts $(DEMO)/extracts --as-at $(AS_AT) \
		--report-out $(DEMO)/report > $(DEMO)/outputs.txt
	@$(BIN)/cscperf $(V) reproduce --as-at $(AS_AT)
	@echo
	@cat $(DEMO)/outputs.txt

# Set up and run every test (pytest, dbt unit and data tests, ruff), on every
# core: pytest-xdist workers, each module's (or oracle scenario's) tests on one
# worker (tests/conftest.py groups them); the demo run is shared by the workers.
# TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto
test:
	./scripts/setup.sh --with-browser
	$(BIN)/ruff check .
	DO_NOT_TRACK=1 $(BIN)/sqlfluff lint models tests/dbt
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DO_NOT_TRACK=1 $(BIN)/sqlfluff lint models tests/dbt

bench:
	./scripts/setup.sh
	$(BIN)/python benchmarks/run_scale.py

clean:
	rm -rf $(DEMO) warehouse target logs
