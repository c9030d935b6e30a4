#!/usr/bin/env python3
"""mutate.py: a mutation fuzzer of whole vgradcc input files.

    python3 tests/fuzz/mutate.py --vgradcc build-fuzz/vgradcc \\
        --findings build-fuzz/findings (--count N | --seconds S) [--seed K]

Seeds are tests/golden/*.c and samples/*.c (their VG_DRIVER part cut off).
Input number i is made from random.Random("K:i") alone, so a run with the
same seed and count makes the same inputs.  Each input gets one to four
mutations: byte and token changes, splices from other seeds, and C-aware
ones (duplicated or deleted statements and braces, changed operators,
types and numbers, inserted pragmas and clauses, deep nesting, odd names,
typedefs).  It is written to a scratch directory and run through vgradcc
(built with ASan/UBSan) with a time limit; when vgradcc exits 0, the .vg.c
is compiled with `CC -std=c99 -c -Iruntime`.

A finding is one of these classes:
  crash      vgradcc killed by a signal
  hang       vgradcc still running after --timeout seconds (default 10)
  sanitizer  an AddressSanitizer or UBSan report on stderr
  partial    exit != 0 with an output file (or a temporary) left, or
             exit 0 without both the .vg.c and the .vg.h
  noloc      an error, fatal error or warning line that does not start
             with FILE:LINE:COL:, the form of every diagnostic about an
             input (notes may remark on the whole run: clang's "too many
             errors emitted"); lines that repeat a source line of the
             input (the echo under a diagnostic) are not read
  silent     exit != 0 without any error
  badexit    an exit status other than 0 or 1
  badcode    exit 0, and the .vg.c does not compile (the signature says
             when the input itself does not compile with CC either)
Each is saved into the findings directory as CLASS-HASH.c (the input)
and CLASS-HASH.log (command, exit status, stderr, the C compiler's
output), at most --keep per class and signature.  The summary at the end
counts findings by class and signature; the exit status is 1 if there
was any finding, else 0.  --reduce FILE.c deletes lines of a saved input
while it gives the same finding, and writes what is left to
FILE.reduced.c.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ------------------------------------------------------------------ seeds


def strip_driver(text):
    """Cuts the `#ifdef VG_DRIVER` part (a test's main) off a seed."""
    m = re.search(r"^#\s*ifdef\s+VG_DRIVER\b", text, re.M)
    return text[: m.start()] if m else text


def load_seeds():
    seeds = []
    for sub in ("tests/golden", "samples"):
        d = os.path.join(ROOT, sub)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".c") or name.endswith("_main.c"):
                continue
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                text = strip_driver(f.read())
            if "vgrad" in text:
                seeds.append((os.path.join(sub, name), d, text))
    return seeds


# ------------------------------------------------------------- tokenizing

TOKEN = re.compile(
    r"""(?P<comment>/\*.*?\*/|//[^\n]*)
      |(?P<pp>^[ \t]*\#[^\n]*(?:\\\n[^\n]*)*)
      |(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
      |(?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
      |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<space>\s+)
      |(?P<punct><<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!=<>]=|\.\.\.|.)""",
    re.S | re.M | re.X,
)


def tokens(text):
    return [(m.lastgroup, m.group()) for m in TOKEN.finditer(text)]


def join(toks):
    return "".join(t for _, t in toks)


# --------------------------------------------------------- mutation pieces

ODD_NAMES = [
    "vg_tape", "vg_tape_reserve_f64", "tape", "d_x", "d_y", "d_out", "adj", "vg_adj",
    "sin", "cos", "exp", "log", "sqrt", "pow", "fabs", "fmax", "malloc", "free",
    "memcpy", "main", "REAL", "x_value_and_grad", "value_and_grad", "grad",
    "argnums", "loss", "all", "_", "__x", "t0", "i", "n", "restrict", "errno",
    "NAN", "INFINITY", "result", "ret", "tmp", "fabsf", "y_1", "x1", "x", "y",
]
NUMBERS = [
    "0", "1", "-1", "2", "0.0", "-0.0", "1e308", "1e-320", "1e400", "0x7fffffff",
    "2147483647", "2147483648", "4294967296", "18446744073709551615ULL",
    "1073742824", "-2147483648", "1.5f", "3.0L", "'a'", "0x1p-1074", "1000000",
    "(0.0/0.0)", "(1.0/0.0)", "010", "1u", "100000000000LL",
]
TYPES = [
    "double", "float", "int", "long", "long double", "unsigned", "char", "_Bool",
    "const double", "volatile double", "double *", "short", "size_t", "signed char",
    "long long", "unsigned long", "REAL", "real_t", "float _Complex",
]
BINOPS = ["+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||",
          "&", "|", "^", "<<", ">>", ","]
ASSIGNOPS = ["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="]
MATH = ["sin", "cos", "tan", "exp", "log", "sqrt", "fabs", "pow", "fmax", "fmin",
        "tanh", "atan2", "log1p", "expm1", "lgamma", "floor", "hypot", "cbrt", "erf"]
CLAUSES = ["argnums(all)", "argnums(0)", "argnums(0, 1)", "argnums(1, 0)", "argnums(7)",
           "argnums(1000000)", "argnames(x)", "argnames(x, y)", "argnames(n)",
           "loss(err)", "loss(x)", "name(g)", "name(main)", "name(sin)",
           "name(vg_tape)", "argnums()", "argnums(0,0)", "loss()", "snapshots(2)"]
STATEMENTS = [
    "{}", ";", "goto out; out: ;", "if (0) return 0;", "while (0) {}",
    "do { } while (0);", "for (;;) break;", "switch (1) { case 1: break; default: ; }",
    "static double s_v = 1.0;", "double *p_v = 0;", "int k_v = sizeof(double);",
    "double a_v[3] = {1, 2, 3};", "(void)0;", "double c_v = (1, 2.0);",
    "double q_v = 1 ? 2.0 : 3.0;", "int n_v = 5; double vla_v[n_v];",
    "double *m_v = malloc(8 * sizeof *m_v); free(m_v);", "enum { E_V = 3 };",
    "struct { double a, b; } s_s = {1, 2};", "typedef double dd_t; dd_t dd_v = 1;",
    "double (*fp_v)(double) = sin;", "_Static_assert(1, \"ok\");",
    "label_v: ;", "return;", "return 0;", "break;", "continue;",
    "double u_v = 1e308 * 1e308;", "int z_v = 1 << 31;", "double w_v = (double)(int)2.5;",
]
TOPLEVEL = [
    "typedef double real_t;", "typedef double *dptr;", "typedef float real_t;",
    "struct pt { double x, y; };", "typedef struct { double a[4]; } vec4;",
    "static double g_v = 2.0;", "double g_arr[10];", "extern double ext_v;",
    "#define SQ(a) ((a) * (a))", "#define VG_PRAGMA(t) _Pragma(#t)",
    "static double helper_v(double a) { return a * a; }",
    "double decl_only(double);", "#include <math.h>", "#include <stdlib.h>",
    "int vg_tape;", "double d_x;", "static double sin_v(double a) { return a; }",
    "enum { N_ENUM = 4 };", "union u { double d; long l; };",
    "#if 0\n#pragma vgrad value_and_grad(nothing)\n#endif",
]


def pick_ident(rng, toks):
    idents = [t for k, t in toks if k == "ident"]
    return rng.choice(idents) if idents else "x"


def function_names(text):
    return re.findall(r"^[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\([^;{)]*\)\s*\{", text, re.M) or ["f"]


def statement_lines(lines):
    """Indices of indented lines ending in ';' (statements inside functions)."""
    return [i for i, l in enumerate(lines) if l[:1] in " \t" and l.rstrip().endswith(";")]


def random_pragma(rng, text):
    fn = rng.choice(function_names(text) + ["f", "main", "nosuch", "sin", "vg_tape"])
    if rng.random() < 0.15:
        body = "checkpoint" + (" snapshots(%d)" % rng.choice([1, 2, 3, 1000000]) if rng.random() < 0.5 else "")
    else:
        body = "%s(%s)" % (rng.choice(["value_and_grad", "grad", "value_and_grad", "jacobian", "hvp", "hessian"]), fn)
        for _ in range(rng.randrange(0, 3)):
            body += " " + rng.choice(CLAUSES)
    if rng.random() < 0.2:
        return '_Pragma("vgrad %s")' % body
    return "#pragma vgrad " + body


# ------------------------------------------------------------- mutations
# Each takes (rng, text, seeds) and returns the new text.


def m_byte(rng, text, seeds):
    if not text:
        return text
    b = bytearray(text.encode("utf-8", "replace"))
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(len(b))
        r = rng.random()
        if r < 0.4:
            b[i] = rng.choice(b"(){}[];,+-*/=<>!&|^~?:#\"'\\\n 0129.eExX_abz\t") if rng.random() < 0.8 else rng.randrange(256)
        elif r < 0.7:
            del b[i: i + rng.randrange(1, 8)]
        else:
            b[i:i] = bytes([rng.choice(b"(){};,+*-/=0x")])
    return b.decode("utf-8", "replace")


def m_token(rng, text, seeds):
    toks = tokens(text)
    idx = [i for i, (k, _) in enumerate(toks) if k in ("ident", "number", "punct")]
    if not idx:
        return text
    for _ in range(rng.randrange(1, 4)):
        i = rng.choice(idx)
        kind, t = toks[i]
        if kind == "ident":
            if t in ("double", "float", "int", "long", "REAL") and rng.random() < 0.6:
                new = rng.choice(TYPES)
            elif t in MATH and rng.random() < 0.6:
                new = rng.choice(MATH)
            else:
                new = rng.choice(ODD_NAMES) if rng.random() < 0.6 else pick_ident(rng, toks)
        elif kind == "number":
            new = rng.choice(NUMBERS)
        elif t in BINOPS:
            new = rng.choice(BINOPS)
        elif t in ASSIGNOPS:
            new = rng.choice(ASSIGNOPS)
        elif t in ("++", "--"):
            new = rng.choice(["++", "--", ""])
        elif t in "{}();[]":
            new = rng.choice(["", "{", "}", "(", ")", ";", t + t])
        else:
            new = rng.choice(BINOPS + ["", "?", ":", "!", "~"])
        toks[i] = (kind, new)
    return join(toks)


def m_operator(rng, text, seeds):
    toks = tokens(text)
    idx = [i for i, (k, t) in enumerate(toks) if k == "punct" and t in BINOPS + ASSIGNOPS and t != ","]
    if not idx:
        return text
    for i in rng.sample(idx, min(len(idx), rng.randrange(1, 4))):
        t = toks[i][1]
        toks[i] = ("punct", rng.choice(ASSIGNOPS if t in ASSIGNOPS else BINOPS[:-1]))
    return join(toks)


def m_number(rng, text, seeds):
    toks = tokens(text)
    idx = [i for i, (k, _) in enumerate(toks) if k == "number"]
    if not idx:
        return text
    i = rng.choice(idx)
    toks[i] = ("number", rng.choice(NUMBERS))
    return join(toks)


def m_rename(rng, text, seeds):
    """Renames every use of one identifier to an odd or clashing name."""
    toks = tokens(text)
    old = pick_ident(rng, toks)
    new = rng.choice(ODD_NAMES + [pick_ident(rng, toks)])
    return join([(k, new if k == "ident" and t == old else t) for k, t in toks])


def m_type(rng, text, seeds):
    toks = tokens(text)
    idx = [i for i, (k, t) in enumerate(toks) if k == "ident" and t in ("double", "float", "int", "REAL", "long")]
    if not idx:
        return text
    for i in rng.sample(idx, min(len(idx), rng.randrange(1, 3))):
        toks[i] = ("ident", rng.choice(TYPES))
    out = join(toks)
    if "real_t" in out and "typedef" not in out:
        out = "typedef double real_t;\n" + out
    return out


def m_dup_statement(rng, text, seeds):
    lines = text.split("\n")
    st = statement_lines(lines)
    if not st:
        return text
    i = rng.choice(st)
    lines[i + 1: i + 1] = [lines[i]] * rng.randrange(1, 4)
    return "\n".join(lines)


def m_delete_line(rng, text, seeds):
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    i = rng.randrange(len(lines))
    del lines[i: i + rng.randrange(1, 3)]
    return "\n".join(lines)


def m_swap_lines(rng, text, seeds):
    lines = text.split("\n")
    st = statement_lines(lines)
    if len(st) < 2:
        return text
    a, b = rng.sample(st, 2)
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def m_brace(rng, text, seeds):
    toks = tokens(text)
    idx = [i for i, (k, t) in enumerate(toks) if t in ("{", "}")]
    if not idx:
        return text
    i = rng.choice(idx)
    r = rng.random()
    if r < 0.5:
        toks[i] = ("punct", "")
    elif r < 0.75:
        toks[i] = ("punct", toks[i][1] * 2)
    else:
        toks[i] = ("punct", "{" if toks[i][1] == "}" else "}")
    return join(toks)


def m_splice(rng, text, seeds):
    """Inserts a run of lines (often a whole function) from another seed."""
    other = rng.choice(seeds)[2].split("\n")
    lines = text.split("\n")
    starts = [i for i, l in enumerate(other) if re.match(r"^[A-Za-z_].*\)\s*\{\s*$", l)]
    if starts and rng.random() < 0.6:
        s = rng.choice(starts)
        e = s
        while e < len(other) and other[e] != "}":
            e += 1
        chunk = other[s: e + 1]
    else:
        s = rng.randrange(len(other))
        chunk = other[s: s + rng.randrange(1, 12)]
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = chunk
    return "\n".join(lines)


def m_insert_statement(rng, text, seeds):
    lines = text.split("\n")
    st = statement_lines(lines)
    if not st:
        return text
    i = rng.choice(st)
    indent = re.match(r"\s*", lines[i]).group()
    lines.insert(i + rng.randrange(0, 2), indent + rng.choice(STATEMENTS))
    return "\n".join(lines)


def m_insert_toplevel(rng, text, seeds):
    lines = text.split("\n")
    tops = [0] + [i + 1 for i, l in enumerate(lines) if l == "}"]
    lines.insert(rng.choice(tops), rng.choice(TOPLEVEL))
    return "\n".join(lines)


def m_pragma(rng, text, seeds):
    """Adds a pragma (sometimes inside a function, in #if 0, or two on a
    line), or changes the clauses of an existing one."""
    lines = text.split("\n")
    prag = [i for i, l in enumerate(lines) if "pragma vgrad" in l or "_Pragma" in l]
    r = rng.random()
    if prag and r < 0.35:
        i = rng.choice(prag)
        lines[i] = re.sub(r"\)\s*(\w.*)?$", ") " + " ".join(rng.sample(CLAUSES, rng.randrange(0, 3))), lines[i], count=1)
    elif r < 0.5:
        st = statement_lines(lines) or [0]
        lines.insert(rng.choice(st), random_pragma(rng, text))
    elif r < 0.6:
        lines.append("#if 0\n%s\n#endif" % random_pragma(rng, text))
    elif r < 0.7:
        loops = [i for i, l in enumerate(lines) if re.match(r"\s*(for|while|do)\b", l)] or [0]
        lines.insert(rng.choice(loops), "#pragma vgrad checkpoint")
    elif r < 0.8:
        lines.append('_Pragma("vgrad value_and_grad(%s)") _Pragma("vgrad grad(%s)")'
                     % (rng.choice(function_names(text)), rng.choice(function_names(text))))
    else:
        lines.append(random_pragma(rng, text))
    return "\n".join(lines)


def m_nest(rng, text, seeds):
    """Wraps a statement in nested ifs, loops or blocks (moderate depth:
    the 10,000-term and quadratic-time issues are known, issue 21)."""
    lines = text.split("\n")
    st = [i for i in statement_lines(lines) if not re.match(r"\s*(return|double|float|int|REAL|long|const|static)\b", lines[i])]
    if not st:
        return text
    i = rng.choice(st)
    depth = rng.choice([2, 5, 20, 60, 150])
    names = [t for k, t in tokens(lines[i]) if k == "ident" and t not in C_WORDS]
    var = rng.choice(names) if names and rng.random() < 0.5 else "1"
    kind = rng.choice(["if", "for", "block", "while", "else"])
    if kind == "if":
        head, tail = "if (%s > 0) {" % var, "}"
    elif kind == "for":
        head, tail = "for (int q_%d = 0; q_%d < 2; q_%d++) {", "}"
    elif kind == "while":
        head, tail = "while (0) {", "}"
    elif kind == "else":
        head, tail = "if (%s < 0) {} else {" % var, "}"
    else:
        head, tail = "{", "}"
    heads = [head % ((d,) * head.count("%d")) if "%d" in head else head for d in range(depth)]
    lines[i] = " ".join(heads) + lines[i] + tail * depth
    return "\n".join(lines)


def m_grow_expr(rng, text, seeds):
    """Replaces an identifier in an expression by a long or deep one."""
    toks = tokens(text)
    idx = [i for i, (k, t) in enumerate(toks) if k == "ident" and i + 1 < len(toks) and toks[i + 1][1] in (";", " ", ")", "+", "-", "*", "/")]
    if not idx:
        return text
    i = rng.choice(idx)
    v = toks[i][1]
    n = rng.choice([3, 20, 100, 300])
    r = rng.random()
    if r < 0.3:
        new = "(" + " + ".join([v] * n) + ")"
    elif r < 0.5:
        new = "(" * n + v + ")" * n
    elif r < 0.7:
        f = rng.choice(["sin", "exp", "sqrt", "fabs", "tanh"])
        n = min(n, 100)
        new = (f + "(") * n + v + ")" * n
    elif r < 0.85:
        new = "(%s ? %s : %s)" % (v, v, v)
    else:
        new = "(%s)(%s)" % (rng.choice(TYPES), v)
    toks[i] = ("ident", new)
    return join(toks)


def m_typedef(rng, text, seeds):
    """Introduces a typedef for double (or float, or a pointer) and uses it."""
    name = rng.choice(["real_t", "R", "vg_real", "d_x", "sin"])
    base = rng.choice(["double", "float", "long double", "const double", "REAL"])
    toks = tokens(text)
    out = [(k, name if k == "ident" and t == "double" and rng.random() < 0.7 else t) for k, t in toks]
    return "typedef %s %s;\n" % (base, name) + join(out)


def m_macro(rng, text, seeds):
    """Hides a piece of the function behind a macro."""
    toks = tokens(text)
    idx = [i for i, (k, t) in enumerate(toks) if k == "ident" and t in MATH + ["double", "return", "for", "if"]]
    if not idx:
        return text
    i = rng.choice(idx)
    t = toks[i][1]
    toks[i] = ("ident", "M_" + t)
    return "#define M_%s %s\n" % (t, t) + join(toks)


C_WORDS = {"return", "double", "float", "int", "long", "const", "static", "if", "else",
           "for", "while", "do", "sizeof", "struct", "unsigned", "char", "void", "REAL"}

MUTATIONS = [
    (m_byte, 1), (m_token, 3), (m_operator, 3), (m_number, 2), (m_rename, 2),
    (m_type, 3), (m_dup_statement, 3), (m_delete_line, 2), (m_swap_lines, 2),
    (m_brace, 1), (m_splice, 2), (m_insert_statement, 4), (m_insert_toplevel, 2),
    (m_pragma, 3), (m_nest, 2), (m_grow_expr, 2), (m_typedef, 2), (m_macro, 1),
]
MAX_SIZE = 64 * 1024


def make_input(base_seed, i, seeds):
    rng = random.Random("%d:%d" % (base_seed, i))
    origin, seed_dir, text = rng.choice(seeds)
    applied = []
    funcs, weights = zip(*MUTATIONS)
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        m = rng.choices(funcs, weights)[0]
        new = m(rng, text, seeds)
        if len(new) <= MAX_SIZE:
            text = new
            applied.append(m.__name__[2:])
    return origin, seed_dir, text, applied


# ------------------------------------------------------------- checking

DIAG = re.compile(r"\b(fatal error|error|warning):")
LOCATED = re.compile(r"^[^:\n]+:[0-9]+:[0-9]+: (fatal error|error|warning):")
SANITIZER = re.compile(r"Sanitizer|runtime error:")


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(cmd, cwd, timeout, env=None):
    """Runs cmd in its own process group; returns (rc or None on timeout, stdout+stderr split)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def first_frame(stderr):
    """The first stack frame in vgradcc's own code, for a sanitizer report."""
    m = re.search(r"#\d+ 0x[0-9a-f]+ in (\S+) (?:/\S+/)?((?:ir|frontend|ad|codegen|driver)/[\w.]+):(\d+)", stderr)
    if m:
        return "%s %s" % (m.group(1), m.group(2))
    m = re.search(r"(runtime error: [^\n]{0,60})", stderr)
    if m:
        return re.sub(r"0x[0-9a-f]+|-?\d+", "N", m.group(1))
    m = re.search(r"ERROR: AddressSanitizer: ([\w-]+)", stderr)
    return m.group(1) if m else "?"


def check(vgradcc, cc, runtime, text, seed_dir, scratch, timeout, outcomes):
    """Runs one input; returns (class, signature, log) or None when clean.
    Counts clean inputs by outcome ("accepted", "refused") in `outcomes`."""
    src = os.path.join(scratch, "fuzz.c")
    with open(src, "w", encoding="utf-8", errors="replace") as f:
        f.write(text)
    src_lines = set(l.rstrip("\r") for l in text.split("\n"))
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=0:allocator_may_return_null=1"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1"
    cmd = [vgradcc, "fuzz.c", "-I", seed_dir]
    start = time.time()
    rc, out, err = run(cmd, scratch, timeout, env)
    took = time.time() - start
    log = ["$ cd SCRATCH && " + " ".join(cmd),
           "exit: %s, %.2f s" % ("timeout" if rc is None else rc, took),
           "--- stderr", err.rstrip()[:20000]]
    left = sorted(n for n in os.listdir(scratch) if n != "fuzz.c")
    log.append("--- files left: %s" % (" ".join(left) or "none"))

    def finding(cls, sig):
        return cls, sig, "\n".join(log) + "\n"

    if rc is None:
        return finding("hang", "over %ds" % timeout)
    if SANITIZER.search(err):
        return finding("sanitizer", first_frame(err))
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = str(-rc)
        return finding("crash", "signal " + name)
    noloc = [l for l in err.split("\n") if DIAG.search(l) and not LOCATED.match(l) and l.rstrip("\r") not in src_lines]
    if noloc:
        return finding("noloc", re.sub(r"'[^']*'", "'…'", noloc[0])[:100])
    if rc not in (0, 1):
        return finding("badexit", "exit %d" % rc)
    if rc != 0:
        if left:
            return finding("partial", "exit %d, left %s" % (rc, " ".join(re.sub(r"tmp\w+$", "tmpXXXXXX", n) for n in left)))
        if not re.search(r"(^|: )(fatal error|error):", err, re.M):
            return finding("silent", "exit %d without an error" % rc)
        outcomes["refused"] += 1
        return None
    if left != ["fuzz.vg.c", "fuzz.vg.h"]:
        return finding("partial", "exit 0, left %s" % (" ".join(left) or "nothing"))
    ccmd = [cc, "-std=c99", "-c", "-w", "-I" + runtime, "-I" + seed_dir, "-o", "/dev/null", "fuzz.vg.c"]
    crc, cout, cerr = run(ccmd, scratch, 60)
    if crc != 0:
        log += ["--- " + " ".join(ccmd), "exit: %s" % crc, cerr.rstrip()[:20000]]
        with open(os.path.join(scratch, "fuzz.vg.c"), encoding="utf-8", errors="replace") as f:
            log += ["--- fuzz.vg.c", f.read()[:40000]]
        m = re.search(r"error: ([^\n]*)", cerr)
        sig = re.sub(r"'[^']*'|‘[^’]*’", "'…'", m.group(1))[:100] if m else "the C compiler failed (%s)" % crc
        # Told apart, not excused: input that clang takes and gcc does not.
        irc, _, ierr = run([cc, "-c", "-w", "-I" + runtime, "-I" + seed_dir, "-o", "/dev/null", "fuzz.c"], scratch, 60)
        if irc != 0:
            sig = "(the input does not compile either) " + sig
            log += ["--- the input with " + cc, ierr.rstrip()[:5000]]
        return finding("badcode", sig)
    outcomes["accepted"] += 1
    return None


# --------------------------------------------------------------- reducing


def reduce_finding(path, vgradcc, cc, runtime, include_dir, timeout):
    """Deletes runs of lines from the input in `path` while it still gives
    the same finding (class and signature); writes PATH.reduced.c."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    scratch_root = tempfile.mkdtemp(prefix="vgradcc-reduce.")
    tries = [0]

    def verdict(candidate):
        tries[0] += 1
        scratch = os.path.join(scratch_root, str(tries[0]))
        os.mkdir(scratch)
        r = check(vgradcc, cc, runtime, "\n".join(candidate), include_dir, scratch, timeout,
                  {"accepted": 0, "refused": 0})
        shutil.rmtree(scratch, ignore_errors=True)
        return r[:2] if r else None

    try:
        want = verdict(lines)
        if not want:
            print("%s: no finding to reduce" % path)
            return 1
        chunk = max(1, len(lines) // 2)
        while True:
            i, changed = 0, False
            while i < len(lines):
                candidate = lines[:i] + lines[i + chunk:]
                if candidate and verdict(candidate) == want:
                    lines, changed = candidate, True
                else:
                    i += chunk
            if chunk == 1 and not changed:
                break
            chunk = max(1, chunk // 2)
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    out = re.sub(r"\.c$", "", path) + ".reduced.c"
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("%s: %s (%s) kept in %d lines after %d runs" % (out, want[0], want[1], len(lines), tries[0]))
    return 0


# ------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vgradcc", required=True, help="the vgradcc to test (an ASan/UBSan build)")
    ap.add_argument("--findings", help="directory for the findings (needed unless --dump or --reduce)")
    ap.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    ap.add_argument("--count", type=int, help="number of inputs")
    ap.add_argument("--seconds", type=float, help="stop starting new inputs after this long")
    ap.add_argument("--first", type=int, default=0, help="number of the first input (default 0)")
    ap.add_argument("--timeout", type=float, default=10, help="seconds for one vgradcc run (default 10)")
    ap.add_argument("--keep", type=int, default=3, help="inputs kept per class and signature (default 3)")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"), help="C compiler for the .vg.c (default $CC or cc)")
    ap.add_argument("--show", action="store_true", help="print each input's mutations and outcome")
    ap.add_argument("--dump", metavar="N", type=int, help="print input N and exit")
    ap.add_argument("--reduce", metavar="FILE.c", help="delete lines of a finding's input while it gives the "
                    "same finding; writes FILE.reduced.c")
    ap.add_argument("--include-dir", default=os.path.join(ROOT, "tests/golden"),
                    help="-I for vgradcc and CC with --reduce (default tests/golden)")
    args = ap.parse_args()
    if args.reduce:
        return reduce_finding(args.reduce, os.path.abspath(args.vgradcc), args.cc, os.path.join(ROOT, "runtime"),
                              os.path.abspath(args.include_dir), args.timeout)
    if args.count is None and args.seconds is None and args.dump is None:
        ap.error("give --count or --seconds")

    seeds = load_seeds()
    if args.dump is not None:
        origin, _, text, applied = make_input(args.seed, args.dump, seeds)
        sys.stdout.write("/* input %d: %s, %s */\n%s" % (args.dump, origin, " ".join(applied), text))
        return 0
    if not args.findings:
        ap.error("give --findings")
    vgradcc = os.path.abspath(args.vgradcc)
    runtime = os.path.join(ROOT, "runtime")
    os.makedirs(args.findings, exist_ok=True)
    scratch_root = tempfile.mkdtemp(prefix="vgradcc-fuzz.")
    counts = {}     # (class, signature) -> [count, example file]
    outcomes = {"accepted": 0, "refused": 0}
    n = 0
    start = time.time()
    try:
        i = args.first
        while True:
            if args.count is not None and n >= args.count:
                break
            if args.seconds is not None and time.time() - start >= args.seconds:
                break
            origin, seed_dir, text, applied = make_input(args.seed, i, seeds)
            scratch = os.path.join(scratch_root, str(i))
            os.mkdir(scratch)
            result = check(vgradcc, args.cc, runtime, text, seed_dir, scratch, args.timeout, outcomes)
            if args.show:
                print("input %d (%s: %s): %s" % (i, origin, " ".join(applied), result[0] + ": " + str(result[1]) if result else "ok"), flush=True)
            if result:
                cls, sig, log = result
                entry = counts.setdefault((cls, sig), [0, None])
                entry[0] += 1
                if entry[0] <= args.keep:
                    h = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]
                    base = os.path.join(args.findings, "%s-%s" % (cls, h))
                    with open(base + ".c", "w", encoding="utf-8", errors="replace") as f:
                        f.write(text)
                    with open(base + ".log", "w", encoding="utf-8", errors="replace") as f:
                        f.write("input %d of seed %d (--seed %d --first %d --count 1 reproduces it)\n"
                                "made from %s by: %s\nclass: %s\nsignature: %s\n%s"
                                % (i, args.seed, args.seed, i, origin, " ".join(applied), cls, sig, log))
                    if entry[1] is None:
                        entry[1] = os.path.relpath(base + ".c")
            shutil.rmtree(scratch, ignore_errors=True)
            n += 1
            i += 1
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    total = sum(c for c, _ in counts.values())
    print("mutation fuzzer: %d inputs (seed %d, from %d), %.0f s: %d accepted and compiled, %d refused"
          " cleanly, %d findings in %d kinds"
          % (n, args.seed, args.first, time.time() - start, outcomes["accepted"], outcomes["refused"],
             total, len(counts)))
    for (cls, sig), (c, example) in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1][0])):
        print("  %-9s %4d  %s  (e.g. %s)" % (cls, c, sig, example))
    return 1 if counts else 0


if __name__ == "__main__":
    sys.exit(main())
