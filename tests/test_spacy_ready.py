"""The first pipelines made at once by two threads, as in the bundle (where spaCy cannot read
its own source): the window warming the tokenizer while it opens an article with no stored
tokens. Before core.text.spacy_ready, one thread died with "could not get source code" and
the app's error dialog stood where its window should have been."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

# A fresh interpreter (spaCy's factories not registered yet) without source code, as frozen.
RACE = r"""
import inspect, sys, threading

sys.setswitchinterval(1e-6)  # threads take turns often, so the race is met every time

def no_source(obj):
    raise OSError("could not get source code")

inspect.getsourcelines = no_source

from core.nlp.pipeline import load_annotator
from core.text.tokens import blank_nlp

start = threading.Barrier(4)
failures = []

def run(make):
    start.wait()
    try:
        make()
    except Exception as error:
        failures.append(repr(error))

makers = [blank_nlp, blank_nlp.__wrapped__, blank_nlp.__wrapped__, load_annotator]
threads = [threading.Thread(target=run, args=(m,)) for m in makers]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(failures or "ok")
"""


def test_threads_making_their_first_pipelines_at_once_all_get_one():
    for _attempt in range(3):
        result = subprocess.run([sys.executable, "-c", RACE], cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ok", result.stdout
