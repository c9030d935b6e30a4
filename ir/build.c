/* Builders of IR beyond ir.c's constructors, shared by the stages:
 * common types (void, long, a named one), a call as a statement, an
 * address, sizeof, memcpy, a - b, a condition's truth value, and the
 * runtime calls ad/ adds (marked with their CallKind). */
#include "vgradcc.h"

Type *type_void(void) {
  static Type t = {.kind = TY_VOID, .name = "void"};  /* shared, never changed */
  return &t;
}

Stmt *stmt_call(const char *name, Expr *arg) {
  Stmt *s = stmt_expr(expr_call(name, type_void(), arg, NULL));
  return s;
}

Expr *expr_addr_of(Expr *e) { return expr_unary(EX_ADDR, e, type_pointer_to(e->type)); }

Expr *expr_truth(Expr *cond) {
  if (type_is_integer(cond->type))
    return cond;
  return expr_binary(OP_NE, cond, expr_num("0", type_int()), type_int());
}

/* a - b, as just a when b is 0 */
Expr *expr_minus(Expr *a, Expr *b) {
  return expr_is_zero(b) ? expr_copy(a) : expr_binary(OP_SUB, expr_copy(a), expr_copy(b), type_long());
}

Type *type_long(void) {
  static Type t = {.kind = TY_INT, .name = "long"};
  return &t;
}

Type *type_size(void) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = TY_INT;
  t->name = "size_t";
  return t;
}

Type *type_named(const char *name) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = TY_STRUCT;
  t->name = name;
  return t;
}

Expr *expr_sizeof_var(Var *v) {
  Expr *e = new_expr(EX_SIZEOF, type_int(), v->loc);
  e->text = format("sizeof(%s)", v->name);
  return e;
}

Expr *expr_addr_of_var(Var *v) {
  Expr *e = expr_var(v, v->loc);
  return v->type->kind == TY_ARRAY ? e : expr_addr_of(e);
}

Expr *expr_memcpy(Expr *dst, Expr *src, Var *v) {
  Expr *c = expr_call("memcpy", type_void(), dst, src);
  vec_push(&c->args, expr_sizeof_var(v));
  return c;
}

Expr *expr_runtime_call(CallKind kind, const char *name, Type *type, Expr *arg0, Expr *arg1) {
  Expr *c = expr_call(name, type, arg0, arg1);
  c->call = kind;
  return c;
}

Expr *expr_cast(Type *type, Expr *e) {
  Expr *c = new_expr(EX_CAST, type, e->loc);
  c->lhs = e;
  return c;
}

Var *var_local(const char *name, Type *type) {
  Var *v = xcalloc(1, sizeof(Var));
  v->name = name;
  v->type = type;
  v->param_index = -1;
  return v;
}

Stmt *stmt_decl(Var *v, Expr *init) {
  Stmt *s = new_stmt(ST_DECL, v->loc);
  s->var = v;
  s->init = init;
  return s;
}

Stmt *stmt_if(Expr *cond, Stmt *then, Stmt *els) {
  Stmt *s = new_stmt(ST_IF, cond->loc);
  s->expr = cond;
  s->then = then;
  s->els = els;
  return s;
}

Stmt *stmt_while(Expr *cond, Stmt *body) {
  Stmt *s = new_stmt(ST_WHILE, cond->loc);
  s->expr = cond;
  s->then = body;
  return s;
}

Expr *expr_int(long k) { return expr_num(format("%ld", k), type_int()); }

Expr *expr_index(Expr *a, Expr *i, Type *elem) {
  Expr *e = new_expr(EX_INDEX, elem, a->loc);
  e->lhs = a;
  e->rhs = i;
  return e;
}

Expr *expr_sizeof_type(Type *t, Loc loc) {
  Expr *size = new_expr(EX_SIZEOF, type_long(), loc);
  size->text = format("sizeof(%s)", declare(t, ""));
  return size;
}
