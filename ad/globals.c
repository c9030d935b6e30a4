/* Global variables the function writes.  A global scalar that the
 * differentiated function (or a helper inlined into it) assigns is
 * worked on in a local copy: loaded from the global at the start and
 * stored back at the end, so the global holds afterwards what the
 * original leaves there, and the sweeps see an ordinary local, saved and
 * restored like any other.  A call to a user's function whose body is
 * not in the file may read or write the global: an integer one is stored
 * before and loaded after it; a floating one is refused there, since a
 * value loaded back would cut its derivative.  Runs on the lowered body,
 * where inlined helpers are in place. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Var *global, *local;
} GlobalCopy;

/* The frontend makes a Var for a global in each function that uses it:
 * a global is known by its name. */
static bool same_global(const Var *a, const Var *b) { return a->is_global && b->is_global && !strcmp(a->name, b->name); }

static WalkStep add_written_global(Stmt *s, void *out) {
  Vec *written = out;
  Expr *e = s->kind == ST_EXPR ? s->expr : NULL;
  if (!e || e->kind != EX_ASSIGN || e->lhs->kind != EX_VAR || !e->lhs->var->is_global)
    return WALK_ON;
  for (int i = 0; i < written->len; i++)
    if (same_global(written->items[i], e->lhs->var))
      return WALK_ON;
  vec_push(written, e->lhs->var);
  return WALK_ON;
}

static WalkStep use_local_copy(Expr *e, void *copies) {
  Vec *v = copies;
  if (e->kind == EX_VAR)
    for (int i = 0; i < v->len; i++) {
      GlobalCopy *c = v->items[i];
      if (same_global(e->var, c->global))
        e->var = c->local;
    }
  return WALK_ON;
}

/* A call to a user's function whose body is not in the file (the C
 * library does not touch the program's globals, nor vg_stop_gradient). */
static bool is_outside_call(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL && e->call == CALL_PLAIN && e->callee_file && !e->system_callee &&
         !call_is_stop_gradient(e);
}

static const Expr *first_outside_call(const Expr *e) {
  if (!e)
    return NULL;
  if (is_outside_call(e, NULL))
    return e;
  const Expr *found = first_outside_call(e->lhs);
  found = found ? found : first_outside_call(e->rhs);
  found = found ? found : first_outside_call(e->cond);
  for (int i = 0; !found && i < e->args.len; i++)
    found = first_outside_call(e->args.items[i]);
  return found;
}

static void copy_statements(Vec *copies, bool store, Vec *out) {
  for (int i = 0; i < copies->len; i++) {
    GlobalCopy *c = copies->items[i];
    Var *to = store ? c->global : c->local, *from = store ? c->local : c->global;
    Stmt *st = stmt_expr(expr_assign(OP_NONE, expr_var(to, to->loc), expr_var(from, from->loc)));
    st->loc = to->loc;
    vec_push(out, st);
  }
}

/* Stores before and loads after each statement that calls outside. */
static bool around_outside_calls(Stmt *s, Vec *copies) {
  if (!s)
    return true;
  if (s->kind == ST_BLOCK) {
    Vec body = {0};
    for (int i = 0; i < s->body.len; i++) {
      Stmt *c = s->body.items[i];
      const Expr *call = c->kind == ST_EXPR ? first_outside_call(c->expr) : NULL;
      bool calls = call != NULL;
      for (int j = 0; calls && j < copies->len; j++) {
        Var *g = ((GlobalCopy *)copies->items[j])->global;
        if (type_is_floating(g->type)) {
          error_at(call->loc, "the call to '%s', whose body is not in this file, may read or write the global '%s', "
                   "which this function writes with values it differentiates; pass the value as an argument",
                   call->text, var_spelling(g));
          return false;
        }
      }
      if (calls)
        copy_statements(copies, true, &body);
      vec_push(&body, c);
      if (calls)
        copy_statements(copies, false, &body);
      else if (!around_outside_calls(c, copies))
        return false;
    }
    free(s->body.items);
    s->body = body;
    return true;
  }
  Expr *parts[3] = {s->expr, s->init, s->step};
  for (int i = 0; i < 3; i++)
    if (first_outside_call(parts[i])) {
      const Expr *call = first_outside_call(parts[i]);
      error_at(call->loc, "a call to '%s', whose body is not in this file, in a condition, while the function "
               "writes the global '%s', is not supported; call it in a statement of its own", call->text,
               ((GlobalCopy *)copies->items[0])->global->name);
      return false;
    }
  return around_outside_calls(s->then, copies) && around_outside_calls(s->els, copies) &&
         around_outside_calls(s->for_init, copies);
}

bool ad_copy_written_globals(Ad *ad, Stmt *body) {
  Vec written = {0};
  walk_stmt(body, &(Walker){.stmt_pre = add_written_global, .ctx = &written});
  if (!written.len)
    return true;
  Vec copies = {0};
  for (int i = 0; i < written.len; i++) {
    Var *g = written.items[i];
    GlobalCopy *c = xcalloc(1, sizeof(GlobalCopy));
    c->global = g;
    c->local = ad_new_local(ad, g->name, type_unqualified(g->type), true);
    c->local->loc = g->loc;
    vec_push(&ad->f->locals, c->local);
    vec_push(&copies, c);
    vec_push(&ad->written_globals, g);
  }
  walk_stmt(body, &(Walker){.expr_pre = use_local_copy, .ctx = &copies});
  if (!around_outside_calls(body, &copies))
    return false;
  Vec load = {0}, store = {0};
  copy_statements(&copies, false, &load);
  copy_statements(&copies, true, &store);
  for (int i = load.len - 1; i >= 0; i--) {
    ((Stmt *)load.items[i])->is_def = true;
    vec_insert_front(&body->body, load.items[i]);
  }
  for (int i = 0; i < store.len; i++)
    vec_push(&body->body, store.items[i]);
  free(load.items);
  free(store.items);
  free(written.items);
  return true;
}
