#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_lsp (tests/fuzz/corpus/fuzz_lsp/): an
editor session per seed, framed as plumb lsp reads it, plus the framing
faults tests/cli/lsp.sh checks. Run it again after changing it; the seeds
are generated, not copied from anywhere.
usage: lsp_seeds.py DIR"""
import json
import os
import sys


def frame(msg):
    body = json.dumps(msg, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def req(i, method, params):
    return frame({"jsonrpc": "2.0", "id": i, "method": method, "params": params})


def note(method, params):
    return frame({"jsonrpc": "2.0", "method": method, "params": params})


URI = "file:///tmp/fuzz-doc/cm.yaml"
CM = ('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: emoji\n'
      'data: {greeting: "\U0001F600", enabled: yes}\n')
RANGE = {"start": {"line": 4, "character": 32}, "end": {"line": 4, "character": 35}}

seeds = {
    "edit-session": note("initialized", {}) +
    note("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": CM}}) +
    req(1, "textDocument/hover", {"textDocument": {"uri": URI}, "position": RANGE["start"]}) +
    req(2, "textDocument/codeAction", {"textDocument": {"uri": URI}, "range": RANGE, "context": {"diagnostics": []}}) +
    note("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                    "contentChanges": [{"text": CM.replace("yes", '"yes"')}]}) +
    note("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                    "contentChanges": [{"range": RANGE, "text": "on"}]}) +
    note("textDocument/didSave", {"textDocument": {"uri": URI}}) +
    note("workspace/didChangeWatchedFiles", {"changes": [{"uri": URI, "type": 1}]}) +
    note("textDocument/didClose", {"textDocument": {"uri": URI}}) +
    req(3, "shutdown", None) + note("exit", None),
    "crlf-secret": note("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "yaml", "version": 1,
        "text": "apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\nstringData:\r\n  password: hunter2hunter2\r\n"}}) +
    req(1, "textDocument/codeAction", {"textDocument": {"uri": URI}, "range": {
        "start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
    "invalid-json": b"Content-Length: 12\r\n\r\n{not json!!}",
    "bad-length": b"Content-Length: abc\r\n\r\n" + note("exit", None),
    "no-length": b"Content-Type: application/json\r\n\r\n" + req(1, "shutdown", None),
    "twice": b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
    "huge-header": b"X-Huge: " + b"a" * 9000 + b"\r\n\r\n" + req(1, "frob", {}),
    "lf-only": b"Content-Length: 2\n\n{}",
    "batch": b"Content-Length: 5\r\n\r\n[1,2]",
    "short-body": b"Content-Length: 100\r\n\r\n{\"jsonrpc\"",
    "unknown": req(7, "frobnicate/now", {}) + note("$/cancelRequest", {"id": 7}),
    "bad-params": req(1, "textDocument/hover", {"position": "here"}) +
    req(2, "textDocument/codeAction", {"textDocument": {"uri": 3}}) +
    note("textDocument/didChange", {"textDocument": {"uri": URI}, "contentChanges": 5}),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
