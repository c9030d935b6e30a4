"""vgrad.load, value_and_grad and grad."""

import ctypes
import operator
import os
import re

import numpy as np

from . import _build, _cdecl
from . import _marshal as M

_COMMENT = re.compile(r"^/\* (value and gradient|gradient) of (\w+) w\.r\.t\. ([\w, ]+) \*/\n[^\n(]*?(\w+)\s*\(",
                      re.M)


class Variant:
    """One generated function: kind 'value_and_grad' or 'grad', the
    0-based parameters it differentiates, its ctypes function, and the
    expression of its pragma's loss(...) clause (None: the return value)."""

    def __init__(self, kind, cname, selected, proto, cfunc, loss=None):
        self.kind = kind
        self.cname = cname
        self.selected = selected
        self.proto = proto
        self.cfunc = cfunc
        self.loss = loss


def _pragma_clauses(text):
    """'value_and_grad(f) argnums(0) loss(p[0])' -> [('value_and_grad',
    'f'), ('argnums', '0'), ('loss', 'p[0]')] (parentheses balanced)."""
    out, i = [], 0
    while i < len(text):
        m = re.compile(r"\s*(\w+)\s*").match(text, i)
        if not m:
            break
        word, i = m.group(1), m.end()
        arg = None
        if i < len(text) and text[i] == "(":
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            arg, i = text[i + 1:j].strip(), j + 1
        out.append((word, arg))
    return out


def _loss_clauses(pragmas):
    """{generated function name: loss expression} from the file's pragmas."""
    out = {}
    for text in pragmas:
        clauses = _pragma_clauses(text)
        if not clauses or clauses[0][0] not in ("value_and_grad", "grad") or not clauses[0][1]:
            continue
        kind, func = clauses[0]
        d = dict(clauses[1:])
        if d.get("loss"):
            out[d.get("name") or "%s_%s" % (func, kind)] = d["loss"]
    return out


def _loss_value(expr, fun, values):
    """The loss that a loss(E) clause names, read after the call: E is a
    pointer parameter (its first element), *p, p[K], a floating parameter,
    or p->m / p.m of a struct parameter (given as a dict).  None for other
    forms."""
    e = expr.replace(" ", "")
    m = re.fullmatch(r"\*?(\w+)(?:\[(\d+)\])?", e) or re.fullmatch(r"\(\*(\w+)\)()", e)
    if m and m.group(1) in fun.param_names:
        v = values[fun.param_names.index(m.group(1))]
        if isinstance(v, dict):
            return None
        arr = np.asarray(v)
        idx = int(m.group(2) or 0)
        return arr.reshape(-1)[idx] if arr.ndim else arr[()]
    m = re.fullmatch(r"(?:(\w+)(?:->|\.)|\(\*(\w+)\)\.)(\w+)", e)
    if m:
        name = m.group(1) or m.group(2)
        if name in fun.param_names:
            v = values[fun.param_names.index(name)]
            if isinstance(v, dict) and m.group(3) in v:
                return np.asarray(v[m.group(3)])[()]
    return None


class Function:
    """A C function of a loaded file that has at least one generated
    gradient.  Calling it calls the C function itself."""

    def __init__(self, lib, name, params, ret, variants):
        self.lib = lib
        self.__name__ = name
        self.name = name
        self.params = params  # [Param] of the C function, in order
        self.ret = ret  # its return type, or None when only grad is generated
        self.variants = variants
        self.param_names = [p.name for p in params]
        self.entry = None  # the run-time registry entry (vg_lookup), array losses only
        if params and all(M.is_vg_array_ptr(p.ctype) for p in params) and hasattr(lib._cdll, "vg_lookup"):
            lib._cdll.vg_lookup.restype = ctypes.c_void_p
            e = lib._cdll.vg_lookup(name.encode())
            self.entry = e or None

    def __repr__(self):
        return "<vgrad function %s(%s) from %s>" % (
            self.name, ", ".join("%s %s" % (p.ctype.spell(), p.name) for p in self.params), self.lib.path)

    def bind(self, args, kwargs):
        n = len(self.params)
        if len(args) > n:
            raise TypeError("%s takes %d arguments (%s), %d given" % (self.name, n, ", ".join(self.param_names), len(args)))
        values = list(args) + [_MISSING] * (n - len(args))
        for k, v in kwargs.items():
            if k not in self.param_names:
                raise TypeError("%s has no parameter %r (its parameters: %s)" % (self.name, k, ", ".join(self.param_names)))
            i = self.param_names.index(k)
            if values[i] is not _MISSING:
                raise TypeError("%s: parameter %r given twice" % (self.name, k))
            values[i] = v
        missing = [self.param_names[i] for i, v in enumerate(values) if v is _MISSING]
        if missing:
            raise TypeError("%s: missing argument%s %s" % (self.name, "s" if len(missing) > 1 else "", ", ".join(missing)))
        return values

    def __call__(self, *args, **kwargs):
        if self.ret is None:
            raise TypeError("%s has only a grad function generated, so its return type is unknown here; "
                            "add `#pragma vgrad value_and_grad(%s)` to call it" % (self.name, self.name))
        values = self.bind(args, kwargs)
        cfunc = getattr(self.lib._cdll, self.name)
        ctx = M.Ctx(self.lib._cdll)
        try:
            cargs = [M.to_c(p.ctype, v, "%s: %s" % (self.name, p.name), ctx) for p, v in zip(self.params, values)]
            cfunc.restype = _restype(self.ret)
            self.lib._clear_error()
            result = cfunc(*cargs)
            err = self.lib._take_error(self)
            if err is not None:
                if M.is_vg_array_ptr(self.ret):
                    ctx.free.append(result)
                raise err
            return _result(self.ret, result, ctx)
        finally:
            ctx.done()


_MISSING = object()


def _restype(t):
    if t.kind == "void":
        return None
    if M.is_vg_array_ptr(t):
        return ctypes.c_void_p
    return M.ctype_of(t)


def _result(t, result, ctx):
    """A return value as NumPy: a number, an array, or a dict of a struct's
    members."""
    if t.kind == "void":
        return None
    fd = M.floating_dtype(t)
    if fd is not None:
        return fd(result)
    if M.is_vg_array_ptr(t):
        return _array_value(M.from_vg_array(ctx.lib, result))
    if t.kind == "record":
        return M.record_from_c(t.record, result, ctx)
    return result


def _array_value(a):
    """A one-element array loss as a NumPy scalar of its dtype."""
    if a is not None and a.size == 1:
        return a.reshape(())[()]
    return a


class Library:
    """The functions of one loaded C file that have a generated gradient,
    as attributes (lib.mse) or by name (lib["mse"])."""

    def __init__(self, path, so, preprocessed, header, pragmas=()):
        self.path = path
        self.so_path = so
        self._cdll = ctypes.CDLL(so)
        cd = self._cdll
        if hasattr(cd, "vg_free"):  # array code linked (a scalar file may have none)
            self._array_api(cd)
        # The array runtime's errors (shapes that do not broadcast, ...)
        # become exceptions: a handler that returns makes the failing
        # operation return NULL (vgrad.h, Errors), and _take_error reads
        # the message after the call.
        self._error_handler = None
        try:
            set_handler = cd.vg_set_error_handler
        except AttributeError:
            set_handler = None  # no array code linked
        if set_handler is not None:
            handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)
            self._error_handler = handler_type(lambda message, user: None)
            set_handler.argtypes = [handler_type, ctypes.c_void_p]
            set_handler(self._error_handler, None)
            cd.vg_first_error.restype = ctypes.c_char_p
        unit = _cdecl.Unit(preprocessed)
        losses = _loss_clauses(pragmas)
        by_primal = {}
        for m in _COMMENT.finditer(header):
            kind = "grad" if m.group(1) == "gradient" else "value_and_grad"
            primal, names, cname = m.group(2), [s.strip() for s in m.group(3).split(",")], m.group(4)
            proto = unit.functions.get(cname)
            if proto is None:
                raise _build.CompileError("vgrad: cannot read the prototype of %s in the generated header" % cname)
            by_primal.setdefault(primal, []).append((kind, cname, names, proto))
        self._functions = {}
        for primal, found in by_primal.items():
            variants = []
            params = ret = None
            for kind, cname, names, proto in found:
                k = len(names)
                orig = proto.params[: len(proto.params) - k]
                selected = _match_selected(orig, names)
                # Parameters under the names the user wrote (the generated
                # prototype renames some that clash with library names).
                orig = [_cdecl.Param(names[selected.index(i)] if i in selected else p.name, p.ctype)
                        for i, p in enumerate(orig)]
                if params is None or (kind == "value_and_grad" and ret is None):
                    params = orig
                if kind == "value_and_grad":
                    ret = proto.ret
                cfunc = getattr(self._cdll, cname)
                cfunc.restype = _restype(proto.ret)
                variants.append(Variant(kind, cname, selected, proto, cfunc, losses.get(cname)))
            self._functions[primal] = Function(self, primal, params, ret, variants)

    @staticmethod
    def _array_api(cd):
        cd.vg_free.argtypes = [ctypes.c_void_p]
        cd.vg_free.restype = None
        cd.vg_ndim.argtypes = [ctypes.c_void_p]
        cd.vg_shape.argtypes = [ctypes.c_void_p]
        cd.vg_shape.restype = ctypes.POINTER(ctypes.c_int)
        cd.vg_dtype_of.argtypes = [ctypes.c_void_p]
        cd.vg_data_f64.argtypes = [ctypes.c_void_p]
        cd.vg_data_f64.restype = ctypes.POINTER(ctypes.c_double)
        cd.vg_data_f32.argtypes = [ctypes.c_void_p]
        cd.vg_data_f32.restype = ctypes.POINTER(ctypes.c_float)
        for f in (cd.vg_from_f64, cd.vg_from_f32):
            f.restype = ctypes.c_void_p
            f.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]

    def _clear_error(self):
        if self._error_handler is not None:
            self._cdll.vg_clear_error()

    def _take_error(self, fun):
        """The first error the array runtime reported during a call, as an
        exception to raise (None if there was none)."""
        if self._error_handler is not None:
            message = self._cdll.vg_first_error()
            if message:
                self._cdll.vg_clear_error()
                return RuntimeError("%s: vgrad runtime: %s" % (fun.name, message.decode(errors="replace")))
        return None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._functions[name]
        except KeyError:
            raise AttributeError(
                "%s has no function %r with a generated gradient (those it has: %s); mark it with "
                "`#pragma vgrad value_and_grad(%s)`" % (self.path, name, ", ".join(sorted(self._functions)) or "none", name)
            ) from None

    def __getitem__(self, name):
        return self.__getattr__(name)

    def __dir__(self):
        return list(self._functions) + ["path", "so_path"]

    def functions(self):
        return dict(self._functions)


def _match_selected(orig, names):
    """Indices of the selected parameters (names as in the source; the
    generated prototype may have added a suffix _N to one)."""
    out, j = [], 0
    for n in names:
        while j < len(orig) and not (orig[j].name == n or re.fullmatch(re.escape(n) + r"_\d+", orig[j].name or "")):
            j += 1
        if j == len(orig):
            raise _build.CompileError("vgrad: cannot find parameter %s in the generated prototype" % n)
        out.append(j)
        j += 1
    return out


_loaded = {}


def load(path, flags=()):
    """Differentiates the C file at `path` with vgradcc and builds it into a
    shared library (once: cached by a hash of the file, the headers it
    includes, the flags, vgradcc and the runtime); returns its functions
    that have a generated gradient.  flags: -I, -D, -std=... for both
    vgradcc and the C compiler."""
    path = os.fspath(path)
    if isinstance(flags, str):
        raise TypeError("flags is a list of strings, e.g. ['-DREAL=float']")
    so, pre, header, pragmas = _build.build(path, flags)
    lib = _loaded.get(so)
    if lib is None:
        lib = _loaded[so] = Library(os.path.abspath(path), so, pre, header, pragmas)
    return lib


# ------------------------------------------------------ value_and_grad, grad


def _normalize(fun, argnums, argnames):
    if not isinstance(fun, Function):
        raise TypeError("vgrad.value_and_grad and vgrad.grad take a function of a library from vgrad.load, not %r"
                        % (fun,))
    n = len(fun.params)
    if isinstance(argnames, str):
        argnames = (argnames,)
    argnames = tuple(argnames)
    if argnums is None:
        argnums = () if argnames else 0
    single = not isinstance(argnums, (tuple, list))
    nums = (argnums,) if single else tuple(argnums)
    norm = []
    for a in nums:
        try:
            a = operator.index(a)
        except TypeError:
            raise TypeError("argnums must be an int or a sequence of ints, got %r" % (a,)) from None
        if not -n <= a < n:
            raise ValueError("argnums entry %d is out of range: %s has %d parameters (%s)"
                             % (a, fun.name, n, ", ".join(fun.param_names)))
        norm.append(a % n)
    if len(set(norm)) != len(norm):
        raise ValueError("argnums %r names a parameter twice" % (argnums,))
    names_idx = []
    for name in argnames:
        if name not in fun.param_names:
            raise ValueError("argnames: %s has no parameter %r (its parameters: %s)"
                             % (fun.name, name, ", ".join(fun.param_names)))
        names_idx.append(fun.param_names.index(name))
    for i in set(norm) | set(names_idx):
        p = fun.params[i]
        if "_Complex" in p.ctype.spell():
            raise M.Unsupported("%s: parameter %d, %s (%s): complex parameters are not supported by the Python "
                                "binding yet (ctypes has no complex type); call the generated C function from C"
                                % (fun.name, i, p.name, p.ctype.spell()))
        if not M.has_floating(p.ctype):
            raise ValueError("%s: parameter %d, %s (%s), has no floating content: there is nothing to differentiate"
                             % (fun.name, i, p.name, p.ctype.spell()))
    return single, norm, argnames, names_idx


def _pick_variant(fun, wanted, need_value):
    """The generated function that differentiates every wanted parameter,
    differentiating the fewest others."""
    ok = [v for v in fun.variants if set(wanted) <= set(v.selected) and (v.kind == "value_and_grad" or not need_value)]
    if ok:
        return min(ok, key=lambda v: (len(v.selected), v.kind != "grad"))
    have = "; ".join("%s argnums(%s)" % (v.kind, ", ".join(map(str, v.selected))) for v in fun.variants)
    kind = "value_and_grad" if need_value else "grad"
    raise ValueError(
        "%s has no generated %s w.r.t. %s (generated: %s); add `#pragma vgrad %s(%s) argnums(%s)` to %s"
        % (fun.name, "value and gradient" if need_value else "gradient",
           ", ".join(fun.param_names[i] for i in wanted), have, kind, fun.name,
           ", ".join(map(str, sorted(set(wanted)))), os.path.basename(fun.lib.path)))


def _call(fun, single, nums, argnames, names_idx, has_aux, need_value, args, kwargs):
    values = fun.bind(args, kwargs)
    wanted = list(dict.fromkeys(nums + names_idx))
    if fun.entry is not None:
        value, aux, grads = _call_registry(fun, values, wanted)
    else:
        value, aux, grads = _call_generated(fun, values, wanted, need_value, has_aux)
    pos = [grads[wanted.index(i)] for i in nums]
    positional = pos[0] if single else tuple(pos)
    if argnames:
        g = (() if (not nums and not single) else positional,
             {name: grads[wanted.index(i)] for name, i in zip(argnames, names_idx)})
    else:
        g = positional
    return value, aux, g


def _check_aux(fun, ret, has_aux, naux=None):
    is_record = ret is not None and ret.kind == "record"
    if has_aux and not is_record and not naux:
        raise ValueError("has_aux=True, but %s returns %s, not a struct whose first member is the loss"
                         % (fun.name, ret.spell() if ret is not None else "nothing known"))
    if not has_aux and (is_record or naux):
        raise ValueError("%s returns a struct (the loss and auxiliary outputs): pass has_aux=True" % fun.name)


def _call_generated(fun, values, wanted, need_value, has_aux):
    v = _pick_variant(fun, wanted, need_value)
    ret = v.proto.ret if v.kind == "value_and_grad" else fun.ret
    loss_clause = v.loss if v.kind == "value_and_grad" else None
    if loss_clause is not None:
        if has_aux and ret.kind == "void":
            raise ValueError("has_aux=True, but %s returns void (its loss is loss(%s))" % (fun.name, loss_clause))
    elif v.kind == "value_and_grad" or has_aux:
        _check_aux(fun, ret, has_aux)
    ctx = M.Ctx(fun.lib._cdll)
    try:
        cargs = [M.to_c(p.ctype, x, "%s: %s" % (fun.name, p.name), ctx) for p, x in zip(fun.params, values)]
        bufs = [M.grad_buffer(fun.params[i].ctype, values[i], fun.params[i].name, ctx) for i in v.selected]
        fun.lib._clear_error()
        result = v.cfunc(*(cargs + [b.arg for b in bufs]))
        err = fun.lib._take_error(fun)
        if err is not None:
            for b in bufs:
                b.discard()
            if M.is_vg_array_ptr(ret):
                ctx.free.append(result)
            raise err
        value = aux = None
        if loss_clause is not None:
            aux = _result(ret, result, ctx)  # the return value, if any: auxiliary
        elif v.kind == "value_and_grad":
            if ret.kind == "record":
                rec = ret.record
                first = rec.members[0]
                value = _result(first[1], getattr(result, first[0]), ctx)
                aux = M.record_from_c(rec, result, ctx, skip_first=True)
            else:
                value = _result(ret, result, ctx)
        grads = [bufs[v.selected.index(i)].read() for i in wanted]
    finally:
        ctx.done()
    if loss_clause is not None:
        # loss(E): the loss is E after the call (the arrays and dicts hold
        # what the function wrote); what it returns is the auxiliary output
        value = _loss_value(loss_clause, fun, values)
        if value is None:
            raise ValueError("%s: its loss is loss(%s), which vgrad reads only as p, *p, p[K], or p->m of a "
                             "struct parameter" % (fun.name, loss_clause))
    return value, aux, grads


def _call_registry(fun, values, wanted):
    """Array losses: the run-time entry point, with argnums chosen here."""
    cd = fun.lib._cdll
    cd.vg_function_naux.argtypes = [ctypes.c_void_p]
    naux = cd.vg_function_naux(fun.entry)
    ctx = M.Ctx(cd)
    try:
        n = len(values)
        arrs = (ctypes.c_void_p * n)(*[M.to_vg_array(x, "%s: %s" % (fun.name, p.name), ctx)
                                       for p, x in zip(fun.params, values)])
        nums = (ctypes.c_int * max(len(wanted), 1))(*wanted)
        value = ctypes.c_void_p()
        aux = (ctypes.c_void_p * max(naux, 1))()
        grads = (ctypes.c_void_p * max(len(wanted), 1))()
        cd.vg_call_value_and_grad.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                                              ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        fun.lib._clear_error()
        rc = cd.vg_call_value_and_grad(fun.entry, arrs, n, nums, len(wanted), ctypes.byref(value),
                                       aux if naux else None, grads)
        err = fun.lib._take_error(fun)
        if err is not None or rc != 0:
            for a in [value.value] + list(aux[:naux]) + list(grads[:len(wanted)]):
                if a:
                    cd.vg_free(a)
        if err is not None:
            raise err
        if rc != 0:
            raise RuntimeError("vg_call_value_and_grad failed for %s (its message is on stderr)" % fun.name)
        out_value = _array_value(M.from_vg_array(cd, value.value))
        out_aux = None
        if naux:
            names = []
            if fun.ret is not None and fun.ret.kind == "record":
                names = [m for m, _ in fun.ret.record.members[1:]]
            out_aux = {names[i] if i < len(names) else "aux%d" % i: _array_value(M.from_vg_array(cd, aux[i]))
                       for i in range(naux)}
        out_grads = [M.from_vg_array(cd, grads[i]) for i in range(len(wanted))]
    finally:
        ctx.done()
    return out_value, out_aux, out_grads


def value_and_grad(fun, argnums=None, argnames=(), has_aux=False):
    """As mlx.core.value_and_grad / jax.value_and_grad: returns a function
    that takes fun's arguments and returns (value, grads), or
    ((value, aux), grads) with has_aux.  argnums: an int (grads is one
    gradient) or a sequence (a tuple, in the order given); default 0.
    argnames: parameter names; then grads is (positional, {name: grad}).
    Gradients are fresh arrays of each argument's shape and dtype."""
    single, nums, names, names_idx = _normalize(fun, argnums, argnames)

    def wrapped(*args, **kwargs):
        value, aux, g = _call(fun, single, nums, names, names_idx, has_aux, True, args, kwargs)
        if fun.entry is not None:
            _check_aux(fun, fun.ret, has_aux, naux=aux is not None)
        return ((value, aux), g) if has_aux else (value, g)

    wrapped.__name__ = "value_and_grad_" + fun.name
    return wrapped


def grad(fun, argnums=None, argnames=(), has_aux=False):
    """As value_and_grad without the value: returns grads, or (grads, aux)
    with has_aux (as JAX)."""
    single, nums, names, names_idx = _normalize(fun, argnums, argnames)

    def wrapped(*args, **kwargs):
        value, aux, g = _call(fun, single, nums, names, names_idx, has_aux, has_aux, args, kwargs)
        if fun.entry is not None:
            _check_aux(fun, fun.ret, has_aux, naux=aux is not None)
        return (g, aux) if has_aux else g

    wrapped.__name__ = "grad_" + fun.name
    return wrapped
