/* Resolves a pragma against its function: which parameters are selected
 * (argnums, argnames, the default argnums(0)), the loss(p) parameter and
 * whether the loss has a type we can differentiate, and the generated
 * function's name. */
#include "ad.h"

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

/* outputs(...) belongs to jvp. */
static bool check_outputs_absent(Pragma *p) {
  if (!p->has_outputs)
    return true;
  error_at(p->outputs_loc[0], "outputs(...) belongs to jvp; %s returns the gradient of one loss (give it with "
           "loss(...) when it is not the return value)", p->kind == PRAGMA_GRAD ? "grad" : "value_and_grad");
  return false;
}

/* jvp: no loss; the return value a double, a float or nothing; each of
 * outputs(...) a pointer parameter to the floating values f writes. */
static bool check_jvp_outputs(Pragma *p, Func *f, Derivative *d) {
  if (p->allow_int) {
    error_at(p->allow_int_loc, "allow_int does not apply to jvp, which takes a tangent for each selected input; "
             "leave the integer parameters out of argnums/argnames");
    return false;
  }
  if (p->loss_param) {
    error_at(p->loss_loc, "loss(...) does not apply to jvp, which returns the tangent of the return value and of "
             "each pointer parameter listed in outputs(...); write outputs(%s)", p->loss_param);
    return false;
  }
  Type *r = f->ret;
  if (r->kind != TY_VOID && !type_is_floating(r)) {
    error_at(p->func_loc, "function '%s' returns '%s': a return value other than a double, a float or void is not "
             "supported in jvp yet", f->name, type_text(r));
    return false;
  }
  bool ok = true;
  for (int i = 0; i < p->noutputs; i++) {
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
    } else {
      vec_push(&d->outputs, found);
    }
  }
  if (r->kind == TY_VOID && p->noutputs == 0) {
    error_at(p->func_loc, "function '%s' returns nothing: name the pointer parameters whose tangents jvp returns "
             "with outputs(...)", f->name);
    ok = false;
  }
  return ok;
}

/* loss(p), loss(out[3]): a parameter that only holds the loss, never a gradient output
 * (a struct that holds the loss in a member may be selected for its other members) */
static bool holds_only_loss(const Derivative *d, const Var *v) {
  return v == d->loss || (v == d->loss_root && is_floating_pointer(v->type));
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
  d->name = p->out_name ? p->out_name
                        : format("%s_%s", f->name, p->kind == PRAGMA_GRAD  ? "grad"
                                                   : p->kind == PRAGMA_JVP ? "jvp"
                                                                           : "value_and_grad");
  if (p->kind == PRAGMA_JVP ? !check_jvp_outputs(p, f, d) : !check_outputs_absent(p) || !check_loss_type(p, f, d))
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
  if (!ok)
    return false;
  /* Gradient outputs come in parameter order. */
  sort_by_param_index(&d->selected);
  sort_by_param_index(&d->int_params);
  return true;
}
