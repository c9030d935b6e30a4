"""Between NumPy and C: ctypes types for the C types of the generated
functions, arguments converted to them, and gradient buffers (zeroed: the
generated code adds to them) read back as fresh NumPy arrays."""

import ctypes
import operator

import numpy as np

_BASE = {
    "double": ctypes.c_double, "float": ctypes.c_float, "long double": ctypes.c_longdouble,
    "char": ctypes.c_byte, "signed char": ctypes.c_byte, "unsigned char": ctypes.c_ubyte,
    "short": ctypes.c_short, "unsigned short": ctypes.c_ushort, "int": ctypes.c_int,
    "unsigned int": ctypes.c_uint, "long": ctypes.c_long, "unsigned long": ctypes.c_ulong,
    "long long": ctypes.c_longlong, "unsigned long long": ctypes.c_ulonglong, "_Bool": ctypes.c_bool,
}
_FLOATING = {"double": np.float64, "float": np.float32}


class Unsupported(TypeError):
    pass


def is_vg_array_ptr(t):
    return t.kind == "ptr" and t.target.kind == "record" and t.target.record.tag == "vg_array"


def floating_dtype(t):
    """The NumPy dtype of a floating base type, else None."""
    if t.kind == "base" and t.name in _FLOATING:
        return _FLOATING[t.name]
    return None


def has_floating(t, seen=None):
    """Whether a parameter of type t has something to differentiate."""
    seen = seen or set()
    if floating_dtype(t) is not None or is_vg_array_ptr(t):
        return True
    if t.kind in ("ptr", "array"):
        return has_floating(t.target, seen)
    if t.kind == "record" and t.record.members and id(t.record) not in seen:
        seen.add(id(t.record))
        return any(has_floating(m, seen) for _, m in t.record.members)
    return False


_records = {}


def ctype_of(t):
    if t.kind == "base":
        if t.name not in _BASE:
            raise Unsupported("C type %s" % t.name)
        return _BASE[t.name]
    if t.kind == "void":
        return None
    if t.kind == "ptr":
        tgt = t.target
        if tgt.kind in ("void", "func") or (tgt.kind == "record" and tgt.record.members is None):
            return ctypes.c_void_p
        return ctypes.POINTER(ctype_of(tgt))
    if t.kind == "array":
        if t.length is None:
            raise Unsupported("array of unknown length %s" % t.spell())
        return ctype_of(t.target) * t.length
    if t.kind == "record":
        return record_class(t.record)
    raise Unsupported("C type %s" % t.spell())


def record_class(rec):
    cls = _records.get(id(rec))
    if cls is not None:
        return cls[0]
    if rec.members is None:
        raise Unsupported("%s %s is only declared, not defined" % (rec.keyword, rec.tag))
    base = ctypes.Union if rec.keyword == "union" else ctypes.Structure
    cls = type(str(rec.tag or "anonymous"), (base,), {})
    _records[id(rec)] = (cls, rec)  # before the fields: a member may point back
    fields, anon = [], []
    for i, (name, mt) in enumerate(rec.members):
        if name is None:
            name = "_anon%d" % i
            anon.append(name)
        fields.append((name, ctype_of(mt)))
    if anon:
        cls._anonymous_ = anon
    cls._fields_ = fields
    return cls


def _array_shape(t):
    """Element dtype and shape of a (nested) fixed array of floating type."""
    shape = []
    while t.kind == "array":
        shape.append(t.length)
        t = t.target
    return floating_dtype(t), tuple(shape), t


class Ctx:
    """One call: what must stay alive, what to write back, what to free."""

    def __init__(self, lib):
        self.lib = lib
        self.keep = []
        self.after = []
        self.free = []

    def done(self):
        for f in self.after:
            f()
        for a in self.free:
            self.lib.vg_free(a)
        self.free = []


def as_array(value, dtype, what):
    """A C-contiguous NumPy array of dtype for `value` (lists are converted,
    arrays of another floating dtype refused), and whether it is a copy."""
    if isinstance(value, np.ndarray):
        if value.dtype != dtype:
            raise TypeError("%s: expected a %s array, got %s (convert it with .astype(np.%s))"
                            % (what, np.dtype(dtype).name, value.dtype, np.dtype(dtype).name))
        if value.flags.c_contiguous:
            return value, False
        return np.ascontiguousarray(value), True
    arr = np.asarray(value, dtype=dtype)
    return np.ascontiguousarray(arr), True


# ---------------------------------------------------------------- arguments


def to_c(t, value, what, ctx):
    """The ctypes value passed for a parameter of C type t."""
    fd = floating_dtype(t)
    if fd is not None:
        return ctype_of(t)(float(value))
    if t.kind == "base":
        try:
            return ctype_of(t)(operator.index(value))
        except TypeError:
            raise TypeError("%s: expected an integer for %s, got %r" % (what, t.spell(), value)) from None
    if is_vg_array_ptr(t):
        return ctypes.c_void_p(to_vg_array(value, what, ctx))
    if t.kind == "ptr":
        if value is None:
            return ctype_of(t)()
        return _pointer_arg(t, value, what, ctx)
    if t.kind == "record":
        return record_to_c(t.record, value, what, ctx)
    if isinstance(value, ctypes._SimpleCData) or isinstance(value, ctypes._Pointer):
        return value
    raise Unsupported("%s: parameters of type %s are not supported by the Python binding" % (what, t.spell()))


def _pointer_arg(t, value, what, ctx):
    tgt = t.target
    elem_dtype, shape, elem = _array_shape(tgt)
    if elem_dtype is not None:
        # double *x, or double (*x)[N] (a parameter double x[M][N])
        arr, copied = as_array(value, elem_dtype, what)
        inner = int(np.prod(shape)) if shape else 1
        if shape and arr.size % inner:
            raise ValueError("%s: %d elements do not make rows of %s" % (what, arr.size, "x".join(map(str, shape))))
        if copied and not tgt.const and isinstance(value, np.ndarray):
            ctx.after.append(lambda: np.copyto(value, arr))  # the function may write through it
        ctx.keep.append(arr)
        return arr.ctypes.data_as(ctypes.POINTER(ctype_of(tgt)))
    if tgt.kind == "ptr" and floating_dtype(tgt.target) is not None:
        # double **rows: a sequence of rows
        rows = [_pointer_arg(tgt, r, "%s[%d]" % (what, i), ctx) for i, r in enumerate(value)]
        buf = (ctype_of(tgt) * len(rows))(*rows)
        ctx.keep.append(buf)
        return ctypes.cast(buf, ctype_of(t))
    if tgt.kind == "record":
        cls = record_class(tgt.record)
        items = value if isinstance(value, (list, tuple)) else [value]
        buf = (cls * len(items))(*[record_to_c(tgt.record, v, what, ctx) for v in items])
        ctx.keep.append(buf)
        if not tgt.const:  # the function may write the struct: back into the dicts
            def write_back(items=items, buf=buf):
                for d, s in zip(items, buf):
                    if isinstance(d, dict):
                        update_dict(d, record_from_c(tgt.record, s, ctx, free_arrays=False))
            ctx.after.append(write_back)
        return ctypes.cast(buf, ctypes.POINTER(cls))
    if isinstance(value, (ctypes._Pointer, ctypes.c_void_p)):
        return value
    raise Unsupported("%s: parameters of type %s are not supported by the Python binding" % (what, t.spell()))


def update_dict(d, new):
    for k, v in new.items():
        old = d.get(k)
        if isinstance(old, np.ndarray) and isinstance(v, np.ndarray) and old.shape == v.shape and old.flags.writeable:
            np.copyto(old, v, casting="unsafe")
        elif isinstance(old, dict) and isinstance(v, dict):
            update_dict(old, v)
        else:
            d[k] = v


def record_to_c(rec, value, what, ctx):
    cls = record_class(rec)
    if isinstance(value, cls):
        return value
    if not isinstance(value, dict):
        raise TypeError("%s: expected a dict with the members of %s %s, got %s"
                        % (what, rec.keyword, rec.tag or "", type(value).__name__))
    s = cls()
    names = [n for n, _ in rec.members if n is not None]
    unknown = set(value) - set(names)
    if unknown:
        raise KeyError("%s: %s %s has no member %s" % (what, rec.keyword, rec.tag or "", ", ".join(sorted(unknown))))
    for name, mt in rec.members:
        if name is None:
            continue
        mwhat = "%s[%r]" % (what, name)
        if name not in value:
            if rec.keyword == "union" or mt.kind == "ptr":
                continue  # a union member not given; a pointer left NULL
            raise KeyError("%s: missing member %r" % (what, name))
        v = value[name]
        if mt.kind == "array":
            dt, shape, elem = _array_shape(mt)
            if dt is not None:
                arr, _ = as_array(v, dt, mwhat)
                if arr.size != int(np.prod(shape)):
                    raise ValueError("%s: %d elements, the member has %d" % (mwhat, arr.size, int(np.prod(shape))))
                ctypes.memmove(ctypes.addressof(s) + getattr(cls, name).offset, arr.ctypes.data, arr.nbytes)
            elif elem.kind == "record":
                flat = list(np.asarray(v, dtype=object).reshape(-1))
                arrv = getattr(s, name)
                for i, item in enumerate(flat):
                    arrv[i] = record_to_c(elem.record, item, "%s[%d]" % (mwhat, i), ctx)
            else:
                arrv = getattr(s, name)
                for i, item in enumerate(np.asarray(v).reshape(-1)):
                    arrv[i] = item.item()
        else:
            setattr(s, name, to_c(mt, v, mwhat, ctx))
    return s


def to_vg_array(value, what, ctx):
    arr = value
    if not (isinstance(arr, np.ndarray) and arr.dtype == np.float32):
        arr = np.asarray(value)
        if arr.dtype != np.float32:
            arr = np.asarray(value, dtype=np.float64)
    arr = np.ascontiguousarray(arr)
    shape = (ctypes.c_int * max(arr.ndim, 1))(*arr.shape)
    make = ctx.lib.vg_from_f32 if arr.dtype == np.float32 else ctx.lib.vg_from_f64
    a = make(arr.ctypes.data_as(ctypes.c_void_p), arr.ndim, shape)
    if not a:
        raise ValueError("%s: the runtime refused the array" % what)
    ctx.free.append(a)
    return a


def from_vg_array(lib, a, free=True):
    """A fresh NumPy array with the contents of a vg_array (freed)."""
    if not a:
        return None
    nd = lib.vg_ndim(a)
    shape = tuple(lib.vg_shape(a)[i] for i in range(nd))
    if lib.vg_dtype_of(a) == 1:
        dt, ptr = np.float32, lib.vg_data_f32(a)
    else:
        dt, ptr = np.float64, lib.vg_data_f64(a)
    n = int(np.prod(shape)) if shape else 1
    out = np.ctypeslib.as_array(ptr, shape=(n,)).copy().reshape(shape) if n else np.zeros(shape, dt)
    if free:
        lib.vg_free(a)
    return out


# ---------------------------------------------------------------- gradients


class Grad:
    """A zeroed gradient buffer for one parameter: .arg is passed to C,
    .read() gives the NumPy result."""

    def __init__(self, arg, read, discard=lambda: None):
        self.arg = arg
        self.read = read
        self.discard = discard  # after a runtime error: frees without reading


def grad_buffer(t, value, what, ctx):
    """t: the parameter's C type, value: what the caller passed for it."""
    fd = floating_dtype(t)
    if fd is not None:
        cell = ctype_of(t)(0)
        return Grad(ctypes.byref(cell), lambda: fd(cell.value))
    if is_vg_array_ptr(t):
        cell = ctypes.c_void_p()
        return Grad(ctypes.byref(cell), lambda: from_vg_array(ctx.lib, cell.value),
                    lambda: cell.value and ctx.lib.vg_free(cell.value))
    if t.kind == "ptr":
        if value is None:
            return Grad(ctype_of(t)(), lambda: None)
        tgt = t.target
        elem_dtype, shape, _ = _array_shape(tgt)
        if elem_dtype is not None:
            src = value if isinstance(value, np.ndarray) else np.asarray(value, dtype=elem_dtype)
            g = np.zeros(src.shape, dtype=elem_dtype)
            ctx.keep.append(g)
            return Grad(g.ctypes.data_as(ctypes.POINTER(ctype_of(tgt))), lambda: g)
        if tgt.kind == "ptr" and floating_dtype(tgt.target) is not None:
            rows = [grad_buffer(tgt, r, what, ctx) for r in value]
            buf = (ctype_of(tgt) * len(rows))(*[r.arg for r in rows])
            ctx.keep.append(buf)
            return Grad(ctypes.cast(buf, ctype_of(t)), lambda: [r.read() for r in rows])
        if tgt.kind == "record":
            items = value if isinstance(value, (list, tuple)) else [value]
            cls = record_class(tgt.record)
            buf = (cls * len(items))(*[zero_record(tgt.record, v, ctx) for v in items])
            ctx.keep.append(buf)
            if isinstance(value, (list, tuple)):
                return Grad(ctypes.cast(buf, ctypes.POINTER(cls)),
                            lambda: [record_grad(tgt.record, s, ctx) for s in buf])
            return Grad(ctypes.cast(buf, ctypes.POINTER(cls)), lambda: record_grad(tgt.record, buf[0], ctx))
    if t.kind == "record":
        cls = record_class(t.record)
        s = zero_record(t.record, value, ctx)
        ctx.keep.append(s)
        return Grad(ctypes.pointer(s), lambda: record_grad(t.record, s, ctx))
    raise Unsupported("%s: no gradient for parameters of type %s in the Python binding" % (what, t.spell()))


def zero_record(rec, value, ctx):
    """A zeroed struct of the type; pointer members that the value points at
    arrays point at zeroed arrays of the same lengths (design 1.7)."""
    cls = record_class(rec)
    s = cls()
    if isinstance(value, dict):
        for name, mt in rec.members:
            if name is None or mt.kind != "ptr" or value.get(name) is None:
                continue
            g = grad_buffer(mt, value[name], name, ctx)
            setattr(s, name, g.arg)
    return s


def record_grad(rec, s, ctx):
    """The floating content of a struct as a dict of NumPy values."""
    return record_from_c(rec, s, ctx, floating_only=True)


def record_from_c(rec, s, ctx, floating_only=False, free_arrays=True, skip_first=False):
    out = {}
    members = rec.members[1:] if skip_first else rec.members
    for name, mt in members:
        if name is None:
            continue
        if floating_only and not has_floating(mt):
            continue
        v = getattr(s, name)
        fd = floating_dtype(mt)
        if fd is not None:
            out[name] = fd(v)
        elif mt.kind == "base":
            out[name] = v
        elif is_vg_array_ptr(mt):
            out[name] = from_vg_array(ctx.lib, v, free=free_arrays)
        elif mt.kind == "array":
            dt, shape, elem = _array_shape(mt)
            if dt is not None:
                out[name] = np.ctypeslib.as_array(v).astype(dt, copy=True).reshape(shape)
            elif elem.kind == "record":
                out[name] = [record_from_c(elem.record, x, ctx, floating_only, free_arrays) for x in v]
            else:
                out[name] = np.ctypeslib.as_array(v).copy()
        elif mt.kind == "record":
            out[name] = record_from_c(mt.record, v, ctx, floating_only, free_arrays)
        elif mt.kind == "ptr" and floating_dtype(mt.target) is not None:
            # a pointer member: its buffer is one the caller gave (or we
            # allocated for a gradient); found again among the kept arrays
            addr = ctypes.cast(v, ctypes.c_void_p).value
            out[name] = next((a for a in ctx.keep if isinstance(a, np.ndarray) and a.ctypes.data == addr and addr),
                             None)
        elif not floating_only:
            out[name] = v
    return out
