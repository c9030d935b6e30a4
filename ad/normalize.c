/* Normalisation: a private copy of the primal in the shape the sweeps
 * expect.  Declarations are hoisted to the top (the reverse sweep needs
 * every variable in scope), `return e` becomes `result = e` (plus a flag
 * and guards for returns that are not the last statement), `x++` becomes
 * `x += 1`, and constructs outside the supported subset are reported. */
#include "ad.h"

#include <string.h>

/* ---- names ---- */

static bool name_used(Ad *ad, const char *name) {
  for (int i = 0; i < ad->names.len; i++)
    if (!strcmp(ad->names.items[i], name))
      return true;
  return false;
}

const char *ad_fresh_name(Ad *ad, const char *base) {
  const char *name = base;
  for (int k = 2; name_used(ad, name); k++)
    name = format("%s_%d", base, k);
  vec_push(&ad->names, (void *)name);
  return name;
}

static Expr *zero_of(Type *t) {
  if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
    return new_expr(EX_INIT, t, (Loc){0}); /* {0} */
  if (t->kind == TY_PTR)
    return expr_num("0", type_int());
  return expr_num("0", t);
}

Var *ad_new_local(Ad *ad, const char *base, Type *type, bool declare_it) {
  Var *v = xcalloc(1, sizeof(Var));
  v->name = ad_fresh_name(ad, base);
  v->type = type;
  v->param_index = -1;
  if (declare_it) {
    Stmt *d = new_stmt(ST_DECL, (Loc){0});
    d->var = v;
    d->init = zero_of(type);
    vec_push(&ad->decls, d);
  }
  return v;
}

/* ---- checks ---- */

static bool is_param_pointer_write(Expr *lhs) {
  return lhs->kind == EX_INDEX || lhs->kind == EX_DEREF || (lhs->kind == EX_MEMBER && lhs->arrow);
}

static bool check_expr(Ad *ad, Expr *e);

static bool check_args(Ad *ad, Expr *e) {
  bool ok = true;
  for (int i = 0; i < e->args.len; i++)
    ok &= check_expr(ad, e->args.items[i]);
  return ok;
}

static bool check_expr(Ad *ad, Expr *e) {
  if (!e)
    return true;
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_STRING:
    error_at(e->loc, "string literal in differentiated code is not supported");
    return false;
  case EX_VAR:
    if (e->var->type->kind == TY_LDOUBLE) {
      error_at(e->loc, "'long double' variable '%s' is not supported; use double", e->var->name);
      return false;
    }
    return true;
  case EX_FUNCREF:
    error_at(e->loc, "function pointer '%s' is not supported", e->text);
    return false;
  case EX_CALL: {
    if (e->implicit) {
      error_at(e->loc, "%s is not supported", e->text);
      return false;
    }
    const MathFunc *m = ad_math_lookup(e->text);
    if (!m) {
      error_at(e->loc, "call to '%s' is not supported yet: vgradcc differentiates calls to math.h functions only",
               e->text);
      return false;
    }
    if (m->nargs != e->args.len) {
      error_at(e->loc, "call to '%s' with %d argument%s; expected %d", e->text, e->args.len,
               e->args.len == 1 ? "" : "s", m->nargs);
      return false;
    }
    return check_args(ad, e);
  }
  case EX_ASSIGN:
    error_at(e->loc, "assignment inside an expression is not supported; write it as its own statement");
    return false;
  case EX_INCDEC:
    error_at(e->loc, "'%s' inside an expression is not supported; write it as its own statement",
             e->increment ? "++" : "--");
    return false;
  case EX_ADDR:
    error_at(e->loc, "taking an address ('&') is not supported yet");
    return false;
  case EX_BINARY:
    if (e->op == OP_COMMA) {
      error_at(e->loc, "the comma operator is not supported");
      return false;
    }
    return check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  case EX_COND:
    return check_expr(ad, e->cond) & check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  case EX_CAST:
    if (e->type->kind == TY_LDOUBLE || e->type->kind == TY_OTHER) {
      error_at(e->loc, "conversion to '%s' is not supported", declare(e->type, ""));
      return false;
    }
    return check_expr(ad, e->lhs);
  case EX_INIT:
    return check_args(ad, e);
  case EX_COMPOUND:
    return check_expr(ad, e->lhs);
  case EX_INDEX:
    return check_expr(ad, e->lhs) & check_expr(ad, e->rhs);
  default:
    return check_expr(ad, e->lhs);
  }
}

static bool check_local_type(Var *v) {
  Type *t = v->type;
  if (t->kind == TY_ARRAY) {
    error_at(v->loc, "local array '%s' is not supported yet", v->name);
    return false;
  }
  if (t->kind == TY_PTR) {
    error_at(v->loc, "pointer variable '%s' is not supported yet", v->name);
    return false;
  }
  if (t->kind == TY_LDOUBLE || t->kind == TY_OTHER) {
    error_at(v->loc, "variable '%s' of type '%s' is not supported", v->name, declare(t, ""));
    return false;
  }
  return true;
}

static bool check_assign_target(Expr *lhs) {
  if (is_param_pointer_write(lhs)) {
    error_at(lhs->loc, "assignment through a pointer ('%s = ...') is not supported yet", expr_to_c(lhs));
    return false;
  }
  Var *root = lvalue_root(lhs);
  if (!root) {
    error_at(lhs->loc, "assignment to '%s' is not supported", expr_to_c(lhs));
    return false;
  }
  if (root->is_global) {
    error_at(lhs->loc, "assignment to global variable '%s' is not supported", root->name);
    return false;
  }
  return true;
}

/* ---- lowering ---- */

typedef struct {
  Ad *ad;
  bool ok;
} Lower;

static const char *loop_word(StmtKind k) {
  return k == ST_FOR ? "'for'" : k == ST_WHILE ? "'while'" : "'do'";
}

static bool contains_return(Stmt *s) {
  if (!s)
    return false;
  if (s->kind == ST_RETURN)
    return true;
  for (int i = 0; i < s->body.len; i++)
    if (contains_return(s->body.items[i]))
      return true;
  return contains_return(s->then) || contains_return(s->els);
}

/* Does `s`, placed with `tail` telling whether nothing follows it, contain a
 * return after which other statements of the function still follow? */
static bool has_nontail_return(Stmt *s, bool tail) {
  if (!s)
    return false;
  switch (s->kind) {
  case ST_RETURN:
    return !tail;
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++) {
      Stmt *c = s->body.items[i];
      if (c->kind == ST_RETURN)
        return !tail; /* statements after it are dead */
      if (has_nontail_return(c, tail && i == s->body.len - 1))
        return true;
    }
    return false;
  case ST_IF:
    return has_nontail_return(s->then, tail) || has_nontail_return(s->els, tail);
  default:
    return contains_return(s);
  }
}

static void lower_list(Lower *lw, Vec *in, int from, bool tail, Vec *out);

static Stmt *lower_stmt(Lower *lw, Stmt *s, bool tail) {
  Ad *ad = lw->ad;
  switch (s->kind) {
  case ST_BLOCK: {
    Stmt *b = stmt_block(s->loc);
    lower_list(lw, &s->body, 0, tail, &b->body);
    return b;
  }
  case ST_DECL: {
    if (!check_local_type(s->var)) {
      lw->ok = false;
      return NULL;
    }
    Stmt *d = new_stmt(ST_DECL, s->loc);
    d->var = s->var;
    d->init = zero_of(type_unqualified(s->var->type));
    s->var->type = type_unqualified(s->var->type);
    vec_push(&ad->decls, d);
    if (!s->init)
      return NULL;
    if (!check_expr(ad, s->init)) {
      lw->ok = false;
      return NULL;
    }
    Expr *init = s->init;
    if (init->kind == EX_INIT) {
      Expr *lit = new_expr(EX_COMPOUND, s->var->type, init->loc);
      lit->lhs = init;
      init = lit;
    }
    Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, s->loc), init));
    a->loc = s->loc;
    a->is_def = true;
    return a;
  }
  case ST_EXPR: {
    Expr *e = s->expr;
    if (e->kind == EX_INCDEC) {
      if (!check_assign_target(e->lhs) || !check_expr(ad, e->lhs)) {
        lw->ok = false;
        return NULL;
      }
      Expr *one = expr_num("1", type_int());
      Stmt *a = stmt_expr(expr_assign(e->increment ? OP_ADD : OP_SUB, e->lhs, one));
      a->loc = s->loc;
      return a;
    }
    if (e->kind == EX_ASSIGN) {
      if (!check_assign_target(e->lhs) || !check_expr(ad, e->lhs) || !check_expr(ad, e->rhs)) {
        lw->ok = false;
        return NULL;
      }
      if (e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY) {
        error_at(e->loc, "assignment of a pointer is not supported yet");
        lw->ok = false;
        return NULL;
      }
      return s;
    }
    if (!check_expr(ad, e)) {
      lw->ok = false;
      return NULL;
    }
    return NULL; /* no effect */
  }
  case ST_IF: {
    if (!check_expr(ad, s->expr)) {
      lw->ok = false;
      return NULL;
    }
    Stmt *n = new_stmt(ST_IF, s->loc);
    n->expr = s->expr;
    n->then = lower_stmt(lw, s->then, tail);
    if (!n->then)
      n->then = stmt_block(s->loc);
    n->els = s->els ? lower_stmt(lw, s->els, tail) : NULL;
    return n;
  }
  case ST_RETURN: {
    Stmt *b = stmt_block(s->loc);
    if (s->expr) {
      if (!check_expr(ad, s->expr)) {
        lw->ok = false;
        return NULL;
      }
      if (!ad->result) {
        error_at(s->loc, "returning a value from a function whose loss is given by loss(...) is not supported");
        lw->ok = false;
        return NULL;
      }
      Expr *val = s->expr;
      if (val->kind == EX_INIT) {
        Expr *lit = new_expr(EX_COMPOUND, ad->result->type, val->loc);
        lit->lhs = val;
        val = lit;
      }
      Stmt *a = stmt_expr(expr_assign(OP_NONE, expr_var(ad->result, s->loc), val));
      a->loc = s->loc;
      vec_push(&b->body, a);
    }
    if (!tail) {
      if (!ad->returned)
        ad->returned = ad_new_local(ad, "returned", type_int(), true);
      Stmt *flag = stmt_expr(expr_assign(OP_NONE, expr_var(ad->returned, s->loc), expr_num("1", type_int())));
      flag->loc = s->loc;
      flag->is_def = true; /* set once, read only by guards */
      vec_push(&b->body, flag);
    }
    return b;
  }
  case ST_FOR:
  case ST_WHILE:
  case ST_DO:
    error_at(s->loc, "%s loops are not supported yet", loop_word(s->kind));
    lw->ok = false;
    return NULL;
  case ST_BREAK:
  case ST_CONTINUE:
    error_at(s->loc, "'%s' outside a loop", s->kind == ST_BREAK ? "break" : "continue");
    lw->ok = false;
    return NULL;
  case ST_EMPTY:
    return NULL;
  case ST_UNSUPPORTED:
    error_at(s->loc, "%s is not supported", s->text);
    lw->ok = false;
    return NULL;
  default:
    return NULL;
  }
}

static void lower_list(Lower *lw, Vec *in, int from, bool tail, Vec *out) {
  for (int i = from; i < in->len; i++) {
    Stmt *s = in->items[i];
    bool last = i == in->len - 1;
    if (s->kind == ST_RETURN) {
      Stmt *r = lower_stmt(lw, s, tail);
      if (r)
        vec_push(out, r);
      return; /* what follows a return is dead */
    }
    bool guard = !last && has_nontail_return(s, false);
    Stmt *r = lower_stmt(lw, s, tail && last);
    if (r)
      vec_push(out, r);
    if (guard) {
      /* Later statements run only if `s` did not return. */
      Stmt *g = new_stmt(ST_IF, s->loc);
      g->expr = expr_unary(EX_NOT, expr_var(lw->ad->returned, s->loc), type_int());
      g->then = stmt_block(s->loc);
      lower_list(lw, in, i + 1, tail, &g->then->body);
      if (g->then->body.len)
        vec_push(out, g);
      return;
    }
  }
}

bool ad_normalize(Ad *ad, Func *primal) {
  Func *f = xcalloc(1, sizeof(Func));
  *f = *primal;
  int nmap = primal->params.len + primal->locals.len;
  Var **from = xcalloc((size_t)nmap + 1, sizeof(Var *));
  Var **to = xcalloc((size_t)nmap + 1, sizeof(Var *));
  int k = 0;
  f->params = (Vec){0};
  f->locals = (Vec){0};
  for (int i = 0; i < primal->params.len; i++) {
    Var *v = xcalloc(1, sizeof(Var));
    *v = *(Var *)primal->params.items[i];
    from[k] = primal->params.items[i];
    to[k++] = v;
    vec_push(&f->params, v);
    vec_push(&ad->names, (void *)v->name);
  }
  for (int i = 0; i < primal->locals.len; i++) {
    Var *v = xcalloc(1, sizeof(Var));
    *v = *(Var *)primal->locals.items[i];
    from[k] = primal->locals.items[i];
    to[k++] = v;
    vec_push(&f->locals, v);
  }
  /* Locals of nested scopes may repeat a name: hoisting needs them unique. */
  for (int i = 0; i < f->locals.len; i++) {
    Var *v = f->locals.items[i];
    v->name = ad_fresh_name(ad, v->name);
  }
  f->body = stmt_clone(primal->body, from, to, nmap);
  ad->f = f;

  Pragma *p = ad->deriv->pragma;
  if (!p->loss_param)
    ad->result = ad_new_local(ad, "result", type_unqualified(f->ret), true);

  Lower lw = {ad, true};
  Stmt *body = stmt_block(f->body->loc);
  lower_list(&lw, &f->body->body, 0, true, &body->body);
  f->body = body;
  return lw.ok;
}
