#!/usr/bin/env python3
"""Drives `plumb lsp` as an editor does, for tests/cli/lsp.sh.

usage: lsp_driver.py PLUMB SCENARIO ROOT

Each scenario writes what the server answered, one line per fact, on
stdout ("key value"); lsp.sh asserts those lines. A scenario fails (exit
1, the reason on stderr) when the server does not answer within the
timeout, breaks the framing, or its exit code is not the one LSP names.
Standard library only: python3 is in the CI image.
"""
import json
import os
import select
import subprocess
import sys
import time
import urllib.parse

TIMEOUT = 20.0


class Server:
    def __init__(self, plumb, root):
        self.p = subprocess.Popen([plumb, "lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=root)
        self.buf = b""
        self.next_id = 1
        self.pending = []  # messages read while waiting for another

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method,
                   "params": params})
        return i

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit("lsp_driver: no answer within %.0fs" % TIMEOUT)
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            raise SystemExit("lsp_driver: no answer within %.0fs" % TIMEOUT)
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise SystemExit("lsp_driver: the server closed its output")
        self.buf += chunk

    def read(self):
        """One message; the framing must be exact (stdout carries only
        protocol)."""
        if self.pending:
            return self.pending.pop(0)
        deadline = time.monotonic() + TIMEOUT
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        if len(lines) != 1 or not lines[0].startswith(b"Content-Length: "):
            raise SystemExit("lsp_driver: bad header %r" % head)
        n = int(lines[0][len(b"Content-Length: "):])
        self.buf = rest
        while len(self.buf) < n:
            self._fill(deadline)
        body, self.buf = self.buf[:n], self.buf[n:]
        return json.loads(body)

    def wait(self, pred):
        """The first message pred accepts; the others stay queued."""
        skipped = []
        while True:
            m = self.read()
            if pred(m):
                self.pending = skipped + self.pending
                return m
            skipped.append(m)

    def answer(self):
        """The next response (an id, no method), past notifications."""
        return self.wait(lambda m: "method" not in m)

    def response(self, i):
        return self.wait(lambda m: m.get("id") == i and "method" not in m)

    def diagnostics(self, uri, version):
        return self.wait(lambda m: m.get("method") ==
                         "textDocument/publishDiagnostics" and
                         m["params"]["uri"] == uri and
                         m["params"].get("version") == version)["params"]

    def finish(self):
        """Closes stdin and returns the exit code."""
        self.p.stdin.close()
        try:
            code = self.p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            raise SystemExit("lsp_driver: the server did not exit")
        err = self.p.stderr.read().decode("utf-8", "replace")
        sys.stderr.write(err)
        return code


def file_uri(path):
    """As editors write them: RFC 3986, a space is %20."""
    return "file://" + urllib.parse.quote(path)


def uri_of(root, name):
    return file_uri(os.path.join(root, name))


def initialize(s, root, encodings=None, related=False):
    caps = {}
    if encodings is not None:
        caps["general"] = {"positionEncodings": encodings}
    if related:
        caps["textDocument"] = {"publishDiagnostics": {
            "relatedInformation": True}}
    i = s.request("initialize", {"processId": None,
                                 "rootUri": file_uri(root),
                                 "capabilities": caps})
    r = s.response(i)["result"]
    s.notify("initialized", {})
    return r


def show_diag(d, label):
    r = d["range"]
    print("%s %s %d:%d-%d:%d severity=%d source=%s href=%s" % (
        label, d["code"], r["start"]["line"], r["start"]["character"],
        r["end"]["line"], r["end"]["character"], d["severity"],
        d["source"], d.get("codeDescription", {}).get("href", "-")))


def scenario_edit(plumb, root, encodings):
    """initialize, didOpen, codeAction, didChange with the fix, hover,
    shutdown, exit."""
    s = Server(plumb, root)
    r = initialize(s, root, encodings)
    caps = r["capabilities"]
    print("encoding", caps["positionEncoding"])
    print("sync", json.dumps(caps["textDocumentSync"], sort_keys=True))
    print("hover", caps["hoverProvider"])
    print("codeActions", ",".join(caps["codeActionProvider"]["codeActionKinds"]))
    uri = uri_of(root, "cm.yaml")
    with open(os.path.join(root, "cm.yaml"), encoding="utf-8") as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    p = s.diagnostics(uri, 1)
    print("published", len(p["diagnostics"]), "version", p["version"])
    for d in p["diagnostics"]:
        show_diag(d, "diagnostic")
    d = [d for d in p["diagnostics"] if d["code"] == "yaml/ambiguous-scalar"][0]
    i = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": d["range"]["start"]})
    h = s.response(i)["result"]
    print("hover-kind", h["contents"]["kind"])
    print("hover-first", h["contents"]["value"].splitlines()[0][:60])
    print("hover-has-help", "YAML 1.1" in h["contents"]["value"])
    i = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"],
        "context": {"diagnostics": [d]}})
    actions = s.response(i)["result"]
    fix = None
    for a in actions:
        edits = a["edit"]["changes"][uri]
        for e in edits:
            r = e["range"]
            print("action %s | %d:%d-%d:%d %s" % (
                a["title"], r["start"]["line"], r["start"]["character"],
                r["end"]["line"], r["end"]["character"],
                json.dumps(e["newText"])))
        if a.get("isPreferred"):
            fix = edits
    # apply the fix as an editor would, in the negotiated units
    lines = text.split("\n")
    for e in sorted(fix, key=lambda e: (e["range"]["start"]["line"],
                                        e["range"]["start"]["character"]),
                    reverse=True):
        st, en = e["range"]["start"], e["range"]["end"]
        assert st["line"] == en["line"]
        line = lines[st["line"]]
        if caps["positionEncoding"] == "utf-8":
            b = line.encode()
            b = b[:st["character"]] + e["newText"].encode() + b[en["character"]:]
            line = b.decode()
        else:
            u = line.encode("utf-16-le")
            u = (u[:2 * st["character"]] + e["newText"].encode("utf-16-le") +
                 u[2 * en["character"]:])
            line = u.decode("utf-16-le")
        lines[st["line"]] = line
    fixed = "\n".join(lines)
    print("fixed-line", lines[4])
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": fixed}]})
    p = s.diagnostics(uri, 2)
    print("after-fix", len(p["diagnostics"]), "version", p["version"])
    for d in p["diagnostics"]:
        show_diag(d, "remaining")
    i = s.request("shutdown", None)
    print("shutdown", json.dumps(s.response(i).get("result", "missing")))
    s.notify("exit", None)
    print("exit", s.finish())


def scenario_ignore(plumb, root):
    """The ignore action's edit, applied, silences the finding."""
    s = Server(plumb, root)
    initialize(s, root, ["utf-16"])
    uri = uri_of(root, "cm.yaml")
    with open(os.path.join(root, "cm.yaml"), encoding="utf-8") as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 7, "text": text}})
    d = s.diagnostics(uri, 7)["diagnostics"][0]
    i = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"],
        "context": {"diagnostics": [d]}})
    ign = [a for a in s.response(i)["result"] if "ignore" in a["title"]][0]
    e = ign["edit"]["changes"][uri][0]
    print("ignore-at", e["range"]["start"]["line"], e["range"]["start"]["character"])
    print("ignore-text", json.dumps(e["newText"]))
    lines = text.split("\n")
    ln = e["range"]["start"]["line"]
    lines.insert(ln, e["newText"].rstrip("\n").replace("-- reason", "-- a flag the app reads as a string"))
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 8},
        "contentChanges": [{"text": "\n".join(lines)}]})
    p = s.diagnostics(uri, 8)
    print("after-ignore", len(p["diagnostics"]))
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    p = s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    print("closed", len(p["params"]["diagnostics"]), "version" in p["params"])
    i = s.request("shutdown", None)
    s.response(i)
    s.notify("exit", None)
    print("exit", s.finish())


def error_of(m):
    e = m.get("error") or {}
    return "%s id=%s code=%s" % ("error" if "error" in m else "no-error",
                                 json.dumps(m.get("id")), e.get("code"))


def scenario_malformed(plumb, root):
    """Malformed messages get JSON-RPC errors; the server keeps serving."""
    s = Server(plumb, root)
    # a request before initialize
    i = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                         "position": {"line": 0, "character": 0}})
    print("before-init", error_of(s.response(i)))
    # a notification before initialize is dropped: nothing comes back
    s.notify("textDocument/didOpen", {})
    initialize(s, root)
    i = s.request("initialize", {"capabilities": {}})
    print("second-init", error_of(s.response(i)))
    s.send_raw(b"Content-Length: 12\r\n\r\n{not json!!}")
    print("invalid-json", error_of(s.answer()))
    s.send_raw(b"Content-Length: abc\r\n\r\n")
    print("bad-length", error_of(s.answer()))
    s.send_raw(b"Content-Type: application/json\r\n\r\n")
    print("no-length", error_of(s.answer()))
    s.send_raw(b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n")
    print("twice", error_of(s.answer()))
    s.send_raw(b"X-Huge: " + b"a" * 100000 + b"\r\n\r\n")
    print("huge-header", error_of(s.answer()))
    s.send_raw(b"Content-Length: 999999999999\r\n\r\n")
    # the server skips that many bytes: it is not answered before they
    # come, so this is the last framing case of the stream
    body = b"[1,2]"
    s.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    s2 = Server(plumb, root)
    initialize(s2, root)
    s2.send_raw(b"Content-Length: 5\r\n\r\n[1,2]")
    print("batch", error_of(s2.answer()))
    s2.send_raw(b"Content-Length: 2\r\n\r\n{}")
    print("no-method", error_of(s2.answer()))
    s2.send({"jsonrpc": "2.0", "id": [1], "method": "shutdown"})
    print("bad-id", error_of(s2.answer()))
    i = s2.request("frobnicate/now", {})
    print("unknown-method", error_of(s2.response(i)))
    s2.notify("frobnicate/later", {})
    i = s2.request("textDocument/hover", {"position": "here"})
    print("bad-params", error_of(s2.response(i)))
    i = s2.request("textDocument/codeAction", {"textDocument": {"uri": 3}})
    print("bad-params-2", error_of(s2.response(i)))
    i = s2.request("shutdown", None)
    s2.response(i)
    i = s2.request("textDocument/hover", {})
    print("after-shutdown", error_of(s2.response(i)))
    s2.notify("exit", None)
    print("exit", s2.finish())
    # the first server: the end of input without exit is exit code 1
    print("eof-exit", s.finish())


def scenario_watched(plumb, root):
    try:
        watched(plumb, root)
    finally:
        # never leave a broken .plumb.yaml to the next scenario
        cfg = os.path.join(root, ".plumb.yaml")
        if os.path.exists(cfg):
            os.unlink(cfg)


def watched(plumb, root):
    """.plumb.yaml written on disk and announced by didChangeWatchedFiles
    reopens the session: the rule it turns to warning is republished as
    such; a broken one is shown (window/showMessage) and the server goes
    on; removing it restores the default."""
    s = Server(plumb, root)
    initialize(s, root)
    uri = uri_of(root, "cm.yaml")
    cfg = os.path.join(root, ".plumb.yaml")
    with open(os.path.join(root, "cm.yaml"), encoding="utf-8") as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    d = s.diagnostics(uri, 1)["diagnostics"]
    print("before", d[0]["code"], "severity=%d" % d[0]["severity"])
    with open(cfg, "w") as f:
        f.write("rules:\n  yaml/ambiguous-scalar: warning\n")
    s.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": file_uri(cfg), "type": 1}]})
    d = s.diagnostics(uri, 1)["diagnostics"]
    print("configured", d[0]["code"], "severity=%d" % d[0]["severity"])
    with open(cfg, "w") as f:
        f.write("rules:\n  yaml/no-such-rule: warning\n")
    s.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": file_uri(cfg), "type": 2}]})
    m = s.wait(lambda m: m.get("method") == "window/showMessage")
    print("broken type=%d" % m["params"]["type"],
          m["params"]["message"].split(": ")[0])
    print("broken-diagnostics", len(s.diagnostics(uri, 1)["diagnostics"]))
    os.unlink(cfg)  # lsp.sh checks it is gone
    s.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": file_uri(cfg), "type": 3}]})
    d = s.diagnostics(uri, 1)["diagnostics"]
    print("removed", d[0]["code"], "severity=%d" % d[0]["severity"])
    i = s.request("shutdown", None)
    s.response(i)
    s.notify("exit", None)
    print("exit", s.finish())


def scenario_secret(plumb, root):
    """A secrets/ finding: code actions offer the ignore line, never a
    fix (a leaked credential is rotated, not reformatted)."""
    s = Server(plumb, root)
    initialize(s, root)
    uri = uri_of(root, "unsaved-secret.yaml")
    text = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
            "stringData:\n  password: Zq8vR2mX7kLp4Wn9Tt3Y\n")
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 3, "text": text}})
    ds = s.diagnostics(uri, 3)["diagnostics"]
    print("secret-findings", " ".join(sorted(d["code"] for d in ds)))
    print("secret-masked", all("Zq8vR2mX7kLp4Wn9Tt3Y" not in d["message"] for d in ds))
    i = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0},
                  "end": {"line": 6, "character": 0}},
        "context": {"diagnostics": ds}})
    for a in s.response(i)["result"]:
        print("secret-action", a["title"])
    i = s.request("shutdown", None)
    s.response(i)
    s.notify("exit", None)
    print("exit", s.finish())


def scenario_related(plumb, root, encodings, related=True):
    """A cross-file finding: the marker's tag is outside the range of an
    ImagePolicy written in another file, which relatedInformation names
    (its URI, its range in the negotiated encoding, a message); a client
    that does not take relatedInformation gets the place in the message."""
    s = Server(plumb, root)
    r = initialize(s, root, encodings, related)
    print("encoding", r["capabilities"].get("positionEncoding", "utf-16"))
    uri = uri_of(root, "deployment.yaml")
    with open(os.path.join(root, "deployment.yaml")) as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    for d in s.diagnostics(uri, 1)["diagnostics"]:
        show_diag(d, "diagnostic")
        print("message", d["message"].replace("\n", " | "))
        for x in d.get("relatedInformation", []):
            loc = x["location"]
            rg = loc["range"]
            name = loc["uri"][len(file_uri(root)) + 1:] \
                if loc["uri"].startswith(file_uri(root) + "/") else loc["uri"]
            print("related %s %d:%d-%d:%d %s" % (
                name, rg["start"]["line"], rg["start"]["character"],
                rg["end"]["line"], rg["end"]["character"], x["message"]))
    i = s.request("shutdown", None)
    s.response(i)
    s.notify("exit", None)
    print("exit", s.finish())


def scenario_noshutdown(plumb, root):
    s = Server(plumb, root)
    initialize(s, root)
    s.notify("exit", None)
    print("exit-without-shutdown", s.finish())


def main():
    plumb, scenario, root = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    if scenario == "edit-utf16":
        scenario_edit(plumb, root, ["utf-16"])
    elif scenario == "edit-utf8":
        scenario_edit(plumb, root, ["utf-8", "utf-16"])
    elif scenario == "edit-default":
        scenario_edit(plumb, root, None)
    elif scenario == "ignore":
        scenario_ignore(plumb, root)
    elif scenario == "malformed":
        scenario_malformed(plumb, root)
    elif scenario == "watched":
        scenario_watched(plumb, root)
    elif scenario == "secret":
        scenario_secret(plumb, root)
    elif scenario == "related-utf16":
        scenario_related(plumb, root, ["utf-16"])
    elif scenario == "related-utf8":
        scenario_related(plumb, root, ["utf-8"])
    elif scenario == "related-unsupported":
        scenario_related(plumb, root, ["utf-16"], False)
    elif scenario == "noshutdown":
        scenario_noshutdown(plumb, root)
    else:
        raise SystemExit("lsp_driver: unknown scenario " + scenario)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
