"""Fill empty msgstr entries of a .po file from a dict (msgid -> translation)."""
import json
import sys

def unquote(lines):
    return "".join(json.loads(l) for l in lines if l.strip().startswith('"'))

def quote(s):
    return json.dumps(s, ensure_ascii=False)

def fill(path, table):
    text = open(path, encoding="utf-8").read()
    out_blocks = []
    missing = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        try:
            i = next(k for k, l in enumerate(lines) if l.startswith("msgid "))
        except StopIteration:
            out_blocks.append(block); continue
        j = next(k for k, l in enumerate(lines) if l.startswith("msgstr "))
        msgid = unquote([lines[i][6:]] + lines[i + 1 : j])
        msgstr = unquote([lines[j][7:]] + lines[j + 1 :])
        if msgid == "" or "msgid_plural" in block:
            out_blocks.append(block); continue
        if msgid in table:
            new = table[msgid]
            tail = [l for l in lines[j + 1 :] if not l.strip().startswith('"')]
            lines = [l for l in lines[:j] if l != "#, fuzzy"] + ["msgstr " + quote(new)] + tail
            block = "\n".join(lines)
        elif not msgstr:
            missing.append(msgid)
        out_blocks.append(block)
    open(path, "w", encoding="utf-8").write("\n\n".join(out_blocks))
    return missing

if __name__ == "__main__":
    import importlib.util
    spec = importlib.util.spec_from_file_location("t", sys.argv[2])
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    missing = fill(sys.argv[1], mod.VI)
    for m in missing:
        print("MISSING:", repr(m))
