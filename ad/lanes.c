/* Lanes: one forward sweep for several reverse sweeps.  A reverse-mode
 * jacobian with L rows (L a constant, 2 to LANES_MAX) calls a vjp made for
 * L cotangents at once: each statement of the vjp that reads or writes a
 * cotangent, a gradient output or an adjoint (a lane variable) is repeated
 * once per lane with that lane's copies of them, while the forward sweep,
 * the tape and the primal values the reverse sweep restores run once.
 *
 * Lane variables: the vjp's own parameters (ct_..., d_...), then, to a
 * fixpoint, every variable a statement mentioning one writes (assigns, or
 * writes through, or passes to a call), and every pointer assigned from or
 * to one (d_x = &d_X[3]: a lane's pointer points into that lane's array).
 * A vjp whose repeated statements would use the tape, call a function other
 * than math.h's and the allocation and copy functions, or steer control
 * flow, or one with an OpenMP region, is left as it is (the jacobian then
 * makes a pass per row). */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Vec lane;   /* Var*: the lane variables */
  bool grew;  /* the last round added one */
  bool fails; /* a repeated statement the lanes cannot take */
} Lanes;

static bool is_lane(Lanes *ln, const Var *v) { return v && vec_contains(&ln->lane, (void *)v); }

static void add_lane(Lanes *ln, Var *v) {
  if (!v || v->is_global || is_lane(ln, v))
    return;
  vec_push(&ln->lane, v);
  ln->grew = true;
}

typedef struct {
  Lanes *ln;
  bool found;
} Mention;

static WalkStep mention_pre(Expr *e, void *ctx) {
  Mention *m = ctx;
  if (e->kind == EX_VAR && is_lane(m->ln, e->var)) {
    m->found = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

static bool mentions_lane(Lanes *ln, Expr *e) {
  Mention m = {ln, false};
  if (e)
    walk_expr(e, &(Walker){.expr_pre = mention_pre, .ctx = &m});
  return m.found;
}

/* The variable an lvalue is written through: x for x, x[i], *x, x->m. */
static Var *written_var(Expr *e) {
  while (e && e->kind != EX_VAR) {
    if (e->kind == EX_INDEX || e->kind == EX_DEREF || e->kind == EX_MEMBER || e->kind == EX_CAST)
      e = e->lhs;
    else if (e->kind == EX_BINARY && (e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY))
      e = e->lhs;
    else if (e->kind == EX_BINARY)
      e = e->rhs;
    else
      return NULL;
  }
  return e ? e->var : NULL;
}

static bool pointer_like(const Type *t) { return t && (t->kind == TY_PTR || t->kind == TY_ARRAY); }

/* Pointer and array variables an expression names (d_X in &d_X[3]). */
static WalkStep pointers_pre(Expr *e, void *ctx) {
  if (e->kind == EX_VAR && pointer_like(e->var->type))
    vec_push(ctx, e->var);
  return WALK_ON;
}

static const char *const lane_calls[] = {"calloc", "malloc", "free", "memset", "memcpy", "memmove"};

typedef struct {
  Lanes *ln;
  bool repeated; /* the statement is repeated per lane */
} Visit;

/* In a statement that is repeated: what it writes becomes a lane
 * variable; a call the lanes cannot repeat fails them. */
static WalkStep effects_pre(Expr *e, void *ctx) {
  Visit *v = ctx;
  Lanes *ln = v->ln;
  if (e->kind == EX_ASSIGN || e->kind == EX_INCDEC) {
    Var *w = written_var(e->lhs);
    if (v->repeated)
      add_lane(ln, w);
    /* a pointer assigned from a lane array, or a lane pointer from another: one alias class */
    if (e->kind == EX_ASSIGN && e->lhs->kind == EX_VAR && pointer_like(w->type)) {
      Vec ps = {0};
      walk_expr(e->rhs, &(Walker){.expr_pre = pointers_pre, .ctx = &ps});
      bool any = is_lane(ln, w);
      for (int i = 0; i < ps.len; i++)
        any |= is_lane(ln, ps.items[i]);
      if (any) {
        add_lane(ln, w);
        for (int i = 0; i < ps.len; i++)
          add_lane(ln, ps.items[i]);
      }
      free(ps.items);
    }
  }
  if (e->kind == EX_CALL && v->repeated) {
    bool known = e->call == CALL_PLAIN && !e->lhs && e->text && (ad_math_lookup(e->text) != NULL);
    for (size_t i = 0; i < sizeof lane_calls / sizeof lane_calls[0] && !known; i++)
      known = e->call == CALL_PLAIN && e->text && !strcmp(e->text, lane_calls[i]);
    if (!known)
      ln->fails = true; /* the tape's functions, the runtime's, the input's */
    for (int i = 0; i < e->args.len; i++) /* memcpy(d_a, d_b, ...): d_a is written */
      if (pointer_like(((Expr *)e->args.items[i])->type))
        add_lane(ln, written_var(e->args.items[i]));
  }
  return WALK_ON;
}

static void scan(Lanes *ln, Stmt *s);

static void scan_list(Lanes *ln, Vec *body) {
  for (int i = 0; i < body->len; i++)
    scan(ln, body->items[i]);
}

/* One round over s: marks what the repeated statements write. */
static void scan(Lanes *ln, Stmt *s) {
  if (!s)
    return;
  if (s->pragma || s->omp_loop || s->omp) {
    ln->fails = true; /* an OpenMP region names its variables in its pragma's clauses */
    return;
  }
  switch (s->kind) {
  case ST_BLOCK:
    scan_list(ln, &s->body);
    return;
  case ST_DECL: {
    bool repeated = is_lane(ln, s->var) || mentions_lane(ln, s->init);
    if (repeated)
      add_lane(ln, s->var);
    if (s->init && pointer_like(s->var->type)) { /* double *d_x = d_X: one alias class */
      Vec ps = {0};
      walk_expr(s->init, &(Walker){.expr_pre = pointers_pre, .ctx = &ps});
      for (int i = 0; i < ps.len; i++)
        if (is_lane(ln, ps.items[i]))
          add_lane(ln, s->var);
      if (is_lane(ln, s->var))
        for (int i = 0; i < ps.len; i++)
          add_lane(ln, ps.items[i]);
      free(ps.items);
    }
    Visit v = {ln, repeated};
    if (s->init)
      walk_expr(s->init, &(Walker){.expr_pre = effects_pre, .ctx = &v});
    return;
  }
  case ST_EXPR: {
    Visit v = {ln, mentions_lane(ln, s->expr)};
    walk_expr(s->expr, &(Walker){.expr_pre = effects_pre, .ctx = &v});
    return;
  }
  case ST_IF:
  case ST_WHILE:
  case ST_DO:
  case ST_FOR:
  case ST_SWITCH:
  case ST_CASE:
  case ST_LABEL:
  case ST_RETURN:
    if (mentions_lane(ln, s->expr) || mentions_lane(ln, s->step))
      ln->fails = true; /* control flow or the result would depend on a cotangent */
    else {
      Visit v = {ln, false}; /* i = 0 in a for's init: effects on primal counters only */
      if (s->expr)
        walk_expr(s->expr, &(Walker){.expr_pre = effects_pre, .ctx = &v});
      if (s->step)
        walk_expr(s->step, &(Walker){.expr_pre = effects_pre, .ctx = &v});
    }
    if (s->for_init && s->for_init->kind == ST_EXPR && mentions_lane(ln, s->for_init->expr))
      ln->fails = true;
    scan(ln, s->for_init);
    scan(ln, s->then);
    scan(ln, s->els);
    return;
  case ST_UNSUPPORTED:
    ln->fails = true;
    return;
  default: /* break, continue, goto, comments, empty statements */
    return;
  }
}

/* Lane copies: from[i] (a lane variable) is to[k][i] in lane k. */
typedef struct {
  Lanes *ln;
  int lanes;
  Var **from;
  Var ***to;
  int n;
} Copies;

static Stmt *rewrite(Copies *c, Stmt *s);

static void rewrite_list(Copies *c, Vec *body) {
  Vec out = {0};
  for (int i = 0; i < body->len; i++) {
    Stmt *s = body->items[i];
    bool repeated = (s->kind == ST_DECL && (is_lane(c->ln, s->var) || mentions_lane(c->ln, s->init))) ||
                    (s->kind == ST_EXPR && mentions_lane(c->ln, s->expr));
    if (!repeated) {
      vec_push(&out, rewrite(c, s));
      continue;
    }
    for (int k = 0; k < c->lanes; k++)
      vec_push(&out, stmt_clone(s, c->from, c->to[k], c->n));
  }
  free(body->items);
  *body = out;
}

static Stmt *rewrite(Copies *c, Stmt *s) {
  if (!s)
    return NULL;
  if (s->kind == ST_BLOCK) {
    rewrite_list(c, &s->body);
    return s;
  }
  /* a lone statement in a branch or loop body: its repetitions go into a block */
  bool repeated = (s->kind == ST_DECL && (is_lane(c->ln, s->var) || mentions_lane(c->ln, s->init))) ||
                  (s->kind == ST_EXPR && mentions_lane(c->ln, s->expr));
  if (repeated) {
    Stmt *b = stmt_block(s->loc);
    vec_push(&b->body, s);
    rewrite_list(c, &b->body);
    return b;
  }
  s->then = rewrite(c, s->then);
  s->els = rewrite(c, s->els);
  return s;
}

bool ad_lanes(Derivative *h, int lanes) {
  if (lanes < 2 || lanes > LANES_MAX)
    return false;
  Func *out = h->out;
  Func *f = h->primal;
  int nown = out->params.len - f->params.len; /* ct_ret, ct_y..., d_w... */
  if (nown <= 0)
    return false;
  Lanes ln = {{0}, false, false};
  for (int i = f->params.len; i < out->params.len; i++)
    add_lane(&ln, out->params.items[i]);
  do {
    ln.grew = false;
    scan(&ln, out->body);
  } while (ln.grew && !ln.fails);
  for (int i = 0; i < f->params.len && !ln.fails; i++)
    ln.fails |= is_lane(&ln, out->params.items[i]); /* a primal input would be written per lane */
  if (ln.fails) {
    free(ln.lane.items);
    return false;
  }
  Copies c = {&ln, lanes, (Var **)ln.lane.items, xcalloc((size_t)lanes, sizeof(Var **)), ln.lane.len};
  for (int k = 0; k < lanes; k++) {
    c.to[k] = xcalloc((size_t)ln.lane.len + 1, sizeof(Var *));
    for (int i = 0; i < ln.lane.len; i++) {
      Var *v = ln.lane.items[i];
      Var *copy = xcalloc(1, sizeof(Var));
      *copy = *v;
      copy->name = format("%s_lane%d", v->name, k);
      c.to[k][i] = copy;
      if (v->param_index < 0)
        vec_push(&out->locals, copy);
    }
  }
  /* the parameters: f's, then each of the vjp's own once per lane, side by side */
  Vec params = {0};
  for (int i = 0; i < f->params.len; i++)
    vec_push(&params, out->params.items[i]);
  for (int i = f->params.len; i < out->params.len; i++)
    for (int k = 0; k < lanes; k++)
      for (int m = 0; m < ln.lane.len; m++)
        if (ln.lane.items[m] == out->params.items[i]) {
          Var *p = c.to[k][m];
          p->param_index = params.len;
          vec_push(&params, p);
        }
  free(out->params.items);
  out->params = params;
  rewrite(&c, out->body);
  return true;
}
