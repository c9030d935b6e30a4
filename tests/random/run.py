#!/usr/bin/env python3
"""run.py: generate random programs (gen.py), differentiate them with
vgradcc, compile and run their drivers, and classify each seed.

    python3 tests/random/run.py SEEDS [-j JOBS] [--build DIR] [--keep DIR]
                                [--exclude FEATURES] [--size SIZE]
                                [--tests] [--san FLAGS]

SEEDS is a range A-B (inclusive), a count N (seeds 1..N) or a list
A,B,C.  For every seed, in a scratch directory:

  1. gen.py writes rpSEED.c and rpSEED.h (and, for some seeds,
     rpSEED_lib.c: a second input file);
  2. vgradcc rpSEED.c [rpSEED_lib.c] (REAL double) and vgradcc
     -DREAL=float -DRP_FLOAT rpSEED.c [rpSEED_lib.c] (REAL float, float
     math functions);
  3. gcc -std=c99 -Wall -Wextra -O1 compiles each .vg.c, the driver
     (rpSEED.c with -DVG_DRIVER) and rpSEED_lib.c, and links them with
     libvgrad;
  4. runs both drivers; then compares the float gradient with the double
     one.
  A program with `#pragma omp` loops (gen.py's omp stream) goes through
  vgradcc, the compiler and the link with -fopenmp, its driver on 2
  threads.

Classes (the first that applies):

  GEN_BUG       the generator's fault: gen.py failed, the original
                program or its driver does not compile warning-free, or
                the original function gives NaN (it left a domain)
  VGRADCC_CRASH vgradcc died (signal, or exit != 0 without a diagnostic)
  REFUSED       vgradcc refused the program with file:line:col: error:
                (the generator writes only what README.md lists as
                supported, so every refusal is shown with its message:
                either the generator or the README is wrong)
  COMPILE_FAIL  a generated .vg.c does not compile (errors) or links
  WARNING       a generated .vg.c compiles with warnings under
                -Wall -Wextra (generated code must be warning-free)
  CRASH         a driver died (signal) or timed out (TIMEOUT)
  WRONG_VALUE   a value or written output of a generated function differs
                from the original's
  WRONG_GRAD    a gradient entry disagrees with finite differences
                (rp_check.h), a checkpointed loop with its taped twin,
                grad with value_and_grad, or the float gradient with the
                double one
  OK

Prints one line per failing seed, "SEED CLASS: detail" (with --tests, one
PASS/FAIL line per seed as tests/run.sh does), and a summary; exits 1 if
any seed failed.  --keep DIR keeps every failing seed's files in DIR/SEED.
"""

import argparse
import multiprocessing
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Limits in CPU seconds of each process, so that a soak sharing the
# machine (nice 19) gets no false timeouts; the wall clock only catches
# a process that sleeps or waits forever, at WALL_FACTOR times as much.
TIMEOUT_VGRADCC = 60
TIMEOUT_CC = 60
TIMEOUT_RUN = 30
WALL_FACTOR = 20

CLASSES = ["OK", "GEN_BUG", "VGRADCC_CRASH", "REFUSED", "COMPILE_FAIL", "WARNING", "CRASH", "TIMEOUT",
           "WRONG_VALUE", "WRONG_GRAD"]

# The float build against the double build: both run the same operations
# on the same inputs (multiples of 1/256, exact in float), so the float
# gradient differs by float rounding, relative 1e-7 per operation, grown
# by the program's conditioning.  1e-3 of the function's largest gradient
# entry plus 1e-2 of the entry is wide for that and still catches a
# missing term or a wrong factor in a float-only code path (the float
# math functions, float casts).
FLOAT_ATOL = 1e-3
FLOAT_RTOL = 1e-2

DIAG = re.compile(r"^[^:\s]+:\d+:\d+: error: ", re.M)


def run(cmd, cwd, timeout, env=None):
    """(returncode or "timeout", output).  A "timeout" leaves in LAST_STOP
    what stopped the process: the signal, with the CPU and wall seconds it
    had used (a SIGKILL before the CPU limit is the kernel's, not ours)."""
    global LAST_STOP

    def limit_cpu():
        resource.setrlimit(resource.RLIMIT_CPU, (timeout, timeout + 5))
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()

    def stop(what):
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return "%s after %.1f CPU s, %.1f s wall (limits %d CPU s, %d s wall)" % (
            what, cpu, time.monotonic() - start, timeout, timeout * WALL_FACTOR)
    try:
        p = subprocess.run(cmd, cwd=cwd, timeout=timeout * WALL_FACTOR, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=env, preexec_fn=limit_cpu)
        out = p.stdout.decode("utf-8", "replace")
        if p.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            LAST_STOP = stop(signal.Signals(-p.returncode).name)
            return "timeout", out
        return p.returncode, out
    except subprocess.TimeoutExpired as e:
        LAST_STOP = stop("the wall-clock limit")
        out = e.stdout.decode("utf-8", "replace") if e.stdout else ""
        return "timeout", out


LAST_STOP = ""


def first_lines(text, n=6):
    lines = [l for l in text.splitlines() if l.strip()]
    return " | ".join(lines[:n])


def errors_first(text, n=4):
    """The compiler's error lines first (then the rest), for the report."""
    lines = [l for l in text.splitlines() if l.strip()]
    errs = [l for l in lines if "error:" in l]
    return " | ".join((errs + [l for l in lines if l not in errs])[:n])


def check_seed(seed, opts):
    """Returns (class, detail) for one seed; files stay in opts.workdir/SEED."""
    d = os.path.join(opts.workdir, str(seed))
    os.makedirs(d, exist_ok=True)
    try:
        gen.write_program(seed, d, opts.size, [f for f in opts.exclude.split(",") if f])
    except Exception as e:  # the generator's own failure, whatever it is
        return "GEN_BUG", "gen.py: %s: %s" % (type(e).__name__, e)
    return check_program(d, "rp%d" % seed, opts)


def check_program(d, stem, opts):
    """Classifies the program d/STEM.c (with d/STEM.h, and d/STEM_lib.c
    when it exists: a second input of vgradcc): (class, detail).
    The generated file is compiled before the driver, so that a reduction
    of a COMPILE_FAIL or WARNING (reduce.sh) need not keep the driver."""
    src = stem + ".c"
    lib_src = os.path.join(d, stem + "_lib.c")
    inputs = [os.path.join(d, src)] + ([lib_src] if os.path.exists(lib_src) else [])
    vg = os.path.join(opts.build, "vgradcc")
    lib = os.path.join(opts.build, "libvgrad.a")
    cflags = ["-std=c99", "-Wall", "-Wextra", "-O1", "-I" + os.path.join(ROOT, "runtime")] + opts.san
    # -Walloc-size-larger-than is a guess of gcc's: after `switch (n % 4)`
    # it follows the path of a negative n (no case) into `malloc((size_t)n
    # * sizeof(REAL))`, in the original (seed 71003) and in the generated
    # file alike (seed 71732); n counts elements, positive in every call
    if "clang" not in os.path.basename(opts.cc):
        cflags.append("-Wno-alloc-size-larger-than")
    # the omp stream's parallel loops: vgradcc, the compiler and the link
    # with -fopenmp, the driver on 2 threads
    with open(os.path.join(d, src)) as f:
        omp = ["-fopenmp"] if "#pragma omp" in f.read() else []
    cflags += omp
    results = {}
    for prec, defs in (("double", []), ("float", ["-DREAL=float", "-DRP_FLOAT"])):
        pd = os.path.join(d, prec)
        os.makedirs(pd, exist_ok=True)
        if os.path.exists(os.path.join(d, stem + ".h")):
            shutil.copy(os.path.join(d, stem + ".h"), pd)
        # 1. vgradcc
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        rc, out = run([vg, "-I" + os.path.join(ROOT, "runtime")] + omp + defs + inputs + ["-o", os.path.join(pd, stem + ".vg.c")], d,
                      TIMEOUT_VGRADCC, env)
        if rc == "timeout":
            return "VGRADCC_CRASH", "%s: vgradcc stopped: %s" % (prec, LAST_STOP)
        if rc != 0:
            if DIAG.search(out) and rc == 1:
                return "REFUSED", "%s: %s" % (prec, first_lines(out, 3))
            return "VGRADCC_CRASH", "%s: vgradcc exit %s: %s" % (prec, rc, first_lines(out))
        # 2. the generated file
        rc, out = run([opts.cc] + cflags + defs + ["-I" + pd, "-c", stem + ".vg.c", "-o", "vg.o"], pd,
                      TIMEOUT_CC)
        if rc != 0:
            return "COMPILE_FAIL", "%s: %s" % (prec, errors_first(out))
        if out.strip():
            return "WARNING", "%s: %s" % (prec, errors_first(out))
        # 3. the driver (the original program and main): the generator's
        # responsibility, so any warning is a generator bug
        # (-Wmaybe-uninitialized is a guess of gcc's that a local array
        # filled for i < n is read at 2 before n is known to exceed 2;
        # clang makes no such guess)
        guess = "-Wno-unknown-warning-option" if "clang" in os.path.basename(opts.cc) else "-Wno-maybe-uninitialized"
        rc, out = run([opts.cc] + cflags + defs + ["-Wno-unknown-pragmas", guess, "-DVG_DRIVER", "-I" + pd, "-I" + HERE,
                                                   "-c", os.path.join(d, src), "-o", "driver.o"],
                      pd, TIMEOUT_CC)
        if rc != 0 or out.strip():
            return "GEN_BUG", "%s: the driver does not compile cleanly: %s" % (prec, errors_first(out))
        objs = ["driver.o", "vg.o"]
        if len(inputs) > 1:
            rc, out = run([opts.cc] + cflags + defs + [guess, "-I" + pd, "-c", lib_src, "-o", "lib.o"], pd, TIMEOUT_CC)
            if rc != 0 or out.strip():
                return "GEN_BUG", "%s: %s does not compile cleanly: %s" % (prec, stem + "_lib.c", errors_first(out))
            objs.append("lib.o")
        rc, out = run([opts.cc] + opts.san + omp + ["-o", "driver"] + objs + [lib, "-lm"], pd, TIMEOUT_CC)
        if rc != 0:
            return "COMPILE_FAIL", "%s: link: %s" % (prec, first_lines(out, 4))
        # 4. run
        # (a waiting thread sleeps: libgomp's spinning waiter would count
        # toward the CPU limit while the two jobs share two cores)
        omp_env = dict(os.environ, OMP_NUM_THREADS="2", OMP_WAIT_POLICY="passive")
        rc, out = run(["./driver"], pd, TIMEOUT_RUN, omp_env if omp else None)
        with open(os.path.join(pd, "driver.out"), "w") as f:
            f.write(out)
        if rc == "timeout":
            return "TIMEOUT", "%s driver stopped: %s" % (prec, LAST_STOP)
        if rc < 0 or rc > 1 or "ERROR: AddressSanitizer" in out or "runtime error:" in out:
            return "CRASH", "%s driver exit %s: %s" % (prec, rc, first_lines(
                [l for l in out.splitlines() if not l.startswith("G ")] and
                "\n".join(l for l in out.splitlines() if not l.startswith("G ")) or out))
        nan = [l for l in out.splitlines() if l.startswith("GEN_BUG")]
        if nan:  # the original program gives NaN: no value or gradient to compare
            return "GEN_BUG", "%s: %s" % (prec, first_lines("\n".join(nan), 2))
        bad = [l for l in out.splitlines() if l.startswith("WRONG_")]
        if rc != 0 or bad:
            if any(l.startswith("WRONG_VALUE") for l in bad):
                return "WRONG_VALUE", "%s: %s" % (prec, first_lines("\n".join(bad), 3))
            return "WRONG_GRAD", "%s: %s" % (prec, first_lines("\n".join(bad) or out, 3))
        results[prec] = out
    # 5. the float gradient against the double one
    bad = compare_float(results["double"], results["float"])
    if bad:
        return "WRONG_GRAD", "float vs double: " + " | ".join(bad[:3])
    return "OK", ""


def grads(out):
    g = {}
    for l in out.splitlines():
        if l.startswith("G "):
            _, fn, what, val = l.split()
            g[(fn, what)] = float(val)
    return g


def values(out):
    """The original's values the driver compared with, per function, in order."""
    v = {}
    for l in out.splitlines():
        if l.startswith("V "):
            _, fn, val = l.split()
            v.setdefault(fn, []).append(float(val))
    return v


def compare_float(dout, fout):
    gd, gf = grads(dout), grads(fout)
    if set(gd) != set(gf):
        return ["the float and double drivers check different entries"]
    # A function whose float program computes another loss than the double
    # one (a cast or a branch gone the other way in float: soak seed 109854,
    # 4.2409 against 4.6846) has gradients of another function: each build's
    # own checks stand, their comparison does not.
    loss_d, loss_f = values(dout), values(fout)
    diverged = set()
    for fn in loss_d:
        for a, b in zip(loss_d[fn], loss_f.get(fn, [])):
            if a == a and b == b and abs(a - b) > 1e-3 * max(1.0, abs(a)):
                diverged.add(fn)
    scale = {}
    for (fn, _), v in gd.items():
        if v == v:
            scale[fn] = max(scale.get(fn, 1.0), abs(v))
    bad = []
    for k, vd in sorted(gd.items()):
        if k[0] in diverged:
            continue
        vf = gf[k]
        tol = FLOAT_ATOL * scale.get(k[0], 1.0) + FLOAT_RTOL * abs(vd)
        if not abs(vf - vd) <= tol:
            bad.append("%s d_%s: float %.7g, double %.7g" % (k[0], k[1], vf, vd))
    return bad


def worker(args):
    seed, opts = args
    try:
        cls, detail = check_seed(seed, opts)
    except Exception as e:  # a bug of this script: report, do not stop the soak
        cls, detail = "GEN_BUG", "run.py: %r" % e
    d = os.path.join(opts.workdir, str(seed))
    if cls != "OK" and opts.keep:
        dest = os.path.join(opts.keep, str(seed))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(d, dest)
    shutil.rmtree(d, ignore_errors=True)
    return seed, cls, detail


def check_file(opts):
    """--file: classify one program; with --expect, the exit status says
    whether it still fails the same way (cvise's interestingness test)."""
    try:
        stem = os.path.basename(opts.file)[:-2]
        d = os.path.join(opts.workdir, "file")
        os.makedirs(d)
        shutil.copy(opts.file, d)
        for beside in (stem + ".h", stem + "_lib.c"):
            f = os.path.join(os.path.dirname(os.path.abspath(opts.file)), beside)
            if os.path.exists(f):
                shutil.copy(f, d)
        cls, detail = check_program(d, stem, opts)
    finally:
        shutil.rmtree(opts.workdir, ignore_errors=True)
    print("%s: %s" % (cls, detail))
    if opts.expect:
        return 0 if cls == opts.expect and re.search(opts.match, detail) else 1
    return 0 if cls == "OK" else 1


def commit_of_tree():
    """The checked-out commit, with '+changes' when the tree differs from it."""
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL).stdout.decode().strip() or "unknown"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
    return head + ("+changes" if dirty else "")


def read_log(path, seeds):
    """The seeds of SEEDS already classified in the log PATH ({seed: (class,
    detail)}); a new log starts with the commit line.  A log of another
    commit is refused: a soak counts programs run on one compiler."""
    commit = commit_of_tree()
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        with open(path, "w") as f:
            f.write("# commit %s\n" % commit)
        return {}
    wanted, done = set(seeds), {}
    with open(path) as f:
        first = f.readline().split()
        if first[:2] != ["#", "commit"] or first[2:] != [commit]:
            sys.exit("run.py: %s was written on commit %s, this tree is %s; "
                     "use a new log or check that commit out" % (path, " ".join(first[2:]) or "?", commit))
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) >= 2 and parts[0].isdigit() and int(parts[0]) in wanted and parts[1] in CLASSES:
                done[int(parts[0])] = (parts[1], parts[2] if len(parts) > 2 else "")
    return done


def parse_seeds(s):
    seeds = []
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds += range(int(a), int(b) + 1)
        elif "," in s:
            seeds.append(int(part))
        else:
            seeds += range(1, int(part) + 1)
    return seeds


def main():
    ap = argparse.ArgumentParser(description="random program tests of vgradcc (see the file's header)")
    ap.add_argument("seeds", nargs="?", help="A-B, N (1..N) or A,B,C")
    ap.add_argument("--file", help="classify this program (STEM.c, with STEM.h and maybe STEM_lib.c beside it) "
                    "instead of seeds")
    ap.add_argument("--expect", help="with --file: exit 0 only if the class is this one (reduce.sh)")
    ap.add_argument("--match", default="", help="with --expect: and the detail matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--cc", default=os.environ.get("CC", "gcc"))
    ap.add_argument("--san", default="", help="extra flags for the generated code and drivers (ASan)")
    ap.add_argument("--keep", default=None, help="keep failing seeds' files in this directory")
    ap.add_argument("--exclude", default="", help="gen.py --exclude")
    ap.add_argument("--size", default=None, help="gen.py --size")
    ap.add_argument("--tests", action="store_true", help="print PASS/FAIL random/SEED lines")
    ap.add_argument("--log", help="append 'SEED CLASS detail' per finished seed to this file; seeds "
                    "already in it are not run again (a soak in slices, on the commit the log names)")
    opts = ap.parse_args()
    opts.san = opts.san.split()
    opts.build = os.path.abspath(opts.build)
    if opts.keep:
        opts.keep = os.path.abspath(opts.keep)
        os.makedirs(opts.keep, exist_ok=True)
    opts.workdir = tempfile.mkdtemp(prefix="vgradcc-random.")
    if opts.file:
        sys.exit(check_file(opts))
    if not opts.seeds:
        ap.error("SEEDS or --file is needed")
    seeds = parse_seeds(opts.seeds)
    counts = {c: 0 for c in CLASSES}
    failing = []
    done = read_log(opts.log, seeds) if opts.log else {}
    for seed, (cls, detail) in sorted(done.items()):
        counts[cls] += 1
        if cls != "OK":
            failing.append((seed, cls, detail))
    log = open(opts.log, "a") if opts.log else None
    try:
        with multiprocessing.Pool(max(1, opts.jobs)) as pool:
            todo = [(s, opts) for s in seeds if s not in done]
            for seed, cls, detail in pool.imap_unordered(worker, todo):
                if log:
                    log.write("%d %s %s\n" % (seed, cls, detail.replace("\n", " | ")))
                    log.flush()
                counts[cls] += 1
                if opts.tests:
                    if cls == "OK":
                        print("PASS random/%d" % seed, flush=True)
                    else:
                        print("FAIL random/%d: %s: %s" % (seed, cls, detail), flush=True)
                elif cls != "OK":
                    failing.append((seed, cls, detail))
                    print("%d %s: %s" % (seed, cls, detail), flush=True)
    finally:
        shutil.rmtree(opts.workdir, ignore_errors=True)
        if log:
            log.close()
    total = len(seeds)
    summary = ", ".join("%s %d" % (c, n) for c, n in counts.items() if n)
    if done:
        summary += " (%d of them from %s)" % (len(done), opts.log)
    print("random: %d seeds: %s" % (total, summary), file=sys.stderr if opts.tests else sys.stdout)
    if not opts.tests and failing:
        print("failing seeds: " + " ".join("%d(%s)" % (s, c) for s, c, _ in sorted(failing)))
    sys.exit(0 if counts["OK"] == total else 1)


if __name__ == "__main__":
    main()
