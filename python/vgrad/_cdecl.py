"""A small reader of C declarations: enough of C to know the types of the
functions that vgradcc generates, from their header after the C
preprocessor (structs, unions, typedefs, pointers, arrays, prototypes).

Declarations it does not understand are skipped, so system headers that the
generated header includes do no harm; only a type that a generated function
actually uses must be understood."""

import re

# ------------------------------------------------------------------ types


class CType:
    """kind: 'base' (name: 'double', 'int', 'unsigned long', ...), 'ptr'
    (target), 'array' (target, length or None), 'record' (record), 'func'
    (target: return type), 'void', 'enum'."""

    def __init__(self, kind, name=None, target=None, length=None, record=None, const=False):
        self.kind = kind
        self.name = name
        self.target = target
        self.length = length
        self.record = record
        self.const = const

    def __repr__(self):
        return "CType(%s)" % self.spell()

    def spell(self):
        if self.kind == "ptr":
            return self.target.spell() + " *"
        if self.kind == "array":
            return "%s[%s]" % (self.target.spell(), "" if self.length is None else self.length)
        if self.kind == "record":
            return "%s %s" % (self.record.keyword, self.record.tag or "<anonymous>")
        if self.kind == "func":
            return self.target.spell() + " (*)(...)"
        return self.name or self.kind


class Record:
    """A struct or union: members is a list of (name, CType), None while only
    declared (incomplete)."""

    def __init__(self, keyword, tag):
        self.keyword = keyword
        self.tag = tag
        self.members = None


class Param:
    def __init__(self, name, ctype):
        self.name = name
        self.ctype = ctype

    def __repr__(self):
        return "Param(%s %s)" % (self.ctype.spell(), self.name)


class Prototype:
    def __init__(self, name, ret, params):
        self.name = name
        self.ret = ret
        self.params = params


class DeclError(Exception):
    pass


# ----------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*
      |(?P<tok>[A-Za-z_]\w*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|\.\.\.
         |"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|<<|>>|->|[^\s])""",
    re.S | re.M | re.X,
)

_BASE_WORDS = {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "_Complex"}
_IGNORED_WORDS = {
    "extern", "static", "inline", "__inline", "__inline__", "register", "auto", "restrict", "__restrict",
    "__restrict__", "volatile", "__volatile__", "_Noreturn", "__extension__", "_Thread_local", "__thread",
}
_SKIP_CALLS = {"__attribute__", "__attribute", "__asm__", "__asm", "asm", "__declspec", "_Alignas", "__typeof__"}


def _tokens(text):
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group("tok")
        if t is not None:
            out.append(t)
    return out


# ------------------------------------------------------------------ parser


class _Parser:
    def __init__(self, toks, unit):
        self.toks = toks
        self.i = 0
        self.unit = unit

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def expect(self, t):
        if self.take() != t:
            raise DeclError("expected %r" % t)

    def skip_balanced(self):
        """Skips a (...), [...] or {...} group starting at the current token."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack = [pairs[self.take()]]
        while stack:
            t = self.take()
            if t is None:
                raise DeclError("unbalanced")
            if t in pairs:
                stack.append(pairs[t])
            elif t == stack[-1]:
                stack.pop()

    def skip_attributes(self):
        while self.peek() in _SKIP_CALLS or self.peek() in _IGNORED_WORDS:
            if self.take() in _SKIP_CALLS and self.peek() == "(":
                self.skip_balanced()

    def skip_declaration(self):
        """After an error: to the end of the declaration."""
        while self.peek() is not None:
            t = self.peek()
            if t in "({[":
                self.skip_balanced()
                if t == "{" and self.peek() != ";" and self.peek() is not None and not self.peek()[0].isalpha():
                    return
                continue
            self.take()
            if t == ";":
                return

    # specifiers: returns (CType, is_typedef)
    def specifiers(self):
        words = []
        base = None
        const = False
        is_typedef = False
        while True:
            self.skip_attributes()
            t = self.peek()
            if t == "typedef":
                self.take()
                is_typedef = True
            elif t == "const":
                self.take()
                const = True
            elif t in _BASE_WORDS:
                words.append(self.take())
            elif t in ("struct", "union"):
                base = self.record()
            elif t == "enum":
                self.take()
                if self.peek() not in ("{",):
                    self.take()
                if self.peek() == "{":
                    self.skip_balanced()
                base = CType("base", name="int")
            elif t is not None and base is None and not words and t in self.unit.typedefs:
                self.take()
                base = self.unit.typedefs[t]
            else:
                break
        if base is None:
            if not words:
                raise DeclError("no type at %r" % self.peek())
            base = _base_from_words(words)
        if const:
            base = _with_const(base)
        return base, is_typedef

    def record(self):
        keyword = self.take()
        self.skip_attributes()
        tag = None
        if self.peek() != "{":
            tag = self.take()
        rec = self.unit.records.get((keyword, tag)) if tag else None
        if rec is None:
            rec = Record(keyword, tag)
            if tag:
                self.unit.records[(keyword, tag)] = rec
        if self.peek() == "{":
            self.take()
            members = []
            while self.peek() != "}":
                if self.peek() is None:
                    raise DeclError("unterminated struct")
                base, _ = self.specifiers()
                if self.peek() == ";":  # anonymous struct/union member
                    self.take()
                    members.append((None, base))
                    continue
                while True:
                    name, ctype = self.declarator(base)
                    if self.peek() == ":":
                        raise DeclError("bit-field member %s" % name)
                    members.append((name, ctype))
                    if self.peek() == ",":
                        self.take()
                        continue
                    break
                self.expect(";")
            self.take()
            rec.members = members
        self.skip_attributes()
        return CType("record", record=rec)

    def declarator(self, base):
        """Returns (name, type); name None for an abstract declarator."""
        self.skip_attributes()
        nptr = []
        while self.peek() == "*":
            self.take()
            c = False
            while self.peek() in ("const",) or self.peek() in _IGNORED_WORDS or self.peek() in _SKIP_CALLS:
                if self.take() == "const":
                    c = True
                elif self.toks[self.i - 1] in _SKIP_CALLS and self.peek() == "(":
                    self.skip_balanced()
            nptr.append(c)
        ctype = base
        for c in nptr:
            ctype = CType("ptr", target=ctype, const=c)
        name = None
        inner = None
        if self.peek() == "(" and self.peek(1) in ("*", "^", "(") or (
            self.peek() == "(" and self.peek(1) not in (None, ")") and self.peek(1) not in self.unit.typedefs
            and self.peek(1) not in _BASE_WORDS and self.peek(1) not in ("const", "struct", "union", "enum", "void")
            and self.peek(1) != "..."
        ):
            # ( declarator ): the suffixes that follow bind first
            start = self.i
            self.skip_balanced()
            inner = (start, self.i)
        elif self.peek() is not None and re.match(r"[A-Za-z_]\w*$", self.peek()) and self.peek() not in _SKIP_CALLS:
            name = self.take()
        suffixes = []
        while True:
            self.skip_attributes()
            if self.peek() == "[":
                self.take()
                expr = []
                while self.peek() != "]":
                    if self.peek() is None:
                        raise DeclError("unterminated [")
                    expr.append(self.take())
                self.take()
                suffixes.append(("array", _eval_length(expr)))
            elif self.peek() == "(":
                suffixes.append(("func", self.params()))
            else:
                break
        for kind, val in reversed(suffixes):
            if kind == "array":
                ctype = CType("array", target=ctype, length=val)
            else:
                ctype = CType("func", target=ctype, record=val)
        if inner is not None:
            end = self.i
            self.i = inner[0] + 1
            name, ctype = self.declarator(ctype)
            self.expect(")")
            self.i = end
        return name, ctype

    def params(self):
        self.expect("(")
        params = []
        if self.peek() == "void" and self.peek(1) == ")":
            self.take()
        while self.peek() != ")":
            if self.peek() == "...":
                self.take()
                params.append(Param("...", CType("base", name="...")))
            else:
                base, _ = self.specifiers()
                name, ctype = self.declarator(base)
                params.append(Param(name, _adjust_param(ctype)))
            if self.peek() == ",":
                self.take()
            elif self.peek() != ")":
                raise DeclError("bad parameter list at %r" % self.peek())
        self.take()
        return params

    def declaration(self):
        if self.peek() == ";":
            self.take()
            return
        base, is_typedef = self.specifiers()
        if self.peek() == ";":
            self.take()
            return
        while True:
            name, ctype = self.declarator(base)
            if is_typedef:
                if name:
                    self.unit.typedefs[name] = ctype
            elif ctype.kind == "func" and name:
                self.unit.functions[name] = Prototype(name, ctype.target, ctype.record)
            self.skip_attributes()
            if self.peek() == "=":
                while self.peek() not in (",", ";", None):
                    if self.peek() in "({[":
                        self.skip_balanced()
                    else:
                        self.take()
            if self.peek() == "{":  # a function body
                self.skip_balanced()
                return
            if self.peek() == ",":
                self.take()
                continue
            self.expect(";")
            return


def _with_const(t):
    c = CType(t.kind, t.name, t.target, t.length, t.record, const=True)
    return c


def _adjust_param(t):
    """Arrays and functions as parameters are pointers (C 6.7.6.3)."""
    if t.kind == "array":
        return CType("ptr", target=t.target, length=t.length)
    if t.kind == "func":
        return CType("ptr", target=t)
    return t


def _base_from_words(words):
    ws = [w for w in words if w != "signed"]
    if "double" in ws:
        name = "long double" if "long" in ws else "double"
        if "_Complex" in ws:
            name += " _Complex"
    elif "float" in ws:
        name = "float _Complex" if "_Complex" in ws else "float"
    elif "void" in ws:
        return CType("void", name="void")
    elif "_Bool" in ws:
        name = "_Bool"
    elif "char" in ws:
        name = "char"
        if "unsigned" in ws:
            name = "unsigned char"
        elif "signed" in words:
            name = "signed char"
    else:
        n = ws.count("long")
        size = "short" if "short" in ws else ("long long" if n >= 2 else ("long" if n == 1 else "int"))
        name = ("unsigned " if "unsigned" in ws else "") + size
    return CType("base", name=name)


def _eval_length(expr):
    if not expr:
        return None
    text = " ".join(re.sub(r"[uUlL]+$", "", t) if re.match(r"\d", t) else t for t in expr)
    if not re.fullmatch(r"[\d\s+\-*/%()<>xXa-fA-F]*", text):
        return None  # a variable length or something else not constant
    try:
        return int(eval(text.replace("/", "//"), {"__builtins__": {}}, {}))
    except Exception:
        return None


class Unit:
    """The declarations of one preprocessed translation unit."""

    def __init__(self, text):
        self.typedefs = {}
        self.records = {}
        self.functions = {}
        p = _Parser(_tokens(text), self)
        while p.peek() is not None:
            start = p.i
            try:
                p.declaration()
            except DeclError:
                p.i = start
                p.skip_declaration()
            if p.i == start:
                p.take()
