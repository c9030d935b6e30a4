/* Resolves a pragma against its function: which parameters are selected
 * (argnums, argnames, the default argnums(0)), the loss(p) parameter and
 * whether the loss has a type we can differentiate, and the generated
 * function's name. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

static Func *find_in(const Vec *funcs, const char *name) {
  for (int i = 0; i < funcs->len; i++) {
    Func *f = funcs->items[i];
    if (!strcmp(f->name, name))
      return f;
  }
  return NULL;
}

/* The file's function of that name; when it has no body there, its
 * definition in a header or, with external linkage, in another input. */
static Func *find_definition(Program *prog, const char *name) {
  Func *f = find_in(&prog->funcs, name);
  if (f && f->body)
    return f;
  Func *h = find_in(&prog->header_funcs, name);
  if (h)
    return h;
  for (int i = 0; (!f || !f->is_static) && i < prog->others.len; i++) {
    Func *g = find_in(&((Program *)prog->others.items[i])->funcs, name);
    if (g && g->body && !g->is_static)
      return g;
  }
  return f;
}

static char *type_text(Type *t) { return declare(t, ""); }

static bool is_floating_pointer(const Type *t) {
  return (t->kind == TY_PTR || t->kind == TY_ARRAY) && type_is_floating(t->base) && !t->base->is_const;
}

/* loss(E) for E a path from parameter v (model->mean_loss, out[3], *out):
 * each step checked against the types, the loss a double or float that the
 * caller sees after the call, into d->loss_root and d->loss_steps. */
static bool check_loss_path(Pragma *p, Var *v, Derivative *d) {
  Type *t = v->type;
  bool through_pointer = false;
  for (int i = 0; i < p->loss_nsteps; i++) {
    LossStep *step = &p->loss_steps[i];
    if (!step->member) {
      if (t->kind != TY_PTR && t->kind != TY_ARRAY) {
        error_at(step->loc, "loss(%s): '%s' has type '%s', which is not a pointer or an array", p->loss_text,
                 p->loss_param, type_text(v->type));
        return false;
      }
      through_pointer |= t->kind == TY_PTR || v->param_index >= 0; /* a parameter's array is the caller's */
      t = t->base;
      continue;
    }
    Member *found = NULL;
    for (int k = 0; t->kind == TY_STRUCT && k < t->nmembers; k++)
      if (!strcmp(t->members[k].name, step->member))
        found = &t->members[k];
    if (!found) {
      error_at(step->loc, "loss(%s): '%s' has no member named '%s'", p->loss_text, type_text(t), step->member);
      return false;
    }
    t = found->type;
  }
  if (is_floating_pointer(t) && p->loss_nsteps < (int)(sizeof p->loss_steps / sizeof p->loss_steps[0])) {
    p->loss_steps[p->loss_nsteps++] = (LossStep){.loc = p->loss_loc}; /* a pointer: the loss is where it points */
    through_pointer |= t->kind == TY_PTR;
    t = t->base;
  }
  if (!type_is_floating(t) || t->is_const) {
    error_at(p->loss_loc, "loss(%s) has type '%s'; expected a double or float the function writes (or a pointer "
             "to one)", p->loss_text, type_text(t));
    return false;
  }
  if (!through_pointer) {
    error_at(p->loss_loc, "loss(%s): '%s' is the function's own copy, which the caller never sees; pass it by "
             "pointer (struct S *%s) and write loss(%s->...)", p->loss_text, p->loss_param, p->loss_param,
             p->loss_param);
    return false;
  }
  d->loss_type = t;
  if (p->loss_nsteps == 1 && !p->loss_steps[0].index && is_floating_pointer(v->type) && v->type->kind == TY_PTR) {
    d->loss = v; /* loss(*p), loss(p[0]): loss(p) */
    return true;
  }
  d->loss_root = v;
  return true;
}

/* The loss's type; for loss(p), the parameter p into d->loss. */
static bool check_loss_type(Pragma *p, Func *f, Derivative *d) {
  if (p->loss_param) {
    for (int i = 0; i < f->params.len; i++) {
      Var *v = f->params.items[i];
      if (strcmp(v->name, p->loss_param))
        continue;
      if (p->loss_nsteps > 0 || v->type->kind == TY_ARRAY)
        return check_loss_path(p, v, d);
      d->loss = v;
      if (v->type->kind == TY_PTR && type_is_floating(v->type->base) && !v->type->base->is_const)
        return true;
      error_at(p->loss_loc, "loss(%s): parameter '%s' has type '%s'; expected a pointer to double or float",
               p->loss_param, v->name, type_text(v->type));
      return false;
    }
    error_at(p->loss_loc, "loss(%s): function '%s' has no parameter named '%s'", p->loss_param, f->name,
             p->loss_param);
    return false;
  }
  Type *r = f->ret;
  if (type_is_floating(r) || type_is_array_value(r))
    return true;
  if (r->kind == TY_STRUCT && !r->is_union && r->nmembers > 0 &&
      (type_is_floating(r->members[0].type) || type_is_array_value(r->members[0].type)))
    return true;
  if (r->kind == TY_STRUCT)
    error_at(p->func_loc,
             "function '%s' returns '%s', whose first member is not a double or float loss",
             f->name, type_text(r));
  else
    error_at(p->func_loc,
             "function '%s' returns '%s'; the loss must be a double, a float or a one-element vg_array *, a "
             "struct whose first member is one, or given with loss(p)",
             f->name, type_text(r));
  return false;
}

/* outputs(...) belongs to jvp, vjp and jacobian. */
static bool check_outputs_absent(Pragma *p) {
  if (!p->has_outputs)
    return true;
  if (p->kind == PRAGMA_HVP || p->kind == PRAGMA_HESSIAN)
    error_at(p->outputs_loc[0], "outputs(...) belongs to jvp, vjp and jacobian; %s differentiates the returned "
             "loss twice", pragma_kind_word(p->kind));
  else
    error_at(p->outputs_loc[0], "outputs(...) belongs to jvp, vjp and jacobian; %s returns the gradient of one loss "
             "(give it with loss(...) when it is not the return value)", pragma_kind_word(p->kind));
  return false;
}

static const char *transform_word(const Pragma *p) { return pragma_kind_word(p->kind); }

/* A length of jacobian's x[LEN]: integer literals and f's integer
 * parameters joined by + - * / % and parentheses, as an expression over
 * f's parameters; NULL after an error at `loc`. */
typedef struct {
  const char *s, *text;
  Loc loc;
  Func *f;
  bool failed;
} LengthParse;

static void length_error(LengthParse *lp, const char *what) {
  if (!lp->failed)
    error_at(lp->loc, "the length '%s' %s; write a C expression of integer literals and the integer parameters of "
             "'%s' with + - * / %% and parentheses", lp->text, what, lp->f->name);
  lp->failed = true;
}

static void skip_blanks(LengthParse *lp) {
  while (*lp->s == ' ' || *lp->s == '\t' || *lp->s == '\n' || *lp->s == '\r')
    lp->s++;
}

static Expr *length_sum(LengthParse *lp);

static Expr *length_atom(LengthParse *lp) {
  skip_blanks(lp);
  const char *at = lp->s;
  if (*at == '(') {
    lp->s++;
    Expr *e = length_sum(lp);
    skip_blanks(lp);
    if (*lp->s != ')') {
      length_error(lp, "has an unclosed '('");
      return NULL;
    }
    lp->s++;
    return e;
  }
  if (*at >= '0' && *at <= '9') {
    while (*lp->s >= '0' && *lp->s <= '9')
      lp->s++;
    return expr_num(format("%.*s", (int)(lp->s - at), at), type_int());
  }
  if ((*at >= 'a' && *at <= 'z') || (*at >= 'A' && *at <= 'Z') || *at == '_') {
    while ((*lp->s >= 'a' && *lp->s <= 'z') || (*lp->s >= 'A' && *lp->s <= 'Z') || *lp->s == '_' ||
           (*lp->s >= '0' && *lp->s <= '9'))
      lp->s++;
    const char *name = format("%.*s", (int)(lp->s - at), at);
    for (int i = 0; i < lp->f->params.len; i++) {
      Var *v = lp->f->params.items[i];
      if (!strcmp(v->name, name)) {
        if (!type_is_integer(v->type))
          length_error(lp, format("names '%s', which is not an integer parameter", name));
        return expr_var(v, lp->loc);
      }
    }
    length_error(lp, format("names '%s', which is not a parameter of '%s'", name, lp->f->name));
    return NULL;
  }
  length_error(lp, *at ? format("has '%c' where a number or a parameter belongs", *at) : "ends too early");
  return NULL;
}

static Expr *length_product(LengthParse *lp) {
  Expr *e = length_atom(lp);
  for (skip_blanks(lp); !lp->failed && (*lp->s == '*' || *lp->s == '/' || *lp->s == '%'); skip_blanks(lp)) {
    char op = *lp->s++;
    Expr *r = length_atom(lp);
    if (!lp->failed)
      e = expr_binary(op == '*' ? OP_MUL : op == '/' ? OP_DIV : OP_MOD, e, r, type_int());
  }
  return e;
}

static Expr *length_sum(LengthParse *lp) {
  Expr *e = length_product(lp);
  for (skip_blanks(lp); !lp->failed && (*lp->s == '+' || *lp->s == '-'); skip_blanks(lp)) {
    char op = *lp->s++;
    Expr *r = length_product(lp);
    if (!lp->failed)
      e = expr_binary(op == '+' ? OP_ADD : OP_SUB, e, r, type_int());
  }
  return e;
}

static Expr *parse_length(Func *f, const char *text, Loc loc) {
  LengthParse lp = {text, text, loc, f, false};
  Expr *e = length_sum(&lp);
  skip_blanks(&lp);
  if (!lp.failed && *lp.s)
    length_error(&lp, format("has '%c' after a complete expression", *lp.s));
  return lp.failed ? NULL : e;
}

/* hvp, hessian: the loss is the return value, a double or a float. */
static bool check_second_order_loss(Pragma *p, Func *f) {
  const char *tr = pragma_kind_word(p->kind);
  if (p->loss_param) {
    error_at(p->loss_loc, "loss(...) does not apply to %s yet: it differentiates the return value; return the "
             "loss from '%s'", tr, f->name);
    return false;
  }
  if (p->allow_int) {
    error_at(p->allow_int_loc, "allow_int does not apply to %s, which takes a direction for each selected input; "
             "leave the integer parameters out of argnums/argnames", tr);
    return false;
  }
  if (!type_is_floating(f->ret)) {
    error_at(p->func_loc, "function '%s' returns '%s'; %s needs a double or float loss as the return value",
             f->name, type_text(f->ret), tr);
    return false;
  }
  return true;
}

/* x[LEN] is jacobian's and hessian's: the other transforms know their lengths. */
static bool check_lengths_absent(Pragma *p) {
  for (int i = 0; i < p->nargnames; i++)
    if (p->argname_lens[i]) {
      error_at(p->argname_lens_loc[i], "argnames(%s[%s]): a length belongs to the argnames of jacobian and hessian; write "
               "argnames(%s)", p->argnames[i], p->argname_lens[i], p->argnames[i]);
      return false;
    }
  for (int i = 0; i < p->noutputs; i++)
    if (p->output_lens[i]) {
      error_at(p->output_lens_loc[i], "outputs(%s[%s]): a length belongs to jacobian's outputs; write outputs(%s) "
               "and declare the parameter with its length (double %s[n])", p->outputs[i], p->output_lens[i],
               p->outputs[i], p->outputs[i]);
      return false;
    }
  if (p->mode) {
    error_at(p->mode_loc, "mode(%s) belongs to jacobian", p->mode);
    return false;
  }
  return true;
}

/* jvp, vjp, jacobian: no loss; the return value a double, a float or
 * nothing; each of outputs(...) a pointer parameter to the floating values
 * f writes (jacobian: or `return`, with its length). */
static bool check_jvp_outputs(Pragma *p, Func *f, Derivative *d) {
  const char *tr = transform_word(p);
  if (p->allow_int && p->kind != PRAGMA_VJP) {
    error_at(p->allow_int_loc, "allow_int does not apply to %s, which takes a %s for each selected input; "
             "leave the integer parameters out of argnums/argnames", tr, p->kind == PRAGMA_JVP ? "tangent" : "column");
    return false;
  }
  if (p->loss_param) {
    error_at(p->loss_loc, "loss(...) does not apply to %s, which %s listed in outputs(...); write outputs(%s)", tr,
             p->kind == PRAGMA_JVP   ? "returns the tangent of the return value and of each pointer parameter"
             : p->kind == PRAGMA_VJP ? "takes a cotangent for the return value and for each pointer parameter"
                                     : "has a row for the return value and for each element of the pointer parameters",
             p->loss_param);
    return false;
  }
  if (p->kind != PRAGMA_JACOBIAN && !check_lengths_absent(p))
    return false;
  Type *r = f->ret;
  bool plain_record = r->kind == TY_STRUCT && type_is_plain_struct(r) && type_has_floating(r);
  if (r->kind != TY_VOID && !type_is_floating(r) && !(p->kind == PRAGMA_JVP && plain_record)) {
    error_at(p->func_loc, "function '%s' returns '%s': a return value other than a double, a float%s or void is "
             "not supported in %s yet", f->name, type_text(r),
             p->kind == PRAGMA_JVP ? ", a struct of numbers and arrays of them" : "", tr);
    return false;
  }
  if (p->kind == PRAGMA_JACOBIAN && !p->has_outputs) {
    error_at(p->func_loc, "jacobian(%s) needs outputs(...): the rows, each pointer output with its length "
             "(outputs(r[2 * m])) and 'return' for the return value", f->name);
    return false;
  }
  bool ok = true;
  for (int i = 0; i < p->noutputs; i++) {
    if (!strcmp(p->outputs[i], "return")) {
      if (p->kind != PRAGMA_JACOBIAN) {
        error_at(p->outputs_loc[i], "outputs(return): %s always %s the return value (%s); list only pointer "
                 "parameters in outputs(...)", tr, p->kind == PRAGMA_JVP ? "gives the tangent of" : "takes a cotangent for",
                 p->kind == PRAGMA_JVP ? "t_ret" : "ct_ret");
        ok = false;
      } else if (r->kind == TY_VOID) {
        error_at(p->outputs_loc[i], "outputs(return): function '%s' returns nothing", f->name);
        ok = false;
      } else if (p->output_lens[i]) {
        error_at(p->output_lens_loc[i], "outputs(return[%s]): the return value is one row; write outputs(return)",
                 p->output_lens[i]);
        ok = false;
      } else {
        vec_push(&d->rows, NULL);
        vec_push(&d->row_lens, NULL);
      }
      continue;
    }
    Var *found = NULL;
    for (int j = 0; j < f->params.len; j++)
      if (!strcmp(((Var *)f->params.items[j])->name, p->outputs[i]))
        found = f->params.items[j];
    if (!found) {
      error_at(p->outputs_loc[i], "outputs: function '%s' has no parameter named '%s'", f->name, p->outputs[i]);
      ok = false;
    } else if (!is_floating_pointer(found->type) || (found->type->kind == TY_PTR && found->type->is_const)) {
      error_at(p->outputs_loc[i], "outputs(%s): parameter '%s' has type '%s'; expected a pointer to the double or "
               "float values the function writes", p->outputs[i], found->name, type_text(found->type));
      ok = false;
    } else if (p->kind == PRAGMA_JACOBIAN) {
      Expr *len = NULL;
      if (!p->output_lens[i]) {
        error_at(p->outputs_loc[i], "outputs(%s): jacobian needs the length of each output; write outputs(%s[n]), "
                 "n an expression over the integer parameters of '%s'", p->outputs[i], p->outputs[i], f->name);
        ok = false;
      } else if ((len = parse_length(f, p->output_lens[i], p->output_lens_loc[i]))) {
        vec_push(&d->outputs, found);
        vec_push(&d->rows, found);
        vec_push(&d->row_lens, len);
      } else {
        ok = false;
      }
    } else {
      vec_push(&d->outputs, found);
    }
  }
  if (r->kind == TY_VOID && p->noutputs == 0) {
    error_at(p->func_loc, "function '%s' returns nothing: name the pointer parameters whose %s with "
             "outputs(...)", f->name, p->kind == PRAGMA_JVP ? "tangents jvp returns" : "cotangents vjp takes");
    ok = false;
  }
  return ok;
}

/* jacobian: the columns, the selected parameters in the order listed, each
 * array with its length (argnames(x[n])), a scalar one column. */
static bool jacobian_columns(Pragma *p, Func *f, Derivative *d) {
  bool ok = true;
  const char *tr = pragma_kind_word(p->kind);
  if (p->mode && p->kind == PRAGMA_HESSIAN) {
    error_at(p->mode_loc, "mode(%s) belongs to jacobian; hessian is always an hvp per column", p->mode);
    return false;
  }
  if (p->mode && strcmp(p->mode, "fwd") && strcmp(p->mode, "rev")) {
    error_at(p->mode_loc, "mode(%s): expected mode(fwd) (a jvp per column) or mode(rev) (a vjp per row)", p->mode);
    return false;
  }
  for (int i = 0; i < p->nargnums; i++) {
    Var *v = p->argnums[i] < f->params.len ? f->params.items[p->argnums[i]] : NULL;
    if (v && !type_is_floating(v->type)) {
      error_at(p->argnums_loc[i], "argnums(%d): %s needs the length of parameter '%s'; select it with "
               "argnames(%s[n]), n an expression over the integer parameters of '%s'", p->argnums[i], tr, v->name,
               v->name, f->name);
      ok = false;
    } else if (v) {
      vec_push(&d->columns, v);
      vec_push(&d->column_lens, NULL);
    }
  }
  if (p->argnums_all) {
    error_at(p->func_loc, "argnums(all): %s needs the length of each array it differentiates; list them with "
             "argnames(x[n], ...)", tr);
    return false;
  }
  for (int i = 0; i < p->nargnames; i++) {
    Var *v = NULL;
    for (int j = 0; j < f->params.len; j++)
      if (!strcmp(((Var *)f->params.items[j])->name, p->argnames[i]))
        v = f->params.items[j];
    if (!v || vec_contains(&d->columns, v))
      continue; /* reported by the selection, or listed twice */
    if (type_is_floating(v->type)) {
      if (p->argname_lens[i]) {
        error_at(p->argname_lens_loc[i], "argnames(%s[%s]): '%s' is a scalar, one column; write argnames(%s)",
                 v->name, p->argname_lens[i], v->name, v->name);
        ok = false;
      }
      vec_push(&d->columns, v);
      vec_push(&d->column_lens, NULL);
      continue;
    }
    if ((v->type->kind != TY_PTR && v->type->kind != TY_ARRAY) || !type_is_floating(v->type->base)) {
      error_at(p->argnames_loc[i], "argnames(%s): %s takes double or float scalars and arrays; '%s' has type "
               "'%s'", v->name, tr, v->name, type_text(v->type));
      ok = false;
      continue;
    }
    if (!p->argname_lens[i]) {
      error_at(p->argnames_loc[i], "argnames(%s): %s needs the length of each array; write argnames(%s[n]), "
               "n an expression over the integer parameters of '%s'", v->name, tr, v->name, f->name);
      ok = false;
      continue;
    }
    Expr *len = parse_length(f, p->argname_lens[i], p->argname_lens_loc[i]);
    if (!len) {
      ok = false;
      continue;
    }
    vec_push(&d->columns, v);
    vec_push(&d->column_lens, len);
  }
  if (!p->has_argnums && !p->has_argnames && f->params.len > 0) {
    Var *v = f->params.items[0];
    if (type_is_floating(v->type)) {
      vec_push(&d->columns, v);
      vec_push(&d->column_lens, NULL);
    } else {
      error_at(p->func_loc, "%s(%s) needs the length of its first parameter '%s'; select it with "
               "argnames(%s[n])", tr, f->name, v->name, v->name);
      ok = false;
    }
  }
  return ok;
}

/* loss(p), loss(out[3]): a parameter that only holds the loss, never a gradient output
 * (a struct that holds the loss in a member may be selected for its other members) */
static bool holds_only_loss(const Derivative *d, const Var *v) {
  return v == d->loss || (v == d->loss_root && is_floating_pointer(v->type));
}

/* ---- complex numbers (README, Complex numbers) ---- */

static bool has_complex(const Type *t) {
  while (t && (t->kind == TY_PTR || t->kind == TY_ARRAY))
    t = t->base;
  if (t && t->kind == TY_STRUCT) {
    for (int i = 0; i < t->nmembers; i++)
      if (has_complex(t->members[i].type))
        return true;
    return false;
  }
  return type_is_complex(t);
}

typedef struct {
  Vec seen; /* Func*: visited */
  Expr *found;
} ComplexUse;

static WalkStep find_complex(Expr *e, void *ctx) {
  ComplexUse *u = ctx;
  if (u->found)
    return WALK_STOP;
  if (has_complex(e->type)) {
    u->found = e;
    return WALK_STOP;
  }
  Func *g = e->callee;
  if (e->kind == EX_CALL && g && g->body) {
    for (int i = 0; i < u->seen.len; i++)
      if (u->seen.items[i] == g)
        return WALK_ON;
    vec_push(&u->seen, g);
    walk_stmt(g->body, &(Walker){.expr_pre = find_complex, .ctx = u});
  }
  return u->found ? WALK_STOP : WALK_ON;
}

/* The first complex value f or a function it calls computes, NULL if none. */
static Expr *complex_use(Func *f) {
  ComplexUse u = {{0}, NULL};
  vec_push(&u.seen, f);
  walk_stmt(f->body, &(Walker){.expr_pre = find_complex, .ctx = &u});
  free(u.seen.items);
  return u.found;
}

/* The loss's type: the return value's, its first member's, or loss(E)'s. */
static Type *loss_type(Func *f, Derivative *d) {
  if (d->loss_type)
    return d->loss_type;
  if (d->loss)
    return type_floating_base(d->loss->type);
  Type *r = f->ret;
  if (r->kind == TY_STRUCT && r->nmembers > 0)
    return r->members[0].type;
  return r;
}

/* holomorphic: value_and_grad and grad of a complex loss of complex inputs.
 * Without it a complex loss is refused; complex values are differentiated by
 * value_and_grad, grad, jvp and vjp. */
static bool check_complex(Pragma *p, Func *f, Derivative *d) {
  const char *tr = transform_word(p);
  bool reverse_scalar = p->kind == PRAGMA_VALUE_AND_GRAD || p->kind == PRAGMA_GRAD;
  if (p->holomorphic && !reverse_scalar) {
    error_at(p->holomorphic_loc, "holomorphic belongs to value_and_grad and grad; %s of a complex function "
             "differentiates its real and imaginary parts", tr);
    return false;
  }
  if (reverse_scalar) {
    Type *lt = loss_type(f, d);
    if (p->holomorphic && !type_is_complex(lt)) {
      error_at(p->holomorphic_loc, "holomorphic: the loss of '%s' has type '%s'; the clause is for a complex loss "
               "(double complex or float complex), whose derivative f'(z) d_z receives", f->name, type_text(lt));
      return false;
    }
    if (!p->holomorphic && type_is_complex(lt)) {
      error_at(p->func_loc, "the loss of '%s' has type '%s': a gradient needs a real loss; return creal(...) or "
               "cabs(...) of it, or add the holomorphic clause for the complex derivative f'(z)",
               f->name, type_text(lt));
      return false;
    }
    if (p->holomorphic)
      for (int i = 0; i < d->selected.len; i++) {
        Var *v = d->selected.items[i];
        if (!type_is_complex(type_floating_base(v->type))) {
          error_at(p->holomorphic_loc, "holomorphic: parameter '%s' of '%s' has type '%s'; every selected input "
                   "must be complex (double complex or float complex) for f'(z); select only the complex ones",
                   v->name, f->name, type_text(v->type));
          return false;
        }
      }
    return true;
  }
  if (p->kind == PRAGMA_JVP || p->kind == PRAGMA_VJP)
    return true;
  Expr *use = has_complex(f->ret) ? NULL : complex_use(f);
  if (has_complex(f->ret) || use) {
    error_at(use ? use->loc : p->func_loc, "complex value%s%s%s in '%s': %s does not support complex numbers yet; "
             "value_and_grad, grad, jvp and vjp do", use ? " '" : "", use ? expr_to_user_c(use) : "", use ? "'" : "",
             f->name, tr);
    return false;
  }
  for (int i = 0; i < f->params.len; i++) {
    Var *v = f->params.items[i];
    if (has_complex(v->type)) {
      error_at(p->func_loc, "parameter '%s' of '%s' is complex: %s does not support complex numbers yet; "
               "value_and_grad, grad, jvp and vjp do", v->name, f->name, tr);
      return false;
    }
  }
  return true;
}

static bool select_param(Pragma *p, Func *f, Derivative *d, Var *v, Loc loc) {
  if (holds_only_loss(d, v)) {
    error_at(loc, "parameter '%s' holds the loss (loss(%s)) and cannot also be differentiated", v->name,
             p->loss_text);
    return false;
  }
  if (!type_has_floating(v->type) && p->allow_int && type_is_integer(v->type)) {
    vec_add_unique(&d->int_params, v); /* a gradient output with no values (JAX's float0) */
    return true;
  }
  if (!type_has_floating(v->type)) {
    if (p->allow_int)
      error_at(loc, "parameter %d '%s' of '%s' has type '%s', which has no floating-point content to differentiate; "
               "allow_int accepts integer parameters, not '%s'", v->param_index, v->name, f->name,
               type_text(v->type), type_text(v->type));
    else
      error_at(loc, "parameter %d '%s' of '%s' has type '%s', which has no floating-point content to differentiate",
               v->param_index, v->name, f->name, type_text(v->type));
    return false;
  }
  for (int i = 0; i < d->selected.len; i++)
    if (d->selected.items[i] == v)
      return true;
  bool jvp = p->kind == PRAGMA_JVP;
  const char *out = format("%s_%s", jvp ? "t" : "d", v->name);
  if (p->kind == PRAGMA_VJP)
    for (int i = 0; i < d->outputs.len; i++)
      if (d->outputs.items[i] == v) {
        error_at(loc, "parameter '%s' is both selected and in outputs(...); vjp takes the cotangent of what '%s' "
                 "leaves in it and returns the gradient w.r.t. what it held before the call, which vgradcc does "
                 "not do for one parameter yet: copy the input into a parameter of its own", v->name, f->name);
        return false;
      }
  for (int i = 0; i < f->params.len; i++) {
    Var *other = f->params.items[i];
    if (!strcmp(other->name, out)) {
      error_at(loc, "the %s for '%s' would be named '%s', which clashes with parameter '%s'; rename "
               "the parameter", jvp ? "tangent input" : "gradient output", v->name, out, out);
      return false;
    }
  }
  vec_push(&d->selected, v);
  return true;
}

static void sort_by_param_index(Vec *params) {
  for (int i = 1; i < params->len; i++)
    for (int j = i; j > 0 && ((Var *)params->items[j - 1])->param_index > ((Var *)params->items[j])->param_index;
         j--) {
      void *t = params->items[j];
      params->items[j] = params->items[j - 1];
      params->items[j - 1] = t;
    }
}

bool ad_select(Program *prog, Pragma *p, Derivative *d) {
  Func *f = find_definition(prog, p->func);
  if (!f) {
    error_at(p->func_loc, "no function named '%s' in this file", p->func);
    return false;
  }
  if (!f->body) {
    error_at(p->func_loc, "function '%s' has no body in this file; vgradcc needs its definition", p->func);
    return false;
  }
  if (f->is_variadic && f->params.len == 0) {
    error_at(p->func_loc, "function '%s' has no parameters to differentiate (declared '()': write '(void)' or "
             "name its parameters)", p->func);
    return false;
  }
  if (f->is_variadic) {
    error_at(p->func_loc, "function '%s' is variadic, which vgradcc cannot differentiate", p->func);
    return false;
  }
  d->primal = f;
  d->pragma = p;
  d->name = p->out_name ? p->out_name : format("%s_%s", f->name, pragma_kind_word(p->kind));
  bool outputs_kind = p->kind == PRAGMA_JVP || p->kind == PRAGMA_VJP || p->kind == PRAGMA_JACOBIAN;
  bool second_order = p->kind == PRAGMA_HVP || p->kind == PRAGMA_HESSIAN;
  if (outputs_kind ? !check_jvp_outputs(p, f, d)
      : second_order
          ? !check_outputs_absent(p) || (p->kind == PRAGMA_HVP && !check_lengths_absent(p)) || !check_second_order_loss(p, f)
          : !check_outputs_absent(p) || !check_lengths_absent(p) || !check_loss_type(p, f, d))
    return false;
  if ((p->kind == PRAGMA_JACOBIAN || p->kind == PRAGMA_HESSIAN) && !jacobian_columns(p, f, d))
    return false;

  bool ok = true;
  int nparams = f->params.len;
  if (p->argnums_all) {
    for (int i = 0; i < nparams; i++) {
      Var *v = f->params.items[i];
      if (type_has_floating(v->type) && !holds_only_loss(d, v))
        vec_push(&d->selected, v);
    }
    if (d->selected.len == 0) {
      error_at(p->func_loc, "argnums(all): function '%s' has no parameter with floating-point content", f->name);
      return false;
    }
  }
  for (int i = 0; i < p->nargnums; i++) {
    int k = p->argnums[i];
    if (k < 0 || k >= nparams) {
      error_at(p->argnums_loc[i], "argnums: %d is out of range; function '%s' has %d parameter%s (0 to %d)", k,
               f->name, nparams, nparams == 1 ? "" : "s", nparams - 1);
      ok = false;
      continue;
    }
    ok &= select_param(p, f, d, f->params.items[k], p->argnums_loc[i]);
  }
  for (int i = 0; i < p->nargnames; i++) {
    Var *found = NULL;
    for (int j = 0; j < nparams; j++) {
      Var *v = f->params.items[j];
      if (!strcmp(v->name, p->argnames[i]))
        found = v;
    }
    if (!found) {
      error_at(p->argnames_loc[i], "argnames: function '%s' has no parameter named '%s'", f->name,
               p->argnames[i]);
      ok = false;
      continue;
    }
    ok &= select_param(p, f, d, found, p->argnames_loc[i]);
  }
  if (!p->has_argnums && !p->has_argnames) {
    if (nparams == 0) {
      error_at(p->func_loc, "function '%s' has no parameters to differentiate", f->name);
      return false;
    }
    ok &= select_param(p, f, d, f->params.items[0], p->func_loc);
  }
  if (!ok || !check_complex(p, f, d))
    return false;
  /* Gradient outputs come in parameter order. */
  sort_by_param_index(&d->selected);
  sort_by_param_index(&d->int_params);
  return true;
}
