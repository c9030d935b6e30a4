/* The generated function, assembled.
 *
 * Sets up the adjoints of the selected parameters, runs the statement
 * sweep (sweep.c) over the normalised body, prunes and batches what it
 * made, and writes the function: the forward sweep, the seed, the reverse
 * sweep, the flushes of scalar adjoints, the caller's memory put back, the
 * arrays freed, and guards against two pointer arguments into one array
 * and against a NULL gradient buffer for an optional array that is there. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

/* (void)v; a variable the generated code leaves unused, said to be so */
static Stmt *left_unused(Var *v, Loc loc) { return stmt_expr(expr_cast(type_void(), expr_var(v, loc))); }

/* { fprintf(stderr, text); abort(); }: a call the generated function cannot differentiate */
static Stmt *report_and_abort(const char *text, Loc loc) {
  Var *standard_error = var_local("stderr", type_pointer_to(type_named("FILE")));
  standard_error->is_global = standard_error->is_library = true;
  Expr *message = new_expr(EX_STRING, type_pointer_to(type_named("char")), loc);
  message->text = text;
  Expr *report = expr_call("fprintf", type_int(), expr_var(standard_error, loc), message);
  Stmt *refuse = stmt_block(loc);
  vec_push(&refuse->body, stmt_expr(report));
  vec_push(&refuse->body, stmt_expr(expr_call("abort", type_void(), NULL, NULL)));
  return refuse;
}

/* (void *)0 */
static Expr *null_pointer(void) { return expr_cast(type_pointer_to(type_void()), expr_num("0", type_int())); }

/* if ((const void *)p == (const void *)q) { fprintf(stderr, "...") abort(); }
 * with `&& p != (void *)0` when the function tests p or q against NULL:
 * two optional arrays both left NULL are not one array. */
static Stmt *same_array_guard(Var *p, Var *q, const char *func, bool either_null) {
  Type *const_void = xcalloc(1, sizeof(Type));
  *const_void = *type_void();
  const_void->is_const = true;
  Type *address = type_pointer_to(const_void);
  Loc loc = p->loc;
  Expr *same =
      expr_binary(OP_EQ, expr_cast(address, expr_var(p, loc)), expr_cast(address, expr_var(q, loc)), type_int());
  if (either_null)
    same = expr_binary(OP_LAND, same, expr_binary(OP_NE, expr_var(p, loc), null_pointer(), type_int()), type_int());
  const char *text = format("\"%s: arguments '%s' and '%s' are the same array, and the function writes it; vgradcc "
                            "cannot differentiate that call\\n\"", func, p->name, q->name);
  return stmt_if(same, report_and_abort(text, loc), NULL);
}

typedef struct {
  Var *param, *first; /* a parameter, and the first of the arrays it shares pointers with */
  bool written;
} SharedWrite;

/* A write into memory reached from the parameter itself or from a local
 * pointer into its arrays (not a local array of them): an assignment, or
 * an output of a call under a custom rule. */
static bool shared_target(SharedWrite *w, Expr *e) {
  while (e->kind != EX_VAR && e->lhs) {
    if (e->kind == EX_BINARY && e->lhs->type->kind != TY_PTR && e->lhs->type->kind != TY_ARRAY)
      e = e->rhs;
    else
      e = e->lhs;
  }
  if (e->kind != EX_VAR)
    return false;
  Var *v = e->var;
  return v == w->param || (v->param_index < 0 && v->type->kind == TY_PTR && !v->is_heap && v->base == w->first);
}

static WalkStep find_shared_write(Stmt *s, void *ctx) {
  SharedWrite *w = ctx;
  if (s->kind != ST_EXPR || !s->expr)
    return WALK_ON;
  if (s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs))
    w->written = shared_target(w, s->expr->lhs);
  for (int i = 0; s->expr->kind == EX_CALL && i < s->expr->args.len && i < 64 && !w->written; i++)
    if (s->expr->custom_outputs >> i & 1)
      w->written = shared_target(w, s->expr->args.items[i]);
  return w->written ? WALK_STOP : WALK_ON;
}

/* Whether the function may write param p's memory.  A parameter whose
 * arrays a pointer may also point into (SharedBase) is written when a
 * write goes through it or through such a pointer, not when the function
 * writes one of the local arrays it shares them with. */
static bool written_param(Ad *ad, Vec *written, Var *p) {
  Var *first = p->shares_base ? p->base : p;
  for (int i = 0; i < ad->shared_bases.len; i++)
    if (((SharedBase *)ad->shared_bases.items[i])->members.items[0] == first) {
      SharedWrite w = {p, first, false};
      walk_stmt(ad->f->body, &(Walker){.stmt_pre = find_shared_write, .ctx = &w});
      return w.written;
    }
  return vec_contains(written, p);
}

/* Two pointer arguments into the same array, one of them written: the
 * analyses treat parameters as separate arrays, so such a call is refused
 * at run time (equal addresses; partial overlaps are documented). */
static void alias_guards(Ad *ad, Func *out, const bool *null_tested, Vec *body) {
  Vec written = {0};
  stmt_written_bases(ad->f->body, &written);
  int n = ad->f->params.len;
  for (int i = 0; i < n; i++) {
    Var *p = ad->f->params.items[i];
    if (p->type->kind != TY_PTR || !type_has_floating(p->type->base) || type_is_array_value(p->type))
      continue;
    for (int j = i + 1; j < n; j++) {
      Var *q = ad->f->params.items[j];
      if (q->type->kind != TY_PTR || !type_has_floating(q->type->base) || type_is_array_value(q->type))
        continue;
      if ((!written_param(ad, &written, p) && !written_param(ad, &written, q)) || p->unaliased || q->unaliased)
        continue;
      if (!(p->active || q->active))
        continue;
      vec_push(body, same_array_guard(p, q, out->name, null_tested[i] || null_tested[j]));
      out->uses_stdio = true;
    }
  }
  free(written.items);
}

/* A selected array the function tests against NULL may be NULL, and its
 * gradient buffer with it; a NULL buffer for an array that is there would
 * be written through, so it stops the call:
 *   if (p != (void *)0 && d_p == (void *)0) { fprintf(stderr, "...") abort(); }
 * The parameters are listed in the Derivative for the header's comment. */
static void null_gradient_guards(Ad *ad, Func *out, const bool *null_tested, Vec *body) {
  Derivative *d = ad->deriv;
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    Var *p = ad->f->params.items[sel->param_index];
    if (!null_tested[sel->param_index] || type_is_array_value(p->type))
      continue;
    vec_push(&d->nullable, d->primal->params.items[sel->param_index]);
    if (!p->active)
      continue; /* its gradient is never touched */
    Var *g = out->params.items[ad->f->params.len + i];
    Loc loc = p->loc;
    Expr *missing = expr_binary(OP_LAND, expr_binary(OP_NE, expr_var(p, loc), null_pointer(), type_int()),
                                expr_binary(OP_EQ, expr_var(g, loc), null_pointer(), type_int()), type_int());
    const char *text = format("\"%s: argument '%s' is NULL but '%s' is not; its gradient needs a buffer (it may be "
                              "NULL only when '%s' is)\\n\"", out->name, g->name, p->name, p->name);
    vec_push(body, stmt_if(missing, report_and_abort(text, loc), NULL));
    out->uses_stdio = true;
  }
}

/* A pointer moving between arrays takes its adjoint from each: when they
 * have gradients, every one of them needs one (a local array or heap
 * block gets its own; a parameter only when selected). */
static bool shared_bases_have_gradients(Ad *ad) {
  bool ok = true;
  for (int i = 0; i < ad->shared_bases.len; i++) {
    SharedBase *g = ad->shared_bases.items[i];
    Var *first = g->members.items[0];
    if (!first->active)
      continue;
    for (int k = 0; k < g->members.len && ok; k++) {
      Var *m = g->members.items[k];
      Var *with = g->members.items[k ? 0 : 1];
      Var *one = k ? with : m, *two = k ? m : with; /* in the order found */
      if (m->is_global) {
        error_at(g->loc, "pointer '%s' may point into '%s' or '%s', and the global '%s' has no gradient; copy "
                 "'%s' into a local array and point '%s' there", var_spelling(g->pointer), var_spelling(one),
                 var_spelling(two), var_spelling(m), var_spelling(m), var_spelling(g->pointer));
        ok = false;
      } else if (m->param_index >= 0 && !m->adj_name && m != ad->loss && !ad_buffer_length(ad, m)) {
        /* with its length, an internal gradient buffer takes its adjoint (internal_buffer) */
        const char *name = ad_param_name(ad->deriv->primal->params.items[m->param_index]);
        const char *other = with->param_index >= 0 ? ad_param_name(ad->deriv->primal->params.items[with->param_index])
                                                   : var_spelling(with);
        error_at(g->loc, "pointer '%s' may point into '%s' or '%s', and '%s' has no gradient (it is not "
                 "selected) and no length vgradcc can find for a buffer of its own; declare its length "
                 "('%s[n]', n a parameter before it), add '%s' to argnums/argnames, or copy it into a local array "
                 "and point '%s' there",
                 var_spelling(g->pointer), k ? other : name, k ? name : other, name, name, name,
                 var_spelling(g->pointer));
        ok = false;
      }
    }
  }
  return ok;
}

/* ---- internal gradient buffers of parameters that are not selected ----
 *
 * A pointer parameter that is not selected but is written with active
 * values and read again (an output or scratch buffer) gets its adjoint in
 * a zeroed buffer of the generated function, freed before it returns.  Its
 * length: the length the parameter is declared with (`double out[8]`,
 * `double out[n]`), else found from the uses: each is out[K] for a constant
 * K, *out, out->m, or out[i] inside a loop `for (...; i < B; ...)` that
 * leaves i alone, with B made of constants and parameters never assigned. */
typedef struct {
  Var *p;
  Vec aliases;    /* Var*: p, and the pointers only ever set to it (an inlined helper's parameter) */
  Vec loops;      /* Stmt*: the for loops around the position, innermost last */
  Vec assigned;   /* Var*: every variable the function assigns */
  Vec def_vars;   /* Var*: locals, each with def_values[k]: its one definition's value, NULL if several */
  Vec def_values;
  Vec lengths;    /* Expr*: one use needs at least this many elements */
  int uses, known;
} LengthSearch;

static void add_definition(LengthSearch *ls, Var *v, Expr *value) {
  if (v->param_index >= 0 || v->is_global)
    return;
  for (int k = 0; k < ls->def_vars.len; k++)
    if (ls->def_vars.items[k] == v) {
      ls->def_values.items[k] = NULL;
      return;
    }
  vec_push(&ls->def_vars, v);
  vec_push(&ls->def_values, value);
}

static WalkStep note_definition(Expr *e, void *ctx) {
  if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC) && e->lhs->kind == EX_VAR)
    add_definition(ctx, e->lhs->var, e->kind == EX_ASSIGN && e->op == OP_NONE ? e->rhs : NULL);
  return WALK_ON;
}

static WalkStep note_declaration(Stmt *s, void *ctx) {
  if (s->kind == ST_DECL && s->init)
    add_definition(ctx, s->var, s->init);
  return WALK_ON;
}

/* Every variable an expression of s assigns, increments or takes the
 * address of (a for loop's step included). */
static WalkStep note_written(Expr *e, void *out) {
  if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_ADDR) && lvalue_root(e->lhs))
    vec_push(out, lvalue_root(e->lhs));
  return WALK_ON;
}

static void written_vars(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.expr_pre = note_written, .ctx = out}); }

/* A local's one definition's value, or NULL. */
static Expr *definition_of(const LengthSearch *ls, const Var *v) {
  for (int k = 0; k < ls->def_vars.len; k++)
    if (ls->def_vars.items[k] == v)
      return ls->def_values.items[k];
  return NULL;
}

static Expr *without_casts(Expr *e) {
  while (e && e->kind == EX_CAST)
    e = e->lhs;
  return e;
}

static bool is_alias(const LengthSearch *ls, const Expr *e) {
  const Expr *s = without_casts((Expr *)e);
  return s && s->kind == EX_VAR && vec_contains(&ls->aliases, s->var);
}

/* Made of integer constants and parameters the function never assigns. */
static bool is_invariant(Expr *e, const Vec *assigned) {
  if (!e)
    return true;
  switch (e->kind) {
  case EX_NUM:
    return type_is_integer(e->type);
  case EX_VAR:
    return e->var->param_index >= 0 && !e->var->is_global && type_is_integer(e->var->type) &&
           !vec_contains(assigned, e->var);
  case EX_CAST:
    return type_is_integer(e->type) && is_invariant(e->lhs, assigned);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL || e->op == OP_DIV) &&
           is_invariant(e->lhs, assigned) && is_invariant(e->rhs, assigned);
  default:
    return false;
  }
}

/* e with every local that has one definition replaced by that value (an
 * inlined helper's `n_2 = n`), as far as `depth` allows. */
static Expr *through_definitions(const LengthSearch *ls, Expr *e, int depth) {
  if (!e)
    return NULL;
  if (e->kind == EX_VAR && e->var->param_index < 0 && !e->var->is_global && depth > 0) {
    Expr *value = definition_of(ls, e->var);
    return value ? through_definitions(ls, value, depth - 1) : expr_copy(e);
  }
  Expr *c = expr_copy(e);
  if (e->kind == EX_CAST || e->kind == EX_BINARY) {
    c->lhs = through_definitions(ls, e->lhs, depth);
    c->rhs = through_definitions(ls, e->rhs, depth);
  }
  return c;
}

/* out[i] inside `for (...; i < B; ...)` (or i <= B) whose body leaves i alone: B (B + 1) */
static Expr *index_loop_bound(LengthSearch *ls, Expr *index) {
  Expr *i = without_casts(index);
  if (!i || i->kind != EX_VAR)
    return NULL;
  for (int k = ls->loops.len - 1; k >= 0; k--) {
    Stmt *loop = ls->loops.items[k];
    Expr *c = loop->expr;
    Expr *counter = c && c->kind == EX_BINARY ? without_casts(c->lhs) : NULL;
    if (!counter || (c->op != OP_LT && c->op != OP_LE) || counter->kind != EX_VAR || counter->var != i->var)
      continue;
    Vec in_body = {0};
    written_vars(loop->then, &in_body);
    bool left_alone = !vec_contains(&in_body, i->var);
    free(in_body.items);
    Expr *b = through_definitions(ls, c->rhs, 8);
    if (!left_alone || !is_invariant(b, &ls->assigned))
      return NULL;
    return c->op == OP_LT ? b : expr_binary(OP_ADD, b, expr_num("1", type_int()), b->type);
  }
  return NULL;
}

static WalkStep count_buffer_use(Expr *e, void *ctx) {
  LengthSearch *ls = ctx;
  if (e->kind == EX_VAR && vec_contains(&ls->aliases, e->var)) {
    ls->uses++;
  } else if (e->kind == EX_ASSIGN && e->lhs->kind == EX_VAR && e->lhs->var != ls->p && is_alias(ls, e->lhs)) {
    ls->known += 2; /* q = p: both its variables */
  } else if (e->kind == EX_INDEX && is_alias(ls, e->lhs)) {
    Expr *k = without_casts(e->rhs);
    Expr *len = NULL;
    if (k->kind == EX_NUM && type_is_integer(k->type) && strspn(k->text, "0123456789") == strlen(k->text))
      len = expr_num(format("%ld", strtol(k->text, NULL, 10) + 1), type_int());
    else
      len = index_loop_bound(ls, e->rhs);
    if (len) {
      ls->known++;
      vec_push(&ls->lengths, len);
    }
  } else if ((e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) && is_alias(ls, e->lhs)) {
    ls->known++;
    vec_push(&ls->lengths, expr_num("1", type_int()));
  } else if (e->kind == EX_ADDR) {
    Expr *in = e->lhs;
    while (in->kind == EX_MEMBER && !in->arrow)
      in = in->lhs;
    if ((in->kind == EX_INDEX || in->kind == EX_DEREF || in->kind == EX_MEMBER) && is_alias(ls, in->lhs))
      ls->known--; /* an address into it goes elsewhere: the uses there are unknown */
  }
  return WALK_ON;
}

static void search_stmt(LengthSearch *ls, Stmt *s) {
  if (!s)
    return;
  Walker w = {.expr_pre = count_buffer_use, .ctx = ls};
  Expr *exprs[] = {s->init, s->expr, s->step, s->vla_len};
  for (int i = 0; i < 4; i++)
    if (exprs[i])
      walk_expr(exprs[i], &w);
  if (s->kind == ST_DECL && s->init && vec_contains(&ls->aliases, s->var))
    ls->known++; /* q = p, declared so */
  search_stmt(ls, s->for_init);
  if (s->kind == ST_FOR)
    vec_push(&ls->loops, s);
  for (int i = 0; i < s->body.len; i++)
    search_stmt(ls, s->body.items[i]);
  search_stmt(ls, s->then);
  if (s->kind == ST_FOR)
    ls->loops.len--;
  search_stmt(ls, s->els);
}

/* The largest of the lengths: constants folded, the rest as (a > b ? a : b). */
static Expr *largest(Vec *lengths) {
  long constant = 0;
  Expr *len = NULL;
  for (int i = 0; i < lengths->len; i++) {
    Expr *e = lengths->items[i];
    if (e->kind == EX_NUM) {
      long k = strtol(e->text, NULL, 10);
      constant = k > constant ? k : constant;
      continue;
    }
    bool repeated = false;
    for (int j = 0; j < i && !repeated; j++)
      repeated = !strcmp(expr_to_c(lengths->items[j]), expr_to_c(e));
    if (repeated)
      continue;
    if (!len) {
      len = e;
      continue;
    }
    Expr *pick = new_expr(EX_COND, len->type, e->loc);
    pick->cond = expr_binary(OP_GT, expr_copy(e), expr_copy(len), type_int());
    pick->lhs = e;
    pick->rhs = len;
    len = pick;
  }
  if (!len || constant > 0) {
    Expr *k = expr_num(format("%ld", constant > 0 ? constant : 1), type_int());
    if (!len)
      return k;
    Expr *pick = new_expr(EX_COND, len->type, len->loc);
    pick->cond = expr_binary(OP_GT, expr_copy(len), expr_copy(k), type_int());
    pick->lhs = len;
    pick->rhs = k;
    len = pick;
  }
  return len;
}

/* n of a parameter `double out[n]`, its variables made the generated
 * function's parameters; false unless made of constants and parameters
 * never assigned. */
static bool vla_len_to(Ad *ad, Expr *e, const Vec *assigned) {
  if (!e)
    return true;
  if (e->kind == EX_VAR) {
    if (e->var->param_index < 0 || e->var->is_global || e->var->param_index >= ad->f->params.len)
      return false;
    e->var = ad->f->params.items[e->var->param_index];
    return is_invariant(e, assigned);
  }
  if (e->kind == EX_NUM)
    return is_invariant(e, assigned);
  if (e->kind != EX_CAST && e->kind != EX_BINARY)
    return false;
  bool ok = vla_len_to(ad, e->lhs, assigned) && (e->kind == EX_CAST || vla_len_to(ad, e->rhs, assigned));
  return ok && is_invariant(e, assigned);
}

/* The parameter's declared length (`double out[8]`, `double out[n]` with n
 * a parameter), or the one its uses show; NULL when neither tells. */
Expr *ad_buffer_length(Ad *ad, Var *p) {
  if (p->type->base->kind == TY_ARRAY && p->type->base->array_len < 0)
    return NULL; /* rows of a length known only at run time: no sizeof */
  if (p->type->kind == TY_ARRAY && p->type->array_len > 0)
    return expr_num(format("%ld", p->type->array_len), type_int());
  if (p->declared_len) {
    Vec assigned = {0};
    written_vars(ad->f->body, &assigned);
    Expr *len = expr_copy(p->declared_len);
    bool ok = vla_len_to(ad, len, &assigned);
    free(assigned.items);
    if (ok)
      return len;
  }
  LengthSearch ls = {.p = p};
  written_vars(ad->f->body, &ls.assigned);
  walk_stmt(ad->f->body, &(Walker){.stmt_pre = note_declaration, .expr_pre = note_definition, .ctx = &ls});
  vec_push(&ls.aliases, p);
  for (bool changed = true; changed;) {
    changed = false;
    for (int k = 0; k < ls.def_vars.len; k++) {
      Var *q = ls.def_vars.items[k];
      if (!vec_contains(&ls.aliases, q) && ls.def_values.items[k] && is_alias(&ls, ls.def_values.items[k])) {
        vec_push(&ls.aliases, q);
        changed = true;
      }
    }
  }
  bool walked = false; /* a pointer that moves along it, or starts elsewhere in it */
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *q = ad->f->locals.items[i];
    walked |= q->base == p && !vec_contains(&ls.aliases, q);
  }
  if (!walked)
    search_stmt(&ls, ad->f->body);
  if (ad->loss_root == p)
    vec_push(&ls.lengths, expr_num(format("%ld", ad->deriv->pragma->loss_steps[0].index + 1), type_int()));
  Expr *len = !walked && ls.uses > 0 && ls.known == ls.uses ? largest(&ls.lengths) : NULL;
  free(ls.aliases.items);
  free(ls.def_vars.items);
  free(ls.def_values.items);
  free(ls.loops.items);
  free(ls.assigned.items);
  free(ls.lengths.items);
  return len;
}

/* E of loss(E) with its parameter's adjoint `adj` at the root: d_model->mean_loss */
static Expr *loss_location(Ad *ad, Var *adj, Loc loc) {
  Pragma *p = ad->deriv->pragma;
  Expr *e = expr_var(adj, loc);
  for (int i = 0; i < p->loss_nsteps; i++) {
    LossStep *step = &p->loss_steps[i];
    Type *t = e->type;
    if (!step->member) {
      Expr *at = new_expr(EX_INDEX, t->base, loc);
      at->lhs = e;
      at->rhs = expr_num(format("%ld", step->index), type_int());
      e = at;
      continue;
    }
    for (int k = 0; k < t->nmembers; k++)
      if (!strcmp(t->members[k].name, step->member)) {
        Expr *m = member_of(e, &t->members[k]);
        if (e->kind == EX_INDEX && e->rhs->kind == EX_NUM && !strcmp(e->rhs->text, "0")) {
          m->lhs = e->lhs; /* d_model[0].m as d_model->m */
          m->arrow = true;
        }
        e = m;
        break;
      }
  }
  return e;
}

/* d_out = calloc(length, sizeof(double)) among the declarations, free(d_out) at the end */
static bool internal_buffer(Reverse *rv, Var *p) {
  Ad *ad = rv->ad;
  Expr *len = ad_buffer_length(ad, p);
  const char *name = ad_param_name(ad->deriv->primal->params.items[p->param_index]);
  if (!len && p->type->base->kind == TY_ARRAY && p->type->base->array_len < 0) {
    error_at(p->loc, "parameter '%s' is written with values that depend on the differentiated inputs and read "
             "again, so its gradient needs a buffer, and its rows have a length known only at run time; add it "
             "to argnums/argnames so the caller passes its gradient buffer", name);
    ad->failed = true;
    return false;
  }
  if (!len) {
    Type *eight = xcalloc(1, sizeof(Type));
    eight->kind = TY_ARRAY;
    eight->base = type_unqualified(p->type->base);
    eight->array_len = 8;
    const char *fixed = declare(eight, name); /* double out[8], double out[8][3] */
    const char *at = strstr(fixed, "[8]");
    const char *counted = format("%.*s[n]%s", (int)(at - fixed), fixed, at + 3);
    error_at(p->loc, "parameter '%s' is written with values that depend on the differentiated inputs and read "
             "again, so its gradient needs a buffer, and vgradcc cannot tell how long '%s' is: declare it with "
             "its length ('%s', n a parameter before it, or '%s'), or add it to argnums/argnames so the caller "
             "passes its gradient buffer", name, name, counted, fixed);
    ad->failed = true;
    return false;
  }
  Type *elem = type_adjoint(p->type->base);
  long n = 0;
  if (len->kind == EX_NUM && integer_literal(len->text, &n) && n > 0 && n <= 64) {
    /* a few elements: a local array (nothing allocated per call) */
    p->adj = ad_new_local(ad, format("d_%s", p->name), type_array_of(elem, n), true);
    return true;
  }
  p->adj = ad_new_local(ad, format("d_%s", p->name), type_pointer_to(elem), true);
  Stmt *decl = ad->decls.items[ad->decls.len - 1];
  Expr *size = expr_sizeof_type(elem, p->loc);
  decl->init = expr_call("calloc", p->adj->type, len, size);
  vec_push(&rv->buffers, p->adj);
  return true;
}

/* Whether struct type t holds pointers to floating data (members of members
 * and fixed arrays included, not what they point to). */
static bool holds_buffer_pointers(const Type *t) {
  if (t->kind == TY_PTR)
    return type_has_floating(t->base) && !type_is_array_value(t) && !type_is_function_pointer(t);
  if (t->kind == TY_ARRAY && t->array_len >= 0)
    return holds_buffer_pointers(t->base);
  for (int i = 0; t->kind == TY_STRUCT && !t->is_union && i < t->nmembers; i++)
    if (holds_buffer_pointers(t->members[i].type))
      return true;
  return false;
}

/* dst.w = src.w for each such pointer; as a statement of the declarations,
 * before anything else runs. */
static void copy_buffer_pointers(Expr *dst, Expr *src, Type *t, Vec *decls) {
  if (t->kind == TY_PTR) {
    vec_push(decls, stmt_expr(expr_assign(OP_NONE, dst, src)));
    return;
  }
  if (t->kind == TY_ARRAY) {
    for (long k = 0; k < t->array_len; k++) {
      Expr *at[2] = {dst, src};
      for (int j = 0; j < 2; j++) {
        Expr *e = new_expr(EX_INDEX, type_adjoint(t->base), at[j]->loc);
        e->lhs = expr_copy(at[j]);
        e->rhs = expr_num(format("%ld", k), type_int());
        at[j] = e;
      }
      copy_buffer_pointers(at[0], at[1], t->base, decls);
    }
    return;
  }
  for (int i = 0; i < t->nmembers; i++)
    if (holds_buffer_pointers(t->members[i].type))
      copy_buffer_pointers(member_of(dst, &t->members[i]), member_of(src, &t->members[i]), t->members[i].type, decls);
}

/* A struct parameter the body overwrites only member by member keeps its
 * pointer members (normalize refuses storing a pointer in one); assigned
 * as a whole, they may point elsewhere afterwards: refused. */
typedef struct {
  Ad *ad;
  Var *param;
} WholeWrite;

static WalkStep refuse_whole_write(Expr *e, void *ctx) {
  WholeWrite *w = ctx;
  Expr *target = e->kind == EX_ASSIGN ? e->lhs : NULL;
  while (target && target->kind == EX_CAST)
    target = target->lhs;
  if (!target || target->kind != EX_VAR || target->var != w->param)
    return WALK_ON;
  error_at(e->loc, "struct parameter '%s' is assigned as a whole, so its pointer members may point elsewhere "
           "afterwards, while its gradient struct holds the caller's gradient buffers for the pointers it came "
           "with; assign its other members one by one instead",
           var_spelling(w->param));
  w->ad->failed = true;
  return WALK_STOP;
}

static bool keeps_buffer_pointers(Ad *ad, Var *param) {
  WholeWrite w = {ad, param};
  return walk_stmt(ad->f->body, &(Walker){.expr_pre = refuse_whole_write, .ctx = &w});
}

static void setup_adjoints(Reverse *rv, Func *out) {
  Ad *ad = rv->ad;
  if (!shared_bases_have_gradients(ad)) {
    ad->failed = true;
    return;
  }
  Derivative *d = ad->deriv;
  Vec assigned = {0};
  stmt_assigned_roots(ad->f->body, &assigned);
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    vec_push(&out->params, p);
  }
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    Var *p = ad->f->params.items[sel->param_index];
    assert(p->param_index == sel->param_index && p->adj_name); /* named by differentiate (ad.c) */
    Var *g = xcalloc(1, sizeof(Var));
    g->name = p->adj_name;
    g->param_index = out->params.len;
    Type *pt = p->type->kind == TY_ARRAY ? type_pointer_to(p->type->base) : p->type;
    g->type = pt->kind == TY_PTR ? type_adjoint(pt) : type_pointer_to(type_adjoint(pt));
    vec_push(&out->params, g);
    if (type_is_array_value(pt)) {
      g->type = type_pointer_to(type_adjoint(pt));
      /* inactive (the loss does not depend on it): a zero gradient all the same */
      p->adj = ad_new_local(ad, format("d_%s_sum", p->name), type_adjoint(pt), true);
      Expr *sum = expr_var(p->adj, p->loc);
      Expr *zeros = expr_runtime_call(CALL_RUNTIME, "vg_zeros_like", type_adjoint(pt), expr_var(p, p->loc), NULL);
      Expr *pick = new_expr(EX_COND, type_adjoint(pt), p->loc);
      pick->cond = expr_copy(sum);
      pick->lhs = expr_copy(sum);
      pick->rhs = zeros;
      Expr *dst = expr_unary(EX_DEREF, expr_var(g, p->loc), type_adjoint(pt));
      vec_push(&rv->flushes, stmt_expr(expr_assign(OP_NONE, dst, pick)));
      continue;
    }
    if (!p->active)
      continue;
    bool written = false;
    for (int j = 0; j < assigned.len; j++)
      written |= assigned.items[j] == p;
    if (pt->kind == TY_PTR) {
      p->adj = g;
    } else if (!written) {
      p->adj = g;
      p->adj_is_pointer = true;
    } else {
      /* The body overwrites this parameter: keep its adjoint local so the
       * caller's accumulated value is not cleared, and add it at the end. */
      p->adj = ad_new_local(ad, format("d_%s_local", p->name), type_adjoint(pt), true);
      if (pt->kind == TY_STRUCT && holds_buffer_pointers(pt) && keeps_buffer_pointers(ad, p)) {
        /* its pointer members are the caller's gradient buffers */
        Expr *dst = expr_unary(EX_DEREF, expr_var(g, p->loc), type_adjoint(pt));
        copy_buffer_pointers(expr_var(p->adj, p->loc), dst, pt, &ad->decls);
        vec_push(&rv->caller_buffered, p->adj);
      }
      Expr *dst = expr_unary(EX_DEREF, expr_var(g, p->loc), type_adjoint(pt));
      accumulate(dst, expr_var(p->adj, p->loc), &rv->flushes); /* a struct: member by member */
    }
  }
  free(assigned.items);
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    if (!p->active || p->adj)
      continue;
    if (p == ad->loss) {
      /* the loss is p[0]: its adjoint is one local value */
      Type *t = xcalloc(1, sizeof(Type));
      t->kind = TY_ARRAY;
      t->base = type_adjoint(p->type->base);
      t->array_len = 1;
      p->adj = ad_new_local(ad, format("d_%s", p->name), t, true);
    } else if (p->type->kind == TY_PTR || p->type->kind == TY_ARRAY) {
      internal_buffer(rv, p);
    } else {
      p->adj = ad_new_local(ad, format("d_%s", p->name), type_adjoint(p->type), true);
    }
  }
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *v = ad->f->locals.items[i];
    if (v->active)
      v->adj = ad_new_local(ad, format("d_%s", v->name), type_adjoint(v->type), true);
  }
  if (ad->result && ad->result->active)
    ad->result->adj = ad_new_local(ad, format("d_%s", ad->result->name), type_adjoint(ad->result->type), true);
}

/* The parameter v is, or that local pointer v only ever points into (an
 * inlined helper's `m = head`, `w = &m->params`); NULL if none. */
static const Var *pointed_param(const Var *v) {
  for (int hops = 0; v && v->param_index < 0 && !v->shares_base && hops < 64; hops++)
    v = v->base != v ? v->base : NULL;
  return v && v->param_index >= 0 && !v->shares_base ? v : NULL;
}

/* Whether the adjoint of struct variable v is the caller's gradient
 * struct, whose pointer members the caller points at gradient buffers
 * (design 1.7): that of a selected parameter, or its local copy whose
 * pointers are the caller's (copy_buffer_pointers). */
static bool has_caller_buffers(const Reverse *rv, const Var *v) {
  v = pointed_param(v);
  return v && v->adj && (v->adj->param_index >= 0 || vec_contains(&rv->caller_buffered, v->adj));
}

/* An element reached through a pointer kept inside an active struct
 * (m.w[i] with `double *w` a member): unless the struct's adjoint is the
 * caller's, it has no buffer behind that pointer, so such a read or write
 * is refused. */
static bool lacks_buffer(const Reverse *rv, const Var *root) {
  return root && root->active && !has_caller_buffers(rv, root);
}

static bool is_active_pointer_member(const Expr *e, const void *rv) {
  Var *root = e->kind == EX_MEMBER ? lvalue_root((Expr *)e) : NULL;
  return lacks_buffer(rv, root) && e->type->kind == TY_PTR && type_has_floating(e->type->base);
}

static Expr *through_pointer_member(const Reverse *rv, Expr *e) {
  if (!e)
    return NULL;
  if (e->kind == EX_ASSIGN && e->lhs->kind == EX_VAR && e->lhs->type->kind == TY_PTR && e->lhs->var->active &&
      expr_any(e->rhs, is_active_pointer_member, rv))
    return e->rhs; /* p = m.w: p's adjoint would be m's, which has none there */
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) && type_has_floating(e->type)) {
    Expr *p = e->lhs;
    while (p->kind == EX_CAST || (p->kind == EX_BINARY && (p->op == OP_ADD || p->op == OP_SUB)))
      p = p->kind == EX_CAST || p->lhs->type->kind == TY_PTR ? p->lhs : p->rhs;
    Var *root = lvalue_root(p);
    if (p->kind == EX_MEMBER && p->type->kind == TY_PTR && lacks_buffer(rv, root))
      return e;
  }
  Expr *r;
  if ((r = through_pointer_member(rv, e->lhs)) || (r = through_pointer_member(rv, e->rhs)) ||
      (r = through_pointer_member(rv, e->cond)))
    return r;
  for (int i = 0; i < e->args.len; i++)
    if ((r = through_pointer_member(rv, e->args.items[i])))
      return r;
  return NULL;
}

/* One error a statement (its statements then go unchecked). */
static WalkStep refuse_pointer_member(Stmt *s, void *ctx) {
  Reverse *rv = ctx;
  Expr *exprs[] = {s->expr, s->init, s->step};
  for (int i = 0; i < 3; i++) {
    Expr *e = through_pointer_member(rv, exprs[i]);
    if (e) {
      Var *root = lvalue_root(e);
      const Var *param = pointed_param(root);
      if (param && !vec_contains(&rv->ad->deriv->selected, rv->ad->deriv->primal->params.items[param->param_index]))
        error_at(e->loc, "'%s' reaches memory through a pointer inside struct '%s', which is not selected but "
                 "gets a gradient, since the function writes it with values that depend on the selected inputs; "
                 "vgradcc gives pointers inside a struct a gradient buffer only when the caller passes them: add "
                 "'%s' to argnums/argnames", expr_to_user_c(e), var_spelling(root), var_spelling(param));
      else
        error_at(e->loc, "'%s' reaches memory through a pointer inside struct '%s', which has a gradient; vgradcc "
                 "gives pointers inside local structs no gradient buffer: pass that array as a parameter of its "
                 "own, or make it an array member", expr_to_user_c(e), var_spelling(root));
      rv->ad->failed = true;
      return WALK_SKIP;
    }
  }
  return WALK_ON;
}

static void refuse_pointer_members(Reverse *rv, Stmt *s) {
  walk_stmt(s, &(Walker){.stmt_pre = refuse_pointer_member, .ctx = rv});
}

/* A global the function writes holds afterwards what the original leaves
 * there (globals.c stores it back at the end of the forward sweep).  If
 * the reverse sweep writes it again (a restore, a checkpointed loop's
 * replay), its final value goes onto the redo tape first, to be put back
 * last. */
static WalkStep past_dropped(Stmt *s, void *unused) {
  (void)unused;
  return s->kind == ST_EMPTY ? WALK_SKIP : WALK_ON; /* a pruned save or restore keeps its expression */
}

static WalkStep stop_at_global_write(Expr *e, void *global) {
  const Expr *target = e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_ADDR ? e->lhs : NULL;
  bool writes = target && target->kind == EX_VAR && target->var->is_global &&
                !strcmp(target->var->name, ((const Var *)global)->name);
  return writes ? WALK_STOP : WALK_ON;
}

static bool writes_global(Stmt *s, Var *global) {
  return !walk_stmt(s, &(Walker){.stmt_pre = past_dropped, .expr_pre = stop_at_global_write, .ctx = global});
}

static Stmt *keep_final_globals(Reverse *rv, Stmt *rev_block, Loc loc) {
  Stmt *keep = NULL;
  for (int i = 0; i < rv->ad->written_globals.len; i++) {
    Var *g = rv->ad->written_globals.items[i];
    bool rewritten = writes_global(rev_block, g);
    for (int k = 0; k < rv->flushes.len && !rewritten; k++)
      rewritten = writes_global(rv->flushes.items[k], g);
    if (!rewritten)
      continue;
    if (!keep)
      keep = stmt_block(loc);
    redo_part(rv, expr_var(g, loc), keep);
  }
  return keep;
}

/* A call to a function whose body vgradcc does not see, given a pointer to
 * integers it may write (indices, counts: `rotate(idx, n)`, `&k`): when the
 * reverse sweep reads those integers again, and the call may come after
 * such a read (later in the function, or in a loop), their old values are
 * lost, which would be a wrong gradient: refused. */
typedef struct {
  Ad *ad;
  int loops;
  PtrSet seen; /* Var*: read or written so far */
  bool failed;
} HiddenWrites;

static Var *written_root(Expr *arg) {
  while (arg->kind == EX_CAST)
    arg = arg->lhs;
  Type *t = arg->type;
  if ((t->kind != TY_PTR && t->kind != TY_ARRAY) || !t->base || !type_is_integer(t->base) || t->base->is_const)
    return NULL;
  if (arg->kind == EX_ADDR)
    return lvalue_root(arg->lhs);
  while (arg->kind == EX_BINARY && (arg->op == OP_ADD || arg->op == OP_SUB))
    arg = arg->lhs->type->kind == TY_PTR || arg->lhs->type->kind == TY_ARRAY ? arg->lhs : arg->rhs;
  while (arg->kind == EX_CAST)
    arg = arg->lhs;
  return arg->kind == EX_VAR ? arg->var : NULL;
}

static WalkStep enter_loop(Stmt *s, void *ctx) {
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO)
    ((HiddenWrites *)ctx)->loops++;
  return WALK_ON;
}

static void leave_loop(Stmt *s, void *ctx) {
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO)
    ((HiddenWrites *)ctx)->loops--;
}

static WalkStep check_hidden_write(Expr *e, void *ctx) {
  HiddenWrites *h = ctx;
  if (e->kind == EX_VAR) {
    ptr_set_add(&h->seen, e->var);
    return WALK_ON;
  }
  if (e->kind != EX_CALL || !e->text || !*e->text || e->call != CALL_PLAIN || ad_math_lookup(e->text) ||
      ad_array_op(e->text) || call_definition(h->ad->prog, e))
    return WALK_ON;
  for (int i = 0; i < e->args.len; i++) {
    Var *v = written_root(e->args.items[i]);
    bool read_again = v && (v->needed || v->mem_needed);
    if (!read_again || !(h->loops > 0 || ptr_set_contains(&h->seen, v)))
      continue;
    error_at(e->loc, "the call to '%s', whose body is in none of the input files, may overwrite '%s', whose "
             "values the gradient reads again; give vgradcc the file that defines '%s' as another input "
             "(vgradcc a.c b.c), or let the call write a copy that the function reads only after it",
             e->text, var_spelling(v), e->text);
    h->failed = true;
  }
  return WALK_ON;
}

static bool refuse_hidden_int_writes(Ad *ad) {
  HiddenWrites h = {.ad = ad};
  walk_stmt(ad->f->body, &(Walker){.stmt_pre = enter_loop, .stmt_post = leave_loop,
                                   .expr_pre = check_hidden_write, .ctx = &h});
  ptr_set_free(&h.seen);
  return !h.failed;
}

/* allow_int: each `void *d_n` among the gradient outputs, in parameter
 * order; the outputs are numbered again. */
static void place_int_outputs(Derivative *d, Func *out) {
  if (!d->int_outputs.len)
    return;
  int nparams = d->primal->params.len;
  assert(out->params.len == nparams + d->selected.len);
  Vec grads = {0};
  for (int s = 0, n = 0; s < d->selected.len || n < d->int_outputs.len;) {
    bool take_int = s == d->selected.len ||
                    (n < d->int_outputs.len && ((Var *)d->int_params.items[n])->param_index <
                                                   ((Var *)d->selected.items[s])->param_index);
    vec_push(&grads, take_int ? d->int_outputs.items[n++] : out->params.items[nparams + s++]);
  }
  out->params.len = nparams;
  for (int i = 0; i < grads.len; i++)
    vec_push(&out->params, grads.items[i]);
  free(grads.items);
  for (int i = 0; i < out->params.len; i++)
    ((Var *)out->params.items[i])->param_index = i;
}

/* vjp: every output whose cotangent is seeded has a length vgradcc can tell. */
static bool vjp_output_lengths(Ad *ad) {
  Derivative *d = ad->deriv;
  bool ok = true;
  for (int i = 0; i < d->outputs.len; i++) {
    Var *y = ad->f->params.items[((Var *)d->outputs.items[i])->param_index];
    if (!y->active || ad_buffer_length(ad, y))
      continue;
    error_at(d->pragma->outputs_loc[i], "outputs(%s): vjp reads every entry of ct_%s but cannot tell the length of "
             "'%s'; declare it with its length (double %s[n], n a parameter before it)", y->name, y->name, y->name,
             y->name);
    ok = false;
  }
  ad->failed |= !ok;
  return ok;
}

/* vjp: the cotangent parameters (ct_ret, then const double *ct_y per
 * output, into `cotangents`), and the seed: d_ret = ct_ret, and
 * d_y[k] = ct_y[k] for each element of an output the selected inputs reach. */
static void vjp_seed(Ad *ad, Vec *cotangents, Vec *notes, Vec *seed, Loc loc) {
  Derivative *d = ad->deriv;
  int k = 0;
  if (d->primal->ret->kind != TY_VOID) {
    Var *ct = var_local(ad->cotangent_names[k++], type_adjoint(d->primal->ret));
    vec_push(notes, (char *)"the return value");
    vec_push(cotangents, ct);
    if (ad->result && ad->result->active)
      emit(seed, expr_assign(OP_NONE, expr_var(ad->result->adj, loc), expr_var(ct, loc)));
  }
  for (int i = 0; i < d->outputs.len; i++) {
    Var *y = ad->f->params.items[((Var *)d->outputs.items[i])->param_index];
    Type *elem = type_adjoint(y->type->base);
    Type *const_elem = xcalloc(1, sizeof(Type));
    *const_elem = *elem;
    const_elem->is_const = true;
    Var *ct = var_local(ad->cotangent_names[k++], type_pointer_to(const_elem));
    vec_push(notes, (char *)format("'%s'", y->name));
    vec_push(cotangents, ct);
    if (!y->active || !y->adj)
      continue;
    Var *at = ad_new_local(ad, "k", type_int(), true);
    Stmt *loop = new_stmt(ST_FOR, loc);
    loop->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(at, loc), expr_num("0", type_int())));
    loop->expr = expr_binary(OP_LT, expr_var(at, loc), ad_buffer_length(ad, y), type_int());
    loop->step = expr_assign(OP_ADD, expr_var(at, loc), expr_num("1", type_int()));
    Expr *dst = new_expr(EX_INDEX, y->adj->type->base, loc);
    dst->lhs = expr_var(y->adj, loc);
    dst->rhs = expr_var(at, loc);
    Expr *src = new_expr(EX_INDEX, const_elem, loc);
    src->lhs = expr_var(ct, loc);
    src->rhs = expr_var(at, loc);
    Stmt *b = stmt_block(loc);
    vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, dst, src)));
    loop->then = b;
    vec_push(seed, loop);
  }
}

static bool stmt_uses_var_list(Vec *stmts, Var *v) {
  for (int i = 0; i < stmts->len; i++)
    if (stmt_uses(stmts->items[i], v))
      return true;
  return false;
}

/* vjp: the cotangents after the original parameters, before the gradients. */
static void place_cotangents(Derivative *d, Func *out, Vec *cotangents) {
  if (!cotangents->len)
    return;
  int nparams = d->primal->params.len;
  Vec params = {0};
  for (int i = 0; i < out->params.len; i++) {
    if (i == nparams)
      for (int k = 0; k < cotangents->len; k++)
        vec_push(&params, cotangents->items[k]);
    vec_push(&params, out->params.items[i]);
  }
  if (out->params.len == nparams)
    for (int k = 0; k < cotangents->len; k++)
      vec_push(&params, cotangents->items[k]);
  free(out->params.items);
  out->params = params;
  for (int i = 0; i < out->params.len; i++)
    ((Var *)out->params.items[i])->param_index = i;
}

static WalkStep stop_at_replay_or_thread(Stmt *s, void *ad) {
  return s->checkpoint || (s->omp && ((Ad *)ad)->prog->openmp) ? WALK_STOP : WALK_ON;
}

/* Whether the saves of this function all run in the forward sweep, on one
 * thread: then a pointer parameter's restored memory can be kept whole
 * (tape.c, extent_of). */
static bool saves_forward_only(Ad *ad) {
  return !ad->split && walk_stmt(ad->f->body, &(Walker){.stmt_pre = stop_at_replay_or_thread, .ctx = ad});
}

bool ad_reverse(Ad *ad) {
  Reverse sweep = {.ad = ad}, *rv = &sweep;
  Derivative *d = ad->deriv;
  Pragma *p = d->pragma;
  Func *out = xcalloc(1, sizeof(Func));
  out->name = d->name;
  out->ret = p->kind == PRAGMA_GRAD ? xcalloc(1, sizeof(Type)) : d->primal->ret;
  if (p->kind == PRAGMA_GRAD) {
    out->ret->kind = TY_VOID;
    out->ret->name = "void";
  }
  out->loc = d->primal->loc;
  d->out = out;

  Vec fwd = {0}, rev = {0};
  if (!recursion_begin(rv))
    return false;
  if (p->kind == PRAGMA_VJP && !vjp_output_lengths(ad))
    return false;
  setup_adjoints(rv, out);
  if (ad->failed)
    return false;
  choose_read_taped(rv);
  find_first_stores(rv);
  find_scoped_blocks(rv);
  rv->extents_ok = saves_forward_only(ad);
  stmt_set_mentions(ad->f->body, true);
  stmt_set_mentions(ad->f->body, false);
  refuse_pointer_members(rv, ad->f->body);
  if (ad->failed)
    return false;
  diff_stmt(rv, ad->f->body, &fwd, &rev);
  if (ad->failed)
    return false;
  assert(rv->loop_depth == 0);
  if (rv->uses_checkpoint)
    out->uses_runtime = true;

  /* Seed: d(loss)/d(loss) = 1; vjp: the caller's cotangents. */
  Vec seed = {0};
  Var *loss = ad->loss;
  Vec cotangents = {0}, cotangent_notes = {0};
  if (p->kind == PRAGMA_VJP) {
    vjp_seed(ad, &cotangents, &cotangent_notes, &seed, out->loc);
  } else if (loss && loss->active) {
    Expr *target = new_expr(EX_INDEX, loss->adj->type->base, out->loc);
    target->lhs = expr_var(loss->adj, out->loc);
    target->rhs = expr_num("0", type_int());
    emit(&seed, expr_assign(OP_NONE, target, expr_num("1", type_int())));
  } else if (ad->loss_root && ad->loss_root->active) {
    emit(&seed, expr_assign(OP_ADD, loss_location(ad, ad->loss_root->adj, out->loc), expr_num("1", type_int())));
  } else if (!loss && !ad->loss_root && ad->result && ad->result->active) {
    Expr *target = expr_var(ad->result->adj, out->loc);
    Expr *value = expr_var(ad->result, out->loc);
    if (ad->result->type->kind == TY_STRUCT) {
      target = member_of(target, &ad->result->type->members[0]);
      value = member_of(value, &ad->result->type->members[0]);
    }
    if (type_is_array_value(target->type))
      emit(&seed,
           expr_assign(OP_NONE, target, expr_runtime_call(CALL_RUNTIME, "vg_ones_like", target->type, value, NULL)));
    else if (ad->split) /* the caller's adjoint of the value */
      emit(&seed, expr_assign(OP_NONE, target, expr_var(ad->split->seed, out->loc)));
    else
      emit(&seed, expr_assign(OP_NONE, target, expr_num("1", type_int())));
  }

  /* To-be-recorded: keep a save only if the reverse sweep reads the variable. */
  Stmt *rev_block = stmt_block(out->loc);
  rev_block->body = rev;
  for (int i = 0; i < ad->f->params.len; i++)
    ((Var *)ad->f->params.items[i])->needed = ((Var *)ad->f->params.items[i])->mem_needed = false;
  for (int i = 0; i < ad->f->locals.len; i++)
    ((Var *)ad->f->locals.items[i])->needed = ((Var *)ad->f->locals.items[i])->mem_needed = false;
  drop_empty_ifs(rev_block);
  scoped_blocks_settle(rv, rev_block);
  mark_needed(rev_block);
  PtrSet state = {0}, tracked = {0};
  flow_tracked(ad->f->body, &tracked);
  flow(ad->f->body, &state, &tracked);
  ptr_set_free(&state);
  ptr_set_free(&tracked);
  /* A kept restore of x[i] reads i too. */
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < rv->slots.len; i++) {
      Slot *slot = rv->slots.items[i];
      bool read = slot->memory ? slot->var->mem_needed : slot->var->needed;
      if (slot->kept || !(read || (slot->var2 && slot->var2->needed)))
        continue;
      if (slot->flow_checked && !slot->flow_needed && type_is_floating(slot->var->type))
        continue; /* no reverse read between the previous write and this one */
      slot->kept = changed = true;
      mark_restore_reads(slot->restore);
    }
  }
  if (!refuse_hidden_int_writes(ad))
    return false;
  PtrSet unused = {0}; /* variables whose declarations go */
  for (int i = 0; i < rv->slots.len; i++) {
    Slot *slot = rv->slots.items[i];
    Expr *lhs = slot->unsaveable;
    if (slot->kept && lhs) {
      error_at(lhs->loc, "'%s' (%s) is overwritten inside a loop and its old value is needed by the gradient; "
               "vgradcc saves a struct there member by member, which it cannot do for a union or a const member: "
               "keep those out of structs that a loop overwrites", var_spelling(slot->var), declare(lhs->type, ""));
      ad->failed = true;
    }
    if (slot->kept)
      continue;
    slot->save->kind = slot->restore->kind = ST_EMPTY;
    if (slot->save_var)
      ptr_set_add(&unused, slot->save_var);
    if (slot->save_var2)
      ptr_set_add(&unused, slot->save_var2);
  }
  if (ad->failed)
    return false;
  drop_empty_ifs(rev_block);
  /* A flag is needed while its reverse `if` survives. */
  for (int i = 0; i < rv->branches.len; i++) {
    Branch *b = rv->branches.items[i];
    if (b->rev_if->kind == ST_IF) {
      b->fwd_if->expr = expr_var(b->flag, b->fwd_if->loc);
    } else {
      b->set->kind = ST_EMPTY;
      if (b->push)
        b->push->kind = ST_EMPTY;
      ptr_set_add(&unused, b->flag);
    }
  }
  drop_decls_of(ad, &unused);
  ptr_set_free(&unused);

  Stmt *fwd_block = stmt_block(out->loc);
  fwd_block->body = fwd;
  drop_unread_adjoint_pointers(ad, fwd_block, rev_block);
  drop_unread_recomputes(ad, rev_block);
  if (ad->split)
    return recursion_assemble(rv, &fwd_block->body, &seed, rev_block);
  Stmt *final_globals = keep_final_globals(rv, rev_block, out->loc);

  Stmt *body = stmt_block(out->loc);
  for (int i = 0; i < ad->decls.len; i++)
    vec_push(&body->body, ad->decls.items[i]);
  bool *null_tested = xcalloc((size_t)ad->f->params.len + 1, sizeof(bool));
  for (int i = 0; i < ad->f->params.len; i++)
    null_tested[i] = ad_null_tested(ad, ad->f->params.items[i]);
  alias_guards(ad, out, null_tested, &body->body);
  null_gradient_guards(ad, out, null_tested, &body->body);
  free(null_tested);
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    Var *param = ad->f->params.items[sel->param_index];
    if (!param->active) {
      Stmt *v = left_unused(out->params.items[ad->f->params.len + i], out->loc); /* its gradient */
      v->note = format("the %s not depend on %s", p->kind == PRAGMA_VJP ? "outputs do" : "loss does",
                       ad_param_name(d->primal->params.items[sel->param_index]));
      vec_push(&body->body, v);
    }
  }
  for (int i = 0; i < cotangents.len; i++) {
    Var *ct = cotangents.items[i];
    if (!stmt_uses_var_list(&seed, ct)) {
      Stmt *v = left_unused(ct, out->loc);
      v->note = format("%s does not depend on the selected inputs", (const char *)cotangent_notes.items[i]);
      vec_push(&body->body, v);
    }
  }
  for (int i = 0; i < d->int_outputs.len; i++) {
    Stmt *v = left_unused(d->int_outputs.items[i], out->loc);
    v->note = format("allow_int: %s is an integer, its gradient has no values",
                     ad_param_name(d->int_params.items[i]));
    vec_push(&body->body, v);
  }
  for (int i = 0; i < ad->f->params.len; i++)
    if (!*((Var *)d->primal->params.items[i])->name) {
      Stmt *v = left_unused(ad->f->params.items[i], out->loc);
      v->note = "unnamed in the input";
      vec_push(&body->body, v);
    }
  vec_push(&body->body, stmt_comment("forward sweep"));
  for (int i = 0; i < fwd.len; i++)
    vec_push(&body->body, fwd.items[i]);
  Vec keeps = {0}, put_backs = {0};
  keep_extents(rv, fwd_block, &keeps, &put_backs);
  if (keeps.len) {
    vec_push(&body->body, stmt_comment("the caller's memory the reverse sweep restores, as the forward sweep leaves it"));
    for (int i = 0; i < keeps.len; i++)
      vec_push(&body->body, keeps.items[i]);
    out->uses_runtime = true;
  }
  Stmt *turn = NULL;
  if (!is_empty(rev_block) || seed.len) {
    vec_push(&body->body, stmt_comment("reverse sweep"));
    if (rv->tape) {
      turn = stmt_expr(tape_call(CALL_TAPE_OTHER, "turn_to_pop", type_void(), tape_ref(rv), NULL));
      vec_push(&body->body, turn);
    }
    if (final_globals)
      vec_push(&body->body, final_globals);
    for (int i = 0; i < seed.len; i++)
      vec_push(&body->body, seed.items[i]);
    for (int i = 0; i < rev_block->body.len; i++)
      vec_push(&body->body, rev_block->body.items[i]);
  }
  for (int i = 0; i < rv->flushes.len; i++)
    vec_push(&body->body, rv->flushes.items[i]);
  if (put_backs.len)
    vec_push(&body->body, stmt_comment("and back to those values"));
  for (int i = 0; i < put_backs.len; i++)
    vec_push(&body->body, put_backs.items[i]);
  free(keeps.items);
  free(put_backs.items);
  if (rv->redo && stmt_uses(body, rv->redo)) {
    Stmt *v = redo_restore_loop(rv, out->loc);
    vec_push(&body->body, stmt_comment("the caller's memory, back to its values after the forward sweep"));
    vec_push(&body->body, v);
    out->uses_runtime = true;
  } else if (rv->redo) {
    drop_decl_of(ad, rv->redo);
  }
  if (rv->arrays) {
    /* Arrays: the returned value gets its own reference, adjoints left over
     * and every array the forward sweep kept are freed. */
    if ((p->kind == PRAGMA_VALUE_AND_GRAD || p->kind == PRAGMA_VJP) && ad->result)
      keep_arrays(expr_var(ad->result, out->loc), &body->body);
    for (int i = 0; i < ad->f->locals.len; i++) {
      Var *v = ad->f->locals.items[i];
      if (v->active && v->adj && type_is_array_value(v->adj->type))
        emit(&body->body, expr_runtime_call(CALL_RUNTIME, "vg_free", type_void(), expr_var(v->adj, out->loc), NULL));
    }
    if (ad->result && ad->result->adj)
      clear(expr_var(ad->result->adj, out->loc), &body->body);
    /* vg_tape_turn_to_pop(&arrays); while (vg_tape_count_ptr(&arrays) > 0) vg_free(vg_tape_pop_ptr(&arrays)); */
    Type *void_ptr = type_pointer_to(type_void());
    Expr *array = tape_stack_call(CALL_TAPE_POP, "pop", TAPE_PTR, void_ptr, tape_ref_of(rv->arrays), NULL);
    Expr *left = expr_binary(OP_GT, tape_call(CALL_TAPE_OTHER, "count_ptr", type_long(), tape_ref_of(rv->arrays), NULL),
                             expr_num("0", type_int()), type_int());
    Stmt *free_each = stmt_while(left, stmt_expr(expr_runtime_call(CALL_RUNTIME, "vg_free", type_void(), array, NULL)));
    free_each->unbraced = true;
    emit(&body->body, tape_call(CALL_TAPE_OTHER, "turn_to_pop", type_void(), tape_ref_of(rv->arrays), NULL));
    vec_push(&body->body, free_each);
    emit(&body->body, tape_call(CALL_TAPE_OTHER, "free", type_void(), tape_ref_of(rv->arrays), NULL));
    out->uses_runtime = true;
  }
  /* Before the tape's turn and batching: a parallel loop's pushes and pops
   * move to the tapes of its threads. */
  omp_parallel_loops(rv, body);
  if (turn) { /* the turn alone does not keep the tape */
    turn->kind = ST_EMPTY;
    if (stmt_uses(body, rv->tape))
      turn->kind = ST_EXPR;
  }
  if (rv->tape && stmt_uses(body, rv->tape)) {
    vec_push(&body->body, stmt_expr(tape_call(CALL_TAPE_OTHER, "free", type_void(), tape_ref(rv), NULL)));
    out->uses_runtime = true;
    batch_tape_runs(body, rv->tape);
  } else if (rv->tape) {
    drop_decl_of(ad, rv->tape);
  }
  ad_swap_tiles(ad, body); /* before the sums split: the copies' loops are the ones to split */
  ad_split_sums(ad, body); /* after batching: it reserves by the loops' trip counts */
  for (int i = 0; i < rv->buffers.len; i++)
    vec_push(&body->body, stmt_call("free", expr_var(rv->buffers.items[i], out->loc)));
  if (p->kind == PRAGMA_GRAD && ad->result) {
    Stmt *v = left_unused(ad->result, out->loc);
    v->note = "grad returns only the gradient";
    vec_push(&body->body, v);
  }
  if ((p->kind == PRAGMA_VALUE_AND_GRAD || p->kind == PRAGMA_VJP) && ad->result) {
    Stmt *r = new_stmt(ST_RETURN, out->loc);
    r->expr = expr_var(ad->result, out->loc);
    vec_push(&body->body, r);
  }
  out->body = body;
  place_int_outputs(d, out);
  place_cotangents(d, out, &cotangents);
  free(cotangents.items);
  free(cotangent_notes.items);
  return true;
}
