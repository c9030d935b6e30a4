/* Optional arrays: which pointer parameters the function tests against
 * NULL (`if (bias != NULL)`, `if (!bias)`, `bias ? bias[o] : 0`, a helper
 * that tests the pointer it was passed).  The caller may pass NULL for
 * those (design 1.7), and then NULL for their gradient too: the generated
 * code takes the branches the original takes, so it touches neither.  The
 * guards at the top of the generated function (reverse.c) use this: two
 * such arguments that are both NULL are not one array, and a gradient
 * buffer left NULL for an array that is not is the caller's error. */
#include "ad.h"

#include <string.h>

/* e is p, or a pointer variable into p's memory (an inlined helper's
 * parameter, `brow = bias + o * k`), conversions between pointers aside;
 * a parameter `double bias[]` is a pointer too. */
static bool points_into(const Expr *e, const Var *p) {
  while (e->kind == EX_CAST && e->type->kind == TY_PTR)
    e = e->lhs;
  return e->kind == EX_VAR && (e->type->kind == TY_PTR || e->type->kind == TY_ARRAY) &&
         (e->var == p || e->var->base == p);
}

/* e asks whether p is NULL: compares it with a null pointer constant, or
 * takes its truth value (`!p`, `p && c`, `p ? a : b`, `(_Bool)p`). */
static bool tests_null(const Expr *e, const Var *p) {
  switch (e->kind) {
  case EX_NOT:
    return points_into(e->lhs, p);
  case EX_COND:
    return points_into(e->cond, p);
  case EX_CAST:
    return e->type->kind != TY_PTR && points_into(e->lhs, p);
  case EX_BINARY:
    if (e->op == OP_LAND || e->op == OP_LOR)
      return points_into(e->lhs, p) || points_into(e->rhs, p);
    if (e->op == OP_EQ || e->op == OP_NE)
      return (points_into(e->lhs, p) && expr_is_null_pointer(e->rhs)) ||
             (points_into(e->rhs, p) && expr_is_null_pointer(e->lhs));
    return false;
  default:
    return false;
  }
}

typedef struct {
  const Var *param;
  bool found;
} NullSearch;

/* `if (p)`, `while (p)`: a condition that is the pointer itself. */
static WalkStep bare_condition(Stmt *s, void *ctx) {
  NullSearch *search = ctx;
  bool condition = s->kind == ST_IF || s->kind == ST_WHILE || s->kind == ST_DO || s->kind == ST_FOR;
  if (condition && s->expr && points_into(s->expr, search->param)) {
    search->found = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

/* assert(p) says p is never NULL: it makes no optional array. */
static WalkStep null_test(Expr *e, void *ctx) {
  NullSearch *search = ctx;
  if (e->kind == EX_CALL && !strcmp(e->text, "assert"))
    return WALK_SKIP;
  if (tests_null(e, search->param)) {
    search->found = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

bool ad_null_tested(Ad *ad, const Var *param) {
  if (param->type->kind != TY_PTR && param->type->kind != TY_ARRAY)
    return false;
  NullSearch search = {param, false};
  walk_stmt(ad->f->body, &(Walker){.stmt_pre = bare_condition, .expr_pre = null_test, .ctx = &search});
  return search.found;
}
