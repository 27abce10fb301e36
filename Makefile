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

# Set up and run every test (pytest, dbt unit and data tests, ruff, SQLFluff), on
# every core: pytest-xdist workers, each module's (or oracle scenario's) tests on
# one worker (tests/conftest.py groups them); make demo is run once and shared by
# the workers. SQLFluff (one process, about 30 s) lints meanwhile; its output
# follows pytest's. TEST_WORKERS=0 runs the tests in this process.
TEST_WORKERS ?= auto
test:
	./scripts/setup.sh --with-browser
	$(BIN)/ruff check .
	@lint_out=$$(mktemp); \
	DO_NOT_TRACK=1 $(BIN)/sqlfluff lint models tests/dbt > "$$lint_out" 2>&1 & lint=$$!; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope; tests=$$?; \
	wait $$lint; linted=$$?; echo "== sqlfluff lint models tests/dbt"; cat "$$lint_out"; \
	rm -f "$$lint_out"; [ $$tests -eq 0 ] && [ $$linted -eq 0 ]

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DO_NOT_TRACK=1 $(BIN)/sqlfluff lint models tests/dbt

bench:
	./scripts/setup.sh
	$(BIN)/python benchmarks/run_scale.py

clean:
	rm -rf $(DEMO) warehouse target logs
