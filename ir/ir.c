/* Type predicates and IR constructors shared by the stages. */
#include "vgradcc.h"

#include <string.h>

bool type_is_floating(const Type *t) {
  return t && (t->kind == TY_FLOAT || t->kind == TY_DOUBLE || t->kind == TY_COMPLEX);
}

bool type_is_complex(const Type *t) { return t && t->kind == TY_COMPLEX; }

long type_scalar_bytes(const Type *t) {
  if (!type_is_floating(t))
    return 0;
  long part = type_is_single(t) ? 4 : 8;
  return type_is_complex(t) ? 2 * part : part;
}

bool type_is_single(const Type *t) {
  return t && (t->kind == TY_FLOAT || (t->kind == TY_COMPLEX && t->base && t->base->kind == TY_FLOAT));
}

bool type_is_integer(const Type *t) {
  return t && (t->kind == TY_INT || t->kind == TY_CHAR || t->kind == TY_BOOL);
}

bool type_is_arith(const Type *t) { return type_is_floating(t) || type_is_integer(t) || (t && t->kind == TY_LDOUBLE); }

bool type_is_const_data(const Type *t) {
  while (t && t->kind == TY_ARRAY && !t->is_const)
    t = t->base;
  return t && t->is_const;
}

bool type_is_function_pointer(const Type *t) { return t && t->kind == TY_PTR && t->base && t->base->kind == TY_FUNC; }

/* vg_array *: the runtime's differentiable array. */
bool type_is_array_value(const Type *t) {
  if (!t || t->kind != TY_PTR || !t->base || t->base->kind != TY_STRUCT)
    return false;
  const Type *b = t->base;
  return (b->name && !strcmp(b->name, "struct vg_array")) || (b->typedef_name && !strcmp(b->typedef_name, "vg_array"));
}

bool type_has_floating(const Type *t) {
  if (!t)
    return false;
  if (type_is_array_value(t))
    return true;
  switch (t->kind) {
  case TY_FLOAT:
  case TY_DOUBLE:
  case TY_COMPLEX:
    return true;
  case TY_PTR:
  case TY_ARRAY:
    return type_has_floating(t->base);
  case TY_STRUCT:
    for (int i = 0; i < t->nmembers; i++)
      if (type_has_floating(t->members[i].type))
        return true;
    return false;
  default:
    return false;
  }
}

Type *type_floating_base(Type *t) {
  while (t && (t->kind == TY_PTR || t->kind == TY_ARRAY))
    t = t->base;
  return t;
}

static Type *scalar(TypeKind kind, const char *name) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = kind;
  t->name = name;
  return t;
}

Type *type_int(void) {
  static Type *t;
  if (!t)
    t = scalar(TY_INT, "int");
  return t;
}

Type *type_double(void) {
  static Type *t;
  if (!t)
    t = scalar(TY_DOUBLE, "double");
  return t;
}

Type *type_unqualified(Type *t) {
  if (!t->is_const)
    return t;
  Type *u = xcalloc(1, sizeof(Type));
  *u = *t;
  u->is_const = false;
  return u;
}

Type *type_array_of(Type *elem, long len) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = TY_ARRAY;
  t->base = elem;
  t->array_len = len;
  return t;
}

Type *type_pointer_to(Type *base) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = TY_PTR;
  t->base = base;
  return t;
}

/* The type of an adjoint: same shape, never const. */
Type *type_adjoint(Type *t) {
  if (t->kind == TY_PTR || t->kind == TY_ARRAY) {
    Type *u = xcalloc(1, sizeof(Type));
    *u = *t;
    u->is_const = false;
    u->base = type_adjoint(t->base);
    return u;
  }
  return type_unqualified(t);
}

Expr *new_expr(ExprKind kind, Type *type, Loc loc) {
  Expr *e = xcalloc(1, sizeof(Expr));
  e->kind = kind;
  e->type = type;
  e->loc = loc;
  return e;
}

Expr *expr_var(Var *v, Loc loc) {
  Expr *e = new_expr(EX_VAR, v->type, loc);
  e->var = v;
  return e;
}

Expr *expr_num(const char *text, Type *type) {
  Expr *e = new_expr(EX_NUM, type, (Loc){0});
  e->text = text;
  return e;
}

Expr *expr_binary(BinOp op, Expr *lhs, Expr *rhs, Type *type) {
  Expr *e = new_expr(EX_BINARY, type, lhs->loc);
  e->op = op;
  e->lhs = lhs;
  e->rhs = rhs;
  return e;
}

Expr *expr_unary(ExprKind kind, Expr *lhs, Type *type) {
  Expr *e = new_expr(kind, type, lhs->loc);
  e->lhs = lhs;
  return e;
}

Expr *expr_assign(BinOp op, Expr *lhs, Expr *rhs) {
  Expr *e = new_expr(EX_ASSIGN, lhs->type, lhs->loc);
  e->op = op;
  e->lhs = lhs;
  e->rhs = rhs;
  return e;
}

Expr *expr_call(const char *name, Type *type, Expr *arg0, Expr *arg1) {
  Expr *e = new_expr(EX_CALL, type, arg0 ? arg0->loc : (Loc){0});
  e->text = name;
  if (arg0)
    vec_push(&e->args, arg0);
  if (arg1)
    vec_push(&e->args, arg1);
  return e;
}

Stmt *new_stmt(StmtKind kind, Loc loc) {
  Stmt *s = xcalloc(1, sizeof(Stmt));
  s->kind = kind;
  s->loc = loc;
  return s;
}

Stmt *stmt_expr(Expr *e) {
  Stmt *s = new_stmt(ST_EXPR, e->loc);
  s->expr = e;
  return s;
}

Stmt *stmt_block(Loc loc) { return new_stmt(ST_BLOCK, loc); }

Stmt *stmt_comment(const char *text) {
  Stmt *s = new_stmt(ST_COMMENT, (Loc){0});
  s->text = text;
  return s;
}

Expr *expr_clone(Expr *e, Var **from, Var **to, int nmap) {
  if (!e)
    return NULL;
  if (e->cache) /* computed once into a variable */
    return expr_var(e->cache, e->loc);
  if (e->fwd_value)
    return expr_var(e->fwd_value, e->loc);
  Expr *c = xcalloc(1, sizeof(Expr));
  *c = *e;
  if (e->var)
    for (int i = 0; i < nmap; i++)
      if (from[i] == e->var) {
        c->var = to[i];
        break;
      }
  c->lhs = expr_clone(e->lhs, from, to, nmap);
  c->rhs = expr_clone(e->rhs, from, to, nmap);
  c->cond = expr_clone(e->cond, from, to, nmap);
  c->args = (Vec){0};
  for (int i = 0; i < e->args.len; i++)
    vec_push(&c->args, expr_clone(e->args.items[i], from, to, nmap));
  c->stmts = stmt_clone(e->stmts, from, to, nmap);
  return c;
}

Expr *expr_copy(Expr *e) { return expr_clone(e, NULL, NULL, 0); }

Stmt *stmt_clone(Stmt *s, Var **from, Var **to, int nmap) {
  if (!s)
    return NULL;
  Stmt *c = xcalloc(1, sizeof(Stmt));
  *c = *s;
  c->body = (Vec){0};
  for (int i = 0; i < s->body.len; i++)
    vec_push(&c->body, stmt_clone(s->body.items[i], from, to, nmap));
  if (s->var)
    for (int i = 0; i < nmap; i++)
      if (from[i] == s->var) {
        c->var = to[i];
        break;
      }
  c->init = expr_clone(s->init, from, to, nmap);
  c->expr = expr_clone(s->expr, from, to, nmap);
  c->step = expr_clone(s->step, from, to, nmap);
  c->vla_len = expr_clone(s->vla_len, from, to, nmap);
  c->then = stmt_clone(s->then, from, to, nmap);
  c->els = stmt_clone(s->els, from, to, nmap);
  c->for_init = stmt_clone(s->for_init, from, to, nmap);
  return c;
}

/* The variable an lvalue such as x, x[i], s.m, p->w[j], *p is rooted in:
 * for an access through a pointer, the array or parameter it points into. */
Var *lvalue_root(Expr *e) {
  bool through_memory = false;
  while (e) {
    switch (e->kind) {
    case EX_VAR:
      return through_memory && e->var->base ? e->var->base : e->var;
    case EX_INDEX:
    case EX_DEREF:
      through_memory = true;
      e = e->lhs;
      break;
    case EX_MEMBER:
      through_memory |= e->arrow;
      e = e->lhs;
      break;
    case EX_CAST:
    case EX_ADDR:
      e = e->lhs;
      break;
    case EX_BINARY:
      /* pointer arithmetic: p + k */
      through_memory = true;
      if (e->lhs && (e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY))
        e = e->lhs;
      else if (e->rhs && (e->rhs->type->kind == TY_PTR || e->rhs->type->kind == TY_ARRAY))
        e = e->rhs;
      else
        return NULL;
      break;
    default: return NULL;
    }
  }
  return NULL;
}

/* Does an lvalue name memory reached through a pointer or an array? */
/* Whether e is a bit-field member (`s->flag`), whose address C cannot take. */
bool expr_is_bit_field(const Expr *e) {
  if (!e || e->kind != EX_MEMBER || !e->lhs || !e->lhs->type)
    return false;
  const Type *t = e->arrow ? e->lhs->type->base : e->lhs->type;
  for (int i = 0; t && t->kind == TY_STRUCT && i < t->nmembers; i++)
    if (!strcmp(t->members[i].name, e->text))
      return t->members[i].bit_field;
  return false;
}

bool lvalue_is_memory(Expr *e) {
  while (e) {
    switch (e->kind) {
    case EX_VAR: return false;
    case EX_INDEX:
    case EX_DEREF: return true;
    case EX_MEMBER:
      if (e->arrow)
        return true;
      e = e->lhs;
      break;
    case EX_CAST: e = e->lhs; break;
    default: return false;
    }
  }
  return false;
}

typedef struct {
  bool (*match)(const Expr *node, const void *ctx);
  const void *ctx;
} Match;

static WalkStep stop_at_match(Expr *e, void *ctx) {
  Match *m = ctx;
  return m->match(e, m->ctx) ? WALK_STOP : WALK_ON;
}

bool expr_any(const Expr *e, bool (*match)(const Expr *node, const void *ctx), const void *ctx) {
  Match m = {match, ctx};
  return !walk_expr((Expr *)e, &(Walker){.expr_pre = stop_at_match, .ctx = &m});
}

bool stmt_any(const Stmt *s, bool (*match)(const Expr *node, const void *ctx), const void *ctx) {
  Match m = {match, ctx};
  return !walk_stmt((Stmt *)s, &(Walker){.expr_pre = stop_at_match, .ctx = &m});
}

/* Does e read variable v anywhere? */
static bool is_var(const Expr *e, const void *v) { return e->kind == EX_VAR && e->var == v; }

bool expr_mentions(const Expr *e, const Var *v) { return expr_any(e, is_var, v); }

static bool is_kind(const Expr *e, const void *kind) { return e->kind == *(const ExprKind *)kind; }

bool expr_has_kind(const Expr *e, ExprKind kind) { return expr_any(e, is_kind, &kind); }

static WalkStep collect_var(Expr *e, void *out) {
  if (e->kind == EX_VAR)
    vec_add_unique(out, e->var);
  return WALK_ON;
}

/* Adds each variable e mentions to out, once. */
void expr_collect_vars(const Expr *e, Vec *out) { walk_expr((Expr *)e, &(Walker){.expr_pre = collect_var, .ctx = out}); }
