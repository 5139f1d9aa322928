"""Splits libtorch's test files into one compilable unit per TEST, with the
namespace changed to kiln (see run.sh)."""
import pathlib
import re
import sys

FILES = ["tensor.cpp", "tensor_indexing.cpp", "autograd.cpp"]
# Out of scope: CUDA, complex dtypes, half/bfloat16, the c10 dispatcher.
SKIP = re.compile(r"_CUDA\b|complex|Half|BFloat16|TestAutogradNotImplementedFallback|Dispatcher|BackendMeta")


def to_kiln(text):
    # support.h includes what the tests need; the rest goes in an anonymous
    # namespace so helpers repeated in several units link.
    text = re.sub(r"#include [<\"][^>\"]*[>\"]\n", "", text)
    return re.sub(r"\b(torch|at|c10)::", "kiln::", text)


def units(text):
    lines = text.splitlines(keepends=True)
    header, pending, out, i = [], [], [], 0
    seen_test = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("TEST("):
            seen_test = True
            body = [line]
            i += 1
            while i < len(lines) and lines[i].rstrip() != "}":
                body.append(lines[i])
                i += 1
            body.append("}\n")
            out.append((line, "".join(pending + body)))
            pending = []
        elif seen_test:
            pending.append(line)
        else:
            header.append(line)
        i += 1
    return "".join(header), out


def main(src, dst):
    dst = pathlib.Path(dst)
    for name in FILES:
        header, tests = units(pathlib.Path(src, name).read_text())
        for n, (first, body) in enumerate(tests):
            if SKIP.search(first) or SKIP.search(body):
                continue
            m = re.match(r"TEST\((\w+),\s*(\w+)\)", first)
            unit = dst / f"{name[:-4]}__{m.group(1)}.{m.group(2)}.cpp"
            unit.write_text("namespace {\n" + to_kiln(header + body) + "}  // namespace\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
