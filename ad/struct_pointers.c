/* Pointer members of local structs (`Mat m; m.data = malloc(...)`, a
 * `Mat *` from a helper that mallocs the struct and its data), after the
 * calls are inlined: each pointer member of such a struct is held in a
 * local pointer variable of its own (`m.data` becomes `m_data`), which
 * the analyses follow as any other pointer, with its gradient buffer.
 *
 * Done for a group of local structs and local pointers to them that only
 * meet each other: whole-struct copies (`a = mat_new_result`) and pointer
 * copies (`b = a`) copy the member variables too, a pointer that only
 * ever holds `&s` for one struct s uses s's, and a struct allocated with
 * malloc is reached through the pointer that holds it.  A group any of
 * whose variables goes elsewhere (to a call that is not inlined, into an
 * array, through arithmetic) stays as it was, and storing a pointer in
 * one of its members is refused as before. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

static Expr *strip_casts(Expr *e) {
  while (e && e->kind == EX_CAST)
    e = e->lhs;
  return e;
}

/* `{...}` or `(Mat){...}`: the initializer list; NULL otherwise. */
static Expr *init_list(Expr *e) {
  e = strip_casts(e);
  if (e && e->kind == EX_COMPOUND)
    e = e->lhs;
  return e && e->kind == EX_INIT ? e : NULL;
}

static bool is_pointer_member(const Member *m) {
  return m->type->kind == TY_PTR && type_is_arith(m->type->base);
}

static bool struct_has_pointer_members(const Type *t) {
  if (t->kind != TY_STRUCT || t->is_union)
    return false;
  for (int i = 0; i < t->nmembers; i++)
    if (is_pointer_member(&t->members[i]))
      return true;
  return false;
}

/* A local struct value or a local pointer to one. */
static Type *candidate_struct(const Var *v) {
  if (v->is_global || v->param_index >= 0)
    return NULL;
  if (struct_has_pointer_members(v->type))
    return v->type;
  if (v->type->kind == TY_PTR && struct_has_pointer_members(v->type->base))
    return v->type->base;
  return NULL;
}

/* One struct type, qualifiers aside (`const Mat *a = &m`). */
static bool same_struct(const Type *a, const Type *b) {
  if (!a || !b)
    return false;
  return a == b || a->members == b->members || (a->name && b->name && !strcmp(a->name, b->name));
}

typedef struct {
  Var *var;
  int group;      /* union-find parent index */
  bool escapes;   /* used other than by members, copies, allocation, free */
  bool is_pointer;
  Var *alias_of;  /* a pointer whose every assignment is &s for this one s */
  bool other_assign; /* a pointer assigned something besides &alias_of */
  bool dropped;   /* only ever assigned: gone (drop_unread) */
  Var **members;  /* per member of the struct: its variable (pointer members only) */
} Cand;

typedef struct {
  Ad *ad;
  Vec cands;      /* Cand* */
  PtrSet handled; /* Expr*: assignments between candidates, accounted for */
  PtrSet fresh_stores; /* Expr*: `p->m = ...` right after p's allocation */
  PtrSet copies;  /* Stmt*: the member copies member_copies adds */
  bool failed;
} Scalar;

static Cand *cand_of(Scalar *sc, const Var *v) {
  for (int i = 0; i < sc->cands.len; i++) {
    Cand *c = sc->cands.items[i];
    if (c->var == v)
      return c;
  }
  return NULL;
}

static Cand *cand_expr(Scalar *sc, Expr *e) {
  e = strip_casts(e);
  return e && e->kind == EX_VAR ? cand_of(sc, e->var) : NULL;
}

static int group_root(Scalar *sc, int i) {
  while (((Cand *)sc->cands.items[i])->group != i)
    i = ((Cand *)sc->cands.items[i])->group;
  return i;
}

static int cand_index(Scalar *sc, Cand *c) {
  for (int i = 0; i < sc->cands.len; i++)
    if (sc->cands.items[i] == c)
      return i;
  return -1;
}

static void join(Scalar *sc, Cand *a, Cand *b) {
  int ra = group_root(sc, cand_index(sc, a)), rb = group_root(sc, cand_index(sc, b));
  if (ra != rb)
    ((Cand *)sc->cands.items[ra])->group = rb;
}

static WalkStep add_candidate(Expr *e, void *ctx) {
  Scalar *sc = ctx;
  if (e->kind == EX_VAR && candidate_struct(e->var) && !cand_of(sc, e->var)) {
    Cand *c = xcalloc(1, sizeof(Cand));
    c->var = e->var;
    c->group = sc->cands.len;
    c->is_pointer = e->var->type->kind == TY_PTR;
    vec_push(&sc->cands, c);
  }
  return WALK_ON;
}

/* `x = y` between candidates of one struct type, `p = &s`, `p = malloc(...)`,
 * `p = NULL`, `s = {...}`: accounted for here, not an escape. */
static void classify_assign(Scalar *sc, Expr *e) {
  if (e->kind != EX_ASSIGN || e->op != OP_NONE)
    return;
  Cand *to = cand_expr(sc, e->lhs);
  if (!to || strip_casts(e->lhs) != e->lhs)
    return;
  Type *t = candidate_struct(to->var);
  Expr *rhs = strip_casts(e->rhs);
  Cand *from = cand_expr(sc, rhs);
  if (from && same_struct(candidate_struct(from->var), t) && from->is_pointer == to->is_pointer) {
    join(sc, to, from);
    to->other_assign |= to->is_pointer;
  } else if (to->is_pointer && rhs->kind == EX_ADDR && cand_expr(sc, rhs->lhs) &&
             !cand_expr(sc, rhs->lhs)->is_pointer && same_struct(candidate_struct(cand_expr(sc, rhs->lhs)->var), t)) {
    Cand *s = cand_expr(sc, rhs->lhs);
    join(sc, to, s);
    if (to->alias_of && to->alias_of != s->var)
      to->other_assign = true;
    to->alias_of = s->var;
  } else if (to->is_pointer && (expr_is_alloc(rhs) || expr_is_null_pointer(rhs))) {
    to->other_assign = true;
  } else if (!to->is_pointer && init_list(rhs)) {
    /* positional: the frontend refuses designated initializers and elided braces */
  } else {
    return;
  }
  ptr_set_add(&sc->handled, e);
}

static WalkStep find_assigns(Stmt *s, void *ctx) {
  Scalar *sc = ctx;
  if (s->kind == ST_EXPR && s->expr)
    classify_assign(sc, s->expr);
  if (s->kind == ST_DECL && cand_of(sc, s->var) && s->init)
    cand_of(sc, s->var)->escapes = true;
  return WALK_ON;
}

static bool is_free_of(Scalar *sc, Expr *e) {
  return e->kind == EX_CALL && !strcmp(e->text, "free") && e->args.len == 1 && cand_expr(sc, e->args.items[0]) &&
         cand_expr(sc, e->args.items[0])->is_pointer;
}

static WalkStep find_escapes(Expr *e, void *ctx) {
  Scalar *sc = ctx;
  if (ptr_set_contains(&sc->handled, e)) {
    Expr *rhs = strip_casts(e->rhs);
    if (init_list(rhs)) { /* its elements are ordinary uses */
      rhs = init_list(rhs);
      for (int i = 0; i < rhs->args.len; i++)
        walk_expr(rhs->args.items[i], &(Walker){.expr_pre = find_escapes, .ctx = sc});
    } else if (expr_is_alloc(rhs)) {
      walk_expr(rhs, &(Walker){.expr_pre = find_escapes, .ctx = sc});
    }
    return WALK_SKIP;
  }
  if (e->kind == EX_MEMBER && cand_expr(sc, e->lhs))
    return WALK_SKIP;
  if (is_free_of(sc, e))
    return WALK_SKIP;
  if (e->kind == EX_VAR && cand_of(sc, e->var))
    cand_of(sc, e->var)->escapes = true;
  return WALK_ON;
}

/* ---- stores of a pointer member through a pointer ---- */

static bool mentions_besides_members(Scalar *sc, Expr *e, Var *p);

static bool member_use_only(const Expr *e, const void *ctx) {
  const void *const *c = ctx;
  Scalar *sc = (Scalar *)c[0];
  Var *p = (Var *)c[1];
  (void)sc;
  if (e->kind == EX_MEMBER) {
    Expr *l = strip_casts(e->lhs);
    if (l->kind == EX_VAR && l->var == p)
      return false; /* checked by the caller's walk of the other operands */
  }
  return e->kind == EX_VAR && e->var == p;
}

/* Whether e uses p other than as `p->m` (a copy out of p, a call). */
static WalkStep find_bare_use(Expr *e, void *ctx) {
  const void *const *c = ctx;
  Var *p = (Var *)c[1];
  if (e->kind == EX_MEMBER) {
    Expr *l = strip_casts(e->lhs);
    if (l->kind == EX_VAR && l->var == p)
      return WALK_SKIP;
  }
  if (member_use_only(e, ctx)) {
    *(bool *)c[2] = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

static bool mentions_besides_members(Scalar *sc, Expr *e, Var *p) {
  bool found = false;
  const void *ctx[3] = {sc, p, &found};
  walk_expr(e, &(Walker){.expr_pre = find_bare_use, .ctx = ctx});
  return found;
}

static bool stmt_mentions_besides_members(Scalar *sc, Stmt *s, Var *p) {
  bool found = false;
  const void *ctx[3] = {sc, p, &found};
  walk_stmt(s, &(Walker){.expr_pre = find_bare_use, .ctx = ctx});
  return found;
}

/* `p->m = v` where p is not an alias of a struct variable: right after
 * `p = malloc(...)` in the same statement list, nothing having copied p
 * in between, so that no other variable holds p's struct yet. */
static Expr *member_store_target(Scalar *sc, Stmt *s) {
  if (s->kind != ST_EXPR || !s->expr || s->expr->kind != EX_ASSIGN || s->expr->lhs->kind != EX_MEMBER ||
      !s->expr->lhs->arrow || s->expr->lhs->type->kind != TY_PTR)
    return NULL;
  Cand *c = cand_expr(sc, s->expr->lhs->lhs);
  return c && c->is_pointer ? strip_casts(s->expr->lhs->lhs) : NULL;
}

static WalkStep check_fresh_stores(Stmt *s, void *ctx) {
  Scalar *sc = ctx;
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *st = s->body.items[i];
    Expr *target = member_store_target(sc, st);
    if (!target)
      continue;
    Var *p = target->var;
    for (int j = i - 1; j >= 0; j--) {
      Stmt *prev = s->body.items[j];
      if (prev->kind == ST_EXPR && prev->expr && prev->expr->kind == EX_ASSIGN && prev->expr->op == OP_NONE &&
          strip_casts(prev->expr->lhs)->kind == EX_VAR && strip_casts(prev->expr->lhs)->var == p) {
        if (expr_is_alloc(strip_casts(prev->expr->rhs)) && !mentions_besides_members(sc, prev->expr->rhs, p))
          ptr_set_add(&sc->fresh_stores, st->expr);
        break;
      }
      if (prev->kind == ST_COMMENT)
        continue;
      if (stmt_mentions_besides_members(sc, prev, p))
        break;
    }
    if (mentions_besides_members(sc, st->expr->rhs, p))
      ptr_set_remove(&sc->fresh_stores, st->expr);
  }
  return WALK_ON;
}

/* ---- the rewrite ---- */

/* The candidate whose member variables `e` (a candidate variable) uses. */
static Cand *owner_of(Scalar *sc, Cand *c) {
  if (c->is_pointer && c->alias_of && !c->other_assign)
    return cand_of(sc, c->alias_of);
  return c;
}

static bool group_ok(Scalar *sc, Cand *c) {
  int root = group_root(sc, cand_index(sc, c));
  for (int i = 0; i < sc->cands.len; i++) {
    Cand *o = sc->cands.items[i];
    if (group_root(sc, i) == root && o->escapes)
      return false;
  }
  return true;
}

static Var *member_var(Scalar *sc, Cand *c, int k) {
  Type *t = candidate_struct(c->var);
  if (!c->members)
    c->members = xcalloc((size_t)t->nmembers, sizeof(Var *));
  if (!c->members[k]) {
    const Member *m = &t->members[k];
    Var *v = ad_new_local(sc->ad, format("%s_%s", c->var->name, m->name), type_unqualified(m->type), true);
    v->spelling = format("%s%s%s", var_spelling(c->var), c->is_pointer ? "->" : ".", m->name);
    v->loc = c->var->loc;
    vec_push(&sc->ad->f->locals, v);
    c->members[k] = v;
  }
  return c->members[k];
}

static int member_index(Type *t, const char *name) {
  for (int i = 0; i < t->nmembers; i++)
    if (!strcmp(t->members[i].name, name))
      return i;
  return -1;
}

static bool scalarised(Scalar *sc, Cand *c) { return c && group_ok(sc, c); }

static WalkStep rewrite_member(Expr *e, void *ctx) {
  Scalar *sc = ctx;
  if (e->kind != EX_MEMBER || e->type->kind != TY_PTR)
    return WALK_ON;
  Cand *c = cand_expr(sc, e->lhs);
  if (!scalarised(sc, c))
    return WALK_ON;
  Type *t = candidate_struct(c->var);
  int k = member_index(t, e->text);
  if (k < 0 || !is_pointer_member(&t->members[k]))
    return WALK_ON;
  Var *v = member_var(sc, owner_of(sc, c), k);
  Loc loc = e->loc;
  *e = *expr_var(v, loc);
  return WALK_SKIP;
}

/* The statements that follow a handled assignment: each member variable
 * of the target gets the source's. */
static void member_copies(Scalar *sc, Expr *assign, Vec *out) {
  Cand *to = cand_expr(sc, assign->lhs);
  if (!scalarised(sc, to) || owner_of(sc, to) != to)
    return;
  Type *t = candidate_struct(to->var);
  Expr *rhs = strip_casts(assign->rhs);
  if (init_list(rhs))
    rhs = init_list(rhs);
  for (int k = 0; k < t->nmembers; k++) {
    if (!is_pointer_member(&t->members[k]))
      continue;
    Expr *value = NULL;
    Cand *from = cand_expr(sc, rhs);
    if (from)
      value = expr_var(member_var(sc, owner_of(sc, from), k), assign->loc);
    else if (rhs->kind == EX_ADDR)
      value = expr_var(member_var(sc, owner_of(sc, cand_expr(sc, rhs->lhs)), k), assign->loc);
    else if (rhs->kind == EX_INIT && k < rhs->args.len) {
      value = rhs->args.items[k];
      rhs->args.items[k] = expr_num("0", t->members[k].type);
    } else if (rhs->kind == EX_INIT)
      value = expr_num("0", t->members[k].type);
    if (!value)
      continue; /* malloc, NULL: the members are set before they are read */
    Stmt *s = stmt_expr(expr_assign(OP_NONE, expr_var(member_var(sc, to, k), assign->loc), value));
    s->loc = assign->loc;
    ptr_set_add(&sc->copies, s);
    vec_push(out, s);
  }
}

static WalkStep add_member_copies(Stmt *s, void *ctx) {
  Scalar *sc = ctx;
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  Vec body = {0};
  for (int i = 0; i < s->body.len; i++) {
    Stmt *st = s->body.items[i];
    vec_push(&body, st);
    if (st->kind == ST_EXPR && st->expr && ptr_set_contains(&sc->handled, st->expr))
      member_copies(sc, st->expr, &body);
  }
  free(s->body.items);
  s->body = body;
  return WALK_ON;
}

/* A pointer stored in a member that keeps living in the struct: refused. */
static WalkStep refuse_member_store(Expr *e, void *ctx) {
  Scalar *sc = ctx;
  if (e->kind == EX_ASSIGN && (e->lhs->kind == EX_INDEX || e->lhs->kind == EX_DEREF) &&
      e->lhs->type->kind == TY_PTR && !type_is_array_value(e->lhs->type) && type_has_floating(e->lhs->type)) {
    Var *root = lvalue_root(e->lhs);
    error_at(e->lhs->loc, "storing a pointer in '%s' is not supported: vgradcc follows a pointer held in a "
             "variable of its own, not in an array of pointers%s%s%s; use the arrays by their own names (a "
             "loop for each), or keep them in one block and index it at each one's offset",
             expr_to_user_c(e->lhs), root ? " ('" : "", root ? var_spelling(root) : "", root ? "')" : "");
    sc->failed = true;
    return WALK_STOP;
  }
  if (e->kind != EX_ASSIGN || e->lhs->kind != EX_MEMBER || e->lhs->type->kind != TY_PTR ||
      type_is_array_value(e->lhs->type))
    return WALK_ON;
  Expr *lhs = e->lhs;
  Cand *c = cand_expr(sc, lhs->lhs);
  if (scalarised(sc, c) && c->is_pointer && !(c->alias_of && !c->other_assign) &&
      !ptr_set_contains(&sc->fresh_stores, e)) {
    error_at(lhs->loc, "storing a pointer in '%s' is not supported here: '%s' may point to a struct that other "
             "variables also point to by then; set the struct's pointer members right after allocating it "
             "('%s = malloc(sizeof *%s); %s = ...')", expr_to_user_c(lhs), var_spelling(c->var),
             var_spelling(c->var), var_spelling(c->var), expr_to_user_c(lhs));
    sc->failed = true;
    return WALK_STOP;
  }
  if (scalarised(sc, c))
    return WALK_ON;
  error_at(lhs->loc, "storing a pointer in '%s' is not supported: vgradcc follows a pointer held in a variable "
           "of its own, not in a struct member or an array; keep it in a local pointer variable ('%s = ...') "
           "and use that", expr_to_user_c(lhs), declare(type_unqualified(lhs->type), lhs->text));
  sc->failed = true;
  return WALK_STOP;
}

/* A struct (or pointer to one) that, its pointer members gone to their
 * variables, is only ever assigned: those assignments go, and so does it. */
static bool pure_value(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL || e->kind == EX_ASSIGN || e->kind == EX_INCDEC;
}

typedef struct {
  Scalar *sc;
  Var *v;
  int assigns;
  bool other;
} Reads;

static WalkStep count_reads(Stmt *s, void *ctx) {
  Reads *r = ctx;
  if (s->kind == ST_EXPR && s->expr && ptr_set_contains(&r->sc->handled, s->expr) &&
      strip_casts(s->expr->lhs)->var == r->v && !expr_mentions(s->expr->rhs, r->v) &&
      !expr_any(s->expr->rhs, pure_value, NULL)) {
    r->assigns++;
    return WALK_ON;
  }
  if (expr_mentions(s->expr, r->v) || expr_mentions(s->init, r->v) || expr_mentions(s->step, r->v) ||
      (s->kind == ST_DECL && s->var == r->v))
    r->other = true;
  return WALK_ON;
}

static bool only_assigned(Scalar *sc, Stmt *body, Var *v) {
  Reads r = {sc, v, 0, false};
  walk_stmt(body, &(Walker){.stmt_pre = count_reads, .ctx = &r});
  return r.assigns && !r.other;
}

static WalkStep drop_assigns_of(Stmt *s, void *ctx) {
  const void *const *c = ctx;
  Scalar *sc = (Scalar *)c[0];
  const Var *v = c[1];
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  int k = 0;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *st = s->body.items[i];
    if (!(st->kind == ST_EXPR && st->expr && ptr_set_contains(&sc->handled, st->expr) &&
          strip_casts(st->expr->lhs)->var == v))
      s->body.items[k++] = st;
  }
  s->body.len = k;
  return WALK_ON;
}

static void drop_unread(Scalar *sc, Stmt *body) {
  Ad *ad = sc->ad;
  for (int i = 0; i < sc->cands.len; i++) {
    Cand *c = sc->cands.items[i];
    if (c->dropped || !scalarised(sc, c) || !only_assigned(sc, body, c->var))
      continue;
    c->dropped = true;
    i = -1; /* what it copied from may now be only assigned too */
    const void *ctx[2] = {sc, c->var};
    walk_stmt(body, &(Walker){.stmt_pre = drop_assigns_of, .ctx = ctx});
    int k = 0;
    for (int j = 0; j < ad->decls.len; j++) {
      Stmt *d = ad->decls.items[j];
      if (d->kind != ST_DECL || d->var != c->var)
        ad->decls.items[k++] = d;
    }
    ad->decls.len = k;
    k = 0;
    for (int j = 0; j < ad->f->locals.len; j++)
      if (ad->f->locals.items[j] != c->var)
        ad->f->locals.items[k++] = ad->f->locals.items[j];
    ad->f->locals.len = k;
  }
}

/* A member variable that only the member copies assign (no statement reads
 * the member through that struct: a struct whose pointer members were made
 * variables before, `s.n` read only): its copies go, and so does it. */
typedef struct {
  Scalar *sc;
  Var *v;
  bool read;
} MemberReads;

static WalkStep find_member_read(Stmt *s, void *ctx) {
  MemberReads *r = ctx;
  if (ptr_set_contains(&r->sc->copies, s) && s->expr->lhs->var == r->v)
    return WALK_SKIP;
  if (s->kind != ST_BLOCK && (expr_mentions(s->expr, r->v) || expr_mentions(s->init, r->v) ||
                              expr_mentions(s->step, r->v))) {
    r->read = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

static WalkStep drop_copies_into(Stmt *s, void *ctx) {
  MemberReads *r = ctx;
  if (s->kind != ST_BLOCK)
    return WALK_ON;
  int k = 0;
  for (int i = 0; i < s->body.len; i++) {
    Stmt *st = s->body.items[i];
    if (!(ptr_set_contains(&r->sc->copies, st) && st->expr->lhs->var == r->v))
      s->body.items[k++] = st;
  }
  s->body.len = k;
  return WALK_ON;
}

/* v, a local nothing reads any more, no longer declared. */
static void forget_local(Ad *ad, Var *v) {
  int n = 0;
  for (int j = 0; j < ad->decls.len; j++) {
    Stmt *d = ad->decls.items[j];
    if (d->kind != ST_DECL || d->var != v)
      ad->decls.items[n++] = d;
  }
  ad->decls.len = n;
  n = 0;
  for (int j = 0; j < ad->f->locals.len; j++)
    if (ad->f->locals.items[j] != v)
      ad->f->locals.items[n++] = ad->f->locals.items[j];
  ad->f->locals.len = n;
}

static void drop_unread_members(Scalar *sc, Stmt *body) {
  Ad *ad = sc->ad;
  bool dropped = true;
  while (dropped) { /* a copy gone may leave the member it read unread */
    dropped = false;
    for (int i = 0; i < sc->cands.len; i++) {
      Cand *c = sc->cands.items[i];
      for (int k = 0; c->members && k < candidate_struct(c->var)->nmembers; k++) {
        Var *v = c->members[k];
        if (!v)
          continue;
        MemberReads r = {sc, v, false};
        walk_stmt(body, &(Walker){.stmt_pre = find_member_read, .ctx = &r});
        if (r.read)
          continue;
        walk_stmt(body, &(Walker){.stmt_pre = drop_copies_into, .ctx = &r});
        forget_local(ad, v);
        c->members[k] = NULL;
        dropped = true;
      }
    }
  }
}

/* A struct whose members all became variables of their own, mentioned
 * nowhere any more: its declaration goes too (an unused variable). */
static void drop_unmentioned_structs(Scalar *sc, Stmt *body) {
  Ad *ad = sc->ad;
  for (int i = 0; i < sc->cands.len; i++) {
    Var *v = ((Cand *)sc->cands.items[i])->var;
    if (v->type->kind != TY_STRUCT || v->param_index >= 0 || v->is_global || stmt_uses(body, v))
      continue;
    forget_local(ad, v);
  }
}

bool ad_scalarise_struct_pointers(Ad *ad, Stmt *body) {
  Scalar sc = {0};
  sc.ad = ad;
  walk_stmt(body, &(Walker){.expr_pre = add_candidate, .ctx = &sc});
  if (sc.cands.len) {
    walk_stmt(body, &(Walker){.stmt_pre = find_assigns, .ctx = &sc});
    walk_stmt(body, &(Walker){.expr_pre = find_escapes, .ctx = &sc});
    walk_stmt(body, &(Walker){.stmt_pre = check_fresh_stores, .ctx = &sc});
  }
  walk_stmt(body, &(Walker){.expr_pre = refuse_member_store, .ctx = &sc});
  if (!sc.failed && sc.cands.len) {
    walk_stmt(body, &(Walker){.stmt_pre = add_member_copies, .ctx = &sc});
    walk_stmt(body, &(Walker){.expr_pre = rewrite_member, .ctx = &sc});
    drop_unread(&sc, body);
    drop_unread_members(&sc, body);
    drop_unmentioned_structs(&sc, body);
  }
  for (int i = 0; i < sc.cands.len; i++) {
    free(((Cand *)sc.cands.items[i])->members);
    free(sc.cands.items[i]);
  }
  free(sc.cands.items);
  ptr_set_free(&sc.handled);
  ptr_set_free(&sc.fresh_stores);
  ptr_set_free(&sc.copies);
  return !sc.failed;
}
