# The two commands of the README, plus the checks and benchmarks behind them.
.PHONY: run test lint bench fuzz cluster load

## Serve the demo portfolio at http://127.0.0.1:3000 (sets everything up first).
run:
	bash scripts/run.sh

## Run every test: unit, integration, Playwright (sets everything up first).
test:
	bash scripts/test.sh

## Several instances on this machine: private PostgreSQL and Redis, two PMR instances,
## nginx in front (docs/DEPLOY.md). Ctrl-C stops everything.
cluster:
	bash scripts/cluster.sh

## Live collaboration under load (BENCHMARKS.md, issues 14 and 15): every scenario, or one
## with SCENARIO=idle|active|active-nobatch|storm|cluster|drills. Builds the release binaries.
load:
	bash scripts/load.sh $(SCENARIO)

## Formatting and clippy for each package and feature set (never ssr and hydrate together).
lint:
	bash scripts/lint.sh

## The benchmarks of BENCHMARKS.md.
bench:
	bash scripts/bench.sh

## Fuzz the import and the Markdown renderer for FUZZ_SECONDS each (default 60); not part
## of `make test`. Installs cargo-fuzz on first use.
fuzz:
	bash scripts/fuzz.sh
