/* First stores into fresh heap memory: `h = calloc(...)` or `h = malloc(...)`
 * (the forward sweep turns malloc into calloc, and a VLA is lowered to a
 * calloc), then `for (i = ...; ...; i += 1) ... h[i] = v;`.  Each element's
 * old value at that store is 0, so the reverse sweep puts 0 back instead of
 * popping a saved copy.  The rule is narrow on purpose: h is a local pointer
 * assigned only by its allocation and otherwise used only as h[...] or
 * free(h); the loop is at the function's top level, nothing between the
 * allocation and the loop mentions h, the loop's index only grows by one
 * (never written in the body), and the store is the loop's only write into
 * h, not inside an inner loop.  No goto in the function. */
#include "reverse.h"

#include <string.h>

typedef struct {
  Var *base;
  int mentions, indexed, freed; /* EX_VAR base: all, as h[...], as free(h) */
  Var *index;
  int writes, inner_loops;
  Stmt *store, *current;
  bool store_nested, index_written, has_goto, escapes;
} Uses;

static bool is_var(const Expr *e, const Var *v) { return e && e->kind == EX_VAR && e->var == v; }

static WalkStep count_use(Expr *e, void *ctx) {
  Uses *u = ctx;
  if (is_var(e, u->base))
    u->mentions++;
  if (e->kind == EX_INDEX && is_var(e->lhs, u->base))
    u->indexed++;
  if (e->kind == EX_ADDR && (lvalue_root(e->lhs) == u->base || (u->index && is_var(e->lhs, u->index))))
    u->escapes = true; /* &h[k] or &i: another pointer may write them */
  if (e->kind == EX_CALL && e->text && !strcmp(e->text, "free") && e->args.len == 1 && is_var(e->args.items[0], u->base))
    u->freed++;
  return WALK_ON;
}

static int mentions_of(Stmt *s, Expr *e, Uses *u) {
  u->mentions = u->indexed = u->freed = 0;
  Walker w = {.expr_pre = count_use, .ctx = u};
  if (s)
    walk_stmt(s, &w);
  if (e)
    walk_expr(e, &w);
  return u->mentions;
}

static WalkStep find_goto(Stmt *s, void *ctx) {
  if (s->kind == ST_GOTO || s->kind == ST_LABEL)
    ((Uses *)ctx)->has_goto = true;
  return WALK_ON;
}

static WalkStep body_stmt_pre(Stmt *s, void *ctx) {
  Uses *u = ctx;
  u->current = s;
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO)
    u->inner_loops++;
  return WALK_ON;
}

static void body_stmt_post(Stmt *s, void *ctx) {
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO)
    ((Uses *)ctx)->inner_loops--;
}

static WalkStep body_expr(Expr *e, void *ctx) {
  Uses *u = ctx;
  Expr *target = e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_ADDR ? e->lhs : NULL;
  if (!target)
    return WALK_ON;
  if (is_var(target, u->index))
    u->index_written = true;
  if (lvalue_root(target) == u->base) {
    u->writes++;
    Stmt *s = u->current;
    bool plain = e->kind == EX_ASSIGN && e->op == OP_NONE && s->kind == ST_EXPR && s->expr == e &&
                 target->kind == EX_INDEX && is_var(target->lhs, u->base) && is_var(target->rhs, u->index);
    if (plain && !u->store) {
      u->store = s;
      u->store_nested = u->inner_loops > 0;
    }
  }
  return WALK_ON;
}

/* The loop's index when it starts at some value and only grows by one. */
static Var *growing_index(Stmt *loop) {
  Stmt *init = loop->for_init;
  Expr *step = loop->step;
  if (!init || init->kind != ST_EXPR || init->expr->kind != EX_ASSIGN || init->expr->op != OP_NONE ||
      init->expr->lhs->kind != EX_VAR || !step)
    return NULL;
  Var *i = init->expr->lhs->var;
  /* signed (overflow is undefined) or 64-bit: the index never wraps to a value it had */
  static const char *const never_wrap[] = {"int", "long", "long long", "size_t", "unsigned long", "ptrdiff_t"};
  bool wide = false;
  for (size_t k = 0; k < sizeof never_wrap / sizeof *never_wrap; k++)
    wide |= i->type->kind != TY_PTR && i->type->name && !strcmp(i->type->name, never_wrap[k]);
  if (!type_is_integer(i->type) || !wide || i->is_global)
    return NULL;
  bool by_one = (step->kind == EX_ASSIGN && step->op == OP_ADD && is_var(step->lhs, i) && step->rhs->kind == EX_NUM &&
                 !strcmp(step->rhs->text, "1")) ||
                (step->kind == EX_INCDEC && step->increment && is_var(step->lhs, i));
  return by_one ? i : NULL;
}

/* Allocation statement k of the top level: the first store it feeds, if any. */
static Stmt *first_store_after(Vec *top, int k, Var *base) {
  Uses u = {.base = base};
  int total = 0, allowed = 0;
  for (int j = 0; j < top->len; j++) {
    total += mentions_of(top->items[j], NULL, &u);
    allowed += u.indexed + u.freed;
  }
  if (total != allowed + 1 || u.escapes) /* the allocation's own `h =` */
    return NULL;
  for (int j = k + 1; j < top->len; j++) {
    Stmt *loop = top->items[j];
    if (!mentions_of(loop, NULL, &u))
      continue;
    while (loop->kind == ST_BLOCK) { /* `{ int i; for (...) ... }`: the one part that mentions h */
      Stmt *only = NULL;
      for (int m = 0; m < loop->body.len; m++)
        if (mentions_of(loop->body.items[m], NULL, &u)) {
          if (only)
            return NULL;
          only = loop->body.items[m];
        }
      loop = only;
    }
    if (loop->kind != ST_FOR || loop->checkpoint || !(u.index = growing_index(loop)) ||
        mentions_of(NULL, loop->expr, &u) || mentions_of(NULL, loop->step, &u) || mentions_of(loop->for_init, NULL, &u))
      return NULL;
    for (int m = 0; m < top->len; m++)
      mentions_of(top->items[m], NULL, &u); /* &i anywhere */
    if (u.escapes)
      return NULL;
    walk_stmt(loop->then, &(Walker){.stmt_pre = body_stmt_pre, .stmt_post = body_stmt_post, .expr_pre = body_expr,
                                    .ctx = &u});
    bool first = u.store && u.writes == 1 && !u.store_nested && !u.index_written &&
                 type_is_floating(u.store->expr->lhs->type);
    return first ? u.store : NULL;
  }
  return NULL;
}

void find_first_stores(Reverse *rv) {
  Stmt *body = rv->ad->f->body;
  Uses g = {0};
  walk_stmt(body, &(Walker){.stmt_pre = find_goto, .ctx = &g});
  if (g.has_goto || body->kind != ST_BLOCK)
    return;
  Vec *top = &body->body;
  for (int k = 0; k < top->len; k++) {
    Stmt *s = top->items[k];
    Expr *a = s->kind == ST_EXPR ? s->expr : NULL;
    if (!a || a->kind != EX_ASSIGN || a->op != OP_NONE || a->lhs->kind != EX_VAR || !expr_is_alloc(a->rhs))
      continue;
    Var *base = a->lhs->var;
    if (base->param_index >= 0 || base->is_global || base->is_static || base->type->kind != TY_PTR)
      continue;
    Stmt *store = first_store_after(top, k, base);
    if (store)
      ptr_set_add(&rv->first_stores, store);
  }
}

/* The slot of a first store: nothing saved, 0 put back. */
void restore_zero(Slot *slot, Expr *lhs) {
  slot->save = stmt_block(lhs->loc);
  slot->save->slot = slot;
  slot->restore = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), expr_num("0", type_int())));
  slot->restore->slot = slot;
}
