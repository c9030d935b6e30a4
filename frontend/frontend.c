/* The C frontend: parses the input with libclang, finds `#pragma vgrad`
 * and `_Pragma("vgrad ...")`, and translates every function of the main
 * file, and those the user's headers define, into our IR; frontend_link
 * joins the inputs of one command line.  libclang types stay in this file. */
#include "vgradcc.h"

#include <clang-c/Index.h>
#include <fcntl.h>
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  CXTranslationUnit tu;
  const char *path;      /* the input path as given, used in every Loc */
  CXFile main_file;
  Program *prog;
  Func *func;            /* function being translated */
  Vec decl_cursors;      /* CXCursor* of the current function's variables */
  Vec decl_vars;         /* Var*, parallel to decl_cursors */
  Vec decl_hashes;       /* clang_hashCursor of each, as uintptr_t */
  Vec types;             /* cache: Type* of records, by declaration */
  Vec type_cursors;      /* CXCursor*, parallel to types */
  int stmt_depth, expr_depth; /* statements, and expressions in one, being translated */
  bool too_deep;         /* past MAX_NESTING: reported, the program dropped */
  NameSet static_locals; /* the file-scope names given to static constant locals */
} Frontend;

static char *take_string(CXString s) {
  const char *c = clang_getCString(s);
  char *r = xstrdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

static Loc loc_of_location(Frontend *fe, CXSourceLocation sl) {
  CXFile file;
  unsigned line, col;
  clang_getExpansionLocation(sl, &file, &line, &col, NULL);
  Loc loc = {fe->path, (int)line, (int)col};
  if (!file || !clang_File_isEqual(file, fe->main_file))
    loc.file = file ? take_string(clang_getFileName(file)) : NULL;
  return loc;
}

static Loc loc_of(Frontend *fe, CXCursor c) {
  return loc_of_location(fe, clang_getCursorLocation(c));
}

/* ---- children ---- */

typedef struct {
  CXCursor *items;
  int len, cap;
} Cursors;

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Cursors *cs = data;
  if (cs->len == cs->cap) {
    cs->cap = cs->cap ? cs->cap * 2 : 8;
    cs->items = realloc(cs->items, (size_t)cs->cap * sizeof(CXCursor));
    if (!cs->items) {
      fprintf(stderr, "vgradcc: out of memory\n");
      exit(2);
    }
  }
  cs->items[cs->len++] = c;
  return CXChildVisit_Continue;
}

/* Children that are expressions or statements (not TypeRef and the like). */
static Cursors children_of(CXCursor c) {
  Cursors all = {0};
  clang_visitChildren(c, collect_child, &all);
  Cursors out = {0};
  for (int i = 0; i < all.len; i++) {
    enum CXCursorKind k = clang_getCursorKind(all.items[i]);
    if (clang_isReference(k) || k == CXCursor_ParmDecl || clang_isAttribute(k))
      continue;
    collect_child(all.items[i], c, &out);
  }
  free(all.items);
  return out;
}

/* ---- types ---- */

static Type *new_type(TypeKind kind, const char *name) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = kind;
  t->name = name;
  return t;
}

static Type *translate_type(Frontend *fe, CXType ct);
static char *first_token(Frontend *fe, CXCursor c);

typedef struct {
  Frontend *fe;
  Vec members;
} FieldWalk;

static enum CXVisitorResult visit_field(CXCursor c, CXClientData data) {
  FieldWalk *w = data;
  Member *m = xcalloc(1, sizeof(Member));
  m->name = take_string(clang_getCursorSpelling(c));
  m->type = translate_type(w->fe, clang_getCursorType(c));
  if (clang_Cursor_isBitField(c)) {
    m->bit_field = true;
    m->bit_width = clang_getFieldDeclBitWidth(c);
  }
  vec_push(&w->members, m);
  return CXVisit_Continue;
}

/* The C spelling of an integer type, canonical. */
static const char *integer_name(enum CXTypeKind k) {
  switch (k) {
  case CXType_Char_U: case CXType_Char_S: return "char";
  case CXType_UChar: return "unsigned char";
  case CXType_SChar: return "signed char";
  case CXType_UShort: return "unsigned short";
  case CXType_Short: return "short";
  case CXType_UInt: return "unsigned int";
  case CXType_Int: return "int";
  case CXType_ULong: return "unsigned long";
  case CXType_Long: return "long";
  case CXType_ULongLong: return "unsigned long long";
  case CXType_LongLong: return "long long";
  default: return NULL;
  }
}

static Type *record_type(Frontend *fe, CXType written, CXType canon) {
  CXCursor decl = clang_getTypeDeclaration(canon);
  for (int i = 0; i < fe->types.len; i++)
    if (clang_equalCursors(*(CXCursor *)fe->type_cursors.items[i], decl))
      return fe->types.items[i];
  Type *t = new_type(TY_STRUCT, NULL);
  t->is_union = clang_getCursorKind(decl) == CXCursor_UnionDecl;
  CXCursor *key = xcalloc(1, sizeof(CXCursor));
  *key = decl;
  vec_push(&fe->types, t);
  vec_push(&fe->type_cursors, key);

  char *tag = take_string(clang_getCursorSpelling(decl));
  /* `typedef struct { ... } T;` spells as T but has no tag: look for `struct {`. */
  bool anonymous = clang_Cursor_isAnonymous(decl) || !*tag || strchr(tag, ' ');
  if (!anonymous) {
    char *kw = first_token(fe, decl);
    CXToken *toks;
    unsigned n;
    clang_tokenize(fe->tu, clang_getCursorExtent(decl), &toks, &n);
    if (n >= 2) {
      char *second = take_string(clang_getTokenSpelling(fe->tu, toks[1]));
      anonymous = !strcmp(second, "{");
      free(second);
    }
    clang_disposeTokens(fe->tu, toks, n);
    free(kw);
  }
  if (!anonymous && !strcmp(tag, "vg_array")) {
    t->name = t->typedef_name = "vg_array"; /* the runtime's typedef */
  } else if (!anonymous) {
    t->name = format("%s %s", t->is_union ? "union" : "struct", tag);
  } else if (*tag && !strchr(tag, ' ')) {
    t->name = t->typedef_name = tag; /* `typedef struct {...} T;`: the record spells as T */
  } else {
    /* Named only through a typedef: walk the sugar down to the innermost
     * one (typedef T T2: T). */
    CXType cur = written;
    for (;;) {
      while (cur.kind == CXType_Elaborated)
        cur = clang_Type_getNamedType(cur);
      if (cur.kind != CXType_Typedef)
        break;
      t->typedef_name = take_string(clang_getTypedefName(cur));
      cur = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(cur));
    }
    t->name = t->typedef_name;
  }
  CXSourceLocation sl = clang_getCursorLocation(decl);
  CXFile file;
  clang_getExpansionLocation(sl, &file, NULL, NULL, NULL);
  t->def_file = file ? take_string(clang_getFileName(file)) : NULL;

  FieldWalk w = {fe, {0}};
  clang_Type_visitFields(canon, visit_field, &w);
  t->nmembers = w.members.len;
  t->members = xcalloc((size_t)w.members.len, sizeof(Member));
  for (int i = 0; i < w.members.len; i++)
    t->members[i] = *(Member *)w.members.items[i];
  return t;
}

/* Integer typedefs whose spelling is portable and worth keeping. */
static const char *portable_integer_typedef(CXType ct) {
  static const char *names[] = {"size_t", "ptrdiff_t", "intptr_t", "uintptr_t", "int8_t", "int16_t",
                                "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t"};
  CXType cur = ct;
  while (cur.kind == CXType_Elaborated)
    cur = clang_Type_getNamedType(cur);
  if (cur.kind != CXType_Typedef)
    return NULL;
  char *name = take_string(clang_getTypedefName(cur));
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(name, names[i]))
      return names[i];
  free(name);
  return NULL;
}

/* ct with the typedef names, `struct` keywords and attributes at its top
 * looked through (typedef double *dptr: dptr is double *); qualifiers are
 * read from the canonical type. */
static CXType desugared(CXType ct) {
  for (;;) {
    if (ct.kind == CXType_Elaborated)
      ct = clang_Type_getNamedType(ct);
    else if (ct.kind == CXType_Typedef)
      ct = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(ct));
    else if (ct.kind == CXType_Attributed)
      ct = clang_Type_getModifiedType(ct);
    else
      return ct;
  }
}

/* The pointee or element type of ct, through typedefs; the canonical one if
 * the written type hides it. */
static CXType inner_type(CXType ct, CXType canon, bool pointer) {
  CXType bare = desugared(ct);
  CXType inner = pointer ? clang_getPointeeType(bare) : clang_getArrayElementType(bare);
  if (inner.kind == CXType_Invalid)
    inner = pointer ? clang_getPointeeType(canon) : clang_getArrayElementType(canon);
  return inner;
}

static Type *translate_type(Frontend *fe, CXType ct);

/* An array's element type; `const vec3 v` (typedef double vec3[3]) has
 * const elements, which libclang puts on the array type instead. */
static Type *element_type(Frontend *fe, CXType ct, CXType canon) {
  Type *elem = translate_type(fe, inner_type(ct, canon, false));
  if (!elem->is_const && (clang_isConstQualifiedType(canon) ||
                          clang_isConstQualifiedType(clang_getArrayElementType(canon)))) {
    Type *c = xcalloc(1, sizeof(Type));
    *c = *elem;
    c->is_const = true;
    elem = c;
  }
  return elem;
}

static Type *translate_type(Frontend *fe, CXType ct) {
  CXType canon = clang_getCanonicalType(ct);
  Type *t = NULL;
  const char *iname = integer_name(canon.kind);
  const char *portable = iname ? portable_integer_typedef(ct) : NULL;
  if (portable)
    iname = portable;
  if (iname) {
    t = new_type(canon.kind == CXType_Char_U || canon.kind == CXType_Char_S ? TY_CHAR : TY_INT, iname);
  } else {
    switch (canon.kind) {
    case CXType_Void: t = new_type(TY_VOID, "void"); break;
    case CXType_Bool: t = new_type(TY_BOOL, "_Bool"); break;
    case CXType_Float: t = new_type(TY_FLOAT, "float"); break;
    case CXType_Double: t = new_type(TY_DOUBLE, "double"); break;
    case CXType_LongDouble: t = new_type(TY_LDOUBLE, "long double"); break;
    case CXType_Complex: {
      Type *part = translate_type(fe, clang_getElementType(canon));
      if (part->kind != TY_DOUBLE && part->kind != TY_FLOAT) {
        t = new_type(TY_OTHER, take_string(clang_getTypeSpelling(canon)));
        break;
      }
      t = new_type(TY_COMPLEX, part->kind == TY_FLOAT ? "float _Complex" : "double _Complex");
      t->base = part;
      break;
    }
    case CXType_Enum: t = new_type(TY_INT, "int"); break;
    case CXType_Pointer:
      t = new_type(TY_PTR, NULL);
      t->base = translate_type(fe, inner_type(ct, canon, true));
      break;
    case CXType_ConstantArray:
      t = new_type(TY_ARRAY, NULL);
      t->base = element_type(fe, ct, canon);
      t->array_len = (long)clang_getArraySize(canon);
      break;
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_DependentSizedArray:
      t = new_type(TY_ARRAY, NULL);
      t->base = element_type(fe, ct, canon);
      t->array_len = -1;
      break;
    case CXType_Record: {
      Type *rec = record_type(fe, ct, canon);
      if (!clang_isConstQualifiedType(canon))
        return rec;
      t = xcalloc(1, sizeof(Type));
      *t = *rec;
      break;
    }
    case CXType_FunctionProto:
    case CXType_FunctionNoProto: {
      /* base: the result; name: the parameter list, "(double, int)" */
      t = new_type(TY_FUNC, NULL);
      t->base = translate_type(fe, clang_getResultType(ct));
      int n = clang_getNumArgTypes(ct);
      Buf params = {0};
      buf_printf(&params, "(");
      for (int i = 0; i < n; i++)
        buf_printf(&params, "%s%s", i ? ", " : "", declare(translate_type(fe, clang_getArgType(ct, (unsigned)i)), ""));
      if (clang_isFunctionTypeVariadic(ct))
        buf_printf(&params, "%s...", n ? ", " : "");
      else if (!n && canon.kind == CXType_FunctionProto)
        buf_printf(&params, "void");
      buf_printf(&params, ")");
      t->name = params.buf;
      break;
    }
    default:
      t = new_type(TY_OTHER, take_string(clang_getTypeSpelling(canon)));
      break;
    }
  }
  t->is_const = clang_isConstQualifiedType(canon);
  return t;
}

/* ---- variables ---- */

static Var *find_var(Frontend *fe, CXCursor decl) {
  /* hashes first: clang_equalCursors on every variable of a long function
   * for every reference took most of the frontend's time */
  uintptr_t hash = clang_hashCursor(decl);
  for (int i = 0; i < fe->decl_cursors.len; i++)
    if ((uintptr_t)fe->decl_hashes.items[i] == hash &&
        clang_equalCursors(*(CXCursor *)fe->decl_cursors.items[i], decl))
      return fe->decl_vars.items[i];
  return NULL;
}

static Var *new_var(Frontend *fe, CXCursor decl, int param_index) {
  Var *v = xcalloc(1, sizeof(Var));
  v->name = v->spelling = take_string(clang_getCursorSpelling(decl));
  v->type = translate_type(fe, clang_getCursorType(decl));
  v->loc = loc_of(fe, decl);
  v->param_index = param_index;
  CXCursor *key = xcalloc(1, sizeof(CXCursor));
  *key = decl;
  vec_push(&fe->decl_cursors, key);
  vec_push(&fe->decl_hashes, (void *)(uintptr_t)clang_hashCursor(decl));
  vec_push(&fe->decl_vars, v);
  return v;
}

/* ---- expressions ---- */

/* An expression we cannot represent; the AD stage refuses it by name. */
static Expr *unsupported_expr(Frontend *fe, CXCursor c, const char *what) {
  Expr *e = new_expr(EX_UNSUPPORTED, translate_type(fe, clang_getCursorType(c)), loc_of(fe, c));
  e->text = what;
  return e;
}

/* The first token of a cursor, when it is spelled in the main file. */
static char *first_token(Frontend *fe, CXCursor c) {
  CXSourceRange range = clang_getCursorExtent(c);
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, range, &toks, &n);
  char *s = n ? take_string(clang_getTokenSpelling(fe->tu, toks[0])) : NULL;
  clang_disposeTokens(fe->tu, toks, n);
  return s;
}

static bool is_macro_expanded(CXCursor c) {
  CXSourceLocation sl = clang_getCursorLocation(c);
  CXFile f1, f2;
  unsigned o1, o2;
  clang_getExpansionLocation(sl, &f1, NULL, NULL, &o1);
  clang_getSpellingLocation(sl, &f2, NULL, NULL, &o2);
  return o1 != o2 || !f1 || !f2 || !clang_File_isEqual(f1, f2);
}

/* complex.h's I (its 1.0iF): "I"; NULL for another literal from a macro. */
static char *macro_literal_spelling(CXCursor c) {
  CXSourceLocation sl = clang_getCursorLocation(c);
  CXFile file;
  unsigned offset;
  clang_getSpellingLocation(sl, &file, NULL, NULL, &offset);
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
  size_t size;
  const char *text = file ? clang_getFileContents(tu, file, &size) : NULL;
  if (!text || offset + 5 > size)
    return NULL;
  return !strncmp(text + offset, "1.0iF", 5) || !strncmp(text + offset, "1.0fi", 5) ? xstrdup("I") : NULL;
}

/* A literal's spelling: as written when written in the file, else its value. */
static Expr *literal(Frontend *fe, CXCursor c) {
  Type *type = translate_type(fe, clang_getCursorType(c));
  Expr *e = new_expr(EX_NUM, type, loc_of(fe, c));
  if (!is_macro_expanded(c)) {
    char *tok = first_token(fe, c);
    if (tok && (tok[0] == '.' || (tok[0] >= '0' && tok[0] <= '9') || tok[0] == '\'')) {
      e->text = tok;
      return e;
    }
  }
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (!r) {
    e->text = first_token(fe, c);
    return e;
  }
  if (clang_EvalResult_getKind(r) == CXEval_Float) {
    double v = clang_EvalResult_getAsDouble(r);
    char *s = format("%.17g", v);
    if (!strpbrk(s, ".en"))
      s = format("%s.0", s);
    e->text = type->kind == TY_FLOAT ? format("%sf", s) : s;
  } else if (clang_EvalResult_isUnsignedInt(r)) {
    e->text = format("%lluu", clang_EvalResult_getAsUnsigned(r));
  } else {
    e->text = format("%lld", clang_EvalResult_getAsLongLong(r));
  }
  clang_EvalResult_dispose(r);
  return e;
}

static Expr *translate_expr(Frontend *fe, CXCursor c);

static bool is_not_constant(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind != EX_NUM && e->kind != EX_INIT && e->kind != EX_CAST && e->kind != EX_NEG &&
         e->kind != EX_PLUS && !(e->kind == EX_BINARY && e->op != OP_COMMA);
}

/* The initializer of a variable as C text, when it is made of constants
 * only (a number, a table {0.5, 1.5}, {{1, 0}, {0, 1}}): what a copy of
 * a static constant in the generated file is initialised with.  NULL
 * otherwise. */
static const char *constant_initializer(Frontend *fe, CXCursor decl, Type *type) {
  CXCursor init = clang_Cursor_getVarDeclInitializer(decl);
  if (clang_Cursor_isNull(init))
    return NULL;
  if (type_is_complex(type))
    return NULL; /* clang evaluates only the real part */
  if (type_is_arith(type)) {
    const char *text = NULL;
    CXEvalResult r = clang_Cursor_Evaluate(init);
    if (r) {
      if (clang_EvalResult_getKind(r) == CXEval_Float)
        text = format("%.17g", clang_EvalResult_getAsDouble(r));
      else if (clang_EvalResult_getKind(r) == CXEval_Int)
        text = format("%lld", clang_EvalResult_getAsLongLong(r));
      clang_EvalResult_dispose(r);
    }
    return text;
  }
  if (type->kind != TY_ARRAY || type->array_len < 0)
    return NULL;
  Expr *e = translate_expr(fe, init);
  return e->kind == EX_INIT && !expr_any(e, is_not_constant, NULL) ? expr_to_c(e) : NULL;
}

/* Where a called or referenced function is declared: its file, and
 * whether that is a system header (the C library). */
static void callee_origin(Expr *e, CXCursor decl) {
  CXFile file;
  clang_getExpansionLocation(clang_getCursorLocation(decl), &file, NULL, NULL, NULL);
  if (file)
    e->callee_file = take_string(clang_getFileName(file));
  e->system_callee = clang_Location_isInSystemHeader(clang_getCursorLocation(decl));
}

/* Whether cursor c is spelled in <tgmath.h> (inside one of its macros). */
static bool from_tgmath(CXCursor c) {
  CXFile file;
  clang_getSpellingLocation(clang_getCursorLocation(c), &file, NULL, NULL, NULL);
  if (!file)
    return false;
  char *name = take_string(clang_getFileName(file));
  const char *base = strrchr(name, '/');
  bool tgmath = !strcmp(base ? base + 1 : name, "tgmath.h");
  free(name);
  return tgmath;
}

/* <tgmath.h> (clang's): exp(z) is a call of the overload __tg_exp chosen
 * by the argument's type, its arguments converted to that type.  The call
 * becomes the C library's function of that type, exp, expf, cexp or
 * cexpf (fabs of a complex: cabs), declared by <math.h> or <complex.h>. */
static void resolve_type_generic(Expr *e) {
  if (!e->text || strncmp(e->text, "__tg_", 5) || !e->system_callee || !e->args.len)
    return;
  const char *name = e->text + 5;
  Type *t = ((Expr *)e->args.items[0])->type;
  bool complex_arg = type_is_complex(t);
  if (!type_is_floating(t))
    return; /* an integer argument: the double function, with the conversion C makes */
  bool complex_only = !strcmp(name, "creal") || !strcmp(name, "cimag") || !strcmp(name, "conj") ||
                      !strcmp(name, "carg") || !strcmp(name, "cproj");
  const char *base = complex_only || !complex_arg ? name : !strcmp(name, "fabs") ? "cabs" : format("c%s", name);
  e->text = type_is_single(t) ? format("%sf", base) : base;
  e->callee_file = NULL;
}

static bool is_not_function_name(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind != EX_FUNCREF && e->kind != EX_INIT && e->kind != EX_CAST && e->kind != EX_ADDR &&
         !(e->kind == EX_NUM && !strcmp(e->text, "0"));
}

/* The initializer of a constant function pointer or table of them
 * (`static double (*const acts[])(double) = {relu, soft}`), made of
 * function names only: ad/ calls through it the functions it names.
 * NULL for other variables, and for pointers that may change. */
static Expr *function_initializer(Frontend *fe, CXCursor decl, Type *type) {
  Type *elem = type;
  while (elem->kind == TY_ARRAY)
    elem = elem->base;
  if (!type_is_function_pointer(elem) || !type_is_const_data(type))
    return NULL;
  CXCursor init = clang_Cursor_getVarDeclInitializer(decl);
  if (clang_Cursor_isNull(init))
    return NULL;
  Expr *e = translate_expr(fe, init);
  return expr_any(e, is_not_function_name, NULL) ? NULL : e;
}

static Expr *binary(Frontend *fe, CXCursor c, ExprKind kind, BinOp op) {
  Cursors ch = children_of(c);
  Expr *e = new_expr(kind, translate_type(fe, clang_getCursorType(c)), loc_of(fe, c));
  e->op = op;
  if (ch.len == 2) {
    e->lhs = translate_expr(fe, ch.items[0]);
    e->rhs = translate_expr(fe, ch.items[1]);
    if (kind == EX_BINARY && e->type->kind == TY_ARRAY) /* `c + 1` for a parameter `double c[]` */
      e->type = type_pointer_to(e->type->base);
  } else {
    e = unsupported_expr(fe, c, "malformed binary expression");
  }
  free(ch.items);
  return e;
}

static Expr *translate_binary(Frontend *fe, CXCursor c) {
  enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(c);
  switch (k) {
  case CXBinaryOperator_Mul: return binary(fe, c, EX_BINARY, OP_MUL);
  case CXBinaryOperator_Div: return binary(fe, c, EX_BINARY, OP_DIV);
  case CXBinaryOperator_Rem: return binary(fe, c, EX_BINARY, OP_MOD);
  case CXBinaryOperator_Add: return binary(fe, c, EX_BINARY, OP_ADD);
  case CXBinaryOperator_Sub: return binary(fe, c, EX_BINARY, OP_SUB);
  case CXBinaryOperator_Shl: return binary(fe, c, EX_BINARY, OP_SHL);
  case CXBinaryOperator_Shr: return binary(fe, c, EX_BINARY, OP_SHR);
  case CXBinaryOperator_LT: return binary(fe, c, EX_BINARY, OP_LT);
  case CXBinaryOperator_GT: return binary(fe, c, EX_BINARY, OP_GT);
  case CXBinaryOperator_LE: return binary(fe, c, EX_BINARY, OP_LE);
  case CXBinaryOperator_GE: return binary(fe, c, EX_BINARY, OP_GE);
  case CXBinaryOperator_EQ: return binary(fe, c, EX_BINARY, OP_EQ);
  case CXBinaryOperator_NE: return binary(fe, c, EX_BINARY, OP_NE);
  case CXBinaryOperator_And: return binary(fe, c, EX_BINARY, OP_BITAND);
  case CXBinaryOperator_Xor: return binary(fe, c, EX_BINARY, OP_BITXOR);
  case CXBinaryOperator_Or: return binary(fe, c, EX_BINARY, OP_BITOR);
  case CXBinaryOperator_LAnd: return binary(fe, c, EX_BINARY, OP_LAND);
  case CXBinaryOperator_LOr: return binary(fe, c, EX_BINARY, OP_LOR);
  case CXBinaryOperator_Comma: return binary(fe, c, EX_BINARY, OP_COMMA);
  case CXBinaryOperator_Assign: return binary(fe, c, EX_ASSIGN, OP_NONE);
  case CXBinaryOperator_MulAssign: return binary(fe, c, EX_ASSIGN, OP_MUL);
  case CXBinaryOperator_DivAssign: return binary(fe, c, EX_ASSIGN, OP_DIV);
  case CXBinaryOperator_RemAssign: return binary(fe, c, EX_ASSIGN, OP_MOD);
  case CXBinaryOperator_AddAssign: return binary(fe, c, EX_ASSIGN, OP_ADD);
  case CXBinaryOperator_SubAssign: return binary(fe, c, EX_ASSIGN, OP_SUB);
  case CXBinaryOperator_ShlAssign: return binary(fe, c, EX_ASSIGN, OP_SHL);
  case CXBinaryOperator_ShrAssign: return binary(fe, c, EX_ASSIGN, OP_SHR);
  case CXBinaryOperator_AndAssign: return binary(fe, c, EX_ASSIGN, OP_BITAND);
  case CXBinaryOperator_XorAssign: return binary(fe, c, EX_ASSIGN, OP_BITXOR);
  case CXBinaryOperator_OrAssign: return binary(fe, c, EX_ASSIGN, OP_BITOR);
  default: return unsupported_expr(fe, c, "this binary operator");
  }
}

static Expr *unary(Frontend *fe, CXCursor c, ExprKind kind) {
  Cursors ch = children_of(c);
  Expr *e = new_expr(kind, translate_type(fe, clang_getCursorType(c)), loc_of(fe, c));
  if (ch.len == 1)
    e->lhs = translate_expr(fe, ch.items[0]);
  else
    e = unsupported_expr(fe, c, "malformed unary expression");
  free(ch.items);
  return e;
}

static Expr *translate_unary(Frontend *fe, CXCursor c) {
  Expr *e;
  switch (clang_getCursorUnaryOperatorKind(c)) {
  case CXUnaryOperator_PostInc: e = unary(fe, c, EX_INCDEC); e->increment = true; return e;
  case CXUnaryOperator_PostDec: return unary(fe, c, EX_INCDEC);
  case CXUnaryOperator_PreInc: e = unary(fe, c, EX_INCDEC); e->increment = e->prefix = true; return e;
  case CXUnaryOperator_PreDec: e = unary(fe, c, EX_INCDEC); e->prefix = true; return e;
  case CXUnaryOperator_AddrOf: return unary(fe, c, EX_ADDR);
  case CXUnaryOperator_Deref: return unary(fe, c, EX_DEREF);
  case CXUnaryOperator_Plus: return unary(fe, c, EX_PLUS);
  case CXUnaryOperator_Minus: return unary(fe, c, EX_NEG);
  case CXUnaryOperator_Not: return unary(fe, c, EX_BITNOT);
  case CXUnaryOperator_LNot: return unary(fe, c, EX_NOT);
  case CXUnaryOperator_Real: /* GNU __real__ z, __imag__ z: creal(z), cimag(z) */
  case CXUnaryOperator_Imag: {
    bool real = clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_Real;
    e = unary(fe, c, EX_PLUS);
    if (e->kind == EX_UNSUPPORTED || !type_is_complex(e->lhs->type))
      return e->kind == EX_UNSUPPORTED || real ? (e->kind == EX_UNSUPPORTED ? e : e->lhs)
                                               : unsupported_expr(fe, c, "__imag__ of a real value");
    const char *name = real ? "creal" : "cimag";
    return expr_call(type_is_single(e->type) ? format("%sf", name) : name, e->type, e->lhs, NULL);
  }
  case CXUnaryOperator_Extension: {
    Cursors ch = children_of(c);
    e = ch.len == 1 ? translate_expr(fe, ch.items[0]) : unsupported_expr(fe, c, "__extension__");
    free(ch.items);
    return e;
  }
  default: return unsupported_expr(fe, c, "this unary operator");
  }
}

static bool same_type(const Type *a, const Type *b) {
  if (a->kind != b->kind)
    return false;
  if (a->kind == TY_PTR || a->kind == TY_ARRAY)
    return true; /* decay and qualification changes are not conversions we model */
  if (a->name && b->name)
    return strcmp(a->name, b->name) == 0;
  return a == b;
}

/* {0} */
static bool is_zero_init(const Expr *init) {
  if (init->args.len != 1)
    return false;
  const Expr *v = init->args.items[0];
  while (v->kind == EX_CAST && v->implicit)
    v = v->lhs;
  return v->kind == EX_NUM && !strcmp(v->text, "0");
}

/* Whether an initializer list gives every inner struct and array its own
 * braces, so that its i-th value belongs to the i-th member or element
 * ({0} zeroes anything). */
static bool fully_braced(const Expr *init) {
  const Type *t = init->type;
  if (is_zero_init(init))
    return true;
  if (t->kind == TY_STRUCT && init->args.len > (t->is_union ? 1 : t->nmembers))
    return false;
  if (t->kind == TY_ARRAY && t->array_len >= 0 && init->args.len > t->array_len)
    return false;
  for (int i = 0; i < init->args.len; i++) {
    const Expr *value = init->args.items[i];
    if (value->kind == EX_UNSUPPORTED)
      return true; /* unsupported itself (a designator): reported as such */
    const Type *want = t->kind == TY_STRUCT ? t->members[i].type : t->kind == TY_ARRAY ? t->base : t;
    if (want->kind == TY_ARRAY ? value->kind != EX_INIT && value->kind != EX_STRING
        : want->kind == TY_STRUCT ? value->type->kind != TY_STRUCT
                                  : value->kind == EX_INIT)
      return false;
  }
  return true;
}

static Expr *translate_expr_here(Frontend *fe, CXCursor c);
static Stmt *unsupported_stmt(Frontend *fe, CXCursor c, const char *what);
static Stmt *translate_stmt(Frontend *fe, CXCursor c);

/* Nesting past MAX_NESTING, reported once: translation is recursive and
 * so is every later stage. */
static bool nested_too_deep(Frontend *fe, CXCursor c, int depth, const char *what, const char *advice) {
  if (depth < MAX_NESTING)
    return false;
  if (!fe->too_deep)
    error_at(loc_of(fe, c), "%s nested deeper than %d levels; %s", what, MAX_NESTING, advice);
  fe->too_deep = true;
  return true;
}

/* A sizeof or _Alignof: `sizeof(T)` as written when it is spelled with
 * keywords, else its value. */
static Expr *translate_size(Frontend *fe, CXCursor c, Loc loc) {
  if (!is_macro_expanded(c)) {
    CXToken *toks;
    unsigned n;
    clang_tokenize(fe->tu, clang_getCursorExtent(c), &toks, &n);
    Buf text = {0};
    bool simple = n >= 4;
    for (unsigned i = 0; i < n && simple; i++) {
      char *t = take_string(clang_getTokenSpelling(fe->tu, toks[i]));
      enum CXTokenKind tk = clang_getTokenKind(toks[i]);
      simple = (i == 0 && !strcmp(t, "sizeof")) || (i == 1 && !strcmp(t, "(")) ||
               (i == n - 1 && !strcmp(t, ")")) ||
               (i > 1 && i < n - 1 && (tk == CXToken_Keyword || !strcmp(t, "*")));
      buf_printf(&text, "%s%s", i > 1 && i < n - 1 && i > 2 && strcmp(t, "*") ? " " : "", t);
      free(t);
    }
    clang_disposeTokens(fe->tu, toks, n);
    if (simple) {
      Expr *e = new_expr(EX_SIZEOF, translate_type(fe, clang_getCursorType(c)), loc);
      e->text = text.buf;
      return e;
    }
    free(text.buf);
  }
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (!r)
    return unsupported_expr(fe, c, "sizeof of a variable-length type");
  Expr *e = new_expr(EX_NUM, translate_type(fe, clang_getCursorType(c)), loc);
  e->text = format("%lluu", clang_EvalResult_getAsUnsigned(r));
  clang_EvalResult_dispose(r);
  return e;
}

/* A type spelled with keywords ("unsigned long", "double", "double *"):
 * enough of it to compare with an element type; NULL for other words. */
static Type *keyword_type(char **words, int n) {
  bool is_long = false, pointer = false, seen = false;
  TypeKind kind = TY_INT;
  Buf name = {0};
  for (int i = 0; i < n; i++) {
    const char *w = words[i];
    if (!strcmp(w, "*")) {
      pointer = true;
      continue;
    }
    if (pointer)
      return NULL; /* `double * const` and the like: not needed */
    if (!strcmp(w, "const") || !strcmp(w, "volatile"))
      continue;
    seen = true;
    if (!strcmp(w, "double"))
      kind = TY_DOUBLE;
    else if (!strcmp(w, "float"))
      kind = TY_FLOAT;
    else if (!strcmp(w, "void"))
      kind = TY_VOID;
    else if (!strcmp(w, "_Bool"))
      kind = TY_BOOL;
    else if (!strcmp(w, "char") && kind == TY_INT)
      kind = TY_CHAR;
    else if (strcmp(w, "signed") && strcmp(w, "unsigned") && strcmp(w, "short") && strcmp(w, "long") &&
             strcmp(w, "int") && strcmp(w, "char"))
      return NULL; /* _Complex, struct, an array's brackets, a name */
    is_long |= !strcmp(w, "long");
    buf_printf(&name, "%s%s", name.len ? " " : "", w);
  }
  if (!seen)
    return NULL;
  if (kind == TY_DOUBLE && is_long)
    kind = TY_LDOUBLE;
  Type *t = new_type(kind, name.buf);
  return pointer ? type_pointer_to(t) : t;
}

/* A token's spelling, or the words of the object-like macro it names
 * (one level: `REAL` defined as `double`, on the command line too). */
static void push_words(Frontend *fe, CXToken tok, Vec *words) {
  char *t = take_string(clang_getTokenSpelling(fe->tu, tok));
  if (clang_getTokenKind(tok) != CXToken_Identifier) {
    vec_push(words, t);
    return;
  }
  CXCursor m = clang_getCursor(fe->tu, clang_getTokenLocation(fe->tu, tok));
  if (clang_getCursorKind(m) != CXCursor_MacroExpansion) {
    vec_push(words, t);
    return;
  }
  CXCursor def = clang_getCursorReferenced(m);
  CXToken *dt;
  unsigned dn;
  clang_tokenize(fe->tu, clang_getCursorExtent(def), &dt, &dn);
  if (clang_getCursorKind(def) != CXCursor_MacroDefinition || clang_Cursor_isMacroFunctionLike(def) || dn < 2)
    vec_push(words, t); /* left as the name: not a keyword, so not understood */
  for (unsigned i = 1; i < dn && clang_getCursorKind(def) == CXCursor_MacroDefinition &&
                       !clang_Cursor_isMacroFunctionLike(def); i++)
    vec_push(words, take_string(clang_getTokenSpelling(fe->tu, dt[i])));
  clang_disposeTokens(fe->tu, dt, dn);
}

/* A sizeof's value, and the type it measures when that is plain: the
 * operand of `sizeof x`, `sizeof *p`, `sizeof(a[0])`; `sizeof(T)` for a
 * typedef or struct name or a type spelled with keywords (through one
 * object-like macro: sizeof(REAL)).  ad/memfns.c checks byte counts with
 * them. */
static void measure_sizeof(Frontend *fe, CXCursor c, Expr *e) {
  if (is_macro_expanded(c))
    return;
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, clang_getCursorExtent(c), &toks, &n);
  char *first = n ? take_string(clang_getTokenSpelling(fe->tu, toks[0])) : NULL;
  CXEvalResult r = first && !strcmp(first, "sizeof") && n >= 2 ? clang_Cursor_Evaluate(c) : NULL;
  free(first);
  if (!r) {
    clang_disposeTokens(fe->tu, toks, n);
    return;
  }
  e->sizeof_bytes = (long)clang_EvalResult_getAsUnsigned(r);
  clang_EvalResult_dispose(r);
  Cursors all = {0};
  clang_visitChildren(c, collect_child, &all);
  CXSourceRange whole = clang_getCursorExtent(c);
  if (all.len == 1 && clang_isExpression(clang_getCursorKind(all.items[0]))) {
    CXSourceRange part = clang_getCursorExtent(all.items[0]);
    if (clang_equalLocations(clang_getRangeStart(part), clang_getTokenLocation(fe->tu, toks[1])) &&
        clang_equalLocations(clang_getRangeEnd(part), clang_getRangeEnd(whole)))
      e->sizeof_type = translate_type(fe, clang_getCursorType(all.items[0])); /* sizeof x, sizeof(x) */
  } else if (n >= 4 && all.len <= 1) {
    Vec words = {0};
    for (unsigned i = 2; i + 1 < n; i++)
      push_words(fe, toks[i], &words);
    char **w = (char **)words.items;
    bool plain_name = words.len == 1 || (words.len == 2 && (!strcmp(w[0], "struct") || !strcmp(w[0], "union")));
    if (all.len == 1 && clang_getCursorKind(all.items[0]) == CXCursor_TypeRef && plain_name)
      e->sizeof_type = translate_type(fe, clang_getCursorType(all.items[0])); /* sizeof(real), sizeof(struct S) */
    else if (!all.len)
      e->sizeof_type = keyword_type(w, words.len);
    free(words.items);
  }
  free(all.items);
  clang_disposeTokens(fe->tu, toks, n);
}

/* The association a _Generic selection chose: the one expression among
 * its associations whose type is the selection's (libclang does not say
 * which it chose; when two have that type it cannot be told, and the
 * null cursor is returned).  vg_stop_gradient(x) is such a selection of a
 * function, called. */
static CXCursor generic_selected(CXCursor c) {
  while (clang_getCursorKind(c) == CXCursor_UnexposedExpr || clang_getCursorKind(c) == CXCursor_ParenExpr) {
    Cursors ch = children_of(c);
    CXCursor inner = ch.len == 1 ? ch.items[0] : clang_getNullCursor();
    free(ch.items);
    if (clang_Cursor_isNull(inner))
      return inner;
    c = inner;
  }
  if (clang_getCursorKind(c) != CXCursor_GenericSelectionExpr)
    return clang_getNullCursor();
  Cursors ch = children_of(c);
  CXType type = clang_getCursorType(c);
  CXCursor found = clang_getNullCursor();
  int matches = 0;
  for (int i = 1; i < ch.len; i++) { /* 0: the controlling expression */
    if (clang_isExpression(clang_getCursorKind(ch.items[i])) &&
        clang_equalTypes(clang_getCursorType(ch.items[i]), type)) {
      found = ch.items[i];
      matches++;
    }
  }
  free(ch.items);
  return matches == 1 ? found : clang_getNullCursor();
}

static Expr *translate_expr(Frontend *fe, CXCursor c) {
  if (nested_too_deep(fe, c, fe->expr_depth, "expression", "split it into several statements"))
    return unsupported_expr(fe, c, "an expression nested too deep");
  fe->expr_depth++;
  Expr *e = translate_expr_here(fe, c);
  fe->expr_depth--;
  return e;
}

static Expr *translate_expr_here(Frontend *fe, CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  Loc loc = loc_of(fe, c);
  switch (k) {
  case CXCursor_IntegerLiteral:
  case CXCursor_FloatingLiteral:
  case CXCursor_CharacterLiteral:
    return literal(fe, c);
  case CXCursor_ImaginaryLiteral: { /* I (complex.h's macro), or 2.0i as written */
    char *tok = is_macro_expanded(c) ? macro_literal_spelling(c) : first_token(fe, c);
    if (!tok || !(!strcmp(tok, "I") || tok[0] == '.' || (tok[0] >= '0' && tok[0] <= '9')))
      return unsupported_expr(fe, c, "this imaginary constant; write I from <complex.h>");
    Expr *e = new_expr(EX_NUM, translate_type(fe, clang_getCursorType(c)), loc);
    e->text = tok;
    return e;
  }
  case CXCursor_StringLiteral: {
    Expr *e = new_expr(EX_STRING, translate_type(fe, clang_getCursorType(c)), loc);
    e->text = take_string(clang_getCursorSpelling(c));
    return e;
  }
  case CXCursor_ParenExpr: {
    Cursors ch = children_of(c);
    Expr *e = ch.len == 1 ? translate_expr(fe, ch.items[0]) : unsupported_expr(fe, c, "parenthesised expression");
    free(ch.items);
    return e;
  }
  case CXCursor_UnexposedExpr: {
    /* Mostly implicit conversions; keep arithmetic ones visible to ad/. */
    Cursors ch = children_of(c);
    Expr *e;
    if (ch.len != 1) {
      e = unsupported_expr(fe, c, "this expression");
    } else {
      Expr *inner = translate_expr(fe, ch.items[0]);
      Type *t = translate_type(fe, clang_getCursorType(c));
      if (type_is_arith(t) && type_is_arith(inner->type) && !same_type(t, inner->type)) {
        e = new_expr(EX_CAST, t, loc);
        e->implicit = true;
        e->lhs = inner;
      } else {
        e = inner;
      }
    }
    free(ch.items);
    return e;
  }
  case CXCursor_DeclRefExpr: {
    CXCursor ref = clang_getCursorReferenced(c);
    enum CXCursorKind rk = clang_getCursorKind(ref);
    if (rk == CXCursor_EnumConstantDecl)
      return literal(fe, c);
    if (rk == CXCursor_FunctionDecl) {
      Expr *e = new_expr(EX_FUNCREF, translate_type(fe, clang_getCursorType(c)), loc);
      e->text = take_string(clang_getCursorSpelling(ref));
      callee_origin(e, ref);
      return e;
    }
    Var *v = find_var(fe, ref);
    if (!v) {
      /* A global (or a local of an enclosing scope we have not seen). */
      v = new_var(fe, ref, -1);
      v->is_global = true;
      v->is_static = clang_Cursor_getStorageClass(ref) == CX_SC_Static;
      v->init = constant_initializer(fe, ref, v->type);
      v->fn_init = function_initializer(fe, ref, v->type);
    }
    Expr *e = new_expr(EX_VAR, v->type, loc);
    e->var = v;
    return e;
  }
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator:
    return translate_binary(fe, c);
  case CXCursor_UnaryOperator:
    return translate_unary(fe, c);
  case CXCursor_ArraySubscriptExpr: {
    Expr *e = binary(fe, c, EX_INDEX, OP_NONE);
    if (e->kind == EX_INDEX && type_is_integer(e->lhs->type)) {
      Expr *t = e->lhs; /* i[x] means x[i] */
      e->lhs = e->rhs;
      e->rhs = t;
    }
    return e;
  }
  case CXCursor_MemberRefExpr: {
    Cursors ch = children_of(c);
    Expr *e;
    if (ch.len != 1) {
      e = unsupported_expr(fe, c, "member access");
    } else {
      e = new_expr(EX_MEMBER, translate_type(fe, clang_getCursorType(c)), loc);
      e->lhs = translate_expr(fe, ch.items[0]);
      e->text = take_string(clang_getCursorSpelling(c));
      e->arrow = e->lhs->type->kind == TY_PTR;
      e->loc = loc_of_location(fe, clang_getCursorLocation(c));
    }
    free(ch.items);
    return e;
  }
  case CXCursor_CStyleCastExpr: {
    Cursors ch = children_of(c);
    Expr *e = new_expr(EX_CAST, translate_type(fe, clang_getCursorType(c)), loc);
    if (ch.len >= 1)
      e->lhs = translate_expr(fe, ch.items[ch.len - 1]);
    else
      e = unsupported_expr(fe, c, "cast");
    free(ch.items);
    /* <tgmath.h>'s macros cast an argument to its own type: nothing */
    if (e->kind == EX_CAST && type_is_arith(e->type) && same_type(e->type, e->lhs->type) && from_tgmath(c))
      return e->lhs;
    return e;
  }
  case CXCursor_ConditionalOperator: {
    Cursors ch = children_of(c);
    Expr *e = new_expr(EX_COND, translate_type(fe, clang_getCursorType(c)), loc);
    if (ch.len == 3) {
      e->cond = translate_expr(fe, ch.items[0]);
      e->lhs = translate_expr(fe, ch.items[1]);
      e->rhs = translate_expr(fe, ch.items[2]);
    } else {
      e = unsupported_expr(fe, c, "the '?:' form without a middle operand");
    }
    free(ch.items);
    return e;
  }
  case CXCursor_CallExpr: {
    Expr *e = new_expr(EX_CALL, translate_type(fe, clang_getCursorType(c)), loc);
    CXCursor callee = clang_getCursorReferenced(c);
    if (clang_getCursorKind(callee) != CXCursor_FunctionDecl) { /* _Generic(x, double: f, ...)(x) */
      Cursors ch = children_of(c);
      CXCursor chosen = ch.len >= 1 ? generic_selected(ch.items[0]) : clang_getNullCursor();
      free(ch.items);
      if (clang_getCursorKind(chosen) == CXCursor_DeclRefExpr &&
          clang_getCursorKind(clang_getCursorReferenced(chosen)) == CXCursor_FunctionDecl)
        callee = clang_getCursorReferenced(chosen);
    }
    if (clang_getCursorKind(callee) == CXCursor_FunctionDecl) {
      e->text = take_string(clang_getCursorSpelling(callee));
      callee_origin(e, callee);
    } else {
      /* through a pointer: ad/ resolves the callee (lhs) to the functions it may hold */
      Cursors ch = children_of(c);
      if (ch.len < 1) {
        free(ch.items);
        return unsupported_expr(fe, c, "a call through a function pointer");
      }
      e->text = "";
      e->lhs = translate_expr(fe, ch.items[0]);
      free(ch.items);
    }
    int n = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < n; i++)
      vec_push(&e->args, translate_expr(fe, clang_Cursor_getArgument(c, (unsigned)i)));
    resolve_type_generic(e);
    return e;
  }
  case CXCursor_UnaryExpr: {
    /* sizeof, _Alignof: constants; keep `sizeof(T)` as written when we can. */
    Expr *e = translate_size(fe, c, loc);
    if (e && e->kind != EX_UNSUPPORTED)
      measure_sizeof(fe, c, e);
    return e;
  }
  case CXCursor_InitListExpr:
  case CXCursor_CompoundLiteralExpr: {
    Cursors ch = children_of(c);
    Expr *e = new_expr(k == CXCursor_InitListExpr ? EX_INIT : EX_COMPOUND,
                       translate_type(fe, clang_getCursorType(c)), loc);
    if (k == CXCursor_CompoundLiteralExpr) {
      if (ch.len == 1 && clang_getCursorKind(ch.items[0]) == CXCursor_InitListExpr)
        e->lhs = translate_expr(fe, ch.items[0]);
      else
        e = unsupported_expr(fe, c, "compound literal");
    } else {
      for (int i = 0; i < ch.len; i++) {
        /* `.m = v` and `[k] = v` come as the value alone: refused, not read in the wrong place */
        char *tok = clang_getCursorKind(ch.items[i]) == CXCursor_UnexposedExpr ? first_token(fe, ch.items[i]) : NULL;
        bool designated = tok && (!strcmp(tok, ".") || !strcmp(tok, "["));
        free(tok);
        vec_push(&e->args, designated ? unsupported_expr(fe, ch.items[i], "a designated initializer ('.member =' or "
                                                                          "'[index] =')")
                                      : translate_expr(fe, ch.items[i]));
      }
      const Type *first = e->type->kind == TY_STRUCT && e->type->nmembers ? e->type->members[0].type
                          : e->type->kind == TY_ARRAY                       ? e->type->base
                                                                            : NULL;
      if (is_zero_init(e) && first && (first->kind == TY_STRUCT || first->kind == TY_ARRAY))
        e->args.len = 0; /* {0} for a struct or array whose first part is one too: all zero */
      else if (!fully_braced(e))
        e = unsupported_expr(fe, c, "an initializer that leaves out the braces of an inner struct or array "
                             "(write them, as in {{a, b}, c})");
    }
    free(ch.items);
    return e;
  }
  case CXCursor_StmtExpr: {
    Cursors ch = children_of(c);
    Expr *e;
    if (ch.len == 1 && clang_getCursorKind(ch.items[0]) == CXCursor_CompoundStmt) {
      e = new_expr(EX_STMT_EXPR, translate_type(fe, clang_getCursorType(c)), loc);
      e->stmts = translate_stmt(fe, ch.items[0]);
    } else {
      e = unsupported_expr(fe, c, "this statement expression");
    }
    free(ch.items);
    return e;
  }
  case CXCursor_GenericSelectionExpr: {
    CXCursor chosen = generic_selected(c);
    return clang_Cursor_isNull(chosen) ? unsupported_expr(fe, c, "_Generic") : translate_expr(fe, chosen);
  }
  default: {
    char *kind = take_string(clang_getCursorKindSpelling(k));
    return unsupported_expr(fe, c, format("expression of kind %s", kind));
  }
  }
}

/* ---- statements ---- */

static Stmt *unsupported_stmt(Frontend *fe, CXCursor c, const char *what) {
  Stmt *s = new_stmt(ST_UNSUPPORTED, loc_of(fe, c));
  s->text = what;
  return s;
}

static Stmt *translate_stmt(Frontend *fe, CXCursor c);

/* The length of `double buf[C]` when C is a const int initialised with a
 * constant (C calls that array variable-length; its length never changes), or
 * -1 for a length known only at run time. */
static long constant_length(CXCursor size) {
  CXEvalResult r = clang_Cursor_Evaluate(size);
  if (!r)
    return -1;
  long len = -1;
  if (clang_EvalResult_getKind(r) == CXEval_Int) {
    bool is_unsigned = clang_EvalResult_isUnsignedInt(r);
    unsigned long long u = clang_EvalResult_getAsUnsigned(r);
    long long n = clang_EvalResult_getAsLongLong(r);
    if (is_unsigned ? u > 0 && u <= 0x7fffffffULL : n > 0 && n <= 0x7fffffffLL)
      len = is_unsigned ? (long)u : (long)n;
  }
  clang_EvalResult_dispose(r);
  return len;
}

static Stmt *translate_decl(Frontend *fe, CXCursor d) {
  Var *v = new_var(fe, d, -1);
  if (clang_Cursor_getStorageClass(d) == CX_SC_Static) {
    /* A constant table: a static constant of the generated file. */
    v->init = type_is_const_data(v->type) ? constant_initializer(fe, d, v->type) : NULL;
    v->fn_init = function_initializer(fe, d, v->type);
    if (!v->init && !v->fn_init) {
      Stmt *s = unsupported_stmt(fe, d, format("static local '%s', which keeps its value from one call to the next "
                                               "(the generated function cannot share it with '%s'),", v->name,
                                               fe->func->name));
      s->note = "make it a global, or const with a constant initializer if it never changes";
      return s;
    }
    v->is_global = v->is_static = true;
    if (name_set_contains(&fe->prog->input_names, v->name) || name_set_contains(&fe->static_locals, v->name))
      v->name = format("%s_%s", fe->func->name, v->name);
    name_set_add(&fe->static_locals, v->name);
    name_set_add(&fe->prog->input_names, v->name); /* a name no generated local may hide */
    vec_push(&fe->prog->static_locals, v);
    vec_push(&fe->prog->static_local_funcs, (void *)fe->func->name);
    return new_stmt(ST_EMPTY, loc_of(fe, d));
  }
  vec_push(&fe->func->locals, v);
  Stmt *s = new_stmt(ST_DECL, loc_of(fe, d));
  s->var = v;
  if (clang_Cursor_getStorageClass(d) == CX_SC_Extern)
    return unsupported_stmt(fe, d, "an extern declaration inside a function");
  CXCursor init = clang_Cursor_getVarDeclInitializer(d);
  if (!clang_Cursor_isNull(init))
    s->init = translate_expr(fe, init);
  if (v->type->kind == TY_ARRAY && v->type->array_len < 0) {
    /* A variable-length array: keep its size expression. */
    Cursors ch = children_of(d);
    if (ch.len >= 1 && clang_isExpression(clang_getCursorKind(ch.items[0]))) {
      s->vla_len = translate_expr(fe, ch.items[0]);
      long fixed = constant_length(ch.items[0]);
      if (fixed > 0 && v->type->base->kind != TY_ARRAY && !expr_has_kind(s->vla_len, EX_ASSIGN) &&
          !expr_has_kind(s->vla_len, EX_INCDEC) && !expr_has_kind(s->vla_len, EX_CALL)) {
        v->type->array_len = fixed; /* declared once at function scope like double a[3] */
        if (!expr_has_kind(s->vla_len, EX_VAR))
          s->vla_len = NULL;
      }
    }
    free(ch.items);
  }
  return s;
}

/* `for (init; cond; step) body`: libclang omits missing parts, so place the
 * children by where they start relative to the two semicolons. */
static Stmt *translate_for(Frontend *fe, CXCursor c) {
  Stmt *s = new_stmt(ST_FOR, loc_of(fe, c));
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, clang_getCursorExtent(c), &toks, &n);
  unsigned semi[2] = {0, 0}, close = 0;
  int depth = 0, found = 0;
  for (unsigned i = 0; i < n; i++) {
    char *t = take_string(clang_getTokenSpelling(fe->tu, toks[i]));
    unsigned off;
    clang_getExpansionLocation(clang_getTokenLocation(fe->tu, toks[i]), NULL, NULL, NULL, &off);
    if (!strcmp(t, "("))
      depth++;
    else if (!strcmp(t, ")") && --depth == 0) {
      close = off;
      free(t);
      break;
    } else if (!strcmp(t, ";") && depth == 1 && found < 2)
      semi[found++] = off;
    free(t);
  }
  clang_disposeTokens(fe->tu, toks, n);
  Cursors ch = children_of(c);
  if (found != 2) {
    free(ch.items);
    return unsupported_stmt(fe, c, "a 'for' statement produced by a macro");
  }
  for (int i = 0; i < ch.len; i++) {
    unsigned off;
    clang_getExpansionLocation(clang_getCursorLocation(ch.items[i]), NULL, NULL, NULL, &off);
    CXSourceRange r = clang_getCursorExtent(ch.items[i]);
    clang_getExpansionLocation(clang_getRangeStart(r), NULL, NULL, NULL, &off);
    if (off < semi[0] || (clang_getCursorKind(ch.items[i]) == CXCursor_DeclStmt && off <= semi[0]))
      s->for_init = translate_stmt(fe, ch.items[i]);
    else if (off < semi[1])
      s->expr = translate_expr(fe, ch.items[i]);
    else if (off < close)
      s->step = translate_expr(fe, ch.items[i]);
    else
      s->then = translate_stmt(fe, ch.items[i]);
  }
  free(ch.items);
  if (!s->then)
    s->then = new_stmt(ST_EMPTY, s->loc);
  return s;
}

static Stmt *translate_stmt_here(Frontend *fe, CXCursor c);


static enum CXChildVisitResult find_label_ref(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  if (clang_getCursorKind(c) != CXCursor_LabelRef)
    return CXChildVisit_Continue;
  *(CXCursor *)data = c;
  return CXChildVisit_Break;
}

/* The label a goto names; NULL if libclang does not show it. */
static const char *goto_label(CXCursor c) {
  CXCursor ref = clang_getNullCursor();
  clang_visitChildren(c, find_label_ref, &ref);
  if (clang_Cursor_isNull(ref))
    return NULL;
  return take_string(clang_getCursorSpelling(ref));
}

/* A case label's value, an integer constant expression: its spelling when
 * it is one literal ('a', 0x10), else its value (an enumerator, a macro, 2 * K). */
static Expr *case_value(Frontend *fe, CXCursor c) {
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (!r || clang_EvalResult_getKind(r) != CXEval_Int) {
    if (r)
      clang_EvalResult_dispose(r);
    return translate_expr(fe, c);
  }
  Expr *e = new_expr(EX_NUM, translate_type(fe, clang_getCursorType(c)), loc_of(fe, c));
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, clang_getCursorExtent(c), &toks, &n);
  char *tok = n == 1 && !is_macro_expanded(c) ? take_string(clang_getTokenSpelling(fe->tu, toks[0])) : NULL;
  clang_disposeTokens(fe->tu, toks, n);
  if (tok && ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '\''))
    e->text = tok;
  else if (clang_EvalResult_isUnsignedInt(r))
    e->text = format("%lluu", clang_EvalResult_getAsUnsigned(r));
  else
    e->text = format("%lld", clang_EvalResult_getAsLongLong(r));
  clang_EvalResult_dispose(r);
  return e;
}

/* The call to __assert_fail in glibc's expansions of assert(c). */
static Expr *assert_fail_of(Expr *e, Expr **cond) {
  while (e && e->kind == EX_CAST && e->type->kind == TY_VOID)
    e = e->lhs;
  if (!e)
    return NULL;
  if (e->kind == EX_COND) { /* strict C: c ? (void) 0 : __assert_fail (...) */
    *cond = e->cond;
    return e->rhs->kind == EX_CALL ? e->rhs : NULL;
  }
  if (e->kind == EX_BINARY && e->op == OP_COMMA && e->rhs->kind == EX_STMT_EXPR) {
    /* GNU C: (void) sizeof (c ? 1 : 0), ({ if (c) ; else __assert_fail (...); }) */
    Stmt *b = e->rhs->stmts;
    Stmt *s = b && b->kind == ST_BLOCK && b->body.len == 1 ? b->body.items[0] : NULL;
    if (!s || s->kind != ST_IF || !s->els || s->els->kind != ST_EXPR)
      return NULL;
    *cond = s->expr;
    return s->els->expr->kind == EX_CALL ? s->els->expr : NULL;
  }
  return NULL;
}

/* `assert(c);` stays `assert(c)` in the generated code (so NDEBUG, when
 * that file is compiled, decides as it does for the input), instead of
 * the expansion of the C library at hand. */
static Expr *assert_call(Frontend *fe, CXCursor c, Expr *e) {
  if (!is_macro_expanded(c))
    return e;
  CXFile file;
  unsigned offset;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &file, NULL, NULL, &offset);
  CXToken *macro = file ? clang_getToken(fe->tu, clang_getLocationForOffset(fe->tu, file, offset)) : NULL;
  char *name = macro ? take_string(clang_getTokenSpelling(fe->tu, *macro)) : NULL;
  if (macro)
    clang_disposeTokens(fe->tu, macro, 1);
  bool is_assert = name && !strcmp(name, "assert");
  free(name);
  Expr *cond = NULL;
  Expr *fail = is_assert ? assert_fail_of(e, &cond) : NULL;
  if (!fail || strcmp(fail->text, "__assert_fail"))
    return e;
  Expr *call = new_expr(EX_CALL, e->type->kind == TY_VOID ? e->type : fail->type, e->loc);
  call->text = "assert";
  call->callee_file = fail->callee_file; /* <assert.h> declares both */
  call->system_callee = fail->system_callee;
  vec_push(&call->args, cond);
  return call;
}

static Stmt *translate_stmt(Frontend *fe, CXCursor c) {
  if (nested_too_deep(fe, c, fe->stmt_depth, "statements", "flatten it (conditions joined with &&, a sequence of statements)"))
    return unsupported_stmt(fe, c, "a statement nested too deep");
  fe->stmt_depth++;
  Stmt *s = translate_stmt_here(fe, c);
  fe->stmt_depth--;
  return s;
}

static Stmt *translate_stmt_here(Frontend *fe, CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  Loc loc = loc_of(fe, c);
  Cursors ch;
  Stmt *s;
  switch (k) {
  case CXCursor_CompoundStmt:
    s = new_stmt(ST_BLOCK, loc);
    ch = children_of(c);
    for (int i = 0; i < ch.len; i++)
      vec_push(&s->body, translate_stmt(fe, ch.items[i]));
    free(ch.items);
    return s;
  case CXCursor_DeclStmt: {
    Cursors all = {0};
    clang_visitChildren(c, collect_child, &all);
    s = new_stmt(ST_BLOCK, loc);
    /* a declaration group: a block that the printer opens, its variables in the enclosing scope */
    for (int i = 0; i < all.len; i++) {
      enum CXCursorKind dk = clang_getCursorKind(all.items[i]);
      if (dk == CXCursor_VarDecl)
        vec_push(&s->body, translate_decl(fe, all.items[i]));
      else if (dk == CXCursor_StructDecl || dk == CXCursor_UnionDecl || dk == CXCursor_TypedefDecl ||
               dk == CXCursor_EnumDecl)
        vec_push(&s->body, unsupported_stmt(fe, all.items[i], "a type declared inside a function"));
    }
    free(all.items);
    if (s->body.len == 1)
      return s->body.items[0];
    return s;
  }
  case CXCursor_IfStmt:
    ch = children_of(c);
    s = new_stmt(ST_IF, loc);
    if (ch.len < 2) {
      free(ch.items);
      return unsupported_stmt(fe, c, "an 'if' with a declaration as its condition");
    }
    s->expr = translate_expr(fe, ch.items[0]);
    s->then = translate_stmt(fe, ch.items[1]);
    if (ch.len > 2)
      s->els = translate_stmt(fe, ch.items[2]);
    free(ch.items);
    return s;
  case CXCursor_ReturnStmt:
    ch = children_of(c);
    s = new_stmt(ST_RETURN, loc);
    if (ch.len == 1)
      s->expr = translate_expr(fe, ch.items[0]);
    free(ch.items);
    return s;
  case CXCursor_ForStmt:
    return translate_for(fe, c);
  case CXCursor_WhileStmt:
    ch = children_of(c);
    s = new_stmt(ST_WHILE, loc);
    if (ch.len != 2) {
      free(ch.items);
      return unsupported_stmt(fe, c, "a 'while' with a declaration as its condition");
    }
    s->expr = translate_expr(fe, ch.items[0]);
    s->then = translate_stmt(fe, ch.items[1]);
    free(ch.items);
    return s;
  case CXCursor_DoStmt:
    ch = children_of(c);
    s = new_stmt(ST_DO, loc);
    if (ch.len != 2) {
      free(ch.items);
      return unsupported_stmt(fe, c, "this 'do' statement");
    }
    s->then = translate_stmt(fe, ch.items[0]);
    s->expr = translate_expr(fe, ch.items[1]);
    free(ch.items);
    return s;
  case CXCursor_BreakStmt: return new_stmt(ST_BREAK, loc);
  case CXCursor_ContinueStmt: return new_stmt(ST_CONTINUE, loc);
  case CXCursor_NullStmt: return new_stmt(ST_EMPTY, loc);
  case CXCursor_GotoStmt:
    s = new_stmt(ST_GOTO, loc);
    s->text = goto_label(c);
    if (!s->text)
      return unsupported_stmt(fe, c, "this 'goto'");
    return s;
  case CXCursor_IndirectGotoStmt: return unsupported_stmt(fe, c, "computed 'goto'");
  case CXCursor_LabelStmt:
    s = new_stmt(ST_LABEL, loc);
    s->text = take_string(clang_getCursorSpelling(c));
    ch = children_of(c);
    s->then = ch.len == 1 ? translate_stmt(fe, ch.items[0]) : new_stmt(ST_EMPTY, loc);
    free(ch.items);
    return s;
  case CXCursor_SwitchStmt:
    ch = children_of(c);
    if (ch.len != 2 || !clang_isExpression(clang_getCursorKind(ch.items[0]))) {
      free(ch.items);
      return unsupported_stmt(fe, c, "a 'switch' with a declaration as its condition");
    }
    s = new_stmt(ST_SWITCH, loc);
    s->expr = translate_expr(fe, ch.items[0]);
    s->then = translate_stmt(fe, ch.items[1]);
    free(ch.items);
    return s;
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt: {
    /* case V: S, case LO ... HI: S (GNU), default: S; the values as numbers */
    ch = children_of(c);
    int nvalues = k == CXCursor_CaseStmt ? ch.len - 1 : 0;
    if (nvalues < 0 || nvalues > 2) {
      free(ch.items);
      return unsupported_stmt(fe, c, "this case label");
    }
    s = new_stmt(ST_CASE, loc);
    if (nvalues >= 1)
      s->expr = case_value(fe, ch.items[0]);
    if (nvalues == 2)
      s->step = case_value(fe, ch.items[1]);
    s->then = ch.len > nvalues ? translate_stmt(fe, ch.items[nvalues]) : new_stmt(ST_EMPTY, loc);
    free(ch.items);
    return s;
  }
  case CXCursor_GCCAsmStmt:
  case CXCursor_MSAsmStmt:
    return unsupported_stmt(fe, c, "inline assembly");
  default:
    if (clang_isExpression(k)) {
      s = new_stmt(ST_EXPR, loc);
      s->expr = assert_call(fe, c, translate_expr(fe, c));
      return s;
    }
    return unsupported_stmt(fe, c, format("statement of kind %s", take_string(clang_getCursorKindSpelling(k))));
  }
}

/* ---- functions ---- */

static Func *find_func(const Vec *funcs, const char *name) {
  for (int i = 0; i < funcs->len; i++) {
    Func *f = funcs->items[i];
    if (!strcmp(f->name, name))
      return f;
  }
  return NULL;
}

/* Into `funcs`: the main file's functions, or the user's headers'. */
static void translate_function(Frontend *fe, CXCursor c, Vec *funcs) {
  char *name = take_string(clang_getCursorSpelling(c));
  Func *f = find_func(funcs, name);
  bool definition = clang_isCursorDefinition(c);
  if (f && (f->body || !definition))
    return;
  if (!f) {
    f = xcalloc(1, sizeof(Func));
    f->name = name;
    vec_push(funcs, f);
  }
  fe->func = f;
  fe->decl_cursors.len = fe->decl_vars.len = fe->decl_hashes.len = 0;
  f->loc = loc_of(fe, c);
  f->ret = translate_type(fe, clang_getResultType(clang_getCursorType(c)));
  f->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
  f->is_variadic = clang_isFunctionTypeVariadic(clang_getCursorType(c));
  f->params.len = 0;
  int n = clang_Cursor_getNumArguments(c);
  for (int i = 0; i < n; i++) {
    CXCursor arg = clang_Cursor_getArgument(c, (unsigned)i);
    Var *v = new_var(fe, arg, i);
    vec_push(&f->params, v);
    /* double x[n]: n, to size x's gradient (one dimension: a child expression of
     * `double x[][3]` or `double x[n][m]` may be an inner one) */
    if (v->type->kind == TY_ARRAY && v->type->array_len < 0 && v->type->base->kind != TY_ARRAY) {
      Cursors ch = children_of(arg);
      if (ch.len == 1 && clang_isExpression(clang_getCursorKind(ch.items[0])))
        v->declared_len = translate_expr(fe, ch.items[0]);
      free(ch.items);
    }
  }
  if (!definition)
    return;
  unsigned end_line;
  clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)), NULL, &end_line, NULL, NULL);
  f->end_line = (int)end_line;
  Cursors ch = children_of(c);
  for (int i = 0; i < ch.len; i++)
    if (clang_getCursorKind(ch.items[i]) == CXCursor_CompoundStmt)
      f->body = translate_stmt(fe, ch.items[i]);
  free(ch.items);
}

/* ---- pragmas ---- */

static void line_col_of_offset(const char *buf, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (buf[i] == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  *line = l;
  *col = c;
}

static void add_pragma(Frontend *fe, const char *text, Loc vgrad_loc, Loc text_loc) {
  Pragma *p = xcalloc(1, sizeof(Pragma));
  p->loc = vgrad_loc;
  if (parse_pragma_clauses(text, text_loc, p))
    vec_push(&fe->prog->pragmas, p);
}

/* A `#pragma vgrad ...` line or `_Pragma("vgrad ...")` spelled out in the
 * main file, where its clauses are: diagnostics point into it. */
typedef struct {
  int line;
  bool directive; /* #pragma (alone on its line), not _Pragma */
  char *text;     /* the clauses, after "vgrad" */
  Loc vgrad_loc, text_loc;
  bool matched;
} WrittenPragma;

/* The end of the logical line holding offset `at` (backslash-newlines
 * continue it). */
static size_t end_of_line(const char *buf, size_t size, size_t at) {
  while (at < size && buf[at] != '\n')
    at += buf[at] == '\\' && at + 1 < size && buf[at + 1] == '\n' ? 2 : 1;
  return at;
}

/* Scans the main file's raw tokens for `#pragma vgrad ...` lines and
 * `_Pragma("vgrad ...")` operators written in it, leaving out those in
 * blocks the preprocessor skips (#if 0, an untaken #ifdef) and in macro
 * definitions (a macro's pragmas count where it is used). */
static void find_written_pragmas(Frontend *fe, const char *buf, size_t size, Vec *out) {
  CXSourceRange all = clang_getRange(clang_getLocationForOffset(fe->tu, fe->main_file, 0),
                                     clang_getLocationForOffset(fe->tu, fe->main_file, (unsigned)size));
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, all, &toks, &n);
  char **spell = xcalloc(n + 1, sizeof(char *));
  unsigned *offs = xcalloc(n + 1, sizeof(unsigned));
  for (unsigned i = 0; i < n; i++) {
    spell[i] = take_string(clang_getTokenSpelling(fe->tu, toks[i]));
    clang_getSpellingLocation(clang_getTokenLocation(fe->tu, toks[i]), NULL, NULL, NULL, &offs[i]);
  }
  CXSourceRangeList *skipped = clang_getSkippedRanges(fe->tu, fe->main_file);
  unsigned nskipped = skipped ? skipped->count : 0;
  unsigned *skip_from = xcalloc(nskipped + 1, sizeof(unsigned)), *skip_to = xcalloc(nskipped + 1, sizeof(unsigned));
  for (unsigned k = 0; k < nskipped; k++) {
    clang_getSpellingLocation(clang_getRangeStart(skipped->ranges[k]), NULL, NULL, NULL, &skip_from[k]);
    clang_getSpellingLocation(clang_getRangeEnd(skipped->ranges[k]), NULL, NULL, NULL, &skip_to[k]);
  }
  if (skipped)
    clang_disposeSourceRangeList(skipped);
  size_t define_end = 0; /* tokens before this offset are in a #define */
  for (unsigned i = 0; i + 2 < n; i++) {
    bool in_skipped = false;
    for (unsigned k = 0; k < nskipped && !in_skipped; k++)
      in_skipped = offs[i] >= skip_from[k] && offs[i] < skip_to[k];
    if (in_skipped || offs[i] < define_end)
      continue;
    bool line_start = false;
    if (!strcmp(spell[i], "#")) {
      size_t b = offs[i];
      while (b > 0 && (buf[b - 1] == ' ' || buf[b - 1] == '\t'))
        b--;
      line_start = b == 0 || buf[b - 1] == '\n';
    }
    if (line_start && !strcmp(spell[i + 1], "define")) {
      define_end = end_of_line(buf, size, offs[i]);
    } else if (line_start && !strcmp(spell[i + 1], "pragma") && !strcmp(spell[i + 2], "vgrad")) {
      size_t start = offs[i + 2] + 5, end = start;
      Buf text = {0};
      /* The rest of the line, joining backslash continuations. */
      while (end < size && buf[end] != '\n') {
        if (buf[end] == '\\' && end + 1 < size && buf[end + 1] == '\n') {
          end += 2;
          buf_printf(&text, " ");
          continue;
        }
        buf_printf(&text, "%c", buf[end]);
        end++;
      }
      WrittenPragma *w = xcalloc(1, sizeof(WrittenPragma));
      w->directive = true;
      w->text = text.buf ? text.buf : xstrdup("");
      w->vgrad_loc = w->text_loc = (Loc){fe->path, 0, 0};
      line_col_of_offset(buf, offs[i + 2], &w->vgrad_loc.line, &w->vgrad_loc.col);
      line_col_of_offset(buf, start, &w->text_loc.line, &w->text_loc.col);
      w->line = w->vgrad_loc.line;
      vec_push(out, w);
    } else if (line_start && !strcmp(spell[i + 1], "pragma") && !strcmp(spell[i + 2], "omp")) {
      /* kept to be named: ad/ warns that the gradient runs such a loop serially */
      OmpPragma *omp = xcalloc(1, sizeof(OmpPragma));
      omp->loc = (Loc){fe->path, 0, 0};
      line_col_of_offset(buf, offs[i], &omp->loc.line, &omp->loc.col);
      size_t end = offs[i];
      while (end < size && buf[end] != '\n' && buf[end] != '\\')
        end++;
      while (end > offs[i] && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r'))
        end--;
      omp->text = xcalloc(end - offs[i] + 1, 1);
      memcpy((char *)omp->text, buf + offs[i], end - offs[i]);
      Buf full = {0};
      for (size_t k = offs[i]; k < size && buf[k] != '\n'; k++) {
        if (buf[k] == '\\' && k + 1 < size && (buf[k + 1] == '\n' || buf[k + 1] == '\r')) {
          buf_printf(&full, " ");
          k += buf[k + 1] == '\r' && k + 2 < size && buf[k + 2] == '\n' ? 2 : 1;
          continue;
        }
        buf_printf(&full, "%c", buf[k]);
      }
      omp->full = full.buf ? full.buf : xstrdup(omp->text);
      vec_push(&fe->prog->omp_pragmas, omp);
    } else if (!strcmp(spell[i], "_Pragma") && !strcmp(spell[i + 1], "(") && spell[i + 2][0] == '"') {
      const char *lit = spell[i + 2];
      size_t len = strlen(lit);
      Buf text = {0};
      for (size_t j = 1; j + 1 < len; j++) {
        if (lit[j] == '\\' && (lit[j + 1] == '"' || lit[j + 1] == '\\'))
          j++;
        buf_printf(&text, "%c", lit[j]);
      }
      const char *t = text.buf ? text.buf : "";
      size_t skip = 0;
      while (t[skip] == ' ' || t[skip] == '\t')
        skip++;
      if (!strncmp(t + skip, "vgrad", 5) && (t[skip + 5] == ' ' || t[skip + 5] == '\t' || !t[skip + 5])) {
        WrittenPragma *w = xcalloc(1, sizeof(WrittenPragma));
        w->text = xstrdup(t + skip + 5);
        w->vgrad_loc = w->text_loc = (Loc){fe->path, 0, 0};
        line_col_of_offset(buf, offs[i + 2] + 1 + skip, &w->vgrad_loc.line, &w->vgrad_loc.col);
        line_col_of_offset(buf, offs[i + 2] + 1 + skip + 5, &w->text_loc.line, &w->text_loc.col);
        w->line = w->vgrad_loc.line;
        vec_push(out, w);
      }
      free(text.buf);
    }
  }
  for (unsigned i = 0; i < n; i++)
    free(spell[i]);
  free(spell);
  free(offs);
  free(skip_from);
  free(skip_to);
  clang_disposeTokens(fe->tu, toks, n);
}

/* A `#pragma vgrad` the preprocessor kept, from clang -E: its line in the
 * main file and its clauses. */
typedef struct {
  int line;
  char *text;
} KeptPragma;

/* Runs `clang -E` with the parser's arguments and collects the `#pragma
 * vgrad` lines of the main file in its output: every pragma the
 * preprocessor keeps, once each, including those that macros produce
 * (`_Pragma(#x)`, several on a line, given by -D).  False when clang could
 * not be run or failed. */
static bool find_kept_pragmas(Frontend *fe, int nargs, const char **args, Vec *out) {
  const char *clang = VGRADCC_CLANG;
  if (access(clang, X_OK) != 0)
    return false;
  int pipefd[2];
  if (pipe(pipefd) != 0)
    return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return false;
  }
  if (pid == 0) {
    const char **argv = xcalloc((size_t)nargs + 4, sizeof(char *));
    int k = 0;
    argv[k++] = clang;
    argv[k++] = "-E";
    for (int i = 0; i < nargs; i++)
      argv[k++] = args[i];
    argv[k++] = fe->path;
    argv[k] = NULL;
    dup2(pipefd[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, 2);
    close(pipefd[0]);
    close(pipefd[1]);
    execv(clang, (char *const *)argv);
    _exit(127);
  }
  close(pipefd[1]);
  FILE *in = fdopen(pipefd[0], "r");
  if (!in) {
    close(pipefd[0]);
    waitpid(pid, NULL, 0);
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  long lineno = 0;
  bool in_main = false;
  while (getline(&line, &cap, in) > 0) {
    long n;
    char file[4096];
    if (sscanf(line, "# %ld \"%4095[^\"]\"", &n, file) == 2) {
      lineno = n;
      in_main = !strcmp(file, fe->path);
      continue;
    }
    const char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (in_main && !strncmp(p, "#pragma vgrad", 13) && (p[13] == ' ' || p[13] == '\t' || p[13] == '\n' || !p[13])) {
      KeptPragma *k = xcalloc(1, sizeof(KeptPragma));
      k->line = (int)lineno;
      k->text = xstrdup(p + 13);
      k->text[strcspn(k->text, "\n")] = '\0';
      vec_push(out, k);
    }
    lineno++;
  }
  free(line);
  fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Two clause texts equal but for white space. */
static bool same_clauses(const char *a, const char *b) {
  for (;;) {
    while (*a == ' ' || *a == '\t')
      a++;
    while (*b == ' ' || *b == '\t')
      b++;
    if (*a != *b)
      return false;
    if (!*a)
      return true;
    a++;
    b++;
  }
}

/* The pragmas of the file: each one the preprocessor keeps, once, in its
 * order.  One written out in the file keeps its own location; one a macro
 * produced is placed at the first non-blank column of the line using it. */
static void find_pragmas(Frontend *fe, int nargs, const char **args) {
  size_t size;
  const char *buf = clang_getFileContents(fe->tu, fe->main_file, &size);
  if (!buf)
    return;
  Vec written = {0}, kept = {0};
  find_written_pragmas(fe, buf, size, &written);
  if (!find_kept_pragmas(fe, nargs, args, &kept)) {
    /* without the preprocessor's list: those written outside skipped blocks */
    for (int i = 0; i < written.len; i++) {
      WrittenPragma *w = written.items[i];
      add_pragma(fe, w->text, w->vgrad_loc, w->text_loc);
    }
    return;
  }
  for (int i = 0; i < kept.len; i++) {
    KeptPragma *k = kept.items[i];
    WrittenPragma *w = NULL;
    for (int j = 0; j < written.len && !w; j++) {
      WrittenPragma *c = written.items[j];
      if (!c->matched && c->line == k->line && (c->directive || same_clauses(c->text, k->text)))
        w = c;
    }
    if (w) {
      w->matched = true;
      add_pragma(fe, w->text, w->vgrad_loc, w->text_loc);
      continue;
    }
    int col = 1;
    long cur = 1;
    for (size_t j = 0; j < size && cur <= k->line; j++) {
      if (cur == k->line && buf[j] != ' ' && buf[j] != '\t')
        break;
      if (cur == k->line)
        col++;
      if (buf[j] == '\n')
        cur++;
    }
    Loc loc = {fe->path, k->line, col};
    add_pragma(fe, k->text, loc, loc);
  }
}

/* ---- checkpoint pragmas: each belongs to the statement that follows it ---- */

/* The statement that follows `line` (the earliest; blocks only with
 * `blocks`, a for's init never). */
static void stmt_after(Stmt *s, int line, bool blocks, Stmt **best) {
  if (!s)
    return;
  if ((blocks || s->kind != ST_BLOCK) && s->loc.line > line &&
      (!*best || s->loc.line < (*best)->loc.line || (s->loc.line == (*best)->loc.line && s->loc.col < (*best)->loc.col)))
    *best = s;
  for (int i = 0; i < s->body.len; i++)
    stmt_after(s->body.items[i], line, blocks, best);
  stmt_after(s->then, line, blocks, best);
  stmt_after(s->els, line, blocks, best);
}

static void first_stmt_after(Stmt *s, int line, Stmt **best) { stmt_after(s, line, false, best); }

/* The CBLAS functions with built-in rules (runtime/vgrad_cblas.h). */
static const char *const cblas_with_rules[] = {"cblas_ddot",  "cblas_sdot",  "cblas_daxpy", "cblas_saxpy",
                                               "cblas_dscal", "cblas_sscal", "cblas_dgemv", "cblas_sgemv",
                                               "cblas_dgemm", "cblas_sgemm", NULL};

/* With <cblas.h> included: vgradcc's rules for those, after the user's,
 * which win (custom_rule). */
static void add_builtin_rules(Program *prog) {
  bool cblas = false;
  for (int i = 0; i < prog->includes.len && !cblas; i++) {
    const char *text = ((Include *)prog->includes.items[i])->text;
    const char *base = strrchr(text, '/');
    cblas = !strcmp(base ? base + 1 : text, "cblas.h");
  }
  for (int i = 0; cblas && cblas_with_rules[i]; i++)
    for (int k = 0; k < 2; k++) {
      Pragma *p = xcalloc(1, sizeof(Pragma));
      p->kind = k ? PRAGMA_CUSTOM_JVP : PRAGMA_CUSTOM_VJP;
      p->func = cblas_with_rules[i];
      p->with = format("vg_%s_%s", cblas_with_rules[i], k ? "jvp" : "vjp");
      p->builtin = true;
      vec_push(&prog->custom_rules, p);
    }
}

/* The words of an omp pragma after `#pragma omp`, and after them its clauses. */
static const char *omp_words(const OmpPragma *omp) {
  const char *t = omp->full + strlen("#pragma");
  t += strspn(t, " \t");
  t += strlen("omp");
  return t + strspn(t, " \t");
}

static bool omp_word(const char *t, const char *word, const char **after) {
  size_t n = strlen(word);
  if (strncmp(t, word, n) || (t[n] && !strchr(" \t(", t[n])))
    return false;
  *after = t + n + strspn(t + n, " \t");
  return true;
}

/* `#pragma omp parallel` whose region is one loop under `#pragma omp for`
 * (the split form, with or without braces): the loop's pragma becomes the
 * `parallel for` with the clauses of both (`nowait`, meaningless at the
 * region's end, dropped), and the region's pragma is merged away. */
static void merge_split_omp(Program *prog) {
  for (int i = 0; i < prog->omp_pragmas.len; i++) {
    OmpPragma *region = prog->omp_pragmas.items[i];
    const char *clauses, *rest;
    if (!omp_word(omp_words(region), "parallel", &clauses) || omp_word(clauses, "for", &rest))
      continue;
    Stmt *next = NULL;
    for (int j = 0; j < prog->funcs.len; j++) {
      Func *f = prog->funcs.items[j];
      if (f->body && f->loc.line <= region->loc.line)
        stmt_after(f->body, region->loc.line, true, &next);
    }
    Stmt *loop = next;
    if (next && next->kind == ST_BLOCK) {
      loop = NULL;
      for (int k = 0; k < next->body.len; k++) {
        Stmt *s = next->body.items[k];
        if (s->kind == ST_EMPTY)
          continue;
        if (loop) { /* more than the loop in the region */
          loop = NULL;
          break;
        }
        loop = s;
      }
    }
    if (!loop || loop->kind != ST_FOR)
      continue;
    for (int k = 0; k < prog->omp_pragmas.len; k++) {
      OmpPragma *q = prog->omp_pragmas.items[k];
      const char *for_clauses;
      if (q->loc.line <= region->loc.line || q->loc.line >= loop->loc.line ||
          !omp_word(omp_words(q), "for", &for_clauses))
        continue;
      Buf b = {0};
      buf_printf(&b, "#pragma omp parallel for");
      if (*clauses)
        buf_printf(&b, " %s", clauses);
      const char *nowait = strstr(for_clauses, "nowait");
      if (nowait && (nowait == for_clauses || strchr(" \t,", nowait[-1])) && !isalnum((unsigned char)nowait[6]))
        buf_printf(&b, "%s%.*s%s", *for_clauses ? " " : "", (int)(nowait - for_clauses), for_clauses, nowait + 6);
      else if (*for_clauses)
        buf_printf(&b, " %s", for_clauses);
      q->full = q->text = b.buf;
      region->merged = true;
      break;
    }
  }
}

/* `#pragma omp parallel for` belongs to the for that follows it, `#pragma
 * omp atomic` (or `atomic update`) to the expression statement that
 * follows it (ad/omp.c and ad/sweep.c decide what the gradient makes of
 * them); the split form is merged into the first kind first. */
static void attach_omp_loops(Program *prog) {
  merge_split_omp(prog);
  for (int i = 0; i < prog->omp_pragmas.len; i++) {
    OmpPragma *omp = prog->omp_pragmas.items[i];
    const char *words = omp_words(omp), *rest, *after;
    StmtKind want;
    if (omp_word(words, "parallel", &rest) && omp_word(rest, "for", &after))
      want = ST_FOR;
    else if (omp_word(words, "atomic", &rest) && (!*rest || (omp_word(rest, "update", &after) && !*after)))
      want = ST_EXPR;
    else
      continue;
    Stmt *best = NULL;
    for (int j = 0; j < prog->funcs.len; j++) {
      Func *f = prog->funcs.items[j];
      if (f->body && f->loc.line <= omp->loc.line)
        first_stmt_after(f->body, omp->loc.line, &best);
    }
    if (best && best->kind == want) {
      best->omp = omp;
      omp->attached = true;
      omp->openmp = prog->openmp;
    }
  }
}

static void attach_checkpoints(Program *prog) {
  for (int i = 0; i < prog->pragmas.len; i++) {
    Pragma *p = prog->pragmas.items[i];
    if (p->kind == PRAGMA_NONDIFF) {
      name_set_add(&prog->nondiff, p->func);
      continue;
    }
    if (p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP) {
      vec_push(&prog->custom_rules, p);
      continue;
    }
    if (p->kind != PRAGMA_CHECKPOINT) {
      for (int j = 0; j < prog->funcs.len; j++) {
        Func *f = prog->funcs.items[j];
        if (f->body && p->loc.line > f->loc.line && p->loc.line < f->end_line)
          error_at(p->loc, "'#pragma vgrad %s' must stand at file scope, not inside function '%s'",
                   pragma_kind_word(p->kind), f->name);
      }
      continue;
    }
    Stmt *best = NULL;
    for (int j = 0; j < prog->funcs.len; j++) {
      Func *f = prog->funcs.items[j];
      if (f->body && f->loc.line <= p->loc.line)
        first_stmt_after(f->body, p->loc.line, &best);
    }
    if (!best || (best->kind != ST_FOR && best->kind != ST_WHILE && best->kind != ST_DO)) {
      error_at(p->loc, "'#pragma vgrad checkpoint' must stand right before a loop inside a function");
      continue;
    }
    best->checkpoint = p->snapshots + 1;
  }
}

/* ---- the translation unit ---- */

/* Names declared at file scope (in the main file or any header) and macro
 * names: a generated local of one of these names could hide it. */
static enum CXChildVisitResult collect_visible_name(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  NameSet *names = data;
  switch (clang_getCursorKind(c)) {
  case CXCursor_FunctionDecl:
  case CXCursor_VarDecl:
  case CXCursor_TypedefDecl:
  case CXCursor_EnumConstantDecl:
  case CXCursor_MacroDefinition: {
    char *name = take_string(clang_getCursorSpelling(c));
    if (!*name || !name_set_add(names, name))
      free(name);
    return CXChildVisit_Continue;
  }
  case CXCursor_EnumDecl:
  case CXCursor_StructDecl:
  case CXCursor_UnionDecl:
    return CXChildVisit_Recurse; /* enum constants, also those of an enum inside a struct */
  default:
    return CXChildVisit_Continue;
  }
}

/* The names declared by the headers every generated file includes, parsed
 * with the input's own options (-std, -D, -I change what they declare). */
static void collect_generated_file_names(CXIndex index, const char **args, int nargs, NameSet *names) {
  static const char prelude[] = "#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
                                "#include <string.h>\n#include <stddef.h>\n#include <stdint.h>\n";
  struct CXUnsavedFile file = {"vgradcc-generated-includes.c", prelude, sizeof prelude - 1};
  CXTranslationUnit tu = NULL;
  if (clang_parseTranslationUnit2(index, file.Filename, args, nargs, &file, 1,
                                  CXTranslationUnit_DetailedPreprocessingRecord, &tu) != CXError_Success ||
      !tu)
    return;
  clang_visitChildren(clang_getTranslationUnitCursor(tu), collect_visible_name, names);
  clang_disposeTranslationUnit(tu);
}

static bool report_clang_diagnostics(Frontend *fe) {
  bool ok = true;
  unsigned n = clang_getNumDiagnostics(fe->tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(fe->tu, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    if (sev >= CXDiagnostic_Error) {
      Loc loc = loc_of_location(fe, clang_getDiagnosticLocation(d));
      if (!loc.file && !ok) {
        /* clang's "too many errors emitted, stopping now": no place of its
         * own, it remarks on the errors above. */
        note_at(loc, "%s", take_string(clang_getDiagnosticSpelling(d)));
      } else {
        error_at(loc, "%s", take_string(clang_getDiagnosticSpelling(d)));
        ok = false;
      }
    }
    clang_disposeDiagnostic(d);
  }
  return ok;
}

/* `#include <h>` rather than `#include "h"`. */
static bool include_is_angled(Frontend *fe, CXCursor directive) {
  CXToken *toks;
  unsigned n;
  clang_tokenize(fe->tu, clang_getCursorExtent(directive), &toks, &n);
  bool angled = false;
  for (unsigned i = 0; i < n && !angled; i++) {
    char *t = take_string(clang_getTokenSpelling(fe->tu, toks[i]));
    angled = !strcmp(t, "<");
    free(t);
  }
  clang_disposeTokens(fe->tu, toks, n);
  return angled;
}

/* A function that a custom_vjp/custom_jvp pragma of the file names, as g or as its rule. */
static bool named_by_custom_rule(const Program *prog, CXCursor c) {
  char *name = take_string(clang_getCursorSpelling(c));
  bool named = false;
  for (int i = 0; cblas_with_rules[i] && !named; i++) /* built-in rules (add_builtin_rules) */
    named = !strcmp(name, cblas_with_rules[i]);
  for (int i = 0; i < prog->pragmas.len && !named; i++) {
    const Pragma *p = prog->pragmas.items[i];
    named = (p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP) &&
            (!strcmp(p->func, name) || !strcmp(p->with, name));
  }
  free(name);
  return named;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Frontend *fe = data;
  if (!clang_Location_isFromMainFile(clang_getCursorLocation(c))) {
    /* a helper defined in a header of the user's (static inline): calls
     * to it are differentiated through like those to the file's own */
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c) &&
        !clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
      translate_function(fe, c, &fe->prog->header_funcs);
    else if (clang_getCursorKind(c) == CXCursor_FunctionDecl && named_by_custom_rule(fe->prog, c))
      translate_function(fe, c, &fe->prog->header_decls); /* for the rule's signature check */
    return CXChildVisit_Continue;
  }
  if (clang_getCursorKind(c) == CXCursor_FunctionDecl)
    translate_function(fe, c, &fe->prog->funcs);
  if (clang_getCursorKind(c) == CXCursor_InclusionDirective) {
    CXFile included = clang_getIncludedFile(c);
    if (included) {
      Include *inc = xcalloc(1, sizeof(Include));
      inc->text = take_string(clang_getCursorSpelling(c));
      inc->file = take_string(clang_getFileName(included));
      unsigned line;
      clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &line, NULL, NULL);
      inc->line = (int)line;
      inc->angled = include_is_angled(fe, c);
      vec_push(&fe->prog->includes, inc);
    }
  }
  return CXChildVisit_Continue;
}

typedef struct {
  CXTranslationUnit tu;
  Vec *depends, *user_depends;
  NameSet seen;
  CXFile main_file;
  Vec *includes;
} DependWalk;

static void visit_inclusion(CXFile included, CXSourceLocation *stack, unsigned depth, CXClientData data) {
  DependWalk *w = data;
  if (depth == 0)
    return; /* the input itself, listed first as given */
  char *name = take_string(clang_getFileName(included));
  /* Which of the input's own #includes reads this file (codegen includes
   * it for a function the generated code calls). */
  CXFile top_file;
  unsigned top_line;
  clang_getExpansionLocation(stack[depth - 1], &top_file, &top_line, NULL, NULL);
  for (int i = 0; top_file && clang_File_isEqual(top_file, w->main_file) && i < w->includes->len; i++) {
    Include *inc = w->includes->items[i];
    if (inc->line == (int)top_line && *name)
      vec_push(&inc->reads, xstrdup(name));
  }
  if (!*name || !name_set_add(&w->seen, name)) {
    free(name);
    return;
  }
  vec_push(w->depends, name);
  /* A header found in a system directory (or included from one by "")
   * is a system header: -MMD leaves it out, as gcc does. */
  if (!clang_Location_isInSystemHeader(clang_getLocationForOffset(w->tu, included, 0)))
    vec_push(w->user_depends, xstrdup(name));
}

/* Program.depends: the input, then every header the parse read (those
 * included by headers, system headers and -include files too), once each;
 * Program.user_depends the same without the system headers. */
static void collect_depends(Frontend *fe) {
  DependWalk w = {fe->tu, &fe->prog->depends, &fe->prog->user_depends, {0}, fe->main_file, &fe->prog->includes};
  vec_push(w.depends, xstrdup(fe->path));
  vec_push(w.user_depends, xstrdup(fe->path));
  clang_getInclusions(fe->tu, visit_inclusion, &w);
}

Program *frontend_parse(const char *path, int nclang_args, const char **clang_args) {
  FILE *probe = fopen(path, "r");
  if (!probe) {
    error_at((Loc){0}, "cannot open '%s'", path);
    return NULL;
  }
  fclose(probe);

  Frontend fe = {0};
  fe.path = path;
  fe.prog = xcalloc(1, sizeof(Program));
  fe.prog->path = path;

  /* __VGRADCC__: a file can guard its pragmas from other compilers (see
   * README, "Compiling the marked file"); the user's -U can remove it. */
  const char **args = xcalloc((size_t)nclang_args + 3, sizeof(char *));
  int nargs = 0;
  args[nargs++] = "-xc";
  args[nargs++] = "-D__VGRADCC__=1";
  for (int i = 0; i < nclang_args; i++) {
    if (strncmp(clang_args[i], "-fopenmp", 8)) /* see below */
      args[nargs++] = clang_args[i];
    else if (!strcmp(clang_args[i], "-fopenmp"))
      fe.prog->openmp = true;
  }
  /* -fopenmp is left out of libclang's arguments: it shows the loop of a
   * directive only without it.  With it the gradient runs `#pragma omp
   * parallel for` loops in parallel where ad/omp.c can (serially with a
   * warning otherwise); without it serially, as a compiler without OpenMP
   * would run the input (ad/ warns). */

  CXIndex index = clang_createIndex(0, 0);
  enum CXErrorCode err = clang_parseTranslationUnit2(index, path, args, nargs, NULL, 0,
                                                     CXTranslationUnit_DetailedPreprocessingRecord, &fe.tu);
  if (err != CXError_Success || !fe.tu) {
    error_at((Loc){0}, "libclang could not parse '%s' (error %d)", path, (int)err);
    free(args);
    clang_disposeIndex(index);
    return NULL;
  }
  fe.main_file = clang_getFile(fe.tu, path);
  Program *prog = NULL;
  if (report_clang_diagnostics(&fe)) {
    find_pragmas(&fe, nargs, args);
    /* input_names first: static constant locals are named not to clash */
    clang_visitChildren(clang_getTranslationUnitCursor(fe.tu), collect_visible_name, &fe.prog->input_names);
    clang_visitChildren(clang_getTranslationUnitCursor(fe.tu), visit_top, &fe);
    collect_depends(&fe); /* after visit_top: it tells each #include what it reads */
    collect_generated_file_names(index, args, nargs, &fe.prog->library_names);
    prog = fe.prog; /* pragma errors are reported; later stages report theirs too */
    attach_checkpoints(prog);
    add_builtin_rules(prog);
    attach_omp_loops(prog);
    if (fe.too_deep)
      prog = NULL; /* the later stages would recurse as deep */
  }
  clang_disposeTranslationUnit(fe.tu);
  clang_disposeIndex(index);
  free(args);
  return prog;
}

/* ---- the inputs of one command line, linked ---- */

typedef struct {
  Program *prog;   /* whose bodies are walked */
  Program **progs; /* every input */
  int nprogs;
} Linker;

/* A definition with external linkage in the main file of one of the inputs. */
static Func *external_definition(const Linker *lk, const char *name) {
  for (int i = 0; i < lk->nprogs; i++) {
    Func *f = find_func(&lk->progs[i]->funcs, name);
    if (f && f->body && !f->is_static)
      return f;
  }
  return NULL;
}

static WalkStep resolve_call(Expr *e, void *ctx);

/* The callee of a call in lk->prog's code (or the function a name
 * `f` used as a pointer denotes): its file's function of that
 * name (a static one, or any with a body, a header's included), else the
 * external definition in another input, else the declaration. */
static WalkStep resolve_call(Expr *e, void *ctx) {
  const Linker *lk = ctx;
  if (e->kind == EX_STMT_EXPR && e->stmts)
    walk_stmt(e->stmts, &(Walker){.expr_pre = resolve_call, .ctx = ctx});
  if (e->kind == EX_VAR && e->var->fn_init) /* a table or pointer of functions: its functions are this file's */
    walk_expr(e->var->fn_init, &(Walker){.expr_pre = resolve_call, .ctx = ctx});
  bool named = (e->kind == EX_CALL && e->call == CALL_PLAIN) || e->kind == EX_FUNCREF;
  if (!named || !e->text || e->system_callee || e->callee)
    return WALK_ON;
  Func *f = find_func(&lk->prog->funcs, e->text);
  if (!f || !f->body) {
    Func *h = find_func(&lk->prog->header_funcs, e->text);
    f = h ? h : f;
  }
  if (!f || (!f->body && !f->is_static)) {
    Func *g = external_definition(lk, e->text);
    f = g ? g : f;
  }
  e->callee = f;
  return WALK_ON;
}

static void resolve_calls(Linker *lk, Vec *funcs) {
  for (int i = 0; i < funcs->len; i++) {
    Func *f = funcs->items[i];
    if (f->body)
      walk_stmt(f->body, &(Walker){.expr_pre = resolve_call, .ctx = lk});
  }
}

static bool in_any_input(Program **progs, int nprogs, const char *name) {
  for (int j = 0; j < nprogs; j++)
    if (name_set_contains(&progs[j]->input_names, name))
      return true;
  return false;
}

static bool is_static_local(const Program *p, const char *name) {
  for (int k = 0; k < p->static_locals.len; k++)
    if (!strcmp(((Var *)p->static_locals.items[k])->name, name))
      return true;
  return false;
}

/* A static constant local of progs[i] is a file-scope table of the
 * generated file, which may hold another input's global or table of that
 * name too (two helpers with a `static const double tab[]` each, in two
 * files, or a static inline helper's table that each input including its
 * header has): it takes its function's name then, as within one file.
 * An earlier input's name is kept, and a later one's unless it is a
 * static local too (renamed there). */
static void rename_static_locals(Program **progs, int nprogs, int i) {
  Program *p = progs[i];
  for (int k = 0; k < p->static_locals.len; k++) {
    Var *v = p->static_locals.items[k];
    bool taken = false;
    for (int j = 0; j < nprogs && !taken; j++)
      taken = j != i && name_set_contains(&progs[j]->input_names, v->name) &&
              (j < i || !is_static_local(progs[j], v->name));
    if (!taken)
      continue;
    const char *base = format("%s_%s", (const char *)p->static_local_funcs.items[k], v->name), *name = base;
    for (int n = 2; in_any_input(progs, nprogs, name); n++)
      name = format("%s_%d", base, n);
    v->name = name;
    name_set_add(&p->input_names, name);
  }
}

void frontend_link(Program **progs, int nprogs) {
  for (int i = 0; i < nprogs; i++) /* nondiff(g) of any input: g's calls are constants in every input's code */
    for (int j = 0; j < nprogs; j++)
      if (j != i)
        name_set_add_all(&progs[i]->nondiff, &progs[j]->nondiff);
  for (int i = 0; i < nprogs; i++) /* so are custom rules: those of the input itself first */
    for (int j = 0; j < nprogs; j++)
      for (int k = 0; j != i && k < progs[j]->pragmas.len; k++) {
        Pragma *p = progs[j]->pragmas.items[k];
        if (p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP)
          vec_push(&progs[i]->custom_rules, p);
      }
  for (int i = 0; i < nprogs; i++) {
    Linker lk = {progs[i], progs, nprogs};
    resolve_calls(&lk, &progs[i]->funcs);
    resolve_calls(&lk, &progs[i]->header_funcs);
  }
  if (nprogs < 2)
    return;
  for (int i = 0; i < nprogs; i++)
    rename_static_locals(progs, nprogs, i);
  /* names first from every input, before any program takes others' in */
  NameSet *names = xcalloc((size_t)nprogs, sizeof(NameSet));
  for (int i = 0; i < nprogs; i++)
    for (int j = 0; j < nprogs; j++)
      name_set_add_all(&names[i], &progs[j]->input_names);
  for (int i = 0; i < nprogs; i++) {
    progs[i]->input_names = names[i];
    for (int j = 0; j < nprogs; j++)
      if (j != i)
        vec_push(&progs[i]->others, progs[j]);
  }
  free(names);
}
