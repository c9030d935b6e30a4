"""Finding vgradcc, the runtime and the C compiler; running them once per
input and caching the shared library by content hash."""

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from . import __version__


class CompileError(Exception):
    """vgradcc or the C compiler refused the input; the message is theirs
    (file:line:col: error: ...), with the user's path."""


class Toolchain:
    """vgradcc ($VGRADCC or on PATH), the C compiler ($CC, default cc) and
    the runtime's flags (pkg-config vgrad, looked for first beside
    vgradcc's installation)."""

    def __init__(self):
        vg = os.environ.get("VGRADCC") or shutil.which("vgradcc")
        if not vg or not os.path.isfile(vg) or not os.access(vg, os.X_OK):
            raise CompileError(
                "vgradcc not found: install it (make install) and put it on PATH, or set VGRADCC to its path"
                + (" (VGRADCC=%s is not an executable file)" % vg if os.environ.get("VGRADCC") else "")
            )
        self.vgradcc = os.path.abspath(vg)
        self.cc = shlex.split(os.environ.get("CC") or "cc")
        prefix = os.path.dirname(os.path.dirname(self.vgradcc))
        self.cflags, self.libs = self._runtime_flags(prefix)
        self.version = self._run([self.vgradcc, "--version"]).strip()
        self.cc_version = self._run(self.cc + ["--version"]).strip()

    @staticmethod
    def _run(cmd, cwd=None):
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise CompileError("%s failed (exit %d):\n%s" % (shlex.join(cmd), p.returncode, p.stderr + p.stdout))
        return p.stdout

    def _runtime_flags(self, prefix):
        env = dict(os.environ)
        pc_dir = os.path.join(prefix, "lib", "pkgconfig")
        env["PKG_CONFIG_PATH"] = pc_dir + (os.pathsep + env["PKG_CONFIG_PATH"] if env.get("PKG_CONFIG_PATH") else "")
        if shutil.which("pkg-config"):
            p = subprocess.run(["pkg-config", "--cflags", "--libs", "vgrad"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if p.returncode == 0:
                flags = shlex.split(p.stdout)
                cflags = [f for f in flags if f.startswith(("-I", "-D"))]
                libs = [self._archive(f) for f in flags if f not in cflags]
                return cflags, libs
        # No pkg-config: the layout make install writes.
        return ["-I" + os.path.join(prefix, "include")], ["-L" + os.path.join(prefix, "lib"), "-l:libvgrad.a", "-lm"]

    @staticmethod
    def _archive(flag):
        # The archive, not libvgrad.so: each loaded file keeps its own
        # registry (vg_lookup by name) and tape, as two files may define
        # functions of the same name.
        return "-l:libvgrad.a" if flag == "-lvgrad" else flag

    def lib_dirs(self):
        return [f[2:] for f in self.libs if f.startswith("-L")]

    def runtime_files(self):
        """The runtime library files that -lvgrad may link (for the hash)."""
        out = []
        for d in self.lib_dirs():
            for name in ("libvgrad.a", "libvgrad.so"):
                path = os.path.join(d, name)
                if os.path.exists(path):
                    out.append(path)
        return out


_toolchain = None


def toolchain():
    global _toolchain
    if _toolchain is None:
        _toolchain = Toolchain()
    return _toolchain


def cache_dir():
    """VGRAD_CACHE_DIR, else $XDG_CACHE_HOME/vgrad, else ~/.cache/vgrad."""
    d = os.environ.get("VGRAD_CACHE_DIR")
    if not d:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        d = os.path.join(base, "vgrad")
    os.makedirs(d, exist_ok=True)
    return d


_file_hashes = {}


def _hash_file(h, path):
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    digest = _file_hashes.get(key)
    if digest is None:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        _file_hashes[key] = digest
    h.update(("%s %s\n" % (path, digest)).encode())


def _dependencies(tc, src, flags):
    """Every file the input includes (cc -M), the input first."""
    cmd = tc.cc + ["-M", "-D__VGRADCC__=1"] + tc.cflags + flags + [src]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise CompileError(p.stderr.strip() or "%s failed" % shlex.join(cmd))
    text = p.stdout.replace("\\\n", " ")
    deps = shlex.split(text.split(":", 1)[1]) if ":" in text else []
    return [src] + [d for d in deps if os.path.abspath(d) != src]


def build_key(tc, src, flags):
    h = hashlib.sha256()
    h.update(("vgrad %s\n%s\n%s\n" % (__version__, tc.version, tc.cc_version)).encode())
    h.update(("flags %r\ncc %r\ncflags %r\nlibs %r\n" % (flags, tc.cc, tc.cflags, tc.libs)).encode())
    _hash_file(h, tc.vgradcc)
    for path in tc.runtime_files():
        _hash_file(h, path)
    for path in _dependencies(tc, src, flags):
        _hash_file(h, os.path.abspath(path))
    return h.hexdigest()[:32]


def build(src, flags):
    """Returns (path of the shared library, preprocessed generated header,
    generated header text, the file's vgrad pragmas without `#pragma
    vgrad`), building them unless cached."""
    tc = toolchain()
    src = os.path.abspath(src)
    if not os.path.isfile(src):
        raise FileNotFoundError(src)
    flags = list(flags)
    key = build_key(tc, src, flags)
    stem = os.path.splitext(os.path.basename(src))[0]
    cdir = cache_dir()
    base = os.path.join(cdir, "%s-%s" % (stem, key))
    so, hdr, pre, prag = base + ".so", base + ".vg.h", base + ".vg.i", base + ".pragmas"
    if not all(os.path.exists(f) for f in (so, hdr, pre, prag)):
        srcdir = os.path.dirname(src)
        with tempfile.TemporaryDirectory(prefix="build-", dir=cdir) as tmp:
            inc = ["-I" + srcdir] + tc.cflags + flags
            # The pragmas as vgradcc sees them (their loss(...) clauses).
            src_i = os.path.join(tmp, "src.i")
            _compile_step(tc.cc + ["-E", "-D__VGRADCC__=1"] + inc + [src, "-o", src_i], "cc -E")
            with open(src_i) as f:
                preprocessed_src = f.read()
            user_pragmas = [" ".join(line.split()[2:]) for line in preprocessed_src.splitlines()
                            if line.lstrip().startswith("#pragma") and line.split()[1:2] == ["vgrad"]]
            out = os.path.join(tmp, stem + ".vg.c")
            added = _generate(tc, src, tmp, out, flags, user_pragmas, preprocessed_src)
            with open(os.path.join(tmp, "pragmas"), "w") as out_p:
                for line in user_pragmas + added:
                    out_p.write(line + "\n")
            gen_h = os.path.join(tmp, stem + ".vg.h")
            _compile_step(tc.cc + ["-E", "-P", "-x", "c"] + inc + [gen_h, "-o", os.path.join(tmp, "h.i")], "cc -E")
            rpath = ["-Wl,-rpath," + d for d in tc.lib_dirs()]
            _compile_step(
                tc.cc + ["-shared", "-fPIC", "-O2", "-Wno-unknown-pragmas"] + inc
                + [src, out, "-o", os.path.join(tmp, "lib.so")] + tc.libs + rpath,
                "cc",
            )
            # Each file renamed into place whole: another process may be
            # building the same key; the .so goes last.
            os.replace(gen_h, hdr)
            os.replace(os.path.join(tmp, "h.i"), pre)
            os.replace(os.path.join(tmp, "pragmas"), prag)
            os.replace(os.path.join(tmp, "lib.so"), so)
    with open(hdr) as f:
        header = f.read()
    with open(pre) as f:
        preprocessed = f.read()
    with open(prag) as f:
        pragmas = f.read().splitlines()
    return so, preprocessed, header, pragmas


_MARKED = re.compile(r"^\s*(?:value_and_grad|grad)\s*\(\s*(\w+)\s*\)")


def defined_functions(preprocessed, path):
    """The functions the file at `path` itself defines (not its headers), in
    order, from its preprocessed text (cc -E, with line markers)."""
    text, current = [], None
    for line in preprocessed.splitlines():
        m = re.match(r'^# \d+ "(.*)"', line)
        if m:
            current = m.group(1)
            continue
        if current == path and not line.lstrip().startswith("#"):
            text.append(line)
    code = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', '""', "\n".join(text))
    names, depth = [], 0
    for m in re.finditer(r"[{}]", code):
        if m.group() == "}":
            depth -= 1
            continue
        if depth == 0:  # a body at file scope: a function's if `NAME(...)` comes right before it
            head = code[:m.start()].rstrip()
            if head.endswith(")"):
                level, i = 0, len(head) - 1
                while i >= 0:
                    level += {")": 1, "(": -1}.get(head[i], 0)
                    if level == 0:
                        break
                    i -= 1
                name = re.search(r"(\w+)\s*$", head[:max(i, 0)])
                if name and name.group(1) not in ("if", "while", "for", "switch", "return", "sizeof"):
                    names.append(name.group(1))
        depth += 1
    return names


def _generate(tc, src, tmp, out, flags, user_pragmas, preprocessed_src):
    """Runs vgradcc on src into out.  A function of the file without a
    pragma of its own is differentiated as with argnums(all) (its pragma is
    added to a copy of the file), unless vgradcc refuses it; returns the
    pragmas added."""
    marked = {m.group(1) for m in (_MARKED.match(p) for p in user_pragmas) if m}
    unmarked = [f for f in dict.fromkeys(defined_functions(preprocessed_src, src)) if f not in marked and f != "main"]
    base = [tc.vgradcc, "-I" + os.path.dirname(src), "-o", out] + tc.cflags + flags
    if not unmarked:
        _compile_step(base + [src], "vgradcc")
        return []
    with open(src) as f:
        text = f.read()
    copy = os.path.join(tmp, os.path.basename(src))

    def attempt(names):
        with open(copy, "w") as f:
            f.write(text + ("" if text.endswith("\n") else "\n"))
            for name in names:
                f.write("#pragma vgrad value_and_grad(%s) argnums(all)\n" % name)
        p = subprocess.run(base + [copy], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return p.returncode == 0, (p.stderr + p.stdout).replace(copy, src).strip()

    ok, _ = attempt(unmarked)
    if ok:
        return ["value_and_grad(%s) argnums(all)" % n for n in unmarked]
    # Some function cannot be differentiated: the user's own pragmas alone
    # must go through; then each unmarked function is kept if it does too.
    ok, msg = attempt([])
    if not ok:
        raise CompileError(msg or "vgradcc failed on %s" % src)
    kept = []
    for name in unmarked:
        if attempt(kept + [name])[0]:
            kept.append(name)
    ok, msg = attempt(kept)
    if not ok:
        raise CompileError(msg or "vgradcc failed on %s" % src)
    return ["value_and_grad(%s) argnums(all)" % n for n in kept]


def _compile_step(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        msg = (p.stderr + p.stdout).strip()
        raise CompileError(msg if msg else "%s failed (exit %d): %s" % (what, p.returncode, shlex.join(cmd)))
