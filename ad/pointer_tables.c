/* Arrays of pointers: `const double *rows[3] = {a, b, c}` read as
 * `rows[r][i]`, or llm.c's `float **ptrs[] = {&params->wte, &params->wpe}`
 * filled in a loop (`*ptrs[i] = it; it += sizes[i];`).  vgradcc follows a
 * pointer held in a variable of its own, not in an array, so every use of
 * an entry becomes the entry's initializer, before anything else reads the
 * body.  An index must be known when compiling: a constant, or the counter
 * of a loop with a constant count (at most MAX_TRIPS), which is unrolled.
 * A table that is written after its declaration, or whose entries'
 * variables change while it lives, stays as it is: the later stages
 * refuse it with their own messages. */
#include "ad.h"

#include <limits.h>
#include <stdlib.h>

enum { MAX_TRIPS = 64 };

typedef struct {
  Var *var;
  Stmt *decl;
  Vec entries; /* Expr*: each entry's initializer */
  bool reported; /* one error per table */
} Table;

typedef struct {
  Ad *ad;
  Vec tables;     /* Table* */
  Vec constants;  /* Stmt*: declarations of `const` integer locals with a constant value */
  Vec counters;   /* Var*: the counters of the loops unrolled */
  bool failed;
} Tables;

static Expr *strip_implicit(Expr *e) {
  while (e && e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e;
}

static Table *table_of(Tables *t, const Expr *e) {
  e = strip_implicit((Expr *)e);
  if (!e || e->kind != EX_VAR)
    return NULL;
  for (int i = 0; i < t->tables.len; i++)
    if (((Table *)t->tables.items[i])->var == e->var)
      return t->tables.items[i];
  return NULL;
}

/* The value of an integer constant expression (literals, sizeof, `const`
 * locals with a constant value, + - * / % of them). */
static bool const_int(Tables *t, Expr *e, long *value) {
  e = strip_implicit(e);
  long a, b;
  switch (e->kind) {
  case EX_NUM:
    return integer_literal(e->text, value);
  case EX_CAST:
    return type_is_integer(e->type) && const_int(t, e->lhs, value);
  case EX_NEG:
    if (!const_int(t, e->lhs, &a) || a == LONG_MIN)
      return false;
    *value = -a;
    return true;
  case EX_VAR:
    for (int i = 0; i < t->constants.len; i++) {
      Stmt *d = t->constants.items[i];
      if (d->var == e->var)
        return const_int(t, d->init, value);
    }
    return false;
  case EX_BINARY:
    if (!const_int(t, e->lhs, &a) || !const_int(t, e->rhs, &b))
      return false;
    /* false on an overflow: no value then (the generated code computes it) */
    switch (e->op) {
    case OP_ADD: return !__builtin_add_overflow(a, b, value);
    case OP_SUB: return !__builtin_sub_overflow(a, b, value);
    case OP_MUL: return !__builtin_mul_overflow(a, b, value);
    case OP_DIV: if (!b || (b == -1 && a == LONG_MIN)) return false; *value = a / b; return true;
    case OP_MOD: if (!b || (b == -1 && a == LONG_MIN)) return false; *value = a % b; return true;
    default: return false;
    }
  default:
    return false;
  }
}

static bool is_table_type(const Type *ty) {
  return ty->kind == TY_ARRAY && ty->array_len > 0 && ty->base->kind == TY_PTR &&
         !type_is_function_pointer(ty->base) && type_has_floating(ty->base);
}

static WalkStep find_tables(Stmt *s, void *ctx) {
  Tables *t = ctx;
  if (s->kind != ST_DECL || !s->init)
    return WALK_ON;
  Var *v = s->var;
  long ignored;
  if (type_is_integer(v->type) && v->type->is_const && const_int(t, s->init, &ignored))
    vec_push(&t->constants, s);
  Expr *init = s->init;
  /* `{a, b}` for 3 pointers: the rest are null, an error where used */
  if (!is_table_type(v->type) || v->is_static || init->kind != EX_INIT || init->args.len > v->type->array_len)
    return WALK_ON;
  for (int i = 0; i < init->args.len; i++)
    if (((Expr *)init->args.items[i])->kind == EX_INIT)
      return WALK_ON;
  Table *tb = xcalloc(1, sizeof(Table));
  tb->var = v;
  tb->decl = s;
  for (int i = 0; i < init->args.len; i++)
    vec_push(&tb->entries, init->args.items[i]);
  vec_push(&t->tables, tb);
  return WALK_ON;
}

/* ---- which tables can be resolved ---- */

typedef struct {
  Table *table;
  int mentions, indexed;
  bool written;
} Uses;

static WalkStep count_uses(Expr *e, void *ctx) {
  Uses *u = ctx;
  Var *v = u->table->var;
  if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_ADDR) && e->lhs) {
    Expr *l = strip_implicit(e->lhs);
    if (l->kind == EX_INDEX && strip_implicit(l->lhs)->kind == EX_VAR && strip_implicit(l->lhs)->var == v)
      u->written = true;
  }
  if (e->kind == EX_INDEX && strip_implicit(e->lhs)->kind == EX_VAR && strip_implicit(e->lhs)->var == v)
    u->indexed++;
  if (e->kind == EX_VAR && e->var == v)
    u->mentions++;
  return WALK_ON;
}

static WalkStep skip_decl(Stmt *s, void *ctx) {
  Uses *u = ctx;
  return s == u->table->decl ? WALK_SKIP : WALK_ON;
}

/* The variables whose change would change where an entry points: the
 * pointers it is computed from; for `&place`, those `place` goes through
 * (the address of a variable or of its member never changes). */
static void place_vars(Expr *e, Vec *out) {
  e = strip_implicit(e);
  switch (e->kind) {
  case EX_VAR:
    return;
  case EX_MEMBER:
    if (e->arrow)
      expr_collect_vars(e->lhs, out);
    else
      place_vars(e->lhs, out);
    return;
  case EX_INDEX:
    if (strip_implicit(e->lhs)->type->kind == TY_ARRAY)
      place_vars(e->lhs, out);
    else
      expr_collect_vars(e->lhs, out);
    expr_collect_vars(e->rhs, out);
    return;
  default:
    expr_collect_vars(e, out);
  }
}

typedef struct {
  Table *table;
  Vec watched;
  bool after_decl, changed;
  Expr *change; /* the first assignment that changes an entry */
} Stability;

static WalkStep stability_stmt(Stmt *s, void *ctx) {
  Stability *st = ctx;
  if (s == st->table->decl)
    st->after_decl = true;
  return WALK_ON;
}

static WalkStep stability_expr(Expr *e, void *ctx) {
  Stability *st = ctx;
  if (!st->after_decl)
    return WALK_ON;
  if (e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_ADDR) {
    Expr *l = strip_implicit(e->lhs);
    if (e->kind == EX_ADDR && l->type->kind == TY_ARRAY)
      return WALK_ON;
    if (!lvalue_is_memory(l) && lvalue_root(l) && vec_contains(&st->watched, lvalue_root(l)) && !st->changed) {
      st->changed = true;
      st->change = e;
    }
  }
  return WALK_ON;
}

/* false when the table stays as it is; *failed when it is refused here
 * (an entry that changes while the table lives). */
static bool resolvable(Ad *ad, Stmt *body, Table *tb, bool *failed) {
  Uses u = {.table = tb};
  walk_stmt(body, &(Walker){.stmt_pre = skip_decl, .expr_pre = count_uses, .ctx = &u});
  if (!u.written && u.mentions != u.indexed) {
    error_at(tb->decl->loc, "the array of pointers '%s' is used other than as '%s[k]' (passed to a function, or "
             "its address taken): vgradcc replaces each entry by the pointer it holds, which it cannot follow "
             "there; pass the arrays themselves, or keep them in one block and index it at each one's offset",
             var_spelling(tb->var), var_spelling(tb->var));
    *failed = true;
    return false;
  }
  if (u.written)
    return false;
  Stability st = {.table = tb};
  for (int i = 0; i < tb->entries.len; i++) {
    Expr *e = strip_implicit(tb->entries.items[i]);
    if (e->kind == EX_ADDR)
      place_vars(e->lhs, &st.watched);
    else
      expr_collect_vars(e, &st.watched);
  }
  walk_stmt(body, &(Walker){.stmt_pre = stability_stmt, .expr_pre = stability_expr, .ctx = &st});
  free(st.watched.items);
  if (st.changed) {
    Var *v = lvalue_root(strip_implicit(st.change->lhs));
    error_at(st.change->loc, "'%s' changes here while the array of pointers '%s' (%s) holds a pointer computed "
             "from it: vgradcc replaces each entry by the pointer it holds, so it must stay the same; declare "
             "'%s' after the last change of '%s', or use the arrays by their own names", var_spelling(v),
             var_spelling(tb->var), ad_line_of(ad, tb->decl->loc), var_spelling(tb->var), var_spelling(v));
    *failed = true;
    return false;
  }
  return true;
}

/* ---- unrolling the loops that index a table ---- */

typedef struct {
  Tables *t;
  bool found;
} IndexSearch;

static WalkStep find_counter_index(Expr *e, void *ctx) {
  IndexSearch *is = ctx;
  long ignored;
  /* the counter itself, or a local the body computes from it (`int r = i;`) */
  if (e->kind == EX_INDEX && table_of(is->t, e->lhs) && !const_int(is->t, e->rhs, &ignored)) {
    is->found = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

/* The loop's counter when the loop is `for (i = S; i CMP B; STEP)` with
 * constant S and B: its values, at most MAX_TRIPS of them. */
static Var *constant_loop(Tables *t, Stmt *s, long *values, int *n, long *final) {
  Stmt *init = s->for_init;
  Var *i = NULL;
  Expr *start = NULL;
  if (init && init->kind == ST_DECL && init->init) {
    i = init->var;
    start = init->init;
  } else if (init && init->kind == ST_EXPR && init->expr->kind == EX_ASSIGN && init->expr->op == OP_NONE &&
             strip_implicit(init->expr->lhs)->kind == EX_VAR) {
    i = strip_implicit(init->expr->lhs)->var;
    start = init->expr->rhs;
  }
  long a, b, step;
  if (!i || !type_is_integer(i->type) || !s->expr || !s->step || !const_int(t, start, &a))
    return NULL;
  Expr *c = s->expr, *st = s->step;
  if (c->kind != EX_BINARY || c->op < OP_LT || c->op > OP_NE)
    return NULL;
  BinOp cmp = c->op;
  if (strip_implicit(c->lhs)->kind == EX_VAR && strip_implicit(c->lhs)->var == i && const_int(t, c->rhs, &b)) {
  } else if (strip_implicit(c->rhs)->kind == EX_VAR && strip_implicit(c->rhs)->var == i && const_int(t, c->lhs, &b)) {
    cmp = cmp == OP_LT ? OP_GT : cmp == OP_GT ? OP_LT : cmp == OP_LE ? OP_GE : cmp == OP_GE ? OP_LE : cmp;
  } else {
    return NULL;
  }
  if (st->kind == EX_INCDEC && strip_implicit(st->lhs)->kind == EX_VAR && strip_implicit(st->lhs)->var == i)
    step = st->increment ? 1 : -1;
  else if (st->kind == EX_ASSIGN && (st->op == OP_ADD || st->op == OP_SUB) &&
           strip_implicit(st->lhs)->kind == EX_VAR && strip_implicit(st->lhs)->var == i &&
           const_int(t, st->rhs, &step) && step > 0)
    step = st->op == OP_ADD ? step : -step;
  else
    return NULL;
  /* counts far from zero are not a table's (and their sums could overflow) */
  const long FAR = 1L << 40;
  if (a > FAR || a < -FAR || b > FAR || b < -FAR || step > FAR || step < -FAR)
    return NULL;
  *n = 0;
  for (long v = a;; v += step) {
    bool go = cmp == OP_LT ? v < b : cmp == OP_GT ? v > b : cmp == OP_LE ? v <= b : cmp == OP_GE ? v >= b
                                                                : cmp == OP_NE ? v != b : v == b;
    if (!go) {
      *final = v;
      return i;
    }
    if (*n == MAX_TRIPS)
      return NULL;
    values[(*n)++] = v;
  }
}

/* The body writes the counter, or jumps out of this loop's iteration. */
static bool body_blocks_unrolling(Stmt *s, Var *counter, int depth) {
  if (!s)
    return false;
  switch (s->kind) {
  case ST_BREAK:
  case ST_CONTINUE:
    return depth == 0;
  case ST_GOTO:
  case ST_LABEL:
  case ST_UNSUPPORTED:
    return true;
  default:
    break;
  }
  Expr *exprs[] = {s->expr, s->init, s->step};
  for (int k = 0; k < 3; k++) {
    Stability st = {.after_decl = true};
    vec_push(&st.watched, counter);
    walk_expr(exprs[k], &(Walker){.expr_pre = stability_expr, .ctx = &st});
    free(st.watched.items);
    if (st.changed)
      return true;
  }
  int inner = depth + (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO || s->kind == ST_SWITCH);
  for (int k = 0; k < s->body.len; k++)
    if (body_blocks_unrolling(s->body.items[k], counter, inner))
      return true;
  return body_blocks_unrolling(s->then, counter, inner) || body_blocks_unrolling(s->els, counter, inner) ||
         body_blocks_unrolling(s->for_init, counter, inner);
}

static WalkStep add_decl(Stmt *s, void *out) {
  if (s->kind == ST_DECL)
    vec_push(out, s->var);
  return WALK_ON;
}

typedef struct {
  Var *counter;
  long value;
} Substitution;

static WalkStep substitute_counter(Expr *e, void *ctx) {
  Substitution *sub = ctx;
  if (e->kind == EX_VAR && e->var == sub->counter) {
    Type *t = e->type;
    Loc loc = e->loc;
    *e = *expr_num(format("%ld", sub->value), t);
    e->loc = loc;
  }
  return WALK_ON;
}

typedef struct {
  Var *v;
  int n;
} Mentions;

static WalkStep count_mentions(Expr *e, void *ctx) {
  Mentions *m = ctx;
  m->n += e->kind == EX_VAR && e->var == m->v;
  return WALK_ON;
}

static int mentions_in(Stmt *s, Var *v) {
  Mentions m = {v, 0};
  walk_stmt(s, &(Walker){.expr_pre = count_mentions, .ctx = &m});
  return m.n;
}

/* `for (i = 0; i < 3; i++) body` as `{ body[i := 0] body[i := 1] body[i := 2] }`,
 * each copy with locals of its own; a counter declared before the loop and
 * read after it gets its last value. */
static void unroll(Tables *t, Stmt *root, Stmt *s, Var *i, long *values, int n, long final) {
  if (s->checkpoint) /* said, not dropped silently: an unrolled loop of at most MAX_TRIPS copies keeps no snapshots */
    warning_at(s->loc, "'#pragma vgrad checkpoint' on the loop over '%s' has no effect: the loop indexes an array "
               "of pointers, so vgradcc unrolls it (%d copies) and tapes it as straight-line code", var_spelling(i),
               n);
  Vec locals = {0};
  walk_stmt(s->then, &(Walker){.stmt_pre = add_decl, .ctx = &locals});
  Stmt *block = stmt_block(s->loc);
  vec_push(&block->body, stmt_comment(format("the loop over %s unrolled: it indexes an array of pointers (%s)",
                                             var_spelling(i), ad_line_of(t->ad, s->loc))));
  Var **from = xcalloc((size_t)locals.len + 1, sizeof(Var *));
  Var **to = xcalloc((size_t)locals.len + 1, sizeof(Var *));
  for (int k = 0; k < n; k++) {
    for (int j = 0; j < locals.len; j++) {
      Var *old = locals.items[j];
      Var *v = xcalloc(1, sizeof(Var));
      *v = *old;
      v->name = k == 0 ? old->name : ad_fresh_name(t->ad, old->name);
      from[j] = old;
      to[j] = v;
      vec_push(&t->ad->f->locals, v);
    }
    Stmt *copy = stmt_clone(s->then, from, to, locals.len);
    Substitution sub = {i, values[k]};
    walk_stmt(copy, &(Walker){.expr_pre = substitute_counter, .ctx = &sub});
    if (copy->kind != ST_BLOCK) {
      Stmt *b = stmt_block(copy->loc);
      vec_push(&b->body, copy);
      copy = b;
    }
    vec_push(&block->body, copy);
  }
  free(from);
  free(to);
  free(locals.items);
  vec_add_unique(&t->counters, i);
  bool declared_here = s->for_init->kind == ST_DECL;
  if (!declared_here && mentions_in(root, i) > mentions_in(s, i)) {
    Stmt *last = stmt_expr(expr_assign(OP_NONE, expr_var(i, s->loc), expr_num(format("%ld", final), i->type)));
    last->loc = s->loc;
    vec_push(&block->body, last);
  }
  *s = *block;
}

static void unroll_indexing_loops(Tables *t, Stmt *root, Stmt *s) {
  if (!s)
    return;
  if (s->kind == ST_FOR && s->for_init) {
    long values[MAX_TRIPS], final;
    int n;
    Var *i = constant_loop(t, s, values, &n, &final);
    if (i) {
      IndexSearch is = {t, false};
      walk_stmt(s->then, &(Walker){.expr_pre = find_counter_index, .ctx = &is});
      if (is.found && !body_blocks_unrolling(s->then, i, 0)) {
        unroll(t, root, s, i, values, n, final);
        unroll_indexing_loops(t, root, s);
        return;
      }
    }
  }
  for (int k = 0; k < s->body.len; k++)
    unroll_indexing_loops(t, root, s->body.items[k]);
  unroll_indexing_loops(t, root, s->then);
  unroll_indexing_loops(t, root, s->els);
}

/* ---- the entries in place of the uses ---- */

static WalkStep replace_use(Expr *e, void *ctx) {
  Tables *t = ctx;
  if (e->kind != EX_INDEX)
    return WALK_ON;
  Table *tb = table_of(t, e->lhs);
  if (!tb)
    return WALK_ON;
  long k;
  if (!const_int(t, e->rhs, &k)) {
    if (tb->reported)
      return WALK_SKIP;
    tb->reported = true;
    error_at(e->loc, "the index '%s' of '%s', an array of pointers, is not known when compiling: vgradcc "
             "replaces each entry by the pointer it holds, so it needs a constant index or the counter of a "
             "loop with a constant count (at most %d trips, no break or continue); use the arrays by their "
             "own names, or keep them in one block and index it at each one's offset",
             expr_to_user_c(e->rhs), var_spelling(tb->var), MAX_TRIPS);
    t->failed = true;
    return WALK_SKIP;
  }
  if (k < 0 || k >= tb->var->type->array_len) {
    error_at(e->loc, "index %ld of '%s' is outside the array of %ld pointers", k, var_spelling(tb->var),
             tb->var->type->array_len);
    t->failed = true;
    return WALK_SKIP;
  }
  if (k >= tb->entries.len) {
    if (tb->reported)
      return WALK_SKIP;
    tb->reported = true;
    error_at(e->loc, "'%s[%ld]' is a null pointer: the initializer of '%s' gives %d of its %ld entries",
             var_spelling(tb->var), k, var_spelling(tb->var), tb->entries.len, tb->var->type->array_len);
    t->failed = true;
    return WALK_SKIP;
  }
  Loc loc = e->loc;
  *e = *expr_copy(tb->entries.items[k]);
  e->loc = loc;
  return WALK_SKIP;
}

/* `*&place`, `(&place)[0]`, `(&place)->m` left by a replaced entry, as `place` (`place.m`). */
static void fold_address(Expr *e, void *ctx) {
  (void)ctx;
  Expr *inner = e->lhs ? strip_implicit(e->lhs) : NULL;
  if (!inner || inner->kind != EX_ADDR)
    return;
  long k;
  if (e->kind == EX_DEREF || (e->kind == EX_INDEX && e->rhs && strip_implicit(e->rhs)->kind == EX_NUM &&
                              integer_literal(strip_implicit(e->rhs)->text, &k) && k == 0)) {
    Loc loc = e->loc;
    *e = *inner->lhs;
    e->loc = loc;
  } else if (e->kind == EX_MEMBER && e->arrow) {
    e->lhs = inner->lhs;
    e->arrow = false;
  }
}

static bool drop_decl(Stmt *s, Stmt *decl) {
  if (!s)
    return false;
  for (int i = 0; i < s->body.len; i++) {
    if (s->body.items[i] == decl) {
      for (int j = i + 1; j < s->body.len; j++)
        s->body.items[j - 1] = s->body.items[j];
      s->body.len--;
      return true;
    }
    if (drop_decl(s->body.items[i], decl))
      return true;
  }
  return drop_decl(s->then, decl) || drop_decl(s->els, decl);
}

typedef struct {
  Var *var;
  Stmt *decl;
} DeclSearch;

static WalkStep find_decl_of(Stmt *s, void *ctx) {
  DeclSearch *ds = ctx;
  if (s->kind == ST_DECL && s->var == ds->var) {
    ds->decl = s;
    return WALK_STOP;
  }
  return WALK_ON;
}

static void drop_decl_of(Stmt *body, Var *v) {
  DeclSearch ds = {v, NULL};
  walk_stmt(body, &(Walker){.stmt_pre = find_decl_of, .ctx = &ds});
  if (ds.decl)
    drop_decl(body, ds.decl);
}

/* An integer local set once by its declaration to a constant and never
 * changed (`int r = i;` in a copy of an unrolled loop, i then a literal)
 * is a constant too. */
typedef struct {
  Tables *t;
  Stmt *root;
} Constants;

static bool changed_anywhere(Stmt *body, Var *v) {
  Stability st = {.after_decl = true};
  vec_push(&st.watched, v);
  walk_stmt(body, &(Walker){.expr_pre = stability_expr, .ctx = &st});
  free(st.watched.items);
  return st.changed;
}

static WalkStep find_set_once(Stmt *s, void *ctx) {
  Constants *c = ctx;
  long ignored;
  if (s->kind == ST_DECL && s->init && type_is_integer(s->var->type) && !vec_contains(&c->t->constants, s) &&
      const_int(c->t, s->init, &ignored) && !changed_anywhere(c->root, s->var))
    vec_push(&c->t->constants, s);
  return WALK_ON;
}

bool ad_resolve_pointer_tables(Ad *ad, Stmt *body) {
  Tables t = {.ad = ad};
  walk_stmt(body, &(Walker){.stmt_pre = find_tables, .ctx = &t});
  int keep = 0;
  for (int i = 0; i < t.tables.len; i++)
    if (resolvable(ad, body, t.tables.items[i], &t.failed))
      t.tables.items[keep++] = t.tables.items[i];
  t.tables.len = keep;
  if (!keep || t.failed)
    return !t.failed;
  unroll_indexing_loops(&t, body, body);
  walk_stmt(body, &(Walker){.stmt_pre = find_set_once, .ctx = &(Constants){&t, body}});
  for (int i = 0; i < t.tables.len; i++)
    drop_decl(body, ((Table *)t.tables.items[i])->decl);
  walk_stmt(body, &(Walker){.expr_pre = replace_use, .expr_post = fold_address, .ctx = &t});
  /* a counter or a constant that only counted the loops unrolled: its
   * declaration would be an unused variable */
  for (int i = 0; i < t.constants.len; i++)
    vec_add_unique(&t.counters, ((Stmt *)t.constants.items[i])->var);
  for (int i = 0; i < t.counters.len; i++) {
    Var *v = t.counters.items[i];
    if (!stmt_uses(body, v))
      drop_decl_of(body, v);
  }
  return !t.failed;
}
