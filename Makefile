# zfacts — every target installs what it needs into .venv first: running zfacts needs
# only its dependencies; the test extras (pytest, hypothesis, pillow, Dask) come with `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench fuzz check-rules demo report gold html-eval names-eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

## run: extract the bundled articles into out/facts.parquet and out/facts.csv
run: $(STAMP)
	$(VENV)/bin/zfacts extract data/seeds/ -o out/facts.parquet -o out/facts.csv

## test: the whole suite (rule examples, pipeline, CLI, dev-gold)
test: $(TEST_STAMP)
	$(PY) -m pytest -q

## check-rules: validate the rule files, then run every example they carry
check-rules: $(STAMP)
	$(VENV)/bin/zfacts rules check

## demo: extract the seeds, then show where the sources agree and conflict
demo: $(STAMP)
	$(VENV)/bin/zfacts extract data/seeds/ -o out/facts.parquet
	$(VENV)/bin/zfacts compare out/facts.parquet

## report: extract the seeds and write out/report.html (articles, comparisons, timelines)
report: $(STAMP)
	$(VENV)/bin/zfacts extract data/seeds/ -o out/facts.parquet
	$(VENV)/bin/zfacts report out/facts.parquet --sources data/seeds/ -o out/report.html

## gold: the share of dev-gold facts found with the right values, and each miss; metric and subject accuracy on companies in no list; the labelled news set (recall, silent wrong rows, junk)
gold: $(STAMP)
	cd tests && ../$(PY) gold_report.py && ../$(PY) meaning_eval.py && ../$(PY) news_eval.py

## html-eval: main-content libraries compared on the HTML test pages (installs the eval extra)
html-eval: $(STAMP)
	$(PY) -m pip install --quiet -e '.[eval]'
	cd tests && ../$(PY) html_eval.py

## names-eval: company names found by the shape rules and by offline lexical analysers, on labelled passages (installs the names-eval extra)
names-eval: $(STAMP)
	$(PY) -m pip install --quiet -e '.[names-eval]'
	$(PY) tests/eval/names_eval.py

## bench: characters per second and peak memory on a corpus of >= 20 MB
bench: $(STAMP)
	$(PY) tests/bench/bench.py

## fuzz: the pipeline's invariants on 1,000,000 generated news texts (failures go to tests/fuzz_corpus.jsonl)
fuzz: $(STAMP)
	$(PY) tests/fuzz.py --count 1000000

clean:
	rm -rf $(VENV) out .pytest_cache
