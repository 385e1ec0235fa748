#!/usr/bin/env python3
"""Differential test: Ferry's HL7 library against python3-hl7 (Debian).

usage: differential.py DUMP_TOOL CORPUS_DIR

For every CORPUS_DIR/*.hl7 both sides list every leaf value as
(message number, path, value), with paths SEG[occurrence]-field[repetition]
.component.subcomponent fully spelled out. Ferry's side is DUMP_TOOL
(tests/hl7/dump.cpp, which uses split_messages() and Message::get()); the
other side is the `hl7` module. Every difference must be listed in
CORPUS_DIR/KNOWN_DIFFERENCES, and every listed difference must still
occur, so the list can neither hide new bugs nor go stale.

What this harness does for python3-hl7 (it is not a difference in values):
- segment separators are turned into CR, the only one hl7.parse_file()
  splits messages on;
- bytes are decoded with the charset MSH-18 names (python-hl7 works on str
  and leaves decoding to its caller); a corpus file uses one charset.
"""
import json
import logging
import os
import subprocess
import sys

import hl7

# python-hl7 logs every escape sequence it cannot decode; the comparison
# reports those values anyway.
logging.disable(logging.CRITICAL)

CHARSETS = {"": "utf-8", "ASCII": "utf-8", "UNICODE UTF-8": "utf-8", "8859/1": "latin-1"}


def messages_of(parsed):
    """hl7.parse_file() gives a File of Batches of Messages."""
    for batch in parsed:
        yield from batch


def python_side(data):
    data = data.replace(b"\r\n", b"\r").replace(b"\n", b"\r")
    # First pass in Latin-1 (every byte is a character) only to read MSH-18.
    names = {str(m.segment("MSH")(18)).upper() if len(m.segment("MSH")) > 18 else ""
             for m in messages_of(hl7.parse_file(data.decode("latin-1")))}
    if len(names) != 1 or next(iter(names)) not in CHARSETS:
        raise SystemExit("corpus file must use one supported charset, found %r" % names)
    text = data.decode(CHARSETS[names.pop()])
    values = {}
    for number, message in enumerate(messages_of(hl7.parse_file(text)), 1):
        seen = {}
        for segment in message:
            name = str(segment[0][0])
            seen[name] = seen.get(name, 0) + 1
            for f in range(1, len(segment)):
                field = segment[f]
                header_field = name in ("MSH", "BHS", "FHS") and f <= 2
                # Field > Repetition > Component > str; a level without
                # separators holds the str directly.
                reps = [field[0]] if header_field else list(field)
                for r, rep in enumerate(reps, 1):
                    comps = [rep] if isinstance(rep, str) else list(rep)
                    for c, comp in enumerate(comps, 1):
                        subs = [comp] if isinstance(comp, str) else list(comp)
                        for s, sub in enumerate(subs, 1):
                            value = sub if header_field else message.unescape(sub)
                            values[(number, "%s[%d]-%d[%d].%d.%d" % (name, seen[name], f, r, c, s))] = value
    return values


def ferry_side(tool, path):
    out = subprocess.run([tool, path], check=True, stdout=subprocess.PIPE).stdout.decode("utf-8")
    values = {}
    for line in out.splitlines():
        number, p, value = json.loads(line)
        values[(number, p)] = value
    return values


def known_differences(path):
    known = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            file, number, p, reason = line.split(None, 3)
            known[(file, int(number), p)] = reason
    return known


def main():
    tool, corpus = sys.argv[1], sys.argv[2]
    known = known_differences(os.path.join(corpus, "KNOWN_DIFFERENCES"))
    found = set()
    failures = 0
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".hl7"))
    compared = 0
    for file in files:
        path = os.path.join(corpus, file)
        with open(path, "rb") as f:
            py = python_side(f.read())
        fe = ferry_side(tool, path)
        if not fe:
            print("%s: Ferry read no values" % file)
            failures += 1
        for key in sorted(set(py) | set(fe)):
            compared += 1
            if py.get(key) == fe.get(key):
                continue
            found.add((file,) + key)
            if (file,) + key not in known:
                failures += 1
                print("%s message %d %s: Ferry %r, python-hl7 %r" % (file, key[0], key[1], fe.get(key), py.get(key)))
    for key in sorted(set(known) - found):
        failures += 1
        print("%s message %d %s: listed in KNOWN_DIFFERENCES but both agree now" % key)
    print("%d files, %d values compared, %d known differences, %d failures"
          % (len(files), compared, len(found & set(known)), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
