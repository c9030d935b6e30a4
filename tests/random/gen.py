#!/usr/bin/env python3
"""gen.py: random C losses for vgradcc, each from an integer seed.

    python3 tests/random/gen.py SEED [-o DIR] [--size small|medium|large]
                                     [--exclude FEATURE,...]

writes DIR/rpSEED.c (the program, with its driver under #ifdef VG_DRIVER),
DIR/rpSEED.h (the struct types, which the generated header includes) and,
for some seeds (multifile), DIR/rpSEED_lib.c (helpers and globals of a
second input file).
The same seed and options give the same bytes.

The programs stay inside README.md's "What is supported so far": scalar,
pointer, array and struct parameters; locals and every compound
assignment; + - * / and unary minus; casts; comparisons, && || !, ?:;
if/else, return anywhere; switch with fall-through, break and default;
forward goto over a block and out of two loops; for/while/do with
break/continue; the comma operator in a for's init and step, chained
assignment, x[k++] = v, s += *p++, assignments and ++/-- in loop and if
conditions and in a return; assert; a GNU statement expression macro;
increments spelled x = x + e; a ?: statement calling a passive function
the driver defines; helpers called through function pointers (constant
tables of them, ?:, a helper given one); loops whose
trip count depends on active values (with a bound); writes through
pointers; same-file helpers (aliased array arguments too); math.h and its
float variants; structs by value and by pointer with nested structs and
fixed arrays; struct returns with aux members; loss(p); local fixed arrays,
VLAs, malloc/calloc/free; pointer locals and arithmetic; gathers through
index arrays; memcpy, memmove (overlapping) and memset of REAL buffers;
#pragma vgrad checkpoint [snapshots(N)]; argnums, argnames,
argnums(all), name(), grad and value_and_grad; optional arrays tested
against NULL, passed as NULL or not; losses written with vg_array
operations (gen_arrays.py); vg_stop_gradient and #pragma vgrad nondiff
in the top functions.

Values are kept smooth and bounded: every expression carries a bound on
its magnitude, and one that grows past BOUND_SQUASH is passed through
tanh/sin/atan; divisions are by 1.5 + tanh(..) and the like; log and sqrt
see arguments >= 1 and > 0.1.  Kinks (fabs, fmin, fmax, floor, branches
on active values, casts to int) are used as they come: the driver's
Richardson test (rp_check.h) tells a kink crossed by a step from a wrong
derivative.

The constructs added after the generator's first soaks (LATER_FEATURES:
switch, goto; SEQ_FEATURES: effects inside expressions, assert,
statement expressions, increment spellings; GLOBAL_FEATURES: globals and
constant tables; OPTIONAL_FEATURES: optional arrays; FNPTR_FEATURES:
calls through function pointers; MEM_FEATURES: memcpy, memmove and
memset of REAL buffers; MULTI_FEATURES: a second input file and helpers
in the program's header; ARRAY_FEATURES: vg_array losses; REC_FEATURES:
recursive functions, mutual ones too; INCR_FEATURES: increments whose
target is written another way on the right; PTRMOVE_FEATURES: pointers
moving between local arrays; OUTBUF_FEATURES: output buffers read again;
CONSTARR_FEATURES: local arrays sized by a const int; LOSSPAIR_FEATURES:
a loss parameter with a second element; SG_FEATURES: vg_stop_gradient;
NONDIFF_FEATURES: nondiff functions; CUSTOMRULE_FEATURES: custom_vjp and
custom_jvp rules; PTRMEMBER_FEATURES:
struct parameters whose members point to REAL data; JVP_FEATURES: jvp
pragmas and their checks; CARRIED_FEATURES: values carried from one
loop iteration to the next; LSP_FEATURES: local matrix structs whose data
pointer the loss allocates; VJP_FEATURES: vjp pragmas and their checks;
JAC_FEATURES: jacobian pragmas and their checks; JACLANES_FEATURES:
literal lengths in them; JVPREC_FEATURES: jvp in programs with recursive
functions of numbers; COMPLEX_FEATURES: C99
complex numbers in the top functions; OMPSLICES_FEATURES: parallel loops
over slices of one buffer, seed constant 227) draw from random streams of their
own, so a seed whose program has none of them gives the same program as
before.

With complex (Gen.rcx, seed constant 199), some top functions compute
with `REAL complex` values (<complex.h>, included only then): locals
built from active values, updated in loops by contractions that keep
them bounded (c = 0.6 c + 0.3 u, c = c cexp(I s) / (1.5 + cabs(c)),
c *= 0.5 + 0.4 u, c /= 2 + u with |u| < 1), + - * / with complex and
real operands, conj cexp clog csqrt cpow csin ccos (clog, csqrt and cpow
of 2 + u, away from the branch cut; FN spellings in float builds, cabsf
of a value cast to REAL complex), local complex arrays, static helpers
rp_chK(REAL complex z, REAL s), and back into the loss through creal,
cimag and cabs; cabs always of a value moved off 0 by a constant (its
derivative conj(z) / |z| is NaN at 0).  Such a function may take `const
REAL complex *zc` (n of them) and `REAL complex zk`; the driver checks
each part of their gradients (d/dx = creal(g), d/dy = -cimag(g)) with
rp_grad as a real input.  jacobian, hvp and hessian, which refuse
complex values, are not put on those functions.

A stopped value, RP_SG(k, e), is vg_stop_gradient((REAL)(e)) for vgradcc,
but rp_sg(k, e) in the driver's build: the driver's finite differences
must see it as a constant too, and applying vg_stop_gradient only where
FD cannot tell would test nothing; so the driver first runs the original
at the point checked, recording each site's values in order, and replays
them while an input moves.  rp_soft, a nondiff function with a body here,
is one such site; rp_step, without one, is a step function of the driver,
which FD sees as a constant between its steps.

With multifile, some helpers get external linkage and move to a second
file, DIR/rpSEED_lib.c, which also defines globals g_lib_gain and
g_lib_tab (and maybe the program's written globals); rpSEED.h then holds
their prototypes and extern declarations, and run.py gives vgradcc both
files.  With header_inline, some helpers are static inline in rpSEED.h.
A helper of either kind may call one of rpSEED.c's (it then loses its
static), and a helper of the lib file may instead call a static helper
of the same name and a different body in rpSEED_lib.c.

--exclude drops constructs that a known, not yet fixed bug trips on, so a
soak can look past it; the default includes everything.  FEATURES lists
the names."""

import argparse
import os
import re
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_arrays  # noqa: E402

FEATURES = [
    "struct",        # struct parameters, struct locals, struct helpers
    "struct_loop",   # struct variables assigned inside loops (issue 20, 5)
    "struct_ret",    # struct return with aux members
    "loss_param",    # void function with loss(p)
    "checkpoint",    # #pragma vgrad checkpoint before a counted loop
    "ckpt_overwrite_after",  # a checkpointed loop reads a variable written
                     # after it (issue 20, 1: parameters; random-findings:
                     # locals too)
    "heap",          # malloc / calloc / free
    "vla",           # variable length arrays
    "gather",        # index arrays
    "helpers",       # same-file helper functions
    "alias",         # helpers called with aliased array arguments
    "active_trip",   # loops whose trip count depends on active values
    "ptr_walk",      # pointer locals, *p++, row = W + j * n
    "kinks",         # fabs fmin fmax floor ceil round trunc fmod, int casts
    "early_return",  # return inside if / loops
    "float_math",    # sinf, expf, ... in float builds
    "lgamma",        # lgamma (random-findings: vgradcc_digammaf unused)
    "trailing_continue",  # a loop body may end with `if (c) continue;`
                     # (random-findings: `cont` set but not used)
    "helper_arg_same_name",  # a helper's argument may be a variable named
                     # as its parameter (random-findings: unused adj_N)
    "self_add_const",  # `t = t + 1.5;`, `t = t;` (random-findings: unused
                     # adj_N when in a loop)
    "param_write",   # scalar parameters assigned in the body
    "out_param",     # write-only output arrays
    "sincos",        # sin and cos (issue 20, 4: their companion is left
                     # undeclared, e.g. for sin(w[1]) of a local array w;
                     # without it they become tanh and erf)
    "switch",        # switch with fall-through, break, default
    "goto",          # forward goto: over a block, out of two loops
    "comma_for",     # for (i = 0, p = x; i < n; i++, p++), two counters
    "effects",       # a = b = e; y[k++] = v; s += *p++; assignments and
                     # ++/-- in loop and if conditions; return (u = e, ...)
    "assert",        # assert(c) on ints and active values, c true
    "stmt_expr",     # RP_MAX(a, b), a GNU statement expression
    "incr_spelling", # x = x + e, x = e + x, x = x - e, a[i] = a[i] + e
    "cond_call",     # c ? rp_note(k) : (void)0; rp_note defined by the driver
    "ptr_step_continue",  # a pointer stepped in the comma step of a for
                     # whose body has continue (random-findings: the
                     # generated file sets its adjoint pointer to 1,
                     # `d_p = 1`: a warning, and the gradient crashes)
    "globals",       # static const tables (1-D, 2-D) and numbers at file
                     # scope and in functions, a global number and table
                     # read, a running average and last loss written by
                     # a differentiated function, an int call counter
                     # written by a helper; enum and const int sizes
    "optional",      # an optional array `opt` the function tests against
                     # NULL (if (opt != NULL), if (!opt), opt ? opt[k] : c,
                     # ...) and passes on to a helper that tests it; the
                     # driver calls with NULL (NULL or a buffer for d_opt)
                     # and with an array
    "fnptr",         # helpers called through function pointers: an entry
                     # of a static const table of helpers of one signature
                     # indexed by an int, (c ? h1 : h2)(...), (*h)(...),
                     # and handed to a helper that calls its parameter f
    "memfns",        # memcpy into a new or an existing local array,
                     # memmove shifting one by an element either way,
                     # memset to 0; sizes n * sizeof(REAL), sizeof *a,
                     # sizeof a[0], sizeof of a fixed array (ad/memfns.c)
    "multifile",     # helpers with external linkage and globals in a
                     # second file, rpSEED_lib.c (vgradcc rpSEED.c
                     # rpSEED_lib.c), declared in rpSEED.h
    "header_inline", # helpers static inline in rpSEED.h
    "arrays",        # one or two losses written with vg_array operations
                     # (gen_arrays.py): broadcasting, reductions, matmul,
                     # kept locals, vg_item/vg_scalar, a loop replacing an
                     # array, helpers, a cast, struct returns of arrays
    "recursion",     # recursive functions (ad/recursion.c): of a scalar
                     # and a depth, along an array, over halves of one,
                     # and two mutually recursive ones, called by the top
                     # functions
    "incr_forms",    # increments whose target is written another way on
                     # the right: a[i] = *(a + i) + e, *(a + i) = a[i] - e,
                     # a[(k + 1) % n] = a[(1 + k) % n] + e, (*p).m = p->m
                     # + e, x = (REAL)(x + e), x = -(e) + x
    "ptr_moves",     # a pointer moving between local arrays: ?:, if/else,
                     # p++ then re-pointed, layers, ping-pong buffers
    "ptr_rows",      # a top function's `const REAL *const *rw` parameter
                     # (two rows of n, design 1.7's `double **x`): read as
                     # rw[k][i], *(rw[k] + i), through a row alias; its
                     # gradient rows point into one gradient buffer
    "ptr_tables",    # local arrays of pointers (ad/pointer_tables.c):
                     # rows of arrays walked in loops of a constant count
                     # (literal, sizeof, const int), *(t[r] + i), constant
                     # indices, arrays written through a table, a table of
                     # pointer variables' addresses set in a loop
    "outbuf",        # the output array `out`, maybe not selected, read
                     # again after it is written: summed, updated in place
                     # in a loop as scratch, walked by a pointer; declared
                     # `REAL out[n]`; loss(*err) and loss(err[0]) spellings
    "const_arrays",  # a local array inside a loop sized by a const int
                     # initialised with a constant (a fixed-size array)
    "loss_pair",     # loss(err), loss(*err), loss(err[0]) where the
                     # function also writes err[1], before or after the
                     # loss and maybe reading it (ADBench's reprojection
                     # error pair)
    "stop_gradient", # vg_stop_gradient(e) in the top functions' expressions
                     # (RP_SG: the driver's finite differences replay the
                     # stopped values, rp_sg)
    "nondiff",       # #pragma vgrad nondiff: rp_step (the driver's, no
                     # body here, a step function) and rp_soft (a body
                     # here, called not differentiated; its value replayed
                     # like a stopped one)
    "custom_rule",   # #pragma vgrad custom_vjp/custom_jvp: rp_cr (the driver's,
                     # no body here) with its rules rp_cr_vjp and rp_cr_jvp
                     # written here, called in the top functions' expressions
    "omp_forms",     # in the omp stream's loops: `#pragma omp atomic` (or `atomic
                     # update`) scatter-adds into a local array of bins, and
                     # the split form `#pragma omp parallel { #pragma omp for
                     # ... }` in place of `parallel for`
    "var_step",      # for loops stepping by a variable, `const int S = 2; for (...;
                     # i < n; i += S)` or `int S` set once, up or down
                     # (a counted loop whose step is not a literal)
    "custom_writer", # custom_vjp/custom_jvp for rp_cw(n, a, x, y), which writes
                     # y[i] = 0.5 y[i] + a tanh(x[i]) (the driver's, its length
                     # declared `REAL y[n]`): statements of the top functions
                     # writing a local array, whole or from an offset, in
                     # place or from another array
    "jvp_rec",       # jvp pragmas in programs whose recursive functions
                     # take numbers only (scalar and mutual recursion):
                     # their tangent functions g_jvp_rec
    "omp_slices",    # in the omp stream's functions: a second parallel loop
                     # over slices of one local buffer (a GPT-2 program's
                     # activations): rows of a `const int` width read from
                     # an input slice, each row's output written apart from
                     # it, in place, or interleaved with the input rows,
                     # from values the loop only reads (shared weights)
    "helper_fill",   # GMM in ADBench's C spelling: a buffer of three (heap
                     # or local) filled in each iteration by a helper
                     # writing through its output pointer, read through a
                     # pointer into scales the function computed
                     # (`&hs[c * 3]`); or the buffer read before its
                     # refill (ad/recompute.c: redone, or taped)
    "tiles",         # llm.c's tiled matmul: rows of a heap buffer taken a
                     # tile (a `const int`, a #define or a literal)
                     # at a time, each weight loaded once per tile into an
                     # unrolled accumulator array, `+=` or `x = x + e`
                     # (ad/distribute.c swaps the reverse of that nest)
    "gates",         # ADBench's LSTM cell: a heap block of gates allocated
                     # and freed in each step, pointers `&g[0]`, `g + n`
                     # into it, filled then read, or updated in place;
                     # inline or in a helper (ad/scoped_heap.c frees it in
                     # the forward sweep), or a pointer walking it
    "jac_lanes",     # jacobian pragmas with literal lengths (N, N * N)
                     # where the function has an int n: a reverse Jacobian
                     # of 2 to 8 rows then runs one forward sweep for all
                     # of them (ad/lanes.c)
    "complex",       # C99 complex numbers in top functions: `REAL complex`
                     # locals built from active values and updated in loops,
                     # + - * / with complex and real operands, compound
                     # assignments, conj cexp clog csqrt cpow csin ccos (FN
                     # spellings in float builds), back to the loss through
                     # creal cimag cabs; local complex arrays; static helpers
                     # taking and returning complex values; a `const REAL
                     # complex *zc` array and a `REAL complex zk` parameter
                     # whose gradients (df/dx - i df/dy) the driver checks
                     # part by part; not under jacobian, hvp or hessian
    "ptr_members",   # a struct parameter `PW pw` or `const PW *pw` whose
                     # REAL * members point into one buffer (design 1.7)
    "local_struct_ptr",  # a local matrix struct `rp_mat` whose `REAL *data`
                     # the loss allocates: set in place, returned by value
                     # (rp_mat_new) or on the heap (rp_mat_alloc), copied,
                     # pointed to, written through by rp_mat_scale, freed;
                     # or a buffer grown by realloc as it fills
    "jvp",           # #pragma vgrad jvp(f) on top functions too (forward
                     # mode, ad/forward.c), outputs(out, err) for the output
                     # array and the loss pointer, checked along a random
                     # direction; a program with it has none of what jvp
                     # does not support yet (struct returns, recursion,
                     # vg_array losses)
    "carried",       # a value set late in a loop body and read earlier in
                     # the next iteration: an index (k = i after a read of
                     # a[k]), the same inside a branch, a REAL value, a
                     # local array read before its refill (ad/recompute.c
                     # must tape these, not redo them)
    "omp",           # `#pragma omp parallel for reduction(+: s)` loops in
                     # the top functions (README, "Parallel loops"): terms
                     # read the function's values, a local per iteration,
                     # maybe an array written at the iteration's index and
                     # read after the loop; run.py then runs vgradcc and
                     # the compiler with -fopenmp, the driver on 2 threads
    "vjp",           # #pragma vgrad vjp(f) outputs(out, ...) on top
                     # functions returning a number: each d_ checked against
                     # central differences of <ct_ret, f> + <ct_out, out>
                     # with random cotangents
    "jacobian",      # #pragma vgrad jacobian(f) argnames(x[n], ...)
                     # outputs(out[n], return) [mode(fwd|rev)]: every entry
                     # checked against central differences of its row
    "hvp",           # #pragma vgrad hvp(f) and hessian(f) argnames(x[n],
                     # ...) on top functions returning a number: the
                     # gradient against central differences of f, the
                     # Hessian (an hvp with a unit direction: a column; or
                     # every entry) against central differences of the
                     # gradient
]
# Drawn from their own random stream (Gen.rj), so that a program in which
# none of them comes up is the same as before they were added.
LATER_FEATURES = ["switch", "goto"]
# Side effects in expressions (ad/sequence.c), assert, statement
# expressions and increments spelled x = x + e: from a third stream
# (Gen.rs), so a program without them is the same as before them.
SEQ_FEATURES = ["comma_for", "effects", "assert", "stmt_expr", "incr_spelling", "cond_call", "ptr_step_continue"]
# Globals and constant tables (ad/globals.c): from a fourth stream
# (Gen.rg), so a program without them is the same as before them.
GLOBAL_FEATURES = ["globals"]
# Optional arrays (NULL-tested pointers, design 1.7): from a fifth stream
# (Gen.ro), so a program without them is the same as before them.
OPTIONAL_FEATURES = ["optional"]
# Calls through function pointers (ad/normalize.c): from a sixth stream
# (Gen.rf), so a program without them is the same as before them.
FNPTR_FEATURES = ["fnptr"]
# memcpy, memmove, memset (ad/memfns.c): from a seventh stream (Gen.rmem), so
# a program without them is the same as before them.
MEM_FEATURES = ["memfns"]
# Several input files and helpers in the program's header (README,
# Several files): from an eighth stream (Gen.rmulti), so a program without them
# is the same as before them.
MULTI_FEATURES = ["multifile", "header_inline"]
# Losses written with vg_array operations (gen_arrays.py): from a ninth
# stream (Gen.ra), so a program without them is the same as before them.
ARRAY_FEATURES = ["arrays"]
# Recursive functions (ad/recursion.c): from a tenth stream (Gen.rrec), so
# a program without them is the same as before them.
REC_FEATURES = ["recursion"]
# Increments spelled with the target written another way (ir/query.c's
# same_place): from an eleventh stream (Gen.rinc), so a program without
# them is the same as before them.
INCR_FEATURES = ["incr_forms"]
# Pointers that move between local arrays (ad/normalize.c, share_bases):
# chosen by ?: or if/else, walked and re-pointed, layers reading the one
# below, ping-pong buffers: from a twelfth stream (Gen.rpm), so a program
# without them is the same as before them.
PTRMOVE_FEATURES = ["ptr_moves"]
# Output and scratch buffers read again (issue 18, 4): from a thirteenth stream
# (Gen.rout), so a program without them is the same as before them.
OUTBUF_FEATURES = ["outbuf"]
# Local arrays inside loops sized by a const int (issue 13, 5): from a
# fourteenth stream (Gen.rca), so a program without them is the same as
# before them.
CONSTARR_FEATURES = ["const_arrays"]
# A loss parameter whose second element the function also writes: from a
# fifteenth stream (Gen.rpair), so a program without it is the same as
# before it.
LOSSPAIR_FEATURES = ["loss_pair"]
# vg_stop_gradient (issue 14, 6): from a sixteenth stream (Gen.rsg), so a
# program without it is the same as before it.
SG_FEATURES = ["stop_gradient"]
# #pragma vgrad nondiff(g) (issue 14, 5): from a seventeenth stream (Gen.rnd),
# so a program without it is the same as before it.
NONDIFF_FEATURES = ["nondiff"]
# Struct parameters whose members point to REAL data (issue 18, 3): from a
# fifteenth stream (Gen.rpw), so a program without them is the same as
# before them.
PTRMEMBER_FEATURES = ["ptr_members"]
# Forward mode (jvp pragmas and their checks): from a nineteenth stream
# (Gen.rjvp), so a program without them is the same as before them.
JVP_FEATURES = ["jvp"]
# Values carried from one loop iteration to the next (ad/recompute.c):
# from a twentieth stream (Gen.rcar), so a program without them is the
# same as before them.
CARRIED_FEATURES = ["carried"]
# Custom derivative rules (issue 14, 5): from a twenty-first stream (Gen.rcr),
# so a program without them is the same as before them.
CUSTOMRULE_FEATURES = ["custom_rule"]
# Custom rules for a function that writes through a pointer (issue 14, 5):
# from a stream of their own (Gen.rcw), so a program without them is the
# same as before them.
CUSTOMWRITER_FEATURES = ["custom_writer"]
# Loops stepping by a variable (llm.c's `obt += LOOP_UNROLL`): from a stream
# of their own (Gen.rvs), so a program without them is the same as before them.
VARSTEP_FEATURES = ["var_step"]
# OpenMP atomic updates and the split parallel/for form: from a stream of
# their own (Gen.rof), so a program without them is the same as before them.
OMPFORMS_FEATURES = ["omp_forms"]
# C99 complex numbers: from a stream of their own (Gen.rcx), so a program
# without them is the same as before them.
COMPLEX_FEATURES = ["complex"]
# Literal lengths in jacobian pragmas (ad/lanes.c): from a stream of their
# own (Gen.rjl), so a program without them is the same as before them.
JACLANES_FEATURES = ["jac_lanes"]
# jvp through recursive functions: from a stream of their own (Gen.rjr), so
# a program without it is the same as before it.
JVPREC_FEATURES = ["jvp_rec"]
# Parallel loops over slices of one buffer (ad/omp_buffers.c): from a stream
# of their own (Gen.rosl), so a program without them is the same as before them.
OMPSLICES_FEATURES = ["omp_slices"]
# Fills through a helper's output pointer (ad/recompute.c): from a stream of
# their own (Gen.rhf), so a program without them is the same as before them.
HFILL_FEATURES = ["helper_fill"]
# Tiles of llm.c's matmul (ad/distribute.c): from a stream of their own
# (Gen.rtl), so a program without them is the same as before them.
TILE_FEATURES = ["tiles"]
# Gates of ADBench's LSTM cell (ad/scoped_heap.c): from a stream of their
# own (Gen.rgt), so a program without them is the same as before them.
GATE_FEATURES = ["gates"]
# OpenMP parallel loops (ad/omp.c): from a twenty-second stream (Gen.romp), so a
# program without them is the same as before them.
OMP_FEATURES = ["omp"]
# Local structs whose pointer members the loss allocates (issue 18, 3;
# ad/struct_pointers.c): from a twenty-third stream (Gen.rlsp), so a program
# without them is the same as before them.
LSP_FEATURES = ["local_struct_ptr"]
# vjp and jacobian pragmas (issue 14, 2 and 3): from streams of their own
# (Gen.rvjp, Gen.rjac), so a program without them is the same as before them.
VJP_FEATURES = ["vjp"]
JAC_FEATURES = ["jacobian"]
# hvp and hessian pragmas (issue 14, 4): from a stream of their own (Gen.rhvp),
# so a program without them is the same as before them.
HVP_FEATURES = ["hvp"]
# Local arrays of pointers (issue 18, 3; ad/pointer_tables.c): from a stream
# of their own (Gen.rpt), so a program without them is the same as before
# them.
PTRTABLE_FEATURES = ["ptr_tables"]
# `REAL **` parameters (issue 18, 3): from a stream of their own (Gen.rrows),
# so a program without them is the same as before them.
ROWS_FEATURES = ["ptr_rows"]

BOUND_SQUASH = 8.0  # an expression that may exceed this is squashed

SIZES = {
    # name: (max top functions, max helpers, statements per body, max depth)
    "small": (2, 3, (3, 7), 2),
    "medium": (4, 8, (3, 10), 3),
    "large": (8, 12, (5, 16), 3),
}


class Var:
    def __init__(self, name, kind, bound=1.0, **kw):
        self.name = name
        self.kind = kind  # real, arr, int, idx, struct
        self.bound = bound
        self.readable = True
        self.writable = False
        self.fixed = False      # fixed-size local array (checkpoint state)
        self.is_param = False
        self.mat = False        # length n * n
        self.struct = None      # struct type name
        self.by_ptr = False
        self.used = False
        self.__dict__.update(kw)


class Scope:
    def __init__(self, parent=None):
        self.parent = parent
        self.vars = []

    def all(self):
        s, out = self, []
        while s:
            out = s.vars + out
            s = s.parent
        return out


# Struct types (in rpSEED.h).  Paths of the floating members, for drivers.
STRUCTS = {
    "Inner": [("a", None), ("w", 3)],
    "Outer": [("in", "Inner"), ("s", None), ("v", 4), ("k", "int")],
}


def struct_member_paths(sname):
    paths = []
    for m, t in STRUCTS[sname]:
        if t is None:
            paths.append("." + m)
        elif t == "int":
            continue
        elif isinstance(t, int):
            paths += [".%s[%d]" % (m, i) for i in range(t)]
        else:
            paths += ["." + m + p for p in struct_member_paths(t)]
    return paths


class Gen:
    def __init__(self, seed, size="medium", exclude=()):
        self.seed = seed
        self.r = random.Random(seed)
        self.size = size
        self.features = {f: (f not in exclude) for f in FEATURES}
        # A program uses only some features, so that not every program is
        # a mix of everything (small focused programs reduce better).
        for f in FEATURES:
            if (f not in LATER_FEATURES + SEQ_FEATURES + GLOBAL_FEATURES + OPTIONAL_FEATURES + FNPTR_FEATURES
                    + MEM_FEATURES + MULTI_FEATURES + ARRAY_FEATURES + REC_FEATURES + INCR_FEATURES
                    + PTRMOVE_FEATURES + OUTBUF_FEATURES + CONSTARR_FEATURES + LOSSPAIR_FEATURES + SG_FEATURES
                    + NONDIFF_FEATURES + PTRMEMBER_FEATURES + JVP_FEATURES + CARRIED_FEATURES + CUSTOMRULE_FEATURES
                    + OMP_FEATURES + LSP_FEATURES + VJP_FEATURES + JAC_FEATURES + HVP_FEATURES + PTRTABLE_FEATURES
                    + ROWS_FEATURES + CUSTOMWRITER_FEATURES + VARSTEP_FEATURES + OMPFORMS_FEATURES
                    + COMPLEX_FEATURES + JACLANES_FEATURES + JVPREC_FEATURES + OMPSLICES_FEATURES
                    + HFILL_FEATURES + TILE_FEATURES + GATE_FEATURES
                    and self.features[f]
                    and self.r.random() < 0.25):
                self.features[f] = False
        self.rjr = random.Random(seed * 1000003 + 223)
        for f in JVPREC_FEATURES:
            if self.features[f] and self.rjr.random() < 0.5:
                self.features[f] = False
        # jvp first: a program with it leaves out what jvp does not support
        self.rjvp = random.Random(seed * 1000003 + 109)
        for f in JVP_FEATURES:
            if self.features[f] and self.rjvp.random() < 0.7:
                self.features[f] = False
        if self.features["jvp"]:
            for f in ("struct_ret", "recursion", "arrays"):
                if f != "recursion" or not self.features["jvp_rec"]:  # jvp_rec: recursion of numbers stays
                    self.features[f] = False
        self.rvjp = random.Random(seed * 1000003 + 127)
        for f in VJP_FEATURES:
            if self.features[f] and self.rvjp.random() < 0.7:
                self.features[f] = False
        self.rjac = random.Random(seed * 1000003 + 131)
        for f in JAC_FEATURES:
            if self.features[f] and self.rjac.random() < 0.7:
                self.features[f] = False
        self.rhvp = random.Random(seed * 1000003 + 173)
        for f in HVP_FEATURES:
            if self.features[f] and self.rhvp.random() < 0.5:
                self.features[f] = False
        self.romp = random.Random(seed * 1000003 + 151)
        for f in OMP_FEATURES:
            if self.features[f] and self.romp.random() < 0.6:
                self.features[f] = False
        self.rj = random.Random(seed * 1000003 + 17)
        for f in LATER_FEATURES:
            if self.features[f] and self.rj.random() < 0.25:
                self.features[f] = False
        self.rs = random.Random(seed * 1000003 + 29)
        for f in SEQ_FEATURES:
            if self.features[f] and self.rs.random() < 0.25:
                self.features[f] = False
        self.rg = random.Random(seed * 1000003 + 41)
        for f in GLOBAL_FEATURES:
            if self.features[f] and self.rg.random() < 0.4:
                self.features[f] = False
        self.ra = random.Random(seed * 1000003 + 71)
        for f in ARRAY_FEATURES:
            if self.features[f] and self.ra.random() < 0.6:
                self.features[f] = False
        self.arrays = gen_arrays.ArrayProgram(self.ra, seed) if self.features["arrays"] else None
        self.rmem = random.Random(seed * 1000003 + 61)
        for f in MEM_FEATURES:
            if self.features[f] and self.rmem.random() < 0.4:
                self.features[f] = False
        self.globals_on = self.features["globals"]
        self.ro = random.Random(seed * 1000003 + 53)
        for f in OPTIONAL_FEATURES:
            if self.features[f] and self.ro.random() < 0.5:
                self.features[f] = False
        self.optional_on = self.features["optional"]
        self.opt_helpers = []  # texts of the helpers taking an optional array, by number
        self.rf = random.Random(seed * 1000003 + 59)
        for f in FNPTR_FEATURES:
            if self.features[f] and self.rf.random() < 0.4:
                self.features[f] = False
        self.fn_tables = []  # (name, [helpers]): static const tables of helpers of one signature
        self.fn_applies = []  # (name, signature, [helpers]): helpers calling the function they are given
        if self.globals_on:
            self.plan_globals()
        self.rmulti = random.Random(seed * 1000003 + 67)
        for f in MULTI_FEATURES:
            if self.features[f] and self.rmulti.random() < 0.6:
                self.features[f] = False
        self.rpm = random.Random(seed * 1000003 + 83)
        for f in PTRMOVE_FEATURES:
            if self.features[f] and self.rpm.random() < 0.4:
                self.features[f] = False
        self.rout = random.Random(seed * 1000003 + 89)
        for f in OUTBUF_FEATURES:
            if self.features[f] and self.rout.random() < 0.4:
                self.features[f] = False
        self.rca = random.Random(seed * 1000003 + 97)
        self.cnum = 0  # const-sized arrays written so far
        for f in CONSTARR_FEATURES:
            if self.features[f] and self.rca.random() < 0.4:
                self.features[f] = False
        self.rpair = random.Random(seed * 1000003 + 113)
        for f in LOSSPAIR_FEATURES:
            if self.features[f] and self.rpair.random() < 0.4:
                self.features[f] = False
        self.rpw = random.Random(seed * 1000003 + 101)
        for f in PTRMEMBER_FEATURES:
            if self.features[f] and self.rpw.random() < 0.4:
                self.features[f] = False
        self.pw_used = False  # some top function takes a PW
        self.lib_on = self.features["multifile"]
        self.rinc = random.Random(seed * 1000003 + 79)
        for f in INCR_FEATURES:
            if self.features[f] and self.rinc.random() < 0.4:
                self.features[f] = False
        if self.lib_on:
            self.plan_lib()
        self.rrec = random.Random(seed * 1000003 + 73)
        for f in REC_FEATURES:
            if self.features[f] and self.rrec.random() < 0.5:
                self.features[f] = False
        self.rsg = random.Random(seed * 1000003 + 103)
        for f in SG_FEATURES:
            if self.features[f] and self.rsg.random() < 0.5:
                self.features[f] = False
        self.rnd = random.Random(seed * 1000003 + 107)
        for f in NONDIFF_FEATURES:
            if self.features[f] and self.rnd.random() < 0.5:
                self.features[f] = False
        self.rcar = random.Random(seed * 1000003 + 167)
        for f in CARRIED_FEATURES:
            if self.features[f] and self.rcar.random() < 0.5:
                self.features[f] = False
        self.rcr = random.Random(seed * 1000003 + 137)
        for f in CUSTOMRULE_FEATURES:
            if self.features[f] and self.rcr.random() < 0.5:
                self.features[f] = False
        self.cr_used = False  # rp_cr called: its declaration, rules and pragmas are written
        self.rlsp = random.Random(seed * 1000003 + 157)
        for f in LSP_FEATURES:
            if self.features[f] and self.rlsp.random() < 0.5:
                self.features[f] = False
        if self.features["jvp"] or self.lib_on or self.features["header_inline"]:
            # jvp takes no structs yet; the helpers live in rp%d.c only
            self.features["local_struct_ptr"] = False
        self.lsp_uses = set()  # "new", "alloc", "scale": the rp_mat helpers called
        self.sg_sites = 0  # RP_SG(k, e) sites written (rp_soft's body is one)
        self.soft_site = None
        self.nd_uses = set()  # "step", "soft": the nondiff functions called
        self.rpt = random.Random(seed * 1000003 + 179)
        for f in PTRTABLE_FEATURES:
            if self.features[f] and self.rpt.random() < 0.5:
                self.features[f] = False
        self.rrows = random.Random(seed * 1000003 + 181)
        for f in ROWS_FEATURES:
            if self.features[f] and self.rrows.random() < 0.5:
                self.features[f] = False
        self.rcw = random.Random(seed * 1000003 + 191)
        for f in CUSTOMWRITER_FEATURES:
            if self.features[f] and self.rcw.random() < 0.5:
                self.features[f] = False
        self.cw_used = False  # rp_cw called: its declaration, rules and pragmas are written
        self.rof = random.Random(seed * 1000003 + 197)
        for f in OMPFORMS_FEATURES:
            if self.features[f] and self.rof.random() < 0.5:
                self.features[f] = False
        self.rvs = random.Random(seed * 1000003 + 193)
        for f in VARSTEP_FEATURES:
            if self.features[f] and self.rvs.random() < 0.5:
                self.features[f] = False
        self.rcx = random.Random(seed * 1000003 + 199)
        for f in COMPLEX_FEATURES:
            if self.features[f] and self.rcx.random() < 0.5:
                self.features[f] = False
        self.rosl = random.Random(seed * 1000003 + 227)
        for f in OMPSLICES_FEATURES:
            if self.features[f] and self.rosl.random() < 0.5:
                self.features[f] = False
        self.rhf = random.Random(seed * 1000003 + 233)
        for f in HFILL_FEATURES:
            if self.features[f] and self.rhf.random() < 0.5:
                self.features[f] = False
        self.rtl = random.Random(seed * 1000003 + 239)
        for f in TILE_FEATURES:
            if self.features[f] and self.rtl.random() < 0.5:
                self.features[f] = False
        self.rgt = random.Random(seed * 1000003 + 241)
        for f in GATE_FEATURES:
            if self.features[f] and self.rgt.random() < 0.5:
                self.features[f] = False
        self.rjl = random.Random(seed * 1000003 + 211)
        for f in JACLANES_FEATURES:
            if self.features[f] and self.rjl.random() < 0.5:
                self.features[f] = False
        self.cx_used = False  # some top function uses complex numbers: <complex.h> is included
        self.cx_helpers = []  # dicts: name, text, bound: the static complex helpers
        self.cx_locals = 0  # complex locals declared by complex_stmt
        self.rec_funcs = []  # (name, shape, bound): the recursive functions, once written
        self.rec_texts = []  # their indices in self.out
        self.uses = set()  # "assert", "max", "note": what the head declares
        self.seq_features = any(self.features[f] for f in ("comma_for", "effects", "assert", "cond_call"))
        self.N = self.r.randint(3, 8)
        self.counter = 0
        self.helpers = []  # dicts: name, kind, params, text
        self.uncalled = set()
        self.out = []

    # ------------------------------------------------------------ utils
    def fresh(self, base):
        self.counter += 1
        return "%s%d" % (base, self.counter)

    def chance(self, p):
        return self.r.random() < p

    def feat(self, f):
        return self.features[f]

    def const(self, lo=0.1, hi=1.5, neg=True):
        c = self.r.uniform(lo, hi)
        if neg and self.chance(0.3):
            c = -c
        return "%.3f" % c, abs(c)

    def fn(self, name):
        """A math.h call: the float variant in float builds when enabled."""
        if not self.feat("sincos") and name in ("sin", "cos"):
            name = {"sin": "tanh", "cos": "erf"}[name]
        if self.feat("float_math") and self.chance(0.5):
            return "FN(%s)" % name
        return name

    # ------------------------------------------------------ expressions
    def squash(self, e):
        f = self.r.choice(["tanh", "sin", "atan", "erf", "cos"])
        return "%s(%s)" % (self.fn(f), e[0]), (1.6 if f == "atan" else 1.0)

    def index(self, sc, ctx, arr=None):
        """An int index in [0, n) (or [0, n*n) for matrices)."""
        ints = ctx["counters"]
        idxs = [v for v in sc.all() if v.kind == "idx"]
        opts = ["0", "1", "2", "n - 1"]
        for c in ints:
            opts += [c] * 3 + ["(%s + %d) %% n" % (c, self.r.randint(1, 3)), "n - 1 - %s" % c]
        if idxs:
            ix = self.r.choice(idxs)
            ix.used = True
            inner = self.r.choice(opts)
            opts += ["%s[%s]" % (ix.name, inner)] * 2
        i = self.r.choice(opts)
        if arr is not None and arr.mat and self.chance(0.7):
            j = self.r.choice(opts)
            return "(%s) * n + %s" % (i, j) if " " in i else "%s * n + %s" % (i, j)
        return i

    def leaf(self, sc, ctx):
        if self.globals_on and self.rg.random() < 0.1:
            return self.global_read(ctx), 1.0
        if self.lib_on and self.rmulti.random() < 0.06:
            return self.lib_read(ctx), 1.5
        vs = [v for v in sc.all() if v.readable and v.kind in ("real", "arr", "struct")]
        if ctx.get("avoid"):
            vs = [v for v in vs if v.name not in ctx["avoid"]]
        if not vs or self.chance(0.15):
            return self.const()
        v = self.r.choice(vs)
        v.used = True
        if v.kind == "real":
            return v.name, v.bound
        if v.kind == "arr":
            return "%s[%s]" % (v.name, self.index(sc, ctx, v)), v.bound
        # struct member
        acc = "->" if v.by_ptr else "."
        if v.struct == "Outer":
            m = self.r.choice(["in.a", "in.w[%s]" % self.r.choice(["0", "1", "2"]), "s",
                               "v[%s]" % self.r.choice(["0", "3", "n % 4"])])
        else:
            m = self.r.choice(["a", "w[%s]" % self.r.choice(["0", "1", "2"] + (["n % 3"] if ctx.get("has_n", True) else []))])
        return v.name + acc + m, v.bound

    def cond(self, sc, ctx, depth):
        """A condition: comparisons of active values and ints, && || !."""
        k = self.r.random()
        counters = ctx["counters"]
        if k < 0.3 and counters:
            c = self.r.choice(counters)
            return self.r.choice(["%s %% 2 == 0" % c, "%s < n / 2" % c, "%s != 1" % c, "%s >= 2" % c])
        if k < 0.45 and depth > 0:
            # the right operand is evaluated conditionally: no calls there
            # (vgradcc refuses them: "call it in a statement of its own")
            a = self.cond(sc, ctx, depth - 1)
            b = self.cond(sc, dict(ctx, helper_calls=False), depth - 1)
            op = self.r.choice(["&&", "||"])
            return "(%s) %s (%s)" % (a, op, b)
        if k < 0.5 and depth > 0:
            return "!(%s)" % self.cond(sc, ctx, depth - 1)
        e = self.expr(sc, ctx, 1)
        op = self.r.choice(["<", ">", "<=", ">="])
        return "%s %s %s" % (e[0], op, self.const(0.0, 0.8)[0])

    def expr(self, sc, ctx, depth):
        """(text, bound) of a REAL expression."""
        if depth <= 0 or self.chance(0.2):
            return self.leaf(sc, ctx)
        # a statement expression runs always: not in a ?: branch or the
        # right operand of && || (helper_calls is off there)
        if self.feat("stmt_expr") and ctx.get("helper_calls", True) and self.rs.random() < 0.04:
            a, b = self.expr(sc, ctx, depth - 1), self.expr(sc, ctx, depth - 1)
            self.uses.add("max")
            return "RP_MAX(%s, %s)" % (a[0], b[0]), max(a[1], b[1])
        # vg_stop_gradient and nondiff calls only in the top functions,
        # which stay in rpSEED.c beside the macro and pragmas they need
        if self.feat("stop_gradient") and re.match(r"f\d", ctx["fn"]) and not ctx.get("in_omp") \
                and self.rsg.random() < 0.06:
            a = self.expr(sc, ctx, depth - 1)
            self.sg_sites += 1
            return "RP_SG(%d, %s)" % (self.sg_sites - 1, a[0]), a[1]
        # (a nondiff call is made once, into a variable: not where it runs
        # only sometimes; nor beside written globals, which a function
        # without a body here may read: vgradcc refuses that)
        if (self.feat("nondiff") and re.match(r"f\d", ctx["fn"]) and ctx.get("helper_calls", True)
                and not (self.globals_on and self.gwritten) and self.rnd.random() < 0.05):
            a = self.expr(sc, ctx, depth - 1)
            if self.rnd.random() < 0.5:
                self.nd_uses.add("step")
                return "rp_step((REAL)(%s))" % a[0], a[1] + 0.25
            self.nd_uses.add("soft")
            if self.soft_site is None:
                self.soft_site = self.sg_sites
                self.sg_sites += 1
            return "rp_soft((REAL)(%s))" % a[0], 1.0
        # a call with custom rules is made once, into a variable, as a nondiff one
        if (self.feat("custom_rule") and re.match(r"f\d", ctx["fn"]) and ctx.get("helper_calls", True)
                and not (self.globals_on and self.gwritten) and self.rcr.random() < 0.05):
            a, b = self.expr(sc, ctx, depth - 1), self.expr(sc, ctx, depth - 1)
            if a[1] * 1.5 > BOUND_SQUASH:
                a = self.squash(a)
            self.cr_used = True
            return "rp_cr((REAL)(%s), (REAL)(%s))" % (a[0], b[0]), a[1] * 1.5
        if (self.rec_funcs and ctx.get("helper_calls", True) and not ctx.get("in_ckpt")
                and not ctx["fn"].startswith("h") and self.rrec.random() < 0.06):
            e = self.rec_call(sc, ctx, depth)
            if e is not None:
                return e
        k = self.r.random()
        if k < 0.22:
            a, b = self.expr(sc, ctx, depth - 1), self.expr(sc, ctx, depth - 1)
            op = self.r.choice(["+", "-"])
            e = ("(%s %s %s)" % (a[0], op, b[0]), a[1] + b[1])
        elif k < 0.34:
            a, b = self.expr(sc, ctx, depth - 1), self.expr(sc, ctx, depth - 1)
            if a[1] * b[1] > BOUND_SQUASH:
                a = self.squash(a)
            if a[1] * b[1] > BOUND_SQUASH:
                b = self.squash(b)
            e = ("%s * %s" % (a[0], b[0]), a[1] * b[1])
        elif k < 0.42:
            c = self.const(0.1, 0.9)
            a = self.expr(sc, ctx, depth - 1)
            e = ("%s * %s" % (c[0], a[0]), c[1] * a[1])
        elif k < 0.48:
            a, b = self.expr(sc, ctx, depth - 1), self.expr(sc, ctx, depth - 1)
            den = self.r.choice(["(1.5 + %s(%s))" % (self.fn("tanh"), b[0]),
                                 "(2.0 + %s(%s))" % (self.fn("sin"), b[0]),
                                 "(1.0 + %s * %s)" % (self.squash(b)[0], self.squash(b)[0])])
            e = ("%s / %s" % (a[0], den), a[1] * 2.0)
        elif k < 0.52:
            a = self.expr(sc, ctx, depth - 1)
            e = ("-%s" % a[0] if not a[0].startswith("-") else "-(%s)" % a[0], a[1])
        elif k < 0.80:
            e = self.mathcall(sc, ctx, depth)
        elif k < 0.86:
            c = self.cond(sc, ctx, 1)
            nc = dict(ctx, helper_calls=False)
            a, b = self.expr(sc, nc, depth - 1), self.expr(sc, nc, depth - 1)
            e = ("(%s ? %s : %s)" % (c, a[0], b[0]), max(a[1], b[1]))
        elif k < 0.90:
            a = self.expr(sc, ctx, depth - 1)
            # no (float) in double programs: it makes the loss a staircase of
            # steps 6e-8 that finite differences cannot see through
            cast = self.r.choice(["(double)", "(REAL)"])
            e = ("%s(%s)" % (cast, a[0]), a[1])
        elif k < 0.92 and self.feat("kinks"):
            a = self.expr(sc, ctx, depth - 1)
            # a cast to int: piecewise constant, derivative 0 between steps
            e = ("0.25 * (REAL)(int)(%s * 3.0)" % a[0], 0.25 * (3 * a[1] + 1))
        elif k < 0.97 and ctx.get("helper_calls", True):
            e = self.helper_call(sc, ctx, depth)
            if e is None:
                e = self.leaf(sc, ctx)
        elif ctx["counters"]:
            c = self.r.choice(ctx["counters"])
            e = ("0.1 * %s" % c, 0.1 * self.N)
        else:
            e = self.leaf(sc, ctx)
        if e[1] > BOUND_SQUASH:
            e = self.squash(e)
        return e

    def mathcall(self, sc, ctx, depth):
        a = self.expr(sc, ctx, depth - 1)
        s = self.squash(a)
        fn = self.fn
        forms = [
            lambda: ("%s(%s)" % (fn("sin"), a[0]), 1.0),
            lambda: ("%s(%s)" % (fn("cos"), a[0]), 1.0),
            lambda: ("%s(%s)" % (fn("tanh"), a[0]), 1.0),
            lambda: ("%s(%s)" % (fn("atan"), a[0]), 1.6),
            lambda: ("%s(%s)" % (fn("erf"), a[0]), 1.0),
            lambda: ("%s(0.5 * %s)" % (fn("tan"), s[0]), 0.6),
            # squash bounds by 1.6 (atan): 0.6 keeps asin/acos inside [-1, 1]
            lambda: ("%s(0.6 * %s)" % (fn("asin"), s[0]), 1.0),
            lambda: ("%s(0.6 * %s)" % (fn("acos"), s[0]), 2.5),
            lambda: ("%s(0.5 * %s)" % (fn("sinh"), s[0]), 0.6),
            lambda: ("%s(0.5 * %s)" % (fn("cosh"), s[0]), 1.2),
            lambda: ("%s(0.3 * %s)" % (fn("exp"), s[0]), 1.4),
            lambda: ("%s(0.4 * %s)" % (fn("exp2"), s[0]), 1.4),
            lambda: ("%s(0.4 * %s)" % (fn("expm1"), s[0]), 0.5),
            lambda: ("%s(1.0 + %s * %s)" % (fn("log"), s[0], s[0]), 0.7),
            lambda: ("%s(1.5 + %s)" % (fn("log2"), s[0]), 1.4),
            lambda: ("%s(1.5 + %s)" % (fn("log10"), s[0]), 0.4),
            lambda: ("%s(0.5 + 0.4 * %s)" % (fn("log1p"), s[0]), 0.6),
            lambda: ("%s(0.2 + %s * %s)" % (fn("sqrt"), s[0], s[0]), 1.1),
            lambda: ("%s(1.5 + %s)" % (fn("cbrt"), s[0]), 1.4),
            lambda: ("%s(1.2 + 0.5 * %s, %s)" % (fn("pow"), s[0], self.r.choice(["2.0", "1.5", "0.5", "3"])), 5.0),
            lambda: ("%s(1.3 + 0.2 * %s, 0.5 * %s)" % (fn("pow"), s[0], self.squash(self.leaf(sc, ctx))[0]), 1.2),
            lambda: ("%s(%s, 0.5 + 0.25 * %s)" % (fn("hypot"), a[0], self.squash(self.leaf(sc, ctx))[0]), a[1] + 1),
            lambda: ("%s(%s, 1.5 + 0.5 * %s)" % (fn("atan2"), a[0], self.squash(self.leaf(sc, ctx))[0]), 1.6),
        ]
        if self.feat("lgamma"):
            forms.append(lambda: ("lgamma(1.5 + %s)" % s[0], 0.2))
        if self.feat("kinks"):
            b = self.expr(sc, ctx, depth - 1)
            forms += [
                lambda: ("%s((REAL)(%s))" % (fn("fabs"), a[0]), a[1]),
                lambda: ("%s(%s, %s)" % (fn("fmin"), a[0], b[0]), max(a[1], b[1])),
                lambda: ("%s(%s, %s)" % (fn("fmax"), a[0], b[0]), max(a[1], b[1])),
                lambda: ("%s(%s)" % (fn(self.r.choice(["floor", "ceil", "round", "trunc"])), a[0]), a[1] + 1),
                lambda: ("%s(%s, 0.7)" % (fn("fmod"), a[0]), 0.7),
            ]
        return self.r.choice(forms)()

    # ------------------------------------------------------- helpers
    def helper_call(self, sc, ctx, depth):
        limit = ctx.get("helper_limit", len(self.helpers))
        cands = [h for h in self.helpers[:limit] if h["kind"] == "real"]
        if ctx.get("in_ckpt"):
            cands = [h for h in cands if not h.get("struct_arg") and not h.get("mem")]
        if not cands:
            return None
        h = self.r.choice(cands)
        args = self.helper_args(h, sc, ctx, depth)
        if args is None:
            return None
        self.uncalled.discard(h["name"])
        if self.feat("fnptr") and not ctx["fn"].startswith("h") and self.rf.random() < 0.5:
            return self.pointer_call(h, args, ctx), h["bound"]
        return "%s(%s)" % (h["name"], ", ".join(args)), h["bound"]

    def pointer_call(self, h, args, ctx):
        """h(args) called through a function pointer (drawn from Gen.rf):
        an entry of a table holding h, (c ? h : other)(args), (*h)(args)."""
        rf = self.rf
        # in a checkpointed loop, as helper_call: no helper with memory the
        # snapshots cannot hold may be the one called (seed 71664: `n % 2 ?
        # h6 : h3` with a realloc'ed buffer in h6)
        fits = lambda h2: not ctx.get("in_ckpt") or not (h2.get("struct_arg") or h2.get("mem"))
        tables = [t for t in self.fn_tables if h in t[1] and all(fits(e) for e in t[1])]
        same = [h2 for h2 in self.helpers if h2 is not h and h2.get("sig") == h["sig"] and fits(h2)]
        applies = [a for a in self.fn_applies if a[1] == h["sig"]]
        if applies and rf.random() < 0.4:
            # handed to a helper that calls it: by name, chosen by ?: or from a table
            apply = rf.choice(applies)[0]
            k = rf.random()
            if tables and k < 0.3:
                name, entries = rf.choice(tables)
                fn = "%s[n %% %d]" % (name, len(entries))
            elif same and k < 0.6:
                fn = "n %% 2 ? %s : %s" % (h["name"], rf.choice(same)["name"])
            else:
                fn = h["name"]
            return "%s(%s, %s)" % (apply, fn, ", ".join(args))
        k = rf.random()
        if tables and k < 0.5:
            name, entries = rf.choice(tables)
            counters = ctx["counters"]
            i = rf.choice(counters + ["n"]) if counters else "n"
            return "%s[(%s + %d) %% %d](%s)" % (name, i, rf.randint(0, 3), len(entries), ", ".join(args))
        if same and k < 0.8:
            c = rf.choice(["n % 2", "n > %d" % rf.randint(2, 6), "n < %d" % rf.randint(3, 7)])
            a, b = (h, rf.choice(same)) if rf.random() < 0.5 else (rf.choice(same), h)
            return "(%s ? %s : %s)(%s)" % (c, a["name"], b["name"], ", ".join(args))
        return "(*%s)(%s)" % (h["name"], ", ".join(args))

    def plan_fn_tables(self):
        """Static const tables of the real helpers of one signature, after
        the helpers (drawn from Gen.rf)."""
        groups = {}
        for h in self.helpers:
            if h["kind"] == "real" and not h.get("struct_arg"):
                groups.setdefault(h["sig"], []).append(h)
        for sig, hs in sorted(groups.items()):
            if len(hs) < 2 or self.rf.random() < 0.3:
                continue
            entries = self.rf.sample(hs, min(len(hs), self.rf.randint(2, 3)))
            if self.rf.random() < 0.3:
                entries.append(self.rf.choice(entries))  # a helper twice
            name = "rp_fn%d" % len(self.fn_tables)
            self.fn_tables.append((name, entries))
            self.out.append("static REAL (*const %s[])(%s) = {%s};\n" % (
                name, sig, ", ".join(e["name"] for e in entries)))
            if self.rf.random() < 0.6:
                # a helper that takes the function it calls as a parameter
                apply = "rp_apply%d" % len(self.fn_applies)
                call = "f(%s)" % ", ".join(p.split()[-1].lstrip("*") for p in sig.split(", "))
                self.fn_applies.append((apply, sig, entries))
                self.out.append("static REAL %s(REAL (*f)(%s), %s) {\n  REAL r = %s;\n"
                                "  return 0.5 * r + 0.25 * tanh(%s);\n}\n" % (apply, sig, sig, call, call))

    def force_fn_tables(self, body, sc, ctx):
        """A call through each table that nothing called (an unused static
        const warns)."""
        text = "\n".join(self.out + body)
        out = []
        for name, entries in self.fn_tables:
            if not re.search(r"\b%s\[[^\]]" % name, text):  # a call, not the declaration's []
                args = self.helper_args(entries[0], sc, dict(ctx, depth=1), 1)
                if args is not None:
                    out.append("  acc += 0.1 * %s(%s[n %% %d](%s));" % (self.fn("tanh"), name, len(entries),
                                                                      ", ".join(args)))
        for name, sig, entries in self.fn_applies:
            if not re.search(r"(?<!REAL )\b%s\(" % name, "\n".join(self.out + body + out)):  # a call, not the definition
                args = self.helper_args(entries[0], sc, dict(ctx, depth=1), 1)
                if args is not None:
                    out.append("  acc += 0.1 * %s(%s, %s);" % (name, entries[-1]["name"], ", ".join(args)))
        return out

    # ------------------------------------------------- recursion
    def make_recursive(self):
        """One to three recursive functions (drawn from Gen.rrec), their
        values bounded whatever the depth: each level squashes or scales
        by a factor below 1."""
        rr = self.rrec

        def c(lo, hi):
            v = rr.uniform(lo, hi) * (-1 if rr.random() < 0.3 else 1)
            return "%.3f" % v

        def fn():
            return rr.choice(["tanh", "atan", "erf"])
        for k in range(rr.randint(1, 3)):
            name = "rec%d" % k
            shape = rr.choice(["scalar", "mutual"] if self.features["jvp"] and self.features["jvp_rec"]
                              else ["scalar", "along", "halves", "mutual"])
            if shape == "scalar":
                text = ("static REAL %s(REAL s, int d) {\n  if (d <= 0)\n    return %s(s);\n"
                        "  return %s * %s(%s(s * %s + %s, d - 1)) + %s * %s(s);\n}\n" % (
                            name, fn(), c(0.2, 0.9), fn(), name, c(0.3, 1.2), c(0.0, 0.5), c(0.1, 0.5), fn()))
                bound = 1.4
            elif shape == "along":
                text = ("static REAL %s(const REAL *a, int k, int n, REAL s) {\n  if (k >= n)\n    return %s(s);\n"
                        "  return %s * %s(a[k] * s + %s) + %s * %s(a, k + 1, n, s);\n}\n" % (
                            name, fn(), c(0.2, 0.9), fn(), c(0.0, 0.5), c(0.1, 0.6), name))
                bound = 3.0
            elif shape == "halves":
                text = ("static REAL %s(const REAL *a, int lo, int hi, REAL s) {\n  if (hi - lo <= 1)\n"
                        "    return %s(a[lo] * s + %s);\n  int mid = (lo + hi) / 2;\n"
                        "  REAL l = %s(a, lo, mid, s);\n  REAL r = %s(a, mid, hi, s * %s);\n"
                        "  return %s(%s * (l + r) + %s * l * r);\n}\n" % (
                            name, fn(), c(0.0, 0.5), name, name, c(0.5, 1.0), fn(), c(0.2, 0.8), c(0.0, 0.4)))
                bound = 1.6
            else:
                text = ("static REAL %s_b(REAL s, int d);\n\n"
                        "static REAL %s(REAL s, int d) {\n  if (d <= 0)\n    return %s(s);\n"
                        "  return %s * %s(%s_b(s * %s, d - 1)) + %s * %s(s);\n}\n\n"
                        "static REAL %s_b(REAL s, int d) { return %s(%s * %s(s + %s, d - 1)); }\n" % (
                            name, name, fn(), c(0.2, 0.9), fn(), name, c(0.3, 1.2), c(0.1, 0.5), fn(),
                            name, fn(), c(0.3, 1.5), name, c(0.0, 0.5)))
                bound = 1.4
            self.rec_texts.append(len(self.out))
            self.out.append(text)
            self.rec_funcs.append((name, shape, bound))

    def rec_call(self, sc, ctx, depth):
        """A call of one of the recursive functions (drawn from Gen.rrec but
        for its scalar argument), None when it needs an array or n and the
        scope has none."""
        rr = self.rrec
        name, shape, bound = rr.choice(self.rec_funcs)
        s = self.squash(self.expr(sc, ctx, max(0, depth - 2)))[0]
        if shape in ("scalar", "mutual"):
            d = rr.choice(["%d" % rr.randint(0, 9), "n % 6"] if ctx.get("has_n", True) else ["%d" % rr.randint(0, 9)])
            return "%s(%s, %s)" % (name, s, d), bound
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
        if not arrs or not ctx.get("has_n", True):
            return None
        v = rr.choice(arrs)
        v.used = True
        if shape == "along":
            return "%s(%s, %s, n, %s)" % (name, v.name, rr.choice(["0", "1", "n / 2"]), s), bound
        return "%s(%s, 0, n, %s)" % (name, v.name, s), bound

    def helper_args(self, h, sc, ctx, depth):
        args = []
        for kind, _ in h["params"]:
            if kind == "real":
                a = self.expr(sc, ctx, max(0, depth - 2))[0]
                if a == _ and not self.feat("helper_arg_same_name"):
                    a = "(0.5 * %s)" % a
                args.append(a)
            elif kind == "arr":
                arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
                if not arrs:
                    return None
                v = self.r.choice(arrs)
                v.used = True
                args.append(v.name)
            elif kind == "int":
                args.append("n")
            elif kind == "sptr":
                ss = [v for v in sc.all() if v.kind == "struct" and v.struct == "Outer"]
                if not ss:
                    return None
                v = self.r.choice(ss)
                v.used = True
                args.append(v.name if v.by_ptr else "&" + v.name)
            elif kind == "inner":
                ss = [v for v in sc.all() if v.kind == "struct" and v.struct == "Outer"]
                if not ss:
                    return None
                v = self.r.choice(ss)
                v.used = True
                args.append(v.name + ("->in" if v.by_ptr else ".in"))
        return args

    def make_helper(self, k):
        name = "h%d" % k
        r = self.r
        ctx = {"counters": [], "helper_limit": len(self.helpers), "in_loop": 0, "ret": "real",
               "heap": False, "fn": name}
        sc = Scope()
        params = []
        kind = "real"
        if self.feat("struct") and self.chance(0.3):
            kind = r.choice(["real_s", "inner"])
        elif self.chance(0.3):
            kind = "void"
        lines = []
        if kind == "void":
            # writes dst[i] for i < n from its inputs; called with aliased
            # arguments (dst == a) when "alias" is on
            params = [("dst", "arr_out"), ("a", "arr"), ("b", "arr"), ("n", "int")]
            for nm, kd in params:
                v = Var(nm, "arr" if kd.startswith("arr") else "int", 1.0, is_param=True)
                if kd == "arr_out":
                    v.readable = False
                    v.writable = True
                sc.vars.append(v)
            ctx["counters"] = ["i"]
            sc.vars.append(Var("i", "int"))
            e = self.expr(sc, ctx, 2)
            if e[1] > 2:
                e = self.squash(e)
            lines.append("  for (int i = 0; i < n; i++)")
            lines.append("    dst[i] = %s * a[i] + %s * b[%s] + %s * %s;" % (
                self.const(0.2, 0.8)[0], self.const(0.1, 0.5)[0], self.r.choice(["i", "(i + 1) % n", "n - 1 - i"]),
                self.const(0.2, 0.8)[0], e[0]))
            sig = "static void %s(REAL *dst, const REAL *a, const REAL *b, int n)" % name
            body = lines
            h = {"name": name, "kind": "void", "params": params, "bound": 2.0, "mem": False}
        elif kind == "inner":
            # returns a struct: p with its members moved by x
            sig = "static Inner %s(Inner p, REAL x)" % name
            ctx["has_n"] = False
            ctx["helper_calls"] = False  # they take n, which this one has not
            sc.vars += [Var("p", "struct", 1.0, struct="Inner", is_param=True), Var("x", "real", 1.0, is_param=True)]
            e = self.squash(self.expr(sc, ctx, 2))
            body = ["  Inner q = p;",
                    "  q.a = %s * p.a + %s;" % (self.const(0.3, 0.9, False)[0], e[0]),
                    "  for (int j = 0; j < 3; j++)",
                    "    q.w[j] = p.w[j] * %s(%s * x) + 0.1 * q.a;" % (self.fn("cos"), self.const(0.2, 1.0)[0]),
                    "  return q;"]
            h = {"name": name, "kind": "inner", "params": [("inner", None), ("real", None)], "bound": 1.0,
                 "struct_arg": True, "mem": False}
        else:
            nreal = r.randint(0, 2)
            narr = r.randint(0 if nreal else 1, 2)
            names = []
            for i in range(nreal):
                params.append(("real", "u%d" % i))
                sc.vars.append(Var("u%d" % i, "real", 1.0, is_param=True))
                names.append("REAL u%d" % i)
            for i in range(narr):
                params.append(("arr", "v%d" % i))
                sc.vars.append(Var("v%d" % i, "arr", 1.0, is_param=True))
                names.append("const REAL *v%d" % i)
            if kind == "real_s":
                params.append(("sptr", "sp"))
                sc.vars.append(Var("sp", "struct", 1.0, struct="Outer", by_ptr=True, is_param=True))
                names.append("const Outer *sp")
            params.append(("int", "n"))
            sc.vars.append(Var("n", "int", is_param=True))
            names.append("int n")
            ctx["allow_return"] = self.feat("early_return")
            if self.globals_on:
                self.start_table()
            body = self.block(sc, ctx, r.randint(1, 4), 1, top=True)
            if (self.lib_on or self.features["header_inline"]) and self.rmulti.random() < 0.5:
                # a call of an earlier helper, which may end up in another file
                body += self.helper_calls_helper(sc, ctx)
            fin = self.final_expr(sc, ctx)
            if self.globals_on:
                self.end_table(body, len(body), [fin])
                if self.gcount and self.rg.random() < 0.6:
                    body.insert(0, self.rg.choice(["  g_calls++;", "  g_calls = g_calls + 1;", "  ++g_calls;"]))
            body.append("  return %s;" % fin)
            sig = "static REAL %s(%s)" % (name, ", ".join(names))
            h = {"name": name, "kind": "real", "params": params, "bound": BOUND_SQUASH, "sig": ", ".join(names),
                 "struct_arg": kind == "real_s",
                 # a VLA or a heap block in it (or in a helper it calls) is
                 # memory that a checkpointed loop calling it could not snapshot
                 "mem": any(re.search(r"\[(n|g_m\d+)\];|\b(malloc|calloc|realloc|rp_mat_new|rp_mat_alloc)\(", l)
                            for l in body) or any(
                     h2["mem"] and (h2["name"] + "(") in "\n".join(body) for h2 in self.helpers)}
        h["index"] = len(self.out)
        self.helpers.append(h)
        self.uncalled.add(name)
        self.out.append("%s {\n%s\n}\n" % (sig, "\n".join(body)))

    # ------------------------------------------------------- globals
    def plan_globals(self):
        """The file-scope globals of a program with the globals feature
        (all drawn from Gen.rg)."""
        rg = self.rg
        self.gnum = 0
        self.gtables = []  # static const: (name, dims)
        for i in range(rg.randint(1, 2)):
            self.gtables.append(("g_tab%d" % i, (rg.randint(2, 5),)))
        if rg.random() < 0.5:
            self.gtables.append(("g_rot", (2, 2)))
        self.gtables.append(("g_half", ()))
        self.greads = self.gtables + [("g_scale", ()), ("g_coef", (3,))]
        self.gwrite = rg.random() < 0.7      # g_avg and g_last
        self.gcount = rg.random() < 0.6      # g_calls, by helpers
        self.g_avg0 = "%.3f" % rg.uniform(-0.5, 0.5)
        self.cur_table = None                 # a static const table of the function
        self.gdecl_lines = self.global_decls()
        # the globals a function writes: reset before each call, compared after
        self.gwritten = (["g_avg", "g_last"] if self.gwrite else []) + (["g_calls"] if self.gcount else [])

    def gvals(self, k):
        return ", ".join("%.3f" % self.rg.uniform(-1.5, 1.5) for _ in range(k))

    def global_decls(self):
        d = ["/* globals: constant tables copied into the generated file, globals read */",
             "enum { RP_K = 3 };"]
        for nm, dims in self.gtables:
            if not dims:
                d.append("static const REAL %s = 0.5;" % nm)
            elif len(dims) == 1:
                d.append("static const REAL %s[%d] = {%s};" % (nm, dims[0], self.gvals(dims[0])))
            else:
                d.append("static const REAL %s[2][2] = {{%s}, {%s}};" % (nm, self.gvals(2), self.gvals(2)))
        d.append("REAL g_scale = %.3f;" % self.rg.uniform(0.3, 0.9))
        d.append("REAL g_coef[3] = {%s};" % self.gvals(3))
        if self.gwrite:
            d += ["REAL g_avg = %s; /* a running average the functions update and read back */" % self.g_avg0,
                  "REAL g_last;     /* the last loss, for the caller */"]
        if self.gcount:
            d.append("int g_calls;     /* counted by helpers */")
        return d + [""]

    def global_read(self, ctx):
        """A read of a global or of the function's constant table, indexed
        by a loop counter modulo its size."""
        rg = self.rg
        opts = list(self.greads)
        if self.cur_table:
            opts += [self.cur_table] * 2
        nm, dims = rg.choice(opts)
        plain = [c for c in ctx["counters"] if re.fullmatch(r"[a-z]\w*", c)]
        c = rg.choice(plain) if plain and rg.random() < 0.8 else None
        if not dims:
            return nm
        if len(dims) == 1:
            return "%s[%s]" % (nm, "%s %% %d" % (c, dims[0]) if c else str(rg.randrange(dims[0])))
        if c:
            return "%s[%s %% 2][(%s + 1) %% 2]" % (nm, c, c)
        return "%s[%d][%d]" % (nm, rg.randrange(2), rg.randrange(2))

    def start_table(self):
        """Maybe a static const table inside the function being written."""
        self.cur_table = None
        if self.globals_on and self.rg.random() < 0.35:
            self.gnum += 1
            self.cur_table = ("g_w%d" % self.gnum, (self.rg.randint(2, 4),))

    def end_table(self, body, use_at, more=()):
        """Declares the function's table at the top of body and reads it
        once if nothing did (an unused static const warns)."""
        if not self.cur_table:
            return
        nm, (k,) = self.cur_table
        if not re.search(r"\b%s\[" % nm, "\n".join(list(body) + list(more))):
            body.insert(use_at, "  acc += 0.1 * %s[%d];" % (nm, k - 1))
        body.insert(0, "  static const REAL %s[%d] = {%s};" % (nm, k, self.gvals(k)))
        self.cur_table = None

    def sized_array(self, sc, ctx, ind):
        """A local array sized by an enum constant or a const int."""
        self.gnum += 1
        b, i = "g_b%d" % self.gnum, "g_i%d" % self.gnum
        lines = []
        if self.rg.random() < 0.5:
            size = "RP_K"
        else:
            size = "g_m%d" % self.gnum
            lines.append("%sconst int %s = %d;" % (ind, size, self.rg.randint(2, 3)))
        sc.vars.append(Var(i, "int"))
        e = self.squash(self.expr(sc, dict(ctx, counters=ctx["counters"] + [i]), 1))
        sc.vars.pop()
        lines += ["%sREAL %s[%s];" % (ind, b, size),
                  "%sfor (int %s = 0; %s < %s; %s++)" % (ind, i, i, size, i),
                  "%s  %s[%s] = %s;" % (ind, b, i, e[0]),
                  "%s%s += 0.1 * %s[%s - 1];" % (ind, ctx["acc"], b, size)]
        if size != "RP_K":
            # sized by a const int, C's variable-length array: in a block of
            # its own, since gcc (-Wdangling-pointer) takes a later return
            # for a use after its scope (soak seed 50564)
            lines = ["%s{" % ind] + ["  " + l for l in lines] + ["%s}" % ind]
        return lines

    def const_sized_array(self, sc, ctx, ind):
        """A local array inside a loop sized by a const int initialised
        with a constant (C calls it variable-length; vgradcc makes it a
        fixed-size array), filled and read each iteration."""
        self.cnum += 1
        b, i, size = "c_b%d" % self.cnum, "c_i%d" % self.cnum, "c_m%d" % self.cnum
        # at most n: the body may index an array of n with the counter (soak
        # seed 70059: c_b3[4] filled from y[c_i3], y of n = 3)
        k = self.rca.randint(2, min(4, self.N))
        spelled = self.rca.choice(["%d" % k, "%d + 1" % (k - 1), "2 * %d - %d" % (k, k)])
        sc.vars.append(Var(i, "int"))
        e = self.squash(self.expr(sc, dict(ctx, counters=ctx["counters"] + [i]), 1))
        sc.vars.pop()
        # in a block of its own: gcc (-Wdangling-pointer) takes a return
        # later in the loop body for a use of the array after its scope
        # (soak seed 50129)
        return ["%s{" % ind,
                "%s  const int %s = %s;" % (ind, size, spelled),
                "%s  REAL %s[%s];" % (ind, b, size),
                "%s  for (int %s = 0; %s < %s; %s++)" % (ind, i, i, size, i),
                "%s    %s[%s] = %s;" % (ind, b, i, e[0]),
                "%s  %s += 0.1 * %s[%s - 1] * %s[0];" % (ind, ctx["acc"], b, size, b),
                "%s}" % ind]

    def read_array(self, sc, stream, use):
        """A readable array of sc drawn from `stream` (None without one),
        marked used; `use` goes into what the head declares."""
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
        if not arrs:
            return None
        a = stream.choice(arrs)
        a.used = True
        self.uses.add(use)
        return a

    def helper_fill_stmt(self, sc, ctx, ind):
        """GMM in ADBench's spelling: scales computed into a local array,
        a buffer of three allocated once (heap or local), filled in each
        (i, c) iteration by rp_hsub through its output pointer and read by
        rp_hwsq through a pointer into the scales, `&hs[c * 3]`; or the
        buffer read before its refill, so its old values are needed.
        [] without an array to read."""
        m = self.rhf
        a = self.read_array(sc, m, "hfill")
        if not a:
            return []
        acc = ctx["acc"]
        hs, hb, i, c, j, sp = (self.fresh(x) for x in ("hs", "hb", "i", "c", "j", "sp"))
        coef = "%.2f" % m.uniform(0.05, 0.3)
        heap, early = m.random() < 0.5, m.random() < 0.3
        lines = ["%s{" % ind, "%s  REAL %s[6];" % (ind, hs),
                 "%s  for (int %s = 0; %s < 6; %s++)" % (ind, j, j, j),
                 "%s    %s[%s] = 0.5 + 0.25 * %s(%s[%s %% n]);" % (ind, hs, j, self.fn("tanh"), a.name, j)]
        if heap:
            lines.append("%s  REAL *%s = %s;" % (ind, hb, "calloc(3, sizeof(REAL))" if early
                                                 else "malloc(3 * sizeof(REAL))"))
        else:
            lines.append("%s  REAL %s[3]%s;" % (ind, hb, " = {0, 0, 0}" if early else ""))
        lines += ["%s  for (int %s = 0; %s < n; %s++) {" % (ind, i, i, i),
                  "%s    for (int %s = 0; %s < 2; %s++) {" % (ind, c, c, c),
                  "%s      const REAL *%s = &%s[%s * 3];" % (ind, sp, hs, c)]
        if early:
            lines.append("%s      %s += %s * %s[%d];" % (ind, acc, coef, hb, m.randint(0, 2)))
        # the shift: arithmetic (taped, not redone: its bits could differ)
        # or a load (redone)
        shift = m.choice(["%.2f * %s" % (m.uniform(0.1, 0.4), c), "%s[%s %% n]" % (a.name, c)])
        lines += ["%s      rp_hsub(n, %s, %s, %s, %s);" % (ind, a.name, i, shift, hb),
                  "%s      %s += %s * rp_hwsq(%s, %s);" % (ind, acc, coef, sp, hb),
                  "%s    }" % ind, "%s  }" % ind]
        if heap:
            lines.append("%s  free(%s);" % (ind, hb))
        return lines + ["%s}" % ind]

    def tile_stmt(self, sc, ctx, ind):
        """llm.c's matmul_forward: a heap buffer of R rows of n values made
        from an array, its rows taken T at a time, each weight (a load of
        the array) multiplied into an accumulator array of T; the tile as a
        `const int`, a #define or a literal, the sum as `+=` or
        `res[t] = res[t] + ...`, either order of the product, the element
        as `xin[k]`, `*(xin + k)` or through a row pointer.  [] without an
        array to read."""
        m = self.rtl
        a = self.read_array(sc, m, "tiles")
        if not a:
            return []
        acc = ctx["acc"]
        xin, res, r, i, ob, o, t, row, w, tn = (self.fresh(x) for x in
                                                ("xin", "res", "r", "i", "ob", "o", "t", "row", "w", "tn"))
        size = m.choice([2, 4, 8])
        rows = size * m.randint(1, 2)
        spell = m.choice(["const", "define", "literal"])
        coef = "%.2f" % m.uniform(0.05, 0.3)
        lines = ["%s{" % ind]
        if spell == "const":
            lines.append("%s  const int %s = %d;" % (ind, tn, size))
        elif spell == "define":
            tn = tn.upper()
            lines.append("#define %s %d" % (tn, size))
        else:
            tn = str(size)
        lines += ["%s  REAL *%s = malloc(%d * n * sizeof(REAL));" % (ind, xin, rows),
                  "%s  for (int %s = 0; %s < %d; %s++)" % (ind, r, r, rows, r),
                  "%s    for (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                  "%s      %s[%s * n + %s] = %s[%s] * (REAL)(0.5 + 0.1 * %s) + (REAL)%.2f;" % (
                      ind, xin, r, i, a.name, i, r, m.uniform(-0.3, 0.3)),
                  "%s  for (int %s = 0; %s < %d; %s += %s)" % (ind, ob, ob, rows, ob, tn),
                  "%s    for (int %s = 0; %s < 2; %s++) {" % (ind, o, o, o),
                  "%s      REAL %s[%d];" % (ind, res, size),
                  "%s      for (int %s = 0; %s < %s; %s++)" % (ind, t, t, tn, t),
                  "%s        %s[%s] = (REAL)%.2f * %s;" % (ind, res, t, m.uniform(0.05, 0.2), o),
                  "%s      for (int %s = 0; %s < n; %s++) {" % (ind, i, i, i),
                  "%s        REAL %s = %s[(%s + %s) %% n];" % (ind, w, a.name, i, o),
                  "%s        for (int %s = 0; %s < %s; %s++) {" % (ind, t, t, tn, t)]
        lines.append("%s          int %s = %s + %s;" % (ind, row, ob, t))
        spelling = m.choice(["index", "index_turned", "deref", "row_pointer"])
        if spelling == "row_pointer":
            rw = self.fresh("rw")
            lines.append("%s          const REAL *%s = %s + %s * n;" % (ind, rw, xin, row))
            elem = "%s[%s]" % (rw, i)
        else:
            elem = {"index": "%s[%s * n + %s]", "index_turned": "%s[%s + %s * n]",
                    "deref": "*(%s + %s * n + %s)"}[spelling]
            elem = elem % ((xin, i, row) if spelling == "index_turned" else (xin, row, i))
        prod = m.choice(["%s * %s" % (elem, w), "%s * %s" % (w, elem)])
        if m.random() < 0.5:
            lines.append("%s          %s[%s] += %s;" % (ind, res, t, prod))
        else:
            lines.append("%s          %s[%s] = %s[%s] + %s;" % (ind, res, t, res, t, prod))
        lines += ["%s        }" % ind, "%s      }" % ind,
                  "%s      for (int %s = 0; %s < %s; %s++)" % (ind, t, t, tn, t),
                  "%s        %s += %s * %s(%s[%s]);" % (ind, acc, coef, self.fn("tanh"), res, t),
                  "%s    }" % ind, "%s  free(%s);" % (ind, xin), "%s}" % ind]
        return lines

    def gates_stmt(self, sc, ctx, ind):
        """ADBench's LSTM cell: in each of a few steps a heap block of two
        gates per element (malloc or calloc, either spelling of the size),
        pointers into it (`&g[0]` or `g`, `g + n` or `&g[n]`), a fill of
        both gates, then reads (into the accumulator, or through a state
        array updated in place), or a gate updated in place first (its old
        values needed); the cell inline or in a helper writing the state
        through its pointer; or a pointer walking the block.  [] without an
        array to read."""
        m = self.rgt
        a = self.read_array(sc, m, "gates")
        if not a:
            return []
        acc = ctx["acc"]
        st, i, hs = (self.fresh(x) for x in ("st", "i", "hs"))
        steps = m.randint(2, 4)
        coef = "%.2f" % m.uniform(0.05, 0.3)
        shape = m.choice(["fill", "fill", "update", "walk"])
        helper = m.random() < 0.5 and shape != "walk"
        lines = ["%s{" % ind] + (["%s  REAL %s[4] = {0.1, -0.2, 0.3, 0.05};" % (ind, hs)] if shape != "walk" else []) \
            + ["%s  for (int %s = 0; %s < %d; %s++) {" % (ind, st, st, steps, st)]
        if helper:
            self.uses.add("gates_cell")
            lines.append("%s    rp_cell(n, %s, %s, %s, %s);" % (ind, a.name, st, hs, shape == "update" and "1" or "0"))
            lines += ["%s  }" % ind,
                      "%s  for (int %s = 0; %s < 4; %s++)" % (ind, i, i, i),
                      "%s    %s += %s * %s[%s] * %s[%s];" % (ind, acc, coef, hs, i, hs, i),
                      "%s}" % ind]
            return lines
        g, fg, cg, p = (self.fresh(x) for x in ("g", "fg", "cg", "p"))
        alloc = m.choice(["malloc(2 * n * sizeof(REAL))", "calloc(2 * n, sizeof(REAL))",
                          "malloc(sizeof(REAL) * 2 * n)"])
        w = ind + "    "
        lines.append("%sREAL *%s = %s;" % (w, g, alloc))
        if shape == "walk":
            lines += ["%sREAL *%s = %s;" % (w, p, g),
                      "%sfor (int %s = 0; %s < 2 * n; %s++)" % (w, i, i, i),
                      "%s  *%s++ = %s(%s[%s %% n] * (REAL)%.2f + %s * (REAL)0.1);" % (
                          w, p, self.fn("sin"), a.name, i, m.uniform(0.3, 1.2), st),
                      "%sfor (int %s = 0; %s < 2 * n; %s++)" % (w, i, i, i),
                      "%s  %s += %s * %s[%s] * %s[%s];" % (w, acc, coef, g, i, g, i),
                      "%sfree(%s);" % (w, g), "%s  }" % ind, "%s}" % ind]
            return lines
        lines += ["%sREAL *%s = %s;" % (w, fg, m.choice(["&%s[0]" % g, g])),
                  "%sREAL *%s = %s;" % (w, cg, m.choice(["%s + n" % g, "&%s[n]" % g])),
                  "%sfor (int %s = 0; %s < n; %s++) {" % (w, i, i, i),
                  "%s  %s[%s] = 1 / (1 + %s(-(%s[%s] * (REAL)%.2f + %s * (REAL)0.1)));" % (
                      w, fg, i, self.fn("exp"), a.name, i, m.uniform(0.3, 1.2), st),
                  "%s  %s[%s] = %s(%s[(%s + %s) %% n] * (REAL)%.2f);" % (
                      w, cg, i, self.fn("tanh"), a.name, i, st, m.uniform(0.3, 1.2)),
                  "%s}" % w]
        if shape == "update":
            lines += ["%sfor (int %s = 0; %s < n; %s++)" % (w, i, i, i),
                      "%s  %s[%s] = %s[%s] * %s[%s] + (REAL)0.1;" % (w, fg, i, fg, i, cg, i)]
        lines += ["%sfor (int %s = 0; %s < n; %s++)" % (w, i, i, i),
                  "%s  %s[%s %% 4] = %s[%s %% 4] * %s[%s] + %s[%s];" % (w, hs, i, hs, i, fg, i, cg, i),
                  "%sfree(%s);" % (w, g), "%s  }" % ind,
                  "%sfor (int %s = 0; %s < 4; %s++)" % (ind, i, i, i),
                  "%s  %s += %s * %s[%s] * %s[%s];" % (ind, acc, coef, hs, i, hs, i),
                  "%s}" % ind]
        return lines

    def carried_stmt(self, sc, ctx, ind):
        """A loop that reads, early in its body, a value its previous
        iteration set late: an index into an array of n elements, the same
        inside a branch (a flag says whether it was set), a REAL value, a
        local array of three read before it is filled again.  Declared
        without an initialiser, so nothing outside the loop mentions them
        (the head turns off gcc's maybe-uninitialized guess: they are set
        before they are read).  [] without an array to read."""
        m = self.rcar
        a = self.read_array(sc, m, "carried")
        if not a:
            return []
        acc, c, i = ctx["acc"], self.fresh("cr"), self.fresh("i")
        coef = "%.2f" % m.uniform(0.05, 0.3)
        f = self.fn(m.choice(["sin", "tanh", "cos"]))
        kind = m.choice(["index", "branch", "value", "fill"])
        head = "%s  for (int %s = 0; %s < n; %s++) {" % (ind, i, i, i)
        if kind == "index":
            body = ["%s    if (%s > 0)" % (ind, i),
                    "%s      %s += %s * %s[%s] * %s(%s[%s]);" % (ind, acc, coef, a.name, c, f, a.name, i),
                    "%s    %s = %s;" % (ind, c, m.choice([i, "(%s + 1) %% n" % i, "n - 1 - %s" % i]))]
            decl = ["%s  int %s;" % (ind, c)]
        elif kind == "branch":
            have = self.fresh("have")
            cond = m.choice(["%s %% 2 == 0" % i, "%s[%s] > -0.5" % (a.name, i), "%s != 1" % i])
            body = ["%s    if (%s) {" % (ind, cond),
                    "%s      if (%s)" % (ind, have),
                    "%s        %s += %s * %s[%s] * %s(%s[%s]);" % (ind, acc, coef, a.name, c, f, a.name, i),
                    "%s      %s = %s;" % (ind, c, i),
                    "%s      %s = 1;" % (ind, have),
                    "%s    }" % ind]
            decl = ["%s  int %s, %s = 0;" % (ind, c, have)]
        elif kind == "value":
            body = ["%s    if (%s > 0)" % (ind, i),
                    "%s      %s += %s * %s * %s(%s[%s]);" % (ind, acc, coef, c, f, a.name, i),
                    "%s    %s = %s[%s] * %s;" % (ind, c, a.name, i, "%.2f" % m.uniform(0.3, 0.9))]
            decl = ["%s  REAL %s;" % (ind, c)]
        else:
            j = self.fresh("j")
            body = ["%s    if (%s > 0)" % (ind, i),
                    "%s      %s += %s * %s[1] * %s(%s[%s]) + %s * %s[2] * %s[0];" % (
                        ind, acc, coef, c, f, a.name, i, coef, c, c),
                    "%s    for (int %s = 0; %s < 3; %s++)" % (ind, j, j, j),
                    "%s      %s[%s] = %s[(%s + %s) %% n] * 0.5;" % (ind, c, j, a.name, i, j)]
            decl = ["%s  REAL %s[3];" % (ind, c)]
        return ["%s{" % ind] + decl + [head] + body + ["%s  }" % ind, "%s}" % ind]

    def global_writes(self, body):
        """A running average updated in a loop and read back, and the
        last loss left for the caller, at the end of a top function.  Not
        in a function that calls rp_note (a function of another file: a
        floating global written around it is refused)."""
        text = "\n".join(body + [h2t for h2t in self.out])
        if not self.gwrite or "rp_note(" in text or self.rg.random() < 0.4:
            return []
        t = self.global_read({"counters": ["ga"]})
        lines = ["  for (int ga = 0; ga < n; ga++) {",
                 "    g_avg = 0.8 * g_avg + 0.2 * %s(%s * x[ga]);" % (self.fn("tanh"), t),
                 "    acc += 0.1 * g_avg;",
                 "  }"]
        if self.gcount and self.rg.random() < 0.5:
            lines.append("  acc += 0.01 * g_calls;")
        return lines + ["  g_last = acc;"]

    def force_tables(self, body):
        """The file's static const tables that nothing read are read here
        (an unused static const warns)."""
        text = "\n".join(self.out + body)
        out = []
        for nm, dims in self.gtables:
            if not re.search(r"\b%s\b" % nm, text):
                out.append("  acc += 0.1 * %s%s;" % (nm, "".join("[%d]" % (d - 1) for d in dims)))
        return out

    # -------------------------------------------------- several files
    def plan_lib(self):
        """The globals of rpSEED_lib.c (multifile; all drawn from Gen.rmulti)."""
        rm = self.rmulti
        self.lib_gain = "%.3f" % rm.uniform(0.5, 1.2)
        self.lib_tab = ", ".join("%.3f" % rm.uniform(-1.5, 1.5) for _ in range(4))
        # the globals feature's g_scale, g_coef and written globals defined
        # in the lib file rather than in rpSEED.c
        self.lib_home = self.globals_on and rm.random() < 0.5

    def lib_read(self, ctx):
        """A read of a global of rpSEED_lib.c."""
        rm = self.rmulti
        plain = [c for c in ctx["counters"] if re.fullmatch(r"[a-z]\w*", c)]
        k = rm.random()
        if k < 0.35:
            return "g_lib_gain"
        if plain and k < 0.8:
            return "g_lib_tab[%s %% 4]" % rm.choice(plain)
        return "g_lib_tab[%d]" % rm.randrange(4)

    def helper_calls_helper(self, sc, ctx):
        cands = [h for h in self.helpers if h["kind"] == "real"]
        if not cands:
            return []
        h = self.rmulti.choice(cands)
        args = self.helper_args(h, sc, dict(ctx, depth=1), 1)
        if args is None:
            return []
        self.uncalled.discard(h["name"])
        return ["  acc += 0.1 * %s(%s(%s));" % (self.fn("tanh"), h["name"], ", ".join(args))]

    def place_helpers(self):
        """Where each helper goes: "main" (rpSEED.c), "lib" (rpSEED_lib.c,
        multifile) or "header" (static inline in rpSEED.h, header_inline).
        A helper of rpSEED.c that one elsewhere calls gets external linkage;
        or, called from the lib file only, a copy with another body may
        become a static helper of the lib file of the same name.  Returns
        (place, external names, lib copies), all drawn from Gen.rmulti."""
        rm = self.rmulti
        texts = {h["name"]: self.out[h["index"]] for h in self.helpers}
        calls = {n: [h2["name"] for h2 in self.helpers
                     if h2["name"] != n and re.search(r"\b%s\(" % h2["name"], t)] for n, t in texts.items()}
        kind = {h["name"]: h["kind"] for h in self.helpers}
        place = {}
        # rpSEED.c's static tables are not seen from elsewhere
        movable = {n: not re.search(r"\b(g_tab\d+|g_rot|g_half)\b", t) for n, t in texts.items()}
        for h in self.helpers:
            p = "main"
            if movable[h["name"]] and self.lib_on and rm.random() < 0.45:
                p = "lib"
            elif movable[h["name"]] and self.features["header_inline"] and rm.random() < 0.4:
                p = "header"
            place[h["name"]] = p
        external = set(c for n in place if place[n] == "header" for c in calls[n] if place[c] == "main")
        # and some that only rpSEED.c calls: a prototype in the header
        external |= set(n for n in place if place[n] == "main" and self.lib_on and rm.random() < 0.15)
        at = {h["index"]: h["name"] for h in self.helpers}

        def called_in_main(c):
            return any(re.search(r"\b%s\(" % c, t) for i, t in enumerate(self.out)
                       if i not in at or (at[i] != c and place[at[i]] == "main"))
        copies = set()
        todo = [n for n in place if place[n] == "lib"]
        while todo:
            n = todo.pop(0)
            for c in calls[n]:
                if place[c] != "main" or c in external or c in copies:
                    continue
                if not called_in_main(c) and movable[c]:  # a static helper nothing calls would warn
                    place[c] = "lib"
                    todo.append(c)
                elif not called_in_main(c):
                    external.add(c)
                elif kind[c] == "real" and movable[c] and rm.random() < 0.5:
                    copies.add(c)
                    todo.append(c)
                else:
                    external.add(c)
        # a helper moved after a copy was made may leave rpSEED.c's uncalled
        changed = True
        while changed:
            changed = False
            for c in sorted(copies):
                if not called_in_main(c):
                    copies.discard(c)
                    if movable[c]:
                        place[c] = "lib"
                    else:
                        external.add(c)
                    changed = True
        return place, external, copies

    # ------------------------------------------------------ statements
    def new_local(self, sc, ctx, ind):
        nm = self.fresh("t")
        e = self.expr(sc, ctx, ctx["depth"])
        v = Var(nm, "real", e[1])
        sc.vars.append(v)
        return ["%sREAL %s = %s;" % (ind, nm, e[0])]

    def assign(self, sc, ctx, ind):
        targets = [v for v in sc.all() if v.kind == "real" and not v.name.startswith("acc")
                   and (not v.is_param or self.feat("param_write"))
                   and v.name not in ctx.get("frozen", ())]
        if not targets:
            return self.new_local(sc, ctx, ind)
        v = self.r.choice(targets)
        e = self.expr(sc, ctx, ctx["depth"])
        in_loop = ctx["in_loop"] > 0
        k = self.r.random()
        if in_loop:
            s = self.squash(e)
            if k < 0.3:
                a = self.const(0.3, 0.9)
                line = "%s = %s * %s + %s * %s;" % (v.name, a[0], v.name, self.const(0.1, 0.5)[0], s[0])
                v.bound = max(v.bound, v.bound * a[1] + 0.5)
            elif k < 0.5:
                op = self.r.choice(["+=", "-="])
                line = self.increment(v.name, op, "%s * %s" % (self.const(0.05, 0.3, False)[0], s[0]))
                v.bound += 0.3 * ctx["trips"]
            elif k < 0.65:
                line = "%s *= 0.9 + 0.1 * %s;" % (v.name, s[0])
            elif k < 0.8:
                line = "%s /= 1.2 + 0.2 * %s;" % (v.name, s[0])
            else:
                line = "%s = %s;" % (v.name, s[0])
                v.bound = max(v.bound, 1.0)
        else:
            if k < 0.5:
                trivial = re.fullmatch(r"\(?(-?[0-9.]+ [+-] )?%s( [+-] -?[0-9.]+)?\)?" % v.name, e[0])
                if trivial and not self.feat("self_add_const"):
                    e = ("0.5 * %s + %s" % (v.name, self.squash(e)[0]), 0.5 * v.bound + 1)
                line = "%s = %s;" % (v.name, e[0])
                v.bound = e[1]
            elif k < 0.7:
                op = self.r.choice(["+=", "-="])
                line = self.increment(v.name, op, e[0])
                v.bound += e[1]
            elif k < 0.85:
                s = self.squash(e)
                line = "%s *= 1.0 + 0.3 * %s;" % (v.name, s[0])
                v.bound *= 1.3
            else:
                s = self.squash(e)
                line = "%s /= 1.5 + 0.5 * %s;" % (v.name, s[0])
                v.bound *= 1.0
        if v.bound > BOUND_SQUASH:
            line += "\n%s%s = %s(%s);" % (ind, v.name, self.fn("tanh"), v.name)
            v.bound = 1.0
        return [ind + line]

    def increment(self, lhs, op, rhs, p=0.35):
        """`lhs op rhs;`, or (incr_spelling) an increment spelled as an
        assignment: lhs = lhs + rhs, lhs = rhs + lhs, lhs = lhs - rhs."""
        if op in ("+=", "-=") and self.feat("incr_spelling") and self.rs.random() < p:
            if op == "-=":
                return "%s = %s - %s;" % (lhs, lhs, rhs)
            if self.rs.random() < 0.5:
                return "%s = %s + %s;" % (lhs, lhs, rhs)
            return "%s = %s + %s;" % (lhs, rhs, lhs)
        if op in ("+=", "-=") and self.feat("incr_forms") and self.rinc.random() < (0.9 if "[" in lhs else 0.5):
            return self.incr_form(lhs, op[0], rhs)
        return "%s %s %s;" % (lhs, op, rhs)

    def incr_form(self, lhs, sign, rhs):
        """(incr_forms) `lhs sign= rhs` as an assignment whose right side
        names lhs another way, all drawn from Gen.rinc."""
        ri = self.rinc
        elem = re.fullmatch(r"(\w+)\[(.*)\]", lhs)
        if elem:
            name, idx = elem.groups()
            turned = re.fullmatch(r"\((\w+) \+ 1\) % n", idx)
            other = "(1 + %s) %% n" % turned.group(1) if turned else idx
            k = ri.randrange(3)
            if k == 0:
                return "%s = *(%s + (%s)) %s %s;" % (lhs, name, idx, sign, rhs)
            if k == 1:
                return "*(%s + (%s)) = %s[%s] %s %s;" % (name, idx, name, other, sign, rhs)
            return "%s = %s[%s] %s %s;" % (lhs, name, other, sign, rhs)
        member = re.fullmatch(r"(\w+)->(\w+)", lhs)
        if member and ri.random() < 0.7:
            return "%s = (*%s).%s %s %s;" % (lhs, member.group(1), member.group(2), sign, rhs)
        if sign == "-" and ri.random() < 0.5:
            return "%s = -(%s) + %s;" % (lhs, rhs, lhs)
        return "%s = (REAL)(%s %s %s);" % (lhs, lhs, sign, rhs)

    def arr_write(self, sc, ctx, ind):
        arrs = [v for v in sc.all() if v.kind == "arr" and v.writable
                and (not ctx.get("in_ckpt") or v.fixed) and v.name not in ctx.get("frozen", ())]
        if not arrs or not ctx["counters"]:
            return self.assign(sc, ctx, ind)
        v = self.r.choice(arrs)
        c = ctx["counters"][-1]
        idx = self.r.choice([c, c, "(%s + 1) %% n" % c, "n - 1 - %s" % c])
        e = self.expr(sc, ctx, ctx["depth"])
        if v.readable and self.chance(0.5):
            s = self.squash(e)
            op = self.r.choice(["+=", "-=", "*=", "/="])
            if op in ("+=", "-="):
                rhs = "%s * %s" % (self.const(0.05, 0.3, False)[0], s[0])
                v.bound += 0.3 * ctx["trips"]
            elif op == "*=":
                rhs = "0.9 + 0.1 * %s" % s[0]
            else:
                rhs = "1.2 + 0.2 * %s" % s[0]
            lines = [ind + self.increment("%s[%s]" % (v.name, idx), op, rhs, 0.7)]
            if v.bound > BOUND_SQUASH:
                lines.append("%s%s[%s] = %s(%s[%s]);" % (ind, v.name, idx, self.fn("tanh"), v.name, idx))
                v.bound = 1.0
            return lines
        if e[1] > BOUND_SQUASH:
            e = self.squash(e)
        v.bound = max(v.bound, e[1]) if v.readable else v.bound
        if not v.readable:
            v.used = True
        lines = ["%s%s[%s] = %s;" % (ind, v.name, idx, e[0])]
        if self.feat("incr_forms") and self.rinc.random() < 0.9:
            # the element just written, incremented (sometimes by a term
            # that reads it: no increment of a constant, its old value needed)
            s = self.squash(self.expr(sc, ctx, 1))
            rhs = "%s * %s" % (self.const(0.05, 0.3, False)[0], s[0])
            if self.rinc.random() < 0.25:
                rhs = "%s * %s[%s]" % (rhs, v.name, idx)
            lines.append(ind + self.incr_form("%s[%s]" % (v.name, idx), self.rinc.choice("+-"), rhs))
            if v.readable:
                v.bound = 1.3 * v.bound + 0.3
        return lines

    def local_array(self, sc, ctx, ind):
        kinds = ["fixed"]
        if not ctx.get("in_ckpt") and ctx["in_loop"] == 0:
            if self.feat("vla"):
                kinds.append("vla")
            if self.feat("heap") and ctx.get("heap_ok") and ind == "  ":
                kinds += ["malloc", "calloc"]
        k = self.r.choice(kinds)
        nm = self.fresh("w")
        c = self.fresh("i")
        ctx2 = dict(ctx, counters=ctx["counters"] + [c])
        sc.vars.append(Var(c, "int"))
        e = self.expr(sc, ctx2, ctx["depth"])
        sc.vars.pop()
        if e[1] > BOUND_SQUASH:
            e = self.squash(e)
        lines = []
        if k == "fixed":
            lines.append("%sREAL %s[16] = {0};" % (ind, nm))
        elif k == "vla":
            lines.append("%sREAL %s[n];" % (ind, nm))
        elif k == "malloc":
            lines.append("%sREAL *%s = malloc((size_t)n * sizeof(REAL));" % (ind, nm))
        else:
            lines.append("%sREAL *%s = calloc(16, sizeof(REAL));" % (ind, nm))
        if k == "calloc" and self.chance(0.5):
            e = ("0.0", 0.0)
            lines.pop()
            lines.append("%sREAL *%s = calloc(16, sizeof(REAL));" % (ind, nm))
            v = Var(nm, "arr", 1.0, writable=True)
            # calloc'd zeros, then a sparse write
            lines.append("%s%s[n - 1] = %s;" % (ind, nm, self.squash(self.expr(sc, ctx, 1))[0]))
        else:
            lines.append("%sfor (int %s = 0; %s < n; %s++)" % (ind, c, c, c))
            lines.append("%s  %s[%s] = %s;" % (ind, nm, c, e[0]))
            v = Var(nm, "arr", e[1], writable=True)
        v.fixed = k == "fixed"
        if k in ("malloc", "calloc"):
            ctx["frees"].append(nm)
        sc.vars.append(v)
        return lines

    def omp_loop(self, sc, ctx, ind):
        """A parallel loop (OMP_FEATURES): a sum by reduction(+) of terms
        that only read the function's values (no calls: helpers may write),
        a local per iteration, maybe an array of its own written at the
        iteration's index and read after the loop; race-free, so its value
        is the serial one up to the order of the sum."""
        ro = self.romp
        s, c, t, w = self.fresh("os"), self.fresh("i"), self.fresh("ot"), self.fresh("ow")
        inner = Scope(sc)
        inner.vars.append(Var(c, "int"))
        ctx2 = dict(ctx, counters=ctx["counters"] + [c], in_loop=ctx["in_loop"] + 1, trips=ctx["trips"] * self.N,
                    helper_calls=False, in_omp=True)
        sched = ro.choice(["", " schedule(static)", " schedule(dynamic, 2)", " schedule(guided)",
                           " schedule(static, 3)"])
        keep = ro.random() < 0.5
        e1 = self.expr(inner, ctx2, 2)
        e2 = self.expr(inner, ctx2, 2)
        term = "%s * %s" % (t, e2[0])
        if e1[1] * e2[1] > BOUND_SQUASH:
            term = self.squash((term, e1[1] * e2[1]))[0]
        lines = ["%sREAL %s = 0.0;" % (ind, s)]
        if keep:
            lines.append("%sREAL %s[16];" % (ind, w))
        bins = split = None
        if self.features["omp_forms"]:
            of = self.rof
            if of.random() < 0.6:  # atomic scatter-adds into bins several iterations share
                bins = (self.fresh("ob"), of.randint(2, 4), of.choice(["atomic", "atomic update"]),
                        of.choice(["+=", "= +"]), self.const(0.1, 0.9))
                lines.append("%sREAL %s[%d] = {0};" % (ind, bins[0], bins[1]))
            split = of.random() < 0.4
        body_ind = ind + "  " if split else ind
        if split:  # the split form: a region holding only the loop
            lines.append("#pragma omp parallel")
            lines.append("%s{" % ind)
            lines.append("#pragma omp for reduction(+: %s)%s%s" % (s, sched, " nowait" if self.rof.random() < 0.5 else ""))
        else:
            lines.append("#pragma omp parallel for reduction(+: %s)%s" % (s, sched))
        lines.append("%sfor (int %s = 0; %s < n; %s++) {" % (body_ind, c, c, c))
        lines.append("%s  REAL %s = %s;" % (body_ind, t, e1[0]))
        lines.append("%s  %s += %s;" % (body_ind, s, term))
        if keep:
            lines.append("%s  %s[%s] = %s;" % (body_ind, w, c, t))
        if bins:
            lines.append("#pragma omp %s" % bins[2])
            target = "%s[%s %% %d]" % (bins[0], c, bins[1])
            if bins[3] == "+=":
                lines.append("%s  %s += %s * %s;" % (body_ind, target, bins[4][0], t))
            else:
                lines.append("%s  %s = %s + %s * %s;" % (body_ind, target, target, bins[4][0], t))
        lines.append("%s}" % body_ind)
        if split:
            lines.append("%s}" % ind)
        if bins:
            for k in range(bins[1]):
                lines.append("%s%s += 0.1 * %s;" % (ind, ctx["acc"], self.squash(("%s[%d]" % (bins[0], k), 1.0))[0]))
        lines.append("%s%s += 0.1 * %s;" % (ind, ctx["acc"], self.squash((s, 2.0 * self.N))[0]))
        if keep:
            c2 = self.fresh("i")
            lines.append("%sfor (int %s = 0; %s < n; %s++)" % (ind, c2, c2, c2))
            lines.append("%s  %s += 0.01 * %s[%s];" % (ind, ctx["acc"], w, c2))
        if self.features["omp_slices"] and self.rosl.random() < 0.7:
            lines += self.omp_slices(sc, ctx, ind)
        return lines

    def omp_slices(self, sc, ctx, ind):
        """A parallel loop over slices of one local buffer (OMPSLICES_FEATURES):
        row c reads its KT inputs at in[c * stride + k] and writes one output
        out[c * stride] from them and from values it only reads; out lies
        apart from in, is in itself (row c reads and writes only its own
        elements), or interleaves with it (stride 2 KT, out = in + KT).
        Race-free: each row touches its own elements of the buffer."""
        ro = self.rosl
        buf, kt, src, dst = self.fresh("sb"), self.fresh("KT"), self.fresh("sin"), self.fresh("sout")
        c, k, c2, a = self.fresh("i"), self.fresh("k"), self.fresh("i"), self.fresh("sa")
        width = ro.randint(1, 3)
        layout = ro.choice(["apart", "in_place", "interleaved"])
        stride = "2 * %s" % kt if layout == "interleaved" else kt
        lines = ["%sconst int %s = %d;" % (ind, kt, width),
                 "%sREAL %s[%d];" % (ind, buf, 2 * 8 * 3 * 2)]
        fill = Scope(sc)
        fill.vars.append(Var(c2, "int"))
        fctx = dict(ctx, counters=ctx["counters"] + [c2], in_loop=ctx["in_loop"] + 1, trips=ctx["trips"] * self.N,
                    helper_calls=False, in_omp=True)
        j = self.fresh("j")  # row c2's six entries: every input a row reads
        lines.append("%sfor (int %s = 0; %s < n; %s++)" % (ind, c2, c2, c2))
        lines.append("%s  for (int %s = 0; %s < 6; %s++)" % (ind, j, j, j))
        lines.append("%s    %s[%s * 6 + %s] = %s + 0.1 * %s;" % (ind, buf, c2, j, self.squash(self.expr(fill, fctx, 1))[0], j))
        out_at = {"apart": "%s + 8 * 3 * 2" % buf, "in_place": buf, "interleaved": "%s + %s" % (buf, kt)}[layout]
        lines.append("%sREAL *%s = %s, *%s = %s;" % (ind, src, buf, dst, out_at))
        inner = Scope(sc)
        inner.vars.append(Var(c, "int"))
        inner.vars.append(Var(k, "int"))
        ictx = dict(ctx, counters=ctx["counters"] + [c, k], in_loop=ctx["in_loop"] + 2,
                    trips=ctx["trips"] * self.N * width, helper_calls=False, in_omp=True)
        weight = self.squash(self.expr(inner, ictx, 1))[0]
        lines.append("#pragma omp parallel for%s" % ro.choice(["", " schedule(static)", " schedule(dynamic, 2)"]))
        lines.append("%sfor (int %s = 0; %s < n; %s++) {" % (ind, c, c, c))
        lines.append("%s  REAL %s = 0.0;" % (ind, a))
        lines.append("%s  for (int %s = 0; %s < %s; %s++)" % (ind, k, k, kt, k))
        lines.append("%s    %s += %s * %s[%s * %s + %s];" % (ind, a, weight, src, c, stride, k))
        lines.append("%s  %s[%s * %s] = %s;" % (ind, dst, c, stride, self.squash((a, 4.0 * width))[0]))
        lines.append("%s}" % ind)
        c3 = self.fresh("i")
        lines.append("%sfor (int %s = 0; %s < n; %s++)" % (ind, c3, c3, c3))
        lines.append("%s  %s += 0.1 * %s[%s * %s];" % (ind, ctx["acc"], dst, c3, stride))
        return lines

    def loop(self, sc, ctx, ind, budget):
        r = self.r
        c = self.fresh("i")
        kinds = ["for", "for", "for_down", "while", "do"]
        if self.feat("active_trip") and not ctx.get("in_ckpt"):
            kinds.append("active")
        k = r.choice(kinds)
        inner = Scope(sc)
        inner.vars.append(Var(c, "int"))
        trips = ctx["trips"] * self.N
        # the active loop's counter runs up to 3n: indices use it modulo n
        cix = "(%s %% n)" % c if k == "active" else c
        ctx2 = dict(ctx, counters=ctx["counters"] + [cix], in_loop=ctx["in_loop"] + 1, trips=trips,
                    loop_kind=k, no_continue=False)
        lines = []
        if k == "active":
            # trip count set by an active value, bounded by a guard
            t = self.fresh("tt")
            e = self.squash(self.expr(sc, ctx, 1))
            lines.append("%sREAL %s = 0.0;" % (ind, t))
            lines.append("%sint %s = 0;" % (ind, c))
            lines.append("%swhile (%s < 1.0 && %s < 3 * n) {" % (ind, t, c))
            lines.append("%s  %s += 0.2 + 0.1 * %s;" % (ind, t, e[0]))
            sc.vars.append(Var(t, "real", 2.0))
            ctx2["frozen"] = ctx.get("frozen", ()) + (t,)
            body = self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += body
            lines.append("%s  %s++;" % (ind, c))
            lines.append("%s}" % ind)
            return lines
        step = None
        if k in ("for", "for_down") and self.features["var_step"] and self.rvs.random() < 0.3:
            step = self.fresh("S")
            lines.append("%s%s %s = %d;" % (ind, self.rvs.choice(["const int", "int"]), step,
                                            self.rvs.randint(1, 3)))
        if k == "for" and step:
            lines.append("%sfor (int %s = 0; %s < n; %s += %s) {" % (ind, c, c, c, step))
        elif k == "for_down" and step:
            lines.append("%sfor (int %s = n - 1; %s >= 0; %s -= %s) {" % (ind, c, c, c, step))
        elif k == "for":
            lines.append("%sfor (int %s = 0; %s < n; %s++) {" % (ind, c, c, c))
        elif k == "for_down":
            lines.append("%sfor (int %s = n - 1; %s >= 0; %s--) {" % (ind, c, c, c))
        elif k == "while":
            # the counter moves first, so continue cannot skip it
            w = self.fresh("k")
            lines.append("%sint %s = 0;" % (ind, w))
            lines.append("%swhile (%s < n) {" % (ind, w))
            lines.append("%s  int %s = %s;" % (ind, c, w))
            lines.append("%s  %s++;" % (ind, w))
        else:
            w = self.fresh("k")
            lines.append("%sint %s = 0;" % (ind, w))
            lines.append("%sdo {" % ind)
            lines.append("%s  int %s = %s;" % (ind, c, w))
            lines.append("%s  %s++;" % (ind, w))
        if k in ("while", "do"):
            lines.append("%s  %s += 0.001 * %s;" % (ind, ctx["acc"], c))
        body = self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
        lines += body
        if not self.feat("trailing_continue"):
            lines.append("%s  %s += 0.001 * %s;" % (ind, ctx["acc"], cix))
        if k == "do":
            lines.append("%s} while (%s < n);" % (ind, w))
        else:
            lines.append("%s}" % ind)
        return lines

    def jump(self, sc, ctx, ind):
        """break / continue / return inside an if."""
        opts = []
        if ctx["in_loop"] and not ctx.get("no_break"):
            opts += ["break"] if ctx.get("no_continue") else ["break", "continue"]
        if ctx.get("allow_return") and not ctx["frees"] and not ctx.get("in_ckpt"):
            opts.append("return")
        if not opts:
            return self.assign(sc, ctx, ind)
        j = self.r.choice(opts)
        c = self.cond(sc, ctx, 1)
        if j == "return":
            return ["%sif (%s)" % (ind, c)] + self.return_stmt(sc, ctx, ind + "  ")
        return ["%sif (%s)" % (ind, c), "%s  %s;" % (ind, j)]

    def ifelse(self, sc, ctx, ind, budget):
        c = self.cond(sc, ctx, 2)
        lines = ["%sif (%s) {" % (ind, c)]
        lines += self.block(Scope(sc), ctx, max(1, budget // 2), ctx["depth"], ind=ind + "  ")
        if self.chance(0.6):
            if self.chance(0.3):
                lines.append("%s} else if (%s) {" % (ind, self.cond(sc, ctx, 1)))
                lines += self.block(Scope(sc), ctx, max(1, budget // 3), ctx["depth"], ind=ind + "  ")
            lines.append("%s} else {" % ind)
            lines += self.block(Scope(sc), ctx, max(1, budget // 2), ctx["depth"], ind=ind + "  ")
        lines.append("%s}" % ind)
        return lines

    def ptr_walk(self, sc, ctx, ind):
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable]
        acc = ctx["acc"]
        if not arrs:
            return self.assign(sc, ctx, ind)
        mats = [v for v in arrs if v.mat]
        c, p = self.fresh("i"), self.fresh("p")
        if mats and self.chance(0.5):
            m = self.r.choice(mats)
            vecs = [v for v in arrs if not v.mat] or [m]
            x = self.r.choice(vecs)
            m.used = x.used = True
            j = self.fresh("j")
            return ["%sfor (int %s = 0; %s < n; %s++) {" % (ind, j, j, j),
                    "%s  const REAL *%s = %s + %s * n;" % (ind, p, m.name, j),
                    "%s  REAL %s = 0.0;" % (ind, "dot" + p),
                    "%s  for (int %s = 0; %s < n; %s++)" % (ind, c, c, c),
                    "%s    %s += %s[%s] * %s[%s];" % (ind, "dot" + p, p, c, x.name, c),
                    "%s  %s += 0.1 * %s(%s);" % (ind, acc, self.fn("tanh"), "dot" + p),
                    "%s}" % ind]
        x = self.r.choice([v for v in arrs if not v.mat] or arrs)
        x.used = True
        if self.chance(0.5):
            return ["%sconst REAL *%s = %s;" % (ind, p, x.name),
                    "%sfor (int %s = 0; %s < n; %s++)" % (ind, c, c, c),
                    "%s  %s += %s * %s(*%s++);" % (ind, acc, self.const(0.05, 0.3)[0], self.fn("sin"), p)]
        return ["%sconst REAL *%s = %s + 1;" % (ind, p, x.name),
                "%s%s += 0.2 * *(%s + 1) * %s[-1] + 0.1 * *%s;" % (ind, acc, p, p, p)]

    def alias_call(self, sc, ctx, ind):
        vh = [h for h in self.helpers[:ctx.get("helper_limit", len(self.helpers))] if h["kind"] == "void"]
        dsts = [v for v in sc.all() if v.kind == "arr" and v.writable and v.readable and not v.mat
                and (not ctx.get("in_ckpt") or v.fixed) and v.name not in ctx.get("frozen", ())]
        srcs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
        if not vh or not dsts or not srcs:
            return self.assign(sc, ctx, ind)
        h = self.r.choice(vh)
        d = self.r.choice(dsts)
        a = d if (self.feat("alias") and self.chance(0.5)) else self.r.choice(srcs)
        b = self.r.choice(srcs + ([d] if self.feat("alias") else []))
        self.uncalled.discard(h["name"])
        d.bound = 3.0
        return ["%s%s(%s, %s, %s, n);" % (ind, h["name"], d.name, a.name, b.name)]

    def struct_stmt(self, sc, ctx, ind):
        ss = [v for v in sc.all() if v.kind == "struct" and v.struct == "Outer"]
        ih = [h for h in self.helpers[:ctx.get("helper_limit", len(self.helpers))] if h["kind"] == "inner"]
        if not ss:
            return self.assign(sc, ctx, ind)
        s = self.r.choice(ss)
        s.used = True
        acc = "->" if s.by_ptr else "."
        # (a helper may be called in a loop: its struct locals are then
        # assigned in the loop once inlined)
        if (ctx["in_loop"] or ctx["fn"].startswith("h")) and not self.feat("struct_loop"):
            return self.assign(sc, ctx, ind)
        loc = self.fresh("q")
        lines = ["%sInner %s = %s%sin;" % (ind, loc, s.name, acc)]
        if ih and self.chance(0.6):
            h = self.r.choice(ih)
            self.uncalled.discard(h["name"])
            lines.append("%s%s = %s(%s, %s);" % (ind, loc, h["name"], loc, self.squash(self.leaf(sc, ctx))[0]))
        lines.append("%s%s.a = %s * %s.a + %s;" % (ind, loc, self.const(0.3, 0.9)[0], loc,
                                                    self.squash(self.expr(sc, ctx, 1))[0]))
        lines.append("%s%s += 0.2 * %s.a * %s.w[%s];" % (ind, ctx["acc"], loc, loc, self.r.choice("012")))
        return lines

    def checkpoint_loop(self, sc, ctx, ind, budget):
        """A counted loop under #pragma vgrad checkpoint: state is scalars
        and fixed local arrays; no break or return."""
        c = self.fresh("s")
        form = self.r.choice([("0", "<", "n", "++"), ("0", "<", "2 * n", "++"), ("n", ">", "0", "--"),
                              ("1", "<=", "3 * n", " += 2"), ("0", "<", "11", "++")])
        inc = form[3] if form[3].startswith(" ") else form[3]
        head = "for (int %s = %s; %s %s %s; %s%s)" % (c, form[0], c, form[1], form[2], c, inc)
        snap = self.r.choice(["", "", " snapshots(%d)" % self.r.randint(1, 4)])
        inner = Scope(sc)
        inner.vars.append(Var(c, "int"))
        trips = 3 * self.N
        # the counter runs past n: indices use it modulo n
        ctx2 = dict(ctx, counters=ctx["counters"] + ["(%s %% n)" % c], in_loop=1, trips=trips, in_ckpt=True,
                    no_break=True)
        # a state variable that the loop carries
        st = self.fresh("cx")
        init = self.squash(self.expr(sc, ctx, 1))[0]
        sc.vars.append(Var(st, "real", 1.0))
        lines = ["%sREAL %s = %s;" % (ind, st, init)]
        if not self.feat("ckpt_overwrite_after"):
            # the loop reads nothing that is written after it: its own
            # accumulator, added to acc after the loop, and the variables
            # that exist now are frozen after the loop
            cacc = self.fresh("accc")
            lines.append("%sREAL %s = 0.0;" % (ind, cacc))
            ctx2["acc"] = cacc
            ctx2["avoid"] = tuple(ctx.get("avoid", ())) + ("acc",)
        lines += ["#pragma vgrad checkpoint%s" % snap, "%s%s {" % (ind, head)]
        e = self.squash(self.expr(inner, ctx2, 2))
        lines.append("%s  %s = %s * %s + %s * %s;" % (ind, st, self.const(0.5, 0.9, False)[0], st,
                                                      self.const(0.1, 0.4)[0], e[0]))
        lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
        lines.append("%s}" % ind)
        ctx["has_ckpt"] = True
        if not self.feat("ckpt_overwrite_after"):
            lines.append("%s%s += %s;" % (ind, ctx["acc"], cacc))
            ctx["frozen"] = tuple(ctx.get("frozen", ())) + tuple(
                v.name for v in sc.all() if v.kind in ("real", "arr", "cplx", "cxarr") and v.name != "acc")
        return lines

    def return_stmt(self, sc, ctx, ind, frees=()):
        """Returns the loss; heap buffers are freed after the value that
        may read them is computed."""
        fin = self.final_expr(sc, ctx)
        rk = ctx["ret"]
        fr = ["%s  free(%s);" % (ind, f) for f in frees]
        if rk == "real" and self.feat("effects") and self.rs.random() < 0.3:
            # a comma in the return: the accumulator moved, then the loss
            fin = "(%s, %s)" % (self.increment("acc", "+=", "0.1 * %s" % self.squash(self.expr(sc, ctx, 1))[0])[:-1],
                                fin)
        if rk == "real":
            if not frees:
                return ["%sreturn %s;" % (ind, fin)]
            return ["%s{" % ind, "%s  REAL ret_v = %s;" % (ind, fin)] + fr + ["%s  return ret_v;" % ind, "%s}" % ind]
        if rk == "res":
            aux = self.squash(self.expr(sc, ctx, 1))[0]
            return ["%s{" % ind, "%s  Res res_e = {%s, %s, n};" % (ind, fin, aux)] + fr + [
                "%s  return res_e;" % ind, "%s}" % ind]
        store = ["%s  *%s = %s;" % (ind, ctx["lossp"], fin)]
        if ctx.get("loss_pair"):
            store = self.loss_pair_stores(sc, ctx, ind, fin)
        return ["%s{" % ind] + store + fr + ["%s  return;" % ind, "%s}" % ind]

    def loss_pair_stores(self, sc, ctx, ind, fin):
        """The loss and a second value into err[0] and err[1], in one of
        the orders a residual pair is written in."""
        err = ctx["lossp"]
        second = self.squash(self.expr(sc, ctx, 1))[0]
        form = self.rpair.randrange(3)
        if form == 0:
            return ["%s  %s[1] = %s;" % (ind, err, second), "%s  *%s = %s;" % (ind, err, fin)]
        if form == 1:
            return ["%s  %s[0] = %s;" % (ind, err, fin), "%s  %s[1] = 0.5 * %s[0] + %s;" % (ind, err, err, second)]
        return ["%s  %s[1] = %s;" % (ind, err, second), "%s  %s[0] = %s + 0.1 * %s[1];" % (ind, err, fin, err)]

    def switch_stmt(self, sc, ctx, ind, budget):
        """A switch on an int of the counters or n: groups of one or two
        case labels and a default, each a braced block ending in break or
        falling through into the next; breaks inside branches too."""
        r = self.r
        counters = ctx["counters"]
        m = r.randint(2, 4)
        if counters and self.chance(0.7):
            c = r.choice(counters)
            value = r.choice(["%s %% %d" % (c, m), "(%s + n) %% %d" % (c, m), "(%s * 3 + 1) %% %d" % (c, m)])
        else:
            value = "n %% %d" % m
        labels = [["case %d:" % v] for v in range(m)]
        if len(labels) > 2 and self.chance(0.5):  # two labels on one group
            k = r.randrange(len(labels) - 1)
            labels[k] += labels.pop(k + 1)
        if self.chance(0.7):  # a default, anywhere
            labels.insert(r.randint(0, len(labels)), ["default:"])
        if len(labels) > 1 and self.chance(0.2):  # a value without a case
            labels.pop(r.randrange(len(labels)))
        lines = ["%sswitch (%s) {" % (ind, value)]
        inner_ctx = dict(ctx, in_switch=True)
        # a default beside a case for every value is reached only by a
        # negative value, and gcc then warns about sizes in it (memcpy)
        every_value = sum(l.startswith("case") for g in labels for l in g) == m
        for gi, group in enumerate(labels):
            lines += ["%s%s" % (ind, l) for l in group[:-1]]
            lines.append("%s%s {" % (ind, group[-1]))
            group_ctx = dict(inner_ctx, dead_default=True) if "default:" in group and every_value else inner_ctx
            lines += self.block(Scope(sc), group_ctx, max(1, budget // len(labels)), ctx["depth"], ind=ind + "  ")
            if self.chance(0.25):
                lines += ["%s  if (%s)" % (ind, self.cond(sc, ctx, 1)), "%s    break;" % ind,
                          "%s  %s += 0.05;" % (ind, ctx["acc"])]
            last = gi == len(labels) - 1
            if not last and self.chance(0.35):
                lines.append("%s}" % ind)
                lines.append("%s  /* fall through */" % ind)
            else:
                if not last or self.chance(0.5):
                    lines.append("%s  break;" % ind)
                lines.append("%s}" % ind)
        lines.append("%s}" % ind)
        return lines

    def goto_stmt(self, sc, ctx, ind, budget):
        """A forward goto: over a braced block (an early exit to a label),
        or out of two nested loops (a search that stops at its first hit)."""
        label = self.fresh("skip")
        deep = ctx["in_loop"] == 0 and len(ind) < 8
        if deep and self.chance(0.5):
            ci, cj = self.fresh("i"), self.fresh("j")
            inner = Scope(sc)
            inner.vars += [Var(ci, "int"), Var(cj, "int")]
            ctx2 = dict(ctx, counters=ctx["counters"] + [ci, cj], in_loop=ctx["in_loop"] + 2,
                        trips=ctx["trips"] * self.N * self.N, loop_kind="for")
            lines = ["%sfor (int %s = 0; %s < n; %s++) {" % (ind, ci, ci, ci),
                     "%s  for (int %s = 0; %s < n; %s++) {" % (ind, cj, cj, cj)]
            lines += self.block(inner, ctx2, max(1, budget - 2), ctx["depth"], ind=ind + "    ")
            lines += ["%s    if (%s)" % (ind, self.cond(inner, ctx2, 1)), "%s      goto %s;" % (ind, label),
                      "%s  }" % ind, "%s}" % ind]
        else:
            lines = ["%sif (%s)" % (ind, self.cond(sc, ctx, 1)), "%s  goto %s;" % (ind, label), "%s{" % ind]
            lines += self.block(Scope(sc), ctx, max(1, budget - 1), ctx["depth"], ind=ind + "  ")
            lines.append("%s}" % ind)
        e = self.squash(self.expr(sc, ctx, 1))
        lines += ["%s%s:" % (ind, label), "%s%s += %s * %s;" % (ind, ctx["acc"], self.const(0.1, 0.5)[0], e[0])]
        return lines

    def loop_ctx(self, ctx, counters, **kw):
        kw = dict(dict(counters=ctx["counters"] + counters, in_loop=ctx["in_loop"] + 1,
                       trips=ctx["trips"] * self.N, loop_kind="for", no_continue=False), **kw)
        return dict(ctx, **kw)

    def loop_end(self, ctx, counter, ind):
        """The last statement of a loop body, so that it does not end in
        continue (unless trailing_continue)."""
        if self.feat("trailing_continue"):
            return []
        return ["%s  %s += 0.001 * %s;" % (ind, ctx["acc"], counter)]

    def maybe_continue(self, sc, ctx2, ind):
        if ctx2.get("no_break") or ctx2.get("no_continue") or not self.chance(0.5):
            return []
        return ["%s  if (%s)" % (ind, self.cond(sc, ctx2, 1)), "%s    continue;" % ind]

    def comma_loop(self, sc, ctx, ind, budget):
        """A for with the comma operator in its init and step: a walking
        pointer beside the counter, two counters meeting in the middle, or
        an active state set in the init; a continue in the body or not."""
        r = self.r
        i = self.fresh("i")
        inner = Scope(sc)
        inner.vars.append(Var(i, "int"))
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
        k = r.random()
        lines = []
        if k < 0.4 and arrs and self.feat("ptr_walk") and not ctx.get("in_ckpt"):
            x = r.choice(arrs)
            x.used = True
            p = self.fresh("p")
            ctx2 = self.loop_ctx(ctx, [i])
            lines += ["%sint %s;" % (ind, i), "%sconst REAL *%s;" % (ind, p),
                      "%sfor (%s = 0, %s = %s; %s < n; %s++, %s++) {" % (ind, i, p, x.name, i, i, p)]
            if self.feat("ptr_step_continue"):
                lines += self.maybe_continue(inner, ctx2, ind)
            else:
                ctx2["no_continue"] = True
            lines.append("%s  %s += %s * %s(*%s);" % (ind, ctx["acc"], self.const(0.05, 0.3)[0], self.fn("sin"), p))
            lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += self.loop_end(ctx, i, ind)
        elif k < 0.75:
            j = self.fresh("j")
            inner.vars.append(Var(j, "int"))
            ctx2 = self.loop_ctx(ctx, [i, j])
            if self.chance(0.5):
                lines.append("%sfor (int %s = 0, %s = n - 1; %s < %s; %s++, %s--) {" % (ind, i, j, i, j, i, j))
            else:
                lines += ["%sint %s, %s;" % (ind, i, j),
                          "%sfor (%s = 0, %s = n - 1; %s < %s; %s++, %s--) {" % (ind, i, j, i, j, i, j)]
            lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += self.maybe_continue(inner, ctx2, ind)
            lines += self.loop_end(ctx, j, ind)
        else:
            st = self.fresh("cs")
            ctx2 = self.loop_ctx(ctx, [i], frozen=ctx.get("frozen", ()) + (st,))
            init = self.squash(self.expr(sc, ctx, 1))[0]
            lines += ["%sint %s;" % (ind, i), "%sREAL %s;" % (ind, st),
                      "%sfor (%s = 0, %s = %s; %s < n; %s++) {" % (ind, i, st, init, i, i)]
            e = self.squash(self.expr(inner, ctx2, 1))
            lines.append("%s  %s = %s * %s + %s * %s;" % (ind, st, self.const(0.4, 0.8, False)[0], st,
                                                          self.const(0.1, 0.4)[0], e[0]))
            lines += self.maybe_continue(inner, ctx2, ind)
            lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += self.loop_end(ctx, i, ind)
            sc.vars.append(Var(st, "real", 1.0))
        lines.append("%s}" % ind)
        return lines

    def effect_stmt(self, sc, ctx, ind, budget, loop_ok):
        """Assignments and ++/-- inside expressions: a = b = e; y[k++] = v;
        s += *p++; while ((r = e) > c && k < n); while (m--);
        do ... while (++c < n); if ((u = e) > c)."""
        r = self.r
        kinds = ["chain", "chain", "if_assign"]
        if ctx["in_loop"] == 0 and not ctx.get("in_ckpt"):
            kinds.append("fill")
            if self.feat("ptr_walk"):
                kinds.append("sum_walk")
        if loop_ok:
            kinds += ["while_dec", "do_pre"]
            if self.feat("active_trip") and not ctx.get("in_ckpt"):
                kinds.append("while_assign")
        k = r.choice(kinds)
        if k == "chain":
            targets = [v for v in sc.all() if v.kind == "real" and not v.name.startswith("acc")
                       and (not v.is_param or self.feat("param_write"))
                       and v.name not in ctx.get("frozen", ())]
            e = self.expr(sc, ctx, ctx["depth"])
            if ctx["in_loop"] or e[1] > BOUND_SQUASH:
                e = self.squash(e)
            if len(targets) >= 2 and self.chance(0.6):
                a, b = r.sample(targets, 2)
                a.bound = b.bound = e[1]
                return ["%s%s = %s = %s;" % (ind, a.name, b.name, e[0])]
            t = self.fresh("t")
            if targets and self.chance(0.5):
                b = r.choice(targets)
                b.bound = e[1]
                sc.vars.append(Var(t, "real", e[1]))
                return ["%sREAL %s = %s = %s;" % (ind, t, b.name, e[0])]
            u = self.fresh("t")
            sc.vars += [Var(t, "real", e[1]), Var(u, "real", e[1])]
            return ["%sREAL %s, %s;" % (ind, t, u), "%s%s = %s = %s;" % (ind, t, u, e[0])]
        if k == "if_assign":
            u = self.fresh("ut")  # not u0, u1: a helper's parameters
            e = self.expr(sc, ctx, ctx["depth"])
            if e[1] > BOUND_SQUASH:
                e = self.squash(e)
            lines = ["%sREAL %s;" % (ind, u), "%sif ((%s = %s) > %s) {" % (ind, u, e[0], self.const(0.0, 0.5)[0])]
            sc.vars.append(Var(u, "real", e[1]))
            lines += self.block(Scope(sc), ctx, max(1, budget // 2), ctx["depth"], ind=ind + "  ")
            if self.chance(0.5):
                lines.append("%s} else {" % ind)
                lines += self.block(Scope(sc), ctx, max(1, budget // 2), ctx["depth"], ind=ind + "  ")
            lines.append("%s}" % ind)
            return lines
        if k == "fill":
            # y[k++] = v, for every i or only some: k counts the filled
            y, kk, i = self.fresh("y"), self.fresh("k"), self.fresh("i")
            inner = Scope(sc)
            inner.vars.append(Var(i, "int"))
            ctx2 = self.loop_ctx(ctx, [i])
            e = self.expr(inner, ctx2, ctx["depth"])
            if e[1] > BOUND_SQUASH:
                e = self.squash(e)
            lines = ["%sREAL %s[16] = {0};" % (ind, y), "%sint %s = 0;" % (ind, kk),
                     "%sfor (int %s = 0; %s < n; %s++)" % (ind, i, i, i)]
            if self.chance(0.5):
                lines += ["%s  if (%s)" % (ind, self.cond(inner, ctx2, 1)), "%s    %s[%s++] = %s;" % (ind, y, kk, e[0])]
            else:
                lines.append("%s  %s[%s++] = %s;" % (ind, y, kk, e[0]))
            lines.append("%s%s += 0.01 * %s;" % (ind, ctx["acc"], kk))
            v = Var(y, "arr", max(e[1], 0.0), writable=True)
            v.fixed = True
            sc.vars.append(v)
            return lines
        if k == "sum_walk":
            arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
            if not arrs:
                return self.assign(sc, ctx, ind)
            x = r.choice(arrs)
            x.used = True
            p, t, i = self.fresh("p"), self.fresh("t"), self.fresh("i")
            w = "" if self.chance(0.5) else " * %s" % self.squash(self.leaf(sc, ctx))[0]
            sc.vars.append(Var(t, "real", x.bound * self.N))
            return ["%sconst REAL *%s = %s;" % (ind, p, x.name), "%sREAL %s = 0.0;" % (ind, t),
                    "%sfor (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                    "%s  %s += *%s++%s;" % (ind, t, p, w)]
        c = self.fresh("i")
        w = self.fresh("k")
        inner = Scope(sc)
        inner.vars.append(Var(c, "int"))
        if k == "while_dec":
            # while (m--): the counter runs n - 1 .. 0 in the body
            ctx2 = self.loop_ctx(ctx, [w])
            inner.vars.append(Var(w, "int"))
            lines = ["%sint %s = n;" % (ind, w), "%swhile (%s--) {" % (ind, w)]
            lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += self.maybe_continue(inner, ctx2, ind)
            lines += self.loop_end(ctx, w, ind)
            lines.append("%s}" % ind)
            return lines
        if k == "do_pre":
            # do ... while (++c < n): no continue in the body (refused)
            ctx2 = self.loop_ctx(ctx, [w], no_continue=True)
            inner.vars.append(Var(w, "int"))
            lines = ["%sint %s = 0;" % (ind, w), "%sdo {" % ind]
            lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
            lines += self.loop_end(ctx, w, ind)
            lines.append("%s} while (++%s < n);" % (ind, w))
            return lines
        # while ((r = e) > c && k < n): a trip count of active values
        rr = self.fresh("r")
        ctx2 = self.loop_ctx(ctx, [c], frozen=ctx.get("frozen", ()) + (rr,))
        e = self.squash(self.expr(sc, ctx, 1))
        lines = ["%sREAL %s = %s;" % (ind, rr, self.squash(self.leaf(sc, ctx))[0]), "%sint %s = 0;" % (ind, w),
                 "%swhile ((%s = %s * %s + %s * %s) > %s && %s < n) {" % (
                     ind, rr, self.const(0.4, 0.7, False)[0], rr, self.const(0.2, 0.4, False)[0], e[0],
                     self.const(0.0, 0.3)[0], w),
                 "%s  int %s = %s;" % (ind, c, w), "%s  %s++;" % (ind, w),
                 "%s  %s += 0.001 * %s;" % (ind, ctx["acc"], c)]
        sc.vars.append(Var(rr, "real", 1.0))
        lines += self.block(inner, ctx2, budget, ctx["depth"], ind=ind + "  ")
        lines += self.maybe_continue(inner, ctx2, ind)
        lines += self.loop_end(ctx, c, ind)
        lines.append("%s}" % ind)
        return lines

    def assert_stmt(self, sc, ctx, ind):
        """assert(c) with c true for the generated inputs: on ints, and on
        active values (not NaN, not huge)."""
        r = self.r
        self.uses.add("assert")
        opts = ["n > 0", "n >= 1 && n < 100"]
        for c in ctx["counters"]:
            opts += ["%s >= 0" % c, "%s < n" % c]
        k = r.random()
        if k < 0.35:
            return ["%sassert(%s);" % (ind, r.choice(opts))]
        if k < 0.6:
            v = self.leaf(sc, ctx)[0]
            if re.fullmatch(r"-?[0-9.]+", v):
                return ["%sassert(%s);" % (ind, r.choice(opts))]
            return ["%sassert(%s == %s);" % (ind, v, v)]
        e = self.expr(sc, ctx, 1)[0]
        return ["%sassert(%s((REAL)(%s)) < 1e30);" % (ind, self.fn("fabs"), e)]

    def mem_stmt(self, sc, ctx, ind):
        """memcpy, memmove or memset of REAL buffers (ad/memfns.c), its
        size spelled as users write it.  Only local arrays are written
        (a helper's array parameters may be one array: a memcpy between
        them would overlap); they hold at least n elements (16 when
        fixed).  [] when no array fits."""
        m = self.rmem
        srcs = [v for v in sc.all() if v.kind == "arr" and v.readable]
        dsts = [v for v in sc.all() if v.kind == "arr" and v.writable and v.readable and not v.is_param
                and (not ctx.get("in_ckpt") or v.fixed) and v.name not in ctx.get("frozen", ())]

        def size(count, arr):
            count_p = count if count == "n" else "(%s)" % count
            return m.choice(["%s * sizeof(REAL)" % count_p, "sizeof(REAL) * %s" % count_p,
                             "%s * sizeof *%s" % (count_p, arr.name), "%s * sizeof %s[0]" % (count_p, arr.name),
                             "(size_t)%s * sizeof(REAL)" % count_p])

        kinds = []
        if srcs and ctx["in_loop"] == 0:
            kinds.append("new_copy")
        if srcs and dsts:
            kinds += ["copy", "copy"]
        if dsts:
            kinds += ["move", "zero"]
        if not kinds:
            return []
        k = m.choice(kinds)
        if k == "new_copy":
            src = m.choice(srcs)
            src.used = True
            nm = self.fresh("mc")
            v = Var(nm, "arr", src.bound, writable=True, fixed=True)
            sc.vars.append(v)
            if m.random() < 0.4:  # zeroed by memset rather than its initializer
                zero = m.choice(["sizeof %s" % nm, "16 * sizeof(REAL)", "16 * sizeof %s[0]" % nm])
                lines = ["%sREAL %s[16];" % (ind, nm), "%smemset(%s, 0, %s);" % (ind, nm, zero)]
            else:
                lines = ["%sREAL %s[16] = {0};" % (ind, nm)]
            lines.append("%smemcpy(%s, %s, %s);" % (ind, nm, src.name, size("n", v)))
            if m.random() < 0.5:  # then shifted within itself
                k, dsts = "move", [v]
            else:
                return lines
        else:
            lines = []
        dst = m.choice(dsts)
        if k == "copy":
            others = [v for v in srcs if v is not dst]
            if not others:
                k = "zero"
            else:
                src = m.choice(others)
                src.used = True
                dst.bound = max(dst.bound, src.bound)
                if dst.fixed and src.fixed and m.random() < 0.3:
                    return ["%smemcpy(%s, %s, sizeof %s);" % (ind, dst.name, src.name, dst.name)]
                form = m.choice(["all", "to_offset", "from_offset"])
                if form == "all":
                    return ["%smemcpy(%s, %s, %s);" % (ind, dst.name, src.name, size("n", dst))]
                if form == "to_offset":
                    return ["%smemcpy(&%s[1], %s, %s);" % (ind, dst.name, src.name, size("n - 1", dst))]
                return ["%smemcpy(%s, %s + 1, %s);" % (ind, dst.name, src.name, size("n - 1", src))]
        if k == "move":
            a, b = m.choice([("%s + 1", "%s"), ("%s", "%s + 1"), ("&%s[1]", "&%s[0]"), ("&%s[0]", "&%s[1]")])
            return lines + ["%smemmove(%s, %s, %s);" % (ind, a % dst.name, b % dst.name, size("n - 1", dst))]
        if dst.fixed and m.random() < 0.3:
            return ["%smemset(%s, 0, sizeof %s);" % (ind, dst.name, dst.name)]
        return ["%smemset(%s, 0, %s);" % (ind, dst.name, size("n", dst))]

    def custom_writer_stmt(self, sc, ctx, ind):
        """A call of rp_cw, whose custom rules vgradcc uses, writing a local
        array (n elements, or n - 1 from an offset spelled `y + 1` or
        `&y[1]`) from another readable array or in place (x and y the same
        pointer; never overlapping otherwise, as BLAS requires).  [] when no
        array fits."""
        m = self.rcw
        dsts = [v for v in sc.all() if v.kind == "arr" and v.writable and v.readable and not v.is_param
                and (not ctx.get("in_ckpt") or v.fixed) and v.name not in ctx.get("frozen", ())]
        srcs = [v for v in sc.all() if v.kind == "arr" and v.readable]
        if not dsts:
            return []
        dst = m.choice(dsts)
        others = [v for v in srcs if v is not dst]
        a = self.expr(sc, ctx, 1)
        if a[1] > 2.0:
            a = self.squash(a)
        self.cw_used = True
        dst.bound = 0.5 * dst.bound + a[1]
        form = m.choice(["whole", "whole", "plus", "addr"])
        if not others or m.random() < 0.3:  # in place
            if form == "whole":
                return ["%srp_cw(n, %s, %s, %s);" % (ind, a[0], dst.name, dst.name)]
            y = "%s + 1" % dst.name if form == "plus" else "&%s[1]" % dst.name
            return ["%sif (n > 1) {" % ind, "%s  rp_cw(n - 1, %s, %s, %s);" % (ind, a[0], y, y), "%s}" % ind]
        src = m.choice(others)
        src.used = True
        if form == "whole":
            return ["%srp_cw(n, %s, %s, %s);" % (ind, a[0], src.name, dst.name)]
        y = "%s + 1" % dst.name if form == "plus" else "&%s[1]" % dst.name
        return ["%sif (n > 1) {" % ind, "%s  rp_cw(n - 1, %s, %s, %s);" % (ind, a[0], src.name, y), "%s}" % ind]

    def ptr_moves_stmt(self, sc, ctx, ind):
        """A pointer that moves between local arrays (each holds at least
        n elements): chosen by ?: or if/else, walked with p++ and then
        re-pointed, a layer loop whose input pointer moves from one array
        to the one it wrote, ping-pong buffers swapped each step.  Only
        locals: a parameter would need to be selected (bad/
        pointer_moves_unselected).  [] when fewer than two fit."""
        m = self.rpm
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.is_param and not v.mat]
        dsts = [v for v in arrs if v.writable and v.name not in ctx.get("frozen", ())]
        if len(arrs) < 2:
            return []
        acc, p = ctx["acc"], self.fresh("pm")
        counters = ctx["counters"]
        conds = ["n > 4", "n % 2 == 0"] + ["%s %% 2 == 1" % c for c in counters] + ["%s < n / 2" % c for c in counters]
        kinds = ["choice", "ifelse", "walk"] + (["layers", "pingpong"] if len(dsts) >= 2 else [])
        k = m.choice(kinds)
        a, b = m.sample(arrs, 2)
        a.used = b.used = True
        coef = "%.2f" % m.uniform(0.05, 0.3)
        i = self.fresh("i")
        if k == "choice":
            pick = m.choice(["%s ? %s : %s", "%s ? &%s[0] : %s + 0", "(%s) ? %s : %s"]) % (m.choice(conds), a.name,
                                                                                         b.name)
            return ["%sconst REAL *%s = %s;" % (ind, p, pick),
                    "%sfor (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                    "%s  %s += %s * %s(%s[%s]);" % (ind, acc, coef, self.fn("sin"), p, i)]
        if k == "ifelse":
            return ["%sconst REAL *%s;" % (ind, p),
                    "%sif (%s)" % (ind, m.choice(conds)),
                    "%s  %s = %s;" % (ind, p, a.name),
                    "%selse" % ind,
                    "%s  %s = %s + 1;" % (ind, p, b.name),
                    "%s%s += %s * %s(%s[0] * %s[n - 2]);" % (ind, acc, coef, self.fn("tanh"), p, p)]
        if k == "walk":
            return ["%sconst REAL *%s = %s;" % (ind, p, a.name),
                    "%sfor (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                    "%s  %s += %s * %s(*%s++);" % (ind, acc, coef, self.fn("sin"), p),
                    "%s%s = %s;" % (ind, p, b.name),
                    "%s%s += %s * %s[0] * %s[n - 1];" % (ind, acc, coef, p, p)]
        d, e = m.sample(dsts, 2)
        d.used = e.used = True
        if k == "layers":
            # the input pointer starts in a, then reads the array each layer wrote
            src = m.choice([v for v in arrs if v is not d])
            src.used = True
            l = self.fresh("l")
            d.bound = max(d.bound, 1.0)
            return ["%sconst REAL *%s = %s;" % (ind, p, src.name),
                    "%sfor (int %s = 0; %s < 2; %s++) {" % (ind, l, l, l),
                    "%s  for (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                    "%s    %s[%s] = %s(%s * %s[%s] + 0.1 * %s);" % (ind, d.name, i, self.fn("tanh"), coef, p, i, l),
                    "%s  %s = %s;" % (ind, p, d.name),
                    "%s}" % ind,
                    "%s%s += %s[n - 1];" % (ind, acc, p)]
        # ping-pong: nxt from cur, then the two swap
        cur, nxt, tmp, t = self.fresh("cur"), self.fresh("nxt"), self.fresh("tmp"), self.fresh("t")
        d.bound = e.bound = max(d.bound, e.bound, 1.0)
        return ["%sREAL *%s = %s, *%s = %s;" % (ind, cur, d.name, nxt, e.name),
                "%sfor (int %s = 0; %s < 2; %s++) {" % (ind, t, t, t),
                "%s  for (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                "%s    %s[%s] = 0.5 * %s[%s] + %s * %s(%s[(%s + 1) %% n]);" % (ind, nxt, i, cur, i, coef,
                                                                          self.fn("sin"), cur, i),
                "%s  REAL *%s = %s;" % (ind, tmp, cur),
                "%s  %s = %s;" % (ind, cur, nxt),
                "%s  %s = %s;" % (ind, nxt, tmp),
                "%s}" % ind,
                "%s%s += %s * %s[0];" % (ind, acc, coef, cur)]

    def ptr_table_stmt(self, sc, ctx, ind):
        """A local array of pointers (each array holds at least n
        elements): rows read in a loop of a constant count, a constant
        index, arrays written through a table, a table of the addresses of
        two pointer variables set in a loop.  [] when fewer than two
        arrays fit."""
        m = self.rpt
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
        dsts = [v for v in arrs if v.writable and not v.is_param and v.name not in ctx.get("frozen", ())]
        if len(arrs) < 2:
            return []
        # "addresses" with locals only: a pointer moving into a parameter
        # that is not selected would need its length (bad/pointer_moves_unselected)
        locs = [v for v in arrs if not v.is_param]
        kinds = ["rows", "const"] + (["addresses", "inline"] if len(locs) >= 2 else []) + \
            (["write"] if len(dsts) >= 2 else [])
        acc, tb = ctx["acc"], self.fresh("tb")
        k = m.choice(kinds)
        coef = "%.2f" % m.uniform(0.05, 0.3)
        r, i = self.fresh("r"), self.fresh("i")
        if k in ("rows", "const"):
            rows = m.sample(arrs, m.randint(2, min(3, len(arrs))))
            for v in rows:
                v.used = True
            lines = ["%sconst REAL *%s[%d] = {%s};" % (ind, tb, len(rows), ", ".join(
                m.choice(["%s", "&%s[0]", "%s + 0"]) % v.name for v in rows))]
            if k == "const":
                return lines + ["%s%s += %s * %s[%d][0] * %s[0][n - 1];" % (ind, acc, coef, tb, len(rows) - 1, tb)]
            bound = m.choice(["%d" % len(rows), "(int)(sizeof %s / sizeof %s[0])" % (tb, tb), "const"])
            if bound == "const":
                c = self.fresh("nt")
                lines.append("%sconst int %s = %d;" % (ind, c, len(rows)))
                bound = c
            read = m.choice(["%s[%s][%s]", "*(%s[%s] + %s)"]) % (tb, r, i)
            return lines + ["%sfor (int %s = 0; %s < %s; %s++)" % (ind, r, r, bound, r),
                            "%s  for (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                            "%s    %s += %s * %s(%s) * (%s + 1);" % (ind, acc, coef, self.fn("sin"), read, r)]
        if k == "inline":
            # a choice between two arrays used in place, no table (nor
            # pointer variable) holding it; locals, as for "addresses"
            a, b = m.sample(locs, 2)
            a.used = b.used = True
            conds = ["n > 4", "n % 2 == 0", "%s %% 2 == 1" % i]
            return ["%sfor (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                    "%s  %s += %s * %s((%s ? %s : %s)[%s]);" % (ind, acc, coef, self.fn("sin"), m.choice(conds),
                                                            a.name, b.name, i)]
        if k == "addresses":
            a, b = m.sample(locs, 2)
            a.used = b.used = True
            p, q = self.fresh("pq"), self.fresh("pq")
            return ["%sconst REAL *%s = %s, *%s = %s;" % (ind, p, a.name, q, a.name),
                    "%sconst REAL **%s[] = {&%s, &%s};" % (ind, tb, p, q),
                    "%sfor (int %s = 0; %s < 2; %s++)" % (ind, r, r, r),
                    "%s  *%s[%s] = %s ? %s : %s;" % (ind, tb, r, r, b.name, a.name),
                    "%s%s += %s * %s(%s[0] * %s[n - 1]);" % (ind, acc, coef, self.fn("tanh"), p, q)]
        d, e = m.sample(dsts, 2)
        d.used = e.used = True
        src = m.choice(arrs)
        src.used = True
        d.bound = e.bound = max(d.bound, e.bound, 1.0)
        return ["%sREAL *%s[2] = {%s, %s};" % (ind, tb, d.name, e.name),
                "%sfor (int %s = 0; %s < 2; %s++)" % (ind, r, r, r),
                "%s  for (int %s = 0; %s < n; %s++)" % (ind, i, i, i),
                "%s    %s[%s][%s] = 0.5 * %s[%s][%s] + %s * %s(%s[%s]);" % (ind, tb, r, i, tb, r, i, coef,
                                                                       self.fn("sin"), src.name, i)]

    def local_struct_stmt(self, sc, ctx, ind):
        """A local matrix struct `rp_mat` (head_lsp) whose data pointer the
        loss allocates, filled from a readable array (n elements) and read
        into the accumulator: set member by member and copied, made by
        rp_mat_new (by value), or on the heap by rp_mat_alloc and written
        through by rp_mat_scale; freed.  Or a buffer grown by realloc.
        [] when no array fits."""
        m = self.rlsp
        arrs = [v for v in sc.all() if v.kind == "arr" and v.readable]
        if not arrs:
            return []
        a = m.choice(arrs)
        a.used = True
        acc = ctx["acc"]
        coef, coef2 = "%.2f" % m.uniform(0.05, 0.4), "%.2f" % m.uniform(0.05, 0.4)
        i, j = self.fresh("i"), self.fresh("i")
        k = m.choice(["direct", "value", "heap", "grow"])
        lines = ["{"]
        if k == "grow":
            # a buffer grown by realloc as it fills (ad/realloc.c)
            g, gl, gc = self.fresh("gb"), self.fresh("gl"), self.fresh("gc")
            lines += ["  REAL *%s = NULL;" % g,
                      "  int %s = 0, %s = 0;" % (gl, gc),
                      "  for (int %s = 0; %s < n; %s++) {" % (i, i, i),
                      "    if (%s == %s) {" % (gl, gc),
                      "      %s = %s ? 2 * %s : %d;" % (gc, gc, gc, m.randint(1, 3)),
                      "      %s = realloc(%s, (unsigned)%s * sizeof *%s);" % (g, g, gc, g),
                      "    }",
                      "    %s[%s++] = %s * %s(%s[%s]);" % (g, gl, coef, self.fn("sin"), a.name, i),
                      "  }",
                      "  for (int %s = 0; %s < %s; %s++)" % (j, j, gl, j),
                      "    %s += %s * %s[%s] * %s[%s - 1 - %s];" % (acc, coef2, g, j, g, gl, j),
                      "  free(%s);" % g,
                      "}"]
            return [ind + l for l in lines]
        if k == "direct":
            s, c, p = self.fresh("sm"), self.fresh("sc"), self.fresh("sp")
            lines += ["  rp_mat %s;" % s,
                      "  %s.n = n;" % s,
                      "  %s.data = calloc((unsigned)n + 1u, sizeof(REAL));" % s,
                      "  for (int %s = 0; %s < n; %s++)" % (i, i, i),
                      "    %s.data[%s] = %s(%s * %s[%s]);" % (s, i, self.fn("tanh"), coef, a.name, i),
                      "  rp_mat %s = %s;" % (c, s),
                      "  rp_mat *%s = &%s;" % (p, c),
                      "  for (int %s = 0; %s < %s->n; %s++)" % (j, j, p, j),
                      "    %s += %s * %s->data[%s] * %s.data[(%s + 1) %% n];" % (acc, coef2, p, j, s, j),
                      "  free(%s.data);" % s]
        elif k == "value":
            self.lsp_uses.add("new")
            s = self.fresh("sm")
            lines += ["  rp_mat %s = rp_mat_new(n);" % s,
                      "  for (int %s = 0; %s < n; %s++)" % (i, i, i),
                      "    %s.data[%s] = %s * %s(%s[%s]);" % (s, i, coef, self.fn("sin"), a.name, i),
                      "  for (int %s = 0; %s < %s.n; %s++)" % (j, j, s, j),
                      "    %s += %s * %s.data[%s] * %s.data[%s];" % (acc, coef2, s, j, s, j),
                      "  free(%s.data);" % s]
        else:
            self.lsp_uses.update(["alloc", "scale"])
            h, o = self.fresh("sh"), self.fresh("so")
            lines += ["  rp_mat *%s = rp_mat_alloc(n);" % h,
                      "  for (int %s = 0; %s < n; %s++)" % (i, i, i),
                      "    %s->data[%s] = %s * %s[%s];" % (h, i, coef, a.name, i),
                      "  rp_mat *%s = rp_mat_alloc(n);" % o,
                      "  rp_mat_scale(%s, %s, %s);" % (h, coef2, o),
                      "  for (int %s = 0; %s < n; %s++)" % (j, j, j),
                      "    %s += %s(%s->data[%s]) * %s->data[%s];" % (acc, self.fn("sin"), o, j, h, j),
                      "  rp_mat_free(%s);" % o,
                      "  rp_mat_free(%s);" % h]
        lines.append("}")
        return [ind + l for l in lines]

    def head_lsp(self):
        """The matrix struct of local_struct_stmt and the helpers used."""
        if not self.features["local_struct_ptr"] or not self.out or not any("rp_mat" in t for t in self.out):
            return []
        d = ["/* a matrix struct whose data the loss allocates (local_struct_ptr) */",
             "typedef struct {", "  int n;", "  REAL *data;", "} rp_mat;", ""]
        if "new" in self.lsp_uses:
            d += ["static rp_mat rp_mat_new(int n) {", "  rp_mat m;", "  m.n = n;",
                  "  m.data = calloc((unsigned)n + 1u, sizeof(REAL));", "  return m;", "}", ""]
        if "alloc" in self.lsp_uses:
            d += ["static rp_mat *rp_mat_alloc(int n) {", "  rp_mat *m = malloc(sizeof(rp_mat));", "  m->n = n;",
                  "  m->data = calloc((unsigned)n + 1u, sizeof(REAL));", "  return m;", "}", "",
                  "static void rp_mat_free(rp_mat *m) {", "  free(m->data);", "  free(m);", "}", ""]
        if "scale" in self.lsp_uses:
            d += ["static void rp_mat_scale(const rp_mat *a, REAL s, rp_mat *out) {",
                  "  for (int i = 0; i < a->n; i++)", "    out->data[i] = s * a->data[i];", "}", ""]
        return d

    # ---------------------------------------------------- complex numbers
    def cfn(self, name):
        """A complex.h call: the float variant in float builds when enabled,
        as fn does for math.h (drawn from Gen.rcx)."""
        if self.feat("float_math") and self.rcx.random() < 0.5:
            return "FN(%s)" % name
        return name

    def cx_abs(self, t):
        """cabs of t moved by a constant off 0 (|off| < 0.5): cabs's
        derivative conj(z) / |z| is NaN at 0, and a value built of active
        ones is exactly 0 more often than one would think (acc before its
        first update, a cast to int, inputs that are multiples of 1/256)."""
        m = self.rcx

        def part():
            v = round(m.uniform(0.05, 0.45), 3)
            if round(v * 1000) % 125 == 0:  # not a multiple of 1/256, as inputs are
                v += 0.001
            return v
        a, b = part() * m.choice([-1, 1]), part()
        f = self.cfn("cabs")
        arg = "%s + (%.3f %s %.3f * I)" % (t, a, m.choice("+-"), b)
        if f != "cabs":
            # cabsf of a double complex value warns (-Wabsolute-value), as fabsf of a double
            arg = "(REAL complex)(%s)" % arg
        return "%s(%s)" % (f, arg)

    def cx_real(self, sc, ctx, lim=1.6):
        """(text, bound) of a REAL expression of bound <= lim."""
        e = self.expr(sc, ctx, 1)
        if e[1] > lim:
            e = self.squash(e)
        return e

    def cx_unit(self, e):
        """A complex value squashed into the unit disc, smoothly or through
        cabs (whose kink is at 0 only)."""
        m = self.rcx
        if e[1] <= 1.0 and m.random() < 0.4:
            return e
        if len(e[0]) > 40 or m.random() < 0.3:
            # a long value is scaled (written twice or three times, it would grow with each level)
            return "%.3f * %s" % (int(1000 / max(1.0, e[1])) / 1000.0, e[0]), 1.0
        if m.random() < 0.6:
            return "(%s / (1.0 + %s))" % (e[0], self.cx_abs(e[0])), 1.0
        return "(%s / (1.0 + %s(%s * %s(%s))))" % (e[0], self.cfn("creal"), e[0], self.cfn("conj"), e[0]), 0.5

    def cx_input(self):
        """A complex number of the driver: parts multiples of 1/256 in [-1, 1]."""
        m = self.rcx
        return "%d / 256.0 + %d / 256.0 * I" % (m.randint(-256, 256), m.randint(-256, 256))

    def cx_leaf(self, sc, ctx):
        m = self.rcx
        cv = [v for v in sc.all() if v.kind == "cplx"]
        ca = [v for v in sc.all() if v.kind in ("carr", "cxarr")]
        k = m.random()
        if cv and k < 0.4:
            v = m.choice(cv)
            return v.name, v.bound
        if ca and k < 0.6:
            v = m.choice(ca)
            return "%s[%s]" % (v.name, self.index(sc, ctx)), v.bound
        if k < 0.8:
            a, b = self.cx_real(sc, ctx), self.cx_real(sc, ctx)
            return "(%s + %s * I)" % (a[0], b[0]), a[1] + b[1]
        if k < 0.9:
            a = self.cx_real(sc, ctx)
            return m.choice(["%s * I", "(I * %s)"]) % a[0], a[1]
        a, b = m.uniform(-1, 1), m.uniform(0.1, 1)
        return "(%.3f %s %.3f * I)" % (a, m.choice("+-"), b), abs(a) + b

    def cx_val(self, sc, ctx, depth):
        """(text, bound) of a REAL complex expression, its modulus <= bound
        (squashed past 4)."""
        m = self.rcx
        f = self.cfn
        if depth <= 0 or m.random() < 0.25:
            e = self.cx_leaf(sc, ctx)
        else:
            k = m.random()
            sub = lambda: self.cx_val(sc, ctx, depth - 1)
            unit = lambda: self.cx_unit(sub())
            if k < 0.15:
                a, b = sub(), sub()
                e = "(%s %s %s)" % (a[0], m.choice("+-"), b[0]), a[1] + b[1]
            elif k < 0.27:
                a, b = sub(), sub()
                if a[1] * b[1] > 4:
                    a = self.cx_unit(a)
                if a[1] * b[1] > 4:
                    b = self.cx_unit(b)
                e = "%s * %s" % (a[0], b[0]), a[1] * b[1]
            elif k < 0.35:
                a, r = sub(), self.cx_real(sc, ctx)
                e = m.choice(["%s * %s" % (a[0], r[0]), "%s * %s" % (r[0], a[0]),
                              "(%s %s %s)" % (a[0], m.choice("+-"), r[0])]), a[1] * max(1.0, r[1]) + r[1]
            elif k < 0.42:
                a, b = sub(), sub()
                e = "%s / (1.5 + %s)" % (a[0], self.cx_abs(b[0])), a[1] / 1.5
            elif k < 0.48:
                a, u = sub(), unit()
                e = "%s / (2.0 + %s)" % (a[0], u[0]), a[1]
            elif k < 0.52:
                a = sub()
                e = "-(%s)" % a[0], a[1]
            elif k < 0.57:
                a = sub()
                e = "%s(%s)" % (f("conj"), a[0]), a[1]
            elif k < 0.64:
                if m.random() < 0.5:
                    u = unit()
                    e = "%s(%s)" % (f("cexp"), u[0]), 2.72
                else:
                    r = self.cx_real(sc, ctx)
                    e = "%s(I * %s)" % (f("cexp"), r[0]), 1.0
            elif k < 0.70:
                u = unit()
                e = "%s(2.0 + %s)" % (f("clog"), u[0]), 1.3
            elif k < 0.76:
                u = unit()
                e = m.choice(["%s(2.0 + %s)", "%s(%s + 1.5)"]) % (f("csqrt"), u[0]), 1.75
            elif k < 0.82:
                u = unit()
                p = m.choice([("2.0", 9.0), ("0.5", 1.75), ("1.5", 5.2), ("(0.5 - 0.25 * I)", 2.1), None])
                if p is None:
                    r = self.cx_real(sc, ctx)
                    p = ("0.5 + 0.3 * %s" % r[0], 3.0)
                e = "%s(2.0 + %s, %s)" % (f("cpow"), u[0], p[0]), p[1]
            elif k < 0.88:
                u = unit()
                e = "%s(%s)" % (f(m.choice(["csin", "ccos"])), u[0]), 1.6
            elif k < 0.94 and ctx.get("helper_calls", True):
                h = self.cx_helper()
                a, r = sub(), self.cx_real(sc, ctx)
                if a[1] > 4:
                    a = self.cx_unit(a)
                e = "%s(%s, %s)" % (h["name"], a[0], r[0]), h["bound"]
            else:
                e = self.cx_leaf(sc, ctx)
        if e[1] > 4:
            e = self.cx_unit(e)
        return e

    def cx_helper(self):
        """A static helper `REAL complex rp_chK(REAL complex z, REAL s)` (|z|
        <= 4, |s| <= 1.6), made when first called (at most three); a dict
        with its name, text and the bound of its value."""
        m = self.rcx
        if self.cx_helpers and (len(self.cx_helpers) >= 3 or m.random() < 0.6):
            return m.choice(self.cx_helpers)
        name = "rp_ch%d" % (len(self.cx_helpers) + 1)
        f = self.cfn
        forms = [
            (["  REAL complex w = z * %s(I * s);" % f("cexp"),
              "  return w / (1.5 + %s);" % self.cx_abs("w")], 1.0),
            (["  return %s(2.0 + z / (1.0 + %s)) * s;" % (f("csqrt"), self.cx_abs("z"))], 2.8),
            (["  REAL complex p = 1.0;",
              "  for (int k = 0; k < 3; k++)",
              "    p = 0.5 * p * %s(z / (1.0 + %s)) + 0.3 * s * I;" % (f("ccos"), self.cx_abs("z")),
              "  return p;"], 1.7),
            (["  REAL re = %s(z), im = %s(z);" % (f("creal"), f("cimag")),
              "  REAL complex w = (re * s - im) + (im * s + re) * I;",
              "  return w / (1.5 + %s) + %s(z) * 0.25;" % (self.cx_abs("w"), f("conj"))], 2.0),
            (["  if (%s(z) > s)" % f("creal"),
              "    return z * 0.5 + s;",
              "  return %s(0.25 * z) - 1.0;" % f("cexp")], 3.8),
            (["  REAL complex q = z / (2.0 + s * I);",
              "  q = q / (1.0 + %s);" % self.cx_abs("q"),
              "  q *= %s(q + 1.5);" % f("clog"),
              "  q -= 0.5 * %s(q / (1.0 + %s));" % (f("csin"), self.cx_abs("q")),
              "  return q;"], 3.5),
        ]
        body, bound = m.choice(forms)
        h = {"name": name, "bound": bound,
             "text": "static REAL complex %s(REAL complex z, REAL s) {\n%s\n}\n" % (name, "\n".join(body))}
        self.cx_helpers.append(h)
        return h

    def cx_array(self, sc, ctx, ind):
        """A local complex array of n elements filled in a loop, maybe run
        through a recurrence."""
        m = self.rcx
        nm, c = self.fresh("cza"), self.fresh("i")
        vla = self.feat("vla") and m.random() < 0.5
        sc.vars.append(Var(c, "int"))
        e = self.cx_val(sc, dict(ctx, counters=ctx["counters"] + [c]), 1)
        sc.vars.pop()
        lines = ["%sREAL complex %s[%s];" % (ind, nm, "n") if vla else "%sREAL complex %s[16] = {0};" % (ind, nm),
                 "%sfor (int %s = 0; %s < n; %s++)" % (ind, c, c, c),
                 "%s  %s[%s] = %s;" % (ind, nm, c, e[0])]
        bound = e[1]
        if m.random() < 0.5:
            c2 = self.fresh("i")
            r = self.cx_real(sc, ctx)
            lines += ["%sfor (int %s = 1; %s < n; %s++)" % (ind, c2, c2, c2),
                      "%s  %s[%s] = 0.5 * %s[%s] + 0.4 * %s[%s - 1] * %s(I * %s);" % (
                          ind, nm, c2, nm, c2, nm, c2, self.cfn("cexp"), r[0])]
            bound *= 5
        sc.vars.append(Var(nm, "cxarr", bound, writable=True, fixed=not vla))
        return lines

    def complex_stmt(self, sc, ctx, ind):
        """A statement of complex values (drawn from Gen.rcx): a new complex
        local, an update of one (contracting in loops, so the value stays
        bounded over the iterations), a local complex array, or a complex
        value brought back into the loss through creal, cimag or cabs."""
        m = self.rcx
        f = self.cfn
        acc = ctx["acc"]
        frozen = ctx.get("frozen", ())
        locs = [v for v in sc.all() if v.kind == "cplx" and not v.is_param and v.name not in frozen]
        k = m.random()
        if not locs or k < 0.2:
            nm = self.fresh("cz")
            e = self.cx_val(sc, ctx, 2)
            sc.vars.append(Var(nm, "cplx", e[1]))
            self.cx_locals += 1
            return ["%sREAL complex %s = %s;" % (ind, nm, e[0])]
        if k < 0.3 and ctx["in_loop"] == 0 and not ctx.get("in_ckpt"):
            return self.cx_array(sc, ctx, ind)
        c = lambda lo=0.1, hi=0.4: "%.3f" % m.uniform(lo, hi)
        if k < 0.65:
            v = m.choice(locs)
            n, b = v.name, v.bound
            if ctx["in_loop"] > 0:
                u = self.cx_unit(self.cx_val(sc, ctx, 2))
                q = m.random()
                if q < 0.25:
                    c1, c2 = m.uniform(0.3, 0.8), m.uniform(0.1, 0.5)
                    lines = ["%s = %.3f * %s + %.3f * %s;" % (n, c1, n, c2, u[0])]
                    b = max(b, c2 / (1 - c1)) + c2
                elif q < 0.4:
                    r = self.cx_real(sc, ctx)
                    lines = ["%s = %s * %s(I * %s) / (1.5 + %s);" % (n, n, f("cexp"), r[0], self.cx_abs(n))]
                    b = 1.0
                elif q < 0.55:
                    lines = ["%s = %s / (1.5 + %s) + %s * %s;" % (n, n, self.cx_abs(n), c(), u[0])]
                    b = 1.5
                elif q < 0.7:
                    c1 = m.uniform(0.3, 0.8)
                    lines = ["%s %s %s * %s;" % (n, m.choice(["+=", "-="]), c(), u[0]), "%s *= %.3f;" % (n, c1)]
                    b = max(b, 0.4 / (1 - c1)) + 0.4
                elif q < 0.85:
                    lines = ["%s *= 0.5 + 0.4 * %s;" % (n, u[0])]
                else:
                    lines = ["%s /= 2.0 + %s;" % (n, u[0])]
            else:
                e = self.cx_val(sc, ctx, 2)
                q = m.random()
                if q < 0.3:
                    lines = ["%s = %s;" % (n, e[0])]
                    b = e[1]
                elif q < 0.5:
                    op = m.choice(["+=", "-="])
                    lines = ["%s %s %s;" % (n, op, e[0]) if m.random() < 0.5 else
                             "%s = %s %s %s;" % (n, n, op[0], e[0])]
                    b += e[1]
                elif q < 0.7:
                    if b * e[1] > 4:
                        e = self.cx_unit(e)
                    lines = ["%s *= %s;" % (n, e[0]) if m.random() < 0.5 else "%s = %s * %s;" % (n, e[0], n)]
                    b *= e[1]
                elif q < 0.85:
                    lines = ["%s = %s / (1.5 + %s);" % (n, n, self.cx_abs(e[0]))]
                else:
                    r = self.cx_real(sc, ctx)
                    lines = ["%s = %s * %s + %s(%s);" % (n, n, r[0], f("conj"), e[0])]
                    b = b * r[1] + e[1]
            if b > 4:
                lines.append("%s = %s / (1.0 + %s);" % (n, n, self.cx_abs(n)))
                b = 1.0
            v.bound = max(v.bound, b) if ctx["in_loop"] > 0 else b
            return [ind + l for l in lines]
        # back into the loss
        e = self.cx_val(sc, ctx, 2)
        q = m.random()
        part = m.choice(["creal", "cimag", "cimag", "creal", "cabs"])
        back = lambda t: self.cx_abs(t) if part == "cabs" else "%s(%s)" % (f(part), t)
        if q < 0.25:
            t = self.fresh("t")
            sc.vars.append(Var(t, "real", e[1] + 0.5))
            return ["%sREAL %s = %s;" % (ind, t, back(e[0]))]
        if q < 0.4:
            g = self.cx_val(sc, ctx, 1)
            if e[1] * g[1] > 4:
                e = self.cx_unit(e)
            return ["%s%s += %s * %s(%s * %s(%s));" % (ind, acc, c(), f("creal"), e[0], f("conj"), g[0])]
        return ["%s%s %s %s * %s;" % (ind, acc, m.choice(["+=", "+=", "-="]), c(), back(e[0]))]

    def cx_uses(self, sc, ctx, params, body_has_local):
        """Statements at the end of a complex top function: reads of its
        complex parameters zc and zk, and a complex local updated in a loop
        when the body has none (all drawn from Gen.rcx).  x, n and acc are
        always there."""
        m = self.rcx
        f = self.cfn
        c = lambda: "%.3f" % m.uniform(0.1, 0.5)
        kinds = [p[2] for p in params]
        lines = []
        if "carr" in kinds:
            s, i, p = self.fresh("zs"), self.fresh("iz"), self.fresh("pz")
            forms = [
                lambda: ["  {", "    REAL complex %s = 0;" % s, "    for (int %s = 0; %s < n; %s++)" % (i, i, i),
                         "      %s = %s * %s + zc[%s] * %s(I * %s * x[%s]);" % (s, c(), s, i, f("cexp"), c(), i),
                         "    acc += %s * %s + %s * %s(%s);" % (c(), self.cx_abs(s), c(), f("cimag"), s), "  }"],
                lambda: ["  {", "    const REAL complex *%s = zc;" % p,
                         "    for (int %s = 0; %s < n; %s++, %s++)" % (i, i, i, p),
                         "      acc += %s * %s(*%s * %s(zc[(%s + 1) %% n])) / (1.5 + %s);" % (
                             c(), f("creal"), p, f("conj"), i, self.cx_abs("*" + p)), "  }"],
                lambda: ["  acc += %s * %s(%s(2.0 + zc[0] / (1.0 + %s), 0.5 + 0.25 * I)) + %s * %s(%s(zc[n - 1]"
                         " + 2.0));" % (c(), f("creal"), f("cpow"), self.cx_abs("zc[0]"), c(), f("cimag"), f("csqrt"))],
                lambda: ["  for (int %s = 0; %s < n; %s++)" % (i, i, i),
                         "    acc += %s * %s(zc[%s] * x[%s] - %s(zc[%s] / 2.0));" % (
                             c(), f(m.choice(["creal", "cimag"])), i, i, f("cexp"), i)],
            ]
            for _ in range(m.randint(1, 2)):
                lines += m.choice(forms)()
        if "cval" in kinds:
            lines.append("  acc += %s * %s(zk * %s(zk)) + %s * %s(%s(zk + 2.0));" % (
                c(), f("creal"), f("conj"), c(), f("cimag"), f("clog")))
        if not body_has_local:
            z, i = self.fresh("cz"), self.fresh("iz")
            lines += ["  {", "    REAL complex %s = x[0] + x[n - 1] * I;" % z,
                      "    for (int %s = 0; %s < n; %s++)" % (i, i, i),
                      "      %s = %s * %s(I * x[%s]) / (1.5 + %s) + %s * x[%s];" % (
                          z, z, f("cexp"), i, self.cx_abs(z), c(), i),
                      "    acc += %s * %s(%s) + %s * %s(%s * %s);" % (c(), f("creal"), z, c(), f("cimag"), z, z),
                      "  }"]
        return lines

    def stmt(self, sc, ctx, budget, ind):
        if budget > 2 and len(ind) < 10:
            j = self.rj.random()
            if j < 0.05 and self.feat("switch"):
                return self.switch_stmt(sc, ctx, ind, budget // 2), budget // 2 + 1
            if j < 0.09 and self.feat("goto"):
                return self.goto_stmt(sc, ctx, ind, budget // 2), budget // 2 + 1
        if self.seq_features:
            q = self.rs.random()
            deep = ctx["in_loop"] < 2 and len(ind) < 10
            if q < 0.04 and self.feat("comma_for") and deep and budget > 2:
                n = self.r.randint(2, max(2, budget // 2))
                return self.comma_loop(sc, ctx, ind, n), n + 1
            if q < 0.11 and self.feat("effects"):
                n = self.r.randint(1, max(1, budget // 2))
                return self.effect_stmt(sc, ctx, ind, n, deep and budget > 2), n + 1
            if q < 0.14 and self.feat("assert"):
                return self.assert_stmt(sc, ctx, ind), 1
            if q < 0.16 and self.feat("cond_call"):
                k = self.r.choice(ctx["counters"] + ["n"])
                self.uses.add("note")
                return ["%s(%s) ? rp_note(%s) : (void)0;" % (ind, self.cond(sc, ctx, 1), k)], 1
        if self.globals_on and ctx["in_loop"] == 0 and not ctx.get("in_ckpt") and ctx.get("has_n", True):
            if self.rg.random() < 0.06:
                return self.sized_array(sc, ctx, ind), 2
        if self.features["const_arrays"] and ctx["in_loop"] > 0 and not ctx.get("in_ckpt") \
                and ctx.get("has_n", True) and self.rca.random() < 0.1:
            return self.const_sized_array(sc, ctx, ind), 2
        if self.features["carried"] and ctx.get("has_n", True) and not ctx.get("in_ckpt") \
                and len(ind) < 10 and self.rcar.random() < 0.08:
            lines = self.carried_stmt(sc, ctx, ind)
            if lines:
                return lines, 2
        if self.features["helper_fill"] and ctx.get("has_n", True) and not ctx.get("in_ckpt") \
                and not ctx.get("in_omp") and "helper_limit" not in ctx and len(ind) < 8 \
                and self.rhf.random() < 0.08:
            lines = self.helper_fill_stmt(sc, ctx, ind)
            if lines:
                return lines, 3
        if self.features["tiles"] and ctx.get("has_n", True) and not ctx.get("in_ckpt") \
                and not ctx.get("in_omp") and "helper_limit" not in ctx and len(ind) < 8 \
                and self.rtl.random() < 0.08:
            lines = self.tile_stmt(sc, ctx, ind)
            if lines:
                return lines, 3
        if self.features["gates"] and ctx.get("has_n", True) and not ctx.get("in_ckpt") \
                and not ctx.get("in_omp") and "helper_limit" not in ctx and len(ind) < 8 \
                and self.rgt.random() < 0.08:
            lines = self.gates_stmt(sc, ctx, ind)
            if lines:
                return lines, 3
        if self.features["memfns"] and ctx.get("has_n", True) and self.rmem.random() < 0.1 \
                and not ctx.get("dead_default"):
            lines = self.mem_stmt(sc, ctx, ind)
            if lines:
                # a size of n or n - 1 elements behind a test of n, as careful
                # code has it: else gcc, seeing a path where n may be below 1,
                # warns about a bound that wraps (soak seeds 50199, 50354)
                guarded = []
                for l in lines:
                    if re.match(r"\s*mem(cpy|move|set)\(", l) and re.search(r"\bn\b", l.rsplit(",", 1)[-1]):
                        guarded += ["%sif (n > 1) {" % ind, "  " + l, "%s}" % ind]
                    else:
                        guarded.append(l)
                return guarded, 1
        if self.features["local_struct_ptr"] and not ctx.get("in_ckpt") and ctx.get("has_n", True) \
                and self.rlsp.random() < 0.1:
            lines = self.local_struct_stmt(sc, ctx, ind)
            if lines:
                return lines, 1
        if self.features["ptr_moves"] and not ctx.get("in_ckpt") and ctx.get("has_n", True) \
                and self.rpm.random() < 0.1:
            lines = self.ptr_moves_stmt(sc, ctx, ind)
            if lines:
                return lines, 1
        if self.features["ptr_tables"] and not ctx.get("in_ckpt") and ctx.get("has_n", True) \
                and self.rpt.random() < 0.1:
            lines = self.ptr_table_stmt(sc, ctx, ind)
            if lines:
                return lines, 1
        if self.features["custom_writer"] and re.match(r"f\d", ctx["fn"]) and ctx.get("has_n", True) \
                and not ctx.get("in_omp") and not (self.globals_on and self.gwritten) and self.rcw.random() < 0.08:
            lines = self.custom_writer_stmt(sc, ctx, ind)
            if lines:
                return lines, 1
        if self.features["omp"] and ctx["in_loop"] == 0 and not ctx.get("in_ckpt") and ctx.get("has_n", True) \
                and re.match(r"f\d", ctx["fn"]) and self.romp.random() < 0.2:
            return self.omp_loop(sc, ctx, ind), 3
        if ctx.get("cx") and not ctx.get("in_omp") and self.rcx.random() < 0.25:
            return self.complex_stmt(sc, ctx, ind), 1
        r = self.r.random()
        deep = ctx["in_loop"] < 2 and len(ind) < 10
        if r < 0.16:
            return self.new_local(sc, ctx, ind), 1
        if r < 0.36:
            return self.assign(sc, ctx, ind), 1
        if r < 0.46:
            return self.arr_write(sc, ctx, ind), 1
        if r < 0.52 and ctx["in_loop"] == 0:
            return self.local_array(sc, ctx, ind), 2
        if r < 0.64 and deep and budget > 2:
            n = self.r.randint(2, max(2, budget // 2))
            return self.loop(sc, ctx, ind, n), n + 1
        if r < 0.72 and budget > 2 and len(ind) < 10:
            return self.ifelse(sc, ctx, ind, budget // 2), budget // 2 + 1
        if r < 0.77 and (ctx["in_loop"] or ctx.get("allow_return")):
            return self.jump(sc, ctx, ind), 1
        if r < 0.82 and self.feat("ptr_walk") and not ctx.get("in_ckpt"):
            return self.ptr_walk(sc, ctx, ind), 1
        if r < 0.87 and self.feat("helpers"):
            return self.alias_call(sc, ctx, ind), 1
        if r < 0.92 and self.feat("struct"):
            return self.struct_stmt(sc, ctx, ind), 1
        if (r < 0.97 and self.feat("checkpoint") and ctx.get("top_level") and len(ind) == 2
                and not ctx.get("has_ckpt") and budget > 2):
            n = self.r.randint(1, 4)
            return self.checkpoint_loop(sc, ctx, ind, n), n + 1
        return self.assign(sc, ctx, ind), 1

    def block(self, sc, ctx, budget, depth, ind="  ", top=False):
        ctx = dict(ctx, depth=depth)
        if top:
            ctx["frees"] = []
            ctx["trips"] = 1
            ctx["acc"] = "acc"
            sc.vars.append(Var("acc", "real", 1.0))
        lines = ["  REAL acc = 0.0;"] if top else []
        while budget > 0:
            sl, cost = self.stmt(sc, ctx, budget, ind)
            lines += sl
            budget -= cost
        # every local of this block is read (no unused-variable warnings)
        for v in sc.vars:
            if v.kind == "real" and v.name != "acc" and not v.is_param:
                lines.append("%s%s += 0.1 * %s(%s);" % (ind, ctx["acc"], self.fn("tanh"), v.name))
            elif v.kind == "arr" and not v.is_param and not v.readable:
                pass
            elif v.kind == "arr" and not v.is_param:
                lines.append("%s%s += 0.1 * %s(%s[%s]);" % (ind, ctx["acc"], self.fn("sin"), v.name,
                                                             self.r.choice(["0", "n - 1"])))
            elif v.kind == "cplx" and not v.is_param:
                part = self.rcx.choice(["creal", "cimag", "cabs"])
                lines.append("%s%s += 0.1 * %s;" % (ind, ctx["acc"], self.cx_abs(v.name) if part == "cabs" else
                                                    "%s(%s)" % (self.cfn(part), v.name)))
            elif v.kind == "cxarr":
                lines.append("%s%s += 0.1 * %s(%s[%s]);" % (ind, ctx["acc"], self.cfn(
                    self.rcx.choice(["creal", "cimag"])), v.name, self.rcx.choice(["0", "n - 1"])))
        if top:
            self._frees = list(ctx["frees"])
        return lines

    def final_expr(self, sc, ctx):
        """The returned loss: the accumulator and every parameter, so that
        none is unused."""
        terms = ["acc"]
        for v in sc.all():
            if not v.is_param:
                continue
            if v.kind == "real":
                terms.append("0.3 * %s(%s)" % (self.fn("sin"), v.name))
            elif v.kind == "arr" and v.readable:
                terms.append("0.2 * %s[%s]" % (v.name, self.r.choice(["0", "n - 1"])))
            elif v.kind == "idx":
                arrs = [a for a in sc.all() if a.kind == "arr" and a.readable and not a.mat]
                if arrs:
                    terms.append("0.1 * %s[%s[1]]" % (self.r.choice(arrs).name, v.name))
                else:
                    terms.append("0.01 * %s[0]" % v.name)
            elif v.kind == "struct":
                acc = "->" if v.by_ptr else "."
                terms.append("0.2 * %s%sin.w[1] * %s%ss" % (v.name, acc, v.name, acc))
            elif v.kind == "int" and v.name == "n":
                terms.append("0.01 * n")
        self.r.shuffle(terms)
        return " + ".join(terms)

    # ---------------------------------------------------- top functions
    def make_top(self, k, need_struct=False):
        r = self.r
        name = "f%d" % k
        params = []  # (ctype, name, kind, extra)
        params.append(("const REAL *", "x", "arr", {}))
        if self.chance(0.5):
            params.append(("const REAL *", "y", "arr", {}))
        if self.chance(0.3):
            params.append(("const REAL *", "W", "mat", {}))
        for i in range(r.randint(0, 3)):
            params.append(("REAL ", "abc"[i], "real", {}))
        params.append(("int ", "n", "int", {}))
        if self.feat("gather") and self.chance(0.5):
            params.append(("const int *", "idx", "idx", {}))
        if self.feat("out_param") and self.chance(0.3):
            params.append(("REAL *", "out", "out", {}))
        if self.feat("struct") and (need_struct or self.chance(0.8)):
            if self.chance(0.5):
                params.append(("const Outer *", "ps", "sptr", {}))
            else:
                params.append(("Outer ", "sv", "sval", {}))
        r.shuffle(params)
        has_opt = self.optional_on and self.ro.random() < 0.7
        if has_opt:
            params.insert(self.ro.randint(0, len(params)), ("const REAL *", "opt", "opt", {}))
        pw_by_ptr = None
        if self.features["ptr_members"] and self.rpw.random() < 0.7:
            pw_by_ptr = self.rpw.random() < 0.5
            self.pw_used = True
            params.insert(self.rpw.randint(0, len(params)),
                          ("const PW *" if pw_by_ptr else "PW ", "pw", "pw", {"by_ptr": pw_by_ptr}))
        has_rows = self.features["ptr_rows"] and self.rrows.random() < 0.6
        if has_rows:
            params.insert(self.rrows.randint(0, len(params)), ("const REAL *const *", "rw", "rows", {}))
        # complex numbers in this function: in one at least of a program with them
        cx = self.features["complex"] and (self.rcx.random() < 0.6 or (k == self.ntop - 1 and not self.cx_used))
        if cx:
            self.cx_used = True
            if self.rcx.random() < 0.5:
                params.insert(self.rcx.randint(0, len(params)), ("const REAL complex *", "zc", "carr", {}))
            if self.rcx.random() < 0.3:
                params.insert(self.rcx.randint(0, len(params)), ("REAL complex ", "zk", "cval", {}))
        cx_locals0 = self.cx_locals
        rk = "real"
        x = r.random()
        if x < 0.15 and self.feat("struct_ret"):
            rk = "res"
        elif x < 0.3 and self.feat("loss_param"):
            rk = "lossp"
            params.append(("REAL *", "err", "lossp", {}))
        pair = rk == "lossp" and self.features["loss_pair"] and self.rpair.random() < 0.6
        sc = Scope()
        for ct, nm, kd, _ in params:
            if kd == "arr":
                v = Var(nm, "arr", 1.0)
            elif kd == "mat":
                v = Var(nm, "arr", 1.0, mat=True)
            elif kd == "real":
                v = Var(nm, "real", 1.0)
            elif kd == "int":
                v = Var(nm, "int")
            elif kd == "idx":
                v = Var(nm, "idx")
            elif kd == "out":
                v = Var(nm, "arr", 1.0, readable=False, writable=True)
            elif kd in ("sptr", "sval"):
                v = Var(nm, "struct", 1.0, struct="Outer", by_ptr=kd == "sptr")
            elif kd == "carr":
                v = Var(nm, "carr", 1.5)
            elif kd == "cval":
                v = Var(nm, "cplx", 1.5)
            else:
                continue
            v.is_param = True
            sc.vars.append(v)
        ctx = {"counters": [], "in_loop": 0, "ret": rk, "lossp": "err", "allow_return": self.feat("early_return"),
               "heap_ok": True, "top_level": True, "fn": name, "loss_pair": pair}
        if cx:
            ctx["cx"] = True
        nstmt = r.randint(*SIZES[self.size][2])
        if self.globals_on:
            self.start_table()
        cx_first = None
        if cx and self.rcx.random() < 0.7:
            # a complex local from the start, for the loops to update
            cx_first = self.complex_stmt(sc, dict(ctx, depth=1, acc="acc"), "  ")
        body = self.block(sc, ctx, nstmt, SIZES[self.size][3], top=True)
        if cx_first:
            body[1:1] = cx_first
        has_ckpt = any(l.startswith("#pragma vgrad checkpoint") for l in body)
        # out params: written by a loop at the end if never written
        for ct, nm, kd, _ in params:
            if kd == "out":
                v = [u for u in sc.vars if u.name == nm][0]
                if not v.used:
                    e = self.squash(self.expr(sc, dict(ctx, counters=["io"], depth=1), 1))
                    body += ["  for (int io = 0; io < n; io++)", "    out[io] = %s;" % e[0]]
        outbuf = self.features["outbuf"] and any(kd == "out" for _, _, kd, _ in params) and self.rout.random() < 0.7
        if outbuf:
            body += self.outbuf_reads()
        # helpers not called yet are called here
        # (an expression generated and then dropped may have marked one
        # called: look at the text)
        for h in self.helpers:
            others = "\n".join(t for i, t in enumerate(self.out) if i != h["index"]) + "\n".join(body)
            if re.search(r"\b%s\(" % h["name"], others) is None:
                self.uncalled.add(h["name"])
            if h["name"] in self.uncalled:
                body += self.force_call(h, sc, ctx)
        if k == self.ntop - 1 and self.fn_tables:
            body += self.force_fn_tables(body, sc, ctx)
        if self.globals_on:
            body += self.global_writes(body)
            if k == self.ntop - 1:
                body += self.force_tables(body)
        if has_opt:
            body += self.optional_uses()
        elif self.optional_on and self.ro.random() < 0.4:
            body.append("  acc += 0.2 * %s(x, NULL, n);" % self.opt_helper())
        if pw_by_ptr is not None:
            body += self.ptr_member_uses(pw_by_ptr)
        if has_rows:
            body += self.rows_uses()
        if cx:
            body += self.cx_uses(sc, ctx, params, self.cx_locals > cx_locals0)
        if self.lib_on and k == self.ntop - 1 and not re.search(r"\bg_lib_", "\n".join(self.out + body)):
            body.append("  acc += 0.1 * g_lib_gain * g_lib_tab[%d];" % self.rmulti.randrange(4))
        ret = self.return_stmt(sc, ctx, "  ", self._frees)
        if self.globals_on:
            self.end_table(body, len(body), ret)
        body += ret
        ret = {"real": "REAL", "res": "Res", "lossp": "void"}[rk]
        if outbuf:
            # `REAL out[n]` gives out's length (its gradient buffer's, when
            # it is not selected); n goes before it
            at = [i for i, p in enumerate(params) if p[2] == "out"][0]
            n_at = [i for i, p in enumerate(params) if p[2] == "int"][0]
            if n_at > at:
                params.insert(at, params.pop(n_at))
                at += 1
            params[at] = (params[at][0], params[at][1], params[at][2], {"decl": "REAL out[n]"})
        sig = "%s %s(%s)" % (ret, name, ", ".join(ex.get("decl", ct + nm) for ct, nm, _, ex in params))
        # the pragma(s)
        floating = [i for i, p in enumerate(params)
                    if p[2] in ("arr", "mat", "real", "out", "sptr", "sval", "opt", "pw", "rows", "carr", "cval")]
        sel = self.pick_selection(params, floating)
        if pw_by_ptr is False and not any(params[i][2] == "pw" for i in sel[1]):
            body = [re.sub(r"^  pw\.g = (.*);$", r"  acc += 0.1 * (\1);", l) for l in body]
        transforms = []
        t = r.random()
        if t < 0.65:
            transforms.append(("value_and_grad", None))
        elif t < 0.85:
            transforms.append(("grad", None))
        else:
            transforms.append(("value_and_grad", None))
            transforms.append(("grad", "%s_g" % name))
        if transforms[0][1] is None and self.chance(0.2):
            transforms[0] = (transforms[0][0], "%s_custom" % name)
        fn = {"name": name, "params": params, "ret": rk, "sel": sel, "transforms": transforms, "ckpt": has_ckpt,
              "loss_pair": pair}
        if cx:
            fn["cx"] = True
        if self.features["outbuf"] and rk == "lossp" and self.rout.random() < 0.5:
            fn["loss_spelling"] = self.rout.choice(["*err", "err[0]"])
        text = "%s {\n%s\n}\n" % (sig, "\n".join(body))
        fn["out_at"] = len(self.out)
        self.out.append(text + self.pragmas(fn, name, sel))
        self.tops.append(fn)
        if has_ckpt:
            # the same function taped, to check the checkpointed gradient
            tname = name + "_taped"
            ttext = "\n".join(l for l in text.split("\n") if not l.startswith("#pragma vgrad checkpoint"))
            ttext = ttext.replace(" %s(" % name, " %s(" % tname, 1)
            self.out.append(ttext + "#pragma vgrad value_and_grad(%s) argnums(%s)%s\n" % (
                tname, ", ".join(str(i) for i in sel[1]), " loss(err)" if rk == "lossp" else ""))
            fn["taped"] = tname

    def pragmas(self, fn, name, sel):
        out = ""
        for tr, custom in fn["transforms"]:
            clause = sel[0]
            out += "#pragma vgrad %s(%s)%s%s%s\n" % (tr, name, " " + clause if clause else "",
                                                      " name(%s)" % custom if custom else "",
                                                      " loss(%s)" % fn.get("loss_spelling", "err")
                                                      if fn["ret"] == "lossp" else "")
        return out

    def outbuf_reads(self):
        """Statements that read the top function's output array `out` again
        after it is written, with the accumulator acc (all drawn from
        Gen.rout): out is then an output or scratch buffer whose gradient
        the generated function keeps, selected or not."""
        ro = self.rout
        c = lambda: "%.3f" % ro.uniform(0.1, 0.6)
        forms = [
            lambda: ["  for (int io = 0; io < n; io++)", "    acc += %s * tanh(out[io]);" % c()],
            lambda: ["  for (int it = 0; it < 2; it++) {", "    for (int io = 0; io < n; io++)",
                     "      out[io] = sin(%s * out[io] + %s * acc);" % (c(), c()),
                     "    acc += %s * out[%s];" % (c(), ro.choice(["0", "n - 1", "it"])), "  }"],
            lambda: ["  {", "    REAL *ow = out;", "    for (int io = 0; io < n; io++) {", "      REAL ow_t = *ow;",
                     "      *ow++ = tanh(ow_t + %s * acc);" % c(), "    }", "  }",
                     "  acc += %s * out[0] * out[n - 1];" % c()],
        ]
        lines = []
        for _ in range(ro.randint(1, 2)):
            lines += ro.choice(forms)()
        return lines

    def add_jvps(self):
        """#pragma vgrad jvp after some top functions (drawn from Gen.rjvp):
        its inputs are selected arrays and numbers, its outputs the output
        arrays and the loss pointer.  Only in programs jvp supports all of:
        no struct returns, recursion or vg_array losses (refused there,
        "not supported in jvp yet").  Struct parameters are not among the
        inputs (the driver moves arrays and numbers only)."""
        rv = self.rjvp
        text = "\n".join(self.out)
        # recursive functions of numbers only have tangent functions (jvp_rec)
        rec_ok = self.features["jvp_rec"] and all(shape in ("scalar", "mutual") for _, shape, _ in self.rec_funcs)
        if (self.rec_funcs and not rec_ok) or self.arrays or re.search(r"\bRes\b", text):
            return
        for fn in self.tops:
            if fn["ret"] not in ("real", "lossp") or rv.random() < 0.3:
                continue
            params = fn["params"]
            if any(p[2] == "pw" and i in fn["sel"][1] for i, p in enumerate(params)):
                continue  # a selected PW may have its g written, which jvp refuses yet
            if any(p[2] == "rows" for p in params):
                continue  # the driver's checks of the other transforms do not know rows
            if any(p[2] == "out" and "[n]" not in p[3].get("decl", "") for p in params):
                continue  # out, not listed, still needs a tangent of a length jvp cannot always tell (seed 70609)
            inputs = [i for i in fn["sel"][1] if params[i][2] in ("arr", "mat", "real")]
            if not inputs:
                inputs = [i for i, p in enumerate(params) if p[2] in ("arr", "mat", "real")]
                if not inputs:
                    continue
                inputs = sorted(rv.sample(inputs, rv.randint(1, len(inputs))))
            # out only where its length is declared (REAL out[n]): jvp
            # cannot always find it from the uses (seed 54: out[j] with j
            # a second counter of a comma for, counting down)
            outputs = [i for i, p in enumerate(params)
                       if p[2] == "lossp" or (p[2] == "out" and "[n]" in p[3].get("decl", ""))]
            fn["jvp"] = (inputs, outputs)
            self.out[fn["out_at"]] += "#pragma vgrad jvp(%s) argnums(%s)%s\n" % (
                fn["name"], ", ".join(str(i) for i in inputs),
                " outputs(%s)" % ", ".join(params[i][1] for i in outputs) if outputs else "")

    def jvp_driver(self, fn, N, call_args, outs, gw, d, main):
        """The jvp's checks: its value, and each tangent against central
        differences (rp_grad) of the original along the direction, as a
        function of the step jeps (jwhich picks the value or an output
        entry)."""
        rv = self.rjvp
        name, params = fn["name"], fn["params"]
        inputs, outputs = fn["jvp"]
        P = "%s_" % name
        inp = lambda n: ", ".join("%d / 256.0" % rv.randint(-256, 256) for _ in range(n))
        moved = list(call_args)
        d.append("static REAL %sjeps;" % P)
        d.append("static int %sjwhich;" % P)
        along = ["static double %sjalong(void) {" % P]
        dirs = []
        for i in inputs:
            ct, nm, kd, _ = params[i]
            m, dv = P + nm, "%sjdir_%s" % (P, nm)
            if kd == "real":
                d.append("static REAL %s = %s;" % (dv, inp(1)))
                along.append("  REAL ja_%s = %s + %sjeps * %s;" % (nm, m, P, dv))
            else:
                k = N * N if kd == "mat" else N
                d.append("static REAL %s[%d] = {%s};" % (dv, k, inp(k)))
                along.append("  REAL ja_%s[%d];" % (nm, k))
                along.append("  for (int j = 0; j < %d; j++) ja_%s[j] = %s[j] + %sjeps * %s[j];" % (k, nm, m, P, dv))
            moved[i] = "ja_" + nm
            dirs.append(dv)
        if self.sg_sites:
            along.append("  memset(rp_sg_count, 0, sizeof rp_sg_count);")  # replay the stopped values from the first
        if gw:
            along.append("  rp_globals_reset();")
        for _, m in outs:
            along.append("  memcpy(%swork, %s, sizeof %s);" % (m, m, m))
        pair = fn.get("loss_pair")
        if fn["ret"] == "lossp" and pair:
            along.append("  REAL err_out[2] = {0, 0};")
            along.append("  %s(%s);" % (name, ", ".join(moved)))
            along.append("  double v = err_out[0];")
        elif fn["ret"] == "lossp":
            along.append("  REAL err_out = 0;")
            along.append("  %s(%s);" % (name, ", ".join(moved)))
            along.append("  double v = err_out;")
        else:
            along.append("  double v = %s(%s);" % (name, ", ".join(moved)))
        # the quantities checked: the value (jwhich -1), then each output's entries
        checks = [] if fn["ret"] == "lossp" else [("t_ret", -1, "jt_ret")]
        k = 0
        for i in outputs:
            ct, nm, kd, _ = params[i]
            if kd == "lossp":
                along.append("  if (%sjwhich == %d) return v;" % (P, k))
                checks.append(("t_%s[0]" % nm, k, "jt_%s[0]" % nm))
                k += 1
                if pair:
                    along.append("  if (%sjwhich == %d) return err_out[1];" % (P, k))
                    checks.append(("t_%s[1]" % nm, k, "jt_%s[1]" % nm))
                    k += 1
            else:
                along.append("  if (%sjwhich >= %d && %sjwhich < %d) return %swork[%sjwhich - %d];" % (
                    P, k, P, k + N, P + nm, P, k))
                checks += [("t_%s[%d]" % (nm, j), k + j, "jt_%s[%d]" % (nm, j)) for j in range(N)]
                k += N
        along += ["  return v;", "}"]
        d += along
        main.append("    %sjeps = 0;" % P)
        tan_args = []
        if fn["ret"] != "lossp":
            main.append("    REAL jt_ret = 0;")
            tan_args.append("&jt_ret")
        for i in outputs:
            ct, nm, kd, _ = params[i]
            main.append("    REAL jt_%s[%d];" % (nm, (2 if pair else 1) if kd == "lossp" else N))
            tan_args.append("jt_" + nm)
        if outs:
            main.append("    " + " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs))
        if gw:
            main.append("    rp_globals_reset();")
        full = ", ".join([a.replace("&err_out", "&err_j").replace("err_out", "err_j") for a in call_args]
                         + dirs + tan_args)
        if fn["ret"] == "lossp" and pair:
            main.append("    REAL err_j[2] = {0, 0};")
            main.append("    %s_jvp(%s);" % (name, full))
            main.append('    rp_value("%s_jvp err[0]", err_j[0], %sloss());' % (name, P))
            main.append('    rp_value("%s_jvp err[1]", err_j[1], %serr1);' % (name, P))
        elif fn["ret"] == "lossp":
            main.append("    REAL err_j = 0;")
            main.append("    %s_jvp(%s);" % (name, full))
            main.append('    rp_value("%s_jvp err", err_j, %sloss());' % (name, P))
        else:
            main.append("    REAL jv = %s_jvp(%s);" % (name, full))
            main.append('    rp_value("%s_jvp value", jv, %sloss());' % (name, P))
        for label, which, got in checks:
            main.append("    %sjwhich = %d;" % (P, which))
            main.append('    rp_grad("jvp_%s", &%sjeps, %s, %sjalong);' % (label, P, got, P))

    def vjp_inputs(self, fn, rv):
        """The selected arrays and numbers of fn (the driver moves those), or
        a random few of its arrays and numbers; None when it has none."""
        params = fn["params"]
        inputs = [i for i in fn["sel"][1] if params[i][2] in ("arr", "mat", "real")]
        if not inputs:
            inputs = [i for i, p in enumerate(params) if p[2] in ("arr", "mat", "real")]
            if not inputs:
                return None
            inputs = sorted(rv.sample(inputs, rv.randint(1, len(inputs))))
        return inputs

    def add_vjps(self):
        """#pragma vgrad vjp after some top functions returning a number
        (drawn from Gen.rvjp): its inputs selected arrays and numbers, its
        outputs the output arrays."""
        rv = self.rvjp
        for fn in self.tops:
            if fn["ret"] != "real" or rv.random() < 0.3:
                continue
            params = fn["params"]
            if any(p[2] in ("pw", "rows") for p in params):
                continue  # an unselected PW written with varied values is refused (seeds 61, 63, 84, 90)
            inputs = self.vjp_inputs(fn, rv)
            if not inputs:
                continue
            # out only where its length is declared, as for jvp (seed 54)
            outputs = [i for i, p in enumerate(params) if p[2] == "out" and "[n]" in p[3].get("decl", "")]
            fn["vjp"] = (inputs, outputs)
            self.out[fn["out_at"]] += "#pragma vgrad vjp(%s) argnums(%s)%s\n" % (
                fn["name"], ", ".join(str(i) for i in inputs),
                " outputs(%s)" % ", ".join(params[i][1] for i in outputs) if outputs else "")

    def dot_fn(self, fn, name_of, call_args, outs, gw, body_end):
        """A function of the masters that calls the original (outputs and
        globals reset, stopped values replayed) and returns body_end's value."""
        name = fn["name"]
        lines = ["static double %s(void) {" % name_of]
        if self.sg_sites:
            lines.append("  memset(rp_sg_count, 0, sizeof rp_sg_count);")
        if gw:
            lines.append("  rp_globals_reset();")
        for _, m in outs:
            lines.append("  memcpy(%swork, %s, sizeof %s);" % (m, m, m))
        lines.append("  double v = %s(%s);" % (name, ", ".join(call_args)))
        lines += body_end
        lines.append("}")
        return lines

    def vjp_driver(self, fn, N, call_args, outs, gw, d, main):
        """The vjp's checks: its value, the outputs it leaves, and each d_
        against central differences (rp_grad) of <ct_ret, f> + <ct_y, y>."""
        rv = self.rvjp
        name, params = fn["name"], fn["params"]
        inputs, outputs = fn["vjp"]
        P = "%s_" % name
        ct = lambda n: ", ".join("%d / 64.0" % rv.randint(-128, 128) for _ in range(n))
        d.append("static REAL %sct_ret = %s;" % (P, ct(1)))
        body = ["  double s = %sct_ret * v;" % P]
        ct_args = ["%sct_ret" % P]
        for i in outputs:
            nm = params[i][1]
            d.append("static REAL %sct_%s[%d] = {%s};" % (P, nm, N, ct(N)))
            body.append("  for (int j = 0; j < %d; j++) s += %sct_%s[j] * %s%swork[j];" % (N, P, nm, P, nm))
            ct_args.append("%sct_%s" % (P, nm))
        body.append("  return s;")
        d += self.dot_fn(fn, P + "vdot", call_args, outs, gw, body)
        decl, gargs, checks = [], [], []
        for i in inputs:
            _, nm, kd, _ = params[i]
            g, m = "vj_d_%s" % nm, P + nm
            if kd == "real":
                decl.append("REAL %s = 0;" % g)
                gargs.append("&" + g)
                checks.append((g, "&" + m, nm))
            else:
                k = N * N if kd == "mat" else N
                decl.append("REAL %s[%d] = {0};" % (g, k))
                gargs.append(g)
                checks += [("%s[%d]" % (g, j), "&%s[%d]" % (m, j), "%s[%d]" % (nm, j)) for j in range(k)]
        main += ["    " + x for x in decl]
        if outs:
            main.append("    " + " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs))
        if gw:
            main.append("    rp_globals_reset();")
        main.append("    REAL vv = %s_vjp(%s);" % (name, ", ".join(call_args + ct_args + gargs)))
        for nm, m in outs:
            main.append("    REAL vj_%s_gen[%d]; memcpy(vj_%s_gen, %swork, sizeof vj_%s_gen);" % (nm, N, nm, m, nm))
        main.append('    rp_value("%s_vjp value", vv, %sloss());' % (name, P))
        for nm, m in outs:
            main.append("    for (int j = 0; j < %d; j++) rp_value(\"%s_vjp %s\", vj_%s_gen[j], %swork[j]);" % (
                N, name, nm, nm, m))
        for g, master, label in checks:
            main.append('    rp_grad("vjp_%s", %s, %s, %svdot);' % (label, master, g, P))

    def add_jacobians(self):
        """#pragma vgrad jacobian after some top functions returning a number
        (drawn from Gen.rjac): columns its selected arrays and numbers in a
        random order, rows its output arrays and maybe the return value,
        lengths over its int parameter n when it has one, mode random.  In a
        program with what jvp does not support, mode(rev)."""
        rv = self.rjac
        if self.globals_on:
            return  # f runs once per row or column: the globals it updates would move between them (seed 99)
        text = "\n".join(self.out)
        jvp_ok = not (self.rec_funcs or self.arrays or re.search(r"\bRes\b", text))
        for fn in self.tops:
            if fn["ret"] != "real" or rv.random() < 0.3:
                continue
            params = fn["params"]
            if any(p[2] in ("pw", "rows") for p in params):
                continue
            if fn.get("cx"):
                continue  # jacobian refuses complex values
            inputs = self.vjp_inputs(fn, rv)
            if not inputs:
                continue
            rv.shuffle(inputs)
            n = next((p[1] for p in params if p[2] == "int"), None)
            if n and self.features["jac_lanes"] and self.rjl.random() < 0.7:
                n = None  # the driver's length as a literal: the rows may be few enough for one vjp (lanes)
            N = self.N
            length = lambda kd: (("%s * %s" % (n, n)) if n else str(N * N)) if kd == "mat" else (n or str(N))
            cols = [(i, None if params[i][2] == "real" else length(params[i][2])) for i in inputs]
            rows = [(i, n or str(N)) for i, p in enumerate(params) if p[2] == "out"]
            if not rows or rv.random() < 0.5:
                rows.insert(rv.randint(0, len(rows)), (None, None))
            mode = rv.choice([None, "fwd", "rev"]) if jvp_ok else "rev"
            fn["jacobian"] = (cols, rows)
            self.out[fn["out_at"]] += "#pragma vgrad jacobian(%s) argnames(%s) outputs(%s)%s\n" % (
                fn["name"], ", ".join(params[i][1] + ("[%s]" % ln if ln else "") for i, ln in cols),
                ", ".join("return" if i is None else "%s[%s]" % (params[i][1], ln) for i, ln in rows),
                " mode(%s)" % mode if mode else "")

    def jacobian_driver(self, fn, N, call_args, outs, gw, d, main):
        """The jacobian's checks: its value, the outputs it leaves, and every
        entry against central differences (rp_grad) of its row (the
        original's return value or an output entry, jrow picks)."""
        name, params = fn["name"], fn["params"]
        cols, rows = fn["jacobian"]
        P = "%s_" % name
        d.append("static int %sjrow;" % P)
        body, k = [], 0
        row_labels = []
        for i, _ in rows:
            if i is None:
                body.append("  if (%sjrow == %d) return v;" % (P, k))
                row_labels.append("ret")
                k += 1
            else:
                nm = params[i][1]
                body.append("  if (%sjrow >= %d && %sjrow < %d) return %s%swork[%sjrow - %d];" % (
                    P, k, P, k + N, P, nm, P, k))
                row_labels += ["%s[%d]" % (nm, j) for j in range(N)]
                k += N
        body.append("  return v;")
        d += self.dot_fn(fn, P + "jrowv", call_args, outs, gw, body)
        col_entries = []  # (master address, label)
        for i, _ in cols:
            _, nm, kd, _ = params[i]
            if kd == "real":
                col_entries.append(("&%s%s" % (P, nm), nm))
            else:
                col_entries += [("&%s%s[%d]" % (P, nm, j), "%s[%d]" % (nm, j)) for j in range(N * N if kd == "mat" else N)]
        nrows, ncols = len(row_labels), len(col_entries)
        main.append("    double jac[%d];" % (nrows * ncols))
        main.append("    for (int j = 0; j < %d; j++) jac[j] = NAN;" % (nrows * ncols))
        if outs:
            main.append("    " + " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs))
        if gw:
            main.append("    rp_globals_reset();")
        main.append("    REAL jcv = %s_jacobian(%s);" % (name, ", ".join(call_args + ["jac"])))
        for nm, m in outs:
            main.append("    REAL jc_%s_gen[%d]; memcpy(jc_%s_gen, %swork, sizeof jc_%s_gen);" % (nm, N, nm, m, nm))
        main.append('    rp_value("%s_jacobian value", jcv, %sloss());' % (name, P))
        for nm, m in outs:
            main.append("    for (int j = 0; j < %d; j++) rp_value(\"%s_jacobian %s\", jc_%s_gen[j], %swork[j]);" % (
                N, name, nm, nm, m))
        for r, rl in enumerate(row_labels):
            main.append("    %sjrow = %d;" % (P, r))
            for c, (master, cl) in enumerate(col_entries):
                main.append('    rp_grad("jac_d%s/d%s", %s, jac[%d], %sjrowv);' % (rl, cl, master, r * ncols + c, P))

    def add_hvps(self):
        """#pragma vgrad hvp after some top functions returning a number
        (drawn from Gen.rhvp), its inputs selected arrays and numbers; and
        hessian(f) over them in a random order when they have few entries.
        Only in programs jvp supports all of (hvp is reverse over jvp); the
        Hessian only without globals the function updates (it runs once per
        column); output arrays only where their length is declared, as for
        jvp (seed 54)."""
        rv = self.rhvp
        text = "\n".join(self.out)
        if self.rec_funcs or self.arrays or re.search(r"\bRes\b", text):
            return
        # refused in hvp: custom rules and lgamma/tgamma (their second
        # derivatives); and a stopped value: the driver's differences of the
        # generated gradient would see it move (seeds 377, 524)
        if self.sg_sites or self.cr_used or re.search(r"\b[lt]gamma", text):
            return
        for fn in self.tops:
            if fn["ret"] != "real" or rv.random() < 0.3:
                continue
            params = fn["params"]
            if any(p[2] in ("pw", "rows") or (p[2] == "out" and "[n]" not in p[3].get("decl", "")) for p in params):
                continue
            if fn.get("cx"):
                continue  # hvp and hessian refuse complex values
            inputs = self.vjp_inputs(fn, rv)
            if not inputs:
                continue
            N = self.N
            size = lambda i: 1 if params[i][2] == "real" else N * N if params[i][2] == "mat" else N
            # the direction: a unit vector (the Hessian's column `unit`) or random
            unit = rv.randrange(sum(size(i) for i in inputs)) if rv.random() < 0.5 else None
            fn["hvp"] = (inputs, unit, None)
            listed = list(inputs)
            rv.shuffle(listed)
            self.out[fn["out_at"]] += "#pragma vgrad hvp(%s) argnames(%s)\n" % (
                fn["name"], ", ".join(params[i][1] for i in listed))
            if sum(size(i) for i in inputs) <= 12 and not self.globals_on and rv.random() < 0.5:
                n = next((p[1] for p in params if p[2] == "int"), None)
                cols = list(inputs)
                rv.shuffle(cols)
                length = lambda kd: (("%s * %s" % (n, n)) if n else str(N * N)) if kd == "mat" else (n or str(N))
                fn["hvp"] = (inputs, unit, cols)
                self.out[fn["out_at"]] += "#pragma vgrad hessian(%s) argnames(%s)\n" % (fn["name"], ", ".join(
                    params[i][1] + ("" if params[i][2] == "real" else "[%s]" % length(params[i][2])) for i in cols))

    def hvp_driver(self, fn, N, call_args, outs, gw, d, main):
        """The hvp's checks: its value, each d_ against central differences
        (rp_grad) of f, each h_ against central differences of the
        gradient along the direction (the gradient from the hvp itself, at
        the inputs moved by heps), and every hessian entry against central
        differences of its gradient entry (hrow picks it)."""
        rv = self.rhvp
        name, params = fn["name"], fn["params"]
        inputs, unit, cols = fn["hvp"]
        P = "%s_" % name
        inp = lambda n: ", ".join("%d / 256.0" % rv.randint(-256, 256) for _ in range(n))
        size = lambda i: 1 if params[i][2] == "real" else N * N if params[i][2] == "mat" else N
        d.append("static REAL %sheps;" % P)
        d.append("static int %shrow;" % P)
        # the direction, its gradient and product blocks, each input's entries
        entries, k = [], 0  # (input, entry or None, flat index)
        for i in inputs:
            nm = params[i][1]
            if params[i][2] == "real":
                d.append("static REAL %shdir_%s = %s;" % (P, nm, "1" if unit == k else "0" if unit is not None else inp(1)))
                entries.append((i, None, k))
                k += 1
            else:
                vals = ", ".join("1" if unit == k + j else "0" for j in range(size(i))) if unit is not None \
                    else inp(size(i))
                d.append("static REAL %shdir_%s[%d] = {%s};" % (P, nm, size(i), vals))
                entries += [(i, j, k + j) for j in range(size(i))]
                k += size(i)
        total = k
        # hgrad: the gradient entry hrow at the masters moved by heps along the direction
        g = ["static double %shgrad(void) {" % P]
        moved = list(call_args)
        dargs, hargs, targs = [], [], []
        for i in inputs:
            nm, m = params[i][1], P + params[i][1]
            if params[i][2] == "real":
                g.append("  REAL hm_%s = %s + %sheps * %shdir_%s, hd_%s = 0, hh_%s = 0;" % (nm, m, P, P, nm, nm, nm))
                dargs.append("&hd_" + nm)
                hargs.append("&hh_" + nm)
            else:
                g.append("  REAL hm_%s[%d], hd_%s[%d] = {0}, hh_%s[%d] = {0};" % (nm, size(i), nm, size(i), nm, size(i)))
                g.append("  for (int j = 0; j < %d; j++) hm_%s[j] = %s[j] + %sheps * %shdir_%s[j];" % (
                    size(i), nm, m, P, P, nm))
                dargs.append("hd_" + nm)
                hargs.append("hh_" + nm)
            moved[i] = "hm_" + nm
            targs.append("%shdir_%s" % (P, nm))
        if self.sg_sites:
            g.append("  memset(rp_sg_count, 0, sizeof rp_sg_count);")
        if gw:
            g.append("  rp_globals_reset();")
        for _, m in outs:
            g.append("  memcpy(%swork, %s, sizeof %s);" % (m, m, m))
        g.append("  (void)%s_hvp(%s);" % (name, ", ".join(moved + targs + dargs + hargs)))
        for i, j, flat in entries:
            nm = params[i][1]
            g.append("  if (%shrow == %d) return hd_%s%s;" % (P, flat, nm, "" if j is None else "[%d]" % j))
        g += ["  return 0;", "}"]
        d += g
        # the hvp at the masters
        main.append("    %sheps = 0;" % P)
        dd, hh = [], []
        for i in inputs:
            nm = params[i][1]
            if params[i][2] == "real":
                main.append("    REAL hv_d_%s = 0, hv_h_%s = 0;" % (nm, nm))
                dd.append("&hv_d_" + nm)
                hh.append("&hv_h_" + nm)
            else:
                main.append("    REAL hv_d_%s[%d] = {0}, hv_h_%s[%d] = {0};" % (nm, size(i), nm, size(i)))
                dd.append("hv_d_" + nm)
                hh.append("hv_h_" + nm)
        if outs:
            main.append("    " + " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs))
        if self.sg_sites:
            main.append("    memset(rp_sg_count, 0, sizeof rp_sg_count);")
        if gw:
            main.append("    rp_globals_reset();")
        main.append("    REAL hvv = %s_hvp(%s);" % (name, ", ".join(call_args + targs + dd + hh)))
        main.append('    rp_value("%s_hvp value", hvv, %sloss());' % (name, P))
        for i, j, flat in entries:
            nm = params[i][1]
            at = "" if j is None else "[%d]" % j
            main.append('    rp_grad("hvp_d_%s%s", &%s%s%s, hv_d_%s%s, %sloss);' % (nm, at, P, nm, at, nm, at, P))
        for i, j, flat in entries:
            nm = params[i][1]
            at = "" if j is None else "[%d]" % j
            main.append("    %shrow = %d;" % (P, flat))
            main.append('    rp_grad("hvp_h_%s%s", &%sheps, hv_h_%s%s, %shgrad);' % (nm, at, P, nm, at, P))
        if cols is None:
            return
        # the Hessian: columns in the order listed; entry (r, c) the derivative of gradient entry r along column c
        order = []
        for i in cols:
            order += [(i, j, flat) for (ii, j, flat) in entries if ii == i]
        nc = len(order)
        main.append("    double hess[%d];" % (nc * nc))
        main.append("    for (int j = 0; j < %d; j++) hess[j] = NAN;" % (nc * nc))
        if outs:
            main.append("    " + " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs))
        if self.sg_sites:
            main.append("    memset(rp_sg_count, 0, sizeof rp_sg_count);")
        main.append("    REAL hsv = %s_hessian(%s);" % (name, ", ".join(call_args + ["hess"])))
        main.append('    rp_value("%s_hessian value", hsv, %sloss());' % (name, P))
        main.append("    %sheps = 0;" % P)
        for r, (ri, rj, rflat) in enumerate(order):
            main.append("    %shrow = %d;" % (P, rflat))
            for c, (ci, cj, _) in enumerate(order):
                cnm = params[ci][1]
                cat = "" if cj is None else "[%d]" % cj
                rnm = params[ri][1] + ("" if rj is None else "[%d]" % rj)
                main.append('    rp_grad("hess_d%s/d%s%s", &%s%s%s, hess[%d], %shgrad);' % (
                    rnm, cnm, cat, P, cnm, cat, r * nc + c, P))

    def pick_selection(self, params, floating):
        """(clause text, selected parameter positions in order)."""
        r = self.r
        cands = [i for i in floating if params[i][2] != "lossp"]
        k = r.random()
        if k < 0.2 and cands == [i for i in floating]:
            return "argnums(all)", cands
        if k < 0.3 and cands and cands[0] == 0:
            return "", [0]
        chosen = sorted(r.sample(cands, r.randint(1, len(cands))))
        listed = list(chosen)
        r.shuffle(listed)
        if k < 0.6:
            return "argnames(%s)" % ", ".join(params[i][1] for i in listed), chosen
        return "argnums(%s)" % ", ".join(str(i) for i in listed), chosen

    def force_call(self, h, sc, ctx):
        lines = self.force_call_lines(h, sc, ctx)
        if lines:
            self.uncalled.discard(h["name"])
        return lines

    def force_call_lines(self, h, sc, ctx):
        if h["kind"] == "void":
            t = self.fresh("w")
            arrs = [v for v in sc.all() if v.kind == "arr" and v.readable and not v.mat]
            a = self.r.choice(arrs).name
            b = self.r.choice(arrs).name
            return ["  REAL %s[16] = {0};" % t, "  %s(%s, %s, %s, n);" % (h["name"], t, a, b),
                    "  acc += 0.1 * %s[n - 1];" % t]
        if h["kind"] == "inner":
            ss = [v for v in sc.all() if v.kind == "struct"]
            if not ss:
                return []
            s = ss[0]
            q = self.fresh("q")
            return ["  Inner %s = %s(%s%sin, %s);" % (q, h["name"], s.name, "->" if s.by_ptr else ".",
                                                      self.leaf(sc, ctx)[0]),
                    "  acc += 0.1 * %s.w[2];" % q]
        args = self.helper_args(h, sc, dict(ctx, depth=1), 1)
        if args is None:
            return []
        return ["  acc += 0.1 * %s(%s(%s));" % (self.fn("tanh"), h["name"], ", ".join(args))]

    # --------------------------------------------------- optional arrays
    def opt_helper(self):
        """The name of a helper that takes an optional array and tests it
        against NULL (made on first use; all drawn from Gen.ro)."""
        ro = self.ro
        if self.opt_helpers and ro.random() < 0.6:
            return "ho%d" % ro.randrange(len(self.opt_helpers))
        name = "ho%d" % len(self.opt_helpers)
        k = ro.randrange(3)
        if k == 0:  # llm.c's matmul_forward: (bias != NULL) ? bias[o] : 0
            body = ["  REAL s = 0;",
                    "  for (int i = 0; i < n; i++) {",
                    "    REAL val = (bias != NULL) ? bias[i] : %s;" % ro.choice(["0.0", "0.0f", "0"]),
                    "    s += tanh(v[i] * %.3f + val);" % ro.uniform(0.3, 1.2),
                    "  }",
                    "  return s / n;"]
        elif k == 1:  # an early return
            body = ["  if (%s)" % ro.choice(["!bias", "bias == NULL", "NULL == bias", "bias == 0"]),
                    "    return %.3f * v[0];" % ro.uniform(0.2, 0.8),
                    "  REAL s = 0;",
                    "  for (int i = 0; i < n; i++)",
                    "    s += bias[i] * sin(v[i]);",
                    "  return s / n;"]
        else:  # a test inside the loop, and a pointer into the array
            body = ["  REAL s = 0;",
                    "  for (int i = 0; i < n; i++) {",
                    "    REAL t = v[i];",
                    "    if (%s) {" % ro.choice(["bias", "bias != NULL", "bias && i % 2 == 0"]),
                    "      const REAL *b = bias + i;",
                    "      t = t * (1.0 + 0.3 * tanh(b[0]));",
                    "    }",
                    "    s += t * t;",
                    "  }",
                    "  return tanh(s);"]
        self.opt_helpers.append("static REAL %s(const REAL *v, const REAL *bias, int n) {\n%s\n}\n" % (
            name, "\n".join(body)))
        return name

    def optional_uses(self):
        """Statements reading the top function's optional array `opt`, each
        behind a test of it against NULL in one of C's spellings (all drawn
        from Gen.ro); x, n and acc are always there."""
        ro = self.ro
        idx = lambda: ro.choice(["0", "1", "n - 1"])
        c = lambda: "%.3f" % ro.uniform(0.1, 0.6)
        forms = [
            lambda: ["  if (opt != NULL)", "    acc += %s * opt[%s] * x[%s];" % (c(), idx(), idx())],
            lambda: ["  if (opt) {", "    for (int io = 0; io < n; io++)",
                     "      acc += %s * opt[io] * tanh(x[io] + %s * acc);" % (c(), c()), "  }"],
            lambda: ["  if (!opt)", "    acc += %s * x[%s];" % (c(), idx()), "  else",
                     "    acc *= 1.0 + %s * tanh(opt[%s]);" % (c(), idx())],
            lambda: ["  if (NULL == opt) {", "    acc += %s;" % c(), "  } else {",
                     "    acc += %s * opt[0] * opt[n - 1];" % c(), "  }"],
            lambda: ["  acc += %s * (opt ? opt[%s] : %s) * x[%s];" % (c(), idx(), c(), idx())],
            lambda: ["  acc += opt != NULL ? %s * tanh(opt[%s] * acc) : %s * acc;" % (c(), idx(), c())],
            lambda: ["  if (opt == 0)", "    acc += %s * x[1];" % c(), "  else",
                     "    acc += %s * sin(opt[1] + acc);" % c()],
            lambda: ["  if (opt && n > 2)", "    acc += %s * opt[2] * x[0];" % c()],
            lambda: ["  for (int io = 0; io < n; io++) {", "    REAL opt_t = x[io];", "    if (opt != NULL)",
                     "      opt_t += %s * opt[io];" % c(), "    acc += %s * sin(opt_t * acc);" % c(), "  }"],
            lambda: ["  acc += %s * %s(x, %s, n);" % (c(), self.opt_helper(),
                                                    ro.choice(["opt", "opt", "NULL", "n > 3 ? opt : NULL"]))],
        ]
        lines = []
        for _ in range(ro.randint(1, 3)):
            lines += ro.choice(forms)()
        # a helper may have been given NULL every time: opt must be read,
        # else it is an unused parameter (a warning)
        while not re.search(r"\bopt\b", "\n".join(lines)):
            lines += ro.choice(forms[:-1])()
        return lines

    def rows_uses(self):
        """Statements reading the top function's rows parameter rw (two
        rows of n REAL), in C's spellings (all drawn from Gen.rrows).  x, n
        and acc are always there."""
        rr = self.rrows
        c = lambda: "%.3f" % rr.uniform(0.1, 0.6)
        k = lambda: rr.choice(["0", "1"])
        forms = [
            lambda: ["  for (int kr = 0; kr < 2; kr++)", "    for (int ir = 0; ir < n; ir++)",
                     "      acc += %s * rw[kr][ir] * x[ir] * (kr + 1);" % c()],
            lambda: ["  acc += %s * tanh(*(rw[%s] + n - 1) * rw[%s][0]);" % (c(), k(), k())],
            lambda: ["  {", "    const REAL *row = rw[%s];" % k(), "    for (int ir = 0; ir < n; ir++)",
                     "      acc += %s * sin(row[ir] + %s * acc);" % (c(), c()), "  }"],
            lambda: ["  for (int ir = 0; ir < n; ir++)",
                     "    acc += %s * %s(rw[0][ir] * rw[1][(ir + 1) %% n]);" % (c(), rr.choice(["sin", "cos", "tanh"]))],
        ]
        lines = []
        for _ in range(rr.randint(1, 3)):
            lines += rr.choice(forms)()
        return lines

    def ptr_member_uses(self, by_ptr):
        """Statements reading the top function's struct parameter pw, whose
        members w and b point to REAL data, in C's spellings (all drawn from
        Gen.rpw); a by-value pw may have its scalar g changed.  x, n and acc
        are always there, and pw->m is n."""
        rw = self.rpw
        a = "pw->" if by_ptr else "pw."
        c = lambda: "%.3f" % rw.uniform(0.1, 0.6)
        idx = lambda: rw.choice(["0", "1", "n - 1"])
        forms = [
            lambda: ["  for (int iw = 0; iw < %sm; iw++)" % a, "    acc += %s * %sw[iw] * x[iw];" % (c(), a)],
            lambda: ["  acc += %s * tanh(*(%sb + %s) * %sg);" % (c(), a, idx(), a)],
            lambda: ["  {", "    const REAL *pw_a = %s%s;" % (a, rw.choice(["w", "b"])),
                     "    for (int iw = 0; iw < n; iw++)",
                     "      acc += %s * sin(pw_a[iw] + %s * acc);" % (c(), c()), "  }"],
            lambda: ["  for (int iw = 0; iw < %sm; iw++)" % a,
                     "    acc += %s * %sb[iw] * %sw[(iw + 1) %% %sm] * %sg;" % (c(), a, a, a, a)],
            lambda: ["  acc += %s * %s(%sw[%s] * %sb[%s]);" % (c(), rw.choice(["sin", "cos", "tanh"]), a, idx(), a,
                                                         idx())],
        ]
        if not by_ptr:
            # pw.g written: pw then has a gradient, which only a selected pw can hold
            # behind its pointers (make_top turns the write into a read otherwise)
            forms.append(lambda: ["  pw.g = %s * pw.g + %s * tanh(acc);" % (c(), c()),
                                  "  acc += %s * pw.g * pw.w[%s];" % (c(), idx())])
        lines = []
        for _ in range(rw.randint(1, 3)):
            lines += rw.choice(forms)()
        return lines

    # ------------------------------------------------------------ driver
    def sg_head(self):
        """What RP_SG, rp_step and rp_soft need, at the top of rpSEED.c."""
        h = []
        if self.sg_sites:
            h += ["#include <vgrad.h>",
                  "/* vg_stop_gradient; the driver's finite differences see each stopped value",
                  " * as a constant: its copy of the functions records them at the point",
                  " * checked and replays them while an input moves (rp_sg, per site) */",
                  "#ifdef VG_DRIVER", "REAL rp_sg(int site, REAL v);", "#define RP_SG(k, e) rp_sg(k, (REAL)(e))",
                  "#else", "#define RP_SG(k, e) vg_stop_gradient((REAL)(e))", "#endif", ""]
        if "step" in self.nd_uses:
            h += ["REAL rp_step(REAL v); /* the driver's: a step function, a constant of the derivative */",
                  "#pragma vgrad nondiff(rp_step)", ""]
        if self.cr_used:
            h += ["/* custom_vjp/custom_jvp: rp_cr is the driver's (a library's), a * tanh(b) + a / 2;",
                  " * its derivative rules are these */",
                  "REAL rp_cr(REAL a, REAL b);",
                  "REAL rp_cr_vjp(REAL a, REAL b, REAL ct_ret, REAL *d_a, REAL *d_b) {",
                  "  REAL t = tanh(b);",
                  "  if (d_a)",
                  "    *d_a += ct_ret * (t + (REAL)0.5);",
                  "  if (d_b)",
                  "    *d_b += ct_ret * a * (1 - t * t);",
                  "  return a * t + (REAL)0.5 * a;",
                  "}",
                  "REAL rp_cr_jvp(REAL a, REAL b, REAL t_a, REAL t_b, REAL *t_ret) {",
                  "  REAL t = tanh(b);",
                  "  *t_ret = t_a * (t + (REAL)0.5) + a * (1 - t * t) * t_b;",
                  "  return a * t + (REAL)0.5 * a;",
                  "}",
                  "#pragma vgrad custom_vjp(rp_cr) with(rp_cr_vjp)",
                  "#pragma vgrad custom_jvp(rp_cr) with(rp_cr_jvp)", ""]
        if self.cw_used:
            h += ["/* custom_vjp/custom_jvp for a function writing through a pointer: rp_cw is",
                  " * the driver's, y[i] = 0.5 y[i] + a tanh(x[i]); its rules are these */",
                  "void rp_cw(int n, REAL a, const REAL *x, REAL y[n]);",
                  "void rp_cw_vjp(int n, REAL a, const REAL *x, REAL *y, const REAL *ct_y, REAL *d_a, REAL *d_x,",
                  "               REAL *d_y) {",
                  "  (void)y;",
                  "  for (int i = 0; i < n; i++) {",
                  "    REAL t = tanh(x[i]);",
                  "    if (d_a)",
                  "      *d_a += ct_y[i] * t;",
                  "    if (d_x)",
                  "      d_x[i] += ct_y[i] * a * (1 - t * t);",
                  "    if (d_y)",
                  "      d_y[i] += (REAL)0.5 * ct_y[i];",
                  "  }",
                  "}",
                  "void rp_cw_jvp(int n, REAL a, const REAL *x, REAL *y, REAL t_a, const REAL *t_x, REAL *t_y) {",
                  "  for (int i = 0; i < n; i++) {",
                  "    REAL t = tanh(x[i]);",
                  "    REAL t_xi = t_x ? t_x[i] : 0;",
                  "    t_y[i] = (REAL)0.5 * t_y[i] + t_a * t + a * (1 - t * t) * t_xi;",
                  "    y[i] = (REAL)0.5 * y[i] + a * t;",
                  "  }",
                  "}",
                  "#pragma vgrad custom_vjp(rp_cw) with(rp_cw_vjp)",
                  "#pragma vgrad custom_jvp(rp_cw) with(rp_cw_jvp)", ""]
        if "soft" in self.nd_uses:
            h += ["/* nondiff: called, never differentiated; the driver replays its values */",
                  "REAL rp_soft(REAL v);",
                  "#pragma vgrad nondiff(rp_soft)",
                  "REAL rp_soft(REAL v) { return RP_SG(%d, 0.5 * tanh(v) + 0.25 * v); }" % self.soft_site, ""]
        return h

    def sg_driver(self):
        """The driver's rp_sg and rp_step."""
        d = []
        if self.sg_sites:
            d += ["/* RP_SG's values, per site, as the original computed them at the point",
                  " * checked (rp_sg_replay 0), given back while an input moves (1); past",
                  " * what was recorded (a branch taken otherwise) the value itself */",
                  "enum { RP_SG_SITES = %d, RP_SG_CAP = 4096 };" % self.sg_sites,
                  "static int rp_sg_replay, rp_sg_count[RP_SG_SITES], rp_sg_recorded[RP_SG_SITES];",
                  "static REAL rp_sg_values[RP_SG_SITES][RP_SG_CAP];",
                  "REAL rp_sg(int site, REAL v) {",
                  "  int i = rp_sg_count[site]++;",
                  "  if (!rp_sg_replay && i < RP_SG_CAP) {",
                  "    rp_sg_values[site][i] = v;",
                  "    rp_sg_recorded[site] = i + 1;",
                  "  }",
                  "  return rp_sg_replay && i < rp_sg_recorded[site] ? rp_sg_values[site][i] : v;",
                  "}", ""]
        if "step" in self.nd_uses:
            d += ["REAL rp_step(REAL v) { return (REAL)(0.25 * floor(4.0 * (double)v)); }", ""]
        if self.cr_used:
            d += ["REAL rp_cr(REAL a, REAL b) { return a * tanh(b) + (REAL)0.5 * a; }", ""]
        if self.cw_used:
            d += ["void rp_cw(int n, REAL a, const REAL *x, REAL y[n]) {",
                  "  for (int i = 0; i < n; i++)",
                  "    y[i] = (REAL)0.5 * y[i] + a * tanh(x[i]);",
                  "}", ""]
        return d

    def driver(self):
        N = self.N
        r = self.r
        d = ["", "#ifdef VG_DRIVER", '#include "rp%d.vg.h"' % self.seed, '#include "rp_check.h"', ""]
        d += self.sg_driver()
        if "note" in self.uses:
            d += ["static int rp_notes;", "void rp_note(int k) { rp_notes += k; }", ""]
        if self.globals_on and self.gwritten:
            d += ["/* the original and the generated functions start from the same globals */",
                  "static void rp_globals_reset(void) {"]
            if self.gwrite:
                d.append("  g_avg = %s;" % self.g_avg0)
                d.append("  g_last = 0;")
            if self.gcount:
                d.append("  g_calls = 0;")
            d += ["}", ""]
        main = ["int main(void) {"]
        for fn in self.tops:
            d += self.driver_fn(fn, N, r, main)
        if self.arrays:
            d += self.arrays.driver(main)
        main.append('  return rp_report("rp%d");' % self.seed)
        main.append("}")
        d += main + ["#endif"]
        return d

    def inputs(self, n):
        # multiples of 1/256 in [-1, 1]: the same numbers in float and double
        return ", ".join("%d / 256.0" % self.r.randint(-256, 256) for _ in range(n))

    def driver_fn(self, fn, N, r, main):
        name = fn["name"]
        d = []
        P = "%s_" % name
        # masters (the inputs FD perturbs) and work copies for written ones
        call_args = []
        for ct, nm, kd, ex in fn["params"]:
            m = P + nm
            if kd in ("arr", "out"):
                d.append("static REAL %s[%d] = {%s};" % (m, N, self.inputs(N)))
                if kd == "out":
                    d.append("static REAL %swork[%d];" % (m, N))
                    call_args.append(m + "work")
                else:
                    call_args.append(m)
            elif kd == "mat":
                d.append("static REAL %s[%d] = {%s};" % (m, N * N, self.inputs(N * N)))
                call_args.append(m)
            elif kd == "real":
                d.append("static REAL %s = %s;" % (m, self.inputs(1)))
                call_args.append(m)
            elif kd == "int":
                call_args.append(str(N))
            elif kd == "idx":
                d.append("static const int %s[%d] = {%s};" % (m, N, ", ".join(str(r.randrange(N)) for _ in range(N))))
                call_args.append(m)
            elif kd in ("sptr", "sval"):
                vals = self.inputs(12).split(", ")
                init = "{{%s, {%s, %s, %s}}, %s, {%s, %s, %s, %s}, 2}" % tuple(vals[:9])
                d.append("static Outer %s = %s;" % (m, init))
                call_args.append(("&" + m) if kd == "sptr" else m)
            elif kd == "lossp":
                call_args.append("err_out" if fn.get("loss_pair") else "&err_out")
            elif kd == "pw":
                # w and b point into one buffer
                d.append("static REAL %sbuf[%d] = {%s};" % (m, 2 * N, ", ".join(
                    "%d / 256.0" % self.rpw.randint(-256, 256) for _ in range(2 * N))))
                d.append("static PW %s = {%sbuf, %sbuf + %d, %d, %d / 256.0};" % (m, m, m, N, N,
                                                                             self.rpw.randint(-256, 256)))
                call_args.append(("&" + m) if ex.get("by_ptr") else m)
            elif kd == "rows":
                # two rows of one buffer
                d.append("static REAL %sbuf[%d] = {%s};" % (m, 2 * N, ", ".join(
                    "%d / 256.0" % self.rrows.randint(-256, 256) for _ in range(2 * N))))
                d.append("static const REAL *const %s[2] = {%sbuf, %sbuf + %d};" % (m, m, m, N))
                call_args.append(m)
            elif kd == "carr":
                d.append("static REAL complex %s[%d] = {%s};" % (m, N, ", ".join(self.cx_input() for _ in range(N))))
                call_args.append(m)
            elif kd == "cval":
                d.append("static REAL complex %s = %s;" % (m, self.cx_input()))
                call_args.append(m)
            elif kd == "opt":
                # the array, and the pointer passed: NULL or the array
                d.append("static REAL %s[%d] = {%s};" % (m, N, ", ".join(
                    "%d / 256.0" % self.ro.randint(-256, 256) for _ in range(N))))
                d.append("static const REAL *%sp;" % m)
                call_args.append(m + "p")
        outs = [(nm, P + nm) for ct, nm, kd, _ in fn["params"] if kd == "out"]

        def reset():
            return " ".join("memcpy(%swork, %s, sizeof %s);" % (m, m, m) for _, m in outs)

        args = ", ".join(call_args)
        # the original, as a loss of the masters
        d.append("static double %sloss(void) {" % P)
        if self.sg_sites:
            d.append("  memset(rp_sg_count, 0, sizeof rp_sg_count);")
        gw = self.gwritten if self.globals_on else []
        if gw:
            d.append("  rp_globals_reset();")
        if outs:
            d.append("  " + reset())
        if fn["ret"] == "lossp" and fn.get("loss_pair"):
            # the loss, and the original's err[1] for the checks
            d.insert(d.index("static double %sloss(void) {" % P), "static REAL %serr1;" % P)
            d.append("  REAL err_out[2] = {0, 0};")
            d.append("  %s(%s);" % (name, args))
            d.append("  %serr1 = err_out[1];" % P)
            d.append("  return err_out[0];")
        elif fn["ret"] == "lossp":
            d.append("  REAL err_out = 0;")
            d.append("  %s(%s);" % (name, args))
            d.append("  return err_out;")
        elif fn["ret"] == "res":
            d.append("  return %s(%s).loss;" % (name, args))
        else:
            d.append("  return %s(%s);" % (name, args))
        d.append("}")
        # gradient outputs and their checks
        sel = fn["sel"][1]

        def grad_decls(prefix):
            decl, gargs, checks = [], [], []
            for i in sel:
                ct, nm, kd, _ = fn["params"][i]
                g = "%sd_%s" % (prefix, nm)
                m = P + nm
                if kd in ("arr", "out"):
                    decl.append("REAL %s[%d] = {0};" % (g, N))
                    gargs.append(g)
                    checks += [("%s[%d]" % (g, j), "&%s[%d]" % (m, j), "%s[%d]" % (nm, j)) for j in range(N)]
                elif kd == "mat":
                    decl.append("REAL %s[%d] = {0};" % (g, N * N))
                    gargs.append(g)
                    checks += [("%s[%d]" % (g, j), "&%s[%d]" % (m, j), "%s[%d]" % (nm, j)) for j in range(N * N)]
                elif kd == "real":
                    decl.append("REAL %s = 0;" % g)
                    gargs.append("&" + g)
                    checks.append((g, "&" + m, nm))
                elif kd == "opt":
                    # NULL for a NULL opt in the first round, a buffer otherwise
                    decl.append("REAL %s[%d] = {0};" % (g, N))
                    gargs.append("rp_opt_k == 0 ? NULL : %s" % g)
                    checks += [("%s[%d]" % (g, j), "&%s[%d]" % (m, j), "%s[%d]" % (nm, j)) for j in range(N)]
                elif kd == "pw":
                    # the gradient struct points into one gradient buffer the same way
                    decl.append("REAL %sbuf[%d] = {0};" % (g, 2 * N))
                    decl.append("PW %s = {%sbuf, %sbuf + %d, 0, 0};" % (g, g, g, N))
                    gargs.append("&" + g)
                    checks += [("%sbuf[%d]" % (g, j), "&%sbuf[%d]" % (m, j), "%s_buf[%d]" % (nm, j))
                               for j in range(2 * N)]
                    checks.append((g + ".g", "&%s.g" % m, nm + ".g"))
                elif kd == "rows":
                    # the gradient rows point into one gradient buffer
                    decl.append("REAL %sbuf[%d] = {0};" % (g, 2 * N))
                    decl.append("REAL *%s[2] = {%sbuf, %sbuf + %d};" % (g, g, g, N))
                    gargs.append(g)
                    checks += [("%sbuf[%d]" % (g, j), "&%sbuf[%d]" % (m, j), "%s_buf[%d]" % (nm, j))
                               for j in range(2 * N)]
                elif kd == "carr":
                    # each part an input of its own: d/dx = creal(g), d/dy = -cimag(g)
                    decl.append("REAL complex %s[%d] = {0};" % (g, N))
                    gargs.append(g)
                    for j in range(N):
                        checks += [("creal(%s[%d])" % (g, j), "&((REAL *)%s)[%d]" % (m, 2 * j), "%s[%d].re" % (nm, j)),
                                   ("-cimag(%s[%d])" % (g, j), "&((REAL *)%s)[%d]" % (m, 2 * j + 1),
                                    "%s[%d].im" % (nm, j))]
                elif kd == "cval":
                    decl.append("REAL complex %s = 0;" % g)
                    gargs.append("&" + g)
                    checks += [("creal(%s)" % g, "&((REAL *)&%s)[0]" % m, nm + ".re"),
                               ("-cimag(%s)" % g, "&((REAL *)&%s)[1]" % m, nm + ".im")]
                elif kd in ("sptr", "sval"):
                    decl.append("Outer %s;" % g)
                    decl.append("memset(&%s, 0, sizeof %s);" % (g, g))
                    gargs.append("&" + g)
                    checks += [(g + p, "&%s%s" % (m, p), nm + p) for p in struct_member_paths("Outer")]
            return decl, gargs, checks

        opt_master = next((P + nm for ct, nm, kd, _ in fn["params"] if kd == "opt"), None)
        if opt_master:
            # rounds: opt and d_opt NULL; opt NULL, d_opt a buffer left zero; opt an array
            main.append("  for (int rp_opt_k = 0; rp_opt_k < 3; rp_opt_k++) {")
            main.append("    %sp = rp_opt_k == 2 ? %s : NULL;" % (opt_master, opt_master))
        else:
            main.append("  {")
        main.append('    rp_function("%s");' % name)
        if self.sg_sites:
            # the stopped values at this point, then replayed
            main.append("    rp_sg_replay = 0; memset(rp_sg_recorded, 0, sizeof rp_sg_recorded); (void)%sloss(); "
                        "rp_sg_replay = 1;" % P)
        gnames = []
        for ti, (tr, custom) in enumerate(fn["transforms"]):
            gen_name = custom or ("%s_%s" % (name, tr))
            pre = "g%d_" % ti
            decl, gargs, checks = grad_decls(pre)
            main += ["    " + x for x in decl]
            if outs:
                main.append("    " + reset())
            if gw:
                main.append("    rp_globals_reset();")
            full = ", ".join(call_args + gargs)
            first = len(main)
            if fn["ret"] == "lossp" and fn.get("loss_pair"):
                err = "err_g%d" % ti
                main.append("    REAL %s[2] = {0, 0};" % err)
                main.append("    %s(%s);" % (gen_name, full.replace("err_out", err)))
                if tr == "value_and_grad":
                    main.append('    rp_value("%s err[0]", %s[0], %sloss());' % (gen_name, err, P))
                    main.append('    rp_value("%s err[1]", %s[1], %serr1);' % (gen_name, err, P))
            elif fn["ret"] == "lossp":
                err = "err_g%d" % ti
                main.append("    REAL %s = 0;" % err)
                main.append("    %s(%s);" % (gen_name, full.replace("&err_out", "&" + err)))
                if tr == "value_and_grad":
                    main.append('    rp_value("%s err", %s, %sloss());' % (gen_name, err, P))
            elif tr == "grad":
                main.append("    %s(%s);" % (gen_name, full))
            elif fn["ret"] == "res":
                main.append("    Res got = %s(%s);" % (gen_name, full))
                if outs and tr == "value_and_grad":
                    # what the generated function left in out, then out as the
                    # original gets it (soak seeds 91847, 91899: the original ran
                    # on the out the generated function had written)
                    for nm, m in outs:
                        main.append("    REAL %s_gen[%d]; memcpy(%s_gen, %swork, sizeof %s_gen);" % (nm, N, nm, m, nm))
                    main.append("    " + reset())
                main.append("    Res want = %s(%s);" % (name, ", ".join(c.replace("&err_out", "0") for c in call_args)))
                main.append('    rp_value("%s loss", got.loss, want.loss);' % gen_name)
                main.append('    rp_value("%s aux", got.aux, want.aux);' % gen_name)
                main.append('    rp_value("%s count", got.count, want.count);' % gen_name)
            else:
                main.append("    REAL got = %s(%s);" % (gen_name, full))
                main.append('    rp_value("%s value", got, %sloss());' % (gen_name, P))
            if outs and tr == "value_and_grad":
                # the generated function leaves in out what the original does
                if fn["ret"] != "res":  # (saved above for res)
                    for nm, m in outs:
                        main.append("    REAL %s_gen[%d]; memcpy(%s_gen, %swork, sizeof %s_gen);" % (nm, N, nm, m, nm))
                main.append("    (void)%sloss();" % P)
                for nm, m in outs:
                    main.append("    for (int j = 0; j < %d; j++) rp_value(\"%s %s\", %s_gen[j], %swork[j]);" % (
                        N, gen_name, nm, nm, m))
            if gw:
                # the globals the generated function left, then the original's
                at = next(i for i in range(first, len(main)) if (" %s(" % gen_name) in main[i])
                main.insert(at + 1, "    double %s;" % ", ".join("%sgl_%s = %s" % (pre, g, g) for g in gw))
                for i in range(first, len(main)):
                    if main[i].startswith("    Res want"):
                        main.insert(i, "    rp_globals_reset();")
                        break
                main.append("    (void)%sloss();" % P)
                for g in gw:
                    main.append('    rp_value("%s global %s", %sgl_%s, %s);' % (gen_name, g, pre, g, g))
            gnames.append((pre, checks))
            if ti == 0:
                for g, master, label in checks:
                    if opt_master and master.startswith("&%s[" % opt_master):
                        main.append('    if (%sp) rp_grad("%s", %s, %s, %sloss); else rp_same("%s of NULL", %s, 0);' % (
                            opt_master, label, master, g, P, label, g))
                    else:
                        main.append('    rp_grad("%s", %s, %s, %sloss);' % (label, master, g, P))
            else:
                for (g, _, label), (g0, _, _) in zip(checks, gnames[0][1]):
                    main.append('    rp_same("%s: %s vs %s", %s, %s);' % (label, gen_name, fn["transforms"][0][1] or name, g, g0))
        if fn.get("taped"):
            pre = "tp_"
            decl, gargs, checks = grad_decls(pre)
            main += ["    " + x for x in decl]
            if outs:
                main.append("    " + reset())
            if gw:
                main.append("    rp_globals_reset();")
            full = ", ".join(call_args + gargs)
            if fn["ret"] == "lossp" and fn.get("loss_pair"):
                main.append("    { REAL err_out[2] = {0, 0}; %s_value_and_grad(%s); }" % (fn["taped"], full))
            elif fn["ret"] == "lossp":
                main.append("    { REAL err_out = 0; %s_value_and_grad(%s); }" % (fn["taped"], full))
            else:
                main.append("    (void)%s_value_and_grad(%s);" % (fn["taped"], full))
            for (g, _, label), (g0, _, _) in zip(checks, gnames[0][1]):
                main.append('    rp_same("%s: checkpointed vs taped", %s, %s);' % (label, g0, g))
        if fn.get("jvp"):
            self.jvp_driver(fn, N, call_args, outs, gw, d, main)
        if fn.get("vjp"):
            self.vjp_driver(fn, N, call_args, outs, gw, d, main)
        if fn.get("jacobian"):
            self.jacobian_driver(fn, N, call_args, outs, gw, d, main)
        if fn.get("hvp"):
            self.hvp_driver(fn, N, call_args, outs, gw, d, main)
        main.append("  }")
        return d

    # ----------------------------------------------------------- program
    def program(self):
        r = self.r
        self.tops = []
        maxtop, maxh = SIZES[self.size][0], SIZES[self.size][1]
        ntop = r.randint(1, maxtop)
        self.ntop = ntop
        nh = r.randint(0, maxh) if self.feat("helpers") else 0
        for k in range(nh):
            self.make_helper(k)
        if self.feat("fnptr"):
            self.plan_fn_tables()
        if self.feat("recursion"):
            self.make_recursive()
        for k in range(ntop):
            # the last one calls the helpers not called yet, some of which
            # take a struct
            self.make_top(k, k == ntop - 1 and any(h.get("struct_arg") for h in self.helpers))
        if self.features["jvp"]:
            self.add_jvps()
        if self.features["vjp"]:
            self.add_vjps()
        if self.features["jacobian"]:
            self.add_jacobians()
        if self.features["hvp"]:
            self.add_hvps()
        callers = "\n".join(t for i, t in enumerate(self.out) if i not in self.rec_texts)
        for (name, _, _), at in zip(self.rec_funcs, self.rec_texts):
            if not re.search(r"\b%s\(" % name, callers):
                self.out[at] = ""  # an uncalled static function warns (its call may have been dropped)
        for i, text in enumerate(self.opt_helpers):
            self.out.insert(nh + i, text)
        if self.lib_on or self.features["header_inline"]:
            place, external, copies = self.place_helpers()
        else:
            place, external, copies = {}, set(), set()
        multi = self.lib_on or "header" in place.values()
        head = ["/* rp%d: random program from tests/random/gen.py, seed %d, size %s.  Regenerate with" % (
            self.seed, self.seed, self.size),
                " * python3 tests/random/gen.py %d --size %s%s */" % (
            self.seed, self.size, "" if all(self.features.values()) else ""),
                ] + (["/* helpers and globals in rp%d_lib.c too: vgradcc rp%d.c rp%d_lib.c */" % (
                    (self.seed,) * 3)] if self.lib_on else []) + (
                ["#include <assert.h>"] if "assert" in self.uses else []) + (
                ["#include <complex.h>"] if self.cx_used else []) + [
                "#include <math.h>", "#include <stdlib.h>", "#include <string.h>", "",
                '#include "rp%d.h"' % self.seed, ""] + self.sg_head() + (
                ["/* values carried across loop iterations are set before they are read */",
                 '#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"', ""] if "carried" in self.uses else [])
        fn_macro = ["/* float builds (-DREAL=float -DRP_FLOAT) call the float variants */",
                    "#ifdef RP_FLOAT", "#define FN(name) name##f", "#else", "#define FN(name) name", "#endif", ""]
        max_macro = ["/* a GNU statement expression (-pedantic wants __extension__) */",
                     "#define RP_MAX(a, b) __extension__({ REAL a_ = (a), b_ = (b); a_ > b_ ? a_ : b_; })", ""]
        note_decl = ["void rp_note(int k); /* defined by the driver: a call kept for its effect */", ""]
        if not multi:
            head += fn_macro
            head += self.head_lsp()
            if self.globals_on:
                head += self.gdecl_lines
            if "max" in self.uses:
                head += max_macro
            if "note" in self.uses:
                head += note_decl
            body = "\n".join(self.out)
            lib = None
        else:
            shared, gdefs, externs = [], [], []
            for l in (self.gdecl_lines if self.globals_on else []):
                m = re.match(r"(REAL|int) (g_\w+(\[\d+\])?)", l)
                if l.startswith("enum"):
                    shared.append(l)
                elif m:
                    externs.append("extern %s %s;" % (m.group(1), m.group(2)))
                    gdefs.append(l)
                else:
                    head.append(l)
            if self.globals_on and not (self.lib_on and self.lib_home):
                head += ["/* globals the functions of both files read and write */"] + gdefs + [""]
            if self.lib_on:
                externs += ["extern REAL g_lib_gain;", "extern const REAL g_lib_tab[4];"]
            body = []
            lib_parts, hdr_parts, protos = [], [], []
            for i, t in enumerate(self.out):
                h = next((h for h in self.helpers if h["index"] == i), None)
                if h is None:
                    body.append(t)
                    continue
                n = h["name"]
                sig = t.split(" {\n", 1)[0]
                if place[n] == "main":
                    body.append(t[len("static "):] if n in external else t)
                    if n in external:
                        protos.append(sig[len("static "):] + ";")
                    if n in copies:
                        lib_parts.append("/* not rp%d.c's %s: a static function of this file of the same name */\n"
                                         % (self.seed, n)
                                         + re.sub(r"\breturn ([^;]*);", r"return 0.9 * (\1);", t))
                elif place[n] == "lib":
                    lib_parts.append(t[len("static "):])
                    protos.append(sig[len("static "):] + ";")
                else:
                    hdr_parts.append("static inline " + t[len("static "):])
            body = "\n".join(body)
            if self.lib_on:
                lib = "\n".join(
                    ["/* rp%d_lib.c: the second input file of rp%d.c (tests/random/gen.py, seed %d):" % (
                        (self.seed,) * 3),
                     " * vgradcc rp%d.c rp%d_lib.c */" % (self.seed, self.seed)]
                    + (["#include <assert.h>"] if any("assert(" in t for t in lib_parts) else [])
                    + ["#include <math.h>", "#include <stdlib.h>", "#include <string.h>", "",
                       '#include "rp%d.h"' % self.seed, ""]
                    + (["#pragma GCC diagnostic ignored \"-Wmaybe-uninitialized\"", ""]
                       if "carried" in self.uses else [])
                    + ((["/* rp%d.c's globals, defined here */" % self.seed] + gdefs + [""])
                       if self.globals_on and self.lib_home else [])
                    + ["/* read by the functions of both files */",
                       "REAL g_lib_gain = %s;" % self.lib_gain,
                       "const REAL g_lib_tab[4] = {%s};" % self.lib_tab, ""]
                    + lib_parts)
            else:
                lib = None
            shared_h = (["", "/* what rp%d.c%s share */" % (self.seed, " and rp%d_lib.c" % self.seed if self.lib_on else
                                                            " and the helpers below"),
                         "#include <math.h>"]
                        + (["#include <assert.h>"] if any("assert(" in t for t in hdr_parts) else []) + [""]
                        + fn_macro + (max_macro if "max" in self.uses else [])
                        + (note_decl if "note" in self.uses else [])
                        + shared
                        + (["/* globals of rp%d.c and rp%d_lib.c */" % (self.seed, self.seed)] + externs
                           if externs else [])
                        + (["/* helpers with external linkage */"] + protos if protos else [])
                        + (["", "/* helpers that every file including this header inlines */"] + hdr_parts
                           if hdr_parts else []))
        if self.cx_helpers:
            # the complex helpers called (static: one left uncalled would warn)
            body = "".join(h["text"] + "\n" for h in self.cx_helpers
                           if re.search(r"\b%s\(" % h["name"], body)) + body
        if "gates_cell" in self.uses:
            body = "\n".join([
                "/* ADBench's LSTM cell: its gates in one heap block, freed at the end;",
                " * the state (four values) updated through its pointer */",
                "static void rp_cell(int n, const REAL *x, int st, REAL *state, int update) {",
                "  REAL *gates = malloc(2 * n * sizeof(REAL));",
                "  REAL *forget = &gates[0];",
                "  REAL *change = &gates[n];",
                "  for (int i = 0; i < n; i++) {",
                "    forget[i] = 1 / (1 + exp(-(x[i] * (REAL)0.7 + st * (REAL)0.1)));",
                "    change[i] = tanh(x[(i + st) % n] * (REAL)0.9);",
                "  }",
                "  if (update)",
                "    for (int i = 0; i < n; i++)",
                "      forget[i] = forget[i] * change[i] + (REAL)0.1;",
                "  for (int i = 0; i < n; i++)",
                "    state[i % 4] = state[i % 4] * forget[i] + change[i];",
                "  free(gates);",
                "}", "", ""]) + body
        if "hfill" in self.uses:
            body = "\n".join([
                "/* GMM's helpers in ADBench's spelling: a fill through an output",
                " * pointer, a weighted square read through a pointer into scales */",
                "static void rp_hsub(int n, const REAL *x, int i, REAL s, REAL *out) {",
                "  for (int j = 0; j < 3; j++)",
                "    out[j] = x[(i + j) % n] - s * j;",
                "}",
                "static REAL rp_hwsq(const REAL *scale, const REAL *v) {",
                "  REAL s = 0;",
                "  for (int j = 0; j < 3; j++)",
                "    s += scale[j] * v[j] * v[j];",
                "  return s;",
                "}", "", ""]) + body
        array_text, array_header = self.arrays.program() if self.arrays else ("", [])
        drv = "\n".join(self.driver())
        c = "\n".join(head) + "\n" + body + array_text + drv + "\n"
        h = "\n".join([
            "/* rp%d.h: the types of rp%d.c */" % (self.seed, self.seed),
            "#ifndef RP%d_H" % self.seed, "#define RP%d_H" % self.seed,
            "#ifndef REAL", "#define REAL double", "#endif",
            "typedef struct { REAL a; REAL w[3]; } Inner;",
            "typedef struct { Inner in; REAL s; REAL v[4]; int k; } Outer;",
            "/* a struct return: the loss first, then auxiliary outputs */",
            "typedef struct { REAL loss; REAL aux; int count; } Res;"]
            + (["/* a struct whose members point to the data (its gradient points to gradient buffers) */",
                "typedef struct { REAL *w; const REAL *b; int m; REAL g; } PW;"] if self.pw_used else [])
            + array_header + (shared_h if multi else []) + [
            "#endif", ""])
        return c, h, lib


def write_program(seed, outdir=".", size=None, exclude=()):
    """Writes OUTDIR/rpSEED.c, rpSEED.h and maybe rpSEED_lib.c (run.py calls this in-process:
    a Python start per seed costs as much as a vgradcc run)."""
    for f in exclude:
        if f not in FEATURES:
            raise ValueError("unknown feature %s (known: %s)" % (f, ", ".join(FEATURES)))
    size = size or ["small", "small", "medium", "medium", "large"][seed % 5]
    c, h, lib = Gen(seed, size, list(exclude)).program()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "rp%d.c" % seed), "w") as f:
        f.write(c)
    with open(os.path.join(outdir, "rp%d.h" % seed), "w") as f:
        f.write(h)
    lib_path = os.path.join(outdir, "rp%d_lib.c" % seed)
    if lib is not None:
        with open(lib_path, "w") as f:
            f.write(lib)
    elif os.path.exists(lib_path):  # from another version of gen.py
        os.remove(lib_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", "--outdir", default=".")
    ap.add_argument("--size", choices=sorted(SIZES), default=None,
                    help="program size (default: chosen by the seed)")
    ap.add_argument("--exclude", default="", help="comma-separated FEATURES to leave out")
    a = ap.parse_args()
    try:
        write_program(a.seed, a.outdir, a.size, [f for f in a.exclude.split(",") if f])
    except ValueError as e:
        sys.exit("gen.py: %s" % e)


if __name__ == "__main__":
    main()
