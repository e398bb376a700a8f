# One command each: `make run` opens the app, `make test` runs every test, `make lint` checks style.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1

.PHONY: run test test-fast lint index eval install

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -c constraints.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/fieldguide serve

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not model and not browser and not wheel"

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

index: install
	$(VENV)/bin/fieldguide index

eval: install
	$(VENV)/bin/fieldguide eval ../shared/eval/questions.jsonl
