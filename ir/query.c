/* Queries on statements and expressions that several stages ask: which
 * variables a statement assigns or mentions, which memory it writes, how
 * often a variable is used or assigned, a counted loop's bound and whether
 * it stays invariant, an integer literal's value. */
#include "vgradcc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool expr_is_alloc(Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  return e->kind == EX_CALL && (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc"));
}

int expr_count_uses(Expr *e, Var *v) {
  if (!e)
    return 0;
  int n = e->kind == EX_VAR && e->var == v;
  n += expr_count_uses(e->lhs, v) + expr_count_uses(e->rhs, v) + expr_count_uses(e->cond, v);
  for (int i = 0; i < e->args.len; i++)
    n += expr_count_uses(e->args.items[i], v);
  return n;
}

int stmt_count_uses(Stmt *s, Var *v) {
  if (!s)
    return 0;
  int n = expr_count_uses(s->expr, v) + expr_count_uses(s->init, v) + expr_count_uses(s->step, v);
  for (int i = 0; i < s->body.len; i++)
    n += stmt_count_uses(s->body.items[i], v);
  return n + stmt_count_uses(s->then, v) + stmt_count_uses(s->els, v);
}

void stmt_collect_vars(Stmt *s, Vec *out) {
  if (!s || s->slot || s->kind == ST_EMPTY)
    return;
  expr_collect_vars(s->expr, out);
  expr_collect_vars(s->init, out);
  expr_collect_vars(s->step, out);
  for (int i = 0; i < s->body.len; i++)
    stmt_collect_vars(s->body.items[i], out);
  stmt_collect_vars(s->then, out);
  stmt_collect_vars(s->els, out);
}

void stmt_flatten(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      stmt_flatten(s->body.items[i], out);
    return;
  }
  vec_push(out, s);
}

int stmt_count_assigns(Stmt *s, Var *v) {
  if (!s)
    return 0;
  int n = 0;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->var == v)
    n++;
  if (s->kind == ST_FOR && s->var == v)
    n += 2;
  for (int i = 0; i < s->body.len; i++)
    n += stmt_count_assigns(s->body.items[i], v);
  return n + stmt_count_assigns(s->then, v) + stmt_count_assigns(s->els, v);
}

/* Memory bases written anywhere in the function. */
void stmt_written_bases(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs))
    vec_add_unique(out, lvalue_root(s->expr->lhs));
  for (int i = 0; i < s->body.len; i++)
    stmt_written_bases(s->body.items[i], out);
  stmt_written_bases(s->then, out);
  stmt_written_bases(s->els, out);
}

/* Variables whose value (not the memory they point to) the loop body assigns. */
void stmt_assigned_vars(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && !lvalue_is_memory(s->expr->lhs)) {
    Var *v = lvalue_root(s->expr->lhs);
    if (v)
      vec_add_unique(out, v);
  }
  if (s->kind == ST_FOR && s->var)
    vec_add_unique(out, s->var);
  for (int i = 0; i < s->body.len; i++)
    stmt_assigned_vars(s->body.items[i], out);
  stmt_assigned_vars(s->then, out);
  stmt_assigned_vars(s->els, out);
}

/* Statements of s and inside it that mention v. */
int stmt_mention_count(Stmt *s, Var *v) {
  if (!s || s->kind == ST_EMPTY)
    return 0;
  int n = expr_mentions(s->expr, v) || expr_mentions(s->init, v) || expr_mentions(s->step, v);
  for (int i = 0; i < s->body.len; i++)
    n += stmt_mention_count(s->body.items[i], v);
  return n + stmt_mention_count(s->then, v) + stmt_mention_count(s->els, v);
}

/* Var.mentions of every variable, from one walk before the sweeps (which
 * add statements of their own but leave the primal's as they are): a
 * walk of the whole function per loop was quadratic. */
void stmt_set_mentions(Stmt *s, bool reset) {
  if (!s || s->kind == ST_EMPTY)
    return;
  Vec vars = {0};
  expr_collect_vars(s->expr, &vars);
  expr_collect_vars(s->init, &vars);
  expr_collect_vars(s->step, &vars);
  for (int i = 0; i < vars.len; i++) {
    bool again = false; /* mentioned by two of expr, init and step: one statement */
    for (int j = 0; j < i; j++)
      again |= vars.items[j] == vars.items[i];
    Var *v = vars.items[i];
    if (reset) /* globals are shared by the derivatives of the file */
      v->mentions = 0;
    else if (!again)
      v->mentions++;
  }
  free(vars.items);
  for (int i = 0; i < s->body.len; i++)
    stmt_set_mentions(s->body.items[i], reset);
  stmt_set_mentions(s->then, reset);
  stmt_set_mentions(s->els, reset);
}

bool mentioned_outside_walk(Stmt *root, Stmt *skip, Var *v) {
  if (!root || root == skip || root->kind == ST_EMPTY)
    return false;
  if (expr_mentions(root->expr, v) || expr_mentions(root->init, v) || expr_mentions(root->step, v))
    return true;
  if (root->kind == ST_DECL && root->var == v)
    return false;
  for (int i = 0; i < root->body.len; i++)
    if (mentioned_outside_walk(root->body.items[i], skip, v))
      return true;
  return mentioned_outside_walk(root->then, skip, v) || mentioned_outside_walk(root->els, skip, v);
}

/* Whether a statement of the function outside `skip` mentions v. */
bool mentioned_outside(Stmt *skip, Var *v) { return v->mentions > stmt_mention_count(skip, v); }

/* The bound of a counted loop's condition, implicit casts removed, and the
 * comparison turned so that the counter stands on its left (`n > i` gives
 * n and <); NULL when the counter stands on neither side. */
Expr *loop_bound(Stmt *s, BinOp *cmp) {
  Expr *c = s->expr;
  Expr *l = c->lhs, *r = c->rhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  while (r->kind == EX_CAST && r->implicit)
    r = r->lhs;
  *cmp = c->op;
  if (l->kind == EX_VAR && l->var == s->var)
    return r;
  if (r->kind != EX_VAR || r->var != s->var)
    return NULL;
  *cmp = *cmp == OP_LT ? OP_GT : *cmp == OP_GT ? OP_LT : *cmp == OP_LE ? OP_GE : *cmp == OP_GE ? OP_LE : *cmp;
  return l;
}

bool expr_is_zero(Expr *e) { return e->kind == EX_NUM && !strcmp(e->text, "0"); }

/* Scalars, constants and arithmetic on them, none of it written by `body`. */
bool loop_invariant_bound(Expr *e, Stmt *body) {
  if (!e)
    return false;
  switch (e->kind) {
  case EX_NUM:
    return true;
  case EX_VAR:
    return !e->var->is_global && type_is_integer(e->var->type) && stmt_count_assigns(body, e->var) == 0;
  case EX_CAST:
    return loop_invariant_bound(e->lhs, body);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && loop_invariant_bound(e->lhs, body) &&
           loop_invariant_bound(e->rhs, body);
  default:
    return false;
  }
}

/* The value of an integer literal as C reads it (decimal, octal or hex,
 * suffixes u and l); false for anything else ('a', 1e3, 0b1, too large),
 * whose value the generated code computes instead. */
bool integer_literal(const char *text, long *value) {
  if (!text || !((text[0] >= '0' && text[0] <= '9') || text[0] == '-'))
    return false;
  char *end;
  errno = 0;
  *value = strtol(text, &end, 0);
  if (errno || end == text)
    return false;
  end += strspn(end, "uUlL");
  return *end == '\0';
}

bool stmt_uses(Stmt *s, Var *v) {
  if (!s || s->kind == ST_EMPTY)
    return false;
  if (s->kind != ST_DECL && (expr_mentions(s->expr, v) || expr_mentions(s->step, v)))
    return true;
  if (s->kind == ST_DECL && s->var != v && expr_mentions(s->init, v))
    return true;
  for (int i = 0; i < s->body.len; i++)
    if (stmt_uses(s->body.items[i], v))
      return true;
  return stmt_uses(s->then, v) || stmt_uses(s->els, v);
}

/* Variables the normalised body assigns. */
void stmt_assigned_roots(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN)
    vec_push(out, lvalue_root(s->expr->lhs));
  for (int i = 0; i < s->body.len; i++)
    stmt_assigned_roots(s->body.items[i], out);
  stmt_assigned_roots(s->then, out);
  stmt_assigned_roots(s->els, out);
}

bool expr_is_tape_call(const Expr *e) {
  return e->kind == EX_CALL && e->call >= CALL_TAPE_PUSH && e->call <= CALL_TAPE_OTHER;
}
