"""The CLI-to-window job messages: what the CLI encodes, the window decodes."""

from __future__ import annotations

import pytest

from core.jobs import protocol


@pytest.mark.parametrize("message", [
    protocol.Progress(3, 10), protocol.Progress(0, 0, "loading the model…"),
    protocol.Warning("No model: <b>install</b> it"),
    protocol.AnnotateDone(5, 40, "en_core_web_sm==3.8.0", (3, 9)),
])
def test_round_trip(message):
    line = protocol.encode(message)
    assert "\n" not in line
    assert protocol.decode(line, type(message) if isinstance(
        message, protocol.AnnotateDone) else protocol.AnnotateDone) == message


def test_done_lines_decode_as_the_job_reading_them():
    line = protocol.encode(protocol.ImportDone(2, 1, ("a.txt: empty",)))
    assert protocol.decode(line, protocol.ImportDone) == protocol.ImportDone(
        2, 1, ("a.txt: empty",))


@pytest.mark.parametrize("line", [b"", b"Loading...", b"[1, 2]", b'{"event": "nope"}',
                                  b'{"event": "progress", "done": 1}', b"\xff\xfe"])
def test_lines_that_are_not_messages_are_ignored(line):
    assert protocol.decode(line) is None
