"""Helpers of staged_focus.sh.

pick REPORT REPO N: the paths with findings in a JSON report (first N),
then every seventh tracked YAML file (first N), one per line.
compare PICK FULL STAGED: the findings of FULL on the picked paths must
be those of STAGED (rule, path, line, column, message); prints "same N"
or the differences, and exits 1 on a difference or when there is
nothing to compare.
"""
import json
import subprocess
import sys


def findings(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["findings"]


def key(f):
    return (f["path"], f["line"], f["column"], f["rule"], f["message"])


def pick(report, repo, n):
    paths = []
    for f in findings(report):
        if f["path"] not in paths:
            paths.append(f["path"])
    files = subprocess.run(["git", "-C", repo, "ls-files", "*.yaml"],
                           capture_output=True, text=True,
                           check=True).stdout.split()
    out = []
    for p in paths[:n] + files[::7][:n]:
        if p not in out:
            out.append(p)
    print("\n".join(out))


def compare(pick_file, full, staged):
    with open(pick_file, encoding="utf-8") as f:
        picked = set(f.read().split())
    want = {key(f) for f in findings(full) if f["path"] in picked}
    got = {key(f) for f in findings(staged)}
    if not want:
        print("nothing to compare: no finding on the picked files")
        return 1
    if want == got:
        print("same", len(want))
        return 0
    for k in sorted(want - got)[:10]:
        print("only in the full check:", k)
    for k in sorted(got - want)[:10]:
        print("only under --staged:", k)
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "pick":
        pick(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4]))
