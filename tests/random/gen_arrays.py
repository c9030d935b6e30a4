"""gen_arrays.py: the random losses written with libvgrad's vg_array
operations (README "Losses written with arrays"), for gen.py's "arrays"
feature.  Its own random stream, so programs without arrays stay as they
were.

Each function takes w (N,), X (M, N), y (M,) and maybe a REAL s, and
follows vgrad.h's ownership rule exactly, as a careful user would:
parameters and vg_keep'd locals are owned, used any number of times and
freed before the return; every other operation result is a temporary
passed to exactly one operation; constants come from vg_scalar into owned
locals.  The constructs drawn:

  - elementwise vg_add vg_sub vg_mul vg_div vg_maximum vg_neg vg_square
    vg_sqrt vg_exp vg_log vg_abs vg_tanh vg_sin vg_cos, with broadcasting
    of (N,) and () against (M, N);
  - vg_matmul, vg_transpose, vg_reshape, vg_sum, vg_mean, vg_sum_axis,
    vg_mean_axis;
  - vg_keep'd locals, vg_item of a kept 0-d array in double expressions and
    vg_scalar of a double that depends on it and on s;
  - a loop that replaces an array (h = vg_tanh(vg_add(h, ...)));
  - helpers of the file taking and returning arrays;
  - an operation as the operand of a cast;
  - a struct return (loss, aux array, a number), built by an initializer,
    a compound literal or stores into the members;
  - value_and_grad or grad, argnums, argnames, argnums(all), name().

Values stay bounded (tanh, 1 + x^2 under log, sqrt and division).  The
driver checks value and every gradient entry with rp_check.h and that no
array is left alive."""

import re

SHAPES = ("m", "v", "r", "s")  # (M, N), (N,), (M,), ()


class ArrayProgram:
    def __init__(self, rng, seed):
        self.r = rng
        self.seed = seed
        self.M = rng.choice([2, 3, 4])
        self.N = rng.choice([2, 3])
        self.helpers = []  # (name, text)
        self.fns = []      # dicts: name, text, has_s, ret, selected, transform, gname
        self.uses_ares = False
        self.count = 0

    def inputs(self, n):
        # multiples of 1/256 in [-1, 1]: the same numbers in float and double
        return ", ".join("%d / 256.0" % self.r.randint(-256, 256) for _ in range(n))

    def fresh(self, base):
        self.count += 1
        return "%s%d" % (base, self.count)

    # ------------------------------------------------------ expressions
    def leaf(self, shape, owned):
        cands = [n for n, s in owned if s == shape]
        return self.r.choice(cands) if cands else None

    def arr(self, shape, owned, depth):
        """A temporary of `shape`, from the owned arrays `owned` ((name,
        shape) pairs, each usable any number of times)."""
        r = self.r
        lf = self.leaf(shape, owned)
        if depth <= 0 or (lf and r.random() < 0.2):
            # an owned leaf is not a temporary: an operation makes one
            if lf:
                return r.choice(["vg_tanh(%s)", "vg_sin(%s)", "vg_neg(%s)", "vg_mul(%s, half)"]) % lf
            if shape == "s":
                return "vg_%s(vg_tanh(%s))" % (r.choice(["sum", "mean"]), self.leaf(r.choice("mvr"), owned))
        d = depth - 1
        k = r.random()
        if k < 0.3:
            e = self.arr(shape, owned, d)
            forms = ["vg_tanh(%s)", "vg_sin(%s)", "vg_cos(%s)", "vg_neg(%s)", "vg_exp(vg_tanh(%s))",
                     "vg_log(vg_add(one, vg_square(%s)))", "vg_sqrt(vg_add(one, vg_square(%s)))",
                     "vg_square(vg_tanh(%s))", "vg_abs(%s)"]
            return r.choice(forms) % e
        if k < 0.6:
            a = self.arr(shape, owned, d)
            other = {"m": ["m", "m", "v", "s"], "v": ["v", "v", "s"], "r": ["r", "r", "s"], "s": ["s"]}[shape]
            b = self.arr(r.choice(other), owned, d)
            if r.random() < 0.5:
                a, b = b, a  # broadcasting is symmetric
            op = r.choice(["vg_add", "vg_sub", "vg_mul", "vg_mul", "div", "vg_maximum"])
            if op == "div":
                return "vg_div(%s, vg_add(one, vg_square(%s)))" % (a, b)
            return "%s(%s, %s)" % (op, a, b)
        # shape-changing operations
        if shape == "s":
            src = self.arr(r.choice(["m", "v", "r"]), owned, d)
            return "%s(%s)" % (r.choice(["vg_sum", "vg_mean"]), src)
        if shape == "r":
            if r.random() < 0.5:
                return "vg_matmul(%s, %s)" % (self.arr("m", owned, d), self.arr("v", owned, d))
            return "%s(%s, 1)" % (r.choice(["vg_sum_axis", "vg_mean_axis"]), self.arr("m", owned, d))
        if shape == "v":
            if r.random() < 0.5:
                return "vg_matmul(vg_transpose(%s), %s)" % (self.arr("m", owned, d), self.arr("r", owned, d))
            return "%s(%s, 0)" % (r.choice(["vg_sum_axis", "vg_mean_axis"]), self.arr("m", owned, d))
        # m
        if r.random() < 0.5:
            return "vg_reshape(vg_reshape(%s, 1, flat_shape), 2, mat_shape)" % self.arr("m", owned, d)
        return "vg_transpose(vg_transpose(%s))" % self.arr("m", owned, d)

    # ------------------------------------------------------- functions
    def helper(self):
        """A helper of the file: takes two owned arrays of one shape (or a
        matrix and a vector) and returns a temporary."""
        r = self.r
        name = "ah%d" % len(self.helpers)
        kind = r.choice(["vv", "mv"])
        if kind == "vv":
            sig = "static vg_array *%s(vg_array *a, vg_array *b)" % name
            body = r.choice(["  return vg_tanh(vg_add(vg_mul(a, b), a));",
                             "  vg_array *t = vg_keep(vg_sub(a, b));\n  vg_array *u = vg_mul(t, vg_tanh(t));\n"
                             "  vg_free(t);\n  return u;"])
        else:
            sig = "static vg_array *%s(vg_array *a, vg_array *b)" % name
            body = r.choice(["  return vg_tanh(vg_matmul(a, b));",
                             "  return vg_sin(vg_sum_axis(vg_mul(a, b), 1));"])
        self.helpers.append((name, kind, "%s {\n%s\n}\n" % (sig, body)))
        return name, kind

    def function(self, k):
        r = self.r
        name = "ra%d" % k
        has_s = r.random() < 0.6
        params = [("w", "v"), ("X", "m"), ("y", "r")]
        r.shuffle(params)
        plist = [("vg_array *%s" % n, n) for n, _ in params]
        if has_s:
            plist.insert(r.randint(0, len(plist)), ("REAL s", "s"))
        owned = list(params)
        frees = []
        body = ["  vg_array *one = vg_scalar(1.0), *half = vg_scalar(0.5);"]
        frees += ["one", "half"]
        body.append("  int flat_shape[1] = {%d}, mat_shape[2] = {%d, %d};" % (self.M * self.N, self.M, self.N))
        doubles = []
        for _ in range(r.randint(2, 5)):
            k2 = r.random()
            if k2 < 0.4:
                t = self.fresh("t")
                shape = r.choice(SHAPES)
                e = self.arr(shape, owned, r.randint(1, 3))
                if r.random() < 0.2:
                    body.append("  vg_array *%s = vg_keep((vg_array *)%s);" % (t, e))
                else:
                    body.append("  vg_array *%s = vg_keep(%s);" % (t, e))
                owned.append((t, shape))
                frees.append(t)
            elif k2 < 0.55:
                # a number read off a kept 0-d array, and an array of a number
                src = self.leaf("s", owned)
                if not src:
                    src = self.fresh("t")
                    body.append("  vg_array *%s = vg_keep(%s);" % (src, self.arr("s", owned, 2)))
                    owned.append((src, "s"))
                    frees.append(src)
                c = self.fresh("c")
                sv = " + 0.3 * s" if has_s else ""
                body.append("  double %s = tanh(vg_item(%s))%s;" % (c, src, sv))
                doubles.append(c)
                kk = self.fresh("k")
                body.append("  vg_array *%s = vg_scalar(%s * %s + 0.25);" % (kk, c, c))
                owned.append((kk, "s"))
                frees.append(kk)
            elif k2 < 0.7:
                h = self.fresh("h")
                shape = r.choice(["m", "v", "r"])
                body.append("  vg_array *%s = %s;" % (h, self.arr(shape, owned, 1)))
                steps = r.randint(1, 3)
                body.append("  for (int i = 0; i < %d; i++)" % steps)
                body.append("    %s = vg_tanh(vg_add(%s, %s));" % (h, h, self.arr(r.choice(
                    {"m": ["m", "v", "s"], "v": ["v", "s"], "r": ["r", "s"]}[shape]), owned, 1)))
                body.append("  %s = vg_keep(%s);" % (h, h))
                owned.append((h, shape))
                frees.append(h)
            elif k2 < 0.85:
                hn, kind = self.helper() if (not self.helpers or r.random() < 0.5) else r.choice(
                    [(n, kd) for n, kd, _ in self.helpers])
                t = self.fresh("t")
                if kind == "vv":
                    shape = r.choice(["m", "v", "r"])
                    a, b = self.leaf(shape, owned), self.leaf(shape, owned)
                    body.append("  vg_array *%s = vg_keep(%s(%s, %s));" % (t, hn, a, b))
                else:
                    body.append("  vg_array *%s = vg_keep(%s(%s, %s));" % (t, hn, self.leaf("m", owned),
                                                                        self.leaf("v", owned)))
                    shape = "r"
                owned.append((t, shape))
                frees.append(t)
            else:
                t = self.fresh("t")
                body.append("  vg_array *%s = vg_keep(%s);" % (t, self.arr("m", owned, 2)))
                owned.append((t, "m"))
                frees.append(t)
        # the loss: a 0-d temporary of everything kept, plus s
        parts = [self.arr("s", owned, 2)]
        for t, shape in owned[3:]:
            if r.random() < 0.6:
                parts.append(("vg_mean(vg_square(%s))" if shape != "s" else "vg_square(%s)") % t)
        # every array parameter is read (an unused one is a warning)
        for n, _ in params:
            if not re.search(r"\b%s\b" % n, "\n".join(body + parts)):
                parts.append("vg_mean(vg_tanh(%s))" % n)
        loss = parts[0]
        for p in parts[1:]:
            loss = "vg_add(%s, vg_mul(half, %s))" % (loss, p)
        if has_s:
            ks = self.fresh("ks")
            body.append("  vg_array *%s = vg_scalar(s * s);" % ks)
            frees.append(ks)
            loss = "vg_add(%s, vg_mul(%s, %s))" % (loss, ks, self.leaf("s", owned) or "half")
        ret = r.choice(["arr", "arr", "res"])
        if ret == "res":
            self.uses_ares = True
            aux = self.arr(r.choice(["v", "r"]), owned, 1)
            num = " + ".join(doubles) if doubles else "%d.0" % self.M
            form = r.choice(["init", "compound", "members"])
            if form == "init":
                body.append("  ARes res = {%s, %s, %s};" % (loss, aux, num))
            elif form == "compound":
                body.append("  ARes res;")
                body.append("  res = (ARes){%s, %s, %s};" % (loss, aux, num))
            else:
                body.append("  ARes res;")
                body.append("  res.aux = vg_keep(%s);" % aux)
                body.append("  res.count = %s;" % num)
                body.append("  res.loss = vg_add(%s, vg_mul(half, vg_mean(res.aux)));" % loss)
        else:
            body.append("  vg_array *res = %s;" % loss)
        body += ["  vg_free(%s);" % f for f in frees]
        body.append("  return res;")
        if "flat_shape" not in "\n".join(body[2:]):
            body.pop(1)
        rtype = "ARes" if ret == "res" else "vg_array *"
        text = "%s%s(%s) {\n%s\n}\n" % (rtype if rtype.endswith("*") else rtype + " ", name,
                                        ", ".join(p for p, _ in plist), "\n".join(body))
        # the pragma
        names = [n for _, n in plist]
        pick = [n for n in names if r.random() < 0.6] or [r.choice(names)]
        style = r.choice(["argnums", "argnames", "all"])
        if style == "all":
            clause, sel = "argnums(all)", names
        elif style == "argnames":
            clause, sel = "argnames(%s)" % ", ".join(pick), [n for n in names if n in pick]
        else:
            nums = [names.index(n) for n in pick]
            r.shuffle(nums)
            clause, sel = "argnums(%s)" % ", ".join(map(str, nums)), [n for n in names if n in pick]
        transform = "grad" if r.random() < 0.25 else "value_and_grad"
        gname = "%s_%s" % (name, transform)
        if r.random() < 0.25:
            gname = "%s_custom" % name
            clause += " name(%s)" % gname
        text += "#pragma vgrad %s(%s) %s\n" % (transform, name, clause)
        self.fns.append({"name": name, "params": names, "has_s": has_s, "ret": ret, "sel": sel,
                         "transform": transform, "gname": gname})
        return text

    def program(self):
        """(text of the functions, lines for rpSEED.h)"""
        fns = [self.function(k) for k in range(self.r.randint(1, 2))]
        text = "\n".join(t for _, _, t in self.helpers) + "\n" + "\n".join(fns)
        header = ["#include <vgrad.h>"]
        if self.uses_ares:
            header.append("/* an array loss with auxiliary outputs */")
            header.append("typedef struct { vg_array *loss; vg_array *aux; double count; } ARes;")
        return text, header

    # ---------------------------------------------------------- driver
    def driver(self, main):
        M, N = self.M, self.N
        d = ["/* arrays of REAL masters: float32 arrays in the float build */",
             "static inline vg_array *rpa_array(REAL *data, int ndim, const int *shape) {",
             "#ifdef RP_FLOAT", "  return vg_from_f32(data, ndim, shape);", "#else",
             "  return vg_from_f64(data, ndim, shape);", "#endif", "}",
             "static inline double rpa_get(vg_array *a, int i) {",
             "  return vg_dtype_of(a) == VG_F64 ? vg_data_f64(a)[i] : (double)vg_data_f32(a)[i];", "}",
             "static const int rpa_shape_w[1] = {%d}, rpa_shape_X[2] = {%d, %d}, rpa_shape_y[1] = {%d};" % (
                 N, M, N, M), ""]
        sizes = {"w": N, "X": M * N, "y": M}
        for fn in self.fns:
            nm = fn["name"]
            for p in fn["params"]:
                if p == "s":
                    d.append("static REAL %s_s = %s;" % (nm, self.inputs(1)))
                else:
                    d.append("static REAL %s_%s[%d] = {%s};" % (nm, p, sizes[p], self.inputs(sizes[p])))
            make = ["  vg_array *w = rpa_array(%s_w, 1, rpa_shape_w), *X = rpa_array(%s_X, 2, rpa_shape_X), "
                    "*y = rpa_array(%s_y, 1, rpa_shape_y);" % (nm, nm, nm)]
            frees = ["  vg_free(w);", "  vg_free(X);", "  vg_free(y);"]
            args = ", ".join("%s_s" % nm if p == "s" else p for p in fn["params"])
            d.append("static double %s_loss(void) {" % nm)
            d += make
            if fn["ret"] == "res":
                d += ["  ARes o = %s(%s);" % (nm, args), "  double l = vg_item(o.loss);",
                      "  vg_free(o.loss);", "  vg_free(o.aux);"]
            else:
                d += ["  vg_array *o = %s(%s);" % (nm, args), "  double l = vg_item(o);", "  vg_free(o);"]
            d += frees + ["  return l;", "}", ""]
            # main's block
            b = ["  {", '    rp_function("%s");' % nm]
            b += ["  " + l for l in make]
            b.append("    long live = vg_live_arrays();")
            outs = []
            for p in fn["sel"]:
                if p == "s":
                    b.append("    REAL d_s = 0;")
                    outs.append("&d_s")
                else:
                    b.append("    vg_array *d_%s = NULL;" % p)
                    outs.append("&d_%s" % p)
            call = "%s(%s, %s)" % (fn["gname"], args, ", ".join(outs))
            if fn["transform"] == "grad":
                b.append("    %s;" % call)
            elif fn["ret"] == "res":
                b += ["    ARes got = %s;" % call,
                      "    ARes want = %s(%s);" % (nm, args),
                      '    rp_value("value", vg_item(got.loss), vg_item(want.loss));',
                      '    rp_value("count", got.count, want.count);']
                b.append('    rp_value("aux[0]", rpa_get(got.aux, 0), rpa_get(want.aux, 0));')
                b += ["    vg_free(got.loss);", "    vg_free(got.aux);", "    vg_free(want.loss);",
                      "    vg_free(want.aux);"]
            else:
                b += ["    vg_array *got = %s;" % call,
                      '    rp_value("value", vg_item(got), %s_loss());' % nm, "    vg_free(got);"]
            for p in fn["sel"]:
                if p == "s":
                    b.append('    rp_grad("s", &%s_s, d_s, %s_loss);' % (nm, nm))
                else:
                    b.append("    for (int i = 0; i < %d; i++) {" % sizes[p])
                    b.append("      char what[16];")
                    b.append('      snprintf(what, sizeof what, "%s[%%d]", i);' % p)
                    b.append("      rp_grad(what, &%s_%s[i], rpa_get(d_%s, i), %s_loss);" % (nm, p, p, nm))
                    b.append("    }")
                    b.append("    vg_free(d_%s);" % p)
            b.append('    rp_value("arrays left alive", (double)(vg_live_arrays() - live), 0.0);')
            b += ["  " + l for l in frees]
            b.append("  }")
            main += b
        return d
