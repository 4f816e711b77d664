.PHONY: build test test-fast run lint format bench deps clean

deps:
	@scripts/install-deps.sh

build: deps
	@scripts/build.sh

test:
	@scripts/test.sh

# Rootless tests only: no root, runc, databases or built binaries (seconds, for the edit-test loop).
test-fast:
	@scripts/test-fast.sh

run: build
	@scripts/run.sh

lint:
	dotnet format Cordon.slnx --verify-no-changes --severity warn

format:
	dotnet format Cordon.slnx --severity warn

bench: build
	@scripts/bench.sh

clean:
	rm -rf bin artifacts
	find . \( -name bin -o -name obj \) -type d -prune -exec rm -rf {} +
