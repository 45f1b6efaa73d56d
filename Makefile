# Makefile: a thin wrapper over Meson (dependencies, build, demo, test).
BUILD   ?= build
PREFIX  ?= /usr/local
MESON_OPTS ?=

# Debian packages the build needs (DESIGN.md section 7) ...
DEPS = meson ninja-build pkg-config gcc python3 \
       libsqlite3-dev libjansson-dev libutf8proc-dev uuid-dev libcmocka-dev \
       libbtparse-dev \
       libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libical-dev \
       libgraphviz-dev
# ... and what only the tests use: the sqlite3 shell to inspect stores,
# the real Taskwarrior for round trips, Chromium for the publish
# screenshot, clang and its runtime for the fuzz harnesses.
TEST_DEPS = sqlite3 taskwarrior chromium clang libclang-rt-14-dev

.PHONY: all deps test-deps install-packages demo test install clean bench format check-format

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX) $(MESON_OPTS)

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEPS)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_DEPS)"

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
