# Makefile: a thin wrapper over Meson (dependencies, build, demo, test).
BUILD   ?= build
PREFIX  ?= /usr/local
MESON_OPTS ?=

# Debian packages, from deps.txt (the one list; meson.build and
# tests/fuzz/build.sh read it too): what the build needs ("build" and
# "lib" rows) and what only the tests use ("test": the sqlite3 shell,
# Taskwarrior, Chromium, clang and its runtime for the fuzz harnesses).
deps_for = $(shell awk '!/^\#/ && NF >= 2 && ($(1)) && !seen[$$1]++ { print $$1 }' deps.txt)
DEPS = $(call deps_for,$$2 != "test")
TEST_DEPS = $(call deps_for,$$2 == "test")

.PHONY: all deps test-deps install-packages demo test install clean bench format check-format

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX) $(MESON_OPTS)

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEPS)"

# The browser tests' npm packages come from tests/browser's committed
# lock file (npm ci); puppeteer-core downloads no browser: it drives
# Debian's chromium.  npm is Debian's package only where no npm came with
# Node.js (a NodeSource nodejs bundles its own, and conflicts with it).
test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_DEPS)"
	@command -v npm >/dev/null || \
		$(MAKE) --no-print-directory install-packages PACKAGES=npm
	@if [ ! -d tests/browser/node_modules/puppeteer-core ]; then \
		echo "npm ci in tests/browser"; \
		cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; \
	fi

# Install the missing ones of $(PACKAGES) with apt-get when root, else say
# the exact command and stop.
install-packages:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "missing packages; run:"; \
			echo "  sudo apt-get install -y" $$missing; \
			exit 1; \
		fi; \
	fi

demo: deps all
	./$(BUILD)/cairn demo

test: deps test-deps all
	meson test -C $(BUILD) --print-errorlogs

bench: deps test-deps all
	./bench/run.sh $(BUILD)
	./bench/tw.sh $(BUILD)

install: all
	meson install -C $(BUILD)

# Every C file in the repository, as .clang-format says.
C_FILES = $$(git ls-files '*.c' '*.h')

format:
	clang-format -i $(C_FILES)

check-format:
	clang-format --dry-run --Werror $(C_FILES)

clean:
	rm -rf $(BUILD)
