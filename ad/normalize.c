/* Normalisation: a private copy of the primal in the shape the sweeps
 * expect.  Declarations are hoisted to the top (the reverse sweep needs
 * every variable in scope), `return e` becomes `result = e` (plus a flag
 * and guards for returns that are not the last statement), `x++` becomes
 * `x += 1`, and constructs outside the supported subset are reported. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

/* Whether a name declared in the generated function would hide or clash
 * with another: one declared there already, or a name visible at file
 * scope (in the input or in what the generated file includes). */
bool ad_name_taken(Ad *ad, const char *name) {
  return name_set_contains(&ad->names, name) || name_set_contains(&ad->prog->input_names, name) ||
         name_set_contains(&ad->prog->library_names, name);
}

typedef struct {
  const char *name;
  const char *base;   /* the fresh name's base, whose suffix hint it advanced; NULL if none */
  int old_hint;       /* that hint before, 0 if there was none */
} NameTaken;

static void log_name(Ad *ad, const char *name, const char *base, int old_hint) {
  NameTaken *t = xcalloc(1, sizeof(NameTaken));
  t->name = name;
  t->base = base;
  t->old_hint = old_hint;
  vec_push(&ad->name_log, t);
}

void ad_reserve_name(Ad *ad, const char *name) {
  if (name_set_add(&ad->names, name))
    log_name(ad, name, NULL, 0);
}

/* `base`, or the first of base_2, base_3, ... not taken.  Names are only
 * added (ad_names_rollback undoes in reverse order), so the suffixes below
 * the last one found for a base stay taken: the search resumes there. */
const char *ad_fresh_name(Ad *ad, const char *base) {
  if (!ad_name_taken(ad, base)) {
    ad_reserve_name(ad, base);
    return base;
  }
  int *hint = name_set_value(&ad->next_suffix, base);
  if (!hint) {
    base = xstrdup(base);
    name_set_add(&ad->next_suffix, base);
    hint = name_set_value(&ad->next_suffix, base);
  }
  int old_hint = *hint;
  int k = old_hint ? old_hint : 2;
  char *name = format("%s_%d", base, k);
  while (ad_name_taken(ad, name)) {
    free(name);
    name = format("%s_%d", base, ++k);
  }
  *hint = k + 1;
  name_set_add(&ad->names, name);
  log_name(ad, name, base, old_hint);
  return name;
}

/* A parameter's name as the user wrote it; argN (N as in argnums) for an
 * unnamed one. */
const char *ad_param_name(const Var *param) {
  return *param->name ? param->name : format("arg%d", param->param_index);
}

int ad_names_mark(Ad *ad) { return ad->name_log.len; }

void ad_names_rollback(Ad *ad, int mark) {
  assert(mark >= 0 && mark <= ad->name_log.len);
  while (ad->name_log.len > mark) {
    NameTaken *t = ad->name_log.items[--ad->name_log.len];
    name_set_remove(&ad->names, t->name);
    if (t->base)
      *name_set_value(&ad->next_suffix, t->base) = t->old_hint;
    free(t);
  }
}

static Expr *zero_of(Type *t) {
  if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
    return new_expr(EX_INIT, t, (Loc){0}); /* {0} */
  if (t->kind == TY_PTR)
    return expr_num("0", type_int());
  return expr_num("0", t);
}

Var *ad_new_local(Ad *ad, const char *base, Type *type, bool declare_it) {
  Var *v = xcalloc(1, sizeof(Var));
  v->name = ad_fresh_name(ad, base);
  v->type = type;
  v->param_index = -1;
  if (declare_it) {
    Stmt *d = new_stmt(ST_DECL, (Loc){0});
    d->var = v;
    d->init = zero_of(type);
    vec_push(&ad->decls, d);
  }
  return v;
}

/* ---- checks ---- */

static bool is_alloc_call(Expr *e) {
  while (e && e->kind == EX_CAST)
    e = e->lhs;
  return e && e->kind == EX_CALL && (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc"));
}

static bool check_expr(Ad *ad, Expr *e);

static bool check_args(Ad *ad, Expr *e) {
  bool ok = true;
  for (int i = 0; i < e->args.len; i++)
    ok &= check_expr(ad, e->args.items[i]);
  return ok;
}

/* vg_stop_gradient(x), or a call of a function named by nondiff(g): its
 * value is a constant of the derivative, so it may see active values; but
 * what it writes through a pointer would be a constant overwriting them,
 * which is not supported, nor a value other than a number. */
static bool check_constant_call(Ad *ad, Expr *e) {
  if (!call_is_stop_gradient(e) && !type_is_arith(e->type) && e->type->kind != TY_VOID) {
    error_at(e->loc, "'%s', named by nondiff(%s), returns '%s': nondiff is supported for functions that return a "
             "number or nothing; return the value, or apply vg_stop_gradient to a number", e->text, e->text,
             declare(e->type, ""));
    return false;
  }
  bool ok = true;
  for (int i = 0; i < e->args.len; i++) {
    Expr *a = e->args.items[i];
    Type *t = a->type;
    while (a->kind == EX_CAST && a->implicit)
      t = (a = a->lhs)->type;
    if ((t->kind == TY_PTR || t->kind == TY_ARRAY) && type_has_floating(t->base) && !t->base->is_const &&
        !type_is_array_value(t)) {
      error_at(e->loc, "call to '%s', named by nondiff(%s), with pointer argument '%s' to floating-point data it may "
               "write, is not supported: the values it writes would be constants overwriting values the gradient "
               "follows; declare the parameter 'const' if '%s' only reads it, or write the results into a copy "
               "that the loss does not differentiate", e->text, e->text, expr_to_user_c(e->args.items[i]),
               e->text);
      return false;
    }
    if (((Expr *)e->args.items[i])->kind != EX_STRING)
      ok &= check_expr(ad, e->args.items[i]);
  }
  return ok;
}

/* A call of g under custom_vjp(g) / custom_jvp(g): the transform's kind
 * of rule must be there; the call is marked for the later stages. */
static bool check_custom_call(Ad *ad, Expr *e) {
  bool forward = ad->deriv->pragma->kind == PRAGMA_JVP;
  PragmaKind kind = forward ? PRAGMA_CUSTOM_JVP : PRAGMA_CUSTOM_VJP;
  const Pragma *rule = custom_rule(ad->prog, e->text, kind);
  if (!rule) {
    const Pragma *other = custom_rule(ad->prog, e->text, forward ? PRAGMA_CUSTOM_VJP : PRAGMA_CUSTOM_JVP);
    error_at(e->loc, "call to '%s' in %s needs a rule '#pragma vgrad %s(%s) with(...)'; '%s' has only "
             "%s(%s) with(%s)", e->text, forward ? "jvp" : "a reverse-mode transform",
             forward ? "custom_jvp" : "custom_vjp", e->text, e->text, forward ? "custom_vjp" : "custom_jvp",
             e->text, other->with);
    return false;
  }
  Func *g = ad_find_function(ad->prog, e->text);
  if (!g || (!rule->builtin && !ad_find_function(ad->prog, rule->with)) || g->params.len != e->args.len)
    return false; /* the rule's pragma is reported (ad_check_custom_rule) */
  e->custom = true;
  e->custom_outputs = ad_custom_outputs(ad->prog, e->text);
  if (e->custom_outputs && e != ad->statement_call) {
    error_at(e->loc, "'%s' writes through its pointer arguments; a call of it is supported as a statement of its "
             "own, '%s(...);', its value (if any) not used", e->text, e->text);
    return false;
  }
  bool ok = true;
  for (int i = 0; i < e->args.len; i++) {
    Expr *a = e->args.items[i];
    if (a->kind != EX_STRING)
      ok &= check_expr(ad, a);
    if (!(e->custom_outputs >> i & 1) || !ok)
      continue;
    Var *root = call_output_root(e, i);
    if (!root || !ad_pointer_root(a)) {
      error_at(a->loc, "output '%s' of '%s' is not supported: pass an array, a pointer variable or an offset into "
               "one (y, p, &y[k], y + k)", expr_to_user_c(a), e->text);
      return false;
    }
    if (root->is_global) {
      error_at(a->loc, "output '%s' of '%s' is global array '%s', which vgradcc does not write in a differentiated "
               "function; pass a local array or a parameter", expr_to_user_c(a), e->text, var_spelling(root));
      return false;
    }
  }
  return ok;
}

static bool check_expr(Ad *ad, Expr *e) {
  if (!e)
    return true;
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_STRING:
    error_at(e->loc, "a string literal in a differentiated function is supported only as an argument of a "
             "function of another file (printf(\"...\", x)); pass the text in as a parameter");
    return false;
  case EX_VAR:
    if (e->var->is_global && e->var->is_static && !(type_is_const_data(e->var->type) && e->var->init)) {
      error_at(e->loc, "static global '%s' is not supported: the generated file cannot reach it; make it "
               "non-static%s", var_spelling(e->var), type_is_arith(e->var->type) ? " or a constant" : "");
      return false;
    }
    if (type_is_function_pointer(e->var->type) && e->var->param_index < 0 && !e->var->is_global) {
      /* a local or a helper's parameter: no variable of the generated code (call_through_pointer) */
      error_at(e->loc, "function pointer '%s' used other than in a call or as an argument to a function of this "
               "file is not supported; test the int or condition that chooses it instead", var_spelling(e->var));
      return false;
    }
    if (e->var->type->kind == TY_LDOUBLE && (e->var->is_global || e->var->param_index >= 0)) { /* locals: at their declaration */
      error_at(e->loc, "'long double' variable '%s' is not supported; use double", var_spelling(e->var));
      return false;
    }
    return true;
  case EX_FUNCREF:
    error_at(e->loc, "function '%s' used as a value is not supported; vgradcc follows function pointers only into "
             "calls, from variables, parameters and constant tables they are assigned", e->text);
    return false;
  case EX_UNSUPPORTED:
    error_at(e->loc, "%s is not supported", e->text);
    return false;
  case EX_STMT_EXPR:
    error_at(e->loc, "a statement expression '({ ... })' whose value is used is not supported; write its "
             "statements before and keep the value in a variable");
    return false;
  case EX_CALL: {
    if (e->lhs) { /* through a pointer where calls are not inlined */
      error_at(e->loc, "call through function pointer '%s' here is not supported; call it in a statement of its own",
               expr_to_user_c(e->lhs));
      return false;
    }
    const ArrayOp *op = ad_array_op(e->text);
    if (op) {
      if (op->kind == AOP_DATA) {
        error_at(e->loc, "'%s' in a differentiated function is not supported: read array values with vg_item",
                 e->text);
        return false;
      }
      return check_args(ad, e);
    }
    if (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc")) {
      error_at(e->loc, "'%s' is supported only as a whole assignment to a pointer variable, 'p = %s(...)'",
               e->text, e->text);
      return false;
    }
    const MathFunc *m = ad_math_lookup(e->text);
    const MathFunc *long_double = ad_math_long_double(e->text);
    if (long_double) {
      error_at(e->loc, "'%s' (long double) is not supported; call '%s'", e->text, long_double->name);
      return false;
    }
    if (!m) {
      if (!strcmp(e->text, "setjmp") || !strcmp(e->text, "_setjmp") || !strcmp(e->text, "sigsetjmp") ||
          !strcmp(e->text, "__sigsetjmp") || !strcmp(e->text, "longjmp") || !strcmp(e->text, "siglongjmp") ||
          !strcmp(e->text, "_longjmp")) {
        error_at(e->loc, "call to '%s' is not supported: non-local jumps cannot be reversed", e->text);
        return false;
      }
      if (!strcmp(e->text, "realloc")) {
        error_at(e->loc, "'realloc' is not supported (it frees the old buffer, whose values the reverse sweep "
                 "needs); allocate the final size with malloc or calloc, or malloc a second buffer and memcpy the "
                 "values into it");
        return false;
      }
      if (call_is_constant(ad->prog, e))
        return check_constant_call(ad, e);
      if (call_has_custom_rule(ad->prog, e))
        return check_custom_call(ad, e);
      /* A function we cannot see into is kept as it is if it cannot
       * change or produce a value the derivative depends on. */
      for (int i = 0; i < e->args.len; i++) {
        Expr *a = e->args.items[i];
        Type *t = a->type;
        while (a->kind == EX_CAST && a->implicit)
          t = (a = a->lhs)->type;
        bool writes_floats = (t->kind == TY_PTR || t->kind == TY_ARRAY) && type_has_floating(t->base) &&
                             !t->base->is_const;
        if ((writes_floats || (type_has_floating(e->type) && type_has_floating(t))) && e->system_callee &&
            !strncmp(e->text, "cblas_", 6)) {
          error_at(e->loc, "call to '%s' with floating-point argument '%s' is not supported: vgradcc's built-in "
                   "CBLAS rules cover cblas_Xdot, cblas_Xaxpy, cblas_Xscal, cblas_Xgemv and cblas_Xgemm, X = d or s "
                   "(with <cblas.h> included); for '%s' write the loop it computes%s%s%s",
                   e->text, expr_to_user_c(e->args.items[i]), e->text,
                   writes_floats ? "" : ", or, if no derivative flows through it, say so with '#pragma vgrad nondiff(",
                   writes_floats ? "" : e->text, writes_floats ? "" : ")'");
          return false;
        }
        if ((writes_floats || (type_has_floating(e->type) && type_has_floating(t))) && e->system_callee) {
          error_at(e->loc, "call to '%s', whose body is not in this file, with floating-point argument '%s' is "
                   "not supported; if no derivative flows through it, say so with '#pragma vgrad nondiff(%s)'",
                   e->text, expr_to_user_c(e->args.items[i]), e->text);
          return false;
        }
        if (writes_floats || (type_has_floating(e->type) && type_has_floating(t))) {
          error_at(e->loc, "call to '%s', whose body is in none of the input files, with floating-point argument "
                   "'%s' is not supported: give vgradcc the file that defines it as another input (vgradcc a.c b.c), "
                   "or, if no derivative flows through it, say so with '#pragma vgrad nondiff(%s)', or give it a "
                   "derivative rule of your own with '#pragma vgrad custom_vjp(%s) with(...)'", e->text,
                   expr_to_user_c(e->args.items[i]), e->text, e->text);
          return false;
        }
      }
      bool ok = true;
      for (int i = 0; i < e->args.len; i++)
        if (((Expr *)e->args.items[i])->kind != EX_STRING)
          ok &= check_expr(ad, e->args.items[i]);
      return ok;
    }
    if (m->nargs != e->args.len) {
      error_at(e->loc, "call to '%s' with %d argument%s; expected %d", e->text, e->args.len,
               e->args.len == 1 ? "" : "s", m->nargs);
      return false;
    }
    return check_args(ad, e);
  }
  case EX_ASSIGN:
    error_at(e->loc, "assignment inside an expression is not supported; write it as its own statement");
    return false;
  case EX_INCDEC:
    error_at(e->loc, "'%s' inside an expression is not supported; write it as its own statement",
             e->increment ? "++" : "--");
    return false;
  case EX_ADDR:
    if (!lvalue_is_memory(e->lhs) && e->lhs->type->kind != TY_STRUCT && e->lhs->type->kind != TY_ARRAY) {
      error_at(e->loc, "taking the address of variable '%s' is not supported; only of arrays, their elements and structs",
               expr_to_user_c(e->lhs));
      return false;
    }
    return check_expr(ad, e->lhs);
  case EX_BINARY:
    if (e->op == OP_COMMA) {
      error_at(e->loc, "the comma operator is not supported");
      return false;
    }
    return check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  case EX_COND:
    return check_expr(ad, e->cond) & check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  case EX_CAST:
    if (e->type->kind == TY_LDOUBLE || e->type->kind == TY_OTHER) {
      error_at(e->loc, "conversion to '%s' is not supported; convert to double", declare(e->type, ""));
      return false;
    }
    return check_expr(ad, e->lhs);
  case EX_INIT:
    return check_args(ad, e);
  case EX_COMPOUND:
    return check_expr(ad, e->lhs);
  case EX_INDEX:
    return check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  default:
    return check_expr(ad, e->lhs);
  }
}

static bool check_local_type(Var *v) {
  Type *t = v->type;
  Type *elem = t;
  while (elem->kind == TY_ARRAY || elem->kind == TY_PTR)
    elem = elem->base;
  if (t->kind == TY_ARRAY && t->array_len < 0 && t->base->kind == TY_ARRAY) {
    error_at(v->loc, "multi-dimensional variable-length array '%s' is not supported; allocate one block of "
             "rows * columns elements and index it as %s[i * columns + j]", var_spelling(v), var_spelling(v));
    return false;
  }
  if (t->kind == TY_ARRAY && type_is_function_pointer(t->base)) {
    error_at(v->loc, "local table of function pointers '%s' is not supported; declare it 'static' with the "
             "functions' names and 'const' entries: 'static double (*const %s[])(double) = {f, g};'",
             var_spelling(v), var_spelling(v));
    return false;
  }
  if (elem->kind == TY_LDOUBLE || elem->kind == TY_OTHER || elem->kind == TY_FUNC) {
    const char *name = declare(t, "");
    if (strstr(name, "_Complex") || strstr(name, "complex"))
      error_at(v->loc, "variable '%s' of type '%s' is not supported: complex numbers are differentiated in "
               "double complex and float complex", var_spelling(v), name);
    else
      error_at(v->loc, "variable '%s' of type '%s' is not supported; use double or float", var_spelling(v), name);
    return false;
  }
  return true;
}

static bool check_assign_target(Expr *lhs) {
  Var *root = lvalue_root(lhs);
  if (!root && lhs->kind == EX_CALL && lhs->args.len == 1 && type_is_complex(((Expr *)lhs->args.items[0])->type)) {
    const char *z = expr_to_user_c(lhs->args.items[0]);
    error_at(lhs->loc, "assigning to one part of complex '%s' (__real__, __imag__) is not supported; assign the "
             "whole value: '%s = re + cimag(%s) * I'", z, z, z);
    return false;
  }
  if (!root) {
    error_at(lhs->loc, "assignment to '%s' is not supported; assign through a pointer variable "
             "('double *p = ...; p[i] = ...')", expr_to_user_c(lhs));
    return false;
  }
  if (root->is_global && root->is_static) {
    error_at(lhs->loc, "assignment to static global '%s' is not supported: the generated file cannot reach it; "
             "make it non-static", var_spelling(root));
    return false;
  }
  if (root->is_global && (lhs->kind != EX_VAR || !type_is_arith(root->type))) {
    error_at(lhs->loc, "assignment to '%s', a part of global variable '%s', is not supported; assign a global "
             "number, or pass the array to the function as a parameter", expr_to_user_c(lhs), var_spelling(root));
    return false;
  }
  if (lhs->kind == EX_VAR && root->param_index >= 0 && (root->type->kind == TY_PTR || root->type->kind == TY_ARRAY)) {
    error_at(lhs->loc, "assignment to pointer parameter '%s' is not supported; copy it to a local pointer first",
             var_spelling(root));
    return false;
  }
  /* a member of a local struct: ad/struct_pointers.c decides, once calls are inlined */
  if (lhs->type->kind == TY_PTR && lhs->kind != EX_VAR &&
      !(lhs->kind == EX_MEMBER && root->param_index < 0 && !root->is_global) &&
      !(type_is_array_value(lhs->type) && lhs->kind == EX_MEMBER && !lhs->arrow && lhs->lhs->kind == EX_VAR &&
        root->param_index < 0 && !root->is_global)) {
    const char *name = lhs->kind == EX_MEMBER ? lhs->text : "p";
    error_at(lhs->loc, "storing a pointer in '%s' is not supported: vgradcc follows a pointer held in a variable "
             "of its own, not in a struct member or an array; keep it in a local pointer variable ('%s = ...') "
             "and use that", expr_to_user_c(lhs), declare(type_unqualified(lhs->type), name));
    return false;
  }
  return true;
}

/* The right side of `p = ...` for a pointer variable p. */
static bool check_pointer_value(Ad *ad, Expr *e) {
  if (is_alloc_call(e)) {
    while (e->kind == EX_CAST)
      e = e->lhs;
    return check_args(ad, e);
  }
  return check_expr(ad, e);
}

/* ---- lowering ---- */

/* The innermost loop being lowered: its break and continue flags. */
typedef struct Loop Loop;
struct Loop {
  Var *brk, *cont;
  Loop *outer;
};

typedef struct {
  Ad *ad;
  bool failed;       /* an error was reported (the convention of vgradcc.h, "stages") */
  Loop *loop;        /* innermost loop of the function being lowered */
  int loop_depth;    /* loops around this point, across inlined calls */
  Var *result;       /* where `return e` puts e: the loss, or a call's value */
  Var *returned;     /* set by a return that is not last; NULL until needed */
  bool top;          /* lowering the differentiated function itself, not a callee */
  Vec inlining;      /* Func*: calls being inlined, to refuse recursion */
  Vec fn_pointers;   /* FnPointer*: the function pointer variables met so far */
  Vec fn_numbers;    /* Expr* EX_FUNCREF: the functions a pointer chosen at run time may hold,
                      * numbered from 1 in this order (the int that stands for the pointer) */
} Lower;

/* The jumps a statement may make past the statements that follow it. */
typedef struct {
  bool ret, brk, cont;
} Jumps;

static void jumps_of(Stmt *s, bool nested, bool tail, Jumps *j) {
  if (!s)
    return;
  switch (s->kind) {
  case ST_RETURN:
    j->ret |= !tail;
    return;
  case ST_BREAK:
    j->brk |= !nested;
    return;
  case ST_CONTINUE:
    j->cont |= !nested;
    return;
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++) {
      Stmt *c = s->body.items[i];
      bool last = i == s->body.len - 1 || c->kind == ST_RETURN || c->kind == ST_BREAK || c->kind == ST_CONTINUE;
      jumps_of(c, nested, tail && last, j);
      if (last)
        return;
    }
    return;
  case ST_IF:
    jumps_of(s->then, nested, tail, j);
    jumps_of(s->els, nested, tail, j);
    return;
  case ST_FOR:
  case ST_WHILE:
  case ST_DO:
    jumps_of(s->then, true, false, j);
    return;
  default:
    return;
  }
}

/* Whether s has a continue (of the loop whose body s is in) that is not
 * the last thing the body does: only such a continue needs a flag. */
static bool continue_not_last(Stmt *s, bool tail) {
  if (!s)
    return false;
  switch (s->kind) {
  case ST_CONTINUE:
    return !tail;
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++) {
      Stmt *c = s->body.items[i];
      bool last = i == s->body.len - 1 || c->kind == ST_RETURN || c->kind == ST_BREAK || c->kind == ST_CONTINUE;
      if (continue_not_last(c, tail && last))
        return true;
      if (last)
        return false;
    }
    return false;
  case ST_IF:
    return continue_not_last(s->then, tail) || continue_not_last(s->els, tail);
  default: /* a nested loop's continues are its own */
    return false;
  }
}

static WalkStep stop_at_return(Stmt *s, void *unused) {
  (void)unused;
  return s->kind == ST_RETURN ? WALK_STOP : WALK_ON;
}

static bool contains_return(Stmt *s) { return !walk_stmt(s, &(Walker){.stmt_pre = stop_at_return}); }

static Expr *not_any(Var **flags, int n, Loc loc) {
  Expr *e = NULL;
  for (int i = 0; i < n; i++) {
    if (!flags[i])
      continue;
    Expr *v = expr_var(flags[i], loc);
    e = e ? expr_binary(OP_LOR, e, v, type_int()) : v;
  }
  return e ? expr_unary(EX_NOT, e, type_int()) : NULL;
}

static Expr *and_also(Expr *guard, Expr *cond) {
  if (!guard)
    return cond;
  return expr_binary(OP_LAND, guard, cond, type_int());
}

static Stmt *set_flag(Var *flag, Loc loc, const char *value) {
  Stmt *s = stmt_expr(expr_assign(OP_NONE, expr_var(flag, loc), expr_num(value, type_int())));
  s->loc = loc;
  s->is_def = true; /* flags steer the forward sweep only; the reverse sweep never reads them */
  return s;
}

static Var *returned_flag(Lower *lw) {
  if (!lw->returned) {
    lw->returned = ad_new_local(lw->ad, "returned", type_int(), true);
    if (lw->top)
      lw->ad->returned = lw->returned;
  }
  return lw->returned;
}

static void lower_list(Lower *lw, Vec *in, int from, bool tail, Vec *out);
static Stmt *lower_stmt(Lower *lw, Stmt *s, bool tail);
static Stmt *lower_stmt_inner(Lower *lw, Stmt *s, bool tail);
static bool has_user_call(Ad *ad, Expr *e);

static Expr *strip_implicit(Expr *e) {
  while (e && e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e;
}

static WalkStep add_written(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr && (s->expr->kind == EX_ASSIGN || s->expr->kind == EX_INCDEC))
    vec_push(out, lvalue_root(s->expr->lhs));
  if (s->kind == ST_DECL)
    vec_push(out, s->var);
  return WALK_ON;
}

/* A for's step after its body (and init). */
static void add_written_step(Stmt *s, void *out) {
  if (s->kind == ST_FOR && s->step && (s->step->kind == EX_ASSIGN || s->step->kind == EX_INCDEC))
    vec_push(out, lvalue_root(s->step->lhs));
}

static void written_in(Stmt *s, Vec *out) {
  walk_stmt(s, &(Walker){.stmt_pre = add_written, .stmt_post = add_written_step, .ctx = out});
}

static bool is_one_of(const Expr *e, const void *vars) { return e->kind == EX_VAR && vec_contains(vars, e->var); }

static bool reads_any(Expr *e, Vec *vars) { return expr_any(e, is_one_of, vars); }

/* `for (i = a; i < b; i += K)` with an integer counter that the body
 * leaves alone: its reverse runs i back down to a, with no tape. */
static bool simple_counter(Stmt *s, Var **counter, Expr **start, Expr **step) {
  Stmt *init = s->for_init;
  Var *i = NULL;
  Expr *a = NULL;
  if (init && init->kind == ST_DECL && init->init) {
    i = init->var;
    a = init->init;
  } else if (init && init->kind == ST_EXPR && init->expr->kind == EX_ASSIGN && init->expr->op == OP_NONE &&
             init->expr->lhs->kind == EX_VAR) {
    i = init->expr->lhs->var;
    a = init->expr->rhs;
  }
  if (!i || !type_is_integer(i->type) || !s->expr || !s->step)
    return false;
  Expr *c = s->expr;
  if (c->kind != EX_BINARY || c->op < OP_LT || c->op > OP_NE)
    return false;
  Expr *l = strip_implicit(c->lhs), *r = strip_implicit(c->rhs);
  if (!((l->kind == EX_VAR && l->var == i) || (r->kind == EX_VAR && r->var == i)))
    return false;
  Expr *st = s->step;
  Expr *k;
  if (st->kind == EX_INCDEC && st->lhs->kind == EX_VAR && st->lhs->var == i) {
    k = expr_assign(st->increment ? OP_ADD : OP_SUB, expr_var(i, st->loc), expr_num("1", type_int()));
  } else if (st->kind == EX_ASSIGN && (st->op == OP_ADD || st->op == OP_SUB) && st->lhs->kind == EX_VAR &&
             st->lhs->var == i && strip_implicit(st->rhs)->kind == EX_NUM &&
             strip_implicit(st->rhs)->text[0] >= '1' && strip_implicit(st->rhs)->text[0] <= '9') {
    k = expr_assign(st->op, expr_var(i, st->loc), strip_implicit(st->rhs));
  } else if (st->kind == EX_ASSIGN && (st->op == OP_ADD || st->op == OP_SUB) && st->lhs->kind == EX_VAR &&
             st->lhs->var == i && strip_implicit(st->rhs)->kind == EX_VAR &&
             strip_implicit(st->rhs)->var != i && type_is_integer(strip_implicit(st->rhs)->type)) {
    /* i += K with K an integer the body leaves alone (llm.c's `obt += LOOP_UNROLL`, a const int): the
     * reverse loop steps back by K from where the forward one stopped */
    k = expr_assign(st->op, expr_var(i, st->loc), strip_implicit(st->rhs));
  } else {
    return false;
  }
  Vec written = {0};
  written_in(s->then, &written);
  Vec self = {0};
  vec_push(&self, i);
  bool ok = !vec_contains(&written, i) && !reads_any(a, &written) && !reads_any(a, &self) &&
            !reads_any(k->rhs, &written);
  free(written.items);
  free(self.items);
  if (!ok)
    return false;
  *counter = i;
  *start = a;
  *step = k;
  return true;
}

/* The parts of a for's step: `i++, j--` has two. */
static void step_parts(Expr *step, Vec *out) {
  if (!step)
    return;
  if (step->kind == EX_BINARY && step->op == OP_COMMA) {
    step_parts(step->lhs, out);
    step_parts(step->rhs, out);
    return;
  }
  vec_push(out, step);
}

static Stmt *lower_loop(Lower *lw, Stmt *s) {
  Ad *ad = lw->ad;
  Jumps j = {0};
  jumps_of(s->then, false, false, &j);
  bool has_return = contains_return(s->then);
  Loop loop = {NULL, NULL, lw->loop};
  if (j.brk)
    loop.brk = ad_new_local(ad, "brk", type_int(), true);
  if (j.cont && continue_not_last(s->then, true))
    loop.cont = ad_new_local(ad, "cont", type_int(), true);

  Stmt *out = stmt_block(s->loc);
  Stmt *init = NULL;
  if (s->kind == ST_FOR && s->for_init) {
    init = lower_stmt(lw, s->for_init, false);
    if (lw->failed)
      return NULL;
  }
  if (has_user_call(ad, s->expr) || has_user_call(ad, s->step)) {
    error_at(s->loc, "a call to a function of this file in a loop's condition or step is not supported; "
             "call it in the loop body");
    lw->failed = true;
    return NULL;
  }
  if (s->expr && !check_expr(ad, s->expr)) {
    lw->failed = true;
    return NULL;
  }
  Vec steps = {0}; /* `i++, j--`: sequence.c leaves such a step when the body has a continue */
  step_parts(s->kind == ST_FOR ? s->step : NULL, &steps);
  for (int i = 0; i < steps.len; i++) {
    Expr *st = steps.items[i];
    bool ok = st->kind == EX_INCDEC || st->kind == EX_ASSIGN;
    if (ok)
      ok = check_assign_target(st->lhs) && check_expr(ad, st->lhs) && (st->kind == EX_INCDEC || check_expr(ad, st->rhs));
    else
      ok = check_expr(ad, st);
    if (!ok) {
      lw->failed = true;
      return NULL;
    }
  }

  Loop *saved = lw->loop;
  lw->loop = &loop;
  lw->loop_depth++;
  Stmt *body = stmt_block(s->loc);
  Vec one = {0};
  vec_push(&one, s->then);
  lower_list(lw, s->then->kind == ST_BLOCK ? &s->then->body : &one, 0, false, &body->body);
  free(one.items);
  lw->loop = saved;
  lw->loop_depth--;
  if (lw->failed)
    return NULL;
  if (loop.cont)
    vec_insert_front(&body->body, set_flag(loop.cont, s->loc, "0"));

  Var *exit_flags[2] = {has_return ? lw->returned : NULL, loop.brk};
  Expr *stay = not_any(exit_flags, 2, s->loc);
  Expr *cond = s->expr ? s->expr : expr_num("1", type_int());
  if (loop.brk)
    vec_push(&out->body, set_flag(loop.brk, s->loc, "0"));

  Var *counter;
  Expr *start, *step;
  if (s->kind == ST_FOR && !j.brk && !has_return && init && init->kind == ST_EXPR &&
      simple_counter(s, &counter, &start, &step)) {
    Stmt *f = new_stmt(ST_FOR, s->loc);
    f->for_init = init;
    f->expr = cond;
    f->step = step;
    f->then = body;
    f->var = counter;
    f->init = start;
    f->checkpoint = s->checkpoint;
    f->omp = s->omp;
    if (s->checkpoint && lw->loop_depth > 0) {
      error_at(s->loc, "checkpointing a loop inside another loop is not supported; put the pragma on the "
               "outermost loop");
      lw->failed = true;
      return NULL;
    }
    vec_push(&out->body, f);
    return out;
  }
  if (s->checkpoint) {
    error_at(s->loc, "only a counted loop 'for (i = a; i < b; i++)' whose body leaves i alone, without break or "
             "return, can be checkpointed");
    lw->failed = true;
    return NULL;
  }
  if (init)
    vec_push(&out->body, init);
  if (steps.len) {
    Stmt *step_stmt = steps.len > 1 ? stmt_block(s->loc) : NULL;
    for (int i = 0; i < steps.len; i++) {
      Expr *st = steps.items[i];
      Stmt *one;
      if (st->kind == EX_INCDEC)
        one = stmt_expr(expr_assign(st->increment ? OP_ADD : OP_SUB, st->lhs, expr_num("1", type_int())));
      else
        one = stmt_expr(st);
      one->loc = st->loc;
      Expr *a = one->expr;
      if (a->kind == EX_ASSIGN && a->lhs->type->kind == TY_PTR && (a->op == OP_ADD || a->op == OP_SUB)) {
        /* p += k is p = p + k: the adjoint pointer moves the same way (as in lower_stmt_inner) */
        a->rhs = expr_binary(a->op, expr_copy(a->lhs), a->rhs, a->lhs->type);
        a->op = OP_NONE;
      }
      if (step_stmt)
        vec_push(&step_stmt->body, one);
      else
        step_stmt = one;
    }
    if (stay) {
      Stmt *g = new_stmt(ST_IF, ((Expr *)steps.items[0])->loc);
      g->expr = expr_copy(stay);
      g->then = step_stmt;
      step_stmt = g;
    }
    vec_push(&body->body, step_stmt);
  }
  Stmt *w = new_stmt(s->kind == ST_DO ? ST_DO : ST_WHILE, s->loc);
  w->expr = and_also(stay, cond);
  w->then = body;
  vec_push(&out->body, w);
  return out;
}

/* An array argument of an array operation that is no variable, element,
 * member or dereference (c ? w : v, (v = w), ...): its adjoint has no
 * place of its own. */
static bool array_needs_variable(Expr *arg) {
  if (!type_is_array_value(arg->type))
    return false;
  while (arg->kind == EX_CAST)
    arg = arg->lhs;
  return arg->kind != EX_VAR && arg->kind != EX_INDEX && arg->kind != EX_MEMBER && arg->kind != EX_DEREF &&
         !expr_is_array_call(arg);
}

/* (vg_array *)vg_op(...), under any number of casts between arrays. */
static bool array_cast_of_call(Expr *e) {
  if (e->kind != EX_CAST)
    return false;
  while (e->kind == EX_CAST && type_is_array_value(e->type) && type_is_array_value(e->lhs->type))
    e = e->lhs;
  return e->kind != EX_CAST && expr_is_array_call(e);
}

/* ---- calls to functions of this file: inlined ---- */

static Func *user_function(Ad *ad, Expr *e) {
  if (e->kind != EX_CALL || e->implicit)
    return NULL;
  return call_definition(ad->prog, e);
}

static bool has_user_call(Ad *ad, Expr *e) {
  if (!e)
    return false;
  if (user_function(ad, e) || (e->kind == EX_CALL && e->lhs))
    return true; /* a call through a pointer becomes direct calls (call_through_pointer) */
  for (int i = 0; e->kind == EX_CALL && i < e->args.len; i++)
    if (expr_is_array_call(e->args.items[i]) || (expr_is_array_call(e) && array_needs_variable(e->args.items[i])))
      return true; /* a nested array operation gets a variable of its own */
  if (array_cast_of_call(e))
    return true; /* (vg_array *)vg_op(...) becomes vg_op(...) */
  for (int i = 0; e->kind == EX_INIT && i < e->args.len; i++)
    if (expr_is_array_call(e->args.items[i]))
      return true; /* (Out){vg_add(a, b), ...}: each member's array in a variable */
  if (has_user_call(ad, e->lhs) || has_user_call(ad, e->rhs) || has_user_call(ad, e->cond))
    return true;
  for (int i = 0; i < e->args.len; i++)
    if (has_user_call(ad, e->args.items[i]))
      return true;
  return false;
}

/* ---- calls through function pointers ----
 *
 * A function pointer of the differentiated code holds one of the
 * functions the file names: one passed by name to a helper (the
 * right-hand side an integrator calls), a `c ? f : g`, an entry of a
 * constant table of functions.  A call through it becomes a direct call
 * to each function it may hold, inlined as usual: one call when it can
 * hold only one, else an if-chain that tests which.  A pointer chosen at
 * run time is an int in the generated code, the function's number in
 * Lower.fn_numbers.  A pointer whose value the file does not show (a
 * parameter of the differentiated function, a struct member, a global
 * that may change) is refused where it is called. */

typedef struct {
  Var *var;
  Vec targets;     /* Expr* EX_FUNCREF, each function once */
  Expr *unknown;   /* a value it is given that vgradcc cannot follow; NULL if none */
  bool chosen;     /* holds more than one function: an int in the generated code */
} FnPointer;

static FnPointer *fn_pointer_of(Lower *lw, const Var *v) {
  for (int i = 0; i < lw->fn_pointers.len; i++) {
    FnPointer *p = lw->fn_pointers.items[i];
    if (p->var == v)
      return p;
  }
  return NULL;
}

static bool add_target(Vec *targets, Expr *f) {
  for (int i = 0; i < targets->len; i++)
    if (!strcmp(((Expr *)targets->items[i])->text, f->text))
      return false;
  vec_push(targets, f);
  return true;
}

/* A function pointer's value with what does not change it taken off:
 * conversions, `*f` and `&f` of a function. */
static Expr *pointer_value(Expr *e) {
  for (;;) {
    if (e->kind == EX_CAST || (e->kind == EX_DEREF && e->type->kind == TY_FUNC) ||
        (e->kind == EX_ADDR && e->lhs->kind == EX_FUNCREF))
      e = e->lhs;
    else
      return e;
  }
}

/* A constant table of functions read by one index: the table. */
static Var *function_table(Expr *e) {
  if (e->kind != EX_INDEX || e->lhs->kind != EX_VAR || !e->lhs->var->fn_init ||
      e->lhs->var->fn_init->kind != EX_INIT)
    return NULL;
  Expr *init = e->lhs->var->fn_init;
  for (int i = 0; i < init->args.len; i++)
    if (pointer_value(init->args.items[i])->kind == EX_INIT)
      return NULL; /* a table of tables */
  return e->lhs->var;
}

static bool is_null_pointer(Expr *e) { return e->kind == EX_NUM && !strcmp(e->text, "0"); }

/* Adds the functions that e, a function pointer's value, may be to
 * `out`; returns the part of e that may be a function the file does not
 * show, or NULL. */
static Expr *pointer_targets(Lower *lw, Expr *e, Vec *out) {
  e = pointer_value(e);
  switch (e->kind) {
  case EX_FUNCREF:
    add_target(out, e);
    return NULL;
  case EX_NUM:
    return is_null_pointer(e) ? NULL : e;
  case EX_COND: {
    Expr *u = pointer_targets(lw, e->lhs, out);
    Expr *v = pointer_targets(lw, e->rhs, out);
    return u ? u : v;
  }
  case EX_VAR: {
    if (e->var->fn_init && e->var->fn_init->kind != EX_INIT)
      return pointer_targets(lw, e->var->fn_init, out);
    FnPointer *p = fn_pointer_of(lw, e->var);
    if (!p)
      return e;
    for (int i = 0; i < p->targets.len; i++)
      add_target(out, p->targets.items[i]);
    return p->unknown;
  }
  case EX_INDEX: {
    Var *table = function_table(e);
    if (!table)
      return e;
    Expr *init = table->fn_init;
    for (int i = 0; i < init->args.len; i++) {
      Expr *u = pointer_targets(lw, init->args.items[i], out);
      if (u)
        return u;
    }
    return NULL;
  }
  default:
    return e;
  }
}

static WalkStep add_fn_pointer_assignment(Stmt *s, void *out) {
  if (s->kind == ST_DECL && type_is_function_pointer(s->var->type))
    vec_push(out, s);
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      type_is_function_pointer(s->expr->lhs->type))
    vec_push(out, s);
  return WALK_ON;
}

static FnPointer *new_fn_pointer(Lower *lw, Var *v) {
  FnPointer *p = xcalloc(1, sizeof(FnPointer));
  p->var = v;
  vec_push(&lw->fn_pointers, p);
  return p;
}

/* The function pointer variables of a body about to be lowered (the
 * differentiated function's, or an inlined helper's after its
 * parameters): what each may hold, over all its assignments. */
static void find_fn_pointers(Lower *lw, Stmt *body) {
  Vec assigns = {0};
  walk_stmt(body, &(Walker){.stmt_pre = add_fn_pointer_assignment, .ctx = &assigns});
  for (int i = 0; i < assigns.len; i++) {
    Stmt *s = assigns.items[i];
    Var *v = s->kind == ST_DECL ? s->var : s->expr->lhs->var;
    if (!fn_pointer_of(lw, v))
      new_fn_pointer(lw, v);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns.len; i++) {
      Stmt *s = assigns.items[i];
      Var *v = s->kind == ST_DECL ? s->var : s->expr->lhs->var;
      Expr *value = s->kind == ST_DECL ? s->init : s->expr->op == OP_NONE ? s->expr->rhs : s->expr;
      if (!value)
        continue;
      FnPointer *p = fn_pointer_of(lw, v);
      Vec found = {0};
      Expr *u = pointer_targets(lw, value, &found);
      for (int j = 0; j < found.len; j++)
        changed |= add_target(&p->targets, found.items[j]);
      free(found.items);
      if (u && !p->unknown) {
        p->unknown = u;
        changed = true;
      }
    }
  }
  free(assigns.items);
  for (int i = 0; i < lw->fn_pointers.len; i++) {
    FnPointer *p = lw->fn_pointers.items[i];
    if (!p->chosen && p->targets.len > 1 && !p->unknown) {
      p->chosen = true;
      p->var->type = type_int();
    }
  }
}

/* The number that stands for function f in a pointer chosen at run time. */
static int fn_number(Lower *lw, Expr *f) {
  for (int i = 0; i < lw->fn_numbers.len; i++)
    if (!strcmp(((Expr *)lw->fn_numbers.items[i])->text, f->text))
      return i + 1;
  vec_push(&lw->fn_numbers, f);
  return lw->fn_numbers.len;
}

static Expr *int_literal(long n) { return expr_num(format("%ld", n), type_int()); }

/* The int standing for e, a function pointer's value whose functions
 * are known (pointer_targets), in a pointer chosen at run time. */
static Expr *fn_code(Lower *lw, Expr *e) {
  e = pointer_value(e);
  switch (e->kind) {
  case EX_FUNCREF:
    return int_literal(fn_number(lw, e));
  case EX_COND: {
    Expr *c = new_expr(EX_COND, type_int(), e->loc);
    c->cond = expr_copy(e->cond);
    c->lhs = fn_code(lw, e->lhs);
    c->rhs = fn_code(lw, e->rhs);
    return c;
  }
  case EX_VAR: {
    if (e->var->fn_init && e->var->fn_init->kind != EX_INIT)
      return fn_code(lw, e->var->fn_init);
    FnPointer *p = fn_pointer_of(lw, e->var);
    if (p->chosen)
      return expr_var(e->var, e->loc);
    return p->targets.len ? fn_code(lw, p->targets.items[0]) : int_literal(0);
  }
  case EX_INDEX: { /* ((const int[n]){numbers of the entries})[i] */
    Expr *init = e->lhs->var->fn_init;
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_ARRAY;
    t->base = xcalloc(1, sizeof(Type));
    *t->base = *type_int();
    t->base->is_const = true;
    t->array_len = init->args.len;
    Expr *numbers = new_expr(EX_INIT, t, e->loc);
    for (int i = 0; i < init->args.len; i++)
      vec_push(&numbers->args, fn_code(lw, init->args.items[i]));
    Expr *lit = new_expr(EX_COMPOUND, t, e->loc);
    lit->lhs = numbers;
    Expr *r = new_expr(EX_INDEX, type_int(), e->loc);
    r->lhs = lit;
    r->rhs = expr_copy(e->rhs);
    return r;
  }
  default: /* a null pointer */
    return int_literal(0);
  }
}

static bool is_literal(Expr *e, const char *text) { return e->kind == EX_NUM && !strcmp(e->text, text); }

static Expr *or_else(Expr *a, Expr *b) {
  if (is_literal(a, "1") || is_literal(b, "0"))
    return a;
  if (is_literal(a, "0") || is_literal(b, "1"))
    return b;
  return expr_binary(OP_LOR, a, b, type_int());
}

/* An int condition, true when e (whose functions are known) holds f. */
static Expr *holds_function(Lower *lw, Expr *e, Expr *f) {
  e = pointer_value(e);
  switch (e->kind) {
  case EX_FUNCREF:
    return int_literal(!strcmp(e->text, f->text));
  case EX_COND: {
    Expr *a = holds_function(lw, e->lhs, f), *b = holds_function(lw, e->rhs, f);
    if (is_literal(a, "1") && is_literal(b, "0"))
      return expr_truth(expr_copy(e->cond));
    if (is_literal(a, "0") && is_literal(b, "1"))
      return expr_unary(EX_NOT, expr_copy(e->cond), type_int());
    if (is_literal(a, b->text) && b->kind == EX_NUM)
      return a;
    Expr *c = new_expr(EX_COND, type_int(), e->loc);
    c->cond = expr_copy(e->cond);
    c->lhs = a;
    c->rhs = b;
    return c;
  }
  case EX_VAR: {
    if (e->var->fn_init && e->var->fn_init->kind != EX_INIT)
      return holds_function(lw, e->var->fn_init, f);
    FnPointer *p = fn_pointer_of(lw, e->var);
    if (!p->chosen)
      return int_literal(p->targets.len && !strcmp(((Expr *)p->targets.items[0])->text, f->text));
    return expr_binary(OP_EQ, expr_var(e->var, e->loc), int_literal(fn_number(lw, f)), type_int());
  }
  case EX_INDEX: { /* the index of an entry naming f */
    Expr *init = e->lhs->var->fn_init;
    Expr *any = int_literal(0);
    for (int i = 0; i < init->args.len; i++)
      if (is_literal(holds_function(lw, init->args.items[i], f), "1"))
        any = or_else(any, expr_binary(OP_EQ, expr_copy(e->rhs), int_literal(i), type_int()));
    return any;
  }
  default:
    return int_literal(0);
  }
}

/* Why vgradcc cannot tell which functions `unknown` (a part of a called
 * pointer's value) may be, and what to write instead. */
static const char *unknown_pointer_reason(Lower *lw, Expr *unknown) {
  const char *what = expr_to_user_c(unknown);
  if (unknown->kind == EX_VAR && unknown->var->param_index >= 0)
    return format("'%s' is a parameter of '%s', the differentiated function, and may be any function; call "
                  "the function by name, or choose it with an int parameter from a static const table of the "
                  "file's functions", what, lw->ad->deriv->primal->name);
  if (unknown->kind == EX_VAR && unknown->var->is_global)
    return format("the global '%s' may be changed to any function; make it const "
                  "('double (*const %s)(double) = f;')", what, what);
  if (unknown->kind == EX_VAR && type_is_function_pointer(unknown->var->type))
    return format("'%s' is never given a function this file names", what);
  if (unknown->kind == EX_MEMBER)
    return format("'%s' is a struct member, which vgradcc does not follow to the function stored in it; pass the "
                  "function to the helper that calls it as a parameter of its own", what);
  if (unknown->kind == EX_INDEX)
    return format("'%s' is not an entry of a constant table of functions read by one index; declare the table "
                  "'static double (*const table[])(double) = {f, g};'", what);
  return format("vgradcc cannot tell which function '%s' holds; pass the function by name, or choose it from a "
                "static const table of functions", what);
}

static void hoist_calls(Lower *lw, Expr **slot, bool conditional, Vec *out);

/* `(*f)(args)` or `f(args)` through a pointer f: a direct call to the one
 * function f may hold, in place; or, when f is chosen at run time, an
 * if-chain of direct calls into a temporary that takes the call's place
 * (a ?: of them when none is inlined). */
static void call_through_pointer(Lower *lw, Expr **slot, bool conditional, Vec *out) {
  Expr *call = *slot;
  Vec targets = {0};
  Expr *unknown = pointer_targets(lw, call->lhs, &targets);
  const char *pointer = expr_to_user_c(pointer_value(call->lhs)); /* f for (*f) */
  if (unknown || !targets.len) {
    if (unknown)
      error_at(call->loc, "call through function pointer '%s' is not supported: %s", pointer,
               unknown_pointer_reason(lw, unknown));
    else
      error_at(call->loc, "call through function pointer '%s', which holds no function (a null pointer)", pointer);
    lw->failed = true;
    free(targets.items);
    return;
  }
  Expr *callee = call->lhs;
  Expr **direct = xcalloc((size_t)targets.len, sizeof(Expr *));
  bool inlined = false;
  for (int i = 0; i < targets.len; i++) {
    Expr *f = targets.items[i];
    Expr *d = xcalloc(1, sizeof(Expr));
    *d = *call;
    d->lhs = NULL;
    d->text = f->text;
    d->callee = f->callee; /* the function of the file that names it (frontend_link) */
    d->callee_file = f->callee_file;
    d->system_callee = f->system_callee;
    d->args = (Vec){0};
    for (int j = 0; j < call->args.len; j++)
      vec_push(&d->args, i ? expr_copy(call->args.items[j]) : call->args.items[j]);
    direct[i] = d;
    inlined |= user_function(lw->ad, d) != NULL;
  }
  if (targets.len == 1) {
    *slot = direct[0];
    hoist_calls(lw, slot, conditional, out);
  } else if (!inlined) {
    /* libm functions: c ? sin(x) : cos(x), in place */
    Expr *chain = direct[targets.len - 1];
    for (int i = targets.len - 2; i >= 0; i--) {
      Expr *c = new_expr(EX_COND, call->type, call->loc);
      c->cond = holds_function(lw, callee, targets.items[i]);
      c->lhs = direct[i];
      c->rhs = chain;
      chain = c;
    }
    *slot = chain;
    hoist_calls(lw, slot, conditional, out);
  } else if (conditional) {
    error_at(call->loc, "call through function pointer '%s' in a conditionally evaluated operand (&&, ||, ?:) is "
             "not supported; call it in a statement of its own", pointer);
    lw->failed = true;
  } else {
    for (int i = 0; i < call->args.len; i++)
      hoist_calls(lw, (Expr **)&call->args.items[i], false, out);
    Var *t = NULL;
    if (call->type->kind != TY_VOID) {
      Var *root = lvalue_root(callee);
      t = ad_new_local(lw->ad, format("%s_result", root ? var_spelling(root) : "call"), type_unqualified(call->type), true);
      vec_push(&lw->ad->f->locals, t);
    }
    Stmt *chain = NULL;
    for (int i = targets.len - 1; i >= 0; i--) {
      for (int j = 0; j < call->args.len; j++) /* the arguments as hoisted */
        direct[i]->args.items[j] = expr_copy(call->args.items[j]);
      Stmt *one = stmt_expr(t ? expr_assign(OP_NONE, expr_var(t, call->loc), direct[i]) : direct[i]);
      one->loc = call->loc;
      Stmt *then = stmt_block(call->loc);
      vec_push(&then->body, one);
      chain = chain ? stmt_if(holds_function(lw, callee, targets.items[i]), then, chain) : then;
      chain->loc = call->loc;
    }
    vec_push(out, stmt_comment(format("call through %s (line %d)", pointer, call->loc.line)));
    Stmt *lowered = lower_stmt(lw, chain, false);
    if (lowered)
      vec_push(out, lowered);
    *slot = t ? expr_var(t, call->loc) : NULL;
  }
  free(direct);
  free(targets.items);
}

/* `f = value` for a function pointer variable f (declare: its
 * declaration): an int's assignment when f is chosen at run time,
 * nothing otherwise (calls through f name its function). */
static Stmt *assign_fn_pointer(Lower *lw, Var *v, Expr *value, bool declare_it, Loc loc) {
  FnPointer *p = fn_pointer_of(lw, v);
  assert(p);
  if (!p->chosen)
    return NULL;
  if (declare_it) {
    Stmt *d = new_stmt(ST_DECL, loc);
    d->var = v;
    d->init = int_literal(0);
    vec_push(&lw->ad->decls, d);
  }
  if (!value)
    return NULL;
  Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(v, loc), fn_code(lw, value)));
  a->loc = loc;
  a->is_def = lw->loop_depth == 0;
  Buf note = {0}; /* what the numbers stand for */
  for (int i = 0; i < p->targets.len; i++) {
    Expr *f = p->targets.items[i];
    buf_printf(&note, "%s%d: %s", i ? ", " : "", fn_number(lw, f), f->text);
  }
  a->note = note.buf;
  return a;
}

/* A declaration of, or plain assignment to, a function pointer variable
 * (find_fn_pointers has seen it): its variable. */
static Var *fn_pointer_assigned(Lower *lw, Stmt *s) {
  Var *v = NULL;
  if (s->kind == ST_DECL)
    v = s->var;
  else if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE && s->expr->lhs->kind == EX_VAR)
    v = s->expr->lhs->var;
  return v && fn_pointer_of(lw, v) ? v : NULL;
}

/* The body of `g(args)` in place, its parameters and locals renamed, its
 * returns assigning `target` and skipping to the end of the inlined body. */
static void inline_call(Lower *lw, Func *g, Expr *call, Var *target, Vec *out) {
  Ad *ad = lw->ad;
  for (int i = 0; i < lw->inlining.len; i++)
    if (lw->inlining.items[i] == g) {
      error_at(call->loc, "recursive call to '%s' is not supported: vgradcc inlines the functions that a "
               "differentiated function calls; write the recursion as a loop", g->name);
      lw->failed = true;
      return;
    }
  if (g->is_variadic || call->args.len != g->params.len) {
    error_at(call->loc, "call to '%s' with %d arguments is not supported", g->name, call->args.len);
    lw->failed = true;
    return;
  }
  int nmap = g->params.len + g->locals.len;
  Var **from = xcalloc((size_t)nmap + 1, sizeof(Var *));
  Var **to = xcalloc((size_t)nmap + 1, sizeof(Var *));
  int k = 0;
  Stmt *block = stmt_block(call->loc);
  for (int i = 0; i < g->params.len; i++) {
    Var *p = g->params.items[i];
    Var *v = xcalloc(1, sizeof(Var));
    *v = *p;
    v->param_index = -1;
    v->name = ad_fresh_name(ad, p->name);
    if (v->type->kind == TY_ARRAY)
      v->type = type_pointer_to(v->type->base);
    v->type = type_unqualified(v->type);
    from[k] = p;
    to[k++] = v;
    vec_push(&ad->f->locals, v);
    if (type_is_function_pointer(v->type)) { /* the functions the argument may be (assign_fn_pointer) */
      FnPointer *fp = new_fn_pointer(lw, v);
      fp->unknown = pointer_targets(lw, call->args.items[i], &fp->targets);
      continue;
    }
    Stmt *d = new_stmt(ST_DECL, call->loc);
    d->var = v;
    d->init = zero_of(v->type);
    vec_push(&ad->decls, d);
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(v, call->loc), call->args.items[i]));
    a->loc = call->loc;
    a->is_def = lw->loop_depth == 0;
    if (!check_assign_target(a->expr->lhs) ||
        !(v->type->kind == TY_PTR ? check_pointer_value(ad, a->expr->rhs) : check_expr(ad, a->expr->rhs))) {
      lw->failed = true;
      return;
    }
    vec_push(&block->body, a);
  }
  for (int i = 0; i < g->locals.len; i++) {
    Var *l = g->locals.items[i];
    Var *v = xcalloc(1, sizeof(Var));
    *v = *l;
    v->name = ad_fresh_name(ad, l->name);
    from[k] = l;
    to[k++] = v;
    vec_push(&ad->f->locals, v);
  }
  Stmt *body = stmt_clone(g->body, from, to, nmap);
  if (!ad_resolve_pointer_tables(ad, body) || !ad_rewrite_jumps(ad, body) || !ad_sequence(ad, body) || !ad_lower_realloc(ad, body) || !ad_lower_memfns(ad, body)) {
    lw->failed = true;
    return;
  }
  find_fn_pointers(lw, body);
  for (int i = 0; i < g->params.len; i++) {
    Var *v = to[i];
    if (fn_pointer_of(lw, v)) {
      Stmt *a = assign_fn_pointer(lw, v, call->args.items[i], true, call->loc);
      if (a)
        vec_push(&block->body, a);
    }
  }
  free(from);
  free(to);

  Lower saved = *lw;
  lw->loop = NULL;
  lw->result = target;
  lw->returned = NULL;
  lw->top = false;
  vec_push(&lw->inlining, g);
  Stmt *inlined = stmt_block(call->loc);
  lower_list(lw, &body->body, 0, true, &inlined->body);
  if (lw->returned)
    vec_insert_front(&inlined->body, set_flag(lw->returned, call->loc, "0"));
  lw->inlining.len--;
  lw->loop = saved.loop;
  lw->result = saved.result;
  lw->returned = saved.returned;
  lw->top = saved.top;
  vec_push(&block->body, stmt_comment(format("inlined call to %s (%s)", g->name, ad_line_of(ad, call->loc))));
  vec_push(&block->body, inlined);
  vec_push(out, block);
}

/* *slot, an array operation or a choice between arrays, into a variable
 * of its own assigned in `out` before the statement.  One evaluated only
 * conditionally is refused: evaluated first, an operation of the branch
 * not taken could fail (shapes that do not broadcast). */
static void hoist_array_value(Lower *lw, Expr **slot, bool conditional, Vec *out) {
  Expr *e = *slot;
  if (lw->failed)
    return;
  if (conditional && expr_is_array_call(e)) {
    error_at(e->loc, "array operation '%s' in a conditionally evaluated operand (&&, ||, ?:) is not supported; "
             "assign it to a variable in an if statement of its own", e->text);
    lw->failed = true;
    return;
  }
  Var *t = ad_new_local(lw->ad, "t", type_unqualified(e->type), true);
  vec_push(&lw->ad->f->locals, t);
  Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(t, e->loc), e));
  a->loc = e->loc;
  a->is_def = lw->loop_depth == 0;
  vec_push(out, a);
  *slot = expr_var(t, e->loc);
}

/* A call of a recursive function (recursion.c): kept a call, in a
 * statement of its own `t = g(a, x)`, its scalar arguments in variables
 * (whose adjoints its reverse function adds to), its arrays passed as the
 * variables they are. */
static Var *recursive_call(Lower *lw, Func *g, Expr *call, Vec *out) {
  Ad *ad = lw->ad;
  if (g->is_variadic || call->args.len != g->params.len) {
    error_at(call->loc, "call to '%s' with %d arguments is not supported", g->name, call->args.len);
    lw->failed = true;
    return NULL;
  }
  if (!ad_recursion_supported(g, call->loc)) {
    lw->failed = true;
    return NULL;
  }
  Expr *kept = expr_call(g->name, type_unqualified(g->ret), NULL, NULL);
  kept->loc = call->loc;
  kept->call = CALL_RECURSIVE;
  kept->callee = g;
  for (int i = 0; i < g->params.len; i++) {
    Var *p = g->params.items[i];
    Expr *arg = call->args.items[i];
    if (p->type->kind == TY_PTR || p->type->kind == TY_ARRAY) {
      Expr *base = arg;
      while (base->kind == EX_CAST && base->implicit)
        base = base->lhs;
      if (base->kind != EX_VAR || base->var->is_global) {
        error_at(arg->loc, "'%s' is passed to the recursive function '%s' as its array '%s': vgradcc passes an array "
                 "to a recursive function only as a variable of the caller (pass 'x', not 'x + k' or '&x[k]'); give "
                 "the offset as an index parameter instead", expr_to_user_c(arg), g->name, var_spelling(p));
        lw->failed = true;
        return NULL;
      }
      vec_push(&kept->args, expr_var(base->var, arg->loc));
      continue;
    }
    Type *t = type_unqualified(p->type);
    Var *v = ad_new_local(ad, ad_param_name(p), t, true);
    vec_push(&ad->f->locals, v);
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(v, call->loc), arg));
    a->loc = call->loc;
    a->is_def = lw->loop_depth == 0;
    if (!check_expr(ad, arg)) {
      lw->failed = true;
      return NULL;
    }
    vec_push(out, a);
    vec_push(&kept->args, expr_var(v, call->loc));
  }
  Var *t = ad_new_local(ad, format("%s_result", g->name), type_unqualified(g->ret), true);
  vec_push(&ad->f->locals, t);
  Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(t, call->loc), kept));
  a->loc = call->loc;
  a->is_def = lw->loop_depth == 0;
  vec_push(out, a);
  return t;
}

/* Replaces each call to a function of this file in *slot by a temporary
 * holding its value, inlining the call into `out` first. */
static void hoist_calls(Lower *lw, Expr **slot, bool conditional, Vec *out) {
  Expr *e = *slot;
  if (!e || lw->failed)
    return;
  /* (vg_array *)vg_op(...) is the operation itself, which may need a
   * variable of its own (a cast has no adjoint place) */
  if (array_cast_of_call(e))
    while (e->kind == EX_CAST)
      *slot = e = e->lhs;
  if (e->kind == EX_CALL && e->lhs) {
    call_through_pointer(lw, slot, conditional, out);
    return;
  }
  Func *g = user_function(lw->ad, e);
  if (g) {
    if (conditional) {
      error_at(e->loc, "call to '%s' in a conditionally evaluated operand (&&, ||, ?:) is not supported; "
               "call it in a statement of its own", g->name);
      lw->failed = true;
      return;
    }
    for (int i = 0; i < e->args.len; i++)
      hoist_calls(lw, (Expr **)&e->args.items[i], false, out);
    if (ad_is_recursive(lw->ad->prog, g)) {
      Var *r = recursive_call(lw, g, e, out);
      if (r)
        *slot = expr_var(r, e->loc);
      return;
    }
    Var *t = NULL;
    if (g->ret->kind != TY_VOID)
      t = ad_new_local(lw->ad, format("%s_result", g->name), type_unqualified(g->ret), true);
    if (t)
      vec_push(&lw->ad->f->locals, t);
    inline_call(lw, g, e, t, out);
    *slot = t ? expr_var(t, e->loc) : NULL;
    return;
  }
  if (e->kind == EX_CALL || e->kind == EX_INIT) {
    bool array_op = expr_is_array_call(e);
    for (int i = 0; i < e->args.len; i++) {
      Expr **arg = (Expr **)&e->args.items[i];
      hoist_calls(lw, arg, conditional, out);
      /* vg_mean(vg_square(x)): each intermediate array in a variable (so
       * is a member's in (Out){vg_add(a, b), ...}); so is vg_matmul(x,
       * c ? w : v)'s choice, whose adjoint goes to either array */
      if (expr_is_array_call(*arg) || (array_op && array_needs_variable(*arg)))
        hoist_array_value(lw, arg, conditional, out);
    }
    return;
  }
  bool lazy = e->kind == EX_BINARY && (e->op == OP_LAND || e->op == OP_LOR);
  hoist_calls(lw, &e->cond, conditional, out);
  hoist_calls(lw, &e->lhs, conditional || e->kind == EX_COND, out);
  hoist_calls(lw, &e->rhs, conditional || lazy || e->kind == EX_COND, out);
  for (int i = 0; i < e->args.len; i++)
    hoist_calls(lw, (Expr **)&e->args.items[i], conditional, out);
  /* An array operation inside another expression ((vg_array *)vg_sum(w),
   * c ? vg_sum(w) : v) gets a variable too; the right side of an
   * assignment stays, the sweep differentiates `v = vg_op(...)` itself. */
  if (e->kind != EX_ASSIGN && e->lhs && expr_is_array_call(e->lhs))
    hoist_array_value(lw, &e->lhs, conditional || e->kind == EX_COND, out);
  if (e->kind != EX_ASSIGN && e->rhs && expr_is_array_call(e->rhs))
    hoist_array_value(lw, &e->rhs, conditional || lazy || e->kind == EX_COND, out);
}

/* `*p++` in a statement: p's update moves before (++p) or after (p++) it. */
static void extract_incdec(Expr **slot, Vec *before, Vec *after) {
  Expr *e = *slot;
  if (!e)
    return;
  if (e->kind == EX_INCDEC) {
    Stmt *st = stmt_expr(expr_assign(e->increment ? OP_ADD : OP_SUB, e->lhs, expr_num("1", type_int())));
    st->loc = e->loc;
    vec_push(e->prefix ? before : after, st);
    *slot = expr_copy(e->lhs);
    return;
  }
  extract_incdec(&e->lhs, before, after);
  extract_incdec(&e->rhs, before, after);
  extract_incdec(&e->cond, before, after);
  for (int i = 0; i < e->args.len; i++)
    extract_incdec((Expr **)&e->args.items[i], before, after);
}

/* A choice between arrays read or written in place, `(c ? w : v)[i]`,
 * `*(c ? a : b + k)`: the choice goes into a pointer variable of its own
 * assigned before the statement, the form whose adjoint pointer vgradcc
 * follows (`p = c ? w : v`, kept as it is). */
static bool is_pointer_choice(const Expr *e) {
  while (e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e->kind == EX_COND && (e->type->kind == TY_PTR || e->type->kind == TY_ARRAY) && e->type->base &&
         type_is_floating(e->type->base);
}

static void hoist_pointer_choices(Lower *lw, Expr **slot, Vec *out) {
  Expr *e = *slot;
  if (!e)
    return;
  if (is_pointer_choice(e)) {
    while (e->kind == EX_CAST && e->implicit)
      e = e->lhs;
    Type *t = e->type->kind == TY_ARRAY ? type_pointer_to(e->type->base) : type_unqualified(e->type);
    Var *p = ad_new_local(lw->ad, "chosen", t, true);
    p->spelling = format("%s", expr_to_user_c(e));
    vec_push(&lw->ad->f->locals, p);
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(p, e->loc), e));
    a->loc = e->loc;
    vec_push(out, a);
    *slot = expr_var(p, e->loc);
    return;
  }
  /* a choice evaluated only conditionally is hoisted too: choosing a
   * pointer reads nothing */
  hoist_pointer_choices(lw, &e->cond, out);
  hoist_pointer_choices(lw, &e->lhs, out);
  hoist_pointer_choices(lw, &e->rhs, out);
  for (int i = 0; i < e->args.len; i++)
    hoist_pointer_choices(lw, (Expr **)&e->args.items[i], out);
}

static WalkStep find_pointer_choice(Expr *e, void *found) {
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || e->kind == EX_BINARY) && e->lhs && is_pointer_choice(e->lhs)) {
    *(bool *)found = true;
    return WALK_STOP;
  }
  if (e->kind == EX_BINARY && e->rhs && is_pointer_choice(e->rhs)) {
    *(bool *)found = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

static Stmt *lower_stmt(Lower *lw, Stmt *s, bool tail) {
  {
    Expr **where = s->kind == ST_EXPR || s->kind == ST_IF || s->kind == ST_RETURN ? &s->expr
                   : s->kind == ST_DECL                                       ? &s->init
                                                                              : NULL;
    bool found = false;
    if (where && *where)
      walk_expr(*where, &(Walker){.expr_pre = find_pointer_choice, .ctx = &found});
    if (found) {
      /* the choices used in place, not one assigned as a whole */
      Stmt *b = stmt_block(s->loc);
      Expr **top = where;
      if ((*top)->kind == EX_ASSIGN) {
        hoist_pointer_choices(lw, &(*top)->lhs, &b->body);
        if (!is_pointer_choice((*top)->rhs))
          hoist_pointer_choices(lw, &(*top)->rhs, &b->body);
      } else if (!(s->kind == ST_DECL && is_pointer_choice(*top))) {
        hoist_pointer_choices(lw, top, &b->body);
      }
      for (int i = 0; i < b->body.len; i++)
        b->body.items[i] = lower_stmt_inner(lw, b->body.items[i], false);
      Stmt *r = lower_stmt(lw, s, tail);
      if (lw->failed)
        return NULL;
      if (r)
        vec_push(&b->body, r);
      return b;
    }
  }
  Var *fn_pointer = fn_pointer_assigned(lw, s);
  if (fn_pointer)
    return assign_fn_pointer(lw, fn_pointer, s->kind == ST_DECL ? s->init : s->expr->rhs, s->kind == ST_DECL, s->loc);
  Expr **slot = NULL;
  Expr *top = s->kind == ST_EXPR ? s->expr : s->kind == ST_DECL ? s->init : NULL;
  if (top && (s->kind == ST_DECL || top->kind == EX_ASSIGN) && expr_has_kind(top, EX_INCDEC)) {
    Vec before = {0}, after = {0};
    if (s->kind == ST_DECL) {
      extract_incdec(&s->init, &before, &after);
    } else {
      extract_incdec(&s->expr->lhs, &before, &after);
      extract_incdec(&s->expr->rhs, &before, &after);
    }
    Stmt *b = stmt_block(s->loc);
    for (int i = 0; i < before.len; i++)
      vec_push(&b->body, lower_stmt(lw, before.items[i], false));
    vec_push(&b->body, lower_stmt(lw, s, false));
    for (int i = 0; i < after.len; i++)
      vec_push(&b->body, lower_stmt(lw, after.items[i], false));
    for (int i = 0; i < b->body.len; i++)
      if (!b->body.items[i])
        b->body.items[i] = new_stmt(ST_EMPTY, s->loc);
    free(before.items);
    free(after.items);
    return lw->failed ? NULL : b;
  }
  switch (s->kind) {
  case ST_EXPR:
  case ST_IF:
  case ST_RETURN:
    slot = &s->expr;
    break;
  case ST_DECL:
    slot = &s->init;
    break;
  default:
    break;
  }
  if (!slot || !has_user_call(lw->ad, *slot))
    return lower_stmt_inner(lw, s, tail);
  Stmt *b = stmt_block(s->loc);
  Func *g = s->kind == ST_EXPR ? user_function(lw->ad, s->expr) : NULL;
  if (g && !s->expr->lhs && !ad_is_recursive(lw->ad->prog, g)) {
    /* a call made for its effects, its value unused: no variable holds it
     * (one set and never read is a warning in the generated file) */
    for (int i = 0; i < s->expr->args.len; i++)
      hoist_calls(lw, (Expr **)&s->expr->args.items[i], false, &b->body);
    if (!lw->failed)
      inline_call(lw, g, s->expr, NULL, &b->body);
    return lw->failed ? NULL : b;
  }
  hoist_calls(lw, slot, false, &b->body);
  if (lw->failed)
    return NULL;
  if (s->kind == ST_EXPR && (!s->expr || s->expr->kind == EX_VAR))
    return b; /* a call made for its effects */
  Stmt *r = lower_stmt_inner(lw, s, tail);
  if (r)
    vec_push(&b->body, r);
  return b;
}

/* `x = x + e`, `x = e + x`, `x = x - e` as `x += e` and `x -= e` (the same
 * C: E1 op= E2 is E1 = E1 op E2 with E1 evaluated once): the adjoint of an
 * increment needs no old value of x, however the increment is spelled:
 * x an element written either way (`*(out + j) = out[j] + e`, `out[j + 1]
 * = out[1 + j] + e`: same_place), the sum converted back to x's type
 * implicitly or by a written cast. */
static void as_increment(Expr *e) {
  if (e->op != OP_NONE || !type_is_arith(e->lhs->type) || expr_has_kind(e->lhs, EX_CALL) ||
      expr_has_kind(e->lhs, EX_INCDEC) || expr_has_kind(e->lhs, EX_ASSIGN))
    return;
  Expr *sum = e->rhs;
  if (sum->kind == EX_CAST && sum->type->kind == e->lhs->type->kind)
    sum = sum->lhs; /* float x = x + 1.0: the sum is double, converted back */
  if (sum->kind != EX_BINARY || (sum->op != OP_ADD && sum->op != OP_SUB))
    return;
  Expr *self = NULL, *other = NULL;
  if (same_place(strip_implicit(sum->lhs), e->lhs))
    self = sum->lhs, other = sum->rhs;
  else if (sum->op == OP_ADD && same_place(strip_implicit(sum->rhs), e->lhs))
    self = sum->rhs, other = sum->lhs;
  if (!self)
    return;
  e->op = sum->op;
  e->rhs = other;
}

/* `a = {x, y}` as element assignments; the rest of a fixed array is zeroed. */
static void init_array(Expr *target, Expr *init, bool in_loop, Vec *out) {
  Type *t = target->type;
  long n = t->array_len;
  for (long i = 0; i < n || i < init->args.len; i++) {
    Expr *elem = new_expr(EX_INDEX, t->base, target->loc);
    elem->lhs = expr_copy(target);
    elem->rhs = expr_num(format("%ld", i), type_int());
    Expr *value = i < init->args.len ? init->args.items[i] : NULL;
    if (t->base->kind == TY_ARRAY) {
      Expr *empty = new_expr(EX_INIT, t->base, target->loc);
      init_array(elem, value && value->kind == EX_INIT ? value : empty, in_loop, out);
      continue;
    }
    if (!value && !in_loop)
      continue; /* the hoisted declaration zeroed it */
    if (value && value->kind == EX_INIT) {
      Expr *lit = new_expr(EX_COMPOUND, t->base, value->loc);
      lit->lhs = value;
      value = lit;
    }
    Stmt *a = stmt_expr(expr_assign(OP_NONE, elem, value ? value : zero_of(t->base)));
    a->loc = target->loc;
    vec_push(out, a);
  }
}

static Stmt *lower_stmt_inner(Lower *lw, Stmt *s, bool tail) {
  Ad *ad = lw->ad;
  switch (s->kind) {
  case ST_BLOCK: {
    Stmt *b = stmt_block(s->loc);
    lower_list(lw, &s->body, 0, tail, &b->body);
    return b;
  }
  case ST_DECL: {
    if (!check_local_type(s->var)) {
      lw->failed = true;
      return NULL;
    }
    Var *v = s->var;
    Stmt *d = new_stmt(ST_DECL, s->loc);
    d->var = v;
    if (v->type->kind == TY_ARRAY && v->type->array_len < 0) {
      /* A variable-length array lives on the heap until the reverse sweep is done with it. */
      if (!s->vla_len || s->init || !check_expr(ad, s->vla_len)) {
        if (s->init || !s->vla_len)
          error_at(s->loc, "variable-length array '%s' with an initializer is not supported; set its elements "
                   "in a loop", var_spelling(v));
        lw->failed = true;
        return NULL;
      }
      Type *elem = v->type->base;
      v->type = type_pointer_to(type_unqualified(elem));
      v->is_vla = true;
      d->init = zero_of(v->type);
      vec_push(&ad->decls, d);
      Expr *size = new_expr(EX_SIZEOF, type_int(), s->loc);
      size->text = format("sizeof(%s)", declare(elem, ""));
      Expr *count = new_expr(EX_CAST, type_int(), s->loc);
      count->type = xcalloc(1, sizeof(Type));
      count->type->kind = TY_INT;
      count->type->name = "size_t";
      count->lhs = s->vla_len;
      if (!expr_has_kind(s->vla_len, EX_ASSIGN) && !expr_has_kind(s->vla_len, EX_INCDEC) &&
          !expr_has_kind(s->vla_len, EX_CALL)) {
        /* (size_t)(n > 0 ? n : 0): gcc's range of a bare (size_t)n includes
         * the negative ints, and it warns that they exceed any object */
        Expr *positive = new_expr(EX_COND, s->vla_len->type, s->loc);
        positive->cond = expr_binary(OP_GT, expr_copy(s->vla_len), expr_num("0", type_int()), type_int());
        positive->lhs = s->vla_len;
        positive->rhs = expr_num("0", type_int());
        count->lhs = positive;
      }
      Expr *call = expr_call("calloc", v->type, count, size);
      Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(v, s->loc), call));
      a->loc = s->loc;
      a->is_def = lw->loop_depth == 0;
      return a;
    }
    v->declared_const = v->type->is_const;
    v->type = type_unqualified(v->type);
    for (Type **elem = &v->type; (*elem)->kind == TY_ARRAY; elem = &(*elem)->base) {
      /* const double c[2] = {...} becomes element assignments: drop the const */
      Type *copy = xcalloc(1, sizeof(Type));
      *copy = **elem;
      copy->base = type_unqualified(copy->base);
      *elem = copy;
    }
    d->init = zero_of(v->type);
    vec_push(&ad->decls, d);
    if (!s->init && s->vla_len) {
      /* double buf[C], C a const int made a constant length: (void)C, as C
       * may be read nowhere else */
      Expr *use = new_expr(EX_CAST, type_void(), s->loc);
      use->lhs = s->vla_len;
      Stmt *a = stmt_expr(use);
      a->loc = s->loc;
      return a;
    }
    if (!s->init)
      return NULL;
    if (v->type->kind == TY_ARRAY) {
      if (s->init->kind != EX_INIT || !check_expr(ad, s->init)) {
        if (s->init->kind != EX_INIT)
          error_at(s->loc, "this initializer of array '%s' is not supported; list the elements in braces, "
                   "{a, b, c}, or assign them one by one", var_spelling(v));
        lw->failed = true;
        return NULL;
      }
      Stmt *b = stmt_block(s->loc);
      init_array(expr_var(v, s->loc), s->init, lw->loop_depth > 0, &b->body);
      return b;
    }
    if (v->type->kind == TY_PTR ? !check_pointer_value(ad, s->init) : !check_expr(ad, s->init)) {
      lw->failed = true;
      return NULL;
    }
    Expr *init = s->init;
    if (init->kind == EX_INIT) {
      Expr *lit = new_expr(EX_COMPOUND, s->var->type, init->loc);
      lit->lhs = init;
      init = lit;
    }
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, s->loc), init));
    a->loc = s->loc;
    a->is_def = lw->loop_depth == 0; /* inside a loop it overwrites the last iteration's value */
    return a;
  }
  case ST_EXPR: {
    Expr *e = s->expr;
    if (e->kind == EX_INCDEC) {
      if (!check_assign_target(e->lhs) || !check_expr(ad, e->lhs)) {
        lw->failed = true;
        return NULL;
      }
      Expr *one = expr_num("1", type_int());
      Stmt *a = stmt_expr(expr_assign(e->increment ? OP_ADD : OP_SUB, e->lhs, one));
      a->loc = s->loc;
      if (e->lhs->type->kind == TY_PTR)
        return lower_stmt_inner(lw, a, tail);
      return a;
    }
    if (e->kind == EX_ASSIGN)
      as_increment(e);
    if (s->omp && s->omp->openmp && !(e->kind == EX_ASSIGN && (e->op == OP_ADD || e->op == OP_SUB) && type_is_arith(e->lhs->type))) {
      error_at(s->omp->loc, "'#pragma omp atomic' before '%s': vgradcc differentiates an atomic update only as "
               "'x += e' or 'x -= e' (also spelled 'x = x + e'); write it so, or compile without -fopenmp",
               expr_to_user_c(e));
      lw->failed = true;
      return NULL;
    }
    if (e->kind == EX_ASSIGN && e->lhs->type->kind == TY_PTR && (e->op == OP_ADD || e->op == OP_SUB)) {
      /* p += k is p = p + k: the adjoint pointer moves the same way */
      e->rhs = expr_binary(e->op, expr_copy(e->lhs), e->rhs, e->lhs->type);
      e->op = OP_NONE;
    }
    if (e->kind == EX_ASSIGN) {
      bool pointer = e->lhs->type->kind == TY_PTR;
      if (!check_assign_target(e->lhs) || !check_expr(ad, e->lhs) ||
          !(pointer && e->op == OP_NONE ? check_pointer_value(ad, e->rhs) : check_expr(ad, e->rhs))) {
        lw->failed = true;
        return NULL;
      }
      if (e->lhs->type->kind == TY_ARRAY) {
        error_at(e->loc, "assignment to an array is not C");
        lw->failed = true;
        return NULL;
      }
      return s;
    }
    if (e->kind == EX_CALL && ad_array_op(e->text) && ad_array_op(e->text)->kind == AOP_FREE)
      return NULL; /* the generated function frees every array it made, at its end */
    if (e->kind == EX_CALL && !strcmp(e->text, "free") && e->args.len == 1) {
      if (!check_expr(ad, e->args.items[0])) {
        lw->failed = true;
        return NULL;
      }
      return s; /* deferred to the reverse sweep, see ad_bases() */
    }
    ad->statement_call = e; /* a call writing its outputs is one */
    bool checked = check_expr(ad, e);
    ad->statement_call = NULL;
    if (!checked) {
      lw->failed = true;
      return NULL;
    }
    bool to_void = e->kind == EX_CAST && e->type->kind == TY_VOID;
    return e->kind == EX_CALL || to_void ? s : NULL; /* a call kept for its effects, (void)x, or no effect */
  }
  case ST_IF: {
    if (!check_expr(ad, s->expr)) {
      lw->failed = true;
      return NULL;
    }
    Stmt *n = new_stmt(ST_IF, s->loc);
    n->expr = s->expr;
    n->then = lower_stmt(lw, s->then, tail);
    if (!n->then)
      n->then = stmt_block(s->loc);
    n->els = s->els ? lower_stmt(lw, s->els, tail) : NULL;
    return n;
  }
  case ST_RETURN: {
    Stmt *b = stmt_block(s->loc);
    if (s->expr) {
      if (!check_expr(ad, s->expr)) {
        lw->failed = true;
        return NULL;
      }
      Expr *val = s->expr;
      if (val->kind == EX_INIT && lw->result) {
        Expr *lit = new_expr(EX_COMPOUND, lw->result->type, val->loc);
        lit->lhs = val;
        val = lit;
      }
      if (lw->result) {
        Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(lw->result, s->loc), val));
        a->loc = s->loc;
        /* A return runs once per call: its value needs no save, and the
         * function's result must keep it. */
        a->is_def = lw->top || lw->loop_depth == 0;
        vec_push(&b->body, a);
      }
    }
    if (!tail)
      vec_push(&b->body, set_flag(returned_flag(lw), s->loc, "1"));
    return b;
  }
  case ST_FOR:
  case ST_WHILE:
  case ST_DO:
    return lower_loop(lw, s);
  case ST_BREAK:
  case ST_CONTINUE:
    if (!lw->loop) {
      error_at(s->loc, "'%s' outside a loop", s->kind == ST_BREAK ? "break" : "continue");
      lw->failed = true;
      return NULL;
    }
    if (s->kind == ST_CONTINUE && !lw->loop->cont)
      return NULL; /* the last thing the body does: nothing to skip */
    return set_flag(s->kind == ST_BREAK ? lw->loop->brk : lw->loop->cont, s->loc, "1");
  case ST_EMPTY:
    return NULL;
  case ST_UNSUPPORTED:
    error_at(s->loc, "%s is not supported%s%s", s->text, s->note ? "; " : "", s->note ? s->note : "");
    lw->failed = true;
    return NULL;
  default:
    return NULL;
  }
}

/* A statement that fails is reported and skipped, and the next ones are
 * lowered still, so that one run reports every error of the function. */
static void lower_list(Lower *lw, Vec *in, int from, bool tail, Vec *out) {
  bool failed = lw->failed;
  for (int i = from; i < in->len; i++) {
    lw->failed = false;
    Stmt *s = in->items[i];
    bool last = i == in->len - 1;
    if (s->kind == ST_RETURN || s->kind == ST_BREAK || s->kind == ST_CONTINUE) {
      Stmt *r = lower_stmt(lw, s, tail);
      if (r)
        vec_push(out, r);
      lw->failed |= failed;
      return; /* what follows a jump is dead */
    }
    Jumps j = {0};
    if (!last)
      jumps_of(s, false, false, &j);
    if (j.ret)
      returned_flag(lw);
    Stmt *r = lower_stmt(lw, s, tail && last);
    if (r)
      vec_push(out, r);
    if (lw->failed) {
      failed = true;
      continue;
    }
    if (j.ret || j.brk || j.cont) {
      /* Later statements run only if `s` did not jump. */
      Var *flags[3] = {j.ret ? lw->returned : NULL, j.brk && lw->loop ? lw->loop->brk : NULL,
                       j.cont && lw->loop ? lw->loop->cont : NULL};
      Stmt *g = new_stmt(ST_IF, s->loc);
      g->expr = not_any(flags, 3, s->loc);
      g->then = stmt_block(s->loc);
      lower_list(lw, in, i + 1, tail, &g->then->body);
      if (g->then->body.len)
        vec_push(out, g);
      lw->failed |= failed;
      return;
    }
  }
  lw->failed = failed;
}

/* ---- where pointers point ---- */

static WalkStep add_pointer_assignment(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->type->kind == TY_PTR && !type_is_array_value(s->expr->lhs->type))
    vec_push(out, s->expr);
  return WALK_ON;
}

static void pointer_assignments(Stmt *s, Vec *out) {
  walk_stmt(s, &(Walker){.stmt_pre = add_pointer_assignment, .ctx = out});
}

static Var *base_var(Var *v) {
  if (v->type->kind == TY_ARRAY || v->param_index >= 0 || v->is_heap || v->is_global)
    return v;
  return v->base;
}

/* The variable owning the memory a pointer expression points into; NULL
 * when not known (yet); the other arrays it may point into (a ?: choosing) added to `others`. */
static Var *base_of(Expr *e, Vec *others) {
  switch (e->kind) {
  case EX_VAR:
    return base_var(e->var);
  case EX_CAST:
    return base_of(e->lhs, others);
  case EX_BINARY:
    if (e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY)
      return base_of(e->lhs, others);
    return base_of(e->rhs, others);
  case EX_ADDR:
    return lvalue_root(e->lhs);
  case EX_MEMBER:
  case EX_INDEX:
  case EX_DEREF: /* an array member or row, decaying to a pointer */
    return lvalue_root(e);
  case EX_COND: {
    Var *a = base_of(e->lhs, others), *b = base_of(e->rhs, others);
    if (a && b && a != b)
      vec_add_unique(others, b); /* the other array a ?: may choose */
    return a ? a : b;
  }
  default:
    return NULL;
  }
}

static WalkStep check_free(Stmt *s, void *ok) {
  if (s->kind == ST_EXPR && s->expr->kind == EX_CALL && !strcmp(s->expr->text, "free")) {
    Expr *arg = s->expr->args.items[0];
    while (arg->kind == EX_CAST)
      arg = arg->lhs;
    /* through a copy of the pointer (a matrix a helper allocated): the block's
     * allocation still frees it, in the reverse sweep */
    bool heap = arg->kind == EX_VAR && (arg->var->is_heap || (arg->var->base && arg->var->base->is_heap &&
                                                              !arg->var->into_param && !arg->var->shares_base));
    if (!heap) {
      error_at(s->loc, "free() of memory that this function did not allocate with malloc or calloc is not supported");
      *(bool *)ok = false;
    }
  }
  return WALK_ON;
}

static void check_frees(Stmt *s, bool *ok) { walk_stmt(s, &(Walker){.stmt_pre = check_free, .ctx = ok}); }

/* A copy of a heap pointer that is only assigned and freed (mat_free's
 * parameter), or only assigned: the reverse sweep drops free() and frees
 * the block where it was allocated, so the copy would be set and never
 * used; it goes. */
static bool is_free_of_var(const Stmt *s, const Var *v) {
  if (s->kind != ST_EXPR || s->expr->kind != EX_CALL || strcmp(s->expr->text, "free") || s->expr->args.len != 1)
    return false;
  const Expr *arg = s->expr->args.items[0];
  while (arg->kind == EX_CAST)
    arg = arg->lhs;
  return arg->kind == EX_VAR && arg->var == v;
}

static bool is_copy_to(const Stmt *s, const Var *v) {
  return s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE &&
         s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == v && !expr_mentions(s->expr->rhs, v);
}

static WalkStep drop_freed_copy(Stmt *s, void *ctx) {
  Var *v = ctx;
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  int k = 0;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *st = s->body.items[i];
    if (!is_free_of_var(st, v) && !is_copy_to(st, v))
      s->body.items[k++] = st;
  }
  s->body.len = k;
  return WALK_ON;
}

static WalkStep count_freed_copy_uses(Stmt *s, void *ctx) {
  void **c = ctx;
  Var *v = c[0];
  int *other = c[1], *frees = c[2];
  if (is_free_of_var(s, v))
    (*frees)++;
  else if (!is_copy_to(s, v) &&
           (expr_mentions(s->expr, v) || expr_mentions(s->init, v) || expr_mentions(s->step, v)))
    (*other)++;
  return WALK_ON;
}

static void drop_freed_copies(Ad *ad) {
  if (ad->deriv->pragma && ad->deriv->pragma->kind == PRAGMA_JVP) /* jvp frees as the original does */
    return;
  /* a copy dropped may leave the one it copied only assigned (a struct
   * pointer whose members went to variables of their own): again */
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *v = ad->f->locals.items[i];
    if (v->type->kind != TY_PTR || v->is_heap || v->param_index >= 0 || !v->base || !v->base->is_heap)
      continue;
    int other = 0, frees = 0;
    void *ctx[3] = {v, &other, &frees};
    walk_stmt(ad->f->body, &(Walker){.stmt_pre = count_freed_copy_uses, .ctx = ctx});
    if (other)
      continue;
    walk_stmt(ad->f->body, &(Walker){.stmt_pre = drop_freed_copy, .ctx = v});
    int k = 0;
    for (int j = 0; j < ad->decls.len; j++) {
      Stmt *d = ad->decls.items[j];
      if (d->kind != ST_DECL || d->var != v)
        ad->decls.items[k++] = d;
    }
    ad->decls.len = k;
    for (int j = i + 1; j < ad->f->locals.len; j++)
      ad->f->locals.items[j - 1] = ad->f->locals.items[j];
    ad->f->locals.len--;
    i = -1;
  }
}

/* Whether pointer expression e is NULL or points past a pointer of `nowhere`. */
static bool points_nowhere(Expr *e, const PtrSet *nowhere) {
  if (expr_is_null_pointer(e))
    return true;
  switch (e->kind) {
  case EX_VAR:
    return ptr_set_contains(nowhere, e->var);
  case EX_CAST:
    return points_nowhere(e->lhs, nowhere);
  case EX_BINARY:
    return points_nowhere(e->lhs->type->kind == TY_PTR ? e->lhs : e->rhs, nowhere);
  case EX_COND:
    return points_nowhere(e->lhs, nowhere) && points_nowhere(e->rhs, nowhere);
  case EX_ADDR: /* &bias[i] */
    return e->lhs->kind == EX_INDEX && points_nowhere(e->lhs->lhs, nowhere);
  default:
    return false;
  }
}

/* The pointers left without an array that only ever hold NULL or point
 * from such a pointer (a helper's optional array passed as NULL, and `b =
 * bias + i` in it): they point into nothing, so nothing is differentiated
 * through them (the function reads through them only after testing them
 * against NULL).  The largest such set: every candidate, less those with
 * an assignment from elsewhere, until none goes. */
static void pointers_to_nothing(Vec *assigns, PtrSet *nowhere) {
  for (int i = 0; i < assigns->len; i++) {
    Var *p = ((Expr *)assigns->items[i])->lhs->var;
    if (!p->base && !p->is_heap)
      ptr_set_add(nowhere, p);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns->len; i++) {
      Expr *a = assigns->items[i];
      if (ptr_set_contains(nowhere, a->lhs->var) && !points_nowhere(a->rhs, nowhere)) {
        ptr_set_remove(nowhere, a->lhs->var);
        changed = true;
      }
    }
  }
}

/* The arrays pointers point into, in sets of those one pointer may point
 * into together (union-find; a set's root is its first member found). */
typedef struct {
  Vec vars;    /* Var*, in the order found */
  int *parent; /* parent[i]: the index of vars.items[i]'s parent */
  Vec merges;  /* Expr*, Var*: each assignment that joined two sets, and an array of it */
} BaseSets;

static int base_index(BaseSets *s, Var *v) {
  for (int i = 0; i < s->vars.len; i++)
    if (s->vars.items[i] == v)
      return i;
  vec_push(&s->vars, v);
  s->parent = realloc(s->parent, (size_t)s->vars.cap * sizeof(int));
  s->parent[s->vars.len - 1] = s->vars.len - 1;
  return s->vars.len - 1;
}

static int base_root(BaseSets *s, int i) {
  while (s->parent[i] != i)
    i = s->parent[i] = s->parent[s->parent[i]];
  return i;
}

/* Puts a and b in one set; false if they were already. */
static bool base_union(BaseSets *s, Var *a, Var *b) {
  int i = base_root(s, base_index(s, a)), j = base_root(s, base_index(s, b));
  if (i == j)
    return false;
  if (j < i) {
    int t = i;
    i = j;
    j = t;
  }
  s->parent[j] = i;
  return true;
}

/* The member of a's set that stands for it: the first local array or heap
 * block (writes into it are not the caller's memory), else the first
 * parameter (not a global, whose Var the other functions share). */
static Var *base_first(BaseSets *s, Var *a) {
  int root = base_root(s, base_index(s, a));
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < s->vars.len; i++) {
      Var *v = s->vars.items[i];
      if (base_root(s, i) == root && !v->is_global && (pass || v->param_index < 0))
        return v;
    }
  return s->vars.items[root];
}

/* Each set of two or more arrays becomes a SharedBase: its members other
 * than the first get the first as their base, so that every analysis sees
 * one memory; the pointers into it point into the first. */
static bool share_bases(Ad *ad, BaseSets *sets, Vec *assigns) {
  for (int i = 0; i < sets->vars.len; i++) {
    if (base_root(sets, i) != i)
      continue;
    Var *first = base_first(sets, sets->vars.items[i]);
    SharedBase *g = xcalloc(1, sizeof(SharedBase));
    vec_push(&g->members, first);
    for (int j = 0; j < sets->vars.len; j++) {
      Var *m = sets->vars.items[j];
      if (base_root(sets, j) == i && m != first)
        vec_push(&g->members, m);
    }
    if (g->members.len < 2) {
      free(g->members.items);
      free(g);
      continue;
    }
    for (int k = 0; k + 1 < sets->merges.len && !g->pointer; k += 2) {
      Expr *a = sets->merges.items[k];
      if (base_first(sets, sets->merges.items[k + 1]) == first) {
        g->pointer = a->lhs->var;
        g->loc = a->loc;
      }
    }
    assert(g->pointer); /* a set grows only from a pointer's assignments */
    for (int k = 1; k < g->members.len; k++) {
      Var *m = g->members.items[k];
      if (m->is_global)
        continue; /* never active (shared_bases_have_gradients), and its Var is every function's */
      if (m->base || (first->base && first->base != first)) { /* a pointer reached through a member, &p->m */
        error_at(g->loc, "pointer '%s' may point into '%s' or '%s', one of them reached through another pointer; "
                 "point '%s' into the arrays themselves (a + k, &a[k])", var_spelling(g->pointer),
                 var_spelling(first), var_spelling(m), var_spelling(g->pointer));
        return false;
      }
      m->base = first;
      m->shares_base = true;
    }
    vec_push(&ad->shared_bases, g);
  }
  for (int k = 0; k < assigns->len; k++) {
    Var *p = ((Expr *)assigns->items[k])->lhs->var;
    if (p->base && !p->is_heap && p->param_index < 0)
      p->base = base_first(sets, p->base);
  }
  return true;
}

Var *ad_pointer_root(Expr *e) {
  while (e && e->kind != EX_VAR) {
    if (e->kind == EX_BINARY && e->lhs->type->kind != TY_PTR && e->lhs->type->kind != TY_ARRAY)
      e = e->rhs;
    else if (e->kind == EX_COND || e->kind == EX_CALL)
      return NULL;
    else
      e = e->lhs;
  }
  return e ? e->var : NULL;
}

/* Whether pointer expression e may point into a parameter's memory, into
 * a heap block (from the pointers it is computed from). */
static void target_kinds(Expr *e, bool *param, bool *heap) {
  if (e->kind == EX_COND) {
    target_kinds(e->lhs, param, heap);
    target_kinds(e->rhs, param, heap);
    return;
  }
  Var *v = ad_pointer_root(e);
  if (!v)
    return;
  *param |= v->param_index >= 0 || v->into_param;
  *heap |= v->is_heap || v->into_heap;
}

/* The pointer variable a pointer expression is computed from by casts,
 * pointer arithmetic and taking addresses (`state + k`, `&s[i]`), so that
 * it points into the same object; NULL when it loads a pointer from
 * memory (`p->w`), calls or chooses. */
Var *ad_pointer_var(Expr *e) {
  for (;;) {
    switch (e->kind) {
    case EX_VAR:
      return e->var;
    case EX_CAST:
      e = e->lhs;
      break;
    case EX_BINARY:
      if ((e->op != OP_ADD && e->op != OP_SUB) || !e->lhs || !e->rhs)
        return NULL;
      e = e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY ? e->lhs : e->rhs;
      break;
    case EX_ADDR:
      return ad_object_pointer(e->lhs);
    default:
      return NULL;
    }
  }
}

/* The pointer variable through which an lvalue reaches memory, when the
 * lvalue lies in the object it points into (`p[i]`, `*(p + k)`,
 * `s->v[2]`, `q[i].f`); NULL for a variable itself or when a pointer is
 * loaded on the way (`p->w[i]` lies in the object w points to). */
Var *ad_object_pointer(Expr *e) {
  for (;;) {
    switch (e->kind) {
    case EX_CAST:
      e = e->lhs;
      break;
    case EX_MEMBER:
      if (e->arrow)
        return ad_pointer_var(e->lhs);
      e = e->lhs;
      break;
    case EX_INDEX: {
      Expr *base = e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY ? e->lhs : e->rhs;
      if (base->type->kind == TY_ARRAY) {
        e = base; /* an array inside the object (a member, a row) */
        break;
      }
      return ad_pointer_var(base);
    }
    case EX_DEREF:
      return ad_pointer_var(e->lhs);
    default:
      return NULL;
    }
  }
}

/* The one pointer parameter the pointer expression e points into: NULL
 * unknown yet, `several` when it may point elsewhere. */
static Var *one_param_of(Expr *e, Var *several) {
  if (e->kind == EX_COND) {
    Var *a = one_param_of(e->lhs, several), *b = one_param_of(e->rhs, several);
    return a == b || !b ? a : !a ? b : several;
  }
  Var *v = ad_pointer_var(e);
  if (!v || v->is_global || v->is_heap || v->type->kind == TY_ARRAY)
    return several;
  if (v->param_index >= 0)
    return v->type->kind == TY_PTR ? v : several;
  return v->into_one;
}

/* into_one: a local pointer every assignment of which points into the
 * memory of one pointer parameter (`hidden = &s[i]`, `s = state`) lies
 * inside that parameter's object, wherever it moves. */
static void one_param_targets(Vec *assigns) {
  static Var several_params;
  Var *several = &several_params;
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns->len; i++) {
      Expr *a = assigns->items[i];
      Var *p = a->lhs->var;
      if (a->op != OP_NONE)
        continue; /* `p += k`: in the same object */
      Var *q = p->is_heap ? several : one_param_of(a->rhs, several);
      Var *joined = !q || q == p->into_one ? p->into_one : !p->into_one ? q : several;
      changed |= joined != p->into_one;
      p->into_one = joined;
    }
  }
  for (int i = 0; i < assigns->len; i++) {
    Var *p = ((Expr *)assigns->items[i])->lhs->var;
    if (p->into_one == several)
      p->into_one = NULL;
  }
}

/* Gives every pointer variable the array it points into (flow-insensitive):
 * its adjoint points into that array's adjoint.  A local pointer may move
 * between arrays (`xp = x` and later `xp = state + k`, `c ? a : b`): its
 * adjoint follows it, assignment by assignment, and the arrays become one
 * memory for the analyses (share_bases). */
static bool find_bases(Ad *ad) {
  Vec assigns = {0};
  pointer_assignments(ad->f->body, &assigns);
  for (int i = 0; i < assigns.len; i++) {
    Expr *a = assigns.items[i];
    if (is_alloc_call(a->rhs))
      a->lhs->var->is_heap = true;
  }
  BaseSets sets = {0};
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns.len; i++) {
      Expr *a = assigns.items[i];
      Var *p = a->lhs->var;
      if (p->is_heap)
        continue;
      Vec others = {0};
      Var *b = base_of(a->rhs, &others);
      assert(p->param_index < 0); /* lower_* refuses assigning a parameter pointer */
      if (b)
        base_index(&sets, b);
      bool joined = false;
      for (int k = 0; k < others.len; k++)
        joined |= base_union(&sets, b, others.items[k]);
      free(others.items);
      if (b && p->base && p->base != b)
        joined |= base_union(&sets, p->base, b);
      if (joined) {
        vec_push(&sets.merges, a);
        vec_push(&sets.merges, b);
        changed = true;
      }
      if (b && !p->base) {
        p->base = b;
        changed = true;
      }
    }
  }
  for (bool changed = true; changed;) { /* into_param, into_heap */
    changed = false;
    for (int i = 0; i < assigns.len; i++) {
      Expr *a = assigns.items[i];
      Var *p = a->lhs->var;
      bool param = p->into_param, heap = p->into_heap;
      if (!p->is_heap)
        target_kinds(a->rhs, &param, &heap);
      changed |= param != p->into_param || heap != p->into_heap;
      p->into_param = param;
      p->into_heap = heap;
    }
  }
  one_param_targets(&assigns);
  bool ok = share_bases(ad, &sets, &assigns);
  free(sets.vars.items);
  free(sets.parent);
  free(sets.merges.items);
  PtrSet nowhere = {0};
  pointers_to_nothing(&assigns, &nowhere);
  for (int i = 0; i < assigns.len; i++) {
    Expr *a = assigns.items[i];
    Var *p = a->lhs->var;
    if (ptr_set_contains(&nowhere, p))
      continue;
    if (!p->is_heap && !p->base && ok) {
      error_at(a->loc, "cannot tell which array pointer '%s' points into", var_spelling(p));
      ok = false;
    }
  }
  ptr_set_free(&nowhere);
  free(assigns.items);
  check_frees(ad->f->body, &ok);
  if (ok)
    drop_freed_copies(ad);
  return ok;
}

/* Whether the loss parameter p is only used as *p or p[0]: its adjoint is
 * then one value. */
static bool loss_expr_plain(Expr *e, Expr *parent, Var *p) {
  if (!e)
    return true;
  if (e->kind == EX_VAR && e->var == p)
    return parent && parent->lhs == e &&
           (parent->kind == EX_DEREF ||
            (parent->kind == EX_INDEX && parent->rhs->kind == EX_NUM && !strcmp(parent->rhs->text, "0")));
  bool ok = loss_expr_plain(e->lhs, e, p) && loss_expr_plain(e->rhs, e, p) && loss_expr_plain(e->cond, e, p);
  for (int i = 0; ok && i < e->args.len; i++)
    ok = loss_expr_plain(e->args.items[i], e, p);
  return ok;
}

static bool loss_uses_plain(Stmt *s, Var *p) {
  if (!s)
    return true;
  bool ok = loss_expr_plain(s->expr, NULL, p) && loss_expr_plain(s->init, NULL, p) &&
            loss_expr_plain(s->step, NULL, p);
  for (int i = 0; ok && i < s->body.len; i++)
    ok = loss_uses_plain(s->body.items[i], p);
  return ok && loss_uses_plain(s->then, p) && loss_uses_plain(s->els, p) && loss_uses_plain(s->for_init, p);
}

/* loss(p) (or loss(*p), loss(p[0])) where the function also uses p
 * otherwise (writes p[1], passes p on): p is then an output buffer whose
 * first element is the loss, as loss(p[0]) written as a path. */
static void loss_as_path(Ad *ad) {
  Pragma *pr = ad->deriv->pragma;
  if (pr->loss_nsteps == 0)
    pr->loss_steps[pr->loss_nsteps++] = (LossStep){.loc = pr->loss_loc};
  ad->loss_root = ad->loss;
  ad->deriv->loss_root = ad->deriv->loss;
  ad->loss = NULL;
  ad->deriv->loss = NULL;
}

bool ad_normalize(Ad *ad, Func *primal) {
  Func *f = xcalloc(1, sizeof(Func));
  *f = *primal;
  int nmap = primal->params.len + primal->locals.len;
  Var **from = xcalloc((size_t)nmap + 1, sizeof(Var *));
  Var **to = xcalloc((size_t)nmap + 1, sizeof(Var *));
  int k = 0;
  f->params = (Vec){0};
  f->locals = (Vec){0};
  for (int i = 0; i < primal->params.len; i++) {
    Var *v = xcalloc(1, sizeof(Var));
    *v = *(Var *)primal->params.items[i];
    from[k] = primal->params.items[i];
    to[k++] = v;
    vec_push(&f->params, v);
    if (primal->params.items[i] == ad->deriv->loss)
      ad->loss = v;
    if (primal->params.items[i] == ad->deriv->loss_root)
      ad->loss_root = v;
    /* A parameter named like something the generated code may refer to
     * (a global an inlined helper reads, sin, malloc, vg_tape) gets a
     * name of its own inside the generated function. */
    if (!*v->name) /* unnamed (C23): C99 needs a name in a definition */
      v->name = ad_fresh_name(ad, ad_param_name(v));
    else if (ad_name_taken(ad, v->name) && !name_set_contains(&ad->names, v->name))
      v->name = ad_fresh_name(ad, v->name);
    else
      ad_reserve_name(ad, v->name);
  }
  for (int i = 0; i < primal->locals.len; i++) {
    Var *v = xcalloc(1, sizeof(Var));
    *v = *(Var *)primal->locals.items[i];
    from[k] = primal->locals.items[i];
    to[k++] = v;
    vec_push(&f->locals, v);
  }
  /* Locals of nested scopes may repeat a name: hoisting needs them unique. */
  for (int i = 0; i < f->locals.len; i++) {
    Var *v = f->locals.items[i];
    v->name = ad_fresh_name(ad, v->name);
  }
  f->body = stmt_clone(primal->body, from, to, nmap);
  ad->f = f;
  if (!ad_resolve_pointer_tables(ad, f->body) || !ad_rewrite_jumps(ad, f->body) || !ad_sequence(ad, f->body) || !ad_lower_realloc(ad, f->body) ||
      !ad_lower_memfns(ad, f->body))
    return false;

  if (f->ret->kind != TY_VOID)
    ad->result = ad_new_local(ad, "result", type_unqualified(f->ret), true);

  Lower lw = {0};
  lw.ad = ad;
  lw.result = ad->result;
  lw.top = true;
  vec_push(&lw.inlining, ad->deriv->primal);
  find_fn_pointers(&lw, f->body);
  Stmt *body = stmt_block(f->body->loc);
  lower_list(&lw, &f->body->body, 0, true, &body->body);
  f->body = body;
  if (lw.failed || !ad_scalarise_struct_pointers(ad, f->body) || !ad_copy_written_globals(ad, f->body) || !find_bases(ad))
    return false;
  if (ad->loss && !loss_uses_plain(f->body, ad->loss))
    loss_as_path(ad);
  return true;
}
