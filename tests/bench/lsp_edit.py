#!/usr/bin/env python3
"""How fast `plumb lsp` answers an edit: opens one file of a repository,
sends 20 didChange notifications (the file with a comment added) and
prints the round trip (didChange sent -> its publishDiagnostics read)
and the server's own lint time (PLUMB_LSP_TIMING=1 on stderr): minimum,
median and maximum. A figure, never asserted (tests/README.md).

usage: lsp_edit.py PLUMB ROOT FILE   (FILE relative to ROOT)
e.g.   tests/bench/lsp_edit.py bin/plumb fixtures/demo apps/label-studio/deployment.yaml
"""
import io
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import lsp_driver as L  # noqa: E402


def spread(xs):
    xs = sorted(xs)
    return "min %.1f median %.1f max %.1f" % (xs[0], xs[len(xs) // 2], xs[-1])


def main():
    plumb, root, name = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    os.environ["PLUMB_LSP_TIMING"] = "1"
    s = L.Server(plumb, root)
    L.initialize(s, root)
    uri = L.uri_of(root, name)
    with open(os.path.join(root, name), encoding="utf-8") as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    s.diagnostics(uri, 1)
    trips = []
    for v in range(2, 22):
        t0 = time.monotonic()
        s.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"text": text + "\n# edit %d\n" % v}]})
        s.diagnostics(uri, v)
        trips.append((time.monotonic() - t0) * 1000)
    i = s.request("shutdown", None)
    s.response(i)
    s.notify("exit", None)
    real = sys.stderr
    sys.stderr = io.StringIO()
    s.finish()
    log, sys.stderr = sys.stderr.getvalue(), real
    lints = [float(m) for m in re.findall(r"linted \d+ files in ([0-9.]+) ms", log)][1:]
    print("round trip ms:", spread(trips))
    print("lint ms:      ", spread(lints))


if __name__ == "__main__":
    main()
