/* Heap blocks a loop body allocates and frees: `h = malloc(n); ... free(h);`
 * in one iteration (an inlined LSTM cell's gates).  Held until the reverse
 * sweep, every iteration's block and its adjoint would stay alive at once;
 * instead the forward sweep frees h where the function does, its contents
 * on the tape (only its size when the reverse sweep touches no element of
 * it), and the reverse sweep, where it passes that free, gets them back in
 * a new block, with a zeroed adjoint block, and sets the pointers into
 * both again (`forget = &gates[0]`); both go where the allocation is
 * reached backwards.  The forward sweep allocates no adjoint block.
 *
 * The rule: h a local pointer to double or float, assigned once (the
 * allocation) and freed once, both in the top statements of one loop body,
 * no mention of h outside them; every pointer assigned from h (or from such
 * a pointer) is assigned once, there, from an address (`&h[k]`, `h + k`)
 * whose other variables the region does not write, and is mentioned only
 * there; none stored in memory.  No jump, return, checkpointed or OpenMP
 * loop inside or around; not in a recursive function (two functions).
 *
 * Stores into the block before anything reads it (the gates' fill) save
 * nothing: their restores would only be read by statements before them,
 * and none reads the block. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

static bool is_free_of(const Stmt *s, const Var *h) {
  if (s->kind != ST_EXPR || s->expr->kind != EX_CALL || !s->expr->text || strcmp(s->expr->text, "free") ||
      s->expr->args.len != 1)
    return false;
  Expr *arg = s->expr->args.items[0];
  while (arg->kind == EX_CAST)
    arg = arg->lhs;
  return arg->kind == EX_VAR && arg->var == h;
}

static bool mentions_any(const Expr *e, const Vec *vars) {
  for (int i = 0; i < vars->len; i++)
    if (expr_mentions(e, vars->items[i]))
      return true;
  return false;
}

/* The pointer variable an address expression starts from (p in p[i],
 * *(p + i), p + i), or NULL. */
static Var *address_var(Expr *e) {
  while (e) {
    if (e->kind == EX_VAR)
      return e->var->type->kind == TY_PTR ? e->var : NULL;
    if (e->kind == EX_CAST)
      e = e->lhs;
    else if (e->kind == EX_BINARY && (e->op == OP_ADD || e->op == OP_SUB))
      e = e->lhs->type->kind == TY_PTR ? e->lhs : e->op == OP_ADD ? e->rhs : NULL;
    else
      return NULL;
  }
  return NULL;
}

/* The block's element an lvalue denotes: p[i] or *(p + i) with p in vars. */
static bool is_block_element(Expr *e, const Vec *vars) {
  if (e->kind != EX_INDEX && e->kind != EX_DEREF)
    return false;
  Var *p = address_var(e->lhs);
  return p && vec_contains(vars, p);
}

/* An address computed without loads or calls: redone, it gives the same value. */
static bool address_only(Expr *e) {
  if (!e)
    return true;
  switch (e->kind) {
  case EX_VAR:
    return !e->var->is_global;
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_CAST:
  case EX_NEG:
  case EX_PLUS:
    return address_only(e->lhs);
  case EX_BINARY:
    return e->op != OP_COMMA && address_only(e->lhs) && address_only(e->rhs);
  case EX_ADDR:
    return e->lhs->kind == EX_INDEX && address_only(e->lhs->lhs) && address_only(e->lhs->rhs);
  default:
    return false;
  }
}

typedef struct {
  const Vec *vars;
  bool reads; /* loads from the block, or passes a pointer into it to a call */
  bool bad;   /* a jump, a return, a checkpointed or OpenMP loop, &p */
} Scan;

static WalkStep scan_expr(Expr *e, void *ctx) {
  Scan *sc = ctx;
  if (e->kind == EX_ASSIGN) {
    if (is_block_element(e->lhs, sc->vars)) { /* a store: the address's parts are read, not the element */
      if (e->op != OP_NONE)
        sc->reads = true;
      walk_expr(e->lhs->lhs, &(Walker){.expr_pre = scan_expr, .ctx = sc});
      if (e->lhs->kind == EX_INDEX)
        walk_expr(e->lhs->rhs, &(Walker){.expr_pre = scan_expr, .ctx = sc});
      walk_expr(e->rhs, &(Walker){.expr_pre = scan_expr, .ctx = sc});
      return WALK_SKIP;
    }
    return WALK_ON;
  }
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || e->kind == EX_INCDEC || e->kind == EX_MEMBER) &&
      mentions_any(e, sc->vars))
    sc->reads = true;
  if (e->kind == EX_CALL && mentions_any(e, sc->vars) && !(e->text && !strcmp(e->text, "free")))
    sc->reads = true;
  if (e->kind == EX_ADDR && e->lhs->kind == EX_VAR && vec_contains(sc->vars, e->lhs->var))
    sc->bad = true;
  /* a pointer into the block stored in memory (a table of row pointers) would outlive the free */
  if (e->kind == EX_ASSIGN && e->lhs->kind != EX_VAR && e->rhs->type && e->rhs->type->kind == TY_PTR &&
      mentions_any(e->rhs, sc->vars))
    sc->bad = true;
  if (e->kind == EX_CALL && e->call == CALL_RECURSIVE)
    sc->bad = true;
  return WALK_ON;
}

static WalkStep scan_stmt(Stmt *s, void *ctx) {
  Scan *sc = ctx;
  if (s->kind == ST_GOTO || s->kind == ST_LABEL || s->kind == ST_RETURN || s->kind == ST_BREAK ||
      s->kind == ST_CONTINUE || s->kind == ST_SWITCH || s->kind == ST_CASE || s->kind == ST_UNSUPPORTED ||
      s->checkpoint || s->omp)
    sc->bad = true;
  if (s->kind == ST_DECL && s->init && mentions_any(s->init, sc->vars))
    sc->bad = true;
  return WALK_ON;
}

static Scan scan(Stmt *s, const Vec *vars) {
  Scan sc = {.vars = vars};
  walk_stmt(s, &(Walker){.stmt_pre = scan_stmt, .expr_pre = scan_expr, .ctx = &sc});
  return sc;
}

/* The plain stores into the block in s, for the write phase. */
static WalkStep mark_store(Stmt *s, void *ctx) {
  const Vec *vars = ctx;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE &&
      is_block_element(s->expr->lhs, vars) && type_is_floating(s->expr->lhs->type))
    s->is_def = true;
  return WALK_ON;
}

static int index_of_assign(Vec *top, int from, int to, Var *p) {
  for (int i = from; i < to; i++) {
    Stmt *s = top->items[i];
    if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE && s->expr->lhs->kind == EX_VAR &&
        s->expr->lhs->var == p)
      return i;
  }
  return -1;
}

/* Pointer variables assigned, anywhere, from an expression naming one of vars. */
typedef struct {
  const Vec *vars;
  Vec found_list;
  bool grew;
} Grow;

static WalkStep grow_expr(Expr *e, void *ctx) {
  Grow *g = ctx;
  if (e->kind == EX_ASSIGN && e->lhs->kind == EX_VAR && e->lhs->var->type->kind == TY_PTR &&
      !vec_contains(g->vars, e->lhs->var) && mentions_any(e->rhs, g->vars)) {
    vec_add_unique(&g->found_list, e->lhs->var);
    g->grew = true;
  }
  return WALK_ON;
}

static bool local_pointer(const Var *v) {
  return v->param_index < 0 && !v->is_global && !v->is_static && v->type->kind == TY_PTR;
}

/* The region top[a..f] of the block h, if it qualifies. */
static ScopedBlock *try_block(Reverse *rv, Vec *top, int a) {
  Stmt *alloc = top->items[a];
  Var *h = alloc->expr->lhs->var;
  Type *elem = h->type->base;
  if (!local_pointer(h) || !elem || !type_is_floating(elem) || type_is_complex(elem) ||
      !(elem->kind == TY_DOUBLE || elem->kind == TY_FLOAT))
    return NULL;
  int f = -1;
  for (int i = a + 1; i < top->len && f < 0; i++)
    if (is_free_of(top->items[i], h))
      f = i;
  if (f < 0)
    return NULL;
  Stmt *body = rv->ad->f->body;
  /* h and the pointers into it, to a fixpoint over the whole function */
  Vec vars = {0};
  vec_push(&vars, h);
  bool ok = true;
  for (Grow g = {.vars = &vars, .grew = true}; ok && g.grew;) {
    g.grew = false;
    walk_stmt(body, &(Walker){.expr_pre = grow_expr, .ctx = &g});
    for (int i = 0; i < g.found_list.len && ok; i++) {
      Var *p = g.found_list.items[i];
      ok = index_of_assign(top, a + 1, f, p) >= 0;
      vec_add_unique(&vars, p);
    }
    free(g.found_list.items);
    g.found_list = (Vec){0};
  }
  ok = ok && stmt_count_assigns(body, h) == 1;
  int inside = 0;
  for (int i = a; i <= f; i++)
    inside += stmt_mention_count(top->items[i], h);
  ok = ok && inside == stmt_mention_count(body, h);
  ScopedBlock *b = xcalloc(1, sizeof(ScopedBlock));
  b->block = h;
  b->alloc = alloc;
  b->release = top->items[f];
  /* each pointer into it: assigned once, in the region, from an address */
  for (int k = 1; ok && k < vars.len; k++) {
    Var *p = vars.items[k];
    int at = index_of_assign(top, a + 1, f, p);
    Stmt *s = top->items[at];
    ok = local_pointer(p) && stmt_count_assigns(body, p) == 1 && address_only(s->expr->rhs) &&
         p->active == h->active;
    int in = 0;
    for (int i = a; i <= f; i++)
      in += stmt_mention_count(top->items[i], p);
    ok = ok && in == stmt_mention_count(body, p);
    /* what the address reads besides the block's pointers: not written in the region */
    Vec read = {0}, written = {0};
    expr_collect_vars(s->expr->rhs, &read);
    for (int i = a; i <= f; i++)
      stmt_assigned_vars(top->items[i], &written);
    for (int i = 0; ok && i < read.len; i++) {
      Var *v = read.items[i];
      int j = -1;
      for (int m = 0; m < vars.len; m++)
        j = vars.items[m] == v ? m : j;
      if (j >= 0)
        ok = j < k && index_of_assign(top, a + 1, f, v) < at; /* a pointer into the block set before */
      else
        ok = !vec_contains(&written, v);
    }
    free(read.items);
    free(written.items);
    if (ok)
      vec_push(&b->derived, s);
  }
  for (int i = a; ok && i <= f; i++)
    ok = !scan(top->items[i], &vars).bad;
  if (!ok) {
    free(vars.items);
    free(b->derived.items);
    free(b);
    return NULL;
  }
  /* the write phase: the fill before the first statement reading the block */
  for (int i = a + 1; i < f; i++) {
    Stmt *s = top->items[i];
    if (vec_contains(&b->derived, s))
      continue;
    if (scan(s, &vars).reads)
      break;
    walk_stmt(s, &(Walker){.stmt_pre = mark_store, .ctx = &vars});
  }
  b->vars = vars;
  return b;
}

static void find_in_loop(Reverse *rv, Stmt *loop) {
  Vec top = {0};
  stmt_flatten(loop->then, &top);
  for (int a = 0; a < top.len; a++) {
    Stmt *s = top.items[a];
    if (s->kind != ST_EXPR || s->expr->kind != EX_ASSIGN || s->expr->op != OP_NONE || s->expr->lhs->kind != EX_VAR ||
        !expr_is_alloc(s->expr->rhs))
      continue;
    ScopedBlock *b = try_block(rv, &top, a);
    if (!b)
      continue;
    b->bytes = ad_new_local(rv->ad, format("%s_bytes", b->block->name), type_size(), true);
    vec_push(&rv->scoped_blocks, b);
    ptr_set_add(&rv->scoped_stmts, b->alloc);
    ptr_set_add(&rv->scoped_stmts, b->release);
    for (int i = 0; i < b->derived.len; i++)
      ptr_set_add(&rv->scoped_stmts, b->derived.items[i]);
  }
  free(top.items);
}

static WalkStep find_pre(Stmt *s, void *ctx) {
  Reverse *rv = ctx;
  if (s->checkpoint || s->omp)
    return WALK_SKIP; /* nothing inside: their sweeps redo or split iterations */
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO)
    find_in_loop(rv, s);
  return WALK_ON;
}

void find_scoped_blocks(Reverse *rv) {
  if (rv->ad->split)
    return; /* a recursive function's sweeps are two functions: the block would cross */
  walk_stmt(rv->ad->f->body, &(Walker){.stmt_pre = find_pre, .ctx = rv});
}

static ScopedBlock *block_of(Reverse *rv, Stmt *s) {
  if (!ptr_set_contains(&rv->scoped_stmts, s))
    return NULL;
  for (int i = 0; i < rv->scoped_blocks.len; i++) {
    ScopedBlock *b = rv->scoped_blocks.items[i];
    if (b->alloc == s || b->release == s || vec_contains(&b->derived, s))
      return b;
  }
  return NULL;
}

static const char *stack_of(Var *h) { return h->type->base->kind == TY_FLOAT ? "f32" : "f64"; }

/* A size argument in size_t: a cast unless it has that type already. */
static Expr *as_size(Type *size_t_type, Expr *e) {
  while (e->kind == EX_CAST && e->implicit) /* the conversion to calloc's size_t prints as nothing */
    e = e->lhs;
  const char *name = e->type && type_is_integer(e->type) ? e->type->name : NULL;
  if (name && (!strcmp(name, "size_t") || !strcmp(name, "unsigned long")))
    return expr_copy(e);
  return expr_cast(size_t_type, expr_copy(e));
}

/* The allocation: its size kept for the free; no adjoint block yet. */
static void sweep_alloc(ScopedBlock *b, Stmt *s, Vec *fwd, Vec *rev) {
  Expr *call = s->expr->rhs;
  while (call->kind == EX_CAST)
    call = call->lhs;
  Type *size_t_type = b->bytes->type;
  Expr *size = as_size(size_t_type, call->args.items[0]);
  if (!strcmp(call->text, "calloc"))
    size = expr_binary(OP_MUL, size, as_size(size_t_type, call->args.items[1]), size_t_type);
  vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(b->bytes, s->loc), size)));
  /* calloc: the tape's copy of the block reads defined values */
  Expr *z = expr_call("calloc", s->expr->rhs->type, expr_num("1", type_int()), expr_var(b->bytes, s->loc));
  vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_copy(s->expr->lhs), z)));
  b->free_back = stmt_call("free", expr_var(b->block, s->loc));
  vec_push(rev, b->free_back);
  if (b->block->active)
    vec_push(rev, stmt_call("free", expr_var(b->block->adj, s->loc)));
}

/* The free: the block's contents onto the tape, then freed; backwards, a
 * copy, a zeroed adjoint block and the pointers into both again. */
static void sweep_free(Reverse *rv, ScopedBlock *b, Stmt *s, Vec *fwd, Vec *rev) {
  Var *h = b->block;
  Expr *push = tape_call(CALL_TAPE_OTHER, format("push_block_%s", stack_of(h)), type_void(), tape_ref(rv),
                         expr_var(h, s->loc));
  vec_push(&push->args, expr_var(b->bytes, s->loc));
  b->push = stmt_expr(push);
  vec_push(fwd, b->push);
  vec_push(fwd, stmt_call("free", expr_var(h, s->loc)));
  Expr *pop = tape_call(CALL_TAPE_OTHER, format("pop_block_%s", stack_of(h)), h->type, tape_ref(rv),
                        expr_addr_of_var(b->bytes));
  vec_push(rev, stmt_comment(format("%s: free(%s): the block back", ad_line_of(rv->ad, s->loc), var_spelling(h))));
  b->pop = stmt_expr(expr_assign(OP_NONE, expr_var(h, s->loc), pop));
  vec_push(rev, b->pop);
  if (h->active) {
    Expr *z = expr_call("calloc", h->adj->type, expr_var(b->bytes, s->loc), expr_num("1", type_int()));
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(h->adj, s->loc), z)));
  }
  for (int i = 0; i < b->derived.len; i++) {
    Stmt *d = b->derived.items[i];
    Expr *a = d->expr;
    Var *p = a->lhs->var;
    Stmt *redo = stmt_expr(expr_assign(OP_NONE, expr_copy(a->lhs), expr_copy(a->rhs)));
    vec_push(&b->redo, redo);
    vec_push(rev, redo);
    if (p->active)
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(p->adj, d->loc), adj_pointer(a->rhs, p->adj->type))));
  }
}

bool sweep_scoped(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  ScopedBlock *b = block_of(rv, s);
  if (!b)
    return false;
  if (s == b->alloc)
    sweep_alloc(b, s, fwd, rev);
  else if (s == b->release)
    sweep_free(rv, b, s, fwd, rev);
  else
    vec_push(fwd, s); /* a pointer into the block: set again where the reverse sweep gets it back */
  return true;
}

/* Whether e, or a statement of s, reads or writes an element through one
 * of vars, or passes one to a call. */
static WalkStep touch_expr(Expr *e, void *ctx) {
  const Vec *vars = ((void **)ctx)[0];
  bool *touched = ((void **)ctx)[1];
  if (e->kind == EX_ADDR)
    return WALK_SKIP; /* `p = &h[k]`: an address, no element */
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF) && address_var(e->lhs) && vec_contains(vars, address_var(e->lhs)))
    *touched = true;
  if (e->kind == EX_CALL && !(e->text && !strcmp(e->text, "free")) && mentions_any(e, vars))
    *touched = true;
  return *touched ? WALK_STOP : WALK_ON;
}

void scoped_blocks_settle(Reverse *rv, Stmt *rev) {
  for (int i = 0; i < rv->scoped_blocks.len; i++) {
    ScopedBlock *b = rv->scoped_blocks.items[i];
    if (!b->push)
      continue; /* not swept (dead code) */
    bool touched = false;
    void *ctx[2] = {&b->vars, &touched};
    walk_stmt(rev, &(Walker){.expr_pre = touch_expr, .ctx = ctx});
    if (touched)
      continue;
    Expr *bytes = b->push->expr->args.items[2];
    b->push->expr = tape_call(CALL_TAPE_OTHER, "push_size", type_void(), tape_ref(rv), bytes);
    b->pop->expr = expr_assign(OP_NONE, expr_var(b->bytes, b->pop->loc),
                               tape_call(CALL_TAPE_OTHER, "pop_size", b->bytes->type, tape_ref(rv), NULL));
    b->free_back->kind = ST_EMPTY;
    for (int k = 0; k < b->redo.len; k++)
      ((Stmt *)b->redo.items[k])->kind = ST_EMPTY;
  }
}
