/* The one walk over the IR: every statement inside a statement, every
 * expression inside a statement or expression, each visited before
 * (pre: may skip the children, or stop the whole walk) and after (post)
 * its children.  The order is fixed, and analyses that collect in order
 * rely on it: a statement's expressions (expr, init, step), then its
 * statements (body, then, els, for_init -- a for's init after its body);
 * an expression's lhs, rhs, cond, then args.  The ad/ annotations (a
 * loop's trips, a call's cache) are not children. */
#include "vgradcc.h"

bool walk_expr(Expr *e, const Walker *w) {
  if (!e)
    return true;
  WalkStep step = w->expr_pre ? w->expr_pre(e, w->ctx) : WALK_ON;
  if (step == WALK_STOP)
    return false;
  if (step == WALK_SKIP)
    return true;
  if (!walk_expr(e->lhs, w) || !walk_expr(e->rhs, w) || !walk_expr(e->cond, w))
    return false;
  for (int i = 0; i < e->args.len; i++)
    if (!walk_expr(e->args.items[i], w))
      return false;
  if (w->expr_post)
    w->expr_post(e, w->ctx);
  return true;
}

bool walk_stmt(Stmt *s, const Walker *w) {
  if (!s)
    return true;
  WalkStep step = w->stmt_pre ? w->stmt_pre(s, w->ctx) : WALK_ON;
  if (step == WALK_STOP)
    return false;
  if (step == WALK_SKIP)
    return true;
  if (w->expr_pre || w->expr_post)
    if (!walk_expr(s->expr, w) || !walk_expr(s->init, w) || !walk_expr(s->step, w))
      return false;
  for (int i = 0; i < s->body.len; i++)
    if (!walk_stmt(s->body.items[i], w))
      return false;
  if (!walk_stmt(s->then, w) || !walk_stmt(s->els, w) || !walk_stmt(s->for_init, w))
    return false;
  if (w->stmt_post)
    w->stmt_post(s, w->ctx);
  return true;
}
