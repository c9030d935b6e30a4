# vgradcc: build, test, install.  See README.md.
LLVM_CONFIG ?= llvm-config-19
CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=

LLVM_INCLUDEDIR := $(shell $(LLVM_CONFIG) --includedir)
LLVM_LIBDIR := $(shell $(LLVM_CONFIG) --libdir)

WARN := -Wall -Wextra
CFLAGS ?= -O2 -g
SANITIZE ?=
BUILD ?= build
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) $(SANITIZE) -Iir -I$(BUILD) -Iruntime
COMPILER_CFLAGS := $(ALL_CFLAGS) -D_DEFAULT_SOURCE -I$(LLVM_INCLUDEDIR) -DVGRADCC_CLANG=\"$(shell $(LLVM_CONFIG) --bindir)/clang\"
LDLIBS_CLANG := -L$(LLVM_LIBDIR) -Wl,-rpath,$(LLVM_LIBDIR) -lclang

COMPILER_SRCS := $(wildcard ir/*.c frontend/*.c ad/*.c codegen/*.c driver/*.c)
COMPILER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(COMPILER_SRCS)) \
                 $(BUILD)/frontend/pragma.tab.o $(BUILD)/frontend/pragma.lex.o
RUNTIME_SRCS := $(wildcard runtime/*.c)
RUNTIME_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(RUNTIME_SRCS))
RUNTIME_HEADERS := $(wildcard runtime/*.h)
PUBLIC_HEADERS := runtime/vgrad.h runtime/vgrad_tape.h runtime/vgrad_cblas.h
VERSION := $(shell sed -n 's/^\#define VGRADCC_VERSION "\(.*\)"/\1/p' ir/vgradcc.h)

all: $(BUILD)/vgradcc $(BUILD)/libvgrad.a $(BUILD)/libvgrad.so

$(BUILD)/vgradcc: $(COMPILER_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_CLANG)

$(BUILD)/libvgrad.a: $(RUNTIME_OBJS)
	rm -f $@
	ar rcs $@ $^

# The same objects as a shared library, for programs and other languages
# that load the runtime instead of linking it in.
$(BUILD)/libvgrad.so: $(RUNTIME_OBJS)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libvgrad.so -o $@ $^ -lm

# Position-independent, so libvgrad.so and a shared library that links the
# archive (the Python binding's, built by vgrad.load) can be built.
$(RUNTIME_OBJS): COMPILER_CFLAGS += -fPIC

# The pragma clause grammar: bison parser and flex scanner.
$(BUILD)/frontend/pragma.tab.c $(BUILD)/frontend/pragma.tab.h: frontend/pragma.y
	@mkdir -p $(dir $@)
	bison -Wall --defines=$(BUILD)/frontend/pragma.tab.h -o $(BUILD)/frontend/pragma.tab.c $<

$(BUILD)/frontend/pragma.lex.c: frontend/pragma.l $(BUILD)/frontend/pragma.tab.h
	@mkdir -p $(dir $@)
	flex -o $@ $<

$(BUILD)/frontend/pragma.tab.o: $(BUILD)/frontend/pragma.tab.c ir/vgradcc.h
	$(CC) $(ALL_CFLAGS) -Wno-unused-function -c -o $@ $<

$(BUILD)/frontend/pragma.lex.o: $(BUILD)/frontend/pragma.lex.c ir/vgradcc.h
	$(CC) $(ALL_CFLAGS) -Wno-unused-function -Wno-sign-compare -c -o $@ $<

$(BUILD)/frontend/%.o: frontend/%.c ir/vgradcc.h $(BUILD)/frontend/pragma.tab.h
	@mkdir -p $(dir $@)
	$(CC) $(COMPILER_CFLAGS) -c -o $@ $<

# Every vg_/VG_/vgrad_ identifier of the public headers, as C strings: a
# generated local must not hide one the generated code refers to.
$(BUILD)/runtime_names.h: $(PUBLIC_HEADERS)
	@mkdir -p $(dir $@)
	grep -ohE '\b(vg|VG|vgrad|VGRAD)_[A-Za-z0-9_]*' $^ | sort -u | sed 's/.*/"&",/' > $@

$(BUILD)/ad/ad.o: $(BUILD)/runtime_names.h

$(BUILD)/%.o: %.c ir/vgradcc.h ad/ad.h ad/reverse.h $(RUNTIME_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(COMPILER_CFLAGS) -c -o $@ $<

# Tests: one command, ending with "N passed, N failed".
test: all
	bash tests/run.sh

# Regenerates the golden files on purpose; read the diff before committing.
golden: all
	bash tests/run.sh --update-golden

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/cmake/vgrad $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/vgradcc $(DESTDIR)$(PREFIX)/bin/vgradcc
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/libvgrad.a $(DESTDIR)$(PREFIX)/lib/libvgrad.a
	install -m 755 $(BUILD)/libvgrad.so $(DESTDIR)$(PREFIX)/lib/libvgrad.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	  doc/vgrad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vgrad.pc
	install -m 644 cmake/vgradConfig.cmake $(DESTDIR)$(PREFIX)/lib/cmake/vgrad/vgradConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|g' cmake/vgradConfigVersion.cmake.in \
	  > $(DESTDIR)$(PREFIX)/lib/cmake/vgrad/vgradConfigVersion.cmake
	install -m 644 doc/vgradcc.1 $(DESTDIR)$(PREFIX)/share/man/man1/vgradcc.1

clean:
	rm -rf $(BUILD)

.PHONY: all test golden install clean

# Benchmarks (see bench/README.md): builds the comparisons and prints the table.
bench: all
	$(MAKE) -C bench

.PHONY: bench

# The main job: vgradcc on samples/mse.c, compiled and run (README, quick start).
demo: all
	bash samples/demo.sh

.PHONY: demo

# Fuzzing (README.md, section Fuzzing): an ASan/UBSan build in build-fuzz,
# AFL++ on the pragma clause parser, then the mutation fuzzer of whole
# files; FUZZ_SECONDS in all (default 600), findings in build-fuzz/findings.
fuzz:
	bash tests/fuzz/run.sh

.PHONY: fuzz

# Random programs (tests/random, README "Random programs"): N seeds (default
# 1000) from SEED (default 1) on all cores; prints every failing seed and a
# summary, keeps the failing programs in soak-failures/.  LOG=FILE records
# each finished seed and skips those already recorded: a soak in slices.
soak: all
	python3 tests/random/run.py $(or $(SEED),1)-$$(( $(or $(SEED),1) + $(or $(N),1000) - 1 )) \
	  -j $$(nproc) --keep soak-failures $(if $(EXCLUDE),--exclude $(EXCLUDE)) $(if $(LOG),--log $(LOG))

.PHONY: soak
