# Makefile: a thin wrapper over Meson (dependencies, build, demo, test).
BUILD   ?= build
PREFIX  ?= /usr/local
MESON_OPTS ?=

# Debian packages the build and the tests need (DESIGN.md section 7).
DEPS = meson ninja-build pkg-config gcc python3 sqlite3 \
       libsqlite3-dev libjansson-dev libutf8proc-dev uuid-dev libcmocka-dev \
       libbtparse-dev \
       libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libical-dev \
       libgraphviz-dev taskwarrior chromium clang libclang-rt-14-dev

.PHONY: all deps demo test install clean bench format check-format

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX) $(MESON_OPTS)

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "missing build dependencies; run:"; \
			echo "  sudo apt-get install -y $$missing"; \
			exit 1; \
		fi; \
	fi

demo: deps all
	./$(BUILD)/cairn demo

test: deps all
	meson test -C $(BUILD) --print-errorlogs

bench: deps all
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
