# Two commands: `make run` opens the window on the sample project; `make test` runs ruff, then the suite.
# `make interop` checks the exports against the real Label Studio, spaCy, datasets and Datasette.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshot clean interop

# A .venv without pip (what a failed `python3 -m venv` leaves, on Debian without python3-venv, or an
# interrupted one) is made again, not used: every later run would stop at "No module named pip".
$(STAMP): pyproject.toml
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# What Qt's window plugin (xcb) needs from the system on a bare Debian/Ubuntu machine.
QT_SYSTEM_LIBS := libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libegl1 libgl1 libfontconfig1 libdbus-1-3

run: $(STAMP)
	@if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(QT_SYSTEM_LIBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing what Qt needs to open a window: $$missing"; \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	    else sudo apt-get update -qq && sudo apt-get install -y $$missing; fi; \
	  fi; \
	fi
	$(BIN)/annotator gui --sample

test: $(STAMP)
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	@for f in tests/benchmarks/bench_*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$f || exit 1; done

# Label Studio pins its own Django, numpy and friends: it lives in a venv of its own.
LABEL_STUDIO_VERSION := 1.23.2
INTEROP := .interop
LS_VENV := $(INTEROP)/ls-venv
LS_STAMP := $(LS_VENV)/.installed-$(LABEL_STUDIO_VERSION)
INTEROP_STAMP := $(VENV)/.interop-installed

$(LS_STAMP):
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet label-studio==$(LABEL_STUDIO_VERSION)
	touch $@

$(INTEROP_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,interop]'
	touch $@

interop: $(INTEROP_STAMP) $(LS_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/interop/roundtrip.py --label-studio $(LS_VENV)/bin/label-studio --work $(INTEROP)/run

clean:
	rm -rf $(VENV) $(INTEROP) build *.egg-info
