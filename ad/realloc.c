/* `p = realloc(q, bytes)` of floating data, before lowering: a new block
 * and a copy of what it keeps, the old block freed as free() is (the
 * reverse sweep frees it where it was allocated, after it has added the
 * new block's adjoint back into the old one's):
 *
 *   { double *realloc_old = q;
 *     long realloc_bytes = (long)(bytes);
 *     long realloc_count = (q_bytes < realloc_bytes ? q_bytes : realloc_bytes) / (long)sizeof *p;
 *     p = malloc((size_t)realloc_bytes);
 *     for (long realloc_i = 0; realloc_i < realloc_count; realloc_i++)
 *       p[realloc_i] = realloc_old[realloc_i];
 *     free(realloc_old);
 *     p_bytes = realloc_bytes; }
 *
 * q_bytes, the size of the block q holds, is kept beside every local
 * pointer that q's blocks pass through in this body (assigned only from
 * malloc, calloc, realloc, NULL or one another): refused when one is
 * set otherwise.  Other reallocs (`*pp = realloc(...)`) stay and are
 * refused by normalize.c. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Ad *ad;
  Vec family;   /* Var*: pointers whose block sizes are kept: those realloc'd, and what is copied into them */
  Vec bytes;    /* Var*: the size variable of family[i] */
  Vec reallocs; /* Expr*: the `p = realloc(q, n)` assignments rewritten */
  PtrSet made;  /* Stmt*: the blocks that replace them */
} Realloc;

static Expr *strip_casts(Expr *e) {
  while (e && e->kind == EX_CAST)
    e = e->lhs;
  return e;
}

static bool is_call_to(Expr *e, const char *name) {
  e = strip_casts(e);
  return e && e->kind == EX_CALL && e->text && !strcmp(e->text, name);
}

/* `p = realloc(q, n)`, p and q local pointers to floating data (q may be NULL). */
static bool is_realloc_assign(Expr *e) {
  if (!e || e->kind != EX_ASSIGN || e->op != OP_NONE || e->lhs->kind != EX_VAR || !is_call_to(e->rhs, "realloc"))
    return false;
  Var *p = e->lhs->var;
  Expr *call = strip_casts(e->rhs);
  if (call->args.len != 2 || p->param_index >= 0 || p->is_global || p->type->kind != TY_PTR ||
      !type_is_floating(p->type->base))
    return false;
  Expr *q = strip_casts(call->args.items[0]);
  return expr_is_null_pointer(q) ||
         (q->kind == EX_VAR && q->var->param_index < 0 && !q->var->is_global && q->var->type->kind == TY_PTR);
}

static int family_index(Realloc *r, const Var *v) {
  for (int i = 0; i < r->family.len; i++)
    if (r->family.items[i] == v)
      return i;
  return -1;
}

/* A value whose block size is known: an allocation, NULL, or a family pointer. */
static bool sized_value(Realloc *r, Expr *e) {
  Expr *s = strip_casts(e);
  if (is_call_to(s, "malloc") || is_call_to(s, "calloc") || is_call_to(s, "realloc") || expr_is_null_pointer(s))
    return true;
  return s->kind == EX_VAR && family_index(r, s->var) >= 0;
}

typedef struct {
  Realloc *r;
  Var *v;
  bool unsized; /* v is assigned something of unknown size */
  bool changed;
  Expr *what;   /* that value, when there is one */
} Assigns;

static WalkStep check_assigns(Stmt *s, void *ctx) {
  Assigns *a = ctx;
  if (s->kind == ST_DECL && s->var == a->v && s->init && !sized_value(a->r, s->init)) {
    a->unsized = true;
    a->what = s->init;
  }
  return WALK_ON;
}

static WalkStep check_assign_exprs(Expr *e, void *ctx) {
  Assigns *a = ctx;
  if (e->kind == EX_ASSIGN && strip_casts(e->lhs)->kind == EX_VAR && strip_casts(e->lhs)->var == a->v &&
      (e->op != OP_NONE || !sized_value(a->r, e->rhs))) {
    a->unsized = true;
    a->what = e->rhs;
  }
  if (e->kind == EX_INCDEC && strip_casts(e->lhs)->kind == EX_VAR && strip_casts(e->lhs)->var == a->v)
    a->unsized = true;
  if (e->kind == EX_ADDR && strip_casts(e->lhs)->kind == EX_VAR && strip_casts(e->lhs)->var == a->v)
    a->unsized = true; /* written through &p: not followed */
  return WALK_ON;
}

static bool all_assigns_sized(Realloc *r, Stmt *body, Var *v, Expr **what) {
  Assigns a = {r, v, false, false, NULL};
  walk_stmt(body, &(Walker){.stmt_pre = check_assigns, .expr_pre = check_assign_exprs, .ctx = &a});
  *what = a.what;
  return !a.unsized;
}

/* The pointers copied into a family pointer join the family too. */
static WalkStep add_sources(Expr *e, void *ctx) {
  Assigns *a = ctx;
  if (e->kind != EX_ASSIGN || e->op != OP_NONE || strip_casts(e->lhs)->kind != EX_VAR ||
      family_index(a->r, strip_casts(e->lhs)->var) < 0)
    return WALK_ON;
  Expr *rhs = strip_casts(e->rhs);
  if (is_call_to(rhs, "realloc"))
    rhs = strip_casts(rhs->args.items[0]);
  if (rhs->kind == EX_VAR && rhs->var->type->kind == TY_PTR && family_index(a->r, rhs->var) < 0) {
    vec_push(&a->r->family, rhs->var);
    a->changed = true;
  }
  return WALK_ON;
}

static WalkStep add_decl_sources(Stmt *s, void *ctx) {
  Assigns *a = ctx;
  if (s->kind == ST_DECL && s->init && family_index(a->r, s->var) >= 0) {
    Expr *rhs = strip_casts(s->init);
    if (rhs->kind == EX_VAR && rhs->var->type->kind == TY_PTR && family_index(a->r, rhs->var) < 0) {
      vec_push(&a->r->family, rhs->var);
      a->changed = true;
    }
  }
  return WALK_ON;
}

static WalkStep find_reallocs(Expr *e, void *ctx) {
  Realloc *r = ctx;
  if (!is_realloc_assign(e))
    return WALK_ON;
  vec_push(&r->reallocs, e);
  Expr *q = strip_casts(((Expr *)strip_casts(e->rhs))->args.items[0]);
  if (q->kind == EX_VAR)
    vec_add_unique(&r->family, q->var);
  return WALK_ON;
}

static Var *new_var(Realloc *r, const char *base, Type *t, Loc loc) {
  Var *v = var_local(ad_fresh_name(r->ad, base), t);
  v->loc = loc;
  vec_push(&r->ad->f->locals, v);
  return v;
}

static Stmt *decl(Var *v, Expr *init, Loc loc) {
  Stmt *d = new_stmt(ST_DECL, loc);
  d->var = v;
  d->init = init;
  return d;
}

static Stmt *assign(Expr *lhs, Expr *rhs, Loc loc) {
  Stmt *s = stmt_expr(expr_assign(OP_NONE, lhs, rhs));
  s->loc = loc;
  return s;
}

static Expr *as_long(Expr *e) { return expr_cast(type_long(), e); }

/* The size in bytes of the block the value e gives (an allocation, NULL,
 * or a family pointer: its size variable). */
static Expr *size_of_value(Realloc *r, Expr *e) {
  Expr *s = strip_casts(e);
  if (is_call_to(s, "malloc") && s->args.len == 1)
    return as_long(expr_copy(s->args.items[0]));
  if (is_call_to(s, "calloc") && s->args.len == 2)
    return expr_binary(OP_MUL, as_long(expr_copy(s->args.items[0])), as_long(expr_copy(s->args.items[1])),
                       type_long());
  if (s->kind == EX_VAR && family_index(r, s->var) >= 0)
    return expr_var(r->bytes.items[family_index(r, s->var)], e->loc);
  return expr_num("0", type_long());
}

static Stmt *lower_one(Realloc *r, Stmt *s) {
  Expr *a = s->expr;
  Loc loc = s->loc;
  Var *p = a->lhs->var;
  Expr *call = strip_casts(a->rhs);
  Expr *q = strip_casts(call->args.items[0]);
  Type *elem = p->type->base;
  Stmt *b = stmt_block(loc);
  Var *bytes = new_var(r, "realloc_bytes", type_long(), loc);
  vec_push(&b->body, decl(bytes, as_long(expr_copy(call->args.items[1])), loc));
  Expr *alloc = expr_call("malloc", p->type, expr_cast(type_named("size_t"), expr_var(bytes, loc)), NULL);
  alloc->loc = loc;
  alloc->system_callee = true;
  if (expr_is_null_pointer(q)) {
    vec_push(&b->body, assign(expr_var(p, loc), alloc, loc));
  } else {
    Var *old = new_var(r, "realloc_old", type_unqualified(p->type), loc);
    vec_push(&b->body, decl(old, expr_var(q->var, loc), loc));
    Expr *old_bytes = expr_var(r->bytes.items[family_index(r, q->var)], loc);
    Expr *fewer = new_expr(EX_COND, type_long(), loc);
    fewer->cond = expr_binary(OP_LT, old_bytes, expr_var(bytes, loc), type_int());
    fewer->lhs = expr_copy(old_bytes);
    fewer->rhs = expr_var(bytes, loc);
    Expr *size = expr_cast(type_long(), new_expr(EX_SIZEOF, type_named("size_t"), loc));
    size->lhs->text = format("sizeof(%s)", declare(type_unqualified(elem), ""));
    size->lhs->sizeof_bytes = type_scalar_bytes(elem);
    size->lhs->sizeof_type = elem;
    Var *count = new_var(r, "realloc_count", type_long(), loc);
    vec_push(&b->body, decl(count, expr_binary(OP_DIV, fewer, size, type_long()), loc));
    vec_push(&b->body, assign(expr_var(p, loc), alloc, loc));
    Var *i = new_var(r, "realloc_i", type_long(), loc);
    Stmt *loop = new_stmt(ST_FOR, loc);
    loop->for_init = decl(i, expr_num("0", type_long()), loc);
    loop->expr = expr_binary(OP_LT, expr_var(i, loc), expr_var(count, loc), type_int());
    Expr *step = new_expr(EX_INCDEC, type_long(), loc);
    step->lhs = expr_var(i, loc);
    step->increment = true;
    loop->step = step;
    Expr *dst = new_expr(EX_INDEX, elem, loc);
    dst->lhs = expr_var(p, loc);
    dst->rhs = expr_var(i, loc);
    Expr *src = new_expr(EX_INDEX, elem, loc);
    src->lhs = expr_var(old, loc);
    src->rhs = expr_var(i, loc);
    Stmt *body = stmt_block(loc);
    vec_push(&body->body, assign(dst, src, loc));
    loop->then = body;
    vec_push(&b->body, loop);
    Stmt *f = stmt_call("free", expr_var(old, loc));
    f->loc = loc;
    ((Expr *)f->expr)->system_callee = true;
    vec_push(&b->body, f);
  }
  if (family_index(r, p) >= 0) /* realloc'd again */
    vec_push(&b->body, assign(expr_var(r->bytes.items[family_index(r, p)], loc), expr_var(bytes, loc), loc));
  return b;
}

/* After each assignment of a family pointer, its size; reallocs lowered. */
static void rewrite_list(Realloc *r, Vec *list) {
  Vec out = {0};
  for (int i = 0; i < list->len; i++) {
    Stmt *s = list->items[i];
    if (s->kind == ST_EXPR && vec_contains(&r->reallocs, s->expr)) {
      Stmt *b = lower_one(r, s);
      ptr_set_add(&r->made, b);
      vec_push(&out, b);
      continue;
    }
    vec_push(&out, s);
    Var *v = NULL;
    Expr *value = NULL;
    if (s->kind == ST_DECL && s->init && family_index(r, s->var) >= 0)
      v = s->var, value = s->init;
    if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && strip_casts(s->expr->lhs)->kind == EX_VAR &&
        family_index(r, strip_casts(s->expr->lhs)->var) >= 0)
      v = strip_casts(s->expr->lhs)->var, value = s->expr->rhs;
    if (v)
      vec_push(&out, assign(expr_var(r->bytes.items[family_index(r, v)], s->loc), size_of_value(r, value), s->loc));
  }
  free(list->items);
  *list = out;
}

static WalkStep rewrite_block(Stmt *s, void *ctx) {
  Realloc *r = ctx;
  if (ptr_set_contains(&r->made, s))
    return WALK_SKIP;
  if (s->kind == ST_BLOCK)
    rewrite_list(r, &s->body);
  return WALK_ON;
}

/* `double *p = realloc(q, n);` as a declaration and an assignment. */
static WalkStep split_decls(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *d = s->body.items[i];
    if (d->kind != ST_DECL || !d->init || !is_call_to(d->init, "realloc"))
      continue;
    Stmt *a = assign(expr_var(d->var, d->loc), d->init, d->loc);
    d->init = NULL;
    if (!is_realloc_assign(a->expr)) {
      d->init = a->expr->rhs;
      continue;
    }
    vec_insert_at(&s->body, i + 1, a);
  }
  return WALK_ON;
}

bool ad_lower_realloc(Ad *ad, Stmt *body) {
  Realloc r = {.ad = ad};
  walk_stmt(body, &(Walker){.stmt_pre = split_decls});
  walk_stmt(body, &(Walker){.expr_pre = find_reallocs, .ctx = &r});
  if (!r.reallocs.len)
    return true;
  for (bool changed = true; changed;) {
    Assigns a = {.r = &r};
    walk_stmt(body, &(Walker){.stmt_pre = add_decl_sources, .expr_pre = add_sources, .ctx = &a});
    changed = a.changed;
  }
  for (int i = 0; i < r.family.len; i++) {
    Expr *what = NULL;
    Var *v = r.family.items[i];
    if (!all_assigns_sized(&r, body, v, &what)) {
      Expr *first = r.reallocs.items[0];
      error_at(strip_casts(first->rhs)->loc, "realloc of '%s' is not supported here: '%s' also holds %s%s%s, a block "
               "whose size this function does not know; realloc only blocks it allocates itself with malloc, "
               "calloc or realloc (or starts from NULL)", var_spelling(first->lhs->var), var_spelling(v),
               what ? "'" : "memory set elsewhere", what ? expr_to_user_c(what) : "", what ? "'" : "");
      free(r.family.items);
      free(r.reallocs.items);
      return false;
    }
  }
  for (int i = 0; i < r.family.len; i++) {
    Var *v = r.family.items[i];
    Var *b = new_var(&r, format("%s_bytes", v->name), type_long(), v->loc);
    vec_push(&r.bytes, b);
  }
  /* the sizes start at 0, declared where the body starts */
  walk_stmt(body, &(Walker){.stmt_pre = rewrite_block, .ctx = &r});
  for (int i = r.bytes.len - 1; i >= 0; i--)
    vec_insert_front(&body->body, decl(r.bytes.items[i], expr_num("0", type_long()), body->loc));
  free(r.family.items);
  free(r.bytes.items);
  free(r.reallocs.items);
  ptr_set_free(&r.made);
  return true;
}
