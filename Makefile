# certnotice: `make` builds build/certnotice; `make demo` installs, builds and runs the
# nightly job on the bundled sample; `make test` runs every test under the sanitizers.
# Nothing here runs a program while the Makefile is read: on a bare system pkg-config and
# the libraries arrive with `make deps`, and a flag computed before that would stay empty.

CC       ?= cc
OPT      ?= -O2 -g
STD      := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
PKGS     := libxml-2.0 sqlite3 libpq libqrencode libcrypto zlib harfbuzz harfbuzz-subset libmicrohttpd libdmtx
# Asked once, when a recipe first needs them (`=`, then remembered by the eval).
PKG_CF    = $(eval PKG_CF := $(shell pkg-config --cflags $(PKGS)))$(PKG_CF)
PKG_LIBS  = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
LIBS      = $(PKG_LIBS) -lhpdf -lsodium -lpthread -lm
# float-cast-overflow is not part of "undefined": a double beyond an int's range converted to
# int is undefined behaviour all the same.
SAN      := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined,float-cast-overflow

# One folder per layer (docs/layers.md); every folder is on the include path, so an include
# names the module, not its folder, and the layer check reads the folder.
LAYERS   := $(sort $(dir $(wildcard batch/*/*.c batch/*/*.h)))
INC      := $(patsubst %/,-I%,$(LAYERS))
SRC      := $(wildcard batch/*/*.c)
LIBSRC   := $(filter-out batch/cli/main.c,$(SRC))
UNITSRC  := $(wildcard tests/unit/test_*.c)
# Linked into every unit test: the shared database fixture (mkdtemp folders, never fixed paths).
UNITFIX  := tests/unit/fixture_db.c
FUZZSRC  := $(wildcard tests/fuzz/fuzz_*.c)

OBJ      := $(SRC:batch/%.c=build/obj/%.o)
ASAN_OBJ := $(SRC:batch/%.c=build/asan/obj/%.o)
ASAN_LIB := $(filter-out build/asan/obj/cli/main.o,$(ASAN_OBJ))
UNITBIN  := $(UNITSRC:tests/unit/%.c=build/asan/tests/%)

DEMO_DATE   ?= 2026-12-01
DEMO_CONFIG ?= templates/municipalities/demo.xml
# The day the demo's daylist prints: a day residents can book from the demo's --now.
DEMO_DAY ?= 2026-12-07
DEMO_NOW ?= 2026-12-03T10:00

.PHONY: all asan deps demo test unit e2e bench fuzz clean format lint lint-fast po
all: build/certnotice

build/certnotice: $(OBJ) | build/po-checked
	$(CC) $(OPT) -o $@ $^ $(LIBS)

# The message catalogs (templates/po, README "Languages"): msgid is the Japanese source text
# in the C files (N_("..."), texts_get(t, lang, "...")). `make po` extracts them into
# certnotice.pot and merges it into every LANG.po for the translators. Every build checks
# each catalog with msgfmt: a translation whose %s, %d ... differ from its source's fails it.
POT      := templates/po/certnotice.pot
PO       := $(wildcard templates/po/*.po)
XGETTEXT := xgettext --from-code=UTF-8 --language=C --keyword= --keyword=N_ \
            --keyword=texts_get:3 --keyword=T_:2 --keyword=page_word --keyword=book_begin:2 --keyword=book_h1:2 --keyword=book_p:2 --keyword=book_count:2 --add-comments=TRANSLATORS: --no-wrap \
            --add-location=file --sort-by-file --package-name=certnotice

po:
	$(XGETTEXT) -o $(POT) $(SRC)
	for f in $(PO); do msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching \
	    --add-location=file $$f $(POT) || exit 1; done

build/po-checked: $(PO) $(POT) build/pocheck
	for f in $(PO); do msgfmt --check-format --check-header -o /dev/null $$f || exit 1; done
	build/pocheck $(PO)
	touch $@

# The catalogs read as the program reads them, flags or not (tests/tools/pocheck.c).
build/pocheck: tests/tools/pocheck.c batch/core/msgcat.c batch/core/utf8.c batch/core/err.c
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(OPT) -Ibatch/core -o $@ $^

build/obj/%.o: batch/%.c
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(OPT) $(INC) $(PKG_CF) -MMD -MP -c -o $@ $<

asan: build/asan/certnotice $(UNITBIN) build/asan/tests/glyphref build/asan/tests/fixed_random.so

build/asan/certnotice: $(ASAN_OBJ) | build/po-checked
	$(CC) -O1 -g $(SAN) -o $@ $^ $(LIBS)

build/asan/obj/%.o: batch/%.c
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) -O1 -g $(SAN) $(INC) $(PKG_CF) -MMD -MP -c -o $@ $<

build/asan/tests/%: tests/unit/%.c $(UNITFIX) tests/unit/fixture_db.h $(ASAN_LIB) | build/asan/tests
	$(CC) $(STD) $(WARN) -O1 -g $(SAN) $(PKG_CF) $(INC) -o $@ $< $(UNITFIX) $(ASAN_LIB) -lcmocka $(LIBS)

# FreeType's own rendering of a glyph, which the mj suite compares the PDF's glyphs with.
build/asan/tests/glyphref: tests/tools/glyphref.c | build/asan/tests
	$(CC) $(STD) $(WARN) -O1 -g $(shell pkg-config --cflags freetype2) -o $@ $< \
	    $(shell pkg-config --libs freetype2)

# getrandom(2) as a fixed stream (LD_PRELOAD), so that tests/e2e/identical.sh sees the same
# reservation IDs on every run. Never linked into certnotice.
build/asan/tests/fixed_random.so: tests/tools/fixed_random.c | build/asan/tests
	$(CC) $(STD) $(WARN) -O1 -shared -fPIC -o $@ $< -lpthread

build/asan/tests:
	mkdir -p $@

deps:
	sh scripts/install-deps.sh

# A make of its own after deps: with -j the build would not wait for deps otherwise.
demo: deps
	$(MAKE) build/certnotice
	rm -rf out && mkdir -p out
	build/certnotice postal import --db out/certnotice.db input/postal/ken_all-kasugai.csv
	@echo "demo 1/4, inside: the night into out/certnotice.db"
	build/certnotice run --date $(DEMO_DATE) --input input/sample --db out/certnotice.db \
	    --out out --config $(DEMO_CONFIG) || [ $$? -eq 1 ]
	@echo "demo: PDFs in out/$(DEMO_DATE)/print/"; ls -l out/$(DEMO_DATE)/print/
	@echo "demo 2/4, outside: the night's booking/feed.csv + feed.json into the booking store out/booking.db"
	build/certnotice feed --db out/booking.db --config $(DEMO_CONFIG) import out/$(DEMO_DATE)/booking
	@echo "demo 3/4, outside: start the booking service on its own store (it refuses out/certnotice.db):"
	@echo "  build/certnotice serve --config $(DEMO_CONFIG) --db out/booking.db --now $(DEMO_NOW)"
	@echo "demo 4/4, both sides: bookings back inside, the counter's named list (run again after booking):"
	build/certnotice export-bookings --db out/booking.db --since 2000-01-01 --out out/bookings.csv
	build/certnotice bookings --db out/certnotice.db import out/bookings.csv
	build/certnotice daylist --db out/certnotice.db --config $(DEMO_CONFIG) --office main --date $(DEMO_DAY) --out out/daylist.pdf

# Unit tests and end-to-end tests, all against the sanitizer build; the closing line is
# "N passed, N failed".
test: asan
	tests/run.sh

# The unit tests alone, or the end-to-end suites alone (tests/run.sh PATTERN).
unit: asan
	tests/run.sh unit/

e2e: asan
	tests/run.sh e2e/

bench: build/certnotice
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh

format:
	clang-format -i batch/*/*.c batch/*/*.h tests/unit/*.c tests/unit/*.h

# The layering and path checks, the module lists of the docs, cppcheck on every core, then
# clang-tidy file by file as make targets: `make -j2 lint` runs them in parallel and a
# second run re-checks only the files (or, for any header change, all) that changed since.
TIDY := $(SRC:batch/%.c=build/lint/%.tidy)
lint: lint-fast $(TIDY)

lint-fast:
	python3 scripts/check-layers.py
	python3 scripts/module-docs.py
	scripts/check-paths.sh
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --suppress=missingIncludeSystem --inline-suppr -D_GNU_SOURCE -j $$(nproc) batch/

build/lint/%.tidy: batch/%.c $(wildcard batch/*/*.h) .clang-tidy
	@mkdir -p $(@D)
	clang-tidy --quiet $< -- $(STD) $(INC) $(PKG_CF) && touch $@

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
