# ctis - counter-trafficking information system.
# `make` builds build/ctis; `make run` sets up, builds and serves the demo;
# `make test` runs every suite; `make bench` the benchmarks.
# Everything below cli/ (and http/) builds into libctis.a (DESIGN.md).

CC ?= cc
BUILD ?= build
SAN ?=
OPT ?= -O2

PKG_CONFIG ?= pkg-config
DEPS_CMD ?= sh scripts/deps.sh
PKGS := sqlite3 jansson libsodium libutf8proc xlsxwriter pangocairo cairo-svg cairo-pdf libpq libmicrohttpd
LIB_DIRS := base model seal store io stats link mse report ops
# pkg-config is asked when this file is read, so the targets that install
# packages first (run, test, bench) build in a sub-make that reads it again
# after scripts/deps.sh: on a fresh machine the first 'make run' works.
CPPFLAGS_ALL := -D_DEFAULT_SOURCE -I. $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
WARN := -Wall -Wextra -Wpedantic
CFLAGS_ALL := -std=c11 $(OPT) -g $(WARN) -MMD -MP $(EXTRA_CFLAGS)
# libpq is not linked: store/pq_shim.c loads it with dlopen when a
# postgresql:// URL is opened, so a SQLite-only start maps 3 libraries, not 30.
LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out libpq,$(PKGS)) 2>/dev/null) \
	-lm -lpthread -ldl
# Every sanitizer build stops at the first report (-fno-sanitize-recover=all),
# so a test or a corpus replay that triggers one fails.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ifeq ($(SAN),1)
CFLAGS_ALL += $(SAN_FLAGS)
LDSAN := -fsanitize=address,undefined
endif

LIB_SRCS := $(wildcard $(addsuffix /*.c,$(LIB_DIRS)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
# http/ is an entry point like cli/ (DESIGN.md): not in libctis.a, but in
# its own archive that the ctis binary, the tests and the fuzz target link.
HTTP_SRCS := $(wildcard http/*.c)
HTTP_OBJS := $(HTTP_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/http/openapi_doc.o
HTTP_LIB := $(BUILD)/libctis_http.a
TEST_SRCS := $(wildcard tests/*/test_*.c)
TEST_BINS := $(TEST_SRCS:%.c=$(BUILD)/%)
TEST_SUPPORT := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(wildcard fuzz/*.c)
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)

.PHONY: all run test bench deps check-style fuzz fuzzlib fuzz-run tests benches \
	clean demo web web-test

all: $(BUILD)/ctis web

# The browser's files (web/, served by ctis serve at /): the vocabulary of
# model/ as a JavaScript module, and the Khmer font from Debian's
# fonts-noto-core, copied into web/gen/ (not committed).
KHMER_FONT ?= /usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf
KHMER_FONT_BOLD ?= /usr/share/fonts/truetype/noto/NotoSansKhmer-Bold.ttf
WEB_GEN := web/gen/vocab.js web/gen/khmer.ttf web/gen/khmer-bold.ttf
web: $(WEB_GEN)

$(BUILD)/web_vocab: web/vocab.c $(BUILD)/libctis.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDSAN) -o $@ $< \
		$(BUILD)/libctis.a $(LIBS)

web/gen/vocab.js: $(BUILD)/web_vocab
	@mkdir -p web/gen
	$(BUILD)/web_vocab $@

web/gen/khmer.ttf: $(KHMER_FONT)
	@mkdir -p web/gen
	cp $< $@

web/gen/khmer-bold.ttf: $(KHMER_FONT_BOLD)
	@mkdir -p web/gen
	cp $< $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libctis.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# The OpenAPI document served at /api/openapi.json is docs/openapi.json,
# compiled in.
$(BUILD)/http/openapi_doc.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh http_openapi_doc docs/openapi.json >$@.tmp
	mv $@.tmp $@
$(BUILD)/http/openapi_doc.o: $(BUILD)/http/openapi_doc.c
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(HTTP_LIB): $(HTTP_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/ctis: $(CLI_OBJS) $(HTTP_LIB) $(BUILD)/libctis.a
	$(CC) $(LDSAN) -o $@ $(CLI_OBJS) $(HTTP_LIB) $(BUILD)/libctis.a $(LIBS)

# Unit tests (cmocka): tests/<folder>/test_<name>.c, one binary each.
$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJS) $(HTTP_LIB) $(BUILD)/libctis.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDSAN) -o $@ $< \
		$(TEST_SUPPORT_OBJS) $(HTTP_LIB) $(BUILD)/libctis.a $(LIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(BUILD)/libctis.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDSAN) -o $@ $< \
		$(BUILD)/libctis.a $(LIBS)

tests: $(BUILD)/ctis $(TEST_BINS) $(BUILD)/bench/gen_cases $(BUILD)/bench/link_alt web
benches: $(BUILD)/ctis $(BENCH_BINS)

# Fuzz targets always build with clang, libFuzzer, ASan and UBSan against
# a library compiled for fuzzing in build/fuzzlib.
FUZZ_FLAGS := -fsanitize=fuzzer-no-link $(SAN_FLAGS)
# A target is linked again when its source or either library is newer: the
# libraries are brought up to date first, then the targets are made by a
# second make that sees their new times.
fuzz:
	@$(MAKE) --no-print-directory fuzzlib
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
fuzzlib:
	@$(MAKE) --no-print-directory BUILD=build/fuzzlib CC=clang \
		EXTRA_CFLAGS="$(FUZZ_FLAGS)" build/fuzzlib/libctis.a \
		build/fuzzlib/libctis_http.a
build/fuzz/%: fuzz/%.c $(wildcard build/fuzzlib/libctis.a \
		build/fuzzlib/libctis_http.a) | fuzzlib
	@mkdir -p build/fuzz
	clang $(CPPFLAGS_ALL) -std=c11 -O1 -g $(WARN) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $< \
		build/fuzzlib/libctis_http.a build/fuzzlib/libctis.a $(LIBS)

# Fuzz every target for FUZZ_SECONDS (default 60) each, from its corpus;
# new inputs go to build/fuzz-new/<name>, crashes to build/fuzz-crash/.
# Run before a release; a crash fails the target.
FUZZ_SECONDS ?= 60
fuzz-run: deps
	@$(MAKE) --no-print-directory fuzz
	@bash scripts/fuzz-run.sh $(FUZZ_SECONDS)

deps:
	+@$(DEPS_CMD)

run: deps
	+@$(MAKE) --no-print-directory all
	@sh scripts/run.sh

test: deps
	@bash scripts/test.sh

bench: deps
	@bash bench/run.sh

check-style:
	@sh scripts/check-style.sh

clean:
	rm -rf build web/gen

-include $(shell find build -name '*.d' 2>/dev/null)
