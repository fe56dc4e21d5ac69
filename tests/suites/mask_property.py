#!/usr/bin/env python3
"""mask_property.py - the masking property over generated files.

Builds a few hundred files from the gitleaks true positives of
../shared/testsuites/secrets (read at run time, never copied into the
project): each value as a text file (twice, the second copy suppressed),
single-line values as YAML values, and one file of 1,001 copies of a value
followed by other values (the per-file cap). It lints them with every
format (text, json, sarif, github), writes a baseline and scans the
history of a git repository holding them; then it reads back, from the
JSON report, the span of every secrets/ finding (the cap notice included)
and checks that no flagged value appears in full in any output, raw or as
JSON or a GitHub workflow command would escape it.

usage: mask_property.py PLUMB SECRETS_SUITE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

MIN_CHECKED = 8  # shorter values may legitimately be parts of words


def tps(suite):
    with open(os.path.join(suite, "gitleaks", "rule-cases.json")) as f:
        doc = json.load(f)
    for rule in doc["rules"]:
        for i, tp in enumerate(rule.get("true_positives", [])):
            text = tp.get("text") if isinstance(tp, dict) else tp
            if isinstance(text, str) and text.strip():
                yield rule["rule_id"], i, text


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def generate(root, suite):
    n = 0
    singles = []
    for rule, i, text in tps(suite):
        base = "%s-%d" % (rule, i)
        body = text if text.endswith("\n") else text + "\n"
        # the same value twice: the second copy's own finding suppressed
        lines = body.rstrip("\n").split("\n")
        copy = lines[-1] + "  # plumb:ignore secrets/* -- property copy\n"
        write(root, "text/%s.env" % base, body + copy)
        n += 1
        if "\n" not in text.strip() and "'" not in text and n % 3 == 0:
            singles.append(text.strip())
            write(root, "yaml/%s.yaml" % base,
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                  "  name: c%d\ndata:\n  value: '%s'\n  note: x\n"
                  "  note: '%s'\n" % (n, text.strip(), text.strip()))
            n += 1
    # past the per-file cap: 1,001 copies of one value, then others
    if singles:
        many = [singles[0]] * 1001 + singles[1:40]
        write(root, "cap/many.env", "".join(s + "\n" for s in many))
        n += 1
    return n


def run(plumb, args, cwd, out):
    with open(out, "wb") as f:
        p = subprocess.run([plumb] + args, cwd=cwd, stdout=f,
                           stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit("mask-property: plumb %s exited %d: %s" %
                 (" ".join(args), p.returncode,
                  p.stderr.decode(errors="replace")))
    return p.returncode


def span_text(root, f):
    path = os.path.join(root, f["path"])
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        lines = fh.read().split("\n")
    l0, c0 = f["line"] - 1, f["column"] - 1
    l1, c1 = f["endLine"] - 1, f["endColumn"] - 1
    if l0 == l1:
        return lines[l0][c0:c1]
    return "\n".join([lines[l0][c0:]] + lines[l0 + 1:l1] + [lines[l1][:c1]])


def values_of(text):
    """The flagged value as plumb reads it from its span, and its lines."""
    v = text
    if v.startswith("&"):
        v = v.split(" ", 1)[1] if " " in v else ""
    if v.startswith("*"):
        return []
    v = v.strip(" \t\"'")
    out = [v] if len(v) >= MIN_CHECKED else []
    if "\n" in v:
        out += [p.strip() for p in v.split("\n")
                if len(p.strip()) >= MIN_CHECKED]
    return out


def forms(v):
    gh = v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return {v, json.dumps(v)[1:-1], gh}


def main():
    plumb, suite = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "repo")
        n = generate(root, suite)
        outs = {}
        for fmt in ("text", "json", "sarif", "github"):
            outs[fmt] = os.path.join(tmp, "out." + fmt)
            run(plumb, ["check", "--format", fmt, "."], root, outs[fmt])
        outs["baseline"] = os.path.join(tmp, "baseline.json")
        run(plumb, ["baseline", "-o", outs["baseline"], "."], root,
            os.path.join(tmp, "baseline.stdout"))
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "."], cwd=root, check=True)
        subprocess.run(git + ["commit", "-qm", "values"], cwd=root,
                       check=True)
        for fmt in ("text", "json"):
            outs["history." + fmt] = os.path.join(tmp, "history." + fmt)
            run(plumb, ["check", "--history", "--format", fmt, "."], root,
                outs["history." + fmt])

        with open(outs["json"]) as f:
            report = json.load(f)
        flagged = set()
        for f in report["findings"]:
            if f["rule"].startswith("secrets/"):
                flagged.update(values_of(span_text(root, f)))
        if len(flagged) < 100:
            sys.exit("mask-property: only %d flagged values in %d files; "
                     "the generator or the rules broke" % (len(flagged), n))
        texts = {}
        for name, path in outs.items():
            with open(path, encoding="utf-8", errors="replace") as f:
                texts[name] = f.read()
        leaks = []
        for v in sorted(flagged):
            for name, text in texts.items():
                if any(x in text for x in forms(v)):
                    leaks.append("%s: %r" % (name, v[:80]))
        for leak in leaks[:20]:
            print("LEAK " + leak)
        print("mask-property: %d files, %d flagged values, %d outputs, "
              "%d leaks" % (n, len(flagged), len(texts), len(leaks)))
        return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
