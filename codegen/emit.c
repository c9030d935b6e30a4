/* Writes FILE.vg.c and FILE.vg.h from the differentiated functions. */
#include "vgradcc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void print_stmt(Buf *b, Stmt *s, int depth);

static void print_signature(Buf *b, Func *f) {
  buf_printf(b, "%s(", declare(f->ret, f->name));
  for (int i = 0; i < f->params.len; i++) {
    Var *p = f->params.items[i];
    buf_printf(b, "%s%s", i ? ", " : "", declare(p->type, p->name));
  }
  if (!f->params.len)
    buf_printf(b, "void");
  buf_printf(b, ")");
}

static bool same_file(const char *a, const char *b) {
  if (!a || !b)
    return false;
  char ra[PATH_MAX], rb[PATH_MAX];
  if (!realpath(a, ra) || !realpath(b, rb))
    return strcmp(a, b) == 0;
  return strcmp(ra, rb) == 0;
}

/* The other input (vgradcc a.c b.c) that `file` is, or NULL. */
static Program *other_input(Program *prog, const char *file) {
  for (int i = 0; i < prog->others.len; i++) {
    Program *o = prog->others.items[i];
    if (same_file(file, o->path))
      return o;
  }
  return NULL;
}

static const char *what_of(Derivative *d) {
  Pragma *p = d->pragma;
  Buf b = {0};
  buf_printf(&b, "%s of %s w.r.t.", p->kind == PRAGMA_GRAD       ? "gradient"
                                   : p->kind == PRAGMA_JVP      ? "value and tangent (jvp)"
                                   : p->kind == PRAGMA_VJP      ? "value and vector-Jacobian product (vjp)"
                                   : p->kind == PRAGMA_JACOBIAN ? "value and Jacobian"
                                   : p->kind == PRAGMA_HVP      ? "value, gradient and Hessian-vector product (hvp)"
                                   : p->kind == PRAGMA_HESSIAN  ? "value and Hessian"
                                                                : "value and gradient", d->primal->name);
  for (int i = 0, shown = 0; i < d->primal->params.len; i++) {
    Var *v = d->primal->params.items[i];
    bool integer = vec_contains(&d->int_params, v);
    if (!integer && !vec_contains(&d->selected, v))
      continue;
    if (*v->name)
      buf_printf(&b, "%s %s%s", shown ? "," : "", v->name, integer ? " (allow_int: no values)" : "");
    else
      buf_printf(&b, "%s arg%d (unnamed)", shown ? "," : "", v->param_index);
    shown++;
  }
  return b.buf;
}

/* The selected arrays the loss tests against NULL, for the header: the
 * caller may pass NULL for them, and then for their gradients. */
static const char *optional_arrays(Derivative *d) {
  Buf b = {0};
  for (int i = 0; i < d->nullable.len; i++) {
    Var *v = d->nullable.items[i];
    buf_printf(&b, "%s%s", i == 0 ? "" : i == d->nullable.len - 1 ? " and " : ", ", v->name);
  }
  if (d->nullable.len > 1) {
    buf_printf(&b, " may be NULL (%s tests them); each gradient may be NULL only when its array is", d->primal->name);
    return b.buf;
  }
  Var *v = d->nullable.items[0];
  const char *grad = NULL;
  for (int i = 0; i < d->selected.len; i++) {
    int ints_before = 0; /* allow_int's outputs come among them */
    for (int k = 0; k < d->int_params.len; k++)
      ints_before += ((Var *)d->int_params.items[k])->param_index < v->param_index;
    if (((Var *)d->selected.items[i])->param_index == v->param_index)
      grad = ((Var *)d->out->params.items[d->primal->params.len + i + ints_before])->name;
  }
  buf_printf(&b, " may be NULL (%s tests it); %s may be NULL only when %s is", d->primal->name, grad, v->name);
  return b.buf;
}

/* ---- types the header needs ---- */

typedef struct {
  Program *prog;
  Vec done;      /* Type* already defined or included */
  Vec includes;  /* char* already included */
  Buf *out;
} TypeEmit;

static void need_type(TypeEmit *te, Type *t);

static void define_record(TypeEmit *te, Type *t) {
  if (!t->def_file && !t->members)
    return; /* the runtime's own types (vg_tape, vg_ckpt) come with its header */
  for (int i = 0; i < te->done.len; i++)
    if (te->done.items[i] == t || (t->name && !strcmp(((Type *)te->done.items[i])->name, t->name)))
      return;
  vec_push(&te->done, t);
  for (int i = 0; i < t->nmembers; i++)
    need_type(te, t->members[i].type);
  /* a record of an included .c file (a unity build) is defined here as
   * one of the input's own is: the generated file cannot include a .c */
  size_t def_len = t->def_file ? strlen(t->def_file) : 0;
  bool from_c_file = def_len > 2 && !strcmp(t->def_file + def_len - 2, ".c");
  if (!same_file(t->def_file, te->prog->path) && !other_input(te->prog, t->def_file) && !from_c_file) {
    /* Defined in a header: include it as the input file does (or, a
     * header only another input includes, as that one does). */
    const char *spelling = NULL;
    for (int k = -1; !spelling && k < te->prog->others.len; k++) {
      Program *from = k < 0 ? te->prog : te->prog->others.items[k];
      for (int i = 0; i < from->includes.len; i++) {
        Include *inc = from->includes.items[i];
        if (same_file(inc->file, t->def_file))
          spelling = inc->text;
      }
    }
    /* A header that one of the input's own headers includes: that one,
     * as the input spells it (the path clang found is relative to
     * where vgradcc ran, not to the generated header). */
    for (int i = 0; !spelling && i < te->prog->includes.len; i++) {
      Include *inc = te->prog->includes.items[i];
      for (int r = 0; !spelling && r < inc->reads.len; r++)
        if (same_file(inc->reads.items[r], t->def_file))
          spelling = inc->text;
    }
    const char *line = spelling ? format("#include \"%s\"", spelling) : format("#include \"%s\"", t->def_file);
    if (t->typedef_name && !strcmp(t->typedef_name, "vg_array"))
      line = "#include <vgrad.h>";
    for (int i = 0; i < te->includes.len; i++)
      if (!strcmp(te->includes.items[i], line))
        return;
    vec_push(&te->includes, (void *)line);
    buf_printf(te->out, "%s\n\n", line);
    return;
  }
  const char *kw = t->is_union ? "union" : "struct";
  if (t->typedef_name)
    buf_printf(te->out, "typedef %s {\n", kw);
  else
    buf_printf(te->out, "%s {\n", t->name);
  for (int i = 0; i < t->nmembers; i++) {
    buf_printf(te->out, "    %s", declare(t->members[i].type, t->members[i].name));
    if (t->members[i].bit_field) /* the user's layout */
      buf_printf(te->out, " : %d", t->members[i].bit_width);
    buf_printf(te->out, ";\n");
  }
  if (t->typedef_name)
    buf_printf(te->out, "} %s;\n\n", t->typedef_name);
  else
    buf_printf(te->out, "};\n\n");
}

static void need_type(TypeEmit *te, Type *t) {
  while (t && (t->kind == TY_PTR || t->kind == TY_ARRAY))
    t = t->base;
  if (t && t->kind == TY_STRUCT)
    define_record(te, t);
}

/* vgrad_register_FILE, from the input's base name. */
static const char *register_name(Program *prog) {
  const char *base = strrchr(prog->path, '/');
  base = base ? base + 1 : prog->path;
  Buf b = {0};
  buf_printf(&b, "vgrad_register_");
  for (const char *p = base; *p && strcmp(p, ".c"); p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    buf_printf(&b, "%c", ok ? c : '_');
  }
  return b.buf;
}

/* The run-time entry of an array loss: calls the all-arguments gradient
 * and hands out the value, the auxiliary outputs and the asked gradients. */
static void emit_entry(Buf *out, Derivative *d) {
  Func *f = d->primal;
  int n = f->params.len;
  Type *r = f->ret;
  buf_printf(out, "\nstatic int %s_vg_entry(vg_array *const *args, const int *argnums, int nargnums, "
                  "vg_array **value,\n    vg_array **aux, vg_array **grads)\n{\n", f->name);
  buf_printf(out, "    vg_array *g[%d] = {0};\n", n);
  buf_printf(out, "    %s = %s(", declare(r, "v"), d->out->name);
  for (int i = 0; i < n; i++)
    buf_printf(out, "args[%d], ", i);
  for (int i = 0; i < n; i++)
    buf_printf(out, "&g[%d]%s", i, i + 1 < n ? ", " : "");
  buf_printf(out, ");\n");
  if (type_is_array_value(r)) {
    buf_printf(out, "    *value = v;\n    (void)aux;\n");
  } else {
    buf_printf(out, "    *value = v.%s;\n", r->members[0].name);
    buf_printf(out, "    if (aux) {\n");
    for (int i = 1; i < r->nmembers; i++) {
      if (type_is_array_value(r->members[i].type))
        buf_printf(out, "        aux[%d] = v.%s;\n", i - 1, r->members[i].name);
      else
        buf_printf(out, "        aux[%d] = vg_scalar(v.%s);\n", i - 1, r->members[i].name);
    }
    buf_printf(out, "    }");
    bool arrays = false;
    for (int i = 1; i < r->nmembers; i++)
      arrays |= type_is_array_value(r->members[i].type);
    if (arrays) {
      buf_printf(out, " else {\n");
      for (int i = 1; i < r->nmembers; i++)
        if (type_is_array_value(r->members[i].type))
          buf_printf(out, "        vg_free(v.%s);\n", r->members[i].name);
      buf_printf(out, "    }\n");
    } else {
      buf_printf(out, "\n");
    }
  }
  buf_printf(out, "    for (int i = 0; i < nargnums; i++)\n        grads[i] = vg_keep(g[argnums[i]]);\n");
  buf_printf(out, "    for (int i = 0; i < %d; i++)\n        vg_free(g[i]);\n    return 0;\n}\n", n);
}

static WalkStep need_local_type(Stmt *s, void *te) {
  Type *t = s->kind == ST_DECL && s->var ? s->var->type : NULL;
  while (t && (t->kind == TY_PTR || t->kind == TY_ARRAY)) /* State arr[2]: State */
    t = t->base;
  if (t && t->name && strcmp(t->name, "vg_tape") && strcmp(t->name, "vg_ckpt"))
    need_type(te, s->var->type);
  return WALK_ON;
}

static void need_local_types(TypeEmit *te, Stmt *s) { walk_stmt(s, &(Walker){.stmt_pre = need_local_type, .ctx = te}); }

void codegen_header(Program *prog, Vec *derivs, const char *guard, Buf *out) {
  buf_printf(out, "/* Generated by vgradcc %s from %s. Do not edit. */\n", VGRADCC_VERSION, prog->path);
  buf_printf(out, "#ifndef %s\n#define %s\n\n#include <stddef.h>\n#include <stdint.h>\n\n", guard, guard);
  TypeEmit te = {prog, {0}, {0}, out};
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    if (d->helper)
      continue;
    need_type(&te, d->out->ret);
    for (int j = 0; j < d->out->params.len; j++)
      need_type(&te, ((Var *)d->out->params.items[j])->type);
  }
  buf_printf(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
  bool entries = false;
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    entries |= d->entry;
    if (d->internal || d->helper)
      continue;
    buf_printf(out, "/* %s */\n", what_of(d));
    if (d->nullable.len)
      buf_printf(out, "/* %s */\n", optional_arrays(d));
    print_signature(out, d->out);
    buf_printf(out, ";\n\n");
  }
  if (entries)
    buf_printf(out, "/* Registers this file's array losses for vg_lookup (done before main with gcc and clang). */\n"
                    "void %s(void);\n\n", register_name(prog));
  buf_printf(out, "#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard);
}

static WalkStep add_global(Expr *e, void *ctx) {
  Vec *out = ctx;
  if (e->kind == EX_VAR && e->var->is_global && !e->var->is_library) {
    for (int i = 0; i < out->len; i++)
      if (!strcmp(((Var *)out->items[i])->name, e->var->name))
        return WALK_SKIP;
    vec_push(out, e->var);
  }
  return WALK_ON;
}

/* Globals the differentiated code reads, declared as in the input. */
static void collect_globals_stmt(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.expr_pre = add_global, .ctx = out}); }

static bool expr_calls(Expr *e, const char *prefix) {
  if (!e)
    return false;
  if (e->kind == EX_CALL && !strncmp(e->text, prefix, strlen(prefix)))
    return true;
  if (expr_calls(e->lhs, prefix) || expr_calls(e->rhs, prefix) || expr_calls(e->cond, prefix))
    return true;
  for (int i = 0; i < e->args.len; i++)
    if (expr_calls(e->args.items[i], prefix))
      return true;
  return false;
}

static bool stmt_calls(Stmt *s, const char *prefix) {
  if (!s)
    return false;
  if (expr_calls(s->expr, prefix) || expr_calls(s->init, prefix) || expr_calls(s->step, prefix))
    return true;
  for (int i = 0; i < s->body.len; i++)
    if (stmt_calls(s->body.items[i], prefix))
      return true;
  return stmt_calls(s->then, prefix) || stmt_calls(s->els, prefix) || stmt_calls(s->for_init, prefix);
}

/* ---- declarations of the functions the generated code calls ---- */

/* A function of the input's that the generated code calls as it is (a
 * printf, an assert's __assert_fail, an extern logger) needs its
 * declaration there too: the #include of the input that declared it, or
 * its prototype when the input itself declares it. */
typedef struct {
  Program *prog;
  bool stdio;    /* <stdio.h> is included already */
  bool runtime;  /* a function of vgrad.h is called (vg_stop_gradient_f64): <vgrad.h> is included */
  Vec includes;  /* char*: #include lines, each once */
  Vec protos;    /* char*: prototypes, each once */
} CalleeDecls;

static void add_once(Vec *lines, const char *line) {
  for (int i = 0; i < lines->len; i++)
    if (!strcmp(lines->items[i], line))
      return;
  vec_push(lines, (void *)line);
}

static bool included_always(const CalleeDecls *cd, const char *header) {
  return !strcmp(header, "math.h") || !strcmp(header, "stdlib.h") || !strcmp(header, "string.h") ||
         !strcmp(header, "vgrad.h") || (cd->stdio && !strcmp(header, "stdio.h"));
}

static WalkStep declare_callee(Expr *e, void *ctx) {
  CalleeDecls *cd = ctx;
  if (e->kind != EX_CALL || e->call != CALL_PLAIN || !e->callee_file)
    return WALK_ON;
  const char *base = strrchr(e->callee_file, '/');
  if (!strcmp(base ? base + 1 : e->callee_file, "vgrad.h")) {
    cd->runtime = true; /* the runtime's API: its header is included with the runtime */
    return WALK_ON;
  }
  if (!strcmp(e->callee_file, "vgrad_cblas.h")) { /* a built-in CBLAS rule (ad/custom.c) */
    add_once(&cd->includes, "#include <vgrad_cblas.h>");
    return WALK_ON;
  }
  /* declared in an input (this one, or another whose helper was inlined) */
  Program *declarer = same_file(e->callee_file, cd->prog->path) ? cd->prog : other_input(cd->prog, e->callee_file);
  if (declarer) {
    for (int i = 0; i < declarer->funcs.len; i++) {
      Func *f = declarer->funcs.items[i];
      /* a nondiff(g) function, one with a custom rule and a rule are called, not inlined, whether
       * their body is here or not */
      if ((!f->body || func_called_as_is(cd->prog, f->name)) && !strcmp(f->name, e->text)) {
        Buf b = {0};
        print_signature(&b, f);
        buf_printf(&b, ";");
        add_once(&cd->protos, b.buf);
        break;
      }
    }
    return WALK_ON;
  }
  /* declared in a header: this input's #includes, then the others' */
  for (int k = -1; k < cd->prog->others.len; k++) {
    Program *from = k < 0 ? cd->prog : cd->prog->others.items[k];
    for (int i = 0; i < from->includes.len; i++) {
      Include *inc = from->includes.items[i];
      /* an included .c file (a unity build) defines what the input defines:
       * the generated file cannot include it again */
      size_t len = strlen(inc->text);
      if (len > 2 && !strcmp(inc->text + len - 2, ".c"))
        continue;
      for (int j = 0; j < inc->reads.len; j++) {
        if (!same_file(inc->reads.items[j], e->callee_file))
          continue;
        if (!included_always(cd, inc->text))
          add_once(&cd->includes, format(inc->angled ? "#include <%s>" : "#include \"%s\"", inc->text));
        return WALK_ON;
      }
    }
  }
  return WALK_ON;
}

/* d/dx lgamma(x): shifted up past 6, then the asymptotic series. */
static const char digamma_source[] =
    "\n/* The derivative of lgamma. */\n"
    "static double vgradcc_digamma(double x)\n"
    "{\n"
    "    double r = 0;\n"
    "    if (x <= 0 && x == floor(x))\n"
    "        return NAN;\n"
    "    if (x < 0) /* reflection: psi(1 - x) - psi(x) = pi cot(pi x) */\n"
    "        return vgradcc_digamma(1 - x) - 3.14159265358979323846 / tan(3.14159265358979323846 * x);\n"
    "    while (x < 6) {\n"
    "        r -= 1 / x;\n"
    "        x += 1;\n"
    "    }\n"
    "    double f = 1 / (x * x);\n"
    "    return r + log(x) - 0.5 / x -\n"
    "           f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));\n"
    "}\n";

/* lgammaf's, emitted only where used (an unused static function warns). */
static const char digammaf_source[] =
    "\n"
    "static float vgradcc_digammaf(float x)\n"
    "{\n"
    "    return (float)vgradcc_digamma(x);\n"
    "}\n";

void codegen_source(Program *prog, Vec *derivs, const char *header_name, Buf *out) {
  buf_printf(out, "/* Generated by vgradcc %s from %s. Do not edit. */\n", VGRADCC_VERSION, prog->path);
  bool runtime = false;
  for (int i = 0; i < derivs->len; i++)
    runtime |= ((Derivative *)derivs->items[i])->out->uses_runtime;
  bool stdio = false, omp = false;
  for (int i = 0; i < derivs->len; i++) {
    stdio |= ((Derivative *)derivs->items[i])->out->uses_stdio;
    omp |= ((Derivative *)derivs->items[i])->out->uses_omp;
  }
  CalleeDecls callees = {prog, stdio, false, {0}, {0}};
  bool complex_values = false;
  for (int i = 0; i < derivs->len; i++) {
    walk_stmt(((Derivative *)derivs->items[i])->out->body, &(Walker){.expr_pre = declare_callee, .ctx = &callees});
    complex_values |= stmt_has_complex_value(((Derivative *)derivs->items[i])->out->body);
  }
  if (complex_values) /* creal, conj, I, ... (the input may have had them from <tgmath.h>) */
    add_once(&callees.includes, "#include <complex.h>");
  runtime |= callees.runtime;
  Buf callee_includes = {0};
  for (int i = 0; i < callees.includes.len; i++)
    buf_printf(&callee_includes, "%s\n", (char *)callees.includes.items[i]);
  buf_printf(out, "#include <math.h>\n%s%s#include <stdlib.h>\n#include <string.h>\n%s%s\n#include \"%s\"\n",
             omp ? "#include <omp.h>\n" : "", stdio ? "#include <stdio.h>\n" : "",
             runtime ? "#include <vgrad.h>\n" : "", callee_includes.buf ? callee_includes.buf : "", header_name);
  free(callee_includes.buf);
  if (callees.protos.len)
    buf_printf(out, "\n");
  for (int i = 0; i < callees.protos.len; i++)
    buf_printf(out, "%s\n", (char *)callees.protos.items[i]);
  /* Records used only by locals: the header defines those of the signatures. */
  Buf scratch = {0};
  TypeEmit te = {prog, {0}, {0}, &scratch};
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    need_type(&te, d->out->ret);
    for (int j = 0; j < d->out->params.len; j++)
      need_type(&te, ((Var *)d->out->params.items[j])->type);
  }
  Buf local_types = {0};
  te.out = &local_types;
  for (int i = 0; i < derivs->len; i++)
    need_local_types(&te, ((Derivative *)derivs->items[i])->out->body);
  if (local_types.len)
    buf_printf(out, "\n%s", local_types.buf);
  free(scratch.buf);
  free(local_types.buf);
  Vec globals = {0};
  for (int i = 0; i < derivs->len; i++)
    collect_globals_stmt(((Derivative *)derivs->items[i])->out->body, &globals);
  bool digamma = false, digammaf = false; /* a prefix: digamma also when only digammaf is called */
  for (int i = 0; i < derivs->len; i++) {
    digamma |= stmt_calls(((Derivative *)derivs->items[i])->out->body, "vgradcc_digamma");
    digammaf |= stmt_calls(((Derivative *)derivs->items[i])->out->body, "vgradcc_digammaf");
  }
  if (digamma)
    buf_printf(out, "%s", digamma_source);
  if (digammaf)
    buf_printf(out, "%s", digammaf_source);
  if (globals.len)
    buf_printf(out, "\n");
  for (int i = 0; i < globals.len; i++) {
    Var *g = globals.items[i];
    if (g->is_static)
      buf_printf(out, "static %s = %s;\n", declare(g->type, g->name), g->init);
    else
      buf_printf(out, "extern %s;\n", declare(g->type, g->name));
  }
  bool helpers = false; /* declared first: they call one another, and the others call them */
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    if (!d->helper)
      continue;
    buf_printf(out, "%sstatic ", helpers ? "" : "\n");
    print_signature(out, d->out);
    buf_printf(out, ";\n");
    helpers = true;
  }
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    if (d->helper)
      buf_printf(out, "\n/* %s */\n", d->helper);
    else
      buf_printf(out, "\n/* %s (%s:%d) */\n", what_of(d), prog->path, d->pragma->loc.line);
    if (d->internal || d->helper)
      buf_printf(out, "static ");
    print_signature(out, d->out);
    buf_printf(out, "\n{\n");
    print_stmt(out, d->out->body, 1);
    buf_printf(out, "}\n");
  }
  bool entries = false;
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    if (d->entry) {
      emit_entry(out, d);
      entries = true;
    }
  }
  if (!entries)
    return;
  buf_printf(out, "\n#if defined(__GNUC__)\n__attribute__((constructor))\n#endif\nvoid %s(void)\n{\n",
             register_name(prog));
  for (int i = 0; i < derivs->len; i++) {
    Derivative *d = derivs->items[i];
    if (!d->entry)
      continue;
    Type *r = d->primal->ret;
    int naux = type_is_array_value(r) ? 0 : r->nmembers - 1;
    buf_printf(out, "    vg_register(\"%s\", %d, %d, %s_vg_entry);\n", d->primal->name, d->primal->params.len, naux,
               d->primal->name);
  }
  buf_printf(out, "}\n");
}
