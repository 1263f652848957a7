# CityGraph: a thin wrapper over CMake, as DuckDB's is.
#   make            release build (build/)
#   make debug      debug build (build-debug/)
#   make test       install missing packages, build, run every test
#   make test-asan  the same with AddressSanitizer + UBSan (build-asan/)
#   make demo       install, build, generate + ingest the demo city, serve it
#   make format     clang-format our sources

JOBS ?= 2
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all release debug asan deps test test-debug test-asan demo format clean

all: release

deps:
	@bash scripts/install-deps.sh

build/CMakeCache.txt: | deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release $(GENERATOR)

release: deps build/CMakeCache.txt
	cmake --build build -j $(JOBS)

debug: deps
	cmake -S . -B build-debug -DCMAKE_BUILD_TYPE=Debug $(GENERATOR)
	cmake --build build-debug -j $(JOBS)

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Asan $(GENERATOR)
	cmake --build build-asan -j $(JOBS)

test: release
	cd build && ctest --output-on-failure -j $(JOBS)

test-debug: debug
	cd build-debug && ctest --output-on-failure -j $(JOBS)

test-asan: asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

demo: release
	bash scripts/demo.sh

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan
