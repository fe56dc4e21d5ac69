#!/usr/bin/env python3
"""Reads and edits plumb's cache files (engine/run/cache.c's format) for
tests/cli/cache.sh. Standard library only.

  cache_tool.py check FILE            "valid N" (N entries) or "invalid: why"
  cache_tool.py tamper FILE OLD NEW   replaces bytes OLD with NEW (same
                                      length) in the body, checksum fixed:
                                      a file plumb must still trust
  cache_tool.py build FILE NEW        sets the header's build string
                                      (version and commit), checksum kept
  cache_tool.py flip FILE             flips a byte of the body, checksum
                                      left stale
Exit 0, or 1 when the file does not decode (check) or OLD is absent.
"""
import hashlib
import struct
import sys

MAGIC = b"PLUMBCF\n"


def parse(data):
    """(header end, build, body) or raises ValueError."""
    if data[:8] != MAGIC:
        raise ValueError("magic")
    (fmt,) = struct.unpack_from("<I", data, 8)
    if fmt != 2:
        raise ValueError("format %d" % fmt)
    (blen,) = struct.unpack_from("<I", data, 12)
    at = 16 + blen
    build = data[16:at]
    at += 32  # digest
    (body_len,) = struct.unpack_from("<Q", data, at)
    at += 8
    want = data[at:at + 32]
    at += 32
    body = data[at:]
    if len(body) != body_len:
        raise ValueError("body length %d, header says %d" % (len(body), body_len))
    if hashlib.sha256(body).digest() != want:
        raise ValueError("checksum")
    return at, build, body


def entries(body):
    (n,) = struct.unpack_from("<I", body, 0)
    at = 4
    for _ in range(n):
        at += 16 + 4
        (length,) = struct.unpack_from("<I", body, at)
        at += 4 + length
        if at > len(body):
            raise ValueError("entry past the end")
    if at != len(body):
        raise ValueError("bytes after the last entry")
    return n


def write(path, head, body):
    size = len(body)
    # the body's length and checksum are the last 40 bytes of the header
    head = head[:-40] + struct.pack("<Q", size) + hashlib.sha256(body).digest()
    with open(path, "wb") as f:
        f.write(head + body)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    if cmd == "check":
        try:
            _, _, body = parse(data)
            print("valid %d" % entries(body))
        except (ValueError, struct.error) as e:
            print("invalid: %s" % e)
            return 1
        return 0
    at, build, body = parse(data)
    head = data[:at]
    if cmd == "tamper":
        old, new = sys.argv[3].encode(), sys.argv[4].encode()
        assert len(old) == len(new), "OLD and NEW must have one length"
        if old not in body:
            print("tamper: %r not in the body" % old)
            return 1
        write(path, head, body.replace(old, new))
    elif cmd == "build":
        new = sys.argv[3].encode()
        head = head[:12] + struct.pack("<I", len(new)) + new + head[16 + len(build):]
        write(path, head, body)
    elif cmd == "flip":
        b = bytearray(body)
        b[len(b) // 2] ^= 0x20
        with open(path, "wb") as f:
            f.write(head + bytes(b))
    return 0


if __name__ == "__main__":
    sys.exit(main())
